//! The messages between the Stress view and its workers, as Rust types.
//!
//! Page and workers are separate wasm modules (and one worker's host is
//! plain JS, `web/stress-wasm/worker.js`), so what they say crosses
//! `postMessage` as JS values. Both sides build and read those values from
//! the enums here with `serde-wasm-bindgen`, so a message is a
//! [`ToWorker`] or a [`FromWorker`] or it is rejected with a reason; no
//! side indexes into hand-built arrays.
//!
//! In JS a message is serde's default ("externally tagged") form, names
//! in snake case: a variant without fields is its name as a string, one
//! with fields an object whose one key is its name. (Not `{ kind, ... }`:
//! reading an internally tagged enum makes serde buffer the whole object
//! first, which cost 8 KB gzip in each module that reads messages.)
//!
//! ```text
//! page -> worker  { message: { stress: { index, plan_at, plan_len, cells_at, cells_len, out_at
//!                                        [, written: { name, base, source, first_line, line }] } },
//!                   shared: <the run's shared WebAssembly.Memory> }
//!                 { message: { scenario: { index, tasks, text, scheme, block, runs, seed, cells_len } },
//!                   shared: <the block's SharedArrayBuffer> }
//! worker -> page  "ready"
//!                 { done: { index, counts: { ops, sets, reports, errors, double, elapsed_us } } }
//!                 { tally: { index, runs, outcomes: [{ results: [word, ...], count }, ...] } }
//!                 { fault: { index, message } }
//!                 { panic: { index, message } } | { error: { index, message } }
//! ```
//!
//! - [`envelope`] / [`open_envelope`]: the page's message to a worker, with
//!   the shared memory alongside (see [`Envelope`] for why alongside);
//! - [`reply`] / [`read_reply`]: a worker's message to the page;
//! - [`scenario`]: where the scenario mode keeps its cells, barrier and
//!   results in its SharedArrayBuffer, and how a call's result is a word.

pub mod scenario;

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What the page asks of a worker (always with a shared memory alongside).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToWorker {
    /// The throughput loop; the shared part is the run's shared
    /// `WebAssembly.Memory`.
    Stress(StressStart),
    /// One task of a scenario's `par` block, many times; the shared part is
    /// the run's `SharedArrayBuffer` (laid out by [`scenario::ScenarioMap`]).
    Scenario(ScenarioStart),
}

/// Worker `index` of a throughput run: where in the shared memory its plan
/// and the cells are (`errseq_stress::memory_map`); `out_at` is where the
/// wasm-atomics engine keeps its counts and stack.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StressStart {
    pub index: u32,
    pub plan_at: u32,
    pub plan_len: u32,
    pub cells_at: u32,
    pub cells_len: u32,
    pub out_at: u32,
    /// The written scheme the plan runs, if it runs one (its words say
    /// so); absent from the message otherwise, so a built-in run's
    /// message is what the wasm-atomics engine's host reads by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written: Option<WrittenSource>,
}

/// A scheme the scenario writes, as its text: the worker compiles it
/// once (`errseq_lang::compile`) and runs the program.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrittenSource {
    /// Its name (`scheme NAME from BASE`).
    pub name: String,
    /// The built-in scheme's id it starts from.
    pub base: String,
    /// The block's C, its lines joined by newlines.
    pub source: String,
    /// The scenario's line of the C's first line, so that a fault's
    /// line:col is the scenario's.
    pub first_line: u32,
    /// The line of `scheme NAME from BASE`.
    pub line: u32,
}

/// Task `index` of `tasks` of block `block` of the scenario `text`, under
/// `scheme` (an id, `errseq::Scheme::from_id`), `runs` times. The worker
/// compiles the text itself and checks that it finds `tasks` tasks and
/// `cells_len` cells, as the page did. Worker 0 leads: it resets the cells
/// before each run and tallies the outcomes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioStart {
    pub index: u32,
    pub tasks: u32,
    pub text: String,
    pub scheme: String,
    pub block: u32,
    pub runs: u32,
    /// Seeds each worker's random start delays.
    pub seed: u32,
    pub cells_len: u32,
}

/// What a worker tells the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FromWorker {
    /// Its message handler is installed: a message sent before would be lost.
    Ready,
    /// A throughput worker finished; the same counts are in the buffer.
    Done { index: u32, counts: Counts },
    /// The scenario mode's leader finished every run: how often each joint
    /// outcome (the block's results as [`scenario::result_word`]s, in task
    /// order) was seen.
    Tally { index: u32, runs: u32, outcomes: Vec<Tallied> },
    /// A throughput worker stopped because its written scheme faulted: the
    /// fault, naming the scheme and its line:col
    /// (`errseq_stress::WrittenFault`).
    Fault { index: u32, message: String },
    /// It panicked (the trap reaches the page as an `error` event too).
    Panic { index: Option<u32>, message: String },
    /// It refused the job.
    Error { index: Option<u32>, message: String },
}

/// A throughput worker's counts, as its "done" message carries them.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub ops: u32,
    pub sets: u32,
    pub reports: u32,
    pub errors: u32,
    pub double: u32,
    pub elapsed_us: u32,
}

/// One joint outcome of a block and how many runs gave it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Tallied {
    pub results: Vec<u32>,
    pub count: u32,
}

