//! A written scheme is the real thing: a scheme written in the scenario
//! whose body is a built-in base's own source (`errseq_lang::base_source`,
//! all five functions written) gives exactly the built-in's results on
//! every example of the corpus and on the explorer's benchmark scenarios:
//! the same result of every call and the same state after every event
//! under evaluation, and the same joint outcomes (with their counts and
//! smallest schedules), interleaving counts and state counts under the
//! explorer.

use errseq::{Scheme, SchemeName, WrittenName};
use errseq_explorer::{check, Bounds, Exploration};
use errseq_model::Evaluation;
use errseq_scenario::{parse, Item, Parsed, SchemeBlock};

/// Every base the language has a source for.
const BASES: [Scheme; 7] = [
    Scheme::RfcV2,
    Scheme::RfcV2SkipUnchanged,
    Scheme::RfcV2ReportOnce,
    Scheme::Linux413,
    Scheme::Linux414,
    Scheme::Linux417,
    Scheme::Linux58,
];

/// The scenarios of `crates/explorer/benches/explore.rs`.
const BENCHES: [(&str, &str); 2] = [
    ("bench 3_tasks", "open a f\nopen b f\npar\n  fsync a\n  error f EIO\n  fsync b\nend\nfsync a\nfsync b\n"),
    (
        "bench 4_tasks",
        "open a f\nopen b f\nopen c f\npar\n  fsync a\n  error f EIO\n  fsync b\n  error f ENOSPC\nend\nfsync a\nfsync b\nfsync c\n",
    ),
];

const NAME: &str = "equivalence-check";

/// `text` compared under `base` and under a scheme written from `base`
/// whose body is the base's whole source, as typed text: the block goes
/// through the parser, the checker and the compiler like a user's.
fn with_written(text: &str, base: Scheme) -> Parsed {
    let p = parse(text).unwrap_or_else(|d| panic!("invalid scenario: {d:?}"));
    let mut s = p.scenario;
    let name = WrittenName::new(NAME).expect("a name");
    let source = errseq_lang::base_source(base).expect("a base with a source");
    // An example's own written schemes come after these two columns.
    s.schemes = Some(vec![SchemeName::Exact(base), SchemeName::Written(name)]);
    s.body.push(Item::Scheme(SchemeBlock {
        name,
        base,
        lines: source.lines().map(|l| l.trim_end().to_owned()).collect(),
        comment: None,
    }));
    parse(&s.to_string()).unwrap_or_else(|d| panic!("the text with the block does not parse: {d:?}"))
}

fn same_exploration(what: &str, builtin: &Exploration, written: &Exploration) {
    assert_eq!(builtin.outcomes, written.outcomes, "{what}: joint outcomes");
    assert_eq!(builtin.interleavings, written.interleavings, "{what}: interleavings");
    assert_eq!(builtin.states, written.states, "{what}: states");
    assert_eq!(builtin.saturated, written.saturated, "{what}: saturation");
}

/// Returns whether the scenario was evaluated sequentially too.
fn compare(what: &str, text: &str, base: Scheme) -> bool {
    let p = with_written(text, base);
    let what = format!("{what} from {base}");
    let r = check(&p, Bounds::default()).unwrap_or_else(|e| panic!("{what}: explore: {e}"));
    assert_eq!(r.columns[1].exploration.key.to_string(), NAME);
    same_exploration(&what, &r.columns[0].exploration, &r.columns[1].exploration);
    match Evaluation::new(&p) {
        Ok(e) => {
            assert_eq!(e.run(0).results, e.run(1).results, "{what}: results");
            for event in 0..e.program.ops.len() {
                let (b, w) = (e.state_after(0, event), e.state_after(1, event));
                assert_eq!(b.cells(), w.cells(), "{what}: the state after event {event}");
            }
            true
        }
        // The one thing evaluation refuses: par blocks, which the
        // explorer above has compared.
        Err(errseq_model::EvalError::Concurrent { .. }) => {
            assert!(p.scenario.has_par(), "{what}");
            false
        }
        Err(e) => panic!("{what}: {e}"),
    }
}

#[test]
fn every_example_gives_the_builtins_results_under_its_written_source() {
    let (mut evaluated, mut explored) = (0, 0);
    for ex in errseq_examples::ALL {
        for base in BASES {
            if compare(ex.name, ex.text, base) {
                evaluated += 1;
            }
            explored += 1;
        }
    }
    assert_eq!(explored, errseq_examples::ALL.len() * BASES.len());
    assert!(evaluated > explored / 2, "{evaluated} of {explored} evaluated");
}

#[test]
fn the_explorer_benchmarks_give_the_builtins_outcomes_and_counts() {
    for (what, text) in BENCHES {
        for base in BASES {
            compare(what, text, base);
        }
    }
}

/// The comparison can fail: a written scheme that differs from its base
/// by one function (4.13's sample without SEEN, on 4.17's glue) is told
/// apart.
#[test]
fn a_scheme_that_differs_is_told_apart() {
    let text = format!(
        "schemes: linux-4.17 {NAME}\nscheme {NAME} from linux-4.17\n\
         errseq_t errseq_sample(errseq_t *eseq)\n{{\n\treturn READ_ONCE(*eseq);\n}}\nend\n\
         open a f\nerror f EIO\nopen b f\nfsync b\n"
    );
    let p = parse(&text).expect("parses");
    let r = check(&p, Bounds::default()).expect("explores");
    assert_ne!(r.columns[0].exploration.outcomes, r.columns[1].exploration.outcomes);
}
