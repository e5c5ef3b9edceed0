//! Untrusted text made inert for terminals, mail and messages.
//!
//! Scenario text arrives from mail, chat and links anyone can craft, and
//! its free text (titles, comments, a mistyped word echoed in an error)
//! reaches terminals. A terminal obeys control characters: ESC sequences
//! set its title, clear the screen or rewrite what was printed; a bidi
//! override makes text read in another order than it runs. [`inert`] is
//! the one function every view uses to show such text: each character that
//! a terminal would act on is written as an escape instead, `\x1b` for C0
//! and DEL, `\u{85}` for C1 and the bidi and line-separator controls. A
//! backslash itself is left alone (as `ls` and `git` do), so an escape
//! reads the same as text that spells one: the point is that nothing is
//! obeyed, not that every string prints uniquely.

use std::borrow::Cow;
use std::fmt::Write;

use crate::limits::MAX_QUOTED;

/// Whether a terminal (or a mail reader) would act on `c`. `\n` and `\t`
/// are layout, not control, and pass; every other C0 control, DEL, C1,
/// the bidi embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069), the directional marks (U+200E, U+200F, U+061C) and the
/// line and paragraph separators (U+2028, U+2029) are escaped.
pub fn is_control(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{2028}' | '\u{2029}' => true,
        _ => false,
    }
}

/// Whether any byte of `s` may start a character [`is_control`] is true
/// of: bytes below 0x20 but `\n` and `\t`, DEL, 0xC2 (C1), 0xD8 (U+061C)
/// and 0xE2 (the U+2000 block). Lets [`inert`] borrow without decoding.
fn maybe_control(s: &str) -> bool {
    s.bytes().any(|b| matches!(b, 0..=8 | 0x0b..=0x1f | 0x7f | 0xc2 | 0xd8 | 0xe2))
}

/// `s` with every control character (see [`is_control`]) escaped. Linear;
/// borrows when nothing needs escaping.
pub fn inert(s: &str) -> Cow<'_, str> {
    if !maybe_control(s) || !s.chars().any(is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if !is_control(c) {
            out.push(c);
        } else if (c as u32) < 0x80 {
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
    Cow::Owned(out)
}

/// A token quoted in a message: its first [`MAX_QUOTED`] characters,
/// `…` when cut, made [`inert`]. A 10 MB word is not echoed whole.
pub fn quote(s: &str) -> String {
    match s.char_indices().nth(MAX_QUOTED) {
        Some((cut, _)) => format!("{}…", inert(&s[..cut])),
        None => inert(s).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_the_rest_passes() {
        assert_eq!(inert("title: \x1b]0;PWNED\x07\x1b[2J"), "title: \\x1b]0;PWNED\\x07\\x1b[2J");
        assert_eq!(inert("a\u{202e}b\u{2066}c\u{85}d\u{7f}"), "a\\u{202e}b\\u{2066}c\\u{85}d\\x7f");
        assert_eq!(inert("fsync a => EIO\n\tok ✗ é ∥ 日本"), "fsync a => EIO\n\tok ✗ é ∥ 日本");
        assert_eq!(inert("\r\0"), "\\x0d\\x00");
        assert!(matches!(inert("plain"), Cow::Borrowed(_)));
        // Idempotent: escaped text has nothing left to escape.
        let once = inert("\x1b\u{202e}").into_owned();
        assert_eq!(inert(&once), once);
    }

    #[test]
    fn quoting_cuts_long_tokens() {
        assert_eq!(quote("EIO"), "EIO");
        let long = "x".repeat(10_000);
        assert_eq!(quote(&long), format!("{}…", "x".repeat(MAX_QUOTED)));
        assert_eq!(quote(&"\x1b".repeat(50)), format!("{}…", "\\x1b".repeat(MAX_QUOTED)));
    }
}
