//! The schemes: which algorithm each kernel entry point runs.
//!
//! | id           | record (`mapping_set_error`)      | open samples     | fsync reports by            |
//! |--------------|-----------------------------------|------------------|-----------------------------|
//! | `linux-4.12` | legacy flag                       | nothing          | test-and-clear of the flags |
//! | `rfc-v1`     | rfc-v1 set under i_lock           | copy of the word | compare, never advance      |
//! | `rfc-v2`     | rfc-v2 cmpxchg loop               | copy of the word | looping report under f_lock |
//! | `linux-4.13` | errseq_set + legacy flag          | mark SEEN        | check-and-advance           |
//! | `linux-4.14` | errseq_set + legacy flag          | mark SEEN        | check-and-advance; sync_file_range too |
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
//!
//! # Changelog of this table
//!
//! - `linux-4.13` used to report sync_file_range through the cursor. As
//!   released, 4.13 still waited with `filemap_fdatawait_range`, whose
//!   `filemap_check_errors` test-and-clears the legacy flags and leaves
//!   `f_wb_err` alone. "fs: convert sync_file_range to use errseq_t based
//!   error-tracking" (Jeff Layton, posted 26 July 2017, after 4.13-rc1,
//!   first released in 4.14) moved it to `file_fdatawait_range`. So
//!   `linux-4.13` now follows 4.13 as released, and `linux-4.14` was added
//!   for the converted sync_file_range; every other call returns the same
//!   under both. Old scenarios and links naming `linux-4.13` now get
//!   4.13's sync_file_range; `linux` still means the newest.
//! - NFS's close under 4.13 and 4.17 used to sample and check without
//!   consuming. That is 5.9's `nfs_file_flush` (67dd23f9e6fb); until then
//!   close ran `vfs_fsync`, which consumes, and the 4.x schemes now do so.
//! - Every scheme now waits for pages under writeback before reporting
//!   (`__filemap_fdatawait_range`, mm/filemap.c), and `linux-4.12`'s wait
//!   test-and-clears each page's `PG_error` and returns EIO, as 4.12 did
//!   before "mm: don't TestClearPageError in __filemap_fdatawait_range"
//!   (errseq series, merged for 4.13 in 088737f44bbf). See
//!   `errseq_model::kernel`.

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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Scheme {
    Linux412,
    RfcV1,
    RfcV2,
    /// rfc-v2 with NeilBrown's "skip the cmpxchg when new == old" in set.
    RfcV2SkipUnchanged,
    /// rfc-v2 with Matthew Wilcox's "don't loop" in the report.
    RfcV2ReportOnce,
    Linux413,
    /// 4.13 plus sync_file_range converted to errseq_t.
    Linux414,
    Linux417,
    Linux58,
}

impl Scheme {
    /// Every scheme, oldest first: what a scenario compares by default.
    pub const ALL: [Scheme; 7] = [
        Scheme::Linux412,
        Scheme::RfcV1,
        Scheme::RfcV2,
        Scheme::Linux413,
        Scheme::Linux414,
        Scheme::Linux417,
        Scheme::Linux58,
    ];

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
            Scheme::Linux414 => "linux-4.14",
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
            Scheme::Linux413 => "errseq_t as merged: open marks the error SEEN; sync_file_range still legacy",
            Scheme::Linux414 => "4.13 with sync_file_range reporting through the cursor too",
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
            Scheme::Linux413 | Scheme::Linux414 | Scheme::Linux417 => {
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
            Scheme::Linux413 | Scheme::Linux414 => {
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
            Scheme::Linux413 | Scheme::Linux414 | Scheme::Linux417 | Scheme::Linux58 => {
                vfs::file_check_and_advance_wb_err(m, mapping, file)
            }
        }
    }

