//! Each scheme's words, step by step, against the kernel-semantics
//! reference. Values are written out by hand from the reference's bit
//! layout, not computed by the code under test.

use errseq::errseq::{self as es, Sampling};
use errseq::memory::{complete, Action, Addr, Cells, Recorder};
use errseq::{legacy, rfc, Errno, File, Mapping, Ret, Scheme};

const WB: Addr = Addr(0);
const FLAGS: Addr = Addr(1);
const I_LOCK: Addr = Addr(2);
const SB: Addr = Addr(3);
const A: File = File { wb_err: Addr(4), sb_err: Addr(5), lock: Addr(6) };
const B: File = File { wb_err: Addr(7), sb_err: Addr(8), lock: Addr(9) };
const MAPPING: Mapping = Mapping { wb_err: WB, flags: FLAGS, i_lock: I_LOCK };

const EIO: Ret = Ret::err(Errno::EIO);
const ENOSPC: Ret = Ret::err(Errno::ENOSPC);

fn cells() -> Cells {
    Cells::new(10)
}

fn set(m: &mut Cells, s: Scheme, err: Errno) {
    complete(s.mapping_set_error(m, MAPPING, SB, err));
}

fn open(m: &mut Cells, s: Scheme, f: File) {
    complete(s.open(m, MAPPING, SB, f));
}

fn fsync(m: &mut Cells, s: Scheme, f: File) -> Ret {
    complete(s.fsync_report(m, MAPPING, f))
}

