//! The system calls of a scenario, on top of the schemes' algorithms.
//!
//! [`run`] performs one event under one scheme on a [`Kernel`]: the core
//! crate's atomic [`Memory`] plus the page-cache steps writeback needs.
//! Page steps are atomic too, so the explorer interleaves a call's page
//! work with other tasks' errseq steps just like its loads and cmpxchgs.
//!
//! # Writeback, as the kernel runs it
//!
//! A page goes from dirty to *under writeback* (`PG_writeback`) when
//! `write_cache_pages` (mm/page-writeback.c) submits it, and stays there
//! until its I/O completes. The completion handler (`ext4_finish_bio`,
//! fs/ext4/page-io.c; `iomap_finish_folio_write`, fs/iomap/buffered-io.c;
//! xfs's `xfs_finish_page_writeback` before iomap) records a failure with
//! `mapping_set_error` and only then calls `end_page_writeback`. So a
//! writeback is four things here, each an atomic step or the scheme's own
//! steps:
//!
//! 1. [`PageStep::StartWriteback`]: the file's dirty pages become clean and
//!    under writeback, carrying the version they hold to the storage;
//! 2. [`PageStep::EndIo`]: the I/O completes: the storage takes the pages,
//!    or fails them (and, for 4.12, sets `PG_error`);
//! 3. on failure, the scheme's `mapping_set_error`;
//! 4. [`PageStep::EndWriteback`]: the pages leave writeback.
//!
//! The task that submits a page also completes it, in submission order.
//! In the kernel the completion runs in interrupt context whenever the
//! device answers; other tasks can run between every two of the steps
//! above, which is what matters, but the model does not let one file's
//! completion overtake another's that was submitted earlier by the same
//! task (sync and syncfs submit file after file). On the oracle's loop
//! device they complete in that order almost always: in 28 runs of
//! `examples/21-syncfs-writeback-order` on ext4, one gave the other order
//! (docs/oracle.md).
//!
//! Every call that waits (fsync, fdatasync, sync_file_range's waits,
//! syncfs, sync, the in-kernel flush) waits with [`PageStep::Wait`], which
//! the explorer does not let a task take while a page it waits for is
//! under writeback (`__filemap_fdatawait_range`, mm/filemap.c): an fsync
//! racing the flusher on its failing page sees the error, because the
//! completion records it before the page leaves writeback. Up to 4.12 that
//! wait also test-and-cleared each page's `PG_error` and returned EIO;
//! "mm: don't TestClearPageError in __filemap_fdatawait_range" removed it
//! in 4.13. `linux-4.12` keeps it ([`Scheme::waits_clear_page_error`]),
//! so under 4.12 two fsyncs racing one failing page can both get EIO: one
//! takes `PG_error`, the other `AS_EIO`; and `PG_error`'s EIO wins over
//! an `AS_ENOSPC` that the same call clears. The rfc schemes leave it out
//! (why: [`Scheme::waits_clear_page_error`]).
//!
//! A write to a page under writeback dirties it again; the data in flight
//! stays what was submitted. An fsync (`WB_SYNC_ALL`) that finds such a
//! page waits for the earlier writeback before it submits the page again
//! (`write_cache_pages`); the flusher (`WB_SYNC_NONE`) skips it.
//!
//! # The order of writeback
//!
//! sync(2), syncfs(2) and the flusher write a superblock's inodes in the
//! order of the `b_dirty` list, oldest dirtied first (`dirtied_when`,
//! `queue_io` and `writeback_sb_inodes`, fs/fs-writeback.c). An inode is
//! put at the list's young end when it goes from clean to dirty
//! (`__mark_inode_dirty`); dirtying it again while it is dirty does not
//! move it. It leaves the list only when the writeback of the lists finds
//! it clean after writing it (`requeue_inode`): fsync and
//! sync_file_range write its pages but leave it where it is. The model
//! keeps a stamp per file ([`crate::layout::FileCells::dirtied`]) from a
//! counter that stands for `jiffies`, and sync and syncfs take the files
//! stamped before they started, oldest first, then wait for them all
//! (`wait_sb_inodes`). With several failing files, the superblock's word
//! and the legacy flags end up with what the last one wrote.
//!
//! `writeback FILE` is the flusher's work on one file as the oracle runs
//! it (sync_file_range's WRITE, then waiting for that file alone): the
//! pages are written without waiting for earlier writeback, nobody is
//! told, and the inode keeps its place on the list.
//!
//! # Finding the pages and inodes
//!
//! The kernel does not scan a file's pages to write or wait: it walks the
//! page cache's dirty and writeback tags (`write_cache_pages`;
//! `__filemap_fdatawait_range` through `filemap_get_folios_tag` with
//! `PAGECACHE_TAG_WRITEBACK`, mm/filemap.c, since 6.2, and the tagged
//! pagevec lookups before), and sync walks `b_dirty`, not every inode.
//! The model keeps the same indexes in cells ([`crate::index`]): each
//! step visits the pages and inodes it acts on, in page order and in
//! dirty-list order as before, so a call's work no longer grows with the
//! file's size or the number of files, and no result changes.
//!
//! `writeback FILE` is the flusher's work on one file as the oracle runs
//! it (sync_file_range's WRITE, then waiting for that file alone): the
//! pages are written without waiting for earlier writeback, nobody is
//! told, and the inode keeps its place on the list.
//!
//! # What a failed writeback leaves behind
//!
//! The pages are marked clean, so nothing retries them and the disk keeps
//! the old content. ext4 and xfs keep the new content cached and
//! uptodate; btrfs before 6.6 and NFS leave the page to be read from the
//! disk (the server) again, which [`PageStep::EndIo`] models by setting
//! the cache to the disk's version. Which is which, and why, is
//! [`crate::read`]'s header.

