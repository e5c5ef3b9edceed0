//! Plain-text views of an evaluated scenario, for terminals and mail.
//!
//! [`timeline`] is the results table (events down, schemes across) that
//! `errseq run` prints; [`state`] dumps the model after one event;
//! [`trace`] is `errseq run --scheme`, event by event. For
//! scenarios with `par` blocks, [`timeline_sets`] shows each call's set of
//! results, [`outcomes`] the joint outcomes with their counts and replay
//! strings, [`violations`] what does not hold with a counterexample, and
//! [`trace_steps`] one interleaving step by step. [`email`] and
//! [`markdown`] are the results for mail and for GitHub, [`svg`] a
//! picture for documents; [`lanes`] lays the timeline out for the SVG and
//! the page.

pub mod analysis;
mod email;
pub use email::{email, markdown};
pub use svg::{svg, xml};
mod explore;
pub mod lanes;
mod svg;
mod table;

use std::fmt::Write;

use errseq::{Fields, SchemeKey, SchemeName};
use errseq_model::{Program, State, Stepper};
use errseq_scenario::{inert, Parsed};

pub use analysis::{result_text, Analysis};
pub use explore::{
    call_name, describe_site, describe_step, outcomes, thousands, timeline_sets, trace_steps, violations,
};
pub use table::Table;

/// Events down, schemes across, for a scenario without `par` blocks
/// (explored: one joint outcome per scheme). A `*` before the event marks
/// a row where the schemes disagree; a `✗` after a result marks a failed
/// expectation, and a list below the table says what each expected.
pub fn timeline(p: &Parsed, a: &Analysis) -> String {
    let mut t = Table::new().right_align(0);
    let mut head = vec!["line".to_owned(), "  event".to_owned()];
    head.extend(a.columns.iter().map(ToString::to_string));
    t.row(head);
    for row in &a.rows {
        let mark = if row.differs { '*' } else { ' ' };
        let mut cells = vec![row.line.to_string(), format!("{mark} {}", row.text)];
        for cell in &row.cells {
            cells.push(if cell.failed.is_some() { format!("{} ✗", cell.text()) } else { cell.text() });
        }
        t.row(cells);
    }
    let mut out = String::new();
    if let Some(title) = &p.scenario.title {
        let _ = writeln!(out, "{}", inert(title));
    }
    let _ = writeln!(out, "fs: {}", p.scenario.fs().id());
    let _ = writeln!(out);
    for line in t.lines() {
        let _ = writeln!(out, "{line}");
    }
    let failures = a.failure_sentences();
    if !failures.is_empty() {
        let _ = writeln!(out, "\n✗ {} expectation(s) failed:", failures.len());
        for f in failures {
            let _ = writeln!(out, "  {f}");
        }
    }
    out
}

/// A word in hex and by field: `0x00001005  EIO  seen  counter 0`.
pub fn word(f: Fields) -> String {
    let mut s = format!("{:#010x}", f.word);
    if f.word == 0 {
        s.push_str("  (no error)");
        return s;
    }
    let _ = write!(s, "  {}", f.errno);
    match f.seen {
        Some(true) => s.push_str("  seen"),
        Some(false) => s.push_str("  unseen"),
        None => {}
    }
    let _ = write!(s, "  counter {}", f.counter);
    s
}

fn flags(bits: u32) -> String {
    let names: Vec<&str> = errseq::word::flag_names(bits).collect();
    if names.is_empty() {
        "-".to_owned()
    } else {
        names.join("|")
    }
}

