//! Sharing: the URL follows the scenario (`app.rs`), and the toolbar
//! copies it in every form people paste (a link, the text, plain-text
//! mail, Markdown, an embed snippet for documentation pages) or downloads
//! its picture.
//!
//! The buttons are here; the work is the deferred module's
//! (`web/deferred/src/copies.rs`): the link, the copy, the clipboard's
//! write and the download. The page hands it the text, the interleaving
//! and the results it shows (nothing is computed again), and says what
//! came of it. A copy asked for in the moment before the module is there
//! waits for it. The fragment is the codec's (`errseq-share`): compact
//! binary for a scenario that parses, a checked text link (`scenario=…`)
//! for one that does not yet. A scenario no link carries gets no link,
//! and the toolbar says why.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use errseq_page_protocol::{to_bytes, Copy, CopyRequest};

use crate::analysis::{Grid, Shared};
use crate::deferred;

/// The toolbar's forms, in its order (the SVG is a button of its own).
const FORMS: [Copy; 5] = [Copy::Link, Copy::Text, Copy::Email, Copy::Markdown, Copy::Embed];

fn label(form: Copy) -> &'static str {
    match form {
        Copy::Link => "Link",
        Copy::Text => "Text",
        Copy::Email => "Email",
        Copy::Markdown => "Markdown",
        Copy::Embed => "Embed",
        Copy::Svg => "SVG",
    }
}

fn id(form: Copy) -> &'static str {
    match form {
        Copy::Link => "copy-link",
        Copy::Text => "copy-text",
        Copy::Email => "copy-email",
        Copy::Markdown => "copy-markdown",
        Copy::Embed => "copy-embed",
        Copy::Svg => "download-svg",
    }
}

/// `s` with its first letter in upper case: a message shown on its own.
fn sentence(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

#[derive(Properties, PartialEq)]
pub struct CopyProps {
    pub analysis: Shared,
    pub grid: Option<Grid>,
    pub text: AttrValue,
    pub replay: Option<AttrValue>,
    /// The link's fragment, or why no link carries the scenario; `None`
    /// until the deferred module has made it.
    pub fragment: Option<Result<AttrValue, AttrValue>>,
    /// Bumped by Ctrl/Cmd+S: copy the link.
    pub copy_link_request: u64,
}

/// What a copy is made from: what the page shows (shared, not copied).
#[derive(Clone)]
struct Shown {
    text: AttrValue,
    replay: Option<AttrValue>,
    grid: Option<Grid>,
    checked: bool,
}

impl Shown {
    fn of(props: &CopyProps) -> Shown {
        Shown {
            text: props.text.clone(),
            replay: props.replay.clone(),
            grid: props.grid.clone(),
            checked: props.analysis.0.parsed().is_some(),
        }
    }

    /// The request for `form`, as bytes, written when the button is
    /// pressed (the results are borrowed, not cloned).
    fn request(&self, form: Copy) -> Vec<u8> {
        to_bytes(&CopyRequest {
            form,
            text: self.text.to_string(),
            replay: self.replay.as_ref().map(ToString::to_string),
            results: self.grid.as_ref().map(|g| &*g.0),
            checked: self.checked,
        })
    }
}

/// Hands `request` to the deferred module (loading it first if need be).
async fn copy(request: Vec<u8>) -> Result<(), String> {
    deferred::load().await?.copy(&request).await
}

/// The copy buttons, with "Copied" (or why not) announced and shown.
#[function_component(CopyButtons)]
pub fn copy_buttons(props: &CopyProps) -> Html {
    let status = use_state(|| None::<(Copy, Result<(), String>)>);
    // The SVG's download, said until the next copy.
    let svg_status = use_state(|| None::<Result<(), String>>);
    let timer = use_mut_ref(|| None::<Timeout>);
    let start = {
        let (status, timer, svg_status) = (status.clone(), timer.clone(), svg_status.clone());
        let shown = Shown::of(props);
        Rc::new(move |form: Copy| {
            let (status, timer, svg_status) = (status.clone(), timer.clone(), svg_status.clone());
            let request = shown.request(form);
            svg_status.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let done = copy(request).await;
                if form == Copy::Svg {
                    svg_status.set(Some(done));
                    return;
                }
                status.set(Some((form, done)));
                let clear = status.clone();
                *timer.borrow_mut() = Some(Timeout::new(2500, move || clear.set(None)));
            });
        })
    };
    {
        let start = start.clone();
        use_effect_with(props.copy_link_request, move |n| {
            if *n > 0 {
                start(Copy::Link);
            }
        });
    }
    let button = |form: Copy, title: &'static str, text: String| {
        let start = start.clone();
        let onclick = Callback::from(move |_| start(form));
        let done = matches!(&*status, Some((g, Ok(()))) if *g == form);
        html! { <button id={ id(form) } class={ classes!(done.then_some("copied")) } { title } { onclick }>{ text }</button> }
    };
    let said = match (&*svg_status, &*status) {
        (Some(Ok(())), _) => "Downloaded the SVG".to_owned(),
        (Some(Err(e)), _) => format!("Could not make the SVG: {e}"),
        (None, Some((f, Ok(())))) => format!("Copied the {}", label(*f).to_ascii_lowercase()),
        (None, Some((f, Err(e)))) => format!("Could not copy the {}: {e}", label(*f).to_ascii_lowercase()),
        (None, None) => String::new(),
    };
    html! {
        <div class="copy" role="group" aria-label="copy">
            <span class="copy-label">{ "Copy:" }</span>
            { for FORMS.iter().map(|&f| {
                let done = matches!(&*status, Some((g, Ok(()))) if *g == f);
                let text = if done { format!("✓ {}", label(f)) } else { label(f).to_owned() };
                button(f, if f == Copy::Link { "Copy the link (Ctrl+S)" } else { "" }, text)
            }) }
            { button(Copy::Svg, "A picture of the scenario and its results, for documents", "⤓ SVG".to_owned()) }
            <span id="copy-status" class="copy-status" role="status" aria-live="polite">{ said }</span>
            { match &props.fragment {
                Some(Err(why)) => html! { <span id="link-limit" class="copy-status diag error" role="status">{ sentence(why) }</span> },
                _ => html! {},
            } }
        </div>
    }
}
