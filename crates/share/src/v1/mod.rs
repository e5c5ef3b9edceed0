//! Format version 1: the encoder and the decoder of its bit string, with
//! their tables.
//!
//! The format is specified in the crate documentation (section "Version
//! 1"). Everything version 1 needs lives in this module and stays as it
//! is, and links of version 1 decode here forever. The tables may only
//! grow (new schemes, profiles, calls get new codes), so that every link
//! ever made keeps its meaning.
//!
//! Versions 2 and 3 write this bit string too, under their own check
//! characters. Version 3's adds to it (`additions`: the modifiers of
//! calls that gained operands, and entry kind 6 for new calls), which
//! [`Grammar`] lets a decoder read only in a link of version 3: a link of
//! version 1 or 2 reads as it always did.

mod additions;
mod bits;

use std::collections::BTreeSet;

use errseq::{Errno, Ret, SchemeName};
use errseq_scenario::{
    CallRef, Claim, ClaimKind, Cond, Event, Expect, Fs, Item, Name, OpenFlags, Outcome, Par, Scenario, Stmt,
    SyncRange, Verb,
};

use crate::error::{DecodeError, Kind};
use bits::{b64_value, check_value, Reader, Short};
pub(crate) use bits::{b64_value as value_of, Writer, B64};

/// The version character.
pub(crate) const VERSION: char = '1';

/// Which entries a bit string holds: version 1's (read in links of
/// versions 1 and 2), or version 3's (`additions`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Grammar {
    V1,
    V3,
}

/// Calls by code (`u(4)`); code 15 introduces the other kinds of entry.
/// Frozen for version 1: not `Verb::ALL`, whose order may change.
const VERBS: [Verb; 15] = [
    Verb::Open,
    Verb::Dup,
    Verb::Close,
    Verb::Write,
    Verb::Fail,
    Verb::Heal,
    Verb::Writeback,
    Verb::Error,
    Verb::Fsync,
    Verb::Fdatasync,
    Verb::SyncFileRange,
    Verb::Syncfs,
    Verb::Sync,
    Verb::Flush,
    Verb::Evict,
];
const OTHER: u64 = 15;

/// Kinds of entry after code 15 (`u(3)`); 6 is version 3's (`additions`),
/// 7 is unused.
const GAP: u64 = 0;
const NOTE: u64 = 1;
const PAR: u64 = 2;
const EXISTS: u64 = 3;
const NEVER: u64 = 4;
/// `sync_file_range FD FLAG...`: a call, written after code 15 because
/// the sixteen call codes were all taken when flags came (code 10 stays
/// the bare call, so links made before keep their meaning). Also what a
/// claim's call code 15 is followed by.
const SYNC_RANGE: u64 = 5;
/// A call only version 3 has a code for (`additions`); in version 3,
/// kind 5 is not read (sync_file_range's flags follow call 10 there).
const NEW_CALL: u64 = 6;

/// Schemes by code (`u(4)`); 10 to 14 are free for new schemes; 15 spells
/// the id out as text.
const SCHEMES: [&str; 10] = [
    "linux-4.12",
    "rfc-v1",
    "rfc-v2",
    "linux-4.13",
    "linux-4.17",
    "linux-5.8",
    "linux",
    "rfc-v2-skip-unchanged",
    "rfc-v2-report-once",
    "linux-4.14",
];
const SCHEME_BY_ID: u64 = 15;

/// Filesystem profiles by code (`ue`).
const FS: [&str; 4] = ["ext4", "xfs", "btrfs", "nfs"];

/// Text characters by code (`u(6)`); code 63 is followed by one raw byte.
const TEXT63: &[u8; 63] = b" abcdefghijklmnopqrstuvwxyz0123456789.,:;'\"()-_`/=EOSNTIAPCLBRD";
const RAW_BYTE: u64 = 63;

/// Characters of names after the first (`u(6)`); the first is `u(5)`, a to z.
const NAME_CHARS: &[u8; 37] = b"abcdefghijklmnopqrstuvwxyz0123456789_";

/// Limits: a link beyond them is refused before anything is allocated.
pub(crate) const MAX_NAMES: u64 = 4096;
pub(crate) const MAX_NAME_LEN: u64 = 256;
/// Entries of the body and of par blocks, and comments above the headers.
pub(crate) const MAX_ENTRIES: usize = 10_000;
/// Bytes of all texts together (title, comments, replay string).
pub(crate) const MAX_TEXT_BYTES: usize = 65_536;
pub(crate) const MAX_CONDS: u64 = 1_000;
/// Bytes of canonical text a link may stand for (a label referred to a
/// hundred thousand times must not make megabytes out of a short link).
pub(crate) const MAX_SIZE: usize = 1 << 20;
pub(crate) const MAX_LIST: u64 = 64;
pub(crate) const MAX_SET: u64 = 256;

// ---------------------------------------------------------------- encoding

/// The fragment of version 1 for `s` (and a replay string).
pub(crate) fn encode(s: &Scenario, replay: Option<&str>) -> String {
    let w = body(s, replay, Grammar::V1);
    let mut out = String::new();
    out.push(VERSION);
    out.extend(w.sextets().into_iter().map(|v| char::from(B64[usize::from(v)])));
    out.push(char::from(B64[usize::from(check_value(out.as_bytes()))]));
    out
}

