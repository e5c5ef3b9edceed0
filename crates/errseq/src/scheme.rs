//! The schemes: which algorithm each kernel entry point runs.
//!
//! | id           | record (`mapping_set_error`)      | open samples     | fsync reports by            |
//! |--------------|-----------------------------------|------------------|-----------------------------|
//! | `linux-4.12` | legacy flag                       | nothing          | test-and-clear of the flags |
//! | `rfc-v1`     | rfc-v1 set under i_lock           | copy of the word | compare, never advance      |
//! | `rfc-v2`     | rfc-v2 cmpxchg loop               | copy of the word | looping report under f_lock |
//! | `linux-4.13` | errseq_set + legacy flag          | mark SEEN        | check-and-advance           |
//! | `linux-4.17` | errseq_set + legacy flag          | unseen reads 0   | check-and-advance           |
//! | `linux-5.8`  | errseq_set on mapping and sb + flag | as 4.17, and the sb | as 4.17; syncfs advances the sb cursor |
//!
//! In the seed, ext4 was converted to call the new set function instead of
//! `mapping_set_error`, so under the rfc schemes the legacy flags are never
//! set (an in-kernel flush finds them clear).
//!
//! Two variants apply one review change each to rfc-v2, so the explorer can
//! weigh it alone: `rfc-v2-skip-unchanged` (NeilBrown: set skips the
//! cmpxchg when it would store what is there) and `rfc-v2-report-once`
//! (Matthew Wilcox: the report does one cmpxchg and no loop). They are
//! evaluated only when a scenario names them.

use core::fmt;

use crate::errno::{Errno, Ret};
use crate::errseq::{self, Sampling};
use crate::legacy;
use crate::memory::{Addr, Memory};
use crate::rfc::{self, Review};
use crate::vfs::{self, File, Mapping};
use crate::word::Layout;

/// One model of the kernel's writeback-error reporting.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    Linux412,
    RfcV1,
    RfcV2,
    /// rfc-v2 with NeilBrown's "skip the cmpxchg when new == old" in set.
    RfcV2SkipUnchanged,
    /// rfc-v2 with Matthew Wilcox's "don't loop" in the report.
    RfcV2ReportOnce,
    Linux413,
    Linux417,
    Linux58,
}

impl Scheme {
    /// Every scheme, oldest first: what a scenario compares by default.
    pub const ALL: [Scheme; 6] =
        [Scheme::Linux412, Scheme::RfcV1, Scheme::RfcV2, Scheme::Linux413, Scheme::Linux417, Scheme::Linux58];

    /// The review variants of rfc-v2, evaluated only when named.
    pub const VARIANTS: [Scheme; 2] = [Scheme::RfcV2SkipUnchanged, Scheme::RfcV2ReportOnce];

    /// What the alias `linux` stands for: the newest scheme.
    pub const LATEST: Scheme = Scheme::Linux58;

