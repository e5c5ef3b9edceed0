//! Numbers as the Stress view shows them: digit groups, rates, percents.
//!
//! Here rather than in the view so that the view's lazily loaded module
//! needs nothing of `errseq-render` (and so of the model and explorer)
//! for the throughput run, and so that these are tested natively.

use alloc::format;
use alloc::string::String;

/// 1234567 → "1,234,567" (the core crate's grouping).
pub use errseq::digits::grouped;

/// Operations per second, to three significant figures or so.
pub fn rate(ops_per_sec: f64) -> String {
    if ops_per_sec >= 1e6 {
        format!("{:.1} M ops/s", ops_per_sec / 1e6)
    } else if ops_per_sec >= 1e3 {
        format!("{:.1} k ops/s", ops_per_sec / 1e3)
    } else {
        format!("{ops_per_sec:.0} ops/s")
    }
}

/// Parts per million as a percentage: 50_000 → "5%".
pub fn percent(ppm: u32) -> String {
    format!("{}%", f64::from(ppm) / 10_000.0)
}

/// `part` of `whole` as a percentage with one decimal ("12.5%"); "—"
/// when `whole` is 0.
pub fn share(part: u128, whole: u128) -> String {
    if whole == 0 {
        return String::from("—");
    }
    // f64 is exact enough for a display with one decimal.
    format!("{:.1}%", part as f64 * 100.0 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(100), "100");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(u128::from(u64::MAX)), "18,446,744,073,709,551,615");
        assert_eq!(rate(12_345_678.0), "12.3 M ops/s");
        assert_eq!(rate(2_500.0), "2.5 k ops/s");
        assert_eq!(rate(12.0), "12 ops/s");
        assert_eq!(percent(50_000), "5%");
        assert_eq!(percent(1_000), "0.1%");
        assert_eq!(share(1, 8), "12.5%");
        assert_eq!(share(0, 0), "—");
    }
}
