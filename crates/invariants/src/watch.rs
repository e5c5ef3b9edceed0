//! Watching a call: which errors it recorded and what its reports said,
//! in the order it did them.
//!
//! The invariants speak of records (`mapping_set_error`) and reports (the
//! checks a call makes through the description's cursor or, before 4.13,
//! the mapping's flags), not of the steps inside them, so the watch sits
//! at the [`Algorithm`] boundary: [`Watched`] forwards every question to
//! the scheme (built-in or written) and notes the answer. It adds no step,
//! so the interleavings are the explorer's own.
//!
//! The explorer replays a task from its start to take each step, and a
//! state holds a finished task's output as one word. So a watched call
//! starts its notes afresh on every replay, and when it returns, its
//! result and notes are kept once in a [`Logbook`] and the task's output
//! is the log's number there ([`LogId`]): two interleavings in which a
//! call did the same things meet in one state, as the explorer's do.

use std::cell::RefCell;
use std::collections::HashMap;

use errseq::{Addr, Errno, File, Mapping, Memory, Ret, Scheme};
use errseq_explorer::replay::Word;
use errseq_explorer::Task;
use errseq_model::kernel::{run, Cx};
use errseq_model::{Algorithm, Kernel, Op};
use errseq_scenario::FileId;

/// Which word a report reads.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Channel {
    /// The file's: fsync, fdatasync, msync, a synchronous write,
    /// sync_file_range's waits, NFS's flush at close.
    File,
    /// The superblock's: syncfs (5.8).
    Sb,
}

/// Which of the scheme's reports a call made.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Via {
    /// fsync's, which fdatasync, msync and synchronous writes make too.
    Fsync,
    /// One of sync_file_range's waits.
    SyncFileRange,
    /// NFS's flush at close.
    Flush,
    /// syncfs's.
    Syncfs,
}

impl Via {
    pub fn channel(self) -> Channel {
        match self {
            Via::Syncfs => Channel::Sb,
            Via::Fsync | Via::SyncFileRange | Via::Flush => Channel::File,
        }
    }
}

/// One thing a call did that the invariants look at.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Note {
    /// `mapping_set_error` on the file returned: an error is recorded.
    Record(FileId),
    /// A report returned this.
    Report(Via, Ret),
}

/// What one call did: its result and its notes, in order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CallLog {
    pub ret: Option<Ret>,
    pub notes: Vec<Note>,
}

/// A call that did nothing the invariants look at.
pub static NOTHING: CallLog = CallLog { ret: None, notes: Vec::new() };

impl CallLog {
    /// Position of the last report on `channel`, if it made one.
    pub fn last_report(&self, channel: Channel) -> Option<usize> {
        self.notes.iter().rposition(|n| matches!(n, Note::Report(v, _) if v.channel() == channel))
    }

    /// Position of the last of fsync's reports, if it made one.
    pub fn last_fsync_report(&self) -> Option<usize> {
        self.notes.iter().rposition(|n| matches!(n, Note::Report(Via::Fsync, _)))
    }

    /// The reports on `channel` that said an error, by position.
    pub fn error_reports(&self, channel: Channel) -> impl Iterator<Item = usize> + '_ {
        self.notes.iter().enumerate().filter_map(move |(i, n)| match n {
            Note::Report(v, r) if v.channel() == channel && r.errno().is_some() => Some(i),
            _ => None,
        })
    }

    /// Whether the call told its description of an error about its file:
    /// a report said one, or the call failed and was not a syncfs (whose
    /// error is the superblock's). Calls without reports count too (an
    /// O_DIRECT write that finds a legacy flag, a read): telling counts
    /// however it happens.
    pub fn told(&self) -> bool {
        let reported = self.error_reports(Channel::File).next().is_some();
        let syncfs = self.last_report(Channel::Sb).is_some();
        reported || (!syncfs && self.ret.is_some_and(|r| r.errno().is_some()))
    }

    /// Whether the call made fsync's report and said nothing of any
    /// error. The invariants promise a telling at the next fsync (or
    /// fdatasync, msync, synchronous write): a sync_file_range that says
    /// nothing (before 4.14 it reads the legacy flags, not the cursor)
    /// leaves the description owed, not wronged.
    pub fn silent(&self) -> bool {
        self.last_fsync_report().is_some() && !self.told()
    }
}

/// The logs of the calls watched so far, each kept once.
#[derive(Debug)]
pub struct Logbook {
    /// Each file's word, to tell which file a mapping is.
    words: Vec<Addr>,
    logs: RefCell<Vec<CallLog>>,
    index: RefCell<HashMap<CallLog, u32>>,
    /// The call being run.
    current: RefCell<Vec<Note>>,
}

