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
mod claim;
pub mod diag;
mod parse;
mod print;
#[cfg(feature = "test-support")]
pub mod testing;

pub use ast::{
    Arg, CallRef, Claim, ClaimKind, Cond, Event, Expect, Fs, Item, Name, OpenFlags, Outcome, Pages, Par,
    Place, Rwf, Scenario, Stmt, SyncRange, Verb,
};
pub use check::{Binding, Bindings, DescId, Description, FileId};
pub use claim::ClaimSource;
pub use diag::{Diagnostic, Severity, Span};
pub use parse::{parse_unchecked, SourceMap, StmtSource};

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
/// any warnings), in line order.
pub fn parse(text: &str) -> Result<Parsed, Vec<Diagnostic>> {
    let sorted = |mut d: Vec<Diagnostic>| {
        d.sort_by_key(|d| (d.span, d.severity));
        d
    };
    let (scenario, source) = parse::parse_unchecked(text).map_err(sorted)?;
    let (bindings, warnings) = check::check(&scenario, &source).map_err(sorted)?;
    Ok(Parsed { scenario, source, bindings, warnings: sorted(warnings) })
}

/// [`parse`] for raw bytes: text that is not UTF-8 is a diagnostic too.
pub fn parse_bytes(bytes: &[u8]) -> Result<Parsed, Vec<Diagnostic>> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let col = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
            let byte = bytes[e.valid_up_to()];
            let span =
                Span::new(u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(col).unwrap_or(u32::MAX), 1);
            Err(vec![Diagnostic::error(
                span,
                format!("the text is not UTF-8 (byte {byte:#04x}); save it as UTF-8"),
            )])
        }
    }
}

impl Parsed {
    /// Checks a scenario built as data (by the timeline editor, by tests)
    /// the same way as typed text: print it, parse the canonical text.
    pub fn from_scenario(s: &Scenario) -> Result<Parsed, Vec<Diagnostic>> {
        parse(&s.to_string())
    }
}
