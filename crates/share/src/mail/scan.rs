//! Finding what a mail holds: the blocks between marker lines, and the
//! playground's links, whole or broken across lines.

use super::quote::Line;

/// Blocks and links read at most: a mail with more is cut there (and
/// the work stays linear in the input).
pub(super) const MAX_BLOCKS: usize = 100;
pub(super) const MAX_LINKS: usize = 200;
/// Lines a link broken across lines may take.
const MAX_LINK_LINES: usize = 200;
/// Lines a block may take: what a link carries (10,000 lines), and its
/// folds. A longer one is cut there (its end line is missing, then).
pub(super) const MAX_BLOCK_LINES: usize = 20_000;

/// A block: the lines between its markers at its depth.
#[derive(Clone, Debug)]
pub(super) struct Block<'a> {
    pub depth: usize,
    /// The begin marker's line number, and the end marker's (`None`: no
    /// end line before the next block or the end of the input).
    pub begin: usize,
    pub end: Option<usize>,
    /// The CRC-32 the end line gives for the text.
    pub check: Option<u32>,
    pub lines: Vec<Line<'a>>,
}

/// A link: where it starts and ends, its depth, the URL without blanks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct FoundLink {
    pub first: usize,
    pub last: usize,
    pub depth: usize,
    pub url: String,
}

/// `----- errseq scenario -----`, with any number (three or more) of
/// dashes, in any case.
pub(super) fn is_begin(text: &str) -> bool {
    marker(text).is_some_and(|m| m.eq_ignore_ascii_case("errseq scenario"))
}

/// `----- end of scenario (crc32 5c1e9a2b) -----` (or `end of errseq
/// scenario`, with or without the check): `Some` with the check it
/// gives, if any.
pub(super) fn end(text: &str) -> Option<Option<u32>> {
    let m = marker(text)?;
    let rest = ["end of scenario", "end of errseq scenario"].iter().find_map(|p| {
        let head = m.get(..p.len())?;
        head.eq_ignore_ascii_case(p).then(|| &m[p.len()..])
    })?;
    let check = rest.trim().strip_prefix("(crc32").and_then(|r| r.strip_suffix(')'));
    Some(check.and_then(|c| u32::from_str_radix(c.trim(), 16).ok()))
}

fn marker(text: &str) -> Option<&str> {
    let t = text.trim();
    let inner = t.trim_start_matches('-');
    let dashes_before = t.len() - inner.len();
    let middle = inner.trim_end_matches('-');
    let dashes_after = inner.len() - middle.len();
    (dashes_before >= 3 && dashes_after >= 3).then(|| middle.trim())
}

/// Whether a line of a block ends in a fold: a backslash after at least
/// one other character (a lone `\` is text).
pub(super) fn folds(text: &str) -> bool {
    let t = text.trim();
    t.len() > 1 && t.ends_with('\\')
}

/// Every block, in order of their begin markers. A begin marker inside
/// an earlier block of its depth (a fold's next piece) starts none, so
/// blocks of one depth never overlap and reading them is linear.
pub(super) fn blocks<'a>(lines: &[Line<'a>]) -> Vec<Block<'a>> {
    let mut out: Vec<Block<'a>> = Vec::new();
    let mut covered: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        if out.len() == MAX_BLOCKS {
            break;
        }
        if is_begin(l.text) && covered.get(&l.depth).is_none_or(|&last| l.number > last) {
            let b = block_from(lines, i);
            let last = b.end.or_else(|| b.lines.last().map(|l| l.number)).unwrap_or(b.begin);
            covered.insert(l.depth, last);
            out.push(b);
        }
    }
    out
}

/// The block whose begin marker is `lines[at]`: the lines at its depth up
/// to its end marker, or to the next begin marker at its depth.
fn block_from<'a>(lines: &[Line<'a>], at: usize) -> Block<'a> {
    let depth = lines[at].depth;
    let mut block = Block { depth, begin: lines[at].number, end: None, check: None, lines: Vec::new() };
    let mut continued = false;
    let mut own = lines[at + 1..].iter().filter(|l| l.depth == depth).take(MAX_BLOCK_LINES).peekable();
    while let Some(l) = own.next() {
        if !continued {
            // The end line, or the end line broken in two by format=flowed.
            let joined =
                own.peek().filter(|_| l.text.ends_with(' ')).map(|n| format!("{}{}", l.text, n.text));
            let ends = end(l.text).map(|c| (c, l.number)).or_else(|| {
                let n = own.peek()?;
                end(joined.as_deref()?).map(|c| (c, n.number))
            });
            if let Some((check, number)) = ends {
                block.end = Some(number);
                block.check = check;
                break;
            }
            if is_begin(l.text) {
                break;
            }
        }
        continued = folds(l.text);
        block.lines.push(*l);
    }
    block
}

