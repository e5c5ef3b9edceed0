//! What mail programs do to a mail, for tests (feature `test-support`):
//! quote it in a reply, rewrap it (format=flowed, RFC 3676, or hard), put
//! someone's prose between its lines.

/// How a reply quotes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quote {
    /// `> ` before each line, `> > ` on the next reply (mutt's default).
    Spaced,
    /// RFC 3676: `>` marks with nothing between them, then one blank:
    /// `> `, `>> `; an empty line becomes `>`.
    Flowed,
}

/// `text` quoted once more.
pub fn quote(text: &str, style: Quote) -> String {
    map_lines(text, |l| match style {
        Quote::Spaced => format!("> {l}"),
        Quote::Flowed if l.starts_with('>') => format!(">{l}"),
        Quote::Flowed if l.is_empty() => ">".to_owned(),
        Quote::Flowed => format!("> {l}"),
    })
}

/// `text` rewrapped to `width` columns as a format=flowed sender does: a
/// line too long is broken after its last blank that fits, the blank kept
/// at the end of the line (a soft break), the rest on a new line with the
/// same quote marks; words are never broken. With `hard`, the trailing
/// blanks are dropped, as a mail program that rewraps without
/// format=flowed leaves them.
pub fn rewrap(text: &str, width: usize, hard: bool) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let body = line.trim_start_matches(['>', ' ']);
        let marks = &line[..line.len() - body.len()];
        let mut rest = body;
        loop {
            let room = width.saturating_sub(marks.chars().count());
            if rest.chars().count() <= room {
                out.push_str(&format!("{marks}{rest}\n"));
                break;
            }
            let fits: usize = rest.char_indices().nth(room).map_or(rest.len(), |(i, _)| i);
            let Some(cut) = rest[..fits].rfind(' ').filter(|&c| c > 0 && !rest[..c].trim().is_empty()) else {
                out.push_str(&format!("{marks}{rest}\n"));
                break;
            };
            let piece = if hard { rest[..cut].trim_end() } else { &rest[..=cut] };
            out.push_str(&format!("{marks}{piece}\n"));
            rest = rest[cut + 1..].trim_start();
        }
    }
    out
}

/// `text` with a reply's prose (unquoted, between blank lines) after
/// every `every` lines, and a greeting above and a signature below.
pub fn with_prose(text: &str, every: usize) -> String {
    let mut out = String::from("On Mon, 1 Jan 2018, Someone wrote:\n");
    for (i, line) in text.lines().enumerate() {
        out.push_str(line);
        out.push('\n');
        if every > 0 && (i + 1) % every == 0 {
            out.push_str("\nI am not sure about this line; see below.\n\n");
        }
    }
    out.push_str("\nThanks,\nA. Reviewer\n-- \nsent from a mail program\n");
    out
}

fn map_lines(text: &str, f: impl Fn(&str) -> String) -> String {
    text.lines().map(|l| f(l) + "\n").collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_in_both_styles() {
        assert_eq!(quote("a\n\n> b\n", Quote::Spaced), "> a\n> \n> > b\n");
        assert_eq!(quote("a\n\n> b\n", Quote::Flowed), "> a\n>\n>> b\n");
    }

    #[test]
    fn rewrapping_keeps_quote_marks_and_soft_breaks() {
        assert_eq!(rewrap("> one two three\n", 10, false), "> one two \n> three\n");
        assert_eq!(rewrap("> one two three\n", 10, true), "> one two\n> three\n");
        assert_eq!(rewrap("> abcdefghijkl\n", 10, false), "> abcdefghijkl\n");
    }
}
