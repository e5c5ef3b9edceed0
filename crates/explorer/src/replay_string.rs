//! Replay strings: a short, versioned name for one interleaving.
//!
//! Version 2 (written): `2`, the scheme letter, then the choices of every
//! `par` block, block after block, in base64url (most significant bit
//! first), a zero character when needed to make the count of characters
//! even, and two check characters: the check of share links
//! (`errseq_share::check`, a CRC-11 over the characters' 6-bit values),
//! so that no single changed, added, lost or swapped character goes
//! unnoticed. At each step of a block, the task that moves is written as
//! its position among the tasks that could move then, in as few bits as
//! that number of tasks needs (none when only one could). Steps where only
//! one task can move cost nothing, so a counterexample of three tasks and
//! thirty steps takes a handful of characters. Every character is a
//! letter, a digit, `-` or `_`, and the last a letter or a digit.
//!
//! A scheme the scenario writes has an upper-case letter: `A` for the
//! first block in the text, `B` for the second, and so on (a string is
//! only read with the scenario it was made for). Version 1 has none.
//!
//! Version 1 (still read): `1` `<scheme letter>` then, for each `par`
//! block, `.` and the block's choices in base64url, least significant bit
//! first within bytes, without a check.
//!
//! Decoding replays the scenario to know how many tasks could move at each
//! step, so a string is only meaningful with the scenario it was made for;
//! one that does not fit says where it stops fitting.

use errseq::{Scheme, SchemeKey};
use errseq_model::Program;
use errseq_scenario::Fs;

use errseq_share::check;

use crate::scenario::Schedule;
use crate::trace::{replay_detailed, replay_schedule, Detail, Trace, TraceError};

/// The version this module writes.
pub const VERSION: char = '2';

/// The version written before checks came: still read.
const VERSION_1: char = '1';

/// Scheme letters (both versions). Append new schemes; never reorder.
const SCHEMES: [(char, Scheme); 9] = [
    ('a', Scheme::Linux412),
    ('b', Scheme::RfcV1),
    ('c', Scheme::RfcV2),
    ('d', Scheme::Linux413),
    ('e', Scheme::Linux417),
    ('f', Scheme::Linux58),
    ('g', Scheme::RfcV2SkipUnchanged),
    ('h', Scheme::RfcV2ReportOnce),
    ('i', Scheme::Linux414),
];

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Bits needed to tell `k` choices apart.
fn width(k: usize) -> u32 {
    usize::BITS - k.saturating_sub(1).leading_zeros()
}

/// The letter of a built-in scheme, or of a scheme `program` writes.
fn letter_of(program: &Program, key: SchemeKey) -> Result<char, TraceError> {
    let letter = match key {
        SchemeKey::BuiltIn(scheme) => SCHEMES.iter().find(|(_, s)| *s == scheme).map(|(c, _)| *c),
        SchemeKey::Written(name) => program
            .written
            .iter()
            .position(|w| w.name == name)
            .and_then(|i| B64.get(i))
            .map(|&b| char::from(b)),
    };
    letter.ok_or_else(|| TraceError(format!("scheme {key} has no replay letter")))
}

/// The scheme of a letter: a built-in one, or one `program` writes.
fn key_of(program: &Program, letter: char) -> Option<SchemeKey> {
    if letter.is_ascii_uppercase() {
        let i = usize::from(value(letter)?);
        return program.written.get(i).map(|w| SchemeKey::Written(w.name));
    }
    scheme_of(letter).map(SchemeKey::BuiltIn)
}

