//! Sequential evaluation: each scheme runs the scenario's events to
//! completion, one after the other, keeping every call's result and a copy
//! of the whole state after every event.

use std::convert::Infallible;
use std::fmt;

use errseq::{Ret, Scheme, SchemeKey, SchemeName};
use errseq_scenario::{Outcome, Parsed};

use crate::column::{Algorithm, Runner, SchemeFault};
use crate::kernel::{run, Cx, Machine};
use crate::program::Program;
use crate::state::State;

/// Why a scenario cannot be evaluated sequentially.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvalError {
    /// `par` blocks need the interleaving explorer.
    Concurrent { line: u32 },
    /// A written scheme's call faulted (an endless loop, a lock misused,
    /// a bad return value).
    Fault(SchemeFault),
    /// A column names a written scheme the program does not hold (a
    /// program compiled from another scenario).
    NoScheme(SchemeName),
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::Concurrent { line } => write!(
                f,
                "{line}:1: this scenario has a `par` block; concurrent tasks are evaluated by the explorer (`errseq explore`)"
            ),
            EvalError::Fault(fault) => fault.fmt(f),
            EvalError::NoScheme(name) => write!(f, "1:1: the scenario writes no scheme `{name}`"),
        }
    }
}

impl std::error::Error for EvalError {}

/// One scheme's run: results and the state after each event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// The built-in scheme run, or the one a written scheme starts from
    /// (whose state it keeps: see [`Run::key`] for which it is).
    pub scheme: Scheme,
    /// Which scheme ran.
    pub key: SchemeKey,
    /// By event number; `None` for calls that return nothing.
    pub results: Vec<Option<Ret>>,
    /// `states[i * len .. (i + 1) * len]` is the state after event `i`.
    states: Vec<u32>,
    len: usize,
}

impl Run {
    /// Runs every event of `program` under the built-in `scheme`.
    pub fn new(program: &Program, scheme: Scheme, fs: errseq_scenario::Fs) -> Run {
        let cx = Cx { scheme, fs, layout: &program.layout };
        match Run::record(program, cx, |_| Ok::<(), Infallible>(())) {
            Ok((results, states)) => {
                Run { scheme, key: scheme.into(), results, states, len: program.layout.len }
            }
            Err((_, never)) => match never {},
        }
    }

    /// Runs every event of `program` under `runner`, or says which event
    /// a written scheme faulted in.
    pub fn of(
        program: &Program,
        runner: &Runner<'_>,
        fs: errseq_scenario::Fs,
    ) -> Result<Run, (usize, SchemeFault)> {
        let (results, states) = match runner {
            Runner::BuiltIn(scheme) => return Ok(Run::new(program, *scheme, fs)),
            Runner::Written(w) => {
                let cx = Cx { scheme: w, fs, layout: &program.layout };
                Run::record(program, cx, |w| w.fault().map_or(Ok(()), Err))?
            }
        };
        Ok(Run { scheme: runner.base(), key: runner.key(), results, states, len: program.layout.len })
    }

    /// Every event's result and the cells after it; `check` is asked
    /// after each event whether the scheme faulted.
    #[allow(clippy::type_complexity)]
    fn record<S: Algorithm, E>(
        program: &Program,
        cx: Cx<'_, S>,
        check: impl Fn(S) -> Result<(), E>,
    ) -> Result<(Vec<Option<Ret>>, Vec<u32>), (usize, E)> {
        let len = program.layout.len;
        let events = program.ops.len();
        let mut cells = vec![0u32; len];
        let mut results = Vec::with_capacity(events);
        let mut states = Vec::with_capacity(events * len);
        for (event, &op) in program.ops.iter().enumerate() {
            let mut k = Machine { cells: &mut cells, layout: &program.layout };
            results.push(errseq::complete(run(&mut k, cx, op)));
            check(cx.scheme).map_err(|e| (event, e))?;
            states.extend_from_slice(&cells);
        }
        Ok((results, states))
    }

