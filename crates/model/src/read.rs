//! read(2): what a read returns after a failed writeback, and what it
//! does to the inode.
//!
//! # What the read returns
//!
//! A buffered read copies the cached page when it is uptodate, and
//! otherwise reads it from the disk first (`filemap_read` and
//! `filemap_get_pages`, mm/filemap.c; `generic_file_buffered_read` and
//! `do_generic_file_read` before 5.x). So after a failed writeback it
//! returns the new data while the page stays cached and uptodate, and the
//! disk's (old) data once the page is gone (`evict`: `evict` and
//! `truncate_inode_pages_final`, fs/inode.c) or no longer uptodate. What
//! the I/O completion leaves on the page decides, per filesystem:
//!
//! - ext4: `ext4_finish_bio` (fs/ext4/page-io.c) records the error
//!   (`mapping_set_error`) and marks the buffers with a write error, and
//!   leaves the page uptodate: a read returns the new data. Every version.
//! - xfs: iomap's `iomap_finish_folio_write` (fs/iomap/buffered-io.c;
//!   `xfs_finish_page_writeback` before iomap, which cleared the buffer
//!   heads' uptodate bits but not the page's `PG_uptodate`, the bit reads
//!   look at) leaves the page uptodate: the new data. Every version.
//! - btrfs: `end_extent_writepage` (fs/btrfs/extent_io.c) cleared the
//!   page's uptodate bit on a write error, so the next read fetched the
//!   disk's data (Rebello et al., ATC 2020, saw it); "btrfs: don't clear
//!   uptodate on write errors" (b595d2599632, released in 6.6) stopped
//!   that, and 6.6 and later return the new data, as the oracle sees on
//!   6.18. No scheme stands for 6.6: `linux-5.8` is also `linux`, the
//!   newest, which the oracle compares with the running kernel, so it
//!   follows 6.6 and later here; every older scheme (and the rfc ones,
//!   written against 4.11) clears uptodate. (5.8 to 6.5 cleared it too:
//!   the model cannot say so without a scheme id for 6.6.)
//! - nfs: a failed write calls `nfs_set_pageerror` (fs/nfs/write.c, "A
//!   writeback failed: mark the page as bad, and invalidate the page
//!   cache"), which zaps the mapping (`nfs_zap_mapping`): the next read
//!   revalidates it, drops the cached pages and reads the server's data.
//!   Every version the schemes model. Not modelled: that revalidation
//!   (`nfs_revalidate_mapping`, `invalidate_inode_pages2`) also writes
//!   back dirty pages through `nfs_launder_folio`.
//!
//! The model keeps one `cache` version per page: the version a read gets.
//! A page left not uptodate by a failed completion reads what the disk
//! has, and the disk does not change until the page is written again (a
//! new version in the cache) or written directly (which sets both), so
//! the completion sets `cache` to the disk's version at once
//! ([`crate::kernel::PageStep::EndIo`]). A page written again while its
//! failing writeback was in flight holds the newer data and keeps it.
//!
//! Up to 4.12 the read that fetches such a page clears its `PG_error`
//! first ("A previous I/O error may have been due to temporary failures",
//! `do_generic_file_read`), which 4.12's waits would otherwise have
//! reported as EIO: the page's `error` cell is 2 while the page is not
//! uptodate, and the read takes it.
//!
//! An `O_DIRECT` read (`iomap_dio_rw`, fs/iomap/direct-io.c; before iomap,
//! the direct branch of `generic_file_read_iter`, mm/filemap.c) first
//! writes back and waits on the cached range,
//! `filemap_write_and_wait_range` (`kiocb_write_and_wait` since 6.6),
//! whose `filemap_check_errors` test-and-clears the legacy flags: an error
//! there is the read's result (so a direct read takes AS_EIO from a later
//! 4.12 fsync). Otherwise it reads the disk, whatever the cache holds.
//! Unlike a direct write (since 6.6), a direct read has no buffered
//! fallback for that error. Not modelled: NFS's direct read flushes only
//! when the inode leaves buffered mode (`nfs_start_io_direct`); the model
//! flushes as the local filesystems do.
//!
//! `fail` fails writes only, in the model as in the oracle's faultfs, so
//! reading the disk never fails: a read's only errno is a direct read's
//! flush error.
//!
//! # What the read does to the inode
//!
//! A read ends with `file_accessed` (include/linux/fs.h) → `touch_atime`
//! (fs/inode.c). Under `relatime`, the default mount option,
//! `relatime_need_update` asks for a new atime when the atime is not newer
//! than the mtime or ctime (or a day old): the first read after a write,
//! and the first read of a file written before its atime was last set. On
//! ext4, which has no `->update_time`, `generic_update_time` then calls
//! `__mark_inode_dirty(I_DIRTY_SYNC)` (fs/fs-writeback.c): an inode that
//! was clean goes to the young end of the superblock's dirty list, with a
//! new `dirtied_when`, and sync, syncfs and the flusher write it back in
//! that order. xfs (`xfs_vn_update_time`) and btrfs (`btrfs_update_time`)
//! log the new atime in a transaction of their own and leave the VFS
//! inode clean; NFS inodes are `S_NOATIME` (`nfs_fhget`, fs/nfs/inode.c).
//! So only ext4 moves the inode, and only there does the model take the
//! step ([`crate::kernel::PageStep::Access`]). A direct read updates atime
//! too: after the read (`ext4_dio_read_iter`, since ext4 moved to iomap in
//! 5.5, even when the flush failed); before 5.5 the flush's error skipped
//! it (`goto out` in `generic_file_read_iter`).
//!
//! The model takes every call to happen at a later clock tick than the
//! one before: timestamps are coarse (`current_time`), and a read within
//! the tick of the write before it can find its atime already equal to
//! `now` and update nothing. It also has no `lazytime`, `noatime` or
//! `O_NOATIME`: the scenario's reads are plain reads of a `relatime`
//! mount, as the oracle's are (its own probes use `O_NOATIME`).

use errseq::{Ret, Scheme};
use errseq_scenario::{FileId, Fs};

use crate::column::Algorithm;
use crate::kernel::{flush_range, Cx, Kernel, PageStep};

/// read(2) of one page: its version, or a direct read's flush error.
pub(crate) fn read<K: Kernel, S: Algorithm>(
    k: &mut K,
    cx: Cx<'_, S>,
    file: FileId,
    page: usize,
    direct: bool,
) -> Result<Ret, K::Stop> {
    if direct {
        let flushed = flush_range(k, cx, file, page)?;
        if !flushed.is_ok() {
            if cx.scheme.base() == Scheme::Linux58 {
                accessed(k, cx, file)?;
            }
            return Ok(flushed);
        }
    }
    let version = k.page_step(PageStep::ReadPage { file, page, direct })?;
    accessed(k, cx, file)?;
    Ok(Ret::version(version))
}

/// `file_accessed`: on ext4, a new atime dirties the inode.
fn accessed<K: Kernel, S: Algorithm>(k: &mut K, cx: Cx<'_, S>, file: FileId) -> Result<(), K::Stop> {
    if cx.fs == Fs::Ext4 && cx.layout.files[file].atime.is_some() {
        k.page_step(PageStep::Access { file })?;
    }
    Ok(())
}

/// Whether a failed writeback leaves the page not uptodate, so that the
/// next read fetches the disk's (the server's) data: see the module's
/// documentation.
pub(crate) fn failed_write_drops_page(fs: Fs, scheme: Scheme) -> bool {
    match fs {
        Fs::Ext4 | Fs::Xfs => false,
        Fs::Btrfs => scheme != Scheme::Linux58,
        Fs::Nfs => true,
    }
}