    /// What one of sync_file_range's waits (WAIT_BEFORE, WAIT_AFTER)
    /// reports once the range's writeback has ended (fs/sync.c).
    ///
    /// Up to 4.13 as released it was `filemap_fdatawait_range`, whose
    /// `filemap_check_errors` test-and-clears the legacy flags: the file's
    /// cursor stays where it was. 4.14's `file_fdatawait_range` checks and
    /// advances the cursor like fsync. The seed's patches left
    /// sync_file_range alone, so the rfc schemes report the legacy way
    /// too, and since they never set the flags, they report nothing.
    pub fn sync_file_range_report<M: Memory>(
        self,
        m: &mut M,
        mapping: Mapping,
        file: File,
    ) -> Result<Ret, M::Stop> {
        match self {
            Scheme::Linux414 | Scheme::Linux417 | Scheme::Linux58 => {
                vfs::file_check_and_advance_wb_err(m, mapping, file)
            }
            _ => legacy::check_errors(m, mapping.flags),
        }
    }

    /// Whether waiting on writeback test-and-clears each page's `PG_error`
    /// and returns EIO (`__filemap_fdatawait_range` up to 4.12).
    ///
    /// The rfc schemes leave it out, by choice: the seed's patches, written
    /// against 4.11, did not touch that wait, so a kernel carrying them
    /// would still have told the first waiter after a failure EIO from
    /// `PG_error`. The same series removed the test before it merged ("mm:
    /// don't TestClearPageError in __filemap_fdatawait_range"), and keeping
    /// it would hide the designs of the word the rfc columns are there to
    /// compare.
    pub fn waits_clear_page_error(self) -> bool {
        self == Scheme::Linux412
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

    /// NFS's `->flush`, run by every close(2) of a file opened for
    /// writing: write the file back (the caller's `write_back`) and report
    /// errors (`nfs_file_flush`, fs/nfs/file.c).
    ///
    /// Up to 4.17 (and on to 5.8) it was a whole fsync, `vfs_fsync`, which
    /// consumes what it reports; in the seed, the same report as fsync.
    /// 5.9's "nfs: ensure correct writeback errors are returned on close()"
    /// (67dd23f9e6fb) made it sample the word, write back and check against
    /// that sample: it reports errors that arose during its own flush and
    /// leaves the file's cursor alone. It was merged for 5.9-rc1 and
    /// backported to the 5.8 stable series (posted to stable as "[PATCH
    /// 5.8 173/232]" on 20 August 2020): `linux-5.8` runs it, so it is 5.8
    /// as its stable releases from late August 2020 on behave, not 5.8.0
    /// (see docs/scenario-format.md, the NFS profile); the 4.x schemes run
    /// `vfs_fsync` through the model's NFS fsync.
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
        if self != Scheme::Linux58 {
            write_back(m)?;
            return self.fsync_report(m, mapping, file);
        }
        let since = errseq::sample(m, mapping.wb_err, Sampling::UnseenAsZero)?;
        write_back(m)?;
        errseq::check(m, mapping.wb_err, since)
    }

    /// Whether sync_file_range's WRITE step waits for pages already under
    /// writeback before writing them again (`WB_SYNC_ALL`) rather than
    /// skipping them (`WB_SYNC_NONE`): since 5.2 ("fs/sync.c:
    /// sync_file_range(2) may use WB_SYNC_ALL writeback", c553ea4fdf27)
    /// when all three flags are given; before, never (since 4.4,
    /// 23d0127096cb).
    pub fn sync_file_range_writes_all(self, all_three: bool) -> bool {
        all_three && self == Scheme::Linux58
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

/// A scheme as a scenario names it: an exact id, `linux`, which always
/// means the newest scheme this program knows, or the name of a scheme the
/// scenario writes itself (a `scheme NAME from BASE ... end` block).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum SchemeName {
    Exact(Scheme),
    Linux,
    Written(WrittenName),
}

impl SchemeName {
    /// A built-in id or `linux`. A written scheme's name is only known to
    /// the scenario that defines it ([`WrittenName::new`]).
    pub fn parse(id: &str) -> Option<SchemeName> {
        if id == "linux" {
            return Some(SchemeName::Linux);
        }
        Scheme::from_id(id).map(SchemeName::Exact)
    }

