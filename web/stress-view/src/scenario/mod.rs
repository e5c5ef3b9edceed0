//! The scenario mode: the browser's workers run each `par` block of the
//! page's scenario many times, and the runs' joint outcomes are set next
//! to the explorer's for the same scheme (as litmus7 runs a litmus test on
//! hardware next to what a memory model allows).
//!
//! The only part of this module that uses the model and the explorer
//! (`errseq-model`, `errseq-explorer`, `errseq-scenario`); the throughput
//! run needs none of them.
//!
//! - this file: [`prepare`], what the page computes before any worker
//!   starts: per block, its calls, the model's cells before it, and the
//!   explorer's outcomes from those cells;
//! - [`table`]: the observed outcomes merged with the explorer's;
//! - [`supervisor`]: the workers of each block, the buffer, the runs;
//! - [`view`]: the HTML.

pub mod supervisor;
pub mod table;
pub mod view;

use std::collections::BTreeMap;

use errseq::{Ret, SchemeKey};
use errseq_explorer::scenario::OpTask;
use errseq_explorer::search::{explore, ModelMachine};
use errseq_explorer::Bounds;
use errseq_model::kernel::{Cx, Machine};
use errseq_model::{Algorithm, Layout, Op, Program, Runner};
use errseq_stress_protocol::scenario::MAX_TASKS;

/// The explorer's budget here: the page's own Explore tab uses the same
/// (`web/src/analysis.rs`), so what it can explore, this can.
pub const BOUNDS: Bounds = Bounds { max_states: 600_000, max_tasks: MAX_TASKS as usize };

/// A scenario ready for the workers, under one scheme (built-in, or one
/// the scenario writes: the workers compile the text, so they have it).
#[derive(Clone, Debug, PartialEq)]
pub struct Prepared {
    pub scheme: SchemeKey,
    /// The text the workers compile again (they check they find the same
    /// tasks and cells).
    pub text: String,
    pub cells_len: u32,
    pub blocks: Vec<BlockPlan>,
}

/// One `par` block: what runs, from where, and what the explorer allows.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockPlan {
    /// The line of its `par`.
    pub line: u32,
    /// Each task's call as the scenario writes it (`syncfs a as x`).
    pub calls: Vec<String>,
    /// The model's cells before the block: the events before it run in
    /// order with `errseq_model::kernel::Machine` (an earlier block's
    /// tasks one after the other, which is one of its interleavings).
    pub initial: Vec<u32>,
    /// The explorer's joint outcomes of the block from `initial`: each
    /// task's result, and how many interleavings give it.
    pub expected: Vec<(Vec<Option<Ret>>, u128)>,
    /// The distinct states the explorer visited.
    pub states: usize,
}

/// What the mode would run, in one line, before anything runs: the
/// scenario's title and its blocks (`Err`: why it cannot run, as
/// [`prepare`] would say). Parsing only: cheap enough for every edit.
#[cfg(test)]
pub fn describe(text: &str) -> Result<String, String> {
    describe_parsed(&parse(text)?)
}

/// [`describe`], of a scenario the view has parsed ([`parse`]) already.
pub fn describe_parsed(parsed: &errseq_scenario::Parsed) -> Result<String, String> {
    let blocks = Program::compile(parsed).blocks;
    if blocks.is_empty() {
        return Err(NO_PAR.to_owned());
    }
    let title =
        parsed.scenario.title.as_deref().map_or_else(|| "The scenario".to_owned(), |t| format!("“{t}”"));
    let lines: Vec<String> = parsed.source.blocks.iter().map(|s| s.line.to_string()).collect();
    let tasks: Vec<String> = blocks.iter().map(|b| b.len().to_string()).collect();
    Ok(match blocks.len() {
        1 => format!("{title}: one par block (line {}) of {} tasks.", lines.join(""), tasks.join("")),
        n => format!("{title}: {n} par blocks (lines {}) of {} tasks.", lines.join(", "), tasks.join(", ")),
    })
}

const NO_PAR: &str =
    "This scenario has no par block, so none of its calls run concurrently. Put the calls that \
                      race between `par` and `end` (one task a line), or open an example with one (Examples: \
                      the findings).";

