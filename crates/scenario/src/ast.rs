//! The scenario as data: what the text says, without positions.
//!
//! Two scenarios are equal when they print the same canonical text; where
//! each line stood in the original is kept apart, in
//! [`crate::SourceMap`].

use std::collections::BTreeSet;
use std::fmt;

use errseq::{Errno, Ret, SchemeKey, SchemeName, WrittenName};

/// An fd or file name: `[a-z][a-z0-9_]*`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name(String);

impl Name {
    pub fn new(s: &str) -> Option<Name> {
        let mut chars = s.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
        let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        (first_ok && rest_ok).then(|| Name(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The filesystem profile: what a failed writeback records, what close
/// does, what a failed writeback leaves in the page cache, and whether a
/// read's atime update dirties the inode (crates/model's `read` module).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Default)]
pub enum Fs {
    /// No `->flush`; failed pages are marked clean, keep their new content
    /// in the cache, and the disk keeps the old (Rebello et al. 2020). A
    /// read's new atime marks the inode dirty.
    #[default]
    Ext4,
    /// As ext4, but a read's atime goes in xfs's own transaction and
    /// leaves the inode clean.
    Xfs,
    /// Records EIO for anything but ENOSPC. Before 6.6 a failed writeback
    /// left the page not uptodate, so a read fetched the disk's content
    /// (Rebello et al. 2020); 6.6 and later keep the new content, as the
    /// oracle sees on 6.18. Atime as xfs.
    Btrfs,
    /// close(2) flushes and reports errors that arose during that flush;
    /// a failed write invalidates the cache; no client atime.
    Nfs,
}

impl Fs {
    pub const ALL: [Fs; 4] = [Fs::Ext4, Fs::Xfs, Fs::Btrfs, Fs::Nfs];

    pub fn id(self) -> &'static str {
        match self {
            Fs::Ext4 => "ext4",
            Fs::Xfs => "xfs",
            Fs::Btrfs => "btrfs",
            Fs::Nfs => "nfs",
        }
    }

    pub fn from_id(id: &str) -> Option<Fs> {
        Fs::ALL.into_iter().find(|f| f.id() == id)
    }
}

/// What a call may return, as an expectation states it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Outcome {
    /// `EIO`: exactly this (in every interleaving).
    Is(Ret),
    /// `{0, EIO}`: any of these.
    AnyOf(BTreeSet<Ret>),
}

impl Outcome {
    pub fn allows(&self, r: Ret) -> bool {
        match self {
            Outcome::Is(x) => *x == r,
            Outcome::AnyOf(set) => set.contains(&r),
        }
    }
}

/// `=> RESULT [SCHEME=RESULT ...]`. The default may be left out when every
/// scheme of interest is named.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Expect {
    pub default: Option<Outcome>,
    pub overrides: Vec<(SchemeName, Outcome)>,
}

impl Expect {
    /// What is expected of a scheme, if anything. Overrides are matched by
    /// the scheme they stand for, so `linux=EIO` applies to `linux-5.8`.
    pub fn for_scheme(&self, scheme: impl Into<SchemeKey>) -> Option<&Outcome> {
        let scheme = scheme.into();
        self.overrides
            .iter()
            .find(|(name, _)| name.resolve() == scheme)
            .map(|(_, o)| o)
            .or(self.default.as_ref())
    }

    /// What a scheme was expected to return, when `actual` is not it: the
    /// one test of an expectation that every view's verdict comes from.
    pub fn unmet(&self, scheme: impl Into<SchemeKey>, actual: errseq::Ret) -> Option<&Outcome> {
        self.for_scheme(scheme).filter(|o| !o.allows(actual))
    }
}

/// Which steps of sync_file_range(2) run: SYNC_FILE_RANGE_WAIT_BEFORE, _WRITE, _WAIT_AFTER (fs/sync.c).
///
/// The text writes them as flags after the fd, in any order, or not at
/// all for the three together (what `sync_file_range FD` meant before the
/// flags existed). A value with no step set has no text: the parser never
/// makes one, and the printer writes it as `NONE`, which does not parse,
/// so it cannot silently turn into all three steps.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct SyncRange {
    pub wait_before: bool,
    pub write: bool,
    pub wait_after: bool,
}

