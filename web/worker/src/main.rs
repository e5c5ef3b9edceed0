//! `errseq-worker`: the throughput engine's worker, for the built-in
//! schemes (see the library; a written scheme's run goes to
//! `errseq-written-worker`, `src/bin/written-worker.rs`).
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
//!    JS `Atomics`, times itself with `performance.now()`, and says `Done`
//!    with its counts (the same counts are in the buffer; the page checks
//!    they agree); or `Panic` from the panic hook (then the trap reaches
//!    the page as an `error` event too), or `Error` when the start message
//!    is unusable.

/// The wasm32 entry: install the handler, then say "ready".
#[cfg(target_arch = "wasm32")]
fn main() {
    use errseq_stress_protocol::ToWorker;
    errseq_worker::host::start(|job, shared| match job {
        ToWorker::Stress(start) => {
            errseq_worker::stress::run::<errseq_worker::stress::BuiltIn>(&start, shared)
        }
        ToWorker::Scenario(start) => Err((
            Some(start.index),
            "this is the throughput worker; scenario jobs go to errseq-scenario-worker".to_owned(),
        )),
    });
}

/// Natively there is nothing to run: the loop it drives is tested natively
/// in `errseq-stress`.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("errseq-worker runs as a Web Worker: Trunk builds it for wasm32 (see index.html)");
}
