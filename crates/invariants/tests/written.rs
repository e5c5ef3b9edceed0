//! A written scheme checked over the gallery: today's kernel written out
//! keeps what the built-in keeps, outcome for outcome; a proposal that
//! drops the SEEN bit (examples/33) breaks what it should, with a
//! counterexample in the proposal's own lines.

use errseq::{Scheme, SchemeKey, WrittenName};
use errseq_explorer::{trace, Bounds};
use errseq_invariants::{sweep, Invariant, Summary, Verdict};
use errseq_model::Program;

fn text_with(name: &str, base: Scheme, source: &str) -> String {
    format!("schemes: {name}\n\nscheme {name} from {}\n{source}end\n\nopen a f\n", base.id())
}

fn written(text: &str, name: &str) -> (errseq_scenario::Parsed, SchemeKey) {
    let p = errseq_scenario::parse(text).unwrap_or_else(|e| panic!("{e:?}"));
    (p, SchemeKey::Written(WrittenName::new(name).expect("a name")))
}

#[test]
fn linux_4_17_written_out_gives_the_built_in_findings_on_every_example() {
    let source = errseq_lang::base_source(Scheme::Linux417).expect("4.17's source");
    let (p, key) = written(&text_with("mine", Scheme::Linux417, source), "mine");
    let empty = errseq_scenario::parse("").expect("an empty text parses");
    let mine = sweep(&p, key, errseq_examples::ALL, Bounds::default());
    let theirs = sweep(&empty, SchemeKey::BuiltIn(Scheme::Linux417), errseq_examples::ALL, Bounds::default());
    assert_eq!(mine.len(), theirs.len());
    for (m, t) in mine.iter().zip(&theirs) {
        assert_eq!(m.findings, t.findings, "{}", m.example.name);
    }
    assert!(Summary::of(&mine).all_kept());
}

#[test]
fn a_report_that_skips_seen_loses_a_repeated_error_with_a_counterexample_in_its_own_lines() {
    let ex = errseq_examples::get("33-written-report-without-seen").expect("example 33");
    let (p, key) = written(ex.text, "lazy-seen");
    let checked = sweep(&p, key, errseq_examples::GALLERY, Bounds::default());
    let summary = Summary::of(&checked);
    let Verdict::Broken { scenario, found } = &summary.0[Invariant::ToldWhileOpen as usize] else {
        panic!("told-while-open kept: {:?}", summary.0[0]);
    };
    let c = &checked[*scenario];
    // The grafted scenario holds the proposal and names it alone.
    assert!(c.parsed.scenario.scheme_blocks().any(|b| b.name.as_str() == "lazy-seen"));
    let program = Program::compile(&c.parsed);
    let t = trace::replay(&program, key, c.parsed.scenario.fs(), &found.schedule).expect("replays");
    assert_eq!(t.results, found.results);
    assert_eq!(found.results[found.breach.call], Some(errseq::Ret::OK), "the silent call returned 0");
    // The text of a sweep's scenario parses back to the same scenario.
    let again = errseq_scenario::parse(&c.parsed.scenario.to_string()).expect("the grafted text parses");
    assert_eq!(again.scenario.to_string(), c.parsed.scenario.to_string());
}
