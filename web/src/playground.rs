//! The playground view: the text with the results of every scheme beside
//! it, then the timeline (each edit on the text or the timeline updates
//! the other) with the state after the selected event beside it.
//!
//! What a link carries comes first: on a desktop the text and the
//! results share the first screen; on a narrow screen, one column, the
//! results come first, then the text (`.playground` in style.css).

use std::rc::Rc;

use errseq_scenario::{Diagnostic, Scenario};
use yew::prelude::*;

use crate::analysis::{Analysis, Answer, Grid, Shared};
use crate::editor::Editor;
use crate::grid::GridView;
use crate::inspector::{Inspector, Snapshot};
use crate::start_from::StartFrom;
use crate::timeline::TimelineView;

#[derive(Properties, PartialEq)]
pub struct PlaygroundProps {
    pub analysis: Shared,
    /// The deferred module's answer for a text it analyses.
    pub answer: Option<Rc<Answer>>,
    /// The problems to show: the deferred module's for a text it checks.
    pub diagnostics: Vec<Diagnostic>,
    pub text: AttrValue,
    pub grid: Option<Grid>,
    pub stale: bool,
    /// Why there are no results for the text yet (see `GridView`).
    pub grid_note: Option<AttrValue>,
    pub selected: Option<usize>,
    pub column: usize,
    pub on_type: Callback<String>,
    pub on_mail: Callback<Vec<errseq_page_protocol::PastedScenario>>,
    pub on_select: Callback<usize>,
    pub on_pick: Callback<(usize, usize)>,
    pub on_edit: Callback<(Scenario, Option<usize>)>,
    /// The deferred module, for the "Start from" menu's sources.
    pub deferred: Option<crate::deferred::Deferred>,
    /// An edit that is one undo step (the "Start from" menu's).
    pub on_replace: Callback<String>,
}

/// The inspector's state and caption for the selection.
fn inspected(props: &PlaygroundProps) -> (Option<Snapshot>, String, String) {
    let Some(event) = props.selected else {
        return (
            None,
            String::new(),
            "Choose an event (in the timeline or the results) to see the state after it.".into(),
        );
    };
    match &*props.analysis.0 {
        Analysis::Sequential { parsed, eval, program, .. } if event < program.ops.len() => {
            let column = props.column.min(eval.columns.len().saturating_sub(1));
            let run = eval.run(column);
            let name = eval.columns[column].0;
            let stmt =
                parsed.scenario.stmts().nth(event).map(|(s, _)| s.event.to_string()).unwrap_or_default();
            let caption = format!("after line {} `{stmt}` under {name}", parsed.source.events[event].line());
            let snap = Snapshot {
                program: program.clone(),
                scheme: run.scheme,
                word: None,
                cells: Rc::new(run.cells_after(event).to_vec()),
                events: event + 1,
            };
            (Some(snap), caption, String::new())
        }
        Analysis::Deferred { syntax, parsed: Some(parsed), program: Some(program), .. }
            if event < program.ops.len() =>
        {
            // A sequential text that writes a scheme: the deferred module
            // ran it and keeps its states; the page asks for one.
            let Some(Answer::Results { grid, words, .. }) = props.answer.as_deref() else {
                return (None, String::new(), "The state appears once the written scheme has run.".into());
            };
            let column = props.column.min(grid.0.columns.len().saturating_sub(1));
            let name = grid.0.columns[column];
            let scheme = match name.resolve() {
                errseq::SchemeKey::Written(w) => syntax.scheme_blocks().find(|b| b.name == w).map(|b| b.base),
                errseq::SchemeKey::BuiltIn(s) => Some(s),
            };
            let cells = crate::deferred::loaded().and_then(|d| d.state(&props.text, column, event));
            let (Some(scheme), Some(cells)) = (scheme, cells) else {
                return (None, String::new(), "The state appears once the written scheme has run.".into());
            };
            let stmt =
                parsed.scenario.stmts().nth(event).map(|(s, _)| s.event.to_string()).unwrap_or_default();
            let caption = format!("after line {} `{stmt}` under {name}", parsed.source.events[event].line());
            let word = words.get(column).copied().flatten();
            let snap =
                Snapshot { program: program.clone(), scheme, word, cells: Rc::new(cells), events: event + 1 };
            (Some(snap), caption, String::new())
        }
        Analysis::Deferred { syntax, .. } if syntax.has_par() => (
            None,
            String::new(),
            "With par blocks the state depends on the interleaving: step through one in the Explore view."
                .into(),
        ),
        _ => (None, String::new(), "The state appears when the scenario has no problems.".into()),
    }
}

#[function_component(Playground)]
pub fn playground(props: &PlaygroundProps) -> Html {
    // One Rc per analysis, so the timeline's layout is recomputed only
    // when the text changes (its memo compares the Rc by pointer first).
    let scenario = use_memo(props.analysis.clone(), |a| a.0.scenario().cloned().map(Rc::new));
    let scenario = (*scenario).clone();
    let (snapshot, caption, note) = inspected(props);
    html! {
        <div class="playground">
            <div class="area-text">
                <StartFrom deferred={ props.deferred.clone() } text={ props.text.clone() } on_replace={ props.on_replace.clone() } />
                <Editor text={ props.text.clone() } diagnostics={ props.diagnostics.clone() } on_type={ props.on_type.clone() } on_mail={ props.on_mail.clone() } />
            </div>
            <div class="area-results">
                <GridView grid={ props.grid.clone() } stale={ props.stale } note={ props.grid_note.clone() } selected={ props.selected } column={ props.column } on_pick={ props.on_pick.clone() } />
            </div>
            <div class="area-timeline">
                <TimelineView scenario={ scenario } selected={ props.selected } on_select={ props.on_select.clone() } on_edit={ props.on_edit.clone() } />
            </div>
            <div class="area-state">
                <Inspector snapshot={ snapshot } caption={ caption } note={ note } />
            </div>
        </div>
    }
}
