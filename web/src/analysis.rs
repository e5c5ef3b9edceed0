//! What the page knows about the current text: its problems, or its
//! results under every scheme.
//!
//! Sequential scenarios are evaluated here (every result, and the state
//! after every event for the inspector). Scenarios with `par` blocks or
//! claims are explored by the deferred module (`crate::deferred`), which
//! keeps the explorer and the Explore view out of the first load; so are
//! scenarios that write a scheme (`scheme NAME from BASE` ... `end`),
//! whose C only the deferred module compiles and runs (the scheme
//! language is not in the first load: the page checks such a text
//! without it, `parse_leaving_schemes`). Their diagnostics and results
//! arrive as the same table ([`Grid`]), once per text.

use std::rc::Rc;

use errseq_model::Evaluation;
use errseq_page_protocol::Analysed;
use errseq_render::Analysis as Results;
use errseq_scenario::{parse_leaving_schemes, parse_unchecked, Diagnostic, Parsed, Scenario};

/// An analysis shared by the views; equal when it is the same one.
#[derive(Clone, Debug)]
pub struct Shared(pub Rc<Analysis>);

impl PartialEq for Shared {
    fn eq(&self, other: &Shared) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// What the page knows about one text, computed once per text (`App`
/// memoises it on the text): the results every view reads are
/// `errseq_render::Analysis` (here `Results`), built once in [`Analysis::of`]
/// or, explored, by the deferred module.
#[derive(Clone, Debug)]
pub enum Analysis {
    /// The text has problems; its syntax tree if only the fd rules fail.
    Invalid { diagnostics: Vec<Diagnostic>, syntax: Option<Scenario> },
    /// Evaluated: the results, and every state after every event for the
    /// inspector.
    Sequential { parsed: Rc<Parsed>, eval: Rc<Evaluation>, results: Grid },
    /// The deferred module's (`par` blocks, claims, or a scheme the text
    /// writes): its `analyse` gives the results and, for a written
    /// scheme, the diagnostics of its C. `parsed` is the text checked
    /// here, but for the schemes' C (`None` if that check fails: the
    /// deferred module's diagnostics include its errors).
    Deferred {
        syntax: Rc<Scenario>,
        parsed: Option<Rc<Parsed>>,
        /// The problems found here, shown until the deferred module's.
        diagnostics: Vec<Diagnostic>,
    },
}

impl Analysis {
    pub fn of(text: &str) -> Analysis {
        match parse_leaving_schemes(text) {
            Err(diagnostics) => match parse_unchecked(text) {
                Ok((s, _)) if s.scheme_blocks().next().is_some() => {
                    Analysis::Deferred { syntax: Rc::new(s), parsed: None, diagnostics }
                }
                syntax => Analysis::Invalid { diagnostics, syntax: syntax.ok().map(|(s, _)| s) },
            },
            Ok(p) if deferred(&p.scenario) => {
                let diagnostics = p.warnings.clone();
                Analysis::Deferred {
                    syntax: Rc::new(p.scenario.clone()),
                    parsed: Some(Rc::new(p)),
                    diagnostics,
                }
            }
            Ok(p) => match Evaluation::built_in(&p) {
                Ok(eval) => {
                    let results = Grid::new(Results::evaluated(&p, &eval));
                    Analysis::Sequential { parsed: Rc::new(p), eval: Rc::new(eval), results }
                }
                Err(e) => {
                    let d = Diagnostic::error(errseq_scenario::Span::new(1, 1, 1), not_evaluated(&e));
                    Analysis::Invalid { diagnostics: vec![d], syntax: Some(p.scenario) }
                }
            },
        }
    }

    /// The scenario, checked or not, if the syntax is right.
    pub fn scenario(&self) -> Option<&Scenario> {
        match self {
            Analysis::Invalid { syntax, .. } => syntax.as_ref(),
            Analysis::Sequential { parsed, .. } => Some(&parsed.scenario),
            Analysis::Deferred { syntax, .. } => Some(syntax),
        }
    }

    pub fn parsed(&self) -> Option<&Parsed> {
        match self {
            Analysis::Invalid { .. } => None,
            Analysis::Sequential { parsed, .. } => Some(parsed),
            Analysis::Deferred { parsed, .. } => parsed.as_deref(),
        }
    }

    /// The evaluated results (a sequential text without problems).
    pub fn evaluated(&self) -> Option<Grid> {
        match self {
            Analysis::Sequential { results, .. } => Some(results.clone()),
            _ => None,
        }
    }

    /// Whether the deferred module analyses the text.
    pub fn is_deferred(&self) -> bool {
        matches!(self, Analysis::Deferred { .. })
    }

    /// Errors and warnings, in text order.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            Analysis::Invalid { diagnostics, .. } | Analysis::Deferred { diagnostics, .. } => {
                diagnostics.clone()
            }
            Analysis::Sequential { parsed, .. } => parsed.warnings.clone(),
        }
    }
}

