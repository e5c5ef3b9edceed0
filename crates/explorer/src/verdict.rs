//! Checking a scenario's expectations and claims against its joint
//! outcomes, under each scheme it names.
//!
//! `fsync a => EIO` holds when every interleaving returns EIO there; a set
//! `=> {0, EIO}` when every interleaving returns one of them. `never C`
//! holds when no joint outcome satisfies all the conditions C, `exists C`
//! when one does. A violated expectation or `never` comes with the
//! smallest schedule that violates it: the counterexample.

use errseq::{Ret, SchemeName};
use errseq_model::Program;
use errseq_scenario::{ClaimKind, Outcome, Parsed};

use crate::scenario::{explore_column, Exploration, JointOutcome, Schedule};
use crate::search::{Bounds, SearchError};

/// One scheme column of the scenario, explored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: SchemeName,
    pub exploration: Exploration,
}

/// Something the scenario says that the explored outcomes deny.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Violation {
    /// An interleaving returns `actual` where `expected` was stated.
    Expect { event: usize, column: usize, expected: Outcome, actual: Option<Ret>, schedule: Schedule },
    /// `never` claim number `claim` is reached, by `count` interleavings.
    Never { claim: usize, column: usize, count: u128, schedule: Schedule },
    /// No interleaving satisfies `exists` claim number `claim`.
    Exists { claim: usize, column: usize },
}

impl Violation {
    pub fn column(&self) -> usize {
        match self {
            Violation::Expect { column, .. }
            | Violation::Never { column, .. }
            | Violation::Exists { column, .. } => *column,
        }
    }

    /// The interleaving that shows it, if there is one.
    pub fn schedule(&self) -> Option<&Schedule> {
        match self {
            Violation::Expect { schedule, .. } | Violation::Never { schedule, .. } => Some(schedule),
            Violation::Exists { .. } => None,
        }
    }
}

/// A scenario explored under all its schemes, and what does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub program: Program,
    pub columns: Vec<Column>,
    pub violations: Vec<Violation>,
}

impl Report {
    /// Distinct states visited over all schemes.
    pub fn states(&self) -> usize {
        self.columns.iter().map(|c| c.exploration.states).sum()
    }
}

/// Explores `p` under each scheme it names and checks it.
pub fn check(p: &Parsed, bounds: Bounds) -> Result<Report, SearchError> {
    let program = Program::compile(p);
    let fs = p.scenario.fs();
    let mut budget = bounds.budget();
    let mut columns: Vec<Column> = Vec::new();
    for name in p.scenario.scheme_names() {
        let key = name.resolve();
        let exploration = match columns.iter().find(|c| c.name.resolve() == key) {
            Some(c) => c.exploration.clone(),
            None => explore_column(&program, key, fs, bounds, &mut budget).map_err(|e| match e {
                SearchError::Fault { fault, event: Some(event) } => {
                    SearchError::Fault { fault: fault.in_event(p, event), event: Some(event) }
                }
                e => e,
            })?,
        };
        columns.push(Column { name, exploration });
    }
    let mut violations = Vec::new();
    for (column, c) in columns.iter().enumerate() {
        expectations(p, column, c, &mut violations);
        claims(p, column, c, &mut violations);
    }
    Ok(Report { program, columns, violations })
}

fn expectations(p: &Parsed, column: usize, c: &Column, out: &mut Vec<Violation>) {
    let scheme = c.name.resolve();
    for (event, (stmt, _)) in p.scenario.stmts().enumerate() {
        let Some(expect) = &stmt.expect else { continue };
        let Some(expected) = expect.for_scheme(scheme) else { continue };
        // A call that never returned (no result) meets no expectation.
        let bad = c
            .exploration
            .outcomes
            .iter()
            .find(|o| o.results[event].is_none_or(|r| expect.unmet(scheme, r).is_some()));
        if let Some(o) = bad {
            out.push(Violation::Expect {
                event,
                column,
                expected: expected.clone(),
                actual: o.results[event],
                schedule: o.schedule.clone(),
            });
        }
    }
}

fn claims(p: &Parsed, column: usize, c: &Column, out: &mut Vec<Violation>) {
    for (claim, (cl, events)) in p.scenario.claims().zip(&p.bindings.claims).enumerate() {
        if !cl.applies_to(c.name.resolve()) {
            continue;
        }
        let holds = |o: &JointOutcome| {
            cl.conds.iter().zip(events).all(|(cond, &e)| o.results[e].is_some_and(|r| cond.outcome.allows(r)))
        };
        let witnesses: Vec<&JointOutcome> = c.exploration.outcomes.iter().filter(|o| holds(o)).collect();
        match (cl.kind, witnesses.first()) {
            (ClaimKind::Exists, None) => out.push(Violation::Exists { claim, column }),
            (ClaimKind::Never, Some(first)) => out.push(Violation::Never {
                claim,
                column,
                count: witnesses.iter().fold(0u128, |n, o| n.saturating_add(o.count)),
                schedule: first.schedule.clone(),
            }),
            _ => {}
        }
    }
}
