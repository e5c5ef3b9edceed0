//! Scheme text → program → every entry point run: no input panics, hangs
//! or runs out of memory. The first byte picks the base; the memory the
//! calls run on answers from the input's tail, so races are fuzzed too.
#![no_main]

use errseq::{Action, Addr, Cells, Errno, File, Memory};
use libfuzzer_sys::fuzz_target;

/// Answers loads and cmpxchgs from bytes; stops when they run out.
struct Bytes<'a>(&'a [u8]);

impl Memory for Bytes<'_> {
    type Stop = ();
    fn step(&mut self, a: Action) -> Result<u32, ()> {
        let (&b, rest) = self.0.split_first().ok_or(())?;
        self.0 = rest;
        Ok(match a {
            Action::Cmpxchg { old, .. } if b & 1 == 0 => old,
            _ => u32::from(b) * 0x1001,
        })
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let base = errseq_lang::STARTERS[usize::from(pick) % errseq_lang::STARTERS.len()].base;
    let Ok(src) = std::str::from_utf8(rest) else { return };
    let Ok(p) = errseq_lang::compile(src, 1, base) else { return };
    let file = File { wb_err: Addr(1), sb_err: Addr(3), lock: Addr(2) };
    let mut m = Cells::new(4);
    let _ = errseq::complete(p.set(&mut m, Addr(0), Errno::EIO));
    let _ = errseq::complete(p.sample(&mut m, Addr(0)));
    let _ = errseq::complete(p.check(&mut m, Addr(0), 5));
    let _ = errseq::complete(p.check_and_advance(&mut m, Addr(0), Addr(1)));
    let _ = errseq::complete(p.file_check_and_advance_wb_err(&mut m, Addr(0), file));
    let mut b = Bytes(rest);
    let _ = p.set(&mut b, Addr(0), Errno::ENOSPC);
    let _ = p.file_check_and_advance_wb_err(&mut b, Addr(0), file);
});
