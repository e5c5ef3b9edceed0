//! Scenarios with `par` blocks on the live kernel.
//!
//! A live kernel cannot replay a chosen interleaving, but it can be asked
//! many times. The scenario runs `runs` times; the tasks of each `par`
//! block run as threads that a barrier releases together, so the kernel's
//! scheduler (two cores here) picks the interleaving. Each run yields one
//! joint outcome, the result of every call that returns; the report counts
//! them next to the explorer's joint outcomes for `linux`, and the
//! scenario disagrees when the kernel produced one the model says cannot
//! happen. A model outcome the kernel was not seen to produce is shown,
//! not counted against it: 300 runs are a sample, not a proof.
//!
//! Every run starts from the state the model starts from: faultfs healed,
//! the previous run's files removed and created afresh (every page at
//! version 0, synced), then the filesystem unmounted and mounted again.
//! The unmount writes everything back and drops the filesystem's inodes
//! and pages; the mount allocates a new `struct super_block`
//! (`alloc_super`, fs/super.c), whose `s_wb_err` starts at 0, as after
//! mkfs. New files have new mappings whose `wb_err` starts at 0.

use std::collections::HashMap;
use std::os::fd::OwnedFd;
use std::sync::Barrier;
use std::time::Instant;

use errseq_explorer::{Bounds, Exploration};
use errseq_scenario::{Event, Item, Name, Parsed, Place, Stmt};

use crate::exec::{create_files, open_private, write_versions, Cx, Did, FileInfo};
use crate::rig::{Build, Rig};
use crate::{Fs, Injection, Joint, Observed, Options, OracleError, ParCall, ParReport, Report, DEFAULT_RUNS};

/// Runs `parsed` (as `p`: the `linux` scheme, `fs`'s profile) `runs`
/// times and compares its joint outcomes with the explorer's.
pub(crate) fn run(
    parsed: &Parsed,
    p: &Parsed,
    fs: Fs,
    size: u64,
    opts: &Options,
) -> Result<Report, OracleError> {
    check_reads(p)?;
    let model = explore(p)?;
    let calls = returning_calls(p);
    let injection = opts.injection.unwrap_or(Injection::default_for(fs));
    let runs = opts.runs.unwrap_or(DEFAULT_RUNS).max(1);
    let versions = write_versions(p);
    let interrupt = opts.interrupt.as_deref();
    let mut rig = Rig::new(fs, &Build { data: None, size, interrupt })?;
    let started = Instant::now();
    let mut tally: Vec<(Vec<Observed>, usize)> = Vec::new();
    let mut overlapped = 0;
    let mut files: Vec<FileInfo> = Vec::new();
    for run in 0..runs {
        crate::check_interrupt(interrupt)?;
        if run == 1 {
            crate::stage("mid-run", interrupt)?;
        }
        files = fresh_files(&mut rig, p, injection, &files)?;
        let cx = Cx {
            mnt: &rig.mnt,
            ctl: rig.ctl_path(),
            files: &files,
            injection,
            bindings: &p.bindings,
            versions: &versions,
            interrupt,
        };
        let (results, overlap) = one_run(&cx, p, opts)?;
        overlapped += usize::from(overlap);
        let joint: Vec<Observed> = calls.iter().map(|c| results[c.event].clone()).collect();
        match tally.iter_mut().find(|(r, _)| *r == joint) {
            Some((_, n)) => *n += 1,
            None => tally.push((joint, 1)),
        }
    }
    let elapsed = started.elapsed();
    let outcomes = joints(&calls, &model, tally);
    Ok(Report {
        title: parsed.scenario.title.clone(),
        fs,
        kernel: crate::kernel_release(),
        injection,
        rows: Vec::new(),
        final_pages: Vec::new(),
        notes: crate::run::profile_note(parsed, fs).into_iter().collect(),
        injector: rig.status(),
        par: Some(ParReport { runs, overlapped, calls, outcomes, saturated: model.saturated, elapsed }),
    })
}

