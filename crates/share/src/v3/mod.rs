//! Format version 3: version 2's characters around a bit string that
//! holds every call of the language (version 1's, plus entry kind 6:
//! open's flags, synchronous and direct writes with their results,
//! `mmap_write`, `msync`, `fail` and `heal` of pages), with form 6 of
//! kind 6 kept for `read`.
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
