//! `errseq`: check, run and explore writeback-error scenarios, and check
//! them against the live kernel.
//!
//! Exit status: 0 when everything holds, 1 when an expectation or a claim
//! fails, 2 when a scenario is malformed, cannot be read, or is too big to
//! explore (with `FILE:LINE:COL: message` on stderr, the form editors jump
//! to).

mod oracle;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use errseq::SchemeName;
use errseq_explorer::{replay_string, Bounds, Report};
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
    /// Evaluate scenarios and check their expectations and claims (exit 0: all hold, 1: one fails, 2: malformed)
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
    /// Explore every interleaving of the scenario's par blocks: joint outcomes, counterexamples
    Explore {
        /// Scenario file, or - for standard input
        file: PathBuf,
        /// Show this interleaving step by step (a replay string from a previous run)
        #[arg(long)]
        replay: Option<String>,
        /// Explore only this scheme
        #[arg(long, value_parser = scheme_arg)]
        scheme: Option<SchemeName>,
        /// Give up after visiting this many distinct states
        #[arg(long, default_value_t = Bounds::default().max_states)]
        max_states: usize,
    },
    /// Run scenarios as real system calls on a filesystem whose storage fails on command, next to
    /// the model's `linux` results; a scenario with `par` blocks runs --runs times, its joint
    /// outcomes next to the explorer's (needs root, /dev/fuse, loop devices; exit 0 agree, 1
    /// disagree, 2 malformed or unsupported call, 3 cannot run here)
    Oracle {
        /// Scenario files, or - for standard input
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Filesystems to build, comma-separated (default: the scenario's `fs:` header)
        #[arg(long, value_delimiter = ',', value_parser = oracle::fs_arg)]
        fs: Vec<errseq_oracle::Fs>,
        /// How writes are failed: the file's extents (ext4, xfs) or its tagged data (btrfs)
        #[arg(long, value_parser = oracle::inject_arg)]
        inject: Option<errseq_oracle::Injection>,
        /// Wait this long after each call (to watch from another terminal)
        #[arg(long)]
        pause_ms: Option<u64>,
        /// Runs of a scenario with `par` blocks, each on fresh files
        #[arg(long, default_value_t = errseq_oracle::DEFAULT_RUNS, value_parser = oracle::runs_arg)]
        runs: usize,
    },
    /// The oracle's agreement table (scenario x filesystem), as Markdown
    OracleTable {
        /// Scenario files
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Filesystems, comma-separated (default: ext4)
        #[arg(long, value_delimiter = ',', value_parser = oracle::fs_arg)]
        fs: Vec<errseq_oracle::Fs>,
        /// Replace the table between its markers in this Markdown file
        #[arg(long)]
        write: Option<String>,
        /// Runs of a scenario with `par` blocks, each on fresh files
        #[arg(long, default_value_t = errseq_oracle::DEFAULT_RUNS, value_parser = oracle::runs_arg)]
        runs: usize,
    },
    /// Print the share link of a scenario: the playground's address and the scenario in its fragment
    Url {
        /// Scenario file, or - for standard input
        file: PathBuf,
        /// The playground's address
        #[arg(long, default_value = DEFAULT_BASE)]
        base: String,
        /// A replay string (from `errseq explore`) for the link to reopen
        #[arg(long)]
        replay: Option<String>,
    },
    /// Print the scenario text a share link carries (exit 2 with the reason when the link is bad)
    Decode {
        /// The link, its fragment (what follows `#`), or - for standard input
        link: String,
    },
    /// Print the results as plain-text email (72 columns, for mutt) or Markdown, with the share link
    Render {
        /// Scenario file, or - for standard input
        file: PathBuf,
        /// Markdown (a GitHub table) instead of plain text
        #[arg(long)]
        markdown: bool,
        /// The playground's address, for the link
        #[arg(long, default_value = DEFAULT_BASE)]
        base: String,
    },
    /// What a failed fsync leaves in the page cache and on disk, per filesystem (Rebello et al.)
    OraclePages {
        /// Filesystems, comma-separated (default: all three)
        #[arg(long, value_delimiter = ',', value_parser = oracle::fs_arg)]
        fs: Vec<errseq_oracle::Fs>,
        /// Replace the table between its markers in this Markdown file
        #[arg(long)]
        write: Option<String>,
    },
}

