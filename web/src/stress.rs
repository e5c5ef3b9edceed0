//! The Stress tab: a container the Stress view's own module renders into,
//! loaded on first use (see `web/stress-view`), and the scenario text the
//! view's scenario mode runs, handed over as it changes.
//!
//! **Why the container is outside the page's app.** The view is a second
//! Yew app, from a second wasm module. Yew listens for events on an app's
//! root, in the capture phase, and tells its subtrees apart by ids from a
//! counter per module, so two modules both number their first app 1. With
//! the view's root inside the page's, the page took the view's events for
//! its own and ran whichever of its handlers had the same listener number
//! (choosing the scenario mode opened a gallery example). So the page
//! renders into `#app` ([`crate::start`]) and the view into a sibling,
//! `#stress-root`, which this tab creates and shows or hides.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

#[wasm_bindgen(module = "/src/lazy.js")]
extern "C" {
    #[wasm_bindgen(js_name = mountStressView)]
    fn mount_stress_view(root: &web_sys::Element, text: &str) -> js_sys::Promise;
}

#[wasm_bindgen]
extern "C" {
    /// What the view's module returns from `mount` (`StressHandle` in
    /// `web/stress-view/src/main.rs`).
    type StressHandle;
    #[wasm_bindgen(method, js_name = setScenario)]
    fn set_scenario(this: &StressHandle, text: &str);
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
    /// The scenario's text, for the view's scenario mode.
    pub text: AttrValue,
}

/// Kept in the page while hidden, so the view is mounted once and keeps
/// its state (and its running workers) across tab switches.
#[function_component(StressTab)]
pub fn stress_tab(props: &StressTabProps) -> Html {
    let root: Rc<RefCell<Option<web_sys::Element>>> = use_mut_ref(|| None);
    let phase = use_state(|| Phase::NotLoaded);
    let handle: Rc<RefCell<Option<StressHandle>>> = use_mut_ref(|| None);
    {
        let (root, phase, handle) = (root.clone(), phase.clone(), handle.clone());
        let text = props.text.clone();
        use_effect_with(props.active, move |active| {
            if let Some(el) = root.borrow().as_ref() {
                let _ = if *active { el.remove_attribute("hidden") } else { el.set_attribute("hidden", "") };
            }
            if *active && *phase == Phase::NotLoaded {
                phase.set(Phase::Loading);
                let el = stress_root();
                *root.borrow_mut() = el.clone();
                if let Some(el) = el {
                    wasm_bindgen_futures::spawn_local(async move {
                        match JsFuture::from(mount_stress_view(&el, &text)).await {
                            Ok(h) => {
                                *handle.borrow_mut() = Some(h.unchecked_into());
                                phase.set(Phase::Ready);
                            }
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
    {
        // Later texts, while the tab shows (it shows the last one when it opens).
        let handle = handle.clone();
        let ready = *phase == Phase::Ready;
        use_effect_with((props.text.clone(), props.active, ready), move |(text, active, ready)| {
            if let (Some(h), true, true) = (handle.borrow().as_ref(), *active, *ready) {
                h.set_scenario(text);
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
        </div>
    }
}

/// The view's container: `<div id="stress-root">` after the page's `#app`
/// (see the module), created once.
fn stress_root() -> Option<web_sys::Element> {
    let document = web_sys::window()?.document()?;
    if let Some(el) = document.get_element_by_id("stress-root") {
        return Some(el);
    }
    let el = document.create_element("div").ok()?;
    el.set_id("stress-root");
    el.set_class_name("stress-host");
    document.body()?.append_child(&el).ok()?;
    Some(el)
}
