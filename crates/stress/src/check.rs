//! The invariant check of a finished run, from a snapshot of the cells.
//!
//! Three invariants, each with what was checked and every problem found:
//!
//! 1. **No error reported twice to one cursor**: no report found its
//!    counter value's bit already set in its cursor's bitmap (see `run` for
//!    why that is exact).
//! 2. **No cursor ahead of its word**: a cursor only ever takes values the
//!    word had, marked SEEN, so it is 0 or a SEEN value with an errno of the
//!    plan, whose counter is at most the word's; at the word's counter, the
//!    word must be SEEN with the same errno (unless a report's SEEN marking
//!    was overtaken, which needs two errnos); and no cursor's bitmap holds
//!    a counter the word has not reached.
//! 3. **Counts consistent**: every worker finished; per worker, ops = sets +
//!    reports and the sub-counts fit; per cursor, the bitmap holds one bit
//!    per confirmed, non-double error report, and the cursor was told of
//!    no more errors than sets created new word values; the word's counter
//!    equals the counter increments the setters made (the wrapper of `run`
//!    counts each write to the word that moved the counter: every cmpxchg
//!    that landed, and a written scheme's stores of a value other than the
//!    one its call last saw there; so a lost or torn atomic update shows
//!    here). Each move is one: lib/errseq.c adds `ERRSEQ_CTR_INC` once.

use alloc::borrow::ToOwned;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use alloc::{format, vec};
use core::fmt;

use errseq::word::SEEN;
use errseq::{Layout, Ret, MAX_ERRNO};

use crate::layout::{counter, StressLayout, ARRIVED, COUNTER_BITS, DONE, STOP, STOP_COUNTER_BUDGET};
use crate::plan::Plan;
use crate::run::WorkerCounts;

/// One invariant's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invariant {
    pub name: &'static str,
    /// What was checked, in one line.
    pub checked: String,
    /// Empty when the invariant holds.
    pub problems: Vec<String>,
}

impl Invariant {
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The totals of a run, for display.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub ops: u64,
    pub sets: u64,
    pub reports: u64,
    pub errors: u64,
    pub increments: u64,
    pub changes: u64,
    pub unconfirmed: u64,
    pub double: u64,
    /// The word at the end.
    pub word: u32,
    /// Why the run stopped early, if it did (STOP bits).
    pub stop: u32,
}

impl Totals {
    pub fn stopped_by_counter_budget(&self) -> bool {
        self.stop & STOP_COUNTER_BUDGET != 0
    }
}

/// The three invariants of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub no_double_report: Invariant,
    pub no_cursor_ahead: Invariant,
    pub counts_consistent: Invariant,
    pub totals: Totals,
}

impl Verdict {
    pub fn passed(&self) -> bool {
        self.invariants().iter().all(|i| i.passed())
    }

    pub fn invariants(&self) -> [&Invariant; 3] {
        [&self.no_double_report, &self.no_cursor_ahead, &self.counts_consistent]
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for inv in self.invariants() {
            let mark = if inv.passed() { "PASS" } else { "FAIL" };
            writeln!(f, "{mark}  {}: {}", inv.name, inv.checked)?;
            for p in &inv.problems {
                writeln!(f, "      - {p}")?;
            }
        }
        let t = &self.totals;
        write!(
            f,
            "{} ops: {} sets ({} moved the counter), {} reports ({} told an error); word {}",
            t.ops,
            t.sets,
            t.increments,
            t.reports,
            t.errors,
            describe(t.word)
        )?;
        if t.stopped_by_counter_budget() {
            write!(f, "; stopped early: the counter budget (2^19 - 1 increments) was reached")?;
        }
        Ok(())
    }
}

/// An errseq word as hex, counter, errno and SEEN.
pub fn describe(word: u32) -> String {
    if word == 0 {
        return "0x00000000 (never set)".to_owned();
    }
    let fields = Layout::Errseq.decode(word);
    let seen = if fields.seen == Some(true) { ", SEEN" } else { "" };
    format!("{word:#010x} (counter {}, {}{seen})", fields.counter, fields.errno)
}

