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

use crate::analysis::{Answer, Grid, Shared};
use crate::editor::Editor;
use crate::grid::GridView;
use crate::inspector::{self, Inspector};
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
    /// The deferred module: it draws the state and has the "Start from"
    /// menu's sources.
    pub deferred: Option<crate::deferred::Deferred>,
    /// The deferred module could not be loaded (the page says so above).
    pub deferred_missing: bool,
    /// An edit that is one undo step (the "Start from" menu's).
    pub on_replace: Callback<String>,
}

#[function_component(Playground)]
pub fn playground(props: &PlaygroundProps) -> Html {
    // One Rc per analysis, so the timeline's layout is recomputed only
    // when the text changes (its memo compares the Rc by pointer first).
    let scenario = use_memo(props.analysis.clone(), |a| a.0.scenario().cloned().map(Rc::new));
    let scenario = (*scenario).clone();
    let request = inspector::request(
        &props.analysis.0,
        props.answer.as_deref(),
        &props.text,
        props.selected,
        props.column,
    );
    html! {
        <div class="playground">
            <div class="area-text">
                <StartFrom deferred={ props.deferred.clone() } text={ props.text.clone() } on_replace={ props.on_replace.clone() } />
                <Editor text={ props.text.clone() } diagnostics={ props.diagnostics.clone() } on_type={ props.on_type.clone() } on_mail={ props.on_mail.clone() } deferred={ props.deferred.clone() } />
            </div>
            <div class="area-results">
                <GridView grid={ props.grid.clone() } stale={ props.stale } note={ props.grid_note.clone() } selected={ props.selected } column={ props.column } on_pick={ props.on_pick.clone() } />
            </div>
            <div class="area-timeline">
                <TimelineView scenario={ scenario } selected={ props.selected } on_select={ props.on_select.clone() } on_edit={ props.on_edit.clone() } />
            </div>
            <div class="area-state">
                <Inspector request={ request } deferred={ props.deferred.clone() } missing={ props.deferred_missing } />
            </div>
        </div>
    }
}
