//! The stress protocol on native threads, and the checker on its own.

use errseq::memory::{complete, Cells, Memory};
use errseq::word::SEEN;
use errseq::{Errno, Scheme};
use errseq_stress::layout::{worker, ARRIVED, DONE};
use errseq_stress::native::{run_native, NativeError};
use errseq_stress::{check, run_worker, Budget, Fault, FaultKind, Plan, Sharing, StressLayout, SCHEMES};

const MERGED: [Scheme; 3] = [Scheme::Linux413, Scheme::Linux417, Scheme::Linux58];

fn plan(scheme: Scheme, workers: u32, sharing: Sharing, ops: u32) -> Plan {
    Plan::new(scheme, workers, sharing, Budget::Ops(ops))
}

fn passes(p: &Plan) {
    let run = run_native(p).expect("run");
    assert!(run.verdict.passed(), "{} {:?} {} workers:\n{}", p.scheme, p.sharing, p.workers, run.verdict);
    assert!(run.workers.iter().all(|c| c.ops > 0), "every worker ran");
    assert!(run.verdict.totals.errors > 0, "errors were reported: {}", run.verdict);
    assert!(run.ops_per_sec > 0.0);
}

#[test]
fn every_scheme_passes_with_a_cursor_per_worker() {
    for scheme in SCHEMES {
        passes(&plan(scheme, 2, Sharing::OwnCursor, 200_000));
    }
}

#[test]
fn merged_schemes_pass_with_dup_ed_fds_under_f_lock() {
    for scheme in MERGED {
        passes(&plan(scheme, 4, Sharing::SharedCursor, 150_000));
    }
}

#[test]
fn several_errnos_and_many_workers_pass() {
    for scheme in [Scheme::Linux413, Scheme::RfcV2] {
        let mut p = plan(scheme, 8, Sharing::OwnCursor, 40_000);
        p.errnos = vec![Errno::EIO, Errno::ENOSPC, Errno::EDQUOT];
        p.set_ppm = 200_000;
        passes(&p);
    }
    let mut p = plan(Scheme::Linux58, 3, Sharing::SharedCursor, 100_000);
    p.errnos = vec![Errno::EIO, Errno::ENOSPC];
    passes(&p);
}

#[test]
fn a_time_budget_stops_the_workers() {
    let mut p = Plan::new(Scheme::Linux413, 2, Sharing::OwnCursor, Budget::Millis(50));
    // Few sets, so the counter budget cannot end the run first on a fast machine.
    p.set_ppm = 2_000;
    let run = run_native(&p).expect("run");
    assert!(!run.verdict.totals.stopped_by_counter_budget());
    assert!(run.verdict.passed(), "{}", run.verdict);
    assert!(run.elapsed.as_millis() >= 45, "ran {:?}", run.elapsed);
}

#[test]
fn the_counter_budget_stops_a_run_before_the_counter_wraps() {
    // Every op sets: with a single worker alone, each set after a report
    // moves the counter, but with no reports nothing is SEEN, so mix in
    // reports and give it more ops than the budget allows.
    let mut p = plan(Scheme::Linux413, 1, Sharing::OwnCursor, 4_000_000);
    p.set_ppm = 500_000;
    let run = run_native(&p).expect("run");
    assert!(run.verdict.totals.stopped_by_counter_budget(), "{}", run.verdict);
    assert!(run.verdict.passed(), "{}", run.verdict);
    assert_eq!(run.verdict.totals.increments, (1 << 19) - 1);
}

#[test]
fn one_worker_is_deterministic() {
    let p = plan(Scheme::RfcV2, 1, Sharing::OwnCursor, 50_000);
    let (a, b) = (run_native(&p).expect("a"), run_native(&p).expect("b"));
    let strip = |mut c: errseq_stress::WorkerCounts| {
        c.elapsed_us = 0;
        c
    };
    assert_eq!(strip(a.workers[0]), strip(b.workers[0]));
    assert_eq!(a.verdict.totals.word, b.verdict.totals.word);
}

/// Workers run one after another on plain cells: a legal (sequential)
/// execution of the same protocol, which must pass too.
#[test]
fn sequential_workers_on_plain_cells_pass() {
    let p = plan(Scheme::Linux417, 3, Sharing::SharedCursor, 20_000);
    let layout = StressLayout::new(&p);
    let mut m = Cells::new(layout.len());
    for w in 0..p.workers {
        complete(run_worker(&mut m, &p, &layout, w)).expect("a built-in scheme never faults");
        complete(errseq_stress::finish(&mut m, &layout, w, 1));
    }
    complete(m.store(ARRIVED, 3));
    let verdict = check(&p, &layout, &m.0);
    assert!(verdict.passed(), "{verdict}");
}