/// The bit string of `s` (and a replay string): what the crate
/// documentation calls "the bit string". Versions 2 and 3 write it too;
/// with [`Grammar::V3`], the forms of entry kind 6 are written as such.
pub(crate) fn body(s: &Scenario, replay: Option<&str>, g: Grammar) -> Writer {
    let mut names = Names::default();
    names.collect(s);
    let mut w = Writer::default();
    w.bit(s.title.is_some());
    w.bit(s.schemes.is_some());
    w.bit(s.fs.is_some());
    w.bit(!s.head_notes.is_empty());
    w.bit(replay.is_some());
    w.ue(names.list.len() as u64);
    for n in &names.list {
        put_name_chars(&mut w, n.as_str());
    }
    if let Some(t) = &s.title {
        put_text(&mut w, t);
    }
    if let Some(list) = &s.schemes {
        w.ue(list.len() as u64);
        for &n in list {
            put_scheme(&mut w, n);
        }
    }
    if let Some(fs) = s.fs {
        let code = FS.iter().position(|id| *id == fs.id()).unwrap_or(0);
        w.ue(code as u64);
    }
    if !s.head_notes.is_empty() {
        w.ue(s.head_notes.len() as u64);
        for n in &s.head_notes {
            put_text(&mut w, n);
        }
    }
    if let Some(r) = replay {
        put_text(&mut w, r);
    }
    put_items(&mut w, &Enc { names: &names, g }, &s.body);
    w
}

/// What the writer of entries needs besides the bits.
struct Enc<'a> {
    names: &'a Names,
    g: Grammar,
}

impl Enc<'_> {
    fn name(&self, w: &mut Writer, n: &Name) {
        w.u(self.names.width(), self.names.index(n));
    }
}

/// The name table: every fd, file and label, in order of first use.
#[derive(Default)]
struct Names {
    list: Vec<Name>,
}

impl Names {
    fn add(&mut self, n: &Name) {
        if !self.list.contains(n) {
            self.list.push(n.clone());
        }
    }

    fn index(&self, n: &Name) -> u64 {
        self.list.iter().position(|x| x == n).unwrap_or(0) as u64
    }

    /// Bits of a name reference.
    fn width(&self) -> u32 {
        ref_width(self.list.len())
    }

    fn event(&mut self, e: &Event) {
        for n in operands(e) {
            self.add(n);
        }
    }

    fn items(&mut self, items: &[Item]) {
        for item in items {
            match item {
                Item::Stmt(st) => {
                    self.event(&st.event);
                    if let Some(l) = &st.label {
                        self.add(l);
                    }
                }
                Item::Par(p) => self.items(&p.items),
                Item::Claim(c) => {
                    for cond in &c.conds {
                        match &cond.call {
                            CallRef::Label(l) => self.add(l),
                            CallRef::Call(e) => self.event(e),
                        }
                    }
                }
                Item::Note(_) | Item::Gap | Item::Scheme(_) => {}
            }
        }
    }

    fn collect(&mut self, s: &Scenario) {
        self.items(&s.body);
    }
}

/// Bits of a reference into a table of `n` names.
fn ref_width(n: usize) -> u32 {
    usize::BITS - n.saturating_sub(1).leading_zeros()
}

/// The names an event mentions, in argument order.
pub(crate) fn operands(e: &Event) -> Vec<&Name> {
    match e {
        Event::Open { fd, file, .. } => vec![fd, file],
        Event::Dup { new, fd } => vec![new, fd],
        Event::Close { fd }
        | Event::Write { fd, .. }
        | Event::MmapWrite { fd, .. }
        | Event::Msync { fd }
        | Event::Read { fd, .. }
        | Event::Fsync { fd }
        | Event::Fdatasync { fd }
        | Event::SyncFileRange { fd, .. }
        | Event::Syncfs { fd } => vec![fd],
        Event::Fail { file, .. }
        | Event::Error { file, .. }
        | Event::Heal { file, .. }
        | Event::Writeback { file }
        | Event::Flush { file }
        | Event::Evict { file } => vec![file],
        Event::Sync => vec![],
    }
}

fn put_name_chars(w: &mut Writer, name: &str) {
    let bytes = name.as_bytes();
    w.ue(bytes.len().saturating_sub(1) as u64);
    for (i, b) in bytes.iter().enumerate() {
        let code = NAME_CHARS.iter().position(|c| c == b).unwrap_or(0) as u64;
        w.u(if i == 0 { 5 } else { 6 }, code);
    }
}

fn put_text(w: &mut Writer, text: &str) {
    w.ue(text.len() as u64);
    for b in text.bytes() {
        match TEXT63.iter().position(|&c| c == b) {
            Some(code) => w.u(6, code as u64),
            None => {
                w.u(6, RAW_BYTE);
                w.u(8, u64::from(b));
            }
        }
    }
}

fn put_scheme(w: &mut Writer, n: SchemeName) {
    match SCHEMES.iter().position(|id| *id == n.as_str()) {
        Some(code) => w.u(4, code as u64),
        None => {
            w.u(4, SCHEME_BY_ID);
            put_text(w, n.as_str());
        }
    }
}

fn put_ret(w: &mut Writer, g: Grammar, r: Ret) {
    match g {
        Grammar::V1 => w.ue(u64::from(r.code())),
        Grammar::V3 => additions::put_ret(w, r),
    }
}

fn put_outcome(w: &mut Writer, g: Grammar, o: &Outcome) {
    match o {
        Outcome::Is(r) => {
            w.bit(false);
            put_ret(w, g, *r);
        }
        Outcome::AnyOf(set) => {
            w.bit(true);
            w.ue(set.len() as u64);
            for &r in set {
                put_ret(w, g, r);
            }
        }
    }
}

