//! Properties a writeback-error scheme should keep, checked for any
//! scheme over every interleaving of a set of scenarios.
//!
//! A proposal on the list is argued with promises: "every fd open when
//! the error happens hears it", "nobody hears one error twice", "an
//! opener that comes late still hears an error nobody saw". This crate
//! names three such promises ([`Invariant`]), and checks a scheme,
//! built-in or written in a scenario's `scheme` block, against them:
//!
//! 1. each scenario is explored under the scheme as the explorer explores
//!    it, every interleaving of its `par` blocks, with each call watched
//!    at the scheme's boundary ([`watch`]): what it recorded, what its
//!    reports said;
//! 2. each joint outcome is judged ([`judge`]) on the calls' order, which
//!    leaves alone what concurrency cannot settle, so a breach is never
//!    an artefact of the watch;
//! 3. the smallest schedule of an outcome with a breach is its
//!    counterexample, replayable step by step like any of the explorer's.
//!
//! [`sweep`] runs a scheme over the gallery's scenarios (grafting a
//! written scheme into each) and [`Summary`] says, per invariant, kept,
//! broken (with the first counterexample) or never at stake.

pub mod judge;
pub mod watch;

use errseq::{Ret, SchemeKey, SchemeName};
use errseq_examples::Example;
use errseq_explorer::scenario::walk;
use errseq_explorer::{Bounds, Schedule, SearchError};
use errseq_model::kernel::Cx;
use errseq_model::{Algorithm, Program, Runner};
use errseq_scenario::{Item, Parsed};

pub use judge::{Breach, Invariant, Judgement, Story};
use watch::{Logbook, Watched, WatchedTask};

/// A breach with the interleavings that show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub breach: Breach,
    /// The smallest schedule of an outcome with this breach.
    pub schedule: Schedule,
    /// Interleavings whose outcome breaks the invariant (saturating).
    pub count: u128,
    /// Every call's result in that outcome, by event.
    pub results: Vec<Option<Ret>>,
}

/// What one scenario shows of a scheme.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Findings {
    /// By [`Invariant`]: whether some outcome had something at stake.
    pub at_stake: [bool; 3],
    /// By [`Invariant`]: its first breach, if any.
    pub breaches: [Option<Found>; 3],
    /// Interleavings in all.
    pub interleavings: u128,
}

/// Explores `program` under the column `key` with every call watched,
/// and judges every joint outcome.
pub fn check(p: &Parsed, program: &Program, key: SchemeKey, bounds: Bounds) -> Result<Findings, SearchError> {
    check_within(p, program, key, bounds, &mut bounds.budget())
}

/// [`check`], taking the work from `budget` ([`Bounds::budget`]), which
/// a sweep shares among its scenarios.
pub fn check_within(
    p: &Parsed,
    program: &Program,
    key: SchemeKey,
    bounds: Bounds,
    budget: &mut usize,
) -> Result<Findings, SearchError> {
    let fs = p.scenario.fs();
    let words = program.layout.files.iter().map(|f| f.mapping.wb_err).collect();
    let book = Logbook::new(words);
    let walked = match Runner::new(program, key) {
        Some(Runner::BuiltIn(s)) => watched_walk(program, s, fs, &book, bounds, budget, |_| None)?,
        Some(Runner::Written(w)) => watched_walk(program, &w, fs, &book, bounds, budget, |w| w.fault())
            .map_err(|e| match e {
                // A written scheme's calls may loop: say so, as the explorer does.
                SearchError::TooManyStates { limit } => {
                    SearchError::WrittenTooBig { name: key.to_string(), limit }
                }
                e => e,
            })?,
        None => return Err(SearchError::NoScheme { name: key.to_string() }),
    };
    let story = Story::new(program, &p.bindings);
    let mut out = Findings::default();
    let kept = book.kept();
    for o in walked.outcomes {
        let logs: Vec<&watch::CallLog> =
            o.results.iter().map(|id| kept.get(id.0 as usize).unwrap_or(&watch::NOTHING)).collect();
        let j = story.judge(&logs);
        out.interleavings = out.interleavings.saturating_add(o.count);
        for (i, s) in j.at_stake.iter().enumerate() {
            out.at_stake[i] |= s;
        }
        if j.breaches.is_empty() {
            continue;
        }
        let results: Vec<Option<Ret>> = logs.iter().map(|l| l.ret).collect();
        for inv in Invariant::ALL {
            let Some(b) = j.breaches.iter().find(|b| b.invariant == inv) else { continue };
            keep(&mut out.breaches[inv as usize], b, &o.schedule, o.count, &results);
        }
    }
    Ok(out)
}