impl SyncRange {
    /// All three steps: the bare `sync_file_range FD`.
    pub const ALL: SyncRange = SyncRange { wait_before: true, write: true, wait_after: true };

    /// The flag words, in the kernel's order (the order of their bits).
    pub const FLAGS: [&'static str; 3] = ["WAIT_BEFORE", "WRITE", "WAIT_AFTER"];

    /// The flag words this value sets, in the kernel's order.
    pub fn flag_words(self) -> impl Iterator<Item = &'static str> {
        let set = [self.wait_before, self.write, self.wait_after];
        SyncRange::FLAGS.into_iter().zip(set).filter(|(_, on)| *on).map(|(w, _)| w)
    }

    /// Whether at least one step runs: true of every value the text can say.
    pub fn is_valid(self) -> bool {
        self.wait_before || self.write || self.wait_after
    }

    /// The `flags` argument of sync_file_range(2): SYNC_FILE_RANGE_WAIT_BEFORE
    /// is 1, _WRITE 2, _WAIT_AFTER 4 (include/uapi/linux/fs.h).
    pub fn kernel_flags(self) -> u32 {
        u32::from(self.wait_before) | u32::from(self.write) << 1 | u32::from(self.wait_after) << 2
    }
}

/// The pages a `fail` or `heal` covers: `N` or `N..M`, inclusive, with
/// `first <= last`. The text's `N..N` is `N`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pages {
    pub first: u32,
    pub last: u32,
}

impl Pages {
    pub fn one(page: u32) -> Pages {
        Pages { first: page, last: page }
    }

    pub fn contains(self, page: u32) -> bool {
        self.first <= page && page <= self.last
    }

    /// Whether the value has a text: `first <= last`.
    pub fn is_valid(self) -> bool {
        self.first <= self.last
    }
}

/// open(2)'s flags the text can say (`open FD FILE [FLAG...]`). None
/// set is `O_RDWR`, what `open FD FILE` always meant.
///
/// `O_RDONLY` excludes `O_SYNC` and `O_DSYNC` (a read-only description
/// never writes, so they would say nothing), `O_SYNC` excludes `O_DSYNC`
/// (it includes it: `__O_SYNC | O_DSYNC`, include/uapi/asm-generic/fcntl.h).
/// `O_RDONLY O_DIRECT` is allowed: direct I/O on a description that
/// cannot write. A value breaking these has no text: the parser never
/// makes one.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct OpenFlags {
    pub rdonly: bool,
    pub sync: bool,
    pub dsync: bool,
    pub direct: bool,
}

impl OpenFlags {
    /// The flag words, in canonical order.
    pub const WORDS: [&'static str; 4] = ["O_RDONLY", "O_SYNC", "O_DSYNC", "O_DIRECT"];

    /// The flag words this value sets, in canonical order.
    pub fn words(self) -> impl Iterator<Item = &'static str> {
        let set = [self.rdonly, self.sync, self.dsync, self.direct];
        OpenFlags::WORDS.into_iter().zip(set).filter(|(_, on)| *on).map(|(w, _)| w)
    }

    /// Whether the value has a text (see the type's rules).
    pub fn is_valid(self) -> bool {
        !(self.rdonly && (self.sync || self.dsync)) && !(self.sync && self.dsync)
    }

    /// Whether every write through the description is a synchronous write
    /// (`IOCB_DSYNC` from `iocb_flags`, include/linux/fs.h).
    pub fn sync_writes(self) -> bool {
        self.sync || self.dsync
    }

    /// Whether the description can write (`FMODE_WRITE`).
    pub fn writable(self) -> bool {
        !self.rdonly
    }
}

/// pwritev2(2)'s flags that make one write synchronous.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Rwf {
    /// `RWF_SYNC`: as an `O_SYNC` write.
    Sync,
    /// `RWF_DSYNC`: as an `O_DSYNC` write.
    Dsync,
}

impl Rwf {
    pub const ALL: [Rwf; 2] = [Rwf::Sync, Rwf::Dsync];

