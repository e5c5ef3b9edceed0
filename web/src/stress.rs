//! The Stress tab: a container the Stress view's own module renders into,
//! loaded on first use (see `web/stress-view`).

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

#[wasm_bindgen(module = "/src/lazy.js")]
extern "C" {
    #[wasm_bindgen(js_name = mountStressView)]
    fn mount_stress_view(root: &web_sys::Element) -> js_sys::Promise;
}

#[derive(Clone, PartialEq)]
enum Phase {
    NotLoaded,
    Loading,
    Ready,
    Failed(String),
}

#[derive(Properties, PartialEq)]
pub struct StressTabProps {
    /// Whether the tab is showing; the view is loaded the first time it is.
    pub active: bool,
}

/// Kept in the page while hidden, so the view is mounted once and keeps
/// its state (and its running workers) across tab switches.
#[function_component(StressTab)]
pub fn stress_tab(props: &StressTabProps) -> Html {
    let root = use_node_ref();
    let phase = use_state(|| Phase::NotLoaded);
    {
        let (root, phase) = (root.clone(), phase.clone());
        use_effect_with(props.active, move |active| {
            if *active && *phase == Phase::NotLoaded {
                phase.set(Phase::Loading);
                if let Some(el) = root.cast::<web_sys::Element>() {
                    wasm_bindgen_futures::spawn_local(async move {
                        match JsFuture::from(mount_stress_view(&el)).await {
                            Ok(_) => phase.set(Phase::Ready),
                            Err(e) => {
                                let why = e.as_string().unwrap_or_else(|| format!("{e:?}"));
                                phase.set(Phase::Failed(format!(
                                    "The Stress view could not be loaded: {why}"
                                )));
                            }
                        }
                    });
                }
            }
        });
    }
    html! {
        <div class="stress-tab" hidden={ !props.active }>
            { match &*phase {
                Phase::Loading => html! { <p class="muted" role="status">{ "Loading the Stress view…" }</p> },
                Phase::Failed(why) => html! { <p class="diag error" role="alert">{ why.clone() }</p> },
                _ => html! {},
            } }
            <div id="stress-root" ref={ root } />
        </div>
    }
}
