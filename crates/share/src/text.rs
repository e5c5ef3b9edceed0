//! Text links: the scenario text itself, percent-encoded, for a text
//! that does not parse yet (the page keeps every keystroke in its
//! address) or a scenario built as data that no binary entry says.
//!
//! - `scenario=<text>[&replay=<replay string>]` then one or two `.` and
//!   two check characters: the form written ([`text_fragment`]). Its
//!   check is version 2's, over the characters' bytes
//!   ([`crate::check::remainder_bytes`]), so no single changed, added,
//!   lost or swapped character goes unnoticed (the crate documentation,
//!   section "Text links", says why).
//! - `text=<text>[&replay=<replay string>]`, with no check: read forever
//!   (links made before the checked form, and links typed by hand).
//!
//! In both, `%XX` is the byte XX (hexadecimal, either case), `+` is a
//! space (as in HTML forms: `encodeURIComponent` and Python's `quote`
//! write `%2B` for a plus sign), and any other character stands for
//! itself, so a browser's partly decoded `text=` fragment reads too. The
//! text is parsed like a file, but without the fd-table checks: a link
//! may carry a scenario that is still being written.

use errseq_scenario::{parse_unchecked, Scenario};

use crate::check;
use crate::error::{DecodeError, Kind};
use crate::v1::B64;

/// Bytes of scenario text a text link may carry.
pub(crate) const MAX_TEXT: usize = 65_536;

/// The form without a check, read forever.
pub(crate) const PREFIX: &str = "text=";
/// The form with a check, written. No single edit turns it into
/// [`PREFIX`] (or a version digit followed by base64url only), so a
/// damaged checked link never reads as an unchecked one.
pub(crate) const CHECKED: &str = "scenario=";
const REPLAY: &str = "&replay=";
/// What stands between the text (or replay string) and the check
/// characters: one or two of it, to make the count of characters even.
/// An escaped text never ends in it ([`escape`]).
const PAD: char = '.';

