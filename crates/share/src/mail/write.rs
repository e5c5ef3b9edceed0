//! The block a mail carries: the canonical text, inert, folded to
//! [`BLOCK_WIDTH`](super::BLOCK_WIDTH) between the marker lines; and the
//! scenario its link carries.

use errseq_scenario::{inert, Item, Par, Scenario};

use super::crc::crc32;
use super::{BEGIN, BLOCK_WIDTH};

/// The scenario's lines for a mail: the begin marker, its canonical text
/// (inert, each line folded), the end line with the text's check.
pub fn block(s: &Scenario) -> Vec<String> {
    let text = s.to_string();
    let text = inert(&text);
    let mut out = vec![BEGIN.to_owned()];
    for line in text.lines() {
        out.extend(fold(line, BLOCK_WIDTH));
    }
    out.push(end_line(&text));
    out
}

/// `----- end of scenario (crc32 5c1e9a2b) -----`: the end marker with
/// the CRC-32 of the block's text (its lines unfolded, each ending in a
/// newline).
pub fn end_line(text: &str) -> String {
    format!("----- end of scenario (crc32 {:08x}) -----", crc32(text))
}

/// `line` in pieces of at most `width` columns (see the module
/// documentation of [`mail`](super)): each piece but the last ends with
/// a backslash, the next one is indented two columns more than the line
/// and starts with a character that is not a blank. Linear in the line.
/// Only a line that cannot be cut (a width too small for its indentation)
/// stays longer.
pub fn fold(line: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let lead = chars.iter().take_while(|c| c.is_whitespace()).count();
    let indent = " ".repeat(lead + 2);
    let mut out = Vec::new();
    let mut start = 0;
    loop {
        let first = start == 0;
        let rest = &chars[start..];
        let room = if first { width } else { width.saturating_sub(indent.len()) };
        let ends_in_backslash = rest.last() == Some(&'\\') && rest.len() > 1;
        let cut = if rest.len() <= room && !ends_in_backslash { None } else { cut(rest, room, first, lead) };
        let prefix = if first { "" } else { indent.as_str() };
        match cut {
            None => {
                out.push(format!("{prefix}{}", rest.iter().collect::<String>()));
                return out;
            }
            Some(k) => {
                out.push(format!("{prefix}{}\\", rest[..k].iter().collect::<String>()));
                start += k;
            }
        }
    }
}

/// Where to cut `rest` (a piece of `rest[..k]` and a backslash within
/// `room`): after the last blank that fits, else inside a word; never
/// before a blank, and never so that the piece holds only the line's
/// indentation (`lead`, on the first piece). A rest that ends in a
/// backslash is cut just before it if nowhere else.
fn cut(rest: &[char], room: usize, first: bool, lead: usize) -> Option<usize> {
    let min = if first { lead + 1 } else { 1 };
    let last = rest.len().checked_sub(1)?;
    let before_backslash = (rest[last] == '\\' && last >= min).then_some(last);
    if rest.len() <= room {
        // It fits but ends in a backslash: the backslash goes alone.
        return before_backslash;
    }
    let max = room.saturating_sub(1).min(last);
    // A piece never starts with a blank (the reader trims it) or with
    // `>` (a reader would take it for quoting).
    let ok = |k: usize| !rest[k].is_whitespace() && rest[k] != '>';
    (min..=max)
        .rev()
        .find(|&k| ok(k) && rest[k - 1].is_whitespace())
        .or_else(|| (min..=max).rev().find(|&k| ok(k)))
        // Nowhere to cut within the width: a line ending in a backslash
        // is still cut before it (so that it reads back), longer.
        .or(before_backslash)
}

/// The scenario without what a mail's text says and its link need not:
/// the title, the comments (head notes, comment lines, comments after
/// calls, claims and `par`). Blank lines are kept where they still
/// separate something, as the parser would leave them.
pub fn bare(s: &Scenario) -> Scenario {
    Scenario {
        title: None,
        schemes: s.schemes.clone(),
        fs: s.fs,
        head_notes: Vec::new(),
        body: bare_items(&s.body),
    }
}

fn bare_items(items: &[Item]) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    for item in items {
        let kept = match item {
            Item::Note(_) => continue,
            Item::Gap if matches!(out.last(), None | Some(Item::Gap)) => continue,
            Item::Gap => Item::Gap,
            Item::Stmt(s) => Item::Stmt(errseq_scenario::Stmt { comment: None, ..s.clone() }),
            Item::Claim(c) => Item::Claim(errseq_scenario::Claim { comment: None, ..c.clone() }),
            Item::Par(p) => Item::Par(Par { items: bare_items(&p.items), comment: None }),
            Item::Scheme(b) => Item::Scheme(errseq_scenario::SchemeBlock { comment: None, ..b.clone() }),
        };
        out.push(kept);
    }
    while matches!(out.last(), Some(Item::Gap)) {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_line_stays_whole() {
        assert_eq!(fold("open a f", 72), vec!["open a f"]);
        assert_eq!(fold("", 72), vec![""]);
    }

    #[test]
    fn a_long_line_folds_at_blanks_with_a_backslash() {
        let line = "fsync a => 0 rfc-v1=EIO  # healthy again, and still nothing rewrites the page";
        assert_eq!(
            fold(line, 72),
            vec!["fsync a => 0 rfc-v1=EIO  # healthy again, and still nothing rewrites \\", "  the page"]
        );
        assert_eq!(
            fold("  fsync a  # one two three", 16),
            vec!["  fsync a  # \\", "    one two \\", "    three"]
        );
    }

    #[test]
    fn a_long_word_is_cut_inside() {
        assert_eq!(fold("title: abcdefghij", 8), vec!["title: \\", "  abcde\\", "  fghij"]);
    }

    #[test]
    fn a_line_ending_in_a_backslash_keeps_it_alone_at_the_end() {
        assert_eq!(fold("# C:\\", 72), vec!["# C:\\", "  \\"]);
        assert_eq!(fold("\\", 72), vec!["\\"]);
    }

    #[test]
    fn a_huge_line_folds_in_linear_time() {
        let line = format!("title: {}", "x".repeat(1_000_000));
        let start = std::time::Instant::now();
        let pieces = fold(&line, 72);
        assert!(pieces.iter().all(|p| p.chars().count() <= 72));
        assert!(start.elapsed() < std::time::Duration::from_secs(5), "{:?}", start.elapsed());
    }

    #[test]
    fn bare_leaves_out_the_title_and_comments_and_stray_blank_lines() {
        let (s, _) = errseq_scenario::parse_unchecked(
            "# why\ntitle: t\nfs: xfs\n\n# setup\nopen a f  # a\n\n# then\nfsync a => EIO  # b\nnever fsync a = 0  # c\n",
        )
        .expect("parses");
        assert_eq!(bare(&s).to_string(), "fs: xfs\n\nopen a f\n\nfsync a => EIO\nnever fsync a = 0\n");
    }
}
