//! Exhaustive search over the interleavings of one block of tasks.
//!
//! A state is the shared cells plus each task's progress (the results of
//! its steps so far, or its output once done), packed into one vector of
//! words. Every transition is one step of one enabled task, so it adds one
//! to the total number of steps taken: the state graph is layered, and a
//! breadth-first walk layer by layer visits each state once, after all its
//! predecessors. That gives memoization (interleavings that reach the same
//! state are merged), exact path counts (a state's count is the sum of its
//! predecessors'), and a canonical representative path per state: each
//! layer keeps its states in the order they were first reached, and is
//! expanded in that order, trying tasks in ascending order, so the first
//! path to reach a state is its lexicographically smallest schedule. Only
//! a parent pointer per state is kept to rebuild it.
//!
//! A task blocks while its next step is a `Lock` of a held lock, or a wait
//! for pages still under writeback (`errseq_model::kernel`). A state
//! where no task can move but some are unfinished is a deadlock, reported
//! with the schedule that leads there.
//!
//! The budget ([`Bounds::max_states`]) counts work, not only states: each
//! state is copied, hashed and kept, so a state of many cells (thousands
//! of files, pages or descriptions) costs one state per [`STATE_CELLS`]
//! cells of it; and every step's work is bounded by the cells of the
//! state it makes (the model's page steps visit only the pages and
//! inodes they act on, `errseq_model::index`), so that charge covers
//! long steps too. Events outside `par` blocks cost 1/[`STATE_CELLS`]
//! of a state each (`crate::scenario`): they run in place, on one state.

use std::fmt;
use std::hash::BuildHasherDefault;

use errseq_model::kernel::{apply_page_step, page_step_enabled};
use errseq_model::Layout;
use indexmap::IndexMap;

use crate::fx::FxHasher;
use crate::replay::{progress, Progress, Step, Task, Word};

type Map<V> = IndexMap<Vec<u32>, V, BuildHasherDefault<FxHasher>>;

/// How steps change the cells.
pub trait Machine {
    /// Performs `step` for `task`, returning the value the step yields.
    fn apply(&self, cells: &mut [u32], step: Step, task: usize) -> u32;

    /// Whether `step` can be taken now: a lock must be free.
    fn enabled(&self, step: Step, cells: &[u32]) -> bool {
        step.action().is_none_or(|a| !a.is_blocked(cells))
    }
}

/// The model's cells: core actions and page steps.
#[derive(Copy, Clone, Debug)]
pub struct ModelMachine<'a> {
    pub layout: &'a Layout,
}

impl Machine for ModelMachine<'_> {
    fn apply(&self, cells: &mut [u32], step: Step, task: usize) -> u32 {
        match step {
            Step::Core(a) | Step::Ignored(a) => a.apply(cells, holder(task)),
            Step::Page(p) => apply_page_step(cells, self.layout, p, holder(task)),
        }
    }

    /// Locks must be free, and waits find no page under writeback.
    fn enabled(&self, step: Step, cells: &[u32]) -> bool {
        match step {
            Step::Core(a) | Step::Ignored(a) => !a.is_blocked(cells),
            Step::Page(p) => page_step_enabled(cells, self.layout, p),
        }
    }
}

/// What a held lock cell stores: the holder's task number, from 1.
pub fn holder(task: usize) -> u32 {
    u32::try_from(task + 1).unwrap_or(u32::MAX)
}

/// Cells of state that count as one state of the budget: a state of up
/// to this many cells counts as one, a bigger one as one per this many.
pub const STATE_CELLS: usize = 64;

/// Limits that keep a search from running away.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// Distinct states visited, over the whole scenario, weighed by their
    /// size (see the module's header and [`STATE_CELLS`]).
    pub max_states: usize,
    /// Tasks in one block (a schedule stores task numbers in a byte).
    pub max_tasks: usize,
}

impl Bounds {
    /// The budget, in cells, that [`explore`] counts down.
    pub fn budget(&self) -> usize {
        self.max_states.saturating_mul(STATE_CELLS)
    }
}

impl Default for Bounds {
    fn default() -> Bounds {
        Bounds { max_states: 2_000_000, max_tasks: 16 }
    }
}

