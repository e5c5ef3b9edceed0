//! The throughput run's supervisor: the workers, the shared memory, the
//! protocol with them, and the run's state machine. No HTML here: the
//! view reads [`Supervisor`] and forwards it what happens
//! ([`Event`]).
//!
//! Both engines ([`Engine`]) run the same loop on the same memory layout
//! (`errseq_stress::memory_map`) and speak one protocol
//! (`errseq_stress_protocol`): a worker says `Ready`; the page sends it
//! `ToWorker::Stress` with the run's shared `WebAssembly.Memory`
//! alongside; workers add themselves to ARRIVED and wait on the GO cell,
//! which the page raises once all have arrived; each says `Done` with its
//! counts (which must match the buffer's). A poll every [`POLL_MS`] reads
//! the live counts and heartbeats from the buffer. A worker that errors
//! (an `error` or `messageerror` event, `Panic`, a message outside the
//! protocol) is reported at once, one whose heartbeat stops for
//! [`HANG_MS`] within [`HANG_MS`] + [`POLL_MS`]; either way every worker
//! is terminated. The page itself never blocks (the main thread may not
//! `Atomics.wait`). A run of a written scheme sends each worker the
//! scheme's text with its start message; a worker whose scheme faults says
//! `Fault` (the scheme, line:col and what happened), and the run fails
//! with that message, every worker terminated.
//!
//! This file is the state machine; `run.rs` holds a run's resources (the
//! memory, the workers, what the page last read of each) and starts them.

use errseq_stress::format::grouped;
use errseq_stress::layout::{ARRIVED, CRASHED, DONE, FAULTED, GO, IDLE};
use errseq_stress::{check, throughput, Budget, Plan, Verdict, WorkerCounts};
use errseq_stress_protocol::{Counts, FromWorker};
use gloo::timers::callback::Timeout;
use js_sys::Atomics;
use yew::Callback;

mod run;

use run::{state_name, Run};

use crate::form::{Engine, Form};
use crate::workers::{now, Heard, JS_ATOMICS_WORKER, WASM_ATOMICS_WORKER};
use crate::written::Offer;

/// How often the page reads the buffer.
pub const POLL_MS: u32 = 100;
/// A running worker whose heartbeat has not moved for this long is hung.
/// Workers beat every 256 ops, thousands of times a second.
pub const HANG_MS: f64 = 1_000.0;
/// Every worker must load its wasm and reach the start barrier in this time.
const START_MS: f64 = 15_000.0;

impl Engine {
    /// The worker's script (for a built-in scheme).
    fn url(self) -> &'static str {
        match self {
            Engine::WasmAtomics => WASM_ATOMICS_WORKER,
            Engine::JsAtomics => JS_ATOMICS_WORKER,
        }
    }
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Phase {
    Idle,
    Starting,
    Running,
    Stopping,
    Finished,
    Failed,
}

impl Phase {
    pub fn id(self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Starting => "starting",
            Phase::Running => "running",
            Phase::Stopping => "stopping",
            Phase::Finished => "finished",
            Phase::Failed => "failed",
        }
    }

    pub fn busy(self) -> bool {
        matches!(self, Phase::Starting | Phase::Running | Phase::Stopping)
    }
}

/// What the view forwards to the supervisor.
pub enum Event {
    Heard(Heard),
    Tick,
    TimeUp,
}

/// What the view shows after a run.
pub struct Outcome {
    pub plan: Plan,
    pub engine: Engine,
    pub verdict: Option<Verdict>,
    pub counts: Vec<WorkerCounts>,
    /// Each worker's state at the end, in words.
    pub states: Vec<&'static str>,
    pub ops_per_sec: f64,
    pub slowest_us: u32,
    pub failure: Option<Failure>,
}

/// A run that did not finish.
pub struct Failure {
    /// The worker at fault, if one.
    pub worker: Option<u32>,
    pub why: String,
    /// When the page noticed, in ms after it raised GO (if it had).
    pub after_go_ms: Option<f64>,
}

/// The per-worker table's content.
pub struct Rows<'a> {
    pub plan: &'a Plan,
    /// Each worker's counts and its state in words.
    pub workers: Vec<(WorkerCounts, &'static str)>,
    /// Whether a run is in progress (the counts are then live).
    pub live: bool,
}

/// The throughput run: idle, or one run in progress, or the last one's outcome.
pub struct Supervisor {
    phase: Phase,
    run: Option<Run>,
    outcome: Option<Outcome>,
    status: String,
    notify: Callback<Event>,
}

