//! No input panics the decoder or makes it slow: a million fragments,
//! made by damaging real links of every version and of both text forms
//! (changed, inserted, deleted, swapped characters, cut ends) and at
//! random (base64url strings after a version, `text=` and `scenario=`
//! strings of percent escapes and scenario words).
//!
//! The count is `ERRSEQ_SHARE_FUZZ` (default 1,000,000), in the default
//! `cargo test` run, debug build included.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::time::{Duration, Instant};

use common::Rng;
use errseq_scenario::parse;
use errseq_share::{
    decode, encode, encode_version_1, encode_version_2, text_fragment, unchecked_text_fragment, Kind,
};

const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Real links: every example with and without a replay string, and a few
/// small scenarios (most damaged links in the wild are short ones).
fn seeds() -> Vec<String> {
    let mut out = Vec::new();
    let small = [
        "open a f\nfsync a => EIO\n",
        "open a f\nopen b f\nwrite a\nfail f EIO\nfsync a => EIO\nfsync b => EIO linux-4.12=0\nfsync a => 0\nheal f\n",
        "schemes: linux-4.13 linux\nopen a f\ndup b a\npar\n  fsync a as x\n  error f EIO\n  fsync b as y\nend\nnever x = EIO, y = EIO\n",
        "title: t\nfs: nfs\n# note\n\nopen a f  # c\nwrite a 7\nclose a => {0, EIO} linux-4.12=0\n",
    ];
    for text in small {
        let s = parse(text).expect("valid").scenario;
        out.push(encode(&s, None));
        out.push(encode(&s, Some("2fAFV_gAAH")));
        out.push(encode_version_1(&s, Some("1f.UNUH")));
        out.push(encode_version_2(&s, Some("1f.UNUH")));
        out.push(text_fragment(text, None));
        out.push(unchecked_text_fragment(text, Some("1f.UNUH")));
    }
    for path in common::example_files() {
        let text = std::fs::read_to_string(&path).expect("read");
        let s = parse(&text).expect("valid").scenario;
        out.push(encode(&s, None));
        out.push(encode(&s, Some("1a.AB.c")));
        out.push(encode_version_1(&s, None));
        out.push(encode_version_2(&s, None));
        out.push(text_fragment(&text, Some("2fAFV_gAAH")));
    }
    out
}

fn random_char(rng: &mut Rng) -> char {
    match rng.below(10) {
        0 => char::from(rng.below(128) as u8),
        1 => ['é', '✓', '\u{0}', '\u{feff}', '#', '%', '+', '=', '.', ' '][rng.below(10)],
        _ => char::from(B64[rng.below(64)]),
    }
}

