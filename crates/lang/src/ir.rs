//! The compiled form the interpreter runs: per function, a flat list of
//! register operations with jumps. Locals and temporaries live in
//! numbered registers (no names at run time); shared memory is reached
//! only through the memory operations, each one [`errseq::Action`].

use alloc::string::String;
use alloc::vec::Vec;

use crate::ast::Ty;
use crate::diag::FaultKind;

/// A register: a local's or a temporary's slot in the function's frame.
pub type Reg = u8;

/// Registers one function may use (locals, parameters and temporaries).
pub const MAX_REGS: usize = 250;

/// An arithmetic or comparison operation on 32-bit values, signedness
/// decided at compile time (C's usual arithmetic conversions).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Bin {
    Add,
    Sub,
    Mul,
    DivU,
    DivS,
    RemU,
    RemS,
    And,
    Or,
    Xor,
    Shl,
    ShrU,
    ShrS,
    Eq,
    Ne,
    LtU,
    LtS,
    LeU,
    LeS,
    GtU,
    GtS,
    GeU,
    GeS,
}

impl Bin {
    /// The comparison that is true exactly when this one is false.
    pub fn invert(self) -> Option<Bin> {
        Some(match self {
            Bin::Eq => Bin::Ne,
            Bin::Ne => Bin::Eq,
            Bin::LtU => Bin::GeU,
            Bin::LtS => Bin::GeS,
            Bin::LeU => Bin::GtU,
            Bin::LeS => Bin::GtS,
            Bin::GtU => Bin::LeU,
            Bin::GtS => Bin::LeS,
            Bin::GeU => Bin::LtU,
            Bin::GeS => Bin::LtS,
            _ => return None,
        })
    }

    /// The comparison with its operands swapped (`a < b` is `b > a`).
    pub fn mirror(self) -> Bin {
        match self {
            Bin::LtU => Bin::GtU,
            Bin::LtS => Bin::GtS,
            Bin::LeU => Bin::GeU,
            Bin::LeS => Bin::GeS,
            Bin::GtU => Bin::LtU,
            Bin::GtS => Bin::LtS,
            Bin::GeU => Bin::LeU,
            Bin::GeS => Bin::LeS,
            other => other,
        }
    }

    /// Whether the operation can fault (division, shifts).
    pub fn can_fault(self) -> bool {
        matches!(self, Bin::DivU | Bin::DivS | Bin::RemU | Bin::RemS | Bin::Shl | Bin::ShrU | Bin::ShrS)
    }

    /// C's result of `a op b` on 32-bit values.
    #[inline]
    pub fn apply(self, a: u32, b: u32) -> Result<u32, FaultKind> {
        let (sa, sb) = (a as i32, b as i32);
        Ok(match self {
            Bin::Add => a.wrapping_add(b),
            Bin::Sub => a.wrapping_sub(b),
            Bin::Mul => a.wrapping_mul(b),
            Bin::DivU => a.checked_div(b).ok_or(FaultKind::DivisionByZero)?,
            Bin::RemU => a.checked_rem(b).ok_or(FaultKind::DivisionByZero)?,
            Bin::DivS if b == 0 => return Err(FaultKind::DivisionByZero),
            Bin::RemS if b == 0 => return Err(FaultKind::DivisionByZero),
            Bin::DivS => sa.wrapping_div(sb) as u32,
            Bin::RemS => sa.wrapping_rem(sb) as u32,
            Bin::And => a & b,
            Bin::Or => a | b,
            Bin::Xor => a ^ b,
            Bin::Shl => a << shift(b)?,
            Bin::ShrU => a >> shift(b)?,
            Bin::ShrS => (sa >> shift(b)?) as u32,
            Bin::Eq => u32::from(a == b),
            Bin::Ne => u32::from(a != b),
            Bin::LtU => u32::from(a < b),
            Bin::LtS => u32::from(sa < sb),
            Bin::LeU => u32::from(a <= b),
            Bin::LeS => u32::from(sa <= sb),
            Bin::GtU => u32::from(a > b),
            Bin::GtS => u32::from(sa > sb),
            Bin::GeU => u32::from(a >= b),
            Bin::GeS => u32::from(sa >= sb),
        })
    }
}

