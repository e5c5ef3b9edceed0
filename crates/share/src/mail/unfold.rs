//! A block's lines back into scenario text: folds joined, and, as other
//! readings, format=flowed's soft breaks joined, lines that do not parse
//! joined to the line before, and lines joined where the link says they
//! belong (see [`mail`](super)).

use errseq_scenario::parse_unchecked;

use super::quote::Line;
use super::scan::folds;
use super::write::bare;

/// Texts longer than this are not repaired line by line: a mail's
/// scenario is a few kilobytes, and each try parses the whole text.
const MAX_REPAIR_BYTES: usize = 16_384;
/// Joins tried at most by [`repair`], and by [`guided`].
const MAX_REPAIRS: usize = 256;
const MAX_GUIDED: usize = 64;
/// A line shorter than this was not broken by a mail program's rewrap.
const MIN_BROKEN: usize = 40;

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

/// A scenario line being put together: its text and length in
/// characters, where its pieces came from, and the physical line of the
/// block so far (a soft break can split one, and a fold mark is at the
/// end of a physical line).
#[derive(Default)]
struct Open {
    line: String,
    chars: usize,
    pieces: Vec<Piece>,
    physical: String,
}

/// The block's lines with folds joined; with `flowed`, also lines ending
/// in a blank (format=flowed's soft breaks, RFC 3676).
pub(super) fn unfold(lines: &[Line<'_>], flowed: bool) -> Unfolded {
    let mut out = Unfolded::default();
    let mut open: Option<Open> = None;
    for l in lines {
        let (mut o, text, skipped) = match open.take() {
            Some(o) => {
                let text = l.text.trim_start();
                (o, text, l.text.len() - text.len())
            }
            None => (Open::default(), l.text, 0),
        };
        let column = l.prefix + l.text[..skipped].chars().count() + 1;
        o.pieces.push(Piece { line: l.number, column, start: o.chars });
        o.line.push_str(text);
        o.chars += text.chars().count();
        o.physical.push_str(text);
        if folds(&o.physical) {
            let keep = o.line.trim_end().len() - 1;
            o.chars -= o.line[keep..].chars().count();
            o.line.truncate(keep);
            o.physical.clear();
            open = Some(o);
        } else if flowed && text.ends_with(' ') && !text.trim().is_empty() {
            open = Some(o);
        } else {
            out.lines.push((o.line, o.pieces));
        }
    }
    if let Some(o) = open {
        out.lines.push((o.line, o.pieces));
    }
    out
}

/// `u` with lines that do not parse joined, one by one, to the line
/// before, until the text parses or nothing is left to join; `None` when
/// nothing was joined or the text still does not parse.
pub(super) fn repair(u: &Unfolded) -> Option<Unfolded> {
    if too_big(u) {
        return None;
    }
    let mut u = u.clone();
    for _ in 0..MAX_REPAIRS {
        let Err(diagnostics) = parse_unchecked(&u.text()) else {
            return Some(u);
        };
        let line = diagnostics.iter().map(|d| d.span.line as usize).filter(|&l| l >= 2).min()?;
        if u.lines.get(line - 2).is_none_or(|(l, _)| l.trim().is_empty()) {
            return None;
        }
        join(&mut u, line - 1);
    }
    None
}

/// `u` with lines joined to the line before wherever that makes its
/// calls agree further with `target`'s (the link's scenario, bare): a
/// line a mail program broke whose end still parses (`fsync submits`,
/// the end of a comment). Only a line after a long one (a break a
/// rewrap makes) is tried. `None` when nothing was joined.
pub(super) fn guided(u: &Unfolded, target: &str) -> Option<Unfolded> {
    if too_big(u) {
        return None;
    }
    let agreement = |u: &Unfolded| -> Option<usize> {
        let text = bare(&parse_unchecked(&u.text()).ok()?.0).to_string();
        if text == target {
            return Some(usize::MAX);
        }
        Some(text.lines().zip(target.lines()).take_while(|(a, b)| a == b).count())
    };
    let mut best = agreement(u)?;
    let mut u = u.clone();
    let (mut i, mut tries, mut joined) = (1, 0, false);
    while i < u.lines.len() && tries < MAX_GUIDED && best < usize::MAX {
        let long = u.lines[i - 1].0.chars().count() >= MIN_BROKEN;
        if long && !u.lines[i].0.trim().is_empty() {
            tries += 1;
            let mut t = u.clone();
            join(&mut t, i);
            if let Some(a) = agreement(&t).filter(|&a| a > best) {
                (best, u, joined) = (a, t, true);
                // The line after may be the same line's next piece.
                continue;
            }
        }
        i += 1;
    }
    joined.then_some(u)
}

fn too_big(u: &Unfolded) -> bool {
    u.lines.iter().map(|(l, _)| l.len() + 1).sum::<usize>() > MAX_REPAIR_BYTES
}

/// Line `i` joined to the line before: after a fold mark left at its end
/// (the next piece broken off) with nothing between, else with a blank.
fn join(u: &mut Unfolded, i: usize) {
    let (text, pieces) = u.lines.remove(i);
    let (prev, prev_pieces) = &mut u.lines[i - 1];
    if folds(prev) {
        prev.truncate(prev.trim_end().len() - 1);
    } else {
        prev.push(' ');
    }
    let start = prev.chars().count();
    prev.push_str(text.trim_start());
    prev_pieces.extend(pieces.into_iter().map(|p| Piece { start: start + p.start, ..p }));
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
        // A soft break before a fold mark: the mark still folds.
        let l = lines("# so b \n\\\n  hears\n# C:\\\n  \\\n");
        assert_eq!(unfold(&l[..5], true).text(), "# so b hears\n# C:\\\n");
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
