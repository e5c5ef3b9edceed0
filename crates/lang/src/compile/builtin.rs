//! Calls: the kernel's primitives (the memory steps, the lock, the
//! identity wrappers, compile-time checks, barriers) and the scheme's own
//! functions.

use alloc::format;
use alloc::string::String;

use super::expr::{Opnd, Place, Val, ONLY_MEMORY};
use super::func::FnCx;
use crate::ast::{Expr, ExprKind, Ty};
use crate::diag::Span;
use crate::ir::{Loc, Op, Un};

/// Barriers: the model runs every step in one total order (sequential
/// consistency), so they change nothing.
const BARRIERS: [&str; 6] =
    ["smp_mb", "smp_rmb", "smp_wmb", "barrier", "smp_mb__before_atomic", "smp_mb__after_atomic"];

/// Every primitive name, for suggestions.
const PRIMITIVES: [&str; 16] = [
    "READ_ONCE",
    "WRITE_ONCE",
    "cmpxchg",
    "spin_lock",
    "spin_unlock",
    "likely",
    "unlikely",
    "WARN",
    "WARN_ONCE",
    "WARN_ON",
    "WARN_ON_ONCE",
    "ilog2",
    "BUILD_BUG_ON",
    "BUILD_BUG_ON_MSG",
    "BUILD_BUG_ON_NOT_POWER_OF_2",
    "smp_mb",
];

impl FnCx<'_, '_> {
    /// Whether `name(args)` evaluates to its first argument's truth.
    pub fn is_identity_wrapper(&self, name: &str, n: usize) -> bool {
        match name {
            "likely" | "unlikely" | "WARN_ON" | "WARN_ON_ONCE" => n == 1,
            "WARN" | "WARN_ONCE" => n >= 2,
            _ => false,
        }
    }

    /// WARN's message and arguments are checked but not evaluated: the
    /// model does not print, and a step hidden in a message would surprise.
    pub fn check_warn_args(&mut self, name: &str, args: &[Expr]) {
        if !matches!(name, "WARN" | "WARN_ONCE") {
            return;
        }
        if !matches!(args[1].kind, ExprKind::Str) {
            self.error(args[1].span, format!("{name}'s second argument is its message, a string: \"...\""));
        }
        let (len, next, label) = (self.code.len(), self.next, self.last_label);
        for a in &args[2..] {
            self.expr(a);
        }
        self.code.truncate(len);
        self.next = next;
        self.last_label = label.min(len);
    }

    fn arity(&mut self, name: &str, args: &[Expr], n: usize, span: Span) -> bool {
        if args.len() == n {
            return true;
        }
        let s = if n == 1 { "" } else { "s" };
        self.error(span, format!("`{name}` takes {n} argument{s}, not {}", args.len()));
        false
    }

    fn statement_only(&mut self, name: &str, want_value: bool, span: Span) -> bool {
        if want_value {
            self.error(span, format!("`{name}(...)` is a statement of its own: it has no value"));
        }
        !want_value
    }

    /// Compiles a call; `want_value` is false for an expression statement.
    pub fn call(&mut self, name: &str, span: Span, args: &[Expr], whole: Span, want_value: bool) -> Opnd {
        const NOTHING: Opnd = Opnd { v: Val::Unit, ty: Ty::Void };
        match name {
            "READ_ONCE" if self.arity(name, args, 1, span) => self.read_once(&args[0], whole, want_value),
            "WRITE_ONCE" if self.arity(name, args, 2, span) => {
                if self.statement_only(name, want_value, span) {
                    self.write_once(&args[0], &args[1], whole);
                }
                NOTHING
            }
            "cmpxchg" if self.arity(name, args, 3, span) => self.cmpxchg(args, whole, want_value),
            "spin_lock" | "spin_unlock" if self.arity(name, args, 1, span) => {
                if self.statement_only(name, want_value, span) {
                    self.lock(name == "spin_lock", &args[0], whole);
                }
                NOTHING
            }
            "likely" | "unlikely" | "WARN" | "WARN_ONCE" | "WARN_ON" | "WARN_ON_ONCE" => {
                if !self.is_identity_wrapper(name, args.len()) {
                    let want = if name.starts_with("WARN") && !name.starts_with("WARN_ON") {
                        "a condition and a message"
                    } else {
                        "one argument"
                    };
                    self.error(span, format!("`{name}` takes {want}"));
                    return Opnd::POISON;
                }
                self.check_warn_args(name, args);
                let o = self.integer(&args[0]);
                match o.v {
                    Val::Imm(k) => Opnd { v: Val::Imm(u32::from(k != 0)), ty: Ty::I32 },
                    Val::Reg(a) => {
                        let dst = self.alloc(whole);
                        self.emit(Op::Un { op: Un::Bool, dst, a });
                        Opnd { v: Val::Reg(dst), ty: Ty::I32 }
                    }
                    _ => Opnd::POISON,
                }
            }
            "ilog2" if self.arity(name, args, 1, span) => match self.constant(&args[0]) {
                Some((v, _)) if v != 0 => Opnd { v: Val::Imm(31 - v.leading_zeros()), ty: Ty::I32 },
                Some(_) => {
                    self.error(whole, String::from("ilog2(0) is undefined"));
                    Opnd::POISON
                }
                None => Opnd::POISON,
            },
            _ if name.starts_with("BUILD_BUG_ON") => {
                if self.statement_only(name, want_value, span) {
                    self.build_bug_on(name, args, whole);
                }
                NOTHING
            }
            _ if BARRIERS.contains(&name) => {
                if self.statement_only(name, want_value, span) {
                    self.arity(name, args, 0, span);
                }
                NOTHING
            }
            "READ_ONCE" | "WRITE_ONCE" | "cmpxchg" | "spin_lock" | "spin_unlock" | "ilog2" => Opnd::POISON,
            _ => self.call_function(name, span, args, whole, want_value),
        }
    }