fn mutate(rng: &mut Rng, seed: &str) -> String {
    let mut chars: Vec<char> = seed.chars().collect();
    let rounds = 1 + usize::from(rng.below(4) == 0) * rng.below(4);
    for _ in 0..rounds {
        let n = chars.len();
        match rng.below(6) {
            0 if n > 0 => {
                let i = rng.below(n);
                chars[i] = random_char(rng);
            }
            1 => {
                let i = rng.below(n + 1);
                chars.insert(i, random_char(rng));
            }
            2 if n > 0 => {
                chars.remove(rng.below(n));
            }
            3 => chars.truncate(rng.below(n + 1)),
            4 if n > 1 => {
                let (i, j) = (rng.below(n), rng.below(n));
                chars.swap(i, j);
            }
            _ if n > 0 => {
                // Flip one bit of a payload character's value.
                let i = rng.below(n);
                if let Some(v) = B64.iter().position(|&b| char::from(b) == chars[i]) {
                    chars[i] = char::from(B64[v ^ (1 << rng.below(6))]);
                }
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

fn random_binary(rng: &mut Rng) -> String {
    let mut s = String::from(["9", "1", "2", "3", "3"][rng.below(5)]);
    for _ in 0..rng.below(80) {
        s.push(char::from(B64[rng.below(64)]));
    }
    s
}

fn random_text(rng: &mut Rng) -> String {
    const SOUP: [&str; 28] = [
        "open",
        "%20",
        "a",
        "f",
        "%0A",
        "fsync",
        "+",
        "%3D%3E",
        "EIO",
        "par",
        "end",
        "%0A%20%20",
        "%",
        "%2",
        "%zz",
        "%C3%A9",
        "%FF",
        "#",
        "title:",
        "schemes:",
        "linux",
        "{0,EIO}",
        "never",
        "=",
        "&replay=",
        "1f.UNUH",
        "dup",
        "error",
    ];
    let mut s = String::from(["text=", "scenario="][rng.below(2)]);
    for _ in 0..rng.below(30) {
        s.push_str(SOUP[rng.below(SOUP.len())]);
    }
    if s.starts_with("scenario=") && rng.below(2) == 0 {
        // With its check, so that the text behind it is read too.
        let text = &s["scenario=".len()..];
        s = text_fragment(text, None);
    }
    s
}

/// What one worker saw.
#[derive(Default)]
struct Tally {
    decoded: usize,
    in_decode: Duration,
    worst: Duration,
    worst_input: String,
    kinds: Vec<(String, usize)>,
}

fn run(seeds: &[String], mut rng: Rng, count: usize) -> Tally {
    let mut t = Tally::default();
    for _ in 0..count {
        let input = match rng.below(10) {
            0 => random_binary(&mut rng),
            1 => random_text(&mut rng),
            _ => {
                let seed = &seeds[rng.below(seeds.len())];
                mutate(&mut rng, seed)
            }
        };
        let start = Instant::now();
        let result = decode(&input);
        let took = start.elapsed();
        t.in_decode += took;
        if took > t.worst {
            t.worst = took;
            t.worst_input = input.clone();
        }
        let kind = match &result {
            Ok(shared) => {
                // What decodes is canonical: its own link gives it back.
                let again = decode(&encode(&shared.scenario, shared.replay.as_deref()));
                assert_eq!(again.as_ref().ok(), Some(shared), "{input:?}");
                t.decoded += 1;
                "decoded".to_owned()
            }
            Err(e) => {
                assert!(!e.to_string().is_empty());
                if let Kind::BadCharacter { position } = e.kind() {
                    assert!(position >= 1 && position <= input.chars().count() + 1, "{input:?}: {e}");
                }
                format!("{:?}", e.kind()).split(' ').next().unwrap_or("").to_owned()
            }
        };
        match t.kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => t.kinds.push((kind, 1)),
        }
    }
    t
}

#[test]
fn a_million_damaged_or_random_links_never_panic_and_decode_fast() {
    let count: usize =
        std::env::var("ERRSEQ_SHARE_FUZZ").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let seeds = seeds();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    let start = Instant::now();
    let tallies: Vec<Tally> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let seeds = &seeds;
                let n = count / workers + usize::from(w < count % workers);
                scope.spawn(move || {
                    run(seeds, Rng(0x9e37_79b9_7f4a_7c15 ^ ((w as u64 + 1) * 0x1234_5678_9abc)), n)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a worker panicked")).collect()
    });
    let total = start.elapsed();
    let mut all = Tally::default();
    for t in tallies {
        all.decoded += t.decoded;
        all.in_decode += t.in_decode;
        if t.worst > all.worst {
            all.worst = t.worst;
            all.worst_input = t.worst_input;
        }
        for (k, n) in t.kinds {
            match all.kinds.iter_mut().find(|(x, _)| *x == k) {
                Some((_, m)) => *m += n,
                None => all.kinds.push((k, n)),
            }
        }
    }
    all.kinds.sort();
    println!(
        "{count} fragments on {workers} threads in {total:.2?} ({:.2?} decoding in all, {} decoded); slowest decode {:.2?}",
        all.in_decode, all.decoded, all.worst
    );
    println!(
        "  slowest input: {} characters, {:?}",
        all.worst_input.chars().count(),
        all.worst_input.chars().take(60).collect::<String>()
    );
    for (k, n) in &all.kinds {
        println!("  {k:<16} {n}");
    }
    assert_eq!(all.kinds.iter().map(|(_, n)| n).sum::<usize>(), count);
    assert!(all.worst < Duration::from_secs(1), "{:?} for {:?}", all.worst, all.worst_input);
}
