//! One worker's loop, on any [`Memory`]: the same code runs on
//! `AtomicU32` across native threads and on JS `Atomics` in Web Workers.
//!
//! Each operation is, by a coin the worker's PRNG throws, either
//!
//! - a **set**: the scheme's `mapping_set_error` with one of the plan's
//!   errnos (linux-5.8 also sets the superblock's word, 4.13+ the legacy
//!   flag), or
//! - a **report**: what fsync returns on the worker's cursor. For the
//!   merged schemes that is the errseq half of
//!   `file_check_and_advance_wb_err` (`errseq::vfs::advance_file_cursor`:
//!   a lockless check, then check-and-advance under `f_lock`); for rfc-v2
//!   and its review variants, `rfc::v2_report` under `f_lock`; in the
//!   unserialized mode, `errseq_check_and_advance` with no lock. The legacy
//!   flag clears that follow in the kernel touch another word and cannot
//!   change what the cursor reports (as in the loom models), so they are
//!   left out.
//!
//! What a set and a report run is the plan's scheme's, built-in or
//! written ([`crate::written`]); the loop is generic over it, so a
//! built-in scheme's loop is the very code it was.
//!
//! A thin wrapper ([`Tally`]) watches the steps go by: the cmpxchgs on the
//! word (did this set change the word, did it move the counter, did the
//! report's SEEN marking land), the store to the cursor (the value the
//! report advanced to), and whether the call holds `f_lock`. Nothing about
//! the algorithms changes.
//!
//! **A written scheme's fault** ends the worker's loop at once: it
//! releases `f_lock` if the faulting call left it held (a fault inside
//! the locked region, or a return holding it; otherwise the workers
//! sharing the cursor would spin on it forever), flushes its counts,
//! raises STOP ([`STOP_FAULT`]) so that the others end theirs at their
//! next flush, marks itself [`FAULTED`], and hands the fault to its
//! driver.
//!
//! **Catching a double report at once.** Every report that returns an
//! error sets the bit of the counter value it advanced its cursor to, in
//! that cursor's bitmap, with one `fetch_or`; finding the bit already set
//! is a double report. This is exact because, in a correct run, once a
//! report on a cursor has seen its value marked SEEN (its cmpxchg landed,
//! someone else's did, or the value was SEEN already), the word can only
//! leave that counter by a set, which moves the counter on; so that cursor
//! can never be told that counter value again. One case is legitimately
//! different: when the SEEN marking did not land because a set of another
//! errno replaced the still-unseen value and the word is still at that
//! counter (an unseen error is overwritten, not counted), the cursor will
//! rightly report the new errno at the same counter. Such a report is counted as *unconfirmed* and sets
//! no bit. It needs two distinct errnos; with one, every report is
//! confirmed and the check catches every double report.

use errseq::memory::{Action, Addr, Memory};

use crate::layout::{
    counter, worker, StressLayout, DONE, FAULTED, RUNNING, STOP, STOP_COUNTER_BUDGET, STOP_FAULT,
};
use crate::plan::{Budget, FaultKind, Plan, Sharing, PPM};
use crate::written::{Algorithm, BuiltIn, Called, WrittenFault};

/// Counters go to the shared cells, the heartbeat is bumped and the stop
/// flag read, every this many operations.
pub const FLUSH_EVERY: u32 = 256;

/// What one worker did.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkerCounts {
    pub ops: u32,
    pub sets: u32,
    pub reports: u32,
    /// Reports that returned an error.
    pub errors: u32,
    /// Sets that moved the word's counter.
    pub increments: u32,
    /// Sets that changed the word.
    pub changes: u32,
    /// Error reports whose SEEN marking was overtaken (see the module).
    pub unconfirmed: u32,
    /// Error reports of a counter value the cursor had reported before.
    pub double: u32,
    pub elapsed_us: u32,
}

