//! The module's one exploration: of the last text the page asked about.
//!
//! The page asks for a `par` scenario's results (`explore`), the Explore
//! view shows the same text's joint outcomes and counterexamples, and a
//! copy of its mail needs the claims' verdicts: all three read this one
//! exploration, made once per text.

use std::cell::RefCell;
use std::rc::Rc;

use errseq_explorer::{Bounds, Report, SearchError};
use errseq_render::Analysis;
use errseq_scenario::{parse, Parsed};

/// A smaller state budget than the CLI's: the browser must stay responsive.
pub const BROWSER_BOUNDS: Bounds = Bounds { max_states: 600_000, max_tasks: 16 };

/// What exploring a text gave.
// One per text, behind an Rc: the size of the empty variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Exploration {
    /// The text has problems, or nothing to explore (no `par` block, no
    /// claim): the page evaluates it itself.
    Nothing,
    Explored {
        parsed: Parsed,
        results: Result<Analysis, SearchError>,
    },
}

impl Exploration {
    fn of(text: &str) -> Exploration {
        match parse(text) {
            Ok(p) if p.scenario.has_par() || p.scenario.claims().next().is_some() => {
                let results = errseq_explorer::check(&p, BROWSER_BOUNDS).map(|r| Analysis::explored(&p, r));
                Exploration::Explored { parsed: p, results }
            }
            _ => Exploration::Nothing,
        }
    }

    pub fn parsed(&self) -> Option<&Parsed> {
        match self {
            Exploration::Explored { parsed, .. } => Some(parsed),
            Exploration::Nothing => None,
        }
    }

    /// The explorer's report, or why it stopped.
    pub fn report(&self) -> Option<Result<&Report, &SearchError>> {
        match self {
            // Explored results always carry their report.
            Exploration::Explored { results, .. } => match results {
                Ok(a) => a.report.as_ref().map(Ok),
                Err(e) => Some(Err(e)),
            },
            Exploration::Nothing => None,
        }
    }
}

/// An exploration shared by the views; equal when it is the same one.
#[derive(Clone, Debug)]
pub struct Explored(pub Rc<Exploration>);

impl PartialEq for Explored {
    fn eq(&self, other: &Explored) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

thread_local! {
    static LAST: RefCell<Option<(String, Explored)>> = const { RefCell::new(None) };
}

/// The exploration of `text`: the one already made, or made now.
pub fn of(text: &str) -> Explored {
    LAST.with(|last| {
        if let Some((t, e)) = last.borrow().as_ref() {
            if t == text {
                return e.clone();
            }
        }
        errseq_web::browser::count("explorations");
        let e = Explored(Rc::new(Exploration::of(text)));
        *last.borrow_mut() = Some((text.to_owned(), e.clone()));
        e
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAR: &str = "schemes: linux-4.13\nopen a f\npar\n  fsync a\n  error f EIO\nend\nfsync a\n";

    #[test]
    fn one_exploration_per_text() {
        let a = of(PAR);
        assert!(of(PAR) == a, "asked again: the same one");
        assert_eq!(a.0.parsed().map(|p| p.scenario.stmts().count()), Some(4));
        assert!(matches!(a.0.report(), Some(Ok(_))));
        let b = of("open a f\nfsync a\n");
        assert!(b != a);
        assert!(matches!(&*b.0, Exploration::Nothing), "a sequential text is the page's");
        assert!(matches!(&*of("fsnyc a\n").0, Exploration::Nothing));
    }
}
