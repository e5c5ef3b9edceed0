//! One worker's part of a run, on cells it is given as `&[AtomicU32]`.
//!
//! The same sequence as the JS-Atomics worker and the native threads
//! (but for opening the cursors, which for a built-in scheme stores the
//! cells' first value, 0):
//! add itself to ARRIVED, sleep until the page raises GO, run
//! `errseq_stress::run_built_in` timed from GO to the end of its loop, store
//! the time and DONE (`errseq_stress::finish`). The sleep and the clock
//! are the host's: wasm cannot sleep on stable Rust, so the host's `wait`
//! sleeps on the GO cell (`Atomics.wait`, with a timeout) and is called
//! again until GO is up.

use alloc::format;
use alloc::string::{String, ToString};
use core::sync::atomic::{AtomicU32, Ordering::SeqCst};

use errseq::atomic::AtomicSlice;
use errseq::memory::{complete, Addr, Memory};
use errseq_stress::layout::{worker, ARRIVED, CRASHED, GO};
use errseq_stress::{finish, run_built_in, Plan, StressLayout};

/// How many counts [`Job::run`] hands back: ops, sets, reports, errors,
/// double reports, elapsed µs (the JS-Atomics worker's "done" message).
pub const COUNTS: usize = 6;

/// A checked plan for one worker.
#[derive(Clone, Debug)]
pub struct Job {
    plan: Plan,
    layout: StressLayout,
    index: u32,
}

impl Job {
    /// Decodes `plan_words` (`Plan::to_words`) for worker `index`, on
    /// `cells_len` cells; says what is wrong if the three do not fit. A
    /// plan that runs a written scheme is refused: this module has no
    /// interpreter (the JS-Atomics engine runs those).
    pub fn new(plan_words: &[u32], cells_len: usize, index: u32) -> Result<Job, String> {
        let plan = Plan::from_words(plan_words, None).map_err(|e| e.to_string())?;
        if index >= plan.workers {
            return Err(format!("worker index {index} but the plan has {} workers", plan.workers));
        }
        let layout = StressLayout::new(&plan);
        if cells_len < layout.len() {
            return Err(format!(
                "the memory has {cells_len} cells for the run, the plan needs {}",
                layout.len()
            ));
        }
        Ok(Job { plan, layout, index })
    }

    /// Barrier, run, finish; returns the [`COUNTS`]. `wait(go)` may return
    /// early (it is called again while GO is down); `now_ms` is a
    /// monotonic clock in milliseconds. A fault the plan injects into this
    /// worker panics or hangs here, on purpose.
    pub fn run(
        &self,
        cells: &[AtomicU32],
        mut wait: impl FnMut(Addr),
        now_ms: impl Fn() -> f64,
    ) -> [u32; COUNTS] {
        cells[ARRIVED.index()].fetch_add(1, SeqCst);
        while cells[GO.index()].load(SeqCst) == 0 {
            wait(GO);
        }
        let t0 = now_ms();
        let mut m = AtomicSlice(cells);
        let c = complete(run_built_in(&mut m, &self.plan, &self.layout, self.index));
        // `as` saturates: a clock that went backwards gives 0.
        let us = ((now_ms() - t0) * 1000.0 + 0.5) as u32;
        complete(finish(&mut m, &self.layout, self.index, us));
        [c.ops, c.sets, c.reports, c.errors, c.double, us]
    }

    /// Marks this worker CRASHED in the cells, for the page's watchdog
    /// (the host calls it after catching the trap of a panic).
    pub fn mark_crashed(&self, cells: &[AtomicU32]) {
        let state = self.layout.worker(self.index, worker::STATE);
        complete(AtomicSlice(cells).store(state, CRASHED));
    }
}
