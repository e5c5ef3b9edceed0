//! The Stress view's JS-Atomics Web Workers: two binaries on one library.
//!
//! Trunk builds each binary as a worker (`data-type="worker"` in
//! index.html): `<bin>_loader.js` imports the wasm-bindgen glue and
//! instantiates `<bin>_bg.wasm`, which runs `main`. Both speak the typed
//! protocol of `errseq_stress_protocol`:
//!
//! - `errseq-worker` (`src/main.rs`) runs the throughput loop
//!   (`ToWorker::Stress`, [`stress`]) of a built-in scheme;
//! - `errseq-written-worker` (`src/bin/written-worker.rs`) runs it for a
//!   scheme the scenario writes, which it compiles and interprets;
//! - `errseq-scenario-worker` (`src/bin/scenario-worker.rs`) runs one task
//!   of a scenario's `par` block many times (`ToWorker::Scenario`,
//!   [`scenario`]).
//!
//! Three binaries so that the throughput engine's worker carries none of
//! the scenario parser and model, which the scenario job needs, nor the
//! scheme language, which a written scheme's run needs (BENCHMARKS.md,
//! "Payload"): each links only what its `main` reaches.
//!
//! Rooms: [`host`] (the protocol's worker side: panic hook, handler,
//! replies), [`cells`] (JS `Atomics` as a `Memory`), [`stress`] and
//! [`scenario`] (the jobs).

pub mod cells;
pub mod host;
pub mod scenario;
pub mod stress;