/// The replay string of `schedule` under `scheme`.
pub fn encode(
    program: &Program,
    scheme: impl Into<SchemeKey>,
    fs: Fs,
    schedule: &Schedule,
) -> Result<String, TraceError> {
    let scheme = scheme.into();
    let letter = letter_of(program, scheme)?;
    let trace = replay_schedule(program, scheme, fs, schedule, Detail::Choices)?;
    // Blocks run one after another, so one stream in the order of the
    // steps reads back block by block.
    let mut bits: Vec<bool> = Vec::new();
    for step in &trace.steps {
        if step.task.is_some() {
            let k = step.enabled.len();
            let task = step.task.map_or(0, |(_, t)| t);
            let choice = step.enabled.iter().position(|&t| t == task).unwrap_or(0);
            bits.extend((0..width(k)).rev().map(|i| choice >> i & 1 == 1));
        }
    }
    let mut symbols = vec![value(VERSION).unwrap_or(0), value(letter).unwrap_or(0)];
    symbols.extend(
        bits.chunks(6).map(|c| c.iter().enumerate().fold(0u8, |v, (i, &b)| v | u8::from(b) << (5 - i))),
    );
    check::seal(&mut symbols);
    Ok(symbols.into_iter().map(|v| char::from(B64[usize::from(v & 63)])).collect())
}

/// The value of a base64url character.
fn value(c: char) -> Option<u8> {
    B64.iter().position(|&b| char::from(b) == c).map(|v| v as u8)
}

/// Reopens the interleaving a replay string names (of either version),
/// step by step.
pub fn decode(program: &Program, fs: Fs, text: &str) -> Result<Trace, TraceError> {
    decode_detailed(program, fs, text, Detail::Full)
}

/// Whether a replay string names an interleaving of `program`, and which:
/// its scheme and schedule (a [`decode`] that keeps no state per step).
pub fn schedule_of(program: &Program, fs: Fs, text: &str) -> Result<(SchemeKey, Schedule), TraceError> {
    let t = decode_detailed(program, fs, text, Detail::Choices)?;
    Ok((t.key, t.schedule))
}

fn decode_detailed(program: &Program, fs: Fs, text: &str, detail: Detail) -> Result<Trace, TraceError> {
    match text.trim().chars().next() {
        Some(VERSION) => decode_v2(program, fs, text, detail),
        Some(VERSION_1) => decode_v1(program, fs, text, detail),
        Some(v) => Err(TraceError(format!(
            "replay string `{text}`: version `{v}` is not one this program reads (it reads {VERSION_1} and {VERSION})"
        ))),
        None => Err(TraceError(format!("replay string `{text}`: it is empty"))),
    }
}

fn scheme_of(letter: char) -> Option<Scheme> {
    SCHEMES.iter().find(|(c, _)| *c == letter).map(|(_, s)| *s)
}

fn decode_v2(program: &Program, fs: Fs, text: &str, detail: Detail) -> Result<Trace, TraceError> {
    let err = |m: String| TraceError(format!("replay string `{text}`: {m}"));
    let mut symbols = Vec::new();
    for (i, c) in text.trim().chars().enumerate() {
        let v = value(c).ok_or_else(|| {
            err(format!("`{}` (character {}) is not a letter, a digit, `-` or `_`", c.escape_debug(), i + 1))
        })?;
        symbols.push(v);
    }
    if let Err(failure) = check::verify(&symbols) {
        let why = match failure {
            check::Failure::TooShort => "it is too short to be one (cut?)",
            check::Failure::OddLength => "it has an odd number of characters: one was added or lost",
            _ => "its last two characters do not match the others: a character was changed, added or lost",
        };
        return Err(err(format!("{why}; copy it again, exactly as `errseq explore` printed it")));
    }
    let letter = char::from(B64[usize::from(symbols[1] & 63)]);
    let scheme = key_of(program, letter).ok_or_else(|| err(format!("`{letter}` is not a scheme letter")))?;
    let payload = &symbols[2..symbols.len() - 2];
    let total = payload.len() * 6;
    let mut read = 0usize;
    let bit = |i: usize| payload.get(i / 6).is_some_and(|v| v >> (5 - i % 6) & 1 == 1);
    let trace = replay_detailed(program, scheme, fs, detail, |b, enabled| {
        let k = enabled.len();
        let w = width(k) as usize;
        if read + w > total {
            return Err(err(format!("it ends before the tasks of block {} are done", b + 1)));
        }
        let choice = (read..read + w).fold(0usize, |v, i| v << 1 | usize::from(bit(i)));
        read += w;
        enabled
            .get(choice)
            .copied()
            .ok_or_else(|| err(format!("block {}: choice {choice} of {k} tasks does not exist", b + 1)))
    })?;
    // What follows the last choice: zero bits filling its character, and
    // at most one more zero character (the one that makes the count even).
    if total - read >= 12 || (read..total).any(bit) {
        return Err(err("it goes on after the tasks are done; was it made for another scenario?".into()));
    }
    Ok(trace)
}

