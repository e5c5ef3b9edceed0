//! A block's lines back into scenario text: folds joined, and, as other
//! readings, format=flowed's soft breaks joined, and lines that do not
//! parse joined to the line before (see [`mail`](super)).

use errseq_scenario::parse_unchecked;

use super::quote::Line;
use super::scan::folds;

/// Texts longer than this are not repaired line by line (a link carries
/// at most 64 KiB of text anyway).
const MAX_REPAIR_BYTES: usize = 65_536;
/// Joins tried at most by [`repair`].
const MAX_REPAIRS: usize = 16;

/// Where a piece of a scenario line came from: the input line and column
/// (from 1) of its first character, and its place (in characters) in the
/// scenario line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece {
    pub line: usize,
    pub column: usize,
    pub start: usize,
}

/// Scenario text, line by line, with where each line's pieces came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Unfolded {
    pub lines: Vec<(String, Vec<Piece>)>,
}

impl Unfolded {
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (l, _) in &self.lines {
            out.push_str(l);
            out.push('\n');
        }
        out
    }
}

/// The block's lines with folds joined; with `flowed`, also lines ending
/// in a blank (format=flowed's soft breaks, RFC 3676).
pub(super) fn unfold(lines: &[Line<'_>], flowed: bool) -> Unfolded {
    let mut out = Unfolded::default();
    let mut open: Option<(String, Vec<Piece>)> = None;
    for l in lines {
        let (mut line, mut pieces, text, skipped) = match open.take() {
            Some((line, pieces)) => {
                let text = l.text.trim_start();
                (line, pieces, text, l.text.len() - text.len())
            }
            None => (String::new(), Vec::new(), l.text, 0),
        };
        let column = l.prefix + l.text[..skipped].chars().count() + 1;
        pieces.push(Piece { line: l.number, column, start: line.chars().count() });
        line.push_str(text);
        if folds(text) {
            line.truncate(line.trim_end().len() - 1);
            open = Some((line, pieces));
        } else if flowed && text.ends_with(' ') && !text.trim().is_empty() {
            open = Some((line, pieces));
        } else {
            out.lines.push((line, pieces));
        }
    }
    if let Some(last) = open {
        out.lines.push(last);
    }
    out
}

/// `u` with lines that do not parse joined, one by one, to the line
/// before (with a blank between, or none after a fold mark), until the text parses or nothing is
/// left to join; `None` when nothing was joined or the text still does
/// not parse.
pub(super) fn repair(u: &Unfolded) -> Option<Unfolded> {
    if u.lines.iter().map(|(l, _)| l.len() + 1).sum::<usize>() > MAX_REPAIR_BYTES {
        return None;
    }
    let mut u = u.clone();
    for _ in 0..MAX_REPAIRS {
        let Err(diagnostics) = parse_unchecked(&u.text()) else {
            return Some(u);
        };
        let line = diagnostics.iter().map(|d| d.span.line as usize).filter(|&l| l >= 2).min()?;
        let before = line - 2;
        if u.lines.get(before).is_none_or(|(l, _)| l.trim().is_empty()) {
            return None;
        }
        let (text, pieces) = u.lines.remove(line - 1);
        let (prev, prev_pieces) = &mut u.lines[before];
        // A fold mark left at the end of a line (its next piece broken
        // off) folds; otherwise the break was at a blank.
        if folds(prev) {
            prev.truncate(prev.trim_end().len() - 1);
        } else {
            prev.push(' ');
        }
        let start = prev.chars().count();
        prev.push_str(text.trim_start());
        prev_pieces.extend(pieces.into_iter().map(|p| Piece { start: start + p.start, ..p }));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::quote::lines;
    use super::*;

    #[test]
    fn folds_join_and_pieces_say_where_they_were() {
        let l = lines("> open a f  # one \\\n>   two\\\n>   three\n> fsync a\n");
        let u = unfold(&l[..4], false);
        assert_eq!(u.text(), "open a f  # one twothree\nfsync a\n");
        assert_eq!(
            u.lines[0].1,
            vec![
                Piece { line: 1, column: 3, start: 0 },
                Piece { line: 2, column: 5, start: 16 },
                Piece { line: 3, column: 5, start: 19 }
            ]
        );
    }

    #[test]
    fn soft_breaks_join_only_when_flowed() {
        let l = lines("fsync a  # still \nnothing\n");
        assert_eq!(unfold(&l[..2], false).text(), "fsync a  # still \nnothing\n");
        assert_eq!(unfold(&l[..2], true).text(), "fsync a  # still nothing\n");
    }

    #[test]
    fn repair_joins_a_line_broken_without_a_mark() {
        let l = lines("open a f  # a comment a mail\nprogram broke\nfsync a\n");
        let u = unfold(&l[..3], false);
        let fixed = repair(&u).expect("repaired");
        assert_eq!(fixed.text(), "open a f  # a comment a mail program broke\nfsync a\n");
        assert_eq!(fixed.lines[0].1[1], Piece { line: 2, column: 1, start: 29 });
    }
}
