//! What a stress run does: the scheme, the workers and their cursors, how
//! long, how often they set an error, and (for the page's watchdog tests)
//! an injected fault.
//!
//! A plan crosses from the page to each Web Worker as a short list of
//! numbers ([`Plan::to_words`], [`Plan::from_words`]), so both sides decode
//! the same thing without a serialization library. A written scheme's
//! program is not among them: the words say that the plan runs one, and
//! the worker compiles the scheme's source, which reaches it through the
//! typed protocol (`errseq_stress_protocol::StressStart`), and hands the
//! program to [`Plan::from_words`].

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use errseq::{Errno, Scheme};
use errseq_lang::WordLayout;

use crate::written::{check_layout, Written};

/// The schemes a stress run can drive: those with one errseq-layout word
/// and a cursor per open file description. (linux-4.12 has no word;
/// rfc-v1's cursor never advances, so every fsync after an error reports
/// it again, and its 20-bit counter has no SEEN bit to index by.)
pub const SCHEMES: [Scheme; 6] = [
    Scheme::Linux413,
    Scheme::Linux417,
    Scheme::Linux58,
    Scheme::RfcV2,
    Scheme::RfcV2SkipUnchanged,
    Scheme::RfcV2ReportOnce,
];

/// At most this many workers (the page offers 1..=8).
pub const MAX_WORKERS: u32 = 8;

/// At most this many distinct errnos in one plan.
pub const MAX_ERRNOS: usize = 4;

/// A time budget is at most a minute: per-worker counters are 32-bit.
pub const MAX_MILLIS: u32 = 60_000;

/// Parts per million: the unit of [`Plan::set_ppm`].
pub const PPM: u32 = 1_000_000;

/// How workers map to open file descriptions (cursors).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Sharing {
    /// Each worker has an open file description of its own.
    OwnCursor,
    /// Workers 2k and 2k+1 report through one description, like two fds
    /// made by dup(2): the description's `f_lock` serializes their reports.
    SharedCursor,
    /// As `SharedCursor`, but the reports call `errseq_check_and_advance`
    /// with no `f_lock` (what `Documentation/core-api/errseq.rst` warns
    /// against, and what 5.8's syncfs does with `f_sb_err`): the invariant
    /// check is expected to catch double reports.
    Unserialized,
}

impl Sharing {
    pub const ALL: [Sharing; 3] = [Sharing::OwnCursor, Sharing::SharedCursor, Sharing::Unserialized];

    pub fn id(self) -> &'static str {
        match self {
            Sharing::OwnCursor => "own",
            Sharing::SharedCursor => "shared",
            Sharing::Unserialized => "unserialized",
        }
    }

    pub fn from_id(id: &str) -> Option<Sharing> {
        Sharing::ALL.into_iter().find(|s| s.id() == id)
    }

    /// One line for a chooser.
    pub fn describe(self) -> &'static str {
        match self {
            Sharing::OwnCursor => "one cursor per worker",
            Sharing::SharedCursor => "two workers share a cursor (dup'ed fds, f_lock)",
            Sharing::Unserialized => "two workers share a cursor, no f_lock (expected to fail)",
        }
    }

    fn code(self) -> u32 {
        match self {
            Sharing::OwnCursor => 0,
            Sharing::SharedCursor => 1,
            Sharing::Unserialized => 2,
        }
    }
}

/// When each worker stops (besides a stop request or the counter budget).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Budget {
    /// After this many operations per worker.
    Ops(u32),
    /// When the driver raises the stop flag after this many milliseconds.
    Millis(u32),
}

/// A fault injected into one worker, to test the page's watchdog.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum FaultKind {
    /// The worker panics (in wasm: traps) after `after_ops` operations.
    Panic,
    /// The worker spins forever, with no heartbeat, after `after_ops`.
    Hang,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fault {
    pub worker: u32,
    pub kind: FaultKind,
    pub after_ops: u32,
}

