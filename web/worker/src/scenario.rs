//! The scenario mode's job: one task of a `par` block, run many times on
//! the model's cells in a SharedArrayBuffer, against the other tasks in
//! other workers (`errseq_stress_protocol::scenario` lays the buffer out).
//!
//! Each run: every task arrives at a barrier; the leader (task 0) waits
//! for all, tallies the previous run's results, resets the cells from the
//! initial copy, and releases the run (GO); every task then waits a
//! random few steps and performs its call with `errseq_model::kernel::run`
//! on a [`SharedKernel`]: core actions are JS `Atomics` on the cells, page
//! steps are made atomic by one lock cell. After the last run the leader
//! says `Tally`. The scheme may be one the scenario writes: the worker's
//! own check of the text compiles it, and its calls run interpreted
//! (`errseq_model::Runner`), each step of its C one `Atomics` call.
//!
//! **Why spin before sleeping.** `Atomics.wait` wakes a worker tens of
//! microseconds after `notify`, longer than a whole call takes, so tasks
//! released by wait/notify alone would almost never overlap. Between runs
//! every task spins on GO for a while (a short, bounded time: the leader's
//! work between two runs is a reset of a few dozen cells), and sleeps in
//! `Atomics.wait` only if the leader is slower than that.
//!
//! **Why random delays.** Released together, the tasks would start in
//! about the same order every time and show few interleavings (litmus7
//! varies the timing for the same reason). Each task waits a random number
//! of spins before its call, up to a window that changes from run to run
//! ([`WINDOWS`]), from none (a tight race) to several calls' length.

#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use core::convert::Infallible;
use std::collections::BTreeMap;

use errseq::memory::{complete, Action, Memory};
use errseq::{Scheme, SchemeKey, WrittenName};
use errseq_model::kernel::{apply_page_step, page_step_enabled};
use errseq_model::{Kernel, Layout, PageStep, Program, Runner};
use errseq_stress_protocol::scenario::{result_word, ScenarioMap, ARRIVED, GO, MAX_RUNS, PAGE_LOCK};
use errseq_stress_protocol::{FromWorker, ScenarioStart, Tallied};
use js_sys::{Atomics, Int32Array, SharedArrayBuffer};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::cells::{atomic_step, atomics_compare_exchange, atomics_load, atomics_store};
use crate::host::{describe, enter_job, post, Refusal};

/// The random delay windows, in spins, one per run in turn.
const WINDOWS: [u32; 4] = [0, 64, 512, 4096];
/// How many times a task checks the barrier before it sleeps: a few
/// tenths of a millisecond (each check is a JS `Atomics.load`), far more
/// than the leader's work between runs, and short enough to give the core
/// away soon when workers outnumber cores. (With 200,000 checks and no
/// naps on held locks, 1,000 runs of a three-task block took 22 s on two
/// busy cores; with these values and the naps, 1.5 s.)
const SPINS_BEFORE_SLEEP: u32 = 20_000;
/// How many times a task tries a held lock, or a page step that must
/// wait, before it naps between tries.
const TRIES_BEFORE_NAP: u32 = 1_000;
/// A nap, in ms: `Atomics.wait` on the cell with this timeout (no task
/// notifies a lock's release, so it ends with the timeout), which yields
/// the core to the task everybody waits for when there are more tasks
/// than cores.
const NAP_MS: f64 = 0.05;

/// The model's cells in the shared buffer, as a [`Kernel`] for task
/// `holder - 1`.
struct SharedKernel<'a> {
    cells: Int32Array,
    control: Int32Array,
    layout: &'a Layout,
    /// The task's number from 1: what its held locks and its pages under
    /// writeback say.
    holder: u32,
    /// A page step's copy of the cells, before and after.
    snapshot: Vec<u32>,
    before: Vec<u32>,
}

impl Memory for SharedKernel<'_> {
    type Stop = Infallible;

    #[inline]
    fn step(&mut self, action: Action) -> Result<u32, Infallible> {
        // In range: the layout every address comes from is the one whose
        // length the job checked against the buffer.
        if let Action::Lock(at) = action {
            lock(&self.cells, at.0 as i32, self.holder);
            return Ok(0);
        }
        Ok(atomic_step(&self.cells, action, self.holder))
    }
}

