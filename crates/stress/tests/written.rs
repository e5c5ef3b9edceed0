//! Written schemes in the stress protocol, on native threads: a copy of a
//! base's own source keeps the invariants (and, alone, makes exactly the
//! built-in's run); a scheme broken on purpose is caught by the check; a
//! scheme that faults stops the run with its name and line:col.

use errseq::memory::{complete, Cells, Memory};
use errseq::{Errno, Scheme, WrittenName};
use errseq_lang::{base_source, FaultKind};
use errseq_stress::layout::{worker, ARRIVED, FAULTED, STOP, STOP_FAULT};
use errseq_stress::native::{run_native, NativeError};
use errseq_stress::plan::PlanError;
use errseq_stress::{open_cursors, run_worker, Budget, Plan, Sharing, StressLayout, Written};

/// `source` as scheme `mine`, its block's C starting on line 2.
fn written(base: Scheme, source: &str) -> Written {
    let program = errseq_lang::compile(source, 2, base).unwrap_or_else(|d| panic!("compiles: {d:?}"));
    Written { name: WrittenName::new("mine").expect("a name"), line: 1, program }
}

fn copy_of(base: Scheme) -> Written {
    written(base, base_source(base).expect("a base"))
}

fn plan(w: Written, workers: u32, sharing: Sharing, ops: u32) -> Plan {
    Plan::new(Scheme::Linux413, workers, sharing, Budget::Ops(ops)).with_written(w)
}

/// 4.17's source with `from` replaced by `to` (which must be there).
fn edited(from: &str, to: &str) -> String {
    let src = base_source(Scheme::Linux417).expect("4.17");
    assert!(src.contains(from), "4.17's source has {from:?}");
    src.replacen(from, to, 1)
}

#[test]
fn a_written_copy_of_4_17_keeps_the_invariants() {
    for (workers, sharing) in [(2, Sharing::OwnCursor), (4, Sharing::SharedCursor)] {
        let mut p = plan(copy_of(Scheme::Linux417), workers, sharing, 100_000);
        p.errnos = vec![Errno::EIO, Errno::ENOSPC];
        p.set_ppm = 100_000;
        let run = run_native(&p).expect("runs");
        assert!(run.verdict.passed(), "{} {sharing:?}:\n{}", p.scheme_label(), run.verdict);
        assert!(run.verdict.totals.errors > 0 && run.verdict.totals.increments > 0, "{}", run.verdict);
    }
}

/// One worker is deterministic: a copy of each base's source, interpreted,
/// leaves exactly the cells the built-in scheme leaves (the word, the
/// cursors, every count and bitmap), but for the times.
#[test]
fn alone_a_copy_of_each_base_runs_exactly_as_the_built_in() {
    for base in errseq_stress::SCHEMES {
        for sharing in [Sharing::OwnCursor, Sharing::Unserialized] {
            let mut built_in = Plan::new(base, 1, sharing, Budget::Ops(30_000));
            built_in.set_ppm = 150_000;
            built_in.errnos = vec![Errno::EIO, Errno::ENOSPC];
            let copy = built_in.clone().with_written(copy_of(base));
            let (a, b) = (run_native(&built_in).expect("built-in"), run_native(&copy).expect("copy"));
            let layout = StressLayout::new(&built_in);
            let times: Vec<usize> = (0..1).map(|w| layout.worker(w, worker::ELAPSED_US).index()).collect();
            let strip = |cells: &[u32]| -> Vec<u32> {
                cells.iter().enumerate().map(|(i, &c)| if times.contains(&i) { 0 } else { c }).collect()
            };
            assert!(strip(&a.cells) == strip(&b.cells), "{base} {sharing:?}: the copy's cells differ");
            assert!(b.verdict.passed() && b.verdict.totals.errors > 0, "{}", b.verdict);
        }
    }
}

/// errseq_check_and_advance advances the cursor but does not mark the
/// word SEEN: the next set of the same errno changes nothing (nobody saw
/// the error), so the word stays unseen, the cursor (SEEN) never equals
/// it, and every fsync reports the one error again. Caught alone.
#[test]
fn a_check_and_advance_that_skips_the_cmpxchg_is_caught() {
    let broken = edited("\t\tif (new != old)\n\t\t\tcmpxchg(eseq, old, new);\n", "");
    let p = plan(written(Scheme::Linux417, &broken), 1, Sharing::OwnCursor, 20_000);
    let run = run_native(&p).expect("runs");
    assert!(!run.verdict.no_double_report.passed(), "{}", run.verdict);
    assert!(run.verdict.totals.double > 0);
}

