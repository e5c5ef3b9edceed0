//! The Stress view's JS-Atomics Web Worker.
//!
//! Trunk builds this binary as a worker (`data-type="worker"` in
//! index.html): `errseq-worker_loader.js` imports the wasm-bindgen glue and
//! instantiates `errseq-worker_bg.wasm`, which runs `main`. It speaks the
//! typed protocol of `errseq_stress_protocol`:
//!
//! 1. worker → page `Ready`, once its handler is installed (a message
//!    sent before that would be lost);
//! 2. page → worker `ToWorker::Stress` with the run's shared
//!    `WebAssembly.Memory` alongside (its buffer is the SharedArrayBuffer):
//!    the worker's index and where in the memory the plan's words
//!    (`errseq_stress::Plan::to_words`) and the cells are
//!    (`errseq_stress::memory_map`);
//! 3. the worker adds itself to ARRIVED and sleeps in `Atomics.wait` on GO;
//!    the page raises GO and notifies once every worker has arrived, so
//!    they start together;
//! 4. the worker runs `errseq_stress::run_worker` on the buffer through
//!    JS `Atomics` (`cells`; counts and a heartbeat are flushed to the
//!    buffer as it goes), times itself with `performance.now()`, and says
//!    `Done` with its counts (the same counts are in the buffer; the page
//!    checks they agree); or `Panic` from the panic hook (then the trap
//!    reaches the page as an `error` event too), or `Error` when the start
//!    message is unusable.
//!
//! The scenario mode (`ToWorker::Scenario`, with a SharedArrayBuffer
//! alongside) runs one task of a scenario's `par` block many times instead
//! (`scenario`), and the leader says `Tally` at the end.
//!
//! Rooms: `host` (the protocol's worker side), `cells` (JS `Atomics` as a
//! `Memory`), `stress` (the throughput job), `scenario` (the scenario
//! mode's job).

mod cells;
mod host;
mod scenario;
mod stress;

/// The wasm32 entry: install the handler, then say "ready".
#[cfg(target_arch = "wasm32")]
fn main() {
    host::start();
}

/// Natively there is nothing to run: the loop it drives is tested natively
/// in `errseq-stress`.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("errseq-worker runs as a Web Worker: Trunk builds it for wasm32 (see index.html)");
}