/// Reads what follows `text=` (`offset`: characters before it in the
/// fragment, for positions in messages), or a checked link's text and
/// replay string once its check holds.
pub(crate) fn decode(rest: &str, offset: usize) -> Result<(Scenario, Option<String>), DecodeError> {
    let (text_part, replay_part) = match rest.rfind(REPLAY) {
        Some(i) => {
            (&rest[..i], Some((&rest[i + REPLAY.len()..], offset + rest[..i].chars().count() + REPLAY.len())))
        }
        None => (rest, None),
    };
    let text = unescape(text_part, offset, "scenario text")?;
    let replay = match replay_part {
        Some((r, at)) => Some(unescape(r, at, "replay string")?),
        None => None,
    };
    let parsed = parse_unchecked(&text);
    let (scenario, _) = parsed.map_err(|diagnostics| {
        let more = match diagnostics.len() {
            0 | 1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        let first = diagnostics.first().map_or_else(String::new, |d| d.to_string());
        DecodeError::new(
            Kind::BadText,
            format!(
                "the scenario text in the link has an error at {first}{more}; \
                 correct the text and make the link again"
            ),
        )
        .with_text(text.clone())
    })?;
    Ok((scenario, replay))
}

/// Percent-decoding; `offset` is the position (in characters, 0-based) of
/// `s` in the fragment.
fn unescape(s: &str, offset: usize, what: &str) -> Result<String, DecodeError> {
    let mut out: Vec<u8> = Vec::new();
    let mut chars = s.char_indices().enumerate().peekable();
    while let Some((n, (i, c))) = chars.next() {
        let pos = offset + n + 1;
        match c {
            '%' => {
                let hex = s.get(i + 1..i + 3).and_then(|h| {
                    u8::from_str_radix(h, 16).ok().filter(|_| h.bytes().all(|b| b.is_ascii_hexdigit()))
                });
                let Some(byte) = hex else {
                    let seen: String = s[i..].chars().take(3).collect();
                    return Err(DecodeError::new(
                        Kind::BadText,
                        format!(
                            "bad percent escape `{seen}` at position {pos} after the `#`: \
                             a `%` must be followed by \
                             two hexadecimal digits (write `%25` for a `%` itself)"
                        ),
                    ));
                };
                out.push(byte);
                chars.next();
                chars.next();
            }
            '+' => out.push(b' '),
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
        if out.len() > MAX_TEXT {
            return Err(DecodeError::new(
                Kind::TooLong,
                format!(
                    "the {what} in the link is longer than {MAX_TEXT} bytes, more than this playground reads"
                ),
            ));
        }
    }
    String::from_utf8(out).map_err(|e| {
        DecodeError::new(
            Kind::BadText,
            format!(
                "the {what} in the link is not UTF-8 once its `%` escapes are decoded (byte {} of it); \
                 encode the text as UTF-8 before percent-encoding it",
                e.utf8_error().valid_up_to() + 1
            ),
        )
    })
}

/// The checked text link of a scenario text (any text, parsing or not):
/// `scenario=`, the text with every byte but letters, digits and `-._~`
/// percent-encoded (what `encodeURIComponent` leaves alone, less
/// `!'()*`), `&replay=` and the replay string if one is given (an empty
/// one counts as none), one or two `.` so that the count of characters
/// is even, and two check characters.
pub fn text_fragment(text: &str, replay: Option<&str>) -> String {
    let mut out = String::from(CHECKED);
    escaped_parts(&mut out, text, replay);
    out.push(PAD);
    if out.len() % 2 == 1 {
        out.push(PAD);
    }
    let [c1, c2] = check_chars(out.as_bytes());
    out.push(c1);
    out.push(c2);
    out
}

/// The unchecked `text=` link that [`text_fragment`] wrote before text
/// links had a check: for tests that such links keep decoding.
#[doc(hidden)]
pub fn unchecked_text_fragment(text: &str, replay: Option<&str>) -> String {
    let mut out = String::from(PREFIX);
    escaped_parts(&mut out, text, replay);
    out
}

fn escaped_parts(out: &mut String, text: &str, replay: Option<&str>) {
    // Never end in `=`: the empty text is written as one newline.
    escape(out, if text.is_empty() { "\n" } else { text });
    if let Some(r) = replay.filter(|r| !r.is_empty()) {
        out.push_str(REPLAY);
        escape(out, r);
    }
}

/// The check characters of `body` (everything before them): the CRC-11
/// `c` of its bytes in eleven bits, its top six as the first character
/// (any of base64url), its low five as the second (`A`–`Z`, `a`–`f`: a
/// letter, so the link ends in one).
fn check_chars(body: &[u8]) -> [char; 2] {
    let c = check::remainder_bytes(body);
    [char::from(B64[usize::from(c >> 5)]), char::from(B64[usize::from(c & 0x1f)])]
}

/// Reads a checked text link (`f` starts with [`CHECKED`]): the check,
/// then the text as an unchecked link's.
pub(crate) fn decode_checked(f: &str) -> Result<(Scenario, Option<String>), DecodeError> {
    // The characters without whitespace (a link wrapped by a mail program
    // still reads); the encoder writes ASCII only.
    let mut s = String::with_capacity(f.len());
    for (i, c) in f.chars().enumerate() {
        if c.is_whitespace() {
            continue;
        }
        if !c.is_ascii_graphic() {
            let position = i + 1;
            let shown = if c.is_control() { format!("{c:?}") } else { format!("`{c}`") };
            return Err(DecodeError::new(
                Kind::BadCharacter { position },
                format!(
                    "bad character {shown} at position {position} after the `#`: a text link holds only \
                     printable ASCII, its text percent-encoded (was it changed by the program it went through?)"
                ),
            ));
        }
        s.push(c);
    }
    let n = s.len();
    let body = s.get(..n.saturating_sub(2)).unwrap_or("");
    let text_end = body.trim_end_matches(PAD);
    let pads = body.len() - text_end.len();
    if text_end.len() < CHECKED.len() || pads == 0 {
        return Err(DecodeError::new(
            Kind::CutShort,
            format!(
                "the link is cut short: it has {n} characters and no check characters (a link of this form \
                 ends in `.` and two letters or digits; was it wrapped or cut by your mail program?); copy the \
                 whole link, up to its last character"
            ),
        ));
    }
    let check_ok = check_chars(body.as_bytes()).iter().copied().eq(s[n - 2..].chars());
    if n % 2 == 1 || !check_ok {
        let odd = if n % 2 == 1 { " (and it has an odd number of characters)" } else { "" };
        return Err(DecodeError::new(
            Kind::Damaged,
            format!(
                "the link is damaged: its last two characters do not match the others{odd}, so a character \
                 was changed, added or lost on the way; copy the whole link again, exactly as it was sent"
            ),
        ));
    }
    if pads > 2 {
        return Err(DecodeError::new(
            Kind::Invalid,
            "the link has more than two `.` before its check characters; \
             it was not made by this playground, or it was altered",
        ));
    }
    decode(&text_end[CHECKED.len()..], CHECKED.len())
}

/// Percent-encodes `s`; its last byte is encoded unless it is a letter or
/// a digit, so the link never ends in `-`, `.` or `~`.
fn escape(out: &mut String, s: &str) {
    let n = s.len();
    for (i, b) in s.bytes().enumerate() {
        if b.is_ascii_alphanumeric() || (i + 1 < n && b"-._~".contains(&b)) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}