/// Takes the lock at `cells[i]` for `holder`: `compareExchange(0,
/// holder)` until it succeeds, napping now and then.
fn lock(cells: &Int32Array, i: i32, holder: u32) {
    let mut tries = 0;
    loop {
        let held_by = atomics_compare_exchange(cells, i, 0, holder as i32);
        if held_by == 0 {
            return;
        }
        tries += 1;
        nap_now_and_then(cells, i, held_by, tries);
    }
}

/// After every [`TRIES_BEFORE_NAP`] tries, sleeps [`NAP_MS`] on
/// `cells[i]` while it still holds `value`; else a spin hint.
fn nap_now_and_then(cells: &Int32Array, i: i32, value: i32, tries: u32) {
    if tries % TRIES_BEFORE_NAP == 0 {
        // An exception here could only be a bad index, which the layout
        // check rules out: ignoring it makes this a spin.
        let _ = Atomics::wait_with_timeout(cells, i as u32, value, NAP_MS);
    } else {
        core::hint::spin_loop();
    }
}

impl Kernel for SharedKernel<'_> {
    /// A page step reads and writes several cells, so it runs under the
    /// page lock: take it, copy the cells, and if the step can be taken
    /// (`page_step_enabled`: a wait finds no page under writeback) apply
    /// it to the copy and store back the cells it changed; else release
    /// the lock and try again, which is how a task waits. Only page steps
    /// take the lock, so core actions race page steps as in the explorer,
    /// where a page step is one atomic step: the cells a page step both
    /// reads and writes are page-cache cells, which only page steps touch;
    /// the others it reads (the storage's health) or writes (an evicted
    /// mapping's word) are each one atomic access.
    fn page_step(&mut self, step: PageStep) -> Result<u32, Infallible> {
        let page_lock = PAGE_LOCK as i32;
        let mut tries = 0;
        loop {
            lock(&self.control, page_lock, self.holder);
            for (i, c) in self.snapshot.iter_mut().enumerate() {
                *c = atomics_load(&self.cells, i as i32) as u32;
            }
            if page_step_enabled(&self.snapshot, self.layout, step) {
                self.before.clone_from(&self.snapshot);
                let value = apply_page_step(&mut self.snapshot, self.layout, step, self.holder);
                for (i, (new, old)) in self.snapshot.iter().zip(&self.before).enumerate() {
                    if new != old {
                        atomics_store(&self.cells, i as i32, *new as i32);
                    }
                }
                atomics_store(&self.control, page_lock, 0);
                return Ok(value);
            }
            atomics_store(&self.control, page_lock, 0);
            tries += 1;
            nap_now_and_then(&self.control, page_lock, 0, tries);
        }
    }
}

/// xorshift32: cheap, and good enough to spread start delays.
fn next_random(state: &mut u32) -> u32 {
    let mut x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    x
}

