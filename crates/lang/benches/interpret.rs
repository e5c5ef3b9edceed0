//! The interpreter against the built-in Rust schemes: each base's source
//! run through `Program` versus the `errseq` function it models, on plain
//! cells (run to completion, the sequential model's case) and through a
//! recording memory (every step logged, as the explorer's replay does).
//!
//! Run: `cargo bench -p errseq-lang --bench interpret`
//! Target: within 3x of the built-in (BENCHMARKS.md).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use errseq::errseq::{self as es, Sampling};
use errseq::{complete, vfs, Addr, Cells, Errno, File, Recorder, Scheme};
use errseq_lang::compile;

const WORD: Addr = Addr(0);
const FILE: File = File { wb_err: Addr(1), sb_err: Addr(3), lock: Addr(2) };

/// One round of the calls a scenario makes: an error, an open, fsyncs.
fn builtin_round(m: &mut Cells) -> u32 {
    let mut acc = 0;
    complete(es::set(m, WORD, Errno::EIO.number()));
    let since = complete(es::sample(m, WORD, Sampling::UnseenAsZero));
    m.0[1] = since;
    acc += complete(vfs::advance_file_cursor(m, WORD, FILE)).code();
    acc += complete(vfs::advance_file_cursor(m, WORD, FILE)).code();
    acc += complete(es::check(m, WORD, since)).code();
    acc
}

fn written_round(p: &errseq_lang::Program, m: &mut Cells) -> u32 {
    let mut acc = 0;
    let _ = complete(p.set(m, WORD, Errno::EIO));
    let since = complete(p.sample(m, WORD)).unwrap_or(0);
    m.0[1] = since;
    acc += complete(p.file_check_and_advance_wb_err(m, WORD, FILE)).map_or(0, |r| r.code());
    acc += complete(p.file_check_and_advance_wb_err(m, WORD, FILE)).map_or(0, |r| r.code());
    acc += complete(p.check(m, WORD, since)).map_or(0, |r| r.code());
    acc
}

fn interpret(c: &mut Criterion) {
    let p = match compile("", 1, Scheme::Linux417) {
        Ok(p) => p,
        Err(d) => panic!("4.17's source: {d:?}"),
    };
    let mut g = c.benchmark_group("linux_4_17_round_of_5_calls");
    g.bench_function("builtin_cells", |b| {
        b.iter(|| {
            let mut m = Cells::new(4);
            black_box(builtin_round(black_box(&mut m)))
        })
    });
    g.bench_function("interpreted_cells", |b| {
        b.iter(|| {
            let mut m = Cells::new(4);
            black_box(written_round(black_box(&p), black_box(&mut m)))
        })
    });
    g.bench_function("builtin_recorded", |b| {
        b.iter(|| {
            let mut cells = Cells::new(4);
            let mut m = Recorder::new(&mut cells);
            complete(es::set(&mut m, WORD, 5));
            complete(vfs::advance_file_cursor(&mut m, WORD, FILE));
            black_box(m.steps.len())
        })
    });
    g.bench_function("interpreted_recorded", |b| {
        b.iter(|| {
            let mut cells = Cells::new(4);
            let mut m = Recorder::new(&mut cells);
            let _ = complete(p.set(&mut m, WORD, Errno::EIO));
            let _ = complete(p.file_check_and_advance_wb_err(&mut m, WORD, FILE));
            black_box(m.steps.len())
        })
    });
    g.finish();
    let src = errseq_lang::base_source(Scheme::Linux417).unwrap_or_default();
    c.bench_function("compile_linux_4_17_source", |b| {
        b.iter(|| compile(black_box(src), 1, Scheme::Linux417).is_ok())
    });
}

criterion_group!(benches, interpret);
criterion_main!(benches);
