//! The errseq playground in the browser.
//!
//! Everything runs client-side: the scenario is parsed, checked, evaluated
//! under every scheme and explored by the same crates as the CLI, compiled
//! to wasm. The page has three views of one document: the playground
//! (text and timeline, results, state inspector), Explore (the
//! interleavings of `par` blocks, step by step) and Stress (Web Workers
//! hammering one SharedArrayBuffer).
//!
//! The pure parts (the document and its history, timeline edits and
//! layout, the analysis and the results grid) are modules of their own,
//! tested natively and in the browser.

pub mod analysis;
mod app;
pub mod browser;
pub mod deferred;
pub mod doc;
pub mod edit;
mod editor;
mod embed;
mod explore_tab;
mod gallery;
pub mod grid;
mod inspector;
pub mod paste;
mod playground;
mod share;
mod start_from;
mod stress;
mod timeline;

/// The page's allocator, and its deferred module's (which links this
/// crate): Talc rather than the standard library's dlmalloc, 2.8 KB gzip
/// smaller, as fast on the page's work (BENCHMARKS.md, "Down to 200 KB").
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The timeline's layout, shared with the SVG pictures (`errseq-render`).
pub use errseq_render::lanes;

/// Mounts the page into `<div id="app">` (made if the HTML has none).
/// Not into `<body>`: the Stress view, a Yew app of its own, renders into
/// a sibling of it (see `stress.rs` for why).
pub fn start() {
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| {
        d.get_element_by_id("app").or_else(|| {
            let el = d.create_element("div").ok()?;
            el.set_id("app");
            d.body()?.append_child(&el).ok()?;
            Some(el)
        })
    });
    match root {
        Some(root) if browser::has_query("embed") => embed::start(root),
        Some(root) => drop(yew::Renderer::<app::App>::with_root(root).render()),
        None => drop(yew::Renderer::<app::App>::new().render()),
    }
}
