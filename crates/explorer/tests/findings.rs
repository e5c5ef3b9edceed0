//! What the explorer proves about the seed thread's arguments. Each test
//! states a finding and checks it with its own predicate over the joint
//! outcomes (not through the scenario's claims, which `errseq check`
//! verifies separately on examples/findings/).

use std::collections::BTreeSet;

use errseq::{Errno, Ret, Scheme, SchemeName};
use errseq_explorer::{check, replay_string, Bounds, Exploration, Report};
use errseq_scenario::{parse, Parsed};

const EIO: Option<Ret> = Some(Ret::err(Errno::EIO));
const ENOSPC: Option<Ret> = Some(Ret::err(Errno::ENOSPC));
const OK: Option<Ret> = Some(Ret::OK);

fn explore(text: &str) -> (Parsed, Report) {
    let p = parse(text).unwrap_or_else(|d| panic!("{d:?}"));
    let r = check(&p, Bounds::default()).unwrap_or_else(|e| panic!("{e}"));
    (p, r)
}

fn with_schemes(schemes: &[Scheme], body: &str) -> String {
    let ids: Vec<&str> = schemes.iter().map(|s| s.id()).collect();
    format!("schemes: {}\n{body}", ids.join(" "))
}

fn column(r: &Report, s: Scheme) -> &Exploration {
    &r.columns.iter().find(|c| c.name.resolve() == s).expect("scheme explored").exploration
}

/// The distinct result vectors, keeping only calls that return.
fn outcome_set(e: &Exploration) -> BTreeSet<Vec<Option<Ret>>> {
    e.outcomes.iter().map(|o| o.results.iter().copied().filter(Option::is_some).collect()).collect()
}

const MERGED: [Scheme; 3] = [Scheme::Linux413, Scheme::Linux417, Scheme::Linux58];

const TWO_FDS: &str = "open a f\nopen b f\npar\n  fsync a\n  error f EIO\n  fsync b\nend\nfsync a\nfsync b\n";
const SHARED: &str = "open a f\ndup b a\npar\n  fsync a\n  error f EIO\n  fsync b\nend\nfsync a\n";

#[test]
fn finding_1_no_interleaving_loses_the_error_or_tells_it_twice() {
    let (_, r) = explore(&with_schemes(&MERGED, TWO_FDS));
    for s in MERGED {
        let e = column(&r, s);
        assert!(e.outcomes.len() > 1, "{s}: the race has several outcomes");
        for o in &e.outcomes {
            // events: 0 open a, 1 open b, 2 fsync a, 3 error, 4 fsync b, 5 fsync a, 6 fsync b
            let told = |events: [usize; 2]| events.iter().filter(|&&i| o.results[i] == EIO).count();
            assert_eq!(told([2, 5]), 1, "{s}: fd a in {:?}", o.results);
            assert_eq!(told([4, 6]), 1, "{s}: fd b in {:?}", o.results);
        }
    }
}

#[test]
fn finding_1b_one_description_two_fds_is_told_once_from_4_13() {
    let mut schemes = MERGED.to_vec();
    schemes.push(Scheme::RfcV2);
    let (_, r) = explore(&with_schemes(&schemes, SHARED));
    let told = |o: &errseq_explorer::JointOutcome| [2, 4, 5].iter().filter(|&&i| o.results[i] == EIO).count();
    for s in MERGED {
        assert!(column(&r, s).outcomes.iter().all(|o| told(o) == 1), "{s}");
    }
    // The seed's patch read the word before taking f_lock, and took "the
    // word now holds what I meant to store" as success: twice.
    let twice: Vec<_> = column(&r, Scheme::RfcV2).outcomes.iter().filter(|o| told(o) == 2).collect();
    assert_eq!(twice.len(), 1);
    assert_eq!((twice[0].results[2], twice[0].results[4], twice[0].results[5]), (EIO, EIO, OK));
}

