//! What the page knows about the current text: its problems, or its
//! results under every scheme.
//!
//! Sequential scenarios are evaluated (every result, and the state after
//! every event); scenarios with `par` blocks are explored (result sets
//! over every interleaving, joint outcomes, counterexamples). Computed
//! from the text alone, on every edit.

use std::rc::Rc;

use errseq_explorer::{Bounds, Report, SearchError};
use errseq_model::Evaluation;
use errseq_render::Analysis as Results;
use errseq_scenario::{parse, parse_unchecked, Diagnostic, Parsed, Scenario};

/// A smaller state budget than the CLI's: the browser must stay responsive.
pub const BROWSER_BOUNDS: Bounds = Bounds { max_states: 600_000, max_tasks: 16 };

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
/// `errseq_render::Analysis` (here `Results`), built once in [`Analysis::of`].
#[derive(Clone, Debug)]
pub enum Analysis {
    /// The text has problems; its syntax tree if only the fd rules fail.
    Invalid { diagnostics: Vec<Diagnostic>, syntax: Option<Scenario> },
    /// Evaluated: the results, and every state after every event for the
    /// inspector.
    Sequential { parsed: Rc<Parsed>, eval: Rc<Evaluation>, program: Rc<errseq_model::Program>, results: Grid },
    /// Explored: the results and the explorer's report (in `results`), or
    /// why the exploration stopped.
    Concurrent { parsed: Rc<Parsed>, results: Rc<Result<Grid, SearchError>> },
}

impl Analysis {
    pub fn of(text: &str) -> Analysis {
        match parse(text) {
            Err(diagnostics) => {
                let syntax = parse_unchecked(text).ok().map(|(s, _)| s);
                Analysis::Invalid { diagnostics, syntax }
            }
            Ok(p) if p.scenario.has_par() || p.scenario.claims().next().is_some() => {
                let results =
                    errseq_explorer::check(&p, BROWSER_BOUNDS).map(|r| Grid::new(Results::explored(&p, r)));
                Analysis::Concurrent { parsed: Rc::new(p), results: Rc::new(results) }
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
            Analysis::Sequential { parsed, .. } | Analysis::Concurrent { parsed, .. } => {
                Some(&parsed.scenario)
            }
        }
    }

    pub fn parsed(&self) -> Option<&Parsed> {
        match self {
            Analysis::Invalid { .. } => None,
            Analysis::Sequential { parsed, .. } | Analysis::Concurrent { parsed, .. } => Some(parsed),
        }
    }

    /// The results, when there are some (a text without problems whose
    /// exploration finished).
    pub fn grid(&self) -> Option<Grid> {
        match self {
            Analysis::Invalid { .. } => None,
            Analysis::Sequential { results, .. } => Some(results.clone()),
            Analysis::Concurrent { results, .. } => results.as_ref().as_ref().ok().cloned(),
        }
    }

    /// The explorer's report, for the Explore view.
    pub fn report(&self) -> Option<Result<&Report, &SearchError>> {
        match self {
            // Explored results always carry their report.
            Analysis::Concurrent { results, .. } => match results.as_ref() {
                Ok(g) => g.0.report.as_ref().map(Ok),
                Err(e) => Some(Err(e)),
            },
            _ => None,
        }
    }

    /// Errors and warnings, in text order.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            Analysis::Invalid { diagnostics, .. } => diagnostics.clone(),
            Analysis::Sequential { parsed, .. } | Analysis::Concurrent { parsed, .. } => {
                parsed.warnings.clone()
            }
        }
    }
}

/// The results as the grid, the embed and the copies read them: shared,
/// never rebuilt on a render, equal when it is the same one.
#[derive(Clone, Debug)]
pub struct Grid(pub Rc<Results>);

impl Grid {
    fn new(results: Results) -> Grid {
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
        let g = a.grid().expect("valid");
        assert_eq!(g.0.columns.iter().map(|c| c.as_str()).collect::<Vec<_>>(), vec!["linux-4.12", "linux"]);
        assert_eq!(g.0.rows[4].cells.iter().map(|c| c.text()).collect::<Vec<_>>(), vec!["0", "EIO"]);
        assert!(g.0.rows[4].differs && !g.0.rows[3].differs);
        assert!(a.grid() == Some(g.clone()), "the same results, not rebuilt");
        assert_eq!(g.failures(), 1);
    }

    #[test]
    fn a_concurrent_grid_shows_sets() {
        let a = Analysis::of("schemes: linux-4.13\nopen a f\npar\n  fsync a\n  error f EIO\nend\nfsync a\n");
        let g = a.grid().expect("valid");
        assert_eq!(g.0.rows[1].cells[0].text(), "{0, EIO}");
        assert_eq!(g.0.rows[1].block, Some(0));
        assert!(matches!(a.report(), Some(Ok(_))));
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
