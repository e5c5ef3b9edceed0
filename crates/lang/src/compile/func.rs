//! One function: its frame of registers, scopes, statements, loops, and
//! the reachability that finds a missing return and dead code.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::expr::Val;
use super::Globals;
use crate::ast::{Function, Stmt, StmtKind, Ty};
use crate::diag::{Origin, Site, Span};
use crate::ir::{Func, Op, Reg, MAX_REGS};

/// A local variable or parameter in scope.
pub struct Local {
    pub name: String,
    pub reg: Reg,
    pub ty: Ty,
    pub is_param: bool,
    pub span: Span,
}

/// The jumps out of one loop, patched when its end is known.
#[derive(Default)]
struct LoopCx {
    breaks: Vec<usize>,
    continues: Vec<usize>,
    /// Whether a `break` can be reached (so the loop can end).
    broke: bool,
}

pub struct FnCx<'g, 'r> {
    pub g: &'g mut Globals<'r>,
    pub origin: Origin,
    pub code: Vec<Op>,
    pub scopes: Vec<Vec<Local>>,
    /// The next free register, and the most ever used.
    pub next: usize,
    pub max: usize,
    loops: Vec<LoopCx>,
    /// Where the last label was bound: an op there may be a jump target.
    pub last_label: usize,
    ret: Ty,
    pub calls: Vec<(u16, Site)>,
    out_of_regs: bool,
}

pub fn compile_function(g: &mut Globals, f: &Function, origin: Origin) -> (Func, Vec<(u16, Site)>) {
    let mut cx = FnCx {
        g,
        origin,
        code: Vec::new(),
        scopes: alloc::vec![Vec::new()],
        next: 0,
        max: 0,
        loops: Vec::new(),
        last_label: 0,
        ret: f.ret,
        calls: Vec::new(),
        out_of_regs: false,
    };
    for p in &f.params {
        if p.ty == Ty::Void {
            cx.error(p.span, String::from("a parameter cannot be void"));
        }
        let reg = cx.alloc(p.span);
        cx.declare(Local { name: p.name.clone(), reg, ty: p.ty, is_param: true, span: p.span });
    }
    let reaches_end = cx.block(&f.body);
    let at = cx.at(f.end);
    if reaches_end && f.ret != Ty::Void {
        cx.error(
            f.end,
            format!(
                "`{}` can reach its end without returning a value: it returns {}",
                f.name,
                f.ret.c_name()
            ),
        );
    }
    cx.code.push(Op::RetVoid { at });
    let func = Func {
        name: f.name.clone(),
        ret: f.ret,
        params: f.params.iter().map(|p| p.ty).collect(),
        code: cx.code,
        frame: cx.max,
        need: cx.max,
    };
    (func, cx.calls)
}

impl FnCx<'_, '_> {
    pub fn site(&self, span: Span) -> Site {
        Site { span, origin: self.origin }
    }

    pub fn at(&mut self, span: Span) -> u32 {
        let site = self.site(span);
        self.g.site(site)
    }

    pub fn error(&mut self, span: Span, message: String) {
        let site = self.site(span);
        self.g.report.error(site, message);
    }

    pub fn warn(&mut self, span: Span, message: String) {
        let site = self.site(span);
        self.g.report.warn(site, message);
    }

    /// A fresh register (a local's or a temporary's).
    pub fn alloc(&mut self, span: Span) -> Reg {
        if self.next >= MAX_REGS {
            if !self.out_of_regs {
                self.out_of_regs = true;
                self.error(span, format!("this function needs more than {MAX_REGS} locals and temporaries"));
            }
            return 0;
        }
        let r = self.next as Reg;
        self.next += 1;
        self.max = self.max.max(self.next);
        r
    }