impl WorkerCounts {
    /// Worker `w`'s counts in a snapshot of the cells.
    pub fn read(layout: &StressLayout, cells: &[u32], w: u32) -> WorkerCounts {
        let at = |off| cells.get(layout.worker(w, off).index()).copied().unwrap_or(0);
        WorkerCounts {
            ops: at(worker::OPS),
            sets: at(worker::SETS),
            reports: at(worker::REPORTS),
            errors: at(worker::ERRORS),
            increments: at(worker::INCREMENTS),
            changes: at(worker::CHANGES),
            unconfirmed: at(worker::UNCONFIRMED),
            double: at(worker::DOUBLE),
            elapsed_us: at(worker::ELAPSED_US),
        }
    }

    /// Operations per second over this worker's own elapsed time.
    pub fn ops_per_sec(&self) -> f64 {
        if self.elapsed_us == 0 {
            return 0.0;
        }
        f64::from(self.ops) * 1e6 / f64::from(self.elapsed_us)
    }
}

/// A run's throughput, computed the same way for threads and Web Workers:
/// all operations over the slowest worker's time from GO to its end.
/// Returns (ops per second, the slowest worker's microseconds).
pub fn throughput(workers: &[WorkerCounts]) -> (f64, u32) {
    let slowest = workers.iter().map(|c| c.elapsed_us).max().unwrap_or(0);
    let ops: u64 = workers.iter().map(|c| u64::from(c.ops)).sum();
    let rate = if slowest == 0 { 0.0 } else { ops as f64 * 1e6 / f64::from(slowest) };
    (rate, slowest)
}

/// A small deterministic PRNG (SplitMix64), one per worker.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64, worker: u32) -> Rng {
        Rng(seed ^ u64::from(worker).wrapping_add(1).wrapping_mul(0xD1B5_4A32_D192_ED03))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Watches one call's steps on the word and the cursor, passing every step
/// through unchanged.
///
/// Stores to the word and `f_lock` are watched for a written scheme only
/// ([`Algorithm::WRITTEN`]): a built-in scheme writes the word by cmpxchg
/// alone and never faults, and watching the rest doubled its native
/// loop's instructions (132 M against 62 M for a million operations of
/// one worker, callgrind) and halved its speed.
struct Tally<'m, M, A> {
    inner: &'m mut M,
    scheme: core::marker::PhantomData<A>,
    word: Addr,
    cursor: Addr,
    /// The last cmpxchg on the word: (old, new, what the word held).
    cas: Option<(u32, u32, u32)>,
    /// The last value stored to the cursor.
    stored: Option<u32>,
    /// The word's value as this call last read or wrote it.
    known: Option<u32>,
    /// Writes to the word that changed it / moved its counter: successful
    /// cmpxchgs, and stores (a written scheme may `WRITE_ONCE` the word)
    /// of a value other than the one the call last saw there.
    changes: u32,
    increments: u32,
    /// The lock this worker holds, if it holds one.
    held: Option<Addr>,
}

impl<'m, M: Memory, A: Algorithm> Tally<'m, M, A> {
    fn new(inner: &'m mut M, word: Addr, cursor: Addr) -> Self {
        Tally {
            inner,
            scheme: core::marker::PhantomData,
            word,
            cursor,
            cas: None,
            stored: None,
            known: None,
            changes: 0,
            increments: 0,
            held: None,
        }
    }

    fn begin(&mut self) {
        self.cas = None;
        self.stored = None;
        self.known = None;
        self.changes = 0;
        self.increments = 0;
    }

    /// The word went from `old` to `new` by this call's write.
    #[inline]
    fn wrote(&mut self, old: u32, new: u32) {
        if A::WRITTEN {
            self.known = Some(new);
        }
        if new != old {
            self.changes += 1;
            if counter(new) != counter(old) {
                self.increments += 1;
            }
        }
    }

    /// The value an error report advanced the cursor to, if its SEEN
    /// marking is settled (see the module); `None` when it was overtaken.
    fn confirmed_report(&self) -> Option<u32> {
        let settled = match self.cas {
            None => true,
            // Landed; someone else marked the same value; the value was
            // SEEN already; or the word has since left that counter, which
            // only a set after a SEEN value does.
            Some((old, new, held)) => {
                old == new || held == old || held == new || counter(held) != counter(old)
            }
        };
        self.stored.filter(|_| settled)
    }
}

