//! The check of version-2 links and replay strings: an even number of
//! characters, and a CRC-11 over the characters' 6-bit values that the
//! last two characters complete.
//!
//! Why every single edit shows (the crate documentation says it in words):
//!
//! - A character added or lost anywhere changes the number of characters
//!   by one, so the count is odd: refused, wherever the edit was.
//! - Read the characters as one polynomial over GF(2), six bits each,
//!   first character highest. A valid string is a multiple of `G`. A
//!   changed character adds `e(x)·x^(6k)` with `e` the XOR of the two
//!   values (nonzero, degree at most 5); two neighbours swapped add
//!   `e(x)·(x^6 + 1)·x^(6k)`. `G` has no factor `x`, so `G` divides neither
//!   unless it divides `e` or `e·(x^6 + 1)`: it divides none of these 126
//!   polynomials (degree 11 is more than 5, and the unit test
//!   `no_single_edit_is_a_multiple_of_g` divides the 63 of the second kind).
//!   So the string after the edit is not a multiple of `G`: refused.
//!
//! That holds wherever the edit is, check characters and version included,
//! since the CRC covers the whole string. Two characters at the end are
//! the fewest that can do it: a single last check character would have to
//! take 64 different values for the 64 values of one other character, and
//! a last character may take only 62 (it must be a letter or a digit).
//! Eleven bits also let damage beyond one edit through only once in 2,048
//! (once in 4,096 when the count of characters is as random as the rest).
//!
//! Text links (`scenario=`, see `crate::text`) hold characters outside
//! base64url (`%`, `.`, `~`, `&`, `=`), so their check reads each
//! character as its byte: [`remainder_bytes`], the same `G` over 8-bit
//! symbols. The argument is the same with `x^8 + 1` for `x^6 + 1`: `G` is
//! `(x + 1)(x^5 + x^3 + 1)(x^5 + x^4 + x^3 + x + 1)`, `x^8 + 1` is
//! `(x + 1)^8`, so `G` divides `e·(x^8 + 1)` only if the product of its
//! two factors of degree 5 (degree 10, prime to `x + 1`) divides `e`,
//! whose degree is at most 7: never (`no_single_byte_edit_is_a_multiple_of_g`
//! divides all 255).

/// `G = x^11 + x^9 + x^8 + x^7 + x^2 + 1`, all twelve bits (the CRC-11 of
/// FlexRay, 0x385 with its top bit left implicit).
pub const POLY: u16 = 0xb85;
const DEGREE: u32 = 11;
const MASK: u16 = (1 << DEGREE) - 1;

/// `i(x)·x^11 mod G` for every `BITS`-bit symbol `i`: the register's
/// update for one symbol, computed at compile time. `i·x^(11-BITS)` fills
/// the register's top bits; `BITS` shifts make it `i·x^11`, reduced at
/// each step.
const fn table<const N: usize>(bits: u32) -> [u16; N] {
    let mut table = [0u16; N];
    let mut i = 0;
    while i < N {
        let mut r = (i as u16) << (DEGREE - bits);
        let mut bit = 0;
        while bit < bits {
            r = if r & (1 << (DEGREE - 1)) != 0 {
                ((r << 1) & MASK) ^ (POLY & MASK)
            } else {
                (r << 1) & MASK
            };
            bit += 1;
        }
        table[i] = r;
        i += 1;
    }
    table
}

/// For 6-bit symbols (base64url characters).
const TABLE: [u16; 64] = table(6);

/// For 8-bit symbols (bytes).
const TABLE8: [u16; 256] = table(8);

/// `W(x)·x^11 mod G` for the bytes `W` read as 8-bit symbols, first
/// highest: the check of text links. Zero exactly when `W` is a multiple
/// of `G`.
pub fn remainder_bytes(bytes: &[u8]) -> u16 {
    // r·x^8 + b·x^11: the register's top eight bits go out with the byte,
    // the low three move up.
    bytes.iter().fold(0u16, |r, &b| ((r & 0x7) << 8) ^ TABLE8[usize::from((r >> 3) as u8 ^ b)])
}

/// `W(x)·x^11 mod G` for the symbols `W` (values 0 to 63), first symbol
/// highest. Zero exactly when `W` is a multiple of `G` (`G` and `x` are
/// coprime).
pub fn remainder(symbols: &[u8]) -> u16 {
    symbols.iter().fold(0u16, |r, &s| step(r, s))
}

/// One more symbol into the register: `r·x^6 + s·x^11 mod G`. The top six
/// bits of `r` go out of the register with `s` (the table reduces them);
/// the low five move up.
fn step(r: u16, s: u8) -> u16 {
    ((r & 0x1f) << 6) ^ TABLE[usize::from(((r >> 5) as u8 ^ s) & 0x3f)]
}

/// Completes `symbols` (the version character's value first, then the
/// payload): a zero symbol when needed to make the count even, then the
/// two check symbols. The last one is below 62, so its character is a
/// letter or a digit.
pub fn seal(symbols: &mut Vec<u8>) {
    if symbols.len() % 2 == 1 {
        symbols.push(0);
    }
    let [c1, c2] = check_symbols(symbols);
    symbols.push(c1);
    symbols.push(c2);
}

/// The two check symbols that complete `body` to a multiple of `G`.
///
/// `C(x)`, 12 bits, must be `M(x)·x^12 mod G` plus a multiple of `G`: the
/// remainder `R` itself, or `R + G` when R's last six bits would make the
/// last character `-` or `_` (62, 63). The low six bits of `G` are
/// 000101, so `R + G` ends in 59 or 58 then. The choice is fixed, so a
/// body has exactly one sealed form.
fn check_symbols(body: &[u8]) -> [u8; 2] {
    // remainder() is M·x^11 mod G; one more factor x gives M·x^12 mod G.
    let mut c = remainder(body) << 1;
    if c & (1 << DEGREE) != 0 {
        c ^= POLY;
    }
    if c & 0x3f >= 62 {
        c ^= POLY;
    }
    [(c >> 6) as u8 & 0x3f, c as u8 & 0x3f]
}

