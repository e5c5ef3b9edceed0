//! The wasm-atomics worker's job, natively: the same code the module runs
//! on the shared memory, here on threads over `AtomicCells`, with the
//! host's sleep and clock played by the test.

use std::sync::atomic::{AtomicU32, Ordering::SeqCst};
use std::time::Instant;

use errseq::atomic::AtomicCells;
use errseq::memory::complete;
use errseq::Scheme;
use errseq_stress::layout::{worker, ARRIVED, CRASHED, DONE, GO};
use errseq_stress::{check, Budget, Plan, Sharing, StressLayout, WorkerCounts};
use errseq_stress_wasm::Job;

fn plan(workers: u32, ops: u32) -> Plan {
    Plan::new(Scheme::Linux413, workers, Sharing::SharedCursor, Budget::Ops(ops))
}

/// Cells with every cursor opened, as the native driver makes them.
fn cells_for(plan: &Plan) -> (StressLayout, AtomicCells) {
    let layout = StressLayout::new(plan);
    let cells = AtomicCells::new(layout.len());
    for k in 0..layout.cursors() {
        complete(plan.scheme.open(&mut &cells, layout.mapping(), layout.sb(), layout.file(k)));
    }
    (layout, cells)
}

fn raw(cells: &AtomicCells) -> &[AtomicU32] {
    // `AtomicSlice` is the module's view of the cells.
    cells.slice().0
}

#[test]
fn three_workers_meet_at_the_barrier_run_and_pass_the_check() {
    let plan = plan(3, 200_000);
    let (layout, cells) = cells_for(&plan);
    let words = plan.to_words();
    let t0 = Instant::now();
    let now = || t0.elapsed().as_secs_f64() * 1000.0;
    let told: Vec<[u32; 6]> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..3)
            .map(|i| {
                let job = Job::new(&words, cells.len(), i).expect("a valid job");
                let cells = &cells;
                s.spawn(move || job.run(raw(cells), |_| std::thread::yield_now(), now))
            })
            .collect();
        // The page's side of the barrier: GO once all have arrived.
        while raw(&cells)[ARRIVED.index()].load(SeqCst) < 3 {
            std::thread::yield_now();
        }
        raw(&cells)[GO.index()].store(1, SeqCst);
        handles.into_iter().map(|h| h.join().expect("no panic")).collect()
    });
    let values = cells.values();
    let verdict = check(&plan, &layout, &values);
    assert!(verdict.passed(), "{verdict:?}");
    for (w, counts) in told.iter().enumerate() {
        let c = WorkerCounts::read(&layout, &values, w as u32);
        assert_eq!(*counts, [c.ops, c.sets, c.reports, c.errors, c.double, c.elapsed_us], "worker {w}");
        assert_eq!(c.ops, 200_000);
        assert_eq!(values[layout.worker(w as u32, worker::STATE).index()], DONE);
    }
}

#[test]
fn a_worker_waits_for_go() {
    let plan = plan(1, 10);
    let (layout, cells) = cells_for(&plan);
    let job = Job::new(&plan.to_words(), cells.len(), 0).expect("a valid job");
    let mut waits = 0;
    let counts = job.run(
        raw(&cells),
        |cell| {
            assert_eq!(cell, GO);
            waits += 1;
            // The page raises GO while the worker sleeps for the third time.
            if waits == 3 {
                raw(&cells)[GO.index()].store(1, SeqCst);
            }
        },
        || 0.0,
    );
    assert_eq!(waits, 3);
    assert_eq!(counts[0], 10);
    assert_eq!(cells.values()[layout.worker(0, worker::OPS).index()], 10);
}

#[test]
fn a_crash_is_marked_in_the_cells() {
    let plan = plan(2, 10);
    let (layout, cells) = cells_for(&plan);
    Job::new(&plan.to_words(), cells.len(), 1).expect("a valid job").mark_crashed(raw(&cells));
    assert_eq!(cells.values()[layout.worker(1, worker::STATE).index()], CRASHED);
    assert_eq!(cells.values()[layout.worker(0, worker::STATE).index()], 0);
}

#[test]
fn a_job_that_does_not_fit_says_why() {
    let plan = plan(2, 10);
    let words = plan.to_words();
    let need = StressLayout::new(&plan).len();
    let err = |words: &[u32], len, index| Job::new(words, len, index).expect_err("refused");
    assert_eq!(err(&words, need, 2), "worker index 2 but the plan has 2 workers");
    assert_eq!(
        err(&words, need - 1, 0),
        format!("the memory has {} cells for the run, the plan needs {need}", need - 1)
    );
    assert!(!err(&words[..5], need, 0).is_empty());
    assert!(Job::new(&words, need, 1).is_ok());
    // The words of a plan that runs a written scheme (word 12 says so):
    // this module has no interpreter, and says where such plans run.
    let mut written = words.clone();
    written[12] = 1;
    assert!(err(&written, need, 0).contains("written schemes run on the JS Atomics engine"));
}