impl<M: Memory, A: Algorithm> Memory for Tally<'_, M, A> {
    type Stop = M::Stop;

    #[inline]
    fn step(&mut self, action: Action) -> Result<u32, M::Stop> {
        let value = self.inner.step(action)?;
        match action {
            Action::Cmpxchg { at, old, new } if at == self.word => {
                self.cas = Some((old, new, value));
                if A::WRITTEN {
                    self.known = Some(value);
                }
                if value == old {
                    self.wrote(old, new);
                }
            }
            Action::Store(at, v) if at == self.cursor => self.stored = Some(v),
            _ if !A::WRITTEN => {}
            Action::Load(at) if at == self.word => self.known = Some(value),
            // A blind store (nothing read first) cannot be counted: the
            // count check then says the counter moved more than counted.
            Action::Store(at, v) if at == self.word => {
                if let Some(old) = self.known {
                    self.wrote(old, v);
                }
            }
            Action::Lock(at) => self.held = Some(at),
            Action::Unlock(_) => self.held = None,
            _ => {}
        }
        Ok(value)
    }
}

fn flush<M: Memory>(
    m: &mut M,
    layout: &StressLayout,
    w: u32,
    c: &WorkerCounts,
    beat: &mut u32,
) -> Result<(), M::Stop> {
    let at = |off| layout.worker(w, off);
    m.store(at(worker::OPS), c.ops)?;
    m.store(at(worker::SETS), c.sets)?;
    m.store(at(worker::REPORTS), c.reports)?;
    m.store(at(worker::ERRORS), c.errors)?;
    m.store(at(worker::INCREMENTS), c.increments)?;
    m.store(at(worker::CHANGES), c.changes)?;
    m.store(at(worker::UNCONFIRMED), c.unconfirmed)?;
    m.store(at(worker::DOUBLE), c.double)?;
    *beat = beat.wrapping_add(1);
    m.store(at(worker::HEARTBEAT), *beat)
}

/// Runs worker `index` of `plan` until its budget is spent, the STOP cell
/// is raised, or its share of the counter budget is used up; its counts
/// are in the cells (flushed every [`FLUSH_EVERY`] ops and at the end) and
/// returned. The driver starts workers together (the GO barrier), measures
/// the time, and calls [`finish`]. `Err` (inside): the plan's written
/// scheme faulted, the loop ended there (see the module); the driver
/// reports it and does not call [`finish`].
///
/// The caller has validated the plan and `index < plan.workers`. A fault
/// the plan injects into this worker panics or hangs here, on purpose.
pub fn run_worker<M: Memory>(
    m: &mut M,
    plan: &Plan,
    layout: &StressLayout,
    index: u32,
) -> Result<Result<WorkerCounts, WrittenFault>, M::Stop> {
    match &plan.written {
        None => Ok(Ok(run_built_in(m, plan, layout, index)?)),
        Some(w) => run_with(m, plan, w, layout, index),
    }
}

/// [`run_worker`] for a plan without a written scheme (its `written` is
/// not read): what the wasm-atomics engine runs, which so links no
/// interpreter.
pub fn run_built_in<M: Memory>(
    m: &mut M,
    plan: &Plan,
    layout: &StressLayout,
    index: u32,
) -> Result<WorkerCounts, M::Stop> {
    match run_with(m, plan, &BuiltIn(plan.scheme), layout, index)? {
        Ok(c) => Ok(c),
        Err(never) => match never {},
    }
}

