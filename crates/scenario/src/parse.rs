//! Text to [`Scenario`]: a line-oriented parser that keeps going after an
//! error, so an editor can show every problem at once.
//!
//! Each line is split at its first `#` (a comment), then at `=>` (the
//! expectation). What is left is a header (`key: value`), `par`, `end`, or
//! a call, whose arguments are checked against [`Verb::args`]. Nothing
//! here panics on any input: every index is a char boundary found by
//! iteration, and numbers are parsed with overflow checks.

use std::collections::BTreeSet;

use errseq::{Errno, Ret, SchemeName};

use crate::ast::{
    Arg, Event, Expect, Fs, Item, Name, OpenFlags, Outcome, Pages, Par, Rwf, Scenario, Stmt, SyncRange, Verb,
};
use crate::claim::{claim, claim_kind, label, split_label, ClaimSource};
use crate::diag::{suggest, Diagnostic, Span};
use crate::inert::quote;
use crate::limits;

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
}

/// A word of a line and where it is.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tok<'a> {
    pub(crate) text: &'a str,
    pub(crate) span: Span,
}

/// Splits `s` (which starts at column `col0` of `line`) into
/// whitespace-separated words.
pub(crate) fn words(s: &str, line: u32, col0: u32) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut start: Option<(usize, u32)> = None;
    let mut col = col0;
    for (i, c) in s.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some((b, c0))) => {
                out.push(Tok { text: &s[b..i], span: Span::new(line, c0, col - c0) });
                start = None;
            }
            (false, None) => start = Some((i, col)),
            _ => {}
        }
        col += 1;
    }
    if let Some((b, c0)) = start {
        out.push(Tok { text: &s[b..], span: Span::new(line, c0, col - c0) });
    }
    out
}

pub(crate) fn char_len(s: &str) -> u32 {
    u32::try_from(s.chars().count()).unwrap_or(u32::MAX)
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
                Ok(name) => list.push(name),
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
                    Ok(e) => Some(e),
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
                c.comment = comment;
                self.source.claims.push(src);
                self.push_item(Item::Claim(c));
            }
            Err(d) => self.errors.push(d),
        }
    }
}

pub(crate) fn unknown_verb(tok: Tok<'_>) -> Diagnostic {
    let calls = Verb::ALL.map(Verb::keyword);
    let hint = match suggest(tok.text, calls) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("calls are {}", calls.join(", ")),
    };
    Diagnostic::error(tok.span, format!("unknown call `{}`; {hint}", quote(tok.text)))
}

/// Checks the arguments against the verb's shape and builds the event.
pub(crate) fn event(verb: Verb, verb_tok: Tok<'_>, toks: &[Tok<'_>]) -> Result<Event, Diagnostic> {
    let shape = verb.args();
    let required = shape.iter().filter(|a| !a.is_optional()).count();
    if toks.len() < required {
        let what = shape[toks.len()];
        let at = toks.last().map_or(verb_tok.span, |t| t.span);
        let span = Span::new(at.line, at.col + at.len, 1);
        return Err(Diagnostic::error(
            span,
            format!("`{verb}` needs {}: `{}`", arg_noun(what), verb.usage()),
        ));
    }
    // Flags take every word after the fixed arguments; their own checks
    // say what is wrong with a word too many.
    if !shape.iter().any(|a| a.is_variadic()) {
        if let Some(extra) = toks.get(shape.len()) {
            let msg = if shape.is_empty() {
                format!("`{verb}` takes no arguments")
            } else {
                format!("unexpected `{}`: the form is `{}`", quote(extra.text), verb.usage())
            };
            return Err(Diagnostic::error(extra.span, msg));
        }
    }
    let name = |i: usize| -> Result<Name, Diagnostic> { name(toks[i], shape[i]) };
    Ok(match verb {
        Verb::Open => Event::Open { fd: name(0)?, file: name(1)?, flags: open_flags(&toks[2..])? },
        Verb::Dup => Event::Dup { new: name(0)?, fd: name(1)? },
        Verb::Close => Event::Close { fd: name(0)? },
        Verb::Write => {
            let (page, rwf) = write_args(verb, &toks[1..])?;
            Event::Write { fd: name(0)?, page, rwf }
        }
        Verb::Fail => {
            Event::Fail { file: name(0)?, errno: errno(toks[1])?, pages: pages_arg(verb, toks.get(2))? }
        }
        Verb::Heal => Event::Heal { file: name(0)?, pages: pages_arg(verb, toks.get(1))? },
        Verb::Writeback => Event::Writeback { file: name(0)? },
        Verb::Error => Event::Error { file: name(0)?, errno: errno(toks[1])? },
        Verb::Fsync => Event::Fsync { fd: name(0)? },
        Verb::Fdatasync => Event::Fdatasync { fd: name(0)? },
        Verb::SyncFileRange => Event::SyncFileRange { fd: name(0)?, flags: sync_flags(verb, &toks[1..])? },
        Verb::Syncfs => Event::Syncfs { fd: name(0)? },
        Verb::Sync => Event::Sync,
        Verb::Flush => Event::Flush { file: name(0)? },
        Verb::Evict => Event::Evict { file: name(0)? },
        Verb::MmapWrite => Event::MmapWrite { fd: name(0)?, page: toks.get(1).map_or(Ok(0), |t| page(*t))? },
        Verb::Msync => Event::Msync { fd: name(0)? },
    })
}

