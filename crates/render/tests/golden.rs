//! Each plain-text view of render against a golden text, so a change to a
//! table's layout, a mark or a word shows up as a diff in review rather
//! than in a user's terminal or a mailing-list archive.
//!
//! The goldens are in `tests/golden/`, one file per (scenario, view). When
//! a change is meant, regenerate them with
//! `ERRSEQ_BLESS=1 cargo test -p errseq-render --test golden` and read the
//! diff before committing it.

use std::path::{Path, PathBuf};

use errseq::SchemeName;
use errseq_explorer::{Bounds, Report};
use errseq_render::Analysis;
use errseq_scenario::{parse, Parsed};

const LINK: &str = "https://errseq.example.org/#v2.example";
/// The playground's address in mail: the mail makes its own link.
const BASE: &str = "https://errseq.example.org/";

/// A scenario of its own whose expectation fails under one scheme: the
/// views' failure marks and lists.
const FAILING: &str = "title: a failed expectation\nschemes: linux-4.12 linux\n\
    open a f\nopen b f\nwrite a\nerror f EIO\nfsync a\nfsync b => EIO # 4.12 forgets\n";

fn example(name: &str) -> String {
    errseq_examples::get(name).unwrap_or_else(|| panic!("no example {name}")).text.to_owned()
}

/// Parsed and analysed as the CLI does it (explored, every scenario).
fn analyse(text: &str) -> (Parsed, Analysis) {
    let p = parse(text).unwrap_or_else(|d| panic!("{d:?}"));
    let r = errseq_explorer::check(&p, Bounds::default()).unwrap_or_else(|e| panic!("{e}"));
    let a = Analysis::explored(&p, r);
    (p, a)
}

fn report(a: &Analysis) -> &Report {
    a.report.as_ref().expect("explored")
}

fn golden(name: &str, actual: &str) {
    let path: PathBuf =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(format!("{name}.txt"));
    if std::env::var_os("ERRSEQ_BLESS").is_some() {
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} missing: run with ERRSEQ_BLESS=1", path.display()));
    if expected != actual {
        let first = expected.lines().zip(actual.lines()).position(|(a, b)| a != b);
        panic!(
            "{name} differs from {} (first differing line {:?}); got:\n{actual}",
            path.display(),
            first.map(|i| i + 1)
        );
    }
}

#[test]
fn the_results_table() {
    let (p, a) = analyse(&example("05-fsync-retry"));
    golden("05-fsync-retry.timeline", &errseq_render::timeline(&p, &a));
}

#[test]
fn the_results_table_with_a_failed_expectation() {
    let (p, a) = analyse(FAILING);
    golden("failing.timeline", &errseq_render::timeline(&p, &a));
}

#[test]
fn the_trace_of_one_scheme() {
    let (p, a) = analyse(FAILING);
    let name = SchemeName::parse("linux-4.12").expect("a scheme");
    let trace: String = errseq_render::trace(&p, &report(&a).program, name).collect();
    golden("failing.trace-linux-4.12", &trace);
}

#[test]
fn the_mail_text_and_markdown() {
    let (p, a) = analyse(&example("05-fsync-retry"));
    golden("05-fsync-retry.email", &errseq_render::email(&p, &a, BASE));
    golden("05-fsync-retry.markdown", &errseq_render::markdown(&p, &a, LINK));
    let (p, a) = analyse(FAILING);
    golden("failing.email", &errseq_render::email(&p, &a, BASE));
}

#[test]
fn the_views_of_a_concurrent_scenario() {
    let (p, a) = analyse(&example("findings/1-set-races-two-fsyncs"));
    golden("finding-1.timeline-sets", &errseq_render::timeline_sets(&a));
    golden("finding-1.outcomes", &errseq_render::outcomes(&p, report(&a), 0));
    golden("finding-1.violations", &errseq_render::violations(&p, report(&a)));
    golden("finding-1.email", &errseq_render::email(&p, &a, BASE));
}

#[test]
fn a_state_dump() {
    let (p, a) = analyse(FAILING);
    let program = &report(&a).program;
    let mut stepper = errseq_model::Stepper::new(program, errseq::Scheme::Linux58, p.scenario.fs());
    while stepper.step().is_some() {}
    golden("failing.state-linux-5.8", &(errseq_render::state(&stepper.state()).join("\n") + "\n"));
}

/// The SVG picture's structure: each element (its tag, class and text,
/// nested), without the coordinates, which a change of spacing moves.
fn outline(svg: &str) -> String {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
    let mut out = String::new();
    for n in doc.descendants().filter(|n| n.is_element()) {
        let depth = n.ancestors().filter(|a| a.is_element()).count() - 1;
        out.push_str(&"  ".repeat(depth));
        out.push_str(n.tag_name().name());
        if let Some(c) = n.attribute("class") {
            out.push('.');
            out.push_str(c);
        }
        if let Some(href) = n.attribute("href") {
            out.push_str(&format!(" href={href}"));
        }
        let text: String = n.children().filter(|c| c.is_text()).filter_map(|c| c.text()).collect();
        if !text.trim().is_empty() && n.tag_name().name() != "style" {
            out.push_str(&format!(" {text:?}"));
        }
        out.push('\n');
    }
    out
}

#[test]
fn the_svg_picture() {
    let (p, a) = analyse(&example("05-fsync-retry"));
    golden("05-fsync-retry.svg-outline", &outline(&errseq_render::svg(&p, &a, LINK)));
    let (p, a) = analyse(FAILING);
    golden("failing.svg-outline", &outline(&errseq_render::svg(&p, &a, LINK)));
    let (p, a) = analyse(&example("findings/1-set-races-two-fsyncs"));
    golden("finding-1.svg-outline", &outline(&errseq_render::svg(&p, &a, LINK)));
}
