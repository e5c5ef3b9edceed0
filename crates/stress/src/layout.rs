//! Where everything lives in the shared cells (the SharedArrayBuffer in the
//! browser, a slice of `AtomicU32` natively).
//!
//! ```text
//!  line 0   control: GO (start barrier), ARRIVED, STOP
//!  line 1   the mapping: wb_err (the word), flags, i_lock
//!  line 2   the superblock's word (linux-5.8 sets it too)
//!  line 3.. one line per cursor: f_wb_err, f_sb_err, f_lock
//!  then     one line per worker: heartbeat, state, the counters
//!  then     one bitmap per cursor, 2^19 bits: which counter values
//!           that cursor has reported
//! ```
//!
//! A line is 16 cells (64 bytes, a cache line), so workers' counters and
//! different cursors never share one (false sharing would slow the native
//! side far more than the browser's, and skew the comparison).
//!
//! **Why runs are bounded by a counter budget.** The word's counter has 19
//! bits and wraps silently; after 2^19 increments a counter value comes
//! back, and the bitmap (indexed by counter) would call a new error a
//! double report. So the counter must not wrap during a run: each worker
//! may make at most [`StressLayout::increment_quota`] increments (its sets
//! that moved the counter; only a set after a SEEN value does), which keeps
//! the sum below 2^19. A worker that would exceed its quota stops the run
//! (STOP bit [`STOP_COUNTER_BUDGET`]) instead of setting.

use errseq::{Addr, File, Mapping};

use crate::plan::{Plan, MAX_WORKERS};

/// Cells per cache line.
pub const LINE: u32 = 16;

/// Control cells.
pub const GO: Addr = Addr(0);
pub const ARRIVED: Addr = Addr(1);
pub const STOP: Addr = Addr(2);

/// STOP bits: the driver asked (time budget, Stop button)...
pub const STOP_REQUESTED: u32 = 1;
/// ...or a worker used up its share of the counter budget...
pub const STOP_COUNTER_BUDGET: u32 = 2;
/// ...or a written scheme's call faulted in a worker (`written`).
pub const STOP_FAULT: u32 = 4;

/// Bits of the errseq counter, and so of each cursor's bitmap.
pub const COUNTER_BITS: u32 = 19;
/// The counter field's lowest bit (`ERRSEQ_CTR_INC`).
pub const COUNTER_SHIFT: u32 = 13;
/// Cells per bitmap: 2^19 bits.
pub const BITMAP_CELLS: u32 = (1 << COUNTER_BITS) / 32;

/// The counter of an errseq word.
pub fn counter(word: u32) -> u32 {
    word >> COUNTER_SHIFT
}

/// Offsets of a worker's cells within its line.
pub mod worker {
    /// Bumped every [`crate::run::FLUSH_EVERY`] ops; the page's watchdog
    /// watches it.
    pub const HEARTBEAT: u32 = 0;
    /// [`super::IDLE`], [`super::RUNNING`], [`super::DONE`], [`super::CRASHED`],
    /// [`super::FAULTED`].
    pub const STATE: u32 = 1;
    pub const OPS: u32 = 2;
    pub const SETS: u32 = 3;
    /// fsync reports, whatever they returned.
    pub const REPORTS: u32 = 4;
    /// Reports that returned an error.
    pub const ERRORS: u32 = 5;
    /// Sets whose cmpxchg moved the word's counter.
    pub const INCREMENTS: u32 = 6;
    /// Sets whose cmpxchg changed the word (a new value for cursors to see).
    pub const CHANGES: u32 = 7;
    /// Error reports whose SEEN marking was overtaken by a set of another
    /// errno: the counter they reported stays open (see `run`).
    pub const UNCONFIRMED: u32 = 8;
    /// Error reports whose counter value the cursor had already reported.
    pub const DOUBLE: u32 = 9;
    /// Microseconds from the start barrier to the end of the loop.
    pub const ELAPSED_US: u32 = 10;
}

/// Worker states.
pub const IDLE: u32 = 0;
pub const RUNNING: u32 = 1;
pub const DONE: u32 = 2;
/// Written by a driver that caught the worker's panic.
pub const CRASHED: u32 = 3;
/// The worker stopped on a fault of the written scheme it runs; the
/// driver reports the fault (`written::WrittenFault`).
pub const FAULTED: u32 = 4;