impl Logbook {
    /// A logbook for the files whose words are `words`, by file number.
    pub fn new(words: Vec<Addr>) -> Logbook {
        Logbook { words, logs: RefCell::default(), index: RefCell::default(), current: RefCell::default() }
    }

    /// The logs kept, by [`LogId`] (borrowed: read them once the calls
    /// have run).
    pub fn kept(&self) -> std::cell::Ref<'_, Vec<CallLog>> {
        self.logs.borrow()
    }

    fn note(&self, n: Note) {
        self.current.borrow_mut().push(n);
    }

    fn file_of(&self, mapping: Mapping) -> Option<FileId> {
        self.words.iter().position(|&w| w == mapping.wb_err)
    }

    /// Keeps the finished call's log; its number.
    fn finish(&self, ret: Option<Ret>) -> LogId {
        let log = CallLog { ret, notes: self.current.take() };
        let mut index = self.index.borrow_mut();
        if let Some(&id) = index.get(&log) {
            return LogId(id);
        }
        let mut logs = self.logs.borrow_mut();
        let id = u32::try_from(logs.len()).unwrap_or(u32::MAX);
        logs.push(log.clone());
        index.insert(log, id);
        LogId(id)
    }
}

/// A call's output when watched: its log's number in the [`Logbook`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LogId(pub u32);

impl Word for LogId {
    fn to_word(self) -> u32 {
        self.0
    }

    fn from_word(w: u32) -> LogId {
        LogId(w)
    }
}

/// A scheme whose records and reports are noted in a logbook.
#[derive(Copy, Clone, Debug)]
pub struct Watched<'b, S> {
    pub inner: S,
    pub book: &'b Logbook,
}

impl<S: Algorithm> Algorithm for Watched<'_, S> {
    fn base(self) -> Scheme {
        self.inner.base()
    }

    fn mapping_set_error<M: Memory>(
        self,
        m: &mut M,
        mapping: Mapping,
        sb: Addr,
        err: Errno,
    ) -> Result<(), M::Stop> {
        self.inner.mapping_set_error(m, mapping, sb, err)?;
        if let Some(file) = self.book.file_of(mapping) {
            self.book.note(Note::Record(file));
        }
        Ok(())
    }

    fn open<M: Memory>(self, m: &mut M, mapping: Mapping, sb: Addr, file: File) -> Result<(), M::Stop> {
        self.inner.open(m, mapping, sb, file)
    }

    fn fsync_report<M: Memory>(self, m: &mut M, mapping: Mapping, file: File) -> Result<Ret, M::Stop> {
        let r = self.inner.fsync_report(m, mapping, file)?;
        self.book.note(Note::Report(Via::Fsync, r));
        Ok(r)
    }

    fn sync_file_range_report<M: Memory>(
        self,
        m: &mut M,
        mapping: Mapping,
        file: File,
    ) -> Result<Ret, M::Stop> {
        let r = self.inner.sync_file_range_report(m, mapping, file)?;
        self.book.note(Note::Report(Via::SyncFileRange, r));
        Ok(r)
    }

    fn syncfs_report<M: Memory>(self, m: &mut M, sb: Addr, file: File) -> Result<Ret, M::Stop> {
        let r = self.inner.syncfs_report(m, sb, file)?;
        self.book.note(Note::Report(Via::Syncfs, r));
        Ok(r)
    }

    fn nfs_flush<M, W>(self, m: &mut M, mapping: Mapping, file: File, write_back: W) -> Result<Ret, M::Stop>
    where
        M: Memory,
        W: FnOnce(&mut M) -> Result<(), M::Stop>,
    {
        let r = self.inner.nfs_flush(m, mapping, file, write_back)?;
        self.book.note(Note::Report(Via::Flush, r));
        Ok(r)
    }

    fn stopped_at(self) -> Option<errseq_lang::Site> {
        self.inner.stopped_at()
    }
}

/// One event as a watched task.
#[derive(Copy, Clone, Debug)]
pub struct WatchedTask<'a, 'b, S> {
    pub cx: Cx<'a, Watched<'b, S>>,
    pub op: Op,
}

impl<S: Algorithm> Task for WatchedTask<'_, '_, S> {
    type Output = LogId;

    fn run<K: Kernel>(&self, k: &mut K) -> Result<LogId, K::Stop> {
        // A replay runs the call from its start: so do its notes.
        self.cx.scheme.book.current.borrow_mut().clear();
        let ret = run(k, self.cx, self.op)?;
        Ok(self.cx.scheme.book.finish(ret))
    }
}