/// Why a string fails its check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// Fewer than four characters: no sealed string is that short (the
    /// version, at least one more, and the two check characters).
    TooShort,
    /// An odd number of characters: one was added or lost (or the string
    /// was cut).
    OddLength,
    /// The check characters do not match the others.
    Mismatch,
}

/// Whether `symbols` (version first, check last) is what [`seal`] makes of
/// its first characters. Linear in the length; allocates nothing.
pub fn verify(symbols: &[u8]) -> Result<(), Failure> {
    if symbols.len() < 4 {
        return Err(Failure::TooShort);
    }
    if symbols.len() % 2 == 1 {
        return Err(Failure::OddLength);
    }
    let (body, check) = symbols.split_at(symbols.len() - 2);
    // Equal to the sealed form implies a multiple of G, which is what the
    // argument above needs.
    if check_symbols(body) != [check[0], check[1]] {
        return Err(Failure::Mismatch);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `a(x) mod G`, bit by bit: the definition, apart from the table.
    fn modulo(mut a: u32) -> u32 {
        let g = u32::from(POLY);
        for shift in (0..=20u32.saturating_sub(DEGREE)).rev() {
            if a & (1 << (shift + DEGREE)) != 0 {
                a ^= g << shift;
            }
        }
        a
    }

    #[test]
    fn no_single_edit_is_a_multiple_of_g() {
        for e in 1u32..64 {
            // A changed character: e(x), degree at most 5 < 11.
            assert_ne!(modulo(e), 0, "e = {e:06b}");
            // Two neighbours swapped: e(x)·(x^6 + 1).
            assert_ne!(modulo(e << 6 ^ e), 0, "e = {e:06b}");
        }
        // G has no factor x: its constant term is 1.
        assert_eq!(POLY & 1, 1);
    }

    /// `a(x) mod G` for wider `a`.
    fn modulo64(mut a: u64) -> u64 {
        let g = u64::from(POLY);
        for shift in (0..=(63 - DEGREE)).rev() {
            if a & (1 << (shift + DEGREE)) != 0 {
                a ^= g << shift;
            }
        }
        a
    }

    #[test]
    fn no_single_byte_edit_is_a_multiple_of_g() {
        for e in 1u64..256 {
            // A changed byte: e(x), degree at most 7 < 11.
            assert_ne!(modulo64(e), 0, "e = {e:08b}");
            // Two neighbours swapped: e(x)·(x^8 + 1).
            assert_ne!(modulo64(e << 8 ^ e), 0, "e = {e:08b}");
        }
    }

    #[test]
    fn the_byte_table_is_the_bitwise_division() {
        for b in 0..=255u8 {
            assert_eq!(u64::from(TABLE8[usize::from(b)]), modulo64(u64::from(b) << DEGREE));
        }
        // Register updates agree with dividing bit by bit, byte after byte:
        // (r·x^8 + b·x^11) mod G.
        let bytes = b"scenario=open%20a";
        let r = bytes.iter().fold(0u64, |r, &b| modulo64(r << 8 ^ u64::from(b) << DEGREE));
        assert_eq!(u64::from(remainder_bytes(bytes)), r);
    }

    #[test]
    fn the_table_is_the_bitwise_division() {
        for s in 0..64u8 {
            assert_eq!(u32::from(TABLE[usize::from(s)]), modulo(u32::from(s) << DEGREE));
        }
        // Register updates agree with dividing the whole polynomial.
        let symbols = [54u8, 3, 63, 0, 17];
        let whole = symbols.iter().fold(0u64, |a, &s| a << 6 | u64::from(s));
        let mut a = whole << DEGREE;
        for shift in (0..=(30 + DEGREE)).rev() {
            if a & (1 << (shift + DEGREE)) != 0 {
                a ^= u64::from(POLY) << shift;
            }
        }
        assert_eq!(u64::from(remainder(&symbols)), a);
    }

    #[test]
    fn sealed_strings_verify_and_end_in_a_letter_or_digit() {
        let mut seen_high = false;
        for n in 1..200usize {
            let mut s: Vec<u8> = (0..n).map(|i| ((i * 37 + n * 11) % 64) as u8).collect();
            s[0] = 54;
            seal(&mut s);
            assert_eq!(s.len() % 2, 0);
            assert!(s[s.len() - 1] < 62);
            assert_eq!(remainder(&s), 0);
            assert_eq!(verify(&s), Ok(()));
            seen_high |= s[s.len() - 2] >= 32;
        }
        assert!(seen_high);
    }

    #[test]
    fn every_single_edit_of_a_sealed_string_fails() {
        let mut s: Vec<u8> = vec![54, 1, 2, 3, 62, 63, 0, 0, 9];
        seal(&mut s);
        for i in 0..s.len() {
            for v in 0..64u8 {
                if v != s[i] {
                    let mut t = s.clone();
                    t[i] = v;
                    assert!(verify(&t).is_err(), "changed {i} to {v}");
                }
                let mut t = s.clone();
                t.insert(i, v);
                assert_eq!(verify(&t), Err(Failure::OddLength));
            }
            let mut t = s.clone();
            t.remove(i);
            assert_eq!(verify(&t), Err(Failure::OddLength));
            if i + 1 < s.len() && s[i] != s[i + 1] {
                let mut t = s.clone();
                t.swap(i, i + 1);
                assert_eq!(verify(&t), Err(Failure::Mismatch), "swapped {i}");
            }
        }
    }
}