/// The version-1 string of `schedule`, as strings were written before
/// version 2: for tests that such strings still read. New strings are
/// version 2 ([`encode`]).
#[doc(hidden)]
pub fn encode_version_1(
    program: &Program,
    scheme: Scheme,
    fs: Fs,
    schedule: &Schedule,
) -> Result<String, TraceError> {
    let letter = SCHEMES
        .iter()
        .find(|(_, s)| *s == scheme)
        .map(|(c, _)| *c)
        .ok_or_else(|| TraceError(format!("scheme {scheme} has no replay letter")))?;
    let trace = replay_schedule(program, scheme, fs, schedule, Detail::Choices)?;
    let mut blocks: Vec<Bits> = vec![Bits::default(); program.blocks.len()];
    for step in &trace.steps {
        if let Some((b, task)) = step.task {
            let k = step.enabled.len();
            let choice = step.enabled.iter().position(|&t| t == task).unwrap_or(0);
            if let Some(bits) = blocks.get_mut(b) {
                bits.push(choice as u64, width(k));
            }
        }
    }
    let mut out = format!("{VERSION_1}{letter}");
    for b in blocks {
        out.push('.');
        out.push_str(&b.to_base64());
    }
    Ok(out)
}

fn decode_v1(program: &Program, fs: Fs, text: &str, detail: Detail) -> Result<Trace, TraceError> {
    let err = |m: String| TraceError(format!("replay string `{text}`: {m}"));
    let mut parts = text.trim().split('.');
    let head = parts.next().unwrap_or("");
    let mut chars = head.chars().skip(1);
    let letter = chars.next().ok_or_else(|| err("the scheme letter is missing after the version".into()))?;
    let scheme = scheme_of(letter).ok_or_else(|| err(format!("`{letter}` is not a scheme letter")))?;
    if chars.next().is_some() {
        return Err(err("expected `.` after the scheme letter".into()));
    }
    let blocks: Vec<&str> = parts.collect();
    if blocks.len() != program.blocks.len() {
        let n = program.blocks.len();
        return Err(err(format!("it has {} blocks; this scenario has {n} par block(s)", blocks.len())));
    }
    let mut bits: Vec<Bits> = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        bits.push(
            Bits::from_base64(b)
                .map_err(|c| err(format!("block {}: `{c}` is not a base64url character", i + 1)))?,
        );
    }
    let trace = replay_detailed(program, scheme, fs, detail, |b, enabled| {
        let k = enabled.len();
        let choice =
            bits[b].take(width(k)).ok_or_else(|| err(format!("block {} ends before its tasks do", b + 1)))?;
        enabled
            .get(choice as usize)
            .copied()
            .ok_or_else(|| err(format!("block {}: choice {choice} of {k} tasks does not exist", b + 1)))
    })?;
    for (i, b) in bits.iter().enumerate() {
        if !b.rest_is_padding() {
            return Err(err(format!(
                "block {} goes on after its tasks are done; was it made for another scenario?",
                i + 1
            )));
        }
    }
    Ok(trace)
}

/// A little-endian bit string: version 1's blocks.
#[derive(Clone, Debug, Default)]
struct Bits {
    bytes: Vec<u8>,
    len: usize,
    read: usize,
}

