//! The state inspector's place in the playground: the state after the
//! selected event under the chosen column.
//!
//! The page says which state it wants ([`request`]): for a text it
//! evaluates, with the cells its evaluation keeps; for a text that writes
//! a scheme, the deferred module's evaluation has them. The deferred
//! module draws it (`web/deferred/src/inspector.rs`), so the drawing is
//! not in the first load, whose first screen shows no state: only this
//! note until an event is chosen. A click in the moment before the module
//! is there says it is loading, as the other waits do.

use errseq_page_protocol::{Inspect, PageState};
use yew::prelude::*;

use crate::analysis::{Analysis, Answer};
use crate::deferred::Deferred;

/// What the inspector asks the deferred module for, or the note it shows
/// instead.
pub fn request(
    analysis: &Analysis,
    answer: Option<&Answer>,
    text: &str,
    selected: Option<usize>,
    column: usize,
) -> Result<Inspect, &'static str> {
    let Some(event) = selected else {
        return Err("Choose an event (in the timeline or the results) to see the state after it.");
    };
    let ask = |state| Inspect { text: text.to_owned(), event, column, state };
    match analysis {
        Analysis::Sequential { eval, .. } if event < eval.program.ops.len() => {
            let column = column.min(eval.columns.len().saturating_sub(1));
            let run = eval.run(column);
            let name = eval.columns[column].0.to_string();
            let state = PageState { scheme: run.scheme, name, cells: run.cells_after(event).to_vec() };
            Ok(Inspect { column, ..ask(Some(state)) })
        }
        // A sequential text that writes a scheme: the deferred module
        // ran it and keeps its states.
        Analysis::Deferred { syntax, parsed: Some(parsed), .. }
            if !syntax.has_par() && event < parsed.source.events.len() =>
        {
            let Some(Answer::Results { grid, .. }) = answer else {
                return Err("The state appears once the written scheme has run.");
            };
            let column = column.min(grid.0.columns.len().saturating_sub(1));
            Ok(Inspect { column, ..ask(None) })
        }
        Analysis::Deferred { syntax, .. } if syntax.has_par() => Err(
            "With par blocks the state depends on the interleaving: step through one in the Explore view.",
        ),
        _ => Err("The state appears when the scenario has no problems."),
    }
}

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub request: Result<Inspect, &'static str>,
    pub deferred: Option<Deferred>,
    /// The deferred module could not be loaded.
    pub missing: bool,
}

#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    // Drawn once per request: a render that moves nothing else asks nothing.
    let drawn = use_memo(
        (props.request.clone(), props.deferred.clone()),
        |(request, deferred)| -> Result<_, String> {
            let request = request.as_ref().map_err(|note| (*note).to_owned())?;
            Ok(deferred.as_ref().map(|d| d.inspect(request)))
        },
    );
    let note = |note: &str| html! { <p class="muted">{ note.to_owned() }</p> };
    let (caption, body) = match &*drawn {
        Ok(Some(Ok((caption, markup)))) => {
            (caption.clone(), Html::from_html_unchecked(AttrValue::from(markup.clone())))
        }
        Ok(Some(Err(why))) | Err(why) => (String::new(), note(why)),
        Ok(None) if props.missing => {
            (String::new(), note("The state cannot be shown: part of the page is missing (see above)."))
        }
        Ok(None) => {
            (String::new(), html! { <p class="muted" role="status">{ "Loading the state view…" }</p> })
        }
    };
    html! {
        <section class="inspector" aria-label="state inspector">
            <h2>{ "State" }</h2>
            <p class="caption">{ caption }</p>
            { body }
        </section>
    }
}
