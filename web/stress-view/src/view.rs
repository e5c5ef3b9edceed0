//! The Stress view: real concurrency. N Web Workers share one
//! SharedArrayBuffer, the buffer of a shared `WebAssembly.Memory`, holding
//! the errseq word, the cursors, per-worker counters and the per-cursor
//! "reported" bitmaps, and each runs the scheme's atomic steps
//! (`errseq_stress::run_worker`). Afterwards the page checks the
//! invariants (`errseq_stress::check`) and shows the throughput and the
//! per-worker counts.
//!
//! Two engines run the same loop ([`Engine`]): wasm's own atomic
//! instructions, the module's memory being the shared one
//! (`web/stress-wasm`), or calls of JS `Atomics` from a wasm-bindgen
//! worker (`web/worker`). The page lays the memory out the same way for
//! both (`errseq_stress::memory_map`) and speaks one protocol with them: a
//! worker posts "ready"; the page answers `[memory, index, planAt,
//! planLen, cellsAt, cellsLen, outAt]`; workers wait on the GO
//! cell, which the page raises once all have arrived; each posts "done".
//! A poll every [`POLL_MS`] reads the live counts and heartbeats from the
//! buffer. A worker that errors (`error`, `messageerror`, a panic message)
//! is reported at once, one whose heartbeat stops for [`HANG_MS`] within
//! [`HANG_MS`] + [`POLL_MS`]; either way every worker is terminated. The
//! page itself never blocks (the main thread may not `Atomics.wait`).
//!
//! Element ids (for the browser tests, `web/tests/stress.test.mjs`):
//!
//! | id | what |
//! |---|---|
//! | `stress` | the view's section |
//! | `stress-isolation` | shown when the page is not cross-origin isolated: why, and how to fix it |
//! | `stress-scheme`, `stress-workers`, `stress-mode` | scheme select, worker count (1..=8), mode select (`own`, `shared`, `unserialized`) |
//! | `stress-engine` | engine select (`wasm`: wasm atomics on shared memory, `js`: JS `Atomics` calls) |
//! | `stress-budget`, `stress-amount` | budget kind select (`ops` per worker, `seconds`) and its amount |
//! | `stress-set-ratio`, `stress-errnos` | percent of ops that set an error; errno set (`EIO`, `EIO,ENOSPC`, ...) |
//! | `stress-fault` | fault injection select (`none`, `panic`, `hang`: the last worker) |
//! | `stress-start`, `stress-stop` | the buttons |
//! | `stress-status` | the status line (`role=status`, `aria-live=polite`); `data-phase` = idle, starting, running, stopping, finished, failed |
//! | `stress-failure` | a crashed or hung worker (`role=alert`), `data-worker` = its index, `data-after-go-ms` = when the page noticed, in ms after the start barrier opened |
//! | `stress-counts` | per-worker counts; rows `stress-worker-N` with `data-ops`, `data-state` (starting, running, done; after a failure crashed, hung, terminated) |
//! | `stress-verdict` | the invariant check, `data-passed`; one `li.invariant` each with `data-passed` |
//! | `stress-throughput` | ops/s, `data-ops-per-sec` (all workers), `data-elapsed-us` (slowest worker), `data-engine` |

use errseq::{Errno, Scheme};
use errseq_stress::layout::{worker, ARRIVED, CRASHED, DONE, GO, IDLE, RUNNING, STOP, STOP_REQUESTED};
use errseq_stress::{
    check, throughput, Budget, Fault, FaultKind, MemoryMap, Plan, Sharing, StressLayout, Verdict,
    WorkerCounts, SCHEMES,
};
use gloo::timers::callback::{Interval, Timeout};
use js_sys::{Array, Atomics, Int32Array, Object, Reflect, SharedArrayBuffer, Uint32Array, WebAssembly};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, HtmlInputElement, HtmlSelectElement, MessageEvent, Worker};
use yew::prelude::*;

/// What runs the loop in the workers.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Engine {
    /// `web/stress-wasm`: the module's memory is the shared memory, each
    /// step one of wasm's atomic instructions.
    WasmAtomics,
    /// `web/worker`: a wasm-bindgen module calling JS `Atomics` for each
    /// step (what `js_sys::Atomics` offers).
    JsAtomics,
}

impl Engine {
    const ALL: [Engine; 2] = [Engine::WasmAtomics, Engine::JsAtomics];

