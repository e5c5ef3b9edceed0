//! What a column runs: a built-in scheme, or a scheme the scenario writes.
//!
//! The kernel's calls ([`crate::kernel`]) ask their scheme for seven
//! things: `mapping_set_error`, open's sampling, fsync's report,
//! sync_file_range's report, syncfs's report, NFS's flush, and which
//! built-in scheme's behaviour the rest follows ([`Algorithm::base`]: the
//! legacy flags and `PG_error`, the superblock's word, how
//! sync_file_range writes, what a failed writeback leaves in the cache).
//! [`Algorithm`] is that question list. The calls are generic over it,
//! so a built-in scheme runs the very code it ran before (`Scheme`
//! implements it by forwarding, monomorphised, nothing added), and a
//! written scheme ([`WrittenRun`]) runs its base's glue with the five
//! word functions taken from its program (`errseq_lang`).
//!
//! A written scheme's call can fault (an endless loop, a lock misused, a
//! check returning something else than 0 or -errno). The calls cannot
//! stop on it (a driver's memory has its own way of stopping, or none),
//! so the first fault is kept in the run and the call goes on with a
//! neutral value (0, a report of 0); the driver asks
//! [`WrittenRun::fault`] after each event and turns a fault into an
//! error naming the scheme and its line:col. The results of a run that
//! faulted are never shown.

use std::cell::Cell;
use std::fmt;

use errseq::{legacy, Addr, Errno, File, Mapping, Memory, Ret, Scheme, SchemeKey, WrittenName};
use errseq_lang::{Call, Fault, Origin, Program, Site, Unobserved};
use errseq_scenario::{Fs, Parsed, WrittenScheme};

use crate::kernel::{run, Cx, Kernel};
use crate::layout::Layout;
use crate::program::Op;

/// The questions the kernel's calls ask their scheme.
pub trait Algorithm: Copy {
    /// The built-in scheme whose behaviour this follows outside the
    /// errseq word functions (itself, for a built-in one).
    fn base(self) -> Scheme;

    /// `mapping_set_error(mapping, -err)`.
    fn mapping_set_error<M: Memory>(
        self,
        m: &mut M,
        mapping: Mapping,
        sb: Addr,
        err: Errno,
    ) -> Result<(), M::Stop>;

    /// `do_dentry_open`: a new open file description samples its cursors.
    fn open<M: Memory>(self, m: &mut M, mapping: Mapping, sb: Addr, file: File) -> Result<(), M::Stop>;

    /// What fsync, fdatasync and msync report once the pages are written.
    fn fsync_report<M: Memory>(self, m: &mut M, mapping: Mapping, file: File) -> Result<Ret, M::Stop>;

    /// What one of sync_file_range's waits reports.
    fn sync_file_range_report<M: Memory>(
        self,
        m: &mut M,
        mapping: Mapping,
        file: File,
    ) -> Result<Ret, M::Stop>;

    /// What syncfs reports once the filesystem has been synced.
    fn syncfs_report<M: Memory>(self, m: &mut M, sb: Addr, file: File) -> Result<Ret, M::Stop>;

    /// NFS's `->flush` at close: write back (`write_back`) and report.
    fn nfs_flush<M, W>(self, m: &mut M, mapping: Mapping, file: File, write_back: W) -> Result<Ret, M::Stop>
    where
        M: Memory,
        W: FnOnce(&mut M) -> Result<(), M::Stop>;

    /// Where in a written scheme's source the step a call stopped at
    /// stands (a replay stops a call at its next step), when the run
    /// watches ([`WrittenRun::watching`]); `None` for a built-in scheme,
    /// and for a step of the base's glue. Asking forgets it.
    #[inline]
    fn stopped_at(self) -> Option<Site> {
        None
    }
}

impl Algorithm for Scheme {
    #[inline]
    fn base(self) -> Scheme {
        self
    }

    #[inline]
    fn mapping_set_error<M: Memory>(
        self,
        m: &mut M,
        mapping: Mapping,
        sb: Addr,
        err: Errno,
    ) -> Result<(), M::Stop> {
        Scheme::mapping_set_error(self, m, mapping, sb, err)
    }

