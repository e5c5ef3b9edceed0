//! The playground's deferred module.
//!
//! The page's first load carries what its first screen needs (the editor,
//! the parser and checker, the model, the timeline and the results grid)
//! and imports this module right after its first render, for everything a
//! visitor reaches by doing something:
//!
//! - the link the page was opened with, and the address that follows the
//!   edits (`link`, the codec of `errseq-share`);
//! - the results of scenarios with `par` blocks or claims, and the
//!   Explore view of their interleavings (`explored`, `explore_view`);
//! - for a text that writes a scheme, the invariants it keeps over the
//!   gallery, below the Explore view (`invariants`, `invariants_view`);
//! - scenarios that write a scheme: the scheme language's compiler and
//!   interpreter (`errseq-lang`), their diagnostics, results and states
//!   (`explored`), the "Start from" menu's sources and edit
//!   (`start_from`), and the paint of a block's C in the text pane
//!   (`highlight`);
//! - the copy buttons' work: the link, the text, the Email, Markdown and
//!   embed copies on the clipboard, the SVG downloaded (`copies`);
//! - a mail pasted into the text pane (`mail`);
//! - the gallery's example texts;
//! - `?embed`, the compact view documentation pages show (`embed`): it
//!   opens from a link, which this module reads;
//! - the state inspector's drawing (`inspector`, `inspected`): the page
//!   asks for the state after the event a visitor chose.
//!
//! Each export is synchronous: once loaded, the page calls it as it would
//! a function of its own. What crosses is typed (`errseq-page-protocol`,
//! as bytes). The Explore view is a Yew app of its own,
//! rendered into a container beside the page's (see the page's
//! `stress.rs` for why not inside it).

mod copies;
mod embed;
mod explore_view;
mod explored;
mod highlight;
mod inspected;
mod inspector;
mod invariants;
mod invariants_view;
mod link;
mod mail;
mod start_from;

