//! The outcome table: what the workers observed, merged with what the
//! explorer allows.
//!
//! Every joint outcome either side knows is one row. An outcome the
//! workers observed and the explorer does not allow is the table's
//! alarm: the model says it cannot happen, yet the model's own calls,
//! run on real shared memory, produced it (a bug in the model, the
//! explorer, or the workers' kernel). An outcome the explorer allows and
//! no run showed is only a race the runs did not hit.

use std::collections::BTreeMap;

use errseq::Ret;

/// Where an outcome stands.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Standing {
    /// Observed, and the explorer calls it impossible.
    Impossible,
    /// Observed, and allowed.
    Seen,
    /// Allowed, and not observed.
    Unseen,
}

impl Standing {
    pub fn id(self) -> &'static str {
        match self {
            Standing::Impossible => "impossible",
            Standing::Seen => "seen",
            Standing::Unseen => "unseen",
        }
    }
}

/// One joint outcome of a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Each task's result (`None` for a call that returns nothing).
    pub results: Vec<Option<Ret>>,
    /// Runs that gave it.
    pub observed: u64,
    /// Interleavings that give it, per the explorer (0: none).
    pub interleavings: u128,
    pub standing: Standing,
}

/// The observed outcomes and the explorer's, one row each: impossible
/// ones first, then in the explorer's order of results.
pub fn merge(observed: &[(Vec<Option<Ret>>, u64)], expected: &[(Vec<Option<Ret>>, u128)]) -> Vec<Row> {
    let mut rows: BTreeMap<&[Option<Ret>], (u64, u128)> = BTreeMap::new();
    for (results, n) in observed {
        let e = rows.entry(results).or_default();
        e.0 = e.0.saturating_add(*n);
    }
    for (results, n) in expected {
        let e = rows.entry(results).or_default();
        e.1 = e.1.saturating_add(*n);
    }
    let mut out: Vec<Row> = rows
        .into_iter()
        .map(|(results, (observed, interleavings))| {
            let standing = match (observed > 0, interleavings > 0) {
                (true, false) => Standing::Impossible,
                (true, true) => Standing::Seen,
                _ => Standing::Unseen,
            };
            Row { results: results.to_vec(), observed, interleavings, standing }
        })
        .collect();
    // A stable sort: impossible outcomes first, the results' order kept.
    out.sort_by_key(|r| r.standing != Standing::Impossible);
    out
}

/// What a block's table adds up to.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub runs: u64,
    /// Distinct outcomes the runs showed.
    pub seen: usize,
    /// Distinct outcomes the explorer allows.
    pub allowed: usize,
    /// Observed outcomes the explorer calls impossible, and the runs that gave them.
    pub impossible: usize,
    pub impossible_runs: u64,
}

impl Summary {
    pub fn of(rows: &[Row]) -> Summary {
        let mut s = Summary::default();
        for r in rows {
            s.runs += r.observed;
            s.seen += usize::from(r.observed > 0);
            s.allowed += usize::from(r.interleavings > 0);
            if r.standing == Standing::Impossible {
                s.impossible += 1;
                s.impossible_runs += r.observed;
            }
        }
        s
    }
}

/// A result for a table cell: `0`, `EIO`, or `—` for no result.
pub fn show(result: Option<Ret>) -> String {
    result.map_or_else(|| "—".to_owned(), |r| r.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use errseq::Errno;

    const OK: Option<Ret> = Some(Ret::OK);

    fn eio() -> Option<Ret> {
        Some(Ret::err(Errno::EIO))
    }

    #[test]
    fn observed_and_allowed_outcomes_meet_in_one_table() {
        let expected =
            vec![(vec![OK, None, OK], 10), (vec![OK, None, eio()], 4), (vec![eio(), None, eio()], 2)];
        let observed = vec![(vec![OK, None, OK], 700), (vec![OK, None, eio()], 300)];
        let rows = merge(&observed, &expected);
        let standings: Vec<(Standing, u64, u128)> =
            rows.iter().map(|r| (r.standing, r.observed, r.interleavings)).collect();
        assert_eq!(
            standings,
            [(Standing::Seen, 700, 10), (Standing::Seen, 300, 4), (Standing::Unseen, 0, 2)]
        );
        let s = Summary::of(&rows);
        assert_eq!((s.runs, s.seen, s.allowed, s.impossible), (1000, 2, 3, 0));
    }

    #[test]
    fn an_outcome_the_explorer_never_gives_is_flagged_first() {
        let expected = vec![(vec![OK, OK], 3)];
        let observed = vec![(vec![OK, OK], 5), (vec![eio(), eio()], 2)];
        let rows = merge(&observed, &expected);
        assert_eq!(rows[0].results, [eio(), eio()]);
        assert_eq!((rows[0].standing, rows[0].observed, rows[0].interleavings), (Standing::Impossible, 2, 0));
        assert_eq!(rows[1].standing, Standing::Seen);
        let s = Summary::of(&rows);
        assert_eq!((s.impossible, s.impossible_runs, s.runs), (1, 2, 7));
    }

    #[test]
    fn rows_keep_the_results_order_within_a_standing() {
        let expected = vec![(vec![OK], 1), (vec![eio()], 1)];
        let rows = merge(&[], &expected);
        assert_eq!(rows.iter().map(|r| r.results[0]).collect::<Vec<_>>(), [OK, eio()]);
        assert!(rows.iter().all(|r| r.standing == Standing::Unseen));
        assert_eq!(show(None), "—");
        assert_eq!(show(eio()), "EIO");
    }

    #[test]
    fn the_same_outcome_twice_adds_up() {
        let rows = merge(&[(vec![OK], 2), (vec![OK], 3)], &[(vec![OK], 1), (vec![OK], u128::MAX)]);
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].observed, rows[0].interleavings), (5, u128::MAX));
    }
}