/// Every link of this playground: a URL whose fragment starts with a
/// digit (a format version), `scenario=` or `text=`. A link in `<` and
/// `>` may run over several lines of its depth; a bare one is read to the
/// end of its line (the reader may add the next lines if it turns out
/// cut short).
pub(super) fn links(lines: &[Line<'_>]) -> Vec<FoundLink> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let mut from = 0;
        while let Some(p) = next_url(&l.text[from..]).map(|p| p + from) {
            if out.len() == MAX_LINKS {
                return out;
            }
            let bracketed = l.text[..p].ends_with('<');
            let (url, last, end) =
                if bracketed { bracketed_url(lines, i, p) } else { bare_url(l.text, p, l.number) };
            if is_ours(&url) {
                out.push(FoundLink { first: l.number, last, depth: l.depth, url });
            }
            if last != l.number {
                break;
            }
            from = end.max(p + 1);
        }
    }
    out
}

fn next_url(text: &str) -> Option<usize> {
    match (text.find("http://"), text.find("https://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The URL starting at `p` in `<…>`, across lines of the same depth up
/// to the `>` (or a blank line, or [`MAX_LINK_LINES`]), blanks dropped.
/// Its text, the line it ends on, and where it ends on its first line.
fn bracketed_url(lines: &[Line<'_>], i: usize, p: usize) -> (String, usize, usize) {
    let first = &lines[i];
    let rest = &first.text[p..];
    if let Some(close) = rest.find('>') {
        return (strip_blanks(&rest[..close]), first.number, p + close);
    }
    let mut url = strip_blanks(rest);
    let mut last = first.number;
    let next = lines[i + 1..].iter().filter(|l| l.depth == first.depth).take(MAX_LINK_LINES);
    for l in next {
        if l.is_blank() {
            break;
        }
        last = l.number;
        match l.text.find('>') {
            Some(close) => {
                url.push_str(&strip_blanks(&l.text[..close]));
                break;
            }
            None => url.push_str(&strip_blanks(l.text)),
        }
    }
    (url, last, first.text.len())
}

/// The URL starting at `p`, to the first blank or character a URL does
/// not hold here; a trailing character a link never ends in (a sentence's
/// full stop) is left out.
fn bare_url(text: &str, p: usize, number: usize) -> (String, usize, usize) {
    let rest = &text[p..];
    let len = rest.find(|c: char| c.is_whitespace() || "<>\"'`()[]{}|\\^".contains(c)).unwrap_or(rest.len());
    let url = rest[..len].trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
    (url.to_owned(), number, p + len)
}

fn strip_blanks(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A link of this playground: its fragment starts with a format version,
/// `scenario=` (a text link with its check) or `text=` (one without).
fn is_ours(url: &str) -> bool {
    url.split_once('#').is_some_and(|(_, f)| {
        f.starts_with(|c: char| c.is_ascii_digit()) || f.starts_with("scenario=") || f.starts_with("text=")
    })
}

/// The lines after `last` at `depth` that could continue a link a mail
/// program broke without a mark: one word each, up to the first that is
/// not.
pub(super) fn link_tail<'a>(
    lines: &'a [Line<'a>],
    last: usize,
    depth: usize,
) -> impl Iterator<Item = &'a str> {
    lines
        .iter()
        .filter(move |l| l.number > last && l.depth == depth)
        .take(MAX_LINK_LINES)
        .map(|l| l.text.trim())
        .take_while(|t| !t.is_empty() && !t.contains(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::super::quote::lines;
    use super::*;

    #[test]
    fn markers_in_any_dashes_and_case() {
        assert!(is_begin("----- errseq scenario -----"));
        assert!(is_begin("  --- Errseq Scenario ---"));
        assert!(!is_begin("-- errseq scenario --"));
        assert_eq!(end("----- end of scenario -----"), Some(None));
        assert_eq!(end("----- end of scenario (crc32 0000abcd) -----"), Some(Some(0xabcd)));
        assert_eq!(end("----- End of errseq scenario -----"), Some(None));
        assert_eq!(end("# ----- end of scenario -----"), None);
    }

    #[test]
    fn a_quoted_block_skips_other_depths_and_folds_are_not_markers() {
        let text = "> ----- errseq scenario -----\n> open a f  # see \\\n>   ----- end of scenario -----\nmy prose\n\n> fsync a\n> ----- end of scenario -----\n";
        let l = lines(text);
        let b = blocks(&l);
        assert_eq!(b.len(), 1);
        assert_eq!((b[0].depth, b[0].begin, b[0].end, b[0].check), (1, 1, Some(7), None));
        let texts: Vec<&str> = b[0].lines.iter().map(|l| l.text).collect();
        assert_eq!(texts, vec!["open a f  # see \\", "  ----- end of scenario -----", "fsync a"]);
    }

    #[test]
    fn links_whole_bracketed_broken_and_foreign() {
        let text = "see https://lore.kernel.org/x#m1 and <https://e.org/#2AB\n> not this\nCD\n  EF> done\nhttps://e.org/#text=open.\nhttps://e.org/#scenario=sync%0AZY\n";
        let found = links(&lines(text));
        assert_eq!(
            found,
            vec![
                FoundLink { first: 1, last: 4, depth: 0, url: "https://e.org/#2ABCDEF".into() },
                FoundLink { first: 5, last: 5, depth: 0, url: "https://e.org/#text=open".into() },
                FoundLink { first: 6, last: 6, depth: 0, url: "https://e.org/#scenario=sync%0AZY".into() },
            ]
        );
    }
}
