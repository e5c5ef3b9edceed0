//! `errseq_t` as merged in 4.13 (`lib/errseq.c`), with the 4.17 change to
//! sampling.
//!
//! One word per thing that can fail (a mapping, a superblock); one cursor
//! per observer (an open file description). `set` records an error; a
//! cursor remembers the last value its owner has been told about. The SEEN
//! bit keeps the 19-bit counter from moving when nobody could tell the
//! difference: an error is counted only if some cursor has sampled the word
//! since the last one.
//!
//! The review in the seed thread shaped these functions: `set` skips the
//! cmpxchg when it would write what is already there (NeilBrown), and
//! `check_and_advance` does a single cmpxchg and ignores its result rather
//! than looping (Matthew Wilcox): whoever races with it either set the same
//! SEEN bit or recorded a newer error, which the cursor will then differ
//! from and report next time.

use crate::errno::{Ret, MAX_ERRNO};
use crate::memory::{Action, Addr, Memory};
use crate::word::{CTR_INC, SEEN};

/// How a new observer samples the word.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Sampling {
    /// 4.13 to 4.16: mark the current value SEEN and start from it, so an
    /// error older than the open is never reported to the opener.
    MarkSeen,
    /// 4.17 and later (b4678df184b3): an error nobody has seen yet reads as
    /// 0, so the first observer to check will be told about it.
    UnseenAsZero,
}

/// `errseq_set`: records `err` (a positive errno) in the word at `eseq`.
///
/// An errno of 0 or above MAX_ERRNO records nothing, as the kernel warns
/// and returns. The value returned is the kernel's, useful only for
/// debugging.
pub fn set<M: Memory>(m: &mut M, eseq: Addr, err: u32) -> Result<u32, M::Stop> {
    let mut old = m.load(eseq)?;
    if err == 0 || err > MAX_ERRNO {
        return Ok(old);
    }
    loop {
        // Replace the errno, drop SEEN; count only if somebody saw the last one.
        let mut new = (old & !(MAX_ERRNO | SEEN)) | err;
        if old & SEEN != 0 {
            new = new.wrapping_add(CTR_INC);
        }
        // Same errno, still unseen: recording it again would change nothing.
        if new == old {
            return Ok(new);
        }
        let cur = m.cmpxchg(eseq, old, new)?;
        // Done if we swapped, or somebody else stored exactly our value.
        if cur == old || cur == new {
            return Ok(cur);
        }
        old = cur;
    }
}

/// `errseq_sample`: the value a new observer's cursor starts from.
pub fn sample<M: Memory>(m: &mut M, eseq: Addr, how: Sampling) -> Result<u32, M::Stop> {
    let old = m.load(eseq)?;
    match how {
        Sampling::MarkSeen => {
            // Never-failed words stay 0; a value once non-zero never returns to 0.
            if old == 0 {
                return Ok(0);
            }
            let new = old | SEEN;
            if new != old {
                // Whether it worked does not matter: a racing set means a
                // newer error, which this cursor will then report.
                m.ignoring(Action::Cmpxchg { at: eseq, old, new })?;
            }
            Ok(new)
        }
        Sampling::UnseenAsZero => Ok(if old & SEEN == 0 { 0 } else { old }),
    }
}

/// `errseq_check`: has anything been recorded since `since`? A pure read.
pub fn check<M: Memory>(m: &mut M, eseq: Addr, since: u32) -> Result<Ret, M::Stop> {
    let cur = m.load(eseq)?;
    Ok(if cur == since { Ret::OK } else { Ret::from_errno_field(cur) })
}

/// `errseq_check_and_advance`: report what changed since the cursor at
/// `since`, and move the cursor to the current value, marking it SEEN.
///
/// The caller must serialize calls on one cursor (the VFS holds `f_lock`);
/// two unserialized callers can both see the old cursor and both report.
pub fn check_and_advance<M: Memory>(m: &mut M, eseq: Addr, since: Addr) -> Result<Ret, M::Stop> {
    let old = m.load(eseq)?;
    if old == m.load(since)? {
        return Ok(Ret::OK);
    }
    let new = old | SEEN;
    if new != old {
        // One try, result ignored: a racing set leaves a value that differs
        // from `new`, so the error it records is reported next time.
        m.ignoring(Action::Cmpxchg { at: eseq, old, new })?;
    }
    m.store(since, new)?;
    Ok(Ret::from_errno_field(new))
}