/// The call's code and operands (not its trailer). `expect`: whether the
/// statement carries an expectation (in version 3, a write with one says
/// so in its modifier).
fn put_event(w: &mut Writer, enc: &Enc, e: &Event, expect: bool) {
    if enc.g == Grammar::V3 {
        if additions::is_new_call(e) {
            w.u(4, OTHER);
            w.u(3, NEW_CALL);
            additions::put_new_call(w, enc, e);
        } else {
            w.u(4, VERBS.iter().position(|v| *v == e.verb()).unwrap_or(0) as u64);
            put_operands(w, enc, e);
            additions::put_modifiers(w, e, expect);
        }
        return;
    }
    if let Event::SyncFileRange { fd, flags } = e {
        if *flags != SyncRange::ALL {
            w.u(4, OTHER);
            w.u(3, SYNC_RANGE);
            enc.name(w, fd);
            w.u(3, range_bits(*flags));
            return;
        }
    }
    let code = VERBS.iter().position(|v| *v == e.verb()).unwrap_or(0) as u64;
    w.u(4, code);
    put_operands(w, enc, e);
}

fn put_operands(w: &mut Writer, enc: &Enc, e: &Event) {
    let name = |w: &mut Writer, n: &Name| enc.name(w, n);
    match e {
        Event::Open { fd, file, .. } => {
            name(w, fd);
            name(w, file);
        }
        Event::Dup { new, fd } => {
            name(w, new);
            name(w, fd);
        }
        Event::Write { fd, page, .. } | Event::MmapWrite { fd, page } => {
            name(w, fd);
            w.ue(u64::from(*page));
        }
        Event::Fail { file, errno, .. } | Event::Error { file, errno } => {
            name(w, file);
            w.ue(u64::from(errno.number()));
        }
        other => {
            for n in operands(other) {
                name(w, n);
            }
        }
    }
}

/// sync_file_range's flags in `u(3)`: bit 2 WAIT_BEFORE, bit 1 WRITE,
/// bit 0 WAIT_AFTER, as they are written left to right.
fn range_bits(f: SyncRange) -> u64 {
    u64::from(f.wait_before) << 2 | u64::from(f.write) << 1 | u64::from(f.wait_after)
}

/// Whether the bit string of grammar `g` can hold every call of `s`.
///
/// Version 1's ([`Grammar::V1`]): all but a sync_file_range with no step,
/// which has no text either, and the forms added after version 1's tables
/// were last grown, which version 3 holds: `fail` and `heal` of pages,
/// open's flags, write's RWF flags, an expectation on a write (a
/// synchronous or direct one), `mmap_write`, `msync`, `read` and a read's
/// page versions as results.
///
/// Version 3's ([`Grammar::V3`]): every call that has a text. Only values
/// built as data that no text says are left out (a sync_file_range with
/// no step, open flags or pages the parser refuses, an expectation on a
/// call that returns nothing); [`crate::encode`] sends those as a text
/// link of their printed text, which does not decode.
pub(crate) fn can_encode(s: &Scenario, g: Grammar) -> bool {
    let event_ok = |e: &Event| match e {
        _ if g == Grammar::V3 => additions::has_text(e),
        Event::SyncFileRange { flags, .. } => flags.is_valid(),
        Event::Fail { pages, .. } | Event::Heal { pages, .. } => pages.is_none(),
        Event::Open { flags, .. } => *flags == OpenFlags::default(),
        Event::Write { rwf, .. } => rwf.is_none(),
        Event::MmapWrite { .. } | Event::Msync { .. } | Event::Read { .. } => false,
        _ => true,
    };
    let returns = |v: Verb| if g == Grammar::V3 { v.may_return() } else { v.returns() };
    // A read's page versions have no code in versions 1 and 2.
    let outcome_ok = |o: &Outcome| {
        g == Grammar::V3
            || match o {
                Outcome::Is(r) => r.content().is_none(),
                Outcome::AnyOf(set) => set.iter().all(|r| r.content().is_none()),
            }
    };
    let c = Can { event: &event_ok, returns: &returns, outcome: &outcome_ok };
    c.items(&s.body)
}

/// The tests of [`can_encode`], for one grammar.
struct Can<'a> {
    event: &'a dyn Fn(&Event) -> bool,
    returns: &'a dyn Fn(Verb) -> bool,
    outcome: &'a dyn Fn(&Outcome) -> bool,
}

impl Can<'_> {
    fn items(&self, items: &[Item]) -> bool {
        items.iter().all(|item| match item {
            Item::Stmt(st) => {
                (self.event)(&st.event)
                    && st.expect.as_ref().is_none_or(|x| {
                        (self.returns)(st.event.verb())
                            && x.default.iter().chain(x.overrides.iter().map(|o| &o.1)).all(self.outcome)
                    })
            }
            Item::Par(p) => self.items(&p.items),
            Item::Claim(c) => c.conds.iter().all(|cond| {
                (self.outcome)(&cond.outcome)
                    && match &cond.call {
                        CallRef::Call(e) => (self.event)(e),
                        CallRef::Label(_) => true,
                    }
            }),
            Item::Note(_) | Item::Gap => true,
            // No format version has a code for a written scheme: such a
            // scenario travels as a checked text link (`scenario=`).
            Item::Scheme(_) => false,
        })
    }
}

