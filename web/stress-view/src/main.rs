//! The Stress view as a module of its own.
//!
//! It is the heaviest view and the one most visitors never open, so the
//! page does not load it at start: the first time the Stress tab opens,
//! the page imports this module and calls [`mount`] with the tab's
//! container and the scenario's text, and hands it each new text through
//! the [`StressHandle`] it gets back. It shares nothing else with the page.
//!
//! Its rooms: `form` (the controls and their validation), `supervisor`
//! (the throughput run's workers and state machine), `workers` (spawning
//! workers and speaking the typed protocol, `errseq_stress_protocol`),
//! `view` (the HTML), `written` (the schemes the scenario writes, which the
//! throughput run offers beside the built-in ones), and `scenario`, the
//! mode that runs the scenario's par blocks on workers (the only room that
//! needs the model and the explorer).

mod form;
mod scenario;
mod supervisor;
mod view;
mod workers;
mod written;

use wasm_bindgen::prelude::wasm_bindgen;
use yew::AppHandle;

/// The mounted view, for the page to hand it the scenario as it changes.
#[wasm_bindgen]
pub struct StressHandle {
    app: AppHandle<view::Stress>,
}

#[wasm_bindgen]
impl StressHandle {
    /// The page's scenario text changed (the scenario mode runs it).
    #[wasm_bindgen(js_name = setScenario)]
    pub fn set_scenario(&self, text: String) {
        self.app.send_message(view::Msg::Text(text));
    }
}

/// Renders the Stress view into `root`, with the page's scenario `text`.
#[wasm_bindgen]
pub fn mount(root: web_sys::Element, text: String) -> StressHandle {
    let app = yew::Renderer::<view::Stress>::with_root(root).render();
    app.send_message(view::Msg::Text(text));
    StressHandle { app }
}

fn main() {}