use errseq::{Errno, Memory, Ret, Scheme};

use crate::column::Algorithm;
use errseq_scenario::{FileId, Fs, Pages, SyncRange};

use crate::layout::{Layout, PageCells};
use crate::program::{Op, SlotId};

/// How a writeback treats a dirty page that is still under an earlier
/// writeback (`wbc->sync_mode`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum SyncMode {
    /// `WB_SYNC_ALL` (fsync, sync, syncfs): waits for it, then writes.
    All,
    /// `WB_SYNC_NONE` (the flusher, sync_file_range's WRITE): skips it.
    None,
}

/// A step on the page cache and storage.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum PageStep {
    /// write(2) dirties a page: a new version in the cache; a clean inode
    /// goes to the young end of the dirty list.
    Dirty { file: FileId, page: usize },
    /// Submits the file's dirty pages: each becomes clean and under
    /// writeback by this task, carrying its cached version. Yields how
    /// many it submitted. With [`SyncMode::All`] it cannot be taken while
    /// a dirty page is still under writeback. With `requeue` (the
    /// writeback of the inode lists) a file left with no dirty page leaves
    /// the dirty list.
    ///
    /// `page`: only that page (an index into the file's pages), as a
    /// writeback of a range does (`__filemap_fdatawrite_range`).
    StartWriteback { file: FileId, mode: SyncMode, requeue: bool, page: Option<usize> },
    /// The I/O of the pages this task submitted completes: the storage
    /// takes their versions, or fails them, setting `PG_error` when
    /// `page_error`. With `drops_uptodate` a failed page that was not
    /// written again meanwhile is left not uptodate: the cache reads the
    /// disk's version from now on ([`crate::read`]). Yields the errno the
    /// storage failed with, or 0.
    EndIo { file: FileId, page_error: bool, drops_uptodate: bool },
    /// `end_page_writeback` for the pages whose I/O this task completed.
    EndWriteback { file: FileId },
    /// Waits until no page of `file` (of every file, when `None`) is under
    /// writeback; cannot be taken before. With `clear_error`, then
    /// test-and-clears their `PG_error`, yielding 1 if one was set.
    /// `page`: only that page of `file` (`__filemap_fdatawait_range` over
    /// a range).
    Wait { file: Option<FileId>, clear_error: bool, page: Option<usize> },
    /// The oldest inode on the dirty list stamped after `after` and no
    /// later than `upto`: yields its stamp, or 0 when there is none.
    NextDirty { after: u32, upto: u32 },
    /// Yields 1 + the file whose inode carries `stamp`, or 0.
    FileDirtiedAt { stamp: u32 },
    /// Records that a sync call returned 0: what the application wrote to
    /// the file is now promised durable.
    /// `page`: only that page (a synchronous write's range).
    Promise { file: FileId, page: Option<usize> },
    /// An `O_DIRECT` write of a page, after the cache was written back
    /// and waited on: the cached page is invalidated
    /// (`kiocb_invalidate_pages`), then the new version goes to the
    /// storage. On success the disk has it (a new version), and the cache
    /// too (the next read would load it); on failing storage, neither: no
    /// version is made, and the cache reads the disk's version. Yields the
    /// storage's errno or 0. Nothing is recorded on the mapping either way.
    DirectIo { file: FileId, page: usize },
    /// `fail`/`heal`: the storage under the file's pages in `first..=last`
    /// fails every write with `errno` from now on (0: works again). One
    /// step for the whole range, so a whole-file `fail` is atomic as it
    /// was when the file had one storage cell.
    Storage { file: FileId, first: u32, last: u32, errno: u32 },
    /// A read of one page: yields the version the cache holds (`direct`:
    /// the disk). Up to 4.12, a page left not uptodate by a failed write
    /// has its `PG_error` cleared by the read that fetches it again.
    ReadPage { file: FileId, page: usize, direct: bool },
    /// `file_accessed` on ext4 ([`crate::read`]): when the atime is older
    /// than the mtime (relatime), a new atime marks the inode dirty, and a
    /// clean inode joins the young end of the dirty list.
    Access { file: FileId },
    /// `file_modified` of a direct write, which changes mtime before its
    /// flush: the next read updates atime again. Taken only for files some
    /// read reads (a buffered write does it in [`PageStep::Dirty`]).
    Modified { file: FileId },
    /// Eviction: the inode and its mapping leave memory. Cached pages go
    /// (the cache now reads what is on disk), and so does the mapping's
    /// error state.
    Drop { file: FileId },
}

/// The memory a scenario's calls run on.
pub trait Kernel: Memory {
    fn page_step(&mut self, step: PageStep) -> Result<u32, Self::Stop>;
}

/// The `writeback` cell of a page submitted by `holder` (a task's lock
/// holder number, from 1), before and after its I/O completed.
fn submitted(holder: u32) -> u32 {
    holder << 1
}

