//! The Stress view's wasm-atomics worker.
//!
//! The first engine of the Stress view (`web/worker`) runs the stress loop
//! in a wasm-bindgen module and reaches the shared cells through calls of
//! JS `Atomics`: every atomic step leaves wasm, which costs ten times what
//! the step itself does. This engine removes the crossing. Its module
//! imports its linear memory, and the page hands every worker the same
//! *shared* `WebAssembly.Memory`, whose buffer is the run's
//! SharedArrayBuffer. The cells are then plain `AtomicU32`s in wasm's own
//! memory and the loop is the very code the native threads run
//! (`errseq::atomic::AtomicSlice`), each step one of wasm's atomic
//! instructions (`i32.atomic.rmw.cmpxchg` and friends).
//!
//! Stable Rust's std is not built for shared memory, and a shared-memory
//! module cannot link it, so the module is `no_std` (with `alloc`): it
//! brings its panic handler and a bump allocator, and the host (a few
//! lines of JS, `worker.js`) brings the rest: the start barrier's sleep
//! (`Atomics.wait`), the clock, and the messages to the page. Instances of
//! one module share its statics and start on the same stack, which is why
//! the page lays the memory out (`errseq_stress::memory_map`) and each
//! worker moves its instance's stack pointer to a region of its own before
//! calling in.
//!
//! - [`job`]: what one worker does, on any `&[AtomicU32]`: decode and check
//!   its plan, arrive at the barrier, run, finish. Target-independent,
//!   tested natively on threads.
//! - `module` (wasm32 with `atomics` only): the exports, the imports, the
//!   panic handler and the allocator: the unsafe boundary with the host.
//!
//! Built by `scripts/build-stress-wasm.sh` (Trunk runs it as a hook), with
//! `-C target-feature=+atomics`, `--cfg errseq_shared_memory` (stable Rust
//! does not expose an unstable target feature to `cfg`, so the script says
//! it twice) and the link arguments of `build.rs`.

#![cfg_attr(all(target_arch = "wasm32", errseq_shared_memory), no_std)]

extern crate alloc;

#[cfg(all(target_arch = "wasm32", not(errseq_shared_memory)))]
compile_error!(
    "errseq-stress-wasm runs on shared memory: build it with `--cfg errseq_shared_memory` and the \
     atomics target feature, as scripts/build-stress-wasm.sh does"
);

pub mod job;
#[cfg(all(target_arch = "wasm32", errseq_shared_memory))]
mod module;

pub use job::{Job, COUNTS};