/// Why a search stopped without an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchError {
    TooManyStates {
        limit: usize,
    },
    TooManyTasks {
        tasks: usize,
        limit: usize,
    },
    /// Unfinished tasks, none able to move; the schedule that gets there.
    Deadlock {
        schedule: Vec<u8>,
    },
    /// A written scheme's call faulted; in event `event` when it ran
    /// outside `par` blocks.
    Fault {
        fault: errseq_model::SchemeFault,
        event: Option<usize>,
    },
    /// The budget ran out under a written scheme, whose calls may loop.
    WrittenTooBig {
        name: String,
        limit: usize,
    },
    /// A column names a written scheme the program does not hold.
    NoScheme {
        name: String,
    },
}

impl fmt::Display for SearchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SearchError::TooManyStates { limit } => write!(
                f,
                "more than {limit} distinct states (a state of more than {STATE_CELLS} cells counting \
                 once per {STATE_CELLS}, and each call outside par blocks as 1/{STATE_CELLS}): the \
                 scenario is too big to explore exhaustively; use fewer tasks per par block, fewer \
                 blocks, fewer files, pages and descriptions, fewer calls, or fewer schemes"
            ),
            SearchError::TooManyTasks { tasks, limit } => {
                write!(f, "a par block has {tasks} tasks; at most {limit} can be explored")
            }
            SearchError::Deadlock { schedule } => {
                write!(f, "deadlock: no task can move after the schedule {schedule:?}")
            }
            SearchError::Fault { fault, .. } => fault.fmt(f),
            SearchError::WrittenTooBig { name, limit } => {
                SearchError::TooManyStates { limit: *limit }.fmt(f)?;
                write!(
                    f,
                    "; or, under the written scheme `{name}`, a call loops with a memory step (READ_ONCE, \
                     cmpxchg, a store) in each round: the search runs out before its loop budget \
                     ({} rounds) does; look for an endless loop",
                    errseq_lang::LOOP_BUDGET
                )
            }
            SearchError::NoScheme { name } => write!(f, "the scenario writes no scheme `{name}`"),
        }
    }
}

impl std::error::Error for SearchError {}

/// A way the block can end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Terminal<O> {
    pub cells: Vec<u32>,
    /// Each task's output, in task order.
    pub outputs: Vec<O>,
    /// Interleavings that end here.
    pub count: u128,
    /// The smallest of their schedules: task numbers, one per step.
    pub schedule: Vec<u8>,
}

/// Everything a block can do from one starting state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockResult<O> {
    /// Sorted by outputs, then cells.
    pub terminals: Vec<Terminal<O>>,
    /// Distinct states visited.
    pub states: usize,
    /// Whether some count exceeded u128 (then counts are lower bounds).
    pub saturated: bool,
}

/// A state where every task is done, and where it was found.
struct Found<O> {
    cells: Vec<u32>,
    outputs: Vec<O>,
    count: u128,
    depth: usize,
    index: usize,
}

/// What is known of a state besides its key.
struct Entry {
    /// Interleavings that reach it (saturating).
    count: u128,
    /// The next step of each running task (derived from the key).
    next: Box<[Option<Step>]>,
}

/// A packed state: the cells, then per task either `1 + len` and its
/// history, or `0` and its output.
struct Packed<'k> {
    key: &'k [u32],
    cells: usize,
}

impl<'k> Packed<'k> {
    fn cells(&self) -> &'k [u32] {
        &self.key[..self.cells]
    }

    /// Each task's history (running) or output word (done).
    fn tasks(&self) -> Vec<Result<&'k [u32], u32>> {
        let mut out = Vec::new();
        let mut i = self.cells;
        while i < self.key.len() {
            let tag = self.key[i] as usize;
            if tag == 0 {
                out.push(Err(self.key[i + 1]));
                i += 2;
            } else {
                out.push(Ok(&self.key[i + 1..i + tag]));
                i += tag;
            }
        }
        out
    }
}

