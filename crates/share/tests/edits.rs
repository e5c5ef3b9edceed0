//! No single edit of a link goes unnoticed: for every example's link
//! (`examples/*.errseq`, `examples/findings/*.errseq`), in both forms the
//! playground writes (the binary link of version 3, and the checked text
//! link `scenario=…`), every character changed to every other character
//! of the alphabet, every character of the alphabet inserted at every
//! place, every character deleted, and every two neighbours swapped: each
//! of these links fails to decode, never giving a scenario at all (let
//! alone another one).
//!
//! The alphabet is base64url and the other characters a text link holds
//! or a link is often damaged with: `.~%&=+#`. Whitespace is not an edit
//! (decoders skip it: mail programs wrap links), and neither is a `#` put
//! in front (the fragment's own mark).
//!
//! Why it holds is in `src/check.rs`: an odd count of characters shows an
//! insertion or a deletion, and the CRC-11 divides no changed or swapped
//! pair (of 6-bit values in a binary link, of bytes in a text link). This
//! test is the check of that argument on real links, through the whole
//! decoder (version dispatch included: a `1` put in front of a version-3
//! link, or its `3` changed to `1`, reaches version 1's decoder, which
//! must refuse too; a text link's prefix damaged reads as no link).
//!
//! About 12 million decodes, quadratic in a link's length (each edit is
//! decoded whole): an optimized build runs them all, a debug build (the
//! default `cargo test`) the edits at the first and last 10 characters of
//! every link (version or prefix, padding, check) and at every 23rd
//! character between in a binary link, every 211th in a text link (four
//! times as long), about a twentieth in all. Times are in BENCHMARKS.md:
//!
//!     cargo test -p errseq-share --release --test edits -- --nocapture

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::time::Instant;

use errseq_scenario::parse;
use errseq_share::{decode, encode, text_fragment, Kind};

const ALPHABET: &[u8; 71] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~%&=+#";

/// Whether the edits at character `i` (0-based) of a link of `n` are
/// tried: all of them in an optimized build; in a debug build those near
/// either end (where the version or prefix, the padding and the check
/// characters are) and every `every`th between.
fn tried(i: usize, n: usize, every: usize) -> bool {
    !cfg!(debug_assertions) || i < 10 || i + 10 >= n || i % every == 0
}

/// Every single edit of `link`, each given to `f` (with what it was, for
/// messages). Edits that give `link` back (a swap of equal neighbours)
/// are left out.
fn for_each_edit(link: &str, mut f: impl FnMut(&str, &dyn Fn() -> String)) -> usize {
    let every = if link.starts_with("scenario=") { 211 } else { 23 };
    let tried = |i, n| tried(i, n, every);
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
            if i == 0 && a == '#' {
                // `#` in front is the fragment's mark: the same link.
                continue;
            }
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
    let files = common::example_files();
    let mut links: Vec<(String, String)> = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("read");
        let s = parse(&text).expect("valid").scenario;
        let name = common::short_name(path);
        let binary = encode(&s, None);
        // Every example has a binary link: version 3 says every form, but
        // a written scheme, which only the (checked) text link carries.
        if s.scheme_blocks().next().is_some() {
            assert_eq!(binary, text_fragment(&s.to_string(), None), "{name}");
        } else {
            assert!(binary.starts_with('3'), "{name}: {binary}");
            links.push((name.clone(), binary));
        }
        links.push((format!("{name} (text link)"), text_fragment(&s.to_string(), None)));
    }
    // The forms with a replay string.
    let (s, _) =
        errseq_scenario::parse_unchecked("open a f\npar\n  fsync a\n  error f EIO\nend\n").expect("parses");
    links.push(("a race, with a replay string".into(), encode(&s, Some("2fAFV_gAAH"))));
    links.push((
        "a race, text link with a replay string".into(),
        text_fragment(&s.to_string(), Some("2fAFV_gAAH")),
    ));
    assert!(files.len() >= 50, "{} examples", files.len());
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
                                Err(e) if matches!(e.kind(), Kind::BadCharacter { .. }) => {
                                    Kind::BadCharacter { position: 0 }
                                }
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
        match k {
            Kind::BadCharacter { .. } => println!("  BadCharacter (anywhere): {n}"),
            k => println!("  {k:?}: {n}"),
        }
    }
    assert!(edits > if cfg!(debug_assertions) { 300_000 } else { 10_000_000 }, "{edits}");
}

/// The version character's own edits, which reach other decoders: a `1`
/// or `2` in front, the `3` (or `2`) changed to `1` or `2`, lost, or
/// swapped with the character after it.
#[test]
fn edits_of_the_version_character_are_refused() {
    for text in ["open a f\nfsync a => EIO\n", "sync\n", "title: t\nschemes: linux\n# n\nsync\n"] {
        let s = parse(text).expect("valid").scenario;
        for link in [encode(&s, Some("1a.B")), errseq_share::encode_version_2(&s, Some("1a.B"))] {
            let rest = &link[1..];
            let swapped = format!("{}{}{}", &link[1..2], &link[..1], &link[2..]);
            for edited in [
                format!("1{link}"),
                format!("2{link}"),
                format!("1{rest}"),
                format!("2{rest}"),
                format!("3{rest}"),
                rest.to_owned(),
                swapped,
            ] {
                if edited != link {
                    assert!(decode(&edited).is_err(), "{edited} from {link}");
                }
            }
        }
    }
}
