//! Whole scenarios through the model, checked against outcomes derived by
//! hand from the kernel-semantics reference.

use errseq::{Errno, Ret, Scheme};
use errseq_model::{Evaluation, PageState};
use errseq_scenario::{parse, Parsed};

fn eval(text: &str) -> (Parsed, Evaluation) {
    let p = parse(text).unwrap_or_else(|d| panic!("{d:?}"));
    let e = Evaluation::new(&p).unwrap_or_else(|e| panic!("{e}"));
    (p, e)
}

/// Results of the calls that return one, under the column of `scheme`.
fn results(e: &Evaluation, scheme: Scheme) -> Vec<String> {
    let col = e.columns.iter().position(|(n, _)| n.resolve() == scheme).expect("scheme evaluated");
    e.run(col).results.iter().flatten().map(Ret::to_string).collect()
}

fn col(e: &Evaluation, scheme: Scheme) -> usize {
    e.columns.iter().position(|(n, _)| n.resolve() == scheme).expect("scheme evaluated")
}

const RETRY: &str = "open a f
write a
fail f EIO
fsync a
fsync a
";

#[test]
fn the_fsync_retry_returns_0_after_the_data_is_gone() {
    let (_, e) = eval(RETRY);
    for s in Scheme::ALL {
        let want: &[&str] = if s == Scheme::RfcV1 { &["EIO", "EIO"] } else { &["EIO", "0"] };
        assert_eq!(results(&e, s), want, "{s}");
    }
    let after = e.state_after(col(&e, Scheme::Linux417), 4);
    let f = after.file(0);
    assert_eq!(
        f.pages,
        vec![PageState {
            number: 0,
            written: 1,
            cache: 1,
            disk: 0,
            dirty: false,
            promised: 1,
            failing: Some(Errno::EIO)
        }]
    );
    assert!(f.pages[0].lost(), "fsync said 0; the disk has version 0");
    assert_eq!(f.failing, Some(Errno::EIO));
}

#[test]
fn btrfs_keeps_the_new_content_cached_as_linux_6_18_does() {
    // Measured by the live-kernel oracle (docs/oracle.md), not Rebello's revert.
    let (_, e) = eval(&format!("fs: btrfs\n{RETRY}"));
    let page = e.state_after(col(&e, Scheme::Linux58), 4).file(0).pages[0];
    assert_eq!((page.written, page.cache, page.disk), (1, 1, 0));
    assert!(page.lost());
}

#[test]
fn healthy_storage_loses_nothing() {
    let (_, e) = eval("open a f\nwrite a\nwrite a 3\nfsync a\n");
    let f = e.state_after(0, 3).file(0);
    assert!(f.pages.iter().all(|p| p.disk == 1 && !p.dirty && !p.lost()), "{f:?}");
    assert_eq!(f.pages.iter().map(|p| p.number).collect::<Vec<_>>(), vec![0, 3]);
}

#[test]
fn background_writeback_error_second_fd() {
    let text = "open a f\nopen b f\nwrite a\nfail f EIO\nwriteback f\nfsync a\nfsync b\nfsync b\n";
    let (_, e) = eval(text);
    assert_eq!(results(&e, Scheme::Linux412), ["EIO", "0", "0"], "the flags go to the first checker");
    assert_eq!(results(&e, Scheme::RfcV1), ["EIO", "EIO", "EIO"], "never advances");
    for s in [Scheme::RfcV2, Scheme::Linux413, Scheme::Linux417, Scheme::Linux58] {
        assert_eq!(results(&e, s), ["EIO", "EIO", "0"], "{s}");
    }
}

#[test]
fn an_in_kernel_flush_hides_the_error_before_4_13() {
    let text = "open a f\nwrite a\nfail f EIO\nwriteback f\nflush f\nfsync a\n";
    let (_, e) = eval(text);
    assert_eq!(results(&e, Scheme::Linux412), ["EIO", "0"]);
    assert_eq!(results(&e, Scheme::RfcV2), ["0", "EIO"], "the rfc ext4 sets no legacy flags");
    assert_eq!(results(&e, Scheme::Linux413), ["EIO", "EIO"]);
}

#[test]
fn fsync_clears_the_legacy_flags_from_4_13() {
    let (_, e) = eval("open a f\nerror f ENOSPC\nfsync a\nflush f\n");
    assert_eq!(results(&e, Scheme::Linux413), ["ENOSPC", "0"]);
    assert_eq!(results(&e, Scheme::Linux412), ["ENOSPC", "0"]);
}

#[test]
fn opening_only_to_fsync_4_13_vs_4_17() {
    let text = "open w f\nwrite w\nfail f EIO\nwriteback f\nclose w\nopen c f\nfsync c\n";
    let (_, e) = eval(text);
    assert_eq!(results(&e, Scheme::Linux413), ["0", "0"], "close, then the checkpointer's fsync misses it");
    assert_eq!(results(&e, Scheme::Linux417), ["0", "EIO"]);
    assert_eq!(results(&e, Scheme::Linux412), ["0", "EIO"]);
    assert_eq!(results(&e, Scheme::RfcV2), ["0", "0"]);
}