/// Writes a packed state into `key` (cleared first). If `stepped` is
/// `Some((i, value, done))`, task `i` has just taken a step that yielded
/// `value`, and is now done with output `done` if that is `Some`.
fn pack_into(
    key: &mut Vec<u32>,
    cells: &[u32],
    tasks: &[Result<&[u32], u32>],
    stepped: Option<(usize, u32, Option<u32>)>,
) {
    key.clear();
    key.extend_from_slice(cells);
    for (i, t) in tasks.iter().enumerate() {
        match (t, stepped) {
            (Ok(_), Some((j, _, Some(out)))) if i == j => key.extend([0, out]),
            (Ok(h), Some((j, value, None))) if i == j => {
                key.push(u32::try_from(h.len() + 2).unwrap_or(u32::MAX));
                key.extend_from_slice(h);
                key.push(value);
            }
            (Ok(h), _) => {
                key.push(u32::try_from(h.len() + 1).unwrap_or(u32::MAX));
                key.extend_from_slice(h);
            }
            (Err(out), _) => key.extend([0, *out]),
        }
    }
}

/// Buffers reused across transitions, so that reaching a state already
/// known allocates nothing.
#[derive(Default)]
struct Scratch {
    cells: Vec<u32>,
    history: Vec<u32>,
    key: Vec<u32>,
}

/// Explores every interleaving of `tasks` from `cells`. `budget` is how
/// much more work may be done, in cells ([`Bounds::budget`]); it is
/// decreased by the states visited, each by its size in cells (at least
/// [`STATE_CELLS`]).
pub fn explore<T: Task, M: Machine>(
    tasks: &[T],
    cells: Vec<u32>,
    machine: &M,
    bounds: Bounds,
    budget: &mut usize,
) -> Result<BlockResult<T::Output>, SearchError> {
    if tasks.len() > bounds.max_tasks {
        return Err(SearchError::TooManyTasks { tasks: tasks.len(), limit: bounds.max_tasks });
    }
    let n = cells.len();
    let mut layer: Map<Entry> = Map::default();
    let (key, entry) = initial(tasks, &cells);
    take(budget, bounds, key.len())?;
    layer.insert(key, entry);
    // parents[l][i]: the index in layer l-1 and the task that lead to state i of layer l.
    let mut parents: Vec<Vec<(u32, u8)>> = vec![Vec::new()];
    let mut found: Vec<Found<T::Output>> = Vec::new();
    let (mut states, mut saturated) = (1usize, false);
    let mut scratch = Scratch::default();
    for depth in 0.. {
        if layer.is_empty() {
            break;
        }
        let mut next: Map<Entry> = Map::default();
        let mut next_parents: Vec<(u32, u8)> = Vec::new();
        for (index, (key, entry)) in layer.iter().enumerate() {
            let state = Packed { key, cells: n };
            let progress_of = state.tasks();
            if progress_of.iter().all(Result::is_err) {
                let outputs =
                    progress_of.iter().map(|t| T::Output::from_word(t.err().unwrap_or(0))).collect();
                found.push(Found {
                    cells: state.cells().to_vec(),
                    outputs,
                    count: entry.count,
                    depth,
                    index,
                });
                continue;
            }
            let movable: Vec<usize> = (0..tasks.len())
                .filter(|&i| entry.next[i].is_some_and(|s| machine.enabled(s, state.cells())))
                .collect();
            if movable.is_empty() {
                return Err(SearchError::Deadlock { schedule: schedule(&parents, depth, index) });
            }
            for i in movable {
                let step_next = advance(tasks, machine, &state, &progress_of, entry, i, &mut scratch);
                match next.get_mut(&scratch.key[..]) {
                    Some(e) => {
                        let (sum, overflow) = e.count.overflowing_add(entry.count);
                        saturated |= overflow;
                        e.count = if overflow { u128::MAX } else { sum };
                    }
                    None => {
                        states += 1;
                        take(budget, bounds, scratch.key.len())?;
                        let mut steps = entry.next.clone();
                        steps[i] = step_next;
                        next.insert(scratch.key.clone(), Entry { count: entry.count, next: steps });
                        next_parents.push((u32::try_from(index).unwrap_or(u32::MAX), task_byte(i)));
                    }
                }
            }
        }
        parents.push(next_parents);
        layer = next;
    }
    let terminals = terminals(found, &parents, &mut saturated);
    Ok(BlockResult { terminals, states, saturated })
}

