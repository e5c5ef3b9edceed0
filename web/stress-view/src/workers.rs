//! Web Workers as the supervisors see them: started with their handlers,
//! sent typed messages with the shared memory alongside, and heard as
//! typed messages (`errseq_stress_protocol`), or as failures.

use errseq_stress_protocol::{envelope, read_reply, FromWorker, ToWorker};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};
use yew::Callback;

/// What a worker did, for its supervisor.
#[derive(Clone, Debug, PartialEq)]
pub enum Heard {
    /// Worker `i` said this.
    Said(u32, FromWorker),
    /// Worker `i` failed: an error event, or a message that is not one of
    /// the protocol's (the text says which).
    Failed(u32, String),
}

/// The worker's script for each job. No name is hashed: Trunk does not
/// hash worker files, and scripts/build-stress-wasm.sh copies the first.
pub const WASM_ATOMICS_WORKER: &str = "./errseq-stress-worker.js";
pub const JS_ATOMICS_WORKER: &str = "./errseq-worker_loader.js";
/// The JS-Atomics engine's worker for a written scheme's run.
pub const WRITTEN_WORKER: &str = "./errseq-written-worker_loader.js";
pub const SCENARIO_WORKER: &str = "./errseq-scenario-worker_loader.js";

/// One running Web Worker and the closures its handlers are.
pub struct WorkerHandle {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
    _on_message_error: Closure<dyn FnMut(MessageEvent)>,
}

impl WorkerHandle {
    /// Starts the worker at `url` as worker `i`; what it does goes to `heard`.
    pub fn spawn(url: &str, i: u32, heard: &Callback<Heard>) -> Result<WorkerHandle, String> {
        let worker = Worker::new(url).map_err(|e| describe(&e))?;
        let on_message = {
            let heard = heard.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                heard.emit(match read_reply(e.data()) {
                    Ok(msg) => Heard::Said(i, msg),
                    Err(why) => {
                        Heard::Failed(i, format!("it sent a message that is not the protocol's ({why})"))
                    }
                })
            })
        };
        let on_error = {
            let heard = heard.clone();
            Closure::<dyn FnMut(ErrorEvent)>::new(move |e: ErrorEvent| {
                let what =
                    if e.message().is_empty() { "it raised an error event".to_owned() } else { e.message() };
                heard.emit(Heard::Failed(i, what))
            })
        };
        let on_message_error = {
            let heard = heard.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |_| {
                heard.emit(Heard::Failed(i, "a message from it could not be read".to_owned()))
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        worker.set_onmessageerror(Some(on_message_error.as_ref().unchecked_ref()));
        Ok(WorkerHandle {
            worker,
            _on_message: on_message,
            _on_error: on_error,
            _on_message_error: on_message_error,
        })
    }

    /// Sends `message`, with the run's shared memory alongside.
    pub fn send(&self, message: &ToWorker, shared: &JsValue) -> Result<(), String> {
        let e = envelope(message, shared)?;
        self.worker.post_message(&e).map_err(|e| describe(&e))
    }

    pub fn terminate(&self) {
        self.worker.terminate();
    }
}

/// A JS exception's message, or its debug form.
pub fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|err| String::from(err.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

/// The page's clock, in ms.
pub fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or_else(js_sys::Date::now, |p| p.now())
}

/// Why workers cannot share memory here, if they cannot.
pub fn isolation_problem() -> Option<&'static str> {
    let global = js_sys::global();
    let has = |name: &str| js_sys::Reflect::has(&global, &JsValue::from_str(name)).unwrap_or(false);
    let isolated = js_sys::Reflect::get(&global, &JsValue::from_str("crossOriginIsolated"))
        .ok()
        .and_then(|v| v.as_bool());
    match (isolated, has("SharedArrayBuffer"), has("Worker")) {
        (_, _, false) => Some("this browser has no Web Workers"),
        (Some(true), true, true) => None,
        (Some(true), false, true) => {
            Some("this browser has no SharedArrayBuffer, even cross-origin isolated")
        }
        // The site's own service worker adds the headers where the server
        // does not (web/site/isolation.js); it needs a secure context.
        _ if !has_service_workers() => Some(
            "the page is not cross-origin isolated: its server sends no isolation headers, and the \
             browser offers no service worker here to add them (service workers need HTTPS or \
             localhost, and some private windows turn them off)",
        ),
        _ => Some("the page is not cross-origin isolated (crossOriginIsolated is false)"),
    }
}

/// Whether this page may use a service worker (`navigator.serviceWorker`
/// exists only in a secure context).
fn has_service_workers() -> bool {
    let navigator = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("navigator"));
    navigator
        .and_then(|n| js_sys::Reflect::get(&n, &JsValue::from_str("serviceWorker")))
        .is_ok_and(|sw| !sw.is_undefined() && !sw.is_null())
}
