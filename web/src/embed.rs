//! `?embed`: the compact view documentation pages show in an iframe.
//!
//! An embed opens from a link, and links are read by the deferred module,
//! which also draws the embed (`web/deferred/src/embed.rs`); so in an
//! embed the page's own app does not run. The first load says "Opening
//! the link…" in the page's root, loads the deferred module and hands it
//! the root and the link, or says why it could not.

use crate::{browser, deferred};

/// Starts the embed in `root`.
pub fn start(root: web_sys::Element) {
    say(&root, "opening-link", "muted", "Opening the link…");
    wasm_bindgen_futures::spawn_local(async move {
        match deferred::load_patiently().await {
            Ok(d) => d.mount_embed(&root, &browser::fragment()),
            Err(why) => say(
                &root,
                "deferred-problem",
                "diag error",
                &format!("This embed could not be loaded ({why})."),
            ),
        }
    });
}

/// `root` holds one paragraph: `text`, announced.
fn say(root: &web_sys::Element, id: &str, class: &str, text: &str) {
    let Some(p) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.create_element("p").ok())
    else {
        return;
    };
    p.set_id(id);
    p.set_class_name(class);
    let _ = p.set_attribute("role", "status");
    p.set_text_content(Some(text));
    root.set_text_content(None);
    let _ = root.append_child(&p);
}
