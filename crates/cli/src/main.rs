//! `errseq`: check and run writeback-error scenarios.
//!
//! Exit status: 0 when everything holds, 1 when an expectation fails,
//! 2 when a scenario is malformed or cannot be read (with
//! `FILE:LINE:COL: message` on stderr, the form editors jump to).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use errseq::SchemeName;
use errseq_model::Evaluation;
use errseq_scenario::{parse_bytes, Parsed};

#[derive(Parser)]
#[command(
    name = "errseq",
    version,
    about = "Linux writeback-error reporting, scheme by scheme, on scenarios you write"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate scenarios and check their expectations (exit 0: all hold, 1: one fails, 2: malformed)
    Check {
        /// Scenario files, or - for standard input
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Show every call's result under each scheme; with --scheme, the state after each event
    Run {
        /// Scenario file, or - for standard input
        file: PathBuf,
        /// Evaluate only this scheme and show the state after every event
        #[arg(long, value_parser = scheme_arg)]
        scheme: Option<SchemeName>,
    },
}

fn scheme_arg(s: &str) -> Result<SchemeName, String> {
    SchemeName::parse(s).ok_or_else(|| {
        let ids: Vec<&str> = SchemeName::all_ids().collect();
        format!("unknown scheme `{s}`; schemes are {}", ids.join(", "))
    })
}

/// A failure that ends the command with status 2, already reported.
struct Malformed;

fn load(path: &Path) -> Result<Parsed, Malformed> {
    let shown = path.display();
    let bytes = if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map(|_| buf)
    } else {
        std::fs::read(path)
    };
    let bytes = bytes.map_err(|e| {
        eprintln!("errseq: cannot read {shown}: {e}");
        Malformed
    })?;
    match parse_bytes(&bytes) {
        Ok(p) => {
            for w in &p.warnings {
                eprintln!("{shown}:{w}");
            }
            Ok(p)
        }
        Err(diagnostics) => {
            for d in &diagnostics {
                eprintln!("{shown}:{d}");
            }
            Err(Malformed)
        }
    }
}

fn evaluate(path: &Path, p: &Parsed) -> Result<Evaluation, Malformed> {
    Evaluation::new(p).map_err(|e| {
        eprintln!("{}:{e}", path.display());
        Malformed
    })
}

fn check(files: &[PathBuf]) -> ExitCode {
    let (mut malformed, mut failed) = (false, false);
    for path in files {
        let Ok(p) = load(path) else {
            malformed = true;
            continue;
        };
        let Ok(e) = evaluate(path, &p) else {
            malformed = true;
            continue;
        };
        let mismatches = e.mismatches(&p);
        let events = p.scenario.stmts().count();
        let expectations = p.scenario.stmts().filter(|(s, _)| s.expect.is_some()).count();
        if mismatches.is_empty() {
            let (n, x, c) = (events, expectations, e.columns.len());
            println!(
                "{}: ok ({n} {}, {x} {}, {c} {})",
                path.display(),
                plural(n, "event"),
                plural(x, "expectation"),
                plural(c, "scheme")
            );
        } else {
            failed = true;
            let n = mismatches.len();
            println!("{}: {n} {} failed", path.display(), plural(n, "expectation"));
            print!("{}", errseq_render::mismatches(&p, &e));
        }
    }
    match (malformed, failed) {
        (true, _) => ExitCode::from(2),
        (false, true) => ExitCode::from(1),
        (false, false) => ExitCode::SUCCESS,
    }
}

fn run(path: &Path, scheme: Option<SchemeName>) -> ExitCode {
    let Ok(mut p) = load(path) else {
        return ExitCode::from(2);
    };
    if let Some(name) = scheme {
        p.scenario.schemes = Some(vec![name]);
    }
    let Ok(e) = evaluate(path, &p) else {
        return ExitCode::from(2);
    };
    match scheme {
        Some(_) => print!("{}", errseq_render::trace(&p, &e, 0)),
        None => print!("{}", errseq_render::timeline(&p, &e)),
    }
    if e.mismatches(&p).is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { files } => check(&files),
        Command::Run { file, scheme } => run(&file, scheme),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_owned()
    } else {
        format!("{word}s")
    }
}