/// sync_file_range's flag words: none means all three steps (the meaning
/// of the call before it took flags); otherwise each written once, in any
/// order.
fn sync_flags(verb: Verb, toks: &[Tok<'_>]) -> Result<SyncRange, Diagnostic> {
    if toks.is_empty() {
        return Ok(SyncRange::ALL);
    }
    let mut flags = SyncRange { wait_before: false, write: false, wait_after: false };
    let mut seen: Vec<Tok<'_>> = Vec::new();
    for &tok in toks {
        let slot = match tok.text {
            "WAIT_BEFORE" => &mut flags.wait_before,
            "WRITE" => &mut flags.write,
            "WAIT_AFTER" => &mut flags.wait_after,
            _ => return Err(unknown_flag(verb, tok, seen.len() + 1 == toks.len())),
        };
        if *slot {
            return Err(repeated_flag(tok, &seen));
        }
        *slot = true;
        seen.push(tok);
    }
    Ok(flags)
}

/// open's flags: none is `O_RDWR`; otherwise each once, in any order,
/// within [`OpenFlags`]'s rules.
fn open_flags(toks: &[Tok<'_>]) -> Result<OpenFlags, Diagnostic> {
    let mut flags = OpenFlags::default();
    let mut seen: Vec<Tok<'_>> = Vec::new();
    let list = "`O_RDONLY`, `O_SYNC`, `O_DSYNC` or `O_DIRECT`";
    for (i, &tok) in toks.iter().enumerate() {
        let slot = match tok.text {
            "O_RDONLY" => &mut flags.rdonly,
            "O_SYNC" => &mut flags.sync,
            "O_DSYNC" => &mut flags.dsync,
            "O_DIRECT" => &mut flags.direct,
            _ => {
                let upper = tok.text.to_ascii_uppercase();
                let msg = if tok.text == "as" && i + 1 == toks.len() {
                    "`as` needs a label after it, as in `open a f O_SYNC as first`".to_owned()
                } else if tok.text == "as" {
                    "`as LABEL` goes at the end of the call, after the flags".to_owned()
                } else if OpenFlags::WORDS.contains(&upper.as_str()) {
                    format!("flags are upper case: write `{upper}`")
                } else if tok.text == "O_RDWR" {
                    "`O_RDWR` is what `open` does without flags: leave it out".to_owned()
                } else if tok.text == "O_WRONLY" {
                    format!("`O_WRONLY` is not modelled: write no flag (`O_RDWR`) or one of {list}")
                } else if let Some(s) = suggest(tok.text, OpenFlags::WORDS) {
                    format!(
                        "unknown open flag `{}`; did you mean `{s}`? (the form is `{}`)",
                        tok.text,
                        Verb::Open.usage()
                    )
                } else if Name::new(tok.text).is_some() {
                    format!(
                        "unexpected `{}`: `open` takes an fd, a file, then flags such as {list}",
                        tok.text
                    )
                } else {
                    format!(
                        "`{}` is not a flag of `open`: write {list} (each once), or no flag for O_RDWR",
                        tok.text
                    )
                };
                return Err(Diagnostic::error(tok.span, msg));
            }
        };
        if *slot {
            return Err(repeated_flag(tok, &seen));
        }
        *slot = true;
        if flags.rdonly && (flags.sync || flags.dsync) {
            return Err(Diagnostic::error(
                tok.span,
                "`O_RDONLY` with `O_SYNC` or `O_DSYNC` says nothing: a read-only description never writes; drop one",
            ));
        }
        if flags.sync && flags.dsync {
            return Err(Diagnostic::error(
                tok.span,
                "`O_SYNC` includes `O_DSYNC` (include/uapi/asm-generic/fcntl.h); write one of them",
            ));
        }
        seen.push(tok);
    }
    Ok(flags)
}

/// write's `[PAGE] [RWF_SYNC|RWF_DSYNC]`.
fn write_args(verb: Verb, toks: &[Tok<'_>]) -> Result<(u32, Option<Rwf>), Diagnostic> {
    let mut rest = toks;
    let mut pg = 0;
    if let Some(&t) = rest.first() {
        if t.text.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+') {
            pg = page(t)?;
            rest = &rest[1..];
        }
    }
    let Some(&t) = rest.first() else { return Ok((pg, None)) };
    if let Some(extra) = rest.get(1) {
        return Err(Diagnostic::error(
            extra.span,
            format!("unexpected `{}`: the form is `{}`", extra.text, verb.usage()),
        ));
    }
    if let Some(r) = Rwf::from_word(t.text) {
        return Ok((pg, Some(r)));
    }
    let words = Rwf::ALL.map(Rwf::word);
    let upper = t.text.to_ascii_uppercase();
    let msg = if words.contains(&upper.as_str()) {
        format!("flags are upper case: write `{upper}`")
    } else if let Some(s) = suggest(t.text, words) {
        format!("unknown flag `{}`; did you mean `{s}`? (the form is `{}`)", t.text, verb.usage())
    } else {
        format!(
            "`{}` is not a page number or a flag: write a page number (0 to {}), then `RWF_SYNC` or \
             `RWF_DSYNC` if the write is synchronous: `{}`",
            t.text,
            u32::MAX,
            verb.usage()
        )
    };
    Err(Diagnostic::error(t.span, msg))
}

/// A flag written a second time, pointing at the first.
fn repeated_flag(tok: Tok<'_>, seen: &[Tok<'_>]) -> Diagnostic {
    let first = seen.iter().find(|t| t.text == tok.text).map_or(tok.span, |t| t.span);
    Diagnostic::error(
        tok.span,
        format!("`{}` is written twice (first at column {}); write each flag once", tok.text, first.col),
    )
}

fn unknown_flag(verb: Verb, tok: Tok<'_>, is_last: bool) -> Diagnostic {
    let flags = SyncRange::FLAGS;
    let list = format!("`{}`, `{}` or `{}`", flags[0], flags[1], flags[2]);
    let upper = tok.text.to_ascii_uppercase();
    let msg = if tok.text == "as" && is_last {
        "`as` needs a label after it, as in `sync_file_range a WRITE as first`".to_owned()
    } else if tok.text == "as" {
        format!("`as LABEL` goes at the end of the call, after the flags: `{verb} FD [FLAG...] as LABEL`")
    } else if flags.contains(&upper.as_str()) {
        format!("flags are upper case: write `{upper}`")
    } else if tok.text == "NONE" || tok.text == "0" {
        format!(
            "`{verb}` always runs at least one step: write one or more of {list}, \
             or no flag for all three"
        )
    } else if let Some(s) = suggest(tok.text, flags) {
        format!("unknown flag `{}`; did you mean `{s}`? (the form is `{}`)", quote(tok.text), verb.usage())
    } else {
        format!(
            "`{}` is not a flag of `{verb}`: write {list} (any of them, each once), or no flag for all three",
            quote(tok.text)
        )
    };
    Diagnostic::error(tok.span, msg)
}

fn arg_noun(arg: Arg) -> &'static str {
    match arg {
        Arg::Fd => "an fd",
        Arg::NewFd => "a new fd name",
        Arg::File => "a file",
        Arg::Errno => "an errno such as EIO",
        Arg::Page => "a page number",
        Arg::Pages => "a page or a page range",
        Arg::OpenFlags => "a flag",
        Arg::Rwf => "a flag",
        Arg::Flags => "a flag",
    }
}

