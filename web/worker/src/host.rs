//! The worker's side of the protocol (`errseq_stress_protocol`): the
//! panic hook, the message handler, and the replies, all typed.

#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use std::cell::RefCell;

use errseq_stress_protocol::{open_envelope, reply, FromWorker, ToWorker};
use js_sys::{Atomics, Int32Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// Where a throughput worker tells the page through the buffer that it
/// crashed: the cells, its STATE cell, and the value that means crashed.
pub type CrashCell = (Int32Array, u32, u32);

thread_local! {
    /// The job this worker is in, for the panic hook: its index, and for a
    /// throughput run the cell to mark.
    static JOB: RefCell<Option<(u32, Option<CrashCell>)>> = const { RefCell::new(None) };
}

/// Remembers the job's index and crash cell for the panic hook.
pub fn enter_job(index: u32, crash_cell: Option<CrashCell>) {
    JOB.with(|j| *j.borrow_mut() = Some((index, crash_cell)));
}

pub fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Posts `message` to the page.
pub fn post(message: &FromWorker) {
    // Nothing to do if posting fails: the page's watchdog notices silence.
    if let Ok(value) = reply(message) {
        let _ = scope().post_message(&value);
    }
}

/// A JS exception's message, or its debug form.
pub fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|err| String::from(err.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

/// A job refused, and why: the worker's index if known, and the message.
pub type Refusal = (Option<u32>, String);

/// Installs the panic hook and a message handler that hands each job to
/// `run`, then says `Ready`.
pub fn start(run: fn(ToWorker, &JsValue) -> Result<(), Refusal>) {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_owned());
        let message = match info.location() {
            Some(at) => format!("{what} (at {}:{})", at.file(), at.line()),
            None => what,
        };
        let index = JOB.with(|j| {
            j.borrow().as_ref().map(|(index, crash)| {
                if let Some((cells, state, crashed)) = crash {
                    // Tell the page through the buffer too (best effort).
                    let _ = Atomics::store(cells, *state, *crashed as i32);
                }
                *index
            })
        });
        post(&FromWorker::Panic { index, message });
    }));
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let result =
            open_envelope(&e.data()).map_err(|why| (None, why)).and_then(|(job, shared)| run(job, &shared));
        if let Err((index, message)) = result {
            post(&FromWorker::Error { index, message });
        }
    });
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    handler.forget();
    post(&FromWorker::Ready);
}
