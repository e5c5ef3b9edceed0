// The host of the Stress view's wasm-atomics worker (served as
// errseq-stress-worker.js, next to errseq-stress.wasm; both are put there
// by scripts/build-stress-wasm.sh). The loop itself is Rust, in the module
// (web/stress-wasm/src); this file only gives it what stable Rust cannot
// reach in wasm: a sleep on the start barrier (Atomics.wait), the clock,
// and the messages to the page. Protocol, as the JS-Atomics worker's
// (web/worker/src/main.rs), whose messages are the Rust types of
// web/protocol/src/lib.rs (errseq_stress_protocol) as serde-wasm-bindgen
// writes and reads them: a variant without fields is its name, one with
// fields an object whose one key is its name; snake_case fields.
//
//   worker -> page  'ready'                  once the module is compiled
//   page -> worker  { message: { stress: { index, plan_at, plan_len, cells_at, cells_len, out_at } },
//                     shared: <the run's shared WebAssembly.Memory> }
//                   (this worker's part of the memory: errseq_stress::memory_map::WorkerMap)
//   worker -> page  { done: { index, counts: { ops, sets, reports, errors, double, elapsed_us } } }
//                 | { panic: { index, message } }  (then the trap is rethrown,
//                                                   so the page sees an error event)
//                 | { error: { index, message } }  the run was refused
'use strict';

let compiled = null;

fetch(new URL('errseq-stress.wasm', self.location.href))
  .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`errseq-stress.wasm: HTTP ${r.status}`))))
  .then((bytes) => WebAssembly.compile(bytes))
  .then((module) => {
    compiled = module;
    self.postMessage('ready');
  })
  .catch((e) => self.postMessage({ error: { index: null, message: `the stress module did not load: ${e.message}` } }));

self.onmessage = (event) => {
  const { message, shared: memory } = event.data ?? {};
  const job = message?.stress;
  if (!job || !(memory instanceof WebAssembly.Memory)) {
    // This engine runs the throughput loop only (the scenario mode has its own worker).
    const what = Object.keys(message ?? {}).join(', ') || 'nothing';
    self.postMessage({ error: { index: null, message: `this worker runs throughput jobs on a shared WebAssembly.Memory, not ${what}` } });
    return;
  }
  const { index, plan_at: planAt, plan_len: planLen, cells_at: cellsAt, cells_len: cellsLen, out_at: outAt } = job;
  const cells = new Int32Array(memory.buffer, cellsAt, cellsLen);
  let said = '';
  const env = {
    memory,
    // The barrier's sleep: bounded, the module calls again while GO is 0.
    errseq_wait: (cell) => { Atomics.wait(cells, cell, 0, 100); },
    errseq_now: () => performance.now(),
    // A decoder cannot read shared memory: copy the bytes out first.
    errseq_say: (ptr, len) => { said = new TextDecoder().decode(new Uint8Array(memory.buffer, ptr, len).slice()); },
  };
  let x;
  try {
    x = new WebAssembly.Instance(compiled, { env }).exports;
  } catch (e) {
    self.postMessage({ error: { index, message: `the stress module could not start: ${e.message}` } });
    return;
  }
  // Every instance starts on the module's one stack: move this one's to
  // the region the page set aside for this worker, below its counts.
  x.__stack_pointer.value = outAt;
  let status;
  try {
    status = x.errseq_stress_run(planAt, planLen, cellsAt, cellsLen, index, outAt);
  } catch (trap) {
    x.__stack_pointer.value = outAt;
    x.errseq_stress_crashed(planAt, planLen, cellsAt, cellsLen, index);
    self.postMessage({ panic: { index, message: said || String(trap) } });
    throw trap;
  }
  if (status !== 0) {
    self.postMessage({ error: { index, message: said } });
    return;
  }
  const [ops, sets, reports, errors, double, elapsed_us] = new Uint32Array(memory.buffer, outAt, 6);
  self.postMessage({ done: { index, counts: { ops, sets, reports, errors, double, elapsed_us } } });
};
