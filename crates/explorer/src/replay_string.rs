//! Replay strings: a short, versioned name for one interleaving.
//!
//! Version 1 reads `1` `<scheme letter>` then, for each `par` block, `.`
//! and the block's choices in base64url (no padding). At each step of a
//! block, the task that moves is written as its position among the tasks
//! that could move then, in as few bits as that number of tasks needs
//! (none when only one could), least significant bit first. Steps where
//! only one task can move cost nothing, so a counterexample of three tasks
//! and thirty steps takes a handful of characters.
//!
//! Decoding replays the scenario to know how many tasks could move at each
//! step, so a string is only meaningful with the scenario it was made for;
//! one that does not fit says where it stops fitting.

use errseq::Scheme;
use errseq_model::Program;
use errseq_scenario::Fs;

use crate::scenario::Schedule;
use crate::trace::{replay_with, Trace, TraceError};

/// The version this module writes.
pub const VERSION: char = '1';

/// Scheme letters of version 1. Append new schemes; never reorder.
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

/// The replay string of `schedule` under `scheme`.
pub fn encode(program: &Program, scheme: Scheme, fs: Fs, schedule: &Schedule) -> Result<String, TraceError> {
    let letter = SCHEMES
        .iter()
        .find(|(_, s)| *s == scheme)
        .map(|(c, _)| *c)
        .ok_or_else(|| TraceError(format!("scheme {scheme} has no replay letter")))?;
    let trace = crate::trace::replay(program, scheme, fs, schedule)?;
    let mut blocks: Vec<Bits> = vec![Bits::default(); program.blocks.len()];
    for step in &trace.steps {
        if let Some((b, task)) = step.task {
            let k = step.enabled.len();
            let choice = step.enabled.iter().position(|&t| t == task).unwrap_or(0);
            blocks[b].push(choice as u64, width(k));
        }
    }
    let mut out = format!("{VERSION}{letter}");
    for b in blocks {
        out.push('.');
        out.push_str(&b.to_base64());
    }
    Ok(out)
}

/// Reopens the interleaving a replay string names.
pub fn decode(program: &Program, fs: Fs, text: &str) -> Result<Trace, TraceError> {
    let err = |m: String| TraceError(format!("replay string `{text}`: {m}"));
    let mut parts = text.trim().split('.');
    let head = parts.next().unwrap_or("");
    let mut chars = head.chars();
    match chars.next() {
        Some(VERSION) => {}
        Some(v) => {
            return Err(err(format!("version `{v}` is not one this program reads (it reads {VERSION})")))
        }
        None => return Err(err("it is empty".into())),
    }
    let letter = chars.next().ok_or_else(|| err("the scheme letter is missing after the version".into()))?;
    let scheme = SCHEMES
        .iter()
        .find(|(c, _)| *c == letter)
        .map(|(_, s)| *s)
        .ok_or_else(|| err(format!("`{letter}` is not a scheme letter")))?;
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
    let trace = replay_with(program, scheme, fs, |b, enabled| {
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

/// A little-endian bit string.
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
