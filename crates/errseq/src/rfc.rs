//! The two designs of the seed thread (April 2017), as written there.
//!
//! **rfc-v1** is Matthew Wilcox's sketch: under `inode->i_lock` the word
//! gets `((word & ~MAX_ERRNO) + (1 << 12)) | -err`, a 20-bit counter that
//! moves on every error, with no SEEN bit. Its report compares the file's
//! copy with the word and returns the errno on a mismatch, and never
//! updates the file's copy: as quoted, every later fsync reports again.
//! How it samples at open is not quoted; we take the patch of record's
//! `f_wb_err = READ_ONCE(wb_err)`.
//!
//! **rfc-v2** is Jeff Layton's replacement patch: the errseq layout, a
//! cmpxchg loop to set that always swaps (no "unchanged, stop" shortcut),
//! an open that copies the word without marking it SEEN, and a report that
//! loops under `f_lock` until its cmpxchg of the SEEN bit lands. The review
//! asked for three changes, which the `Review` knobs turn on one at a time
//! so the explorer can weigh each against the patch.

use crate::errno::{Ret, MAX_ERRNO};
use crate::memory::{Action, Addr, Memory};
use crate::word::{CTR_INC, RFC_V1_CTR_INC, SEEN};

/// rfc-v1's `filemap_set_wb_error`, under `i_lock`.
pub fn v1_set<M: Memory>(m: &mut M, wb_err: Addr, i_lock: Addr, err: u32) -> Result<(), M::Stop> {
    // The sketch only WARNs on a bad errno and goes on to corrupt the
    // word; recording nothing is the one reading that keeps the model sane.
    if err == 0 || err > MAX_ERRNO {
        return Ok(());
    }
    m.lock(i_lock)?;
    let word = m.load(wb_err)?;
    m.store(wb_err, (word & !MAX_ERRNO).wrapping_add(RFC_V1_CTR_INC) | err)?;
    m.unlock(i_lock)
}

/// rfc-v1's `filemap_report_wb_error`: reports, never advances.
pub fn v1_report<M: Memory>(m: &mut M, wb_err: Addr, f_wb_err: Addr) -> Result<Ret, M::Stop> {
    let word = m.load(wb_err)?;
    if m.load(f_wb_err)? == word {
        return Ok(Ret::OK);
    }
    Ok(Ret::from_errno_field(word))
}

/// The seed's open (both variants): `f_wb_err = READ_ONCE(wb_err)`, with no
/// SEEN bit set. Jeff Layton found the bug himself on 2017-04-10: an equal
/// errno recorded after such an open is not counted, so the opener misses it.
pub fn v2_open<M: Memory>(m: &mut M, wb_err: Addr, f_wb_err: Addr) -> Result<(), M::Stop> {
    let word = m.load(wb_err)?;
    m.store(f_wb_err, word)
}

/// Review changes to rfc-v2, each off in the patch as posted.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Review {
    /// NeilBrown: in set, stop without a cmpxchg when the new value equals
    /// the old (same errno, unseen). Jeff Layton feared losing an error to
    /// a racing SEEN marker; NeilBrown argued the race is benign.
    pub skip_unchanged_set: bool,
    /// Matthew Wilcox: in the report, one cmpxchg and no loop, "not even
    /// looking at 'cur'".
    pub report_once: bool,
}

/// rfc-v2's `filemap_set_wb_error`.
pub fn v2_set<M: Memory>(m: &mut M, wb_err: Addr, err: u32, review: Review) -> Result<(), M::Stop> {
    if err == 0 || err > MAX_ERRNO {
        return Ok(());
    }
    let mut old = m.load(wb_err)?;
    loop {
        let mut new = (old & !MAX_ERRNO) | err;
        if old & SEEN != 0 {
            new = new.wrapping_add(CTR_INC) & !SEEN;
        }
        if review.skip_unchanged_set && new == old {
            return Ok(());
        }
        let cur = m.cmpxchg(wb_err, old, new)?;
        if cur == old || cur == new {
            return Ok(());
        }
        old = cur;
    }
}

/// rfc-v2's `filemap_report_wb_error`: a lockless peek, then under `f_lock`
/// a loop that marks the value SEEN and advances the file's copy.
pub fn v2_report<M: Memory>(
    m: &mut M,
    wb_err: Addr,
    f_wb_err: Addr,
    f_lock: Addr,
    review: Review,
) -> Result<Ret, M::Stop> {
    let mut old = m.load(wb_err)?;
    if old == m.load(f_wb_err)? {
        return Ok(Ret::OK);
    }
    m.lock(f_lock)?;
    let mut err = Ret::OK;
    loop {
        // The file's copy always carries SEEN, so equality means caught up.
        if old == m.load(f_wb_err)? {
            break;
        }
        let new = old | SEEN;
        if review.report_once {
            // Matthew Wilcox: one cmpxchg, "not even looking at 'cur'".
            m.ignoring(Action::Cmpxchg { at: wb_err, old, new })?;
        } else {
            let cur = m.cmpxchg(wb_err, old, new)?;
            if cur != old && cur != new {
                // Raced with a set: report the newer error instead.
                old = cur;
                continue;
            }
        }
        m.store(f_wb_err, new)?;
        err = Ret::from_errno_field(new);
        break;
    }
    m.unlock(f_lock)?;
    Ok(err)
}