/// A set that never bumps the counter: a new error after a reported one
/// keeps the counter the cursor was told, so it is told that counter again.
#[test]
fn a_set_that_does_not_bump_the_counter_is_caught() {
    let broken = edited("\t\tif (old & ERRSEQ_SEEN)\n\t\t\tnew += ERRSEQ_CTR_INC;\n", "");
    let p = plan(written(Scheme::Linux417, &broken), 2, Sharing::OwnCursor, 20_000);
    let run = run_native(&p).expect("runs");
    assert!(!run.verdict.no_double_report.passed(), "{}", run.verdict);
}

/// Two workers report through one cursor, and the written
/// file_check_and_advance_wb_err forgets f_lock: both can read the cursor
/// before either advances it, and tell one error twice. The window is
/// narrow, so each attempt is 2 x 500,000 ops, up to 20 attempts.
#[test]
fn a_report_without_f_lock_on_a_shared_cursor_is_caught() {
    let broken =
        edited("\t\tspin_lock(&file->f_lock);\n", "").replacen("\t\tspin_unlock(&file->f_lock);\n", "", 1);
    let mut p = plan(written(Scheme::Linux417, &broken), 2, Sharing::SharedCursor, 500_000);
    p.set_ppm = 200_000;
    for attempt in 1..=20 {
        p.seed = attempt;
        let run = run_native(&p).expect("runs");
        if !run.verdict.passed() {
            assert!(!run.verdict.no_double_report.passed(), "{}", run.verdict);
            return;
        }
    }
    panic!("no double report in 20 runs without f_lock");
}

/// A set that writes the word with WRITE_ONCE instead of cmpxchg: alone it
/// is right (the check counts its stores), racing another set it loses an
/// update, which the count check catches.
#[test]
fn a_set_by_plain_store_passes_alone_and_is_caught_racing() {
    let broken =
        edited("\t\tcur = cmpxchg(eseq, old, new);\n", "\t\tWRITE_ONCE(*eseq, new);\n\t\tcur = new;\n");
    let mut p = plan(written(Scheme::Linux417, &broken), 1, Sharing::OwnCursor, 50_000);
    p.set_ppm = 300_000;
    let alone = run_native(&p).expect("runs");
    assert!(alone.verdict.passed(), "{}", alone.verdict);
    p.workers = 2;
    p.set_ppm = 500_000;
    for attempt in 1..=20 {
        p.seed = attempt;
        let run = run_native(&p).expect("runs");
        if !run.verdict.passed() {
            assert!(!run.verdict.counts_consistent.passed(), "{}", run.verdict);
            return;
        }
    }
    panic!("no lost update in 20 runs of two plain-store setters");
}

fn fault_of(p: &Plan) -> (Option<u32>, errseq_stress::WrittenFault) {
    match run_native(p) {
        Err(NativeError::Fault { worker, fault }) => (worker, fault),
        other => panic!("expected a fault, got {other:?}"),
    }
}

#[test]
fn an_endless_loop_stops_the_run_with_the_scheme_and_its_line() {
    let endless = "errseq_t errseq_set(errseq_t *eseq, int err)\n{\n\tfor (;;) { }\n}\n";
    let mut p = plan(written(Scheme::Linux417, endless), 2, Sharing::OwnCursor, 100_000);
    p.set_ppm = 500_000;
    let (worker, fault) = fault_of(&p);
    assert!(worker.is_some());
    assert!(matches!(fault.fault.kind, FaultKind::EndlessLoop { .. }));
    let said = NativeError::Fault { worker, fault }.to_string();
    assert!(said.contains("4:2: scheme `mine`: this call went round its loops"), "{said}");
}