/// The shift amount, if it is one C defines for 32 bits. The amount is
/// read as signed: a negative `int` shift is reported as negative.
#[inline]
fn shift(b: u32) -> Result<u32, FaultKind> {
    if b < 32 {
        Ok(b)
    } else {
        Err(FaultKind::BadShift { by: i64::from(b as i32) })
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Un {
    Neg,
    BitNot,
    /// `!x`
    Not,
    /// `!!x`: conversion to bool.
    Bool,
}

impl Un {
    #[inline]
    pub fn apply(self, a: u32) -> u32 {
        match self {
            Un::Neg => a.wrapping_neg(),
            Un::BitNot => !a,
            Un::Not => u32::from(a == 0),
            Un::Bool => u32::from(a != 0),
        }
    }
}

/// Where a memory operation's cell is: a pointer in a register, or one of
/// the call's fixed cells.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Loc {
    Reg(Reg),
    /// `file->f_mapping->wb_err`.
    MappingWord,
    /// `file->f_wb_err`.
    FileCursor,
}

/// One operation. `at` indexes the program's table of source sites, for
/// faults and for the observer of memory steps.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    Const {
        dst: Reg,
        k: u32,
    },
    Mov {
        dst: Reg,
        src: Reg,
    },
    Bin {
        op: Bin,
        dst: Reg,
        a: Reg,
        b: Reg,
        at: u32,
    },
    BinK {
        op: Bin,
        dst: Reg,
        a: Reg,
        k: u32,
        at: u32,
    },
    Un {
        op: Un,
        dst: Reg,
        a: Reg,
    },
    Jmp {
        to: u32,
    },
    /// Jump if the register is zero.
    Jz {
        c: Reg,
        to: u32,
    },
    Jnz {
        c: Reg,
        to: u32,
    },
    /// Jump if the comparison `a op b` holds (a compare fused with its
    /// branch: conditions are most of a scheme's code).
    Br {
        op: Bin,
        a: Reg,
        b: Reg,
        to: u32,
    },
    BrK {
        op: Bin,
        a: Reg,
        k: u32,
        to: u32,
    },
    /// A loop's back edge: counts a round against the budget, then jumps.
    Loop {
        to: u32,
        at: u32,
    },
    /// The address of a fixed cell, into a register (for a pointer).
    Addr {
        dst: Reg,
        loc: Loc,
    },
    Load {
        dst: Reg,
        loc: Loc,
        at: u32,
    },
    /// A load whose value is unused (`Memory::ignoring`).
    LoadIgnored {
        loc: Loc,
        at: u32,
    },
    Store {
        loc: Loc,
        val: Reg,
        at: u32,
    },
    Cmpxchg {
        dst: Reg,
        loc: Loc,
        old: Reg,
        new: Reg,
        at: u32,
    },
    /// A cmpxchg whose value is unused (`Memory::ignoring`).
    CmpxchgIgnored {
        loc: Loc,
        old: Reg,
        new: Reg,
        at: u32,
    },
    Lock {
        at: u32,
    },
    Unlock {
        at: u32,
    },
    /// Calls `func` with `n` arguments in registers `args..args+n`; the
    /// result goes to `dst`.
    Call {
        func: u16,
        args: Reg,
        n: u8,
        dst: Reg,
    },
    Ret {
        src: Reg,
        at: u32,
    },
    RetVoid {
        at: u32,
    },
}

/// One compiled function.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Func {
    pub name: String,
    pub ret: Ty,
    pub params: Vec<Ty>,
    pub code: Vec<Op>,
    /// Registers this function's own frame uses.
    pub frame: usize,
    /// Registers it needs with its deepest chain of callees.
    pub need: usize,
}