fn put_items(w: &mut Writer, enc: &Enc, items: &[Item]) {
    w.ue(items.len() as u64);
    for item in items {
        match item {
            Item::Stmt(st) => put_stmt(w, enc, st),
            Item::Gap => {
                w.u(4, OTHER);
                w.u(3, GAP);
            }
            Item::Note(text) => {
                w.u(4, OTHER);
                w.u(3, NOTE);
                put_text(w, text);
            }
            Item::Par(p) => {
                w.u(4, OTHER);
                w.u(3, PAR);
                put_comment(w, p.comment.as_deref());
                put_items(w, enc, &p.items);
            }
            Item::Claim(c) => put_claim(w, enc, c),
            // Never met: `can_encode` refuses scheme blocks. Were it met,
            // the link would decode to another scenario, which
            // `try_encode`'s read-back refuses.
            Item::Scheme(_) => {
                w.u(4, OTHER);
                w.u(3, GAP);
            }
        }
    }
}

fn put_comment(w: &mut Writer, comment: Option<&str>) {
    w.bit(comment.is_some());
    if let Some(c) = comment {
        put_text(w, c);
    }
}

fn put_stmt(w: &mut Writer, enc: &Enc, st: &Stmt) {
    put_event(w, enc, &st.event, st.expect.is_some());
    let returns = has_expect_bit(enc.g, &st.event, st.expect.is_some());
    let expect = st.expect.as_ref().filter(|_| returns);
    if returns {
        w.bit(expect.is_some());
    }
    let extra = st.label.is_some() || st.comment.is_some();
    w.bit(extra);
    if extra {
        w.bit(st.label.is_some());
        w.bit(st.comment.is_some());
    }
    if let Some(l) = &st.label {
        enc.name(w, l);
    }
    if let Some(e) = expect {
        w.bit(e.default.is_some());
        if let Some(o) = &e.default {
            put_outcome(w, enc.g, o);
        }
        w.ue(e.overrides.len() as u64);
        for (n, o) in &e.overrides {
            put_scheme(w, *n);
            put_outcome(w, enc.g, o);
        }
    }
    if let Some(c) = &st.comment {
        put_text(w, c);
    }
}

/// Whether a call's trailer has the expectation bit: for the calls that
/// always return, and in version 3 for a write whose modifier says it
/// returns.
fn has_expect_bit(g: Grammar, e: &Event, expect: bool) -> bool {
    e.verb().returns() || (g == Grammar::V3 && additions::write_returns(e, expect))
}

fn put_claim(w: &mut Writer, enc: &Enc, c: &Claim) {
    w.u(4, OTHER);
    w.u(3, if c.kind == ClaimKind::Exists { EXISTS } else { NEVER });
    w.ue(c.conds.len() as u64);
    for cond in &c.conds {
        match &cond.call {
            CallRef::Label(l) => {
                w.bit(false);
                enc.name(w, l);
            }
            CallRef::Call(e) => {
                w.bit(true);
                put_event(w, enc, e, false);
            }
        }
        put_outcome(w, enc.g, &cond.outcome);
    }
    w.ue(c.schemes.len() as u64);
    for &n in &c.schemes {
        put_scheme(w, n);
    }
    put_comment(w, c.comment.as_deref());
}

// ---------------------------------------------------------------- decoding

/// Where the decoder is, for messages.
#[derive(Clone, Copy, Debug)]
enum At {
    Header,
    Name(usize, usize),
    Title,
    Schemes,
    Fs,
    HeadNote(usize, usize),
    Replay,
    /// Entry `i` of `n` of the body.
    Body(usize, usize),
    /// Line `i` of `n` of a par block.
    Block(usize, usize),
}

/// Why the bit string does not read.
enum Problem {
    Short,
    Invalid(String),
}

impl From<Short> for Problem {
    fn from(_: Short) -> Problem {
        Problem::Short
    }
}

fn invalid<T>(msg: impl Into<String>) -> Result<T, Problem> {
    Err(Problem::Invalid(msg.into()))
}

struct Decoder<'a> {
    r: Reader<'a>,
    g: Grammar,
    at: Vec<At>,
    names: Vec<Name>,
    entries: usize,
    text_bytes: usize,
    /// About how many bytes of text the scenario read so far prints to.
    size: usize,
}

