//! One interleaving, step by step: what each task did, what each step
//! read or wrote, and the whole state after it. Counterexamples, replay
//! strings and the web's step-through view are all traces.

use std::fmt;

use errseq::{Addr, Ret, Scheme, SchemeKey};
use errseq_model::kernel::{run, Cx, Machine as RunMachine};
use errseq_model::{Algorithm, Program, Runner, WrittenRun};
use errseq_scenario::Fs;

use crate::replay::{progress, Progress, Step};
use crate::scenario::{OpTask, Schedule};
use crate::search::{Machine, ModelMachine};

/// One entry of a trace: a sequential event run whole, or one step of a
/// task in a `par` block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceStep {
    pub event: usize,
    /// The block and the task within it; `None` for a sequential event.
    pub task: Option<(usize, usize)>,
    /// The atomic step; `None` for a sequential event.
    pub step: Option<Step>,
    /// What the step yielded (a loaded value, what cmpxchg found, ...).
    pub value: u32,
    /// Where a written scheme's source takes the step (`None` for a
    /// built-in scheme, a sequential event, and the base's glue).
    pub site: Option<errseq_lang::Site>,
    /// Cells the entry changed: address, before, after.
    pub changed: Vec<(Addr, u32, u32)>,
    /// Set when the event returned with this entry.
    pub returned: Option<Option<Ret>>,
    /// Tasks that could have moved instead (block steps; by task number).
    pub enabled: Vec<usize>,
    /// The state after the entry.
    pub cells: Vec<u32>,
}

/// A replayed interleaving.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    /// The built-in scheme, or the one a written scheme starts from.
    pub scheme: Scheme,
    /// Which scheme ran.
    pub key: SchemeKey,
    pub steps: Vec<TraceStep>,
    /// By event number.
    pub results: Vec<Option<Ret>>,
    pub schedule: Schedule,
}

/// Why an interleaving could not be replayed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceError(pub String);

impl fmt::Display for TraceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TraceError {}

/// How much of each step a replay keeps.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Every entry with the cells it changed and the state after it.
    Full,
    /// Only the steps of `par` blocks, with who moved and who could have
    /// (no cells): what replay strings are made of. Linear in the events.
    Choices,
}

/// Cells of state a full trace keeps at most (a copy of the state per
/// step): 2^26, 256 MiB. Past it, the trace is refused with a message.
pub const MAX_TRACE_CELLS: usize = 1 << 26;

/// Replays an interleaving, asking `choose(block, enabled)` which task
/// moves at each step of a block (`enabled` lists the tasks that can).
pub fn replay_with<C>(
    program: &Program,
    scheme: impl Into<SchemeKey>,
    fs: Fs,
    choose: C,
) -> Result<Trace, TraceError>
where
    C: FnMut(usize, &[usize]) -> Result<usize, TraceError>,
{
    replay_detailed(program, scheme, fs, Detail::Full, choose)
}

/// [`replay_with`], keeping `detail` of each step. A written scheme
/// that faults on the way is an error that says where.
pub fn replay_detailed<C>(
    program: &Program,
    scheme: impl Into<SchemeKey>,
    fs: Fs,
    detail: Detail,
    choose: C,
) -> Result<Trace, TraceError>
where
    C: FnMut(usize, &[usize]) -> Result<usize, TraceError>,
{
    let key = scheme.into();
    let runner = Runner::new(program, key)
        .ok_or_else(|| TraceError(format!("the scenario writes no scheme `{key}`")))?;
    let (trace, fault) = match &runner {
        Runner::BuiltIn(s) => {
            (replay_in(program, Cx { scheme: *s, fs, layout: &program.layout }, detail, choose), None)
        }
        Runner::Written(w) => {
            // Watched only for a full trace: a replay string needs no sites.
            let watched = WrittenRun::watching(w.scheme);
            let w = if detail == Detail::Full { &watched } else { w };
            let t = replay_in(program, Cx { scheme: w, fs, layout: &program.layout }, detail, choose);
            (t, w.fault())
        }
    };
    if let Some(f) = fault {
        return Err(TraceError(f.to_string()));
    }
    let (steps, results, schedule) = trace?;
    Ok(Trace { scheme: runner.base(), key, steps, results, schedule })
}