/// Two workers on one cursor without f_lock: both can read the cursor
/// before either stores it and both report one error, or one stores an
/// older value after the other's newer one and the error is told again.
/// The bitmap catches it the moment it happens. The window is a few
/// instructions wide natively, so it does not race in every run; each
/// attempt is 2 x 1,000,000 ops with 20% sets, and the test tries up to 20.
#[test]
fn unserialized_reports_are_caught() {
    let mut p = plan(Scheme::Linux413, 2, Sharing::Unserialized, 1_000_000);
    p.set_ppm = 200_000;
    for attempt in 1..=20 {
        p.seed = attempt;
        let run = run_native(&p).expect("run");
        if run.verdict.totals.double > 0 {
            assert!(!run.verdict.passed());
            assert!(!run.verdict.no_double_report.passed(), "{}", run.verdict);
            println!("caught on attempt {attempt}:\n{}", run.verdict);
            return;
        }
    }
    panic!("no double report in 20 unserialized runs");
}

/// The serialized counterpart of the test above never fails.
#[test]
fn the_same_run_under_f_lock_passes() {
    let mut p = plan(Scheme::Linux413, 2, Sharing::SharedCursor, 1_000_000);
    p.set_ppm = 200_000;
    passes(&p);
}

fn good_state() -> (Plan, StressLayout, Vec<u32>) {
    let p = plan(Scheme::Linux413, 2, Sharing::OwnCursor, 20_000);
    let run = run_native(&p).expect("run");
    assert!(run.verdict.passed(), "{}", run.verdict);
    (p.clone(), StressLayout::new(&p), run.cells)
}

#[test]
fn the_checker_rejects_a_cursor_ahead_of_its_word() {
    let (p, layout, mut cells) = good_state();
    let word = cells[layout.word().index()];
    cells[layout.file(1).wb_err.index()] = (word | SEEN) + 0x2000;
    let v = check(&p, &layout, &cells);
    assert!(!v.no_cursor_ahead.passed(), "{v}");
    assert!(v.no_cursor_ahead.problems[0].contains("ahead of the word"), "{v}");

    let (p, layout, mut cells) = good_state();
    let word = cells[layout.word().index()];
    cells[layout.file(0).wb_err.index()] = word & !SEEN;
    let v = check(&p, &layout, &cells);
    assert!(!v.no_cursor_ahead.passed(), "{v}");
}

#[test]
fn the_checker_rejects_a_report_from_the_future() {
    let (p, layout, mut cells) = good_state();
    let top = cells[layout.word().index()] >> 13;
    let (cell, bit) = layout.bitmap_bit(0, top + 5);
    cells[cell.index()] |= bit;
    let v = check(&p, &layout, &cells);
    assert!(!v.no_cursor_ahead.passed(), "{v}");
    assert!(!v.counts_consistent.passed(), "one bit more than reports: {v}");
}

#[test]
fn the_checker_rejects_inconsistent_counts() {
    let (p, layout, mut cells) = good_state();
    cells[layout.worker(0, worker::OPS).index()] += 1;
    let v = check(&p, &layout, &cells);
    assert!(!v.counts_consistent.passed(), "{v}");
    assert!(v.counts_consistent.problems[0].contains("ops but"), "{v}");

    // A lost atomic update: the word has one increment fewer than counted.
    let (p, layout, mut cells) = good_state();
    cells[layout.word().index()] -= 0x2000;
    let v = check(&p, &layout, &cells);
    assert!(v.counts_consistent.problems.iter().any(|m| m.contains("moved it")), "{v}");

    // More errors told than the sets created.
    let (p, layout, mut cells) = good_state();
    let changes: u32 = (0..2).map(|w| cells[layout.worker(w, worker::CHANGES).index()]).sum();
    cells[layout.worker(1, worker::ERRORS).index()] = changes + 1;
    cells[layout.worker(1, worker::REPORTS).index()] += changes + 1;
    cells[layout.worker(1, worker::OPS).index()] += changes + 1;
    let v = check(&p, &layout, &cells);
    assert!(v.counts_consistent.problems.iter().any(|m| m.contains("new word values")), "{v}");

    // A worker that never finished.
    let (p, layout, mut cells) = good_state();
    assert_eq!(cells[layout.worker(1, worker::STATE).index()], DONE);
    cells[layout.worker(1, worker::STATE).index()] = 1;
    let v = check(&p, &layout, &cells);
    assert!(!v.counts_consistent.passed(), "{v}");

    // A snapshot that is too short.
    let v = check(&p, &layout, &cells[..10]);
    assert!(v.invariants().iter().all(|i| !i.passed()));
}

#[test]
fn the_checker_rejects_a_double_report() {
    let (p, layout, mut cells) = good_state();
    cells[layout.worker(0, worker::DOUBLE).index()] = 1;
    let v = check(&p, &layout, &cells);
    assert!(!v.no_double_report.passed(), "{v}");
    assert!(v.to_string().starts_with("FAIL  no error reported twice to one cursor"), "{v}");
}

#[test]
fn faults() {
    let mut p = plan(Scheme::Linux413, 2, Sharing::OwnCursor, 10_000);
    p.fault = Some(Fault { worker: 1, kind: FaultKind::Panic, after_ops: 100 });
    match run_native(&p) {
        Err(NativeError::Crashed { worker: 1, message }) => {
            assert!(message.contains("injected fault"), "{message}")
        }
        other => panic!("expected a crash, got {other:?}"),
    }
    p.fault = Some(Fault { worker: 1, kind: FaultKind::Hang, after_ops: 100 });
    assert_eq!(run_native(&p).err(), Some(NativeError::Hang));
}