    pub fn word(self) -> &'static str {
        match self {
            Rwf::Sync => "RWF_SYNC",
            Rwf::Dsync => "RWF_DSYNC",
        }
    }

    pub fn from_word(w: &str) -> Option<Rwf> {
        Rwf::ALL.into_iter().find(|r| r.word() == w)
    }
}

/// One call of the scenario.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    /// `flags`: open(2)'s flags as written; the default is `O_RDWR`.
    Open {
        fd: Name,
        file: Name,
        flags: OpenFlags,
    },
    Dup {
        new: Name,
        fd: Name,
    },
    Close {
        fd: Name,
    },
    /// `rwf`: pwritev2's RWF_SYNC or RWF_DSYNC, if written.
    Write {
        fd: Name,
        page: u32,
        rwf: Option<Rwf>,
    },
    /// A store through a shared writable mapping of the description
    /// (mmap(2) `MAP_SHARED`, `PROT_READ | PROT_WRITE`): the fault dirties
    /// the page (`page_mkwrite`).
    MmapWrite {
        fd: Name,
        page: u32,
    },
    /// msync(2) `MS_SYNC` over the description's whole mapping.
    Msync {
        fd: Name,
    },
    /// read(2) of one page through the description: returns the page's
    /// content, named by its version (`v0`, `v1`, ...), or an errno.
    Read {
        fd: Name,
        page: u32,
    },
    /// `pages`: `None` for every page of the file (the form without pages).
    Fail {
        file: Name,
        errno: Errno,
        pages: Option<Pages>,
    },
    Heal {
        file: Name,
        pages: Option<Pages>,
    },
    Writeback {
        file: Name,
    },
    Error {
        file: Name,
        errno: Errno,
    },
    Fsync {
        fd: Name,
    },
    Fdatasync {
        fd: Name,
    },
    SyncFileRange {
        fd: Name,
        flags: SyncRange,
    },
    Syncfs {
        fd: Name,
    },
    Sync,
    Flush {
        file: Name,
    },
    Evict {
        file: Name,
    },
}

impl Event {
    /// The verb, as written.
    pub fn verb(&self) -> Verb {
        match self {
            Event::Open { .. } => Verb::Open,
            Event::Dup { .. } => Verb::Dup,
            Event::Close { .. } => Verb::Close,
            Event::Write { .. } => Verb::Write,
            Event::MmapWrite { .. } => Verb::MmapWrite,
            Event::Msync { .. } => Verb::Msync,
            Event::Read { .. } => Verb::Read,
            Event::Fail { .. } => Verb::Fail,
            Event::Heal { .. } => Verb::Heal,
            Event::Writeback { .. } => Verb::Writeback,
            Event::Error { .. } => Verb::Error,
            Event::Fsync { .. } => Verb::Fsync,
            Event::Fdatasync { .. } => Verb::Fdatasync,
            Event::SyncFileRange { .. } => Verb::SyncFileRange,
            Event::Syncfs { .. } => Verb::Syncfs,
            Event::Sync => Verb::Sync,
            Event::Flush { .. } => Verb::Flush,
            Event::Evict { .. } => Verb::Evict,
        }
    }

    /// The fd the call goes through, if it goes through one (for `dup`, the
    /// existing fd).
    pub fn fd(&self) -> Option<&Name> {
        match self {
            Event::Open { fd, .. }
            | Event::Close { fd }
            | Event::Write { fd, .. }
            | Event::MmapWrite { fd, .. }
            | Event::Msync { fd }
            | Event::Read { fd, .. }
            | Event::Fsync { fd }
            | Event::Fdatasync { fd }
            | Event::SyncFileRange { fd, .. }
            | Event::Syncfs { fd } => Some(fd),
            Event::Dup { fd, .. } => Some(fd),
            _ => None,
        }
    }
}

/// The calls of the language, with their shapes.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verb {
    Open,
    Dup,
    Close,
    Write,
    Fail,
    Heal,
    Writeback,
    Error,
    Fsync,
    Fdatasync,
    SyncFileRange,
    Syncfs,
    Sync,
    Flush,
    Evict,
    MmapWrite,
    Msync,
    Read,
}

