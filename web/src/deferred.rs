//! The deferred module (`web/deferred`), as the page calls it.
//!
//! The page's first load holds what its first screen needs; the share
//! codec, the explorer and the Explore view, the copies, the mail reader
//! and the state inspector's drawing are a second wasm module, which the
//! page imports right after its first render (`load`). Once loaded, its
//! exports are synchronous calls; what crosses is typed
//! (`errseq-page-protocol`, as bytes). Until it is loaded, whatever needs
//! it waits: the address keeps its fragment, a `par` scenario's results
//! say they are coming, the state says it is loading, a paste goes in as
//! it is.

use std::rc::Rc;

use errseq_page_protocol::{
    from_bytes, to_bytes, Analysed, Fragment, Inspect, Inspected, LinkReading, Painted, PastedScenario,
};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/lazy.js")]
extern "C" {
    #[wasm_bindgen(js_name = loadDeferred)]
    fn load_deferred() -> js_sys::Promise;
}

#[wasm_bindgen]
extern "C" {
    /// The module's exports (`web/deferred/src/main.rs`).
    type Module;
    #[wasm_bindgen(method, js_name = readLink)]
    fn read_link(this: &Module, fragment: &str) -> Vec<u8>;
    #[wasm_bindgen(method)]
    fn fragment(this: &Module, text: &str, replay: Option<String>) -> Vec<u8>;
    #[wasm_bindgen(method)]
    fn analyse(this: &Module, text: &str) -> Vec<u8>;
    #[wasm_bindgen(method)]
    fn inspect(this: &Module, request: &[u8]) -> Vec<u8>;
    #[wasm_bindgen(method, js_name = starterOptions)]
    fn starter_options(this: &Module) -> String;
    #[wasm_bindgen(method, js_name = startFrom)]
    fn start_from(this: &Module, text: &str, base: &str) -> Option<String>;
    #[wasm_bindgen(method)]
    fn paint(this: &Module, text: &str) -> Vec<u8>;
    #[wasm_bindgen(method)]
    fn copy(this: &Module, request: &[u8]) -> js_sys::Promise;
    #[wasm_bindgen(method, js_name = readMail)]
    fn read_mail(this: &Module, text: &str) -> Vec<u8>;
    #[wasm_bindgen(method)]
    fn example(this: &Module, name: &str) -> Option<String>;
    #[wasm_bindgen(method, js_name = mountEmbed)]
    fn mount_embed(this: &Module, root: &web_sys::Element, fragment: &str);
    #[wasm_bindgen(method, js_name = mountExplore)]
    fn mount_explore(this: &Module, root: &web_sys::Element, on_replay: &js_sys::Function) -> ExploreHandle;

    /// The mounted Explore view.
    pub type ExploreHandle;
    #[wasm_bindgen(method)]
    pub fn show(this: &ExploreHandle, text: &str, replay: Option<String>);
}

/// The loaded module; equal when it is the same one.
#[derive(Clone)]
pub struct Deferred(Rc<Module>);

impl PartialEq for Deferred {
    fn eq(&self, other: &Deferred) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

thread_local! {
    static LOADED: std::cell::RefCell<Option<Deferred>> = const { std::cell::RefCell::new(None) };
}

/// Imports the module (once; later calls get the same one).
pub async fn load() -> Result<Deferred, String> {
    match JsFuture::from(load_deferred()).await {
        Ok(m) => {
            let d = Deferred(Rc::new(m.unchecked_into()));
            LOADED.with(|l| *l.borrow_mut() = Some(d.clone()));
            Ok(d)
        }
        Err(e) => Err(e.as_string().unwrap_or_else(|| String::from(js_sys::Error::from(e).message()))),
    }
}

/// [`load`], tried again after 0.5, 1, 2, 4 and 8 s when it fails (a
/// network that drops a request, a host that is replacing the files):
/// the last failure if every attempt fails.
pub async fn load_patiently() -> Result<Deferred, String> {
    let mut wait_ms = 500;
    loop {
        match load().await {
            Ok(d) => return Ok(d),
            Err(e) if wait_ms > 8_000 => return Err(e),
            Err(_) => {
                sleep(wait_ms).await;
                wait_ms *= 2;
            }
        }
    }
}

async fn sleep(ms: i32) {
    let wait = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(wait).await;
}

/// The module, if it is loaded: for event handlers, which cannot wait.
pub fn loaded() -> Option<Deferred> {
    LOADED.with(|l| l.borrow().clone())
}

impl Deferred {
    /// What the link's fragment opens.
    pub fn read_link(&self, fragment: &str) -> LinkReading {
        from_bytes(&self.0.read_link(fragment)).unwrap_or_else(LinkReading::Problem)
    }

    /// The fragment for the text and interleaving, or why no link carries it.
    pub fn fragment(&self, text: &str, replay: Option<&str>) -> Fragment {
        from_bytes::<Fragment>(&self.0.fragment(text, replay.map(str::to_owned))).and_then(|f| f)
    }

    /// What the module says of a text with `par` blocks, claims or a
    /// written scheme; `None` for any other text.
    pub fn analyse(&self, text: &str) -> Option<Analysed> {
        from_bytes::<Option<Analysed>>(&self.0.analyse(text)).unwrap_or_else(|e| Some(Analysed::Stopped(e)))
    }

    /// The state inspector's caption and markup.
    pub fn inspect(&self, request: &Inspect) -> Inspected {
        from_bytes::<Inspected>(&self.0.inspect(&to_bytes(request))).and_then(|i| i)
    }

    /// The "Start from" menu's entries, as `<option>` markup.
    pub fn starter_options(&self) -> String {
        self.0.starter_options()
    }

    /// The text with a block that starts from `base` written in.
    pub fn start_from(&self, text: &str, base: &str) -> Option<String> {
        self.0.start_from(text, base)
    }

    /// The paint of the text's scheme blocks, line by line.
    pub fn paint(&self, text: &str) -> Option<Painted> {
        from_bytes(&self.0.paint(text)).ok()
    }

    /// A copy button's work, `request` as [`to_bytes`] wrote it: the copy
    /// made and on the clipboard (the SVG downloaded), or why not.
    pub async fn copy(&self, request: &[u8]) -> Result<(), String> {
        let done = JsFuture::from(self.0.copy(request)).await.map_err(|_| "the copy failed".to_owned())?;
        from_bytes::<Result<(), String>>(&js_sys::Uint8Array::new(&done).to_vec()).and_then(|c| c)
    }

    /// The scenarios a pasted text holds as a mail, or `None`: paste it
    /// as it is.
    pub fn read_mail(&self, text: &str) -> Option<Vec<PastedScenario>> {
        from_bytes(&self.0.read_mail(text)).ok().flatten()
    }

    /// The text of the example called `name` (a gallery card).
    pub fn example(&self, name: &str) -> Option<String> {
        self.0.example(name)
    }

    /// Renders the embed of the link `fragment` into `root`.
    pub fn mount_embed(&self, root: &web_sys::Element, fragment: &str) {
        self.0.mount_embed(root, fragment);
    }

    /// Renders the Explore view into `root`.
    pub fn mount_explore(&self, root: &web_sys::Element, on_replay: &js_sys::Function) -> ExploreHandle {
        self.0.mount_explore(root, on_replay)
    }
}