/// Reads a fragment of version 1 (without `#`). Returns the scenario as
/// the link spells it and the replay string.
pub(crate) fn decode(fragment: &str) -> Result<(Scenario, Option<String>), DecodeError> {
    // One pass: the values of the characters (whitespace skipped), and the
    // check hash of all of them but the last.
    let mut sextets: Vec<u8> = Vec::with_capacity(fragment.len());
    let (mut hash_before_last, mut hash) = (bits::FNV_BASIS, bits::fnv(bits::FNV_BASIS, VERSION as u8));
    let mut last = (0, VERSION);
    for (i, c) in fragment.chars().enumerate().skip(1) {
        if c.is_whitespace() {
            continue;
        }
        let pos = i + 1;
        let Some(v) = b64_value(c) else {
            let at_end = fragment.chars().skip(i + 1).all(char::is_whitespace);
            if at_end && ".,;:!?)]}>'\"=".contains(c) {
                return Err(DecodeError::new(
                    Kind::BadCharacter { position: pos },
                    format!(
                        "the link ends in `{c}` (position {pos}), which is not part of it: \
                         remove it (it was taken along from the text around the link)"
                    ),
                ));
            }
            return Err(bad_character(c, pos));
        };
        sextets.push(v);
        hash_before_last = hash;
        hash = bits::fnv(hash, c as u8);
        last = (pos, c);
    }
    // The last character is the check.
    let Some(check) = sextets.pop() else {
        return Err(DecodeError::new(
            Kind::CutShort,
            "the link is cut short: it has its version (`1`) and nothing after it; copy the whole link",
        ));
    };
    let check_ok = check == (hash_before_last % 62) as u8;
    let chars = last.0;
    let mut d = Decoder {
        r: Reader::new(&sextets),
        g: Grammar::V1,
        at: Vec::new(),
        names: Vec::new(),
        entries: 0,
        text_bytes: 0,
        size: 0,
    };
    let result = d.scenario();
    let damaged = || {
        DecodeError::new(
            Kind::Damaged,
            "the link is damaged: its last character does not match the others, so a character was \
             changed, added or lost on the way; copy the whole link again, exactly as it was sent",
        )
    };
    let x = match result {
        Err(Problem::Short) => return Err(d.cut_short(chars, check >= 62)),
        Err(Problem::Invalid(_)) if !check_ok => return Err(damaged()),
        Err(Problem::Invalid(msg)) => {
            return Err(DecodeError::new(
                Kind::Invalid,
                format!(
                    "the link does not decode: in {}, {msg}; \
                     it was not made by this playground, or it was altered",
                    d.place()
                ),
            ))
        }
        Ok(_) if !check_ok => return Err(damaged()),
        Ok(x) => x,
    };
    let rest = d.r.remaining();
    if rest >= 6 {
        return Err(DecodeError::new(
            Kind::Invalid,
            format!(
                "the link goes on for {} character(s) after the scenario ends; \
                 it was not made by this playground, or it was altered",
                rest / 6
            ),
        ));
    }
    if d.r.u(rest as u32) != Ok(0) {
        return Err(DecodeError::new(
            Kind::Invalid,
            "the link's last bits are not zero; it was not made by this playground, or it was altered",
        ));
    }
    Ok(x)
}

/// What [`read_body`] reads: the scenario as the bits spell it, the
/// replay string, and what is left after the scenario's last bit.
pub(crate) struct Body {
    pub(crate) scenario: Scenario,
    pub(crate) replay: Option<String>,
    /// Bits left after the scenario's last one.
    pub(crate) rest: usize,
    /// Whether those bits are all zero (false when there are 64 or more).
    pub(crate) rest_is_zero: bool,
}

/// Why the bit string does not read, with the place in words.
pub(crate) enum BodyError {
    /// The bits end inside `place`.
    Short { place: String },
    /// `place` holds something no scenario says.
    Invalid { place: String, message: String },
}

/// Reads the bit string from base64url values: version 1's body, and
/// version 2's, which is the same ([`Grammar::V1`]), or version 3's
/// ([`Grammar::V3`]). Linear in the length, and bounded by the limits
/// above whatever the bits declare.
pub(crate) fn read_body(sextets: &[u8], g: Grammar) -> Result<Body, BodyError> {
    let mut d = Decoder {
        r: Reader::new(sextets),
        g,
        at: Vec::new(),
        names: Vec::new(),
        entries: 0,
        text_bytes: 0,
        size: 0,
    };
    match d.scenario() {
        Ok((scenario, replay)) => {
            let rest = d.r.remaining();
            let rest_is_zero = rest < 64 && d.r.u(rest as u32) == Ok(0);
            Ok(Body { scenario, replay, rest, rest_is_zero })
        }
        Err(Problem::Short) => Err(BodyError::Short { place: d.place() }),
        Err(Problem::Invalid(message)) => Err(BodyError::Invalid { place: d.place(), message }),
    }
}

pub(crate) fn bad_character(c: char, pos: usize) -> DecodeError {
    let shown = if c.is_control() { format!("{:?}", c) } else { format!("`{c}`") };
    DecodeError::new(
        Kind::BadCharacter { position: pos },
        format!(
            "bad character {shown} at position {pos} after the `#`: a link of this playground holds only \
             letters, digits, `-` and `_` (was it changed by the program it went through?)"
        ),
    )
}

