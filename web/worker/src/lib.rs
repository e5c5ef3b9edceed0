//! The Stress view's JS-Atomics Web Workers: two binaries on one library.
//!
//! Trunk builds each binary as a worker (`data-type="worker"` in
//! index.html): `<bin>_loader.js` imports the wasm-bindgen glue and
//! instantiates `<bin>_bg.wasm`, which runs `main`. Both speak the typed
//! protocol of `errseq_stress_protocol`:
//!
//! - `errseq-worker` (`src/main.rs`) runs the throughput loop
//!   (`ToWorker::Stress`, [`stress`]);
//! - `errseq-scenario-worker` (`src/bin/scenario-worker.rs`) runs one task
//!   of a scenario's `par` block many times (`ToWorker::Scenario`,
//!   [`scenario`]).
//!
//! Two binaries so that the throughput engine's worker carries none of the
//! scenario parser and model, which the scenario job needs (BENCHMARKS.md,
//! "Payload"): each links only what its `main` reaches.
//!
//! Rooms: [`host`] (the protocol's worker side: panic hook, handler,
//! replies), [`cells`] (JS `Atomics` as a `Memory`), [`stress`] and
//! [`scenario`] (the jobs).

pub mod cells;
pub mod host;
pub mod scenario;
pub mod stress;
