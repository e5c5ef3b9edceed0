//! The Stress view: real Web Workers on one SharedArrayBuffer (stub; the
//! real view replaces this file).

use yew::prelude::*;

#[function_component(StressView)]
pub fn stress_view() -> Html {
    html! { <section aria-label="stress"><p>{ "Stress view: coming." }</p></section> }
}
