//! The shared cells as a [`Memory`]: an `Int32Array` over the page's
//! SharedArrayBuffer, every step one call of JS `Atomics` (sequentially
//! consistent, like the native driver's `SeqCst`).
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

use errseq::memory::{Action, Memory, HELD};
use errseq_stress::StressLayout;
use js_sys::Int32Array;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Atomics, js_name = load)]
    pub fn atomics_load(cells: &Int32Array, index: i32) -> i32;
    #[wasm_bindgen(js_namespace = Atomics, js_name = store)]
    pub fn atomics_store(cells: &Int32Array, index: i32, value: i32) -> i32;
    #[wasm_bindgen(js_namespace = Atomics, js_name = compareExchange)]
    pub fn atomics_compare_exchange(cells: &Int32Array, index: i32, expected: i32, replacement: i32) -> i32;
    #[wasm_bindgen(js_namespace = Atomics, js_name = or)]
    pub fn atomics_or(cells: &Int32Array, index: i32, value: i32) -> i32;
    #[wasm_bindgen(js_namespace = Atomics, js_name = and)]
    pub fn atomics_and(cells: &Int32Array, index: i32, value: i32) -> i32;
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
        // In range: checked by `new` against the layout every address comes from.
        Ok(atomic_step(&self.cells, action, HELD))
    }
}

/// Performs `action` on `cells` with one JS `Atomics` call (a `Lock`
/// spins on `compareExchange(0, holder)`), for a caller that checked the
/// address is in range.
#[inline]
pub fn atomic_step(a: &Int32Array, action: Action, holder: u32) -> u32 {
    let i = action.addr().0 as i32;
    // Cells are u32 in the model and i32 in the Int32Array: `as`
    // reinterprets the bits both ways.
    match action {
        Action::Load(_) => atomics_load(a, i) as u32,
        Action::Store(_, v) => {
            atomics_store(a, i, v as i32);
            0
        }
        Action::Cmpxchg { old, new, .. } => atomics_compare_exchange(a, i, old as i32, new as i32) as u32,
        Action::FetchOr(_, bits) => atomics_or(a, i, bits as i32) as u32,
        Action::FetchAnd(_, mask) => atomics_and(a, i, mask as i32) as u32,
        Action::Lock(_) => {
            while atomics_compare_exchange(a, i, 0, holder as i32) != 0 {
                core::hint::spin_loop();
            }
            0
        }
        Action::Unlock(_) => {
            atomics_store(a, i, 0);
            0
        }
    }
}
