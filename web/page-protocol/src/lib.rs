//! What the page and its deferred module hand each other.
//!
//! The page's first load holds what its first screen needs: the editor,
//! the parser and checker, the model, the timeline and the results grid.
//! Everything a visitor reaches only by doing something (opening a link,
//! a `par` scenario's exploration, the Explore view, copying a mail,
//! Markdown or an SVG, pasting a mail, the address that follows the
//! edits, the state after a chosen event) is in a second wasm module, `web/deferred`, which the
//! page imports right after its first render. Two wasm modules share no
//! memory, so what crosses between them crosses as these types; the
//! results table is `errseq_render::Analysis` itself (without the
//! explorer's report, which stays in the deferred module with the Explore
//! view that reads it).
//!
//! **Why bytes, not serde-wasm-bindgen** (which the Stress view's workers
//! speak): its deserializer reads every JS number as a float and can say
//! so in an error, which links float formatting and its tables into the
//! first load (9.5 KB of code for one function, measured). These types
//! cross as postcard bytes (a `Uint8Array` through wasm-bindgen), whose
//! reader reads integers as integers; both modules use [`to_bytes`] and
//! [`from_bytes`] below, so the format is one crate's business.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub use errseq::Scheme;
pub use errseq_render::Analysis;
pub use errseq_scenario::Diagnostic;

/// What a link's fragment opens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkReading {
    /// The scenario's text (canonical, or as typed for a text link whose
    /// text has mistakes) and the interleaving it names.
    Opened { text: String, replay: Option<String> },
    /// Why the link cannot be opened, in words.
    Problem(String),
}

/// The link's fragment for the text being edited, or why no link
/// carries it.
pub type Fragment = Result<String, String>;

/// What the deferred module says of a text the page leaves to it (`par`
/// blocks, claims, or a scheme the text writes).
#[derive(Clone, Debug, Serialize, Deserialize)]
// Made once per text and moved, never copied around: the size of the small
// variants does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Analysed {
    /// The results table every view reads, and the warnings of the whole
    /// check (a written scheme's C's among them).
    Results { table: Analysis, warnings: Vec<Diagnostic> },
    /// The whole check's errors and warnings (the C of a scheme block is
    /// checked only there), or a written scheme's fault, at its line:col.
    Problems(Vec<Diagnostic>),
    /// Why the exploration stopped.
    Stopped(String),
}

/// A scheme block's C as the text pane's mirror paints it: each line of
/// the text (split at `\n`) with its painted runs, in character
/// positions (end excluded), in order; none for a line that is not C.
pub type Painted = Vec<Vec<(u32, u32, Paint)>>;

/// What a run of characters is.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Paint {
    Keyword,
    Comment,
    Number,
    /// One of the steps the explorer interleaves.
    Atomic,
}

impl Paint {
    /// Its class in the page's stylesheet.
    pub fn class(self) -> &'static str {
        match self {
            Paint::Keyword => "hl-kw",
            Paint::Comment => "hl-com",
            Paint::Number => "hl-num",
            Paint::Atomic => "hl-atomic",
        }
    }
}

/// One scenario found in a pasted mail, as the page's banner offers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastedScenario {
    /// Its title (or first call) and where it was found.
    pub label: String,
    /// Where it was found, in words: `the scenario block on line 4`.
    pub found_at: String,
    /// The text, or why none could be read.
    pub text: Result<String, String>,
    pub replay: Option<String>,
    /// How it was read: joined lines, a text that differs from its link.
    pub notes: Vec<String>,
}

/// What a copy button asks for: the toolbar's forms, and the SVG, which
/// is downloaded rather than copied.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Copy {
    Link,
    Text,
    Email,
    Markdown,
    Embed,
    Svg,
}

