//! The characters of versions 2 and 3: the version, the bit string in
//! base64url, a zero character when needed to make the count even, and
//! two check characters ([`crate::check`]), so that no single changed,
//! added, lost or swapped character goes unnoticed.
//!
//! The two versions differ only in their version character and in the
//! entries their bit string may hold ([`Grammar`]); each has its module
//! (`v2`, `v3`) that names its own.

use errseq_scenario::Scenario;

use crate::check::{self, Failure};
use crate::error::{DecodeError, Kind};
use crate::v1::{self, BodyError, Grammar, B64};

/// One sealed format version.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Version {
    /// The version character.
    pub(crate) char: char,
    /// The entries its bit string may hold.
    pub(crate) grammar: Grammar,
}

impl Version {
    /// The version character's value as a base64url character (`2` is
    /// 54): the first symbol the check covers.
    fn value(self) -> u8 {
        v1::value_of(self.char).unwrap_or(0)
    }

    /// The fragment of this version for `s` (and a replay string).
    pub(crate) fn encode(self, s: &Scenario, replay: Option<&str>) -> String {
        let mut symbols = vec![self.value()];
        symbols.extend(v1::body(s, replay, self.grammar).sextets());
        check::seal(&mut symbols);
        symbols.into_iter().map(|v| char::from(B64[usize::from(v & 0x3f)])).collect()
    }

    /// Reads a fragment of this version (without `#`, starting with its
    /// version). Returns the scenario as the link spells it and the replay
    /// string.
    pub(crate) fn decode(self, fragment: &str) -> Result<(Scenario, Option<String>), DecodeError> {
        // One pass: the values of the characters, whitespace skipped (a
        // link broken over lines by a mail program still reads).
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
                format!(
                    "the link is cut short: it has its version (`{}`) and nothing after it; copy the whole link",
                    self.char
                ),
            ));
        }
        if let Err(failure) = check::verify(&symbols) {
            return Err(self.diagnose(&symbols, failure, chars));
        }
        // The check holds: the string is what the encoder made of its
        // first characters. What follows can still refuse a link made by
        // hand.
        let payload = &symbols[1..symbols.len() - 2];
        match v1::read_body(payload, self.grammar) {
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

    /// Whether `s` (whitespace skipped) passes this version's check and
    /// decodes: for telling a damaged link of this version from a link of
    /// version 1.
    pub(crate) fn reads(self, s: &str) -> bool {
        let symbols: Option<Vec<u8>> = s.chars().map(v1::value_of).collect();
        // The check first: a real version-1 link fails it at once, and the
        // decoder's reading of a failed link (for its message) is not
        // needed here.
        let passes = symbols.is_some_and(|s| check::verify(&s).is_ok());
        passes && s.starts_with(self.char) && self.decode(s).is_ok()
    }

    /// Why a link fails its check, in words: read as if it had no check
    /// characters, does it end inside the scenario or before its check
    /// characters (cut short), or is something in it changed (damaged)?
    fn diagnose(self, symbols: &[u8], failure: Failure, chars: usize) -> DecodeError {
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
        let odd =
            if failure == Failure::OddLength { " (and it has an odd number of characters)" } else { "" };
        match v1::read_body(&symbols[1..], self.grammar) {
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
                            "the link is cut short: it has {} of its {sealed} characters, its check \
                             characters are missing (was it wrapped or cut by your mail program?); copy the \
                             whole link, up to its last character",
                            symbols.len()
                        ),
                    )
                } else {
                    damaged(odd)
                }
            }
        }
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
