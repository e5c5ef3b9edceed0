//! What a worker's operations run: a built-in scheme's functions, or a
//! scheme written in the scenario (`errseq_lang`), interpreted.
//!
//! The loop asks its scheme three things ([`Algorithm`]): open a cursor
//! (`do_dentry_open`'s sample, before the run), record an error
//! (`mapping_set_error`) and report to fsync through a cursor. A built-in
//! [`Scheme`] answers with crate `errseq`'s functions, as the loop always
//! did. A [`Written`] scheme answers with its program's entry points
//! wrapped in its base's glue, as the model wraps them
//! (`errseq_model::column::WrittenRun`): the set is `errseq_set` on the
//! word (and from 5.8 on the superblock's) and then the legacy flag (4.13
//! on); the report is `file_check_and_advance_wb_err`, or
//! `errseq_check_and_advance` alone where the plan leaves `f_lock` out.
//! Every `READ_ONCE`, `WRITE_ONCE`, `cmpxchg` and `spin_lock` of the
//! program is one [`errseq::Action`] on the driver's memory, so on the
//! shared cells each is one real atomic operation.
//!
//! **Faults.** A written call can fault (an endless loop, `f_lock`
//! misused, a check returning something other than 0 or -errno). The
//! model goes on with a neutral value; a stress run stops instead: the
//! worker ends its loop at once and the driver reports a
//! [`WrittenFault`], which names the scheme and the line:col where it
//! stopped. Nothing can hang on it: see `run` for the lock a fault may
//! leave held.
//!
//! **The word's layout.** The invariant check reads the word as
//! lib/errseq.c lays it out (the counter above `ERRSEQ_SEEN`, indexed in
//! the cursors' bitmaps), so a written scheme that redefines
//! `ERRSEQ_SHIFT` cannot be judged by it and is refused
//! ([`check_layout`]).

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use errseq::errseq as es;
use errseq::word::{CTR_INC, SEEN};
use errseq::{legacy, vfs, Addr, Errno, File, Mapping, Memory, Ret, Scheme, WrittenName, MAX_ERRNO};
use errseq_lang::{Fault, Origin, Program, WordLayout};

/// A scheme the scenario writes, compiled: its name, the line of its
/// `scheme NAME from BASE`, and its program (whose base is the plan's
/// scheme).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Written {
    pub name: WrittenName,
    pub line: u32,
    pub program: Program,
}

impl Written {
    /// Compiles a scheme block's C (`source`, whose first line is line
    /// `first_line` of the scenario) over `base`: what a worker does once
    /// with what the page sends it. The error lists the compiler's
    /// diagnostics (the page compiled the same text, so a worker meets
    /// them only if the two disagree).
    pub fn compile(
        name: &str,
        base: &str,
        source: &str,
        first_line: u32,
        line: u32,
    ) -> Result<Written, String> {
        let name = WrittenName::new(name).ok_or_else(|| alloc::format!("`{name}` is not a scheme's name"))?;
        let base =
            Scheme::from_id(base).ok_or_else(|| alloc::format!("no built-in scheme is called `{base}`"))?;
        let program = errseq_lang::compile(source, first_line, base).map_err(|diags| {
            let all: Vec<String> = diags.iter().filter(|d| d.is_error()).map(ToString::to_string).collect();
            alloc::format!("scheme `{name}` does not compile: {}", all.join("; "))
        })?;
        Ok(Written { name, line, program })
    }
}

/// The layout the invariant check reads.
pub const KERNEL_LAYOUT: WordLayout = WordLayout { errno_mask: MAX_ERRNO, seen: SEEN, ctr_inc: CTR_INC };

/// Whether the check can judge `program`'s words: `Err` with the layout it
/// defines instead.
pub fn check_layout(program: &Program) -> Result<(), WordLayout> {
    let layout = program.layout();
    if layout == KERNEL_LAYOUT {
        Ok(())
    } else {
        Err(layout)
    }
}

/// A written scheme's call that faulted, during a stress run.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct WrittenFault {
    pub name: WrittenName,
    /// The line of the block's `scheme` line.
    pub line: u32,
    pub fault: Fault,
}

/// As the model says it (`errseq_model::column::SchemeFault`): the
/// scenario's line:col first, then the scheme's name and what happened.
impl fmt::Display for WrittenFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.fault.site.span;
        match self.fault.site.origin {
            Origin::Scheme => write!(f, "{}:{}: scheme `{}`: {}", s.line, s.col, self.name, self.fault.kind),
            Origin::Base(base) => write!(
                f,
                "{}:1: scheme `{}`: in the {base} source it inherits, at its line {}:{}: {}",
                self.line, self.name, s.line, s.col, self.fault.kind
            ),
        }
    }
}

impl core::error::Error for WrittenFault {}

/// A call's value, or the fault that stopped it.
pub type Called<T, F, S> = Result<Result<T, F>, S>;

/// A built-in scheme's fault, which cannot be.
impl From<core::convert::Infallible> for WrittenFault {
    fn from(never: core::convert::Infallible) -> WrittenFault {
        match never {}
    }
}

/// The three things the loop asks its scheme.
pub trait Algorithm {
    /// What stops a call: nothing for a built-in scheme (so its loop has
    /// no fault path), a [`WrittenFault`] for a written one.
    type Fault: Into<WrittenFault>;

