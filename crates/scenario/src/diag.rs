//! Diagnostics: what is wrong with a scenario, where, and what to do.

use std::fmt;

use crate::limits::MAX_SUGGEST_LEN;

/// A place in the text: 1-based line and column (columns count characters,
/// not bytes), and how many characters the problem spans (at least 1).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Span {
    pub line: u32,
    pub col: u32,
    pub len: u32,
}

impl Span {
    pub fn new(line: u32, col: u32, len: u32) -> Span {
        Span { line, col, len: len.max(1) }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Diagnostic {
    pub span: Span,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn error(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic { span, severity: Severity::Error, message: message.into() }
    }

    pub fn warning(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic { span, severity: Severity::Warning, message: message.into() }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `LINE:COL: message`, the form editors jump to (prefix the file name).
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "",
            Severity::Warning => "warning: ",
        };
        write!(f, "{}:{}: {kind}{}", self.span.line, self.span.col, self.message)
    }
}

/// The closest of `candidates` to a misspelt `word`, if one is close.
/// Bounded work however long `word` is: a word longer than
/// [`MAX_SUGGEST_LEN`] gets no suggestion (no keyword, errno or scheme id
/// is nearly that long), and a candidate whose length differs from the
/// word's by more than the distance allowed is skipped unmeasured.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if word.len() > 4 * MAX_SUGGEST_LEN {
        return None;
    }
    let len = word.chars().count();
    if len > MAX_SUGGEST_LEN {
        return None;
    }
    let limit = (len / 3).max(1);
    // The distance is at least the difference in length.
    candidates
        .into_iter()
        .filter(|c| c.chars().count().abs_diff(len) <= limit)
        .map(|c| (edit_distance(word, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Edit distance counting a swap of neighbours as one edit (optimal string
/// alignment), case-insensitive, so `fsnyc` suggests `fsync` and `eio` `EIO`.
/// Three rows of the table, not the whole of it.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    // prev2, prev, row: distances of a[..i-2], a[..i-1], a[..i] to b[..j].
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row = vec![0usize; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (prev[j] + 1).min(row[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(prev2[j - 2] + 1);
            }
            row[j] = best;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut row);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(suggest("fsnyc", ["fsync", "sync", "syncfs"]), Some("fsync"));
        assert_eq!(suggest("eio", ["EIO", "EDOM"]), Some("EIO"));
        assert_eq!(suggest("banana", ["fsync", "open"]), None);
        assert_eq!(suggest("EIOO", ["EIO"]), Some("EIO"));
        assert_eq!(suggest("ab", ["ba"]), Some("ba"));
        assert_eq!(suggest(&"E".repeat(65), ["EIO"]), None);
        assert_eq!(suggest(&"é".repeat(100), ["EIO"]), None);
    }
}