use errseq_page_protocol::{from_bytes, to_bytes, Analysed, Analysis, CopyRequest, Inspect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::explore_view::ExploreView;
use crate::explored::{Exploration, Explored};
use crate::invariants_view::InvariantsPanel;

/// What the link's fragment opens (`LinkReading`).
#[wasm_bindgen(js_name = readLink)]
pub fn read_link(fragment: &str) -> Vec<u8> {
    to_bytes(&link::read(fragment))
}

/// The fragment for the text and interleaving (`Fragment`).
#[wasm_bindgen]
pub fn fragment(text: &str, replay: Option<String>) -> Vec<u8> {
    to_bytes(&link::fragment(text, replay.as_deref()))
}

/// What this module says of a text with `par` blocks, claims or a
/// written scheme (`Option<Analysed>`: `None` for a text that is the
/// page's), made once per text and shared with the Explore view, the
/// inspector's states and the copies.
#[wasm_bindgen]
pub fn analyse(text: &str) -> Vec<u8> {
    let e = explored::of(text);
    let answer = match (&*e.0, e.0.results()) {
        (Exploration::PageOwn { .. }, _) => None,
        (Exploration::Problems(d), _) => Some(Analysed::Problems(d.clone())),
        (_, Some(Ok(table))) => {
            let warnings = e.0.parsed().map(|p| p.warnings.clone()).unwrap_or_default();
            Some(Analysed::Results { table: table.clone(), warnings })
        }
        (_, Some(Err(why))) => Some(Analysed::Stopped(why)),
        (_, None) => None,
    };
    to_bytes(&answer)
}

/// The page's state inspector: its caption and markup for the state
/// after an event (`Inspect` in, `Inspected` out).
#[wasm_bindgen]
pub fn inspect(request: &[u8]) -> Vec<u8> {
    let drawn = from_bytes::<Inspect>(request).and_then(|r| inspected::of(&r));
    to_bytes(&drawn)
}

/// The "Start from" menu's entries: an `<option>` for each base the
/// scheme language starts from (its id the value; the id and why one
/// starts there the label), as markup for the page's `<select>`.
#[wasm_bindgen(js_name = starterOptions)]
pub fn starter_options() -> String {
    start_from::options()
}

/// The text with a block that starts from the base `base` written in
/// (`None` for an id that is no base): the "Start from" menu's edit.
#[wasm_bindgen(js_name = startFrom)]
pub fn start_from(text: &str, base: &str) -> Option<String> {
    start_from::start_from(text, base)
}

/// A scheme block's C painted for the text pane's mirror (`Painted`).
#[wasm_bindgen]
pub fn paint(text: &str) -> Vec<u8> {
    to_bytes(&highlight::painted(text))
}

/// A copy button's work (`CopyRequest` in; `Result<(), String>` out, when
/// the copy is on the clipboard or the SVG downloaded).
#[wasm_bindgen]
pub async fn copy(request: Vec<u8>) -> Vec<u8> {
    let done = match from_bytes::<CopyRequest<Analysis>>(&request) {
        Ok(r) => copies::copy(&r).await,
        Err(e) => Err(e),
    };
    to_bytes(&done)
}

/// The scenarios a pasted text holds as a mail (`Option<Vec<PastedScenario>>`).
#[wasm_bindgen(js_name = readMail)]
pub fn read_mail(text: &str) -> Vec<u8> {
    to_bytes(&mail::read(text))
}

/// The text of the example called `name` (the page's gallery shows
/// cards; the texts are here).
#[wasm_bindgen]
pub fn example(name: &str) -> Option<String> {
    errseq_examples::get(name).map(|e| e.text.to_owned())
}

/// Renders the embed (`?embed`) of the link `fragment` into `root`, the
/// page's whole (the page's own app does not run in an embed).
#[wasm_bindgen(js_name = mountEmbed)]
pub fn mount_embed(root: web_sys::Element, fragment: &str) {
    let props = embed::EmbedProps { shown: embed::shown(fragment) };
    // Dropping the handle leaves the app running: nothing unmounts an embed.
    let _ = yew::Renderer::<embed::EmbedView>::with_root_and_props(root, props).render();
}

/// The mounted Explore view, for the page to hand it each text and
/// interleaving.
#[wasm_bindgen]
pub struct ExploreHandle {
    app: yew::AppHandle<ExploreRoot>,
}

#[wasm_bindgen]
impl ExploreHandle {
    pub fn show(&self, text: String, replay: Option<String>) {
        self.app.send_message(Show { text, replay });
    }
}

/// Renders the Explore view into `root`; `on_replay` is called with the
/// replay string of each interleaving the user chooses (or `undefined`).
#[wasm_bindgen(js_name = mountExplore)]
pub fn mount_explore(root: web_sys::Element, on_replay: js_sys::Function) -> ExploreHandle {
    let app =
        yew::Renderer::<ExploreRoot>::with_root_and_props(root, ExploreRootProps { on_replay }).render();
    ExploreHandle { app }
}

#[derive(Properties, PartialEq)]
pub struct ExploreRootProps {
    on_replay: js_sys::Function,
}

/// The page's text and interleaving.
pub struct Show {
    text: String,
    replay: Option<String>,
}

/// The Explore view's app: the text it explores and the interleaving it
/// steps through, as the page last said.
pub struct ExploreRoot {
    text: AttrValue,
    explored: Option<Explored>,
    replay: Option<AttrValue>,
}

impl Component for ExploreRoot {
    type Message = Show;
    type Properties = ExploreRootProps;

    fn create(_: &Context<Self>) -> Self {
        ExploreRoot { text: AttrValue::default(), explored: None, replay: None }
    }

    fn update(&mut self, _: &Context<Self>, show: Show) -> bool {
        let explored = explored::of(&show.text);
        let replay = show.replay.map(AttrValue::from);
        let changed = self.explored.as_ref() != Some(&explored) || self.replay != replay;
        self.explored = Some(explored);
        self.replay = replay;
        self.text = AttrValue::from(show.text);
        changed
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let Some(explored) = self.explored.clone() else { return html! {} };
        let f = ctx.props().on_replay.clone();
        let on_replay = Callback::from(move |r: Option<String>| {
            let _ = f.call1(&JsValue::NULL, &r.map_or(JsValue::UNDEFINED, JsValue::from));
        });
        html! {
            <>
                <ExploreView explored={ explored } replay={ self.replay.clone() } on_replay={ on_replay } />
                <InvariantsPanel text={ self.text.clone() } />
            </>
        }
    }
}

fn main() {}
