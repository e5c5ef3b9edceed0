//! The invariants of the schemes a text writes, checked over the
//! gallery (`errseq-invariants`), as the Explore view's "Invariants"
//! table shows them.
//!
//! A proposal is argued with promises ("every description open when the
//! error happens hears it", …). For each scheme the text writes, this
//! sweeps every gallery scenario, every interleaving, under the scheme
//! grafted into the scenario, and says per invariant: kept (and in how
//! many scenarios it was at stake), broken (a scenario that shows it,
//! one with `par` blocks when there is one, the call, and a link that
//! opens the counterexample), or never at stake. The same for the scheme's base, the built-in it
//! starts from, so a change reads as a difference.
//!
//! One sweep per text (`of`, like `explored::of`), and one per base for
//! the module's life (a built-in's verdicts do not depend on the text).
//! A scenario the sweep cannot finish (a fault of the written C, the
//! state budget) is "not checked", with the reason; one state budget
//! holds for the whole sweep ([`SWEEP_BOUNDS`]), so a sweep ends soon.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use errseq::{Scheme, SchemeKey, WrittenName};
use errseq_explorer::{replay_string, Bounds};
use errseq_invariants::{sweep, Checked, Found, Invariant, Summary, Verdict};
use errseq_model::Program;
use errseq_scenario::{parse, Parsed};

use crate::explored;

/// The state budget of a whole sweep (shared by its scenarios). The
/// built-in schemes need under 20,000 states for the whole gallery;
/// this leaves a written scheme ten times that, and bounds the sweep of
/// a scheme whose calls loop to about 0.2 s natively (less than a second
/// in the page); the Explore view's budget for one scenario, 600,000,
/// would take three times as long.
pub const SWEEP_BOUNDS: Bounds = Bounds { max_states: 200_000, max_tasks: 16 };

/// What the sweep says of one invariant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Row {
    /// Broken nowhere; at stake in this many scenarios.
    Kept { scenarios: usize },
    /// Broken: the counterexample shown, and every scenario that breaks
    /// it (the shown one among them).
    Broken { shown: Counterexample, scenarios: Vec<&'static str> },
    /// No scenario put it at stake.
    Untested,
}

/// A breach, said in the scenario's own lines, and the link that opens
/// it step by step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counterexample {
    /// The gallery scenario (its name in `examples/`).
    pub scenario: &'static str,
    /// What happened, in the linked text's calls and lines
    /// (`errseq_invariants::describe`, as the CLI says it).
    pub said: String,
    /// The fragment of the scenario with the scheme grafted in and the
    /// interleaving, or why no link carries it.
    pub fragment: Result<String, String>,
    /// Interleavings of that scenario that show the breach.
    pub count: u128,
}

/// Scenarios the sweep could not finish, for one reason (a fault of the
/// C, the state budget spent).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unchecked {
    pub scenarios: Vec<&'static str>,
    pub why: String,
}

/// One scheme's verdicts over the gallery.
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    /// By [`Invariant`].
    pub rows: [Row; 3],
    pub unchecked: Vec<Unchecked>,
    /// Scenarios swept (checked or not), and the interleavings of
    /// those checked.
    pub scenarios: usize,
    pub interleavings: u128,
    /// How long the sweep took, in milliseconds.
    pub millis: f64,
}

/// A written scheme's sheet beside its base's.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemeInvariants {
    pub name: WrittenName,
    pub base: Scheme,
    pub mine: Sheet,
    pub theirs: Rc<Sheet>,
}

thread_local! {
    /// The last text's sheets.
    static LAST: RefCell<Option<(String, Rc<Vec<SchemeInvariants>>)>> = const { RefCell::new(None) };
}

/// The sheets of the schemes `text` writes (none for a text with
/// problems or without scheme blocks): the ones already made, or made
/// now.
pub fn of(text: &str) -> Rc<Vec<SchemeInvariants>> {
    let cached = LAST.with(|last| last.borrow().as_ref().filter(|(t, _)| t == text).map(|(_, m)| m.clone()));
    if let Some(made) = cached {
        return made;
    }
    let made = Rc::new(make(text));
    LAST.with(|last| *last.borrow_mut() = Some((text.to_owned(), made.clone())));
    made
}

/// Whether `of(text)` would compute nothing now (the view says
/// "Checking…" only when it will).
pub fn ready(text: &str) -> bool {
    writes_no_scheme(text) || LAST.with(|last| last.borrow().as_ref().is_some_and(|(t, _)| t == text))
}

