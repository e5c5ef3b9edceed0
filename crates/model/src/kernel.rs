//! The system calls of a scenario, on top of the schemes' algorithms.
//!
//! [`run`] performs one event under one scheme on a [`Kernel`]: the core
//! crate's atomic [`Memory`] plus the page-cache steps writeback needs.
//! Page steps are atomic too (one step writes back a whole file), so the
//! explorer can interleave a call's page work with other tasks' errseq
//! steps just like its own loads and cmpxchgs.
//!
//! What a failed writeback leaves behind: the pages are marked clean with
//! the new content still cached, so nothing retries them and the disk keeps
//! the old content. Rebello et al. (USENIX ATC 2020) saw this on ext4 and
//! xfs, and btrfs reverting the cached pages to the disk's; the live-kernel
//! oracle (docs/oracle.md) finds all three keeping the new content on Linux
//! 6.18, so every profile here does.
//!
//! sync and syncfs write files back in the order the scenario first
//! mentions them. (The kernel goes by when each inode was dirtied; with
//! several failing files, which error is "the latest" depends on it.)

use errseq::{Errno, Memory, Ret, Scheme};
use errseq_scenario::{FileId, Fs};

use crate::layout::Layout;
use crate::program::{Op, SlotId};

/// A step on the page cache and storage of one file.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum PageStep {
    /// write(2) dirties a page: a new version in the cache.
    Dirty { file: FileId, page: usize },
    /// Writes the file's dirty pages to its storage. Yields the errno the
    /// storage failed with, or 0 (also when nothing was dirty).
    Writeback { file: FileId },
    /// Records that a sync call returned 0: what the application wrote to
    /// the file is now promised durable.
    Promise { file: FileId },
    /// Eviction: the inode and its mapping leave memory. Cached pages go
    /// (the cache now reads what is on disk), and so does the mapping's
    /// error state.
    Drop { file: FileId },
}

/// The memory a scenario's calls run on.
pub trait Kernel: Memory {
    fn page_step(&mut self, step: PageStep) -> Result<u32, Self::Stop>;
}

/// Performs a page step on plain cells.
pub fn apply_page_step(cells: &mut [u32], layout: &Layout, step: PageStep) -> u32 {
    match step {
        PageStep::Dirty { file, page } => {
            let p = layout.files[file].pages[page];
            cells[p.written.index()] += 1;
            cells[p.cache.index()] = cells[p.written.index()];
            cells[p.dirty.index()] = 1;
            0
        }
        PageStep::Writeback { file } => write_back(cells, layout, file),
        PageStep::Promise { file } => {
            for p in &layout.files[file].pages {
                cells[p.promised.index()] = cells[p.written.index()];
            }
            0
        }
        PageStep::Drop { file } => {
            let f = &layout.files[file];
            for p in &f.pages {
                cells[p.cache.index()] = cells[p.disk.index()];
                cells[p.dirty.index()] = 0;
            }
            for a in [f.mapping.wb_err, f.mapping.flags, f.mapping.i_lock] {
                cells[a.index()] = 0;
            }
            0
        }
    }
}

fn write_back(cells: &mut [u32], layout: &Layout, file: FileId) -> u32 {
    let f = &layout.files[file];
    let failing = cells[f.storage.index()];
    let mut wrote = false;
    for p in &f.pages {
        if cells[p.dirty.index()] == 0 {
            continue;
        }
        wrote = true;
        cells[p.dirty.index()] = 0;
        if failing == 0 {
            cells[p.disk.index()] = cells[p.cache.index()];
        }
    }
    if wrote {
        failing
    } else {
        0
    }
}

/// What every call needs to know besides its arguments.
#[derive(Copy, Clone, Debug)]
pub struct Cx<'a> {
    pub scheme: Scheme,
    pub fs: Fs,
    pub layout: &'a Layout,
}

