//! The module's one analysis: of the last text the page asked about.
//!
//! The page leaves to this module the texts its first load cannot
//! analyse: those with `par` blocks or claims (the explorer) and those
//! that write a scheme (the scheme language's compiler and interpreter,
//! which the first load does not carry). The page asks for the results
//! (`analyse`) and, for a sequential text that writes a scheme, the state
//! after an event (`state`); the Explore view shows the same text's joint
//! outcomes and counterexamples, and a copy of its mail needs the
//! claims' verdicts: all of them read this one analysis, made once per
//! text.

use std::cell::RefCell;
use std::rc::Rc;

use crate::inspector::WordFields;
use errseq::SchemeName;
use errseq_explorer::{Bounds, Report, SearchError};
use errseq_model::{EvalError, Evaluation};
use errseq_render::Analysis;
use errseq_scenario::{parse, Diagnostic, Parsed, Span};

/// A smaller state budget than the CLI's: the browser must stay responsive.
pub const BROWSER_BOUNDS: Bounds = Bounds { max_states: 600_000, max_tasks: 16 };

/// What analysing a text gave.
// One per text, behind an Rc: the size of the empty variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Exploration {
    /// A text without `par` blocks, claims or written schemes: the page's
    /// to evaluate. Kept parsed for the Explore view, which steps through
    /// the interleaving a link names (each call runs whole, one step).
    PageOwn { parsed: Parsed },
    /// The whole check (a written scheme's C included) failed, or a
    /// written scheme faulted: every problem, each at its line:col.
    Problems(Vec<Diagnostic>),
    /// Explored: `par` blocks or claims.
    Explored { parsed: Parsed, results: Result<Analysis, SearchError> },
    /// Evaluated one event after the other: a sequential text that
    /// writes a scheme. The evaluation keeps every state for the
    /// page's inspector.
    Evaluated { parsed: Parsed, eval: Evaluation, results: Analysis },
}

impl Exploration {
    fn of(text: &str) -> Exploration {
        let p = match parse(text) {
            Ok(p) => p,
            Err(diagnostics) => return Exploration::Problems(diagnostics),
        };
        if p.scenario.needs_explorer() {
            let results = errseq_explorer::check(&p, BROWSER_BOUNDS).map(|r| Analysis::explored(&p, r));
            return Exploration::Explored { parsed: p, results };
        }
        if p.scenario.scheme_blocks().next().is_none() {
            return Exploration::PageOwn { parsed: p };
        }
        match Evaluation::new(&p) {
            Ok(eval) => {
                let results = Analysis::evaluated(&p, &eval);
                Exploration::Evaluated { parsed: p, eval, results }
            }
            Err(e) => Exploration::Problems(vec![problem(&e)]),
        }
    }

    pub fn parsed(&self) -> Option<&Parsed> {
        match self {
            Exploration::Explored { parsed, .. }
            | Exploration::Evaluated { parsed, .. }
            | Exploration::PageOwn { parsed } => Some(parsed),
            Exploration::Problems(_) => None,
        }
    }

    /// The explorer's report, or why it stopped.
    pub fn report(&self) -> Option<Result<&Report, &SearchError>> {
        match self {
            // Explored results always carry their report.
            Exploration::Explored { results, .. } => match results {
                Ok(a) => a.report.as_ref().map(Ok),
                Err(e) => Some(Err(e)),
            },
            _ => None,
        }
    }

    /// The results table every view reads, or why there is none.
    pub fn results(&self) -> Option<Result<&Analysis, String>> {
        match self {
            Exploration::Explored { results, .. } => Some(results.as_ref().map_err(|e| e.to_string())),
            Exploration::Evaluated { results, .. } => Some(Ok(results)),
            Exploration::PageOwn { .. } | Exploration::Problems(_) => None,
        }
    }

    /// The program a replay string of this text runs on: the explorer's
    /// or the evaluation's, else compiled now (a text the page
    /// evaluates, opened on an interleaving).
    pub fn program(&self) -> Option<errseq_model::Program> {
        match self {
            Exploration::Explored { results: Ok(Analysis { report: Some(r), .. }), .. } => {
                Some(r.program.clone())
            }
            Exploration::Evaluated { eval, .. } => Some(eval.program.clone()),
            e => e.parsed().map(errseq_model::Program::compile),
        }
    }

