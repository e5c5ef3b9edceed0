//! Shared by the tests: the example files and the scenario generator (from
//! `errseq_scenario::testing`), a replay-string generator, and a small
//! deterministic random generator. Each test binary uses a part of it.
#![allow(dead_code, unused_imports)]

use std::path::{Path, PathBuf};

pub use errseq_scenario::testing::strategy::scenario;
use proptest::prelude::*;

/// Every scenario file of `examples/` and `examples/findings/`, sorted.
pub fn example_files() -> Vec<PathBuf> {
    errseq_scenario::testing::examples()
}

/// `findings/1-set-races-two-fsyncs.errseq` and the like.
pub fn short_name(path: &Path) -> String {
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    match path.parent().and_then(|p| p.file_name()) {
        Some(d) if d == "findings" => format!("findings/{file}"),
        _ => file,
    }
}

/// xorshift64*: deterministic, no dependency.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform-ish in 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A replay string, or any short text (the link carries it as given).
pub fn replay() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof!["1[a-h](\\.[A-Za-z0-9_-]{0,6}){0,3}", "[ -~é]{0,12}"])
}

/// A version-1 link made by hand from its bit string (`0`s and `1`s;
/// anything else, such as spaces, is skipped): for links the encoder
/// never writes, and to pin the encoder's bits.
pub fn link_of_bits(bits: &str) -> String {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bits: Vec<u8> = bits.bytes().filter(|b| matches!(b, b'0' | b'1')).map(|b| b - b'0').collect();
    let mut out = String::from("1");
    for chunk in bits.chunks(6) {
        let v = (0..6).fold(0usize, |v, i| v << 1 | usize::from(chunk.get(i).copied().unwrap_or(0)));
        out.push(char::from(B64[v]));
    }
    // FNV-1a over the characters so far, modulo 62.
    let hash = out.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    out.push(char::from(B64[(hash % 62) as usize]));
    out
}

/// A version-2 link made by hand from its bit string, as
/// [`link_of_bits`]: see [`link_of_bits_sealed`].
pub fn link_of_bits_v2(bits: &str) -> String {
    link_of_bits_sealed('2', bits)
}

/// A version-3 link made by hand from its bit string: see
/// [`link_of_bits_sealed`].
pub fn link_of_bits_v3(bits: &str) -> String {
    link_of_bits_sealed('3', bits)
}

/// A link of version 2 or 3 (`version`) made by hand from its bit string,
/// as [`link_of_bits`]: the characters, a zero one when needed to make
/// their count even, then the CRC-11 check, computed here bit by bit
/// (apart from the crate's table-driven code).
pub fn link_of_bits_sealed(version: char, bits: &str) -> String {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const G: u64 = 0xb85;
    let bits: Vec<u8> = bits.bytes().filter(|b| matches!(b, b'0' | b'1')).map(|b| b - b'0').collect();
    let first = B64.iter().position(|&b| char::from(b) == version).expect("a base64url version") as u64;
    let mut values: Vec<u64> = vec![first];
    for chunk in bits.chunks(6) {
        values.push((0..6).fold(0u64, |v, i| v << 1 | u64::from(chunk.get(i).copied().unwrap_or(0))));
    }
    if values.len() % 2 == 1 {
        values.push(0);
    }
    // M(x)·x^12 mod G, one bit at a time.
    let mut r: u64 = 0;
    for v in &values {
        for i in (0..6).rev() {
            r = r << 1 | (v >> i & 1);
            if r & (1 << 11) != 0 {
                r ^= G;
            }
        }
    }
    for _ in 0..12 {
        r <<= 1;
        if r & (1 << 11) != 0 {
            r ^= G;
        }
    }
    if r & 0x3f >= 62 {
        r ^= G;
    }
    values.push(r >> 6 & 0x3f);
    values.push(r & 0x3f);
    values.into_iter().map(|v| char::from(B64[v as usize])).collect()
}
