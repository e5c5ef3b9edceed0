//! Format version 2: version 1's bit string, sealed (`crate::sealed`) so
//! that no single changed, added, lost or swapped character goes
//! unnoticed.
//!
//! The format is specified in the crate documentation (section "Version
//! 2"). Frozen: links of version 2 decode here forever, with version 1's
//! entries only (`Grammar::V1`: a link of version 2 holding entry kind 6
//! does not decode). New links are version 3.

use crate::sealed::Version;
use crate::v1::Grammar;

/// The version character.
pub(crate) const VERSION: char = '2';

/// Version 2's characters and bit string.
pub(crate) const V2: Version = Version { char: VERSION, grammar: Grammar::V1 };
