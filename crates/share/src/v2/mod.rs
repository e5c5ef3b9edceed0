//! Format version 2: version 1's bit string, sealed by [`crate::check`]
//! so that no single changed, added, lost or swapped character goes
//! unnoticed.
//!
//! The format is specified in the crate documentation (section "Version
//! 2"). Like version 1's, this module is frozen once links of it exist:
//! a later version gets a module of its own. Its body is version 1's
//! (`v1::body`, `v1::read_body`), whose tables only grow.

use errseq_scenario::Scenario;

use crate::check::{self, Failure};
use crate::error::{DecodeError, Kind};
use crate::v1::{self, BodyError, B64};

/// The version character.
pub(crate) const VERSION: char = '2';

/// The version character's value as a base64url character (`2` is 54):
/// the first symbol the check covers.
const VERSION_VALUE: u8 = 54;

/// The fragment of version 2 for `s` (and a replay string).
pub(crate) fn encode(s: &Scenario, replay: Option<&str>) -> String {
    let mut symbols = vec![VERSION_VALUE];
    symbols.extend(v1::body(s, replay).sextets());
    check::seal(&mut symbols);
    symbols.into_iter().map(|v| char::from(B64[usize::from(v & 0x3f)])).collect()
}

/// Reads a fragment of version 2 (without `#`, starting with its version).
/// Returns the scenario as the link spells it and the replay string.
pub(crate) fn decode(fragment: &str) -> Result<(Scenario, Option<String>), DecodeError> {
    // One pass: the values of the characters, whitespace skipped (a link
    // broken over lines by a mail program still reads).
    let mut symbols: Vec<u8> = Vec::with_capacity(fragment.len());
    let mut chars = 0;
    for (i, c) in fragment.chars().enumerate() {
        if c.is_whitespace() {
            continue;
        }
        let pos = i + 1;
        let Some(v) = v1::value_of(c) else {
            let at_end = fragment.chars().skip(i + 1).all(char::is_whitespace);
            if at_end && ".,;:!?)]}>'\"=".contains(c) {
                return Err(DecodeError::new(
                    Kind::BadCharacter { position: pos },
                    format!(
                        "the link ends in `{c}` (position {pos}), which is not part of it: \
                         remove it (it was taken along from the text around the link)"
                    ),
                ));
            }
            return Err(v1::bad_character(c, pos));
        };
        symbols.push(v);
        chars = pos;
    }
    if symbols.len() <= 1 {
        return Err(DecodeError::new(
            Kind::CutShort,
            "the link is cut short: it has its version (`2`) and nothing after it; copy the whole link",
        ));
    }
    if let Err(failure) = check::verify(&symbols) {
        return Err(diagnose(&symbols, failure, chars));
    }
    // The check holds: the string is what the encoder made of its first
    // characters. What follows can still refuse a link made by hand.
    let payload = &symbols[1..symbols.len() - 2];
    match v1::read_body(payload) {
        Ok(b) if b.rest >= 12 => Err(DecodeError::new(
            Kind::Invalid,
            format!(
                "the link goes on for {} character(s) after the scenario ends; \
                 it was not made by this playground, or it was altered",
                b.rest / 6 - 1
            ),
        )),
        Ok(b) if !b.rest_is_zero => Err(DecodeError::new(
            Kind::Invalid,
            "the link's last bits are not zero; it was not made by this playground, or it was altered",
        )),
        Ok(b) => Ok((b.scenario, b.replay)),
        Err(BodyError::Short { place }) => Err(cut_short(&place, chars)),
        Err(BodyError::Invalid { place, message }) => Err(DecodeError::new(
            Kind::Invalid,
            format!(
                "the link does not decode: in {place}, {message}; \
                 it was not made by this playground, or it was altered"
            ),
        )),
    }
}

fn cut_short(place: &str, chars: usize) -> DecodeError {
    DecodeError::new(
        Kind::CutShort,
        format!(
            "the link is cut short: it ends in {place} after {chars} characters \
             (was it wrapped or cut by your mail program?); copy the whole link, up to its last character"
        ),
    )
}

/// Why a link fails its check, in words: read as if it had no check
/// characters, does it end inside the scenario or before its check
/// characters (cut short), or is something in it changed (damaged)?
fn diagnose(symbols: &[u8], failure: Failure, chars: usize) -> DecodeError {
    let damaged = |hint: &str| {
        DecodeError::new(
            Kind::Damaged,
            format!(
                "the link is damaged: its last two characters do not match the others{hint}, so a \
                 character was changed, added or lost on the way; copy the whole link again, exactly \
                 as it was sent"
            ),
        )
    };
    let odd = if failure == Failure::OddLength { " (and it has an odd number of characters)" } else { "" };
    match v1::read_body(&symbols[1..]) {
        Err(BodyError::Short { place }) => cut_short(&place, chars),
        Err(BodyError::Invalid { .. }) => damaged(odd),
        Ok(b) => {
            // The characters a sealed link of this scenario has: the
            // version, those holding the bits, a zero one to make the
            // count even, then two check characters.
            let used = 1 + (symbols.len() - 1) - b.rest / 6;
            let sealed = used + used % 2 + 2;
            if symbols.len() < sealed {
                DecodeError::new(
                    Kind::CutShort,
                    format!(
                        "the link is cut short: it has {} of its {sealed} characters, its check characters \
                         are missing (was it wrapped or cut by your mail program?); copy the whole link, up \
                         to its last character",
                        symbols.len()
                    ),
                )
            } else {
                damaged(odd)
            }
        }
    }
}
