//! The abstract memory the algorithms run on, one atomic step at a time.
//!
//! Every algorithm in this crate is an ordinary Rust function generic over
//! [`Memory`]; each access it makes to shared state is one [`Action`]
//! passed to [`Memory::step`]. The function never touches shared state any
//! other way, so the sequence of actions *is* the algorithm's atomic
//! structure, and a driver decides what a step means:
//!
//! - [`Cells`] applies each step at once: run to completion.
//! - the explorer answers steps from a recorded history and stops the task
//!   (returns `Err(Stop)`) at the first step it has not decided yet, so it
//!   can interleave tasks step by step and replay any interleaving;
//! - [`crate::atomic::AtomicCells`] and the web worker's driver execute
//!   each step as a real atomic instruction shared by threads.
//!
//! Locks are steps too: `Lock` on a held lock blocks, which the explorer
//! models as "not enabled" and a real driver as spinning.

use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

/// The index of one 32-bit cell of memory.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Addr(pub u32);

impl Addr {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One atomic step. The value a step yields is described on each variant.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// `READ_ONCE`: yields the value.
    Load(Addr),
    /// `WRITE_ONCE` or a plain store under a lock: yields 0.
    Store(Addr, u32),
    /// `cmpxchg`: stores `new` if the cell holds `old`; yields what it held.
    Cmpxchg { at: Addr, old: u32, new: u32 },
    /// `set_bit`: ORs the bits in; yields the previous value.
    FetchOr(Addr, u32),
    /// `clear_bit` / `test_and_clear_bit`: ANDs with the mask; yields the
    /// previous value.
    FetchAnd(Addr, u32),
    /// `spin_lock`: waits until the cell is 0, then holds it; yields 0.
    Lock(Addr),
    /// `spin_unlock`: yields 0.
    Unlock(Addr),
}

/// The value a held lock cell has when nobody says who holds it.
pub const HELD: u32 = 1;

impl Action {
    /// The cell this step touches.
    pub fn addr(self) -> Addr {
        match self {
            Action::Load(a)
            | Action::Store(a, _)
            | Action::FetchOr(a, _)
            | Action::FetchAnd(a, _)
            | Action::Lock(a)
            | Action::Unlock(a) => a,
            Action::Cmpxchg { at, .. } => at,
        }
    }

    /// Whether the step may change memory (for independence of steps).
    pub fn may_write(self) -> bool {
        !matches!(self, Action::Load(_))
    }

    /// Whether the step must wait: a lock somebody holds.
    pub fn is_blocked(self, cells: &[u32]) -> bool {
        matches!(self, Action::Lock(a) if cells[a.index()] != 0)
    }

    /// Performs the step on plain cells. A `Lock` marks the cell with
    /// `holder` (non-zero); callers check [`Action::is_blocked`] first.
    pub fn apply(self, cells: &mut [u32], holder: u32) -> u32 {
        match self {
            Action::Load(a) => cells[a.index()],
            Action::Store(a, v) => {
                cells[a.index()] = v;
                0
            }
            Action::Cmpxchg { at, old, new } => {
                let cur = cells[at.index()];
                if cur == old {
                    cells[at.index()] = new;
                }
                cur
            }
            Action::FetchOr(a, bits) => {
                let prev = cells[a.index()];
                cells[a.index()] = prev | bits;
                prev
            }
            Action::FetchAnd(a, mask) => {
                let prev = cells[a.index()];
                cells[a.index()] = prev & mask;
                prev
            }
            Action::Lock(a) => {
                debug_assert_eq!(cells[a.index()], 0, "lock taken while held");
                cells[a.index()] = holder;
                0
            }
            Action::Unlock(a) => {
                cells[a.index()] = 0;
                0
            }
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Action::Load(a) => write!(f, "load [{}]", a.0),
            Action::Store(a, v) => write!(f, "store [{}] = {v:#010x}", a.0),
            Action::Cmpxchg { at, old, new } => {
                write!(f, "cmpxchg [{}] {old:#010x} -> {new:#010x}", at.0)
            }
            Action::FetchOr(a, b) => write!(f, "fetch_or [{}] {b:#x}", a.0),
            Action::FetchAnd(a, m) => write!(f, "fetch_and [{}] {m:#x}", a.0),
            Action::Lock(a) => write!(f, "lock [{}]", a.0),
            Action::Unlock(a) => write!(f, "unlock [{}]", a.0),
        }
    }
}

/// Shared state as the algorithms see it.
pub trait Memory {
    /// Why a driver may stop a task before a step: the explorer pauses
    /// tasks; drivers that run to completion use `Infallible`.
    type Stop;

    /// Performs one atomic step, or stops the task before it.
    fn step(&mut self, action: Action) -> Result<u32, Self::Stop>;

    /// Performs a step whose value the caller ignores (the kernel's
    /// "result ignored" cmpxchg, `clear_bit`). Saying so lets the explorer
    /// treat tasks that differ only in such values as the same.
    fn ignoring(&mut self, action: Action) -> Result<(), Self::Stop> {
        self.step(action).map(drop)
    }

    fn load(&mut self, at: Addr) -> Result<u32, Self::Stop> {
        self.step(Action::Load(at))
    }
    fn store(&mut self, at: Addr, value: u32) -> Result<(), Self::Stop> {
        self.step(Action::Store(at, value)).map(drop)
    }
    fn cmpxchg(&mut self, at: Addr, old: u32, new: u32) -> Result<u32, Self::Stop> {
        self.step(Action::Cmpxchg { at, old, new })
    }
    fn fetch_or(&mut self, at: Addr, bits: u32) -> Result<u32, Self::Stop> {
        self.step(Action::FetchOr(at, bits))
    }
    fn fetch_and(&mut self, at: Addr, mask: u32) -> Result<u32, Self::Stop> {
        self.step(Action::FetchAnd(at, mask))
    }
    fn lock(&mut self, at: Addr) -> Result<(), Self::Stop> {
        self.step(Action::Lock(at)).map(drop)
    }
    fn unlock(&mut self, at: Addr) -> Result<(), Self::Stop> {
        self.step(Action::Unlock(at)).map(drop)
    }
}

/// Plain cells, each step applied at once: the run-to-completion driver.
/// One task at a time runs on it, so a lock is always free when taken.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Cells(pub Vec<u32>);

impl Cells {
    pub fn new(len: usize) -> Cells {
        Cells(vec![0; len])
    }
}

impl Memory for Cells {
    type Stop = core::convert::Infallible;

    #[inline]
    fn step(&mut self, action: Action) -> Result<u32, Self::Stop> {
        Ok(action.apply(&mut self.0, HELD))
    }
}

/// Runs a task on any memory whose driver never stops: unwraps the
/// `Infallible` without a panic path.
pub fn complete<T>(result: Result<T, core::convert::Infallible>) -> T {
    match result {
        Ok(v) => v,
        Err(never) => match never {},
    }
}

/// Records every step a task takes on top of another memory (for tests,
/// step counts and the CLI's traces).
#[derive(Debug)]
pub struct Recorder<'m, M> {
    pub inner: &'m mut M,
    pub steps: Vec<(Action, u32)>,
}

impl<'m, M: Memory> Recorder<'m, M> {
    pub fn new(inner: &'m mut M) -> Self {
        Recorder { inner, steps: Vec::new() }
    }
}

impl<M: Memory> Memory for Recorder<'_, M> {
    type Stop = M::Stop;

    fn step(&mut self, action: Action) -> Result<u32, Self::Stop> {
        let value = self.inner.step(action)?;
        self.steps.push((action, value));
        Ok(value)
    }
}
