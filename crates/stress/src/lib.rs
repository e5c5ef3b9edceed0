//! Stress: workers hammer one errseq word through the schemes' atomic
//! steps, for real, and a checker judges the final state.
//!
//! The protocol is written once, over [`errseq::Memory`], and driven two
//! ways: by native threads on `AtomicU32` ([`native::run_native`]) and, in
//! the web app's Stress view, by Web Workers on a SharedArrayBuffer with
//! JS `Atomics` (`web/worker`). Both start the workers behind one barrier,
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
//! - [`check`]: the three invariants of a finished run.

pub mod check;
pub mod layout;
#[cfg(not(target_arch = "wasm32"))]
pub mod native;
pub mod plan;
pub mod run;

pub use check::{check, Invariant, Totals, Verdict};
pub use layout::StressLayout;
pub use plan::{Budget, Fault, FaultKind, Plan, PlanError, Sharing, SCHEMES};
pub use run::{finish, run_worker, throughput, WorkerCounts};