    /// How the inspector draws each column's word: the scheme's own
    /// layout for a written one (its `#define`s), `None` for a built-in.
    pub fn words(&self) -> Vec<Option<WordFields>> {
        let Some(p) = self.parsed() else { return Vec::new() };
        p.scenario
            .scheme_names()
            .into_iter()
            .map(|name| match name {
                SchemeName::Written(w) => p.bindings.written(w).map(|w| {
                    let l = w.program.layout();
                    WordFields { errno_mask: l.errno_mask, seen: l.seen, ctr_inc: l.ctr_inc }
                }),
                _ => None,
            })
            .collect()
    }
}

/// An evaluation that stopped (a written scheme's fault), as a problem
/// at the place in the scheme's C where it stopped.
fn problem(e: &EvalError) -> Diagnostic {
    let text = e.to_string();
    let at = |t: &str| -> Option<(u32, u32)> {
        let (place, _) = t.split_once(": ")?;
        let (line, col) = place.split_once(':')?;
        Some((line.parse().ok()?, col.parse().ok()?))
    };
    match (at(&text), text.split_once(": ")) {
        (Some((line, col)), Some((_, message))) => Diagnostic::error(Span::new(line, col, 1), message),
        _ => Diagnostic::error(Span::new(1, 1, 1), text),
    }
}

/// An exploration shared by the views; equal when it is the same one.
#[derive(Clone, Debug)]
pub struct Explored(pub Rc<Exploration>);

impl PartialEq for Explored {
    fn eq(&self, other: &Explored) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

thread_local! {
    static LAST: RefCell<Option<(String, Explored)>> = const { RefCell::new(None) };
}

/// The exploration of `text`: the one already made, or made now.
pub fn of(text: &str) -> Explored {
    LAST.with(|last| {
        if let Some((t, e)) = last.borrow().as_ref() {
            if t == text {
                return e.clone();
            }
        }
        errseq_web::browser::count("explorations");
        let e = Explored(Rc::new(Exploration::of(text)));
        *last.borrow_mut() = Some((text.to_owned(), e.clone()));
        e
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAR: &str = "schemes: linux-4.13\nopen a f\npar\n  fsync a\n  error f EIO\nend\nfsync a\n";

    #[test]
    fn one_exploration_per_text() {
        let a = of(PAR);
        assert!(of(PAR) == a, "asked again: the same one");
        assert_eq!(a.0.parsed().map(|p| p.scenario.stmts().count()), Some(4));
        assert!(matches!(a.0.report(), Some(Ok(_))));
        let b = of("open a f\nfsync a\n");
        assert!(b != a);
        assert!(matches!(&*b.0, Exploration::PageOwn { .. }), "a sequential text is the page's");
        assert!(matches!(&*of("fsnyc a\n").0, Exploration::Problems(_)));
    }

    const WRITTEN: &str = "schemes: linux-4.17 mine\n\
        scheme mine from linux-4.17\n\
        int errseq_check(errseq_t *eseq, errseq_t since)\n\
        {\n\
        \treturn 0;\n\
        }\n\
        end\n\
        open a f\n\
        error f EIO\n\
        fsync a\n";

    #[test]
    fn a_sequential_text_that_writes_a_scheme_is_evaluated_here_with_its_states() {
        let a = of(WRITTEN);
        let Some(Ok(table)) = a.0.results() else { panic!("{:?}", a.0) };
        assert_eq!(table.columns.iter().map(|c| c.as_str()).collect::<Vec<_>>(), vec!["linux-4.17", "mine"]);
        // 4.17's file_check_and_advance_wb_err asks errseq_check first,
        // without the lock; this one always says "nothing new".
        assert_eq!(table.rows[2].cells.iter().map(|c| c.text()).collect::<Vec<_>>(), vec!["EIO", "0"]);
        let words = a.0.words();
        assert_eq!(words[0], None);
        assert_eq!(words[1], Some(WordFields { errno_mask: 4095, seen: 1 << 12, ctr_inc: 1 << 13 }));
    }

    #[test]
    fn errors_in_a_schemes_c_are_problems_at_their_line_and_column() {
        let a = of(&WRITTEN.replace("return 0;", "return nonsense;"));
        let Exploration::Problems(d) = &*a.0 else { panic!("{:?}", a.0) };
        assert_eq!((d[0].span.line, d[0].span.col), (5, 9), "{d:?}");
        let endless = WRITTEN.replace("return 0;", "for (;;) { }").replace(
            "int errseq_check(errseq_t *eseq, errseq_t since)",
            "int file_check_and_advance_wb_err(struct file *file)",
        );
        let a = of(&endless);
        let Exploration::Problems(d) = &*a.0 else { panic!("{:?}", a.0) };
        assert!(d[0].message.contains("endless"), "{d:?}");
        assert_eq!(d[0].span.line, 5, "{d:?}");
    }
}
