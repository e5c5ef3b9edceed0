//! The Explore tab: a container the deferred module's Explore view
//! renders into (`web/deferred`), and the text and interleaving it shows,
//! handed over as they change.
//!
//! As with the Stress view (see `stress.rs`), the view is a Yew app of
//! another wasm module, so its container is a sibling of the page's
//! `#app`, `#explore-root`, which this tab creates and shows or hides.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::deferred::{Deferred, ExploreHandle};

#[derive(Properties, PartialEq)]
pub struct ExploreTabProps {
    pub active: bool,
    /// The deferred module, once loaded.
    pub deferred: Option<Deferred>,
    pub text: AttrValue,
    pub replay: Option<AttrValue>,
    /// The interleaving the user chose in the view.
    pub on_replay: Callback<Option<String>>,
}

/// The mounted view and the callback it holds.
struct Mounted {
    handle: ExploreHandle,
    _on_replay: Closure<dyn Fn(JsValue)>,
}

/// Mounted the first time the tab shows with the module loaded; kept
/// while hidden, so the view keeps its place in the interleaving.
#[function_component(ExploreTab)]
pub fn explore_tab(props: &ExploreTabProps) -> Html {
    let mounted: Rc<RefCell<Option<Mounted>>> = use_mut_ref(|| None);
    {
        let mounted = mounted.clone();
        let on_replay = props.on_replay.clone();
        let deps = (props.active, props.deferred.clone(), props.text.clone(), props.replay.clone());
        use_effect_with(deps, move |(active, deferred, text, replay)| {
            let root = explore_root();
            if let Some(el) = &root {
                let _ = if *active { el.remove_attribute("hidden") } else { el.set_attribute("hidden", "") };
            }
            if let (true, Some(d), Some(el)) = (*active, deferred, root) {
                let mut slot = mounted.borrow_mut();
                let m = slot.get_or_insert_with(|| mount(d, &el, on_replay));
                m.handle.show(text, replay.as_ref().map(ToString::to_string));
            }
        });
    }
    html! {
        <div class="explore-tab" hidden={ !props.active }>
            { if props.active && props.deferred.is_none() {
                html! { <p class="muted" role="status">{ "Loading the Explore view…" }</p> }
            } else { html! {} } }
        </div>
    }
}

fn mount(d: &Deferred, root: &web_sys::Element, on_replay: Callback<Option<String>>) -> Mounted {
    let f = Closure::<dyn Fn(JsValue)>::new(move |r: JsValue| on_replay.emit(r.as_string()));
    let handle = d.mount_explore(root, f.as_ref().unchecked_ref());
    Mounted { handle, _on_replay: f }
}

/// The view's container: `<div id="explore-root">` after the page's
/// `#app`, created once.
fn explore_root() -> Option<web_sys::Element> {
    let document = web_sys::window()?.document()?;
    if let Some(el) = document.get_element_by_id("explore-root") {
        return Some(el);
    }
    let el = document.create_element("div").ok()?;
    el.set_id("explore-root");
    el.set_class_name("explore-host");
    el.set_attribute("hidden", "").ok()?;
    document.body()?.append_child(&el).ok()?;
    Some(el)
}
