//! A throughput run's resources: its shared memory (laid out by
//! `errseq_stress::memory_map`), its workers and what the page last read
//! of each from the buffer, the poll; and how to start one.

use errseq_stress::layout::{worker, CRASHED, DONE, FAULTED, IDLE, RUNNING, STOP, STOP_REQUESTED};
use errseq_stress::{MemoryMap, Plan, StressLayout, WorkerCounts};
use errseq_stress_protocol::{Counts, StressStart, ToWorker, WrittenSource};
use gloo::timers::callback::{Interval, Timeout};
use js_sys::{Atomics, Int32Array, Object, Reflect, SharedArrayBuffer, Uint32Array, WebAssembly};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::Callback;

use super::{Event, POLL_MS};
use crate::form::Engine;
use crate::workers::{describe, now, WorkerHandle, WRITTEN_WORKER};

/// One Web Worker and the page's view of it.
pub(super) struct Slot {
    pub(super) handle: WorkerHandle,
    pub(super) ready: bool,
    pub(super) done: bool,
    pub(super) state: u32,
    pub(super) beat: u32,
    pub(super) beat_at: f64,
    pub(super) live: WorkerCounts,
    /// The counts its `Done` message carried.
    pub(super) told: Option<Counts>,
}

/// A run in progress: the memory, the workers, the poll.
pub(super) struct Run {
    pub(super) plan: Plan,
    pub(super) layout: StressLayout,
    pub(super) engine: Engine,
    /// The written scheme's text, sent with each start message.
    pub(super) written: Option<WrittenSource>,
    pub(super) memory: WebAssembly::Memory,
    pub(super) map: MemoryMap,
    /// The run's cells: a view of the memory's SharedArrayBuffer.
    pub(super) cells: Int32Array,
    pub(super) slots: Vec<Slot>,
    pub(super) _poll: Interval,
    /// Raises STOP when a time budget is spent (armed at GO).
    pub(super) time_up: Option<Timeout>,
    pub(super) created_at: f64,
    pub(super) go_at: Option<f64>,
    pub(super) stop_sent: bool,
}

impl Run {
    /// Lays out a shared memory for `plan`, writes the plan into it, and
    /// starts `engine`'s workers, which report to `notify`; or says what
    /// could not be done (nothing is left running then). `written` is the
    /// text of the written scheme the plan runs, if it runs one (its
    /// workers are the JS-Atomics engine's that carry the interpreter).
    pub(super) fn launch(
        plan: Plan,
        engine: Engine,
        written: Option<WrittenSource>,
        notify: &Callback<Event>,
    ) -> Result<Run, String> {
        let layout = StressLayout::new(&plan);
        let map = MemoryMap::new(&plan, &layout);
        let memory =
            shared_memory(&map).map_err(|why| format!("Could not create the run's shared memory: {why}."))?;
        let sab: SharedArrayBuffer = memory.buffer().unchecked_into();
        Uint32Array::new_with_byte_offset_and_length(&sab, map.plan_at(), map.plan_len())
            .copy_from(&plan.to_words());
        let cells = Int32Array::new_with_byte_offset_and_length(&sab, map.cells_at(), map.cells_len());
        let heard = notify.reform(Event::Heard);
        let url = if written.is_some() { WRITTEN_WORKER } else { engine.url() };
        let mut slots: Vec<Slot> = Vec::new();
        for i in 0..plan.workers {
            match WorkerHandle::spawn(url, i, &heard) {
                Ok(handle) => slots.push(Slot {
                    handle,
                    ready: false,
                    done: false,
                    state: IDLE,
                    beat: 0,
                    beat_at: now(),
                    live: WorkerCounts::default(),
                    told: None,
                }),
                Err(why) => {
                    for s in &slots {
                        s.handle.terminate();
                    }
                    return Err(format!("Could not start worker {i}: {why}."));
                }
            }
        }
        let poll = {
            let notify = notify.clone();
            Interval::new(POLL_MS, move || notify.emit(Event::Tick))
        };
        Ok(Run {
            plan,
            layout,
            engine,
            written,
            memory,
            map,
            cells,
            slots,
            _poll: poll,
            time_up: None,
            created_at: now(),
            go_at: None,
            stop_sent: false,
        })
    }

    pub(super) fn terminate(&self) {
        for s in &self.slots {
            s.handle.terminate();
        }
    }

    /// Raises STOP (once): each worker ends its loop at its next flush.
    pub(super) fn request_stop(&mut self) {
        if !self.stop_sent {
            let _ = Atomics::or(&self.cells, STOP.0, STOP_REQUESTED as i32);
            self.stop_sent = true;
        }
    }

    pub(super) fn load(&self, at: u32) -> u32 {
        Atomics::load(&self.cells, at).map_or(0, |v| v as u32)
    }

    /// Reads every worker's live counts, heartbeat and state.
    pub(super) fn refresh(&mut self) {
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
    pub(super) fn snapshot(&mut self) -> Vec<u32> {
        self.refresh();
        Uint32Array::new_with_byte_offset_and_length(
            &self.memory.buffer(),
            self.map.cells_at(),
            self.map.cells_len(),
        )
        .to_vec()
    }

    /// The start message for worker `i`.
    pub(super) fn start_message(&self, i: u32) -> ToWorker {
        let m = self.map.worker(i);
        ToWorker::Stress(StressStart {
            index: i,
            plan_at: m.plan_at,
            plan_len: m.plan_len,
            cells_at: m.cells_at,
            cells_len: m.cells_len,
            out_at: m.out_at,
            written: self.written.clone(),
        })
    }
}

/// A worker's state cell, in words.
pub(super) fn state_name(state: u32) -> &'static str {
    match state {
        IDLE => "starting",
        RUNNING => "running",
        DONE => "done",
        CRASHED => "crashed",
        FAULTED => "faulted",
        _ => "?",
    }
}

/// A shared `WebAssembly.Memory` sized by `map`.
fn shared_memory(map: &MemoryMap) -> Result<WebAssembly::Memory, String> {
    // The descriptor is a JS object WebAssembly.Memory reads, not a message.
    let descriptor = Object::new();
    for (key, value) in [
        ("initial", JsValue::from(map.pages())),
        ("maximum", JsValue::from(map.max_pages())),
        ("shared", JsValue::TRUE),
    ] {
        Reflect::set(&descriptor, &JsValue::from_str(key), &value).map_err(|e| describe(&e))?;
    }
    WebAssembly::Memory::new(&descriptor).map_err(|e| describe(&e))
}
