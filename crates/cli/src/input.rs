//! Reading a scenario input: a file, standard input (`-`), or a mail.
//!
//! Input is read up to the size limit (a bigger one, `/dev/zero`, is
//! refused after that many bytes). Text that parses is the scenario, as
//! it always was. Text that does not is read as mail
//! ([`errseq_share::mail`]): a whole mail, a quoted reply, a rewrapped
//! copy, holding the mail text `errseq render` writes or a link. Each
//! scenario found is named by the line it starts on (`-:12`), and its
//! problems are told where they are in the mail (`-:14:3: …`). A text with
//! nothing of a mail in it gets the parser's diagnostics, as before.

use std::io::Read;
use std::path::Path;

use errseq_scenario::limits::{self, MAX_INPUT_BYTES};
use errseq_scenario::{parse, parse_bytes, parse_unchecked, Diagnostic, Parsed, Span};
use errseq_share::mail::{self, Found, Reading};

use crate::out::{errln, Out};
use crate::Malformed;

/// A scenario read from an input, with the name messages give it: the
/// path, or the path and the line a mail's scenario starts on.
pub(crate) struct Loaded {
    pub name: String,
    pub parsed: Parsed,
}

/// At most `limit` bytes of `r`, and whether there was more.
pub(crate) fn read_limited(r: impl Read, limit: usize) -> std::io::Result<(Vec<u8>, bool)> {
    let mut buf = Vec::new();
    r.take(limit as u64 + 1).read_to_end(&mut buf)?;
    let more = buf.len() > limit;
    buf.truncate(limit);
    Ok((buf, more))
}

/// A scenario file (or `-`, standard input), read up to the size limit.
fn read_input(path: &Path) -> std::io::Result<(Vec<u8>, bool)> {
    if path == Path::new("-") {
        read_limited(std::io::stdin().lock(), MAX_INPUT_BYTES)
    } else {
        read_limited(std::fs::File::open(path)?, MAX_INPUT_BYTES)
    }
}

/// Every scenario of an input: one for a scenario file, each one a mail
/// holds. What cannot be read is reported; `Err` when nothing could.
pub(crate) fn load_all(out: &mut Out, path: &Path) -> (Vec<Loaded>, Result<(), Malformed>) {
    let shown = path.display().to_string();
    let (bytes, more) = match read_input(path) {
        Ok(read) => read,
        Err(e) => {
            errln!(out, "errseq: cannot read {shown}: {e}");
            return (Vec::new(), Err(Malformed));
        }
    };
    if more {
        errln!(out, "{shown}:{}", limits::input_too_big());
        return (Vec::new(), Err(Malformed));
    }
    match parse_bytes(&bytes) {
        Ok(p) => {
            for w in &p.warnings {
                errln!(out, "{shown}:{w}");
            }
            (vec![Loaded { name: shown, parsed: p }], Ok(()))
        }
        Err(diagnostics) => match as_mail(&bytes) {
            Some(found) => from_mail(out, &shown, &found),
            None => {
                for d in &diagnostics {
                    errln!(out, "{shown}:{d}");
                }
                (Vec::new(), Err(Malformed))
            }
        },
    }
}

/// The scenarios of a text that is not one but reads as mail.
pub(crate) fn as_mail(bytes: &[u8]) -> Option<Vec<Found>> {
    let text = std::str::from_utf8(bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes)).ok()?;
    // A scenario whose syntax is right but whose fds are wrong is a
    // scenario with mistakes, not a mail.
    if parse_unchecked(text).is_ok() {
        return None;
    }
    match mail::read(text) {
        Reading::NotMail => None,
        Reading::Found(found) => Some(found),
    }
}

/// Each scenario found in a mail, parsed and checked, its problems told
/// where they are in the mail.
fn from_mail(out: &mut Out, shown: &str, found: &[Found]) -> (Vec<Loaded>, Result<(), Malformed>) {
    let mut loaded = Vec::new();
    let mut result = Ok(());
    for f in found {
        let name = format!("{shown}:{}", f.line());
        for n in &f.notes {
            errln!(out, "{name}: note: {n}");
        }
        let text = match &f.text {
            Ok(text) => text,
            Err(e) => {
                errln!(out, "{name}: {e}");
                result = Err(Malformed);
                continue;
            }
        };
        match parse(text) {
            Ok(p) => {
                for w in &p.warnings {
                    errln!(out, "{shown}:{}", placed(f, w));
                }
                loaded.push(Loaded { name, parsed: p });
            }
            Err(diagnostics) => {
                for d in &diagnostics {
                    errln!(out, "{shown}:{}", placed(f, d));
                }
                result = Err(Malformed);
            }
        }
    }
    (loaded, result)
}

/// `d` at its place in the mail.
pub(crate) fn placed(f: &Found, d: &Diagnostic) -> Diagnostic {
    let (line, col) = f.place(d.span.line as usize, d.span.col as usize);
    let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Diagnostic { span: Span::new(to_u32(line), to_u32(col), d.span.len), ..d.clone() }
}

/// The one scenario of an input: a mail holding several is refused,
/// naming them (only `check` takes each).
pub(crate) fn load(out: &mut Out, path: &Path) -> Result<Parsed, Malformed> {
    let (mut loaded, result) = load_all(out, path);
    result?;
    match loaded.len() {
        1 => Ok(loaded.remove(0).parsed),
        0 => Err(Malformed),
        n => {
            let names: Vec<&str> = loaded.iter().map(|l| l.name.as_str()).collect();
            errln!(
                out,
                "{}: the mail holds {n} scenarios ({}): `errseq check` checks each; for this command, \
                 keep one",
                path.display(),
                names.join(", ")
            );
            Err(Malformed)
        }
    }
}
