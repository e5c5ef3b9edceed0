//! The invariants, judged on one joint outcome of one scenario.
//!
//! # Order
//!
//! The explorer tries every interleaving of a `par` block's steps, but
//! the invariants are judged on whole calls: call `a` *happens before*
//! call `b` when `a` comes first in the text and they are not tasks of
//! one `par` block; tasks of one block are concurrent. Inside one call
//! the notes are in order (a fsync records its own writeback's error
//! before it reports). A judgement is made only where this order settles
//! it: an error recorded by a call concurrent with a report may or may not
//! have reached that report, so it is owed to nobody by that report, and
//! a report concurrent with another may have taken what the other
//! missed. So every breach found is one in every reading of the calls'
//! overlap, never an artefact of where the watch put a call's edges;
//! what the invariants cannot settle, they leave alone.
//!
//! # The three
//!
//! - [`Invariant::ToldWhileOpen`]: an error recorded while a description
//!   is open (its open happened before the record, its close, if any,
//!   not) is owed to it. A later report through it that says nothing of
//!   any error breaks the invariant, unless the description was told
//!   (by some call through it that failed) no later than that report.
//! - [`Invariant::ToldOnce`]: every report through a description that
//!   says an error must be paid for by a record of its own: one the
//!   report could have seen (not recorded after it) and that no earlier
//!   report through the description had already seen. Reports are matched
//!   to records (largest matching); a report left over tells an error
//!   twice. The file's word and the superblock's (syncfs, 5.8) are
//!   counted apart: each has its own cursor.
//! - [`Invariant::LateOpener`]: an error recorded before a description's
//!   open, not yet told to anybody then (no call on the file that failed
//!   could have seen it) and not dropped by an eviction, is owed to the
//!   late opener as in the first invariant. This is 4.17's promise
//!   ("errseq: Always report a writeback error once", b4678df184b3).
//!
//! "Told" is generous on purpose: a call through the description that
//! failed told it, whatever its error (a report's, `PG_error`'s in 4.12,
//! a legacy flag found by an O_DIRECT write). Generosity can only hide a
//! breach, never invent one.

use errseq_model::Program;
use errseq_scenario::{Bindings, DescId, FileId};

use crate::watch::{CallLog, Channel, Note};

/// A property a scheme should keep.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Invariant {
    ToldWhileOpen,
    ToldOnce,
    LateOpener,
}

impl Invariant {
    pub const ALL: [Invariant; 3] = [Invariant::ToldWhileOpen, Invariant::ToldOnce, Invariant::LateOpener];

    /// Its stable name (the CLI's and the page's).
    pub fn id(self) -> &'static str {
        match self {
            Invariant::ToldWhileOpen => "told-while-open",
            Invariant::ToldOnce => "told-once",
            Invariant::LateOpener => "late-opener",
        }
    }

    /// What it promises, in a sentence.
    pub fn statement(self) -> &'static str {
        match self {
            Invariant::ToldWhileOpen => {
                "an error recorded while a description is open is told to it by its next fsync"
            }
            Invariant::ToldOnce => "no description is told one error twice",
            Invariant::LateOpener => "a description opened after an error nobody was told is told it",
        }
    }

    fn slot(self) -> usize {
        self as usize
    }
}

/// One breach, in one joint outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Breach {
    pub invariant: Invariant,
    pub desc: DescId,
    /// The call that shows it: silent where it owed an error, or telling
    /// one again.
    pub call: usize,
    /// The call that recorded the error concerned (for a second telling,
    /// the newest it could have seen, if any).
    pub record: Option<usize>,
    /// For a second telling: the description's report before it.
    pub earlier: Option<usize>,
}

/// One outcome's breaches, and which invariants had something at stake.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Judgement {
    pub breaches: Vec<Breach>,
    /// By [`Invariant`]: whether some call owed or told an error.
    pub at_stake: [bool; 3],
}

/// A recorded error: the call, the note's place in it, the file.
#[derive(Copy, Clone, Debug)]
struct Record {
    call: usize,
    at: usize,
    file: FileId,
}

/// A scenario's calls and descriptions, in the order the invariants use.
pub struct Story<'a> {
    bindings: &'a Bindings,
    /// By event: its `par` block.
    block: Vec<Option<usize>>,
    /// By description: the event where its last fd closes.
    close: Vec<Option<usize>>,
    /// `evict` events and their files.
    evicts: Vec<(usize, FileId)>,
}