fn completed(holder: u32) -> u32 {
    (holder << 1) | 1
}

/// Whether a page step can be taken now: waits wait for writeback.
pub fn page_step_enabled(cells: &[u32], layout: &Layout, step: PageStep) -> bool {
    let busy = |p: &PageCells| cells[p.writeback.index()] != 0;
    let index = &layout.index;
    match step {
        PageStep::StartWriteback { file, mode: SyncMode::All, page: Some(i), .. } => {
            layout.files[file].pages.get(i).is_none_or(|p| !(busy(p) && cells[p.dirty.index()] != 0))
        }
        PageStep::StartWriteback { file, mode: SyncMode::All, page: None, .. } => {
            cells[index.files[file].busy_dirty.index()] == 0
        }
        PageStep::Wait { file: Some(file), page: Some(i), .. } => {
            layout.files[file].pages.get(i).is_none_or(|p| !busy(p))
        }
        PageStep::Wait { file: Some(file), page: None, .. } => index.files[file].writeback.is_empty(cells),
        PageStep::Wait { file: None, .. } => cells[index.writeback_pages.index()] == 0,
        _ => true,
    }
}

/// Performs a page step on plain cells for the task whose lock holder
/// number is `holder`. Callers check [`page_step_enabled`] first.
///
/// Each step visits only the pages it acts on, found through the indexes
/// ([`crate::index`]), in page order as the kernel's tagged walks go;
/// `Storage` visits the pages of its range (every page of the file for a
/// whole-file `fail` or `heal`).
pub fn apply_page_step(cells: &mut [u32], layout: &Layout, step: PageStep, holder: u32) -> u32 {
    match step {
        PageStep::Dirty { file, page } => dirty(cells, layout, file, page),
        PageStep::StartWriteback { file, mode, requeue, page } => {
            start_writeback(cells, layout, file, mode, requeue, page, holder)
        }
        PageStep::EndIo { file, page_error, drops_uptodate } => {
            end_io(cells, layout, file, page_error, drops_uptodate, holder)
        }
        PageStep::EndWriteback { file } => end_writeback(cells, layout, file, holder),
        PageStep::Wait { file, clear_error, page } => wait(cells, layout, file, clear_error, page),
        PageStep::NextDirty { after, upto } => {
            let stamp = |f: usize| cells[layout.files[f].dirtied.index()];
            match layout.index.dirty_inodes(cells).map(stamp).find(|&t| t > after) {
                Some(t) if t <= upto => t,
                _ => 0,
            }
        }
        PageStep::FileDirtiedAt { stamp } => layout
            .index
            .dirty_inodes(cells)
            .find(|&f| cells[layout.files[f].dirtied.index()] >= stamp)
            .filter(|&f| stamp != 0 && cells[layout.files[f].dirtied.index()] == stamp)
            .map_or(0, |i| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        PageStep::Promise { file, page } => promise(cells, layout, file, page),
        PageStep::DirectIo { file, page } => {
            let p = layout.files[file].pages[page];
            let failing = cells[p.storage.index()];
            if failing == 0 {
                cells[p.written.index()] += 1;
                cells[p.disk.index()] = cells[p.written.index()];
                layout.index.files[file].unpromised.insert(cells, page);
            }
            cells[p.cache.index()] = cells[p.disk.index()];
            layout.index.files[file].stale.remove(cells, page);
            failing
        }
        PageStep::ReadPage { file, page, direct: false } => {
            let p = layout.files[file].pages[page];
            if cells[p.error.index()] == NOT_UPTODATE {
                cells[p.error.index()] = 0;
                layout.index.set_error(cells, file, page, false);
            }
            cells[p.cache.index()]
        }
        PageStep::ReadPage { file, page, direct: true } => cells[layout.files[file].pages[page].disk.index()],
        PageStep::Access { file } => {
            let Some(atime) = layout.files[file].atime else { return 0 };
            if cells[atime.index()] == 0 {
                cells[atime.index()] = 1;
                mark_inode_dirty(cells, layout, file);
            }
            0
        }
        PageStep::Modified { file } => {
            if let Some(atime) = layout.files[file].atime {
                cells[atime.index()] = 0;
            }
            0
        }
        PageStep::Storage { file, first, last, errno } => {
            for p in layout.files[file].pages_numbered(first, last) {
                cells[p.storage.index()] = errno;
            }
            0
        }
        PageStep::Drop { file } => drop_inode(cells, layout, file),
    }
}

/// `PageCells::error` of a page whose failed writeback left it not
/// uptodate, with `PG_error` set (4.12's btrfs): a read that fetches it
/// again clears `PG_error`; a write makes it uptodate, `PG_error` staying.
const NOT_UPTODATE: u32 = 2;

fn dirty(cells: &mut [u32], layout: &Layout, file: FileId, page: usize) -> u32 {
    let f = &layout.files[file];
    let p = f.pages[page];
    cells[p.written.index()] += 1;
    cells[p.cache.index()] = cells[p.written.index()];
    layout.index.set_stale(cells, file, page, p);
    let busy = cells[p.writeback.index()] != 0;
    cells[p.dirty.index()] = 1;
    layout.index.set_dirty(cells, file, page, busy, true);
    layout.index.files[file].unpromised.insert(cells, page);
    if cells[p.error.index()] == NOT_UPTODATE {
        cells[p.error.index()] = 1;
    }
    // The write's new mtime (`file_update_time`): the next read updates
    // atime again.
    if let Some(atime) = f.atime {
        cells[atime.index()] = 0;
    }
    mark_inode_dirty(cells, layout, file);
    0
}

/// `__mark_inode_dirty`: a clean inode goes to the young end of the dirty
/// list; a dirty one keeps its place.
fn mark_inode_dirty(cells: &mut [u32], layout: &Layout, file: FileId) {
    let f = &layout.files[file];
    if cells[f.dirtied.index()] == 0 {
        cells[layout.clock.index()] += 1;
        cells[f.dirtied.index()] = cells[layout.clock.index()];
        layout.index.push_dirty_inode(cells, file);
    }
}

/// The inode leaves the dirty list, if it is on it.
fn undirty_inode(cells: &mut [u32], layout: &Layout, file: FileId) {
    let dirtied = layout.files[file].dirtied.index();
    if cells[dirtied] != 0 {
        layout.index.remove_dirty_inode(cells, file);
        cells[dirtied] = 0;
    }
}

fn start_writeback(
    cells: &mut [u32],
    layout: &Layout,
    file: FileId,
    mode: SyncMode,
    requeue: bool,
    page: Option<usize>,
    holder: u32,
) -> u32 {
    let (f, index) = (&layout.files[file], &layout.index);
    let mut started = 0;
    let mut submit = |cells: &mut [u32], i: usize| {
        let p = f.pages[i];
        let under_writeback = cells[p.writeback.index()] != 0;
        if cells[p.dirty.index()] == 0 || (under_writeback && mode == SyncMode::None) {
            return;
        }
        cells[p.dirty.index()] = 0;
        index.set_dirty(cells, file, i, under_writeback, false);
        cells[p.writeback.index()] = submitted(holder);
        index.set_writeback(cells, file, i, false, true);
        cells[p.flight.index()] = cells[p.cache.index()];
        started += 1;
    };
    match page {
        Some(i) if i < f.pages.len() => submit(cells, i),
        Some(_) => {}
        None => index.files[file].dirty.for_each(cells, submit),
    }
    if requeue && index.files[file].dirty.is_empty(cells) {
        undirty_inode(cells, layout, file);
    }
    started
}

/// The completion of the pages `holder` submitted: each page whose
/// storage works takes its version; each page whose storage fails keeps
/// the old content on disk (and gets `PG_error` when `page_error`).
/// Yields the errno the completion records: 0 when no page failed; when
/// failing pages carry different errnos, the one of the highest-numbered
/// failing page. The kernel records per bio (`ext4_finish_bio`,
/// fs/ext4/page-io.c; iomap's ioend completion), bios going out in page
/// order (`write_cache_pages`), so the last failing bio's errno is the one
/// errseq_t keeps; the model records once, which differs only for
/// linux-4.12's two legacy flags (one bio with EIO and one with ENOSPC
/// would set both there).
fn end_io(
    cells: &mut [u32],
    layout: &Layout,
    file: FileId,
    page_error: bool,
    drops_uptodate: bool,
    holder: u32,
) -> u32 {
    let (f, index) = (&layout.files[file], &layout.index);
    let mut recorded = (0, 0);
    index.files[file].writeback.for_each(cells, |cells, i| {
        let p = f.pages[i];
        if cells[p.writeback.index()] != submitted(holder) {
            return;
        }
        cells[p.writeback.index()] = completed(holder);
        let failing = cells[p.storage.index()];
        if failing == 0 {
            cells[p.disk.index()] = cells[p.flight.index()];
            index.set_stale(cells, file, i, p);
            return;
        }
        if recorded.1 == 0 || p.number >= recorded.0 {
            recorded = (p.number, failing);
        }
        let dropped = drops_uptodate && cells[p.dirty.index()] == 0;
        if dropped {
            cells[p.cache.index()] = cells[p.disk.index()];
            index.set_stale(cells, file, i, p);
        }
        if page_error {
            cells[p.error.index()] = if dropped { NOT_UPTODATE } else { 1 };
            index.set_error(cells, file, i, true);
        }
    });
    recorded.1
}

/// `end_page_writeback` for the pages whose I/O `holder` completed.
fn end_writeback(cells: &mut [u32], layout: &Layout, file: FileId, holder: u32) -> u32 {
    let (f, index) = (&layout.files[file], &layout.index);
    index.files[file].writeback.for_each(cells, |cells, i| {
        let p = f.pages[i];
        if cells[p.writeback.index()] == completed(holder) {
            cells[p.writeback.index()] = 0;
            cells[p.flight.index()] = 0;
            index.set_writeback(cells, file, i, cells[p.dirty.index()] != 0, false);
        }
    });
    0
}

fn wait(
    cells: &mut [u32],
    layout: &Layout,
    file: Option<FileId>,
    clear_error: bool,
    page: Option<usize>,
) -> u32 {
    if !clear_error {
        return 0;
    }
    match file {
        Some(f) => take_page_errors(cells, layout, f, page),
        None => {
            let mut had = 0;
            layout
                .index
                .error_files
                .for_each(cells, |cells, f| had |= take_page_errors(cells, layout, f, page));
            had
        }
    }
}

/// Test-and-clears `PG_error` on the file's pages (or only page `page`).
fn take_page_errors(cells: &mut [u32], layout: &Layout, file: FileId, page: Option<usize>) -> u32 {
    let (f, index) = (&layout.files[file], &layout.index);
    let mut had = 0;
    let mut take = |cells: &mut [u32], i: usize| {
        had |= std::mem::take(&mut cells[f.pages[i].error.index()]);
        index.set_error(cells, file, i, false);
    };
    match page {
        Some(i) if i < f.pages.len() && index.files[file].error.contains(cells, i) => take(cells, i),
        Some(_) => {}
        None => index.files[file].error.for_each(cells, take),
    }
    had
}

/// Records that what the application wrote is promised durable.
fn promise(cells: &mut [u32], layout: &Layout, file: FileId, page: Option<usize>) -> u32 {
    let (f, index) = (&layout.files[file], &layout.index);
    let keep = |cells: &mut [u32], i: usize| {
        let p = f.pages[i];
        cells[p.promised.index()] = cells[p.written.index()];
        index.files[file].unpromised.remove(cells, i);
    };
    match page {
        Some(i) if i < f.pages.len() => keep(cells, i),
        Some(_) => {}
        None => index.files[file].unpromised.for_each(cells, keep),
    }
    0
}

/// Eviction: every cached page now reads the disk, and the inode's
/// writeback and error state goes with it.
fn drop_inode(cells: &mut [u32], layout: &Layout, file: FileId) -> u32 {
    let (f, index) = (&layout.files[file], &layout.index);
    let fi = &index.files[file];
    fi.dirty.for_each(cells, |cells, i| {
        cells[f.pages[i].dirty.index()] = 0;
        index.set_dirty(cells, file, i, cells[f.pages[i].writeback.index()] != 0, false);
    });
    fi.writeback.for_each(cells, |cells, i| {
        cells[f.pages[i].writeback.index()] = 0;
        cells[f.pages[i].flight.index()] = 0;
        index.set_writeback(cells, file, i, false, false);
    });
    take_page_errors(cells, layout, file, None);
    fi.stale.for_each(cells, |cells, i| {
        let p = f.pages[i];
        cells[p.cache.index()] = cells[p.disk.index()];
        fi.stale.remove(cells, i);
    });
    undirty_inode(cells, layout, file);
    for a in [f.mapping.wb_err, f.mapping.flags, f.mapping.i_lock] {
        cells[a.index()] = 0;
    }
    0
}

/// What every call needs to know besides its arguments. `scheme` is a
/// built-in [`Scheme`], or a written one ([`crate::column`]).
#[derive(Copy, Clone, Debug)]
pub struct Cx<'a, S = Scheme> {
    pub scheme: S,
    pub fs: Fs,
    pub layout: &'a Layout,
}

