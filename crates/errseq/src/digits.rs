//! Counts as people read them: `1,234,567`. Interleaving counts, limits
//! and run totals are printed by the CLI, the page, the Stress view and
//! the parser's messages alike; this crate is the one they all stand on
//! (the lazily loaded Stress module needs nothing above it), so the one
//! digit grouping lives here.

use alloc::string::String;
use alloc::vec::Vec;

/// 1234567 → "1,234,567". Takes `u128` so that explorer counts fit.
pub fn grouped(n: u128) -> String {
    let digits = decimal(n);
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, &d) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(char::from(d));
    }
    out
}

/// `n`'s decimal digits, most significant first, by long division on
/// 32-bit limbs. Not `format!("{n}")`: `u128`'s formatting is a kilobyte
/// of code in a wasm module (the page's first load links this for the
/// parser's messages about its limits).
fn decimal(n: u128) -> Vec<u8> {
    let mut limbs = [(n >> 96) as u32, (n >> 64) as u32, (n >> 32) as u32, n as u32];
    let mut digits = Vec::new();
    loop {
        let mut rem = 0u64;
        for limb in &mut limbs {
            let cur = (rem << 32) | u64::from(*limb);
            *limb = (cur / 10) as u32;
            rem = cur % 10;
        }
        digits.push(b'0' + rem as u8);
        if limbs == [0; 4] {
            break;
        }
    }
    digits.reverse();
    digits
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn groups_of_three_from_the_right() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(1_048_576), "1,048,576");
        assert_eq!(grouped(u128::MAX), "340,282,366,920,938,463,463,374,607,431,768,211,455");
        assert_eq!(grouped(1 << 64), "18,446,744,073,709,551,616");
        for n in [1u128, 9, 10, 4_294_967_295, 4_294_967_296, 10u128.pow(19), (1 << 96) + 7] {
            assert_eq!(grouped(n).replace(',', ""), alloc::format!("{n}"));
        }
    }
}