    fn id(self) -> &'static str {
        match self {
            Engine::WasmAtomics => "wasm",
            Engine::JsAtomics => "js",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Engine::WasmAtomics => "wasm atomics on shared memory",
            Engine::JsAtomics => "JS Atomics calls",
        }
    }

    /// The worker's script. Neither name is hashed: Trunk does not hash
    /// worker files, and scripts/build-stress-wasm.sh copies the other.
    fn url(self) -> &'static str {
        match self {
            Engine::WasmAtomics => "./errseq-stress-worker.js",
            Engine::JsAtomics => "./errseq-worker_loader.js",
        }
    }
}
/// How often the page reads the buffer.
pub const POLL_MS: u32 = 100;
/// A running worker whose heartbeat has not moved for this long is hung.
/// Workers beat every 256 ops, thousands of times a second.
pub const HANG_MS: f64 = 1_000.0;
/// Every worker must load its wasm and reach the start barrier in this time.
const START_MS: f64 = 15_000.0;
/// A fault fires after this many of the faulty worker's ops (or half its budget).
const FAULT_AFTER_OPS: u32 = 50_000;

const ERRNO_SETS: [&str; 3] = ["EIO", "EIO,ENOSPC", "EIO,ENOSPC,EDQUOT"];

#[function_component(StressView)]
pub fn stress_view() -> Html {
    html! { <Stress /> }
}

/// The controls, as typed.
#[derive(Clone, PartialEq)]
struct Form {
    scheme: Scheme,
    workers: String,
    sharing: Sharing,
    by_time: bool,
    amount: String,
    set_percent: String,
    errnos: &'static str,
    fault: &'static str,
    engine: Engine,
}

impl Default for Form {
    fn default() -> Self {
        Form {
            scheme: Scheme::Linux413,
            workers: "2".to_owned(),
            sharing: Sharing::OwnCursor,
            by_time: false,
            amount: "2000000".to_owned(),
            set_percent: "5".to_owned(),
            errnos: ERRNO_SETS[0],
            fault: "none",
            engine: Engine::WasmAtomics,
        }
    }
}

impl Form {
    /// The plan the controls describe, or what is wrong with them.
    fn plan(&self) -> Result<Plan, String> {
        let workers: u32 = self
            .workers
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=8).contains(n))
            .ok_or("Workers: a whole number from 1 to 8.")?;
        let budget = if self.by_time {
            let s: f64 = self
                .amount
                .trim()
                .parse()
                .ok()
                .filter(|s: &f64| (0.05..=60.0).contains(s))
                .ok_or("Seconds: a number from 0.05 to 60.")?;
            Budget::Millis((s * 1000.0).round() as u32)
        } else {
            let ops: u32 = self
                .amount
                .trim()
                .replace(['_', ','], "")
                .parse()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or("Ops per worker: a whole number from 1 to 4,294,967,295.")?;
            Budget::Ops(ops)
        };
        let pct: f64 = self
            .set_percent
            .trim()
            .parse()
            .ok()
            .filter(|p: &f64| (0.0..=100.0).contains(p))
            .ok_or("Set ratio: a percentage from 0 to 100.")?;
        let mut plan = Plan::new(self.scheme, workers, self.sharing, budget);
        plan.set_ppm = (pct * 10_000.0).round() as u32;
        plan.errnos = self.errnos.split(',').filter_map(Errno::from_name).collect();
        let after_ops = match budget {
            Budget::Ops(n) => FAULT_AFTER_OPS.min(n / 2),
            Budget::Millis(_) => FAULT_AFTER_OPS,
        };
        let fault = |kind| Some(Fault { worker: workers - 1, kind, after_ops });
        plan.fault = match self.fault {
            "panic" => fault(FaultKind::Panic),
            "hang" => fault(FaultKind::Hang),
            _ => None,
        };
        plan.validate().map_err(|e| e.to_string())?;
        Ok(plan)
    }
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
enum Phase {
    Idle,
    Starting,
    Running,
    Stopping,
    Finished,
    Failed,
}

impl Phase {
    fn id(self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Starting => "starting",
            Phase::Running => "running",
            Phase::Stopping => "stopping",
            Phase::Finished => "finished",
            Phase::Failed => "failed",
        }
    }

    fn busy(self) -> bool {
        matches!(self, Phase::Starting | Phase::Running | Phase::Stopping)
    }
}

/// One Web Worker and the page's view of it.
struct Slot {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
    _on_message_error: Closure<dyn FnMut(MessageEvent)>,
    ready: bool,
    done: bool,
    state: u32,
    beat: u32,
    beat_at: f64,
    live: WorkerCounts,
    /// The counts its "done" message carried: ops, sets, reports, errors,
    /// double, elapsed µs.
    told: Vec<u32>,
}

/// A run in progress: the memory, the workers, the poll.
struct Run {
    plan: Plan,
    layout: StressLayout,
    engine: Engine,
    memory: WebAssembly::Memory,
    map: MemoryMap,
    /// The run's cells: a view of the memory's SharedArrayBuffer.
    cells: Int32Array,
    slots: Vec<Slot>,
    _poll: Interval,
    /// Raises STOP when a time budget is spent (armed at GO).
    time_up: Option<Timeout>,
    created_at: f64,
    go_at: Option<f64>,
    stop_sent: bool,
}

