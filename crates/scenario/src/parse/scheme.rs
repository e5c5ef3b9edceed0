//! `scheme NAME from BASE` ... `end`: a block of the scheme language
//! (docs/scheme-language.md) inside a scenario.
//!
//! The block's lines are not scenario text: `#` starts a preprocessor
//! line there, not a comment, and nothing is split into words. They are
//! kept as written, minus trailing blanks, until a line that is `end`
//! alone, so the C keeps its columns (a diagnostic of the scheme
//! language lands on the scenario's line:col) and the canonical text
//! carries it byte for byte. Only the `scheme` line is read as the
//! scenario reads a line. Checking the C is the checker's
//! (`crate::check`), so a formatter can print a block that does not
//! compile yet.

use errseq::{Scheme, SchemeName, WrittenName};

use super::token::Tok;
use crate::ast::SchemeBlock;
use crate::diag::{suggest, Diagnostic, Span};
use crate::inert::quote;

/// The most schemes one scenario may write: each is a column that every
/// evaluation and exploration runs, and a letter of replay strings.
pub const MAX_WRITTEN: usize = 16;

/// Where a scheme block is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemeSource {
    /// The `scheme` keyword.
    pub keyword: Span,
    pub name: Span,
    pub base: Span,
    /// The line of the block's first line of C (the one after `scheme`).
    pub first_line: u32,
}

/// A block being read: its header, if the `scheme` line was well formed,
/// and the lines so far.
pub(super) struct OpenBlock {
    pub keyword: Span,
    pub header: Option<(WrittenName, Scheme, SchemeSource)>,
    pub lines: Vec<String>,
    pub comment: Option<String>,
    /// Whether the block goes into the scenario (not when it stands
    /// inside a `par` block, which is an error).
    pub keep: bool,
}

impl OpenBlock {
    pub fn into_block(self) -> Option<(SchemeBlock, SchemeSource)> {
        let (name, base, src) = self.header?;
        self.keep.then_some((SchemeBlock { name, base, lines: self.lines, comment: self.comment }, src))
    }
}

/// What one line inside a block is.
pub(super) enum BlockLine<'a> {
    /// `end` alone: the block is closed.
    End,
    /// `end # ...`: closed, but the comment would be lost.
    EndWithComment,
    Code(&'a str),
}

pub(super) fn block_line(line: &str) -> BlockLine<'_> {
    let t = line.trim();
    if t == "end" {
        return BlockLine::End;
    }
    match t.strip_prefix("end") {
        Some(rest) if rest.trim_start().starts_with('#') => BlockLine::EndWithComment,
        _ => BlockLine::Code(line.trim_end()),
    }
}

/// Reads `scheme NAME from BASE` (its words, comment removed). Errors
/// name the form; `defined` are the names of earlier blocks.
pub(super) fn header(
    toks: &[Tok<'_>],
    defined: &[WrittenName],
) -> Result<(WrittenName, Scheme, SchemeSource), Diagnostic> {
    let form = "a scheme block starts `scheme NAME from BASE`, as in `scheme mine from linux-4.17`";
    let (keyword, name, from, base) = match toks {
        [k, n, f, b] => (*k, *n, *f, *b),
        [_, _, _, _, extra, ..] => {
            return Err(Diagnostic::error(extra.span, format!("unexpected `{}`: {form}", quote(extra.text))));
        }
        _ => {
            let at = toks.last().map_or(Span::new(1, 1, 1), |t| t.span);
            return Err(Diagnostic::error(Span::new(at.line, at.col + at.len, 1), form));
        }
    };
    if from.text != "from" {
        return Err(Diagnostic::error(from.span, format!("expected `from` here: {form}")));
    }
    let written = match WrittenName::new(name.text) {
        Some(w) => w,
        None => {
            let why = WrittenName::why_not(name.text).unwrap_or("not a scheme name");
            return Err(Diagnostic::error(name.span, format!("`{}`: {why}", quote(name.text))));
        }
    };
    if defined.contains(&written) {
        return Err(Diagnostic::error(
            name.span,
            format!("scheme `{written}` is written twice; give this one another name"),
        ));
    }
    if defined.len() >= MAX_WRITTEN {
        return Err(Diagnostic::error(
            keyword.span,
            format!("a scenario writes at most {MAX_WRITTEN} schemes; compare fewer at once"),
        ));
    }
    let base_scheme = base_id(base)?;
    let src = SchemeSource {
        keyword: keyword.span,
        name: name.span,
        base: base.span,
        first_line: keyword.span.line + 1,
    };
    Ok((written, base_scheme, src))
}

/// The base: a built-in scheme with a source in the scheme language.
fn base_id(tok: Tok<'_>) -> Result<Scheme, Diagnostic> {
    let bases: Vec<&str> = Scheme::ALL
        .into_iter()
        .chain(Scheme::VARIANTS)
        .filter(|s| errseq_lang::is_base(*s))
        .map(Scheme::id)
        .collect();
    let list = || bases.join(", ");
    match SchemeName::parse(tok.text) {
        Some(SchemeName::Exact(s)) if errseq_lang::is_base(s) => Ok(s),
        Some(SchemeName::Exact(s)) => Err(Diagnostic::error(
            tok.span,
            format!(
                "a scheme cannot start from {s}: it has no errseq_t word functions to inherit; start from {}",
                list()
            ),
        )),
        Some(_) => Err(Diagnostic::error(
            tok.span,
            format!(
                "`linux` moves to each newer kernel; a scheme starts from an exact version, such as `{}`",
                Scheme::LATEST
            ),
        )),
        None => {
            let hint = match suggest(tok.text, bases.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("bases are {}", list()),
            };
            Err(Diagnostic::error(tok.span, format!("unknown base scheme `{}`; {hint}", quote(tok.text))))
        }
    }
}
