//! Text to [`Scenario`]: a line-oriented parser that keeps going after an
//! error, so an editor can show every problem at once.
//!
//! Each line is split at its first `#` (a comment), then at `=>` (the
//! expectation). What is left is a header (`key: value`), `par`, `end`, or
//! a call, whose arguments are checked against [`Verb::args`]. Nothing
//! here panics on any input: every index is a char boundary found by
//! iteration, and numbers are parsed with overflow checks.
//!
//! The folder's files, in the order a line meets them:
//! - `token`: words and expectation tokens, shared by every parser below;
//! - `event`: a call's verb and arguments (names, pages, errnos, flags);
//! - `outcome`: what follows `=>` (results, sets, scheme-only results);
//! - `claim`: labels and the `exists`/`never` claims, built from the three
//!   above.
//!
//! Dependencies point one way (this file → claim → outcome → event →
//! token), so no two of them import each other.

mod claim;
mod event;
mod outcome;
mod scheme;
mod token;

use errseq::{SchemeName, WrittenName};

use crate::ast::{Fs, Item, Par, Scenario, Stmt, Verb};
use crate::diag::{suggest, Diagnostic, Span};
use crate::inert::quote;
use crate::limits;

pub use claim::ClaimSource;
use claim::{claim, claim_kind, label, split_label};
use event::{event, scheme_name, unknown_scheme, unknown_verb};
use outcome::expectation;
use scheme::{block_line, BlockLine, OpenBlock};
pub use scheme::{SchemeSource, MAX_WRITTEN};
use token::{char_len, words, Tok};

/// Where the parts of one statement are in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StmtSource {
    pub verb: Span,
    /// One span per argument written (write's page only if written).
    pub args: Vec<Span>,
    /// The label after `as`.
    pub label: Option<Span>,
    /// From `=>` to the end of the expectation.
    pub expect: Option<Span>,
}

impl StmtSource {
    pub fn line(&self) -> u32 {
        self.verb.line
    }
}

/// Positions of the statements, by event number (text order).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceMap {
    pub events: Vec<StmtSource>,
    /// The `par` line of each block, by block number.
    pub blocks: Vec<Span>,
    /// By claim number (text order).
    pub claims: Vec<ClaimSource>,
    /// By scheme block (text order).
    pub schemes: Vec<SchemeSource>,
}

/// The parser's state between lines.
#[derive(Default)]
struct Parser {
    scenario: Scenario,
    source: SourceMap,
    errors: Vec<Diagnostic>,
    /// Notes and gaps seen before the first header or event: they become
    /// head notes if a header follows, body items otherwise.
    pending: Vec<Item>,
    in_body: bool,
    /// The open `par` block and its span.
    par: Option<(Par, Span)>,
    /// Which headers were given, for duplicates.
    seen_headers: Vec<&'static str>,
    /// The scheme block being read.
    scheme: Option<OpenBlock>,
    /// The names of the scheme blocks read so far (well-formed or not).
    written: Vec<WrittenName>,
    /// Every use of a name that no built-in scheme has, to be checked
    /// against the blocks once all are read.
    written_uses: Vec<(WrittenName, Span, String)>,
}

/// The lines of `text`: each ends at `\n`, `\r\n` or a lone `\r` (the
/// line ending of old Mac files; read as one line, such a file would lose
/// everything after a header into its value). A last line with no ending
/// counts; nothing after the last ending does.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (line, next) = match rest.find(['\n', '\r']) {
            Some(i) if rest[i..].starts_with("\r\n") => (&rest[..i], &rest[i + 2..]),
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        rest = next;
        Some(line)
    })
}

