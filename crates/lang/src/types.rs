//! C's typing of the 32-bit arithmetic: which operation signedness an
//! operator gets (the usual arithmetic conversions: both `int` → signed,
//! otherwise unsigned; `bool` promotes to `int`), and the result's type.

use crate::ast::{BinOp, Ty, UnOp};
use crate::ir::{Bin, Un};

/// Integer promotion: `bool` computes as `int`.
pub fn promote(t: Ty) -> Ty {
    if t == Ty::Bool {
        Ty::I32
    } else {
        t
    }
}

/// The common type of two integer operands.
pub fn common(a: Ty, b: Ty) -> Ty {
    if promote(a) == Ty::U32 || promote(b) == Ty::U32 {
        Ty::U32
    } else {
        Ty::I32
    }
}

/// How a binary operator (not `&&`/`||`) computes: the operation, whether
/// the operands are swapped (`a > b` is `b < a`), and the result type.
pub fn binary(op: BinOp, a: Ty, b: Ty) -> (Bin, bool, Ty) {
    let c = common(a, b);
    let signed = c == Ty::I32;
    let pick = |s: Bin, u: Bin| if signed { s } else { u };
    match op {
        BinOp::Add => (Bin::Add, false, c),
        BinOp::Sub => (Bin::Sub, false, c),
        BinOp::Mul => (Bin::Mul, false, c),
        BinOp::Div => (pick(Bin::DivS, Bin::DivU), false, c),
        BinOp::Rem => (pick(Bin::RemS, Bin::RemU), false, c),
        BinOp::And => (Bin::And, false, c),
        BinOp::Or => (Bin::Or, false, c),
        BinOp::Xor => (Bin::Xor, false, c),
        // A shift has the (promoted) type of its left operand.
        BinOp::Shl => (Bin::Shl, false, promote(a)),
        BinOp::Shr => (if promote(a) == Ty::I32 { Bin::ShrS } else { Bin::ShrU }, false, promote(a)),
        BinOp::Eq => (Bin::Eq, false, Ty::I32),
        BinOp::Ne => (Bin::Ne, false, Ty::I32),
        BinOp::Lt => (pick(Bin::LtS, Bin::LtU), false, Ty::I32),
        BinOp::Le => (pick(Bin::LeS, Bin::LeU), false, Ty::I32),
        BinOp::Gt => (pick(Bin::LtS, Bin::LtU), true, Ty::I32),
        BinOp::Ge => (pick(Bin::LeS, Bin::LeU), true, Ty::I32),
        // Handled by the compiler with jumps; typed here for folding.
        BinOp::LogAnd | BinOp::LogOr => (Bin::Ne, false, Ty::I32),
    }
}

/// How a unary operator computes, and its result type (`None` for `+`).
pub fn unary(op: UnOp, a: Ty) -> (Option<Un>, Ty) {
    match op {
        UnOp::Neg => (Some(Un::Neg), promote(a)),
        UnOp::BitNot => (Some(Un::BitNot), promote(a)),
        UnOp::Not => (Some(Un::Not), Ty::I32),
        UnOp::Plus => (None, promote(a)),
    }
}

/// Converts a value to `to` (from an integer type): only `bool` changes
/// bits.
pub fn convert(v: u32, to: Ty) -> u32 {
    if to == Ty::Bool {
        u32::from(v != 0)
    } else {
        v
    }
}