impl Run {
    fn terminate(&self) {
        for s in &self.slots {
            s.worker.terminate();
        }
    }

    /// Raises STOP (once): each worker ends its loop at its next flush.
    fn request_stop(&mut self) {
        if !self.stop_sent {
            let _ = Atomics::or(&self.cells, STOP.0, STOP_REQUESTED as i32);
            self.stop_sent = true;
        }
    }

    fn load(&self, at: u32) -> u32 {
        Atomics::load(&self.cells, at).map_or(0, |v| v as u32)
    }

    /// Reads every worker's live counts, heartbeat and state.
    fn refresh(&mut self) {
        for w in 0..self.slots.len() {
            let at = |off| self.layout.worker(w as u32, off).0;
            let (beat, state) = (self.load(at(worker::HEARTBEAT)), self.load(at(worker::STATE)));
            let live = WorkerCounts {
                ops: self.load(at(worker::OPS)),
                sets: self.load(at(worker::SETS)),
                reports: self.load(at(worker::REPORTS)),
                errors: self.load(at(worker::ERRORS)),
                increments: self.load(at(worker::INCREMENTS)),
                changes: self.load(at(worker::CHANGES)),
                unconfirmed: self.load(at(worker::UNCONFIRMED)),
                double: self.load(at(worker::DOUBLE)),
                elapsed_us: self.load(at(worker::ELAPSED_US)),
            };
            let s = &mut self.slots[w];
            s.live = live;
            s.state = state;
            if beat != s.beat {
                s.beat = beat;
                s.beat_at = now();
            }
        }
    }

    /// Every cell, after each worker's last SeqCst store (its DONE) has
    /// been read with a SeqCst load, so the plain copy sees all it wrote.
    fn snapshot(&mut self) -> Vec<u32> {
        self.refresh();
        Uint32Array::new_with_byte_offset_and_length(
            &self.memory.buffer(),
            self.map.cells_at(),
            self.map.cells_len(),
        )
        .to_vec()
    }

    /// The start message for worker `i` (see the module).
    fn start_message(&self, i: u32) -> Array {
        let m = self.map.worker(i);
        let mut parts = vec![JsValue::from(self.memory.clone()), JsValue::from(i)];
        parts.extend([m.plan_at, m.plan_len, m.cells_at, m.cells_len, m.out_at].map(JsValue::from));
        parts.iter().collect()
    }
}

/// What the view shows after a run.
struct Outcome {
    plan: Plan,
    engine: Engine,
    verdict: Option<Verdict>,
    counts: Vec<WorkerCounts>,
    /// Each worker's state at the end, in words.
    states: Vec<&'static str>,
    ops_per_sec: f64,
    slowest_us: u32,
    /// The worker at fault (if one), what happened, and when the page
    /// noticed, in ms after it raised GO (if it had).
    failure: Option<(Option<u32>, String, Option<f64>)>,
}

pub enum Msg {
    Scheme(String),
    Workers(String),
    Mode(String),
    BudgetKind(String),
    Amount(String),
    SetRatio(String),
    Errnos(String),
    Fault(String),
    Engine(String),
    Start,
    Stop,
    FromWorker(u32, JsValue),
    WorkerFailed(u32, String),
    Tick,
    TimeUp,
}

pub struct Stress {
    form: Form,
    phase: Phase,
    run: Option<Run>,
    outcome: Option<Outcome>,
    status: String,
    /// `None` when SharedArrayBuffer can be used; else why not.
    isolation: Option<&'static str>,
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or_else(js_sys::Date::now, |p| p.now())
}

/// Why workers cannot share memory here, if they cannot.
fn isolation_problem() -> Option<&'static str> {
    let global = js_sys::global();
    let isolated =
        Reflect::get(&global, &JsValue::from_str("crossOriginIsolated")).ok().and_then(|v| v.as_bool());
    let has_sab = Reflect::has(&global, &JsValue::from_str("SharedArrayBuffer")).unwrap_or(false);
    let has_worker = Reflect::has(&global, &JsValue::from_str("Worker")).unwrap_or(false);
    match (isolated, has_sab, has_worker) {
        (_, _, false) => Some("this browser has no Web Workers"),
        (Some(true), true, true) => None,
        (Some(true), false, true) => {
            Some("this browser has no SharedArrayBuffer, even cross-origin isolated")
        }
        _ => Some("the page is not cross-origin isolated (crossOriginIsolated is false)"),
    }
}

