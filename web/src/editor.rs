//! The text pane, with diagnostics drawn in the text.
//!
//! A transparent textarea lies over a `<pre>` that mirrors its text and
//! underlines each diagnostic's span (same font, padding and scroll), so
//! problems show where they are while the textarea stays a plain
//! textarea: native selection, input methods, screen readers. The list
//! below repeats each diagnostic; choosing one moves the caret there.
//!
//! A text that writes a scheme has its C painted in the mirror (the
//! paint is the deferred module's, `web/deferred/src/highlight.rs`, once
//! per text). Colours can only be the mirror's, so then the mirror draws
//! the text and the textarea's own glyphs are transparent (its caret and
//! selection stay visible): the frame's `painted` class. Any other text,
//! and any text before the deferred module is there, is drawn by the
//! textarea as before.

use errseq_page_protocol::{Paint, Painted};
use errseq_scenario::{Diagnostic, Severity};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::browser;
use crate::deferred::Deferred;

pub const TEXTAREA_ID: &str = "scenario";

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub text: AttrValue,
    pub diagnostics: Vec<Diagnostic>,
    pub on_type: Callback<String>,
    /// A pasted mail's scenarios (see [`crate::paste`]).
    pub on_mail: Callback<Vec<errseq_page_protocol::PastedScenario>>,
    /// The deferred module, which paints a scheme block's C.
    pub deferred: Option<Deferred>,
}

/// The mirror: the text with each diagnostic's span wrapped in a mark,
/// and a scheme block's C painted (`painted`, line by line).
fn mirror(text: &str, diagnostics: &[Diagnostic], paint: Option<&Painted>) -> Html {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out: Vec<Html> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let chars: Vec<char> = line.chars().collect();
        let paints = paint.and_then(|p| p.get(i)).map_or(&[][..], Vec::as_slice);
        // In column order: diagnostics come in text order (the checker
        // sorts them by span), so no sort here.
        let marks: Vec<(usize, usize, Severity)> = diagnostics
            .iter()
            .filter(|d| d.span.line == n)
            .map(|d| {
                let start = (d.span.col.max(1) - 1) as usize;
                let start = start.min(chars.len());
                (start, (start + d.span.len as usize).min(chars.len().max(start + 1)), d.severity)
            })
            .collect();
        let mut pos = 0;
        for (start, end, severity) in marks {
            if start < pos {
                continue;
            }
            painted(&chars, pos..start, paints, &mut out);
            let class = if severity == Severity::Error { "mark-error" } else { "mark-warning" };
            // A span past the end of the line (a missing argument) marks one space.
            let marked = if start < chars.len() {
                let mut inner = Vec::new();
                painted(&chars, start..end.min(chars.len()), paints, &mut inner);
                html! { <>{ for inner }</> }
            } else {
                html! { { " " } }
            };
            out.push(html! { <mark class={ class }>{ marked }</mark> });
            pos = end.min(chars.len());
        }
        painted(&chars, pos.min(chars.len())..chars.len(), paints, &mut out);
        if i + 1 < lines.len() {
            out.push(html! { { "\n" } });
        }
    }
    // A trailing newline keeps the mirror as tall as the textarea.
    out.push(html! { { "\n" } });
    html! { <>{ for out }</> }
}

/// The characters of `range`, each painted run of them in its span.
fn painted(chars: &[char], range: std::ops::Range<usize>, paints: &[(u32, u32, Paint)], out: &mut Vec<Html>) {
    let text = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    let mut pos = range.start;
    for &(a, b, paint) in paints {
        let (a, b) = ((a as usize).max(pos), (b as usize).min(range.end));
        if a >= b {
            continue;
        }
        if pos < a {
            out.push(html! { { text(pos, a) } });
        }
        out.push(html! { <span class={ paint.class() }>{ text(a, b) }</span> });
        pos = b;
    }
    if pos < range.end {
        out.push(html! { { text(pos, range.end) } });
    }
}

/// Whether the text has a scheme block, whose C the mirror paints.
fn painted_text(text: &str) -> bool {
    text.lines().any(|l| l.split_whitespace().next() == Some("scheme"))
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let overlay = use_node_ref();
    // Painted once per text, and only a text with a scheme block.
    let painted = use_memo((props.text.clone(), props.deferred.clone()), |(text, deferred)| {
        deferred.as_ref().filter(|_| painted_text(text)).and_then(|d| d.paint(text))
    });
    let oninput = {
        let on_type = props.on_type.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            on_type.emit(area.value());
        })
    };
    // A mail pasted in is read for its scenarios; anything else pastes
    // as it is.
    let onpaste = {
        let on_mail = props.on_mail.clone();
        Callback::from(move |e: Event| {
            let Some(e) = e.dyn_ref::<web_sys::ClipboardEvent>() else { return };
            let text = e.clipboard_data().and_then(|d| d.get_data("text/plain").ok()).unwrap_or_default();
            if let Some(found) = crate::paste::mail_in(&text) {
                e.prevent_default();
                on_mail.emit(found);
            }
        })
    };
    let onscroll = {
        let overlay = overlay.clone();
        Callback::from(move |e: Event| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            if let Some(pre) = overlay.cast::<HtmlElement>() {
                pre.set_scroll_top(area.scroll_top());
                pre.set_scroll_left(area.scroll_left());
            }
        })
    };
    let errors = props.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let items = props.diagnostics.iter().map(|d| {
        let (line, col) = (d.span.line, d.span.col);
        let text = props.text.clone();
        let go = Callback::from(move |_| browser::caret_to(TEXTAREA_ID, &text, line, col));
        let class = if d.severity == Severity::Error { "diag error" } else { "diag warning" };
        html! { <li><button class={ class } onclick={ go }>{ d.to_string() }</button></li> }
    });
    html! {
        <div class="editor">
            <label for={ TEXTAREA_ID }>{ "Scenario" }</label>
            <div class={ classes!("editor-frame", painted.is_some().then_some("painted")) }>
                <pre class="mirror" aria-hidden="true" ref={ overlay }>{ mirror(&props.text, &props.diagnostics, painted.as_ref().as_ref()) }</pre>
                <textarea id={ TEXTAREA_ID } spellcheck="false" autocapitalize="off" autocomplete="off"
                    aria-invalid={ (errors > 0).to_string() } aria-describedby="diagnostics"
                    value={ props.text.clone() } { oninput } { onscroll } { onpaste } />
            </div>
            <ul id="diagnostics" class="diagnostics" aria-live="polite" aria-label="problems">
                { for items }
            </ul>
        </div>
    }
}