impl Bits {
    fn push(&mut self, value: u64, width: u32) {
        for i in 0..width {
            if self.len % 8 == 0 {
                self.bytes.push(0);
            }
            if value >> i & 1 == 1 {
                let last = self.bytes.len() - 1;
                self.bytes[last] |= 1 << (self.len % 8);
            }
            self.len += 1;
        }
    }

    fn take(&mut self, width: u32) -> Option<u64> {
        let mut v = 0;
        for i in 0..width {
            let byte = self.bytes.get(self.read / 8)?;
            v |= u64::from(byte >> (self.read % 8) & 1) << i;
            self.read += 1;
        }
        Some(v)
    }

    /// After reading: only zero bits of the last byte may remain.
    fn rest_is_padding(&self) -> bool {
        let total = self.bytes.len() * 8;
        total - self.read < 8 && (self.read..total).all(|i| self.bytes[i / 8] >> (i % 8) & 1 == 0)
    }

    fn to_base64(&self) -> String {
        let mut out = String::new();
        for chunk in self.bytes.chunks(3) {
            let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
            for i in 0..=chunk.len() {
                out.push(char::from(B64[(n >> (18 - 6 * i) & 63) as usize]));
            }
        }
        out
    }

    fn from_base64(s: &str) -> Result<Bits, char> {
        let mut sextets = Vec::new();
        for c in s.chars() {
            let v = B64.iter().position(|&b| char::from(b) == c).ok_or(c)?;
            sextets.push(v as u32);
        }
        let mut bytes = Vec::new();
        for chunk in sextets.chunks(4) {
            let n = chunk.iter().enumerate().fold(0u32, |n, (i, &v)| n | v << (18 - 6 * i));
            for i in 0..chunk.len().saturating_sub(1) {
                bytes.push((n >> (16 - 8 * i)) as u8);
            }
        }
        let len = bytes.len() * 8;
        Ok(Bits { bytes, len, read: 0 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RACE: &str =
        "schemes: linux-4.12 linux-4.13 linux-5.8\nopen a f\nopen b f\npar\n  fsync a\n  error f EIO\n  \
                        fsync b\nend\nfsync a\npar\n  error f ENOSPC\n  close b\nend\nfsync a\n";

    #[test]
    fn version_1_strings_still_decode_and_both_versions_name_the_same_interleaving() {
        let p = errseq_scenario::parse(RACE).expect("valid");
        let r = crate::check(&p, crate::Bounds::default()).expect("explores");
        let fs = p.scenario.fs();
        let mut n = 0;
        for c in &r.columns {
            let Some(scheme) = c.name.resolve().built_in() else { continue };
            for o in &c.exploration.outcomes {
                let old = encode_version_1(&r.program, scheme, fs, &o.schedule).expect("encodes");
                let new = encode(&r.program, scheme, fs, &o.schedule).expect("encodes");
                assert!(old.starts_with('1') && new.starts_with('2'), "{old} {new}");
                assert!(new.ends_with(|c: char| c.is_ascii_alphanumeric()), "{new}");
                for s in [&old, &new] {
                    let t = decode(&r.program, fs, s).expect("decodes");
                    assert_eq!(t.schedule, o.schedule, "{s}");
                    assert_eq!(t.scheme, scheme);
                }
                n += 1;
            }
        }
        assert!(n > 5);
    }

    #[test]
    fn widths() {
        assert_eq!([1, 2, 3, 4, 5, 8, 9].map(width), [0, 1, 2, 2, 3, 3, 4]);
    }

    #[test]
    fn bits_round_trip_through_base64() {
        for n in 0..40u64 {
            let mut b = Bits::default();
            for i in 0..n {
                b.push(i % 3, 2);
            }
            let mut back = Bits::from_base64(&b.to_base64()).expect("own output decodes");
            for i in 0..n {
                assert_eq!(back.take(2), Some(i % 3));
            }
            assert!(back.rest_is_padding(), "n = {n}");
        }
    }
}
