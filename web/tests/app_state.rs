//! The page's state logic, compiled to wasm and run in headless Chromium:
//! the document's history, timeline edits, the timeline layout, and the
//! analysis behind the results grid.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p errseq-web --target wasm32-unknown-unknown --test app_state`
#![cfg(target_arch = "wasm32")]

use errseq_scenario::{parse_unchecked, Event, Name, Stmt};
use errseq_web::analysis::Analysis;
use errseq_web::doc::{Doc, HISTORY};
use errseq_web::{edit, lanes};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn undo_and_redo_walk_the_history() {
    let mut d = Doc::new("sync\n");
    d.typed("sync\ns".into(), 0.0);
    d.typed("sync\nsy".into(), 10.0);
    d.replace("open a f\n".into());
    assert!(d.undo());
    assert_eq!(d.text(), "sync\nsy");
    assert!(d.undo());
    assert_eq!(d.text(), "sync\n");
    assert!(d.redo() && d.redo());
    assert_eq!(d.text(), "open a f\n");
    for i in 0..HISTORY + 50 {
        d.replace(format!("sync # {i}\n"));
    }
    let mut steps = 0;
    while d.undo() {
        steps += 1;
    }
    assert_eq!(steps, HISTORY, "the page keeps exactly HISTORY (200) steps");
    assert_eq!(d.text(), "sync # 49\n", "the oldest kept text: the one the 51st replacement replaced");
}

#[wasm_bindgen_test]
fn a_timeline_edit_gives_text_that_parses_back() {
    let (mut s, _) = parse_unchecked("open a f\nwrite a\nfsync a => EIO  # why\n").expect("valid");
    let fd = Name::new("a").expect("name");
    edit::insert_after(&mut s, Some(1), Stmt::new(Event::Fdatasync { fd }));
    edit::move_event(&mut s, 3, true);
    let text = s.to_string();
    assert_eq!(text, "open a f\nwrite a\nfsync a => EIO  # why\nfdatasync a\n");
    assert_eq!(parse_unchecked(&text).expect("parses").0, s);
    let t = lanes::timeline(&s);
    assert_eq!(t.columns, 1);
    assert!(t.rows.iter().all(|r| r.lane == Some(0)));
}

#[wasm_bindgen_test]
fn the_grid_follows_the_text() {
    let a =
        Analysis::of("schemes: linux-4.12 linux\nopen a f\nopen b f\nerror f EIO\nfsync a\nfsync b => EIO\n");
    let g = a.evaluated().expect("valid");
    assert_eq!(g.failures(), 1);
    assert!(g.0.rows[4].differs);
    let bad = Analysis::of("open a f\nfsnyc a\n");
    assert!(bad.evaluated().is_none());
    assert_eq!(bad.diagnostics()[0].to_string(), "2:1: unknown call `fsnyc`; did you mean `fsync`?");
}

/// What the deferred module makes of a `par` scenario
/// (`web/deferred/src/explored.rs`).
fn explored(text: &str) -> errseq_render::Analysis {
    assert!(Analysis::of(text).is_deferred(), "the page hands it to the deferred module");
    let p = errseq_scenario::parse(text).expect("valid");
    let bounds = errseq_explorer::Bounds { max_states: 600_000, max_tasks: 16 };
    errseq_render::Analysis::explored(&p, errseq_explorer::check(&p, bounds).expect("explores"))
}

#[wasm_bindgen_test]
fn a_par_scenario_is_explored_in_the_browser() {
    let g = explored(
        "schemes: linux-4.13 linux-5.8\nopen a f\nopen b f\npar\n  fsync a\n  error f EIO\n  fsync b\nend\n",
    );
    // The same `*` rows as `errseq run` and the mail text (crates/cli/tests/cli.rs).
    let one = explored("schemes: linux-4.13\nopen a f\npar\n  fsync a\n  error f EIO\nend\nfsync a\n");
    let marked: Vec<u32> = one.rows.iter().filter(|r| r.differs).map(|r| r.line).collect();
    assert_eq!(marked, [4, 7]);
    assert_eq!(g.rows[2].cells[0].text(), "{0, EIO}");
    assert_eq!(g.rows[4].cells[1].text(), "{0, EIO}");
}