impl<S: Algorithm> Cx<'_, S> {
    /// Whether a failed completion sets `PG_error` where a wait will look:
    /// only 4.12's waits test it, and the local filesystems set it.
    /// (NFS's `PG_error` is not modelled.)
    fn page_error(self) -> bool {
        self.scheme.base().waits_clear_page_error() && self.fs != Fs::Nfs
    }

    /// Whether a failed completion leaves its pages not uptodate
    /// ([`crate::read`]).
    fn drops_uptodate(self) -> bool {
        crate::read::failed_write_drops_page(self.fs, self.scheme.base())
    }
}

/// Performs one event; `Some(result)` for calls that return one.
pub fn run<K: Kernel, S: Algorithm>(k: &mut K, cx: Cx<'_, S>, op: Op) -> Result<Option<Ret>, K::Stop> {
    let Cx { scheme, layout, .. } = cx;
    let ret = match op {
        Op::Open { file, slot } => {
            scheme.open(k, layout.files[file].mapping, layout.sb, layout.slots[slot])?;
            return Ok(None);
        }
        Op::Dup => return Ok(None),
        Op::Write { file, page, sync: false, direct: false, .. } => {
            k.page_step(PageStep::Dirty { file, page })?;
            return Ok(None);
        }
        Op::Write { file, slot, page, sync, direct: false } => {
            debug_assert!(sync);
            k.page_step(PageStep::Dirty { file, page })?;
            sync_range(k, cx, file, slot, page)?
        }
        Op::Write { file, slot, page, sync, direct: true } => direct_write(k, cx, file, slot, page, sync)?,
        Op::Fail { file, errno, pages } => {
            let Pages { first, last } = pages.unwrap_or(Pages { first: 0, last: u32::MAX });
            k.page_step(PageStep::Storage { file, first, last, errno: errno.number() })?;
            return Ok(None);
        }
        Op::Heal { file, pages } => {
            let Pages { first, last } = pages.unwrap_or(Pages { first: 0, last: u32::MAX });
            k.page_step(PageStep::Storage { file, first, last, errno: 0 })?;
            return Ok(None);
        }
        Op::Writeback { file } => {
            write_pages(k, cx, file, SyncMode::None, false, None)?;
            return Ok(None);
        }
        Op::Error { file, errno } => {
            scheme.mapping_set_error(k, layout.files[file].mapping, layout.sb, errno)?;
            return Ok(None);
        }
        Op::Evict { file } => {
            write_pages(k, cx, file, SyncMode::All, true, None)?;
            k.page_step(PageStep::Wait { file: Some(file), clear_error: false, page: None })?;
            k.page_step(PageStep::Drop { file })?;
            return Ok(None);
        }
        Op::Close { file, slot, writable } => close(k, cx, file, slot, writable)?,
        Op::Read { file, page, direct } => crate::read::read(k, cx, file, page, direct)?,
        Op::Fsync { file, slot } => fsync(k, cx, file, slot)?,
        // msync(MS_SYNC) calls `vfs_fsync_range` over the mapping's range
        // (mm/msync.c) for a `VM_SHARED` mapping: the whole file here, so
        // fsync. A description without `FMODE_WRITE` maps without
        // `VM_SHARED` (`do_mmap`, mm/mmap.c), and msync syncs nothing.
        Op::Msync { file, slot, writable: true } => fsync(k, cx, file, slot)?,
        Op::Msync { writable: false, .. } => Ret::OK,
        Op::SyncFileRange { file, slot, steps } => sync_file_range(k, cx, file, slot, steps)?,
        Op::Syncfs { slot } => syncfs(k, cx, slot)?,
        Op::Sync => {
            sync_inodes(k, cx)?;
            Ret::OK
        }
        Op::Flush { file } => {
            write_pages(k, cx, file, SyncMode::All, false, None)?;
            let page_error = wait_on(k, cx, file, None)?;
            with_page_error(page_error, scheme.base().filemap_check_errors(k, layout.files[file].mapping)?)
        }
    };
    Ok(Some(ret))
}

