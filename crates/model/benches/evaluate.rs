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

/// A 1,000-event scenario (the page's re-evaluation budget is 16 ms)
/// compared under a built-in scheme and under a scheme written from it
/// whose body is the base's whole source.
fn written(c: &mut Criterion) {
    let body = errseq_scenario::testing::synthetic(1_000);
    let block = |base: Scheme| {
        let source = errseq_lang::base_source(base).unwrap_or_default();
        format!("scheme w from {base}\n{source}end\n")
    };
    let mut g = c.benchmark_group("written_1k_events");
    for base in [Scheme::RfcV2, Scheme::Linux417] {
        let text = format!("schemes: {base} w\n{}{body}", block(base));
        let p = match parse(&text) {
            Ok(p) => p,
            Err(d) => panic!("benchmark scenario is invalid: {d:?}"),
        };
        let program = Program::compile(&p);
        let written = errseq::SchemeKey::Written(errseq::WrittenName::new("w").expect("a name"));
        let runner = errseq_model::Runner::new(&program, written).expect("written");
        g.bench_function(format!("{base}_builtin"), |b| b.iter(|| Run::new(&program, base, p.scenario.fs())));
        g.bench_function(format!("{base}_written"), |b| {
            b.iter(|| Run::of(&program, &runner, p.scenario.fs()).map(|r| r.results.len()))
        });
    }
    // What the page does on a keystroke: parse, check (compiling the
    // block), evaluate the seven default schemes and the written one.
    let text = format!("{}{body}", block(Scheme::Linux417));
    g.bench_function("parse_check_evaluate_7_and_written", |b| {
        b.iter(|| {
            let p = parse(&text).map_err(|d| d.len());
            p.map(|p| errseq_model::Evaluation::new(&p).map(|e| e.runs.len()))
        })
    });
    g.finish();
}

criterion_group!(benches, evaluate, written);
criterion_main!(benches);
