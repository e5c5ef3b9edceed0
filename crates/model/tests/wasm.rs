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
    ("01", include_str!("../../../examples/01-seed-design.errseq")),
    ("02", include_str!("../../../examples/02-rfc-v2-open-without-seen.errseq")),
    ("03", include_str!("../../../examples/03-legacy-second-fd.errseq")),
    ("04", include_str!("../../../examples/04-in-kernel-flush.errseq")),
    ("05", include_str!("../../../examples/05-fsync-retry.errseq")),
    ("06", include_str!("../../../examples/06-open-only-to-fsync.errseq")),
    ("07", include_str!("../../../examples/07-dup-vs-open.errseq")),
    ("08", include_str!("../../../examples/08-syncfs.errseq")),
    ("09", include_str!("../../../examples/09-latest-error-wins.errseq")),
    ("10", include_str!("../../../examples/10-fdatasync-sync-file-range.errseq")),
    ("11", include_str!("../../../examples/11-nfs-close.errseq")),
    ("12", include_str!("../../../examples/12-sync-and-evict.errseq")),
    ("13", include_str!("../../../examples/13-heal-and-rewrite.errseq")),
    ("14", include_str!("../../../examples/14-edquot.errseq")),
    ("15", include_str!("../../../examples/15-btrfs.errseq")),
];

#[wasm_bindgen_test]
fn the_corpus_holds_in_the_browser() {
    for (name, text) in CORPUS {
        let p = parse(text).unwrap_or_else(|d| panic!("{name}: {d:?}"));
        let e = Evaluation::new(&p).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(e.columns.len(), 6, "{name}");
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
