//! Why a link does not decode, in words a user can act on.

use std::fmt;

/// What kind of problem a link has, for callers that react differently
/// (the web app highlights a bad character, say). The message says it in
/// words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kind {
    /// Nothing after the `#`.
    Empty,
    /// Longer than any link this playground makes or reads.
    TooLong,
    /// A character no link holds, at this position (1-based, counted in
    /// characters after the `#`).
    BadCharacter { position: usize },
    /// A format version this playground does not read.
    UnknownVersion,
    /// The link ends before the scenario does: cut or wrapped.
    CutShort,
    /// The check character does not match: characters changed, added or lost.
    Damaged,
    /// Well-formed characters that do not make a scenario (a link not
    /// made by this playground, or edited).
    Invalid,
    /// A `text=` link whose scenario text does not parse, or whose
    /// percent-encoding is broken.
    BadText,
    /// A scenario beyond what a link carries (names, lines, text): the
    /// same limits [`crate::try_encode`] holds a scenario to.
    TooBig,
}

/// A link that does not decode: [`Kind`] and a message that says which
/// part is wrong, why, and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    kind: Kind,
    message: String,
    text: Option<String>,
}

impl DecodeError {
    pub(crate) fn new(kind: Kind, message: impl Into<String>) -> DecodeError {
        DecodeError { kind, message: message.into(), text: None }
    }

    pub(crate) fn with_text(mut self, text: String) -> DecodeError {
        self.text = Some(text);
        self
    }

    /// For a `text=` link whose scenario text does not parse: that text,
    /// so that an editor can open it and show its errors where they are.
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DecodeError {}

/// A scenario no link carries: which limit it passes, in a sentence
/// about the scenario ("the scenario has 4097 names ...").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TooBig {
    message: String,
}

impl TooBig {
    pub(crate) fn new(message: String) -> TooBig {
        TooBig { message }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for TooBig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TooBig {}