/// A report that returns holding f_lock on a cursor two workers share:
/// the run stops on the fault, and the lock is released, so the other
/// worker does not spin on it forever (this test would hang).
#[test]
fn a_report_returning_with_the_lock_held_stops_and_releases_it() {
    let broken = edited("\t\tspin_unlock(&file->f_lock);\n", "");
    let mut p = plan(written(Scheme::Linux417, &broken), 4, Sharing::SharedCursor, 100_000);
    p.set_ppm = 300_000;
    let (_, fault) = fault_of(&p);
    assert_eq!(fault.fault.kind, FaultKind::ReturnHoldingLock);
    assert!(fault.to_string().contains("scheme `mine`"), "{fault}");
}

#[test]
fn a_bad_return_and_a_faulting_open_are_reported() {
    let bad = "int file_check_and_advance_wb_err(struct file *file)\n{\n\treturn 5;\n}\n";
    let (_, fault) = fault_of(&plan(written(Scheme::Linux413, bad), 1, Sharing::OwnCursor, 1_000));
    assert_eq!(fault.fault.kind, FaultKind::BadReturn { value: 5 });
    assert_eq!((fault.fault.site.span.line, fault.fault.site.span.col), (4, 2));

    let sample = "errseq_t errseq_sample(errseq_t *eseq)\n{\n\treturn 1 / READ_ONCE(*eseq);\n}\n";
    let p = plan(written(Scheme::Linux417, sample), 1, Sharing::OwnCursor, 1_000);
    let (worker, fault) = fault_of(&p);
    assert_eq!((worker, fault.fault.kind), (None, FaultKind::DivisionByZero));
}

/// On plain cells, the faulting worker leaves its state, STOP, its counts
/// and a released lock behind for the driver and the page.
#[test]
fn a_faulting_worker_marks_itself_and_raises_stop() {
    let broken = edited("\t\tspin_unlock(&file->f_lock);\n", "");
    let mut p = plan(written(Scheme::Linux417, &broken), 1, Sharing::SharedCursor, 10_000);
    p.set_ppm = 500_000;
    let layout = StressLayout::new(&p);
    let mut m = Cells::new(layout.len());
    complete(open_cursors(&mut m, &p, &layout)).expect("opens");
    complete(m.store(ARRIVED, 1));
    let fault = complete(run_worker(&mut m, &p, &layout, 0)).expect_err("faults");
    assert_eq!(fault.fault.kind, FaultKind::ReturnHoldingLock);
    assert_eq!(m.0[layout.worker(0, worker::STATE).index()], FAULTED);
    assert_eq!(m.0[STOP.index()] & STOP_FAULT, STOP_FAULT);
    assert_eq!(m.0[layout.file(0).lock.index()], 0, "the lock is released");
    assert!(m.0[layout.worker(0, worker::OPS).index()] > 0, "its counts are flushed");
}

#[test]
fn plans_with_written_schemes_encode_and_validate() {
    let mut p = plan(copy_of(Scheme::Linux414), 3, Sharing::SharedCursor, 7);
    p.errnos = vec![Errno::ENOSPC];
    assert_eq!(p.scheme, Scheme::Linux414, "the plan follows the written scheme's base");
    assert_eq!(p.scheme_label(), "mine (written, from linux-4.14)");
    let w = p.written.clone();
    assert_eq!(Plan::from_words(&p.to_words(), w.clone()), Ok(p.clone()));
    assert_eq!(Plan::from_words(&p.to_words(), None), Err(PlanError::WrittenMissing));
    let built_in = Plan::new(Scheme::Linux414, 3, Sharing::SharedCursor, Budget::Ops(7));
    assert_eq!(built_in.validate(), Err(PlanError::Scheme("linux-4.14".to_owned())));
    assert_eq!(
        Plan::from_words(&Plan { scheme: Scheme::Linux413, ..built_in }.to_words(), w),
        Err(PlanError::Encoding)
    );

    // A plan whose scheme is not the written one's base.
    let other = Plan { scheme: Scheme::Linux417, ..p };
    assert!(matches!(other.validate(), Err(PlanError::WrittenBase { .. })));

    // The check reads the kernel's layout; a scheme that moves it is refused.
    let moved = format!("#define ERRSEQ_SHIFT 13\n{}", base_source(Scheme::Linux417).expect("4.17"));
    let e =
        plan(written(Scheme::Linux417, &moved), 1, Sharing::OwnCursor, 1).validate().expect_err("refused");
    assert!(e.to_string().contains("lays its word out differently from lib/errseq.c"), "{e}");
}