/// The model after one event: files (word, flags, storage, pages), open
/// descriptions (cursors), the superblock's word. Pages never written yet
/// are left out.
pub fn state(s: &State<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for f in s.files() {
        let mut parts = vec![format!("file {}", f.name)];
        parts.extend(f.word.map(|w| format!("wb_err {}", word(w))));
        parts.extend(f.flags.map(|b| format!("flags {}", flags(b))));
        let some_fail = f.pages.iter().any(|p| p.failing.is_some());
        parts.push(match f.failing {
            Some(e) => format!("storage fails {e}"),
            None if some_fail => "storage fails some pages".to_owned(),
            None => "storage ok".to_owned(),
        });
        out.push(parts.join("  "));
        for p in f.pages.iter().filter(|p| p.written > 0) {
            let mut page = format!(
                "  page {}  {}  written v{}  cache v{}  disk v{}",
                p.number,
                if p.dirty { "dirty" } else { "clean" },
                p.written,
                p.cache,
                p.disk
            );
            if let (Some(e), None) = (p.failing, f.failing) {
                let _ = write!(page, "  storage fails {e}");
            }
            if p.lost() {
                let _ = write!(page, "  LOST (a sync returned 0 for v{})", p.promised);
            }
            out.push(page);
        }
    }
    for d in s.descriptions() {
        let names: Vec<&str> = d.fds.iter().map(|n| n.as_str()).collect();
        let file = s.file(d.file);
        let mut parts = vec![format!("fd {} on {}", names.join(","), file.name)];
        if let (Some(c), Some(w)) = (d.cursor, file.word) {
            let rel = if c == w.word { "= wb_err" } else { "behind wb_err" };
            parts.push(format!("f_wb_err {c:#010x} ({rel})"));
        }
        if let (Some(c), Some(sb)) = (d.sb_cursor, s.sb()) {
            let rel = if c == sb.word { "= s_wb_err" } else { "behind s_wb_err" };
            parts.push(format!("f_sb_err {c:#010x} ({rel})"));
        }
        out.push(parts.join("  "));
    }
    if let Some(sb) = s.sb() {
        out.push(format!("superblock  s_wb_err {}", word(sb)));
    }
    out
}

/// `errseq run --scheme`: the scheme's header, then every event with its
/// result (and, when it fails its expectation, `✗ expected …`) followed
/// by the state after it, one event per item. The model
/// runs as the items are taken, keeping one state ([`Stepper`]), so
/// memory does not grow with the events and a caller can stop early.
pub fn trace<'a>(p: &'a Parsed, program: &'a Program, name: SchemeName) -> impl Iterator<Item = String> + 'a {
    let summary = match name.resolve() {
        SchemeKey::BuiltIn(s) => s.summary().to_owned(),
        SchemeKey::Written(_) => {
            let base = program.written.iter().find(|w| SchemeName::Written(w.name) == name);
            base.map_or_else(String::new, |w| format!("written in the scenario, from {}", w.program.base()))
        }
    };
    let header = format!("{}scheme {name} ({summary}), fs {}\n", title_line(p), p.scenario.fs().id());
    let mut stepper = Stepper::column(program, name.resolve(), p.scenario.fs());
    let mut stmts = p.scenario.stmts();
    let events = std::iter::from_fn(move || {
        let (stmt, _) = stmts.next()?;
        let (event, result) = stepper.as_mut()?.step()?;
        // The explorer ran first and would have stopped on a fault; a
        // caller that did not is told here, and the rest means nothing.
        if let Some(f) = stepper.as_ref().and_then(Stepper::fault) {
            stepper = None;
            return Some(format!("\n{f}\n"));
        }
        let stepper = stepper.as_ref()?;
        let line = p.source.events.get(event).map_or(0, |s| s.line());
        let unmet = result.zip(stmt.expect.as_ref()).and_then(|(r, e)| e.unmet(name.resolve(), r));
        let result = match (result, unmet) {
            (Some(r), Some(expected)) => format!("  -> {r} ✗ expected {expected}"),
            (Some(r), None) => format!("  -> {r}"),
            (None, _) => String::new(),
        };
        let mut out = format!("\n{line:>4}  {}{result}\n", stmt.event);
        for l in state(&stepper.state()) {
            let _ = writeln!(out, "        {l}");
        }
        Some(out)
    });
    std::iter::once(header).chain(events)
}

fn title_line(p: &Parsed) -> String {
    p.scenario.title.as_ref().map_or_else(String::new, |t| format!("{}\n", inert(t)))
}