/// Opens every cursor of the run (`do_dentry_open`'s sample): what one
/// driver does before any worker starts (natively the driver, in the
/// browser worker 0 before it reaches the start barrier). On the word's
/// first value, 0, a built-in scheme's sample stores 0, the cells' first
/// value; a written scheme's `errseq_sample` may store anything.
pub fn open_cursors<M: Memory>(
    m: &mut M,
    plan: &Plan,
    layout: &StressLayout,
) -> Result<Result<(), WrittenFault>, M::Stop> {
    for k in 0..layout.cursors() {
        let (mapping, sb, file) = (layout.mapping(), layout.sb(), layout.file(k));
        let opened = match &plan.written {
            None => BuiltIn(plan.scheme).open(m, mapping, sb, file)?.map_err(WrittenFault::from),
            Some(w) => w.open(m, mapping, sb, file)?,
        };
        if opened.is_err() {
            return Ok(opened);
        }
    }
    Ok(Ok(()))
}

fn run_with<M: Memory, A: Algorithm>(
    m: &mut M,
    plan: &Plan,
    scheme: &A,
    layout: &StressLayout,
    index: u32,
) -> Result<Result<WorkerCounts, A::Fault>, M::Stop> {
    let w = Worker::new(plan, layout, index);
    let limit = match plan.budget {
        Budget::Ops(n) => n,
        Budget::Millis(_) => u32::MAX,
    };
    let mut rng = Rng::new(plan.seed, index);
    let mut c = WorkerCounts::default();
    let mut beat = 0;

    m.store(layout.worker(index, worker::STATE), RUNNING)?;
    let mut t = Tally::<M, A>::new(m, w.mapping.wb_err, w.file.wb_err);
    while c.ops < limit {
        flush(t.inner, layout, index, &c, &mut beat)?;
        if t.inner.load(STOP)? != 0 {
            break;
        }
        let end = limit.min(c.ops.saturating_add(FLUSH_EVERY));
        match w.batch(scheme, &mut t, &mut c, &mut rng, end)? {
            Batch::Done => {}
            Batch::CounterBudget => break,
            Batch::Fault(fault) => return stop_on_fault(t, layout, index, &c, &mut beat, fault),
        }
    }
    flush(t.inner, layout, index, &c, &mut beat)?;
    Ok(Ok(c))
}

/// How a batch of operations ended.
enum Batch<F> {
    Done,
    /// The counter budget stopped the run.
    CounterBudget,
    /// A written scheme's call faulted.
    Fault(F),
}

/// The end of a worker whose written scheme faulted (see the module).
fn stop_on_fault<M: Memory, A: Algorithm>(
    t: Tally<'_, M, A>,
    layout: &StressLayout,
    index: u32,
    c: &WorkerCounts,
    beat: &mut u32,
    fault: A::Fault,
) -> Result<Result<WorkerCounts, A::Fault>, M::Stop> {
    if let Some(lock) = t.held {
        t.inner.unlock(lock)?;
    }
    flush(t.inner, layout, index, c, beat)?;
    t.inner.fetch_or(STOP, STOP_FAULT)?;
    t.inner.store(layout.worker(index, worker::STATE), FAULTED)?;
    Ok(Err(fault))
}

/// What one worker's operations need to know, fixed for the run.
struct Worker<'p> {
    plan: &'p Plan,
    layout: &'p StressLayout,
    index: u32,
    mapping: errseq::Mapping,
    sb: Addr,
    cursor: u32,
    file: errseq::File,
    /// A set when the low half of a random word is below this.
    threshold: u64,
    fault: Option<(u32, FaultKind)>,
    quota: u32,
}

impl<'p> Worker<'p> {
    fn new(plan: &'p Plan, layout: &'p StressLayout, index: u32) -> Self {
        let cursor = plan.cursor_of(index);
        Worker {
            plan,
            layout,
            index,
            mapping: layout.mapping(),
            sb: layout.sb(),
            cursor,
            file: layout.file(cursor),
            threshold: (u64::from(plan.set_ppm) << 32) / u64::from(PPM),
            fault: plan.fault.filter(|f| f.worker == index).map(|f| (f.after_ops, f.kind)),
            quota: layout.increment_quota(),
        }
    }

