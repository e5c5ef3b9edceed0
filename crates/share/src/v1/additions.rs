//! What version 3's bit string adds to version 1's: the operands the
//! language gained after version 1's tables were set, and its new calls.
//! The crate documentation (section "Version 3") specifies them; this
//! module writes and reads them, and is used only with [`Grammar::V3`].
//!
//! - **Modifiers.** A call whose text gained optional words after version
//!   1's operands carries one bit after them: 0 when none is written, 1
//!   followed by them. `open`: `u(4)` flags. `write`: `u(2)` RWF code, and
//!   the call's trailer then has the expectation bit (a write with an RWF
//!   flag or an expectation is a write that returns). `fail`, `heal`:
//!   the pages, `ue` first and `ue` how many more. `sync_file_range`:
//!   `u(3)` steps (entry kind 5 is version 1's spelling, and not read in
//!   version 3).
//! - **New calls**, entry kind 6 then `u(2)`: 0 `mmap_write` (fd, `ue`
//!   page), 1 `msync` (fd), 2 `read` (fd, `ue` page), 3 kept for more
//!   calls (a `ue` number will follow). msync's and read's trailers have
//!   the expectation bit.
//! - **Results** (in expectations and claims), `ue` c: 0 is `0`, 1 is a
//!   read's page version (`ue` N follows: `vN`), c ≥ 2 is errno c − 1.
//!
//! Each call has one spelling: a bit set with nothing to say (no flag, no
//! RWF flag and no expectation, all three steps) is never written and
//! does not decode, so one scenario has one link.
//!
//! [`Grammar::V3`]: super::Grammar::V3

use errseq::Ret;
use errseq_scenario::{limits, Event, OpenFlags, Pages, Rwf, SyncRange};

use super::{invalid, range_bits, Decoder, Enc, Problem, Writer};

/// The new calls after entry kind 6, by code (`u(2)`).
const MMAP_WRITE: u64 = 0;
const MSYNC: u64 = 1;
const READ: u64 = 2;

/// A result's code (`ue`) that a page version follows.
const VERSION: u64 = 1;

/// The largest page version a result names: what the parser reads
/// (a page has at most one version a line).
const MAX_VERSION: u64 = limits::MAX_LINES as u64;

/// Whether `e` is one of the calls of entry kind 6.
pub(super) fn is_new_call(e: &Event) -> bool {
    matches!(e, Event::MmapWrite { .. } | Event::Msync { .. } | Event::Read { .. })
}

/// A result: `ue` 0 for `0`, 1 and `ue` N for a read's `vN`, errno n as
/// n + 1 (a number that is no errno too, which then does not decode).
pub(super) fn put_ret(w: &mut Writer, r: Ret) {
    match r.content() {
        Some(v) => {
            w.ue(VERSION);
            w.ue(u64::from(v));
        }
        None if r.is_ok() => w.ue(0),
        None => w.ue(u64::from(r.code()) + 1),
    }
}

/// Whether a write's modifier bit is set: it has an RWF flag, or (in a
/// statement) an expectation.
pub(super) fn write_returns(e: &Event, expect: bool) -> bool {
    matches!(e, Event::Write { rwf, .. } if rwf.is_some() || expect)
}

/// Whether `e` has a text, as far as version 3's additions go: open
/// flags, pages and steps the parser accepts.
pub(super) fn has_text(e: &Event) -> bool {
    match e {
        Event::Open { flags, .. } => flags.is_valid(),
        Event::Fail { pages: Some(p), .. } | Event::Heal { pages: Some(p), .. } => p.is_valid(),
        Event::SyncFileRange { flags, .. } => flags.is_valid(),
        _ => true,
    }
}

/// The modifier bit of `e` and what follows it, after version 1's
/// operands. `expect`: whether its statement carries an expectation.
pub(super) fn put_modifiers(w: &mut Writer, e: &Event, expect: bool) {
    match e {
        Event::Open { flags, .. } => {
            w.bit(*flags != OpenFlags::default());
            if *flags != OpenFlags::default() {
                w.u(4, open_bits(*flags));
            }
        }
        Event::Write { rwf, .. } => {
            w.bit(write_returns(e, expect));
            if write_returns(e, expect) {
                w.u(2, rwf_code(*rwf));
            }
        }
        Event::Fail { pages, .. } | Event::Heal { pages, .. } => {
            w.bit(pages.is_some());
            if let Some(p) = pages {
                w.ue(u64::from(p.first));
                w.ue(u64::from(p.last.saturating_sub(p.first)));
            }
        }
        Event::SyncFileRange { flags, .. } => {
            w.bit(*flags != SyncRange::ALL);
            if *flags != SyncRange::ALL {
                w.u(3, range_bits(*flags));
            }
        }
        _ => {}
    }
}

