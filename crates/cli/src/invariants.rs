//! `errseq explore FILE --invariants`: the scheme a text writes, checked
//! against the named invariants over every interleaving of the gallery's
//! scenarios, next to the built-in scheme it starts from; each broken
//! invariant with its counterexample step by step and a link that opens
//! it in the page.

use std::path::Path;
use std::process::ExitCode;

use errseq::{SchemeKey, SchemeName};
use errseq_explorer::{replay_string, trace, Bounds};
use errseq_invariants::{describe, sweep, Checked, Invariant, Summary, Verdict};
use errseq_model::Program;
use errseq_scenario::inert::inert;
use errseq_scenario::Parsed;

use crate::out::{errln, outln, Out};
use crate::{search_error, Malformed};

/// Checks `--scheme`, or every scheme the text writes; exit 1 when one
/// breaks an invariant (whether its base keeps it or not), 2 when there
/// is nothing to check or a scenario could not be explored (the scheme
/// faults, or the search runs out of states).
pub(crate) fn command(
    out: &mut Out,
    path: &Path,
    p: &Parsed,
    scheme: Option<SchemeName>,
    bounds: Bounds,
    base_url: &str,
) -> ExitCode {
    let keys: Vec<SchemeKey> = match scheme {
        Some(s) => vec![s.resolve()],
        None => p.bindings.written.iter().map(|w| SchemeKey::Written(w.name)).collect(),
    };
    if keys.is_empty() {
        errln!(
            out,
            "{}: --invariants: the text writes no scheme (`scheme NAME from BASE ... end`); name a built-in \
             one with --scheme",
            path.display()
        );
        return ExitCode::from(2);
    }
    let mut broken = false;
    for key in keys {
        match subject(out, path, p, key, bounds, base_url) {
            Ok(kept) => broken |= !kept,
            Err(Malformed) => return ExitCode::from(2),
        }
    }
    if broken {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// One scheme's table and counterexamples; whether it keeps all three.
/// The table comes first, so a scheme that faults in one scenario still
/// shows what the others say.
fn subject(
    out: &mut Out,
    path: &Path,
    p: &Parsed,
    key: SchemeKey,
    bounds: Bounds,
    base_url: &str,
) -> Result<bool, Malformed> {
    let gallery = errseq_examples::GALLERY;
    let mine = sweep(p, key, gallery, bounds);
    let base = match key {
        SchemeKey::Written(w) => p.bindings.written(w).map(|w| w.program.base()),
        SchemeKey::BuiltIn(_) => None,
    };
    let theirs = base.map(|b| sweep(p, SchemeKey::BuiltIn(b), gallery, bounds));
    let from = base.map_or_else(String::new, |b| format!(" (from {b})"));
    outln!(out, "{key}{from}, every interleaving of the gallery's {} scenarios:", mine.len());
    let summary = Summary::of(&mine);
    let base_summary = theirs.as_deref().map(Summary::of);
    for inv in Invariant::ALL {
        let v = verdict(&mine, &summary.0[inv as usize]);
        let b = match (&base_summary, base) {
            (Some(s), Some(b)) => {
                format!("   ({b}: {})", verdict(theirs.as_deref().unwrap_or(&[]), &s.0[inv as usize]))
            }
            _ => String::new(),
        };
        outln!(out, "  {:<16} {v}{b}", inv.id());
    }
    if unchecked(out, path, &mine) {
        return Err(Malformed);
    }
    for inv in Invariant::ALL {
        if let Verdict::Broken { scenario, found } = &summary.0[inv as usize] {
            counterexample(out, inv, &mine[*scenario], key, found, base_url);
        }
    }
    Ok(summary.all_kept())
}

fn verdict(checked: &[Checked], v: &Verdict) -> String {
    match v {
        Verdict::Kept { scenarios } => {
            let ok = checked.iter().filter(|c| c.findings.is_ok()).count();
            let of = if ok == checked.len() { ok.to_string() } else { format!("the {ok} checked") };
            format!("kept (at stake in {} of {of})", scenarios.len())
        }
        Verdict::Broken { scenario, .. } => format!("BROKEN in {}", checked[*scenario].example.name),
        Verdict::Untested => "never at stake".to_owned(),
    }
}

/// Scenarios the search could not finish (a fault of the scheme, too
/// many states): they count for nothing above. Each reason once, with
/// the scenarios it stopped; whether there were any.
fn unchecked(out: &mut Out, path: &Path, checked: &[Checked]) -> bool {
    let mut reasons: Vec<(String, Vec<&str>)> = Vec::new();
    for c in checked {
        let Err(e) = &c.findings else { continue };
        let reason = search_error(&path.display().to_string(), e);
        match reasons.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, names)) => names.push(c.example.name),
            None => reasons.push((reason, vec![c.example.name])),
        }
    }
    for (reason, names) in &reasons {
        errln!(out, "{reason}");
        errln!(out, "  (so not checked: {})", names.join(", "));
    }
    !reasons.is_empty()
}

fn counterexample(
    out: &mut Out,
    inv: Invariant,
    c: &Checked,
    key: SchemeKey,
    found: &errseq_invariants::Found,
    base_url: &str,
) {
    outln!(out, "\n{}: {}", inv.id(), inv.statement());
    outln!(out, "  in examples/{}.errseq: {}", c.example.name, inert(&describe(&c.parsed, found)));
    let program = Program::compile(&c.parsed);
    let fs = c.parsed.scenario.fs();
    if let Ok(t) = trace::replay(&program, key, fs, &found.schedule) {
        for line in errseq_render::trace_steps(&c.parsed, &program, &t) {
            outln!(out, "    {line}");
        }
    }
    let replay = replay_string::encode(&program, key, fs, &found.schedule).ok();
    if let Ok(link) = errseq_share::try_link(base_url, &c.parsed.scenario, replay.as_deref()) {
        outln!(out, "  open it: {link}");
    }
}