/// One stress run.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Plan {
    /// The built-in scheme the workers run; for a written scheme, its base.
    pub scheme: Scheme,
    /// The scheme the scenario writes that the workers run instead of
    /// `scheme` (whose glue it keeps, see `written`).
    pub written: Option<Written>,
    pub workers: u32,
    pub sharing: Sharing,
    pub budget: Budget,
    /// How many operations in a million set an error; the rest are fsync
    /// reports.
    pub set_ppm: u32,
    /// The errnos sets choose from, uniformly.
    pub errnos: Vec<Errno>,
    /// Seeds each worker's PRNG (mixed with the worker's index).
    pub seed: u64,
    pub fault: Option<Fault>,
}

impl Plan {
    /// Two workers, one cursor each, linux-4.13, EIO on 5% of the ops.
    pub fn new(scheme: Scheme, workers: u32, sharing: Sharing, budget: Budget) -> Plan {
        Plan {
            scheme,
            written: None,
            workers,
            sharing,
            budget,
            set_ppm: 50_000,
            errnos: vec![Errno::EIO],
            seed: 0x5eed_e225,
            fault: None,
        }
    }

    /// The plan with the workers running `written` (over its base).
    pub fn with_written(self, written: Written) -> Plan {
        Plan { scheme: written.program.base(), written: Some(written), ..self }
    }

    /// The scheme as a person reads it: `linux-4.13`, or `mine (written,
    /// from linux-4.17)`.
    pub fn scheme_label(&self) -> String {
        match &self.written {
            None => self.scheme.id().to_owned(),
            Some(w) => alloc::format!("{} (written, from {})", w.name, self.scheme),
        }
    }

    /// How many cursors (open file descriptions) the workers report through.
    pub fn cursors(&self) -> u32 {
        match self.sharing {
            Sharing::OwnCursor => self.workers,
            Sharing::SharedCursor | Sharing::Unserialized => self.workers.div_ceil(2),
        }
    }

    /// The cursor worker `index` reports through.
    pub fn cursor_of(&self, index: u32) -> u32 {
        match self.sharing {
            Sharing::OwnCursor => index,
            Sharing::SharedCursor | Sharing::Unserialized => index / 2,
        }
    }