fn writes_no_scheme(text: &str) -> bool {
    explored::of(text).0.parsed().is_none_or(|p| p.scenario.scheme_blocks().next().is_none())
}

fn make(text: &str) -> Vec<SchemeInvariants> {
    let explored = explored::of(text);
    let Some(from) = explored.0.parsed() else { return Vec::new() };
    errseq_web::browser::count("invariant-sweeps");
    from.scenario
        .scheme_blocks()
        .map(|b| SchemeInvariants {
            name: b.name,
            base: b.base,
            mine: sheet(from, SchemeKey::Written(b.name)),
            theirs: base_sheet(from, b.base),
        })
        .collect()
}

/// A built-in's sheet, swept once for the module's life (`from` only
/// lends the sweep a scenario: a built-in is grafted into nothing).
fn base_sheet(from: &Parsed, base: Scheme) -> Rc<Sheet> {
    thread_local! {
        static BASES: RefCell<HashMap<Scheme, Rc<Sheet>>> = RefCell::new(HashMap::new());
    }
    if let Some(s) = BASES.with(|b| b.borrow().get(&base).cloned()) {
        return s;
    }
    let s = Rc::new(sheet(from, SchemeKey::BuiltIn(base)));
    BASES.with(|b| b.borrow_mut().insert(base, s.clone()));
    s
}

/// Sweeps the gallery under `key` (written in `from`, or built in).
pub fn sheet(from: &Parsed, key: SchemeKey) -> Sheet {
    let start = clock();
    let checked = sweep(from, key, errseq_examples::GALLERY, SWEEP_BOUNDS);
    let summary = Summary::of(&checked);
    let rows = Invariant::ALL.map(|inv| row(&checked, inv, &summary.0[inv as usize], key));
    let mut unchecked: Vec<Unchecked> = Vec::new();
    for c in &checked {
        let Err(e) = &c.findings else { continue };
        let why = e.to_string();
        match unchecked.iter_mut().find(|u| u.why == why) {
            Some(u) => u.scenarios.push(c.example.name),
            None => unchecked.push(Unchecked { scenarios: vec![c.example.name], why }),
        }
    }
    let interleavings = checked
        .iter()
        .filter_map(|c| c.findings.as_ref().ok())
        .fold(0u128, |n, f| n.saturating_add(f.interleavings));
    Sheet { rows, unchecked, scenarios: checked.len(), interleavings, millis: clock() - start }
}

fn row(checked: &[Checked], inv: Invariant, verdict: &Verdict, key: SchemeKey) -> Row {
    fn breach(c: &Checked, inv: Invariant) -> Option<&Found> {
        c.findings.as_ref().ok().and_then(|f| f.breaches[inv as usize].as_ref())
    }
    match verdict {
        Verdict::Kept { scenarios } => Row::Kept { scenarios: scenarios.len() },
        Verdict::Untested => Row::Untested,
        Verdict::Broken { scenario, found } => {
            let broken: Vec<&Checked> = checked.iter().filter(|c| breach(c, inv).is_some()).collect();
            // An interleaving shows a scheme's own steps (a call outside
            // `par` runs whole): the first scenario with `par` blocks that
            // breaks it, else the sweep's first.
            let concurrent =
                broken.iter().find(|c| c.parsed.scenario.has_par()).and_then(|c| Some((*c, breach(c, inv)?)));
            let (c, found) = match concurrent {
                Some(shown) => shown,
                None => match checked.get(*scenario) {
                    Some(c) => (c, found),
                    None => return Row::Untested,
                },
            };
            Row::Broken {
                shown: counterexample(c, found, key),
                scenarios: broken.iter().map(|c| c.example.name).collect(),
            }
        }
    }
}

fn counterexample(c: &Checked, found: &Found, key: SchemeKey) -> Counterexample {
    // The lines the link's page shows: the grafted scenario's canonical
    // text, read back (the sweep's own parse has the example's lines).
    let shown = parse(&c.parsed.scenario.to_string()).ok();
    let program = Program::compile(&c.parsed);
    let replay = replay_string::encode(&program, key, c.parsed.scenario.fs(), &found.schedule);
    let fragment = replay.map_err(|e| e.to_string()).and_then(|r| {
        errseq_share::try_encode(&c.parsed.scenario, Some(&r)).map_err(|e| format!("no link carries it: {e}"))
    });
    Counterexample {
        scenario: c.example.name,
        said: errseq_invariants::describe(shown.as_ref().unwrap_or(&c.parsed), found),
        fragment,
        count: found.count,
    }
}