/// A call of entry kind 6 (after code 15 and kind 6): its code and operands.
pub(super) fn put_new_call(w: &mut Writer, enc: &Enc, e: &Event) {
    match e {
        Event::MmapWrite { fd, page } => {
            w.u(2, MMAP_WRITE);
            enc.name(w, fd);
            w.ue(u64::from(*page));
        }
        Event::Msync { fd } => {
            w.u(2, MSYNC);
            enc.name(w, fd);
        }
        Event::Read { fd, page } => {
            w.u(2, READ);
            enc.name(w, fd);
            w.ue(u64::from(*page));
        }
        // `is_new_call` is false for every other event.
        _ => {}
    }
}

/// open's flags in `u(4)`: bit 3 O_RDONLY, 2 O_SYNC, 1 O_DSYNC, 0
/// O_DIRECT, in the order the canonical text writes them.
fn open_bits(f: OpenFlags) -> u64 {
    u64::from(f.rdonly) << 3 | u64::from(f.sync) << 2 | u64::from(f.dsync) << 1 | u64::from(f.direct)
}

/// `u(2)`: 0 no flag, 1 RWF_SYNC, 2 RWF_DSYNC.
fn rwf_code(r: Option<Rwf>) -> u64 {
    match r {
        None => 0,
        Some(Rwf::Sync) => 1,
        Some(Rwf::Dsync) => 2,
    }
}

impl Decoder<'_> {
    /// `e` (read with version 1's operands) with its modifiers; and
    /// whether it is a write that returns (its trailer then has the
    /// expectation bit).
    pub(super) fn modifiers(&mut self, e: Event) -> Result<(Event, bool), Problem> {
        if !self.r.bit()? {
            return Ok((e, false));
        }
        self.grow(48)?;
        Ok(match e {
            Event::Open { fd, file, .. } => (Event::Open { fd, file, flags: self.open_flags()? }, false),
            Event::Write { fd, page, .. } => {
                let rwf = match self.r.u(2)? {
                    0 => None,
                    1 => Some(Rwf::Sync),
                    2 => Some(Rwf::Dsync),
                    _ => return invalid("write's flag code 3 is not one this playground knows"),
                };
                (Event::Write { fd, page, rwf }, true)
            }
            Event::Fail { file, errno, .. } => {
                (Event::Fail { file, errno, pages: Some(self.pages()?) }, false)
            }
            Event::Heal { file, .. } => (Event::Heal { file, pages: Some(self.pages()?) }, false),
            Event::SyncFileRange { fd, .. } => {
                let flags = self.sync_range_flags()?;
                (Event::SyncFileRange { fd, flags }, false)
            }
            // Calls without modifiers have no bit: `event` does not ask.
            other => (other, false),
        })
    }

    /// A call of entry kind 6: its code and operands.
    pub(super) fn new_call(&mut self) -> Result<Event, Problem> {
        self.grow(32)?;
        match self.r.u(2)? {
            MMAP_WRITE => Ok(Event::MmapWrite { fd: self.name_ref()?, page: self.page()? }),
            MSYNC => Ok(Event::Msync { fd: self.name_ref()? }),
            READ => Ok(Event::Read { fd: self.name_ref()?, page: self.page()? }),
            code => invalid(format!(
                "new call {code} is not one this playground knows (a newer playground made the link?)"
            )),
        }
    }

    /// A result of version 3 ([`put_ret`]).
    pub(super) fn ret_v3(&mut self) -> Result<Ret, Problem> {
        self.grow(12)?;
        match self.ue()? {
            0 => Ok(Ret::OK),
            VERSION => {
                let v = self.ue()?;
                if v > MAX_VERSION {
                    return invalid(format!(
                        "page version v{v} is beyond the largest a scenario names, v{MAX_VERSION}"
                    ));
                }
                Ok(Ret::version(v as u32))
            }
            code => self.errno_number(code - 1).map(Ret::err),
        }
    }

    fn open_flags(&mut self) -> Result<OpenFlags, Problem> {
        let bits = self.r.u(4)?;
        let flags = OpenFlags {
            rdonly: bits & 0b1000 != 0,
            sync: bits & 0b0100 != 0,
            dsync: bits & 0b0010 != 0,
            direct: bits & 0b0001 != 0,
        };
        if bits == 0 {
            return invalid("an open's flags are given and none is set, which is written as no flags");
        }
        if !flags.is_valid() {
            let words: Vec<&str> = flags.words().collect();
            return invalid(format!("an open with {} has no text", words.join(" ")));
        }
        Ok(flags)
    }

    pub(super) fn page(&mut self) -> Result<u32, Problem> {
        let page = self.ue()?;
        u32::try_from(page)
            .or_else(|_| invalid(format!("page {page} is beyond the largest page number, {}", u32::MAX)))
    }

    fn pages(&mut self) -> Result<Pages, Problem> {
        let first = self.page()?;
        let more = self.ue()?;
        match u32::try_from(u64::from(first) + more) {
            Ok(last) => Ok(Pages { first, last }),
            Err(_) => invalid(format!(
                "pages {first} to {first} + {more} go beyond the largest page number, {}",
                u32::MAX
            )),
        }
    }
}