impl Component for Stress {
    type Message = Msg;
    type Properties = ();

    fn create(_ctx: &Context<Self>) -> Self {
        let isolation = isolation_problem();
        let status = match isolation {
            None => "Ready. Pick a plan and press Start.".to_owned(),
            Some(_) => {
                "Unavailable: SharedArrayBuffer needs a cross-origin isolated page (see the note above)."
                    .to_owned()
            }
        };
        Stress { form: Form::default(), phase: Phase::Idle, run: None, outcome: None, status, isolation }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Scheme(id) => {
                if let Some(s) = Scheme::from_id(&id) {
                    self.form.scheme = s;
                }
            }
            Msg::Workers(v) => self.form.workers = v,
            Msg::Mode(id) => {
                if let Some(s) = Sharing::from_id(&id) {
                    self.form.sharing = s;
                }
            }
            Msg::BudgetKind(k) => {
                let by_time = k == "seconds";
                if by_time != self.form.by_time {
                    self.form.by_time = by_time;
                    self.form.amount = if by_time { "2" } else { "2000000" }.to_owned();
                }
            }
            Msg::Amount(v) => self.form.amount = v,
            Msg::SetRatio(v) => self.form.set_percent = v,
            Msg::Errnos(v) => {
                if let Some(&set) = ERRNO_SETS.iter().find(|s| **s == v) {
                    self.form.errnos = set;
                }
            }
            Msg::Fault(v) => {
                self.form.fault = match v.as_str() {
                    "panic" => "panic",
                    "hang" => "hang",
                    _ => "none",
                }
            }
            Msg::Engine(id) => {
                if let Some(e) = Engine::ALL.into_iter().find(|e| e.id() == id) {
                    self.form.engine = e;
                }
            }
            Msg::Start => self.start(ctx),
            Msg::Stop => self.stop(),
            Msg::FromWorker(i, data) => self.on_worker_message(i, &data),
            Msg::WorkerFailed(i, why) => {
                if self.phase.busy() {
                    self.fail_as(Some(i), "crashed", format!("Worker {i} crashed: {why}."));
                }
            }
            Msg::Tick => self.tick(ctx),
            Msg::TimeUp => {
                if let Some(run) = &mut self.run {
                    run.request_stop();
                }
            }
        }
        true
    }

    fn destroy(&mut self, _ctx: &Context<Self>) {
        if let Some(run) = self.run.take() {
            run.terminate();
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let busy = self.phase.busy();
        let plan = self.form.plan();
        let select = |f: fn(String) -> Msg| {
            link.callback(move |e: Event| f(e.target_unchecked_into::<HtmlSelectElement>().value()))
        };
        let input = |f: fn(String) -> Msg| {
            link.callback(move |e: InputEvent| f(e.target_unchecked_into::<HtmlInputElement>().value()))
        };
        let onsubmit = link.callback(|e: SubmitEvent| {
            e.prevent_default();
            Msg::Start
        });
        let form = &self.form;
        let rfc_shared = form.scheme.is_rfc() && form.sharing == Sharing::SharedCursor;
        html! {
            <section id="stress" class="stress" aria-labelledby="stress-title">
                <h2 id="stress-title">{ "Stress: real concurrency" }</h2>
                <p class="muted">
                    { "Web Workers run the scheme's atomic steps (set an error, or report it to fsync through a cursor) \
                       on one SharedArrayBuffer, with wasm's own atomic instructions or with calls of JS Atomics. Afterwards \
                       the page checks that no cursor was told an error twice, that no cursor is ahead of the word, and that \
                       the counts add up." }
                </p>
                { self.isolation_notice() }
                <form class="stress-form" {onsubmit} aria-label="stress plan">
                    <div class="stress-field">
                        <label for="stress-scheme">{ "Scheme" }</label>
                        <select id="stress-scheme" disabled={busy} onchange={select(Msg::Scheme)}>
                            { for SCHEMES.iter().map(|s| html! {
                                <option value={s.id()} selected={*s == form.scheme}>{ format!("{} — {}", s.id(), s.summary()) }</option>
                            }) }
                        </select>
                    </div>
                    <div class="stress-field">
                        <label for="stress-workers">{ "Workers" }</label>
                        <input id="stress-workers" type="number" min="1" max="8" step="1" disabled={busy}
                            value={form.workers.clone()} oninput={input(Msg::Workers)} />
                    </div>
                    <div class="stress-field">
                        <label for="stress-mode">{ "Cursors" }</label>
                        <select id="stress-mode" disabled={busy} onchange={select(Msg::Mode)}>
                            { for Sharing::ALL.iter().map(|s| html! {
                                <option value={s.id()} selected={*s == form.sharing}>{ s.describe() }</option>
                            }) }
                        </select>
                    </div>
                    <div class="stress-field">
                        <label for="stress-budget">{ "Run for" }</label>
                        <select id="stress-budget" disabled={busy} onchange={select(Msg::BudgetKind)}>
                            <option value="ops" selected={!form.by_time}>{ "ops per worker" }</option>
                            <option value="seconds" selected={form.by_time}>{ "seconds" }</option>
                        </select>
                        <input id="stress-amount" type="text" inputmode="decimal" size="10" disabled={busy}
                            aria-label={ if form.by_time { "seconds" } else { "ops per worker" } }
                            value={form.amount.clone()} oninput={input(Msg::Amount)} />
                    </div>
                    <div class="stress-field">
                        <label for="stress-set-ratio">{ "Sets (% of ops)" }</label>
                        <input id="stress-set-ratio" type="number" min="0" max="100" step="any" disabled={busy}
                            value={form.set_percent.clone()} oninput={input(Msg::SetRatio)} />
                    </div>
                    <div class="stress-field">
                        <label for="stress-errnos">{ "Errnos set" }</label>
                        <select id="stress-errnos" disabled={busy} onchange={select(Msg::Errnos)}>
                            { for ERRNO_SETS.iter().map(|s| html! {
                                <option value={*s} selected={*s == form.errnos}>{ s.replace(',', ", ") }</option>
                            }) }
                        </select>
                    </div>
                    <div class="stress-field">
                        <label for="stress-engine">{ "Engine" }</label>
                        <select id="stress-engine" disabled={busy} onchange={select(Msg::Engine)}>
                            { for Engine::ALL.iter().map(|e| html! {
                                <option value={e.id()} selected={*e == form.engine}>{ e.describe() }</option>
                            }) }
                        </select>
                    </div>
                    <details class="stress-field stress-fault">
                        <summary>{ "Fault injection" }</summary>
                        <label for="stress-fault">{ "The last worker" }</label>
                        <select id="stress-fault" disabled={busy} onchange={select(Msg::Fault)}>
                            <option value="none" selected={form.fault == "none"}>{ "runs normally" }</option>
                            <option value="panic" selected={form.fault == "panic"}>{ "panics (crash)" }</option>
                            <option value="hang" selected={form.fault == "hang"}>{ "hangs (spins, no heartbeat)" }</option>
                        </select>
                    </details>
                    <div class="stress-buttons">
                        <button id="stress-start" type="submit" disabled={busy || self.isolation.is_some() || plan.is_err()}>{ "Start" }</button>
                        <button id="stress-stop" type="button" disabled={!busy} onclick={link.callback(|_| Msg::Stop)}>{ "Stop" }</button>
                    </div>
                </form>
                { match &plan {
                    Err(why) if !busy => html! { <p class="stress-invalid" id="stress-invalid">{ why.clone() }</p> },
                    _ => html! {},
                } }
                { if rfc_shared && !busy { html! {
                    <p class="muted stress-note">{ "rfc-v2 as posted reads the word before taking f_lock, so two fds of one \
                        description can both be told one error (the explorer's finding 4): expect this run to fail now and then." }</p>
                } } else { html! {} } }
                <p id="stress-status" class={classes!("stress-status", self.phase.id())} role="status" aria-live="polite"
                    data-phase={self.phase.id()}>{ self.status.clone() }</p>
                { self.failure() }
                { self.counts() }
                { self.verdict() }
            </section>
        }
    }
}