/// The steps a call takes, for asserting what it does and does not touch.
fn steps<T>(m: &mut Cells, call: impl FnOnce(&mut Recorder<'_, Cells>) -> T) -> Vec<Action> {
    let mut rec = Recorder::new(m);
    call(&mut rec);
    rec.steps.into_iter().map(|(a, _)| a).collect()
}

#[test]
fn first_error_then_report_sets_seen() {
    for s in [Scheme::Linux413, Scheme::Linux417, Scheme::Linux58] {
        let mut m = cells();
        open(&mut m, s, A);
        assert_eq!(m.0[A.wb_err.index()], 0, "{s}: nothing to sample yet");
        set(&mut m, s, Errno::EIO);
        assert_eq!(m.0[WB.index()], 0x0000_0005, "{s}");
        assert_eq!(fsync(&mut m, s, A), EIO, "{s}");
        assert_eq!(m.0[WB.index()], 0x0000_1005, "{s}: the report marks SEEN");
        assert_eq!(m.0[A.wb_err.index()], 0x0000_1005, "{s}: the cursor advances");
        assert_eq!(fsync(&mut m, s, A), Ret::OK, "{s}: reported once");
    }
}

#[test]
fn unseen_repeat_is_a_no_op_without_a_cmpxchg() {
    let mut m = cells();
    m.0[WB.index()] = 0x0000_0005;
    let taken = steps(&mut m, |r| complete(es::set(r, WB, 5)));
    assert_eq!(taken, vec![Action::Load(WB)], "4.13 stops before the cmpxchg");
    assert_eq!(m.0[WB.index()], 0x0000_0005);
}

#[test]
fn rfc_v2_swaps_even_when_nothing_changes() {
    let mut m = cells();
    m.0[WB.index()] = 0x0000_0005;
    let taken = steps(&mut m, |r| complete(rfc::v2_set(r, WB, 5, rfc::Review::default())));
    assert_eq!(taken, vec![Action::Load(WB), Action::Cmpxchg { at: WB, old: 5, new: 5 }]);
    let neil = rfc::Review { skip_unchanged_set: true, ..Default::default() };
    let taken = steps(&mut m, |r| complete(rfc::v2_set(r, WB, 5, neil)));
    assert_eq!(taken, vec![Action::Load(WB)], "NeilBrown's shortcut");
}

#[test]
fn seen_repeat_adds_0x2000() {
    let mut m = cells();
    m.0[WB.index()] = 0x0000_1005;
    complete(es::set(&mut m, WB, 5));
    assert_eq!(m.0[WB.index()], 0x0000_2005);
    complete(es::set(&mut m, WB, 28));
    assert_eq!(m.0[WB.index()], 0x0000_201c, "unseen: errno replaced, counter kept");
    m.0[WB.index()] = 0x0000_301c;
    complete(rfc::v2_set(&mut m, WB, 5, rfc::Review::default()));
    assert_eq!(m.0[WB.index()], 0x0000_4005, "rfc-v2 counts the same way");
}

#[test]
fn bad_errnos_record_nothing() {
    let mut m = cells();
    complete(es::set(&mut m, WB, 0));
    complete(es::set(&mut m, WB, 4096));
    complete(rfc::v1_set(&mut m, WB, I_LOCK, 0));
    complete(rfc::v2_set(&mut m, WB, 4096, rfc::Review::default()));
    assert_eq!(m.0[WB.index()], 0);
}

#[test]
fn counter_wraps_after_2_pow_19_seen_errors_and_hides_them() {
    let s = Scheme::Linux413;
    let mut m = cells();
    open(&mut m, s, A);
    open(&mut m, s, B);
    set(&mut m, s, Errno::EIO);
    assert_eq!(fsync(&mut m, s, A), EIO);
    assert_eq!(fsync(&mut m, s, B), EIO);
    assert_eq!(m.0[B.wb_err.index()], 0x0000_1005);
    // A keeps syncing; B does not look again.
    for _ in 0..(1u32 << 19) - 1 {
        set(&mut m, s, Errno::EIO);
        assert_eq!(fsync(&mut m, s, A), EIO);
    }
    assert_eq!(m.0[WB.index()], 0xffff_f005, "counter at its largest, seen");
    set(&mut m, s, Errno::EIO);
    assert_eq!(m.0[WB.index()], 0x0000_0005, "the 2^19-th seen error wraps to 0");
    assert_eq!(fsync(&mut m, s, A), EIO);
    assert_eq!(m.0[WB.index()], 0x0000_1005, "back to B's cursor exactly");
    assert_eq!(fsync(&mut m, s, B), Ret::OK, "2^19 errors since B's last fsync, and B is told nothing");
}

#[test]
fn one_error_short_of_the_wrap_is_still_reported() {
    let s = Scheme::Linux413;
    let mut m = cells();
    m.0[B.wb_err.index()] = 0x0000_1005;
    m.0[WB.index()] = 0xffff_f005;
    assert_eq!(fsync(&mut m, s, B), EIO);
}

#[test]
fn rfc_v2_open_without_seen_misses_a_repeated_error() {
    // error; open b; the same error again; fsync b.
    let run = |s: Scheme| {
        let mut m = cells();
        set(&mut m, s, Errno::EIO);
        open(&mut m, s, B);
        set(&mut m, s, Errno::EIO);
        (fsync(&mut m, s, B), m.0[WB.index()], m.0[B.wb_err.index()])
    };
    assert_eq!(run(Scheme::RfcV2), (Ret::OK, 0x0000_0005, 0x0000_0005), "missed");
    assert_eq!(run(Scheme::Linux413), (EIO, 0x0000_3005, 0x0000_3005), "sample marked SEEN, so counted");
}

#[test]
fn rfc_v1_never_advances_the_cursor() {
    let s = Scheme::RfcV1;
    let mut m = cells();
    open(&mut m, s, A);
    set(&mut m, s, Errno::EIO);
    assert_eq!(m.0[WB.index()], 0x0000_1005, "counter += 1 << 12 on every error");
    for _ in 0..3 {
        assert_eq!(fsync(&mut m, s, A), EIO);
    }
    assert_eq!(m.0[A.wb_err.index()], 0, "the file's copy is never updated");
    set(&mut m, s, Errno::ENOSPC);
    assert_eq!(m.0[WB.index()], 0x0000_201c);
    assert_eq!(fsync(&mut m, s, A), ENOSPC);
}

#[test]
fn rfc_v1_set_takes_i_lock() {
    let mut m = cells();
    let taken = steps(&mut m, |r| complete(rfc::v1_set(r, WB, I_LOCK, 5)));
    assert_eq!(
        taken,
        vec![Action::Lock(I_LOCK), Action::Load(WB), Action::Store(WB, 0x1005), Action::Unlock(I_LOCK)]
    );
}

#[test]
fn legacy_returns_eio_when_both_flags_are_set_and_clears_both() {
    let s = Scheme::Linux412;
    let mut m = cells();
    set(&mut m, s, Errno::ENOSPC);
    set(&mut m, s, Errno::EIO);
    assert_eq!(m.0[FLAGS.index()], 0b11);
    assert_eq!(fsync(&mut m, s, A), EIO);
    assert_eq!(m.0[FLAGS.index()], 0);
    assert_eq!(fsync(&mut m, s, B), Ret::OK, "the second checker hears nothing");
}

#[test]
fn legacy_folds_other_errnos_into_eio() {
    let s = Scheme::Linux412;
    let mut m = cells();
    set(&mut m, s, Errno::EDQUOT);
    assert_eq!(fsync(&mut m, s, A), EIO);
    set(&mut m, s, Errno::ENOSPC);
    assert_eq!(fsync(&mut m, s, A), ENOSPC);
}

#[test]
fn legacy_check_tests_before_clearing() {
    let mut m = cells();
    m.0[FLAGS.index()] = 0b01;
    let taken = steps(&mut m, |r| complete(legacy::check_errors(r, FLAGS)));
    assert_eq!(taken, vec![Action::Load(FLAGS), Action::Load(FLAGS), Action::FetchAnd(FLAGS, !0b01)]);
}

#[test]
fn sampling_4_13_marks_seen_and_4_17_reads_unseen_as_zero() {
    let mut m = cells();
    assert_eq!(complete(es::sample(&mut m, WB, Sampling::MarkSeen)), 0);
    assert_eq!(m.0[WB.index()], 0, "a never-failed word is left alone");
    m.0[WB.index()] = 0x0000_2005;
    assert_eq!(complete(es::sample(&mut m, WB, Sampling::UnseenAsZero)), 0);
    assert_eq!(m.0[WB.index()], 0x0000_2005, "4.17 samples without writing");
    assert_eq!(complete(es::sample(&mut m, WB, Sampling::MarkSeen)), 0x0000_3005);
    assert_eq!(m.0[WB.index()], 0x0000_3005);
    assert_eq!(complete(es::sample(&mut m, WB, Sampling::UnseenAsZero)), 0x0000_3005);
    let taken = steps(&mut m, |r| complete(es::sample(r, WB, Sampling::MarkSeen)));
    assert_eq!(taken, vec![Action::Load(WB)], "already SEEN: no cmpxchg");
}

#[test]
fn opener_after_an_unseen_error_4_13_vs_4_17() {
    let run = |s: Scheme| {
        let mut m = cells();
        set(&mut m, s, Errno::EIO);
        open(&mut m, s, B);
        (fsync(&mut m, s, B), fsync(&mut m, s, B))
    };
    assert_eq!(run(Scheme::Linux413), (Ret::OK, Ret::OK), "the open marked it seen: lost");
    assert_eq!(run(Scheme::Linux417), (EIO, Ret::OK), "reported once to the later opener");
    assert_eq!(run(Scheme::Linux412), (EIO, Ret::OK), "the flags were still set");
}

#[test]
fn fsync_takes_f_lock_only_on_a_mismatch() {
    let s = Scheme::Linux413;
    let mut m = cells();
    open(&mut m, s, A);
    let quiet = steps(&mut m, |r| complete(s.fsync_report(r, MAPPING, A)));
    assert!(!quiet.contains(&Action::Lock(A.lock)), "{quiet:?}");
    set(&mut m, s, Errno::EIO);
    let slow = steps(&mut m, |r| complete(s.fsync_report(r, MAPPING, A)));
    assert_eq!(
        slow,
        vec![
            Action::Load(A.wb_err),
            Action::Load(WB),
            Action::Lock(A.lock),
            Action::Load(WB),
            Action::Load(A.wb_err),
            Action::Cmpxchg { at: WB, old: 0x5, new: 0x1005 },
            Action::Store(A.wb_err, 0x1005),
            Action::Unlock(A.lock),
            Action::FetchAnd(FLAGS, !0b01),
            Action::FetchAnd(FLAGS, !0b10),
        ]
    );
    assert_eq!(m.0[FLAGS.index()], 0, "the legacy flags are cleared too");
}

#[test]
fn linux_5_8_records_on_the_superblock_and_syncfs_reports_it_once() {
    let s = Scheme::Linux58;
    let mut m = cells();
    open(&mut m, s, A);
    set(&mut m, s, Errno::EIO);
    assert_eq!(m.0[SB.index()], 0x0000_0005);
    assert_eq!(complete(s.syncfs_report(&mut m, SB, A)), EIO);
    assert_eq!(m.0[SB.index()], 0x0000_1005);
    assert_eq!(complete(s.syncfs_report(&mut m, SB, A)), Ret::OK);
    assert_eq!(fsync(&mut m, s, A), EIO, "the mapping's cursor is separate");
    assert_eq!(complete(Scheme::Linux417.syncfs_report(&mut m, SB, A)), Ret::OK, "no sb word before 5.8");
}

#[test]
fn nfs_flush_since_5_9_reports_its_own_errors_and_keeps_the_cursor() {
    let s = Scheme::Linux58;
    let mut m = cells();
    open(&mut m, s, A);
    let noisy =
        complete(s.nfs_flush(&mut m, MAPPING, A, |m| s.mapping_set_error(m, MAPPING, SB, Errno::ENOSPC)));
    assert_eq!(noisy, ENOSPC);
    assert_eq!(m.0[A.wb_err.index()], 0, "close does not advance the cursor");
    assert_eq!(fsync(&mut m, s, A), ENOSPC, "so fsync hears it again");
}

#[test]
fn nfs_flush_since_5_9_reports_an_older_unseen_error() {
    let s = Scheme::Linux58;
    let mut m = cells();
    open(&mut m, s, A);
    set(&mut m, s, Errno::EIO);
    assert_eq!(complete(s.nfs_flush(&mut m, MAPPING, A, |_| Ok(()))), EIO);
}

#[test]
fn nfs_flush_before_5_9_is_an_fsync_that_consumes() {
    for s in [Scheme::Linux413, Scheme::Linux414, Scheme::Linux417] {
        let mut m = cells();
        open(&mut m, s, A);
        set(&mut m, s, Errno::EIO);
        assert_eq!(complete(s.nfs_flush(&mut m, MAPPING, A, |_| Ok(()))), EIO, "{s}");
        assert_eq!(fsync(&mut m, s, A), Ret::OK, "{s}: vfs_fsync advanced the cursor");
    }
}

#[test]
fn check_and_advance_without_the_lock_can_report_twice() {
    // Two callers on one cursor, interleaved by hand: both read the old
    // cursor before either stores. This is the race f_lock prevents.
    let mut m = cells();
    m.0[WB.index()] = 0x0000_0005;
    let word = m.0[WB.index()];
    let cursor_seen_by_both = m.0[A.wb_err.index()];
    assert_ne!(word, cursor_seen_by_both);
    assert_eq!(complete(es::check_and_advance(&mut m, WB, A.wb_err)), EIO);
    m.0[A.wb_err.index()] = cursor_seen_by_both; // the second caller's stale view
    assert_eq!(complete(es::check_and_advance(&mut m, WB, A.wb_err)), EIO);
}