/// Refuses a `read` of a page whose versions the runs cannot name as the
/// model does. A run's writes carry versions counted in text order
/// ([`write_versions`]); the model counts them in the order the writes
/// happen, which, for two tasks of one block writing the same page,
/// depends on the interleaving, and a failed direct write makes no
/// version at all. Results never show versions, but a read's does.
fn check_reads(p: &Parsed) -> Result<(), OracleError> {
    let page_of = |i: usize, e: &Event| match e {
        Event::Write { page, .. } | Event::MmapWrite { page, .. } | Event::Read { page, .. } => {
            p.bindings.events[i].file.map(|f| (f, *page))
        }
        _ => None,
    };
    let direct =
        |i: usize| p.bindings.events[i].desc.is_some_and(|d| p.bindings.descriptions[d].flags.direct);
    let mut ambiguous: Vec<(usize, u32)> = Vec::new();
    // The pages each block's tasks write.
    let mut in_block: HashMap<usize, Vec<(usize, u32)>> = HashMap::new();
    for (i, (s, place)) in p.scenario.stmts().enumerate() {
        let Some(page) = page_of(i, &s.event) else { continue };
        if matches!(s.event, Event::Read { .. }) {
            continue;
        }
        if matches!(s.event, Event::Write { .. }) && direct(i) {
            ambiguous.push(page);
        }
        if let Place::Task { block, .. } = place {
            let written = in_block.entry(block).or_default();
            if written.contains(&page) {
                ambiguous.push(page);
            }
            written.push(page);
        }
    }
    for (i, (s, _)) in p.scenario.stmts().enumerate() {
        if let (Event::Read { .. }, Some(page)) = (&s.event, page_of(i, &s.event)) {
            if ambiguous.contains(&page) {
                return Err(OracleError::Unsupported {
                    line: p.source.events.get(i).map_or(0, |e| e.line()),
                    call: s.event.to_string(),
                    reason: "in a scenario with `par` blocks this page's versions depend on the \
                             interleaving (two tasks of one block write it, or a direct write may make \
                             no version), and a run cannot tell which write made what it reads"
                        .into(),
                });
            }
        }
    }
    Ok(())
}

/// The explorer's joint outcomes of `p` under `linux` (the only scheme `p`
/// names).
fn explore(p: &Parsed) -> Result<Exploration, OracleError> {
    let refuse = |reason: String| OracleError::Unsupported {
        line: p.source.blocks.first().map_or(0, |b| b.line),
        call: "par".into(),
        reason,
    };
    let report = errseq_explorer::check(p, Bounds::default())
        .map_err(|e| refuse(format!("the explorer cannot enumerate its interleavings: {e}")))?;
    report
        .columns
        .into_iter()
        .next()
        .map(|c| c.exploration)
        .ok_or_else(|| refuse("the explorer returned no `linux` column".into()))
}

/// The calls that return, in text order: the columns of a joint outcome.
fn returning_calls(p: &Parsed) -> Vec<ParCall> {
    p.scenario
        .stmts()
        .enumerate()
        .filter(|(i, _)| p.bindings.events[*i].returns)
        .map(|(event, (s, place))| {
            let line = p.source.events.get(event).map_or(0, |e| e.line());
            ParCall {
                event,
                line,
                name: s.label.as_ref().map_or_else(|| format!("{line}:{}", s.event), |l| l.to_string()),
                block: match place {
                    Place::Top => None,
                    Place::Task { block, .. } => Some(block),
                },
            }
        })
        .collect()
}

/// The kernel's tally and the model's outcomes, side by side.
fn joints(calls: &[ParCall], model: &Exploration, tally: Vec<(Vec<Observed>, usize)>) -> Vec<Joint> {
    let mut out: Vec<Joint> = model
        .outcomes
        .iter()
        .map(|o| Joint {
            results: calls
                .iter()
                .map(|c| o.results[c.event].map_or(Observed::Done, Observed::Returned))
                .collect(),
            runs: 0,
            interleavings: o.count,
        })
        .collect();
    for (results, runs) in tally {
        match out.iter_mut().find(|j| j.results == results) {
            Some(j) => j.runs += runs,
            None => out.push(Joint { results, runs, interleavings: 0 }),
        }
    }
    out.sort_by_key(|j| j.results.iter().map(Observed::to_string).collect::<Vec<_>>());
    out
}