fn name(tok: Tok<'_>, arg: Arg) -> Result<Name, Diagnostic> {
    if let Some(d) = limits::name_too_long(tok.text, tok.span) {
        return Err(d);
    }
    Name::new(tok.text).ok_or_else(|| {
        let what = if arg == Arg::File { "file" } else { "fd" };
        let hint = if Errno::from_name(tok.text).is_some() {
            format!("; `{}` is an errno, and an errno goes after the file", quote(tok.text))
        } else {
            String::new()
        };
        Diagnostic::error(
            tok.span,
            format!(
                "`{}` is not a valid {what} name: use lower-case letters, digits and `_`, starting with a letter{hint}",
                quote(tok.text)
            ),
        )
    })
}

fn page(tok: Tok<'_>) -> Result<u32, Diagnostic> {
    let digits = !tok.text.is_empty() && tok.text.bytes().all(|b| b.is_ascii_digit());
    match tok.text.parse::<u32>() {
        Ok(p) if digits => Ok(p),
        _ => Err(Diagnostic::error(
            tok.span,
            format!(
                "`{}` is not a page number: write a whole number from 0 to {}",
                quote(tok.text),
                u32::MAX
            ),
        )),
    }
}

/// fail's and heal's pages: `N` or `N..M` (inclusive, `N <= M`).
fn pages_arg(verb: Verb, tok: Option<&Tok<'_>>) -> Result<Option<Pages>, Diagnostic> {
    let Some(&tok) = tok else { return Ok(None) };
    let number = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
    };
    let bad = || {
        let mut msg = format!(
            "`{}` is not a page or a page range: write a page number `N` or an inclusive range `N..M` \
             (whole numbers from 0 to {}), or nothing for every page of the file",
            tok.text,
            u32::MAX
        );
        if Errno::from_name(tok.text).is_some() {
            msg.push_str(match verb {
                Verb::Heal => "; `heal` takes no errno: `heal FILE [PAGES]`",
                _ => "; the errno goes before the pages",
            });
        }
        Diagnostic::error(tok.span, msg)
    };
    let pages = match tok.text.split_once("..") {
        None => Pages::one(number(tok.text).ok_or_else(bad)?),
        Some((a, b)) => Pages { first: number(a).ok_or_else(bad)?, last: number(b).ok_or_else(bad)? },
    };
    if !pages.is_valid() {
        return Err(Diagnostic::error(
            tok.span,
            format!(
                "the range `{}` runs backwards: write the lower page first, `{}..{}`",
                tok.text, pages.last, pages.first
            ),
        ));
    }
    Ok(Some(pages))
}

