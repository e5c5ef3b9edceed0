//! The scenario language of the errseq playground (version 1).
//!
//! A scenario is plain text, one call a line, readable in a 72-column
//! mail and typed by hand:
//!
//! ```text
//! title: fsync reports one writeback error to every open fd
//! schemes: linux-4.12 linux-4.13 linux
//!
//! open a f
//! open b f
//! write a
//! fail f EIO
//! fsync a => EIO
//! fsync b => EIO linux-4.12=0
//! ```
//!
//! [`parse`] turns text into a [`Scenario`] plus where each statement was
//! ([`SourceMap`]) and what each name refers to ([`Bindings`]), or into
//! every [`Diagnostic`] it found, each with a line, a column and a message
//! that says what to write instead. Printing a scenario (`Display`) gives
//! its canonical text, which parses back to an equal scenario. The full
//! contract is the repository's `docs/scenario-format.md`.

pub mod ast;
mod check;

pub mod diag;
pub mod inert;
pub mod limits;
mod parse;
mod print;
#[cfg(feature = "test-support")]
pub mod testing;
mod written;

pub use ast::{
    Arg, CallRef, Claim, ClaimKind, Cond, Event, Expect, Fs, Item, Name, OpenFlags, Outcome, Pages, Par,
    Place, Rwf, Scenario, SchemeBlock, Stmt, SyncRange, Verb,
};
pub use check::{Binding, Bindings, DescId, Description, FileId, WrittenScheme};
pub use diag::{Diagnostic, Severity, Span};
pub use inert::{inert, quote};
pub use parse::ClaimSource;
pub use parse::{parse_unchecked, SchemeSource, SourceMap, StmtSource, MAX_WRITTEN};

/// A scenario that parsed and passed the checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub scenario: Scenario,
    pub source: SourceMap,
    pub bindings: Bindings,
    /// Problems that do not stop evaluation.
    pub warnings: Vec<Diagnostic>,
}

/// Parses and checks scenario text. On failure, every error found (and
/// any warnings), in line order. A text past the [`limits`] is refused
/// with one error that names the limit.
pub fn parse(text: &str) -> Result<Parsed, Vec<Diagnostic>> {
    parse_with::<written::Lang>(text)
}

/// [`parse`], but the C of each scheme block is left unread: everything
/// else is checked as [`parse`] checks it, and the blocks' compiled
/// schemes are missing from `bindings.written` (so the model cannot run
/// their columns). For a caller that must not link the scheme language:
/// the page's first load, which leaves a text with scheme blocks to its
/// deferred module (`web/deferred`).
pub fn parse_leaving_schemes(text: &str) -> Result<Parsed, Vec<Diagnostic>> {
    parse_with::<written::Leave>(text)
}

fn parse_with<C: written::Compiler>(text: &str) -> Result<Parsed, Vec<Diagnostic>> {
    let sorted = |d: Vec<Diagnostic>| in_text_order(d);
    let (scenario, source) = parse::parse_unchecked(text).map_err(sorted)?;
    let (bindings, warnings) = check::check::<C>(&scenario, &source).map_err(sorted)?;
    limits::check_pages(&scenario, &source, &bindings).map_err(|d| vec![d])?;
    Ok(Parsed { scenario, source, bindings, warnings: sorted(warnings) })
}

/// Diagnostics by place (line, column, length), then severity; those at
/// one place keep the order they were found in. An unstable sort of their
/// indices, the index the last key, gives a stable sort's order with less
/// code: the standard library's stable sort is 4 KB of wasm in the page's
/// first load (BENCHMARKS.md, "Down to 200 KB").
fn in_text_order(d: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut order: Vec<usize> = (0..d.len()).collect();
    order.sort_unstable_by_key(|&i| (d[i].span, d[i].severity, i));
    let mut slots: Vec<Option<Diagnostic>> = d.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// [`parse`] for raw bytes: a byte-order mark is skipped, and text that is
/// not UTF-8 is a diagnostic too, with the line, column and byte offset of
/// the first bad byte.
pub fn parse_bytes(bytes: &[u8]) -> Result<Parsed, Vec<Diagnostic>> {
    if bytes.len() > limits::MAX_INPUT_BYTES {
        return Err(vec![limits::too_many_bytes(bytes.len())]);
    }
    let bom = if bytes.starts_with("\u{feff}".as_bytes()) { 3 } else { 0 };
    match std::str::from_utf8(&bytes[bom..]) {
        Ok(text) => parse(text),
        Err(e) => Err(vec![not_utf8(&bytes[bom..], e.valid_up_to(), bom)]),
    }
}

/// Where the first byte that is not UTF-8 is, counting lines as the
/// parser does (`\n`, `\r\n` and a lone `\r` each end one).
fn not_utf8(bytes: &[u8], at: usize, skipped: usize) -> Diagnostic {
    let good = &bytes[..at];
    let text = String::from_utf8_lossy(good);
    let mut lines = parse::lines(&text);
    let mut line = lines.by_ref().count().max(1);
    let ends_line = good.last().is_some_and(|&b| b == b'\n' || b == b'\r');
    let col = if ends_line {
        line += 1;
        1
    } else {
        parse::lines(&text).last().map_or(0, |l| l.chars().count()) + 1
    };
    let byte = bytes.get(at).copied().unwrap_or(0);
    let span = Span::new(u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(col).unwrap_or(u32::MAX), 1);
    Diagnostic::error(
        span,
        format!("the text is not UTF-8 (byte {byte:#04x} at byte offset {}); save it as UTF-8", at + skipped),
    )
}

impl Parsed {
    /// Checks a scenario built as data (by the timeline editor, by tests)
    /// the same way as typed text: print it, parse the canonical text.
    pub fn from_scenario(s: &Scenario) -> Result<Parsed, Vec<Diagnostic>> {
        parse(&s.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_sort_by_place_then_severity_keeping_the_order_found() {
        let d = |line, col, severity, message: &str| Diagnostic {
            span: Span::new(line, col, 1),
            severity,
            message: message.to_owned(),
        };
        let found = vec![
            d(3, 1, Severity::Error, "c"),
            d(1, 5, Severity::Warning, "b"),
            d(1, 5, Severity::Error, "a2"),
            d(1, 5, Severity::Error, "a1"),
            d(1, 2, Severity::Warning, "first"),
        ];
        let sorted: Vec<String> = in_text_order(found).into_iter().map(|d| d.message).collect();
        assert_eq!(sorted, ["first", "a2", "a1", "b", "c"]);
    }
}