    /// The cells after `event` (0-based).
    pub fn cells_after(&self, event: usize) -> &[u32] {
        &self.states[event * self.len..(event + 1) * self.len]
    }
}

/// A scenario evaluated under each of its schemes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation {
    pub program: Program,
    /// One run per distinct scheme.
    pub runs: Vec<Run>,
    /// The scenario's columns, as it names them, and the run of each.
    pub columns: Vec<(SchemeName, usize)>,
}

/// An expectation that does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub event: usize,
    pub column: usize,
    pub expected: Outcome,
    pub actual: Ret,
}

impl Evaluation {
    /// Evaluates every column: built-in schemes and the schemes the
    /// scenario writes.
    pub fn new(p: &Parsed) -> Result<Evaluation, EvalError> {
        Evaluation::with(p, |program, name| {
            let runner = Runner::new(program, name.resolve()).ok_or(EvalError::NoScheme(name))?;
            Run::of(program, &runner, p.scenario.fs())
                .map_err(|(event, f)| EvalError::Fault(f.in_event(p, event)))
        })
    }

    /// [`Evaluation::new`] for a scenario that writes no scheme: a column
    /// of a written scheme is [`EvalError::NoScheme`]. It never reaches
    /// the scheme language's interpreter, so a caller that must not link
    /// it (the page's first load, which leaves written schemes to its
    /// deferred module) links none.
    pub fn built_in(p: &Parsed) -> Result<Evaluation, EvalError> {
        Evaluation::with(p, |program, name| match name.resolve() {
            SchemeKey::BuiltIn(scheme) => Ok(Run::new(program, scheme, p.scenario.fs())),
            SchemeKey::Written(_) => Err(EvalError::NoScheme(name)),
        })
    }

    /// Runs each distinct column once, with `run`.
    fn with(
        p: &Parsed,
        run: impl Fn(&Program, SchemeName) -> Result<Run, EvalError>,
    ) -> Result<Evaluation, EvalError> {
        if let Some(line) = p.source.blocks.first().map(|s| s.line) {
            return Err(EvalError::Concurrent { line });
        }
        let program = Program::compile(p);
        let mut runs: Vec<Run> = Vec::new();
        let mut columns = Vec::new();
        for name in p.scenario.scheme_names() {
            let key = name.resolve();
            let index = match runs.iter().position(|r| r.key == key) {
                Some(i) => i,
                None => {
                    runs.push(run(&program, name)?);
                    runs.len() - 1
                }
            };
            columns.push((name, index));
        }
        Ok(Evaluation { program, runs, columns })
    }

    pub fn run(&self, column: usize) -> &Run {
        &self.runs[self.columns[column].1]
    }

    /// The result of `event` in each column.
    pub fn row(&self, event: usize) -> impl Iterator<Item = Option<Ret>> + '_ {
        (0..self.columns.len()).map(move |c| self.run(c).results[event])
    }

    /// Whether the columns disagree on `event`.
    pub fn differs(&self, event: usize) -> bool {
        let mut row = self.row(event);
        let first = row.next().flatten();
        row.any(|r| r != first)
    }

    /// The state after `event` under the scheme of `column`.
    pub fn state_after(&self, column: usize, event: usize) -> State<'_> {
        let run = self.run(column);
        State::new(&self.program, run.scheme, run.cells_after(event), event + 1)
    }

    /// Every expectation of `p` that does not hold, by event then column.
    pub fn mismatches(&self, p: &Parsed) -> Vec<Mismatch> {
        let mut out = Vec::new();
        for (event, (stmt, _)) in p.scenario.stmts().enumerate() {
            let Some(expect) = &stmt.expect else { continue };
            for (column, (name, _)) in self.columns.iter().enumerate() {
                let Some(actual) = self.run(column).results[event] else { continue };
                if let Some(expected) = expect.unmet(name.resolve(), actual) {
                    out.push(Mismatch { event, column, expected: expected.clone(), actual });
                }
            }
        }
        out
    }
}
