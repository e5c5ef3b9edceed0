//! `errseq oracle`: scenarios on the live kernel (crate `errseq-oracle`).
//!
//! A scenario with `par` blocks runs `--runs` times (default 300); it
//! agrees when every joint outcome the kernel produced is one the
//! explorer finds for `linux`.
//!
//! Exit status: 0 every call agrees, 1 a call disagrees (or the kernel
//! produced a joint outcome the model says is impossible), 2 a scenario is
//! malformed, unreadable, uses a call with no system call or is too big
//! for the oracle's image, 3 the oracle cannot run here (not root, no
//! /dev/fuse, no loop devices, no mkfs, no room in $TMPDIR), 4 the
//! oracle's own setup or a system call it relies on failed mid-run (the
//! message says which), 130 interrupted by SIGINT, SIGTERM or SIGHUP
//! (after the teardown finished, whatever signals came meanwhile).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use errseq_oracle::{table, Fs, Injection, Options, OracleError};

use crate::load;
use crate::out::{errln, outln, Out};

pub fn fs_arg(s: &str) -> Result<Fs, String> {
    Fs::from_id(s).ok_or_else(|| format!("unknown filesystem `{s}`; the oracle builds ext4, xfs and btrfs"))
}

pub fn inject_arg(s: &str) -> Result<Injection, String> {
    Injection::from_id(s).ok_or_else(|| format!("unknown injection `{s}`; use extents or tag"))
}

fn error_code(e: &OracleError) -> u8 {
    match e {
        OracleError::Unsupported { .. } => 2,
        OracleError::Unavailable(_) => 3,
        OracleError::Setup(_) => 4,
        OracleError::Interrupted => 130,
    }
}

/// `--runs`: at least one.
pub fn runs_arg(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("`{s}`: want a number of runs, 1 or more")),
    }
}

/// Options with Ctrl-C caught, so an interrupted run still cleans up.
pub fn options(
    out: &mut Out,
    inject: Option<Injection>,
    pause_ms: Option<u64>,
    runs: usize,
) -> Result<Options, ExitCode> {
    match errseq_oracle::interrupt_on_signals() {
        Ok(flag) => Ok(Options {
            injection: inject,
            interrupt: Some(flag),
            pause: pause_ms.map(Duration::from_millis),
            runs: Some(runs),
        }),
        Err(e) => {
            errln!(out, "errseq: cannot catch signals ({e}); Ctrl-C would leave mounts behind");
            // Cannot run here: without the handlers a Ctrl-C ends the
            // process halfway through its mounts.
            Err(ExitCode::from(3))
        }
    }
}

/// Each scenario on each filesystem (default: the scenario's `fs:`).
pub fn run(out: &mut Out, files: &[PathBuf], fss: &[Fs], opts: &Options) -> ExitCode {
    let mut worst = 0u8;
    for path in files {
        let Ok(parsed) = load(out, path) else {
            worst = worst.max(2);
            continue;
        };
        let targets = if fss.is_empty() {
            match Fs::from_profile(parsed.scenario.fs()) {
                Some(f) => vec![f],
                None => {
                    let id = parsed.scenario.fs().id();
                    errln!(
                        out,
                        "{}: the oracle cannot build {id} (fs: header); pass --fs ext4|xfs|btrfs",
                        path.display()
                    );
                    worst = worst.max(2);
                    continue;
                }
            }
        } else {
            fss.to_vec()
        };
        for fs in targets {
            outln!(out, "== {} on {fs}", path.display());
            match errseq_oracle::run(&parsed, fs, opts) {
                Ok(report) => {
                    out.print(&report.to_string());
                    if !report.agrees() {
                        worst = worst.max(1);
                    }
                }
                Err(e) => {
                    errln!(out, "{}: {e}", path.display());
                    let code = error_code(&e);
                    // Interrupted, or the machine or the oracle failed:
                    // the next scenario would fail the same way.
                    if code >= 3 {
                        return ExitCode::from(code);
                    }
                    worst = worst.max(code);
                }
            }
        }
    }
    ExitCode::from(worst)
}

/// The agreement table (scenario × filesystem), printed or written into a
/// Markdown file between its markers.
pub fn agreement_table(
    out: &mut Out,
    files: &[PathBuf],
    fss: &[Fs],
    write: Option<&str>,
    opts: &Options,
) -> ExitCode {
    let fss = if fss.is_empty() { vec![Fs::Ext4] } else { fss.to_vec() };
    let mut scenarios = Vec::new();
    for path in files {
        let Ok(p) = load(out, path) else { return ExitCode::from(2) };
        scenarios.push((path.display().to_string(), p));
    }
    let progress = |file: &str, fs: Fs| errln!(out, "running {file} on {fs}");
    let t = match table::Table::measure(&scenarios, &fss, opts, progress) {
        Ok(t) => t,
        Err(e) => {
            errln!(out, "errseq: {e}");
            return ExitCode::from(error_code(&e));
        }
    };
    let md = t.markdown();
    match write {
        Some(path) => {
            if let Err(e) = table::write_into(path, &md) {
                errln!(out, "errseq: {path}: {e}");
                return ExitCode::from(2);
            }
            errln!(out, "wrote the agreement table into {path}");
        }
        None => out.print(&md),
    }
    ExitCode::SUCCESS
}

/// What a failed fsync leaves in the cache and on disk (Rebello et al.).
pub fn page_table(out: &mut Out, fss: &[Fs], write: Option<&str>, opts: &Options) -> ExitCode {
    let fss = if fss.is_empty() { Fs::ALL.to_vec() } else { fss.to_vec() };
    let mut reports = Vec::new();
    for fs in fss {
        match errseq_oracle::pages::measure(fs, opts) {
            Ok(r) => {
                if write.is_none() {
                    out.print(&r.to_string());
                }
                reports.push(r);
            }
            Err(e) => {
                errln!(out, "errseq: {fs}: {e}");
                return ExitCode::from(error_code(&e));
            }
        }
    }
    if let Some(path) = write {
        let md = errseq_oracle::pages::markdown(&reports);
        let (begin, end) = (errseq_oracle::pages::BEGIN, errseq_oracle::pages::END);
        if let Err(e) = table::write_section(path, begin, end, &md) {
            errln!(out, "errseq: {path}: {e}");
            return ExitCode::from(2);
        }
        errln!(out, "wrote the page-state table into {path}");
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/oracle.md's exit statuses: 3 only for "cannot run here", 130
    /// for a signal, whatever the stage it came in.
    #[test]
    fn exit_statuses_are_the_documented_ones() {
        let unsupported =
            OracleError::Unsupported { line: 1, call: "error f EIO".into(), reason: String::new() };
        assert_eq!(error_code(&unsupported), 2);
        assert_eq!(error_code(&OracleError::Unavailable("not root".into())), 3);
        assert_eq!(error_code(&OracleError::Setup("mkfs failed".into())), 4);
        assert_eq!(error_code(&OracleError::Interrupted), 130);
    }
}
