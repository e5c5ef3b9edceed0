//! A compiled scheme and the calls the model makes into it.

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::hash::{Hash, Hasher};

use errseq::{Addr, Errno, File, Memory, Ret, Scheme, MAX_ERRNO};

use crate::compile::Compiled;
use crate::diag::{Diagnostic, Fault, FaultKind, Site};
use crate::entry::{CHECK, CHECK_AND_ADVANCE, FILE_CHECK_AND_ADVANCE, SAMPLE, SET};
use crate::ir::Func;
use crate::run::{Cx, Halt, Observer, Unobserved};

/// A checked, compiled scheme: cheap to clone (one `Arc`), comparable and
/// hashable (by a fingerprint computed once, so a model state holding it
/// hashes fast), and shareable across threads.
#[derive(Clone, Debug)]
pub struct Program {
    inner: Arc<Inner>,
    fingerprint: u64,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Inner {
    base: Scheme,
    funcs: Vec<Func>,
    entries: [u16; 5],
    sites: Vec<Site>,
    defines: Vec<(String, u32)>,
    warnings: Vec<Diagnostic>,
}

impl PartialEq for Program {
    fn eq(&self, other: &Program) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
            || (self.fingerprint == other.fingerprint && self.inner == other.inner)
    }
}

impl Eq for Program {}

impl Hash for Program {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.fingerprint.hash(state);
    }
}

/// FNV-1a, for the fingerprint (no_std has no default hasher).
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The word's fields as the scheme's constants lay them out (for the
/// page's inspector): `MAX_ERRNO` masks the errno, `ERRSEQ_SEEN` is the
/// seen flag, the counter counts in `ERRSEQ_CTR_INC`s.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct WordLayout {
    pub errno_mask: u32,
    pub seen: u32,
    pub ctr_inc: u32,
}

/// The registers one call can use without allocating.
const INLINE_REGS: usize = 48;

impl Program {
    pub(crate) fn new(base: Scheme, c: Compiled, warnings: Vec<Diagnostic>) -> Program {
        let inner =
            Inner { base, funcs: c.funcs, entries: c.entries, sites: c.sites, defines: c.defines, warnings };
        let mut h = Fnv(0xcbf2_9ce4_8422_2325);
        inner.hash(&mut h);
        Program { fingerprint: h.finish(), inner: Arc::new(inner) }
    }

    /// The built-in scheme whose source supplies what this one does not
    /// define, and whose VFS glue calls it.
    pub fn base(&self) -> Scheme {
        self.inner.base
    }

