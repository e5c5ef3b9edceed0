//! Expressions: values in registers (or folded constants), places a value
//! can be stored to (locals, or the word and the cursor), conditions as
//! jumps, and the statements built from them.

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::func::{FnCx, Local};
use crate::ast::{AssignOp, BinOp, Declarator, Expr, ExprKind, Ty, UnOp};
use crate::consts::Lookup;
use crate::diag::Span;
use crate::ir::{Bin, Loc, Op, Reg, Un};
use crate::types;

/// A computed value: in a register, a constant, a pointer with no
/// run-time value (`struct file *`, `struct address_space *`, the lock),
/// or the poison of an error already reported.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Val {
    Reg(Reg),
    Imm(u32),
    Unit,
    Poison,
}

#[derive(Copy, Clone, Debug)]
pub struct Opnd {
    pub v: Val,
    pub ty: Ty,
}

impl Opnd {
    pub const POISON: Opnd = Opnd { v: Val::Poison, ty: Ty::I32 };
}

/// Where an assignment goes.
pub enum Place {
    Local { reg: Reg, ty: Ty, is_param: bool, name: String },
    Mem(Loc),
    Poison,
}

/// The message for any other memory.
pub const ONLY_MEMORY: &str = "only the word (`*eseq`, `file->f_mapping->wb_err`) and the cursor (`*since`, `file->f_wb_err`) are memory here";

impl FnCx<'_, '_> {
    // ---- values ----------------------------------------------------------

