//! Highlighting a scheme block's C in the text pane's mirror (issue 13,
//! point 5): keywords, comments, numbers and the atomic steps
//! (`READ_ONCE`, `WRITE_ONCE`, `cmpxchg`, `spin_lock`, `spin_unlock`),
//! each a step of the explorer, stand out.
//!
//! A lexer of its own, line by line, not the scheme language's: the
//! mirror must paint a text with mistakes too. It only colours; what the
//! C means is the language's business. It is this module's, not the
//! page's first load's: only a text that writes a scheme is painted, and
//! such a text is analysed here anyway. The page asks for the whole
//! text's paint (`paint`) once per text; until this module is loaded, the
//! text is drawn unpainted.

use errseq_page_protocol::{Paint, Painted};

/// The painted runs of every line of `text` (split at `\n`, as the
/// mirror splits it): those of a scheme block's C, none for the rest.
pub fn painted(text: &str) -> Painted {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut comment = false;
    block_lines(&lines)
        .into_iter()
        .zip(&lines)
        .map(|(c, line)| {
            let runs = if c { paint(line, &mut comment) } else { Vec::new() };
            let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
            runs.into_iter().map(|(a, b, p)| (at(a), at(b), p)).collect()
        })
        .collect()
}

const KEYWORDS: [&str; 21] = [
    "if", "else", "for", "while", "do", "break", "continue", "return", "static", "inline", "const", "void",
    "int", "unsigned", "signed", "bool", "u32", "errseq_t", "struct", "true", "false",
];

const ATOMICS: [&str; 5] = ["READ_ONCE", "WRITE_ONCE", "cmpxchg", "spin_lock", "spin_unlock"];

/// Which lines (by index) are a scheme block's C: after a top-level line
/// whose first word is `scheme`, up to the `end` alone that closes it
/// (docs/scenario-format.md). A `#` comment is the scenario's outside a
/// block only.
fn block_lines(lines: &[&str]) -> Vec<bool> {
    let mut inside = false;
    lines
        .iter()
        .map(|line| {
            if inside {
                inside = line.trim() != "end";
                return inside;
            }
            let code = line.split('#').next().unwrap_or("");
            inside = code.split_whitespace().next() == Some("scheme");
            false
        })
        .collect()
}

/// The painted runs of one line of C, in character positions, in order;
/// `comment` says whether a `/* */` comment is open when the line starts,
/// and is left saying whether one is open at its end.
fn paint(line: &str, comment: &mut bool) -> Vec<(usize, usize, Paint)> {
    let chars: Vec<char> = line.chars().collect();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        if *comment {
            i = close_of_comment(&chars, i);
            *comment = i > chars.len();
            i = i.min(chars.len());
            runs.push((start, i, Paint::Comment));
            continue;
        }
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            runs.push((i, chars.len(), Paint::Comment));
            break;
        }
        if c == '/' && next == Some('*') {
            *comment = true;
            i += 2;
            i = close_of_comment(&chars, i);
            *comment = i > chars.len();
            i = i.min(chars.len());
            runs.push((start, i, Paint::Comment));
            continue;
        }
        if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i = (i + 1).min(chars.len());
            continue;
        }
        if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_ascii_alphanumeric()) {
                i += 1;
            }
            runs.push((start, i, Paint::Number));
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' || (c == '#' && chars[..i].iter().all(|c| c.is_whitespace())) {
            i += 1;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if word.starts_with('#') || KEYWORDS.contains(&word.as_str()) {
                runs.push((start, i, Paint::Keyword));
            } else if ATOMICS.contains(&word.as_str()) {
                runs.push((start, i, Paint::Atomic));
            }
            continue;
        }
        i += 1;
    }
    runs
}

/// The position after the `*/` that closes a comment from `i` on, or
/// past the line's end when it stays open.
fn close_of_comment(chars: &[char], mut i: usize) -> usize {
    while i + 1 < chars.len() {
        if chars[i] == '*' && chars[i + 1] == '/' {
            return i + 2;
        }
        i += 1;
    }
    chars.len() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(line: &str, comment: &mut bool) -> Vec<(String, Paint)> {
        let chars: Vec<char> = line.chars().collect();
        paint(line, comment).into_iter().map(|(a, b, p)| (chars[a..b].iter().collect(), p)).collect()
    }

    #[test]
    fn keywords_atomics_numbers_and_comments_are_painted() {
        let mut open = false;
        let got = runs("\tif (old & 0x1000) // seen?", &mut open);
        assert_eq!(
            got,
            [
                ("if".into(), Paint::Keyword),
                ("0x1000".into(), Paint::Number),
                ("// seen?".into(), Paint::Comment)
            ]
        );
        let got = runs("\tcur = cmpxchg(eseq, old, new); /* one */ return", &mut open);
        assert_eq!(
            got,
            [
                ("cmpxchg".into(), Paint::Atomic),
                ("/* one */".into(), Paint::Comment),
                ("return".into(), Paint::Keyword)
            ]
        );
        assert!(!open);
        assert_eq!(runs("#define ERRSEQ_SHIFT 12", &mut open)[0], ("#define".into(), Paint::Keyword));
        // A string's words are not painted.
        assert!(runs("WARN(c, \"if %d\\\" for\", err)", &mut open).is_empty());
    }

    #[test]
    fn a_comment_goes_on_across_lines() {
        let mut open = false;
        assert_eq!(runs("x = 1; /* one", &mut open)[1], ("/* one".into(), Paint::Comment));
        assert!(open);
        assert_eq!(
            runs(" * READ_ONCE in prose", &mut open),
            [(" * READ_ONCE in prose".into(), Paint::Comment)]
        );
        assert_eq!(
            runs(" */ WRITE_ONCE", &mut open),
            [(" */".into(), Paint::Comment), ("WRITE_ONCE".into(), Paint::Atomic)]
        );
        assert!(!open);
    }

    #[test]
    fn a_texts_paint_is_its_blocks_c_line_by_line() {
        let text = "open a f\nscheme m from linux-4.17\n/* a\nb */ int\nend\n";
        let p = painted(text);
        assert_eq!(p.len(), 6, "one entry per line, the last (empty) one too");
        assert!(p[0].is_empty() && p[1].is_empty() && p[4].is_empty());
        assert_eq!(p[2], [(0, 4, Paint::Comment)]);
        assert_eq!(p[3], [(0, 4, Paint::Comment), (5, 8, Paint::Keyword)]);
    }

    #[test]
    fn only_a_blocks_body_is_c() {
        let lines =
            ["schemes: a", "scheme a from linux-4.17  # mine", "int x;", "  end  ", "open a f", "end"];
        assert_eq!(block_lines(&lines), [false, false, true, false, false, false]);
    }
}
