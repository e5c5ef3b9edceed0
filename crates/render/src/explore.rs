//! Views of explored scenarios: joint outcomes, violations with their
//! counterexamples, and interleavings step by step.

use std::fmt::Write;

use errseq::{Action, Ret, SchemeKey};
use errseq_explorer::trace::Trace;
use errseq_explorer::verdict::Column;
use errseq_explorer::{replay_string, Report, Step, Violation};
use errseq_lang::{Origin, Site, Span};
use errseq_model::{PageStep, Program, SyncMode};
use errseq_scenario::{inert, Parsed, Stmt};

use crate::analysis::{result_text as ret, Analysis, Cell};
use crate::table::Table;

/// How a call is named in a header: its label, or `LINE:call`.
pub fn call_name(p: &Parsed, event: usize) -> String {
    name_of(p, p.scenario.stmts().nth(event).map(|(s, _)| s), event)
}

fn name_of(p: &Parsed, stmt: Option<&Stmt>, event: usize) -> String {
    match stmt {
        Some(s) => match &s.label {
            Some(label) => label.to_string(),
            None => format!("{}:{}", p.source.events.get(event).map_or(0, |e| e.line()), s.event),
        },
        None => format!("event {event}"),
    }
}

/// The calls by event number, to name many of them without a pass over
/// the scenario each.
struct Calls<'p> {
    p: &'p Parsed,
    stmts: Vec<&'p Stmt>,
}

