//! The interpreter: runs a function's register code, passing every access
//! to shared memory to the driver as one [`Action`], exactly where the
//! source makes it.
//!
//! A call's whole state is its registers (one flat array for the chain of
//! frames, sized at compile time: there is no recursion) and the
//! [`Cx`]: the fixed cells of the call, whether it holds `f_lock`, and how
//! many loop rounds it has run. A driver that stops the task (the
//! explorer, `Err(Stop)`) simply abandons all of it; the call is re-run
//! from the start later.

use errseq::{Action, Addr, File, Memory};

use crate::diag::{FaultKind, Site};
use crate::ir::{Func, Loc, Op};

/// Loop rounds one call may run before it is reported as endless. The
/// built-in schemes loop only when a cmpxchg loses a race, once per lost
/// race; this is far beyond any interleaving the explorer would build.
pub const LOOP_BUDGET: u32 = 10_000;

/// Why a call ended early.
pub enum Halt<S> {
    Stop(S),
    Fault(u32, FaultKind),
}

/// Called before every memory step with the site of the source text that
/// makes it (to show a counterexample in the scheme's own lines).
pub trait Observer {
    fn step(&mut self, site: Site, action: Action);
}

/// The observer that watches nothing (the fast path).
pub struct Unobserved;

impl Observer for Unobserved {
    #[inline(always)]
    fn step(&mut self, _: Site, _: Action) {}
}

impl<F: FnMut(Site, Action)> Observer for F {
    fn step(&mut self, site: Site, action: Action) {
        self(site, action)
    }
}

/// The state of one entry-point call.
pub struct Cx<'p, O> {
    pub funcs: &'p [Func],
    pub sites: &'p [Site],
    /// `file->f_mapping->wb_err`.
    pub word: Addr,
    pub file: File,
    pub holding: bool,
    pub rounds: u32,
    pub observer: O,
}

impl<O: Observer> Cx<'_, O> {
    #[inline]
    fn addr(&self, loc: Loc, regs: &[u32]) -> Addr {
        match loc {
            Loc::Reg(r) => Addr(regs[usize::from(r)]),
            Loc::MappingWord => self.word,
            Loc::FileCursor => self.file.wb_err,
        }
    }

    #[inline]
    fn step<M: Memory>(&mut self, m: &mut M, action: Action, at: u32) -> Result<u32, Halt<M::Stop>> {
        self.observe(action, at);
        m.step(action).map_err(Halt::Stop)
    }

    #[inline]
    fn ignoring<M: Memory>(&mut self, m: &mut M, action: Action, at: u32) -> Result<(), Halt<M::Stop>> {
        self.observe(action, at);
        m.ignoring(action).map_err(Halt::Stop)
    }

    #[inline]
    fn observe(&mut self, action: Action, at: u32) {
        if let Some(&site) = self.sites.get(at as usize) {
            self.observer.step(site, action);
        }
    }

    /// Runs function `f` with its parameters in `regs[..]`; returns its
    /// value (0 for void) and the site of the return.
    pub fn exec<M: Memory>(
        &mut self,
        f: usize,
        regs: &mut [u32],
        m: &mut M,
    ) -> Result<(u32, u32), Halt<M::Stop>> {
        let funcs = self.funcs;
        let func = &funcs[f];
        let code = &func.code[..];
        let mut pc = 0usize;
        loop {
            let Some(&op) = code.get(pc) else { return Ok((0, 0)) };
            pc += 1;
            match op {
                Op::Const { dst, k } => regs[usize::from(dst)] = k,
                Op::Mov { dst, src } => regs[usize::from(dst)] = regs[usize::from(src)],
                Op::Bin { op, dst, a, b, at } => {
                    let v = op
                        .apply(regs[usize::from(a)], regs[usize::from(b)])
                        .map_err(|k| Halt::Fault(at, k))?;
                    regs[usize::from(dst)] = v;
                }
                Op::BinK { op, dst, a, k, at } => {
                    let v = op.apply(regs[usize::from(a)], k).map_err(|e| Halt::Fault(at, e))?;
                    regs[usize::from(dst)] = v;
                }
                Op::Un { op, dst, a } => regs[usize::from(dst)] = op.apply(regs[usize::from(a)]),
                Op::Jmp { to } => pc = to as usize,
                Op::Jz { c, to } => {
                    if regs[usize::from(c)] == 0 {
                        pc = to as usize;
                    }
                }
                Op::Jnz { c, to } => {
                    if regs[usize::from(c)] != 0 {
                        pc = to as usize;
                    }
                }
                Op::Br { op, a, b, to } => {
                    if op.apply(regs[usize::from(a)], regs[usize::from(b)]) == Ok(1) {
                        pc = to as usize;
                    }
                }
                Op::BrK { op, a, k, to } => {
                    if op.apply(regs[usize::from(a)], k) == Ok(1) {
                        pc = to as usize;
                    }
                }
                Op::Loop { to, at } => {
                    self.rounds += 1;
                    if self.rounds >= LOOP_BUDGET {
                        return Err(Halt::Fault(at, FaultKind::EndlessLoop { rounds: self.rounds }));
                    }
                    pc = to as usize;
                }
                Op::Addr { dst, loc } => regs[usize::from(dst)] = self.addr(loc, regs).0,
                Op::Load { dst, loc, at } => {
                    let a = self.addr(loc, regs);
                    regs[usize::from(dst)] = self.step(m, Action::Load(a), at)?;
                }
                Op::LoadIgnored { loc, at } => {
                    let a = self.addr(loc, regs);
                    self.ignoring(m, Action::Load(a), at)?;
                }
                Op::Store { loc, val, at } => {
                    let a = self.addr(loc, regs);
                    self.step(m, Action::Store(a, regs[usize::from(val)]), at)?;
                }
                Op::Cmpxchg { dst, loc, old, new, at } => {
                    let action = Action::Cmpxchg {
                        at: self.addr(loc, regs),
                        old: regs[usize::from(old)],
                        new: regs[usize::from(new)],
                    };
                    regs[usize::from(dst)] = self.step(m, action, at)?;
                }
                Op::CmpxchgIgnored { loc, old, new, at } => {
                    let action = Action::Cmpxchg {
                        at: self.addr(loc, regs),
                        old: regs[usize::from(old)],
                        new: regs[usize::from(new)],
                    };
                    self.ignoring(m, action, at)?;
                }
                Op::Lock { at } => {
                    if self.holding {
                        return Err(Halt::Fault(at, FaultKind::SelfDeadlock));
                    }
                    self.step(m, Action::Lock(self.file.lock), at)?;
                    self.holding = true;
                }
                Op::Unlock { at } => {
                    if !self.holding {
                        return Err(Halt::Fault(at, FaultKind::UnlockNotHeld));
                    }
                    self.step(m, Action::Unlock(self.file.lock), at)?;
                    self.holding = false;
                }
                Op::Call { func, args, n, dst } => {
                    let (args, n, frame) = (usize::from(args), usize::from(n), funcs[f].frame);
                    regs.copy_within(args..args + n, frame);
                    let (_, callee) = regs.split_at_mut(frame);
                    let (v, _) = self.exec(usize::from(func), callee, m)?;
                    regs[usize::from(dst)] = v;
                }
                Op::Ret { src, at } => return Ok((regs[usize::from(src)], at)),
                Op::RetVoid { at } => return Ok((0, at)),
            }
        }
    }
}