    fn constant(&mut self, e: &Expr) -> Option<crate::consts::Value> {
        let site = self.site(e.span);
        let origin = self.origin;
        self.g.defines.eval(e, Some(origin), site, self.g.report).ok()
    }

    fn read_once(&mut self, x: &Expr, whole: Span, want_value: bool) -> Opnd {
        match self.place(x, false) {
            Place::Mem(loc) if want_value => self.load(loc, whole),
            Place::Mem(loc) => {
                let at = self.at(whole);
                self.emit(Op::LoadIgnored { loc, at });
                Opnd { v: Val::Unit, ty: Ty::Void }
            }
            Place::Local { reg, ty, name, .. } => {
                if ty.is_pointer() {
                    self.error(
                        x.span,
                        format!("READ_ONCE({name}) reads the pointer: did you mean READ_ONCE(*{name})?"),
                    );
                    return Opnd::POISON;
                }
                Opnd { v: Val::Reg(reg), ty }
            }
            Place::Poison => {
                if !matches!(x.kind, ExprKind::Deref(_) | ExprKind::Arrow(..) | ExprKind::Bad) {
                    self.expr(x);
                    self.error(x.span, format!("READ_ONCE reads memory: {ONLY_MEMORY}"));
                }
                Opnd::POISON
            }
        }
    }

    fn write_once(&mut self, x: &Expr, v: &Expr, whole: Span) {
        match self.place(x, true) {
            Place::Mem(loc) => self.store(loc, v, whole),
            Place::Local { .. } => self.assign(None, x, v, whole),
            Place::Poison => {}
        }
    }

    /// The cell a pointer argument designates.
    fn pointer_loc(&mut self, p: &Expr) -> Option<Loc> {
        if let ExprKind::AddrOf(inner) = &p.kind {
            if matches!(inner.kind, ExprKind::Arrow(..)) {
                return match self.place(inner, false) {
                    Place::Mem(loc) => Some(loc),
                    _ => None,
                };
            }
        }
        let o = self.expr(p);
        match (o.v, o.ty) {
            (Val::Poison, _) => None,
            (_, Ty::PWord) => Some(self.loc_of(o, p.span)),
            (_, t) => {
                self.error(
                    p.span,
                    format!("cmpxchg needs an `errseq_t *`, not {}: {ONLY_MEMORY}", t.c_name()),
                );
                None
            }
        }
    }

    fn cmpxchg(&mut self, args: &[Expr], whole: Span, want_value: bool) -> Opnd {
        let loc = self.pointer_loc(&args[0]);
        let old = self.integer(&args[1]);
        let new = self.integer(&args[2]);
        let Some(loc) = loc else { return Opnd::POISON };
        if old.v == Val::Poison || new.v == Val::Poison {
            return Opnd::POISON;
        }
        let (old, new) = (self.reg(old, args[1].span), self.reg(new, args[2].span));
        let at = self.at(whole);
        if !want_value {
            self.emit(Op::CmpxchgIgnored { loc, old, new, at });
            return Opnd { v: Val::Unit, ty: Ty::Void };
        }
        let dst = self.alloc(whole);
        self.emit(Op::Cmpxchg { dst, loc, old, new, at });
        Opnd { v: Val::Reg(dst), ty: Ty::U32 }
    }