/// The scenario, or the message that says what is wrong with it.
pub fn parse(text: &str) -> Result<errseq_scenario::Parsed, String> {
    errseq_scenario::parse(text).map_err(|d| {
        let first = d.first().map_or_else(|| "it does not parse".to_owned(), ToString::to_string);
        let more = match d.len() {
            0 | 1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        format!("The scenario has a problem at {first}{more}. Fix it in the Playground tab, then run again.")
    })
}

/// Why a scenario cannot be run on workers, said so that the user knows
/// what to do. `scheme` may be one the scenario writes; a fault of its C
/// in the events before a block or in any interleaving of one is said
/// with its line:col, and nothing runs.
pub fn prepare(text: &str, scheme: SchemeKey) -> Result<Prepared, String> {
    let parsed = parse(text)?;
    let program = Program::compile(&parsed);
    if program.blocks.is_empty() {
        return Err(NO_PAR.to_owned());
    }
    let runner = Runner::new(&program, scheme).ok_or_else(|| {
        format!("The scenario writes no scheme `{scheme}`. Choose another scheme, or write it in the Playground tab.")
    })?;
    let fs = parsed.scenario.fs();
    let stmts: Vec<String> = parsed
        .scenario
        .stmts()
        .map(|(s, _)| match &s.label {
            Some(l) => format!("{} as {l}", s.event),
            None => s.event.to_string(),
        })
        .collect();
    let mut cells = vec![0u32; program.layout.len];
    let mut done = 0;
    let mut budget = BOUNDS.max_states;
    let mut blocks = Vec::new();
    for (b, range) in program.blocks.iter().enumerate() {
        let line = parsed.source.blocks.get(b).map_or(0, |s| s.line);
        for &op in &program.ops[done..range.start] {
            errseq::complete(runner.run(
                &mut Machine { cells: &mut cells, layout: &program.layout },
                fs,
                &program.layout,
                op,
            ));
        }
        let ops = &program.ops[range.clone()];
        let found = match &runner {
            Runner::BuiltIn(s) => {
                explore_block(Cx { scheme: *s, fs, layout: &program.layout }, ops, &cells, &mut budget)
            }
            Runner::Written(w) => {
                explore_block(Cx { scheme: w, fs, layout: &program.layout }, ops, &cells, &mut budget)
            }
        };
        if let Some(fault) = runner.fault() {
            return Err(format!(
                "The scheme faults before or in the par block of line {line}: {fault}. Fix it in the Playground \
                 tab, then run again."
            ));
        }
        let (expected, states) = found.map_err(|e| {
            format!(
                "The explorer cannot explore the par block of line {line} under {scheme}: {e}. Without its \
                 outcomes the workers' could not be judged, so nothing ran."
            )
        })?;
        blocks.push(BlockPlan {
            line,
            calls: stmts[range.clone()].to_vec(),
            initial: cells.clone(),
            expected,
            states,
        });
        // The next block starts after this one's tasks, one after the other.
        done = range.start;
    }
    Ok(Prepared { scheme, text: text.to_owned(), cells_len: program.layout.len as u32, blocks })
}

/// The explorer's joint outcomes of one block's `ops` from `cells`, with
/// their interleaving counts, and the states it visited.
#[allow(clippy::type_complexity)]
fn explore_block<S: Algorithm>(
    cx: Cx<'_, S>,
    ops: &[Op],
    cells: &[u32],
    budget: &mut usize,
) -> Result<(Vec<(Vec<Option<Ret>>, u128)>, usize), errseq_explorer::SearchError> {
    let layout: &Layout = cx.layout;
    let tasks: Vec<OpTask<'_, S>> = ops.iter().map(|&op| OpTask { cx, op }).collect();
    let found = explore(&tasks, cells.to_vec(), &ModelMachine { layout }, BOUNDS, budget)?;
    let mut expected: BTreeMap<Vec<Option<Ret>>, u128> = BTreeMap::new();
    for t in found.terminals {
        let n = expected.entry(t.outputs).or_default();
        *n = n.saturating_add(t.count);
    }
    Ok((expected.into_iter().collect(), found.states))
}

#[cfg(test)]
mod tests {
    use super::*;
    use errseq::{Errno, Scheme};

    const FINDING_2: &str = include_str!("../../../../examples/findings/2-unserialized-syncfs.errseq");

    #[test]
    fn a_block_gets_its_calls_start_cells_and_the_explorers_outcomes() {
        let p = prepare(FINDING_2, Scheme::Linux58.into()).expect("finding 2 runs");
        assert_eq!(p.blocks.len(), 1);
        let b = &p.blocks[0];
        assert_eq!(b.calls, ["syncfs a as x", "error f EIO", "syncfs b as y"]);
        assert_eq!(b.initial.len(), p.cells_len as usize);
        let eio = Some(Ret::err(Errno::EIO));
        // Both syncfs calls can report the one error (the finding).
        assert!(b.expected.iter().any(|(r, _)| r == &vec![eio, None, eio]), "{:?}", b.expected);
        assert!(b.expected.iter().all(|(r, n)| r.len() == 3 && r[1].is_none() && *n > 0));
    }

    #[test]
    fn the_block_outcomes_are_the_explorers_for_the_scenario() {
        // One block with nothing after it: the explorer's joint outcomes of
        // the whole scenario, cut to the block's calls, are the block's.
        let text = "open a f\ndup b a\npar\n  syncfs a\n  error f EIO\n  syncfs b\nend\n";
        let p = prepare(text, Scheme::Linux58.into()).expect("runs");
        let parsed = errseq_scenario::parse(text).expect("parses");
        let program = Program::compile(&parsed);
        let mut budget = BOUNDS.max_states;
        let whole = errseq_explorer::explore_scheme(
            &program,
            Scheme::Linux58,
            parsed.scenario.fs(),
            BOUNDS,
            &mut budget,
        )
        .expect("explores");
        let mut cut: BTreeMap<Vec<Option<Ret>>, u128> = BTreeMap::new();
        for o in whole.outcomes {
            *cut.entry(o.results[2..5].to_vec()).or_default() += o.count;
        }
        assert_eq!(p.blocks[0].expected, cut.into_iter().collect::<Vec<_>>());
    }

    #[test]
    fn scenarios_that_cannot_run_say_why() {
        let why = prepare("open a f\nfsync a\n", Scheme::Linux58.into()).expect_err("no par");
        assert!(why.starts_with("This scenario has no par block"), "{why}");
        let why = prepare("open a f\nfsync b\n", Scheme::Linux58.into()).expect_err("bad fd");
        assert!(why.starts_with("The scenario has a problem at 2:"), "{why}");
        assert!(why.ends_with("Fix it in the Playground tab, then run again."), "{why}");
        let tasks = "  fsync a\n".repeat(17);
        let why =
            prepare(&format!("open a f\npar\n{tasks}end\n"), Scheme::Linux58.into()).expect_err("17 tasks");
        assert!(
            why.starts_with("The explorer cannot explore the par block of line 2 under linux-5.8"),
            "{why}"
        );
    }

    #[test]
    fn the_mode_says_what_it_would_run() {
        assert_eq!(
            describe(FINDING_2),
            Ok("“finding 2: syncfs advances f_sb_err without f_lock, and can report twice”: one par block \
                (line 16) of 3 tasks."
                .to_owned())
        );
        let two = "open a f\npar\n  fsync a\n  fsync a\nend\npar\n  fsync a\n  error f EIO\n  fsync a\nend\n";
        assert_eq!(describe(two), Ok("The scenario: 2 par blocks (lines 2, 6) of 2, 3 tasks.".to_owned()));
        assert_eq!(describe("open a f\n"), Err(NO_PAR.to_owned()));
        assert!(describe("open a f\nfsnyc a\n")
            .is_err_and(|e| e.starts_with("The scenario has a problem at 2:1")));
    }

    /// 4.17's own source as a written scheme explores to the built-in's
    /// outcomes and counts; a written scheme that faults, or one the text
    /// does not write, is said, not run.
    #[test]
    fn a_written_scheme_is_prepared_like_its_base_or_said_why_not() {
        let source = include_str!("../../../../crates/lang/src/bases/linux-4.17.c");
        let body = "open a f\ndup b a\npar\n  fsync a\n  error f EIO\n  fsync b\nend\n";
        let text = format!("scheme copy from linux-4.17\n{source}end\n{body}");
        let copy = errseq::WrittenName::new("copy").expect("a name");
        let written = prepare(&text, SchemeKey::Written(copy)).expect("runs");
        let built_in = prepare(&text, Scheme::Linux417.into()).expect("runs");
        assert_eq!(written.blocks[0].expected, built_in.blocks[0].expected);
        assert_eq!(written.blocks[0].states, built_in.blocks[0].states);
        assert_eq!(written.scheme.to_string(), "copy");

        let spin = "scheme spin from linux-4.17\nint errseq_check(errseq_t *eseq, errseq_t since)\n{\n\tfor (;;) { }\n}\nend\n";
        let name = errseq::WrittenName::new("spin").expect("a name");
        let why = prepare(&format!("{spin}{body}"), SchemeKey::Written(name)).expect_err("faults");
        assert!(why.contains("4:2: scheme `spin`: this call went round its loops"), "{why}");
        let why = prepare(body, SchemeKey::Written(name)).expect_err("not written");
        assert!(why.starts_with("The scenario writes no scheme `spin`"), "{why}");
    }

    #[test]
    fn a_later_block_starts_after_the_earlier_one() {
        let text = "open a f\npar\n  error f EIO\n  fsync a\nend\npar\n  fsync a\n  fsync a\nend\n";
        let p = prepare(text, Scheme::Linux58.into()).expect("runs");
        assert_eq!(p.blocks.len(), 2);
        assert_eq!(p.blocks[1].line, 6);
        assert_ne!(p.blocks[0].initial, p.blocks[1].initial, "the error is in the word by then");
    }
}
