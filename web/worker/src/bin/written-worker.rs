//! `errseq-written-worker`: the throughput engine's worker for a run of a
//! scheme the scenario writes (see the library). As `errseq-worker`, but
//! the start message carries the scheme's C (`StressStart::written`),
//! which it compiles once (`errseq_lang`) and interprets, each step one JS
//! `Atomics` call; a fault of the scheme ends its loop and it says `Fault`.
//! A binary of its own so that `errseq-worker` carries no compiler.

/// The wasm32 entry: install the handler, then say "ready".
#[cfg(target_arch = "wasm32")]
fn main() {
    use errseq_stress_protocol::ToWorker;
    use errseq_worker::stress::{run, AnyScheme};
    errseq_worker::host::start(|job, shared| match job {
        ToWorker::Stress(start) => run::<AnyScheme>(&start, shared),
        ToWorker::Scenario(start) => Err((
            Some(start.index),
            "this is the written-scheme throughput worker; scenario jobs go to errseq-scenario-worker"
                .to_owned(),
        )),
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("errseq-written-worker runs as a Web Worker: Trunk builds it for wasm32 (see index.html)");
}
