//! The built-in schemes' sources in the language: what a scheme inherits
//! from its base, and what the page's "start from" menu offers. Each is
//! written from the kernel's text (lib/errseq.c, mm/filemap.c) or the
//! seed thread's patch, as close as the language allows; the crate's
//! differential tests hold each to the Rust built-in step for step.

use errseq::Scheme;

const LINUX_4_13: &str = include_str!("bases/linux-4.13.c");
const LINUX_4_17: &str = include_str!("bases/linux-4.17.c");

const RFC_V2: &str = concat!(
    include_str!("bases/rfc-v2/head.c"),
    include_str!("bases/rfc-v2/head-plain.c"),
    include_str!("bases/rfc-v2/set.c"),
    include_str!("bases/rfc-v2/common.c"),
    include_str!("bases/rfc-v2/report.c"),
);

const RFC_V2_SKIP_UNCHANGED: &str = concat!(
    include_str!("bases/rfc-v2/head.c"),
    include_str!("bases/rfc-v2/head-skip-unchanged.c"),
    include_str!("bases/rfc-v2/set-skip-unchanged.c"),
    include_str!("bases/rfc-v2/common.c"),
    include_str!("bases/rfc-v2/report.c"),
);

const RFC_V2_REPORT_ONCE: &str = concat!(
    include_str!("bases/rfc-v2/head.c"),
    include_str!("bases/rfc-v2/head-report-once.c"),
    include_str!("bases/rfc-v2/set.c"),
    include_str!("bases/rfc-v2/common.c"),
    include_str!("bases/rfc-v2/report-once.c"),
);

/// The source a scheme `from base` inherits, or `None` for the schemes
/// the language cannot start from (`linux-4.12` has no word; `rfc-v1`
/// sets it under `i_lock`, a lock the language does not have).
/// `linux-4.14` runs 4.13's word functions and `linux-5.8` 4.17's.
// Inlined always, so that [`is_base`] compiles to a test of the scheme
// that names no source: the page's first load asks it and must not carry
// the sources (they are its deferred module's).
#[inline(always)]
pub fn base_source(base: Scheme) -> Option<&'static str> {
    Some(match base {
        Scheme::Linux413 | Scheme::Linux414 => LINUX_4_13,
        Scheme::Linux417 | Scheme::Linux58 => LINUX_4_17,
        Scheme::RfcV2 => RFC_V2,
        Scheme::RfcV2SkipUnchanged => RFC_V2_SKIP_UNCHANGED,
        Scheme::RfcV2ReportOnce => RFC_V2_REPORT_ONCE,
        Scheme::Linux412 | Scheme::RfcV1 => return None,
    })
}

/// Whether a scheme can be written `from base`: whether it has a
/// source in the language ([`base_source`]).
pub fn is_base(base: Scheme) -> bool {
    base_source(base).is_some()
}

/// One entry of the page's "start from" menu.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Starter {
    /// What to write after `from`.
    pub base: Scheme,
    /// One line on why one would start there.
    pub why: &'static str,
    pub source: &'static str,
}

/// The menu, newest kernel first.
pub const STARTERS: [Starter; 5] = [
    Starter {
        base: Scheme::Linux417,
        why: "today's errseq_t (4.17 to now): an unseen error is reported to a later opener",
        source: LINUX_4_17,
    },
    Starter {
        base: Scheme::Linux413,
        why: "errseq_t as first merged (4.13): opening marks the error SEEN",
        source: LINUX_4_13,
    },
    Starter {
        base: Scheme::RfcV2,
        why: "the seed's patch (April 2017): cmpxchg loops, open does not mark SEEN",
        source: RFC_V2,
    },
    Starter {
        base: Scheme::RfcV2SkipUnchanged,
        why: "NeilBrown's review: set skips the cmpxchg when nothing would change",
        source: RFC_V2_SKIP_UNCHANGED,
    },
    Starter {
        base: Scheme::RfcV2ReportOnce,
        why: "Matthew Wilcox's review: the report does one cmpxchg and does not loop",
        source: RFC_V2_REPORT_ONCE,
    },
];