impl<'p> Calls<'p> {
    fn new(p: &'p Parsed) -> Calls<'p> {
        Calls { p, stmts: p.scenario.stmts().map(|(s, _)| s).collect() }
    }

    fn name(&self, event: usize) -> String {
        name_of(self.p, self.stmts.get(event).copied(), event)
    }
}

/// `1,234,567`.
pub fn thousands(n: u128) -> String {
    errseq::digits::grouped(n)
}

/// The calls that return, by event number.
fn returning(p: &Parsed) -> Vec<usize> {
    (0..p.bindings.events.len()).filter(|&i| p.bindings.events[i].returns).collect()
}

/// Events down, schemes across; a cell lists every result the call has
/// in some interleaving, `{0, EIO}`.
pub fn timeline_sets(a: &Analysis) -> String {
    let mut t = Table::new().right_align(0);
    let mut head = vec!["line".to_owned(), "  event".to_owned()];
    head.extend(a.columns.iter().map(ToString::to_string));
    t.row(head);
    for row in &a.rows {
        let indent = if row.block.is_some() { "  " } else { "" };
        let mark = if row.differs { '*' } else { ' ' };
        let mut cells = vec![row.line.to_string(), format!("{mark} {indent}{}", row.text)];
        cells.extend(row.cells.iter().map(Cell::text));
        t.row(cells);
    }
    let mut out = String::new();
    for line in t.lines() {
        let _ = writeln!(out, "{line}");
    }
    out
}

/// One scheme's joint outcomes: the result of every call that returns,
/// how many interleavings give it, and the replay string of the smallest.
pub fn outcomes(p: &Parsed, r: &Report, column: usize) -> String {
    let c: &Column = &r.columns[column];
    let e = &c.exploration;
    let calls = returning(p);
    let mut out = String::new();
    let n = e.outcomes.len();
    let plural = if n == 1 { "" } else { "s" };
    let sat = if e.saturated { " (counts saturated: lower bounds)" } else { "" };
    let _ = writeln!(
        out,
        "{}: {n} joint outcome{plural} from {} interleavings ({} states){sat}",
        c.name,
        thousands(e.interleavings),
        thousands(e.states as u128)
    );
    let mut t = Table::new();
    let names = Calls::new(p);
    let mut head: Vec<String> = calls.iter().map(|&i| names.name(i)).collect();
    head.extend(["interleavings".to_owned(), "replay".to_owned()]);
    t.row(head);
    for o in &e.outcomes {
        let mut row: Vec<String> = calls.iter().map(|&i| ret(o.results[i])).collect();
        row.push(thousands(o.count));
        let s = replay_string::encode(&r.program, e.key, p.scenario.fs(), &o.schedule);
        row.push(s.unwrap_or_else(|e| e.to_string()));
        t.row(row);
    }
    for line in t.lines() {
        let _ = writeln!(out, "  {line}");
    }
    out
}

/// The table of what does not hold (line, call or claim, scheme, expected,
/// actual), then, for scenarios with `par` blocks, a counterexample for
/// each violation that has one, step by step with its replay string.
pub fn violations(p: &Parsed, r: &Report) -> String {
    let names = Calls::new(p);
    let claims: Vec<String> = p
        .scenario
        .claims()
        .map(|c| {
            let mut c = c.clone();
            c.comment = None;
            c.to_string()
        })
        .collect();
    let claim_text = |claim: usize| claims.get(claim).cloned().unwrap_or_default();
    let mut t = Table::new().right_align(0);
    t.row(["line", "what", "scheme", "expected", "actual"]);
    for v in &r.violations {
        let scheme = r.columns[v.column()].name.to_string();
        let row = match v {
            Violation::Expect { event, expected, actual, .. } => {
                let line = p.source.events[*event].line().to_string();
                [line, names.name(*event), scheme, expected.to_string(), ret(*actual)]
            }
            Violation::Never { claim, count, .. } => {
                let text = claim_text(*claim);
                let n = format!("{} interleavings", thousands(*count));
                [claim_line(p, *claim).to_string(), text, scheme, "never".into(), n]
            }
            Violation::Exists { claim, .. } => {
                let text = claim_text(*claim);
                [claim_line(p, *claim).to_string(), text, scheme, "exists".into(), "none".into()]
            }
        };
        t.row(row);
    }
    let mut out = String::new();
    for line in t.lines() {
        let _ = writeln!(out, "{line}");
    }
    if p.scenario.has_par() {
        for v in &r.violations {
            counterexample(&mut out, p, r, v);
        }
    }
    out
}

fn counterexample(out: &mut String, p: &Parsed, r: &Report, v: &Violation) {
    let Some(schedule) = v.schedule() else { return };
    let c = &r.columns[v.column()];
    let fs = p.scenario.fs();
    let what = match v {
        Violation::Expect { event, .. } => format!("`{}`", call_name(p, *event)),
        _ => format!("line {}", v_claim_line(p, v)),
    };
    match errseq_explorer::trace::replay(&r.program, c.exploration.key, fs, schedule) {
        Ok(trace) => {
            let s = replay_string::encode(&r.program, trace.key, fs, schedule).unwrap_or_default();
            let _ = writeln!(out, "\ncounterexample for {what} under {} (replay {s}):", c.name);
            for line in trace_steps(p, &r.program, &trace) {
                let _ = writeln!(out, "  {line}");
            }
        }
        Err(e) => {
            let _ = writeln!(out, "\n(cannot replay the counterexample for {what}: {e})");
        }
    }
}

fn v_claim_line(p: &Parsed, v: &Violation) -> u32 {
    match v {
        Violation::Never { claim, .. } | Violation::Exists { claim, .. } => claim_line(p, *claim),
        Violation::Expect { event, .. } => p.source.events[*event].line(),
    }
}

fn claim_line(p: &Parsed, claim: usize) -> u32 {
    p.source.claims.get(claim).map_or(0, |c| c.keyword.line)
}

/// An interleaving step by step: who moved, what the step did, which cells
/// changed. Sequential events appear as one line each.
pub fn trace_steps(p: &Parsed, program: &Program, trace: &Trace) -> Vec<String> {
    let mut t = Table::new().right_align(0);
    t.row(["step", "who", "does", "changes"]);
    let mut n = 0;
    let names = Calls::new(p);
    for s in &trace.steps {
        let who = names.name(s.event);
        // Slots are named by the fds open before the event (or its block).
        let at = program.blocks.iter().find(|b| b.contains(&s.event)).map_or(s.event, |b| b.start);
        let changes: Vec<String> = s
            .changed
            .iter()
            .map(|&(a, before, after)| format!("{} {before:#x}→{after:#x}", program.cell_name(a, at)))
            .collect();
        let (number, does) = match s.step {
            None => ("-".to_owned(), format!("runs alone{}", returns(s.returned))),
            Some(step) => {
                n += 1;
                (
                    n.to_string(),
                    format!(
                        "{}{}{}",
                        describe_step(program, at, step, s.value),
                        s.site
                            .map(|site| format!(" at {}", describe_site(p, trace.key, site)))
                            .unwrap_or_default(),
                        returns(s.returned)
                    ),
                )
            }
        };
        t.row([number, who, does, changes.join(", ")]);
    }
    t.lines()
}

fn returns(r: Option<Option<Ret>>) -> String {
    match r {
        Some(Some(r)) => format!("; returns {r}"),
        _ => String::new(),
    }
}

/// Where a written scheme takes a step, in its writer's lines:
/// `line 45:9 cmpxchg(eseq, old, new)`; in a function the scheme
/// inherits, the base's source's line, `linux-4.17's line 60:18 ...`.
pub fn describe_site(p: &Parsed, key: SchemeKey, site: Site) -> String {
    let Span { line, col, len } = site.span;
    let (whose, text) = match (site.origin, key) {
        (Origin::Base(base), _) => (
            format!("{base}'s "),
            errseq_lang::base_source(base).and_then(|s| s.lines().nth((line as usize).wrapping_sub(1))),
        ),
        (Origin::Scheme, SchemeKey::Written(w)) => {
            let first = p.bindings.written(w).map_or(0, |w| w.line + 1);
            let block = p.scenario.scheme_blocks().find(|b| b.name == w);
            let text = block.and_then(|b| b.lines.get(line.checked_sub(first)? as usize)).map(String::as_str);
            (String::new(), text)
        }
        (Origin::Scheme, SchemeKey::BuiltIn(_)) => (String::new(), None),
    };
    let code = text.map(|t| call_at(t, col, len)).unwrap_or_default();
    format!("{whose}line {line}:{col} {}", inert(code.trim()))
}

/// The text a step's site points at: a call whole (`cmpxchg(eseq, old,
/// new)`) when the span is the name of one closed on that line, else the
/// span itself.
fn call_at(line: &str, col: u32, len: u32) -> String {
    let chars: Vec<char> = line.chars().skip(col.saturating_sub(1) as usize).collect();
    let name = (len.max(1) as usize).min(chars.len());
    if chars.get(name) == Some(&'(') {
        let mut depth = 0usize;
        for (i, &c) in chars.iter().enumerate().skip(name) {
            depth = match c {
                '(' => depth + 1,
                ')' if depth == 1 => return chars[..=i].iter().collect(),
                ')' => depth.saturating_sub(1),
                _ => depth,
            };
        }
    }
    chars[..name].iter().collect()
}

/// What one step did, in words: `load wb_err(f) = 0x00000005`.
pub fn describe_step(program: &Program, at: usize, step: Step, value: u32) -> String {
    let name = |a| program.cell_name(a, at);
    match step {
        Step::Core(a) | Step::Ignored(a) => {
            let ignored = matches!(step, Step::Ignored(_));
            match a {
                Action::Load(x) => format!("load {} = {value:#010x}", name(x)),
                Action::Store(x, v) => format!("store {} = {v:#010x}", name(x)),
                Action::Cmpxchg { at: x, old, new } => {
                    let outcome = if value == old { "swapped" } else { "failed" };
                    let seen = if ignored { ", result ignored" } else { "" };
                    format!(
                        "cmpxchg {} {old:#010x}→{new:#010x}: {outcome} (found {value:#010x}{seen})",
                        name(x)
                    )
                }
                Action::FetchOr(x, b) => format!("set bits {b:#x} in {}", name(x)),
                Action::FetchAnd(x, m) => format!("clear bits {:#x} in {} (was {value:#x})", !m, name(x)),
                Action::Lock(x) => format!("lock {}", name(x)),
                Action::Unlock(x) => format!("unlock {}", name(x)),
            }
        }
        Step::Page(PageStep::Dirty { file, page }) => {
            format!("dirty page {}:{}", program.files[file], program.layout.files[file].pages[page].number)
        }
        Step::Page(PageStep::Promise { file, page: None }) => {
            format!("promise {}'s written pages are durable", program.files[file])
        }
        Step::Page(PageStep::Promise { file, page: Some(page) }) => {
            let n = program.layout.files[file].pages[page].number;
            format!("promise page {}:{n} is durable", program.files[file])
        }
        Step::Page(PageStep::DirectIo { file, page }) => {
            let n = program.layout.files[file].pages[page].number;
            match errseq::Errno::new(value) {
                Some(e) => format!("direct write of page {}:{n}: the storage fails {e}", program.files[file]),
                None => format!("direct write of page {}:{n} reaches the storage", program.files[file]),
            }
        }
        Step::Page(PageStep::Drop { file }) => format!("evict {}", program.files[file]),
        Step::Page(PageStep::ReadPage { file, page, direct }) => {
            let n = program.layout.files[file].pages[page].number;
            let from = if direct { "the disk (O_DIRECT)" } else { "the page cache" };
            format!("read page {}:{n} from {from}: v{value}", program.files[file])
        }
        Step::Page(PageStep::Access { file }) => {
            format!("touch atime of {}: a stale atime dirties a clean inode (ext4)", program.files[file])
        }
        Step::Page(PageStep::Modified { file }) => format!("new mtime of {}", program.files[file]),
        Step::Page(PageStep::Storage { file, first, last, errno }) => {
            let what = match errseq::Errno::new(errno) {
                Some(e) => format!("fails {e}"),
                None => "works".to_owned(),
            };
            let pages = match (first, last) {
                (0, u32::MAX) => String::new(),
                (a, b) if a == b => format!(" page {a}"),
                (a, b) => format!(" pages {a}..{b}"),
            };
            format!("the storage under {}{pages} {what}", program.files[file])
        }
        Step::Page(p) => describe_writeback(program, p, value),
    }
}

/// The writeback steps in words: `submit f's dirty pages (1)`.
fn describe_writeback(program: &Program, step: PageStep, value: u32) -> String {
    let file = |f: usize| program.files[f].to_string();
    match step {
        PageStep::StartWriteback { file: f, mode, requeue, page } => {
            let only = page.map_or(String::new(), |p| {
                format!(" (page {} only)", program.layout.files[f].pages[p].number)
            });
            let how = match mode {
                SyncMode::All => "waiting for earlier writeback",
                SyncMode::None => "skipping pages under writeback",
            };
            let list = if requeue { "; a clean inode leaves the dirty list" } else { "" };
            format!("submit {}'s dirty pages{only} ({value}), {how}{list}", file(f))
        }
        PageStep::EndIo { file: f, .. } => match errseq::Errno::new(value) {
            Some(e) => format!("I/O completes on {}: storage fails {e}", file(f)),
            None => format!("I/O completes on {}: the storage has the pages", file(f)),
        },
        PageStep::EndWriteback { file: f } => format!("end writeback of {}'s pages", file(f)),
        PageStep::Wait { file: f, clear_error, page } => {
            let what = match (f, page) {
                (Some(f), Some(p)) => format!("page {}:{}", file(f), program.layout.files[f].pages[p].number),
                (Some(f), None) => file(f),
                (None, _) => "every file".to_owned(),
            };
            let pg = if !clear_error {
                ""
            } else if value != 0 {
                "; PG_error was set: EIO"
            } else {
                "; no PG_error"
            };
            format!("wait for writeback of {what}{pg}")
        }
        PageStep::NextDirty { .. } if value == 0 => "no more inodes on the dirty list".to_owned(),
        PageStep::NextDirty { .. } => format!("next inode on the dirty list: dirtied at {value}"),
        PageStep::FileDirtiedAt { stamp } => match value.checked_sub(1) {
            Some(f) => format!("the inode dirtied at {stamp} is {}", file(f as usize)),
            None => format!("no inode is dirtied at {stamp} any more"),
        },
        PageStep::Dirty { .. }
        | PageStep::Promise { .. }
        | PageStep::Drop { .. }
        | PageStep::Storage { .. }
        | PageStep::ReadPage { .. }
        | PageStep::Access { .. }
        | PageStep::Modified { .. }
        | PageStep::DirectIo { .. } => String::new(),
    }
}
