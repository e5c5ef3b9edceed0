//! The throughput job: barrier, `errseq_stress::run_worker` through JS
//! `Atomics`, finish, `Done` with the counts.
//!
//! A plan may run a scheme the scenario writes: its source comes in the
//! start message, and the worker compiles it once, before the barrier;
//! every step of the interpreted program is then one JS `Atomics` call on
//! the shared cells, like a built-in scheme's ([`JsCells`]). Worker 0
//! opens the cursors (`errseq_stress::open_cursors`) before it reaches
//! the barrier, so that every open happens before any worker starts. A
//! written scheme's fault ends the worker's loop (the others stop at
//! their next flush) and it says `Fault` instead of `Done`.
//!
//! Which plans a binary takes is a type ([`Reach`]): `errseq-worker`'s
//! [`BuiltIn`] never names the scheme language, so it links neither the
//! compiler nor the interpreter; `errseq-written-worker`'s [`AnyScheme`]
//! does (BENCHMARKS.md, "Payload").

#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use errseq::memory::complete;
use errseq_stress::layout::{worker, ARRIVED, CRASHED, GO};
use errseq_stress::{
    finish, open_cursors, run_built_in, run_worker, Plan, StressLayout, WorkerCounts, Written, WrittenFault,
};
use errseq_stress_protocol::{Counts, FromWorker, StressStart, WrittenSource};
use js_sys::{Atomics, Int32Array, SharedArrayBuffer, Uint32Array, WebAssembly};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::cells::JsCells;
use crate::host::{describe, enter_job, post, scope, Refusal};

/// The plans a worker binary runs.
pub trait Reach {
    /// The written scheme of a start message, compiled, or why not.
    fn compile(w: &WrittenSource) -> Result<Written, String>;
    /// Opens the run's cursors (worker 0, before the barrier).
    fn open(m: &mut JsCells, plan: &Plan, layout: &StressLayout) -> Result<(), WrittenFault>;
    /// The loop.
    fn run(
        m: &mut JsCells,
        plan: &Plan,
        layout: &StressLayout,
        index: u32,
    ) -> Result<WorkerCounts, WrittenFault>;
}

/// Built-in schemes only (`errseq-worker`).
pub enum BuiltIn {}

impl Reach for BuiltIn {
    fn compile(_: &WrittenSource) -> Result<Written, String> {
        Err("this worker runs built-in schemes; a written scheme's run goes to errseq-written-worker"
            .to_owned())
    }

    /// Nothing to do: a built-in scheme's sample of the word's first
    /// value, 0, stores the cells' first value, 0.
    fn open(_: &mut JsCells, _: &Plan, _: &StressLayout) -> Result<(), WrittenFault> {
        Ok(())
    }

    fn run(
        m: &mut JsCells,
        plan: &Plan,
        layout: &StressLayout,
        index: u32,
    ) -> Result<WorkerCounts, WrittenFault> {
        Ok(complete(run_built_in(m, plan, layout, index)))
    }
}

/// Built-in and written schemes (`errseq-written-worker`).
pub enum AnyScheme {}

impl Reach for AnyScheme {
    fn compile(w: &WrittenSource) -> Result<Written, String> {
        Written::compile(&w.name, &w.base, &w.source, w.first_line, w.line)
    }

    fn open(m: &mut JsCells, plan: &Plan, layout: &StressLayout) -> Result<(), WrittenFault> {
        complete(open_cursors(m, plan, layout))
    }

    fn run(
        m: &mut JsCells,
        plan: &Plan,
        layout: &StressLayout,
        index: u32,
    ) -> Result<WorkerCounts, WrittenFault> {
        complete(run_worker(m, plan, layout, index))
    }
}

/// Runs worker `start.index` of the throughput run whose shared
/// `WebAssembly.Memory` is `shared`; says `Done`, or why not.
pub fn run<R: Reach>(start: &StressStart, shared: &JsValue) -> Result<(), Refusal> {
    let index = start.index;
    let fail = |why: String| (Some(index), why);
    let memory: &WebAssembly::Memory =
        shared.dyn_ref().ok_or_else(|| fail("the start message has no WebAssembly.Memory".to_owned()))?;
    let sab: SharedArrayBuffer =
        memory.buffer().dyn_into().map_err(|_| fail("the run's memory is not shared".to_owned()))?;
    let fits = |at: u32, len: u32| {
        at % 4 == 0 && f64::from(at) + f64::from(len) * 4.0 <= f64::from(sab.byte_length())
    };
    if !fits(start.plan_at, start.plan_len) {
        return Err(fail("the plan's words are outside the memory".to_owned()));
    }
    if !fits(start.cells_at, start.cells_len) {
        return Err(fail("the run's cells are outside the memory".to_owned()));
    }
    let words = Uint32Array::new_with_byte_offset_and_length(&sab, start.plan_at, start.plan_len).to_vec();
    let written = start.written.as_ref().map(R::compile).transpose().map_err(fail)?;
    let plan = Plan::from_words(&words, written).map_err(|e| fail(e.to_string()))?;
    if index >= plan.workers {
        return Err(fail(format!("worker index {index} but the plan has {} workers", plan.workers)));
    }
    let layout = StressLayout::new(&plan);
    let cells = Int32Array::new_with_byte_offset_and_length(&sab, start.cells_at, start.cells_len);
    let mut m = JsCells::new(cells.clone(), &layout).map_err(fail)?;
    enter_job(index, Some((cells.clone(), layout.worker(index, worker::STATE).0, CRASHED)));
    let js = |e: JsValue| fail(describe(&e));

    if index == 0 {
        if let Err(fault) = R::open(&mut m, &plan, &layout) {
            return stopped(index, fault);
        }
    }
    Atomics::add(&cells, ARRIVED.0, 1).map_err(js)?;
    while Atomics::load(&cells, GO.0).map_err(js)? == 0 {
        Atomics::wait_with_timeout(&cells, GO.0, 0, 100.0).map_err(js)?;
    }
    let clock = scope().performance().ok_or_else(|| fail("no performance clock in the worker".to_owned()))?;
    let t0 = clock.now();
    let c = match R::run(&mut m, &plan, &layout, index) {
        Ok(c) => c,
        Err(fault) => return stopped(index, fault),
    };
    let us = ((clock.now() - t0) * 1000.0).round().clamp(0.0, f64::from(u32::MAX)) as u32;
    complete(finish(&mut m, &layout, index, us));
    let counts = Counts {
        ops: c.ops,
        sets: c.sets,
        reports: c.reports,
        errors: c.errors,
        double: c.double,
        elapsed_us: us,
    };
    post(&FromWorker::Done { index, counts });
    Ok(())
}

/// Tells the page the written scheme faulted (the worker's state in the
/// cells says so too).
fn stopped(index: u32, fault: WrittenFault) -> Result<(), Refusal> {
    post(&FromWorker::Fault { index, message: fault.to_string() });
    Ok(())
}