/// Writes the file's dirty pages and completes their I/O, recording a
/// failure on the mapping, as the completion handler does, with the
/// errno the filesystem gets to see (see [`recorded_errno`]).
fn write_pages<K: Kernel, S: Algorithm>(
    k: &mut K,
    cx: Cx<'_, S>,
    file: FileId,
    mode: SyncMode,
    requeue: bool,
    page: Option<usize>,
) -> Result<(), K::Stop> {
    if k.page_step(PageStep::StartWriteback { file, mode, requeue, page })? == 0 {
        return Ok(());
    }
    let (page_error, drops_uptodate) = (cx.page_error(), cx.drops_uptodate());
    let code = k.page_step(PageStep::EndIo { file, page_error, drops_uptodate })?;
    if let Some(errno) = Errno::new(code) {
        let recorded = recorded_errno(cx.fs, errno);
        cx.scheme.mapping_set_error(k, cx.layout.files[file].mapping, cx.layout.sb, recorded)?;
    }
    k.page_step(PageStep::EndWriteback { file })?;
    Ok(())
}

/// `__filemap_fdatawait_range` over the whole file (or one page): waits
/// for its pages under writeback; under 4.12, whether one of them had
/// `PG_error`.
fn wait_on<K: Kernel, S: Algorithm>(
    k: &mut K,
    cx: Cx<'_, S>,
    file: FileId,
    page: Option<usize>,
) -> Result<bool, K::Stop> {
    let clear_error = cx.scheme.base().waits_clear_page_error();
    Ok(k.page_step(PageStep::Wait { file: Some(file), clear_error, page })? != 0)
}