/// Milliseconds, for the figure the view shows.
fn clock() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::sync::OnceLock;
        static START: OnceLock<std::time::Instant> = OnceLock::new();
        START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1000.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use errseq_page_protocol::LinkReading;

    /// A text that writes `source` as `my-4.17`, from 4.17.
    fn written(source: &str) -> String {
        format!("schemes: linux-4.17 my-4.17\n\nscheme my-4.17 from linux-4.17\n{source}end\n\nopen a f\nfsync a\n")
    }

    fn base_417() -> &'static str {
        errseq_lang::base_source(Scheme::Linux417).expect("4.17's source")
    }

    /// 4.17 whose errseq_check_and_advance no longer marks the error
    /// SEEN (examples/33's proposal, as one edit of the "Start from"
    /// copy): the cmpxchg that would set it is never taken.
    fn without_seen_source() -> String {
        let dropped = base_417().replace("new = old | ERRSEQ_SEEN;", "new = old;");
        assert_ne!(dropped, base_417(), "4.17's source has the cmpxchg");
        dropped
    }

    fn without_seen() -> String {
        written(&without_seen_source())
    }

    #[test]
    fn a_copy_of_4_17_keeps_what_4_17_keeps() {
        let sheets = of(&written(base_417()));
        assert_eq!(sheets.len(), 1);
        let s = &sheets[0];
        assert_eq!((s.name.as_str(), s.base), ("my-4.17", Scheme::Linux417));
        assert_eq!(s.mine.rows, s.theirs.rows);
        assert!(
            s.mine.rows.iter().all(|r| matches!(r, Row::Kept { scenarios } if *scenarios > 0)),
            "{:?}",
            s.mine.rows
        );
        assert_eq!(s.mine.unchecked, []);
        assert_eq!(s.mine.scenarios, errseq_examples::GALLERY.len());
    }

    #[test]
    fn dropping_the_seen_cmpxchg_breaks_told_while_open_with_a_link_to_its_steps() {
        let sheets = of(&without_seen());
        let Row::Broken { shown: c, scenarios } = &sheets[0].mine.rows[Invariant::ToldWhileOpen as usize]
        else {
            panic!("{:?}", sheets[0].mine.rows)
        };
        // Only the example written for it catches it: the same errno
        // recorded again changes no bit of a word nobody marked SEEN.
        assert_eq!(scenarios, &["33-written-report-without-seen"]);
        assert_eq!(c.scenario, scenarios[0]);
        assert_eq!(
            c.said,
            "`fsync a` (line 31) returned 0, though its own writeback recorded an error: a's description \
             was never told it"
        );
        // The link opens the gallery scenario with the proposal in it,
        // on the interleaving; the call named is at that line there.
        let (_, p, trace) = opened(&without_seen_source(), Invariant::ToldWhileOpen);
        let mine = WrittenName::new("my-4.17").expect("a name");
        assert_eq!(p.scenario.schemes, Some(vec![errseq::SchemeName::Written(mine)]), "only the proposal");
        assert_eq!(trace.key, SchemeKey::Written(mine));
        let event = p.source.events.iter().position(|e| e.line() == 31).expect("a call at line 31");
        assert_eq!(
            p.scenario.stmts().nth(event).map(|(s, _)| s.event.to_string()).as_deref(),
            Some("fsync a")
        );
        assert_eq!(trace.results[event], Some(errseq::Ret::OK));
        // Its base kept it.
        assert!(matches!(sheets[0].theirs.rows[Invariant::ToldWhileOpen as usize], Row::Kept { .. }));
    }

    /// The counterexample of `inv` under `source`, opened as its link
    /// opens: the text, and the interleaving step by step.
    fn opened(source: &str, inv: Invariant) -> (Counterexample, Parsed, errseq_explorer::trace::Trace) {
        let sheets = of(&written(source));
        let Row::Broken { shown, .. } = &sheets[0].mine.rows[inv as usize] else {
            panic!("{:?}", sheets[0].mine.rows)
        };
        let fragment = shown.fragment.as_ref().expect("a link carries it");
        let LinkReading::Opened { text, replay: Some(replay) } = crate::link::read(fragment) else {
            panic!("{fragment}")
        };
        let p = parse(&text).expect("the grafted text parses");
        let trace = replay_string::decode(&Program::compile(&p), p.scenario.fs(), &replay).expect("decodes");
        (shown.clone(), p, trace)
    }

    #[test]
    fn without_f_lock_a_description_is_told_twice_in_an_interleaving_shown_in_the_proposals_lines() {
        let source = base_417()
            .replace("\t\tspin_lock(&file->f_lock);\n", "")
            .replace("\t\tspin_unlock(&file->f_lock);\n", "");
        let (c, p, trace) = opened(&source, Invariant::ToldOnce);
        // The interleaving is preferred: there the proposal's steps show.
        assert_eq!(c.scenario, "findings/4-report-once");
        assert!(p.scenario.has_par());
        assert!(c.said.starts_with("`fsync a` (line 23) told ENOSPC again"), "{}", c.said);
        let sites: Vec<String> = trace
            .steps
            .iter()
            .filter_map(|s| s.site.map(|site| errseq_render::describe_site(&p, trace.key, site)))
            .collect();
        assert!(sites.iter().any(|s| s.contains("cmpxchg(eseq, old, new)")), "{sites:?}");
    }

    #[test]
    fn each_grafted_gallery_scenario_reads_back() {
        let p = parse(&without_seen()).expect("parses");
        let key = SchemeKey::Written(WrittenName::new("my-4.17").expect("a name"));
        for c in sweep(&p, key, errseq_examples::GALLERY, SWEEP_BOUNDS) {
            let text = c.parsed.scenario.to_string();
            let again = parse(&text).unwrap_or_else(|e| panic!("{}: {e:?}\n{text}", c.example.name));
            assert_eq!(again.scenario, c.parsed.scenario, "{}", c.example.name);
        }
    }

    #[test]
    fn a_scheme_that_loops_forever_leaves_every_scenario_not_checked_with_why() {
        let endless = "int file_check_and_advance_wb_err(struct file *file)\n{\n\tfor (;;) { }\n}\n";
        let text =
            written(endless).replace("open a f\nfsync a\n", "open a f\npar\n  fsync a\n  error f EIO\nend\n");
        let sheets = of(&text);
        let s = &sheets[0].mine;
        // One reason, at its line:col in the text, for every scenario
        // that calls fsync.
        assert_eq!(s.unchecked.len(), 1, "{:?}", s.unchecked);
        assert!(
            s.unchecked[0].why.starts_with("6:2: ") && s.unchecked[0].why.contains("endless"),
            "{:?}",
            s.unchecked
        );
        assert!(s.unchecked[0].scenarios.len() >= 15, "{:?}", s.unchecked);
        assert!(s.rows.iter().all(|r| !matches!(r, Row::Broken { .. })), "{:?}", s.rows);
    }

    #[test]
    fn a_text_that_writes_no_scheme_has_no_sheet() {
        assert!(of("open a f\npar\n  fsync a\n  error f EIO\nend\n").is_empty());
        assert!(of("fsnyc a\n").is_empty());
        assert!(ready("open a f\n"));
    }

    /// The sweep's time natively, for the schemes the browser test
    /// sweeps: `cargo test -p errseq-web-deferred --release --
    /// --ignored --nocapture sweep_time` (BENCHMARKS.md).
    #[test]
    #[ignore]
    fn sweep_time() {
        let b = base_417();
        let without_f_lock =
            b.replace("\t\tspin_lock(&file->f_lock);\n", "").replace("\t\tspin_unlock(&file->f_lock);\n", "");
        let reads = "\terrseq_t cur = READ_ONCE(*eseq);\n";
        let looping = b.replace(
            reads,
            &format!("{reads}\tfor (u32 i = 0; i < 200; i++)\n\t\tcur = READ_ONCE(*eseq);\n"),
        );
        let key = SchemeKey::Written(WrittenName::new("my-4.17").expect("a name"));
        for (what, source) in [
            ("copy_417", b.to_owned()),
            ("without_seen", without_seen_source()),
            ("without_f_lock", without_f_lock),
            ("loop", looping),
        ] {
            let p = parse(&written(&source)).expect("parses");
            let mut times: Vec<f64> = (0..5).map(|_| sheet(&p, key).millis).collect();
            times.sort_by(f64::total_cmp);
            println!("bench invariants_sweep_{what} {:.1} ms (median of 5)", times[2]);
        }
    }
}