    /// Whether this is a written scheme, which may store to the word and
    /// fault holding `f_lock` (the loop watches for both only then).
    const WRITTEN: bool;

    /// `do_dentry_open`: the cursor samples the word (and from 5.8 the
    /// superblock's).
    fn open<M: Memory>(
        &self,
        m: &mut M,
        mapping: Mapping,
        sb: Addr,
        file: File,
    ) -> Called<(), Self::Fault, M::Stop>;

    /// `mapping_set_error(mapping, -errno)`.
    fn set<M: Memory>(
        &self,
        m: &mut M,
        mapping: Mapping,
        sb: Addr,
        errno: Errno,
    ) -> Called<(), Self::Fault, M::Stop>;

    /// What fsync reports through `file`: under `f_lock` as the scheme
    /// takes it, or (`locked` false) `errseq_check_and_advance` alone.
    fn report<M: Memory>(
        &self,
        m: &mut M,
        mapping: Mapping,
        file: File,
        locked: bool,
    ) -> Called<Ret, Self::Fault, M::Stop>;
}

/// A built-in scheme: never faults.
#[derive(Copy, Clone, Debug)]
pub struct BuiltIn(pub Scheme);

impl Algorithm for BuiltIn {
    type Fault = core::convert::Infallible;
    const WRITTEN: bool = false;

    #[inline]
    fn open<M: Memory>(
        &self,
        m: &mut M,
        mapping: Mapping,
        sb: Addr,
        file: File,
    ) -> Called<(), Self::Fault, M::Stop> {
        self.0.open(m, mapping, sb, file).map(Ok)
    }

    #[inline]
    fn set<M: Memory>(
        &self,
        m: &mut M,
        mapping: Mapping,
        sb: Addr,
        errno: Errno,
    ) -> Called<(), Self::Fault, M::Stop> {
        self.0.mapping_set_error(m, mapping, sb, errno).map(Ok)
    }

    /// The errseq half of the report (`vfs::advance_file_cursor`) for the
    /// merged schemes, `rfc::v2_report` for the seed's; the legacy flag
    /// clears that follow in the kernel touch another word and cannot
    /// change what the cursor reports (as in the loom models), so they
    /// are left out.
    #[inline]
    fn report<M: Memory>(
        &self,
        m: &mut M,
        mapping: Mapping,
        file: File,
        locked: bool,
    ) -> Called<Ret, Self::Fault, M::Stop> {
        let ret = if !locked {
            es::check_and_advance(m, mapping.wb_err, file.wb_err)?
        } else if self.0.is_rfc() {
            self.0.fsync_report(m, mapping, file)?
        } else {
            vfs::advance_file_cursor(m, mapping.wb_err, file)?
        };
        Ok(Ok(ret))
    }
}

impl Written {
    /// A call's fault, naming this scheme.
    fn named<T>(&self, r: Result<T, Fault>) -> Result<T, WrittenFault> {
        r.map_err(|fault| WrittenFault { name: self.name, line: self.line, fault })
    }

    /// `errseq_sample(word)`, stored in `cursor` (as `do_dentry_open` does).
    fn sample_into<M: Memory>(
        &self,
        m: &mut M,
        word: Addr,
        cursor: Addr,
    ) -> Called<(), WrittenFault, M::Stop> {
        match self.named(self.program.sample(m, word)?) {
            Ok(since) => m.store(cursor, since).map(Ok),
            Err(f) => Ok(Err(f)),
        }
    }
}

impl Algorithm for Written {
    type Fault = WrittenFault;
    const WRITTEN: bool = true;

    fn open<M: Memory>(
        &self,
        m: &mut M,
        mapping: Mapping,
        sb: Addr,
        file: File,
    ) -> Called<(), Self::Fault, M::Stop> {
        if let Err(f) = self.sample_into(m, mapping.wb_err, file.wb_err)? {
            return Ok(Err(f));
        }
        if self.program.base().has_sb_word() {
            return self.sample_into(m, sb, file.sb_err);
        }
        Ok(Ok(()))
    }

    fn set<M: Memory>(
        &self,
        m: &mut M,
        mapping: Mapping,
        sb: Addr,
        errno: Errno,
    ) -> Called<(), Self::Fault, M::Stop> {
        let base = self.program.base();
        if let Err(f) = self.named(self.program.set(m, mapping.wb_err, errno)?) {
            return Ok(Err(f));
        }
        if base.has_sb_word() {
            if let Err(f) = self.named(self.program.set(m, sb, errno)?) {
                return Ok(Err(f));
            }
        }
        if base.sets_legacy_flags() {
            legacy::set_flag(m, mapping.flags, errno)?;
        }
        Ok(Ok(()))
    }

    /// The legacy flag clears that follow in the kernel are left out, as
    /// for a built-in scheme.
    fn report<M: Memory>(
        &self,
        m: &mut M,
        mapping: Mapping,
        file: File,
        locked: bool,
    ) -> Called<Ret, Self::Fault, M::Stop> {
        let r = if locked {
            self.program.file_check_and_advance_wb_err(m, mapping.wb_err, file)?
        } else {
            self.program.check_and_advance(m, mapping.wb_err, file.wb_err)?
        };
        Ok(self.named(r))
    }
}