/// Puts the filesystem in the state the model starts from: no rule in
/// faultfs, the previous run's files gone, every file created afresh at
/// version 0 and synced, then a remount: a new superblock (`s_wb_err` 0)
/// and a cold cache. Returns where the new files' data lives.
fn fresh_files(
    rig: &mut Rig,
    p: &Parsed,
    injection: Injection,
    previous: &[FileInfo],
) -> Result<Vec<FileInfo>, OracleError> {
    rig.control("heal all")?;
    for f in previous {
        match std::fs::remove_file(rig.path(&f.name)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(OracleError::Setup(format!("removing {}: {e}", f.name))),
        }
    }
    let files = create_files(rig, p, injection)?;
    rig.remount()?;
    // ext4 records where it was mounted at the first open after a mount
    // (`ext4_sample_last_mounted`, a journal handle on the superblock):
    // done here, so that it is not the scenario's first open that does it.
    if let Some(f) = files.first() {
        let fd = open_private(&rig.path(&f.name))
            .map_err(|e| OracleError::Setup(format!("opening {} after the remount: {e}", f.name)))?;
        drop(fd);
    }
    Ok(files)
}

/// One run of the scenario: top-level calls one after the other, each
/// `par` block as threads. Returns every event's result, and whether the
/// tasks of every block overlapped. The fds the scenario leaves open are
/// closed before it returns.
fn one_run(cx: &Cx<'_>, p: &Parsed, opts: &Options) -> Result<(Vec<Observed>, bool), OracleError> {
    let events = p.scenario.stmts().count();
    let mut results = vec![Observed::Done; events];
    let mut fds: HashMap<Name, OwnedFd> = HashMap::new();
    let mut overlapped = true;
    let mut event = 0;
    for item in &p.scenario.body {
        match item {
            Item::Stmt(s) => {
                crate::check_interrupt(cx.interrupt)?;
                if let Some(d) = opts.pause {
                    crate::state::sleep(d, cx.interrupt)?;
                }
                let closing = closing_fd(&s.event, &mut fds);
                let did = cx.call(event, &s.event, &fds, closing)?;
                results[event] = record(did, &mut fds);
                event += 1;
            }
            Item::Par(par) => {
                let tasks: Vec<&Stmt> = par
                    .items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Stmt(s) => Some(s),
                        _ => None,
                    })
                    .collect();
                let (dids, overlap) = run_block(cx, event, &tasks, &mut fds)?;
                overlapped &= overlap;
                for (k, did) in dids.into_iter().enumerate() {
                    results[event + k] = record(did, &mut fds);
                }
                event += tasks.len();
            }
            Item::Claim(_) | Item::Note(_) | Item::Gap | Item::Scheme(_) => {}
        }
    }
    Ok((results, overlapped))
}

/// A `close` owns the fd it closes: taken out of the table first.
fn closing_fd(ev: &Event, fds: &mut HashMap<Name, OwnedFd>) -> Option<OwnedFd> {
    match ev {
        Event::Close { fd } => fds.remove(fd),
        _ => None,
    }
}

/// Puts a new fd in the table; returns the call's result.
fn record(did: Did, fds: &mut HashMap<Name, OwnedFd>) -> Observed {
    if let Some((name, fd)) = did.opened {
        fds.insert(name, fd);
    }
    did.kernel
}