/// Performs one event; `Some(result)` for calls that return one.
pub fn run<K: Kernel>(k: &mut K, cx: Cx<'_>, op: Op) -> Result<Option<Ret>, K::Stop> {
    let Cx { scheme, layout, .. } = cx;
    let ret = match op {
        Op::Open { file, slot } => {
            scheme.open(k, layout.files[file].mapping, layout.sb, layout.slots[slot])?;
            return Ok(None);
        }
        Op::Dup => return Ok(None),
        Op::Write { file, page } => {
            k.page_step(PageStep::Dirty { file, page })?;
            return Ok(None);
        }
        Op::Fail { file, errno } => {
            k.store(layout.files[file].storage, errno.number())?;
            return Ok(None);
        }
        Op::Heal { file } => {
            k.store(layout.files[file].storage, 0)?;
            return Ok(None);
        }
        Op::Writeback { file } => {
            write_back_and_record(k, cx, file)?;
            return Ok(None);
        }
        Op::Error { file, errno } => {
            scheme.mapping_set_error(k, layout.files[file].mapping, layout.sb, errno)?;
            return Ok(None);
        }
        Op::Evict { file } => {
            write_back_and_record(k, cx, file)?;
            k.page_step(PageStep::Drop { file })?;
            return Ok(None);
        }
        Op::Close { file, slot } => close(k, cx, file, slot)?,
        Op::Fsync { file, slot } => fsync(k, cx, file, slot)?,
        Op::Syncfs { slot } => syncfs(k, cx, slot)?,
        Op::Sync => {
            for file in 0..layout.files.len() {
                write_back_and_record(k, cx, file)?;
            }
            Ret::OK
        }
        Op::Flush { file } => {
            write_back_and_record(k, cx, file)?;
            scheme.filemap_check_errors(k, layout.files[file].mapping)?
        }
    };
    Ok(Some(ret))
}

/// Writeback of one file; a failure is recorded on its mapping, as the
/// end-of-I/O handler's `mapping_set_error` does, with the errno the
/// filesystem gets to see (see [`recorded_errno`]).
fn write_back_and_record<K: Kernel>(k: &mut K, cx: Cx<'_>, file: FileId) -> Result<(), K::Stop> {
    let code = k.page_step(PageStep::Writeback { file })?;
    if let Some(errno) = Errno::new(code) {
        let recorded = recorded_errno(cx.fs, errno);
        cx.scheme.mapping_set_error(k, cx.layout.files[file].mapping, cx.layout.sb, recorded)?;
    }
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

/// fsync, fdatasync, sync_file_range: write and wait, then report.
fn fsync<K: Kernel>(k: &mut K, cx: Cx<'_>, file: FileId, slot: SlotId) -> Result<Ret, K::Stop> {
    write_back_and_record(k, cx, file)?;
    let ret = cx.scheme.fsync_report(k, cx.layout.files[file].mapping, cx.layout.slots[slot])?;
    if ret.is_ok() {
        k.page_step(PageStep::Promise { file })?;
    }
    Ok(ret)
}

/// syncfs: write back every file of the filesystem, then report.
fn syncfs<K: Kernel>(k: &mut K, cx: Cx<'_>, slot: SlotId) -> Result<Ret, K::Stop> {
    for file in 0..cx.layout.files.len() {
        write_back_and_record(k, cx, file)?;
    }
    let ret = cx.scheme.syncfs_report(k, cx.layout.sb, cx.layout.slots[slot])?;
    if ret.is_ok() {
        for file in 0..cx.layout.files.len() {
            k.page_step(PageStep::Promise { file })?;
        }
    }
    Ok(ret)
}

/// close(2): only NFS has a `->flush`; elsewhere close reports nothing.
fn close<K: Kernel>(k: &mut K, cx: Cx<'_>, file: FileId, slot: SlotId) -> Result<Ret, K::Stop> {
    if cx.fs != Fs::Nfs {
        return Ok(Ret::OK);
    }
    let mapping = cx.layout.files[file].mapping;
    cx.scheme.nfs_flush(k, mapping, cx.layout.slots[slot], |k| write_back_and_record(k, cx, file))
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
    fn page_step(&mut self, step: PageStep) -> Result<u32, Self::Stop> {
        Ok(apply_page_step(self.cells, self.layout, step))
    }
}