/// 4.12's `filemap_fdatawait_range`: the wait's EIO wins over what
/// `filemap_check_errors` returned (which ran all the same).
fn with_page_error(page_error: bool, report: Ret) -> Ret {
    if page_error {
        Ret::err(Errno::EIO)
    } else {
        report
    }
}

/// The writeback of the superblock's inode lists with waiting, as sync(2)
/// and syncfs(2) run it (`sync_inodes_sb`): every inode dirtied before the
/// call, oldest first, then `wait_sb_inodes`, which keeps the errors (in
/// 4.12 its wait still clears `PG_error`, and drops what it found).
fn sync_inodes<K: Kernel, S: Algorithm>(k: &mut K, cx: Cx<'_, S>) -> Result<(), K::Stop> {
    let upto = k.load(cx.layout.clock)?;
    let mut after = 0;
    loop {
        let stamp = k.page_step(PageStep::NextDirty { after, upto })?;
        if stamp == 0 {
            break;
        }
        after = stamp;
        let Some(file) = k.page_step(PageStep::FileDirtiedAt { stamp })?.checked_sub(1) else {
            continue;
        };
        write_pages(k, cx, file as FileId, SyncMode::All, true, None)?;
    }
    let clear_error = cx.scheme.base().waits_clear_page_error();
    k.page_step(PageStep::Wait { file: None, clear_error, page: None })?;
    Ok(())
}

/// The errnos a block device can report: those that survive the block
/// layer's `errno_to_blk_status` and `blk_status_to_errno` round trip.
/// Measured on Linux 6.18 through a loop device (docs/oracle.md).
const BLOCK_ERRNOS: [&str; 17] = [
    "EIO",
    "ENOSPC",
    "ENODATA",
    "ETIMEDOUT",
    "ENOLINK",
    "EREMOTEIO",
    "EILSEQ",
    "ENOMEM",
    "EOPNOTSUPP",
    "EAGAIN",
    "EBUSY",
    "ENODEV",
    "EBADE",
    "ETIME",
    "EOVERFLOW",
    "ETOOMANYREFS",
    "EINVAL",
];

