//! The codec compiled to wasm32 and run in headless Chromium: the golden
//! links of every version (and the text links) decode, and scenarios
//! round-trip through both forms the playground writes, exactly as
//! natively.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p errseq-share --target wasm32-unknown-unknown --test wasm`
#![cfg(target_arch = "wasm32")]

use errseq_scenario::parse;
use errseq_share::{decode, encode, text_fragment};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const GOLDEN: [&str; 3] =
    [include_str!("golden/v1.txt"), include_str!("golden/v2.txt"), include_str!("golden/v3.txt")];

/// `=== link FRAGMENT`, an optional `=== replay STRING`, the canonical text,
/// a blank line (as tests/golden.rs reads it).
fn entries(file: &str) -> Vec<(String, Option<String>, String)> {
    let mut out: Vec<(String, Option<String>, String)> = Vec::new();
    for line in file.lines() {
        if let Some(link) = line.strip_prefix("=== link ") {
            out.push((link.to_owned(), None, String::new()));
        } else if let Some(replay) = line.strip_prefix("=== replay ") {
            if let Some(e) = out.last_mut() {
                e.1 = Some(replay.to_owned());
            }
        } else if let Some(e) = out.last_mut() {
            e.2.push_str(line);
            e.2.push('\n');
        }
    }
    for e in &mut out {
        e.2.pop();
    }
    out
}

#[wasm_bindgen_test]
fn golden_links_decode_in_the_browser() {
    for file in GOLDEN {
        let entries = entries(file);
        assert!(entries.len() >= 40);
        for (link, replay, text) in entries {
            let shared = decode(&link).unwrap_or_else(|e| panic!("{link}: {e}"));
            assert_eq!(shared.scenario.to_string(), text, "{link}");
            assert_eq!(shared.replay, replay, "{link}");
        }
    }
}

#[wasm_bindgen_test]
fn scenarios_round_trip_in_the_browser() {
    let texts = [
        "open a f\nopen b f\nwrite a\nfail f EIO\nfsync a => EIO\nfsync b => EIO linux-4.12=0\n",
        "title: race\nschemes: linux-5.8\n\nopen a f\ndup b a\npar\n  syncfs a as x  # one\n  error f EIO\nend\nexists x = {0, EIO} for linux-5.8\n",
        "open a f O_SYNC\nopen b f O_RDONLY O_DIRECT\nwrite a 2 => EIO\nwrite a RWF_DSYNC\nfail f EIO 1..3\nheal f 2\nmmap_write a 4\nmsync a => 0\n",
    ];
    for text in texts {
        let s = parse(text).expect("valid").scenario;
        let link = encode(&s, Some("1f.UNUH"));
        assert!(link.starts_with('3'), "{link}");
        for link in [link, text_fragment(text, Some("1f.UNUH"))] {
            let back = decode(&link).expect("decodes");
            assert_eq!(back.scenario, s);
            assert_eq!(back.replay.as_deref(), Some("1f.UNUH"));
        }
    }
}
