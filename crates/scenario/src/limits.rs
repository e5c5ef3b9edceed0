//! How big a scenario may be: the documented limits, in one place.
//!
//! Every command's work grows with the text, so the text is bounded, and
//! a text past a bound is refused before any work is spent on it, with a
//! message that names the bound. The parser enforces these
//! ([`crate::parse_bytes`], [`crate::parse`]); the CLI also stops reading
//! a file past [`MAX_INPUT_BYTES`], so `/dev/zero` is refused, not read
//! into memory. Where a limit overlaps one of the share links' (the name
//! length), the number is the same, so a name the parser accepts a link
//! can carry. The links' other limits are smaller (a link must fit a
//! URL); those are the link codec's (`crates/share`).

use std::collections::{HashMap, HashSet};

use crate::ast::{Event, Name, Scenario};
use crate::check::Bindings;
use crate::diag::{Diagnostic, Span};
use crate::parse::SourceMap;

/// Bytes of scenario text: 16 MiB, about a million events.
pub const MAX_INPUT_BYTES: usize = 16 << 20;
/// Lines of scenario text (2^20).
pub const MAX_LINES: usize = 1 << 20;
/// Characters of one fd, file or label name (as in share links).
pub const MAX_NAME_LEN: usize = 256;
/// Distinct names (fds, files and labels together). Each file and each
/// open description is a part of every state the model keeps, and
/// syncfs takes a step per file.
pub const MAX_NAMES: usize = 16_384;
/// Distinct pages written or read, over all files. Each page is nine
/// cells of every state (and a few bits of the model's indexes); a
/// whole-file `fail` or `heal` and a state dump visit each of a file's
/// pages.
pub const MAX_PAGES: usize = 65_536;
/// Characters of a token quoted in a message; the rest is cut (`…`).
pub const MAX_QUOTED: usize = 40;
/// Words longer than this get no did-you-mean (no keyword, errno or
/// scheme id is nearly that long).
pub const MAX_SUGGEST_LEN: usize = 64;

/// `1,048,576`: limits in messages read as they do in the docs.
pub(crate) fn thousands(n: usize) -> String {
    errseq::digits::grouped(n as u128)
}

/// Input that did not end within [`MAX_INPUT_BYTES`] (what a reader that
/// stops there can say).
pub fn input_too_big() -> Diagnostic {
    Diagnostic::error(
        Span::new(1, 1, 1),
        format!(
            "the text is larger than {} bytes (16 MiB), more than errseq reads: split it",
            thousands(MAX_INPUT_BYTES)
        ),
    )
}

/// The text is too big to read at all.
pub fn too_many_bytes(len: usize) -> Diagnostic {
    Diagnostic::error(
        Span::new(1, 1, 1),
        format!(
            "the text is {} bytes; errseq reads scenarios of at most {} bytes (16 MiB): split it",
            thousands(len),
            thousands(MAX_INPUT_BYTES)
        ),
    )
}

/// Refuses a text of more than [`MAX_INPUT_BYTES`] bytes or
/// [`MAX_LINES`] lines, before parsing it. Lines end at `\n`, `\r\n` or a
/// lone `\r`, as the parser reads them.
pub(crate) fn check_text(text: &str) -> Result<(), Diagnostic> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(too_many_bytes(text.len()));
    }
    let bytes = text.as_bytes();
    let mut lines = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        let ends = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        if ends {
            lines += 1;
            if lines > MAX_LINES {
                let line = u32::try_from(lines).unwrap_or(u32::MAX);
                return Err(Diagnostic::error(
                    Span::new(line, 1, 1),
                    format!(
                        "the text has more than {} lines, more than errseq reads: split it",
                        thousands(MAX_LINES)
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// A name longer than [`MAX_NAME_LEN`].
pub(crate) fn name_too_long(text: &str, span: Span) -> Option<Diagnostic> {
    let n = text.chars().count();
    (n > MAX_NAME_LEN).then(|| {
        Diagnostic::error(
            span,
            format!("this name has {} characters; names have at most {MAX_NAME_LEN}", thousands(n)),
        )
    })
}

/// Refuses a scenario with more than [`MAX_NAMES`] distinct names, at the
/// line of the first name past the limit.
pub(crate) fn check_names(s: &Scenario, source: &SourceMap) -> Result<(), Diagnostic> {
    let mut seen: HashSet<&Name> = HashSet::new();
    for (event, (stmt, _)) in s.stmts().enumerate() {
        let names = event_names(&stmt.event).into_iter().chain(stmt.label.as_ref());
        for name in names {
            if seen.insert(name) && seen.len() > MAX_NAMES {
                let span = source.events.get(event).map_or(Span::new(1, 1, 1), |e| e.verb);
                return Err(Diagnostic::error(
                    span,
                    format!(
                        "`{name}` is name number {}; a scenario has at most {} names (fds, files and labels)",
                        thousands(seen.len()),
                        thousands(MAX_NAMES)
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn event_names(e: &Event) -> Vec<&Name> {
    match e {
        Event::Open { fd, file, .. } => vec![fd, file],
        Event::Dup { new, fd } => vec![new, fd],
        Event::Fail { file, .. }
        | Event::Heal { file, .. }
        | Event::Writeback { file }
        | Event::Error { file, .. }
        | Event::Flush { file }
        | Event::Evict { file } => vec![file],
        _ => e.fd().into_iter().collect(),
    }
}

/// Refuses a scenario that writes or reads more than [`MAX_PAGES`]
/// distinct pages, at the first call past the limit. (A page read is part
/// of the model's state like one written.)
pub(crate) fn check_pages(s: &Scenario, source: &SourceMap, b: &Bindings) -> Result<(), Diagnostic> {
    let mut seen: HashMap<(usize, u32), ()> = HashMap::new();
    for (event, ((stmt, _), binding)) in s.stmts().zip(&b.events).enumerate() {
        let (
            Event::Write { page, .. } | Event::MmapWrite { page, .. } | Event::Read { page, .. },
            Some(file),
        ) = (&stmt.event, binding.file)
        else {
            continue;
        };
        if seen.insert((file, *page), ()).is_none() && seen.len() > MAX_PAGES {
            let span = source.events.get(event).map_or(Span::new(1, 1, 1), |e| e.verb);
            let (what, how) = match stmt.event {
                Event::Read { .. } => ("read is of", "writes and reads"),
                _ => ("write is to", "writes"),
            };
            return Err(Diagnostic::error(
                span,
                format!(
                    "this {what} distinct page number {}; a scenario {how} at most {} distinct pages",
                    thousands(seen.len()),
                    thousands(MAX_PAGES)
                ),
            ));
        }
    }
    Ok(())
}
