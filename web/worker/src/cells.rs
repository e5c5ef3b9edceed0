//! The shared cells as a [`Memory`]: an `Int32Array` over the page's
//! SharedArrayBuffer, every step one call of JS `Atomics` (sequentially
//! consistent, like the native driver's `SeqCst`), and the worker's side
//! of the protocol (see `main.rs`).
//!
//! **Why the step machine does not call `js_sys::Atomics`.** js-sys
//! declares every `Atomics` function `catch`, so each call goes through
//! wasm-bindgen's `handleError` (a closure, `apply` on `arguments`, a
//! try/catch) and a check for a stored exception afterwards. On the hot
//! path that halved the throughput (BENCHMARKS.md, "Worker stress against
//! native threads"). The five functions the steps need are declared here
//! without `catch`, with an `i32` index (no `>>> 0` in the shim). They
//! cannot throw: the array is an `Int32Array` over a SharedArrayBuffer and
//! the layout's length is checked before the run. Were one to throw
//! anyway, the exception would end the run and reach the page as the
//! worker's `error` event, which the page reports as a crash. The start
//! barrier and the panic hook use `js_sys::Atomics`.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use core::convert::Infallible;
use std::cell::RefCell;

use errseq::memory::{complete, Action, Memory, HELD};
use errseq_stress::layout::{worker, ARRIVED, CRASHED, GO};
use errseq_stress::{finish, run_worker, Plan, StressLayout};
use js_sys::{Array, Atomics, Int32Array, SharedArrayBuffer, Uint32Array, WebAssembly};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Atomics, js_name = load)]
    fn atomics_load(cells: &Int32Array, index: i32) -> i32;
    #[wasm_bindgen(js_namespace = Atomics, js_name = store)]
    fn atomics_store(cells: &Int32Array, index: i32, value: i32) -> i32;
    #[wasm_bindgen(js_namespace = Atomics, js_name = compareExchange)]
    fn atomics_compare_exchange(cells: &Int32Array, index: i32, expected: i32, replacement: i32) -> i32;
    #[wasm_bindgen(js_namespace = Atomics, js_name = or)]
    fn atomics_or(cells: &Int32Array, index: i32, value: i32) -> i32;
    #[wasm_bindgen(js_namespace = Atomics, js_name = and)]
    fn atomics_and(cells: &Int32Array, index: i32, value: i32) -> i32;
}

/// The cells, shared with the page and the other workers. Built only by
/// [`JsCells::new`], which checks the length.
pub struct JsCells {
    cells: Int32Array,
}

impl JsCells {
    /// The cells of `layout` in `cells`, if it is long enough (and short
    /// enough for `i32` indices).
    pub fn new(cells: Int32Array, layout: &StressLayout) -> Result<JsCells, String> {
        let len = cells.length() as usize;
        if len < layout.len() || len > i32::MAX as usize {
            return Err(format!("the buffer has {len} cells, the plan needs {}", layout.len()));
        }
        Ok(JsCells { cells })
    }
}

impl Memory for JsCells {
    type Stop = Infallible;

    #[inline]
    fn step(&mut self, action: Action) -> Result<u32, Infallible> {
        let a = &self.cells;
        // In range: checked by `new` against the layout every address comes from.
        let i = action.addr().0 as i32;
        // Cells are u32 in the model and i32 in the Int32Array: `as`
        // reinterprets the bits both ways.
        Ok(match action {
            Action::Load(_) => atomics_load(a, i) as u32,
            Action::Store(_, v) => {
                atomics_store(a, i, v as i32);
                0
            }
            Action::Cmpxchg { old, new, .. } => atomics_compare_exchange(a, i, old as i32, new as i32) as u32,
            Action::FetchOr(_, bits) => atomics_or(a, i, bits as i32) as u32,
            Action::FetchAnd(_, mask) => atomics_and(a, i, mask as i32) as u32,
            Action::Lock(_) => {
                while atomics_compare_exchange(a, i, 0, HELD as i32) != 0 {
                    core::hint::spin_loop();
                }
                0
            }
            Action::Unlock(_) => {
                atomics_store(a, i, 0);
                0
            }
        })
    }
}

