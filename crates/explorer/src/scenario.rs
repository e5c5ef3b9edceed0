//! A whole scenario under one scheme: sequential events run to completion,
//! each `par` block is searched exhaustively, and the results of every
//! call, in and after the blocks, are gathered into joint outcomes.

use std::collections::BTreeMap;

use errseq::{Ret, Scheme, SchemeKey};
use errseq_model::kernel::{run, Cx, Machine};
use errseq_model::{Algorithm, Kernel, Layout, Op, Program, Runner, SchemeFault};
use errseq_scenario::Fs;

use crate::replay::{Task, Word};
use crate::search::{charge, explore, Bounds, ModelMachine, SearchError};

/// One event of a scenario as a task.
#[derive(Copy, Clone, Debug)]
pub struct OpTask<'a, S = Scheme> {
    pub cx: Cx<'a, S>,
    pub op: Op,
}

impl<S: Algorithm> Task for OpTask<'_, S> {
    type Output = Option<Ret>;

    fn run<K: Kernel>(&self, k: &mut K) -> Result<Option<Ret>, K::Stop> {
        run(k, self.cx, self.op)
    }
}

/// Which task took each step, per `par` block.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Schedule(pub Vec<Vec<u8>>);

/// A vector of results that some interleavings produce. `O` is what a
/// call yields: its result (`Option<Ret>`), or more when a caller watches
/// the calls ([`walk`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JointOutcome<O = Option<Ret>> {
    /// By event number; `None` for calls that return nothing.
    pub results: Vec<O>,
    /// How many interleavings produce it.
    pub count: u128,
    /// The smallest schedule that produces it.
    pub schedule: Schedule,
}

/// Every joint outcome of a scenario under one scheme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exploration {
    /// The built-in scheme explored, or the one a written scheme starts
    /// from ([`Exploration::key`] says which).
    pub scheme: Scheme,
    /// Which scheme was explored.
    pub key: SchemeKey,
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
struct Path<O> {
    cells: Vec<u32>,
    results: Vec<O>,
    count: u128,
    schedule: Schedule,
}

/// Explores `program` under the built-in `scheme`. `budget` counts down
/// the work the caller still allows (over several schemes), in cells
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
    explore_with(program, cx, bounds, budget, |_| None)
}

/// Explores `program` under the column `key`, built-in or written. A
/// written scheme's fault ends the exploration with
/// [`SearchError::Fault`].
pub fn explore_column(
    program: &Program,
    key: SchemeKey,
    fs: Fs,
    bounds: Bounds,
    budget: &mut usize,
) -> Result<Exploration, SearchError> {
    match Runner::new(program, key) {
        Some(Runner::BuiltIn(s)) => explore_scheme(program, s, fs, bounds, budget),
        Some(Runner::Written(w)) => {
            let cx = Cx { scheme: &w, fs, layout: &program.layout };
            let mut e = explore_with(program, cx, bounds, budget, |w| w.fault()).map_err(|e| match e {
                SearchError::TooManyStates { limit } => {
                    SearchError::WrittenTooBig { name: key.to_string(), limit }
                }
                e => e,
            })?;
            e.key = key;
            Ok(e)
        }
        None => Err(SearchError::NoScheme { name: key.to_string() }),
    }
}

/// The search, for any kind of scheme; `fault` says whether a written
/// scheme has faulted so far.
fn explore_with<S: Algorithm>(
    program: &Program,
    cx: Cx<'_, S>,
    bounds: Bounds,
    budget: &mut usize,
    fault: impl Fn(S) -> Option<SchemeFault>,
) -> Result<Exploration, SearchError> {
    let w = walk(program, |op| OpTask { cx, op }, bounds, budget, || fault(cx.scheme))?;
    let interleavings = w.outcomes.iter().fold(0u128, |n, o| n.saturating_add(o.count));
    let scheme = cx.scheme.base();
    Ok(Exploration {
        scheme,
        key: scheme.into(),
        outcomes: w.outcomes,
        states: w.states,
        interleavings,
        saturated: w.saturated,
    })
}

/// Every joint outcome of a scenario's tasks, and what finding them took.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Walk<O> {
    /// Sorted by results.
    pub outcomes: Vec<JointOutcome<O>>,
    /// Distinct states visited in `par` blocks.
    pub states: usize,
    /// Whether some count exceeded u128 (then counts are lower bounds).
    pub saturated: bool,
}

/// Runs every event of `program` as the task `task(op)` makes of it:
/// events outside `par` blocks to completion, each block's tasks in every
/// interleaving. `fault` says whether a written scheme has faulted so far.
/// The explorer's own search uses [`OpTask`]; a caller that wants more of
/// each call than its result gives a task whose output says more.
pub fn walk<T: Task>(
    program: &Program,
    task: impl Fn(Op) -> T,
    bounds: Bounds,
    budget: &mut usize,
    fault: impl Fn() -> Option<SchemeFault>,
) -> Result<Walk<T::Output>, SearchError> {
    let faulted = |event: Option<usize>| fault().map(|f| SearchError::Fault { fault: f, event });
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
        let ops = &program.ops[event..block.start];
        run_sequential(&mut paths, &task, &program.layout, ops, bounds, budget, event, &faulted)?;
        let tasks: Vec<T> = program.ops[block.clone()].iter().map(|&op| task(op)).collect();
        let mut next = Vec::new();
        for path in paths {
            let r = explore(&tasks, path.cells.clone(), &machine, bounds, budget)?;
            if let Some(e) = faulted(None) {
                return Err(e);
            }
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
    let ops = &program.ops[event..];
    run_sequential(&mut paths, &task, &program.layout, ops, bounds, budget, event, &faulted)?;
    let outcomes = outcomes(paths, &mut saturated);
    Ok(Walk { outcomes, states, saturated })
}

/// Runs `ops` to completion on every path, charging one cell of the
/// budget per event per path.
/// `first` is the event number of `ops[0]`; `faulted` turns a written
/// scheme's fault in an event into the error.
#[allow(clippy::too_many_arguments)]
fn run_sequential<T: Task>(
    paths: &mut [Path<T::Output>],
    task: &impl Fn(Op) -> T,
    layout: &Layout,
    ops: &[Op],
    bounds: Bounds,
    budget: &mut usize,
    first: usize,
    faulted: &impl Fn(Option<usize>) -> Option<SearchError>,
) -> Result<(), SearchError> {
    for path in paths {
        for (i, &op) in ops.iter().enumerate() {
            charge(budget, bounds, 1)?;
            let mut k = Machine { cells: &mut path.cells, layout };
            path.results.push(errseq::complete(task(op).run(&mut k)));
            if let Some(e) = faulted(Some(first + i)) {
                return Err(e);
            }
        }
    }
    Ok(())
}

/// Paths with the same cells and results are one: sum their counts.
fn merge<O: Word>(paths: Vec<Path<O>>, saturated: &mut bool) -> Vec<Path<O>> {
    let mut by_state: BTreeMap<(Vec<u32>, Vec<O>), Path<O>> = BTreeMap::new();
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

fn absorb<O>(old: &mut Path<O>, count: u128, schedule: Schedule, saturated: &mut bool) {
    let (sum, overflow) = old.count.overflowing_add(count);
    *saturated |= overflow;
    old.count = if overflow { u128::MAX } else { sum };
    if schedule < old.schedule {
        old.schedule = schedule;
    }
}

fn outcomes<O: Word>(paths: Vec<Path<O>>, saturated: &mut bool) -> Vec<JointOutcome<O>> {
    let mut by_results: BTreeMap<Vec<O>, Path<O>> = BTreeMap::new();
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
