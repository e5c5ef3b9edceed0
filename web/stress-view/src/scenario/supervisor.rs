//! The scenario mode's runs: each `par` block in turn on its own workers
//! (one per task, `errseq-scenario-worker` of `web/worker`) and its own SharedArrayBuffer, and what
//! they came back with. No HTML here.
//!
//! Per block: the page lays the buffer out (`ScenarioMap`), writes the
//! cells before the block into it, starts the workers and, as each says
//! `Ready`, sends it `ToWorker::Scenario` with the buffer alongside. The
//! workers run the block among themselves (`web/worker/src/scenario.rs`:
//! a barrier per run, led by task 0); the page polls the GO cell for
//! progress, and hears `Tally` from the leader at the end. A worker that
//! fails (`Error`, `Panic`, an error event), or a run that makes no
//! progress for [`STUCK_MS`], fails the mode with every worker terminated.

use errseq::Ret;
use errseq_stress::format::grouped;
use errseq_stress_protocol::scenario::{word_result, ScenarioMap, GO};
use errseq_stress_protocol::{FromWorker, ScenarioStart, Tallied, ToWorker};
use gloo::timers::callback::Interval;
use js_sys::{Atomics, Int32Array, SharedArrayBuffer, Uint32Array};
use yew::Callback;

use super::table::{merge, Row, Summary};
use super::{prepare, Prepared};
use crate::form::ScenarioRequest;
use crate::supervisor::POLL_MS;
use crate::workers::{now, Heard, WorkerHandle, SCENARIO_WORKER};

/// A block whose runs do not advance for this long is stuck.
pub const STUCK_MS: f64 = 2_000.0;
/// Every worker must load its wasm and reach the first barrier in this time.
const START_MS: f64 = 15_000.0;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    Idle,
    Running,
    Finished,
    Failed,
}

impl Phase {
    pub fn id(self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Running => "running",
            Phase::Finished => "finished",
            Phase::Failed => "failed",
        }
    }
}

/// What the view forwards to the supervisor.
pub enum Event {
    Heard(Heard),
    Tick,
}

/// A block that has run: its table.
pub struct BlockOutcome {
    pub block: usize,
    pub rows: Vec<Row>,
    pub summary: Summary,
    pub elapsed_ms: f64,
}

/// The block whose workers are running.
struct BlockRun {
    block: usize,
    sab: SharedArrayBuffer,
    control: Int32Array,
    workers: Vec<WorkerHandle>,
    _poll: Interval,
    started_at: f64,
    /// Runs released so far, and when that last changed.
    released: u32,
    moved_at: f64,
}

impl BlockRun {
    fn terminate(&self) {
        for w in &self.workers {
            w.terminate();
        }
    }

    fn released(&self) -> u32 {
        Atomics::load(&self.control, GO).map_or(0, |v| v as u32)
    }
}

pub struct ScenarioSupervisor {
    phase: Phase,
    status: String,
    /// Why the scenario cannot run or what went wrong, for an alert.
    problem: Option<String>,
    request: Option<ScenarioRequest>,
    prepared: Option<Prepared>,
    outcomes: Vec<BlockOutcome>,
    current: Option<BlockRun>,
    notify: Callback<Event>,
}

