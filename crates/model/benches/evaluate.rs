//! Evaluates a 10,000-event scenario under each scheme.
//!
//! Run: `cargo bench -p errseq-model --bench evaluate`
//! Target: at least 5 million events per second per scheme (BENCHMARKS.md).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use errseq::Scheme;
use errseq_model::{Program, Run};
use errseq_scenario::{parse, Parsed};

const EVENTS: usize = 10_000;

/// The workspace's synthetic scenario: every call, in a fixed mix.
fn scenario() -> String {
    errseq_scenario::testing::synthetic(EVENTS)
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
