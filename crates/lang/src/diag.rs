//! What goes wrong, as values: diagnostics at check time, faults at run
//! time. Both carry a position the page can underline; neither is ever a
//! panic.

use alloc::string::String;
use core::fmt;

/// Where a piece of text sits: 1-based line (already offset by the
/// caller's `first_line`) and column (in characters), and its length in
/// characters (at least 1).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub line: u32,
    pub col: u32,
    pub len: u32,
}

/// Whose text a position is in: the user's scheme block, or the base's
/// built-in source (a function the scheme inherits).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origin {
    Scheme,
    Base(errseq::Scheme),
}

/// A place in the source: a span and whose text it is in.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Site {
    pub span: Span,
    pub origin: Origin,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A parse or check message. [`crate::compile`] fails if any is an error;
/// warnings alone come back with the program ([`crate::Program::warnings`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub site: Site,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let s = self.site.span;
        match self.site.origin {
            Origin::Scheme => write!(f, "{}:{}: {sev}: {}", s.line, s.col, self.message),
            Origin::Base(b) => write!(f, "{b} source {}:{}: {sev}: {}", s.line, s.col, self.message),
        }
    }
}

/// What stopped a call of the scheme before it returned.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum FaultKind {
    /// The call went round its loops this many times without returning.
    EndlessLoop {
        rounds: u32,
    },
    /// `spin_unlock` of `f_lock` when this call does not hold it.
    UnlockNotHeld,
    /// `spin_lock` of `f_lock` when this call already holds it: it would
    /// wait for itself forever.
    SelfDeadlock,
    /// The entry point returned with `f_lock` still held.
    ReturnHoldingLock,
    DivisionByZero,
    /// A shift by a negative amount or by 32 or more.
    BadShift {
        by: i64,
    },
    /// A check returned something that is neither 0 nor -errno.
    BadReturn {
        value: i32,
    },
}

/// A runtime fault: where, and what.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fault {
    pub site: Site,
    pub kind: FaultKind,
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            FaultKind::EndlessLoop { rounds } => {
                write!(f, "this call went round its loops {rounds} times without returning: an endless loop?")
            }
            FaultKind::UnlockNotHeld => f.write_str("spin_unlock of f_lock, which this call does not hold"),
            FaultKind::SelfDeadlock => f.write_str(
                "spin_lock of f_lock, which this call already holds: it would wait for itself forever",
            ),
            FaultKind::ReturnHoldingLock => {
                f.write_str("the call returns still holding f_lock: spin_unlock it on every path")
            }
            FaultKind::DivisionByZero => f.write_str("division by zero"),
            FaultKind::BadShift { by } => {
                write!(f, "shift by {by}: a 32-bit value can only be shifted by 0 to 31")
            }
            FaultKind::BadReturn { value } => {
                write!(f, "returned {value}: a check must return 0 or a negative errno (-1 to -MAX_ERRNO)")
            }
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.site.span;
        match self.site.origin {
            Origin::Scheme => write!(f, "{}:{}: {}", s.line, s.col, self.kind),
            Origin::Base(b) => write!(f, "{b} source {}:{}: {}", s.line, s.col, self.kind),
        }
    }
}