    /// Which scheme a column of this name runs: `linux` is the newest
    /// built-in one, a written scheme is itself.
    pub fn resolve(self) -> SchemeKey {
        match self {
            SchemeName::Exact(s) => SchemeKey::BuiltIn(s),
            SchemeName::Linux => SchemeKey::BuiltIn(Scheme::LATEST),
            SchemeName::Written(w) => SchemeKey::Written(w),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            SchemeName::Exact(s) => s.id(),
            SchemeName::Linux => "linux",
            SchemeName::Written(w) => w.as_str(),
        }
    }

    /// Every built-in id a scenario may use, alias last.
    pub fn all_ids() -> impl Iterator<Item = &'static str> {
        Scheme::ALL.into_iter().chain(Scheme::VARIANTS).map(Scheme::id).chain(["linux"])
    }
}

impl fmt::Display for SchemeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a column runs, as a key: a built-in scheme, or the scheme a
/// scenario writes under this name. Two names are one column when their
/// keys are equal (`linux` and `linux-5.8`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum SchemeKey {
    BuiltIn(Scheme),
    Written(WrittenName),
}

impl SchemeKey {
    /// The built-in scheme, if this is one.
    pub fn built_in(self) -> Option<Scheme> {
        match self {
            SchemeKey::BuiltIn(s) => Some(s),
            SchemeKey::Written(_) => None,
        }
    }
}

impl From<Scheme> for SchemeKey {
    fn from(s: Scheme) -> SchemeKey {
        SchemeKey::BuiltIn(s)
    }
}

impl PartialEq<Scheme> for SchemeKey {
    fn eq(&self, other: &Scheme) -> bool {
        *self == SchemeKey::BuiltIn(*other)
    }
}

impl fmt::Display for SchemeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchemeKey::BuiltIn(s) => f.write_str(s.id()),
            SchemeKey::Written(w) => f.write_str(w.as_str()),
        }
    }
}

/// The name of a scheme a scenario writes: a lower-case letter, then
/// lower-case letters, digits, `-` and `.`, at most
/// [`WrittenName::MAX_LEN`] characters, and not a built-in id nor `linux`.
/// Stored inline so that a [`SchemeName`] stays `Copy`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct WrittenName {
    len: u8,
    bytes: [u8; WrittenName::MAX_LEN],
}

impl WrittenName {
    /// The longest name, in characters (all ASCII).
    pub const MAX_LEN: usize = 32;

    /// The name, if `id` is one (see the type).
    pub fn new(id: &str) -> Option<WrittenName> {
        WrittenName::why_not(id).is_none().then(|| {
            let mut bytes = [0u8; WrittenName::MAX_LEN];
            bytes[..id.len()].copy_from_slice(id.as_bytes());
            WrittenName { len: id.len() as u8, bytes }
        })
    }

    /// Why `id` cannot name a written scheme, or `None` when it can.
    pub fn why_not(id: &str) -> Option<&'static str> {
        let mut chars = id.chars();
        if !chars.next().is_some_and(|c| c.is_ascii_lowercase()) {
            return Some("a scheme's name starts with a lower-case letter");
        }
        if !chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.') {
            return Some("a scheme's name holds only lower-case letters, digits, `-` and `.`");
        }
        if id.len() > WrittenName::MAX_LEN {
            return Some("a scheme's name is at most 32 characters long");
        }
        if SchemeName::parse(id).is_some() {
            return Some("that is a built-in scheme's id: give the written scheme a name of its own");
        }
        None
    }

    pub fn as_str(&self) -> &str {
        let bytes = self.bytes.get(..usize::from(self.len)).unwrap_or(&[]);
        core::str::from_utf8(bytes).unwrap_or("")
    }
}

impl fmt::Display for WrittenName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