/// Checks a snapshot of the cells taken after every worker stopped.
pub fn check(plan: &Plan, layout: &StressLayout, cells: &[u32]) -> Verdict {
    if cells.len() < layout.len() {
        let short = vec![format!("the snapshot has {} cells, the run {}", cells.len(), layout.len())];
        let inv = |name| Invariant { name, checked: "nothing".to_owned(), problems: short.clone() };
        return Verdict {
            no_double_report: inv(NO_DOUBLE),
            no_cursor_ahead: inv(NO_AHEAD),
            counts_consistent: inv(COUNTS),
            totals: Totals::default(),
        };
    }
    let counts: Vec<WorkerCounts> = (0..plan.workers).map(|w| WorkerCounts::read(layout, cells, w)).collect();
    let sum = |f: fn(&WorkerCounts) -> u32| counts.iter().map(|c| u64::from(f(c))).sum::<u64>();
    let totals = Totals {
        ops: sum(|c| c.ops),
        sets: sum(|c| c.sets),
        reports: sum(|c| c.reports),
        errors: sum(|c| c.errors),
        increments: sum(|c| c.increments),
        changes: sum(|c| c.changes),
        unconfirmed: sum(|c| c.unconfirmed),
        double: sum(|c| c.double),
        word: cells[layout.word().index()],
        stop: cells[STOP.index()],
    };
    let on_cursor = |k: u32, f: fn(&WorkerCounts) -> u32| -> u64 {
        plan.workers_of(k).map(|w| u64::from(f(&counts[w as usize]))).sum()
    };
    let who = |k: u32| {
        let ws: Vec<String> = plan.workers_of(k).map(|w| w.to_string()).collect();
        format!("cursor {k} (worker{} {})", if ws.len() > 1 { "s" } else { "" }, ws.join(" and "))
    };
    let word = totals.word;

    // 1. No error reported twice to one cursor.
    let mut problems = Vec::new();
    for k in 0..layout.cursors() {
        let double = on_cursor(k, |c| c.double);
        if double > 0 {
            problems.push(format!(
                "{}: {double} report(s) told the cursor a counter value it had been told before",
                who(k)
            ));
        }
    }
    let no_double_report = Invariant {
        name: NO_DOUBLE,
        checked: format!(
            "{} error reports on {} cursor(s) checked against each cursor's bitmap{}",
            totals.errors,
            layout.cursors(),
            if totals.unconfirmed > 0 {
                format!(
                    " ({} not checkable: their SEEN marking was overtaken by another errno)",
                    totals.unconfirmed
                )
            } else {
                String::new()
            }
        ),
        problems,
    };

    // 2. No cursor ahead of its word.
    let mut problems = Vec::new();
    for k in 0..layout.cursors() {
        let v = cells[layout.file(k).wb_err.index()];
        let label = who(k);
        if v != 0 {
            let errno = Ret::from_errno_field(v);
            if word == 0 {
                problems.push(format!("{label} is {} but the word was never set", describe(v)));
            } else if counter(v) > counter(word) {
                problems.push(format!("{label} is {}, ahead of the word {}", describe(v), describe(word)));
            } else if counter(v) == counter(word)
                && totals.unconfirmed == 0
                && (word & SEEN == 0 || (word & MAX_ERRNO) != (v & MAX_ERRNO))
            {
                problems.push(format!(
                    "{label} is {} but the word at that counter is {}: the cursor claims an error seen \
                     that the word does not",
                    describe(v),
                    describe(word)
                ));
            }
            if v & SEEN == 0 {
                problems.push(format!("{label} is {}, without SEEN: no report stores that", describe(v)));
            }
            if !plan.errnos.iter().any(|e| Ret::err(*e) == errno) {
                problems.push(format!("{label} holds errno {errno}, which no worker set"));
            }
        }
        let bitmap = &cells[layout.bitmap(k)];
        if let Some(top) = highest_bit(bitmap) {
            if word == 0 || top > counter(word) {
                problems.push(format!(
                    "{label} was told of counter {top}, which the word {} has not reached",
                    describe(word)
                ));
            }
        }
    }
    let no_cursor_ahead = Invariant {
        name: NO_AHEAD,
        checked: format!("{} cursor(s) against the word {}", layout.cursors(), describe(word)),
        problems,
    };

    // 3. Counts consistent.
    let mut problems = Vec::new();
    if cells[ARRIVED.index()] != plan.workers {
        problems.push(format!(
            "{} of {} workers reached the start barrier",
            cells[ARRIVED.index()],
            plan.workers
        ));
    }
    for (w, c) in counts.iter().enumerate() {
        let state = cells[layout.worker(w as u32, crate::layout::worker::STATE).index()];
        if state != DONE {
            problems.push(format!("worker {w} did not finish (state {state})"));
        }
        if u64::from(c.ops) != u64::from(c.sets) + u64::from(c.reports) {
            problems.push(format!("worker {w}: {} ops but {} sets + {} reports", c.ops, c.sets, c.reports));
        }
        if c.errors > c.reports || u64::from(c.unconfirmed) + u64::from(c.double) > u64::from(c.errors) {
            problems.push(format!(
                "worker {w}: {} error reports of {} reports, {} unconfirmed, {} double",
                c.errors, c.reports, c.unconfirmed, c.double
            ));
        }
        if c.increments > c.changes || c.changes > c.sets {
            problems.push(format!(
                "worker {w}: {} counter increments, {} word changes, {} sets",
                c.increments, c.changes, c.sets
            ));
        }
    }
    for k in 0..layout.cursors() {
        let bits: u64 = cells[layout.bitmap(k)].iter().map(|b| u64::from(b.count_ones())).sum();
        let recorded = on_cursor(k, |c| c.errors)
            .saturating_sub(on_cursor(k, |c| c.unconfirmed))
            .saturating_sub(on_cursor(k, |c| c.double));
        if bits != recorded {
            problems.push(format!(
                "{}: its bitmap has {bits} counter values, but {recorded} confirmed first reports were counted",
                who(k)
            ));
        }
        let told = on_cursor(k, |c| c.errors);
        if told > totals.changes {
            problems.push(format!(
                "{}: told of {told} errors, but sets created only {} new word values",
                who(k),
                totals.changes
            ));
        }
    }
    if u64::from(counter(word)) != totals.increments {
        problems.push(format!(
            "the word's counter is {}, but the setters' writes moved it {} times",
            counter(word),
            totals.increments
        ));
    }
    if totals.increments >= 1 << COUNTER_BITS {
        problems.push(format!("{} counter increments: the 19-bit counter wrapped", totals.increments));
    }
    if plan.errnos.len() == 1 && totals.unconfirmed > 0 {
        problems.push(format!(
            "{} reports' SEEN marking was overtaken, impossible with a single errno",
            totals.unconfirmed
        ));
    }
    let counts_consistent = Invariant {
        name: COUNTS,
        checked: format!(
            "{} worker(s): {} ops = {} sets + {} reports; word counter {} = {} increments",
            plan.workers,
            totals.ops,
            totals.sets,
            totals.reports,
            counter(word),
            totals.increments
        ),
        problems,
    };

    Verdict { no_double_report, no_cursor_ahead, counts_consistent, totals }
}

const NO_DOUBLE: &str = "no error reported twice to one cursor";
const NO_AHEAD: &str = "no cursor ahead of its word";
const COUNTS: &str = "counts consistent";

/// The highest bit set in a bitmap, as a counter value.
fn highest_bit(bitmap: &[u32]) -> Option<u32> {
    let (i, &cell) = bitmap.iter().enumerate().rev().find(|(_, &c)| c != 0)?;
    Some(i as u32 * 32 + (31 - cell.leading_zeros()))
}
