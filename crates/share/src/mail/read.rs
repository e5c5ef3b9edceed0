//! Judging what a mail holds: each block read against its link, each
//! link on its own (see [`mail`](super) for the rules).

use errseq_scenario::{inert, parse_unchecked, Scenario};

use super::crc::crc32;
use super::quote::{self, Line};
use super::scan::{self, Block, FoundLink};
use super::unfold::{guided, repair, unfold, Piece, Unfolded};
use super::write::bare;
use crate::{decode, DecodeError, Kind, Shared};

/// What a pasted text is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reading {
    /// Nothing of a mail: no scenario block, no link of this playground,
    /// no quoting. Read it as a scenario file.
    NotMail,
    /// The scenarios found, in the order they start; never empty.
    Found(Vec<Found>),
}

/// Where a scenario was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Between marker lines (or, with no markers, a quoted or folded
    /// text as a whole): its first and last lines in the input, and its
    /// quote depth.
    Text { first: usize, last: usize, depth: usize },
    /// A link alone, starting on this line.
    Link { line: usize },
}

/// One scenario found in a mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub origin: Origin,
    /// The scenario text (which may still have mistakes, shown by its
    /// reader), or why there is none, in words.
    pub text: Result<String, String>,
    /// The interleaving the link names, if it names one.
    pub replay: Option<String>,
    /// What is worth knowing about how it was read: the text differs from
    /// its link, lines were joined, the title and comments are missing.
    pub notes: Vec<String>,
    /// For each line of the text, where its pieces were in the input.
    pieces: Vec<Vec<Piece>>,
}

impl Found {
    /// The input line that starts this scenario.
    pub fn line(&self) -> usize {
        match self.origin {
            Origin::Text { first, .. } => first,
            Origin::Link { line } => line,
        }
    }

    /// Where `line:column` of the text (from 1, columns in characters) is
    /// in the input; a text from a link has no place but the link's line.
    pub fn place(&self, line: usize, column: usize) -> (usize, usize) {
        let Some(pieces) = line.checked_sub(1).and_then(|i| self.pieces.get(i)) else {
            return (self.line(), 1);
        };
        let at = column.saturating_sub(1);
        match pieces.iter().rev().find(|p| p.start <= at) {
            Some(p) => (p.line, p.column + at - p.start),
            None => (self.line(), 1),
        }
    }

    /// "the scenario at lines 12-30" or "the link at line 40".
    pub fn describe(&self) -> String {
        match self.origin {
            Origin::Text { first, last, .. } => format!("the scenario at lines {first}-{last}"),
            Origin::Link { line } => format!("the link at line {line}"),
        }
    }
}

/// Every scenario `input` holds as a mail, or [`Reading::NotMail`].
pub fn read(input: &str) -> Reading {
    let lines = quote::lines(input);
    let blocks = scan::blocks(&lines);
    let links = scan::links(&lines);
    let mut found: Vec<Found> = Vec::new();
    let mut used = vec![false; links.len()];
    for (i, b) in blocks.iter().enumerate() {
        let next = blocks[i + 1..].iter().find(|n| n.depth == b.depth).map_or(usize::MAX, |n| n.begin);
        let after = b.end.unwrap_or(b.begin);
        let link = links.iter().position(|l| l.depth == b.depth && l.first > after && l.first < next);
        if let Some(k) = link {
            used[k] = true;
        }
        let link = link.map(|k| decode_link(&lines, &links[k]));
        found.push(judge(b, link));
    }
    for (l, _) in links.iter().zip(&used).filter(|(_, used)| !**used) {
        found.push(alone(l, decode_link(&lines, l)));
    }
    if found.is_empty() {
        return implicit(&lines).map_or(Reading::NotMail, |f| Reading::Found(vec![f]));
    }
    found.sort_by_key(Found::line);
    Reading::Found(dedupe(found))
}

