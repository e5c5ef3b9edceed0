//! What follows `=>`: a result, a set of results, and results for
//! some schemes only.

use std::collections::BTreeSet;

use errseq::Ret;

use super::event::{errno, scheme_name};
use super::token::{expect_tokens, ETok, Tok};
use crate::ast::{Expect, Outcome};
use crate::diag::{Diagnostic, Span};
use crate::inert::quote;
use crate::limits;

const RESULT_FORMS: &str =
    "`0`, an errno such as `EIO`, a page version such as `v1` (a read's), or a set such as `{0, EIO}`";

/// `[OUTCOME] (SCHEME=OUTCOME)*`, and where each override's scheme is.
pub(super) fn expectation(text: &str, line: u32, col0: u32) -> Result<(Expect, Vec<Span>), Diagnostic> {
    let toks = expect_tokens(text, line, col0);
    let mut pos = 0;
    let mut expect = Expect::default();
    let mut spans = Vec::new();
    let starts_override = |pos: usize| matches!(toks.get(pos + 1), Some((ETok::Eq, _)));
    if toks.is_empty() {
        return Err(Diagnostic::error(
            Span::new(line, col0 - 2, 2),
            format!("`=>` needs a result: {RESULT_FORMS}"),
        ));
    }
    if !starts_override(pos) {
        expect.default = Some(outcome(&toks, &mut pos)?);
    }
    while let Some(&(tok, span)) = toks.get(pos) {
        let ETok::Word(w) = tok else {
            return Err(Diagnostic::error(span, "expected `SCHEME=RESULT` here, as in `linux-4.12=0`"));
        };
        let name = scheme_name(Tok { text: w, span })?;
        if !starts_override(pos) {
            let w = quote(w);
            return Err(Diagnostic::error(span, format!("`{w}` needs `=RESULT` after it, as in `{w}=0`")));
        }
        pos += 2;
        if expect.overrides.iter().any(|(n, _)| *n == name) {
            return Err(Diagnostic::error(
                span,
                format!("`{}` has two expectations on this line; keep one", quote(w)),
            ));
        }
        let o = outcome(&toks, &mut pos)?;
        expect.overrides.push((name, o));
        spans.push(span);
    }
    Ok((expect, spans))
}

pub(super) fn outcome(toks: &[(ETok<'_>, Span)], pos: &mut usize) -> Result<Outcome, Diagnostic> {
    let Some(&(tok, span)) = toks.get(*pos) else {
        let end = toks.last().map_or(Span::new(0, 0, 1), |t| t.1);
        return Err(Diagnostic::error(
            Span::new(end.line, end.col + end.len, 1),
            format!("expected a result: {RESULT_FORMS}"),
        ));
    };
    *pos += 1;
    match tok {
        ETok::Word(w) => result(w, span).map(Outcome::Is),
        ETok::Open => set(toks, pos, span),
        _ => Err(Diagnostic::error(span, format!("expected a result: {RESULT_FORMS}"))),
    }
}

fn set(toks: &[(ETok<'_>, Span)], pos: &mut usize, open: Span) -> Result<Outcome, Diagnostic> {
    let mut members = BTreeSet::new();
    loop {
        match toks.get(*pos) {
            Some(&(ETok::Word(w), span)) => {
                members.insert(result(w, span)?);
                *pos += 1;
            }
            Some(&(ETok::Close, span)) if members.is_empty() => {
                return Err(Diagnostic::error(
                    span,
                    "an empty set allows nothing: list results, as in `{0, EIO}`",
                ));
            }
            Some(&(_, span)) => {
                return Err(Diagnostic::error(span, format!("expected a result in the set: {RESULT_FORMS}")))
            }
            None => return Err(Diagnostic::error(open, "this `{` is never closed: end the set with `}`")),
        }
        match toks.get(*pos) {
            Some((ETok::Comma, _)) => *pos += 1,
            Some((ETok::Close, _)) => {
                *pos += 1;
                return Ok(Outcome::AnyOf(members));
            }
            Some(&(_, span)) => {
                return Err(Diagnostic::error(span, "separate results in a set with `,` and end it with `}`"))
            }
            None => return Err(Diagnostic::error(open, "this `{` is never closed: end the set with `}`")),
        }
    }
}

fn result(word: &str, span: Span) -> Result<Ret, Diagnostic> {
    if word == "0" {
        return Ok(Ret::OK);
    }
    if let Some(digits) = word.strip_prefix('v') {
        return version(word, digits, span);
    }
    errno(Tok { text: word, span }).map(Ret::err).map_err(|d| {
        if word.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            Diagnostic::error(
                span,
                format!("`{}` is not a result: write `0` or an errno name such as `EIO`", quote(word)),
            )
        } else if word.starts_with('V') && word.len() > 1 && word[1..].bytes().all(|b| b.is_ascii_digit()) {
            Diagnostic::error(span, format!("page versions are lower case: write `v{}`", &word[1..]))
        } else {
            d
        }
    })
}

/// A read's result: `vN`, the page's N-th written version (`v0`: what it
/// held before the scenario), N in decimal digits.
fn version(word: &str, digits: &str, span: Span) -> Result<Ret, Diagnostic> {
    let number = (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse::<u32>().ok())
        .flatten();
    match number {
        Some(v) if v <= MAX_VERSION => Ok(Ret::version(v)),
        _ => Err(Diagnostic::error(
            span,
            format!(
                "`{}` is not a page version: write `v` and a whole number from 0 to {MAX_VERSION} \
                 (`v0`: the page before the scenario wrote it; `v1`: its first write)",
                quote(word)
            ),
        )),
    }
}

/// The largest version a result may name: a page has at most one version
/// per line of text, and a text has at most [`limits::MAX_LINES`] lines.
const MAX_VERSION: u32 = limits::MAX_LINES as u32;