/// Parses without the scenario checks (fd table rules): what a formatter
/// needs, since it must work on scenarios whose fds are still wrong. A
/// byte-order mark at the start is skipped; a text past the [`limits`]
/// is refused before it is parsed.
pub fn parse_unchecked(text: &str) -> Result<(Scenario, SourceMap), Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    limits::check_text(text).map_err(|d| vec![d])?;
    let mut p = Parser::default();
    let mut last_line = 0;
    for (i, line) in lines(text).enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        p.line(line, n);
        last_line = n;
    }
    if let Some(open) = p.scheme.take() {
        p.err(
            open.keyword,
            format!("this scheme block is never closed: add `end` alone on a line after its last line (the text ends at line {last_line})"),
        );
    }
    p.check_written_uses();
    if let Some((_, span)) = p.par.take() {
        p.errors.push(Diagnostic::error(
            span,
            format!("this `par` block is never closed: add `end` after its last task (the text ends at line {last_line})"),
        ));
    }
    p.flush_pending();
    while matches!(p.scenario.body.last(), Some(Item::Gap)) {
        p.scenario.body.pop();
    }
    if p.errors.is_empty() {
        limits::check_names(&p.scenario, &p.source).map_err(|d| vec![d])?;
        Ok((p.scenario, p.source))
    } else {
        Err(p.errors)
    }
}

impl Parser {
    fn line(&mut self, line: &str, n: u32) {
        if self.scheme.is_some() {
            return self.scheme_line(line, n);
        }
        let (code, comment) = match line.find('#') {
            Some(i) => (&line[..i], Some(line[i + 1..].trim().to_owned())),
            None => (line, None),
        };
        // A header's value is free text, `=>` included: recognise headers first.
        let whole = words(code, n, 1);
        if let Some((first, colon)) = whole.first().and_then(|t| Some((t, t.text.find(':')?))) {
            return self.header(code, first.text, colon, first.span, comment);
        }
        if let Some(kind) = whole.first().and_then(|t| claim_kind(t.text)) {
            return self.claim(kind, code, whole[0].span, comment);
        }
        if whole.first().is_some_and(|t| t.text == "scheme") {
            return self.open_scheme(&whole, comment);
        }
        let (event_part, expect_part) = match code.find("=>") {
            Some(i) => (&code[..i], Some((&code[i + 2..], char_len(&code[..i]) + 1))),
            None => (code, None),
        };
        let toks = words(event_part, n, 1);
        let Some(first) = toks.first() else {
            match (expect_part, comment) {
                (Some((_, col)), _) => {
                    self.err(Span::new(n, col, 2), "`=>` needs a call before it, as in `fsync a => EIO`")
                }
                (None, Some(c)) => self.push_loose(Item::Note(c)),
                (None, None) => self.push_loose(Item::Gap),
            }
            return;
        };
        match (first.text, toks.len(), expect_part) {
            ("par", 1, None) => self.open_par(first.span, comment),
            ("end", 1, None) => self.close_par(first.span),
            _ => self.statement(&toks, expect_part, comment, n),
        }
    }

    fn err(&mut self, span: Span, message: impl Into<String>) {
        self.errors.push(Diagnostic::error(span, message));
    }

    /// A note or gap: held back until we know whether it belongs to the
    /// head or the body.
    fn push_loose(&mut self, item: Item) {
        if self.in_body {
            self.push_item(item);
        } else {
            self.pending.push(item);
        }
    }

    fn flush_pending(&mut self) {
        for item in std::mem::take(&mut self.pending) {
            self.push_item(item);
        }
    }

    fn push_item(&mut self, item: Item) {
        let items = match &mut self.par {
            Some((par, _)) => &mut par.items,
            None => &mut self.scenario.body,
        };
        // Runs of blank lines are one; none at the start of a list.
        if matches!(item, Item::Gap) && matches!(items.last(), None | Some(Item::Gap)) {
            return;
        }
        items.push(item);
    }

    fn enter_body(&mut self) {
        if !self.in_body {
            self.in_body = true;
            self.flush_pending();
        }
    }

