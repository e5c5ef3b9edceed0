//! `errseq-scenario-worker`: the scenario mode's worker (see the library).
//!
//! 1. worker → page `Ready`;
//! 2. page → worker `ToWorker::Scenario` with the block's SharedArrayBuffer
//!    alongside (`errseq_stress_protocol::scenario::ScenarioMap`);
//! 3. the worker compiles the scenario, checks it finds the page's tasks
//!    and cells, and runs its task once per run between barriers
//!    (`errseq_worker::scenario`); task 0 then says `Tally`. `Panic` and
//!    `Error` as for the throughput worker.

/// The wasm32 entry: install the handler, then say "ready".
#[cfg(target_arch = "wasm32")]
fn main() {
    use errseq_stress_protocol::ToWorker;
    errseq_worker::host::start(|job, shared| match job {
        ToWorker::Scenario(start) => errseq_worker::scenario::run(&start, shared),
        ToWorker::Stress(start) => Err((
            Some(start.index),
            "this is the scenario worker; throughput jobs go to errseq-worker".to_owned(),
        )),
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("errseq-scenario-worker runs as a Web Worker: Trunk builds it for wasm32 (see index.html)");
}