/// What one argument position holds.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// An fd that must be open.
    Fd,
    /// An fd name that must not be open (open's and dup's new name).
    NewFd,
    File,
    Errno,
    /// An optional page number (write's, mmap_write's and read's; default 0).
    Page,
    /// open's flags: none (`O_RDWR`) or some of `O_RDONLY`, `O_SYNC`,
    /// `O_DSYNC`, `O_DIRECT`, each at most once, in any order. Always the
    /// last argument.
    OpenFlags,
    /// write's optional `RWF_SYNC` or `RWF_DSYNC`, after the page.
    Rwf,
    /// An optional page or inclusive page range, `N` or `N..M` (fail's and
    /// heal's; none: every page of the file). Always the last argument.
    Pages,
    /// sync_file_range's flags: none (all three steps) or any of
    /// `WAIT_BEFORE`, `WRITE`, `WAIT_AFTER`, each at most once, in any
    /// order. Always the last argument.
    Flags,
}

impl Arg {
    /// Whether the argument may be left out (it is then the last written).
    pub fn is_optional(self) -> bool {
        matches!(self, Arg::Page | Arg::Pages | Arg::Flags | Arg::OpenFlags | Arg::Rwf)
    }

    /// Whether the argument takes any number of words (the last one).
    pub fn is_variadic(self) -> bool {
        matches!(self, Arg::Flags | Arg::OpenFlags)
    }
}

impl Verb {
    /// Every call; the first fifteen are the first specification's, the
    /// only ones reserved as labels (see [`Verb::reserved`]).
    pub const ALL: [Verb; 18] = [
        Verb::Open,
        Verb::Dup,
        Verb::Close,
        Verb::Write,
        Verb::Fail,
        Verb::Heal,
        Verb::Writeback,
        Verb::Error,
        Verb::Fsync,
        Verb::Fdatasync,
        Verb::SyncFileRange,
        Verb::Syncfs,
        Verb::Sync,
        Verb::Flush,
        Verb::Evict,
        Verb::MmapWrite,
        Verb::Msync,
        Verb::Read,
    ];

    /// Whether the keyword cannot be a label. The calls added after the
    /// first specification (`mmap_write`, `msync`, `read`) can: a text that
    /// used them as labels before they existed keeps its meaning, and a
    /// claim tells a label (one word) from a call (with its fd).
    pub fn reserved(self) -> bool {
        !matches!(self, Verb::MmapWrite | Verb::Msync | Verb::Read)
    }

    pub fn keyword(self) -> &'static str {
        match self {
            Verb::Open => "open",
            Verb::Dup => "dup",
            Verb::Close => "close",
            Verb::Write => "write",
            Verb::Fail => "fail",
            Verb::Heal => "heal",
            Verb::Writeback => "writeback",
            Verb::Error => "error",
            Verb::Fsync => "fsync",
            Verb::Fdatasync => "fdatasync",
            Verb::SyncFileRange => "sync_file_range",
            Verb::Syncfs => "syncfs",
            Verb::Sync => "sync",
            Verb::Flush => "flush",
            Verb::Evict => "evict",
            Verb::MmapWrite => "mmap_write",
            Verb::Msync => "msync",
            Verb::Read => "read",
        }
    }

    pub fn from_keyword(word: &str) -> Option<Verb> {
        Verb::ALL.into_iter().find(|v| v.keyword() == word)
    }

    pub fn args(self) -> &'static [Arg] {
        match self {
            Verb::Open => &[Arg::NewFd, Arg::File, Arg::OpenFlags],
            Verb::Dup => &[Arg::NewFd, Arg::Fd],
            Verb::Close | Verb::Fsync | Verb::Fdatasync | Verb::Syncfs | Verb::Msync => &[Arg::Fd],
            Verb::MmapWrite | Verb::Read => &[Arg::Fd, Arg::Page],
            Verb::SyncFileRange => &[Arg::Fd, Arg::Flags],
            Verb::Write => &[Arg::Fd, Arg::Page, Arg::Rwf],
            Verb::Fail => &[Arg::File, Arg::Errno, Arg::Pages],
            Verb::Error => &[Arg::File, Arg::Errno],
            Verb::Heal => &[Arg::File, Arg::Pages],
            Verb::Writeback | Verb::Flush | Verb::Evict => &[Arg::File],
            Verb::Sync => &[],
        }
    }

    /// The call's form, for messages: `write FD [PAGE]`.
    pub fn usage(self) -> String {
        let mut s = self.keyword().to_owned();
        for arg in self.args() {
            s.push_str(match arg {
                Arg::Fd => " FD",
                Arg::NewFd => " NEW",
                Arg::File => " FILE",
                Arg::Errno => " ERRNO",
                Arg::Page => " [PAGE]",
                Arg::Pages => " [PAGES]",
                Arg::OpenFlags => " [O_RDONLY|O_SYNC|O_DSYNC|O_DIRECT...]",
                Arg::Rwf => " [RWF_SYNC|RWF_DSYNC]",
                Arg::Flags => " [WAIT_BEFORE] [WRITE] [WAIT_AFTER]",
            });
        }
        s
    }

    /// Whether the call may return a result: [`Verb::returns`], and
    /// `write`, which returns one when it is synchronous or direct (its
    /// description opened `O_SYNC`, `O_DSYNC` or `O_DIRECT`, or the call
    /// carrying `RWF_SYNC` or `RWF_DSYNC`); the checker decides
    /// ([`crate::Binding::returns`]).
    pub fn may_return(self) -> bool {
        self.returns() || self == Verb::Write
    }

    /// Whether the call always returns a result an expectation can be put
    /// on. (A synchronous `write` returns one too: [`Verb::may_return`].)
    pub fn returns(self) -> bool {
        matches!(
            self,
            Verb::Close
                | Verb::Fsync
                | Verb::Fdatasync
                | Verb::SyncFileRange
                | Verb::Syncfs
                | Verb::Sync
                | Verb::Flush
                | Verb::Msync
                | Verb::Read
        )
    }

    /// Whether the call returns page content ([`errseq::Ret::version`])
    /// rather than 0: only `read`. Its result is a version or an errno.
    pub fn returns_content(self) -> bool {
        self == Verb::Read
    }
}