/// What a failed writeback records when the storage fails with `errno`.
///
/// A local filesystem learns of a failed write from the block layer, which
/// carries only a few errnos: ext4 and xfs record the block layer's errno
/// (anything else arrives as EIO); btrfs records ENOSPC as it is and EIO
/// for every other cause.
/// NFS learns from its server, which may say anything (EDQUOT, EROFS...).
/// `error FILE ERRNO` bypasses this: it is `mapping_set_error` itself.
pub fn recorded_errno(fs: Fs, errno: Errno) -> Errno {
    match fs {
        Fs::Nfs => errno,
        Fs::Btrfs if errno == Errno::ENOSPC => errno,
        Fs::Btrfs => Errno::EIO,
        Fs::Ext4 | Fs::Xfs if BLOCK_ERRNOS.contains(&errno.name()) => errno,
        Fs::Ext4 | Fs::Xfs => Errno::EIO,
    }
}

/// fsync and fdatasync (`file_write_and_wait_range`): write, wait,
/// report.
fn fsync<K: Kernel, S: Algorithm>(
    k: &mut K,
    cx: Cx<'_, S>,
    file: FileId,
    slot: SlotId,
) -> Result<Ret, K::Stop> {
    write_pages(k, cx, file, SyncMode::All, false, None)?;
    let page_error = wait_on(k, cx, file, None)?;
    let report = cx.scheme.fsync_report(k, cx.layout.files[file].mapping, cx.layout.slots[slot])?;
    let ret = with_page_error(page_error, report);
    if ret.is_ok() {
        k.page_step(PageStep::Promise { file, page: None })?;
    }
    Ok(ret)
}

/// A synchronous write's second half (`O_SYNC`, `O_DSYNC`, `RWF_SYNC`,
/// `RWF_DSYNC`): `generic_write_sync` (include/linux/fs.h) calls
/// `vfs_fsync_range` over the bytes written, so the filesystem's fsync for
/// that range (`ext4_sync_file`, `xfs_file_fsync`, `btrfs_sync_file`):
/// `file_write_and_wait_range` writes back and waits on that page only,
/// then the report is fsync's (4.13+: `file_check_and_advance_wb_err`,
/// which looks at the whole mapping's word and advances the description's
/// cursor; 4.12: `PG_error` in the range, then `filemap_check_errors`).
/// The write returns that error instead of the byte count.
fn sync_range<K: Kernel, S: Algorithm>(
    k: &mut K,
    cx: Cx<'_, S>,
    file: FileId,
    slot: SlotId,
    page: usize,
) -> Result<Ret, K::Stop> {
    write_pages(k, cx, file, SyncMode::All, false, Some(page))?;
    let page_error = wait_on(k, cx, file, Some(page))?;
    let report = cx.scheme.fsync_report(k, cx.layout.files[file].mapping, cx.layout.slots[slot])?;
    let ret = with_page_error(page_error, report);
    if ret.is_ok() {
        k.page_step(PageStep::Promise { file, page: Some(page) })?;
    }
    Ok(ret)
}

/// An `O_DIRECT` write of one page (`iomap_dio_rw`, fs/iomap/direct-io.c;
/// btrfs goes through it too since 5.15):
///
/// 1. `filemap_write_and_wait_range` over the range: writes back and
///    waits on the cached dirty page, then `filemap_check_errors`
///    test-and-clears the legacy flags; an error there fails the write
///    with it, before any direct I/O (4.12: the wait's `PG_error` too).
///    Not modelled: since 6.6 that step is `kiocb_invalidate_pages`, whose
///    error `__iomap_dio_rw` turns into `-ENOTBLK`, and ext4 and xfs then
///    fall back to a buffered write that is written and waited on: the
///    write succeeds and the legacy flag it cleared is reported to nobody
///    (the oracle sees this on Linux 6.18);
/// 2. the cached page is invalidated and the data goes to the storage
///    directly ([`PageStep::DirectIo`]); a failing storage's errno comes
///    back through the block layer (`blk_status_to_errno`: the mapping of
///    [`recorded_errno`] for ext4 and xfs; btrfs's direct I/O goes through
///    the same bio status; NFS's server errno as it is) and is returned to
///    the caller. Nothing is recorded on the mapping (no `errseq_set`, no
///    legacy flag), except on btrfs, whose failed ordered extent records
///    EIO there;
/// 3. with `O_SYNC`/`O_DSYNC` too, a successful write then runs
///    `generic_write_sync` over the range (`iomap_dio_complete`): nothing
///    is dirty there, so it only reports as fsync does.
fn direct_write<K: Kernel, S: Algorithm>(
    k: &mut K,
    cx: Cx<'_, S>,
    file: FileId,
    slot: SlotId,
    page: usize,
    sync: bool,
) -> Result<Ret, K::Stop> {
    if cx.layout.files[file].atime.is_some() {
        k.page_step(PageStep::Modified { file })?;
    }
    let flushed = flush_range(k, cx, file, page)?;
    if !flushed.is_ok() {
        return Ok(flushed);
    }
    if let Some(errno) = Errno::new(k.page_step(PageStep::DirectIo { file, page })?) {
        let returned = match cx.fs {
            Fs::Nfs => errno,
            _ => recorded_errno(Fs::Ext4, errno),
        };
        if cx.fs == Fs::Btrfs {
            // btrfs completes a direct write through an ordered extent, and
            // a failed one records EIO on the mapping
            // (`btrfs_mark_ordered_extent_error`, fs/btrfs/ordered-data.c),
            // as the oracle sees on Linux 6.18.
            let mapping = cx.layout.files[file].mapping;
            cx.scheme.mapping_set_error(k, mapping, cx.layout.sb, Errno::EIO)?;
        }
        return Ok(Ret::err(returned));
    }
    if sync {
        return sync_range(k, cx, file, slot, page);
    }
    Ok(Ret::OK)
}

