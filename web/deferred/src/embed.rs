//! `?embed`: the compact read-only view documentation pages show in an
//! iframe (the title, the results, a link into the playground), which
//! posts its height to the page around it.
//!
//! An embed opens from a link, and reading a link is this module's, so
//! the embed is this module's whole: the page's first load only says
//! "Opening the link…" and hands over its root (`web/src/embed.rs`); the
//! page's own app does not run. Without a link the embed shows the
//! visitor's saved scenario (or the first example), as the playground
//! would. Its results are worked out here, once: the page computes none.
//!
//! The page around it sizes the iframe from the height it posts, as
//! `{ source: "errseq-playground", type: "height", height: <CSS pixels> }`
//! (the embed snippet's one-line listener, `web/src/share.rs`, does).

use errseq_model::Evaluation;
use errseq_page_protocol::LinkReading;
use errseq_render::Analysis;
use errseq_scenario::parse_unchecked;
use errseq_web::analysis::Grid;
use errseq_web::browser;
use errseq_web::grid::GridView;
use yew::prelude::*;

use crate::explored::{self, Exploration};
use crate::link;

/// What an embed posts to the page around it (the module header says how
/// a page listens for it).
#[derive(serde::Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum ToParent {
    /// The embed's height in CSS pixels, whenever it changes.
    Height { source: &'static str, height: f64 },
}

/// Every message's `source`, so a page tells the playground's apart.
const SOURCE: &str = "errseq-playground";

/// What the embed shows: the scenario's title, its results or why there
/// are none, and the link that opens it in the playground.
#[derive(Clone, PartialEq)]
pub struct Shown {
    title: AttrValue,
    results: Result<Grid, NoResults>,
    /// The playground's address for the scenario.
    link: AttrValue,
}

/// Why an embed shows no results.
#[derive(Clone, PartialEq, Debug)]
enum NoResults {
    /// The link cannot be opened: why.
    Link(AttrValue),
    /// The scenario has mistakes.
    Problems,
    /// Its exploration stopped: why.
    Stopped(AttrValue),
}

/// What the embed of the link `fragment` shows.
pub fn shown(fragment: &str) -> Shown {
    let (text, replay) = if fragment.is_empty() {
        let text = browser::saved_scenario().unwrap_or_else(|| errseq_examples::FIRST_TEXT.to_owned());
        (text, None)
    } else {
        match link::read(fragment) {
            LinkReading::Opened { text, replay } => (text, replay),
            LinkReading::Problem(why) => {
                let results = Err(NoResults::Link(why.into()));
                return Shown { title: "errseq scenario".into(), results, link: link_for("") };
            }
        }
    };
    let title = parse_unchecked(&text)
        .ok()
        .and_then(|(s, _)| s.title)
        .unwrap_or_else(|| "errseq scenario".to_owned());
    let link = link_for(&link::fragment(&text, replay.as_deref()).unwrap_or_default());
    Shown { title: title.into(), results: results(&text).map(Grid::new), link }
}

/// The results of `text`, or why there are none: explored (`par` blocks,
/// claims) or written schemes by [`explored::of`], any other text
/// evaluated here.
fn results(text: &str) -> Result<Analysis, NoResults> {
    let e = explored::of(text);
    match &*e.0 {
        Exploration::PageOwn { parsed } => {
            let eval = Evaluation::built_in(parsed).map_err(|_| NoResults::Problems)?;
            Ok(Analysis::evaluated(parsed, &eval))
        }
        _ => match e.0.results() {
            Some(Ok(table)) => Ok(table.clone()),
            Some(Err(why)) => Err(NoResults::Stopped(why.into())),
            None => Err(NoResults::Problems),
        },
    }
}

/// The playground's address with `fragment`.
fn link_for(fragment: &str) -> AttrValue {
    crate::copies::link_for(fragment).into()
}

#[derive(Properties, PartialEq)]
pub struct EmbedProps {
    pub shown: Shown,
}

/// The compact view. Posts its height to the parent.
#[function_component(EmbedView)]
pub fn embed_view(props: &EmbedProps) -> Html {
    let root = use_node_ref();
    {
        let root = root.clone();
        use_effect_with((), move |_| {
            let observer = root.cast::<web_sys::Element>().and_then(post_height);
            move || {
                if let Some((ro, _callback)) = observer {
                    ro.disconnect();
                }
            }
        });
    }
    let title = props.shown.title.clone();
    use_effect_with(title.clone(), |t| browser::set_document_title(Some(t)));
    html! {
        <div class="embed" ref={ root }>
            <h1 class="embed-title">{ title }</h1>
            { match &props.shown.results {
                Ok(g) => html! { <GridView grid={ Some(g.clone()) } stale={ false } selected={ None::<usize> } column={ usize::MAX } on_pick={ Callback::noop() } /> },
                Err(NoResults::Link(why)) => html! { <p class="diag error" role="alert">{ why.clone() }</p> },
                Err(NoResults::Stopped(why)) => html! { <p class="muted" role="status">{ why.clone() }</p> },
                Err(NoResults::Problems) => html! { <p class="diag error">{ "This scenario has problems; open it in the playground to see them." }</p> },
            } }
            <p><a id="open-in-playground" href={ props.shown.link.clone() } target="_blank" rel="noopener">{ "Open in playground ↗" }</a></p>
        </div>
    }
}

type Observer = (web_sys::ResizeObserver, wasm_bindgen::closure::Closure<dyn FnMut(js_sys::Array)>);

/// Posts `el`'s height to the parent whenever it changes.
fn post_height(el: web_sys::Element) -> Option<Observer> {
    let post = move |height: f64| {
        let msg = ToParent::Height { source: SOURCE, height };
        let parent = web_sys::window().and_then(|w| w.parent().ok().flatten());
        if let (Some(parent), Ok(msg)) = (parent, serde_wasm_bindgen::to_value(&msg)) {
            let _ = parent.post_message(&msg, "*");
        }
    };
    let callback =
        wasm_bindgen::closure::Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let el: Option<web_sys::ResizeObserverEntry> =
                wasm_bindgen::JsCast::dyn_into(entries.get(0)).ok();
            if let Some(entry) = el {
                post(entry.target().get_bounding_client_rect().height().ceil());
            }
        });
    let ro = web_sys::ResizeObserver::new(wasm_bindgen::JsCast::unchecked_ref(callback.as_ref())).ok()?;
    ro.observe(&el);
    Some((ro, callback))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sequential_text_is_evaluated_and_an_explored_one_explored() {
        let sequential =
            results("schemes: linux-4.12 linux\nopen a f\nopen b f\nerror f EIO\nfsync a\nfsync b\n")
                .expect("results");
        assert_eq!(sequential.rows[4].cells.iter().map(|c| c.text()).collect::<Vec<_>>(), ["0", "EIO"]);
        let explored =
            results("schemes: linux-4.13\nopen a f\npar\n  fsync a\n  error f EIO\nend\nfsync a\n")
                .expect("results");
        assert!(explored.report.is_some());
        assert_eq!(results("fsnyc a\n").err(), Some(NoResults::Problems));
    }
}