thread_local! {
    /// The run this worker is in, for the panic hook: the cells, the
    /// worker's index and its STATE cell.
    static RUN: RefCell<Option<(Int32Array, u32, u32)>> = const { RefCell::new(None) };
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(parts: &[JsValue]) {
    let msg: Array = parts.iter().collect();
    // Nothing to do if posting fails: the page's watchdog notices silence.
    let _ = scope().post_message(&msg);
}

/// Installs the panic hook and the message handler, then posts "ready".
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_owned());
        let message = match info.location() {
            Some(at) => format!("{what} (at {}:{})", at.file(), at.line()),
            None => what,
        };
        let index = RUN.with(|r| {
            r.borrow().as_ref().map(|(cells, index, state)| {
                // Tell the page through the buffer too (best effort).
                let _ = Atomics::store(cells, *state, CRASHED as i32);
                *index
            })
        });
        let index = index.map_or(JsValue::NULL, JsValue::from);
        post(&[JsValue::from_str("panic"), index, JsValue::from_str(&message)]);
    }));
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| {
        if let Err((index, message)) = on_start(&e.data()) {
            post(&[JsValue::from_str("error"), index.map_or(JsValue::NULL, JsValue::from), message.into()]);
        }
    });
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    handler.forget();
    post(&[JsValue::from_str("ready")]);
}

fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|err| String::from(err.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

/// A non-negative whole number below `limit` at `i` of the message.
fn number(msg: &Array, i: u32, limit: f64) -> Option<u32> {
    msg.get(i).as_f64().filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n < limit).map(|n| n as u32)
}

/// Handles `[memory, index, planAt, planLen, cellsAt, cellsLen, ..]`
/// (`errseq_stress::memory_map`; the counts' place is the other engine's):
/// barrier, run, finish, "done".
fn on_start(data: &JsValue) -> Result<(), (Option<u32>, String)> {
    let msg: &Array = data.dyn_ref().ok_or((None, "the start message is not an array".to_owned()))?;
    let index = number(msg, 1, 64.0);
    let fail = |why: String| (index, why);
    let index = index.ok_or_else(|| fail("the start message has no worker index".to_owned()))?;
    let memory: WebAssembly::Memory =
        msg.get(0).dyn_into().map_err(|_| fail("the start message has no WebAssembly.Memory".to_owned()))?;
    let sab: SharedArrayBuffer =
        memory.buffer().dyn_into().map_err(|_| fail("the run's memory is not shared".to_owned()))?;
    let span = |at: u32, len: u32| {
        let (at, len) = (number(msg, at, 4_294_967_296.0)?, number(msg, len, 4_294_967_296.0)?);
        let fits = at % 4 == 0 && f64::from(at) + f64::from(len) * 4.0 <= f64::from(sab.byte_length());
        fits.then_some((at, len))
    };
    let (plan_at, plan_len) =
        span(2, 3).ok_or_else(|| fail("the plan's words are outside the memory".to_owned()))?;
    let (cells_at, cells_len) =
        span(4, 5).ok_or_else(|| fail("the run's cells are outside the memory".to_owned()))?;
    let words = Uint32Array::new_with_byte_offset_and_length(&sab, plan_at, plan_len).to_vec();
    let plan = Plan::from_words(&words).map_err(|e| fail(e.to_string()))?;
    if index >= plan.workers {
        return Err(fail(format!("worker index {index} but the plan has {} workers", plan.workers)));
    }
    let layout = StressLayout::new(&plan);
    let cells = Int32Array::new_with_byte_offset_and_length(&sab, cells_at, cells_len);
    let mut m = JsCells::new(cells.clone(), &layout).map_err(fail)?;
    RUN.with(|r| *r.borrow_mut() = Some((cells.clone(), index, layout.worker(index, worker::STATE).0)));
    let js = |e: JsValue| fail(describe(&e));

    Atomics::add(&cells, ARRIVED.0, 1).map_err(js)?;
    while Atomics::load(&cells, GO.0).map_err(js)? == 0 {
        Atomics::wait_with_timeout(&cells, GO.0, 0, 100.0).map_err(js)?;
    }
    let clock = scope().performance().ok_or_else(|| fail("no performance clock in the worker".to_owned()))?;
    let t0 = clock.now();
    let counts = complete(run_worker(&mut m, &plan, &layout, index));
    let us = ((clock.now() - t0) * 1000.0).round().clamp(0.0, f64::from(u32::MAX)) as u32;
    complete(finish(&mut m, &layout, index, us));
    let c = [counts.ops, counts.sets, counts.reports, counts.errors, counts.double, us];
    let counts: Array = c.iter().map(|&n| JsValue::from(n)).collect();
    post(&[JsValue::from_str("done"), JsValue::from(index), counts.into()]);
    Ok(())
}
