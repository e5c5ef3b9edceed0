//! The Stress view's Web Worker.
//!
//! Trunk builds this binary as a worker (`data-type="worker"` in
//! index.html): `errseq-worker_loader.js` imports the wasm-bindgen glue and
//! instantiates `errseq-worker_bg.wasm`, which runs `main`. The page and
//! the worker then speak this protocol (messages are JS arrays):
//!
//! 1. worker → page `["ready"]`, once its handler is installed (a message
//!    sent before that would be lost);
//! 2. page → worker `[memory, index, planAt, planLen, cellsAt, cellsLen,
//!    outAt]`: the run's shared `WebAssembly.Memory` (its buffer is the
//!    SharedArrayBuffer), the worker's index, and where in it the plan's
//!    words (`errseq_stress::Plan::to_words`) and the cells are
//!    (`errseq_stress::memory_map`; `outAt` is for the other engine,
//!    `web/stress-wasm`, whose module runs in that memory);
//! 3. the worker adds itself to ARRIVED and sleeps in `Atomics.wait` on GO;
//!    the page raises GO and notifies once every worker has arrived, so
//!    they start together;
//! 4. the worker runs `errseq_stress::run_worker` on the buffer through
//!    `js_sys::Atomics` (counts and a heartbeat are flushed to the buffer
//!    as it goes), times itself with `performance.now()`, and posts
//!    `["done", index, [ops, sets, reports, errors, double, elapsed_us]]`
//!    (the same counts are in the buffer; the page checks they agree); or `["panic", index, message]` from the panic hook
//!    (then the trap reaches the page as an `error` event too), or
//!    `["error", index, message]` when the start message is unusable.

mod cells;

/// The wasm32 entry: install the handler, then say "ready".
#[cfg(target_arch = "wasm32")]
fn main() {
    cells::start();
}

/// Natively there is nothing to run: the loop it drives is tested natively
/// in `errseq-stress`.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("errseq-worker runs as a Web Worker: Trunk builds it for wasm32 (see index.html)");
}
