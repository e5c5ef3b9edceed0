//! The example corpus on the live kernel.
//!
//! Needs root, /dev/fuse, loop devices and the filesystem's mkfs. Where
//! they are missing each test prints `SKIPPED: <reason>` and returns; it
//! never passes silently. ext4 runs by default (CI runs as root on the
//! project's machines); xfs and btrfs are `#[ignore]`d because they need
//! xfsprogs and btrfs-progs. Scenarios with `par` blocks run 300 times
//! each (`DEFAULT_RUNS`), and pass when every joint outcome the kernel
//! produced is one the explorer finds for `linux`:
//!
//!     cargo test -p errseq-oracle --test corpus -- --ignored --nocapture
//!
//! or `errseq oracle-table --fs xfs,btrfs examples/*.errseq`.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use errseq_oracle::{table::Cell, Fs, Options, OracleError, DEFAULT_RUNS};

/// Disagreements that are explained (docs/oracle.md): scenario stem, line,
/// why. Any other disagreement fails the test.
const EXPLAINED: &[(&str, u32, &str)] = &[(
    "21-syncfs-writeback-order",
    26,
    "one syncfs submits f's and g's writes back to back and their completions race in the device; \
     the model completes them in submission order (seen otherwise in 1 of 28 runs on ext4)",
)];

/// The examples of `examples/` (the findings are explorer claims with no
/// system call for `error`), as `errseq-examples` listed them.
fn corpus() -> Vec<PathBuf> {
    errseq_examples::ALL.iter().filter(|e| !e.is_finding()).map(errseq_examples::Example::path).collect()
}

fn stem(p: &Path) -> String {
    p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Which scenarios of the corpus a test runs.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Kind {
    /// Without `par` blocks: call by call.
    Sequential,
    /// With `par` blocks: many runs, joint outcomes.
    Par,
    All,
}

fn has_par(path: &Path) -> bool {
    let text = std::fs::read_to_string(path).expect("readable");
    errseq_scenario::parse(&text).expect("examples parse").scenario.has_par()
}

/// Runs the corpus's scenarios of `kind` on `fs`; returns how many agree.
fn run_corpus(fs: Fs, kind: Kind) -> Option<usize> {
    if let Err(why) = errseq_oracle::preflight(fs) {
        // Straight to the process's stderr: the test harness captures
        // `println!` and `eprintln!`, and a skip must never look like a
        // silent pass.
        let _ = writeln!(std::io::stderr().lock(), "SKIPPED: live-kernel oracle on {fs}: {why}");
        return None;
    }
    let opts = Options { interrupt: errseq_oracle::interrupt_on_signals().ok(), ..Options::default() };
    let mut agree = 0;
    let mut unexplained = Vec::new();
    println!("Linux {} · {fs}", errseq_oracle::kernel_release());
    let paths: Vec<PathBuf> = corpus()
        .into_iter()
        .filter(|p| match kind {
            Kind::All => true,
            Kind::Par => has_par(p),
            Kind::Sequential => !has_par(p),
        })
        .collect();
    let started = Instant::now();
    for path in &paths {
        let text = std::fs::read_to_string(path).expect("readable");
        let parsed = errseq_scenario::parse(&text).expect("examples parse");
        let name = stem(path);
        let t = Instant::now();
        match errseq_oracle::run(&parsed, fs, &opts) {
            Ok(report) => {
                let cell = Cell::from_report(&report);
                println!("{name:<40} {cell:?} ({:.1} s)", t.elapsed().as_secs_f64());
                if report.agrees() {
                    agree += 1;
                }
                if let Some(par) = &report.par {
                    assert!(par.runs >= DEFAULT_RUNS, "{name}: only {} runs", par.runs);
                    if !par.agrees() {
                        unexplained
                            .push(format!("{name}: joint outcomes the model says are impossible\n{report}"));
                    }
                }
                for d in report.disagreements() {
                    if !EXPLAINED.iter().any(|(s, l, _)| *s == name && *l == d.line) {
                        unexplained.push(format!("{name}:{}: `{}`\n{report}", d.line, d.call));
                    }
                }
            }
            Err(OracleError::Unsupported { line, call, .. }) => {
                println!("{name:<40} refused: line {line} `{call}` has no system call");
            }
            Err(e) => panic!("{name} on {fs}: {e}"),
        }
    }
    assert!(unexplained.is_empty(), "unexplained disagreements on {fs}:\n{}", unexplained.join("\n"));
    let _ = writeln!(
        std::io::stderr().lock(),
        "live-kernel oracle: {agree} of {} scenarios agree on {fs} (Linux {}), {:.1} s",
        paths.len(),
        errseq_oracle::kernel_release(),
        started.elapsed().as_secs_f64()
    );
    Some(agree)
}

#[test]
fn corpus_agrees_with_the_model_on_ext4() {
    if let Some(agree) = run_corpus(Fs::Ext4, Kind::Sequential) {
        assert!(agree >= 20, "only {agree} scenarios agree on ext4");
    }
}

/// The `par` examples, 300 runs each: the kernel's joint outcomes must be
/// a subset of the explorer's for `linux`.
#[test]
fn par_examples_are_within_the_model_on_ext4() {
    if let Some(agree) = run_corpus(Fs::Ext4, Kind::Par) {
        assert!(agree >= 2, "only {agree} par scenarios ran and agree on ext4");
    }
}

#[test]
#[ignore = "needs xfsprogs; run with --ignored"]
fn corpus_on_xfs() {
    run_corpus(Fs::Xfs, Kind::All);
}

#[test]
#[ignore = "needs btrfs-progs; run with --ignored"]
fn corpus_on_btrfs() {
    run_corpus(Fs::Btrfs, Kind::All);
}

/// Needs nothing: calls without a system call are refused before any
/// setup, with the line and the reason, also inside a `par` block.
#[test]
fn error_is_refused_up_front() {
    let cases =
        [("open a f\nerror f EIO\nfsync a\n", 2), ("open a f\npar\n  fsync a\n  error f EIO\nend\n", 4)];
    for (text, want) in cases {
        let parsed = errseq_scenario::parse(text).expect("parses");
        match errseq_oracle::run(&parsed, Fs::Ext4, &Options::default()) {
            Err(OracleError::Unsupported { line, call, reason }) => {
                assert_eq!((line, call.as_str()), (want, "error f EIO"));
                assert!(reason.contains("no system call"), "{reason}");
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
}
