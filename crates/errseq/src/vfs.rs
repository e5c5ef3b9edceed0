//! The kernel objects whose cells the algorithms touch, and the VFS glue
//! of 4.13 and later that is shared by every errseq_t scheme.

use crate::errno::Ret;
use crate::errseq;
use crate::legacy;
use crate::memory::{Addr, Memory};

/// The cells of one inode's `address_space`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Mapping {
    /// `mapping->wb_err`: the errseq_t (or rfc) word.
    pub wb_err: Addr,
    /// `mapping->flags`: the legacy AS_EIO / AS_ENOSPC bits.
    pub flags: Addr,
    /// `inode->i_lock`, which rfc-v1 takes to set the word.
    pub i_lock: Addr,
}

/// The cells of one open file description (`struct file`). Every fd made
/// by dup(2) or inherited by fork(2) shares them.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct File {
    /// `file->f_wb_err`: the cursor into the mapping's word.
    pub wb_err: Addr,
    /// `file->f_sb_err` (5.8+): the cursor into the superblock's word.
    pub sb_err: Addr,
    /// `file->f_lock`, which serializes updates of `f_wb_err`.
    pub lock: Addr,
}

/// `file_check_and_advance_wb_err` (4.13+): report and advance the file's
/// cursor, then clear the legacy flags as `filemap_check_errors` would.
pub fn file_check_and_advance_wb_err<M: Memory>(
    m: &mut M,
    mapping: Mapping,
    file: File,
) -> Result<Ret, M::Stop> {
    let err = advance_file_cursor(m, mapping.wb_err, file)?;
    legacy::clear_flags(m, mapping.flags)?;
    Ok(err)
}

/// The errseq half of `file_check_and_advance_wb_err`. The lockless
/// `errseq_check` first keeps the common no-error case off `f_lock`; only
/// a mismatch takes the lock, and `errseq_check_and_advance` under it
/// re-reads the cursor, so two fds sharing the description cannot both
/// report one error.
pub fn advance_file_cursor<M: Memory>(m: &mut M, wb_err: Addr, file: File) -> Result<Ret, M::Stop> {
    let since = m.load(file.wb_err)?;
    if errseq::check(m, wb_err, since)?.is_ok() {
        return Ok(Ret::OK);
    }
    m.lock(file.lock)?;
    let err = errseq::check_and_advance(m, wb_err, file.wb_err)?;
    m.unlock(file.lock)?;
    Ok(err)
}
