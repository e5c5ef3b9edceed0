//! No single edit of a link goes unnoticed: for every example's link
//! (`examples/*.errseq`, `examples/findings/*.errseq`), every character
//! changed to every other character of the alphabet, every character of
//! the alphabet inserted at every place, every character deleted, and
//! every two neighbours swapped: each of these links fails to decode,
//! never giving a scenario at all (let alone another one).
//!
//! Why it holds is in `src/check.rs`: an odd count of characters shows an
//! insertion or a deletion, and the CRC-11 divides no changed or swapped
//! pair. This test is the check of that argument on real links, through
//! the whole decoder (version dispatch included: a `1` put in front of a
//! version-2 link, or its `2` changed to `1`, reaches version 1's
//! decoder, which must refuse too).
//!
//! About 2.4 million decodes, quadratic in a link's length (each edit is
//! decoded whole): an optimized build runs them all, a debug build (the
//! default `cargo test`) the edits at the first and last 10 characters of
//! every link and at every 23rd character between, about a twelfth. Times
//! are in BENCHMARKS.md:
//!
//!     cargo test -p errseq-share --release --test edits -- --nocapture

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::time::Instant;

use errseq_scenario::parse;
use errseq_share::{decode, encode, Kind};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Whether the edits at character `i` (0-based) of a link of `n` are
/// tried: all of them in an optimized build; in a debug build those near
/// either end (where the version, the padding and the check characters
/// are) and every 23rd between.
fn tried(i: usize, n: usize) -> bool {
    !cfg!(debug_assertions) || i < 10 || i + 10 >= n || i % 23 == 0
}

/// Every single edit of `link`, each given to `f` (with what it was, for
/// messages). Edits that give `link` back (a swap of equal neighbours)
/// are left out.
fn for_each_edit(link: &str, mut f: impl FnMut(&str, &dyn Fn() -> String)) -> usize {
    let chars: Vec<char> = link.chars().collect();
    let n = chars.len();
    let mut buf = String::with_capacity(n + 1);
    let mut count = 0;
    let mut run = |buf: &str, what: &dyn Fn() -> String| {
        count += 1;
        f(buf, what);
    };
    for i in (0..n).filter(|&i| tried(i, n)) {
        for &a in ALPHABET {
            let a = char::from(a);
            if a != chars[i] {
                buf.clear();
                buf.extend(chars[..i].iter().chain(std::iter::once(&a)).chain(&chars[i + 1..]));
                run(&buf, &|| format!("character {} changed to `{a}`", i + 1));
            }
        }
    }
    for i in (0..=n).filter(|&i| tried(i, n + 1)) {
        for &a in ALPHABET {
            let a = char::from(a);
            buf.clear();
            buf.extend(chars[..i].iter().chain(std::iter::once(&a)).chain(&chars[i..]));
            run(&buf, &|| format!("`{a}` inserted before character {}", i + 1));
        }
    }
    for i in (0..n).filter(|&i| tried(i, n)) {
        buf.clear();
        buf.extend(chars[..i].iter().chain(&chars[i + 1..]));
        run(&buf, &|| format!("character {} deleted", i + 1));
    }
    for i in (0..n.saturating_sub(1)).filter(|&i| tried(i, n)) {
        if chars[i] != chars[i + 1] {
            buf.clear();
            buf.extend(chars[..i].iter().chain([&chars[i + 1], &chars[i]]).chain(&chars[i + 2..]));
            run(&buf, &|| format!("characters {} and {} swapped", i + 1, i + 2));
        }
    }
    count
}

#[test]
fn every_single_edit_of_every_example_link_is_refused() {
    let start = Instant::now();
    let links: Vec<(String, String)> = common::example_files()
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("read");
            let s = parse(&text).expect("valid").scenario;
            (common::short_name(path), encode(&s, None))
        })
        // A scenario with a form the binary formats have no code for
        // (pages of `fail`, open flags, synchronous writes, mmap) goes as a
        // `text=` link: readable text with no check, as typed by hand.
        // The guarantee here is the binary format's; docs/scenario-format.md
        // says that these links carry none (left for a later format).
        .filter(|(_, link)| !link.starts_with("text="))
        .collect();
    assert!(links.len() >= 40, "{} examples", links.len());
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    let totals: Vec<(usize, Vec<(Kind, usize)>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let links = &links;
                scope.spawn(move || {
                    let mut kinds: Vec<(Kind, usize)> = Vec::new();
                    let mut edits = 0;
                    for (name, link) in links.iter().skip(w).step_by(workers) {
                        edits += for_each_edit(link, |edited, what| {
                            let kind = match decode(edited) {
                                Ok(s) => panic!(
                                    "{name}: {} decodes to\n{}\n(link {link}, edited {edited})",
                                    what(),
                                    s.scenario
                                ),
                                Err(e) => e.kind(),
                            };
                            match kinds.iter_mut().find(|(k, _)| *k == kind) {
                                Some((_, n)) => *n += 1,
                                None => kinds.push((kind, 1)),
                            }
                        });
                    }
                    (edits, kinds)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a worker panicked")).collect()
    });
    let mut edits = 0;
    let mut kinds: Vec<(Kind, usize)> = Vec::new();
    for (n, ks) in totals {
        edits += n;
        for (k, m) in ks {
            match kinds.iter_mut().find(|(x, _)| *x == k) {
                Some((_, c)) => *c += m,
                None => kinds.push((k, m)),
            }
        }
    }
    let chars: usize = links.iter().map(|(_, l)| l.len()).sum();
    let scope = if cfg!(debug_assertions) { "a debug build's share of the" } else { "all" };
    println!(
        "{edits} edits ({scope} single edits) of {} links ({chars} characters) refused on {workers} threads in {:.2?}",
        links.len(),
        start.elapsed()
    );
    for (k, n) in &kinds {
        println!("  {k:?}: {n}");
    }
    assert!(edits > if cfg!(debug_assertions) { 150_000 } else { 2_000_000 }, "{edits}");
}

/// The version character's own edits, which reach other decoders: a `1`
/// in front, the `2` changed to `1`, lost, or swapped with a `1`.
#[test]
fn edits_of_the_version_character_are_refused() {
    for text in ["open a f\nfsync a => EIO\n", "sync\n", "title: t\nschemes: linux\n# n\nsync\n"] {
        let s = parse(text).expect("valid").scenario;
        let link = encode(&s, Some("1a.B"));
        for edited in [format!("1{link}"), format!("1{}", &link[1..]), link[1..].to_owned()] {
            assert!(decode(&edited).is_err(), "{edited} from {link}");
        }
    }
}