    #[inline]
    fn open<M: Memory>(self, m: &mut M, mapping: Mapping, sb: Addr, file: File) -> Result<(), M::Stop> {
        Scheme::open(self, m, mapping, sb, file)
    }

    #[inline]
    fn fsync_report<M: Memory>(self, m: &mut M, mapping: Mapping, file: File) -> Result<Ret, M::Stop> {
        Scheme::fsync_report(self, m, mapping, file)
    }

    #[inline]
    fn sync_file_range_report<M: Memory>(
        self,
        m: &mut M,
        mapping: Mapping,
        file: File,
    ) -> Result<Ret, M::Stop> {
        Scheme::sync_file_range_report(self, m, mapping, file)
    }

    #[inline]
    fn syncfs_report<M: Memory>(self, m: &mut M, sb: Addr, file: File) -> Result<Ret, M::Stop> {
        Scheme::syncfs_report(self, m, sb, file)
    }

    #[inline]
    fn nfs_flush<M, W>(self, m: &mut M, mapping: Mapping, file: File, write_back: W) -> Result<Ret, M::Stop>
    where
        M: Memory,
        W: FnOnce(&mut M) -> Result<(), M::Stop>,
    {
        Scheme::nfs_flush(self, m, mapping, file, write_back)
    }
}

/// A written scheme as one driver runs it: its program, and the first
/// fault any of its calls met.
#[derive(Debug)]
pub struct WrittenRun<'p> {
    pub scheme: &'p WrittenScheme,
    program: &'p Program,
    fault: Cell<Option<Fault>>,
    /// While watching: the site of the last step a scheme function took,
    /// `None` between calls (so a glue step never carries one).
    watch: Option<Cell<Option<Site>>>,
}