impl Supervisor {
    /// `notify` takes what the workers, the poll and the timer report.
    pub fn new(notify: Callback<Event>, isolated: bool) -> Supervisor {
        let status = if isolated {
            "Ready. Pick a plan and press Start.".to_owned()
        } else {
            "Unavailable: SharedArrayBuffer needs a cross-origin isolated page (see the note above)."
                .to_owned()
        };
        Supervisor { phase: Phase::Idle, run: None, outcome: None, status, notify }
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    pub fn status(&self) -> &str {
        &self.status
    }

    pub fn outcome(&self) -> Option<&Outcome> {
        self.outcome.as_ref()
    }

    /// Each worker's counts and state: live while a run is in progress,
    /// final after.
    pub fn rows(&self) -> Option<Rows<'_>> {
        match (&self.run, &self.outcome) {
            (Some(run), _) => Some(Rows {
                plan: &run.plan,
                workers: run.slots.iter().map(|s| (s.live, state_name(s.state))).collect(),
                live: true,
            }),
            (None, Some(o)) => Some(Rows {
                plan: &o.plan,
                workers: o.counts.iter().copied().zip(o.states.iter().copied()).collect(),
                live: false,
            }),
            (None, None) => None,
        }
    }

    pub fn handle(&mut self, event: Event) {
        match event {
            Event::Heard(Heard::Said(i, msg)) => self.on_message(i, msg),
            Event::Heard(Heard::Failed(i, why)) => {
                if self.phase.busy() {
                    self.fail_as(Some(i), "crashed", format!("Worker {i} crashed: {why}."));
                }
            }
            Event::Tick => self.tick(),
            Event::TimeUp => {
                if let Some(run) = &mut self.run {
                    run.request_stop();
                }
            }
        }
    }

    /// Terminates the workers of a run in progress (the view is going away).
    pub fn shut_down(&mut self) {
        if let Some(run) = self.run.take() {
            run.terminate();
        }
    }

    /// Starts a run of `form`'s plan; `offers` are the written schemes
    /// the page's scenario offers now.
    pub fn start(&mut self, form: &Form, offers: &[Offer]) {
        if self.phase.busy() {
            return;
        }
        let (plan, written) = match form.plan(offers).and_then(|p| Ok((p, form.written(offers)?))) {
            Ok((p, written)) => (Plan { seed: js_sys::Date::now() as u64, ..p }, written),
            Err(why) => {
                self.status = why;
                return;
            }
        };
        let source = written.map(|o| o.source.clone());
        match Run::launch(plan, form.run_engine(), source, &self.notify) {
            Ok(run) => {
                self.status = format!(
                    "Starting {} worker{} ({}, {}, {})…",
                    run.plan.workers,
                    if run.plan.workers == 1 { "" } else { "s" },
                    run.plan.scheme_label(),
                    run.plan.sharing.describe(),
                    run.engine.describe()
                );
                self.phase = Phase::Starting;
                self.outcome = None;
                self.run = Some(run);
            }
            Err(why) => {
                self.phase = Phase::Failed;
                self.status = why;
            }
        }
    }

    pub fn stop(&mut self) {
        let Some(run) = &mut self.run else { return };
        if run.go_at.is_none() {
            run.terminate();
            self.run = None;
            self.phase = Phase::Idle;
            self.status = "Stopped before the workers started; they were terminated.".to_owned();
            return;
        }
        run.request_stop();
        self.phase = Phase::Stopping;
        self.status = "Stopping: each worker ends its loop at its next flush…".to_owned();
    }

    fn on_message(&mut self, i: u32, msg: FromWorker) {
        if !self.phase.busy() {
            return;
        }
        let Some(run) = &mut self.run else { return };
        match msg {
            FromWorker::Ready => {
                let start = run.start_message(i);
                let Some(slot) = run.slots.get_mut(i as usize) else { return };
                slot.ready = true;
                if let Err(e) = slot.handle.send(&start, run.memory.as_ref()) {
                    self.fail(Some(i), format!("Could not send worker {i} its plan: {e}."));
                }
            }
            FromWorker::Done { index, counts } if index == i => {
                if let Some(slot) = run.slots.get_mut(i as usize) {
                    slot.done = true;
                    slot.told = Some(counts);
                }
                if run.slots.iter().all(|s| s.done) {
                    self.finish();
                }
            }
            FromWorker::Fault { message, .. } => self.fail_as(
                Some(i),
                "faulted",
                format!("Worker {i} stopped on a fault of the written scheme ({message})."),
            ),
            FromWorker::Panic { message, .. } => {
                self.fail_as(Some(i), "crashed", format!("Worker {i} crashed: {message}."))
            }
            FromWorker::Error { message, .. } => {
                self.fail(Some(i), format!("Worker {i} refused the run: {message}."))
            }
            other => self.fail(
                Some(i),
                format!("Worker {i} sent a message a throughput run has no use for: {other:?}."),
            ),
        }
    }

