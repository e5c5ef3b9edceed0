//! A whole scenario under one scheme: sequential events run to completion,
//! each `par` block is searched exhaustively, and the results of every
//! call, in and after the blocks, are gathered into joint outcomes.

use std::collections::BTreeMap;

use errseq::{Ret, Scheme};
use errseq_model::kernel::{run, Cx, Machine};
use errseq_model::{Kernel, Op, Program};
use errseq_scenario::Fs;

use crate::replay::Task;
use crate::search::{charge, explore, Bounds, ModelMachine, SearchError};

/// One event of a scenario as a task.
#[derive(Copy, Clone, Debug)]
pub struct OpTask<'a> {
    pub cx: Cx<'a>,
    pub op: Op,
}

impl Task for OpTask<'_> {
    type Output = Option<Ret>;

    fn run<K: Kernel>(&self, k: &mut K) -> Result<Option<Ret>, K::Stop> {
        run(k, self.cx, self.op)
    }
}

/// Which task took each step, per `par` block.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Schedule(pub Vec<Vec<u8>>);

/// A vector of results that some interleavings produce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JointOutcome {
    /// By event number; `None` for calls that return nothing.
    pub results: Vec<Option<Ret>>,
    /// How many interleavings produce it.
    pub count: u128,
    /// The smallest schedule that produces it.
    pub schedule: Schedule,
}

/// Every joint outcome of a scenario under one scheme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exploration {
    pub scheme: Scheme,
    /// Sorted by results.
    pub outcomes: Vec<JointOutcome>,
    /// Distinct states visited.
    pub states: usize,
    /// Interleavings in all (a lower bound if `saturated`).
    pub interleavings: u128,
    pub saturated: bool,
}

impl Exploration {
    /// The distinct results of one event, over all outcomes.
    pub fn results_of(&self, event: usize) -> Vec<Option<Ret>> {
        let mut v: Vec<Option<Ret>> = self.outcomes.iter().map(|o| o.results[event]).collect();
        v.sort();
        v.dedup();
        v
    }
}

/// One way the scenario can have gone so far.
#[derive(Clone, Debug)]
struct Path {
    cells: Vec<u32>,
    results: Vec<Option<Ret>>,
    count: u128,
    schedule: Schedule,
}

/// Explores `program` under `scheme`. `budget` counts down the work the
/// caller still allows (over several schemes), in cells
/// ([`Bounds::budget`]): the states of `par` blocks, and one cell for each
/// event outside them on each path.
pub fn explore_scheme(
    program: &Program,
    scheme: Scheme,
    fs: Fs,
    bounds: Bounds,
    budget: &mut usize,
) -> Result<Exploration, SearchError> {
    let cx = Cx { scheme, fs, layout: &program.layout };
    let machine = ModelMachine { layout: &program.layout };
    let start = Path {
        cells: vec![0; program.layout.len],
        results: Vec::new(),
        count: 1,
        schedule: Schedule::default(),
    };
    let mut paths = vec![start];
    let (mut states, mut saturated, mut event) = (0usize, false, 0usize);
    for block in &program.blocks {
        run_sequential(&mut paths, cx, &program.ops[event..block.start], bounds, budget)?;
        let tasks: Vec<OpTask<'_>> = program.ops[block.clone()].iter().map(|&op| OpTask { cx, op }).collect();
        let mut next = Vec::new();
        for path in paths {
            let r = explore(&tasks, path.cells.clone(), &machine, bounds, budget)?;
            states += r.states;
            saturated |= r.saturated;
            for t in r.terminals {
                let mut results = path.results.clone();
                results.extend(t.outputs);
                let mut schedule = path.schedule.clone();
                schedule.0.push(t.schedule);
                let (count, overflow) = path.count.overflowing_mul(t.count);
                saturated |= overflow;
                let count = if overflow { u128::MAX } else { count };
                next.push(Path { cells: t.cells, results, count, schedule });
            }
        }
        paths = merge(next, &mut saturated);
        event = block.end;
    }
    run_sequential(&mut paths, cx, &program.ops[event..], bounds, budget)?;
    let outcomes = outcomes(paths, &mut saturated);
    let interleavings = outcomes.iter().fold(0u128, |n, o| n.saturating_add(o.count));
    Ok(Exploration { scheme, outcomes, states, interleavings, saturated })
}

/// Runs `ops` to completion on every path, charging one cell of the
/// budget per event per path.
fn run_sequential(
    paths: &mut [Path],
    cx: Cx<'_>,
    ops: &[Op],
    bounds: Bounds,
    budget: &mut usize,
) -> Result<(), SearchError> {
    for path in paths {
        for &op in ops {
            charge(budget, bounds, 1)?;
            let mut k = Machine { cells: &mut path.cells, layout: cx.layout };
            path.results.push(errseq::complete(run(&mut k, cx, op)));
        }
    }
    Ok(())
}

/// Paths with the same cells and results are one: sum their counts.
fn merge(paths: Vec<Path>, saturated: &mut bool) -> Vec<Path> {
    let mut by_state: BTreeMap<(Vec<u32>, Vec<Option<Ret>>), Path> = BTreeMap::new();
    for p in paths {
        let key = (p.cells.clone(), p.results.clone());
        match by_state.get_mut(&key) {
            Some(old) => absorb(old, p.count, p.schedule, saturated),
            None => {
                by_state.insert(key, p);
            }
        }
    }
    by_state.into_values().collect()
}

fn absorb(old: &mut Path, count: u128, schedule: Schedule, saturated: &mut bool) {
    let (sum, overflow) = old.count.overflowing_add(count);
    *saturated |= overflow;
    old.count = if overflow { u128::MAX } else { sum };
    if schedule < old.schedule {
        old.schedule = schedule;
    }
}

fn outcomes(paths: Vec<Path>, saturated: &mut bool) -> Vec<JointOutcome> {
    let mut by_results: BTreeMap<Vec<Option<Ret>>, Path> = BTreeMap::new();
    for p in paths {
        match by_results.get_mut(&p.results) {
            Some(old) => absorb(old, p.count, p.schedule, saturated),
            None => {
                by_results.insert(p.results.clone(), p);
            }
        }
    }
    by_results
        .into_values()
        .map(|p| JointOutcome { results: p.results, count: p.count, schedule: p.schedule })
        .collect()
}
