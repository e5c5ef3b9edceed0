//! Words of a line, and the tokens of an expectation, with their places.

use crate::diag::Span;

/// A word of a line and where it is.
#[derive(Clone, Copy, Debug)]
pub(super) struct Tok<'a> {
    pub(super) text: &'a str,
    pub(super) span: Span,
}

/// Splits `s` (which starts at column `col0` of `line`) into
/// whitespace-separated words.
pub(super) fn words(s: &str, line: u32, col0: u32) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut start: Option<(usize, u32)> = None;
    let mut col = col0;
    for (i, c) in s.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some((b, c0))) => {
                out.push(Tok { text: &s[b..i], span: Span::new(line, c0, col - c0) });
                start = None;
            }
            (false, None) => start = Some((i, col)),
            _ => {}
        }
        col += 1;
    }
    if let Some((b, c0)) = start {
        out.push(Tok { text: &s[b..], span: Span::new(line, c0, col - c0) });
    }
    out
}

pub(super) fn char_len(s: &str) -> u32 {
    u32::try_from(s.chars().count()).unwrap_or(u32::MAX)
}

/// A token of an expectation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum ETok<'a> {
    Word(&'a str),
    Open,
    Close,
    Comma,
    Eq,
}

pub(super) fn expect_tokens(s: &str, line: u32, col0: u32) -> Vec<(ETok<'_>, Span)> {
    let mut out = Vec::new();
    let mut word: Option<(usize, u32)> = None;
    let mut col = col0;
    let end_word = |out: &mut Vec<_>, word: &mut Option<(usize, u32)>, i: usize, col: u32| {
        if let Some((b, c0)) = word.take() {
            out.push((ETok::Word(&s[b..i]), Span::new(line, c0, col - c0)));
        }
    };
    for (i, c) in s.char_indices() {
        let punct = match c {
            '{' => Some(ETok::Open),
            '}' => Some(ETok::Close),
            ',' => Some(ETok::Comma),
            '=' => Some(ETok::Eq),
            _ => None,
        };
        if punct.is_some() || c.is_whitespace() {
            end_word(&mut out, &mut word, i, col);
        } else if word.is_none() {
            word = Some((i, col));
        }
        if let Some(p) = punct {
            out.push((p, Span::new(line, col, 1)));
        }
        col += 1;
    }
    end_word(&mut out, &mut word, s.len(), col);
    out
}
