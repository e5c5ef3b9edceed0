//! The bit string of format version 1 and its characters.
//!
//! Frozen with version 1: a later version gets its own copy rather than
//! changing this one.

/// The base64url alphabet: a character's value is its index.
pub(crate) const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The value of a base64url character.
pub(crate) fn b64_value(c: char) -> Option<u8> {
    match c {
        'A'..='Z' => Some(c as u8 - b'A'),
        'a'..='z' => Some(c as u8 - b'a' + 26),
        '0'..='9' => Some(c as u8 - b'0' + 52),
        '-' => Some(62),
        '_' => Some(63),
        _ => None,
    }
}

/// The check character's value: FNV-1a (32 bits) of `bytes`, modulo 62,
/// so that it is a letter or a digit.
pub(crate) fn check_value(bytes: &[u8]) -> u8 {
    (bytes.iter().fold(FNV_BASIS, |h, &b| fnv(h, b)) % 62) as u8
}

pub(crate) const FNV_BASIS: u32 = 0x811c_9dc5;

/// One step of FNV-1a.
pub(crate) fn fnv(h: u32, b: u8) -> u32 {
    (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
}

/// Exp-Golomb codes whose prefix has more zeros than this are refused:
/// the largest number a link can hold is 2^33 - 2.
pub(crate) const MAX_UE_ZEROS: u32 = 32;

/// Bits, most significant first.
#[derive(Default)]
pub(crate) struct Writer {
    bits: Vec<bool>,
}

impl Writer {
    pub(crate) fn bit(&mut self, b: bool) {
        self.bits.push(b);
    }

    /// `v` in `n` bits (n <= 64).
    pub(crate) fn u(&mut self, n: u32, v: u64) {
        for i in (0..n).rev() {
            self.bits.push((v >> i) & 1 == 1);
        }
    }

    /// Exp-Golomb order 0: `k` zeros, then `v + 1` in `k + 1` bits.
    pub(crate) fn ue(&mut self, v: u64) {
        let x = u128::from(v) + 1;
        let k = 127 - x.leading_zeros();
        for _ in 0..k {
            self.bits.push(false);
        }
        for i in (0..=k).rev() {
            self.bits.push((x >> i) & 1 == 1);
        }
    }

    /// The bits as base64url values, the last one filled up with zeros.
    pub(crate) fn sextets(&self) -> Vec<u8> {
        self.bits
            .chunks(6)
            .map(|c| c.iter().enumerate().fold(0u8, |v, (i, &b)| v | (u8::from(b) << (5 - i))))
            .collect()
    }
}

/// The bits ran out.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Short;

/// Reads bits from base64url values.
pub(crate) struct Reader<'a> {
    sextets: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(sextets: &'a [u8]) -> Reader<'a> {
        Reader { sextets, pos: 0 }
    }

    pub(crate) fn remaining(&self) -> usize {
        (self.sextets.len() * 6).saturating_sub(self.pos)
    }

    pub(crate) fn bit(&mut self) -> Result<bool, Short> {
        let s = self.sextets.get(self.pos / 6).ok_or(Short)?;
        let b = (s >> (5 - self.pos % 6)) & 1 == 1;
        self.pos += 1;
        Ok(b)
    }

    /// `n` bits (n <= 64) as a number.
    pub(crate) fn u(&mut self, n: u32) -> Result<u64, Short> {
        if n as usize > self.remaining() {
            return Err(Short);
        }
        let mut v = 0u64;
        let mut left = n;
        while left > 0 {
            let s = u64::from(*self.sextets.get(self.pos / 6).ok_or(Short)?);
            let avail = 6 - (self.pos % 6) as u32;
            let take = avail.min(left);
            v = (v << take) | ((s >> (avail - take)) & ((1 << take) - 1));
            self.pos += take as usize;
            left -= take;
        }
        Ok(v)
    }

    /// An Exp-Golomb number; `None` when its prefix is too long.
    pub(crate) fn ue(&mut self) -> Result<Option<u64>, Short> {
        let mut zeros = 0;
        while !self.bit()? {
            zeros += 1;
            if zeros > MAX_UE_ZEROS {
                return Ok(None);
            }
        }
        let rest = self.u(zeros)?;
        Ok(Some((1u64 << zeros) - 1 + rest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_golomb_codes() {
        let mut w = Writer::default();
        for v in [0, 1, 2, 3, 6, 7, 4095, u64::from(u32::MAX)] {
            w.ue(v);
        }
        let s = w.sextets();
        let mut r = Reader::new(&s);
        for v in [0, 1, 2, 3, 6, 7, 4095, u64::from(u32::MAX)] {
            assert_eq!(r.ue(), Ok(Some(v)));
        }
        let mut w = Writer::default();
        w.ue(0);
        w.ue(1);
        w.ue(3);
        // 1 010 00100, then zero fill: 101000 100000
        assert_eq!(w.sextets(), vec![0b101000, 0b100000]);
    }

    #[test]
    fn every_character_has_its_value() {
        for (i, &c) in B64.iter().enumerate() {
            assert_eq!(b64_value(char::from(c)), Some(i as u8));
        }
        assert_eq!(b64_value('='), None);
        assert_eq!(b64_value('.'), None);
    }
}
