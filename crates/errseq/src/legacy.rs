//! The legacy error flags, `AS_EIO` and `AS_ENOSPC` in `mapping->flags`.
//!
//! Up to 4.12 these two bits were all a mapping remembered about writeback
//! errors. Whoever called `filemap_check_errors` first (fsync, but also a
//! truncate or a getattr flushing the file) test-and-cleared them and got
//! the error; everybody after got 0. Only two errnos fit: ENOSPC, and EIO
//! for everything else. 4.13 kept setting them for callers that still
//! test them, and made fsync clear them so they behave as before.

use crate::errno::{Errno, Ret};
use crate::memory::{Action, Addr, Memory};
use crate::word::{legacy_flag_for, AS_EIO, AS_ENOSPC};

/// The flag half of `mapping_set_error`: `set_bit` of the errno's flag.
pub fn set_flag<M: Memory>(m: &mut M, flags: Addr, err: Errno) -> Result<(), M::Stop> {
    m.ignoring(Action::FetchOr(flags, legacy_flag_for(err)))
}

/// `filemap_check_errors`: test-and-clear ENOSPC, then EIO, so EIO wins
/// when both are set. The plain test before each atomic clear avoids
/// dirtying the cache line when the bit is already clear.
pub fn check_errors<M: Memory>(m: &mut M, flags: Addr) -> Result<Ret, M::Stop> {
    let mut ret = Ret::OK;
    if test_and_clear(m, flags, AS_ENOSPC)? {
        ret = Ret::err(Errno::ENOSPC);
    }
    if test_and_clear(m, flags, AS_EIO)? {
        ret = Ret::err(Errno::EIO);
    }
    Ok(ret)
}

/// `test_bit(b) && test_and_clear_bit(b)`.
fn test_and_clear<M: Memory>(m: &mut M, flags: Addr, bit: u32) -> Result<bool, M::Stop> {
    if m.load(flags)? & bit == 0 {
        return Ok(false);
    }
    Ok(m.fetch_and(flags, !bit)? & bit != 0)
}

/// What 4.13's `file_check_and_advance_wb_err` does after reporting:
/// `clear_bit(AS_EIO)`, then `clear_bit(AS_ENOSPC)`, unconditionally.
pub fn clear_flags<M: Memory>(m: &mut M, flags: Addr) -> Result<(), M::Stop> {
    m.ignoring(Action::FetchAnd(flags, !AS_EIO))?;
    m.ignoring(Action::FetchAnd(flags, !AS_ENOSPC))
}