/// What the deferred module said of a text the page left to it, kept
/// once per text.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// The results and the whole check's warnings.
    Results { grid: Grid, warnings: Vec<Diagnostic> },
    /// The whole check's problems (a scheme's C's among them).
    Problems(Vec<Diagnostic>),
    /// Why the exploration stopped.
    Stopped(String),
}

impl Answer {
    pub fn new(a: Analysed) -> Answer {
        match a {
            Analysed::Results { table, warnings } => Answer::Results { grid: Grid::new(table), warnings },
            Analysed::Problems(d) => Answer::Problems(d),
            Analysed::Stopped(why) => Answer::Stopped(why),
        }
    }

    pub fn grid(&self) -> Option<Grid> {
        match self {
            Answer::Results { grid, .. } => Some(grid.clone()),
            _ => None,
        }
    }

    /// The problems to show in the editor, when the answer has its own.
    pub fn diagnostics(&self) -> Option<&[Diagnostic]> {
        match self {
            Answer::Results { warnings, .. } => Some(warnings),
            Answer::Problems(d) => Some(d),
            Answer::Stopped(_) => None,
        }
    }
}

/// Why the model did not evaluate a text the page evaluates. The page
/// evaluates only texts without `par` blocks, claims or written schemes,
/// for which the built-in evaluation has no error (the model's errors are
/// a `par` block's and a written scheme's). Should one come anyway, it is
/// said without the model's message: formatting that would bring the
/// scheme language's fault messages into the first load.
fn not_evaluated(_: &errseq_model::EvalError) -> String {
    "the model could not evaluate this text".to_owned()
}

/// Whether the deferred module analyses a checked text: it explores
/// `par` blocks and claims, and runs the schemes a text writes.
fn deferred(s: &Scenario) -> bool {
    s.needs_explorer() || s.scheme_blocks().next().is_some()
}

/// The results as the grid, the embed and the copies read them: shared,
/// never rebuilt on a render, equal when it is the same one.
#[derive(Clone, Debug)]
pub struct Grid(pub Rc<Results>);

impl Grid {
    pub fn new(results: Results) -> Grid {
        Grid(Rc::new(results))
    }

    pub fn failures(&self) -> usize {
        self.0.failures().count()
    }
}

impl PartialEq for Grid {
    fn eq(&self, other: &Grid) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sequential_grid_marks_differences_and_failures() {
        let a = Analysis::of(
            "schemes: linux-4.12 linux\nopen a f\nopen b f\nerror f EIO\nfsync a\nfsync b => EIO\n",
        );
        let g = a.evaluated().expect("valid");
        assert_eq!(g.0.columns.iter().map(|c| c.as_str()).collect::<Vec<_>>(), vec!["linux-4.12", "linux"]);
        assert_eq!(g.0.rows[4].cells.iter().map(|c| c.text()).collect::<Vec<_>>(), vec!["0", "EIO"]);
        assert!(g.0.rows[4].differs && !g.0.rows[3].differs);
        assert!(a.evaluated() == Some(g.clone()), "the same results, not rebuilt");
        assert_eq!(g.failures(), 1);
    }

    #[test]
    fn a_concurrent_text_waits_for_the_explorer() {
        let a = Analysis::of("schemes: linux-4.13\nopen a f\npar\n  fsync a\n  error f EIO\nend\nfsync a\n");
        assert!(a.is_deferred() && a.evaluated().is_none());
        assert_eq!(a.parsed().map(|p| p.scenario.stmts().count()), Some(4));
        assert!(Analysis::of("open a f\nfsync a\n").evaluated().is_some());
    }

    const WRITTEN: &str = "schemes: linux-4.17 mine\nscheme mine from linux-4.17\nint errseq_check(errseq_t *eseq, errseq_t since)\n{\n\treturn nonsense;\n}\nend\nopen a f\nfsync a\n";

    #[test]
    fn a_text_that_writes_a_scheme_is_the_deferred_modules_even_with_errors_in_its_c() {
        // The C is not compiled here: its error is the deferred module's to find.
        let a = Analysis::of(WRITTEN);
        assert!(a.is_deferred() && a.evaluated().is_none());
        assert!(a.diagnostics().is_empty(), "{:?}", a.diagnostics());
        assert!(matches!(&a, Analysis::Deferred { parsed: Some(_), .. }));
        assert!(errseq_scenario::parse(WRITTEN).is_err(), "the full check finds it");
        // An error outside the C is found here, and the text still goes there.
        let b = Analysis::of(&WRITTEN.replace("fsync a", "fsync b"));
        assert!(b.is_deferred() && b.parsed().is_none());
        assert_eq!(b.diagnostics()[0].span.line, 9);
    }

    #[test]
    fn problems_keep_the_syntax_tree_when_there_is_one() {
        match Analysis::of("fsync a\n") {
            Analysis::Invalid { diagnostics, syntax } => {
                assert_eq!(diagnostics[0].span.line, 1);
                assert!(syntax.is_some());
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(Analysis::of("fsnyc a\n"), Analysis::Invalid { syntax: None, .. }));
    }
}