    pub fn declare(&mut self, local: Local) {
        let scope = self.scopes.last_mut();
        if let Some(prev) = scope.as_ref().and_then(|s| s.iter().find(|l| l.name == local.name)) {
            let p = prev.span;
            let msg = format!("`{}` is already declared at {}:{}", local.name, p.line, p.col);
            self.error(local.span, msg);
            return;
        }
        if let Some(s) = self.scopes.last_mut() {
            s.push(local);
        }
    }

    pub fn local(&self, name: &str) -> Option<&Local> {
        self.scopes.iter().rev().flat_map(|s| s.iter().rev()).find(|l| l.name == name)
    }

    pub fn emit(&mut self, op: Op) -> usize {
        self.code.push(op);
        self.code.len() - 1
    }

    /// A jump to be patched by [`FnCx::bind`].
    pub fn jump(&mut self, op: Op) -> usize {
        self.emit(op)
    }

    /// Points every jump in `patches` at the next op.
    pub fn bind(&mut self, patches: Vec<usize>) {
        let here = self.code.len() as u32;
        for p in patches {
            match &mut self.code[p] {
                Op::Jmp { to }
                | Op::Jz { to, .. }
                | Op::Jnz { to, .. }
                | Op::Br { to, .. }
                | Op::BrK { to, .. }
                | Op::Loop { to, .. } => *to = here,
                _ => {}
            }
        }
        self.last_label = self.code.len();
    }

    pub fn here(&mut self) -> u32 {
        self.last_label = self.code.len();
        self.code.len() as u32
    }

    /// Statements in a new scope; whether the end can be reached.
    fn block(&mut self, stmts: &[Stmt]) -> bool {
        self.scopes.push(Vec::new());
        let mark = self.next;
        let mut reachable = true;
        let mut warned = false;
        for s in stmts {
            if !reachable && !warned && !matches!(s.kind, StmtKind::Empty) {
                warned = true;
                self.warn(s.span, String::from("this statement is never reached"));
            }
            reachable &= self.stmt(s);
        }
        self.next = mark;
        self.scopes.pop();
        reachable
    }

    /// One statement; whether what follows it can be reached.
    fn stmt(&mut self, s: &Stmt) -> bool {
        let mark = self.next;
        let reach = self.stmt_inner(s);
        if !matches!(s.kind, StmtKind::Decl(_)) {
            self.next = mark;
        }
        reach
    }

    fn stmt_inner(&mut self, s: &Stmt) -> bool {
        match &s.kind {
            StmtKind::Decl(decls) => {
                for d in decls {
                    self.declaration(d);
                }
                true
            }
            StmtKind::Assign(op, lhs, rhs) => {
                self.assign(*op, lhs, rhs, s.span);
                true
            }
            StmtKind::Step(up, e) => {
                self.step(*up, e, s.span);
                true
            }
            StmtKind::Expr(e) => {
                self.expr_stmt(e);
                true
            }
            StmtKind::Discard(e) => {
                self.discard(e);
                true
            }
            StmtKind::Empty => true,
            StmtKind::Block(b) => self.block(b),
            StmtKind::If(c, then, other) => self.if_stmt(c, then, other.as_deref()),
            StmtKind::While(c, body) => self.while_loop(c, body, s.span),
            StmtKind::DoWhile(body, c) => self.do_while(body, c, s.span),
            StmtKind::For(init, c, step, body) => {
                self.scopes.push(Vec::new());
                let mark = self.next;
                if let Some(i) = init {
                    self.stmt_inner(i);
                }
                let r = self.for_loop(c.as_ref(), step.as_deref(), body, s.span);
                self.next = mark;
                self.scopes.pop();
                r
            }
            StmtKind::Break => {
                let j = self.jump(Op::Jmp { to: 0 });
                match self.loops.last_mut() {
                    Some(l) => {
                        l.breaks.push(j);
                        l.broke = true;
                    }
                    None => self.error(s.span, String::from("`break` outside a loop")),
                }
                false
            }
            StmtKind::Continue => {
                let j = self.jump(Op::Jmp { to: 0 });
                match self.loops.last_mut() {
                    Some(l) => l.continues.push(j),
                    None => self.error(s.span, String::from("`continue` outside a loop")),
                }
                false
            }
            StmtKind::Return(value) => {
                self.ret_stmt(value.as_ref(), s.span);
                false
            }
        }
    }

