//! The kernel model behind the playground: files with their page cache and
//! storage, open file descriptions, a superblock, and the system calls of
//! a scenario run on them under each writeback-error scheme.
//!
//! Data flows one way: a checked scenario ([`errseq_scenario::Parsed`]) is
//! compiled into a [`Program`] (names resolved to cells of one flat state,
//! see [`layout`]); [`Evaluation`] runs the program under each scheme,
//! keeping every result and the state after every event; [`State`] reads a
//! snapshot back as files, pages and descriptions for the views.
//!
//! The calls themselves ([`kernel::run`]) are generic over [`Kernel`], so
//! the explorer runs the very same code one atomic step at a time.

pub mod column;
pub mod eval;
pub mod index;
pub mod kernel;
pub mod layout;
pub mod program;
pub mod read;
pub mod state;
pub mod stream;

pub use column::{Algorithm, Runner, SchemeFault, WrittenRun};
pub use eval::{EvalError, Evaluation, Mismatch, Run};
pub use kernel::{Cx, Kernel, PageStep, SyncMode};
pub use layout::Layout;
pub use program::{Op, Program, SlotId};
pub use state::{DescState, FileState, PageState, State};
pub use stream::Stepper;
