//! Pausing a task between two atomic steps, by replay.
//!
//! A task is ordinary code (the algorithms of `errseq`, the calls of
//! `errseq-model`); it cannot be suspended mid-function. Instead, a task's
//! progress is the list of values its steps have returned so far. To learn
//! its next step we run it from the start on a [`Replay`] memory that
//! answers each step from that list and, at the first step beyond it,
//! records the step and stops the task. The code is deterministic given
//! those values, so replaying always retraces the same path; and because
//! the progress is plain data, the explorer can hash and compare it.

use errseq::{Action, Memory};
use errseq_model::{Kernel, PageStep};

/// One atomic step a task wants to take next.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    Core(Action),
    /// A core action whose value the task ignores.
    Ignored(Action),
    Page(PageStep),
}

impl Step {
    /// The core action, if this is one.
    pub fn action(self) -> Option<Action> {
        match self {
            Step::Core(a) | Step::Ignored(a) => Some(a),
            Step::Page(_) => None,
        }
    }

    /// What a task's history records for the step's value: the value, or
    /// 0 when the task ignores it (so tasks that differ only there are one
    /// state).
    pub fn recorded(self, value: u32) -> u32 {
        match self {
            Step::Ignored(_) => 0,
            _ => value,
        }
    }
}

/// Answers steps from a history of results. It stops a task with the
/// first step beyond the history: that step is the task's next.
pub struct Replay<'h> {
    history: &'h [u32],
    pos: usize,
}

impl<'h> Replay<'h> {
    pub fn new(history: &'h [u32]) -> Replay<'h> {
        Replay { history, pos: 0 }
    }

    fn answer(&mut self, step: Step) -> Result<u32, Step> {
        let v = *self.history.get(self.pos).ok_or(step)?;
        self.pos += 1;
        Ok(v)
    }
}

impl Memory for Replay<'_> {
    type Stop = Step;

    fn step(&mut self, action: Action) -> Result<u32, Step> {
        self.answer(Step::Core(action))
    }

    fn ignoring(&mut self, action: Action) -> Result<(), Step> {
        self.answer(Step::Ignored(action)).map(drop)
    }
}

impl Kernel for Replay<'_> {
    fn page_step(&mut self, step: PageStep) -> Result<u32, Step> {
        self.answer(Step::Page(step))
    }
}

/// A task's result, stored in one word of a state.
pub trait Word: Copy + Eq + Ord + std::hash::Hash + std::fmt::Debug {
    fn to_word(self) -> u32;
    fn from_word(w: u32) -> Self;
}

/// A call's result: `u32::MAX` for calls that return nothing.
impl Word for Option<errseq::Ret> {
    fn to_word(self) -> u32 {
        self.map_or(u32::MAX, errseq::Ret::code)
    }

    fn from_word(w: u32) -> Self {
        (w != u32::MAX).then(|| errseq::Ret::from_code(w))
    }
}

impl Word for errseq::Ret {
    fn to_word(self) -> u32 {
        self.code()
    }

    fn from_word(w: u32) -> Self {
        errseq::Ret::from_code(w)
    }
}

/// Code the explorer can run one step at a time.
pub trait Task {
    type Output: Word;

    fn run<K: Kernel>(&self, k: &mut K) -> Result<Self::Output, K::Stop>;
}

/// Where a task stands, given the results of its steps so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress<O> {
    /// It wants to take this step next.
    Next(Step),
    /// It returned.
    Done(O),
}

/// Replays `task` over `history` to find its next step or its result.
pub fn progress<T: Task>(task: &T, history: &[u32]) -> Progress<T::Output> {
    match task.run(&mut Replay::new(history)) {
        Ok(out) => Progress::Done(out),
        Err(step) => Progress::Next(step),
    }
}
