//! Evaluates a 10,000-event scenario under each scheme.
//!
//! Run: `cargo bench -p errseq-model --bench evaluate`
//! Target: at least 5 million events per second per scheme (BENCHMARKS.md).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use errseq::Scheme;
use errseq_model::{Program, Run};
use errseq_scenario::{parse, Parsed};

const EVENTS: usize = 10_000;

/// A deterministic mix of every call: four fds over three files, writes
/// to a few pages, storage failing and healing, errors, all the syncs.
fn scenario() -> String {
    let mut text = String::from("open a f\nopen b f\nopen c g\nopen d h\n");
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let fds = ["a", "b", "c", "d"];
    let files = ["f", "g", "h"];
    let mut events = 4;
    while events < EVENTS {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let fd = fds[(state >> 8) as usize % 4];
        let file = files[(state >> 16) as usize % 3];
        let line = match state % 16 {
            0..=4 => format!("write {fd} {}", (state >> 24) % 4),
            5 => format!("fail {file} EIO"),
            6 => format!("heal {file}"),
            7 => format!("writeback {file}"),
            8 => format!("error {file} ENOSPC"),
            9..=11 => format!("fsync {fd}"),
            12 => format!("fdatasync {fd}"),
            13 => format!("syncfs {fd}"),
            14 => format!("flush {file}"),
            _ => format!("close {fd}\nopen {fd} {file}"),
        };
        events += line.lines().count();
        text.push_str(&line);
        text.push('\n');
    }
    text
}

fn parsed() -> Parsed {
    match parse(&scenario()) {
        Ok(p) => p,
        Err(d) => panic!("benchmark scenario is invalid: {d:?}"),
    }
}

fn evaluate(c: &mut Criterion) {
    let p = parsed();
    let program = Program::compile(&p);
    let events = program.ops.len();
    let mut group = c.benchmark_group("evaluate_10k_events");
    group.throughput(Throughput::Elements(events as u64));
    for scheme in Scheme::ALL {
        group.bench_with_input(BenchmarkId::from_parameter(scheme), &scheme, |b, &s| {
            b.iter(|| Run::new(&program, s, p.scenario.fs()));
        });
    }
    group.finish();
    let mut whole = c.benchmark_group("parse_compile_evaluate_all_schemes");
    let text = scenario();
    whole.throughput(Throughput::Elements(events as u64));
    whole.bench_function("10k_events", |b| {
        b.iter(|| {
            let p = parse(&text).map_err(|d| d.len());
            p.map(|p| errseq_model::Evaluation::new(&p).map(|e| e.runs.len()))
        });
    });
    whole.finish();
}

criterion_group!(benches, evaluate);
criterion_main!(benches);