    /// The workers that report through `cursor`.
    pub fn workers_of(&self, cursor: u32) -> impl Iterator<Item = u32> + '_ {
        (0..self.workers).filter(move |&w| self.cursor_of(w) == cursor)
    }

    pub fn validate(&self) -> Result<(), PlanError> {
        match &self.written {
            None if !SCHEMES.contains(&self.scheme) => {
                return Err(PlanError::Scheme(self.scheme.id().to_owned()));
            }
            None => {}
            Some(w) if w.program.base() != self.scheme => {
                return Err(PlanError::WrittenBase { plan: self.scheme, program: w.program.base() });
            }
            Some(w) => {
                check_layout(&w.program)
                    .map_err(|layout| PlanError::WrittenLayout { name: w.name, layout })?;
            }
        }
        if !(1..=MAX_WORKERS).contains(&self.workers) {
            return Err(PlanError::Workers(self.workers));
        }
        match self.budget {
            Budget::Ops(0) | Budget::Millis(0) => return Err(PlanError::Budget),
            Budget::Millis(ms) if ms > MAX_MILLIS => return Err(PlanError::Budget),
            _ => {}
        }
        if self.set_ppm > PPM {
            return Err(PlanError::SetRatio(self.set_ppm));
        }
        if self.errnos.is_empty() || self.errnos.len() > MAX_ERRNOS {
            return Err(PlanError::Errnos);
        }
        if let Some(f) = self.fault {
            if f.worker >= self.workers {
                return Err(PlanError::Fault);
            }
        }
        Ok(())
    }

    /// The plan as numbers, for a `postMessage` to a worker. A written
    /// scheme is one word saying there is one; its program goes beside.
    pub fn to_words(&self) -> Vec<u32> {
        let scheme = encoded_schemes().position(|s| s == self.scheme).map_or(u32::MAX, |i| i as u32);
        let (budget_kind, budget) = match self.budget {
            Budget::Ops(n) => (0, n),
            Budget::Millis(ms) => (1, ms),
        };
        let (fault_kind, fault_worker, fault_after) = match self.fault {
            None => (0, 0, 0),
            Some(Fault { worker, kind: FaultKind::Panic, after_ops }) => (1, worker, after_ops),
            Some(Fault { worker, kind: FaultKind::Hang, after_ops }) => (2, worker, after_ops),
        };
        let mut words = vec![
            WORDS_VERSION,
            scheme,
            self.workers,
            self.sharing.code(),
            budget_kind,
            budget,
            self.set_ppm,
            self.seed as u32,
            (self.seed >> 32) as u32,
            fault_kind,
            fault_worker,
            fault_after,
            u32::from(self.written.is_some()),
            self.errnos.len() as u32,
        ];
        words.extend(self.errnos.iter().map(|e| e.number()));
        words
    }

    /// Decodes [`Plan::to_words`], with the written scheme the words say
    /// the plan runs (compiled from what came beside them), and validates
    /// the result.
    pub fn from_words(words: &[u32], written: Option<Written>) -> Result<Plan, PlanError> {
        let word = |i: usize| words.get(i).copied().ok_or(PlanError::Encoding);
        if word(0)? != WORDS_VERSION {
            return Err(PlanError::Encoding);
        }
        let scheme = usize::try_from(word(1)?)
            .ok()
            .and_then(|i| encoded_schemes().nth(i))
            .ok_or(PlanError::Encoding)?;
        let sharing = match word(3)? {
            0 => Sharing::OwnCursor,
            1 => Sharing::SharedCursor,
            2 => Sharing::Unserialized,
            _ => return Err(PlanError::Encoding),
        };
        let budget = match word(4)? {
            0 => Budget::Ops(word(5)?),
            1 => Budget::Millis(word(5)?),
            _ => return Err(PlanError::Encoding),
        };
        let fault = match word(9)? {
            0 => None,
            k @ (1 | 2) => Some(Fault {
                worker: word(10)?,
                kind: if k == 1 { FaultKind::Panic } else { FaultKind::Hang },
                after_ops: word(11)?,
            }),
            _ => return Err(PlanError::Encoding),
        };
        let written = match (word(12)?, written) {
            (0, None) => None,
            (1, Some(w)) => Some(w),
            (1, None) => return Err(PlanError::WrittenMissing),
            _ => return Err(PlanError::Encoding),
        };
        let count = usize::try_from(word(13)?).map_err(|_| PlanError::Encoding)?;
        if count > MAX_ERRNOS || words.len() != 14 + count {
            return Err(PlanError::Encoding);
        }
        let errnos = words[14..]
            .iter()
            .map(|&n| Errno::new(n).ok_or(PlanError::Encoding))
            .collect::<Result<Vec<_>, _>>()?;
        let plan = Plan {
            scheme,
            written,
            workers: word(2)?,
            sharing,
            budget,
            set_ppm: word(6)?,
            errnos,
            seed: u64::from(word(7)?) | (u64::from(word(8)?) << 32),
            fault,
        };
        plan.validate()?;
        Ok(plan)
    }
}

/// The first word of an encoded plan: "ST" and a version (2: any
/// scheme's index, so that a written scheme's base can be any base, and
/// whether a written scheme runs).
const WORDS_VERSION: u32 = 0x5354_0002;

/// The schemes a plan's words can name, by index.
fn encoded_schemes() -> impl Iterator<Item = Scheme> {
    Scheme::ALL.into_iter().chain(Scheme::VARIANTS)
}