/// `filemap_write_and_wait_range` over one page, as a direct write or
/// read runs it first: writes back and waits on the cached page, then
/// `filemap_check_errors` test-and-clears the legacy flags (4.12: the
/// wait's `PG_error` wins).
pub(crate) fn flush_range<K: Kernel, S: Algorithm>(
    k: &mut K,
    cx: Cx<'_, S>,
    file: FileId,
    page: usize,
) -> Result<Ret, K::Stop> {
    write_pages(k, cx, file, SyncMode::All, false, Some(page))?;
    let page_error = wait_on(k, cx, file, Some(page))?;
    Ok(with_page_error(page_error, cx.scheme.base().filemap_check_errors(k, cx.layout.files[file].mapping)?))
}

/// sync_file_range(2) (fs/sync.c): WAIT_BEFORE, WRITE, WAIT_AFTER, each
/// if asked. A failed WAIT_BEFORE ends the call (`goto out`, in every
/// version): WRITE never runs and the pages stay dirty. WRITE reports
/// nothing; see [`Scheme::sync_file_range_writes_all`] for how it treats
/// pages still under writeback.
fn sync_file_range<K: Kernel, S: Algorithm>(
    k: &mut K,
    cx: Cx<'_, S>,
    file: FileId,
    slot: SlotId,
    steps: SyncRange,
) -> Result<Ret, K::Stop> {
    if steps.wait_before {
        let ret = range_wait(k, cx, file, slot)?;
        if !ret.is_ok() {
            return Ok(ret);
        }
    }
    if steps.write {
        let mode = match cx.scheme.base().sync_file_range_writes_all(steps == SyncRange::ALL) {
            true => SyncMode::All,
            false => SyncMode::None,
        };
        write_pages(k, cx, file, mode, false, None)?;
    }
    if !steps.wait_after {
        return Ok(Ret::OK);
    }
    let ret = range_wait(k, cx, file, slot)?;
    if ret.is_ok() && steps.write {
        k.page_step(PageStep::Promise { file, page: None })?;
    }
    Ok(ret)
}

/// One of sync_file_range's waits, and what it reports.
fn range_wait<K: Kernel, S: Algorithm>(
    k: &mut K,
    cx: Cx<'_, S>,
    file: FileId,
    slot: SlotId,
) -> Result<Ret, K::Stop> {
    let page_error = wait_on(k, cx, file, None)?;
    let mapping = cx.layout.files[file].mapping;
    let report = cx.scheme.sync_file_range_report(k, mapping, cx.layout.slots[slot])?;
    Ok(with_page_error(page_error, report))
}

/// syncfs: write back and wait for every file of the filesystem, report.
fn syncfs<K: Kernel, S: Algorithm>(k: &mut K, cx: Cx<'_, S>, slot: SlotId) -> Result<Ret, K::Stop> {
    sync_inodes(k, cx)?;
    let ret = cx.scheme.syncfs_report(k, cx.layout.sb, cx.layout.slots[slot])?;
    if ret.is_ok() {
        for file in 0..cx.layout.files.len() {
            k.page_step(PageStep::Promise { file, page: None })?;
        }
    }
    Ok(ret)
}

/// close(2): only NFS has a `->flush`; elsewhere close reports nothing.
/// NFS's flush returns 0 at once for a description not opened for writing
/// (`nfs_file_flush`, fs/nfs/file.c: `if ((file->f_mode & FMODE_WRITE) ==
/// 0) return 0;`, in every version the schemes model).
fn close<K: Kernel, S: Algorithm>(
    k: &mut K,
    cx: Cx<'_, S>,
    file: FileId,
    slot: SlotId,
    writable: bool,
) -> Result<Ret, K::Stop> {
    if cx.fs != Fs::Nfs || !writable {
        return Ok(Ret::OK);
    }
    let mapping = cx.layout.files[file].mapping;
    cx.scheme.nfs_flush(k, mapping, cx.layout.slots[slot], |k| {
        write_pages(k, cx, file, SyncMode::All, false, None)?;
        wait_on(k, cx, file, None).map(drop)
    })
}

/// Plain cells and a layout: the run-to-completion kernel.
pub struct Machine<'a> {
    pub cells: &'a mut [u32],
    pub layout: &'a Layout,
}

impl Memory for Machine<'_> {
    type Stop = core::convert::Infallible;

    #[inline]
    fn step(&mut self, action: errseq::Action) -> Result<u32, Self::Stop> {
        Ok(action.apply(self.cells, errseq::memory::HELD))
    }
}

impl Kernel for Machine<'_> {
    /// One task runs to completion, so a wait never finds another task's
    /// writeback in flight.
    fn page_step(&mut self, step: PageStep) -> Result<u32, Self::Stop> {
        debug_assert!(page_step_enabled(self.cells, self.layout, step), "{step:?} would block");
        Ok(apply_page_step(self.cells, self.layout, step, errseq::memory::HELD))
    }
}