/// A link's scenario, reading on over the next lines when it is cut
/// short at the end of its line (a mail program broke it without a mark).
fn decode_link(lines: &[Line<'_>], l: &FoundLink) -> Result<Shared, DecodeError> {
    let first = decode(&l.url);
    if !matches!(&first, Err(e) if e.kind() == Kind::CutShort) {
        return first;
    }
    let mut url = l.url.clone();
    for word in scan::link_tail(lines, l.last, l.depth) {
        url.push_str(word);
        if let Ok(shared) = decode(&url) {
            return Ok(shared);
        }
    }
    first
}

/// A reading of a block's text that parses, and its scenario.
struct Attempt {
    unfolded: Unfolded,
    text: String,
    scenario: Scenario,
    /// Lines were joined that nothing marked as broken (format=flowed's
    /// soft breaks are marks).
    joined: bool,
}

/// The block's readings that parse, in the order they are tried: as
/// written, with soft breaks joined, then (only with a check or a link to
/// confirm them) repaired. And the text as written.
fn attempts(b: &Block<'_>, with_repairs: bool, target: Option<&str>) -> (Unfolded, Vec<Attempt>) {
    let written = unfold(&b.lines, false);
    let flowed = unfold(&b.lines, true);
    let mut tries = vec![(written.clone(), false)];
    if flowed != written {
        tries.push((flowed.clone(), false));
    }
    if with_repairs {
        let fixed: Vec<Unfolded> = [&written, &flowed].into_iter().filter_map(repair).collect();
        tries.extend(fixed.into_iter().map(|u| (u, true)));
    }
    if let Some(target) = target {
        let guided: Vec<Unfolded> = tries.iter().filter_map(|(u, _)| guided(u, target)).collect();
        tries.extend(guided.into_iter().map(|u| (u, true)));
    }
    let parsed = tries
        .into_iter()
        .filter_map(|(unfolded, joined)| {
            let text = unfolded.text();
            let scenario = parse_unchecked(&text).ok()?.0;
            Some(Attempt { unfolded, text, scenario, joined })
        })
        .collect();
    (written, parsed)
}

fn bare_text(s: &Scenario) -> String {
    bare(s).to_string()
}

/// A block, read against its check and its link if it has them.
fn judge(b: &Block<'_>, link: Option<Result<Shared, DecodeError>>) -> Found {
    let last = b.end.unwrap_or_else(|| b.lines.last().map_or(b.begin, |l| l.number));
    let origin = Origin::Text { first: b.begin, last, depth: b.depth };
    let mut notes = Vec::new();
    let link = match link {
        Some(Ok(shared)) => Some(shared),
        Some(Err(e)) => {
            notes.push(format!("its link does not decode ({e}); the text is read alone"));
            None
        }
        None => None,
    };
    let target = link.as_ref().map(|l| bare_text(&l.scenario));
    let (written, attempts) = attempts(b, link.is_some() || b.check.is_some(), target.as_deref());
    let replay = link.as_ref().and_then(|l| l.replay.clone());
    let from = |a: &Attempt, notes: Vec<String>| Found {
        origin: origin.clone(),
        text: Ok(a.text.clone()),
        replay: replay.clone(),
        notes,
        pieces: a.unfolded.lines.iter().map(|(_, p)| p.clone()).collect(),
    };
    // The check says which reading is the text that was sent.
    if let Some(check) = b.check {
        if let Some(a) = attempts.iter().find(|a| crc32(&a.text) == check) {
            if a.joined {
                notes
                    .push("lines a mail program had broken were joined again (the check confirms it)".into());
            }
            return match link.as_ref().and_then(|l| with_control_characters(l, a)) {
                Some(text) => Found { text: Ok(text), ..from(a, notes) },
                None => from(a, notes),
            };
        }
        notes.push("the text is not what was sent (its check does not match)".into());
    }
    if let Some(shared) = &link {
        let wanted = bare_text(&shared.scenario);
        if let Some(a) = attempts.iter().find(|a| bare_text(&a.scenario) == wanted) {
            if a.joined {
                notes.push(
                    "lines a mail program had broken were joined again (its link confirms the calls)".into(),
                );
            }
            if b.end.is_none() {
                notes.push("it has no end line, but its link confirms the calls".into());
            }
            return from(a, notes);
        }
        if let Some(a) = attempts.first().filter(|_| b.end.is_some()) {
            notes.push(
                "its calls differ from the link after it (edited in a reply?); the text is read".into(),
            );
            return from(a, notes);
        }
        if b.end.is_none() {
            // Cut short: the link is the scenario as it was sent.
            notes.push(format!(
                "the text has no end line ({}): the mail may have been cut; this is the scenario its \
                 link carries",
                super::END
            ));
            if has_free_text(&written) {
                notes.push("the link leaves out the title and comments, which only the text has".into());
            }
            return Found {
                origin,
                text: Ok(shared.scenario.to_string()),
                replay,
                notes,
                pieces: Vec::new(),
            };
        }
        notes.push(if has_free_text(&written) {
            "the link after it carries the scenario as it was sent, without its title and comments".into()
        } else {
            "the link after it carries the scenario as it was sent".into()
        });
    }
    if b.end.is_none() {
        let text = Err(format!(
            "the scenario starting at line {} has no end line ({}) and no link to check it: \
             the mail may have been cut; copy the whole scenario",
            b.begin,
            super::END
        ));
        return Found { origin, text, replay: None, notes, pieces: Vec::new() };
    }
    match attempts.first() {
        Some(a) => from(a, notes),
        // Not readable, no link: the text as written, whose problems its
        // reader shows where they are.
        None => Found {
            origin,
            text: Ok(written.text()),
            replay: None,
            notes,
            pieces: written.lines.iter().map(|(_, p)| p.clone()).collect(),
        },
    }
}

/// A scenario with control characters: the mail shows them escaped, and
/// its link, which has them, is the scenario when the text is its inert
/// image.
fn with_control_characters(link: &Shared, a: &Attempt) -> Option<String> {
    let canonical = link.scenario.to_string();
    let shown = inert(&canonical);
    (shown != canonical && a.scenario.to_string() == shown).then_some(canonical)
}

fn has_free_text(u: &Unfolded) -> bool {
    u.lines.iter().any(|(l, _)| l.contains('#') || l.trim_start().starts_with("title:"))
}

/// A link with no block before it.
fn alone(l: &FoundLink, shared: Result<Shared, DecodeError>) -> Found {
    let origin = Origin::Link { line: l.first };
    match shared {
        Ok(s) => Found {
            origin,
            text: Ok(s.scenario.to_string()),
            replay: s.replay,
            notes: Vec::new(),
            pieces: Vec::new(),
        },
        Err(e) => Found {
            origin,
            text: Err(format!("the link at line {} does not decode: {e}", l.first)),
            replay: None,
            notes: Vec::new(),
            pieces: Vec::new(),
        },
    }
}

/// With no marker and no link: the whole input as one block, when it is
/// quoted (every line that is not blank is) or has folds, and some
/// reading of it parses.
fn implicit(lines: &[Line<'_>]) -> Option<Found> {
    let text: Vec<&Line<'_>> = lines.iter().filter(|l| !l.is_blank()).collect();
    let depth = text.iter().map(|l| l.depth).min()?;
    let quoted = depth > 0;
    let folded = text.iter().any(|l| scan::folds(l.text));
    if !quoted && !folded {
        return None;
    }
    let first = text.first()?.number;
    let last = text.last()?.number;
    let inside: Vec<Line<'_>> =
        lines.iter().filter(|l| l.number >= first && l.number <= last && l.depth == depth).copied().collect();
    let b = Block { depth, begin: first, end: Some(last), check: None, lines: inside };
    let (_, attempts) = attempts(&b, false, None);
    let r = attempts.first()?;
    Some(Found {
        origin: Origin::Text { first, last, depth },
        text: Ok(r.text.clone()),
        replay: None,
        notes: Vec::new(),
        pieces: r.unfolded.lines.iter().map(|(_, p)| p.clone()).collect(),
    })
}

/// Each scenario once: the same text found again (quoted deeper in a
/// thread) is dropped, and so is a link alone that says what a text
/// found in the mail says without its title and comments.
fn dedupe(found: Vec<Found>) -> Vec<Found> {
    let keys: Vec<Option<(String, String)>> = found
        .iter()
        .map(|f| {
            let s = parse_unchecked(f.text.as_ref().ok()?).ok()?.0;
            Some((s.to_string(), bare_text(&s)))
        })
        .collect();
    let dropped = |i: usize| -> bool {
        let Some((text, _)) = &keys[i] else { return false };
        let again = keys[..i].iter().flatten().any(|(t, _)| t == text);
        let partial = matches!(found[i].origin, Origin::Link { .. })
            && found.iter().zip(&keys).any(|(f, k)| {
                matches!(f.origin, Origin::Text { .. }) && k.as_ref().is_some_and(|(_, bare)| bare == text)
            });
        again || partial
    };
    let keep: Vec<bool> = (0..found.len()).map(|i| !dropped(i)).collect();
    found.into_iter().zip(keep).filter_map(|(f, k)| k.then_some(f)).collect()
}
