//! Pasting a mail into the text pane: the scenarios it holds, found by
//! `errseq_share::mail` (the same reader as `errseq check -`, run by the
//! deferred module), instead of
//! the mail's text.
//!
//! A paste that is a scenario, or a piece of one, goes in as it is. A
//! paste that does not parse but holds mail (the block `errseq render`
//! and the Email copy write, a quoted reply, a link) replaces the
//! document (one undo step) with the scenario it holds; when it holds
//! several, a banner offers each; what could not be read is said there.

use errseq_page_protocol::PastedScenario;
use yew::prelude::*;

/// The scenarios a pasted text holds as a mail (read by the deferred
/// module), or `None`: paste it as it is. A paste in the moment before
/// the module is loaded goes in as it is.
pub fn mail_in(text: &str) -> Option<Vec<PastedScenario>> {
    crate::deferred::loaded()?.read_mail(text)
}

/// A pasted mail: what it holds, and which scenario is open.
#[derive(Clone, Debug, PartialEq)]
pub struct Pasted {
    pub found: Vec<PastedScenario>,
    pub opened: Option<usize>,
}

impl Pasted {
    /// Opens the only readable scenario by itself.
    pub fn new(found: Vec<PastedScenario>) -> Pasted {
        let readable: Vec<usize> = (0..found.len()).filter(|&i| found[i].text.is_ok()).collect();
        let opened = match readable.as_slice() {
            [one] => Some(*one),
            _ => None,
        };
        Pasted { found, opened }
    }

    /// The text (and interleaving) of scenario `i`.
    pub fn scenario(&self, i: usize) -> Option<(String, Option<String>)> {
        let f = self.found.get(i)?;
        Some((f.text.clone().ok()?, f.replay.clone()))
    }
}

#[derive(Properties, PartialEq)]
pub struct MailBannerProps {
    pub pasted: Pasted,
    pub on_open: Callback<usize>,
    pub on_dismiss: Callback<()>,
}

/// What the pasted mail held, a choice when it held several, and what
/// could not be read.
#[function_component(MailBanner)]
pub fn mail_banner(props: &MailBannerProps) -> Html {
    let p = &props.pasted;
    let readable = p.found.iter().filter(|f| f.text.is_ok()).count();
    let head = match (readable, p.opened) {
        (0, _) => "The pasted text holds no scenario that can be opened:".to_owned(),
        (1, Some(i)) => format!("Opened {} of the pasted text.", p.found[i].found_at),
        (n, _) => format!("The pasted text holds {n} scenarios; open one:"),
    };
    let choices = (readable > 1).then(|| {
        html! {
            <ul class="mail-choices">
                { for p.found.iter().enumerate().filter(|(_, f)| f.text.is_ok()).map(|(i, f)| {
                    let open = props.on_open.clone();
                    html! { <li><button class="mail-choice" aria-pressed={ (p.opened == Some(i)).to_string() }
                        onclick={ Callback::from(move |_| open.emit(i)) }>{ f.label.clone() }</button></li> }
                }) }
            </ul>
        }
    });
    let problems = p.found.iter().filter_map(|f| f.text.as_ref().err());
    let notes = p.opened.and_then(|i| p.found.get(i)).map(|f| f.notes.clone()).unwrap_or_default();
    let dismiss = props.on_dismiss.reform(|_| ());
    html! {
        <div id="mail-paste" class="banner note" role="status">
            <p>{ head }</p>
            { choices.unwrap_or_default() }
            <ul class="mail-notes">
                { for problems.map(|e| html! { <li class="diag error">{ e.clone() }</li> }) }
                { for notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }
            </ul>
            <button onclick={ dismiss }>{ "Dismiss" }</button>
        </div>
    }
}