#[wasm_bindgen]
extern "C" {
    /// A page-to-worker message: `{ message, shared }`.
    ///
    /// `message` is a [`ToWorker`] through serde. `shared` is the run's
    /// `SharedArrayBuffer` or shared `WebAssembly.Memory`, which serde
    /// cannot carry: `postMessage` must see the very object to share it
    /// (a copy would not be shared), so it travels beside the typed part,
    /// set in [`envelope`] and read in [`open_envelope`] only.
    #[wasm_bindgen(extends = js_sys::Object)]
    pub type Envelope;
    #[wasm_bindgen(method, getter)]
    fn message(this: &Envelope) -> JsValue;
    #[wasm_bindgen(method, setter)]
    fn set_message(this: &Envelope, value: &JsValue);
    #[wasm_bindgen(method, getter)]
    fn shared(this: &Envelope) -> JsValue;
    #[wasm_bindgen(method, setter)]
    fn set_shared(this: &Envelope, value: &JsValue);
}

/// The message `message` with the shared memory `shared`, ready to post.
pub fn envelope(message: &ToWorker, shared: &JsValue) -> Result<Envelope, String> {
    let typed = serde_wasm_bindgen::to_value(message).map_err(|e| e.to_string())?;
    let e: Envelope = js_sys::Object::new().unchecked_into();
    e.set_message(&typed);
    e.set_shared(shared);
    Ok(e)
}

/// A page's message as a worker receives it: what it asks, and the shared
/// memory (still to be checked by the caller for the kind it expects).
pub fn open_envelope(data: &JsValue) -> Result<(ToWorker, JsValue), String> {
    if !data.is_object() {
        return Err("the start message is not an object".to_owned());
    }
    let e: &Envelope = data.unchecked_ref();
    let message = serde_wasm_bindgen::from_value(e.message())
        .map_err(|err| format!("the start message does not read as one: {err}"))?;
    Ok((message, e.shared()))
}

/// A worker's message as a JS value, ready to post.
pub fn reply(message: &FromWorker) -> Result<JsValue, String> {
    serde_wasm_bindgen::to_value(message).map_err(|e| e.to_string())
}

/// A worker's message as the page receives it.
pub fn read_reply(data: JsValue) -> Result<FromWorker, String> {
    serde_wasm_bindgen::from_value(data).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json<T: Serialize>(value: &T) -> String {
        serde_json::to_string(value).expect("serializes")
    }

    /// The shapes the module documentation promises, which the JS host of
    /// the wasm-atomics worker writes and reads by hand.
    #[test]
    fn messages_have_the_documented_shape() {
        assert_eq!(json(&FromWorker::Ready), r#""ready""#);
        let counts = Counts { ops: 1, sets: 2, reports: 3, errors: 4, double: 0, elapsed_us: 6 };
        assert_eq!(
            json(&FromWorker::Done { index: 1, counts }),
            r#"{"done":{"index":1,"counts":{"ops":1,"sets":2,"reports":3,"errors":4,"double":0,"elapsed_us":6}}}"#
        );
        assert_eq!(
            json(&FromWorker::Panic { index: None, message: "boom".to_owned() }),
            r#"{"panic":{"index":null,"message":"boom"}}"#
        );
        let start = StressStart {
            index: 0,
            plan_at: 8,
            plan_len: 9,
            cells_at: 64,
            cells_len: 10,
            out_at: 4096,
            written: None,
        };
        assert_eq!(
            json(&ToWorker::Stress(start)),
            r#"{"stress":{"index":0,"plan_at":8,"plan_len":9,"cells_at":64,"cells_len":10,"out_at":4096}}"#
        );
        assert_eq!(
            json(&FromWorker::Fault { index: 1, message: "4:2: scheme `mine`: ...".to_owned() }),
            r#"{"fault":{"index":1,"message":"4:2: scheme `mine`: ..."}}"#
        );
        let tally = FromWorker::Tally {
            index: 0,
            runs: 3,
            outcomes: vec![Tallied { results: vec![0, 5], count: 3 }],
        };
        assert_eq!(
            json(&tally),
            r#"{"tally":{"index":0,"runs":3,"outcomes":[{"results":[0,5],"count":3}]}}"#
        );
    }

    #[test]
    fn messages_read_back() {
        let start = ToWorker::Scenario(ScenarioStart {
            index: 2,
            tasks: 3,
            text: "open a f\n".to_owned(),
            scheme: "linux-5.8".to_owned(),
            block: 0,
            runs: 1000,
            seed: 7,
            cells_len: 40,
        });
        let back: ToWorker = serde_json::from_str(&json(&start)).expect("reads");
        assert_eq!(back, start);
        let written = ToWorker::Stress(StressStart {
            index: 1,
            plan_at: 8,
            plan_len: 15,
            cells_at: 64,
            cells_len: 10,
            out_at: 4096,
            written: Some(WrittenSource {
                name: "mine".to_owned(),
                base: "linux-4.17".to_owned(),
                source: "int errseq_check(errseq_t *eseq, errseq_t since)\n{\n\treturn 0;\n}\n".to_owned(),
                first_line: 3,
                line: 2,
            }),
        });
        let back: ToWorker = serde_json::from_str(&json(&written)).expect("reads");
        assert_eq!(back, written);
        let index_from_js: FromWorker =
            serde_json::from_str(r#"{"error":{"index":null,"message":"no"}}"#).expect("reads");
        assert_eq!(index_from_js, FromWorker::Error { index: None, message: "no".to_owned() });
    }
}
