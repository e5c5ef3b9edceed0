//! The few browser services the page uses, each a small function that
//! tolerates their absence (private mode without storage, no clipboard).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The window; none natively (the crates' unit tests), where there is no
/// browser to ask.
fn window() -> Option<web_sys::Window> {
    if cfg!(not(target_arch = "wasm32")) {
        return None;
    }
    web_sys::window()
}

/// Milliseconds since the epoch.
pub fn now() -> f64 {
    js_sys::Date::now()
}

/// Counts one more of an expensive piece of work (`analyses`: a text
/// analysed; `replays`: an interleaving decoded) on the document element,
/// `data-analyses="3"`: the browser tests and benchmarks read it to show
/// that a click or a step computes nothing again.
pub fn count(work: &str) {
    // Natively (the crates' unit tests) there is no document to mark.
    if cfg!(not(target_arch = "wasm32")) {
        return;
    }
    let root = window().and_then(|w| w.document()).and_then(|d| d.document_element());
    if let Some(root) = root {
        let name = format!("data-{work}");
        let n: u64 = root.get_attribute(&name).and_then(|v| v.parse().ok()).unwrap_or(0);
        let _ = root.set_attribute(&name, &(n + 1).to_string());
    }
}

const SAVED: &str = "errseq-playground:scenario";
const THEME: &str = "errseq-playground:theme";

fn storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok().flatten()
}

/// The scenario saved by the last visit.
pub fn saved_scenario() -> Option<String> {
    storage()?.get_item(SAVED).ok().flatten()
}

pub fn save_scenario(text: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(SAVED, text);
    }
}

pub fn saved_theme() -> Option<String> {
    storage()?.get_item(THEME).ok().flatten()
}

/// Applies a theme (`light`, `dark`, or `system`) to the document.
pub fn set_theme(theme: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(THEME, theme);
    }
    let root = window().and_then(|w| w.document()).and_then(|d| d.document_element());
    if let Some(root) = root {
        let _ = match theme {
            "light" | "dark" => root.set_attribute("data-theme", theme),
            _ => root.remove_attribute("data-theme"),
        };
    }
}

/// The URL fragment, without `#`, percent-decoding left to the codec.
pub fn fragment() -> String {
    let hash = window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    hash.strip_prefix('#').unwrap_or(&hash).to_owned()
}

/// The query string has `key` (`?embed`).
pub fn has_query(key: &str) -> bool {
    let search = window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    search.trim_start_matches('?').split('&').any(|kv| kv.split('=').next() == Some(key))
}

/// The page's address without query or fragment.
pub fn base_url() -> String {
    let loc = window().map(|w| w.location());
    let origin = loc.as_ref().and_then(|l| l.origin().ok()).unwrap_or_default();
    let path = loc.as_ref().and_then(|l| l.pathname().ok()).unwrap_or_else(|| "/".to_owned());
    format!("{origin}{path}")
}

/// The address links point at: the site's public address, which a build
/// for a host writes into the page as `<link rel="canonical">`
/// (`ERRSEQ_BASE`, see `scripts/finish-page.sh`), or else the address
/// the page was loaded from (`trunk serve`: `http://127.0.0.1:8080/`).
/// Only an `http:` or `https:` address is taken, without its query or
/// fragment.
pub fn public_base() -> String {
    canonical_address().unwrap_or_else(base_url)
}

fn canonical_address() -> Option<String> {
    let document = window()?.document()?;
    let link = document.query_selector("link[rel=canonical]").ok()??;
    let href = link.get_attribute("href")?;
    let url = web_sys::Url::new_with_base(&href, &document.base_uri().ok()??).ok()?;
    if !matches!(url.protocol().as_str(), "http:" | "https:") {
        return None;
    }
    url.set_search("");
    url.set_hash("");
    Some(url.href())
}

/// Sets the document's title: the scenario's title, then the site's.
pub fn set_document_title(scenario_title: Option<&str>) {
    let Some(document) = window().and_then(|w| w.document()) else { return };
    document.set_title(&match scenario_title {
        Some(t) => format!("{t} · errseq playground"),
        None => "errseq playground".to_owned(),
    });
}

/// Replaces the fragment without adding a history entry.
pub fn replace_fragment(fragment: &str) {
    let Some(w) = window() else { return };
    let search = w.location().search().unwrap_or_default();
    let url = format!("{}{search}#{fragment}", base_url());
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Copies text to the clipboard; the error says why it could not.
pub async fn copy(text: String) -> Result<(), String> {
    let clipboard = window().map(|w| w.navigator().clipboard()).ok_or("no window")?;
    JsFuture::from(clipboard.write_text(&text))
        .await
        .map(drop)
        .map_err(|e| e.as_string().unwrap_or_else(|| "the browser refused clipboard access".to_owned()))
}

/// Offers `content` as a file named `name` to download (a link to a blob
/// of it, clicked).
pub fn download(name: &str, mime: &str, content: &str) -> Result<(), String> {
    let document = window().and_then(|w| w.document()).ok_or("no document")?;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser refused to make the file")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser refused to make the file")?;
    let a: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(|_| "no link")?.dyn_into().map_err(|_| "no link")?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // Freed once the download has surely started.
    gloo::timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// Moves the caret of a textarea to line `line`, column `col` (1-based,
/// counted in characters) and focuses it.
pub fn caret_to(id: &str, text: &str, line: u32, col: u32) {
    let el = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok());
    let Some(area) = el else { return };
    let mut offset = 0u32;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 == line as usize {
            // Offsets count UTF-16 units, as the DOM does.
            let before: String = l.chars().take(col.saturating_sub(1) as usize).collect();
            offset += before.encode_utf16().count() as u32;
            break;
        }
        offset += l.encode_utf16().count() as u32 + 1;
    }
    let _ = area.focus();
    let _ = area.set_selection_range(offset, offset);
}