    /// Operations until `c.ops` reaches `end` (at most [`FLUSH_EVERY`] of
    /// them), or until the counter budget stops the run or a written
    /// scheme faults.
    ///
    /// Out of line on purpose: V8 starts a wasm function on its baseline
    /// compiler and only calls made after the optimizing tier is ready run
    /// the optimized code (it does not replace a running frame). A loop
    /// that ran for the whole run inside one call would stay on baseline
    /// code; a call per batch picks up the optimized code within the first
    /// milliseconds. Natively it costs a call per 256 operations.
    #[inline(never)]
    fn batch<M: Memory, A: Algorithm>(
        &self,
        scheme: &A,
        t: &mut Tally<'_, M, A>,
        c: &mut WorkerCounts,
        rng: &mut Rng,
        end: u32,
    ) -> Result<Batch<A::Fault>, M::Stop> {
        while c.ops < end {
            if let Some((at, kind)) = self.fault {
                if c.ops == at {
                    inject(self.plan, self.index, kind);
                }
            }
            let r = rng.next_u64();
            let done = if (r & 0xffff_ffff) < self.threshold {
                if c.increments >= self.quota {
                    t.inner.fetch_or(STOP, STOP_COUNTER_BUDGET)?;
                    return Ok(Batch::CounterBudget);
                }
                let errnos = &self.plan.errnos;
                self.set(scheme, t, c, errnos[(r >> 32) as usize % errnos.len()])?
            } else {
                self.report(scheme, t, c)?
            };
            if let Err(fault) = done {
                return Ok(Batch::Fault(fault));
            }
            c.ops += 1;
        }
        Ok(Batch::Done)
    }

    fn set<M: Memory, A: Algorithm>(
        &self,
        scheme: &A,
        t: &mut Tally<'_, M, A>,
        c: &mut WorkerCounts,
        errno: errseq::Errno,
    ) -> Called<(), A::Fault, M::Stop> {
        t.begin();
        if let Err(fault) = scheme.set(t, self.mapping, self.sb, errno)? {
            return Ok(Err(fault));
        }
        c.sets += 1;
        c.changes += t.changes;
        c.increments += t.increments;
        Ok(Ok(()))
    }

    fn report<M: Memory, A: Algorithm>(
        &self,
        scheme: &A,
        t: &mut Tally<'_, M, A>,
        c: &mut WorkerCounts,
    ) -> Called<(), A::Fault, M::Stop> {
        t.begin();
        let locked = self.plan.sharing != Sharing::Unserialized;
        let ret = match scheme.report(t, self.mapping, self.file, locked)? {
            Ok(ret) => ret,
            Err(fault) => return Ok(Err(fault)),
        };
        c.reports += 1;
        if ret.is_ok() {
            return Ok(Ok(()));
        }
        c.errors += 1;
        match t.confirmed_report() {
            Some(value) => {
                let (cell, bit) = self.layout.bitmap_bit(self.cursor, counter(value));
                if t.inner.fetch_or(cell, bit)? & bit != 0 {
                    c.double += 1;
                }
            }
            None => c.unconfirmed += 1,
        }
        Ok(Ok(()))
    }
}

/// The fault a plan injects: a panic, or a spin with no heartbeat that
/// only terminating the worker ends.
fn inject(plan: &Plan, index: u32, kind: FaultKind) {
    match kind {
        FaultKind::Panic => {
            panic!("injected fault: worker {index} panics after {} ops", fault_after(plan))
        }
        FaultKind::Hang => loop {
            core::hint::spin_loop();
        },
    }
}

fn fault_after(plan: &Plan) -> u32 {
    plan.fault.map_or(0, |f| f.after_ops)
}

/// The driver's epilogue: the worker's elapsed time, then DONE.
pub fn finish<M: Memory>(
    m: &mut M,
    layout: &StressLayout,
    index: u32,
    elapsed_us: u32,
) -> Result<(), M::Stop> {
    m.store(layout.worker(index, worker::ELAPSED_US), elapsed_us)?;
    m.store(layout.worker(index, worker::STATE), DONE)
}