    fn header(&mut self, code: &str, first: &str, colon: usize, span: Span, comment: Option<String>) {
        let key = &first[..colon];
        if self.in_body {
            return self.err(span, format!("`{key}:` is a header: headers go above the first event"));
        }
        // Comments above or among headers stay with the head.
        self.pending.retain(|i| matches!(i, Item::Note(_)));
        for item in self.pending.drain(..) {
            if let Item::Note(text) = item {
                self.scenario.head_notes.push(text);
            }
        }
        if let Some(c) = comment {
            self.scenario.head_notes.push(c);
        }
        let after_key = code.find(':').map_or("", |i| &code[i + 1..]);
        let value = after_key.trim();
        let value_col = span.col + char_len(key) + 1 + char_len(after_key) - char_len(after_key.trim_start());
        let value_span = Span::new(span.line, value_col, char_len(value));
        let known: &[&'static str] = &["title", "schemes", "fs"];
        let Some(&key) = known.iter().find(|k| **k == key) else {
            let hint = suggest(key, known.iter().copied())
                .map_or(String::new(), |s| format!("; did you mean `{s}:`?"));
            return self.err(
                span,
                format!(
                    "unknown header `{}:`{hint} (headers are `title:`, `schemes:` and `fs:`)",
                    quote(key)
                ),
            );
        };
        if self.seen_headers.contains(&key) {
            return self.err(span, format!("`{key}:` is given twice; keep one"));
        }
        self.seen_headers.push(key);
        if value.is_empty() {
            return self.err(span, format!("`{key}:` needs a value"));
        }
        match key {
            "title" => self.scenario.title = Some(value.to_owned()),
            "schemes" => self.schemes(value, value_span),
            _ => match Fs::from_id(value) {
                Some(fs) => self.scenario.fs = Some(fs),
                None => self.err(
                    value_span,
                    format!("unknown filesystem `{}`; profiles are ext4, xfs, btrfs and nfs", quote(value)),
                ),
            },
        }
    }

    fn schemes(&mut self, value: &str, span: Span) {
        let mut list = Vec::new();
        for tok in words(value, span.line, span.col) {
            match scheme_name(tok) {
                Ok(name) if list.contains(&name) => {
                    self.err(tok.span, format!("scheme `{name}` is listed twice"))
                }
                Ok(name) => {
                    self.used(name, tok);
                    list.push(name)
                }
                Err(d) => self.errors.push(d),
            }
        }
        self.scenario.schemes = Some(list);
    }

    fn open_par(&mut self, span: Span, comment: Option<String>) {
        self.enter_body();
        if let Some((_, outer)) = &self.par {
            let at = outer.line;
            return self.err(
                span,
                format!("par blocks cannot nest: the block of line {at} is still open (close it with `end`)"),
            );
        }
        self.source.blocks.push(span);
        self.par = Some((Par { items: Vec::new(), comment }, span));
    }

    fn close_par(&mut self, span: Span) {
        let Some((mut par, start)) = self.par.take() else {
            return self.err(span, "`end` without a `par` block to close");
        };
        while matches!(par.items.last(), Some(Item::Gap)) {
            par.items.pop();
        }
        if !par.items.iter().any(|i| matches!(i, Item::Stmt(_))) {
            self.err(start, "this `par` block has no tasks: put one call per line between `par` and `end`");
        }
        self.scenario.body.push(Item::Par(par));
    }

    fn statement(
        &mut self,
        toks: &[Tok<'_>],
        expect_part: Option<(&str, u32)>,
        comment: Option<String>,
        n: u32,
    ) {
        self.enter_body();
        let (verb_tok, arg_toks) = (toks[0], &toks[1..]);
        let Some(verb) = Verb::from_keyword(verb_tok.text) else {
            return self.errors.push(unknown_verb(verb_tok));
        };
        let (arg_toks, label_tok) = split_label(verb, arg_toks);
        let event = match event(verb, verb_tok, arg_toks) {
            Ok(e) => e,
            Err(d) => return self.errors.push(d),
        };
        let label = match label_tok.map(label) {
            Some(Err(d)) => return self.errors.push(d),
            Some(Ok(l)) => Some(l),
            None => None,
        };
        let mut src = StmtSource {
            verb: verb_tok.span,
            args: arg_toks.iter().map(|t| t.span).collect(),
            label: label_tok.map(|t| t.span),
            expect: None,
        };
        let expect = match expect_part {
            None => None,
            Some((text, col)) => {
                let span = Span::new(n, col, 2 + char_len(text.trim_end()));
                src.expect = Some(span);
                if !verb.may_return() {
                    let msg = format!(
                        "`{verb}` returns nothing, so it cannot have an expectation; remove the `=> …`"
                    );
                    return self.err(span, msg);
                }
                match expectation(text, n, col + 2) {
                    Ok((e, spans)) => {
                        for ((name, _), span) in e.overrides.iter().zip(spans) {
                            self.used_at(*name, span, name.as_str());
                        }
                        Some(e)
                    }
                    Err(d) => return self.errors.push(d),
                }
            }
        };
        self.source.events.push(src);
        self.push_item(Item::Stmt(Stmt { event, label, expect, comment }));
    }

    fn claim(&mut self, kind: crate::ast::ClaimKind, code: &str, keyword: Span, comment: Option<String>) {
        self.enter_body();
        if self.par.is_some() {
            let msg =
                format!("`{}` is about the whole scenario: put it after the block's `end`", kind.keyword());
            return self.err(keyword, msg);
        }
        // The text after the keyword, and the column it starts at.
        let start = code.len() - code.trim_start().len() + kind.keyword().len();
        let rest = code.get(start..).unwrap_or("");
        match claim(kind, rest, keyword, keyword.col + keyword.len) {
            Ok((mut c, src)) => {
                for (name, span) in c.schemes.iter().zip(&src.schemes) {
                    self.used_at(*name, *span, name.as_str());
                }
                c.comment = comment;
                self.source.claims.push(src);
                self.push_item(Item::Claim(c));
            }
            Err(d) => self.errors.push(d),
        }
    }
}

/// Scheme blocks, and the names that refer to them.
impl Parser {
    fn open_scheme(&mut self, toks: &[Tok<'_>], comment: Option<String>) {
        self.enter_body();
        let keyword = toks[0].span;
        let mut keep = true;
        if let Some((_, par)) = &self.par {
            let at = par.line;
            self.err(
                keyword,
                format!("a scheme block goes at the top level: close the `par` block of line {at} with `end` before it"),
            );
            keep = false;
        }
        let header = match scheme::header(toks, &self.written) {
            Ok(h) => {
                self.written.push(h.0);
                Some(h)
            }
            Err(d) => {
                self.errors.push(d);
                None
            }
        };
        self.scheme = Some(OpenBlock { keyword, header, lines: Vec::new(), comment, keep });
    }

    fn scheme_line(&mut self, line: &str, n: u32) {
        let Some(open) = &mut self.scheme else { return };
        match block_line(line) {
            BlockLine::Code(code) => return open.lines.push(code.to_owned()),
            BlockLine::End => {}
            BlockLine::EndWithComment => {
                let col = char_len(line) - char_len(line.trim_start()) + 1;
                self.err(
                    Span::new(n, col, char_len(line.trim())),
                    "a comment after a scheme block's `end` would be lost: put it on a line of its own",
                );
            }
        }
        let Some(open) = self.scheme.take() else { return };
        if let Some((block, src)) = open.into_block() {
            self.source.schemes.push(src);
            self.scenario.body.push(Item::Scheme(block));
        }
    }

    fn used(&mut self, name: SchemeName, tok: Tok<'_>) {
        self.used_at(name, tok.span, tok.text);
    }

    fn used_at(&mut self, name: SchemeName, span: Span, text: &str) {
        if let SchemeName::Written(w) = name {
            self.written_uses.push((w, span, text.to_owned()));
        }
    }

    /// A name no built-in scheme has must be a block's.
    fn check_written_uses(&mut self) {
        let defined: Vec<&str> = self.written.iter().map(WrittenName::as_str).collect();
        let unknown: Vec<Diagnostic> = self
            .written_uses
            .iter()
            .filter(|(w, _, _)| !self.written.contains(w))
            .map(|(_, span, text)| unknown_scheme(Tok { text, span: *span }, &defined))
            .collect();
        self.errors.extend(unknown);
    }
}
