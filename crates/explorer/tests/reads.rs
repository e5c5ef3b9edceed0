//! Reads in `par` blocks: a read is a call of atomic steps like the
//! others, and its page version is part of every joint outcome.

use std::collections::BTreeSet;

use errseq::{Errno, Ret, Scheme};
use errseq_explorer::{check, replay_string, Bounds, Report};
use errseq_scenario::parse;

fn explore(text: &str) -> (errseq_scenario::Parsed, Report) {
    let p = parse(text).expect("valid");
    let r = check(&p, Bounds::default()).expect("explores");
    (p, r)
}

/// The joint outcomes of one scheme, as the results of `events`.
fn outcomes(r: &Report, scheme: Scheme, events: &[usize]) -> BTreeSet<Vec<Option<Ret>>> {
    let c = r.columns.iter().find(|c| c.name.resolve() == scheme).expect("evaluated");
    c.exploration.outcomes.iter().map(|o| events.iter().map(|&e| o.results[e]).collect()).collect()
}

fn v(n: u32) -> Option<Ret> {
    Some(Ret::version(n))
}

/// btrfs before 6.6 leaves a failed page to be read from the disk again:
/// a read racing the failing writeback sees the new data before the
/// completion and the old after it. 6.6 and later (`linux-5.8` here) keep
/// the new data either way.
#[test]
fn a_read_racing_a_failing_writeback_on_btrfs() {
    let (_, r) = explore(
        "schemes: linux-4.17 linux-5.8\nfs: btrfs\nopen a f\nwrite a\nfail f EIO\npar\n  writeback f\n  \
         read a\nend\nread a\n",
    );
    // Events: open, write, fail, then the block's writeback (3) and read
    // (4), then the read after the block (5).
    assert_eq!(
        outcomes(&r, Scheme::Linux417, &[3, 4, 5]),
        BTreeSet::from([vec![None, v(0), v(0)], vec![None, v(1), v(0)]])
    );
    assert_eq!(outcomes(&r, Scheme::Linux58, &[3, 4, 5]), BTreeSet::from([vec![None, v(1), v(1)]]));
}

/// On ext4 a read racing another file's first write decides which inode
/// joins the dirty list first, and so which error the superblock keeps:
/// both orders are joint outcomes, each with its own syncfs result.
#[test]
fn a_read_racing_a_write_orders_the_dirty_list() {
    let (p, r) = explore(
        "schemes: linux-5.8\nopen a f\nopen b g\npar\n  read a as r\n  write b\nend\nwrite a\nfail f EIO\n\
         fail g ENOSPC\nsyncfs a\n",
    );
    let syncfs = 7;
    let got = outcomes(&r, Scheme::Linux58, &[2, syncfs]);
    let (eio, enospc) = (Some(Ret::err(Errno::EIO)), Some(Ret::err(Errno::ENOSPC)));
    assert_eq!(got, BTreeSet::from([vec![v(0), eio], vec![v(0), enospc]]), "read first: g last, ENOSPC");
    // Every outcome's schedule replays to that outcome, reads included.
    let c = &r.columns[0];
    for o in &c.exploration.outcomes {
        let s = replay_string::encode(&r.program, Scheme::Linux58, p.scenario.fs(), &o.schedule)
            .expect("encodes");
        let t = replay_string::decode(&r.program, p.scenario.fs(), &s).expect("decodes");
        assert_eq!(t.results, o.results, "{s}");
    }
    // On xfs the read dirties nothing: g is always first, f last.
    let (_, x) = explore(
        "schemes: linux-5.8\nfs: xfs\nopen a f\nopen b g\npar\n  read a\n  write b\nend\nwrite a\nfail f EIO\n\
         fail g ENOSPC\nsyncfs a\n",
    );
    assert_eq!(outcomes(&x, Scheme::Linux58, &[syncfs]), BTreeSet::from([vec![eio]]));
}

/// Expectations and claims on a read's versions are checked against the
/// joint outcomes like any other result.
#[test]
fn claims_on_reads_hold_or_fail_with_the_outcome() {
    let (_, r) = explore(
        "schemes: linux\nopen a f\nopen b f\nwrite a\npar\n  write b\n  read a as r => {v1, v2}\nend\n\
         exists r = v1\nexists r = v2\nnever r = v0\n",
    );
    assert!(r.violations.is_empty(), "{:?}", r.violations);
    let (_, bad) = explore(
        "schemes: linux\nopen a f\nopen b f\npar\n  write b\n  read a as r => v1\nend\nnever r = v0\n",
    );
    assert_eq!(bad.violations.len(), 2, "the expectation and the claim each fail: {:?}", bad.violations);
}
