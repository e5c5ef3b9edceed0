//! The interleaving explorer: every order in which the atomic steps of
//! concurrent calls can happen, under each scheme.
//!
//! The seed thread argues about races ("should we loop?", "can we skip
//! the cmpxchg when old == new?"); this crate settles them by enumeration.
//! The tasks of a `par` block are the model's own calls, run one atomic
//! step at a time by replay ([`replay`]): a task's progress is the list of
//! values its steps have returned, so a state (cells plus progress) can be
//! hashed, and interleavings that meet in one state are explored once
//! ([`search`]). A scenario's results are its joint outcomes: each
//! distinct vector of call results, with how many interleavings give it
//! and the smallest schedule that does ([`scenario`]). Expectations and
//! claims are checked against them ([`verdict`]); a violation comes with a
//! counterexample that [`trace`] replays step by step, and that a short,
//! versioned replay string ([`replay_string`]) reopens.

mod fx;
pub mod replay;
pub mod replay_string;
pub mod scenario;
pub mod search;
pub mod trace;
pub mod verdict;

pub use replay::{Step, Task};
pub use scenario::{explore_column, explore_scheme, Exploration, JointOutcome, Schedule};
pub use search::{Bounds, SearchError};
pub use trace::{Trace, TraceStep};
pub use verdict::{check, Report, Violation};
