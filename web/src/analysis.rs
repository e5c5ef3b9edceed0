//! What the page knows about the current text: its problems, or its
//! results under every scheme.
//!
//! Sequential scenarios are evaluated (every result, and the state after
//! every event); scenarios with `par` blocks are explored (result sets
//! over every interleaving, joint outcomes, counterexamples). Computed
//! from the text alone, on every edit.

use std::rc::Rc;

use errseq::Ret;
use errseq_explorer::{Bounds, Report, SearchError};
use errseq_model::Evaluation;
use errseq_scenario::{parse, parse_unchecked, Diagnostic, Outcome, Parsed, Scenario};

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

#[derive(Clone, Debug)]
pub enum Analysis {
    /// The text has problems; its syntax tree if only the fd rules fail.
    Invalid {
        diagnostics: Vec<Diagnostic>,
        syntax: Option<Scenario>,
    },
    Sequential {
        parsed: Rc<Parsed>,
        eval: Rc<Evaluation>,
        program: Rc<errseq_model::Program>,
    },
    Concurrent {
        parsed: Rc<Parsed>,
        report: Rc<Result<Report, SearchError>>,
    },
}

impl Analysis {
    pub fn of(text: &str) -> Analysis {
        match parse(text) {
            Err(diagnostics) => {
                let syntax = parse_unchecked(text).ok().map(|(s, _)| s);
                Analysis::Invalid { diagnostics, syntax }
            }
            Ok(p) if p.scenario.has_par() || p.scenario.claims().next().is_some() => {
                let report = errseq_explorer::check(&p, BROWSER_BOUNDS);
                Analysis::Concurrent { parsed: Rc::new(p), report: Rc::new(report) }
            }
            Ok(p) => match Evaluation::new(&p) {
                Ok(eval) => {
                    let program = Rc::new(eval.program.clone());
                    Analysis::Sequential { parsed: Rc::new(p), eval: Rc::new(eval), program }
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

/// One cell of the results grid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// The results the call has (one, or several over the interleavings);
    /// empty for calls that return nothing.
    pub results: Vec<Ret>,
    /// The expectation for this scheme, if it does not hold.
    pub failed: Option<Outcome>,
}

impl Cell {
    pub fn text(&self) -> String {
        match self.results.as_slice() {
            [] => String::new(),
            [one] => one.to_string(),
            many => format!("{{{}}}", many.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")),
        }
    }
}

/// One event's row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GridRow {
    pub event: usize,
    pub line: u32,
    pub text: String,
    pub block: Option<usize>,
    pub cells: Vec<Cell>,
    /// The schemes disagree, or some scheme has several results.
    pub differs: bool,
}

/// Events down, schemes across.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grid {
    pub columns: Vec<String>,
    pub rows: Vec<GridRow>,
}

impl Grid {
    pub fn of(a: &Analysis) -> Option<Grid> {
        match a {
            Analysis::Invalid { .. } => None,
            Analysis::Sequential { parsed, eval, .. } => Some(sequential(parsed, eval)),
            Analysis::Concurrent { parsed, report } => {
                report.as_ref().as_ref().ok().map(|r| concurrent(parsed, r))
            }
        }
    }

    pub fn failures(&self) -> usize {
        self.rows.iter().flat_map(|r| &r.cells).filter(|c| c.failed.is_some()).count()
    }
}

/// Each statement's text and block, by event number (collected once: the
/// statements are an iterator, and rows are built for every event).
fn statements(p: &Parsed) -> Vec<(String, Option<usize>)> {
    p.scenario
        .stmts()
        .map(|(s, place)| {
            let block = match place {
                errseq_scenario::Place::Task { block, .. } => Some(block),
                errseq_scenario::Place::Top => None,
            };
            (s.event.to_string(), block)
        })
        .collect()
}

fn row(p: &Parsed, stmts: &[(String, Option<usize>)], event: usize, cells: Vec<Cell>) -> GridRow {
    let differs =
        cells.windows(2).any(|w| w[0].results != w[1].results) || cells.iter().any(|c| c.results.len() > 1);
    let (text, block) = stmts.get(event).cloned().unwrap_or_default();
    GridRow { event, line: p.source.events[event].line(), text, block, cells, differs }
}

fn sequential(p: &Parsed, e: &Evaluation) -> Grid {
    let mismatches = e.mismatches(p);
    let stmts = statements(p);
    let rows = (0..e.program.ops.len())
        .map(|event| {
            let cells = e
                .row(event)
                .enumerate()
                .map(|(column, r)| Cell {
                    results: r.into_iter().collect(),
                    failed: mismatches
                        .iter()
                        .find(|m| m.event == event && m.column == column)
                        .map(|m| m.expected.clone()),
                })
                .collect();
            row(p, &stmts, event, cells)
        })
        .collect();
    Grid { columns: e.columns.iter().map(|(n, _)| n.to_string()).collect(), rows }
}

fn concurrent(p: &Parsed, r: &Report) -> Grid {
    let stmts = statements(p);
    let rows =
        (0..r.program.ops.len())
            .map(|event| {
                let cells =
                    r.columns
                        .iter()
                        .enumerate()
                        .map(|(column, c)| Cell {
                            results: c.exploration.results_of(event).into_iter().flatten().collect(),
                            failed: r.violations.iter().find_map(|v| match v {
                                errseq_explorer::Violation::Expect {
                                    event: e, column: k, expected, ..
                                } if *e == event && *k == column => Some(expected.clone()),
                                _ => None,
                            }),
                        })
                        .collect();
                row(p, &stmts, event, cells)
            })
            .collect();
    Grid { columns: r.columns.iter().map(|c| c.name.to_string()).collect(), rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sequential_grid_marks_differences_and_failures() {
        let a = Analysis::of(
            "schemes: linux-4.12 linux\nopen a f\nopen b f\nerror f EIO\nfsync a\nfsync b => EIO\n",
        );
        let g = Grid::of(&a).expect("valid");
        assert_eq!(g.columns, vec!["linux-4.12", "linux"]);
        assert_eq!(g.rows[4].cells.iter().map(Cell::text).collect::<Vec<_>>(), vec!["0", "EIO"]);
        assert!(g.rows[4].differs && !g.rows[3].differs);
        assert_eq!(g.failures(), 1);
    }

    #[test]
    fn a_concurrent_grid_shows_sets() {
        let a = Analysis::of("schemes: linux-4.13\nopen a f\npar\n  fsync a\n  error f EIO\nend\nfsync a\n");
        let g = Grid::of(&a).expect("valid");
        assert_eq!(g.rows[1].cells[0].text(), "{0, EIO}");
        assert_eq!(g.rows[1].block, Some(0));
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