impl Stress {
    fn isolation_notice(&self) -> Html {
        let Some(why) = self.isolation else { return html! {} };
        html! {
            <div id="stress-isolation" class="stress-isolation" role="note">
                <h3>{ "Stress needs a cross-origin isolated page" }</h3>
                <p>{ format!("SharedArrayBuffer is unavailable: {why}. Browsers let a page share memory with its workers \
                    only when it is served with these two headers:") }</p>
                <pre>{ "Cross-Origin-Opener-Policy: same-origin\nCross-Origin-Embedder-Policy: require-corp" }</pre>
                <p>{ "To fix it, serve the playground with " }<code>{ "bash scripts/serve.sh" }</code>{ " or " }
                    <code>{ "trunk serve" }</code>{ " (Trunk.toml sets both headers), or add them to your web server's \
                    configuration for every file of the site (on a host other than localhost, over HTTPS). The other \
                    views work without them." }</p>
            </div>
        }
    }

    fn start(&mut self, ctx: &Context<Self>) {
        if self.phase.busy() || self.isolation.is_some() {
            return;
        }
        let plan = match self.form.plan() {
            Ok(p) => Plan { seed: js_sys::Date::now() as u64, ..p },
            Err(why) => {
                self.status = why;
                return;
            }
        };
        let layout = StressLayout::new(&plan);
        let map = MemoryMap::new(&plan, &layout);
        let memory = match shared_memory(&map) {
            Ok(m) => m,
            Err(why) => {
                self.phase = Phase::Failed;
                self.status = format!("Could not create the run's shared memory: {why}.");
                return;
            }
        };
        let sab: SharedArrayBuffer = memory.buffer().unchecked_into();
        Uint32Array::new_with_byte_offset_and_length(&sab, map.plan_at(), map.plan_len())
            .copy_from(&plan.to_words());
        let cells = Int32Array::new_with_byte_offset_and_length(&sab, map.cells_at(), map.cells_len());
        let engine = self.form.engine;
        let link = ctx.link().clone();
        let mut slots = Vec::new();
        for i in 0..plan.workers {
            match spawn(engine, i, &link) {
                Ok(slot) => slots.push(slot),
                Err(why) => {
                    for s in &slots {
                        s.worker.terminate();
                    }
                    self.phase = Phase::Failed;
                    self.status = format!("Could not start worker {i}: {why}.");
                    return;
                }
            }
        }
        let poll = {
            let link = link.clone();
            Interval::new(POLL_MS, move || link.send_message(Msg::Tick))
        };
        self.status = format!(
            "Starting {} worker{} ({}, {}, {})…",
            plan.workers,
            if plan.workers == 1 { "" } else { "s" },
            plan.scheme,
            plan.sharing.describe(),
            engine.describe()
        );
        self.phase = Phase::Starting;
        self.outcome = None;
        self.run = Some(Run {
            plan,
            layout,
            engine,
            memory,
            map,
            cells,
            slots,
            _poll: poll,
            time_up: None,
            created_at: now(),
            go_at: None,
            stop_sent: false,
        });
    }

