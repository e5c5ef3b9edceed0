//! Quoted lines: how deep a line is quoted, and what it says.
//!
//! Mail programs quote a reply's lines with `>` and a blank (`> `); the
//! next reply adds its own (`> > `, or `>> ` as format=flowed writes it).
//! A scenario line never starts with `>`, so every `>` before the text is
//! quoting, and one blank after the last one is the quote's.

/// One line of the input: its number (from 1), quote depth, and the text
/// after the quote marks, with the number of characters they took.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Line<'a> {
    pub number: usize,
    pub depth: usize,
    pub text: &'a str,
    /// Characters before `text` on the input line.
    pub prefix: usize,
}

impl Line<'_> {
    /// Nothing but blanks after the quote marks.
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// The input's lines, unquoted. `\r\n` ends a line as `\n` does.
pub(super) fn lines(input: &str) -> Vec<Line<'_>> {
    input
        .split('\n')
        .enumerate()
        .map(|(i, raw)| {
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            let (depth, text) = unquote(raw);
            Line { number: i + 1, depth, text, prefix: raw[..raw.len() - text.len()].chars().count() }
        })
        .collect()
}

/// The depth of `raw`'s quoting and the text after it.
fn unquote(raw: &str) -> (usize, &str) {
    let mut depth = 0;
    let mut rest = raw;
    while let Some(after) = rest.trim_start_matches([' ', '\t']).strip_prefix('>') {
        depth += 1;
        rest = after;
    }
    if depth > 0 {
        rest = rest.strip_prefix(' ').unwrap_or(rest);
    }
    (depth, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_marks_of_every_style() {
        assert_eq!(unquote("open a f"), (0, "open a f"));
        assert_eq!(unquote("  fsync a"), (0, "  fsync a"));
        assert_eq!(unquote("> open a f"), (1, "open a f"));
        assert_eq!(unquote(">>   fsync a"), (2, "  fsync a"));
        assert_eq!(unquote("> > open a f"), (2, "open a f"));
        assert_eq!(unquote(">"), (1, ""));
        assert_eq!(unquote(" > x"), (1, "x"));
    }

    #[test]
    fn lines_keep_numbers_and_prefixes() {
        let l = lines("a\r\n> b\n");
        assert_eq!(l.len(), 3);
        assert_eq!((l[1].number, l[1].depth, l[1].text, l[1].prefix), (2, 1, "b", 2));
        assert!(l[2].is_blank());
    }
}