    fn tick(&mut self) {
        let Some(run) = &mut self.run else { return };
        let t = now();
        run.refresh();
        let Some(go_at) = run.go_at else {
            let arrived = run.load(ARRIVED.0);
            if arrived == run.plan.workers {
                let _ = Atomics::store(&run.cells, GO.0, 1);
                let _ = Atomics::notify(&run.cells, GO.0);
                run.go_at = Some(t);
                if let Budget::Millis(ms) = run.plan.budget {
                    let notify = self.notify.clone();
                    run.time_up = Some(Timeout::new(ms, move || notify.emit(Event::TimeUp)));
                }
                for s in &mut run.slots {
                    s.beat_at = t;
                }
                self.phase = Phase::Running;
                self.status = format!("Running {} workers…", run.plan.workers);
            } else if t - run.created_at > START_MS {
                let late: Vec<String> = run
                    .slots
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| !s.ready || s.state == IDLE)
                    .map(|(i, _)| i.to_string())
                    .collect();
                let why = format!(
                    "Only {arrived} of {} workers reached the start barrier within {} s (not started: {}).",
                    run.plan.workers,
                    START_MS / 1000.0,
                    late.join(", ")
                );
                self.fail(None, why);
            }
            return;
        };
        if let Some(i) = run.slots.iter().position(|s| s.state == CRASHED) {
            self.fail_as(
                Some(i as u32),
                "crashed",
                format!("Worker {i} crashed (its state in the buffer says so)."),
            );
            return;
        }
        let hung = run
            .slots
            .iter()
            .enumerate()
            // A faulted worker's own message says why it stopped.
            .find(|(_, s)| !s.done && s.state != DONE && s.state != FAULTED && t - s.beat_at > HANG_MS)
            .map(|(i, s)| (i, t - s.beat_at));
        if let Some((i, silent)) = hung {
            self.fail_as(
                Some(i as u32),
                "hung",
                format!(
                    "Worker {i} hung: no heartbeat for {:.1} s (it beats every 256 ops).",
                    silent / 1000.0
                ),
            );
            return;
        }
        // The timeout is precise; this is the backstop should it be late.
        if let Budget::Millis(ms) = run.plan.budget {
            if t - go_at >= f64::from(ms) {
                run.request_stop();
            }
        }
        if self.phase == Phase::Running {
            let ops: u64 = run.slots.iter().map(|s| u64::from(s.live.ops)).sum();
            self.status = format!(
                "Running {} workers: {} ops so far, {:.1} s.",
                run.plan.workers,
                grouped(ops.into()),
                (t - go_at) / 1000.0
            );
        }
    }

    fn finish(&mut self) {
        let Some(mut run) = self.run.take() else { return };
        let cells = run.snapshot();
        run.terminate();
        let verdict = check(&run.plan, &run.layout, &cells);
        let counts: Vec<WorkerCounts> =
            (0..run.plan.workers).map(|w| WorkerCounts::read(&run.layout, &cells, w)).collect();
        let (ops_per_sec, slowest_us) = throughput(&counts);
        // The messages and the buffer must tell the same story.
        for (w, (slot, c)) in run.slots.iter().zip(&counts).enumerate() {
            let buffer = Counts {
                ops: c.ops,
                sets: c.sets,
                reports: c.reports,
                errors: c.errors,
                double: c.double,
                elapsed_us: c.elapsed_us,
            };
            if slot.told != Some(buffer) {
                let why = format!("Worker {w}'s done message says {:?}, the buffer {buffer:?}.", slot.told);
                self.run = Some(run);
                self.fail(Some(w as u32), why);
                return;
            }
        }
        self.status = format!(
            "Finished: {} — {} ops in {:.0} ms, {}.{}",
            if verdict.passed() { "every invariant holds" } else { "an invariant is violated" },
            grouped(verdict.totals.ops.into()),
            f64::from(slowest_us) / 1000.0,
            errseq_stress::format::rate(ops_per_sec),
            if verdict.totals.stopped_by_counter_budget() {
                " Stopped early: the counter budget (2^19 - 1 increments, so the counter cannot wrap) was reached."
            } else {
                ""
            }
        );
        self.phase = Phase::Finished;
        self.outcome = Some(Outcome {
            states: run.slots.iter().map(|s| state_name(s.state)).collect(),
            plan: run.plan.clone(),
            engine: run.engine,
            verdict: Some(verdict),
            counts,
            ops_per_sec,
            slowest_us,
            failure: None,
        });
    }

    /// A worker crashed, hung, or the run could not start: report it and
    /// terminate every worker.
    fn fail(&mut self, worker: Option<u32>, why: String) {
        self.fail_as(worker, "failed", why);
    }

    /// As [`Supervisor::fail`], naming the culprit's state (crashed, hung).
    fn fail_as(&mut self, worker: Option<u32>, culprit: &'static str, why: String) {
        let Some(mut run) = self.run.take() else { return };
        run.terminate();
        let after_go_ms = run.go_at.map(|go| now() - go);
        run.refresh();
        let n = run.slots.len();
        self.status = if n == 1 {
            format!("{why} The worker was terminated.")
        } else {
            format!("{why} All {n} workers were terminated.")
        };
        self.phase = Phase::Failed;
        let counts: Vec<WorkerCounts> = run.slots.iter().map(|s| s.live).collect();
        let (ops_per_sec, slowest_us) = throughput(&counts);
        let states = run
            .slots
            .iter()
            .enumerate()
            .map(|(i, s)| match s.state {
                _ if worker == Some(i as u32) => culprit,
                DONE => "done",
                _ => "terminated",
            })
            .collect();
        self.outcome = Some(Outcome {
            states,
            plan: run.plan.clone(),
            engine: run.engine,
            verdict: None,
            counts,
            ops_per_sec,
            slowest_us,
            failure: Some(Failure { worker, why, after_go_ms }),
        });
    }
}
