//! Labels and claims: the part of the language that speaks about joint
//! outcomes rather than one call at a time.
//!
//! ```text
//! par
//!   fsync a as first
//!   error f EIO
//!   fsync b
//! end
//! never first = EIO, fsync b = 0
//! exists first = 0 for linux-4.13 linux
//! ```
//!
//! A condition names a call by its label, or by its text when exactly one
//! call of the scenario reads so. `exists` holds when some interleaving
//! gives every condition at once; `never` when none does. `for` limits a
//! claim to some schemes.

use super::event::{event, scheme_name, unknown_verb};
use super::outcome::outcome;
use super::token::{expect_tokens, ETok, Tok};
use crate::ast::{CallRef, Claim, ClaimKind, Cond, Name, Verb};
use crate::diag::{Diagnostic, Span};

/// Where the parts of one claim are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimSource {
    pub keyword: Span,
    /// The call reference of each condition.
    pub conds: Vec<Span>,
    /// The schemes after `for`.
    pub schemes: Vec<Span>,
}

pub(super) fn claim_kind(word: &str) -> Option<ClaimKind> {
    match word {
        "exists" => Some(ClaimKind::Exists),
        "never" => Some(ClaimKind::Never),
        _ => None,
    }
}

/// Words that cannot be labels: they would read as something else.
const RESERVED: [&str; 6] = ["as", "for", "exists", "never", "par", "end"];

/// `as LABEL` at the end of a call, when what precedes it still fits the
/// call's shape (so an fd may itself be named `as`). Flags take any number
/// of words here: too many is for the flag checks to explain.
pub(super) fn split_label<'t, 'a>(verb: Verb, toks: &'t [Tok<'a>]) -> (&'t [Tok<'a>], Option<Tok<'a>>) {
    let shape = verb.args();
    let required = shape.iter().filter(|a| !a.is_optional()).count();
    let fits = |n: usize| n >= required && (n <= shape.len() || shape.iter().any(|a| a.is_variadic()));
    match toks {
        [args @ .., as_tok, label] if as_tok.text == "as" && fits(args.len()) => (args, Some(*label)),
        _ => (toks, None),
    }
}

pub(super) fn label(tok: Tok<'_>) -> Result<Name, Diagnostic> {
    if let Some(d) = crate::limits::name_too_long(tok.text, tok.span) {
        return Err(d);
    }
    let reserved = Verb::from_keyword(tok.text).is_some_and(Verb::reserved) || RESERVED.contains(&tok.text);
    match Name::new(tok.text) {
        Some(n) if !reserved => Ok(n),
        Some(_) => {
            Err(Diagnostic::error(tok.span, format!("`{}` is a keyword; pick another label", tok.text)))
        }
        None => Err(Diagnostic::error(
            tok.span,
            format!(
                "`{}` is not a valid label: use lower-case letters, digits and `_`, starting with a letter",
                crate::inert::quote(tok.text)
            ),
        )),
    }
}

/// Parses what follows `exists` or `never` (starting at column `col0`):
/// `COND (, COND)* [for SCHEME...]`, each COND being `CALL = RESULT`.
pub(super) fn claim(
    kind: ClaimKind,
    text: &str,
    keyword: Span,
    col0: u32,
) -> Result<(Claim, ClaimSource), Diagnostic> {
    let line = keyword.line;
    let toks = expect_tokens(text, line, col0);
    let form = format!("the form is `{} CALL = RESULT, CALL = RESULT [for SCHEME...]`", kind.keyword());
    let mut c = Claim { kind, conds: Vec::new(), schemes: Vec::new(), comment: None };
    let mut src = ClaimSource { keyword, conds: Vec::new(), schemes: Vec::new() };
    let mut pos = 0;
    loop {
        let words = leading_words(&toks, &mut pos);
        let (Some(first), Some(last)) = (words.first(), words.last()) else {
            let span = toks.get(pos).map_or(Span::new(line, col0, 1), |t| t.1);
            return Err(Diagnostic::error(span, format!("expected a call or a label here; {form}")));
        };
        if !matches!(toks.get(pos), Some((ETok::Eq, _))) {
            let span = toks.get(pos).map_or(Span::new(line, last.span.col + last.span.len, 1), |t| t.1);
            let said: Vec<String> = words.iter().take(4).map(|w| crate::inert::quote(w.text)).collect();
            return Err(Diagnostic::error(
                span,
                format!("expected `= RESULT` after `{}`; {form}", said.join(" ")),
            ));
        }
        pos += 1;
        let call = call_ref(&words)?;
        src.conds.push(Span::new(line, first.span.col, last.span.col + last.span.len - first.span.col));
        c.conds.push(Cond { call, outcome: outcome(&toks, &mut pos)? });
        match toks.get(pos) {
            None => return Ok((c, src)),
            Some((ETok::Comma, _)) => pos += 1,
            Some((ETok::Word("for"), span)) => return schemes(&toks[pos + 1..], *span, c, src),
            Some(&(_, span)) => {
                return Err(Diagnostic::error(span, format!("expected `,` or `for` here; {form}")))
            }
        }
    }
}

/// The run of words from `pos`, as tokens.
fn leading_words<'a>(toks: &[(ETok<'a>, Span)], pos: &mut usize) -> Vec<Tok<'a>> {
    let mut out = Vec::new();
    while let Some(&(ETok::Word(w), span)) = toks.get(*pos) {
        out.push(Tok { text: w, span });
        *pos += 1;
    }
    out
}

fn schemes(
    toks: &[(ETok<'_>, Span)],
    for_span: Span,
    mut c: Claim,
    mut src: ClaimSource,
) -> Result<(Claim, ClaimSource), Diagnostic> {
    for &(t, span) in toks {
        let ETok::Word(w) = t else {
            return Err(Diagnostic::error(span, "expected scheme ids after `for`, separated by spaces"));
        };
        let name = scheme_name(Tok { text: w, span })?;
        if c.schemes.contains(&name) {
            return Err(Diagnostic::error(span, format!("scheme `{name}` is listed twice")));
        }
        c.schemes.push(name);
        src.schemes.push(span);
    }
    if c.schemes.is_empty() {
        return Err(Diagnostic::error(for_span, "`for` needs at least one scheme id after it"));
    }
    Ok((c, src))
}

/// One word that is not a call is a label; otherwise the words are a call.
fn call_ref(words: &[Tok<'_>]) -> Result<CallRef, Diagnostic> {
    let first = words[0];
    match Verb::from_keyword(first.text) {
        // A call added after the first specification, alone: a label of
        // that spelling (calls take an fd).
        Some(verb) if !verb.reserved() && words.len() == 1 => label(first).map(CallRef::Label),
        Some(verb) => event(verb, first, &words[1..]).map(CallRef::Call),
        None if words.len() == 1 => label(first).map(CallRef::Label),
        None => Err(unknown_verb(first)),
    }
}