impl<'p> WrittenRun<'p> {
    pub fn new(scheme: &'p WrittenScheme) -> WrittenRun<'p> {
        WrittenRun { scheme, program: &scheme.program, fault: Cell::new(None), watch: None }
    }

    /// A run that keeps the source site of each step for
    /// [`Algorithm::stopped_at`]: what a trace replays with, to show each
    /// step in the user's lines. The search runs unwatched.
    pub fn watching(scheme: &'p WrittenScheme) -> WrittenRun<'p> {
        WrittenRun { watch: Some(Cell::new(None)), ..WrittenRun::new(scheme) }
    }

    /// A scheme function's call, observed while watching. A call that
    /// returns leaves no site behind; one that a memory stops keeps the
    /// site of the step it stopped at.
    fn call<M: Memory>(&self, m: &mut M, call: Call) -> Result<Result<u32, Fault>, M::Stop> {
        let Some(last) = &self.watch else { return self.program.call(m, call, Unobserved) };
        last.set(None);
        let r = self.program.call(m, call, |site, _| last.set(Some(site)))?;
        last.set(None);
        Ok(r)
    }

    /// A check's value: `-errno` bits back to a result.
    fn report<M: Memory>(&self, m: &mut M, call: Call) -> Result<Result<Ret, Fault>, M::Stop> {
        if self.watch.is_none() {
            // The typed forms, as before watching existed.
            return match call {
                Call::Check { word, since } => self.program.check(m, word, since),
                Call::CheckAndAdvance { word, since } => self.program.check_and_advance(m, word, since),
                Call::FileCheckAndAdvance { word, file } => {
                    self.program.file_check_and_advance_wb_err(m, word, file)
                }
                Call::Set { .. } | Call::Sample { .. } => Ok(self.call(m, call)?.map(|_| Ret::OK)),
            };
        }
        Ok(self.call(m, call)?.map(|bits| Ret::from_errno_field((bits as i32).wrapping_neg() as u32)))
    }

    /// The first fault met so far, as an error that names the scheme.
    pub fn fault(&self) -> Option<SchemeFault> {
        let fault = self.fault.get()?;
        Some(SchemeFault { name: self.scheme.name, line: self.scheme.line, fault, call: None })
    }

    /// A call's value, or `neutral` after keeping its fault.
    fn value<T>(&self, r: Result<T, Fault>, neutral: T) -> T {
        r.unwrap_or_else(|f| {
            if self.fault.get().is_none() {
                self.fault.set(Some(f));
            }
            neutral
        })
    }

    fn set<M: Memory>(&self, m: &mut M, word: Addr, err: Errno) -> Result<(), M::Stop> {
        let r = match self.watch {
            None => self.program.set(m, word, err)?,
            Some(_) => self.call(m, Call::Set { word, err })?.map(drop),
        };
        self.value(r, ());
        Ok(())
    }

    /// `errseq_sample`, stored in the cursor (as `do_dentry_open` does).
    fn sample_into<M: Memory>(&self, m: &mut M, word: Addr, cursor: Addr) -> Result<(), M::Stop> {
        let r = match self.watch {
            None => self.program.sample(m, word)?,
            Some(_) => self.call(m, Call::Sample { word })?,
        };
        let since = self.value(r, 0);
        m.store(cursor, since)
    }

    /// `file_check_and_advance_wb_err`, then (from 4.13) the legacy flags
    /// cleared as `filemap_check_errors` would.
    fn file_report<M: Memory>(&self, m: &mut M, mapping: Mapping, file: File) -> Result<Ret, M::Stop> {
        let r = self.report(m, Call::FileCheckAndAdvance { word: mapping.wb_err, file })?;
        let ret = self.value(r, Ret::OK);
        if self.program.base().sets_legacy_flags() {
            legacy::clear_flags(m, mapping.flags)?;
        }
        Ok(ret)
    }
}

impl Algorithm for &WrittenRun<'_> {
    fn base(self) -> Scheme {
        self.program.base()
    }

    fn stopped_at(self) -> Option<Site> {
        // Taken, so that the next replay starts with none.
        self.watch.as_ref().and_then(Cell::take)
    }

    /// As the base records: the word (and from 5.8 the superblock's) by
    /// the scheme's `errseq_set`, then the legacy flag (4.13 on).
    fn mapping_set_error<M: Memory>(
        self,
        m: &mut M,
        mapping: Mapping,
        sb: Addr,
        err: Errno,
    ) -> Result<(), M::Stop> {
        let base = self.base();
        self.set(m, mapping.wb_err, err)?;
        if base.has_sb_word() {
            self.set(m, sb, err)?;
        }
        if base.sets_legacy_flags() {
            legacy::set_flag(m, mapping.flags, err)?;
        }
        Ok(())
    }

    fn open<M: Memory>(self, m: &mut M, mapping: Mapping, sb: Addr, file: File) -> Result<(), M::Stop> {
        self.sample_into(m, mapping.wb_err, file.wb_err)?;
        if self.base().has_sb_word() {
            self.sample_into(m, sb, file.sb_err)?;
        }
        Ok(())
    }

    fn fsync_report<M: Memory>(self, m: &mut M, mapping: Mapping, file: File) -> Result<Ret, M::Stop> {
        self.file_report(m, mapping, file)
    }

    /// 4.14 on report through the cursor as fsync does; before, the
    /// legacy flags (`Scheme::sync_file_range_report`).
    fn sync_file_range_report<M: Memory>(
        self,
        m: &mut M,
        mapping: Mapping,
        file: File,
    ) -> Result<Ret, M::Stop> {
        match self.base() {
            Scheme::Linux414 | Scheme::Linux417 | Scheme::Linux58 => self.file_report(m, mapping, file),
            _ => legacy::check_errors(m, mapping.flags),
        }
    }

    /// 5.8: `errseq_check_and_advance` of the superblock's word, without
    /// `f_lock`; before, nothing.
    fn syncfs_report<M: Memory>(self, m: &mut M, sb: Addr, file: File) -> Result<Ret, M::Stop> {
        if !self.base().has_sb_word() {
            return Ok(Ret::OK);
        }
        let r = self.report(m, Call::CheckAndAdvance { word: sb, since: file.sb_err })?;
        Ok(self.value(r, Ret::OK))
    }

    /// 5.8: sample, write back, `errseq_check` against the sample; before,
    /// a whole fsync (`Scheme::nfs_flush`).
    fn nfs_flush<M, W>(self, m: &mut M, mapping: Mapping, file: File, write_back: W) -> Result<Ret, M::Stop>
    where
        M: Memory,
        W: FnOnce(&mut M) -> Result<(), M::Stop>,
    {
        if self.base() != Scheme::Linux58 {
            write_back(m)?;
            return self.file_report(m, mapping, file);
        }
        let r = self.call(m, Call::Sample { word: mapping.wb_err })?;
        let since = self.value(r, 0);
        write_back(m)?;
        let r = self.report(m, Call::Check { word: mapping.wb_err, since })?;
        Ok(self.value(r, Ret::OK))
    }
}

/// A column's algorithm as a driver holds it: a built-in scheme, or a
/// written scheme's run. Drivers that go event by event dispatch here
/// once per event; the calls inside are monomorphised per kind.
#[derive(Debug)]
pub enum Runner<'p> {
    BuiltIn(Scheme),
    Written(WrittenRun<'p>),
}

impl<'p> Runner<'p> {
    /// The runner of the column `key`; `None` for a written scheme that
    /// `program` does not hold (never, for a checked scenario's program).
    pub fn new(program: &'p crate::Program, key: SchemeKey) -> Option<Runner<'p>> {
        match key {
            SchemeKey::BuiltIn(s) => Some(Runner::BuiltIn(s)),
            SchemeKey::Written(w) => program.written(w).map(|w| Runner::Written(WrittenRun::new(w))),
        }
    }

    /// The built-in scheme whose behaviour the column follows outside the
    /// word functions (its state reads as that scheme's).
    pub fn base(&self) -> Scheme {
        match self {
            Runner::BuiltIn(s) => *s,
            Runner::Written(w) => w.program.base(),
        }
    }

    pub fn key(&self) -> SchemeKey {
        match self {
            Runner::BuiltIn(s) => SchemeKey::BuiltIn(*s),
            Runner::Written(w) => SchemeKey::Written(w.scheme.name),
        }
    }

    /// The first fault a written scheme met so far.
    pub fn fault(&self) -> Option<SchemeFault> {
        match self {
            Runner::BuiltIn(_) => None,
            Runner::Written(w) => w.fault(),
        }
    }

    /// Performs one event ([`crate::kernel::run`]).
    pub fn run<K: Kernel>(&self, k: &mut K, fs: Fs, layout: &Layout, op: Op) -> Result<Option<Ret>, K::Stop> {
        match self {
            Runner::BuiltIn(s) => run(k, Cx { scheme: *s, fs, layout }, op),
            Runner::Written(w) => run(k, Cx { scheme: w, fs, layout }, op),
        }
    }
}

/// A written scheme's call that faulted: an error naming the scheme and
/// the line:col of its source where it stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemeFault {
    pub name: WrittenName,
    /// The line of the block's `scheme` line.
    pub line: u32,
    pub fault: Fault,
    /// The call that met it, when one call did: its line and text.
    pub call: Option<(u32, String)>,
}

impl SchemeFault {
    /// The fault, said to have stopped event `event` of `p`.
    pub fn in_event(mut self, p: &Parsed, event: usize) -> SchemeFault {
        let line = p.source.events.get(event).map_or(0, |s| s.line());
        let text = p.scenario.stmts().nth(event).map(|(s, _)| s.event.to_string()).unwrap_or_default();
        self.call = Some((line, text));
        self
    }
}

impl fmt::Display for SchemeFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.fault.site.span;
        match self.fault.site.origin {
            Origin::Scheme => write!(f, "{}:{}: scheme `{}`: {}", s.line, s.col, self.name, self.fault.kind)?,
            Origin::Base(base) => write!(
                f,
                "{}:1: scheme `{}`: in the {base} source it inherits, at its line {}:{}: {}",
                self.line, self.name, s.line, s.col, self.fault.kind
            )?,
        }
        match &self.call {
            Some((line, text)) => write!(f, " (the call `{}` of line {line})", errseq_scenario::inert(text)),
            None => Ok(()),
        }
    }
}

impl std::error::Error for SchemeFault {}