type Replayed = (Vec<TraceStep>, Vec<Option<Ret>>, Schedule);

fn replay_in<S: Algorithm, C>(
    program: &Program,
    cx: Cx<'_, S>,
    detail: Detail,
    mut choose: C,
) -> Result<Replayed, TraceError>
where
    C: FnMut(usize, &[usize]) -> Result<usize, TraceError>,
{
    let mut t = Tracer {
        cx,
        detail,
        kept: 0,
        cells: vec![0; program.layout.len],
        trace: Vec::new(),
        results: vec![None; program.ops.len()],
    };
    // Every event is at least one step: refuse before replaying what
    // cannot fit.
    if detail == Detail::Full {
        t.kept = program.ops.len().saturating_sub(1).saturating_mul(program.layout.len);
        t.keep()?;
        t.kept = 0;
    }
    let mut schedule = Schedule::default();
    let mut event = 0;
    for (b, block) in program.blocks.iter().enumerate() {
        t.sequential(program, event..block.start)?;
        schedule.0.push(t.block(program, b, block.clone(), &mut choose)?);
        event = block.end;
    }
    t.sequential(program, event..program.ops.len())?;
    Ok((t.trace, t.results, schedule))
}

/// Replays a schedule exactly; any mismatch is an error.
pub fn replay(
    program: &Program,
    scheme: impl Into<SchemeKey>,
    fs: Fs,
    schedule: &Schedule,
) -> Result<Trace, TraceError> {
    replay_schedule(program, scheme, fs, schedule, Detail::Full)
}

/// [`replay`], keeping `detail` of each step.
pub fn replay_schedule(
    program: &Program,
    scheme: impl Into<SchemeKey>,
    fs: Fs,
    schedule: &Schedule,
    detail: Detail,
) -> Result<Trace, TraceError> {
    let mut pos = vec![0usize; program.blocks.len()];
    if schedule.0.len() != program.blocks.len() {
        let msg = format!(
            "the schedule has {} blocks; the scenario has {}",
            schedule.0.len(),
            program.blocks.len()
        );
        return Err(TraceError(msg));
    }
    let trace = replay_detailed(program, scheme, fs, detail, |b, enabled| {
        let i = pos[b];
        pos[b] += 1;
        let task = schedule.0[b].get(i).map(|&t| usize::from(t));
        match task {
            Some(t) if enabled.contains(&t) => Ok(t),
            Some(t) => {
                Err(TraceError(format!("block {}, step {}: task {} cannot move then", b + 1, i + 1, t + 1)))
            }
            None => Err(TraceError(format!("block {}: the schedule ends before the tasks do", b + 1))),
        }
    })?;
    for (b, steps) in schedule.0.iter().enumerate() {
        if pos[b] < steps.len() {
            return Err(TraceError(format!(
                "block {}: the schedule goes on after the tasks are done",
                b + 1
            )));
        }
    }
    Ok(trace)
}

struct Tracer<'a, S> {
    cx: Cx<'a, S>,
    detail: Detail,
    /// Cells of state kept so far ([`MAX_TRACE_CELLS`]).
    kept: usize,
    cells: Vec<u32>,
    trace: Vec<TraceStep>,
    results: Vec<Option<Ret>>,
}

/// The kernel cells that differ (not the model's indexes, which follow
/// from them: `Layout::observed`).
fn changes(before: &[u32], after: &[u32], observed: usize) -> Vec<(Addr, u32, u32)> {
    before[..observed]
        .iter()
        .zip(&after[..observed])
        .enumerate()
        .filter(|(_, (b, a))| b != a)
        .map(|(i, (&b, &a))| (Addr(u32::try_from(i).unwrap_or(u32::MAX)), b, a))
        .collect()
}

