//! The example corpus on the live kernel.
//!
//! Needs root, /dev/fuse, loop devices and the filesystem's mkfs. Where
//! they are missing each test prints `SKIPPED: <reason>` and returns; it
//! never passes silently. ext4 runs by default (CI runs as root on the
//! project's machines); xfs and btrfs are `#[ignore]`d because they need
//! xfsprogs and btrfs-progs:
//!
//!     cargo test -p errseq-oracle --test corpus -- --ignored --nocapture
//!
//! or `errseq oracle-table --fs xfs,btrfs examples/*.errseq`.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use errseq_oracle::{table::Cell, Fs, Options, OracleError};

/// Disagreements that are explained (docs/oracle.md): scenario stem, line,
/// why. Any other disagreement fails the test.
const EXPLAINED: &[(&str, u32, &str)] = &[];

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "errseq"))
        .collect();
    v.sort();
    v
}

fn stem(p: &Path) -> String {
    p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Runs the corpus on `fs`; returns how many scenarios agree.
fn run_corpus(fs: Fs) -> Option<usize> {
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
    for path in corpus() {
        let text = std::fs::read_to_string(&path).expect("readable");
        let parsed = errseq_scenario::parse(&text).expect("examples parse");
        let name = stem(&path);
        match errseq_oracle::run(&parsed, fs, &opts) {
            Ok(report) => {
                let cell = Cell::from_report(&report);
                println!("{name:<40} {cell:?}");
                if report.agrees() {
                    agree += 1;
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
        "live-kernel oracle: {agree} of {} scenarios agree on {fs} (Linux {})",
        corpus().len(),
        errseq_oracle::kernel_release()
    );
    Some(agree)
}

#[test]
fn corpus_agrees_with_the_model_on_ext4() {
    if let Some(agree) = run_corpus(Fs::Ext4) {
        assert!(agree >= 20, "only {agree} scenarios agree on ext4");
    }
}

#[test]
#[ignore = "needs xfsprogs; run with --ignored"]
fn corpus_on_xfs() {
    run_corpus(Fs::Xfs);
}

#[test]
#[ignore = "needs btrfs-progs; run with --ignored"]
fn corpus_on_btrfs() {
    run_corpus(Fs::Btrfs);
}

/// Needs nothing: calls without a system call are refused before any
/// setup, with the line and the reason.
#[test]
fn error_and_par_are_refused_up_front() {
    let parsed = errseq_scenario::parse("open a f\nerror f EIO\nfsync a\n").expect("parses");
    match errseq_oracle::run(&parsed, Fs::Ext4, &Options::default()) {
        Err(OracleError::Unsupported { line, call, reason }) => {
            assert_eq!((line, call.as_str()), (2, "error f EIO"));
            assert!(reason.contains("no system call"), "{reason}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}
