//! The model compiled to wasm32, run in a real browser: the example corpus
//! must hold there exactly as it does natively.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p errseq-model --target wasm32-unknown-unknown --test wasm`
#![cfg(target_arch = "wasm32")]

use errseq_model::Evaluation;
use errseq_scenario::parse;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_corpus_holds_in_the_browser() {
    // Examples with `par` blocks need the explorer, which this crate does
    // not have; the CLI tests check them natively.
    let sequential = errseq_examples::ALL.iter().filter(|e| !e.is_concurrent());
    let mut n = 0;
    for errseq_examples::Example { name, text, .. } in sequential {
        n += 1;
        let p = parse(text).unwrap_or_else(|d| panic!("{name}: {d:?}"));
        let e = Evaluation::new(&p).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(e.mismatches(&p).is_empty(), "{name}: {:?}", e.mismatches(&p));
    }
    assert!(n >= 40, "only {n} sequential examples embedded");
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
