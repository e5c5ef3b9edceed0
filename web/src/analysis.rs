//! What the page knows about the current text: its problems, or its
//! results under every scheme.
//!
//! Sequential scenarios are evaluated here (every result, and the state
//! after every event for the inspector). Scenarios with `par` blocks or
//! claims are explored by the deferred module (`crate::deferred`), which
//! keeps the explorer and the Explore view out of the first load; their
//! results arrive as the same table ([`Grid`]), once per text.

use std::rc::Rc;

use errseq_model::Evaluation;
use errseq_render::Analysis as Results;
use errseq_scenario::{parse, parse_unchecked, Diagnostic, Parsed, Scenario};

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
    Sequential { parsed: Rc<Parsed>, eval: Rc<Evaluation>, program: Rc<errseq_model::Program>, results: Grid },
    /// To be explored (`par` blocks or claims): the deferred module's
    /// `explore` gives the results.
    Concurrent { parsed: Rc<Parsed> },
}

impl Analysis {
    pub fn of(text: &str) -> Analysis {
        match parse(text) {
            Err(diagnostics) => {
                let syntax = parse_unchecked(text).ok().map(|(s, _)| s);
                Analysis::Invalid { diagnostics, syntax }
            }
            Ok(p) if p.scenario.has_par() || p.scenario.claims().next().is_some() => {
                Analysis::Concurrent { parsed: Rc::new(p) }
            }
            Ok(p) => match Evaluation::new(&p) {
                Ok(eval) => {
                    let program = Rc::new(eval.program.clone());
                    let results = Grid::new(Results::evaluated(&p, &eval));
                    Analysis::Sequential { parsed: Rc::new(p), eval: Rc::new(eval), program, results }
                }
                Err(e) => {
                    let d = Diagnostic::error(errseq_scenario::Span::new(1, 1, 1), e.to_string());
                    Analysis::Invalid { diagnostics: vec![d], syntax: Some(p.scenario) }
                }
            },
        }
    }

    /// The scenario, checked or not, if the syntax is right.
    pub fn scenario(&self) -> Option<&Scenario> {
        match self {
            Analysis::Invalid { syntax, .. } => syntax.as_ref(),
            Analysis::Sequential { parsed, .. } | Analysis::Concurrent { parsed } => Some(&parsed.scenario),
        }
    }

    pub fn parsed(&self) -> Option<&Parsed> {
        match self {
            Analysis::Invalid { .. } => None,
            Analysis::Sequential { parsed, .. } | Analysis::Concurrent { parsed } => Some(parsed),
        }
    }

    /// The evaluated results (a sequential text without problems).
    pub fn evaluated(&self) -> Option<Grid> {
        match self {
            Analysis::Sequential { results, .. } => Some(results.clone()),
            _ => None,
        }
    }

    pub fn is_concurrent(&self) -> bool {
        matches!(self, Analysis::Concurrent { .. })
    }

    /// Errors and warnings, in text order.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            Analysis::Invalid { diagnostics, .. } => diagnostics.clone(),
            Analysis::Sequential { parsed, .. } | Analysis::Concurrent { parsed } => parsed.warnings.clone(),
        }
    }
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
        assert!(a.is_concurrent() && a.evaluated().is_none());
        assert_eq!(a.parsed().map(|p| p.scenario.stmts().count()), Some(4));
        assert!(Analysis::of("open a f\nfsync a\n").evaluated().is_some());
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