impl ScenarioSupervisor {
    pub fn new(notify: Callback<Event>, isolated: bool) -> ScenarioSupervisor {
        let status = if isolated {
            "Ready. Choose a scheme and press Run."
        } else {
            "Unavailable: SharedArrayBuffer needs a cross-origin isolated page (see the note above)."
        };
        ScenarioSupervisor {
            phase: Phase::Idle,
            status: status.to_owned(),
            problem: None,
            request: None,
            prepared: None,
            outcomes: Vec::new(),
            current: None,
            notify,
        }
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    pub fn busy(&self) -> bool {
        self.phase == Phase::Running
    }

    pub fn status(&self) -> &str {
        &self.status
    }

    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// The scenario as last run (its blocks' calls and the explorer's outcomes).
    pub fn prepared(&self) -> Option<&Prepared> {
        self.prepared.as_ref()
    }

    pub fn outcomes(&self) -> &[BlockOutcome] {
        &self.outcomes
    }

    pub fn shut_down(&mut self) {
        if let Some(c) = self.current.take() {
            c.terminate();
        }
    }

    /// Runs every block of `text` as `request` asks.
    pub fn start(&mut self, text: &str, request: ScenarioRequest) {
        if self.busy() {
            return;
        }
        self.outcomes.clear();
        self.problem = None;
        self.prepared = None;
        match prepare(text, request.scheme) {
            Ok(p) => {
                self.prepared = Some(p);
                self.request = Some(request);
                self.start_block(0);
            }
            Err(why) => {
                self.phase = Phase::Failed;
                self.status = "Nothing ran.".to_owned();
                self.problem = Some(why);
            }
        }
    }

    pub fn stop(&mut self) {
        if let Some(c) = self.current.take() {
            c.terminate();
            self.phase = Phase::Idle;
            self.status = format!(
                "Stopped during the par block of line {}; its workers were terminated. Blocks that finished are shown.",
                self.line_of(c.block)
            );
        }
    }

    pub fn handle(&mut self, event: Event) {
        match event {
            Event::Heard(Heard::Said(i, msg)) => self.on_message(i, msg),
            Event::Heard(Heard::Failed(i, why)) => self.fail(format!("Task {i}'s worker crashed: {why}.")),
            Event::Tick => self.tick(),
        }
    }

    fn line_of(&self, block: usize) -> u32 {
        self.prepared.as_ref().and_then(|p| p.blocks.get(block)).map_or(0, |b| b.line)
    }

    fn start_block(&mut self, block: usize) {
        let (Some(p), Some(request)) = (&self.prepared, self.request) else { return };
        let Some(plan) = p.blocks.get(block) else { return };
        let tasks = plan.calls.len() as u32;
        let map = match ScenarioMap::new(tasks, p.cells_len) {
            Ok(m) => m,
            Err(why) => return self.fail(format!("The par block of line {} cannot run: {why}.", plan.line)),
        };
        // Zeroed: GO, ARRIVED and the page lock start at 0.
        let sab = SharedArrayBuffer::new(map.bytes());
        Uint32Array::new_with_byte_offset_and_length(&sab, map.initial_at(), map.cells_len())
            .copy_from(&plan.initial);
        let control = Int32Array::new_with_byte_offset_and_length(&sab, 0, map.control_len());
        let heard = self.notify.reform(Event::Heard);
        let mut workers = Vec::new();
        for i in 0..tasks {
            match WorkerHandle::spawn(SCENARIO_WORKER, i, &heard) {
                Ok(w) => workers.push(w),
                Err(why) => {
                    for w in &workers {
                        w.terminate();
                    }
                    return self.fail(format!("Could not start the worker of task {i}: {why}."));
                }
            }
        }
        let poll = {
            let notify = self.notify.clone();
            Interval::new(POLL_MS, move || notify.emit(Event::Tick))
        };
        self.phase = Phase::Running;
        self.status = format!(
            "Par block of line {} ({} of {}): starting {tasks} workers for {} runs under {}…",
            plan.line,
            block + 1,
            p.blocks.len(),
            grouped(request.runs.into()),
            request.scheme
        );
        let t = now();
        self.current = Some(BlockRun {
            block,
            sab,
            control,
            workers,
            _poll: poll,
            started_at: t,
            released: 0,
            moved_at: t,
        });
    }

    fn on_message(&mut self, i: u32, msg: FromWorker) {
        let (Some(c), Some(p), Some(request)) = (&self.current, &self.prepared, self.request) else { return };
        match msg {
            FromWorker::Ready => {
                let Some(plan) = p.blocks.get(c.block) else { return };
                let start = ToWorker::Scenario(ScenarioStart {
                    index: i,
                    tasks: plan.calls.len() as u32,
                    text: p.text.clone(),
                    scheme: p.scheme.to_string(),
                    block: c.block as u32,
                    runs: request.runs,
                    seed: (js_sys::Math::random() * f64::from(u32::MAX)) as u32,
                    cells_len: p.cells_len,
                });
                let sent = c.workers.get(i as usize).map(|w| w.send(&start, c.sab.as_ref()));
                if let Some(Err(why)) = sent {
                    self.fail(format!("Could not send task {i} its job: {why}."));
                }
            }
            FromWorker::Tally { index: 0, runs, outcomes } if i == 0 => self.block_done(runs, &outcomes),
            FromWorker::Panic { message, .. } => self.fail(format!("Task {i}'s worker crashed: {message}.")),
            FromWorker::Error { message, .. } => {
                self.fail(format!("Task {i}'s worker refused the job: {message}."))
            }
            other => self.fail(format!(
                "Task {i}'s worker sent a message the scenario mode has no use for: {other:?}."
            )),
        }
    }

    fn block_done(&mut self, runs: u32, tallied: &[Tallied]) {
        let Some(c) = self.current.take() else { return };
        c.terminate();
        let Some(p) = &self.prepared else { return };
        let Some(plan) = p.blocks.get(c.block) else { return };
        let observed: Vec<(Vec<Option<Ret>>, u64)> = tallied
            .iter()
            .map(|t| (t.results.iter().map(|&w| word_result(w)).collect(), u64::from(t.count)))
            .collect();
        if let Some((bad, _)) = observed.iter().find(|(r, _)| r.len() != plan.calls.len()) {
            return self.fail(format!(
                "The leader tallied an outcome of {} results for a block of {} tasks.",
                bad.len(),
                plan.calls.len()
            ));
        }
        let rows = merge(&observed, &plan.expected);
        let summary = Summary::of(&rows);
        if summary.runs != u64::from(runs) {
            return self.fail(format!("The leader tallied {} outcomes for {runs} runs.", summary.runs));
        }
        self.outcomes.push(BlockOutcome { block: c.block, rows, summary, elapsed_ms: now() - c.started_at });
        if c.block + 1 < p.blocks.len() {
            self.start_block(c.block + 1);
            return;
        }
        self.phase = Phase::Finished;
        let impossible: usize = self.outcomes.iter().map(|o| o.summary.impossible).sum();
        self.status = format!(
            "Finished: {} runs of {} under {}. {}",
            grouped(runs.into()),
            if p.blocks.len() == 1 {
                "the par block".to_owned()
            } else {
                format!("each of {} par blocks", p.blocks.len())
            },
            p.scheme,
            if impossible == 0 {
                "Every observed outcome is one the explorer allows.".to_owned()
            } else {
                format!("{impossible} observed outcome(s) the explorer calls impossible: a bug in the model, the explorer or the workers.")
            }
        );
    }

    fn tick(&mut self) {
        let (Some(c), Some(p), Some(request)) = (&mut self.current, &self.prepared, self.request) else {
            return;
        };
        let t = now();
        let released = c.released();
        if released != c.released {
            c.released = released;
            c.moved_at = t;
        }
        let line = p.blocks.get(c.block).map_or(0, |b| b.line);
        if released == 0 {
            if t - c.started_at > START_MS {
                let why = format!(
                    "The workers of the par block of line {line} did not reach their first barrier within {} s.",
                    START_MS / 1000.0
                );
                self.fail(why);
            }
            return;
        }
        if t - c.moved_at > STUCK_MS {
            let why = format!(
                "Run {released} of the par block of line {line} did not finish within {} s: a task is stuck \
                 (spinning on a lock, or waiting for pages under writeback that no task will complete).",
                STUCK_MS / 1000.0
            );
            return self.fail(why);
        }
        self.status = format!(
            "Par block of line {line} ({} of {}): run {} of {} under {}…",
            c.block + 1,
            p.blocks.len(),
            grouped(released.into()),
            grouped(request.runs.into()),
            request.scheme
        );
    }

    /// Ends the mode's run with `why`, every worker terminated.
    fn fail(&mut self, why: String) {
        if let Some(c) = self.current.take() {
            c.terminate();
        }
        self.phase = Phase::Failed;
        self.status = "Stopped: every worker was terminated.".to_owned();
        self.problem = Some(why);
    }
}