    fn stop(&mut self) {
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

    fn on_worker_message(&mut self, i: u32, data: &JsValue) {
        if !self.phase.busy() {
            return;
        }
        let Some(run) = &mut self.run else { return };
        let msg = data.dyn_ref::<Array>();
        let kind = msg.and_then(|m| m.get(0).as_string()).unwrap_or_default();
        let text = msg.and_then(|m| m.get(2).as_string()).unwrap_or_default();
        match kind.as_str() {
            "ready" => {
                let start = run.start_message(i);
                let Some(slot) = run.slots.get_mut(i as usize) else { return };
                slot.ready = true;
                if let Err(e) = slot.worker.post_message(&start) {
                    self.fail(Some(i), format!("Could not send worker {i} its plan: {e:?}."));
                }
            }
            "done" => {
                let told: Vec<u32> = msg
                    .map(|m| m.get(2))
                    .and_then(|c| c.dyn_into::<Array>().ok())
                    .map(|c| c.iter().map(|v| v.as_f64().unwrap_or(-1.0) as u32).collect())
                    .unwrap_or_default();
                if let Some(slot) = run.slots.get_mut(i as usize) {
                    slot.done = true;
                    slot.told = told;
                }
                if run.slots.iter().all(|s| s.done) {
                    self.finish();
                }
            }
            "panic" => self.fail_as(Some(i), "crashed", format!("Worker {i} crashed: {text}.")),
            "error" => self.fail(Some(i), format!("Worker {i} refused the run: {text}.")),
            other => self.fail(Some(i), format!("Worker {i} sent an unknown message {other:?}.")),
        }
    }

    fn tick(&mut self, ctx: &Context<Self>) {
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
                    let link = ctx.link().clone();
                    run.time_up = Some(Timeout::new(ms, move || link.send_message(Msg::TimeUp)));
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
            .find(|(_, s)| !s.done && s.state != DONE && t - s.beat_at > HANG_MS)
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
                grouped(ops),
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
            let buffer = [c.ops, c.sets, c.reports, c.errors, c.double, c.elapsed_us];
            if slot.told != buffer {
                let why = format!(
                    "Worker {w}'s done message says {:?} (ops, sets, reports, errors, double, µs), the buffer {buffer:?}.",
                    slot.told
                );
                self.run = Some(run);
                self.fail(Some(w as u32), why);
                return;
            }
        }
        self.status = format!(
            "Finished: {} — {} ops in {:.0} ms, {}.{}",
            if verdict.passed() { "every invariant holds" } else { "an invariant is violated" },
            grouped(verdict.totals.ops),
            f64::from(slowest_us) / 1000.0,
            rate(ops_per_sec),
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

    /// As [`Stress::fail`], naming the culprit's state (crashed, hung).
    fn fail_as(&mut self, worker: Option<u32>, culprit: &'static str, why: String) {
        let Some(mut run) = self.run.take() else { return };
        run.terminate();
        let after_go = run.go_at.map(|go| now() - go);
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
            failure: Some((worker, why, after_go)),
        });
    }

