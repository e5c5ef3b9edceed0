//! The model compiled to wasm32, run in a real browser: the example corpus
//! must hold there exactly as it does natively.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p errseq-model --target wasm32-unknown-unknown --test wasm`
#![cfg(target_arch = "wasm32")]

use errseq_model::Evaluation;
use errseq_scenario::parse;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The corpus, built into the test binary (the browser has no file system).
const CORPUS: &[(&str, &str)] = &[
    ("01-seed-design", include_str!("../../../examples/01-seed-design.errseq")),
    ("02-rfc-v2-open-without-seen", include_str!("../../../examples/02-rfc-v2-open-without-seen.errseq")),
    ("03-legacy-second-fd", include_str!("../../../examples/03-legacy-second-fd.errseq")),
    ("04-in-kernel-flush", include_str!("../../../examples/04-in-kernel-flush.errseq")),
    ("05-fsync-retry", include_str!("../../../examples/05-fsync-retry.errseq")),
    ("06-open-only-to-fsync", include_str!("../../../examples/06-open-only-to-fsync.errseq")),
    ("07-dup-vs-open", include_str!("../../../examples/07-dup-vs-open.errseq")),
    ("08-syncfs", include_str!("../../../examples/08-syncfs.errseq")),
    ("09-latest-error-wins", include_str!("../../../examples/09-latest-error-wins.errseq")),
    ("10-fdatasync-sync-file-range", include_str!("../../../examples/10-fdatasync-sync-file-range.errseq")),
    ("11-nfs-close", include_str!("../../../examples/11-nfs-close.errseq")),
    ("12-sync-and-evict", include_str!("../../../examples/12-sync-and-evict.errseq")),
    ("13-heal-and-rewrite", include_str!("../../../examples/13-heal-and-rewrite.errseq")),
    ("14-edquot", include_str!("../../../examples/14-edquot.errseq")),
    ("15-btrfs", include_str!("../../../examples/15-btrfs.errseq")),
    ("16-block-errnos", include_str!("../../../examples/16-block-errnos.errseq")),
    ("17-btrfs-errnos", include_str!("../../../examples/17-btrfs-errnos.errseq")),
    ("18-counter", include_str!("../../../examples/18-counter.errseq")),
    ("oracle-01-dup-writeback", include_str!("../../../examples/oracle-01-dup-writeback.errseq")),
    ("oracle-02-enospc", include_str!("../../../examples/oracle-02-enospc.errseq")),
    ("oracle-03-sync-keeps-error", include_str!("../../../examples/oracle-03-sync-keeps-error.errseq")),
    ("oracle-04-fsync-clears-flags", include_str!("../../../examples/oracle-04-fsync-clears-flags.errseq")),
    ("oracle-05-two-flushes", include_str!("../../../examples/oracle-05-two-flushes.errseq")),
    ("oracle-06-fdatasync-retry", include_str!("../../../examples/oracle-06-fdatasync-retry.errseq")),
    (
        "oracle-07-syncfs-per-description",
        include_str!("../../../examples/oracle-07-syncfs-per-description.errseq"),
    ),
    ("oracle-08-syncfs-late-open", include_str!("../../../examples/oracle-08-syncfs-late-open.errseq")),
    ("oracle-09-other-file", include_str!("../../../examples/oracle-09-other-file.errseq")),
    (
        "oracle-10-evict-keeps-sb-error",
        include_str!("../../../examples/oracle-10-evict-keeps-sb-error.errseq"),
    ),
    (
        "oracle-11-sync-file-range-cursor",
        include_str!("../../../examples/oracle-11-sync-file-range-cursor.errseq"),
    ),
    (
        "oracle-12-late-open-after-seen",
        include_str!("../../../examples/oracle-12-late-open-after-seen.errseq"),
    ),
    ("oracle-13-two-late-openers", include_str!("../../../examples/oracle-13-two-late-openers.errseq")),
    ("oracle-14-sync-then-syncfs", include_str!("../../../examples/oracle-14-sync-then-syncfs.errseq")),
    ("21-syncfs-writeback-order", include_str!("../../../examples/21-syncfs-writeback-order.errseq")),
    ("22-wait-before-skips-write", include_str!("../../../examples/22-wait-before-skips-write.errseq")),
    ("23-page-range-fails", include_str!("../../../examples/23-page-range-fails.errseq")),
    ("24-sync-writes", include_str!("../../../examples/24-sync-writes.errseq")),
    ("25-direct-write", include_str!("../../../examples/25-direct-write.errseq")),
    ("26-mmap-msync", include_str!("../../../examples/26-mmap-msync.errseq")),
    ("27-nfs-read-only-close", include_str!("../../../examples/27-nfs-read-only-close.errseq")),
    ("oracle-15-healthy-neighbour", include_str!("../../../examples/oracle-15-healthy-neighbour.errseq")),
    ("oracle-18-writeback-one-file", include_str!("../../../examples/oracle-18-writeback-one-file.errseq")),
];

#[wasm_bindgen_test]
fn the_corpus_holds_in_the_browser() {
    for (name, text) in CORPUS {
        let p = parse(text).unwrap_or_else(|d| panic!("{name}: {d:?}"));
        let e = Evaluation::new(&p).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(e.mismatches(&p).is_empty(), "{name}: {:?}", e.mismatches(&p));
    }
}

#[wasm_bindgen_test]
fn words_are_bit_exact_in_wasm() {
    let p = parse("schemes: linux-4.13\nopen a f\nerror f EIO\nfsync a\nerror f EIO\n").expect("valid");
    let e = Evaluation::new(&p).expect("sequential");
    let word = |event| e.state_after(0, event).file(0).word.map(|w| w.word);
    assert_eq!(word(1), Some(0x0000_0005));
    assert_eq!(word(2), Some(0x0000_1005));
    assert_eq!(word(3), Some(0x0000_2005));
}
