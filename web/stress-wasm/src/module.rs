//! The module's boundary with its host (`worker.js`): what it exports and
//! imports, its panic handler and its allocator.
//!
//! Exports, called once each per worker on its own instance, after the
//! host has pointed `__stack_pointer` at the worker's region:
//!
//! - `errseq_stress_run(plan_at, plan_len, cells_at, cells_len, index,
//!   out_at) -> u32`: [`Job::run`]; 0 when it ran (the counts are at
//!   `out_at`), 1 when it refused (the reason went through `errseq_say`).
//! - `errseq_stress_crashed(plan_at, plan_len, cells_at, cells_len,
//!   index)`: marks the worker CRASHED, after the host caught a trap.
//!
//! Offsets are bytes into the shared memory, lengths are in 32-bit words
//! (`errseq_stress::memory_map::WorkerMap`). Imports, all from `env`: the
//! memory; `errseq_wait(cell)`, a bounded `Atomics.wait` on a cell of the
//! run while it holds 0; `errseq_now()`, `performance.now()`;
//! `errseq_say(ptr, len)`, a UTF-8 message for the page (a refusal, or a
//! panic just before the trap).

use alloc::string::String;
use alloc::vec::Vec;
use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::fmt::{self, Write};
use core::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering::SeqCst};

use errseq_stress::memory_map::PAGE;

use crate::job::{Job, COUNTS};

#[allow(unsafe_code)] // declaring imports; each call below says why it is sound
mod host {
    extern "C" {
        pub fn errseq_wait(cell: u32);
        pub fn errseq_now() -> f64;
        pub fn errseq_say(ptr: *const u8, len: usize);
    }
}

fn wait(cell: errseq::Addr) {
    // SAFETY: the import takes a plain number and touches no Rust memory.
    #[allow(unsafe_code)]
    unsafe {
        host::errseq_wait(cell.0)
    }
}

fn now_ms() -> f64 {
    // SAFETY: the import takes nothing and returns a number.
    #[allow(unsafe_code)]
    unsafe {
        host::errseq_now()
    }
}

fn say(text: &str) {
    // SAFETY: the host reads `len` bytes at `ptr` during the call, and
    // they are the live `text`.
    #[allow(unsafe_code)]
    unsafe {
        host::errseq_say(text.as_ptr(), text.len())
    }
}

/// `len` 32-bit cells at byte offset `at` of the memory, if they lie in it
/// and are aligned.
fn cells<'a>(at: u32, len: u32) -> Option<&'a [AtomicU32]> {
    let end = u64::from(at) + u64::from(len) * 4;
    let size = wasm32::memory_size(0) as u64 * u64::from(PAGE);
    if at == 0 || at % 4 != 0 || end > size {
        return None;
    }
    // SAFETY: the range is inside the memory (checked against its size;
    // the memory never shrinks and is never freed), non-null and aligned
    // (checked). It is shared with the page and the other workers, which
    // is sound because every access to it, theirs and ours, is atomic
    // (`AtomicU32` here, `Atomics` in JS). It overlaps neither this
    // instance's stack nor the module's statics: the host passes ranges
    // of the page's `MemoryMap`, whose parts are disjoint (tested in
    // `errseq_stress::memory_map`).
    #[allow(unsafe_code)]
    Some(unsafe { core::slice::from_raw_parts(at as usize as *const AtomicU32, len as usize) })
}

/// The job and its cells, or why not.
fn start(
    plan_at: u32,
    plan_len: u32,
    cells_at: u32,
    cells_len: u32,
    index: u32,
) -> Result<(Job, &'static [AtomicU32]), String> {
    let plan: Vec<u32> = cells(plan_at, plan_len)
        .ok_or("the plan's words are outside the memory")?
        .iter()
        .map(|w| w.load(SeqCst))
        .collect();
    let run = cells(cells_at, cells_len).ok_or("the run's cells are outside the memory")?;
    Ok((Job::new(&plan, run.len(), index)?, run))
}

fn refuse(why: &str) -> u32 {
    say(why);
    1
}