/// Keeps the breach with the smallest schedule, and adds up the counts.
fn keep(slot: &mut Option<Found>, b: &Breach, schedule: &Schedule, count: u128, results: &[Option<Ret>]) {
    match slot {
        Some(f) => {
            f.count = f.count.saturating_add(count);
            if *schedule < f.schedule {
                let total = f.count;
                *f = Found {
                    breach: b.clone(),
                    schedule: schedule.clone(),
                    count: total,
                    results: results.to_vec(),
                };
            }
        }
        None => {
            *slot = Some(Found {
                breach: b.clone(),
                schedule: schedule.clone(),
                count,
                results: results.to_vec(),
            })
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn watched_walk<S: Algorithm>(
    program: &Program,
    scheme: S,
    fs: errseq_scenario::Fs,
    book: &Logbook,
    bounds: Bounds,
    budget: &mut usize,
    fault: impl Fn(S) -> Option<errseq_model::SchemeFault>,
) -> Result<errseq_explorer::scenario::Walk<watch::LogId>, SearchError> {
    let cx = Cx { scheme: Watched { inner: scheme, book }, fs, layout: &program.layout };
    walk(program, |op| WatchedTask { cx, op }, bounds, budget, || fault(scheme))
}

/// One scenario of a sweep, as checked.
#[derive(Clone, Debug)]
pub struct Checked {
    pub example: &'static Example,
    /// The scenario, with the scheme grafted in when it is written.
    pub parsed: Parsed,
    pub findings: Result<Findings, SearchError>,
}

/// Checks the column `key` over `examples`. A written scheme is taken
/// from `from` (the text that writes it) and grafted into each example,
/// replacing a scheme of the same name there. Examples that do not parse
/// are skipped (the corpus's own tests parse every one). `bounds` holds
/// for the whole sweep, as for a scenario's several schemes: once spent,
/// the examples left say so, so a scheme whose calls loop costs one
/// budget, not one per example.
pub fn sweep(from: &Parsed, key: SchemeKey, examples: &'static [Example], bounds: Bounds) -> Vec<Checked> {
    let mut budget = bounds.budget();
    examples
        .iter()
        .filter_map(|example| {
            let mut parsed = errseq_scenario::parse(example.text).ok()?;
            graft(&mut parsed, from, key);
            let program = Program::compile(&parsed);
            let findings = check_within(&parsed, &program, key, bounds, &mut budget);
            Some(Checked { example, parsed, findings })
        })
        .collect()
}

/// Puts the written scheme `key` of `from` into `into`, and makes it the
/// only column. The scheme keeps its lines in `from` (a counterexample's
/// steps point into the user's own text); `into`'s canonical text, with
/// the block at its end, is a scenario of its own, whose share link
/// opens the counterexample in the page.
fn graft(into: &mut Parsed, from: &Parsed, key: SchemeKey) {
    into.scenario.schemes = Some(vec![match key {
        SchemeKey::BuiltIn(s) => SchemeName::Exact(s),
        SchemeKey::Written(w) => SchemeName::Written(w),
    }]);
    let SchemeKey::Written(name) = key else { return };
    into.scenario.body.retain(|i| !matches!(i, Item::Scheme(b) if b.name == name));
    into.bindings.written.retain(|w| w.name != name);
    // As the canonical text would hold it: no blank line first, one
    // before the block.
    if matches!(into.scenario.body.first(), Some(Item::Gap)) {
        into.scenario.body.remove(0);
    }
    if let Some(block) = from.scenario.scheme_blocks().find(|b| b.name == name) {
        into.scenario.body.extend([Item::Gap, Item::Scheme(block.clone())]);
    }
    if let Some(w) = from.bindings.written(name) {
        into.bindings.written.push(w.clone());
    }
}

/// What a sweep says of one invariant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// At stake in these scenarios (by index in the sweep), broken in none.
    Kept { scenarios: Vec<usize> },
    /// Broken: the first scenario (by index) that shows it, and its breach.
    Broken { scenario: usize, found: Found },
    /// Nothing in the scenarios put it at stake.
    Untested,
}

/// A sweep's verdicts, by [`Invariant`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary(pub [Verdict; 3]);

impl Summary {
    pub fn of(checked: &[Checked]) -> Summary {
        Summary(Invariant::ALL.map(|inv| verdict(checked, inv)))
    }

    pub fn all_kept(&self) -> bool {
        !self.0.iter().any(|v| matches!(v, Verdict::Broken { .. }))
    }
}

fn verdict(checked: &[Checked], inv: Invariant) -> Verdict {
    let i = inv as usize;
    let mut scenarios = Vec::new();
    for (n, c) in checked.iter().enumerate() {
        let Ok(f) = &c.findings else { continue };
        if let Some(found) = &f.breaches[i] {
            return Verdict::Broken { scenario: n, found: found.clone() };
        }
        if f.at_stake[i] {
            scenarios.push(n);
        }
    }
    if scenarios.is_empty() {
        Verdict::Untested
    } else {
        Verdict::Kept { scenarios }
    }
}

/// A call as a sentence names it: its text and its line.
fn call(p: &Parsed, event: usize) -> String {
    let text =
        p.scenario.stmts().nth(event).map_or_else(|| format!("event {event}"), |(s, _)| s.event.to_string());
    match p.source.events.get(event) {
        Some(src) => format!("`{text}` (line {})", src.line()),
        None => format!("`{text}`"),
    }
}

/// What `found` shows, in a sentence of the scenario's own calls and
/// lines (`p` is the scenario it was found in).
pub fn describe(p: &Parsed, found: &Found) -> String {
    let b = &found.breach;
    let fd = p.bindings.descriptions.get(b.desc).map_or_else(|| "?".to_owned(), |d| d.fd.to_string());
    let said = |c: usize| match found.results.get(c).copied().flatten() {
        Some(r) => r.to_string(),
        None => "nothing".to_owned(),
    };
    let record = b.record.map(|r| call(p, r));
    match (b.invariant, record) {
        (Invariant::ToldWhileOpen | Invariant::LateOpener, Some(_)) if b.record == Some(b.call) => format!(
            "{} returned {}, though its own writeback recorded an error: {fd}'s description was never told it",
            call(p, b.call),
            said(b.call)
        ),
        (Invariant::ToldWhileOpen, Some(r)) => format!(
            "{} returned {}, but {fd}'s description was open when {r} recorded an error, and was never told it",
            call(p, b.call),
            said(b.call)
        ),
        (Invariant::LateOpener, Some(r)) => format!(
            "{} returned {}, but {fd}'s description was opened after {r} recorded an error that nobody had been \
             told, and was never told it",
            call(p, b.call),
            said(b.call)
        ),
        (Invariant::ToldOnce, r) => {
            let before = match b.earlier {
                Some(e) => format!("{} had already told {fd}'s description", call(p, e)),
                None => "none was left untold".to_owned(),
            };
            let of = r.map_or_else(String::new, |r| format!(" (the newest it could see: {r})"));
            format!("{} told {} again: of the errors it could see{of}, {before}", call(p, b.call), said(b.call))
        }
        (inv, None) => format!("{} breaks {}", call(p, b.call), inv.id()),
    }
}