fn task_byte(i: usize) -> u8 {
    u8::try_from(i).unwrap_or(u8::MAX)
}

/// Charges a state of `cells` cells to the budget.
fn take(budget: &mut usize, bounds: Bounds, cells: usize) -> Result<(), SearchError> {
    charge(budget, bounds, cells.max(STATE_CELLS))
}

/// Takes `cells` from the budget, or says it is spent.
pub(crate) fn charge(budget: &mut usize, bounds: Bounds, cells: usize) -> Result<(), SearchError> {
    *budget = budget.checked_sub(cells).ok_or(SearchError::TooManyStates { limit: bounds.max_states })?;
    Ok(())
}

fn initial<T: Task>(tasks: &[T], cells: &[u32]) -> (Vec<u32>, Entry) {
    let mut progress_of = Vec::with_capacity(tasks.len());
    let mut next = Vec::with_capacity(tasks.len());
    for t in tasks {
        match progress(t, &[]) {
            Progress::Next(step) => {
                progress_of.push(Ok(&[][..]));
                next.push(Some(step));
            }
            Progress::Done(out) => {
                progress_of.push(Err(out.to_word()));
                next.push(None);
            }
        }
    }
    let mut key = Vec::new();
    pack_into(&mut key, cells, &progress_of, None);
    (key, Entry { count: 1, next: next.into_boxed_slice() })
}

/// Task `i` takes its next step: writes the successor's key into
/// `scratch.key` and returns task `i`'s next step there.
fn advance<T: Task, M: Machine>(
    tasks: &[T],
    machine: &M,
    state: &Packed<'_>,
    progress_of: &[Result<&[u32], u32>],
    entry: &Entry,
    i: usize,
    scratch: &mut Scratch,
) -> Option<Step> {
    let (Some(step), Ok(history)) = (entry.next[i], progress_of[i]) else {
        scratch.key.clear();
        scratch.key.extend_from_slice(state.key);
        return entry.next[i];
    };
    scratch.cells.clear();
    scratch.cells.extend_from_slice(state.cells());
    let value = step.recorded(machine.apply(&mut scratch.cells, step, i));
    scratch.history.clear();
    scratch.history.extend_from_slice(history);
    scratch.history.push(value);
    let (next, done) = match progress(&tasks[i], &scratch.history) {
        Progress::Next(s) => (Some(s), None),
        Progress::Done(out) => (None, Some(out.to_word())),
    };
    pack_into(&mut scratch.key, &scratch.cells, progress_of, Some((i, value, done)));
    next
}

/// The smallest schedule that reaches state `index` of layer `depth`.
fn schedule(parents: &[Vec<(u32, u8)>], depth: usize, index: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(depth);
    let mut i = index;
    for l in (1..=depth).rev() {
        let (parent, task) = parents[l][i];
        out.push(task);
        i = parent as usize;
    }
    out.reverse();
    out
}

/// Merges block ends with the same cells and outputs (they may be reached
/// at different depths), keeping the smallest schedule of each.
fn terminals<O: Word>(
    found: Vec<Found<O>>,
    parents: &[Vec<(u32, u8)>],
    saturated: &mut bool,
) -> Vec<Terminal<O>> {
    let mut out: Vec<Terminal<O>> = Vec::new();
    for Found { cells, outputs, count, depth, index } in found {
        let sched = schedule(parents, depth, index);
        match out.iter_mut().find(|t| t.cells == cells && t.outputs == outputs) {
            Some(t) => {
                let (sum, overflow) = t.count.overflowing_add(count);
                *saturated |= overflow;
                t.count = if overflow { u128::MAX } else { sum };
                if sched < t.schedule {
                    t.schedule = sched;
                }
            }
            None => out.push(Terminal { cells, outputs, count, schedule: sched }),
        }
    }
    *saturated |= out.iter().any(|t| t.count == u128::MAX);
    out.sort_by(|a, b| (&a.outputs, &a.cells).cmp(&(&b.outputs, &b.cells)));
    out
}