/// The addresses of one plan's cells.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct StressLayout {
    workers: u32,
    cursors: u32,
}

const MAPPING_LINE: u32 = 1;
const SB_LINE: u32 = 2;
const FIRST_CURSOR_LINE: u32 = 3;

impl StressLayout {
    pub fn new(plan: &Plan) -> StressLayout {
        StressLayout { workers: plan.workers, cursors: plan.cursors() }
    }

    pub fn workers(&self) -> u32 {
        self.workers
    }

    pub fn cursors(&self) -> u32 {
        self.cursors
    }

    /// The mapping (its `wb_err` is the word every worker hammers).
    pub fn mapping(&self) -> Mapping {
        let base = MAPPING_LINE * LINE;
        Mapping { wb_err: Addr(base), flags: Addr(base + 1), i_lock: Addr(base + 2) }
    }

    pub fn word(&self) -> Addr {
        self.mapping().wb_err
    }

    pub fn sb(&self) -> Addr {
        Addr(SB_LINE * LINE)
    }

    /// Cursor `k`'s open file description.
    pub fn file(&self, k: u32) -> File {
        let base = (FIRST_CURSOR_LINE + k) * LINE;
        File { wb_err: Addr(base), sb_err: Addr(base + 1), lock: Addr(base + 2) }
    }

    fn first_worker_line(&self) -> u32 {
        FIRST_CURSOR_LINE + self.cursors
    }

    /// Cell `offset` (a [`worker`] constant) of worker `w`.
    pub fn worker(&self, w: u32, offset: u32) -> Addr {
        Addr((self.first_worker_line() + w) * LINE + offset)
    }

    fn bitmap_base(&self) -> u32 {
        (self.first_worker_line() + self.workers) * LINE
    }

    /// The cell holding bit `counter` of cursor `k`'s bitmap, and the bit.
    pub fn bitmap_bit(&self, k: u32, counter: u32) -> (Addr, u32) {
        let c = counter & ((1 << COUNTER_BITS) - 1);
        (Addr(self.bitmap_base() + k * BITMAP_CELLS + c / 32), 1 << (c % 32))
    }

    /// Cursor `k`'s bitmap, as a range of cell indices.
    pub fn bitmap(&self, k: u32) -> core::ops::Range<usize> {
        let start = (self.bitmap_base() + k * BITMAP_CELLS) as usize;
        start..start + BITMAP_CELLS as usize
    }

    /// How many cells the run needs (the SharedArrayBuffer holds 4 bytes each).
    pub fn len(&self) -> usize {
        (self.bitmap_base() + self.cursors * BITMAP_CELLS) as usize
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    /// The most counter increments one worker may make, so that all of
    /// them together stay below 2^19 and the counter never wraps.
    pub fn increment_quota(&self) -> u32 {
        ((1 << COUNTER_BITS) - 1) / self.workers.clamp(1, MAX_WORKERS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Budget, Sharing};
    use errseq::Scheme;

    #[test]
    fn cells_do_not_overlap() {
        let plan = Plan::new(Scheme::Linux58, 8, Sharing::OwnCursor, Budget::Ops(1));
        let l = StressLayout::new(&plan);
        let mut used = vec![false; l.len()];
        let mut take = |a: Addr| {
            assert!(!used[a.index()], "cell {} used twice", a.0);
            used[a.index()] = true;
        };
        for a in [GO, ARRIVED, STOP, l.word(), l.mapping().flags, l.mapping().i_lock, l.sb()] {
            take(a);
        }
        for k in 0..l.cursors() {
            let f = l.file(k);
            for a in [f.wb_err, f.sb_err, f.lock] {
                take(a);
            }
        }
        for w in 0..l.workers() {
            for off in 0..=worker::ELAPSED_US {
                take(l.worker(w, off));
            }
        }
        for k in 0..l.cursors() {
            for i in l.bitmap(k) {
                take(Addr(i as u32));
            }
        }
        assert_eq!(l.bitmap_bit(7, (1 << 19) - 1).0.index(), l.len() - 1);
        assert_eq!(l.increment_quota() * 8, 65_535 * 8);
    }
}