impl<S: Algorithm> Tracer<'_, S> {
    fn sequential(&mut self, program: &Program, events: std::ops::Range<usize>) -> Result<(), TraceError> {
        for event in events {
            let full = self.detail == Detail::Full;
            if full {
                self.keep()?;
            }
            let before = if full { self.cells.clone() } else { Vec::new() };
            let mut k = RunMachine { cells: &mut self.cells, layout: self.cx.layout };
            let r = errseq::complete(run(&mut k, self.cx, program.ops[event]));
            self.results[event] = r;
            if full {
                self.trace.push(TraceStep {
                    event,
                    task: None,
                    step: None,
                    value: 0,
                    site: None,
                    changed: changes(&before, &self.cells, self.cx.layout.observed),
                    returned: Some(r),
                    enabled: Vec::new(),
                    cells: self.cells.clone(),
                });
            }
        }
        Ok(())
    }

    /// Counts one more copy of the state against [`MAX_TRACE_CELLS`].
    fn keep(&mut self) -> Result<(), TraceError> {
        self.kept = self.kept.saturating_add(self.cells.len());
        if self.kept > MAX_TRACE_CELLS {
            return Err(TraceError(format!(
                "the interleaving is too big to show step by step: a copy of the state ({} cells) \
                 per step, more than {MAX_TRACE_CELLS} cells in all; use fewer calls, files, pages \
                 or descriptions",
                self.cells.len()
            )));
        }
        Ok(())
    }

    fn block<C>(
        &mut self,
        program: &Program,
        b: usize,
        events: std::ops::Range<usize>,
        choose: &mut C,
    ) -> Result<Vec<u8>, TraceError>
    where
        C: FnMut(usize, &[usize]) -> Result<usize, TraceError>,
    {
        let machine = ModelMachine { layout: self.cx.layout };
        let tasks: Vec<OpTask<'_, S>> =
            program.ops[events.clone()].iter().map(|&op| OpTask { cx: self.cx, op }).collect();
        let mut histories: Vec<Vec<u32>> = vec![Vec::new(); tasks.len()];
        let mut next: Vec<Option<Step>> = Vec::with_capacity(tasks.len());
        let mut sites = Vec::with_capacity(tasks.len());
        for (i, t) in tasks.iter().enumerate() {
            next.push(self.settle(t, &histories[i], events.start + i));
            sites.push(self.cx.scheme.stopped_at());
        }
        let mut schedule = Vec::new();
        while next.iter().any(Option::is_some) {
            let movable: Vec<usize> = (0..tasks.len())
                .filter(|&i| next[i].is_some_and(|s| machine.enabled(s, &self.cells)))
                .collect();
            if movable.is_empty() {
                return Err(TraceError(format!("block {}: deadlock, no task can move", b + 1)));
            }
            let i = choose(b, &movable)?;
            let Some(step) = next[i] else { return Err(TraceError(format!("task {} has finished", i + 1))) };
            let full = self.detail == Detail::Full;
            if full {
                self.keep()?;
            }
            let before = if full { self.cells.clone() } else { Vec::new() };
            let value = machine.apply(&mut self.cells, step, i);
            histories[i].push(step.recorded(value));
            let site = sites[i];
            next[i] = self.settle(&tasks[i], &histories[i], events.start + i);
            sites[i] = self.cx.scheme.stopped_at();
            let returned = next[i].is_none().then(|| self.results[events.start + i]);
            self.trace.push(TraceStep {
                event: events.start + i,
                task: Some((b, i)),
                step: Some(step),
                value,
                site,
                changed: if full {
                    changes(&before, &self.cells, self.cx.layout.observed)
                } else {
                    Vec::new()
                },
                returned,
                enabled: movable,
                cells: if full { self.cells.clone() } else { Vec::new() },
            });
            schedule.push(u8::try_from(i).unwrap_or(u8::MAX));
        }
        Ok(schedule)
    }

    /// The task's next step, or `None` once it has returned (recording its
    /// result).
    fn settle(&mut self, task: &OpTask<'_, S>, history: &[u32], event: usize) -> Option<Step> {
        match progress(task, history) {
            Progress::Next(step) => Some(step),
            Progress::Done(r) => {
                self.results[event] = r;
                None
            }
        }
    }
}