impl Decoder<'_> {
    /// The innermost place, in words.
    fn place(&self) -> String {
        let mut out = String::new();
        let inner = self.at.last().copied().unwrap_or(At::Header);
        let outer_body = self.at.iter().rev().skip(1).find_map(|a| match a {
            At::Body(i, n) => Some((*i, *n)),
            _ => None,
        });
        out.push_str(&match inner {
            At::Header => "the link's header".to_owned(),
            At::Name(i, n) => format!("name {i} of {n} of the link's name table"),
            At::Title => "the title".to_owned(),
            At::Schemes => "the `schemes:` header".to_owned(),
            At::Fs => "the `fs:` header".to_owned(),
            At::HeadNote(i, n) => format!("comment {i} of {n} among the headers"),
            At::Replay => "the replay string".to_owned(),
            At::Body(i, n) => format!("entry {i} of {n} of the scenario"),
            At::Block(i, n) => match outer_body {
                Some((bi, bn)) => {
                    format!("line {i} of {n} of the par block at entry {bi} of {bn} of the scenario")
                }
                None => format!("line {i} of {n} of a par block"),
            },
        });
        out
    }

    fn cut_short(&self, chars: usize, ends_oddly: bool) -> DecodeError {
        let hint = if ends_oddly {
            "its last character cannot end a link"
        } else {
            "was it wrapped or cut by your mail program?"
        };
        DecodeError::new(
            Kind::CutShort,
            format!(
                "the link is cut short: it ends in {} after {chars} characters ({hint}); \
                 copy the whole link, up to its last character",
                self.place()
            ),
        )
    }

    /// Counts `n` more bytes of text; refuses a scenario that grows too big.
    fn grow(&mut self, n: usize) -> Result<(), Problem> {
        self.size = self.size.saturating_add(n);
        if self.size > MAX_SIZE {
            return invalid(format!("the scenario would print to more than {MAX_SIZE} bytes of text"));
        }
        Ok(())
    }

    fn ue(&mut self) -> Result<u64, Problem> {
        match self.r.ue()? {
            Some(v) => Ok(v),
            None => invalid("a number is longer than any link holds"),
        }
    }

    fn count(&mut self, what: &str, max: u64) -> Result<usize, Problem> {
        let n = self.ue()?;
        if n > max {
            return invalid(format!("the link declares {n} {what}; at most {max} are read"));
        }
        Ok(n as usize)
    }

    fn scenario(&mut self) -> Result<(Scenario, Option<String>), Problem> {
        self.at.push(At::Header);
        let has_title = self.r.bit()?;
        let has_schemes = self.r.bit()?;
        let has_fs = self.r.bit()?;
        let has_notes = self.r.bit()?;
        let has_replay = self.r.bit()?;
        let n = self.count("names", MAX_NAMES)?;
        for i in 0..n {
            self.at.push(At::Name(i + 1, n));
            let name = self.name_chars()?;
            if self.names.contains(&name) {
                return invalid(format!("the name `{name}` is listed twice"));
            }
            self.names.push(name);
            self.at.pop();
        }
        let mut s = Scenario::default();
        if has_title {
            self.at.push(At::Title);
            s.title = Some(self.text()?);
            self.at.pop();
        }
        if has_schemes {
            self.at.push(At::Schemes);
            let n = self.count("schemes", MAX_LIST)?;
            let mut list = Vec::new();
            for _ in 0..n {
                list.push(self.scheme()?);
            }
            s.schemes = Some(list);
            self.at.pop();
        }
        if has_fs {
            self.at.push(At::Fs);
            let code = self.ue()?;
            let fs = FS.get(code as usize).and_then(|id| Fs::from_id(id));
            match fs {
                Some(fs) => s.fs = Some(fs),
                None => {
                    return invalid(format!("filesystem profile {code} is not one this playground knows"))
                }
            }
            self.at.pop();
        }
        if has_notes {
            let n = self.count("comments above the headers", MAX_ENTRIES as u64)?;
            self.entries += n;
            for i in 0..n {
                self.at.push(At::HeadNote(i + 1, n));
                s.head_notes.push(self.text()?);
                self.at.pop();
            }
        }
        let replay = if has_replay {
            self.at.push(At::Replay);
            let r = self.text()?;
            self.at.pop();
            Some(r)
        } else {
            None
        };
        self.at.pop();
        s.body = self.items(false)?;
        Ok((s, replay))
    }

    fn name_chars(&mut self) -> Result<Name, Problem> {
        let len = self.ue()?.saturating_add(1);
        if len > MAX_NAME_LEN {
            return invalid(format!(
                "a name of {len} characters is declared; names have at most {MAX_NAME_LEN}"
            ));
        }
        let mut s = String::new();
        for i in 0..len {
            let code = self.r.u(if i == 0 { 5 } else { 6 })?;
            match NAME_CHARS.get(code as usize) {
                Some(&c) if i > 0 || code < 26 => s.push(char::from(c)),
                _ => return invalid(format!("character code {code} cannot be part of a name")),
            }
        }
        Name::new(&s).map_or_else(|| invalid(format!("`{s}` is not a name")), Ok)
    }

    fn name_ref(&mut self) -> Result<Name, Problem> {
        let i = self.r.u(ref_width(self.names.len()))?;
        match self.names.get(i as usize) {
            Some(n) => {
                let n = n.clone();
                self.grow(n.as_str().len() + 1)?;
                Ok(n)
            }
            None => invalid(format!(
                "a call refers to name {} but the link's name table has {}",
                i + 1,
                self.names.len()
            )),
        }
    }

    fn text(&mut self) -> Result<String, Problem> {
        let len = self.ue()?;
        let budget = (MAX_TEXT_BYTES - self.text_bytes) as u64;
        if len > budget {
            return invalid(format!(
                "a text of {len} bytes is declared; \
                 the texts of a link hold at most {MAX_TEXT_BYTES} bytes in all"
            ));
        }
        self.text_bytes += len as usize;
        self.grow(len as usize)?;
        let mut bytes = Vec::new();
        for _ in 0..len {
            let code = self.r.u(6)?;
            match TEXT63.get(code as usize) {
                Some(&b) => bytes.push(b),
                None => bytes.push(self.r.u(8)? as u8),
            }
        }
        String::from_utf8(bytes).or_else(|_| invalid("a text is not UTF-8"))
    }

    fn scheme(&mut self) -> Result<SchemeName, Problem> {
        self.grow(24)?;
        let code = self.r.u(4)?;
        let id = match SCHEMES.get(code as usize) {
            Some(id) => (*id).to_owned(),
            None if code == SCHEME_BY_ID => self.text()?,
            None => {
                return invalid(format!(
                "scheme number {code} is not one this playground knows (a newer playground made the link?)"
            ))
            }
        };
        SchemeName::parse(&id).map_or_else(
            || {
                invalid(format!(
                    "scheme `{id}` is not one this playground knows (a newer playground made the link?)"
                ))
            },
            Ok,
        )
    }

    fn ret(&mut self) -> Result<Ret, Problem> {
        if self.g == Grammar::V3 {
            return self.ret_v3();
        }
        self.grow(8)?;
        let code = self.ue()?;
        if code == 0 {
            return Ok(Ret::OK);
        }
        self.errno_number(code).map(Ret::err)
    }

    fn errno_number(&mut self, code: u64) -> Result<Errno, Problem> {
        u32::try_from(code)
            .ok()
            .and_then(Errno::new)
            .map_or_else(|| invalid(format!("errno number {code} is not a Linux errno")), Ok)
    }

    fn outcome(&mut self) -> Result<Outcome, Problem> {
        if !self.r.bit()? {
            return self.ret().map(Outcome::Is);
        }
        let n = self.count("results in a set", MAX_SET)?;
        let mut set = BTreeSet::new();
        for _ in 0..n {
            let r = self.ret()?;
            if !set.insert(r) {
                return invalid(format!("the result {r} is in a set twice"));
            }
        }
        if set.is_empty() {
            return invalid("a set of results is empty");
        }
        Ok(Outcome::AnyOf(set))
    }

    /// The call of code `code` (0 to 14) with its operands (and, in
    /// version 3, its modifiers), and whether it is a write that returns.
    fn event(&mut self, code: u64) -> Result<(Event, bool), Problem> {
        let e = self.event_v1(code)?;
        match (self.g, e.verb()) {
            (Grammar::V3, Verb::Open | Verb::Write | Verb::Fail | Verb::Heal | Verb::SyncFileRange) => {
                self.modifiers(e)
            }
            _ => Ok((e, false)),
        }
    }

    /// The call of code `code` with version 1's operands.
    fn event_v1(&mut self, code: u64) -> Result<Event, Problem> {
        self.grow(16)?;
        let Some(&verb) = VERBS.get(code as usize) else {
            return invalid(format!("call number {code} is not one this playground knows"));
        };
        Ok(match verb {
            Verb::Open => {
                Event::Open { fd: self.name_ref()?, file: self.name_ref()?, flags: OpenFlags::default() }
            }
            Verb::Dup => Event::Dup { new: self.name_ref()?, fd: self.name_ref()? },
            Verb::Close => Event::Close { fd: self.name_ref()? },
            Verb::Write => {
                let fd = self.name_ref()?;
                let page = self.ue()?;
                let Ok(page) = u32::try_from(page) else {
                    return invalid(format!("page {page} is beyond the largest page number, {}", u32::MAX));
                };
                Event::Write { fd, page, rwf: None }
            }
            Verb::Fail | Verb::Error => {
                let file = self.name_ref()?;
                let code = self.ue()?;
                let errno = self.errno_number(code)?;
                if verb == Verb::Fail {
                    Event::Fail { file, errno, pages: None }
                } else {
                    Event::Error { file, errno }
                }
            }
            Verb::Heal => Event::Heal { file: self.name_ref()?, pages: None },
            Verb::Writeback => Event::Writeback { file: self.name_ref()? },
            Verb::Fsync => Event::Fsync { fd: self.name_ref()? },
            Verb::Fdatasync => Event::Fdatasync { fd: self.name_ref()? },
            Verb::SyncFileRange => Event::SyncFileRange { fd: self.name_ref()?, flags: SyncRange::ALL },
            Verb::Syncfs => Event::Syncfs { fd: self.name_ref()? },
            Verb::Sync => Event::Sync,
            Verb::Flush => Event::Flush { file: self.name_ref()? },
            Verb::Evict => Event::Evict { file: self.name_ref()? },
            // Not in VERBS: version 1 has no code for them.
            Verb::MmapWrite | Verb::Msync | Verb::Read => {
                return invalid(format!("`{verb}` has no code in version 1"))
            }
        })
    }

    /// What follows code 15 and kind 5: `name` (the fd), `u(3)` flags.
    fn sync_range_event(&mut self) -> Result<Event, Problem> {
        let fd = self.name_ref()?;
        Ok(Event::SyncFileRange { fd, flags: self.sync_range_flags()? })
    }

    /// sync_file_range's `u(3)` flags, one to six steps of three.
    fn sync_range_flags(&mut self) -> Result<SyncRange, Problem> {
        self.grow(48)?;
        let bits = self.r.u(3)?;
        let flags = SyncRange {
            wait_before: bits & 0b100 != 0,
            write: bits & 0b010 != 0,
            wait_after: bits & 0b001 != 0,
        };
        match bits {
            0 => invalid("a sync_file_range has no flag set, which no scenario says"),
            7 => invalid("a sync_file_range has all three flags, which is written as call 10"),
            _ => Ok(flags),
        }
    }

    fn comment(&mut self) -> Result<Option<String>, Problem> {
        if self.r.bit()? {
            self.text().map(Some)
        } else {
            Ok(None)
        }
    }

    fn items(&mut self, in_par: bool) -> Result<Vec<Item>, Problem> {
        let n = self.ue()?;
        let left = (MAX_ENTRIES - self.entries.min(MAX_ENTRIES)) as u64;
        if n > left {
            return invalid(format!(
                "the link declares {n} more lines; a scenario has at most {MAX_ENTRIES}"
            ));
        }
        let n = n as usize;
        self.entries += n;
        let mut items = Vec::new();
        for i in 0..n {
            self.at.push(if in_par { At::Block(i + 1, n) } else { At::Body(i + 1, n) });
            items.push(self.item(in_par)?);
            self.at.pop();
        }
        Ok(items)
    }

    fn item(&mut self, in_par: bool) -> Result<Item, Problem> {
        self.grow(4)?;
        let code = self.r.u(4)?;
        if code != OTHER {
            return self.stmt(code).map(Item::Stmt);
        }
        Ok(match self.r.u(3)? {
            GAP => Item::Gap,
            NOTE => Item::Note(self.text()?),
            PAR if in_par => return invalid("a par block is inside a par block; they cannot nest"),
            PAR => {
                let comment = self.comment()?;
                Item::Par(Par { comment, items: self.items(true)? })
            }
            kind @ (EXISTS | NEVER) => {
                let kind = if kind == EXISTS { ClaimKind::Exists } else { ClaimKind::Never };
                Item::Claim(self.claim(kind)?)
            }
            SYNC_RANGE if self.g == Grammar::V1 => {
                let event = self.sync_range_event()?;
                Item::Stmt(self.stmt_after(event, true)?)
            }
            NEW_CALL if self.g == Grammar::V3 => {
                let event = self.new_call()?;
                let expect_bit = event.verb().returns();
                Item::Stmt(self.stmt_after(event, expect_bit)?)
            }
            SYNC_RANGE => {
                return invalid(
                    "entry kind 5 is version 1's spelling of sync_file_range's flags; \
                     version 3 writes them after call 10",
                )
            }
            kind => return invalid(format!("entry kind {kind} is not one this playground knows")),
        })
    }

    fn stmt(&mut self, code: u64) -> Result<Stmt, Problem> {
        let (event, write_returns) = self.event(code)?;
        let expect_bit = event.verb().returns() || write_returns;
        let st = self.stmt_after(event, expect_bit)?;
        if write_returns && st.expect.is_none() && matches!(st.event, Event::Write { rwf: None, .. }) {
            return invalid("a write says it returns, with neither an RWF flag nor an expectation");
        }
        Ok(st)
    }

    /// A call's trailer: expectation, label and comment. `expect_bit`:
    /// whether the trailer starts with the expectation bit (version 1's
    /// codes: the calls that always return; entry kind 6: a write too).
    fn stmt_after(&mut self, event: Event, expect_bit: bool) -> Result<Stmt, Problem> {
        let has_expect = expect_bit && self.r.bit()?;
        let (has_label, has_comment) =
            if self.r.bit()? { (self.r.bit()?, self.r.bit()?) } else { (false, false) };
        let label = if has_label { Some(self.name_ref()?) } else { None };
        let expect = if has_expect {
            let default = if self.r.bit()? { Some(self.outcome()?) } else { None };
            let n = self.count("scheme expectations", MAX_LIST)?;
            let mut overrides = Vec::new();
            for _ in 0..n {
                let name = self.scheme()?;
                overrides.push((name, self.outcome()?));
            }
            Some(Expect { default, overrides })
        } else {
            None
        };
        let comment = if has_comment { Some(self.text()?) } else { None };
        Ok(Stmt { event, label, expect, comment })
    }

    fn claim(&mut self, kind: ClaimKind) -> Result<Claim, Problem> {
        let n = self.count("conditions", MAX_CONDS)?;
        let mut conds = Vec::new();
        for _ in 0..n {
            let call = if self.r.bit()? {
                let code = self.r.u(4)?;
                if code != OTHER {
                    let (event, write_returns) = self.event(code)?;
                    if write_returns && matches!(event, Event::Write { rwf: None, .. }) {
                        return invalid("a claim's write says it returns, with no RWF flag");
                    }
                    CallRef::Call(event)
                } else {
                    match self.r.u(3)? {
                        SYNC_RANGE if self.g == Grammar::V1 => CallRef::Call(self.sync_range_event()?),
                        NEW_CALL if self.g == Grammar::V3 => CallRef::Call(self.new_call()?),
                        kind => return invalid(format!("a claim's call is an entry of kind {kind}")),
                    }
                }
            } else {
                CallRef::Label(self.name_ref()?)
            };
            conds.push(Cond { call, outcome: self.outcome()? });
        }
        let n = self.count("schemes", MAX_LIST)?;
        let mut schemes = Vec::new();
        for _ in 0..n {
            schemes.push(self.scheme()?);
        }
        let comment = self.comment()?;
        Ok(Claim { kind, conds, schemes, comment })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_match_the_language() {
        // Version 1's codes: the first specification's calls.
        for v in Verb::ALL.into_iter().filter(|v| v.reserved()) {
            assert!(VERBS.contains(&v), "{v} has no code");
        }
        // Version 3 has a spelling for every call: a code, or entry kind 6.
        let fd = Name::new("a").expect("name");
        let new_calls = [
            Event::MmapWrite { fd: fd.clone(), page: 0 },
            Event::Msync { fd: fd.clone() },
            Event::Read { fd, page: 0 },
        ];
        for v in Verb::ALL {
            let new = new_calls.iter().any(|e| e.verb() == v && additions::is_new_call(e));
            assert!(VERBS.contains(&v) != new, "{v}: a code and kind 6, or neither");
        }
        for id in SchemeName::all_ids() {
            assert!(SCHEMES.contains(&id), "{id} has no code");
        }
        for fs in Fs::ALL {
            assert!(FS.contains(&fs.id()), "{} has no code", fs.id());
        }
        let distinct: BTreeSet<u8> = TEXT63.iter().copied().collect();
        assert_eq!(distinct.len(), 63);
    }
}
