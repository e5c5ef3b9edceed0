//! Plain-text views of an evaluated scenario, for terminals and mail.
//!
//! [`timeline`] is the results table (events down, schemes across) that
//! `errseq run` prints; [`state`] dumps the model after one event;
//! [`mismatches`] is `errseq check`'s table of failed expectations. For
//! scenarios with `par` blocks, [`timeline_sets`] shows each call's set of
//! results, [`outcomes`] the joint outcomes with their counts and replay
//! strings, [`violations`] what does not hold with a counterexample, and
//! [`trace_steps`] one interleaving step by step.

mod email;
pub use email::{email, markdown};
mod explore;
mod table;

use std::fmt::Write;

use errseq::{Fields, Ret};
use errseq_model::{Evaluation, State};
use errseq_scenario::Parsed;

pub use explore::{call_name, describe_step, outcomes, thousands, timeline_sets, trace_steps, violations};
pub use table::Table;

/// One result cell: blank for calls that return nothing.
fn cell(r: Option<Ret>) -> String {
    r.map_or_else(String::new, |r| r.to_string())
}

/// Events down, schemes across. A `*` before the event marks a row where
/// the schemes disagree; a `✗` after a result marks a failed expectation.
pub fn timeline(p: &Parsed, e: &Evaluation) -> String {
    let mismatches = e.mismatches(p);
    let mut t = Table::new().right_align(0);
    let mut head = vec!["line".to_owned(), "  event".to_owned()];
    head.extend(e.columns.iter().map(|(n, _)| n.to_string()));
    t.row(head);
    for (event, (stmt, _)) in p.scenario.stmts().enumerate() {
        let line = p.source.events[event].line();
        let mark = if e.differs(event) { '*' } else { ' ' };
        let mut row = vec![line.to_string(), format!("{mark} {}", stmt.event)];
        for (column, r) in e.row(event).enumerate() {
            let failed = mismatches.iter().any(|m| m.event == event && m.column == column);
            row.push(if failed { format!("{} ✗", cell(r)) } else { cell(r) });
        }
        t.row(row);
    }
    let mut out = String::new();
    if let Some(title) = &p.scenario.title {
        let _ = writeln!(out, "{title}");
    }
    let _ = writeln!(out, "fs: {}", p.scenario.fs().id());
    let _ = writeln!(out);
    for line in t.lines() {
        let _ = writeln!(out, "{line}");
    }
    if !mismatches.is_empty() {
        let _ = writeln!(out, "\n✗ {} expectation(s) failed", mismatches.len());
    }
    out
}

/// `errseq check`'s table of failed expectations.
pub fn mismatches(p: &Parsed, e: &Evaluation) -> String {
    let mut t = Table::new().right_align(0);
    t.row(["line", "event", "scheme", "expected", "actual"]);
    for m in e.mismatches(p) {
        let stmt = p.scenario.stmts().nth(m.event).map(|(s, _)| s.event.to_string()).unwrap_or_default();
        t.row([
            p.source.events[m.event].line().to_string(),
            stmt,
            e.columns[m.column].0.to_string(),
            m.expected.to_string(),
            m.actual.to_string(),
        ]);
    }
    t.lines().join("\n") + "\n"
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

/// `errseq run --scheme`: every event with its result under one column,
/// followed by the state after it.
pub fn trace(p: &Parsed, e: &Evaluation, column: usize) -> String {
    let mut out = String::new();
    let name = e.columns[column].0;
    let _ = writeln!(
        out,
        "{}scheme {name} ({}), fs {}",
        title_line(p),
        name.resolve().summary(),
        p.scenario.fs().id()
    );
    for (event, (stmt, _)) in p.scenario.stmts().enumerate() {
        let line = p.source.events[event].line();
        let result = e.run(column).results[event].map_or_else(String::new, |r| format!("  -> {r}"));
        let _ = writeln!(out, "\n{line:>4}  {}{result}", stmt.event);
        for l in state(&e.state_after(column, event)) {
            let _ = writeln!(out, "        {l}");
        }
    }
    out
}

fn title_line(p: &Parsed) -> String {
    p.scenario.title.as_ref().map_or_else(String::new, |t| format!("{t}\n"))
}