    /// Warnings found while checking (unreachable code, statements with
    /// no effect).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.inner.warnings
    }

    /// Every `#define` in force and its value (layout, base, scheme).
    pub fn defines(&self) -> &[(String, u32)] {
        &self.inner.defines
    }

    /// The value of one constant, if it is defined.
    pub fn constant(&self, name: &str) -> Option<u32> {
        if name == "MAX_ERRNO" {
            return Some(MAX_ERRNO);
        }
        self.inner.defines.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
    }

    /// The word's layout per the scheme's constants.
    pub fn layout(&self) -> WordLayout {
        WordLayout {
            errno_mask: MAX_ERRNO,
            seen: self.constant("ERRSEQ_SEEN").unwrap_or(0),
            ctr_inc: self.constant("ERRSEQ_CTR_INC").unwrap_or(0),
        }
    }

    /// `errseq_set(word, -err)`: records a writeback error. The kernel's
    /// return value is for debugging only and is dropped.
    pub fn set<M: Memory>(&self, m: &mut M, word: Addr, err: Errno) -> Result<Result<(), Fault>, M::Stop> {
        let neg = (err.number() as i32).wrapping_neg() as u32;
        Ok(self.run(SET, &[word.0, neg], word, m, Unobserved)?.map(drop))
    }

    /// `errseq_sample(word)`: the value a new cursor starts from (the
    /// caller stores it, as do_dentry_open does).
    pub fn sample<M: Memory>(&self, m: &mut M, word: Addr) -> Result<Result<u32, Fault>, M::Stop> {
        Ok(self.run(SAMPLE, &[word.0], word, m, Unobserved)?.map(|(v, _)| v))
    }

    /// `errseq_check(word, since)`.
    pub fn check<M: Memory>(&self, m: &mut M, word: Addr, since: u32) -> Result<Result<Ret, Fault>, M::Stop> {
        self.report(CHECK, &[word.0, since], word, m, Unobserved)
    }

    /// `errseq_check_and_advance(word, since)`.
    pub fn check_and_advance<M: Memory>(
        &self,
        m: &mut M,
        word: Addr,
        since: Addr,
    ) -> Result<Result<Ret, Fault>, M::Stop> {
        self.report(CHECK_AND_ADVANCE, &[word.0, since.0], word, m, Unobserved)
    }

    /// `file_check_and_advance_wb_err(file)`, fsync's report, whose
    /// mapping's word is `word`. The base's legacy-flag clearing is the
    /// caller's.
    pub fn file_check_and_advance_wb_err<M: Memory>(
        &self,
        m: &mut M,
        word: Addr,
        file: File,
    ) -> Result<Result<Ret, Fault>, M::Stop> {
        self.file_check_observed(m, word, file, Unobserved)
    }

    /// A call's context: no lock held, no loop round taken yet.
    fn cx<O: Observer>(&self, word: Addr, file: File, observer: O) -> Cx<'_, O> {
        Cx {
            funcs: &self.inner.funcs,
            sites: &self.inner.sites,
            word,
            file,
            holding: false,
            rounds: 0,
            observer,
        }
    }

    /// [`Program::file_check_and_advance_wb_err`], telling `observer` the
    /// source site of every step (for counterexamples in the scheme's
    /// lines). The other entry points have `_observed` forms through
    /// [`Program::call`].
    pub fn file_check_observed<M: Memory, O: Observer>(
        &self,
        m: &mut M,
        word: Addr,
        file: File,
        observer: O,
    ) -> Result<Result<Ret, Fault>, M::Stop> {
        let cx = self.cx(word, file, observer);
        self.finish_report(self.go(FILE_CHECK_AND_ADVANCE, &[0], cx, m))
    }

    /// Any entry point, observed: the raw value it returns (the errseq_t
    /// or the int's bits), checked as the typed forms check it.
    pub fn call<M: Memory, O: Observer>(
        &self,
        m: &mut M,
        call: Call,
        observer: O,
    ) -> Result<Result<u32, Fault>, M::Stop> {
        match call {
            Call::Set { word, err } => {
                let neg = (err.number() as i32).wrapping_neg() as u32;
                Ok(self.run(SET, &[word.0, neg], word, m, observer)?.map(|(v, _)| v))
            }
            Call::Sample { word } => Ok(self.run(SAMPLE, &[word.0], word, m, observer)?.map(|(v, _)| v)),
            Call::Check { word, since } => {
                Ok(self.report(CHECK, &[word.0, since], word, m, observer)?.map(ret_bits))
            }
            Call::CheckAndAdvance { word, since } => {
                Ok(self.report(CHECK_AND_ADVANCE, &[word.0, since.0], word, m, observer)?.map(ret_bits))
            }
            Call::FileCheckAndAdvance { word, file } => {
                Ok(self.file_check_observed(m, word, file, observer)?.map(ret_bits))
            }
        }
    }

    fn report<M: Memory, O: Observer>(
        &self,
        entry: usize,
        args: &[u32],
        word: Addr,
        m: &mut M,
        observer: O,
    ) -> Result<Result<Ret, Fault>, M::Stop> {
        let r = self.run_raw(entry, args, word, m, observer);
        self.finish_report(r)
    }

    fn finish_report<S>(&self, r: Result<(u32, u32), Halt<S>>) -> Result<Result<Ret, Fault>, S> {
        let (v, at) = match self.settle(r)? {
            Ok(x) => x,
            Err(f) => return Ok(Err(f)),
        };
        let value = v as i32;
        if value == 0 {
            return Ok(Ok(Ret::OK));
        }
        let errno = value.unsigned_abs();
        if value < 0 && errno <= MAX_ERRNO {
            return Ok(Ok(Ret::from_errno_field(errno)));
        }
        Ok(Err(Fault { site: self.site(at), kind: FaultKind::BadReturn { value } }))
    }

    fn run<M: Memory, O: Observer>(
        &self,
        entry: usize,
        args: &[u32],
        word: Addr,
        m: &mut M,
        observer: O,
    ) -> Result<Result<(u32, u32), Fault>, M::Stop> {
        self.settle(self.run_raw(entry, args, word, m, observer))
    }

    fn run_raw<M: Memory, O: Observer>(
        &self,
        entry: usize,
        args: &[u32],
        word: Addr,
        m: &mut M,
        observer: O,
    ) -> Result<(u32, u32), Halt<M::Stop>> {
        // The word functions have no file: its cells are never reached
        // (no `struct file *` exists in their calls).
        let file = File { wb_err: word, sb_err: word, lock: word };
        let cx = self.cx(word, file, observer);
        self.go(entry, args, cx, m)
    }

    fn go<M: Memory, O: Observer>(
        &self,
        entry: usize,
        args: &[u32],
        mut cx: Cx<'_, O>,
        m: &mut M,
    ) -> Result<(u32, u32), Halt<M::Stop>> {
        let f = usize::from(self.inner.entries[entry]);
        let need = self.inner.funcs[f].need.max(args.len());
        let mut inline = [0u32; INLINE_REGS];
        let mut heap = Vec::new();
        let regs: &mut [u32] = if need <= INLINE_REGS {
            &mut inline[..need]
        } else {
            heap.resize(need, 0);
            &mut heap
        };
        regs[..args.len()].copy_from_slice(args);
        let (v, at) = cx.exec(f, regs, m)?;
        if cx.holding {
            return Err(Halt::Fault(at, FaultKind::ReturnHoldingLock));
        }
        Ok((v, at))
    }

    fn settle<S>(&self, r: Result<(u32, u32), Halt<S>>) -> Result<Result<(u32, u32), Fault>, S> {
        match r {
            Ok(v) => Ok(Ok(v)),
            Err(Halt::Stop(s)) => Err(s),
            Err(Halt::Fault(at, kind)) => Ok(Err(Fault { site: self.site(at), kind })),
        }
    }

    fn site(&self, at: u32) -> Site {
        self.inner
            .sites
            .get(at as usize)
            .copied()
            .unwrap_or(Site { span: crate::diag::Span::default(), origin: crate::diag::Origin::Scheme })
    }
}

/// A `Ret` as the int a check returns.
fn ret_bits(r: Ret) -> u32 {
    (r.code() as i32).wrapping_neg() as u32
}

/// One call of an entry point, for [`Program::call`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Call {
    Set { word: Addr, err: Errno },
    Sample { word: Addr },
    Check { word: Addr, since: u32 },
    CheckAndAdvance { word: Addr, since: Addr },
    FileCheckAndAdvance { word: Addr, file: File },
}