    fn lock(&mut self, take: bool, arg: &Expr, whole: Span) {
        let o = self.expr(arg);
        if o.v == Val::Poison {
            return;
        }
        if o.ty != Ty::PLock {
            self.error(arg.span, String::from("the only lock here is the file's: `&file->f_lock`"));
            return;
        }
        let at = self.at(whole);
        self.emit(if take { Op::Lock { at } } else { Op::Unlock { at } });
    }

    /// The kernel's compile-time assertions, checked when the scheme is.
    fn build_bug_on(&mut self, name: &str, args: &[Expr], whole: Span) {
        let Some(first) = args.first() else {
            self.error(whole, format!("`{name}` needs a condition"));
            return;
        };
        let Some((v, _)) = self.constant(first) else { return };
        let fails = match name {
            "BUILD_BUG_ON_NOT_POWER_OF_2" => v == 0 || v & v.wrapping_sub(1) != 0,
            "BUILD_BUG_ON" | "BUILD_BUG_ON_MSG" => v != 0,
            _ => false,
        };
        if fails {
            self.error(whole, format!("{name} fails: the kernel would not build with these constants"));
        }
    }

    fn call_function(
        &mut self,
        name: &str,
        span: Span,
        args: &[Expr],
        whole: Span,
        want_value: bool,
    ) -> Opnd {
        let Some(&index) = self.g.by_name.get(name) else {
            let msg = unsupported(name).map(String::from).unwrap_or_else(|| {
                let names: alloc::vec::Vec<&str> = self.g.by_name.keys().map(String::as_str).collect();
                let hint =
                    crate::suggest::hint(name, names.iter().copied().chain(PRIMITIVES).chain(BARRIERS));
                format!("`{name}` is not a function here{hint}")
            });
            self.error(span, msg);
            for a in args {
                self.expr(a);
            }
            return Opnd::POISON;
        };
        let sig = &self.g.sigs[usize::from(index)];
        let (ret, params) = (sig.ret, sig.params.clone());
        if !self.arity(name, args, params.len(), span) {
            return Opnd::POISON;
        }
        let base = self.next;
        for _ in 0..args.len() {
            self.alloc(whole);
        }
        let mut ok = true;
        for (i, (a, ty)) in args.iter().zip(&params).enumerate() {
            let mark = self.next;
            let o = self.expr(a);
            self.next = mark;
            if matches!(ty, Ty::PFile | Ty::PMapping | Ty::PLock) {
                ok &= o.v != Val::Poison && o.ty == *ty;
                if o.v != Val::Poison && o.ty != *ty {
                    self.error(a.span, format!("expected {}, found {}", ty.c_name(), o.ty.c_name()));
                }
                continue;
            }
            ok &= o.v != Val::Poison;
            self.move_to(o, (base + i) as u8, *ty, a.span);
        }
        let site = self.site(span);
        self.calls.push((index, site));
        let dst = if args.is_empty() { self.alloc(whole) } else { base as u8 };
        self.emit(Op::Call { func: index, args: base as u8, n: args.len() as u8, dst });
        if !ok {
            return Opnd::POISON;
        }
        if ret == Ty::Void {
            if want_value {
                self.error(whole, format!("`{name}` returns nothing (void)"));
                return Opnd::POISON;
            }
            return Opnd { v: Val::Unit, ty: Ty::Void };
        }
        Opnd { v: Val::Reg(dst), ty: ret }
    }
}

/// Kernel primitives the model has no step for, and what to do instead.
fn unsupported(name: &str) -> Option<&'static str> {
    Some(match name {
        "xchg" | "atomic_xchg" | "atomic_cmpxchg" | "try_cmpxchg" => {
            "this model's steps are load, store and cmpxchg (and f_lock): write the exchange as a cmpxchg loop"
        }
        "set_bit" | "clear_bit" | "test_and_clear_bit" | "test_and_set_bit" | "mapping_set_error" => {
            "the legacy AS_EIO/AS_ENOSPC flags are the base's: a scheme changes the errseq_t word only"
        }
        "spin_lock_irqsave" | "spin_unlock_irqrestore" | "spin_lock_irq" | "spin_unlock_irq" | "spin_trylock" => {
            "the only lock primitives here are spin_lock(&file->f_lock) and spin_unlock(&file->f_lock)"
        }
        "printk" | "pr_warn" | "pr_err" | "pr_info" | "trace_printk" => {
            "printing is not modelled: drop it (WARN's message is accepted and ignored)"
        }
        _ => return None,
    })
}
