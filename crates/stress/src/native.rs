//! The native driver: one `std::thread` per worker on
//! [`errseq::atomic::AtomicCells`], the baseline the Web Workers are
//! measured against.
//!
//! The protocol is the page's: each thread adds itself to ARRIVED and
//! waits for GO; the driver raises GO once all have arrived, so the
//! threads really overlap. Each thread times itself from GO to the end of
//! its loop; the run's time is the slowest thread's, and its throughput
//! all operations over that time (the page computes both the same way).

// The crate is `no_std`; this driver is the one part that needs threads.
use std::prelude::rust_2021::*;

use std::fmt;
use std::time::{Duration, Instant};

use errseq::atomic::AtomicCells;
use errseq::memory::{complete, Memory};

use crate::check::{check, Verdict};
use crate::layout::{StressLayout, ARRIVED, CRASHED, GO, STOP, STOP_REQUESTED};
use crate::plan::{Budget, FaultKind, Plan, PlanError};
use crate::run::{finish, open_cursors, run_worker, throughput, WorkerCounts};
use crate::written::WrittenFault;

/// A finished native run.
#[derive(Clone, Debug)]
pub struct NativeRun {
    pub verdict: Verdict,
    /// The slowest worker's time from GO to its end.
    pub elapsed: Duration,
    pub workers: Vec<WorkerCounts>,
    /// All operations over `elapsed`.
    pub ops_per_sec: f64,
    /// The cells at the end.
    pub cells: Vec<u32>,
}

/// Why a native run could not finish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NativeError {
    Plan(PlanError),
    /// A hang fault needs the page's watchdog: natively nothing could end it.
    Hang,
    /// A worker panicked (an injected fault, or a bug).
    Crashed {
        worker: u32,
        message: String,
    },
    /// The written scheme faulted: in a worker, or (`None`) when the
    /// driver opened the cursors.
    Fault {
        worker: Option<u32>,
        fault: WrittenFault,
    },
}

impl fmt::Display for NativeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NativeError::Plan(e) => write!(f, "{e}"),
            NativeError::Hang => f.write_str("a hang fault cannot run natively: nothing would end it"),
            NativeError::Crashed { worker, message } => write!(f, "worker {worker} crashed: {message}"),
            NativeError::Fault { worker: Some(w), fault } => write!(f, "worker {w} stopped: {fault}"),
            NativeError::Fault { worker: None, fault } => write!(f, "opening the cursors: {fault}"),
        }
    }
}

impl std::error::Error for NativeError {}

/// Runs `plan` on native threads and checks the result.
pub fn run_native(plan: &Plan) -> Result<NativeRun, NativeError> {
    plan.validate().map_err(NativeError::Plan)?;
    if plan.fault.is_some_and(|f| f.kind == FaultKind::Hang) {
        return Err(NativeError::Hang);
    }
    let layout = StressLayout::new(plan);
    let cells = AtomicCells::new(layout.len());
    complete(open_cursors(&mut &cells, plan, &layout))
        .map_err(|fault| NativeError::Fault { worker: None, fault })?;
    let outcomes: Vec<Result<Option<WrittenFault>, String>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..plan.workers)
            .map(|w| {
                let (cells, layout) = (&cells, &layout);
                s.spawn(move || worker(cells, plan, layout, w))
            })
            .collect();
        let mut m = &cells;
        while complete(m.load(ARRIVED)) < plan.workers && !handles.iter().any(|h| h.is_finished()) {
            std::thread::yield_now();
        }
        complete(m.store(GO, 1));
        if let Budget::Millis(ms) = plan.budget {
            let deadline = Instant::now() + Duration::from_millis(u64::from(ms));
            while Instant::now() < deadline && !handles.iter().all(|h| h.is_finished()) {
                std::thread::sleep(
                    Duration::from_millis(1).min(deadline.saturating_duration_since(Instant::now())),
                );
            }
            complete(m.fetch_or(STOP, STOP_REQUESTED));
        }
        handles.into_iter().map(|h| h.join().map_err(|e| panic_message(&*e))).collect()
    });
    for (w, outcome) in outcomes.into_iter().enumerate() {
        match outcome {
            Ok(None) => {}
            Ok(Some(fault)) => return Err(NativeError::Fault { worker: Some(w as u32), fault }),
            Err(message) => {
                let mut m = &cells;
                complete(m.store(layout.worker(w as u32, crate::layout::worker::STATE), CRASHED));
                return Err(NativeError::Crashed { worker: w as u32, message });
            }
        }
    }
    let values = cells.values();
    let workers: Vec<WorkerCounts> =
        (0..plan.workers).map(|w| WorkerCounts::read(&layout, &values, w)).collect();
    let (ops_per_sec, slowest) = throughput(&workers);
    let elapsed = Duration::from_micros(u64::from(slowest));
    let verdict = check(plan, &layout, &values);
    Ok(NativeRun { verdict, elapsed, workers, ops_per_sec, cells: values })
}

/// One thread: arrive, wait for GO, run, time it, finish; or the written
/// scheme's fault that stopped it.
fn worker(cells: &AtomicCells, plan: &Plan, layout: &StressLayout, w: u32) -> Option<WrittenFault> {
    let mut m = cells;
    complete(m.fetch_add_arrived());
    while complete(m.load(GO)) == 0 {
        std::hint::spin_loop();
        std::thread::yield_now();
    }
    let start = Instant::now();
    if let Err(fault) = complete(run_worker(&mut m, plan, layout, w)) {
        return Some(fault);
    }
    let us = u32::try_from(start.elapsed().as_micros()).unwrap_or(u32::MAX);
    complete(finish(&mut m, layout, w, us));
    None
}

/// ARRIVED += 1, as a cmpxchg loop (the Memory trait has no fetch_add).
trait Arrive {
    fn fetch_add_arrived(&mut self) -> Result<(), core::convert::Infallible>;
}

impl Arrive for &AtomicCells {
    fn fetch_add_arrived(&mut self) -> Result<(), core::convert::Infallible> {
        let mut cur = self.load(ARRIVED)?;
        loop {
            let seen = self.cmpxchg(ARRIVED, cur, cur + 1)?;
            if seen == cur {
                return Ok(());
            }
            cur = seen;
        }
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panicked".to_owned()
    }
}