fn errno(tok: Tok<'_>) -> Result<Errno, Diagnostic> {
    if let Some(e) = Errno::from_name(tok.text) {
        return Ok(e);
    }
    let upper = tok.text.to_ascii_uppercase();
    let msg = if Errno::from_name(&upper).is_some() {
        format!("errno names are upper case: write `{upper}`")
    } else if let Some(s) = suggest(tok.text, Errno::names()) {
        format!("unknown errno `{}`; did you mean `{s}`?", quote(tok.text))
    } else {
        format!(
            "unknown errno `{}`: use a Linux errno name such as EIO, ENOSPC, EDQUOT or EROFS",
            quote(tok.text)
        )
    };
    Err(Diagnostic::error(tok.span, msg))
}

pub(crate) fn scheme_name(tok: Tok<'_>) -> Result<SchemeName, Diagnostic> {
    SchemeName::parse(tok.text).ok_or_else(|| {
        let hint = match suggest(tok.text, SchemeName::all_ids()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("schemes are {}", SchemeName::all_ids().collect::<Vec<_>>().join(", ")),
        };
        Diagnostic::error(tok.span, format!("unknown scheme `{}`; {hint}", quote(tok.text)))
    })
}

/// A token of an expectation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum ETok<'a> {
    Word(&'a str),
    Open,
    Close,
    Comma,
    Eq,
}

pub(crate) fn expect_tokens(s: &str, line: u32, col0: u32) -> Vec<(ETok<'_>, Span)> {
    let mut out = Vec::new();
    let mut word: Option<(usize, u32)> = None;
    let mut col = col0;
    let end_word = |out: &mut Vec<_>, word: &mut Option<(usize, u32)>, i: usize, col: u32| {
        if let Some((b, c0)) = word.take() {
            out.push((ETok::Word(&s[b..i]), Span::new(line, c0, col - c0)));
        }
    };
    for (i, c) in s.char_indices() {
        let punct = match c {
            '{' => Some(ETok::Open),
            '}' => Some(ETok::Close),
            ',' => Some(ETok::Comma),
            '=' => Some(ETok::Eq),
            _ => None,
        };
        if punct.is_some() || c.is_whitespace() {
            end_word(&mut out, &mut word, i, col);
        } else if word.is_none() {
            word = Some((i, col));
        }
        if let Some(p) = punct {
            out.push((p, Span::new(line, col, 1)));
        }
        col += 1;
    }
    end_word(&mut out, &mut word, s.len(), col);
    out
}

const RESULT_FORMS: &str = "`0`, an errno such as `EIO`, or a set such as `{0, EIO}`";

/// `[OUTCOME] (SCHEME=OUTCOME)*`.
fn expectation(text: &str, line: u32, col0: u32) -> Result<Expect, Diagnostic> {
    let toks = expect_tokens(text, line, col0);
    let mut pos = 0;
    let mut expect = Expect::default();
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
    }
    Ok(expect)
}

pub(crate) fn outcome(toks: &[(ETok<'_>, Span)], pos: &mut usize) -> Result<Outcome, Diagnostic> {
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
    errno(Tok { text: word, span }).map(Ret::err).map_err(|d| {
        if word.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            Diagnostic::error(
                span,
                format!("`{}` is not a result: write `0` or an errno name such as `EIO`", quote(word)),
            )
        } else {
            d
        }
    })
}