/// Why a plan cannot run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanError {
    Scheme(String),
    /// The words say a written scheme runs, and none came beside them.
    WrittenMissing,
    /// A written scheme over another base than the plan's scheme.
    WrittenBase {
        plan: Scheme,
        program: Scheme,
    },
    /// A written scheme whose word the check cannot read.
    WrittenLayout {
        name: errseq::WrittenName,
        layout: WordLayout,
    },
    Workers(u32),
    Budget,
    SetRatio(u32),
    Errnos,
    Fault,
    Encoding,
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::Scheme(id) => write!(
                f,
                "scheme {id} cannot be stressed: pick one of {}",
                SCHEMES.iter().map(|s| s.id()).collect::<Vec<_>>().join(", ")
            ),
            PlanError::WrittenMissing => f.write_str(
                "the plan runs a written scheme that did not come with it (written schemes run on the JS \
                 Atomics engine, whose workers compile them)",
            ),
            PlanError::WrittenBase { plan, program } => {
                write!(f, "the plan says {plan} but its written scheme starts from {program}")
            }
            PlanError::WrittenLayout { name, layout } => write!(
                f,
                "scheme `{name}` lays its word out differently from lib/errseq.c (ERRSEQ_SEEN {:#x}, \
                 ERRSEQ_CTR_INC {:#x}; the kernel's are {:#x} and {:#x}), and the stress check reads each \
                 word's counter and SEEN bit where the kernel puts them: it cannot judge this scheme",
                layout.seen,
                layout.ctr_inc,
                crate::written::KERNEL_LAYOUT.seen,
                crate::written::KERNEL_LAYOUT.ctr_inc
            ),
            PlanError::Workers(n) => write!(f, "{n} workers: pick 1 to {MAX_WORKERS}"),
            PlanError::Budget => {
                write!(f, "the budget must be at least one op, or 1 to {MAX_MILLIS} ms")
            }
            PlanError::SetRatio(ppm) => write!(f, "set ratio {ppm} ppm is above 1,000,000 (100%)"),
            PlanError::Errnos => write!(f, "pick 1 to {MAX_ERRNOS} errnos"),
            PlanError::Fault => f.write_str("the fault names a worker the plan does not have"),
            PlanError::Encoding => f.write_str("the encoded plan is malformed"),
        }
    }
}

impl core::error::Error for PlanError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        let mut plan = Plan::new(Scheme::RfcV2ReportOnce, 5, Sharing::Unserialized, Budget::Millis(1500));
        plan.errnos = vec![Errno::EIO, Errno::ENOSPC];
        plan.seed = 0x1234_5678_9abc_def0;
        plan.fault = Some(Fault { worker: 4, kind: FaultKind::Hang, after_ops: 77 });
        assert_eq!(Plan::from_words(&plan.to_words(), None), Ok(plan));
    }

    #[test]
    fn malformed_words_are_errors() {
        let good = Plan::new(Scheme::Linux413, 2, Sharing::OwnCursor, Budget::Ops(10)).to_words();
        let decode = |words: &[u32]| Plan::from_words(words, None);
        assert_eq!(decode(&[]), Err(PlanError::Encoding));
        assert_eq!(decode(&good[..good.len() - 1]), Err(PlanError::Encoding));
        let mut bad = good.clone();
        bad[1] = 99;
        assert_eq!(decode(&bad), Err(PlanError::Encoding));
        let mut bad = good.clone();
        bad[2] = 9;
        assert_eq!(decode(&bad), Err(PlanError::Workers(9)));
        let mut bad = good.clone();
        bad[12] = 1; // a written scheme, which did not come
        assert_eq!(decode(&bad), Err(PlanError::WrittenMissing));
        let mut bad = good;
        bad[14] = 41; // unused in Linux
        assert_eq!(decode(&bad), Err(PlanError::Encoding));
    }

    #[test]
    fn cursors_follow_sharing() {
        let own = Plan::new(Scheme::Linux413, 3, Sharing::OwnCursor, Budget::Ops(1));
        assert_eq!((own.cursors(), own.cursor_of(2)), (3, 2));
        let shared = Plan { sharing: Sharing::SharedCursor, ..own };
        assert_eq!(shared.cursors(), 2);
        assert_eq!(shared.workers_of(0).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(shared.workers_of(1).collect::<Vec<_>>(), [2]);
    }

    #[test]
    fn schemes_without_a_cursor_word_are_refused() {
        let plan = Plan::new(Scheme::Linux412, 2, Sharing::OwnCursor, Budget::Ops(1));
        assert!(matches!(plan.validate(), Err(PlanError::Scheme(_))));
        let plan = Plan::new(Scheme::RfcV1, 2, Sharing::OwnCursor, Budget::Ops(1));
        assert!(plan.validate().is_err());
    }
}
