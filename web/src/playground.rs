//! The playground view (a first cut: text in, results table out).

use errseq_model::Evaluation;
use errseq_scenario::parse;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

const START: &str = "title: fsync reports one writeback error to every open fd
schemes: linux-4.12 linux-4.13 linux

open a f
open b f
write a
fail f EIO
fsync a => EIO
fsync b => EIO linux-4.12=0
fsync a => 0
heal f
";

/// The results table for `text`, or its diagnostics.
fn render(text: &str) -> Result<String, Vec<String>> {
    let p = parse(text).map_err(|d| d.iter().map(ToString::to_string).collect::<Vec<_>>())?;
    let e = Evaluation::new(&p).map_err(|e| vec![e.to_string()])?;
    Ok(errseq_render::timeline(&p, &e))
}

#[function_component(Playground)]
pub fn playground() -> Html {
    let text = use_state(|| START.to_owned());
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            text.set(area.value());
        })
    };
    let output = match render(&text) {
        Ok(table) => html! { <pre id="results" aria-label="results">{ table }</pre> },
        Err(lines) => html! {
            <ul id="diagnostics" aria-label="problems">
                { for lines.into_iter().map(|l| html! { <li>{ l }</li> }) }
            </ul>
        },
    };
    html! {
        <section aria-label="playground">
            <label for="scenario">{ "Scenario" }</label>
            <textarea id="scenario" spellcheck="false" rows="16" cols="72" value={ (*text).clone() } { oninput } />
            { output }
        </section>
    }
}
