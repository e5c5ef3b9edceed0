//! Stress: workers hammer one errseq word through the schemes' atomic
//! steps, for real, and a checker judges the final state.
//!
//! The protocol is written once, over [`errseq::Memory`], and driven three
//! ways: by native threads on `AtomicU32` ([`native::run_native`]) and, in
//! the web app's Stress view, by Web Workers on one shared memory, either
//! through wasm's own atomic instructions (`web/stress-wasm`, the same
//! `AtomicU32` code as the threads) or through calls of JS `Atomics`
//! (`web/worker`). Both start the workers behind one barrier,
//! run [`run::run_worker`] with the same [`Plan`], and hand a snapshot of
//! the cells to [`check::check`].
//!
//! - [`plan`]: what a run does, and its encoding as numbers for a
//!   `postMessage`;
//! - [`layout`]: where the word, the cursors, the counters and the
//!   per-cursor "reported" bitmaps live in the shared cells, and why a run
//!   is bounded by a counter budget;
//! - [`run`]: one worker's loop, and how a double report is caught the
//!   moment it happens;
//! - [`written`]: what the loop runs, a built-in scheme or one the
//!   scenario writes (interpreted by `errseq_lang`), and a written
//!   scheme's faults;
//! - [`check`]: the three invariants of a finished run;
//! - [`memory_map`]: where a browser run keeps the plan, the workers'
//!   stacks and the cells in its shared `WebAssembly.Memory`;
//! - [`format`]: the numbers as the Stress view shows them.
//!
//! `no_std` (with `alloc`) apart from the native driver, so that the Stress
//! view's shared-memory worker (`web/stress-wasm`, built without std) runs
//! this very loop.

#![cfg_attr(not(test), no_std)]

extern crate alloc;
#[cfg(all(not(test), not(target_arch = "wasm32")))]
extern crate std;

pub mod check;
pub mod format;
pub mod layout;
pub mod memory_map;
#[cfg(not(target_arch = "wasm32"))]
pub mod native;
pub mod plan;
pub mod run;
pub mod written;

pub use check::{check, Invariant, Totals, Verdict};
pub use layout::StressLayout;
pub use memory_map::{MemoryMap, WorkerMap};
pub use plan::{Budget, Fault, FaultKind, Plan, PlanError, Sharing, SCHEMES};
pub use run::{finish, open_cursors, run_built_in, run_worker, throughput, WorkerCounts};
pub use written::{Written, WrittenFault};