/// The tasks of one `par` block, each on a thread of its own; a barrier
/// releases them together, so that their system calls overlap. The
/// checker lets no task use an fd another task of the block opens or
/// closes, so the tasks share the table read-only, and a `close` task
/// owns its fd. Also says whether the tasks' calls were all in progress
/// at one moment (the last to start started before the first to end
/// ended): a run where one task finished before another began tests no
/// race.
fn run_block(
    cx: &Cx<'_>,
    first: usize,
    tasks: &[&Stmt],
    fds: &mut HashMap<Name, OwnedFd>,
) -> Result<(Vec<Did>, bool), OracleError> {
    let owned: Vec<Option<OwnedFd>> = tasks.iter().map(|t| closing_fd(&t.event, fds)).collect();
    let barrier = Barrier::new(tasks.len());
    let table: &HashMap<Name, OwnedFd> = fds;
    let outs: Vec<Result<(Did, Instant, Instant), OracleError>> = std::thread::scope(|s| {
        let handles: Vec<_> = tasks
            .iter()
            .zip(owned)
            .enumerate()
            .map(|(k, (task, closing))| {
                let barrier = &barrier;
                s.spawn(move || {
                    barrier.wait();
                    let start = Instant::now();
                    let did = cx.call(first + k, &task.event, table, closing)?;
                    Ok((did, start, Instant::now()))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| Err(OracleError::Setup("a par task's thread panicked".into())))
            })
            .collect()
    });
    let timed: Vec<(Did, Instant, Instant)> = outs.into_iter().collect::<Result<_, _>>()?;
    let last_start = timed.iter().map(|t| t.1).max();
    let first_end = timed.iter().map(|t| t.2).min();
    let overlap = matches!((last_start, first_end), (Some(s), Some(e)) if s < e);
    Ok((timed.into_iter().map(|t| t.0).collect(), overlap))
}

#[cfg(test)]
mod tests {
    use super::*;
    use errseq::{Ret, Scheme};
    use errseq_explorer::{JointOutcome, Schedule};

    fn eio() -> Ret {
        Ret::from(errseq::Errno::new(libc::EIO as u32).expect("EIO is in the table"))
    }

    /// A read whose page's versions a run cannot number as the model does
    /// is refused before anything runs; other reads are run.
    #[test]
    fn reads_of_pages_whose_versions_depend_on_the_interleaving_are_refused() {
        let refused = |text: &str| {
            let p = errseq_scenario::parse(text).expect("parses");
            match check_reads(&p) {
                Err(OracleError::Unsupported { line, .. }) => Some(line),
                Err(e) => panic!("{e:?}"),
                Ok(()) => None,
            }
        };
        assert_eq!(refused("open a f\nopen b f\npar\n  write a\n  write b\nend\nread a => v2\n"), Some(7));
        assert_eq!(refused("open a f O_DIRECT\nwrite a\npar\n  fsync a\nend\nread a\n"), Some(6));
        assert_eq!(refused("open a f\nopen b f\npar\n  write a\n  write b 1\nend\nread a\nread b 1\n"), None);
        assert_eq!(refused("open a f\nwrite a\nwrite a\npar\n  read a\n  fsync a\nend\n"), None);
    }

    /// The kernel's tally next to the model's outcomes: a kernel outcome
    /// the model lacks is impossible (a failure), a model outcome the
    /// kernel lacks is only unseen.
    #[test]
    fn joint_outcomes_compare_kernel_and_model() {
        let p =
            errseq_scenario::parse("open a f\nopen b f\npar\n  fsync a\n  fsync b\nend\n").expect("parses");
        let calls = returning_calls(&p);
        assert_eq!(calls.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["4:fsync a", "5:fsync b"]);
        assert!(calls.iter().all(|c| c.block == Some(0)));
        let outcome = |a: Ret, b: Ret, count: u128| JointOutcome {
            results: vec![None, None, Some(a), Some(b)],
            count,
            schedule: Schedule::default(),
        };
        let model = Exploration {
            scheme: Scheme::ALL[Scheme::ALL.len() - 1],
            key: Scheme::ALL[Scheme::ALL.len() - 1].into(),
            outcomes: vec![outcome(Ret::OK, eio(), 3), outcome(eio(), eio(), 5)],
            states: 10,
            interleavings: 8,
            saturated: false,
        };
        let r = |x: Ret| Observed::Returned(x);
        let tally = vec![(vec![r(eio()), r(eio())], 290), (vec![r(Ret::OK), r(Ret::OK)], 10)];
        let joints = joints(&calls, &model, tally);
        let report = ParReport {
            runs: 300,
            overlapped: 300,
            calls: calls.clone(),
            outcomes: joints,
            saturated: false,
            elapsed: std::time::Duration::ZERO,
        };
        assert!(!report.agrees());
        assert_eq!((report.kernel_outcomes(), report.model_outcomes()), (2, 2));
        let bad: Vec<String> = report.impossible().map(|o| o.describe(&calls)).collect();
        assert_eq!(bad, ["4:fsync a=0, 5:fsync b=0"]);
        assert_eq!(report.outcomes.iter().filter(|o| o.unseen()).count(), 1);
    }
}
