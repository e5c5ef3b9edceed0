//! The page's state inspector, drawn here ([`crate::inspector`]), so that
//! its markup stays out of the page's first load.
//!
//! The page asks for the state after one event under one column of its
//! results ([`Inspect`]). For a text the page evaluates itself, it sends
//! the cells its evaluation keeps; what they mean (which cell is which
//! file's word, page or cursor) is the text's program, which this module
//! compiles from the same text with the same code, once per text. For a
//! text that writes a scheme, the evaluation and its states are already
//! this module's ([`crate::explored`]). Either way a click computes no
//! result: it reads a state that was kept.

use std::cell::RefCell;
use std::rc::Rc;

use errseq::SchemeKey;
use errseq_model::Program;
use errseq_page_protocol::{Inspect, Inspected, PageState};
use errseq_scenario::Parsed;

use crate::explored::{self, Exploration};
use crate::inspector::{markup, Snapshot};

/// The caption and markup for the page's inspector.
pub fn of(req: &Inspect) -> Inspected {
    match &req.state {
        Some(state) => page_state(req, state),
        None => written_state(req),
    }
}

/// "after line 9 `fsync b` under linux-4.12".
fn caption(p: &Parsed, event: usize, name: &str) -> String {
    let stmt = p.scenario.stmts().nth(event).map(|(s, _)| s.event.to_string()).unwrap_or_default();
    let line = p.source.events.get(event).map_or(0, |e| e.line());
    format!("after line {line} `{stmt}` under {name}")
}

/// A text the page evaluates: its cells, read by the text's program.
fn page_state(req: &Inspect, state: &PageState) -> Inspected {
    let compiled = compiled(&req.text).ok_or(NO_STATE)?;
    let parsed = compiled.explored.0.parsed().ok_or(NO_STATE)?;
    let program = &compiled.program;
    if req.event >= program.ops.len() || state.cells.len() != program.layout.len {
        return Err(MISMATCH.to_owned());
    }
    let snap =
        Snapshot { program, scheme: state.scheme, word: None, cells: &state.cells, events: req.event + 1 };
    Ok((caption(parsed, req.event, &state.name), markup(&snap)))
}

/// A sequential text that writes a scheme: this module evaluated it and
/// keeps its states; a written column's cells are its base's.
fn written_state(req: &Inspect) -> Inspected {
    let e = explored::of(&req.text);
    let Exploration::Evaluated { parsed, eval, .. } = &*e.0 else {
        return Err(NOT_RUN.to_owned());
    };
    if req.column >= eval.columns.len() || req.event >= eval.program.ops.len() {
        return Err(MISMATCH.to_owned());
    }
    let name = eval.columns[req.column].0;
    let scheme = match name.resolve() {
        SchemeKey::Written(w) => parsed.scenario.scheme_blocks().find(|b| b.name == w).map(|b| b.base),
        SchemeKey::BuiltIn(s) => Some(s),
    };
    let scheme = scheme.ok_or(NOT_RUN)?;
    let word = e.0.words().get(req.column).copied().flatten();
    let cells = eval.run(req.column).cells_after(req.event);
    let snap = Snapshot { program: &eval.program, scheme, word, cells, events: req.event + 1 };
    Ok((caption(parsed, req.event, name.as_str()), markup(&snap)))
}

const NO_STATE: &str = "The state appears when the scenario has no problems.";
const NOT_RUN: &str = "The state appears once the written scheme has run.";
const MISMATCH: &str = "The state cannot be shown: the page's two modules do not match; reload the page.";

/// A text the page evaluates, as this module checked it
/// ([`explored::of`], which keeps it parsed), and its program.
struct Compiled {
    explored: explored::Explored,
    program: Program,
}

thread_local! {
    static LAST: RefCell<Option<(String, Rc<Compiled>)>> = const { RefCell::new(None) };
}

/// The program of `text`: the one already compiled, or compiled now;
/// `None` if the text is not the page's to evaluate, or does not check
/// (the page asks only for texts it evaluated).
fn compiled(text: &str) -> Option<Rc<Compiled>> {
    LAST.with(|last| {
        if let Some((t, c)) = last.borrow().as_ref() {
            if t == text {
                return Some(c.clone());
            }
        }
        let explored = explored::of(text);
        let Exploration::PageOwn { parsed } = &*explored.0 else { return None };
        let program = Program::compile(parsed);
        let c = Rc::new(Compiled { explored: explored.clone(), program });
        *last.borrow_mut() = Some((text.to_owned(), c.clone()));
        Some(c)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use errseq_scenario::parse;

    const TEXT: &str = "schemes: linux-4.13\nopen a f\nwrite a\nfail f EIO\nfsync a\nfsync a\n";

    /// The page's side: its evaluation's cells after `event` in `column`.
    fn page_request(text: &str, column: usize, event: usize) -> Inspect {
        let p = parse(text).expect("valid");
        let eval = errseq_model::Evaluation::built_in(&p).expect("evaluates");
        let run = eval.run(column);
        let state = PageState {
            scheme: run.scheme,
            name: eval.columns[column].0.to_string(),
            cells: run.cells_after(event).to_vec(),
        };
        Inspect { text: text.to_owned(), event, column, state: Some(state) }
    }

    #[test]
    fn the_pages_cells_are_drawn_with_the_texts_program() {
        let (caption, body) = of(&page_request(TEXT, 0, 4)).expect("a state");
        assert_eq!(caption, "after line 6 `fsync a` under linux-4.13");
        assert!(body.contains(r#"aria-label="0x00001005: counter 0, SEEN, errno EIO""#), "{body}");
        assert!(body.contains("errno EIO · SEEN · counter 0"), "{body}");
        assert!(body.contains("LOST: a sync returned 0 for v1"), "{body}");
        assert!(body.contains("<td>a</td><td>f</td>"), "{body}");
    }

    #[test]
    fn cells_that_do_not_fit_the_program_are_refused() {
        let mut req = page_request(TEXT, 0, 4);
        if let Some(s) = req.state.as_mut() {
            s.cells.pop();
        }
        assert_eq!(of(&req), Err(MISMATCH.to_owned()));
        let mut req = page_request(TEXT, 0, 4);
        req.event = 99;
        assert_eq!(of(&req), Err(MISMATCH.to_owned()));
        req.text = "fsnyc a\n".to_owned();
        assert_eq!(of(&req), Err(NO_STATE.to_owned()));
    }

    #[test]
    fn a_written_schemes_column_is_drawn_from_this_modules_evaluation() {
        let text = "schemes: linux-4.17 mine\n\
            scheme mine from linux-4.17\n\
            int errseq_check(errseq_t *eseq, errseq_t since)\n\
            {\n\
            \treturn 0;\n\
            }\n\
            end\n\
            open a f\n\
            error f EIO\n\
            fsync a\n";
        let req = Inspect { text: text.to_owned(), event: 1, column: 1, state: None };
        let (caption, body) = of(&req).expect("a state");
        assert_eq!(caption, "after line 9 `error f EIO` under mine");
        assert!(body.contains("the scheme's layout"), "{body}");
        let req = Inspect { column: 2, ..req };
        assert_eq!(of(&req), Err(MISMATCH.to_owned()));
        let sequential = Inspect { text: TEXT.to_owned(), event: 0, column: 0, state: None };
        assert_eq!(of(&sequential), Err(NOT_RUN.to_owned()));
    }
}
