//! The one analysis of a scenario that every view reads.
//!
//! A scenario's results are worked out once per text: by evaluation (a
//! sequential scenario, one result per call and scheme) or by the
//! explorer (`par` blocks and claims, a set of results per call and
//! scheme, joint outcomes, counterexamples). [`Analysis`] holds what came
//! out, arranged as the views need it: the rows of the results table with
//! every cell's results, the verdict of its expectation, and whether the
//! row differs. The terminal's tables, the mail text, Markdown and the
//! page's grid all read these rows; none of them decides again what a
//! cell says, whether an expectation holds or whether a row is marked.
//!
//! The rules, each in one place here:
//! - a cell's results are every result the call has under the scheme (one
//!   when evaluated; every interleaving's when explored), sorted, printed
//!   by [`result_text`] and [`Cell::text`];
//! - a cell fails when its scheme's expectation does not admit one of its
//!   results (`Expect::unmet`, through the evaluation's mismatches or the
//!   explorer's verdicts), and keeps what was expected and one result that
//!   broke it;
//! - a row differs (`*`) when its cells' results are not all the same set,
//!   or some cell has more than one result (the interleavings disagree
//!   even where the schemes agree).

use errseq::{Ret, SchemeName};
use errseq_explorer::{Report, Violation};
use errseq_model::Evaluation;
use errseq_scenario::{Outcome, Parsed, Place};

/// One result as every view prints it: the errno or `0`, blank for a
/// call that returns nothing.
pub fn result_text(r: Option<Ret>) -> String {
    r.map_or_else(String::new, |r| r.to_string())
}

/// An expectation that does not hold: what was expected, and a result
/// that is not it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Failure {
    pub expected: Outcome,
    pub actual: Option<Ret>,
}

/// One scheme's answer for one call.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Cell {
    /// Every result the call has under the scheme, sorted; `[None]` for a
    /// call that returns nothing.
    pub results: Vec<Option<Ret>>,
    /// The expectation for this scheme, when it does not hold.
    pub failed: Option<Failure>,
}

impl Cell {
    /// `EIO`, blank, or a set `{0, EIO}` with `sep` between members.
    pub fn text_with(&self, sep: &str) -> String {
        match self.results.as_slice() {
            [one] => result_text(*one),
            many => format!("{{{}}}", many.iter().map(|r| result_text(*r)).collect::<Vec<_>>().join(sep)),
        }
    }

    /// As [`Cell::text_with`], members separated by `, `.
    pub fn text(&self) -> String {
        self.text_with(", ")
    }

    /// The results that are values (a call that returns nothing has none).
    pub fn returned(&self) -> impl Iterator<Item = Ret> + '_ {
        self.results.iter().flatten().copied()
    }
}

/// One call's row: where it is, what it says, each scheme's cell.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Row {
    pub event: usize,
    pub line: u32,
    /// The call as the canonical printer writes it, without its label.
    pub text: String,
    /// The `par` block it is a task of.
    pub block: Option<usize>,
    pub cells: Vec<Cell>,
    /// The `*` mark: see the module documentation.
    pub differs: bool,
}

/// The scenario's results, every view's source.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Analysis {
    pub columns: Vec<SchemeName>,
    pub rows: Vec<Row>,
    /// The explorer's report, when the results came from it: the joint
    /// outcomes, the claims' verdicts, counterexamples and their replay
    /// strings.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub report: Option<Report>,
}

impl Analysis {
    /// From the explorer's report (every scenario in the CLI; `par`
    /// blocks and claims in the page).
    pub fn explored(p: &Parsed, r: Report) -> Analysis {
        let columns: Vec<SchemeName> = r.columns.iter().map(|c| c.name).collect();
        let rows = rows(p, columns.len(), |event, column| {
            let c = &r.columns[column];
            let failed = r.violations.iter().find_map(|v| match v {
                Violation::Expect { event: e, column: k, expected, actual, .. }
                    if *e == event && *k == column =>
                {
                    Some(Failure { expected: expected.clone(), actual: *actual })
                }
                _ => None,
            });
            Cell { results: c.exploration.results_of(event), failed }
        });
        Analysis { columns, rows, report: Some(r) }
    }