#[test]
fn eviction_drops_the_unseen_error_but_5_8_keeps_it_on_the_superblock() {
    let text = "open w f\nwrite w\nfail f EIO\nwriteback f\nclose w\nevict f\nopen c f\nfsync c\nsyncfs c\n";
    let (_, e) = eval(text);
    assert_eq!(results(&e, Scheme::Linux417), ["0", "0", "0"]);
    assert_eq!(results(&e, Scheme::Linux58), ["0", "0", "EIO"]);
    let after = e.state_after(col(&e, Scheme::Linux58), 5);
    assert_eq!(after.file(0).word.map(|w| w.word), Some(0), "the mapping's word is gone with the inode");
    assert_eq!(after.sb().map(|w| w.word), Some(0x0000_0005));
    assert_eq!(after.file(0).pages[0].cache, 0, "the cache now reads the disk");
}

#[test]
fn syncfs_reports_any_files_error_once_per_description_in_5_8() {
    let text = "open a f\nopen b g\nerror f EIO\nsyncfs b\nsyncfs b\nsyncfs a\nfsync b\n";
    let (_, e) = eval(text);
    assert_eq!(results(&e, Scheme::Linux58), ["EIO", "0", "EIO", "0"]);
    assert_eq!(results(&e, Scheme::Linux417), ["0", "0", "0", "0"]);
}

#[test]
fn nfs_close_reports_errors_from_its_own_flush() {
    let text = "fs: nfs\nopen a f\nopen b f\nwrite a\nfail f EIO\nclose a\nfsync b\n";
    let (_, e) = eval(text);
    for s in [Scheme::Linux413, Scheme::Linux417, Scheme::Linux58] {
        assert_eq!(results(&e, s), ["EIO", "EIO"], "{s}");
    }
    assert_eq!(results(&e, Scheme::Linux412), ["EIO", "0"], "4.12's flush is an fsync: it takes the flags");
    let (_, ext4) = eval(&text.replace("fs: nfs\n", ""));
    assert_eq!(results(&ext4, Scheme::Linux413), ["0", "EIO"], "ext4 has no ->flush");
}

#[test]
fn nfs_close_is_an_fsync_before_5_9_and_leaves_the_cursor_after() {
    let text = "fs: nfs\nopen a f\ndup b a\nerror f EIO\nclose a\nfsync b\n";
    let (_, e) = eval(text);
    assert_eq!(results(&e, Scheme::Linux413), ["EIO", "0"], "vfs_fsync consumed it for the description");
    assert_eq!(results(&e, Scheme::Linux417), ["EIO", "0"]);
    assert_eq!(results(&e, Scheme::Linux58), ["EIO", "EIO"], "5.9's flush samples and checks");
}

#[test]
fn dup_shares_one_cursor_a_second_open_has_its_own() {
    let dup = "open a f\ndup b a\nerror f EIO\nfsync a\nfsync b\n";
    let two = "open a f\nopen b f\nerror f EIO\nfsync a\nfsync b\n";
    let (_, e) = eval(dup);
    assert_eq!(results(&e, Scheme::Linux413), ["EIO", "0"]);
    let (_, e) = eval(two);
    assert_eq!(results(&e, Scheme::Linux413), ["EIO", "EIO"]);
}

#[test]
fn the_latest_error_wins() {
    let (_, e) = eval("open a f\nerror f ENOSPC\nerror f EIO\nfsync a\n");
    assert_eq!(results(&e, Scheme::Linux413), ["EIO"]);
    assert_eq!(results(&e, Scheme::Linux412), ["EIO"], "both flags set: EIO wins");
    let (_, e) = eval("open a f\nerror f EIO\nerror f ENOSPC\nfsync a\n");
    assert_eq!(results(&e, Scheme::Linux413), ["ENOSPC"]);
    assert_eq!(results(&e, Scheme::Linux412), ["EIO"], "EIO wins whatever the order");
}

#[test]
fn descriptions_reuse_slots_and_show_their_fds() {
    let text = "open a f\nclose a\nopen b f\ndup c b\nerror f EIO\nfsync c\n";
    let (_, e) = eval(text);
    assert_eq!(e.program.layout.slots.len(), 1, "b's description takes a's freed slot");
    let s = e.state_after(col(&e, Scheme::Linux413), 5);
    let d = s.descriptions();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].fds.iter().map(|n| n.as_str()).collect::<Vec<_>>(), ["b", "c"]);
    assert_eq!(d[0].cursor, Some(0x0000_1005));
    assert_eq!(s.file(0).word.map(|w| w.word), Some(0x0000_1005));
}

#[test]
fn expectations_are_checked_per_scheme() {
    let text = "schemes: linux-4.12 linux\nopen a f\nopen b f\nerror f EIO\nfsync a => EIO\nfsync b => EIO\n";
    let (p, e) = eval(text);
    let m = e.mismatches(&p);
    assert_eq!(m.len(), 1);
    assert_eq!((m[0].event, m[0].column, m[0].actual), (4, 0, Ret::OK));
    let fixed = text.replace("fsync b => EIO", "fsync b => EIO linux-4.12=0");
    let (p, e) = eval(&fixed);
    assert!(e.mismatches(&p).is_empty());
}

#[test]
fn columns_follow_the_header_and_share_runs() {
    let (_, e) = eval("schemes: linux linux-5.8 rfc-v1\nsync\n");
    assert_eq!(e.columns.len(), 3);
    assert_eq!(e.runs.len(), 2, "linux and linux-5.8 are one run");
    assert!(!e.differs(0));
}

#[test]
fn par_blocks_are_left_to_the_explorer() {
    let p = parse("open a f\npar\n  fsync a\n  error f EIO\nend\n").expect("valid");
    let err = Evaluation::new(&p).expect_err("concurrent");
    assert!(err.to_string().starts_with("2:1: this scenario has a `par` block"), "{err}");
}
