//! Sharing: the URL follows the scenario, and the toolbar copies it in
//! every form people paste (a link, the text, plain-text mail, Markdown,
//! an embed snippet for documentation pages).
//!
//! The fragment is the codec's (`errseq-share`): compact binary for a
//! scenario that parses, a checked text link (`scenario=…`) for one that
//! does not yet, so reloading never loses a keystroke. The page holds
//! links to the codec's limits, as `errseq url` does: a scenario no link
//! carries gets no link (the address loses its fragment, and the copy
//! buttons say why) rather than a link that would not open. A link that
//! fails to decode never replaces the saved work: the page says what is
//! wrong and keeps the saved scenario.
//!
//! Embedding: an iframe of `…?embed#…` (drawn by the deferred module,
//! `web/deferred/src/embed.rs`) posts its height to the parent whenever it
//! changes, as `{ source: "errseq-playground", type: "height", height:
//! <CSS pixels> }`, so a page can size it without scrollbars; the
//! snippet's one-line listener does.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use errseq_page_protocol::{Copy, CopyRequest};

use crate::analysis::{Grid, Shared};
use crate::browser;
use crate::deferred::Deferred;

/// The link that opens this scenario in the playground, at the site's
/// public address.
pub fn link_for(fragment: &str) -> String {
    format!("{}#{fragment}", browser::public_base())
}

/// The snippet documentation pages embed: the iframe, and a one-line
/// listener that sizes it from the height it posts (a page whose own CSP
/// refuses inline scripts can drop the script and listen the same way).
pub fn embed_snippet(fragment: &str, title: &str) -> String {
    let title = title.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
    format!(
        "<iframe src=\"{}?embed#{fragment}\" title=\"{title}\" style=\"width:100%;border:0\" loading=\"lazy\"></iframe>\n\
         <script>addEventListener(\"message\",e=>{{if(e.data&&e.data.source===\"errseq-playground\"&&e.data.type===\"height\")\
         for(const f of document.querySelectorAll(\"iframe\"))if(f.contentWindow===e.source)f.style.height=e.data.height+\"px\"}})</script>",
        browser::public_base()
    )
}

/// What the copy buttons offer.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Form {
    Link,
    Text,
    Email,
    Markdown,
    Embed,
}

impl Form {
    pub const ALL: [Form; 5] = [Form::Link, Form::Text, Form::Email, Form::Markdown, Form::Embed];

    pub fn label(self) -> &'static str {
        match self {
            Form::Link => "Link",
            Form::Text => "Text",
            Form::Email => "Email",
            Form::Markdown => "Markdown",
            Form::Embed => "Embed",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Form::Link => "copy-link",
            Form::Text => "copy-text",
            Form::Email => "copy-email",
            Form::Markdown => "copy-markdown",
            Form::Embed => "copy-embed",
        }
    }
}