    fn ret_stmt(&mut self, value: Option<&crate::ast::Expr>, span: Span) {
        let at = self.at(span);
        match (value, self.ret) {
            (None, Ty::Void) => {
                self.emit(Op::RetVoid { at });
            }
            (Some(e), Ty::Void) => {
                self.error(e.span, String::from("this function returns void: `return;` without a value"));
            }
            (None, t) => {
                self.error(span, format!("this function returns {}: say what (`return 0;`?)", t.c_name()));
            }
            (Some(e), t) => {
                // A value already in a register is returned from there.
                let o = self.expr(e);
                let src = match o.v {
                    Val::Reg(r) if t != Ty::Bool || o.ty == Ty::Bool => r,
                    _ => {
                        let r = self.alloc(span);
                        self.move_to(o, r, t, e.span);
                        r
                    }
                };
                self.emit(Op::Ret { src, at });
            }
        }
    }

    fn if_stmt(&mut self, c: &crate::ast::Expr, then: &Stmt, other: Option<&Stmt>) -> bool {
        let to_else = self.cond_jump(c, false);
        let then_reach = self.scoped(then);
        match other {
            None => {
                self.bind(to_else);
                true
            }
            Some(o) => {
                let to_end = if then_reach { alloc::vec![self.jump(Op::Jmp { to: 0 })] } else { Vec::new() };
                self.bind(to_else);
                let else_reach = self.scoped(o);
                self.bind(to_end);
                then_reach || else_reach
            }
        }
    }

    /// A loop body or branch: a statement in a scope of its own.
    fn scoped(&mut self, s: &Stmt) -> bool {
        self.scopes.push(Vec::new());
        let mark = self.next;
        let r = self.stmt(s);
        self.next = mark;
        self.scopes.pop();
        r
    }

    fn while_loop(&mut self, c: &crate::ast::Expr, body: &Stmt, span: Span) -> bool {
        self.for_loop(Some(c), None, body, span)
    }

    /// `for (; c; step) body` (and `while`): the condition at the top, the
    /// back edge counted against the call's budget.
    fn for_loop(
        &mut self,
        c: Option<&crate::ast::Expr>,
        step: Option<&Stmt>,
        body: &Stmt,
        span: Span,
    ) -> bool {
        let top = self.here();
        let forever = c.is_none_or(|c| self.is_constant_true(c));
        let exits = match c {
            Some(c) if !forever => self.cond_jump(c, false),
            _ => Vec::new(),
        };
        self.loops.push(LoopCx::default());
        self.scoped(body);
        let l = self.loops.pop().unwrap_or_default();
        self.bind(l.continues);
        if let Some(s) = step {
            let mark = self.next;
            self.stmt_inner(s);
            self.next = mark;
        }
        let at = self.at(span);
        self.emit(Op::Loop { to: top, at });
        self.bind(exits);
        self.bind(l.breaks);
        !forever || l.broke
    }

    fn do_while(&mut self, body: &Stmt, c: &crate::ast::Expr, span: Span) -> bool {
        let top = self.here();
        self.loops.push(LoopCx::default());
        self.scoped(body);
        let l = self.loops.pop().unwrap_or_default();
        self.bind(l.continues);
        let forever = self.is_constant_true(c);
        let at = self.at(span);
        if forever {
            self.emit(Op::Loop { to: top, at });
        } else {
            // while (c) goto top: skip the back edge when c is false.
            let exits = self.cond_jump(c, false);
            self.emit(Op::Loop { to: top, at });
            self.bind(exits);
        }
        self.bind(l.breaks);
        !forever || l.broke
    }
}
