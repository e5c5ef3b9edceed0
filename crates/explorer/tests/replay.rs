//! Replay strings: every outcome's schedule round-trips, and strings that
//! do not fit say why.

use errseq::Scheme;
use errseq_explorer::{check, replay_string, Bounds};
use errseq_scenario::parse;

const RACE: &str = "schemes: linux-4.12 rfc-v2 linux-4.13 linux-5.8 rfc-v2-report-once
open a f
open b f
par
  fsync a
  error f EIO
  fsync b
end
fsync a
par
  error f ENOSPC
  close b
end
fsync a
";

#[test]
fn every_outcome_round_trips_through_its_replay_string() {
    let p = parse(RACE).expect("valid");
    let r = check(&p, Bounds::default()).expect("explores");
    let mut total = 0;
    for c in &r.columns {
        let scheme = c.name.resolve();
        for o in &c.exploration.outcomes {
            let s = replay_string::encode(&r.program, scheme, p.scenario.fs(), &o.schedule).expect("encodes");
            assert!(s.len() < 24, "{s} is short");
            let t = replay_string::decode(&r.program, p.scenario.fs(), &s).expect("decodes");
            assert_eq!(t.key, scheme);
            assert_eq!(t.schedule, o.schedule, "{s}");
            assert_eq!(t.results, o.results, "{s}: replaying gives that outcome");
            total += 1;
        }
    }
    assert!(total > 10);
}

#[test]
fn strings_that_do_not_fit_say_why() {
    let p = parse(RACE).expect("valid");
    let r = check(&p, Bounds::default()).expect("explores");
    let fs = p.scenario.fs();
    let o = &r.columns[2].exploration.outcomes[1];
    let good = replay_string::encode(&r.program, Scheme::Linux413, fs, &o.schedule).expect("encodes");
    let err = |s: &str| replay_string::decode(&r.program, fs, s).expect_err(s).to_string();
    assert_eq!(err(""), "replay string ``: it is empty");
    assert_eq!(
        err("3d.A.A"),
        "replay string `3d.A.A`: version `3` is not one this program reads (it reads 1 and 2)"
    );
    assert!(
        err("2d.A.A").contains("`.` (character 3) is not a letter, a digit, `-` or `_`"),
        "{}",
        err("2d.A.A")
    );
    assert_eq!(err("1z.A.A"), "replay string `1z.A.A`: `z` is not a scheme letter");
    assert_eq!(err("1d.A"), "replay string `1d.A`: it has 1 blocks; this scenario has 2 par block(s)");
    assert_eq!(err("1d.A*.A"), "replay string `1d.A*.A`: block 1: `*` is not a base64url character");
    assert_eq!(err("1d.."), "replay string `1d..`: block 1 ends before its tasks do");
    let long = format!(
        "{}AAAA",
        replay_string::encode_version_1(&r.program, Scheme::Linux413, fs, &o.schedule).expect("encodes")
    );
    assert_eq!(
        err(&long),
        format!("replay string `{long}`: block 2 goes on after its tasks are done; was it made for another scenario?")
    );
    let other = parse("open a f\npar\n  fsync a\n  sync\nend\n").expect("valid");
    let r2 = check(&other, Bounds::default()).expect("explores");
    assert!(replay_string::decode(&r2.program, fs, &good).is_err(), "made for another scenario");
}

#[test]
fn counts_match_the_binomial_for_independent_tasks() {
    // Two fsyncs on different files, nothing failing: every interleaving of
    // their steps commutes, so there is one outcome, reached by
    // C(m + n, m) interleavings where m, n are their step counts.
    let p =
        parse("schemes: linux-4.13\nopen a f\nopen b g\npar\n  fsync a\n  fsync b\nend\n").expect("valid");
    let r = check(&p, Bounds::default()).expect("explores");
    let e = &r.columns[0].exploration;
    assert_eq!(e.outcomes.len(), 1);
    // Each quiet fsync: submit (nothing dirty), wait, load cursor, load
    // word, clear AS_EIO, clear AS_ENOSPC, promise: 7 steps.
    // C(14, 7) = 3432.
    assert_eq!(e.interleavings, 3432);
    assert_eq!(e.states, 64, "(7 + 1)^2 states: each task's progress, nothing shared changes the other");
}

#[test]
fn too_big_is_a_clear_error_not_a_hang() {
    let p = parse(
        "schemes: linux-5.8\nopen a f\nopen b f\nopen c f\npar\n  fsync a\n  error f EIO\n  fsync b\n  error f ENOSPC\n  fsync c\nend\n",
    )
    .expect("valid");
    let err = check(&p, Bounds { max_states: 10_000, ..Bounds::default() }).expect_err("too big");
    assert!(err.to_string().starts_with("more than 10000 distinct states"), "{err}");
}

/// Every single edit of every replay string of RACE (every character
/// changed to every other of the alphabet, every character of the
/// alphabet and `.` inserted everywhere, every character deleted, every
/// two neighbours swapped) is refused: none names another interleaving.
#[test]
fn no_single_edit_of_a_replay_string_goes_through() {
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    let p = parse(RACE).expect("valid");
    let r = check(&p, Bounds::default()).expect("explores");
    let fs = p.scenario.fs();
    let mut edits = 0;
    for c in &r.columns {
        let scheme = c.name.resolve();
        for o in &c.exploration.outcomes {
            let s = replay_string::encode(&r.program, scheme, fs, &o.schedule).expect("encodes");
            let chars: Vec<char> = s.chars().collect();
            let mut tries: Vec<String> = Vec::new();
            for i in 0..=chars.len() {
                for a in ALPHABET.chars() {
                    if i < chars.len() && a != chars[i] {
                        let mut t = chars.clone();
                        t[i] = a;
                        tries.push(t.into_iter().collect());
                    }
                    let mut t = chars.clone();
                    t.insert(i, a);
                    tries.push(t.into_iter().collect());
                }
                if i < chars.len() {
                    let mut t = chars.clone();
                    t.remove(i);
                    tries.push(t.into_iter().collect());
                }
                if i + 1 < chars.len() && chars[i] != chars[i + 1] {
                    let mut t = chars.clone();
                    t.swap(i, i + 1);
                    tries.push(t.into_iter().collect());
                }
            }
            for t in tries {
                if let Ok(trace) = replay_string::decode(&r.program, fs, &t) {
                    panic!("{t} (an edit of {s}) names {:?} under {}", trace.schedule, trace.scheme);
                }
                edits += 1;
            }
        }
    }
    assert!(edits > 10_000, "{edits}");
}
