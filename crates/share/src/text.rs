//! The `text=` form: `#text=<percent-encoded scenario text>`, optionally
//! followed by `&replay=<percent-encoded replay string>`, for links typed
//! by hand or made by documentation generators.
//!
//! `%XX` is the byte XX (hexadecimal, either case), `+` is a space (as in
//! HTML forms: `encodeURIComponent` and Python's `quote` write `%2B` for a
//! plus sign), and any other character stands for itself, so a browser's
//! partly decoded fragment reads too. The text is parsed like a file, but
//! without the fd-table checks: a link may carry a scenario that is still
//! being written.

use errseq_scenario::{parse_unchecked, Scenario};

use crate::error::{DecodeError, Kind};

/// Bytes of scenario text a `text=` link may carry.
pub(crate) const MAX_TEXT: usize = 65_536;

pub(crate) const PREFIX: &str = "text=";
const REPLAY: &str = "&replay=";

/// Reads what follows `text=` (`offset`: characters before it in the
/// fragment, for positions in messages).
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

/// The `text=` form of a scenario text: every byte but letters, digits
/// and `-._~` percent-encoded (what `encodeURIComponent` leaves alone,
/// less `!'()*`). An empty replay string counts as none.
pub fn text_fragment(text: &str, replay: Option<&str>) -> String {
    let mut out = String::from(PREFIX);
    // Never end in `=`: the empty text is written as one newline.
    escape(&mut out, if text.is_empty() { "\n" } else { text });
    if let Some(r) = replay.filter(|r| !r.is_empty()) {
        out.push_str(REPLAY);
        escape(&mut out, r);
    }
    out
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
