//! A call: its verb and arguments (names, pages, page ranges, errnos,
//! flags), checked against the verb's shape ([`Verb::args`]).

use errseq::{Errno, SchemeName, WrittenName};

use super::token::Tok;
use crate::ast::{Arg, Event, Name, OpenFlags, Pages, Rwf, SyncRange, Verb};
use crate::diag::{suggest, Diagnostic, Span};
use crate::inert::quote;
use crate::limits;

pub(super) fn unknown_verb(tok: Tok<'_>) -> Diagnostic {
    let calls = Verb::ALL.map(Verb::keyword);
    let hint = match suggest(tok.text, calls) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("calls are {}", calls.join(", ")),
    };
    Diagnostic::error(tok.span, format!("unknown call `{}`; {hint}", quote(tok.text)))
}

/// Checks the arguments against the verb's shape and builds the event.
pub(super) fn event(verb: Verb, verb_tok: Tok<'_>, toks: &[Tok<'_>]) -> Result<Event, Diagnostic> {
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
        Verb::Read => Event::Read { fd: name(0)?, page: toks.get(1).map_or(Ok(0), |t| page(*t))? },
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

pub(super) fn errno(tok: Tok<'_>) -> Result<Errno, Diagnostic> {
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

pub(super) fn scheme_name(tok: Tok<'_>) -> Result<SchemeName, Diagnostic> {
    if let Some(name) = SchemeName::parse(tok.text) {
        return Ok(name);
    }
    // Perhaps a scheme the scenario writes: the parser checks, once it has
    // read every block, that one of them defines it (`Parser::finish`).
    match WrittenName::new(tok.text) {
        Some(w) => Ok(SchemeName::Written(w)),
        None => Err(unknown_scheme(tok, &[])),
    }
}

/// `unknown scheme`, with the closest of the built-in ids and `written`.
pub(super) fn unknown_scheme(tok: Tok<'_>, written: &[&str]) -> Diagnostic {
    let mut ids: Vec<&str> = SchemeName::all_ids().collect();
    ids.extend_from_slice(written);
    let hint = match suggest(tok.text, ids.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("schemes are {}", ids.join(", ")),
    };
    Diagnostic::error(tok.span, format!("unknown scheme `{}`; {hint}", quote(tok.text)))
}
