//! The 32-bit error words and how to read them.
//!
//! Two layouts appear in the history this crate models:
//!
//! ```text
//!  errseq_t (rfc-v2, 4.13 and later)        rfc-v1 (the sketch quoted in the seed)
//!  31              13 12 11          0      31                 12 11          0
//! +------------------+--+-------------+    +---------------------+-------------+
//! | counter (19 bit) |S |    errno    |    |  counter (20 bit)   |    errno    |
//! +------------------+--+-------------+    +---------------------+-------------+
//!   += 0x2000 when a   SEEN (0x1000):        += 0x1000 on every error
//!   seen error is      some cursor has
//!   replaced           sampled this value
//! ```
//!
//! Zero means "no error ever recorded". Counters are plain unsigned
//! additions on the whole word, so they wrap silently: after 2^19 seen
//! errors an errseq_t word comes back to a value it held before.

use crate::errno::{Errno, Ret, MAX_ERRNO};

/// `ERRSEQ_SEEN`: bit 12, just above the errno field.
pub const SEEN: u32 = MAX_ERRNO + 1;
/// `ERRSEQ_CTR_INC`: the lowest bit of the 19-bit counter.
pub const CTR_INC: u32 = SEEN << 1;
/// rfc-v1 counts in the bits right above the errno: `1 << 12`.
pub const RFC_V1_CTR_INC: u32 = 1 << 12;

/// Legacy `mapping->flags` bits (`enum mapping_flags`): `AS_EIO` is bit 0,
/// `AS_ENOSPC` bit 1.
pub const AS_EIO: u32 = 1 << 0;
pub const AS_ENOSPC: u32 = 1 << 1;

/// The names of the legacy flags set in `bits`, lowest bit first.
pub fn flag_names(bits: u32) -> impl Iterator<Item = &'static str> {
    [(AS_EIO, "AS_EIO"), (AS_ENOSPC, "AS_ENOSPC")]
        .into_iter()
        .filter(move |(bit, _)| bits & bit != 0)
        .map(|(_, name)| name)
}

/// Which layout a word is in.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Layout {
    /// 12-bit errno, SEEN bit, 19-bit counter.
    Errseq,
    /// 12-bit errno, 20-bit counter, no SEEN bit.
    RfcV1,
}

/// A word split into its fields.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fields {
    pub word: u32,
    /// The errno field as the report would return it (0 when never set).
    pub errno: Ret,
    /// `None` in a layout without a SEEN bit.
    pub seen: Option<bool>,
    pub counter: u32,
}

impl Layout {
    pub fn decode(self, word: u32) -> Fields {
        match self {
            Layout::Errseq => Fields {
                word,
                errno: Ret::from_errno_field(word),
                seen: Some(word & SEEN != 0),
                counter: word / CTR_INC,
            },
            Layout::RfcV1 => Fields {
                word,
                errno: Ret::from_errno_field(word),
                seen: None,
                counter: word / RFC_V1_CTR_INC,
            },
        }
    }

    /// Bits of the counter field.
    pub fn counter_bits(self) -> u32 {
        match self {
            Layout::Errseq => 19,
            Layout::RfcV1 => 20,
        }
    }
}

/// The legacy flag bit `mapping_set_error` sets for an errno: only ENOSPC
/// has a bit of its own; every other errno is folded into AS_EIO.
pub fn legacy_flag_for(errno: Errno) -> u32 {
    if errno == Errno::ENOSPC {
        AS_ENOSPC
    } else {
        AS_EIO
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errseq_fields() {
        let f = Layout::Errseq.decode(0x0000_3005);
        assert_eq!(f.errno, Ret::err(Errno::EIO));
        assert_eq!(f.seen, Some(true));
        assert_eq!(f.counter, 1);
        let top = Layout::Errseq.decode(0xFFFF_E01C);
        assert_eq!(top.counter, (1 << 19) - 1);
        assert_eq!(top.seen, Some(false));
        assert_eq!(top.errno, Ret::err(Errno::ENOSPC));
    }

    #[test]
    fn rfc_v1_fields_have_no_seen_bit() {
        let f = Layout::RfcV1.decode(0x0000_3005);
        assert_eq!(f.seen, None);
        assert_eq!(f.counter, 3);
        assert_eq!(Layout::RfcV1.decode(0xFFFF_F005).counter, (1 << 20) - 1);
    }

    #[test]
    fn constants_match_the_kernel() {
        assert_eq!(SEEN, 0x1000);
        assert_eq!(CTR_INC, 0x2000);
        assert_eq!(legacy_flag_for(Errno::ENOSPC), AS_ENOSPC);
        assert_eq!(legacy_flag_for(Errno::EDQUOT), AS_EIO);
    }
}
