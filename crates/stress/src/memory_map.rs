//! Where a browser run keeps everything in its one shared
//! `WebAssembly.Memory` (whose buffer is the SharedArrayBuffer the workers
//! and the page share).
//!
//! The Stress view has two engines. The JS-Atomics worker (`web/worker`)
//! reaches the cells through an `Int32Array` and needs nothing but them.
//! The wasm-atomics worker (`web/stress-wasm`) is a wasm module whose own
//! linear memory *is* this shared memory: every worker instantiates it on
//! the same memory, so each instance's stack, and the module's statics,
//! live there too. Instances of one module start with the same stack
//! pointer, so the page gives each worker a region of its own and the
//! worker points its instance's stack at it before running.
//!
//! ```text
//!  0                the module's own data and first stack (MODULE_BYTES)
//!  MODULE_BYTES     the plan, as `Plan::to_words` (read by every worker)
//!  + PLAN_BYTES     one region per worker: its stack, growing down from
//!                   the counts it hands back (OUT_BYTES at the top)
//!  then             the cells of `StressLayout`, from a 64-byte line
//!  end              the module's allocator grows the memory past here
//! ```
//!
//! Both engines get the same start message and the same map, so the page
//! has one code path; the JS engine ignores the regions.

use crate::layout::StressLayout;
use crate::plan::Plan;

/// A wasm page.
pub const PAGE: u32 = 65_536;
/// The module's own data and the stack of an instance that has not moved
/// it. `web/stress-wasm` is linked with exactly this initial memory, so a
/// module that outgrew it fails to link instead of overlapping the plan.
pub const MODULE_BYTES: u32 = 16 * PAGE;
/// Room for the plan's words (13 + up to 4 errnos).
pub const PLAN_BYTES: u32 = 1_024;
/// One worker's region: its stack and, at the top, its counts.
pub const REGION_BYTES: u32 = PAGE;
/// The counts a worker hands back: ops, sets, reports, errors, double,
/// elapsed µs (16 bytes spare keep the stack top 16-aligned).
pub const OUT_BYTES: u32 = 32;
/// Pages the memory may grow by past the map: the wasm worker allocates a
/// few bytes while decoding the plan, from pages it grows.
pub const HEAP_PAGES: u32 = 16;

/// The addresses (byte offsets) of one run's memory.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct MemoryMap {
    workers: u32,
    plan_len: u32,
    cells_len: u32,
}

/// What one worker is told: where the plan, its counts and the cells are.
/// Offsets are bytes into the shared memory, lengths 32-bit words. Its
/// stack grows down from `out_at`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct WorkerMap {
    pub plan_at: u32,
    pub plan_len: u32,
    pub out_at: u32,
    pub cells_at: u32,
    pub cells_len: u32,
}

impl MemoryMap {
    /// The map of a run of `plan` (whose `Plan::to_words` it places).
    pub fn new(plan: &Plan, layout: &StressLayout) -> MemoryMap {
        MemoryMap {
            workers: layout.workers(),
            plan_len: plan.to_words().len() as u32,
            cells_len: layout.len() as u32,
        }
    }

    pub fn plan_at(&self) -> u32 {
        MODULE_BYTES
    }

    fn region_at(&self, w: u32) -> u32 {
        MODULE_BYTES + PLAN_BYTES + w * REGION_BYTES
    }

    pub fn cells_at(&self) -> u32 {
        self.region_at(self.workers).next_multiple_of(64)
    }

    pub fn cells_len(&self) -> u32 {
        self.cells_len
    }

    /// The memory's initial size, in pages.
    pub fn pages(&self) -> u32 {
        (self.cells_at() + self.cells_len * 4).div_ceil(PAGE)
    }

    /// The memory's maximum size, in pages.
    pub fn max_pages(&self) -> u32 {
        self.pages() + HEAP_PAGES
    }

    pub fn plan_len(&self) -> u32 {
        self.plan_len
    }

    /// Worker `w`'s part.
    pub fn worker(&self, w: u32) -> WorkerMap {
        WorkerMap {
            plan_at: self.plan_at(),
            plan_len: self.plan_len,
            out_at: self.region_at(w) + REGION_BYTES - OUT_BYTES,
            cells_at: self.cells_at(),
            cells_len: self.cells_len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Budget, Sharing, MAX_WORKERS};
    use errseq::Scheme;

    #[test]
    fn parts_are_disjoint_aligned_and_fit() {
        for workers in 1..=MAX_WORKERS {
            let plan = Plan::new(Scheme::Linux58, workers, Sharing::OwnCursor, Budget::Ops(1));
            let map = MemoryMap::new(&plan, &StressLayout::new(&plan));
            let words = map.plan_len();
            assert!(words * 4 <= PLAN_BYTES);
            let mut spans = vec![(0, MODULE_BYTES), (map.plan_at(), map.plan_at() + words * 4)];
            for w in 0..workers {
                let m = map.worker(w);
                assert_eq!((m.out_at % 16, m.cells_at % 64), (0, 0), "worker {w}");
                let region = map.region_at(w);
                spans.push((region, m.out_at));
                spans.push((m.out_at, m.out_at + 6 * 4));
            }
            let cells_end = map.cells_at() + map.cells_len() * 4;
            spans.push((map.cells_at(), cells_end));
            spans.sort();
            for pair in spans.windows(2) {
                assert!(pair[0].1 <= pair[1].0, "{workers} workers: {:?} overlaps {:?}", pair[0], pair[1]);
            }
            assert!(cells_end <= map.pages() * PAGE);
            assert!(map.pages() * PAGE - cells_end < PAGE);
        }
    }
}