/// Runs task `start.index` of the block `start.runs` times on the buffer
/// `shared`; the leader says `Tally` at the end.
pub fn run(start: &ScenarioStart, shared: &JsValue) -> Result<(), Refusal> {
    let index = start.index;
    let fail = |why: String| (Some(index), why);
    let sab: &SharedArrayBuffer =
        shared.dyn_ref().ok_or_else(|| fail("the start message has no SharedArrayBuffer".to_owned()))?;
    let scheme = Scheme::from_id(&start.scheme)
        .map(SchemeKey::BuiltIn)
        .or_else(|| WrittenName::new(&start.scheme).map(SchemeKey::Written))
        .ok_or_else(|| fail(format!("no scheme {:?}", start.scheme)))?;
    let parsed = errseq_scenario::parse(&start.text).map_err(|d| {
        let first = d.first().map_or_else(String::new, ToString::to_string);
        fail(format!("the scenario does not compile in the worker: {first}"))
    })?;
    let program = Program::compile(&parsed);
    let block = program
        .blocks
        .get(start.block as usize)
        .cloned()
        .ok_or_else(|| fail(format!("the scenario has no par block {}", start.block + 1)))?;
    let (tasks, cells_len) = (block.len() as u32, program.layout.len as u32);
    if (tasks, cells_len) != (start.tasks, start.cells_len) {
        return Err(fail(format!(
            "the worker finds {tasks} tasks on {cells_len} cells, the page {} on {}: they compiled different scenarios",
            start.tasks, start.cells_len
        )));
    }
    if index >= tasks {
        return Err(fail(format!("task {index} of a block of {tasks}")));
    }
    if !(1..=MAX_RUNS).contains(&start.runs) {
        return Err(fail(format!("{} runs; a block runs 1 to {MAX_RUNS} times", start.runs)));
    }
    let map = ScenarioMap::new(tasks, cells_len).map_err(fail)?;
    if sab.byte_length() < map.bytes() {
        return Err(fail(format!(
            "the buffer has {} bytes, the block needs {}",
            sab.byte_length(),
            map.bytes()
        )));
    }
    let view = |at: u32, len: u32| Int32Array::new_with_byte_offset_and_length(sab, at, len);
    let control = view(0, map.control_len());
    let results = view(map.results_at(), tasks);
    let initial = view(map.initial_at(), cells_len);
    let cells = view(map.cells_at(), cells_len);
    let op = program.ops[block.start + index as usize];
    let runner = Runner::new(&program, scheme)
        .ok_or_else(|| fail(format!("the scenario writes no scheme `{}`", start.scheme)))?;
    let fs = parsed.scenario.fs();
    let mut kernel = SharedKernel {
        cells: cells.clone(),
        control: control.clone(),
        layout: &program.layout,
        holder: index + 1,
        snapshot: vec![0; cells_len as usize],
        before: vec![0; cells_len as usize],
    };
    enter_job(index, None);
    let js = |e: JsValue| fail(describe(&e));
    let mut random = (start.seed ^ (index + 1).wrapping_mul(0x9E37_79B9)) | 1;
    let mut tally: BTreeMap<Vec<u32>, u32> = BTreeMap::new();
    for r in 0..=start.runs {
        Atomics::add(&control, ARRIVED, 1).map_err(js)?;
        if index == 0 {
            wait_until(&control, ARRIVED, tasks * (r + 1)).map_err(js)?;
            if r > 0 {
                *tally.entry(results.to_vec().into_iter().map(|w| w as u32).collect()).or_default() += 1;
            }
            if r == start.runs {
                break;
            }
            cells.set(&initial, 0);
            Atomics::store(&control, GO, (r + 1) as i32).map_err(js)?;
            Atomics::notify(&control, GO).map_err(js)?;
        } else {
            Atomics::notify(&control, ARRIVED).map_err(js)?;
            if r == start.runs {
                break;
            }
            wait_until(&control, GO, r + 1).map_err(js)?;
        }
        let window = WINDOWS[r as usize % WINDOWS.len()];
        if window > 0 {
            for _ in 0..next_random(&mut random) % window {
                atomics_load(&control, GO as i32);
            }
        }
        let result = complete(runner.run(&mut kernel, fs, &program.layout, op));
        // The page's explorer met every fault an interleaving can meet, and
        // refused to run; should one come anyway, the run says so.
        if let Some(fault) = runner.fault() {
            return Err(fail(format!("the written scheme faulted: {fault}")));
        }
        atomics_store(&results, index as i32, result_word(result) as i32);
    }
    if index == 0 {
        let outcomes = tally.into_iter().map(|(results, count)| Tallied { results, count }).collect();
        post(&FromWorker::Tally { index, runs: start.runs, outcomes });
    }
    Ok(())
}

/// Waits until the counter at `cell` reaches `target`: spins a while,
/// then sleeps on it (with a timeout, in case a notify came between the
/// load and the wait).
fn wait_until(control: &Int32Array, cell: u32, target: u32) -> Result<(), JsValue> {
    let mut spins = 0;
    loop {
        let now = atomics_load(control, cell as i32) as u32;
        if now >= target {
            return Ok(());
        }
        if spins < SPINS_BEFORE_SLEEP {
            spins += 1;
            core::hint::spin_loop();
        } else {
            Atomics::wait_with_timeout(control, cell, now as i32, 50.0)?;
        }
    }
}