    pub fn id(self) -> &'static str {
        match self {
            Scheme::Linux412 => "linux-4.12",
            Scheme::RfcV1 => "rfc-v1",
            Scheme::RfcV2 => "rfc-v2",
            Scheme::RfcV2SkipUnchanged => "rfc-v2-skip-unchanged",
            Scheme::RfcV2ReportOnce => "rfc-v2-report-once",
            Scheme::Linux413 => "linux-4.13",
            Scheme::Linux417 => "linux-4.17",
            Scheme::Linux58 => "linux-5.8",
        }
    }

    pub fn from_id(id: &str) -> Option<Scheme> {
        Scheme::ALL.into_iter().chain(Scheme::VARIANTS).find(|s| s.id() == id)
    }

    /// One line on what the scheme models.
    pub fn summary(self) -> &'static str {
        match self {
            Scheme::Linux412 => "legacy AS_EIO/AS_ENOSPC flags: the first checker clears them",
            Scheme::RfcV1 => "seed sketch: 20-bit counter under i_lock, cursor never advances",
            Scheme::RfcV2 => "seed patch: cmpxchg loops, open does not mark SEEN",
            Scheme::RfcV2SkipUnchanged => "rfc-v2, but set skips the cmpxchg when nothing would change",
            Scheme::RfcV2ReportOnce => "rfc-v2, but the report does one cmpxchg and does not loop",
            Scheme::Linux413 => "errseq_t as merged: open marks the error SEEN",
            Scheme::Linux417 => "errseq_t: an unseen error is reported to later openers",
            Scheme::Linux58 => "errseq_t plus a per-superblock word reported by syncfs",
        }
    }

    /// The layout of the mapping's word, or `None` when there is no word.
    pub fn layout(self) -> Option<Layout> {
        match self {
            Scheme::Linux412 => None,
            Scheme::RfcV1 => Some(Layout::RfcV1),
            _ => Some(Layout::Errseq),
        }
    }

    /// Whether recording an error sets AS_EIO / AS_ENOSPC.
    pub fn sets_legacy_flags(self) -> bool {
        !self.is_rfc()
    }

    /// Whether this is one of the seed's designs (rfc-v1, rfc-v2 and its
    /// review variants).
    pub fn is_rfc(self) -> bool {
        matches!(self, Scheme::RfcV1 | Scheme::RfcV2 | Scheme::RfcV2SkipUnchanged | Scheme::RfcV2ReportOnce)
    }

    /// The review changes an rfc-v2 scheme applies.
    fn review(self) -> Review {
        Review {
            skip_unchanged_set: self == Scheme::RfcV2SkipUnchanged,
            report_once: self == Scheme::RfcV2ReportOnce,
        }
    }

    /// Whether the superblock has a word of its own (reported by syncfs).
    pub fn has_sb_word(self) -> bool {
        self == Scheme::Linux58
    }

    /// Whether open file descriptions have a cursor.
    pub fn has_cursor(self) -> bool {
        self != Scheme::Linux412
    }

    /// `mapping_set_error(mapping, -err)`: a writeback error is recorded.
    pub fn mapping_set_error<M: Memory>(
        self,
        m: &mut M,
        mapping: Mapping,
        sb: Addr,
        err: Errno,
    ) -> Result<(), M::Stop> {
        let e = err.number();
        match self {
            Scheme::Linux412 => {}
            Scheme::RfcV1 => rfc::v1_set(m, mapping.wb_err, mapping.i_lock, e)?,
            Scheme::RfcV2 | Scheme::RfcV2SkipUnchanged | Scheme::RfcV2ReportOnce => {
                rfc::v2_set(m, mapping.wb_err, e, self.review())?
            }
            Scheme::Linux413 | Scheme::Linux417 => {
                errseq::set(m, mapping.wb_err, e)?;
            }
            Scheme::Linux58 => {
                errseq::set(m, mapping.wb_err, e)?;
                errseq::set(m, sb, e)?;
            }
        }
        if self.sets_legacy_flags() {
            legacy::set_flag(m, mapping.flags, err)?;
        }
        Ok(())
    }

    /// `do_dentry_open`: a new open file description samples its cursors.
    pub fn open<M: Memory>(self, m: &mut M, mapping: Mapping, sb: Addr, file: File) -> Result<(), M::Stop> {
        match self {
            Scheme::Linux412 => Ok(()),
            Scheme::RfcV1 | Scheme::RfcV2 | Scheme::RfcV2SkipUnchanged | Scheme::RfcV2ReportOnce => {
                rfc::v2_open(m, mapping.wb_err, file.wb_err)
            }
            Scheme::Linux413 => {
                let since = errseq::sample(m, mapping.wb_err, Sampling::MarkSeen)?;
                m.store(file.wb_err, since)
            }
            Scheme::Linux417 => {
                let since = errseq::sample(m, mapping.wb_err, Sampling::UnseenAsZero)?;
                m.store(file.wb_err, since)
            }
            Scheme::Linux58 => {
                let since = errseq::sample(m, mapping.wb_err, Sampling::UnseenAsZero)?;
                m.store(file.wb_err, since)?;
                let sb_since = errseq::sample(m, sb, Sampling::UnseenAsZero)?;
                m.store(file.sb_err, sb_since)
            }
        }
    }

    /// What fsync, fdatasync and sync_file_range report once the file's
    /// pages have been written and waited on.
    pub fn fsync_report<M: Memory>(self, m: &mut M, mapping: Mapping, file: File) -> Result<Ret, M::Stop> {
        match self {
            Scheme::Linux412 => legacy::check_errors(m, mapping.flags),
            Scheme::RfcV1 => rfc::v1_report(m, mapping.wb_err, file.wb_err),
            Scheme::RfcV2 | Scheme::RfcV2SkipUnchanged | Scheme::RfcV2ReportOnce => {
                rfc::v2_report(m, mapping.wb_err, file.wb_err, file.lock, self.review())
            }
            Scheme::Linux413 | Scheme::Linux417 | Scheme::Linux58 => {
                vfs::file_check_and_advance_wb_err(m, mapping, file)
            }
        }
    }

    /// What syncfs reports once the filesystem has been synced. Before 5.8
    /// `sync_filesystem` waits keeping the errors, so writeback errors are
    /// not returned; 5.8 checks and advances `f_sb_err`, without `f_lock`.
    pub fn syncfs_report<M: Memory>(self, m: &mut M, sb: Addr, file: File) -> Result<Ret, M::Stop> {
        match self {
            Scheme::Linux58 => errseq::check_and_advance(m, sb, file.sb_err),
            _ => Ok(Ret::OK),
        }
    }

    /// NFS's `->flush`, run by every close(2): write the file back (the
    /// caller's `write_back`) and report errors.
    ///
    /// From 4.13 it samples the word, writes back and checks against that
    /// sample: it reports errors that arose during its own flush and leaves
    /// the file's cursor alone. Before, it was an fsync: 4.12's
    /// `vfs_fsync`, and in the seed the same report as fsync.
    pub fn nfs_flush<M, W>(
        self,
        m: &mut M,
        mapping: Mapping,
        file: File,
        write_back: W,
    ) -> Result<Ret, M::Stop>
    where
        M: Memory,
        W: FnOnce(&mut M) -> Result<(), M::Stop>,
    {
        let how = match self {
            Scheme::Linux412
            | Scheme::RfcV1
            | Scheme::RfcV2
            | Scheme::RfcV2SkipUnchanged
            | Scheme::RfcV2ReportOnce => {
                write_back(m)?;
                return self.fsync_report(m, mapping, file);
            }
            Scheme::Linux413 => Sampling::MarkSeen,
            Scheme::Linux417 | Scheme::Linux58 => Sampling::UnseenAsZero,
        };
        let since = errseq::sample(m, mapping.wb_err, how)?;
        write_back(m)?;
        errseq::check(m, mapping.wb_err, since)
    }

    /// An in-kernel `filemap_write_and_wait` that is not fsync: the legacy
    /// test-and-clear, in every scheme.
    pub fn filemap_check_errors<M: Memory>(self, m: &mut M, mapping: Mapping) -> Result<Ret, M::Stop> {
        legacy::check_errors(m, mapping.flags)
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A scheme as a scenario names it: an exact id, or `linux`, which always
/// means the newest scheme this program knows.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SchemeName {
    Exact(Scheme),
    Linux,
}

impl SchemeName {
    pub fn parse(id: &str) -> Option<SchemeName> {
        if id == "linux" {
            return Some(SchemeName::Linux);
        }
        Scheme::from_id(id).map(SchemeName::Exact)
    }

    pub fn resolve(self) -> Scheme {
        match self {
            SchemeName::Exact(s) => s,
            SchemeName::Linux => Scheme::LATEST,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SchemeName::Exact(s) => s.id(),
            SchemeName::Linux => "linux",
        }
    }

    /// Every id a scenario may use, alias last.
    pub fn all_ids() -> impl Iterator<Item = &'static str> {
        Scheme::ALL.into_iter().chain(Scheme::VARIANTS).map(Scheme::id).chain(["linux"])
    }
}

impl fmt::Display for SchemeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