impl<'a> Story<'a> {
    pub fn new(program: &Program, bindings: &'a Bindings) -> Story<'a> {
        let block = (0..program.ops.len()).map(|e| program.block_of(e)).collect();
        let evicts = program
            .ops
            .iter()
            .enumerate()
            .filter_map(|(e, op)| match op {
                errseq_model::Op::Evict { file } => Some((e, *file)),
                _ => None,
            })
            .collect();
        Story { bindings, block, close: last_closes(program, bindings), evicts }
    }

    /// Whether call `a` happens before call `b`.
    fn hb(&self, a: usize, b: usize) -> bool {
        a < b && (self.block[a].is_none() || self.block[a] != self.block[b])
    }

    fn desc(&self, call: usize) -> Option<DescId> {
        self.bindings.events.get(call).and_then(|b| b.desc)
    }

    fn file_of_desc(&self, d: DescId) -> FileId {
        self.bindings.descriptions[d].file
    }

    /// The calls through `d`.
    fn through(&self, d: DescId, n: usize) -> impl Iterator<Item = usize> + '_ {
        (0..n).filter(move |&c| self.desc(c) == Some(d))
    }

    /// Judges one joint outcome: `logs` by event.
    pub fn judge(&self, logs: &[&CallLog]) -> Judgement {
        let records = records(logs);
        let mut j = Judgement::default();
        for d in 0..self.bindings.descriptions.len() {
            self.told_while_open(d, logs, &records, &mut j);
            for channel in [Channel::File, Channel::Sb] {
                self.told_once(d, channel, logs, &records, &mut j);
            }
            self.late_opener(d, logs, &records, &mut j);
        }
        j
    }

    /// Whether `d` may have been told of `r` no later than `f`: some
    /// other call through it failed, not before the record and not after
    /// `f` (a call concurrent with the record may be the one that saw it).
    fn covered(&self, d: DescId, r: Record, f: usize, logs: &[&CallLog]) -> bool {
        self.through(d, logs.len()).any(|g| g != f && logs[g].told() && !self.hb(g, r.call) && !self.hb(f, g))
    }

    /// Whether record `r` comes before note `at` of call `c`.
    fn before(&self, r: Record, c: usize, at: usize) -> bool {
        self.hb(r.call, c) || (r.call == c && r.at < at)
    }

    /// The fsync reports through `d` that owe `r`: each puts `inv` at
    /// stake, and breaks it if it is silent and `d` was not told `r`
    /// otherwise.
    fn owed(&self, inv: Invariant, d: DescId, r: Record, logs: &[&CallLog], j: &mut Judgement) {
        for f in self.through(d, logs.len()) {
            let Some(at) = logs[f].last_fsync_report() else { continue };
            if !self.before(r, f, at) {
                continue;
            }
            j.at_stake[inv.slot()] = true;
            if logs[f].silent() && !self.covered(d, r, f, logs) {
                j.breaches.push(Breach {
                    invariant: inv,
                    desc: d,
                    call: f,
                    record: Some(r.call),
                    earlier: None,
                });
            }
        }
    }

    fn told_while_open(&self, d: DescId, logs: &[&CallLog], records: &[Record], j: &mut Judgement) {
        let desc = &self.bindings.descriptions[d];
        let open_at_record = |r: &Record| {
            self.hb(desc.opened_at, r.call) && self.close[d].is_none_or(|c| c == r.call || self.hb(r.call, c))
        };
        for &r in records.iter().filter(|r| r.file == desc.file && open_at_record(r)) {
            self.owed(Invariant::ToldWhileOpen, d, r, logs, j);
        }
    }

    fn late_opener(&self, d: DescId, logs: &[&CallLog], records: &[Record], j: &mut Judgement) {
        let desc = &self.bindings.descriptions[d];
        let o = desc.opened_at;
        for &r in records.iter().filter(|r| r.file == desc.file && self.hb(r.call, o)) {
            let wiped =
                self.evicts.iter().any(|&(e, f)| f == r.file && !self.hb(e, r.call) && !self.hb(o, e));
            if wiped || self.seen_before(r, o, logs) {
                continue;
            }
            self.owed(Invariant::LateOpener, d, r, logs, j);
        }
    }

    /// Whether some call on `r`'s file that failed could have seen `r`
    /// before the open `o`.
    fn seen_before(&self, r: Record, o: usize, logs: &[&CallLog]) -> bool {
        (0..logs.len()).any(|g| {
            let on_file = self.bindings.events.get(g).and_then(|b| b.file) == Some(r.file);
            on_file && logs[g].told() && !self.hb(g, r.call) && !self.hb(o, g)
        })
    }