#[test]
fn finding_2_an_unserialized_cursor_reports_twice() {
    // 5.8's syncfs advances f_sb_err without f_lock.
    let body = "open a f\ndup b a\npar\n  syncfs a\n  error f EIO\n  syncfs b\nend\nsyncfs a\n";
    let (p, r) = explore(&with_schemes(&[Scheme::Linux58], body));
    let e = column(&r, Scheme::Linux58);
    let told = |o: &errseq_explorer::JointOutcome| [2, 4, 5].iter().filter(|&&i| o.results[i] == EIO).count();
    let doubled: Vec<_> = e.outcomes.iter().filter(|o| told(o) == 2).collect();
    assert!(!doubled.is_empty(), "no double report among {:?}", e.outcomes);
    assert!(e.outcomes.iter().all(|o| told(o) >= 1), "never lost, even so");
    // One of them moves the cursor backwards: x returns 0, y and the next syncfs report.
    let backwards = e.outcomes.iter().find(|o| (o.results[2], o.results[4], o.results[5]) == (OK, EIO, EIO));
    let backwards = backwards.expect("the stale-store outcome");
    let program = &r.program;
    let trace =
        errseq_explorer::trace::replay(program, Scheme::Linux58, p.scenario.fs(), &backwards.schedule)
            .expect("its schedule replays");
    let slot = program.layout.slots[program.desc_slot[0]];
    let stores: Vec<u32> = trace
        .steps
        .iter()
        .flat_map(|s| s.changed.iter().filter(|(a, _, _)| *a == slot.sb_err).map(|&(_, _, after)| after))
        .collect();
    assert_eq!(stores, vec![0x0000_1005, 0x0000_1000, 0x0000_1005], "forward, backwards, forward again");

    // With f_lock (fsync's cursor), the same race is told once: see finding 1b.
}

#[test]
fn finding_3_skipping_the_unchanged_cmpxchg_changes_no_outcome() {
    let pair = [Scheme::RfcV2, Scheme::RfcV2SkipUnchanged];
    let scenarios = [
        "open a f\nerror f EIO\npar\n  error f EIO\n  fsync a\nend\nfsync a\n",
        "open a f\nopen b f\nerror f EIO\npar\n  fsync a\n  error f EIO\n  fsync b\nend\nfsync a\nfsync b\n",
        "open a f\ndup b a\nerror f EIO\npar\n  fsync a\n  error f EIO\n  fsync b\nend\nfsync a\n",
        "open a f\nopen b f\npar\n  error f EIO\n  error f EIO\n  fsync a\nend\nfsync a\nfsync b\n",
    ];
    for body in scenarios {
        let (_, r) = explore(&with_schemes(&pair, body));
        let (v2, skip) = (column(&r, pair[0]), column(&r, pair[1]));
        assert_eq!(outcome_set(v2), outcome_set(skip), "same joint outcomes for\n{body}");
        assert!(skip.interleavings < v2.interleavings, "the shortcut does remove steps");
    }
    // The two-task case, derived by hand: (fsync in the block, fsync after).
    let (_, r) = explore(&with_schemes(&pair, scenarios[0]));
    let expected: BTreeSet<Vec<Option<Ret>>> = [vec![EIO, OK], vec![EIO, EIO]].into();
    assert_eq!(outcome_set(column(&r, pair[1])), expected);
}