/// Where `errseq url` and `errseq render` point links by default: what
/// `scripts/serve.sh` serves.
const DEFAULT_BASE: &str = "http://127.0.0.1:8080/";

fn scheme_arg(s: &str) -> Result<SchemeName, String> {
    SchemeName::parse(s).ok_or_else(|| {
        let ids: Vec<&str> = SchemeName::all_ids().collect();
        format!("unknown scheme `{s}`; schemes are {}", ids.join(", "))
    })
}

/// A failure that ends the command with status 2, already reported.
pub(crate) struct Malformed;

pub(crate) fn load(path: &Path) -> Result<Parsed, Malformed> {
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

fn explore(path: &Path, p: &Parsed, bounds: Bounds) -> Result<Report, Malformed> {
    errseq_explorer::check(p, bounds).map_err(|e| {
        eprintln!("{}: {e}", path.display());
        Malformed
    })
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn check(files: &[PathBuf]) -> ExitCode {
    let (mut malformed, mut failed) = (false, false);
    for path in files {
        let Ok(p) = load(path) else {
            malformed = true;
            continue;
        };
        let Ok(r) = explore(path, &p, Bounds::default()) else {
            malformed = true;
            continue;
        };
        let events = p.scenario.stmts().count();
        let expectations = p.scenario.stmts().filter(|(s, _)| s.expect.is_some()).count();
        let claims = p.scenario.claims().count();
        if r.violations.is_empty() {
            let mut said = vec![plural(events, "event"), plural(expectations, "expectation")];
            if claims > 0 {
                said.push(plural(claims, "claim"));
            }
            said.push(plural(r.columns.len(), "scheme"));
            println!("{}: ok ({})", path.display(), said.join(", "));
        } else {
            failed = true;
            let n = r.violations.len();
            let word = if n == 1 { "expectation or claim fails" } else { "expectations or claims fail" };
            println!("{}: {n} {word}", path.display());
            print!("{}", errseq_render::violations(&p, &r));
        }
    }
    match (malformed, failed) {
        (true, _) => ExitCode::from(2),
        (false, true) => ExitCode::from(1),
        (false, false) => ExitCode::SUCCESS,
    }
}

fn only(p: &mut Parsed, scheme: Option<SchemeName>) {
    if let Some(name) = scheme {
        p.scenario.schemes = Some(vec![name]);
    }
}

fn run(path: &Path, scheme: Option<SchemeName>) -> ExitCode {
    let Ok(mut p) = load(path) else { return ExitCode::from(2) };
    only(&mut p, scheme);
    if p.scenario.has_par() {
        // Results are sets over the interleavings: the explorer's business.
        let Ok(r) = explore(path, &p, Bounds::default()) else { return ExitCode::from(2) };
        print!("{}", errseq_render::timeline_sets(&p, &r));
        println!("\n(par blocks: `errseq explore` lists the joint outcomes and counterexamples)");
        return if r.violations.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) };
    }
    let e = match Evaluation::new(&p) {
        Ok(e) => e,
        Err(err) => {
            eprintln!("{}:{err}", path.display());
            return ExitCode::from(2);
        }
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

fn explore_command(
    path: &Path,
    replay: Option<&str>,
    scheme: Option<SchemeName>,
    max_states: usize,
) -> ExitCode {
    let Ok(mut p) = load(path) else { return ExitCode::from(2) };
    only(&mut p, scheme);
    if let Some(s) = replay {
        let program = errseq_model::Program::compile(&p);
        return match replay_string::decode(&program, p.scenario.fs(), s) {
            Ok(trace) => {
                println!("{} under {}:", s.trim(), trace.scheme);
                for line in errseq_render::trace_steps(&p, &program, &trace) {
                    println!("  {line}");
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                ExitCode::from(2)
            }
        };
    }
    let bounds = Bounds { max_states, ..Bounds::default() };
    let Ok(r) = explore(path, &p, bounds) else { return ExitCode::from(2) };
    for column in 0..r.columns.len() {
        println!("{}", errseq_render::outcomes(&p, &r, column));
    }
    if r.violations.is_empty() {
        println!("every expectation and claim holds");
        ExitCode::SUCCESS
    } else {
        print!("{}", errseq_render::violations(&p, &r));
        ExitCode::from(1)
    }
}

fn url(path: &Path, base: &str, replay: Option<&str>) -> ExitCode {
    let Ok(p) = load(path) else { return ExitCode::from(2) };
    // A replay string goes into the link only if it names an interleaving
    // of this scenario, and in the newest form (which has a check).
    let replay = match replay {
        None => None,
        Some(s) => {
            let program = errseq_model::Program::compile(&p);
            let fs = p.scenario.fs();
            let encoded = replay_string::decode(&program, fs, s)
                .and_then(|t| replay_string::encode(&program, t.scheme, fs, &t.schedule));
            match encoded {
                Ok(r) => Some(r),
                Err(e) => {
                    eprintln!(
                        "{}: --replay: {e} (the replay strings `errseq explore` prints fit)",
                        path.display()
                    );
                    return ExitCode::from(2);
                }
            }
        }
    };
    // What url makes, decode reads: the same limits, refused here.
    match errseq_share::try_link(base, &p.scenario, replay.as_deref()) {
        Ok(link) => {
            println!("{link}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: no share link carries this scenario: {e}", path.display());
            ExitCode::from(2)
        }
    }
}

fn decode(link: &str) -> ExitCode {
    let link = if link == "-" {
        let mut buf = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut buf) {
            eprintln!("errseq: cannot read standard input: {e}");
            return ExitCode::from(2);
        }
        buf
    } else {
        link.to_owned()
    };
    match errseq_share::decode(&link) {
        Ok(shared) => {
            print!("{}", shared.scenario);
            if let Some(r) = shared.replay {
                eprintln!("the link reopens the interleaving {r}: errseq explore FILE --replay {r}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("errseq: {e}");
            ExitCode::from(2)
        }
    }
}

fn render(path: &Path, markdown: bool, base: &str) -> ExitCode {
    let Ok(p) = load(path) else { return ExitCode::from(2) };
    let Ok(r) = explore(path, &p, Bounds::default()) else { return ExitCode::from(2) };
    let link = errseq_share::link(base, &p.scenario, None);
    if markdown {
        print!("{}", errseq_render::markdown(&p, &r, &link));
    } else {
        print!("{}", errseq_render::email(&p, &r, &link));
    }
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { files } => check(&files),
        Command::Run { file, scheme } => run(&file, scheme),
        Command::Explore { file, replay, scheme, max_states } => {
            explore_command(&file, replay.as_deref(), scheme, max_states)
        }
        Command::Oracle { files, fs, inject, pause_ms, runs } => {
            match oracle::options(inject, pause_ms, runs) {
                Ok(opts) => oracle::run(&files, &fs, &opts),
                Err(code) => code,
            }
        }
        Command::OracleTable { files, fs, write, runs } => match oracle::options(None, None, runs) {
            Ok(opts) => oracle::agreement_table(&files, &fs, write.as_deref(), &opts),
            Err(code) => code,
        },
        Command::Url { file, base, replay } => url(&file, &base, replay.as_deref()),
        Command::Decode { link } => decode(&link),
        Command::Render { file, markdown, base } => render(&file, markdown, &base),
        Command::OraclePages { fs, write } => {
            match oracle::options(None, None, errseq_oracle::DEFAULT_RUNS) {
                Ok(opts) => oracle::page_table(&fs, write.as_deref(), &opts),
                Err(code) => code,
            }
        }
    }
}
