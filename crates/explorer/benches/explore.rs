//! The explorer on the race scenarios people write: three and four tasks.
//!
//! Run: `cargo bench -p errseq-explorer --bench explore`
//! Target: 3–4-task scenarios well under a second (BENCHMARKS.md).

use criterion::{criterion_group, criterion_main, Criterion};
use errseq_explorer::{check, Bounds};
use errseq_scenario::{parse, Parsed};

const THREE_TASKS: &str =
    "open a f\nopen b f\npar\n  fsync a\n  error f EIO\n  fsync b\nend\nfsync a\nfsync b\n";

const FOUR_TASKS: &str = "open a f\nopen b f\nopen c f\npar\n  fsync a\n  error f EIO\n  fsync b\n  error f ENOSPC\nend\nfsync a\nfsync b\nfsync c\n";

fn parsed(text: &str) -> Parsed {
    match parse(text) {
        Ok(p) => p,
        Err(d) => panic!("benchmark scenario is invalid: {d:?}"),
    }
}

fn explore(c: &mut Criterion) {
    let mut g = c.benchmark_group("explore_every_scheme");
    g.sample_size(20);
    for (name, text) in [("3_tasks", THREE_TASKS), ("4_tasks", FOUR_TASKS)] {
        let p = parsed(text);
        g.bench_function(name, |b| b.iter(|| check(&p, Bounds::default()).map(|r| r.states())));
    }
    g.finish();
}

/// The same scenarios under one built-in scheme, and under a scheme
/// written from it whose body is the base's whole source (the target:
/// within 3x of the built-in).
fn written(c: &mut Criterion) {
    let mut g = c.benchmark_group("explore_written");
    g.sample_size(20);
    for base in ["rfc-v2", "linux-4.17"] {
        let source = errseq_lang::STARTERS.iter().find(|s| s.base.id() == base).map_or("", |s| s.source);
        for (name, text) in [("3_tasks", THREE_TASKS), ("4_tasks", FOUR_TASKS)] {
            let builtin = parsed(&format!("schemes: {base}\n{text}"));
            let written = parsed(&format!("schemes: w\nscheme w from {base}\n{source}end\n{text}"));
            g.bench_function(format!("{name}_{base}_builtin"), |b| {
                b.iter(|| check(&builtin, Bounds::default()).map(|r| r.states()))
            });
            g.bench_function(format!("{name}_{base}_written"), |b| {
                b.iter(|| check(&written, Bounds::default()).map(|r| r.states()))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, explore, written);
criterion_main!(benches);