/// `s` with its first letter in upper case: a message shown on its own.
fn sentence(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

/// The content of one form, or why it is not available. `fragment`: the
/// link's, or why there is none (every form but the text needs it).
/// The mail and Markdown are made by the deferred module from the results
/// the page shows (`grid`): nothing is computed again.
pub fn content(form: Form, ctx: &CopyContext, fragment: &Result<String, String>) -> Result<String, String> {
    let fragment = || fragment.as_deref().map_err(Clone::clone);
    match form {
        Form::Link => fragment().map(link_for),
        Form::Text => Ok(ctx.text.to_string()),
        Form::Email => ctx.copy(Copy::Email, &link_for(fragment()?)),
        Form::Markdown => ctx.copy(Copy::Markdown, &link_for(fragment()?)),
        Form::Embed => {
            let title = ctx
                .analysis
                .0
                .scenario()
                .and_then(|s| s.title.clone())
                .unwrap_or_else(|| "errseq scenario".to_owned());
            Ok(embed_snippet(fragment()?, &title))
        }
    }
}

/// What the copies are made from: the text, its analysis and results, the
/// link's fragment (`None` until the deferred module has made it), and
/// the deferred module that renders them.
#[derive(Clone, PartialEq)]
pub struct CopyContext {
    pub analysis: Shared,
    pub grid: Option<Grid>,
    pub text: AttrValue,
    pub replay: Option<AttrValue>,
    pub fragment: Option<Result<AttrValue, AttrValue>>,
    pub deferred: Option<Deferred>,
}

impl CopyContext {
    fn of(props: &CopyProps) -> CopyContext {
        CopyContext {
            analysis: props.analysis.clone(),
            grid: props.grid.clone(),
            text: props.text.clone(),
            replay: props.replay.clone(),
            fragment: props.fragment.clone(),
            deferred: props.deferred.clone(),
        }
    }

    /// The context with the deferred module loaded and the fragment made:
    /// a copy asked for in the moment before the module is there waits
    /// for it rather than fail.
    async fn ready(mut self) -> Result<(CopyContext, Result<String, String>), String> {
        let d = match self.deferred.clone() {
            Some(d) => d,
            None => crate::deferred::load().await?,
        };
        let fragment = match &self.fragment {
            Some(f) => f.as_ref().map(ToString::to_string).map_err(ToString::to_string),
            None => d.fragment(&self.text, self.replay.as_deref()),
        };
        self.deferred = Some(d);
        Ok((self, fragment))
    }

    fn copy(&self, form: Copy, link: &str) -> Result<String, String> {
        if self.analysis.0.parsed().is_none() {
            return Err("fix the scenario's problems first".to_owned());
        }
        let results = self.grid.as_ref().ok_or("the results are not there yet")?;
        let d = self.deferred.as_ref().ok_or("the page is still loading what makes copies")?;
        let request = CopyRequest {
            form,
            text: self.text.to_string(),
            results: (*results.0).clone(),
            link: link.to_owned(),
            base: browser::public_base(),
        };
        d.copy(&request)
    }

    /// The scenario's picture for documents (the CLI's `render --svg`), and
    /// a file name from its title. It links to the scenario, or, when no
    /// link carries it, to the playground.
    pub fn picture(&self, fragment: Option<&str>) -> Result<(String, String), String> {
        let link = fragment.map_or_else(browser::public_base, link_for);
        let svg = self.copy(Copy::Svg, &link)?;
        let title = self.analysis.0.scenario().and_then(|s| s.title.clone());
        let name = self.deferred.as_ref().map(|d| d.svg_file_name(title.as_deref())).unwrap_or_default();
        Ok((name, svg))
    }
}

#[derive(Properties, PartialEq)]
pub struct CopyProps {
    pub analysis: Shared,
    pub grid: Option<Grid>,
    pub text: AttrValue,
    pub replay: Option<AttrValue>,
    pub deferred: Option<Deferred>,
    /// The link's fragment, or why no link carries the scenario; `None`
    /// until the deferred module has made it.
    pub fragment: Option<Result<AttrValue, AttrValue>>,
    /// Bumped by Ctrl/Cmd+S: copy the link.
    pub copy_link_request: u64,
}

/// The copy buttons, with "Copied" (or why not) announced and shown.
#[function_component(CopyButtons)]
pub fn copy_buttons(props: &CopyProps) -> Html {
    let status = use_state(|| None::<(Form, Result<(), String>)>);
    // The SVG's download, said until the next copy.
    let svg_status = use_state(|| None::<Result<(), String>>);
    let timer = use_mut_ref(|| None::<Timeout>);
    let copy = {
        let (status, timer, svg_status) = (status.clone(), timer.clone(), svg_status.clone());
        let ctx = CopyContext::of(props);
        Rc::new(move |form: Form| {
            let (status, timer, ctx) = (status.clone(), timer.clone(), ctx.clone());
            svg_status.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let what = ctx.ready().await.and_then(|(ctx, fragment)| content(form, &ctx, &fragment));
                let result = match what {
                    Ok(s) => browser::copy(s).await,
                    Err(e) => Err(e),
                };
                status.set(Some((form, result)));
                let clear = status.clone();
                *timer.borrow_mut() = Some(Timeout::new(2500, move || clear.set(None)));
            });
        })
    };
    {
        let copy = copy.clone();
        use_effect_with(props.copy_link_request, move |n| {
            if *n > 0 {
                copy(Form::Link);
            }
        });
    }
    let download = {
        let ctx = CopyContext::of(props);
        let svg_status = svg_status.clone();
        Callback::from(move |_| {
            let (ctx, svg_status) = (ctx.clone(), svg_status.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let done = ctx.ready().await.and_then(|(ctx, fragment)| {
                    let (name, svg) = ctx.picture(fragment.ok().as_deref())?;
                    browser::download(&name, "image/svg+xml", &svg)
                });
                svg_status.set(Some(done));
            });
        })
    };
    let said = match (&*svg_status, &*status) {
        (Some(Ok(())), _) => "Downloaded the SVG".to_owned(),
        (Some(Err(e)), _) => format!("Could not make the SVG: {e}"),
        _ => match &*status {
            Some((f, Ok(()))) => format!("Copied the {}", f.label().to_ascii_lowercase()),
            Some((f, Err(e))) => format!("Could not copy the {}: {e}", f.label().to_ascii_lowercase()),
            None => String::new(),
        },
    };
    html! {
        <div class="copy" role="group" aria-label="copy">
            <span class="copy-label">{ "Copy:" }</span>
            { for Form::ALL.iter().map(|&f| {
                let copy = copy.clone();
                let done = matches!(&*status, Some((g, Ok(()))) if *g == f);
                html! {
                    <button id={ f.id() } class={ classes!(done.then_some("copied")) } onclick={ Callback::from(move |_| copy(f)) }
                        title={ if f == Form::Link { "Copy the link (Ctrl+S)" } else { "" } }>
                        { if done { format!("✓ {}", f.label()) } else { f.label().to_owned() } }
                    </button>
                }
            }) }
            <button id="download-svg" title="A picture of the scenario and its results, for documents" onclick={ download }>{ "⤓ SVG" }</button>
            <span id="copy-status" class="copy-status" role="status" aria-live="polite">{ said }</span>
            { match &props.fragment {
                Some(Err(why)) => html! { <span id="link-limit" class="copy-status diag error" role="status">{ sentence(why) }</span> },
                _ => html! {},
            } }
        </div>
    }
}