    fn told_once(
        &self,
        d: DescId,
        channel: Channel,
        logs: &[&CallLog],
        records: &[Record],
        j: &mut Judgement,
    ) {
        let file = self.file_of_desc(d);
        let reports: Vec<(usize, usize)> = self
            .through(d, logs.len())
            .flat_map(|c| logs[c].error_reports(channel).map(move |at| (c, at)))
            .collect();
        if reports.is_empty() {
            return;
        }
        j.at_stake[Invariant::ToldOnce.slot()] = true;
        let candidates: Vec<Record> =
            records.iter().copied().filter(|r| channel == Channel::Sb || r.file == file).collect();
        // A report before another, through the same description.
        let earlier = |a: (usize, usize), b: (usize, usize)| self.hb(a.0, b.0) || (a.0 == b.0 && a.1 < b.1);
        let may_pay = |rep: (usize, usize), r: Record| {
            let not_after = !(self.hb(rep.0, r.call) || (r.call == rep.0 && r.at > rep.1));
            let seen_earlier = reports.iter().any(|&e| earlier(e, rep) && self.before(r, e.0, e.1));
            not_after && !seen_earlier
        };
        let edges: Vec<Vec<usize>> = reports
            .iter()
            .map(|&rep| (0..candidates.len()).filter(|&i| may_pay(rep, candidates[i])).collect())
            .collect();
        if let Some(unpaid) = unpaid(&edges) {
            let rep = reports[unpaid];
            let newest = candidates.iter().filter(|r| !self.hb(rep.0, r.call)).map(|r| r.call).max();
            let before = reports.iter().filter(|&&e| earlier(e, rep)).map(|e| e.0).max();
            j.breaches.push(Breach {
                invariant: Invariant::ToldOnce,
                desc: d,
                call: rep.0,
                record: newest,
                earlier: before,
            });
        }
    }
}

/// Every record of the outcome.
fn records(logs: &[&CallLog]) -> Vec<Record> {
    let mut out = Vec::new();
    for (call, log) in logs.iter().enumerate() {
        for (at, n) in log.notes.iter().enumerate() {
            if let Note::Record(file) = *n {
                out.push(Record { call, at, file });
            }
        }
    }
    out
}

/// The event where each description's last fd closes.
fn last_closes(program: &Program, bindings: &Bindings) -> Vec<Option<usize>> {
    let mut open: Vec<usize> = vec![0; bindings.descriptions.len()];
    let mut close = vec![None; bindings.descriptions.len()];
    let mut fds: Vec<(errseq_scenario::Name, DescId)> = Vec::new();
    for (e, change) in program.fd_changes.iter().enumerate() {
        match change {
            errseq_model::program::FdChange::Bind(fd, d) => {
                fds.push((fd.clone(), *d));
                open[*d] += 1;
            }
            errseq_model::program::FdChange::Unbind(fd) => {
                if let Some(i) = fds.iter().position(|(n, _)| n == fd) {
                    let (_, d) = fds.remove(i);
                    open[d] -= 1;
                    if open[d] == 0 {
                        close[d] = Some(e);
                    }
                }
            }
            errseq_model::program::FdChange::None => {}
        }
    }
    close
}

/// The first report (in order) that a largest matching of reports to
/// records leaves unpaid; `edges[r]`: the records report `r` may take.
fn unpaid(edges: &[Vec<usize>]) -> Option<usize> {
    let records = edges.iter().flatten().max().map_or(0, |m| m + 1);
    let mut owner: Vec<Option<usize>> = vec![None; records];
    let mut left = None;
    for r in 0..edges.len() {
        let mut seen = vec![false; records];
        if !augment(r, edges, &mut owner, &mut seen) && left.is_none() {
            left = Some(r);
        }
    }
    left
}

/// Kuhn's augmenting path from report `r`.
fn augment(r: usize, edges: &[Vec<usize>], owner: &mut [Option<usize>], seen: &mut [bool]) -> bool {
    for &rec in &edges[r] {
        if seen[rec] {
            continue;
        }
        seen[rec] = true;
        if owner[rec].is_none_or(|o| augment(o, edges, owner, seen)) {
            owner[rec] = Some(r);
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_matching_pays_what_it_can_and_names_the_report_left_over() {
        // Two reports that can only take the same record: one is left.
        assert_eq!(unpaid(&[vec![0], vec![0]]), Some(1));
        // The first takes either; an augmenting path frees record 1.
        assert_eq!(unpaid(&[vec![0, 1], vec![0]]), None);
        assert_eq!(unpaid(&[vec![], vec![0]]), Some(0));
        assert_eq!(unpaid(&[]), None);
    }
}
