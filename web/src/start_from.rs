//! The "Start from" menu, beside the text pane: a proposal begins as a
//! copy of a built-in scheme's source (issue 13, point 5).
//!
//! The bases' sources and the edit that writes one into the text are the
//! deferred module's (`web/deferred/src/start_from.rs`), so the first
//! load carries none of them: the menu is empty and says it is loading
//! until the module is there, then lists each base (the module's markup
//! of the `<option>`s); choosing one edits the text as one undo step.

use yew::prelude::*;

use crate::deferred::Deferred;

#[derive(Properties, PartialEq)]
pub struct StartFromProps {
    pub deferred: Option<Deferred>,
    pub text: AttrValue,
    pub on_replace: Callback<String>,
}

#[function_component(StartFrom)]
pub fn start_from(props: &StartFromProps) -> Html {
    // The entries are the deferred module's markup: its text, escaped there.
    let options =
        use_memo(props.deferred.clone(), |d| d.as_ref().map(Deferred::starter_options).unwrap_or_default());
    let onchange = {
        let (deferred, text, on_replace) =
            (props.deferred.clone(), props.text.clone(), props.on_replace.clone());
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let chosen = select.value();
            select.set_value("");
            if let Some(edited) = deferred.as_ref().and_then(|d| d.start_from(&text, &chosen)) {
                on_replace.emit(edited);
            }
        })
    };
    let loading = options.is_empty();
    html! {
        <select id="start-from" class="start-from" aria-label="start a scheme of your own from a built-in one"
            title="Write a scheme of your own: a copy of a built-in scheme's C to edit" disabled={ loading } { onchange }>
            <option value="" selected=true>{ if loading { "Start from… (loading)" } else { "Start a scheme from…" } }</option>
            { Html::from_html_unchecked(AttrValue::from((*options).clone())) }
        </select>
    }
}