#[test]
fn finding_4_not_looping_is_safe_per_description_but_not_per_fd() {
    let pair = [Scheme::RfcV2, Scheme::RfcV2ReportOnce];
    let separate = "open a f\nopen b f\nerror f EIO\npar\n  fsync a\n  error f ENOSPC\n  fsync b\nend\nfsync a\nfsync b\n";
    let (_, r) = explore(&with_schemes(&pair, separate));
    assert_eq!(outcome_set(column(&r, pair[0])), outcome_set(column(&r, pair[1])));
    // Two tasks, derived by hand: the report returns the error it read and
    // leaves the newer one for next time, where the loop reports the newer.
    let two = "open a f\nerror f EIO\npar\n  fsync a\n  error f ENOSPC\nend\nfsync a\n";
    let (_, r) = explore(&with_schemes(&pair, two));
    let expected: BTreeSet<Vec<Option<Ret>>> = [vec![EIO, ENOSPC], vec![ENOSPC, OK]].into();
    assert_eq!(outcome_set(column(&r, pair[0])), expected);
    assert_eq!(outcome_set(column(&r, pair[1])), expected);
    let (loops, once) = (column(&r, pair[0]), column(&r, pair[1]));
    let count = |e: &Exploration, res: Vec<Option<Ret>>| {
        e.outcomes
            .iter()
            .find(|o| o.results.iter().copied().filter(Option::is_some).collect::<Vec<_>>() == res)
            .map(|o| o.count)
    };
    assert!(
        count(once, vec![EIO, ENOSPC]) > count(loops, vec![EIO, ENOSPC]),
        "interleavings move to the older error"
    );

    // One description, two fds: exactly two new outcomes, each telling the
    // description about ENOSPC twice (traced by hand in the example file).
    let shared =
        "open a f\ndup b a\nerror f EIO\npar\n  fsync a\n  error f ENOSPC\n  fsync b\nend\nfsync a\n";
    let (_, r) = explore(&with_schemes(&pair, shared));
    let (loops, once) = (outcome_set(column(&r, pair[0])), outcome_set(column(&r, pair[1])));
    assert!(loops.is_subset(&once));
    let added: BTreeSet<_> = once.difference(&loops).cloned().collect();
    let expected: BTreeSet<Vec<Option<Ret>>> = [vec![ENOSPC, EIO, ENOSPC], vec![EIO, ENOSPC, ENOSPC]].into();
    assert_eq!(added, expected);
}

#[test]
fn the_finding_examples_hold_and_a_false_claim_is_caught() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/findings");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("examples/findings") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        let (p, r) = explore(&text);
        assert!(r.violations.is_empty(), "{}: {:?}", path.display(), r.violations);
        assert!(p.scenario.claims().count() >= 2, "{}: states its finding as claims", path.display());
        n += 1;
    }
    assert!(n >= 5);
    // False claims about the same race: one `exists` no interleaving
    // satisfies, one `never` that some interleaving reaches.
    let labelled = TWO_FDS.replacen("  fsync a\n", "  fsync a as a1\n", 1).replacen(
        "end\nfsync a\n",
        "end\nfsync a as a2\n",
        1,
    );
    let text = format!("{}exists a1 = EIO, a2 = EIO\nnever a1 = EIO\n", with_schemes(&MERGED, &labelled));
    let (_, r) = explore(&text);
    let exists = r
        .violations
        .iter()
        .filter(|v| matches!(v, errseq_explorer::Violation::Exists { claim: 0, .. }))
        .count();
    let never = r
        .violations
        .iter()
        .filter(|v| matches!(v, errseq_explorer::Violation::Never { claim: 1, .. }))
        .count();
    assert_eq!((exists, never, r.violations.len()), (3, 3, 6), "{:?}", r.violations);
}

#[test]
fn a_violated_expectation_comes_with_a_replayable_counterexample() {
    let text = format!(
        "{}never a1 = 0, a2 = 0\n",
        with_schemes(
            &[Scheme::Linux412],
            &TWO_FDS
                .replace("  fsync a\n", "  fsync a as a1\n")
                .replace("end\nfsync a\n", "end\nfsync a as a2\n")
        )
    );
    let (p, r) = explore(&text);
    let v = r.violations.first().expect("4.12 can leave a unaware");
    let schedule = v.schedule().expect("a never-claim has a counterexample");
    let s = replay_string::encode(&r.program, Scheme::Linux412, p.scenario.fs(), schedule).expect("encodes");
    let trace = replay_string::decode(&r.program, p.scenario.fs(), &s).expect("decodes");
    assert_eq!(&trace.schedule, schedule);
    assert_eq!((trace.results[2], trace.results[5]), (OK, OK), "a is never told, in this replay");
    let _ = SchemeName::Linux;
}