    pub fn expr(&mut self, e: &Expr) -> Opnd {
        match &e.kind {
            ExprKind::Int(v, unsigned) => {
                Opnd { v: Val::Imm(*v), ty: if *unsigned { Ty::U32 } else { Ty::I32 } }
            }
            ExprKind::Name(n) => self.name(n, e.span),
            ExprKind::Str => {
                self.error(e.span, String::from("a string is only allowed as WARN's message"));
                Opnd::POISON
            }
            ExprKind::Call(name, span, args) => self.call(name, *span, args, e.span, true),
            ExprKind::Unary(op, a) => self.unary(*op, a, e.span),
            ExprKind::Binary(BinOp::LogAnd | BinOp::LogOr, ..) => self.logical_value(e),
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, e.span),
            ExprKind::Cond(c, a, b) => self.ternary(c, a, b, e.span),
            ExprKind::Cast(ty, a) => self.cast(*ty, a, e.span),
            ExprKind::Deref(_) | ExprKind::Arrow(..) => match self.place(e, false) {
                Place::Mem(loc) => self.load(loc, e.span),
                Place::Local { reg, ty, .. } => Opnd { v: Val::Reg(reg), ty },
                Place::Poison => self.pointer_value(e),
            },
            ExprKind::AddrOf(a) => self.address_of(a, e.span),
            ExprKind::Assign(_) | ExprKind::Bad => Opnd::POISON,
        }
    }

    fn name(&mut self, n: &str, span: Span) -> Opnd {
        if let Some(l) = self.local(n) {
            let ty = l.ty;
            let v =
                if matches!(ty, Ty::PFile | Ty::PMapping | Ty::PLock) { Val::Unit } else { Val::Reg(l.reg) };
            return Opnd { v, ty };
        }
        let site = self.site(span);
        match self.g.defines.lookup(n, site, self.g.report) {
            Lookup::Value((v, ty)) => Opnd { v: Val::Imm(v), ty },
            Lookup::Poison => Opnd::POISON,
            Lookup::Unknown => {
                if self.g.by_name.contains_key(n) {
                    self.error(span, format!("`{n}` is a function: call it, `{n}(...)`"));
                    return Opnd::POISON;
                }
                let mut known: Vec<String> = self.scopes.iter().flatten().map(|l| l.name.clone()).collect();
                let fixed = ["MAX_ERRNO", "ERRSEQ_SEEN", "ERRSEQ_CTR_INC", "ERRSEQ_SHIFT", "true", "false"];
                known.extend(fixed.into_iter().chain(errseq::Errno::names()).map(String::from));
                let hint = crate::suggest::hint(n, known.iter().map(String::as_str));
                self.error(span, format!("`{n}` is not declared{hint}"));
                Opnd::POISON
            }
        }
    }

    /// The operand in a register (constants are loaded into a temporary).
    pub fn reg(&mut self, o: Opnd, span: Span) -> Reg {
        match o.v {
            Val::Reg(r) => r,
            Val::Imm(k) => {
                let r = self.alloc(span);
                self.emit(Op::Const { dst: r, k });
                r
            }
            Val::Unit | Val::Poison => 0,
        }
    }

    /// Computes `e` into `dst`, converted to `ty`.
    pub fn expr_to(&mut self, e: &Expr, dst: Reg, ty: Ty) {
        let mark = self.next;
        let o = self.expr(e);
        self.next = mark;
        self.move_to(o, dst, ty, e.span);
    }

    /// Puts a computed operand into `dst`, converted to `ty`.
    pub fn move_to(&mut self, o: Opnd, dst: Reg, ty: Ty, span: Span) {
        if !self.assignable(o, ty, span) {
            return;
        }
        let to_bool = ty == Ty::Bool && o.ty != Ty::Bool;
        match o.v {
            Val::Imm(k) => {
                self.emit(Op::Const { dst, k: types::convert(k, ty) });
            }
            Val::Reg(r) if to_bool => {
                self.emit(Op::Un { op: Un::Bool, dst, a: r });
            }
            Val::Reg(r) if r == dst => {}
            Val::Reg(r) => {
                // Retarget the op that computed a temporary, unless a jump
                // lands after it (then several ops may have written it).
                let retarget = self.last_label < self.code.len()
                    && usize::from(r) >= self.first_temp()
                    && self.code.last_mut().is_some_and(|op| retarget(op, r, dst));
                if !retarget {
                    self.emit(Op::Mov { dst, src: r });
                }
            }
            Val::Unit | Val::Poison => {}
        }
    }

    /// The first register that is not a local in scope (temporaries are
    /// above every local).
    fn first_temp(&self) -> usize {
        self.scopes.iter().flatten().map(|l| usize::from(l.reg) + 1).max().unwrap_or(0)
    }

    /// Whether a value of `o`'s type may go where `ty` is expected.
    fn assignable(&mut self, o: Opnd, ty: Ty, span: Span) -> bool {
        if o.v == Val::Poison {
            return false;
        }
        let ok = if ty.is_integer() { o.ty.is_integer() } else { o.ty == ty };
        if !ok {
            let msg = match (o.ty, ty) {
                (Ty::Void, _) => String::from("this call returns nothing (void)"),
                (Ty::PWord, t) if t.is_integer() => format!(
                    "this is a pointer where {} is expected: read through it with `*` or READ_ONCE(*p)",
                    t.c_name()
                ),
                (from, to) => format!("a {} where {} is expected", from.c_name(), to.c_name()),
            };
            self.error(span, msg);
        }
        ok
    }

    /// An integer operand, or a reported error.
    pub fn integer(&mut self, e: &Expr) -> Opnd {
        let o = self.expr(e);
        if o.v == Val::Poison {
            return o;
        }
        if !o.ty.is_integer() {
            let msg = match o.ty {
                Ty::Void => String::from("this call returns nothing (void)"),
                Ty::PWord => {
                    String::from("pointer arithmetic and comparison are not here: read the value with `*p`")
                }
                t => format!("a {} is not a number", t.c_name()),
            };
            self.error(e.span, msg);
            return Opnd::POISON;
        }
        o
    }

    fn unary(&mut self, op: UnOp, a: &Expr, span: Span) -> Opnd {
        let o = self.integer(a);
        let (un, ty) = types::unary(op, o.ty);
        match (o.v, un) {
            (Val::Poison, _) => Opnd::POISON,
            (_, None) => Opnd { v: o.v, ty },
            (Val::Imm(k), Some(u)) => Opnd { v: Val::Imm(u.apply(k)), ty },
            (_, Some(u)) => {
                let a = self.reg(o, span);
                let dst = self.alloc(span);
                self.emit(Op::Un { op: u, dst, a });
                Opnd { v: Val::Reg(dst), ty }
            }
        }
    }

    fn binary(&mut self, op: BinOp, a: &Expr, b: &Expr, span: Span) -> Opnd {
        let x = self.integer(a);
        let y = self.integer(b);
        if x.v == Val::Poison || y.v == Val::Poison {
            return Opnd::POISON;
        }
        let (bin, swap, ty) = types::binary(op, x.ty, y.ty);
        let (x, y) = if swap { (y, x) } else { (x, y) };
        self.bin(bin, x, y, ty, span)
    }

    /// Emits (or folds) `x bin y`.
    pub fn bin(&mut self, bin: Bin, x: Opnd, y: Opnd, ty: Ty, span: Span) -> Opnd {
        if let (Val::Imm(p), Val::Imm(q)) = (x.v, y.v) {
            return match bin.apply(p, q) {
                Ok(v) => Opnd { v: Val::Imm(v), ty },
                Err(kind) => {
                    self.error(span, format!("{kind}"));
                    Opnd::POISON
                }
            };
        }
        let at = if bin.can_fault() { self.at(span) } else { 0 };
        let commutes = matches!(bin, Bin::Add | Bin::Mul | Bin::And | Bin::Or | Bin::Xor | Bin::Eq | Bin::Ne);
        let (x, y) = if commutes && matches!(x.v, Val::Imm(_)) { (y, x) } else { (x, y) };
        let a = self.reg(x, span);
        let dst = self.alloc(span);
        match y.v {
            Val::Imm(k) => self.emit(Op::BinK { op: bin, dst, a, k, at }),
            _ => {
                let b = self.reg(y, span);
                self.emit(Op::Bin { op: bin, dst, a, b, at })
            }
        };
        Opnd { v: Val::Reg(dst), ty }
    }

    fn cast(&mut self, ty: Ty, a: &Expr, span: Span) -> Opnd {
        if !ty.is_integer() {
            if ty != Ty::Void {
                self.error(span, format!("casts to {} are not here: only to integer types", ty.c_name()));
            }
            return Opnd::POISON;
        }
        let o = self.integer(a);
        match o.v {
            Val::Imm(k) => Opnd { v: Val::Imm(types::convert(k, ty)), ty },
            Val::Reg(r) if ty == Ty::Bool && o.ty != Ty::Bool => {
                let dst = self.alloc(span);
                self.emit(Op::Un { op: Un::Bool, dst, a: r });
                Opnd { v: Val::Reg(dst), ty }
            }
            v => Opnd { v, ty },
        }
    }

    /// `a && b`, `a || b` as a value, 0 or 1.
    fn logical_value(&mut self, e: &Expr) -> Opnd {
        if let Some(k) = self.constant_condition(e) {
            return Opnd { v: Val::Imm(u32::from(k)), ty: Ty::I32 };
        }
        let dst = self.alloc(e.span);
        let to_false = self.cond_jump(e, false);
        self.emit(Op::Const { dst, k: 1 });
        let to_end = vec![self.jump(Op::Jmp { to: 0 })];
        self.bind(to_false);
        self.emit(Op::Const { dst, k: 0 });
        self.bind(to_end);
        Opnd { v: Val::Reg(dst), ty: Ty::I32 }
    }

    fn ternary(&mut self, c: &Expr, a: &Expr, b: &Expr, span: Span) -> Opnd {
        if let Some(k) = self.constant_condition(c) {
            return self.integer(if k { a } else { b });
        }
        let dst = self.alloc(span);
        let to_b = self.cond_jump(c, false);
        // The type is known only after both sides: compute each side first.
        let mark = self.next;
        let x = self.integer(a);
        self.move_to(x, dst, Ty::U32, a.span);
        self.next = mark;
        let to_end = vec![self.jump(Op::Jmp { to: 0 })];
        self.bind(to_b);
        let y = self.integer(b);
        self.move_to(y, dst, Ty::U32, b.span);
        self.next = mark;
        self.bind(to_end);
        if x.v == Val::Poison || y.v == Val::Poison {
            return Opnd::POISON;
        }
        Opnd { v: Val::Reg(dst), ty: types::common(x.ty, y.ty) }
    }

    // ---- memory and pointers ---------------------------------------------

    pub fn load(&mut self, loc: Loc, span: Span) -> Opnd {
        let at = self.at(span);
        let dst = self.alloc(span);
        self.emit(Op::Load { dst, loc, at });
        Opnd { v: Val::Reg(dst), ty: Ty::U32 }
    }

    /// Where an lvalue is. `for_write` words the errors for assignments.
    pub fn place(&mut self, e: &Expr, for_write: bool) -> Place {
        match &e.kind {
            ExprKind::Name(n) => match self.local(n) {
                Some(Local { reg, ty, is_param, name, .. }) => {
                    Place::Local { reg: *reg, ty: *ty, is_param: *is_param, name: name.clone() }
                }
                None => {
                    if for_write {
                        let o = self.name(n, e.span);
                        if o.v != Val::Poison {
                            self.error(e.span, format!("`{n}` is a constant: it cannot be assigned"));
                        }
                    }
                    Place::Poison
                }
            },
            ExprKind::Deref(p) => {
                let o = self.expr(p);
                match (o.ty, o.v) {
                    (_, Val::Poison) => Place::Poison,
                    (Ty::PWord, _) => Place::Mem(self.loc_of(o, p.span)),
                    _ => {
                        self.error(e.span, format!("`*` needs an `errseq_t *`: {ONLY_MEMORY}"));
                        Place::Poison
                    }
                }
            }
            ExprKind::Arrow(base, field, fspan) => self.field(base, field, *fspan),
            ExprKind::Bad => Place::Poison,
            _ => {
                if for_write {
                    self.error(
                        e.span,
                        String::from("this cannot be assigned: assign to a local, `*p` or `file->f_wb_err`"),
                    );
                }
                Place::Poison
            }
        }
    }

    /// The location a pointer operand points to.
    pub fn loc_of(&mut self, o: Opnd, span: Span) -> Loc {
        match o.v {
            Val::Reg(r) => Loc::Reg(r),
            _ => Loc::Reg(self.reg(o, span)),
        }
    }

    /// `file->f_wb_err`, `file->f_mapping->wb_err`, `mapping->wb_err`.
    fn field(&mut self, base: &Expr, field: &str, span: Span) -> Place {
        let b = self.expr(base);
        match (b.ty, field) {
            (_, _) if b.v == Val::Poison => Place::Poison,
            (Ty::PFile, "f_wb_err") => Place::Mem(Loc::FileCursor),
            (Ty::PMapping, "wb_err") => Place::Mem(Loc::MappingWord),
            (Ty::PFile, "f_lock") => {
                self.error(span, String::from("`f_lock` is a lock: take it with spin_lock(&file->f_lock)"));
                Place::Poison
            }
            (Ty::PFile, "f_mapping") => Place::Poison,
            (Ty::PFile, _) => {
                let hint = crate::suggest::hint(field, ["f_wb_err", "f_lock", "f_mapping"]);
                self.error(
                    span,
                    format!("`struct file` has no field `{field}` here{hint} (fields: f_wb_err, f_lock, f_mapping)"),
                );
                Place::Poison
            }
            (Ty::PMapping, _) => {
                let hint = crate::suggest::hint(field, ["wb_err"]);
                self.error(
                    span,
                    format!("`struct address_space` has only `wb_err` here{hint} (its flags are the base's)"),
                );
                Place::Poison
            }
            (t, _) => {
                self.error(
                    span,
                    format!("`->` needs a `struct file *` or `struct address_space *`, not {}", t.c_name()),
                );
                Place::Poison
            }
        }
    }

    /// A pointer-valued `->` (`file->f_mapping`), or poison.
    fn pointer_value(&mut self, e: &Expr) -> Opnd {
        match &e.kind {
            ExprKind::Arrow(base, field, _) if field == "f_mapping" => {
                let b = self.expr(base);
                if b.ty == Ty::PFile && b.v != Val::Poison {
                    return Opnd { v: Val::Unit, ty: Ty::PMapping };
                }
                Opnd::POISON
            }
            _ => Opnd::POISON,
        }
    }

    fn address_of(&mut self, a: &Expr, span: Span) -> Opnd {
        match &a.kind {
            ExprKind::Arrow(base, field, _) if field == "f_lock" => {
                let b = self.expr(base);
                if b.v == Val::Poison {
                    return Opnd::POISON;
                }
                if b.ty != Ty::PFile {
                    self.error(span, String::from("`f_lock` belongs to a `struct file *`"));
                    return Opnd::POISON;
                }
                Opnd { v: Val::Unit, ty: Ty::PLock }
            }
            ExprKind::Deref(p) => self.expr(p),
            ExprKind::Name(n) if self.local(n).is_some() => {
                self.error(span, format!("`&{n}` takes the address of a local: {ONLY_MEMORY}"));
                Opnd::POISON
            }
            _ => match self.place(a, false) {
                Place::Mem(Loc::Reg(r)) => Opnd { v: Val::Reg(r), ty: Ty::PWord },
                Place::Mem(loc) => {
                    let dst = self.alloc(span);
                    self.emit(Op::Addr { dst, loc });
                    Opnd { v: Val::Reg(dst), ty: Ty::PWord }
                }
                Place::Poison => Opnd::POISON,
                Place::Local { .. } => {
                    self.error(span, format!("`&` of a local: {ONLY_MEMORY}"));
                    Opnd::POISON
                }
            },
        }
    }

    // ---- conditions ------------------------------------------------------

    /// The value of a condition known at compile time.
    pub fn constant_condition(&mut self, e: &Expr) -> Option<bool> {
        match &e.kind {
            ExprKind::Int(v, _) => Some(*v != 0),
            ExprKind::Name(n) if self.local(n).is_none() => {
                let site = self.site(e.span);
                match self.g.defines.lookup(n, site, self.g.report) {
                    Lookup::Value((v, _)) => Some(v != 0),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    pub fn is_constant_true(&mut self, e: &Expr) -> bool {
        self.constant_condition(e) == Some(true)
    }

    /// Emits jumps taken when `e`'s truth equals `when`; returns them for
    /// patching. Falls through otherwise.
    pub fn cond_jump(&mut self, e: &Expr, when: bool) -> Vec<usize> {
        match &e.kind {
            ExprKind::Binary(BinOp::LogAnd, a, b) | ExprKind::Binary(BinOp::LogOr, a, b) => {
                let and = matches!(e.kind, ExprKind::Binary(BinOp::LogAnd, ..));
                // `a && b` is true only if both are: a false `a` decides.
                if and != when {
                    let mut j = self.cond_jump(a, when);
                    j.extend(self.cond_jump(b, when));
                    j
                } else {
                    let skip = self.cond_jump(a, !when);
                    let j = self.cond_jump(b, when);
                    self.bind(skip);
                    j
                }
            }
            ExprKind::Unary(UnOp::Not, a) => self.cond_jump(a, !when),
            ExprKind::Binary(
                op @ (BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge),
                a,
                b,
            ) => self.compare_jump(*op, a, b, e.span, when),
            ExprKind::Call(name, _, args) if self.is_identity_wrapper(name, args.len()) => {
                let cond = &args[0];
                if name.starts_with("WARN") {
                    self.check_warn_args(name, args);
                }
                self.cond_jump(cond, when)
            }
            _ => {
                let mark = self.next;
                let o = self.integer(e);
                self.next = mark;
                match o.v {
                    Val::Imm(k) if (k != 0) == when => vec![self.jump(Op::Jmp { to: 0 })],
                    Val::Imm(_) | Val::Poison | Val::Unit => Vec::new(),
                    Val::Reg(c) => {
                        let op = if when { Op::Jnz { c, to: 0 } } else { Op::Jz { c, to: 0 } };
                        vec![self.jump(op)]
                    }
                }
            }
        }
    }

    /// A comparison fused with its branch.
    fn compare_jump(&mut self, op: BinOp, a: &Expr, b: &Expr, span: Span, when: bool) -> Vec<usize> {
        let mark = self.next;
        let x = self.integer(a);
        let y = self.integer(b);
        if x.v == Val::Poison || y.v == Val::Poison {
            self.next = mark;
            return Vec::new();
        }
        let (bin, swap, _) = types::binary(op, x.ty, y.ty);
        let (x, y) = if swap { (y, x) } else { (x, y) };
        let Some(bin) = (if when { Some(bin) } else { bin.invert() }) else { return Vec::new() };
        // The constant, if any, goes right.
        let (bin, x, y) = if matches!(x.v, Val::Imm(_)) { (bin.mirror(), y, x) } else { (bin, x, y) };
        let j = match (x.v, y.v) {
            (Val::Imm(p), Val::Imm(q)) => {
                if bin.apply(p, q) == Ok(1) {
                    vec![self.jump(Op::Jmp { to: 0 })]
                } else {
                    Vec::new()
                }
            }
            (_, Val::Imm(k)) => {
                let a = self.reg(x, span);
                vec![self.jump(Op::BrK { op: bin, a, k, to: 0 })]
            }
            _ => {
                let a = self.reg(x, span);
                let b = self.reg(y, span);
                vec![self.jump(Op::Br { op: bin, a, b, to: 0 })]
            }
        };
        self.next = mark;
        j
    }

    // ---- statements built from expressions -------------------------------

    pub fn declaration(&mut self, d: &Declarator) {
        if d.ty == Ty::Void {
            self.error(d.span, format!("`{}` cannot be void", d.name));
            return;
        }
        let reg = self.alloc(d.span);
        match &d.init {
            Some(init) => {
                let mark = self.next;
                if d.ty.is_pointer() {
                    let o = self.expr(init);
                    if self.assignable(o, d.ty, init.span) && d.ty == Ty::PWord {
                        let r = self.reg(o, init.span);
                        self.emit(Op::Mov { dst: reg, src: r });
                    }
                } else {
                    self.expr_to(init, reg, d.ty);
                }
                self.next = mark;
            }
            None if d.ty.is_pointer() => {
                self.error(
                    d.span,
                    format!("`{}` is a pointer: give it its value where it is declared", d.name),
                );
            }
            // Uninitialised locals start at 0 (C leaves them undefined).
            None => {
                self.emit(Op::Const { dst: reg, k: 0 });
            }
        }
        self.declare(Local { name: d.name.clone(), reg, ty: d.ty, is_param: false, span: d.span });
    }

    pub fn assign(&mut self, op: AssignOp, lhs: &Expr, rhs: &Expr, span: Span) {
        match self.place(lhs, true) {
            Place::Poison => {
                self.expr(rhs);
            }
            Place::Local { reg, ty, is_param, name } => {
                if ty.is_pointer() {
                    if is_param || op.is_some() {
                        self.error(
                            lhs.span,
                            format!("`{name}` is the caller's pointer and cannot be changed: {ONLY_MEMORY}"),
                        );
                        return;
                    }
                    let o = self.expr(rhs);
                    if self.assignable(o, ty, rhs.span) && ty == Ty::PWord {
                        let r = self.reg(o, rhs.span);
                        self.emit(Op::Mov { dst: reg, src: r });
                    }
                    return;
                }
                match op {
                    None => self.expr_to(rhs, reg, ty),
                    Some(bop) => {
                        let x = Opnd { v: Val::Reg(reg), ty };
                        let y = self.integer(rhs);
                        if y.v == Val::Poison {
                            return;
                        }
                        let (bin, _, rty) = types::binary(bop, ty, y.ty);
                        let o = self.bin(bin, x, y, rty, span);
                        self.move_to(o, reg, ty, span);
                    }
                }
            }
            Place::Mem(loc) => {
                if op.is_some() {
                    self.error(
                        span,
                        String::from(
                            "a compound assignment to memory is a load and a store, two steps: write them out, or use cmpxchg",
                        ),
                    );
                    return;
                }
                self.store(loc, rhs, span);
            }
        }
    }

    pub fn store(&mut self, loc: Loc, value: &Expr, span: Span) {
        let v = self.integer(value);
        if v.v == Val::Poison {
            return;
        }
        let val = self.reg(v, value.span);
        let at = self.at(span);
        self.emit(Op::Store { loc, val, at });
    }

    pub fn step(&mut self, up: bool, e: &Expr, span: Span) {
        match self.place(e, true) {
            Place::Local { reg, ty, name, .. } => {
                if !ty.is_integer() {
                    self.error(span, format!("`{name}` is a pointer: {ONLY_MEMORY}"));
                    return;
                }
                let op = if up { Bin::Add } else { Bin::Sub };
                self.emit(Op::BinK { op, dst: reg, a: reg, k: 1, at: 0 });
                if ty == Ty::Bool {
                    self.emit(Op::Un { op: Un::Bool, dst: reg, a: reg });
                }
            }
            Place::Mem(_) => self.error(
                span,
                String::from(
                    "`++` on memory is a load and a store, two steps: write them out, or use cmpxchg",
                ),
            ),
            Place::Poison => {}
        }
    }

    pub fn expr_stmt(&mut self, e: &Expr) {
        if let ExprKind::Call(name, span, args) = &e.kind {
            self.call(name, *span, args, e.span, false);
            return;
        }
        self.warn(e.span, String::from("this statement has no effect"));
        self.expr(e);
    }

    /// `(void)expr;`: the value is dropped, as in an expression statement.
    pub fn discard(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Call(name, span, args) => {
                self.call(name, *span, args, e.span, false);
            }
            _ => {
                self.expr(e);
            }
        }
    }
}

/// Makes `op`, which wrote `from`, write `to` instead.
fn retarget(op: &mut Op, from: Reg, to: Reg) -> bool {
    let dst = match op {
        Op::Const { dst, .. }
        | Op::Mov { dst, .. }
        | Op::Bin { dst, .. }
        | Op::BinK { dst, .. }
        | Op::Un { dst, .. }
        | Op::Load { dst, .. }
        | Op::Cmpxchg { dst, .. }
        | Op::Addr { dst, .. } => dst,
        _ => return false,
    };
    if *dst != from {
        return false;
    }
    *dst = to;
    true
}
