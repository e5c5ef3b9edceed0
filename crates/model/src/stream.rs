//! One scheme's run, one event at a time, keeping only the current state.
//!
//! [`crate::Evaluation`] keeps the state after every event, which the
//! page's inspector reads in any order; that costs events × state in
//! memory (10,000 files over 10,000 events is gigabytes). A view that goes
//! through the events in order (`errseq run --scheme` prints the state
//! after each, `errseq run` only the results) steps through them here
//! instead: memory is one state and the fd table, time linear in the
//! events.

use errseq::{Ret, Scheme, SchemeKey};
use errseq_scenario::Fs;

use crate::column::{Runner, SchemeFault};
use crate::kernel::Machine;
use crate::program::{FdChange, OpenFd, Program};
use crate::state::State;

/// A run in progress: the cells and the fd table after the events so far.
pub struct Stepper<'a> {
    program: &'a Program,
    runner: Runner<'a>,
    fs: Fs,
    cells: Vec<u32>,
    /// Events run so far.
    done: usize,
    /// Open fds in the order opened, kept as the events bind and unbind
    /// them ([`Program::fds_after`] replays every event each time).
    fds: Vec<OpenFd>,
}

impl<'a> Stepper<'a> {
    pub fn new(program: &'a Program, scheme: Scheme, fs: Fs) -> Stepper<'a> {
        Stepper::with(program, Runner::BuiltIn(scheme), fs)
    }

    /// A run of the column `key`, built-in or written; `None` for a
    /// written scheme the program does not hold.
    pub fn column(program: &'a Program, key: SchemeKey, fs: Fs) -> Option<Stepper<'a>> {
        Runner::new(program, key).map(|r| Stepper::with(program, r, fs))
    }

    fn with(program: &'a Program, runner: Runner<'a>, fs: Fs) -> Stepper<'a> {
        Stepper { program, runner, fs, cells: vec![0; program.layout.len], done: 0, fds: Vec::new() }
    }

    /// The first fault a written scheme met so far: the events after it
    /// mean nothing.
    pub fn fault(&self) -> Option<SchemeFault> {
        self.runner.fault()
    }

    /// Runs the next event to completion: its number and its result
    /// (`None` for calls that return nothing), or `None` after the last.
    pub fn step(&mut self) -> Option<(usize, Option<Ret>)> {
        let event = self.done;
        let &op = self.program.ops.get(event)?;
        let mut k = Machine { cells: &mut self.cells, layout: &self.program.layout };
        let result = errseq::complete(self.runner.run(&mut k, self.fs, &self.program.layout, op));
        match self.program.fd_changes.get(event) {
            Some(FdChange::Bind(fd, desc)) => self.fds.push(OpenFd { fd: fd.clone(), desc: *desc }),
            // Linear in the open fds, as the state dump that follows is.
            Some(FdChange::Unbind(fd)) => self.fds.retain(|o| &o.fd != fd),
            Some(FdChange::None) | None => {}
        }
        self.done += 1;
        Some((event, result))
    }

    /// The state after the events run so far.
    pub fn state(&self) -> State<'_> {
        State::with_fds(self.program, self.runner.base(), &self.cells, self.done, &self.fds)
    }
}

/// Every event's result under `scheme`, in event order.
pub fn results(program: &Program, scheme: Scheme, fs: Fs) -> Vec<Option<Ret>> {
    let mut s = Stepper::new(program, scheme, fs);
    std::iter::from_fn(|| s.step().map(|(_, r)| r)).collect()
}
