//! Counts as people read them: `1,234,567`. Interleaving counts, limits
//! and run totals are printed by the CLI, the page, the Stress view and
//! the parser's messages alike; this crate is the one they all stand on
//! (the lazily loaded Stress module needs nothing above it), so the one
//! digit grouping lives here.

use alloc::string::String;

/// 1234567 → "1,234,567". Takes `u128` so that explorer counts fit.
pub fn grouped(n: u128) -> String {
    let digits = alloc::format!("{n}");
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
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
    }
}
