//! The Stress view as a module of its own.
//!
//! It is the heaviest view and the one most visitors never open, so the
//! page does not load it at start: the first time the Stress tab opens,
//! the page imports this module and calls [`mount`] with the tab's
//! container. It shares nothing with the page but that element.
//!
//! Its rooms: `form` (the controls and their validation), `supervisor`
//! (the throughput run's workers and state machine), `workers` (spawning
//! workers and speaking the typed protocol, `errseq_stress_protocol`),
//! `view` (the HTML).

mod form;
mod supervisor;
mod view;
mod workers;

use wasm_bindgen::prelude::wasm_bindgen;

/// Renders the Stress view into `root`.
#[wasm_bindgen]
pub fn mount(root: web_sys::Element) {
    yew::Renderer::<view::Stress>::with_root(root).render();
}

fn main() {}