/// A copy to make, and to put on the clipboard (or download): the text,
/// the interleaving shown, the results the page shows for it (`None`
/// while it has none) and whether the text passed the page's check. The
/// deferred module makes the link, the copy and the clipboard's write.
/// `R` is `&Analysis` where the page writes it (the table it shows,
/// borrowed) and `Analysis` where the deferred module reads it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CopyRequest<R> {
    pub form: Copy,
    pub text: String,
    pub replay: Option<String>,
    pub results: Option<R>,
    pub checked: bool,
}

/// What the page's state inspector asks for: the state after event
/// `event` (0-based) of `text`, under column `column` of the results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspect {
    pub text: String,
    pub event: usize,
    pub column: usize,
    /// The state from the page's own evaluation (a text it evaluates:
    /// no written scheme, `par` block or claim); `None` for a text the
    /// deferred module evaluated (it writes a scheme), whose states the
    /// module keeps.
    pub state: Option<PageState>,
}

/// One column's state after one event, as the page's evaluation keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageState {
    /// The built-in scheme the column runs, and the column's name.
    pub scheme: Scheme,
    pub name: String,
    /// The model's cells after the event.
    pub cells: Vec<u32>,
}

/// The inspector's caption and its body (markup made by the deferred
/// module, every name in it escaped), or why there is no state to show.
pub type Inspected = Result<(String, String), String>;

/// A value as it crosses to the other module.
pub fn to_bytes<T: Serialize>(value: &T) -> Vec<u8> {
    // Writing to a growing Vec fails only on a type serde cannot write
    // (none here: every type above is plain data).
    postcard::to_allocvec(value).unwrap_or_default()
}

/// A value from the other module, or why it cannot be read (the two
/// modules come from different builds: a stale cache). Postcard's own
/// reason is left out: it would not help a reader, and its messages and
/// their formatting are half a kilobyte of the page's first load.
pub fn from_bytes<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    postcard::from_bytes(bytes).map_err(|_| "the page's two modules do not match; reload the page".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analysis(text: &str) -> Analysis {
        let p = errseq_scenario::parse(text).expect("valid");
        let r = errseq_explorer::check(&p, errseq_explorer::Bounds::default()).expect("explores");
        Analysis::explored(&p, r)
    }

    #[test]
    fn a_results_table_crosses_whole_but_for_the_report() {
        let a = analysis(
            "schemes: linux-4.12 linux\nopen a f\npar\n  fsync a => 0\n  error f EIO\nend\nfsync a\n",
        );
        assert!(a.report.is_some());
        let back: Analysis = from_bytes(&to_bytes(&a)).expect("reads back");
        assert_eq!(back.columns, a.columns);
        assert_eq!(back.rows, a.rows);
        assert!(back.report.is_none(), "the report stays with the Explore view");
        // The failed expectation crosses with what was expected and what broke it.
        assert_eq!(back.failure_sentences(), a.failure_sentences());
        assert_eq!(back.failure_sentences().len(), 2, "{:?}", back.failure_sentences());
    }

    #[test]
    fn a_link_reading_and_a_pasted_scenario_cross_as_they_are() {
        let r = LinkReading::Opened { text: "open a f\n".into(), replay: Some("r1".into()) };
        let back: LinkReading = from_bytes(&to_bytes(&r)).expect("reads back");
        assert_eq!(back, r);
        let p = PastedScenario {
            label: "t".into(),
            found_at: "line 3".into(),
            text: Err("cut short".into()),
            replay: None,
            notes: vec!["joined".into()],
        };
        let back: PastedScenario = from_bytes(&to_bytes(&p)).expect("reads back");
        assert_eq!(back, p);
    }

    #[test]
    fn bytes_of_another_type_are_refused_not_misread() {
        let bytes = to_bytes(&LinkReading::Problem("x".into()));
        assert!(from_bytes::<Vec<PastedScenario>>(&bytes[..1]).is_err());
        assert!(from_bytes::<LinkReading>(&[]).is_err());
        assert!(from_bytes::<LinkReading>(&[7, 1, 2]).is_err(), "no variant 7");
    }
}
