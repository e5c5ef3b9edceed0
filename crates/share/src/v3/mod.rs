//! Format version 3: version 2's characters around a bit string that
//! holds every call of the language: version 1's, grown (`v1::additions`)
//! by open's flags, synchronous and direct writes with their results,
//! `fail` and `heal` of pages, sync_file_range's steps after its call
//! code, `mmap_write`, `msync`, and `read` with its page versions.
//!
//! The format is specified in the crate documentation (section "Version
//! 3"). The version [`crate::encode`] writes; once links of it exist it
//! is frozen like the others, and its tables only grow.

use crate::sealed::Version;
use crate::v1::Grammar;

/// The version character.
pub(crate) const VERSION: char = '3';

/// Version 3's characters and bit string.
pub(crate) const V3: Version = Version { char: VERSION, grammar: Grammar::V3 };