    /// From an evaluation (a sequential scenario in the page, where the
    /// state after every event is kept for the inspector).
    pub fn evaluated(p: &Parsed, e: &Evaluation) -> Analysis {
        let columns: Vec<SchemeName> = e.columns.iter().map(|(n, _)| *n).collect();
        let mismatches = e.mismatches(p);
        let rows = rows(p, columns.len(), |event, column| {
            let failed = mismatches
                .iter()
                .find(|m| m.event == event && m.column == column)
                .map(|m| Failure { expected: m.expected.clone(), actual: Some(m.actual) });
            Cell { results: vec![e.row(event).nth(column).flatten()], failed }
        });
        Analysis { columns, rows, report: None }
    }

    /// Whether every expectation and claim holds.
    pub fn holds(&self) -> bool {
        self.failures().next().is_none() && self.report.as_ref().is_none_or(|r| r.violations.is_empty())
    }

    /// Every failed expectation: the row, the column, the failure.
    pub fn failures(&self) -> impl Iterator<Item = (&Row, usize, &Failure)> {
        self.rows.iter().flat_map(|row| {
            row.cells
                .iter()
                .enumerate()
                .filter_map(move |(c, cell)| cell.failed.as_ref().map(|f| (row, c, f)))
        })
    }

    /// Each failed expectation in words: `line 7, fsync b, linux-4.12:
    /// expected EIO, got 0` (`errseq run`, the mail text and the page
    /// say the same).
    pub fn failure_sentences(&self) -> Vec<String> {
        self.failures()
            .map(|(row, c, f)| {
                format!(
                    "line {}, {}, {}: expected {}, got {}",
                    row.line,
                    row.text,
                    self.columns[c],
                    f.expected,
                    result_text(f.actual)
                )
            })
            .collect()
    }
}

/// The rows of `p`, each cell from `cell(event, column)`.
fn rows(p: &Parsed, columns: usize, mut cell: impl FnMut(usize, usize) -> Cell) -> Vec<Row> {
    p.scenario
        .stmts()
        .enumerate()
        .map(|(event, (stmt, place))| {
            let cells: Vec<Cell> = (0..columns).map(|c| cell(event, c)).collect();
            let differs = cells.windows(2).any(|w| w[0].results != w[1].results)
                || cells.iter().any(|c| c.results.len() > 1);
            Row {
                event,
                line: p.source.events.get(event).map_or(0, |s| s.line()),
                text: stmt.event.to_string(),
                block: match place {
                    Place::Task { block, .. } => Some(block),
                    Place::Top => None,
                },
                cells,
                differs,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use errseq_explorer::Bounds;
    use errseq_scenario::parse;

    const SEQUENTIAL: &str =
        "schemes: linux-4.12 linux\nopen a f\nopen b f\nerror f EIO\nfsync a\nfsync b => EIO\n";

    #[test]
    fn evaluation_and_explorer_give_the_same_rows_for_a_sequential_scenario() {
        let p = parse(SEQUENTIAL).expect("valid");
        let e = Evaluation::new(&p).expect("sequential");
        let r = errseq_explorer::check(&p, Bounds::default()).expect("explores");
        let (a, b) = (Analysis::evaluated(&p, &e), Analysis::explored(&p, r));
        assert_eq!(a.rows, b.rows);
        assert_eq!(a.failure_sentences(), ["line 6, fsync b, linux-4.12: expected EIO, got 0"]);
        assert!(a.rows[4].differs && !a.rows[3].differs && !a.rows[0].differs);
        assert_eq!(a.rows[4].cells[0].text(), "0");
    }

    #[test]
    fn a_row_with_several_results_differs_even_where_the_schemes_agree() {
        let p =
            parse("schemes: linux-4.13 linux-4.14\nopen a f\npar\n  fsync a\n  error f EIO\nend\nfsync a\n")
                .expect("valid");
        let r = errseq_explorer::check(&p, Bounds::default()).expect("explores");
        let a = Analysis::explored(&p, r);
        let fsync = &a.rows[1];
        assert_eq!(fsync.block, Some(0));
        assert_eq!(fsync.cells[0], fsync.cells[1], "the two schemes agree");
        assert_eq!(fsync.cells[0].text(), "{0, EIO}");
        assert_eq!(fsync.cells[0].text_with(","), "{0,EIO}");
        assert!(fsync.differs, "several results: marked");
        assert!(!a.rows[2].differs, "error returns nothing");
    }
}