impl fmt::Display for Verb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// A call with its label, what is expected of it and the comment at the
/// end of its line: `fsync a as first => EIO  # note`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Stmt {
    pub event: Event,
    /// A name for the call, for claims to refer to.
    pub label: Option<Name>,
    pub expect: Option<Expect>,
    pub comment: Option<String>,
}

impl Stmt {
    pub fn new(event: Event) -> Stmt {
        Stmt { event, label: None, expect: None, comment: None }
    }
}

/// Whether a claim asks for some interleaving or forbids all.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum ClaimKind {
    /// Some interleaving gives all the conditions at once.
    Exists,
    /// No interleaving gives all the conditions at once.
    Never,
}

impl ClaimKind {
    pub fn keyword(self) -> &'static str {
        match self {
            ClaimKind::Exists => "exists",
            ClaimKind::Never => "never",
        }
    }
}

/// A call a claim refers to: by its label, or by its text when that text
/// names exactly one call of the scenario.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CallRef {
    Label(Name),
    Call(Event),
}

/// `CALL = RESULT`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cond {
    pub call: CallRef,
    pub outcome: Outcome,
}

/// A statement about the joint outcomes of a scenario (the vectors of
/// every call's result that the interleavings produce):
/// `never fsync a = EIO, fsync b = EIO for linux-4.13`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Claim {
    pub kind: ClaimKind,
    pub conds: Vec<Cond>,
    /// The schemes it is checked under; empty: every evaluated scheme.
    pub schemes: Vec<SchemeName>,
    pub comment: Option<String>,
}

impl Claim {
    /// Whether the claim is checked under `scheme`.
    pub fn applies_to(&self, scheme: impl Into<SchemeKey>) -> bool {
        let scheme = scheme.into();
        self.schemes.is_empty() || self.schemes.iter().any(|n| n.resolve() == scheme)
    }
}

/// A line of the body.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Item {
    Stmt(Stmt),
    /// `par ... end`: each statement inside is one concurrent task. Its
    /// items are never `Par`.
    Par(Par),
    /// `exists ...` or `never ...`.
    Claim(Claim),
    /// A line holding only a comment.
    Note(String),
    /// A blank line (runs of them count as one).
    Gap,
    /// `scheme NAME from BASE` ... `end`: a scheme written in the scheme
    /// language (docs/scheme-language.md). Only at the top level.
    Scheme(SchemeBlock),
}