/// Runs one worker; see the module.
#[allow(unsafe_code)] // `no_mangle`: the host calls it by this name
#[no_mangle]
pub extern "C" fn errseq_stress_run(
    plan_at: u32,
    plan_len: u32,
    cells_at: u32,
    cells_len: u32,
    index: u32,
    out_at: u32,
) -> u32 {
    let (job, run) = match start(plan_at, plan_len, cells_at, cells_len, index) {
        Ok(started) => started,
        Err(why) => return refuse(&why),
    };
    let Some(out) = cells(out_at, COUNTS as u32) else {
        return refuse("the counts' place is outside the memory");
    };
    let counts = job.run(run, wait, now_ms);
    for (cell, n) in out.iter().zip(counts) {
        cell.store(n, SeqCst);
    }
    0
}

/// Marks a worker whose run trapped as CRASHED; see the module.
#[allow(unsafe_code)] // `no_mangle`: the host calls it by this name
#[no_mangle]
pub extern "C" fn errseq_stress_crashed(
    plan_at: u32,
    plan_len: u32,
    cells_at: u32,
    cells_len: u32,
    index: u32,
) {
    if let Ok((job, run)) = start(plan_at, plan_len, cells_at, cells_len, index) {
        job.mark_crashed(run);
    }
}

/// A panic message, cut to fit.
struct Message {
    bytes: [u8; 512],
    len: usize,
}

impl Write for Message {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let n = s.len().min(self.bytes.len() - self.len);
        self.bytes[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

/// Tells the host what panicked, then traps; the host catches the trap,
/// calls `errseq_stress_crashed` and tells the page.
#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    let mut m = Message { bytes: [0; 512], len: 0 };
    let _ = write!(m, "{}", info.message());
    if let Some(at) = info.location() {
        let _ = write!(m, " (at {}:{})", at.file(), at.line());
    }
    // A cut may split a character: the host decodes it as U+FFFD.
    let text = core::str::from_utf8(&m.bytes[..m.len])
        .unwrap_or_else(|e| core::str::from_utf8(&m.bytes[..e.valid_up_to()]).unwrap_or_default());
    say(text);
    wasm32::unreachable()
}

/// A bump allocator on pages it grows the memory by. The module allocates
/// a few bytes per run (the plan's words and errnos), so it never frees.
/// Its state is in statics, which all instances share, hence the lock.
struct Arena {
    lock: AtomicBool,
    next: AtomicUsize,
    end: AtomicUsize,
}

#[global_allocator]
static ARENA: Arena =
    Arena { lock: AtomicBool::new(false), next: AtomicUsize::new(0), end: AtomicUsize::new(0) };

impl Arena {
    /// A block of `layout`, or null when the memory cannot grow; call with
    /// the lock held.
    fn take(&self, layout: Layout) -> *mut u8 {
        let (size, align) = (layout.size(), layout.align());
        let mut at = self.next.load(SeqCst).next_multiple_of(align);
        if at == 0 || at + size > self.end.load(SeqCst) {
            let pages = (size + align).div_ceil(PAGE as usize);
            let first = wasm32::memory_grow(0, pages);
            if first == usize::MAX {
                return core::ptr::null_mut();
            }
            let base = first * PAGE as usize;
            self.end.store(base + pages * PAGE as usize, SeqCst);
            at = base.next_multiple_of(align);
        }
        self.next.store(at + size, SeqCst);
        at as *mut u8
    }
}

// SAFETY: `alloc` returns null or the start of `layout.size()` bytes,
// aligned to `layout.align()`, that nothing else uses: they come from pages
// this allocator grew the memory by (the page's map ends before them and
// nothing else grows the memory), and each byte is handed out once, under
// the lock. `dealloc` may keep the block: leaking is sound.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Arena {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        while self.lock.swap(true, SeqCst) {
            core::hint::spin_loop();
        }
        let block = self.take(layout);
        self.lock.store(false, SeqCst);
        block
    }

    unsafe fn dealloc(&self, _block: *mut u8, _layout: Layout) {}
}
