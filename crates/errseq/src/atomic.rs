//! The same algorithms on real atomic instructions, shared by threads.
//!
//! Each [`Action`] becomes one instruction on an `AtomicU32`: loads and
//! stores, `compare_exchange`, `fetch_or` and `fetch_and`; a lock is a
//! spin on `compare_exchange(0, HELD)`. The driver is [`AtomicSlice`], a
//! borrowed run of cells, so the same code serves the threads' cells
//! ([`AtomicCells`], owned) and the Stress view's wasm worker, whose cells
//! are a range of a shared `WebAssembly.Memory` (there each step compiles
//! to one of wasm's atomic instructions). Everything is `SeqCst`, the same
//! interleaving semantics the explorer enumerates. (The kernel's
//! `READ_ONCE` is weaker; the ordering its callers need comes from waiting
//! on writeback, which this crate does not model.)
//!
//! Built with `RUSTFLAGS="--cfg loom"`, the cells are loom's atomics and
//! the spin yields to loom's scheduler, so loom can check the algorithms
//! exhaustively (see `tests/loom.rs`).

use core::convert::Infallible;

#[cfg(not(loom))]
use core::sync::atomic::{AtomicU32, Ordering::SeqCst};
#[cfg(loom)]
use loom::sync::atomic::{AtomicU32, Ordering::SeqCst};

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::memory::{Action, Memory, HELD};

/// Cells that threads share; `&AtomicCells` is a [`Memory`].
#[derive(Debug)]
pub struct AtomicCells {
    cells: Box<[AtomicU32]>,
}

impl AtomicCells {
    pub fn new(len: usize) -> AtomicCells {
        AtomicCells { cells: (0..len).map(|_| AtomicU32::new(0)).collect() }
    }

    pub fn from_values(values: &[u32]) -> AtomicCells {
        AtomicCells { cells: values.iter().map(|&v| AtomicU32::new(v)).collect() }
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The current values (a consistent picture only once threads are done).
    pub fn values(&self) -> Vec<u32> {
        self.cells.iter().map(|c| c.load(SeqCst)).collect()
    }

    /// The cells as a [`Memory`] (`&AtomicCells` is one too).
    pub fn slice(&self) -> AtomicSlice<'_> {
        AtomicSlice(&self.cells)
    }
}

/// Borrowed atomic cells, one [`Action`] per instruction. A step whose
/// address is past the end panics (an address comes from a layout the
/// caller sized the cells for).
#[derive(Copy, Clone, Debug)]
pub struct AtomicSlice<'a>(pub &'a [AtomicU32]);

fn spin() {
    #[cfg(loom)]
    loom::thread::yield_now();
    #[cfg(not(loom))]
    core::hint::spin_loop();
}

/// Both drivers' step, written once: one step as one atomic instruction
/// (a lock as a spin). A macro, not a shared function, because the
/// optimizer treats the two differently: with the body in a helper (even
/// `#[inline(always)]`) the native stress loop ran at half the speed it
/// has with the body in each `step` (BENCHMARKS.md, "Worker stress against
/// native threads").
macro_rules! execute {
    ($cells:expr, $action:expr) => {{
        let action = $action;
        let cell = &$cells[action.addr().index()];
        Ok(match action {
            Action::Load(_) => cell.load(SeqCst),
            Action::Store(_, v) => {
                cell.store(v, SeqCst);
                0
            }
            Action::Cmpxchg { old, new, .. } => match cell.compare_exchange(old, new, SeqCst, SeqCst) {
                Ok(v) | Err(v) => v,
            },
            Action::FetchOr(_, bits) => cell.fetch_or(bits, SeqCst),
            Action::FetchAnd(_, mask) => cell.fetch_and(mask, SeqCst),
            Action::Lock(_) => {
                while cell.compare_exchange(0, HELD, SeqCst, SeqCst).is_err() {
                    spin();
                }
                0
            }
            Action::Unlock(_) => {
                cell.store(0, SeqCst);
                0
            }
        })
    }};
}

impl Memory for &AtomicCells {
    type Stop = Infallible;

    fn step(&mut self, action: Action) -> Result<u32, Infallible> {
        execute!(self.cells, action)
    }
}

impl Memory for AtomicSlice<'_> {
    type Stop = Infallible;

    fn step(&mut self, action: Action) -> Result<u32, Infallible> {
        execute!(self.0, action)
    }
}
