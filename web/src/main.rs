//! The errseq playground in the browser.
//!
//! Everything runs client-side: the scenario is parsed, checked, evaluated
//! under every scheme and explored by the same crates as the CLI, compiled
//! to wasm. The page has three views: the playground (text, timeline,
//! results, state inspector), Explore (interleavings of `par` blocks), and
//! Stress (Web Workers hammering one SharedArrayBuffer).

mod playground;
mod stress;

use yew::prelude::*;

#[derive(Copy, Clone, PartialEq, Eq)]
enum View {
    Playground,
    Stress,
}

#[function_component(App)]
fn app() -> Html {
    let view = use_state(|| View::Playground);
    let tab = |v: View, label: &'static str| {
        let view = view.clone();
        let selected = *view == v;
        html! {
            <button role="tab" aria-selected={ selected.to_string() } class={ classes!("tab", selected.then_some("selected")) }
                onclick={ Callback::from(move |_| view.set(v)) }>{ label }</button>
        }
    };
    html! {
        <>
            <header class="top">
                <h1>{ "errseq playground" }</h1>
                <nav role="tablist" aria-label="views">
                    { tab(View::Playground, "Playground") }
                    { tab(View::Stress, "Stress") }
                </nav>
            </header>
            <main>
                { match *view {
                    View::Playground => html! { <playground::Playground /> },
                    View::Stress => html! { <stress::StressView /> },
                } }
            </main>
        </>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