    fn failure(&self) -> Html {
        let Some(Outcome { failure: Some((worker, why, after_go)), plan, .. }) = &self.outcome else {
            return html! {};
        };
        html! {
            <div id="stress-failure" class="stress-failure" role="alert" data-worker={worker.map(|w| w.to_string())}
                data-after-go-ms={after_go.map(|ms| format!("{ms:.0}"))}>
                <strong>{ why.clone() }</strong>
                { format!(" {} terminated; the page carries on. No verdict: the run did not finish.",
                    if plan.workers == 1 { "The worker was".to_owned() } else { format!("All {} workers were", plan.workers) }) }
            </div>
        }
    }

    /// Per-worker counts: live while running, final after.
    fn counts(&self) -> Html {
        let (plan, rows): (&Plan, Vec<(WorkerCounts, &str)>) = match (&self.run, &self.outcome) {
            (Some(run), _) => (&run.plan, run.slots.iter().map(|s| (s.live, state_name(s.state))).collect()),
            (None, Some(o)) => (&o.plan, o.counts.iter().copied().zip(o.states.iter().copied()).collect()),
            (None, None) => return html! {},
        };
        let live = self.run.is_some();
        html! {
            <table id="stress-counts" class="stress-counts">
                <caption>{ if live { "Per worker, live (flushed every 256 ops)" } else { "Per worker" } }</caption>
                <thead><tr>
                    <th scope="col">{ "Worker" }</th><th scope="col">{ "Cursor" }</th><th scope="col">{ "State" }</th>
                    <th scope="col">{ "Ops" }</th><th scope="col">{ "Sets" }</th><th scope="col">{ "Reports" }</th>
                    <th scope="col">{ "Errors told" }</th><th scope="col">{ "Told twice" }</th><th scope="col">{ "Ops/s" }</th>
                </tr></thead>
                <tbody>
                    { for rows.iter().enumerate().map(|(i, (c, state))| html! {
                        <tr id={format!("stress-worker-{i}")} data-ops={c.ops.to_string()} data-state={*state}>
                            <th scope="row">{ i }</th>
                            <td>{ plan.cursor_of(i as u32) }</td>
                            <td class={classes!(matches!(*state, "crashed" | "hung").then_some("bad"))}>{ *state }</td>
                            <td>{ grouped(c.ops.into()) }</td>
                            <td>{ grouped(c.sets.into()) }</td>
                            <td>{ grouped(c.reports.into()) }</td>
                            <td>{ grouped(c.errors.into()) }</td>
                            <td class={classes!((c.double > 0).then_some("bad"))}>{ grouped(c.double.into()) }</td>
                            <td>{ if c.elapsed_us > 0 { rate(c.ops_per_sec()) } else { "—".to_owned() } }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        }
    }

    fn verdict(&self) -> Html {
        let Some(Outcome { verdict: Some(v), plan, engine, ops_per_sec, slowest_us, counts, .. }) =
            &self.outcome
        else {
            return html! {};
        };
        let per_worker: Vec<String> = counts.iter().map(|c| rate(c.ops_per_sec())).collect();
        html! {
            <>
                <section id="stress-verdict" class={classes!("stress-verdict", if v.passed() { "pass" } else { "fail" })}
                    data-passed={v.passed().to_string()} aria-labelledby="stress-verdict-title">
                    <h3 id="stress-verdict-title">{ if v.passed() { "Invariants: all hold" } else { "Invariants: violated" } }</h3>
                    <ul>
                        { for v.invariants().into_iter().map(|inv| html! {
                            <li class={classes!("invariant", if inv.passed() { "pass" } else { "fail" })} data-passed={inv.passed().to_string()}>
                                <strong>{ if inv.passed() { "✓ PASS " } else { "✗ FAIL " } }</strong>
                                <span class="name">{ inv.name }</span>{ ": " }<span class="checked">{ inv.checked.clone() }</span>
                                { if inv.problems.is_empty() { html! {} } else { html! {
                                    <ul class="problems">{ for inv.problems.iter().map(|p| html! { <li>{ p.clone() }</li> }) }</ul>
                                } } }
                            </li>
                        }) }
                    </ul>
                    <p class="muted">{ format!("{} ({}, {}, {} of ops set {}).", v.totals_line(), plan.scheme, plan.sharing.describe(),
                        percent(plan.set_ppm), plan.errnos.iter().map(|e| e.name()).collect::<Vec<_>>().join("/")) }</p>
                </section>
                <p id="stress-throughput" class="stress-throughput" data-ops-per-sec={format!("{ops_per_sec:.0}")}
                    data-elapsed-us={slowest_us.to_string()} data-engine={engine.id()}>
                    <strong>{ format!("{} in total", rate(*ops_per_sec)) }</strong>
                    { format!(" with {}, over {:.1} ms (the slowest worker's time from the start barrier); per worker: {}.",
                        engine.describe(), f64::from(*slowest_us) / 1000.0, per_worker.join(", ")) }
                </p>
            </>
        }
    }
}

trait TotalsLine {
    fn totals_line(&self) -> String;
}

impl TotalsLine for Verdict {
    fn totals_line(&self) -> String {
        let t = &self.totals;
        format!(
            "{} ops: {} sets ({} moved the counter), {} reports, {} told an error; final word {}",
            grouped(t.ops),
            grouped(t.sets),
            grouped(t.increments),
            grouped(t.reports),
            grouped(t.errors),
            errseq_stress::check::describe(t.word)
        )
    }
}

/// A worker's state cell, in words.
fn state_name(state: u32) -> &'static str {
    match state {
        IDLE => "starting",
        RUNNING => "running",
        DONE => "done",
        CRASHED => "crashed",
        _ => "?",
    }
}

/// A shared `WebAssembly.Memory` sized by `map`.
fn shared_memory(map: &MemoryMap) -> Result<WebAssembly::Memory, String> {
    let descriptor = Object::new();
    for (key, value) in [
        ("initial", JsValue::from(map.pages())),
        ("maximum", JsValue::from(map.max_pages())),
        ("shared", JsValue::TRUE),
    ] {
        Reflect::set(&descriptor, &JsValue::from_str(key), &value).map_err(|e| format!("{e:?}"))?;
    }
    WebAssembly::Memory::new(&descriptor).map_err(|e| {
        e.dyn_ref::<js_sys::Error>().map_or_else(|| format!("{e:?}"), |err| String::from(err.message()))
    })
}

/// Starts worker `i` of `engine` with its handlers.
fn spawn(engine: Engine, i: u32, link: &html::Scope<Stress>) -> Result<Slot, String> {
    let worker = Worker::new(engine.url()).map_err(|e| format!("{e:?}"))?;
    let on_message = {
        let link = link.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            link.send_message(Msg::FromWorker(i, e.data()))
        })
    };
    let on_error = {
        let link = link.clone();
        Closure::<dyn FnMut(ErrorEvent)>::new(move |e: ErrorEvent| {
            let what =
                if e.message().is_empty() { "it raised an error event".to_owned() } else { e.message() };
            link.send_message(Msg::WorkerFailed(i, what))
        })
    };
    let on_message_error = {
        let link = link.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |_| {
            link.send_message(Msg::WorkerFailed(i, "a message from it could not be read".to_owned()))
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    worker.set_onmessageerror(Some(on_message_error.as_ref().unchecked_ref()));
    Ok(Slot {
        worker,
        _on_message: on_message,
        _on_error: on_error,
        _on_message_error: on_message_error,
        ready: false,
        done: false,
        state: IDLE,
        beat: 0,
        beat_at: now(),
        live: WorkerCounts::default(),
        told: Vec::new(),
    })
}

/// 1234567 → "1,234,567".
fn grouped(n: u64) -> String {
    errseq_render::thousands(n.into())
}

fn rate(ops_per_sec: f64) -> String {
    if ops_per_sec >= 1e6 {
        format!("{:.1} M ops/s", ops_per_sec / 1e6)
    } else if ops_per_sec >= 1e3 {
        format!("{:.1} k ops/s", ops_per_sec / 1e3)
    } else {
        format!("{ops_per_sec:.0} ops/s")
    }
}

fn percent(ppm: u32) -> String {
    format!("{}%", f64::from(ppm) / 10_000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(100), "100");
        assert_eq!(rate(12_345_678.0), "12.3 M ops/s");
        assert_eq!(percent(50_000), "5%");
    }

    #[test]
    fn the_form_makes_plans_or_says_why_not() {
        let mut f = Form::default();
        let p = f.plan().expect("default plan");
        assert_eq!((p.workers, p.budget, p.set_ppm), (2, Budget::Ops(2_000_000), 50_000));
        f.workers = "9".to_owned();
        assert!(f.plan().expect_err("9 workers").starts_with("Workers"));
        f.workers = "2".to_owned();
        f.by_time = true;
        f.amount = "1.5".to_owned();
        assert_eq!(f.plan().map(|p| p.budget), Ok(Budget::Millis(1500)));
        f.fault = "hang";
        assert_eq!(
            f.plan().ok().and_then(|p| p.fault).map(|x| (x.worker, x.kind)),
            Some((1, FaultKind::Hang))
        );
        f.set_percent = "101".to_owned();
        assert!(f.plan().is_err());
    }
}