/// A scheme the scenario writes: its name, the built-in scheme it starts
/// from, and its source, line by line as written (each line's trailing
/// blanks dropped, nothing else changed, so its columns are the
/// scenario's and the canonical text carries the user's C byte for byte).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SchemeBlock {
    pub name: WrittenName,
    pub base: errseq::Scheme,
    /// The lines between `scheme ...` and `end`. None of them is `end`
    /// alone (that line closes the block), none holds a line ending.
    pub lines: Vec<String>,
    /// The comment on the `scheme` line.
    pub comment: Option<String>,
}

impl SchemeBlock {
    /// The source as the scheme language reads it: the lines joined by
    /// `\n`, so that line `i` of the block is line `first + i` of the
    /// scenario.
    pub fn source(&self) -> String {
        let mut s = String::with_capacity(self.lines.iter().map(|l| l.len() + 1).sum());
        for l in &self.lines {
            s.push_str(l);
            s.push('\n');
        }
        s
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Par {
    pub items: Vec<Item>,
    /// The comment on the `par` line.
    pub comment: Option<String>,
}

/// A whole scenario.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Scenario {
    pub title: Option<String>,
    /// `None`: every scheme.
    pub schemes: Option<Vec<SchemeName>>,
    /// `None`: the default profile, ext4.
    pub fs: Option<Fs>,
    /// Comment lines above or among the headers.
    pub head_notes: Vec<String>,
    pub body: Vec<Item>,
}

/// Where an event sits: at top level, or as task `task` of the `block`-th
/// par block.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Place {
    Top,
    Task { block: usize, task: usize },
}

impl Scenario {
    /// The schemes evaluated, in column order: those `schemes:` lists (by
    /// default the seven main ones), then each scheme the scenario writes
    /// that the list leaves out, in the order they are written.
    pub fn scheme_names(&self) -> Vec<SchemeName> {
        let mut names: Vec<SchemeName> = match &self.schemes {
            Some(list) => list.clone(),
            None => errseq::Scheme::ALL.into_iter().map(SchemeName::Exact).collect(),
        };
        for block in self.scheme_blocks() {
            let name = SchemeName::Written(block.name);
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }

    /// The schemes the scenario writes, in text order.
    pub fn scheme_blocks(&self) -> impl Iterator<Item = &SchemeBlock> + '_ {
        self.body.iter().filter_map(|i| match i {
            Item::Scheme(b) => Some(b),
            _ => None,
        })
    }

    pub fn fs(&self) -> Fs {
        self.fs.unwrap_or_default()
    }

    /// Every statement in text order, par tasks included: the order that
    /// defines event numbers.
    pub fn stmts(&self) -> impl Iterator<Item = (&Stmt, Place)> + '_ {
        let mut block = 0;
        self.body.iter().flat_map(move |item| -> Box<dyn Iterator<Item = (&Stmt, Place)> + '_> {
            match item {
                Item::Stmt(s) => Box::new(std::iter::once((s, Place::Top))),
                Item::Par(p) => {
                    let b = block;
                    block += 1;
                    Box::new(
                        p.items
                            .iter()
                            .filter_map(|i| match i {
                                Item::Stmt(s) => Some(s),
                                _ => None,
                            })
                            .enumerate()
                            .map(move |(task, s)| (s, Place::Task { block: b, task })),
                    )
                }
                Item::Claim(_) | Item::Note(_) | Item::Gap | Item::Scheme(_) => Box::new(std::iter::empty()),
            }
        })
    }

    /// Every claim, in text order.
    pub fn claims(&self) -> impl Iterator<Item = &Claim> + '_ {
        self.body.iter().filter_map(|i| match i {
            Item::Claim(c) => Some(c),
            _ => None,
        })
    }

    pub fn has_par(&self) -> bool {
        self.body.iter().any(|i| matches!(i, Item::Par(_)))
    }

    /// Whether its results need the explorer: `par` blocks, whose calls
    /// have a result per interleaving, or claims, which are checked over
    /// every interleaving.
    pub fn needs_explorer(&self) -> bool {
        self.has_par() || self.claims().next().is_some()
    }
}
