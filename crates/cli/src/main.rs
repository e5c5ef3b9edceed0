//! `errseq`: check, run and explore writeback-error scenarios, and check
//! them against the live kernel.
//!
//! Exit status: 0 when everything holds, 1 when an expectation or a claim
//! fails, 2 when a scenario is malformed, cannot be read, is past a limit
//! or is too big to explore (with `FILE:LINE:COL: message` on stderr, the
//! form editors jump to); 141 when standard output is closed under it
//! (`| head -1`), 74 on any other write error (see [`out`]).
//!
//! Nothing here prints but through [`out::Out`] (clippy's `print_stdout`
//! and `print_stderr` are denied in this crate).

#![deny(clippy::print_stdout, clippy::print_stderr)]

mod input;
mod invariants;
mod oracle;
mod out;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use errseq::SchemeName;
use errseq_explorer::{replay_string, Bounds, Report, SearchError, Violation};
use errseq_render::Analysis;
use errseq_scenario::limits::{self, MAX_INPUT_BYTES};
use errseq_scenario::{Item, Parsed};

pub(crate) use crate::input::load;
use crate::input::{load_all, read_limited};
use crate::out::{errln, outln, Out};

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
        /// Give up after visiting this many distinct states (a state of more than 64 cells
        /// counts once per 64; a call outside par blocks, 1/64)
        #[arg(long, default_value_t = Bounds::default().max_states)]
        max_states: usize,
        /// Check the schemes the text writes (or --scheme) against the named invariants over
        /// every interleaving of the gallery's scenarios, next to the schemes they start from
        /// (docs/invariants.md; exit 1 when one is broken)
        #[arg(long, conflicts_with = "replay")]
        invariants: bool,
        /// The playground's public address, for the counterexamples' links
        #[arg(long, env = "ERRSEQ_BASE", default_value = DEFAULT_BASE, value_parser = base_arg)]
        base: String,
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
        /// The playground's public address, for the link
        #[arg(long, env = "ERRSEQ_BASE", default_value = DEFAULT_BASE, value_parser = base_arg)]
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
    /// Print the results as plain-text email (72 columns, the scenario's text and a link; `check -`
    /// reads it back) or Markdown, with the share link
    Render {
        /// Scenario file, or - for standard input
        file: PathBuf,
        /// Markdown (a GitHub table) instead of plain text
        #[arg(long, conflicts_with = "svg")]
        markdown: bool,
        /// A self-contained SVG picture instead (for documents: docs/documents.md)
        #[arg(long)]
        svg: bool,
        /// The playground's public address, for the link
        #[arg(long, env = "ERRSEQ_BASE", default_value = DEFAULT_BASE, value_parser = base_arg)]
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

/// Where `errseq url` and `errseq render` point links: `--base`, else
/// `ERRSEQ_BASE` when the command runs, else `ERRSEQ_BASE` when it was
/// built (the site's public address, as for the page: README, "The public
/// address"), else what `scripts/serve.sh` serves.
const DEFAULT_BASE: &str = match option_env!("ERRSEQ_BASE") {
    Some(base) if base.is_empty() => DEVELOPMENT_BASE,
    None => DEVELOPMENT_BASE,
    Some(base) if is_web_address(base) => base,
    Some(_) => {
        panic!("ERRSEQ_BASE must be an http:// or https:// address, such as https://user.github.io/errseq/")
    }
};

/// What `scripts/serve.sh` serves.
const DEVELOPMENT_BASE: &str = "http://127.0.0.1:8080/";

/// `http://` or `https://` and more, with no space or control character
/// (so that mail programs and terminals show it as one link).
const fn is_web_address(s: &str) -> bool {
    let b = s.as_bytes();
    let scheme = if starts_with(b, b"https://") {
        8
    } else if starts_with(b, b"http://") {
        7
    } else {
        return false;
    };
    if b.len() == scheme {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if b[i] <= b' ' || b[i] == 0x7f {
            return false;
        }
        i += 1;
    }
    true
}

const fn starts_with(s: &[u8], prefix: &[u8]) -> bool {
    if s.len() < prefix.len() {
        return false;
    }
    let mut i = 0;
    while i < prefix.len() {
        if s[i].to_ascii_lowercase() != prefix[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// An empty `ERRSEQ_BASE` counts as unset.
fn base_arg(s: &str) -> Result<String, String> {
    if s.is_empty() {
        Ok(DEFAULT_BASE.to_owned())
    } else if is_web_address(s) {
        Ok(s.to_owned())
    } else {
        Err("the playground's address must start with http:// or https:// and have no spaces, \
             such as https://user.github.io/errseq/"
            .to_owned())
    }
}

/// A built-in id, or the name of a scheme the scenario writes (checked
/// against the scenario once it is read: [`only`]).
fn scheme_arg(s: &str) -> Result<SchemeName, String> {
    SchemeName::parse(s).or_else(|| errseq::WrittenName::new(s).map(SchemeName::Written)).ok_or_else(|| {
        let ids: Vec<&str> = SchemeName::all_ids().collect();
        format!("unknown scheme `{s}`; schemes are {}, or a scheme the scenario writes", ids.join(", "))
    })
}

/// A failure that ends the command with status 2, already reported.
pub(crate) struct Malformed;

fn explore(out: &mut Out, path: &Path, p: &Parsed, bounds: Bounds) -> Result<Report, Malformed> {
    errseq_explorer::check(p, bounds).map_err(|e| {
        errln!(out, "{}", search_error(&path.display().to_string(), &e));
        Malformed
    })
}

/// `NAME: message`, or `NAME:LINE:COL: message` for a written scheme's
/// fault, which has a place in the text.
fn search_error(name: &str, e: &SearchError) -> String {
    match e {
        SearchError::Fault { .. } => format!("{name}:{e}"),
        _ => format!("{name}: {e}"),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn check(out: &mut Out, files: &[PathBuf]) -> ExitCode {
    let (mut malformed, mut failed) = (false, false);
    for path in files {
        if out.failed() {
            break;
        }
        let (loaded, read) = load_all(out, path);
        malformed |= read.is_err();
        for l in loaded {
            match check_one(out, &l.name, &l.parsed) {
                Ok(true) => {}
                Ok(false) => failed = true,
                Err(Malformed) => malformed = true,
            }
        }
    }
    match (malformed, failed) {
        (true, _) => ExitCode::from(2),
        (false, true) => ExitCode::from(1),
        (false, false) => ExitCode::SUCCESS,
    }
}

/// Checks one scenario, named `name` in what it prints: whether every
/// expectation and claim holds.
fn check_one(out: &mut Out, name: &str, p: &Parsed) -> Result<bool, Malformed> {
    let r = errseq_explorer::check(p, Bounds::default()).map_err(|e| {
        errln!(out, "{}", search_error(name, &e));
        Malformed
    })?;
    let events = p.scenario.stmts().count();
    let expectations = p.scenario.stmts().filter(|(s, _)| s.expect.is_some()).count();
    let claims = p.scenario.claims().count();
    if r.violations.is_empty() {
        let mut said = vec![plural(events, "event"), plural(expectations, "expectation")];
        if claims > 0 {
            said.push(plural(claims, "claim"));
        }
        said.push(plural(r.columns.len(), "scheme"));
        outln!(out, "{name}: ok ({})", said.join(", "));
        return Ok(true);
    }
    let n = r.violations.len();
    let word = if n == 1 { "expectation or claim fails" } else { "expectations or claims fail" };
    outln!(out, "{name}: {n} {word}");
    out.print(&errseq_render::violations(p, &r));
    Ok(false)
}

/// Keeps the one column `--scheme` names: its name alone in `schemes:`,
/// and no other written scheme (which would be compared after it).
fn only(out: &mut Out, path: &Path, p: &mut Parsed, scheme: Option<SchemeName>) -> Result<(), Malformed> {
    let Some(name) = scheme else { return Ok(()) };
    if let SchemeName::Written(w) = name {
        if p.bindings.written(w).is_none() {
            let mut ids: Vec<&str> = SchemeName::all_ids().collect();
            ids.extend(p.bindings.written.iter().map(|w| w.name.as_str()));
            errln!(
                out,
                "{}: --scheme: unknown scheme `{name}`; schemes are {}",
                path.display(),
                ids.join(", ")
            );
            return Err(Malformed);
        }
    }
    p.scenario.schemes = Some(vec![name]);
    p.scenario.body.retain(|i| !matches!(i, Item::Scheme(b) if SchemeName::Written(b.name) != name));
    Ok(())
}

fn run(out: &mut Out, path: &Path, scheme: Option<SchemeName>) -> ExitCode {
    let Ok(mut p) = load(out, path) else { return ExitCode::from(2) };
    if only(out, path, &mut p, scheme).is_err() {
        return ExitCode::from(2);
    }
    if p.scenario.has_par() {
        // Results are sets over the interleavings: the explorer's business.
        let Ok(r) = explore(out, path, &p, Bounds::default()) else { return ExitCode::from(2) };
        let a = Analysis::explored(&p, r);
        out.print(&errseq_render::timeline_sets(&a));
        outln!(out, "\n(par blocks: `errseq explore` lists the joint outcomes and counterexamples)");
        return if a.holds() { ExitCode::SUCCESS } else { ExitCode::from(1) };
    }
    // Sequential: results only, or the state after each event printed as
    // the model steps; never a copy of the state per event.
    let Ok(r) = explore(out, path, &p, Bounds::default()) else { return ExitCode::from(2) };
    let failed = r.violations.iter().any(|v| matches!(v, Violation::Expect { .. }));
    match scheme {
        Some(name) => {
            for block in errseq_render::trace(&p, &r.program, name) {
                out.print(&block);
                if out.failed() {
                    break;
                }
            }
        }
        None => out.print(&errseq_render::timeline(&p, &Analysis::explored(&p, r))),
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn explore_command(
    out: &mut Out,
    path: &Path,
    replay: Option<&str>,
    scheme: Option<SchemeName>,
    max_states: usize,
) -> ExitCode {
    let Ok(mut p) = load(out, path) else { return ExitCode::from(2) };
    if only(out, path, &mut p, scheme).is_err() {
        return ExitCode::from(2);
    }
    if let Some(s) = replay {
        let program = errseq_model::Program::compile(&p);
        return match replay_string::decode(&program, p.scenario.fs(), s) {
            Ok(trace) => {
                outln!(out, "{} under {}:", errseq_scenario::quote(s.trim()), trace.key);
                for line in errseq_render::trace_steps(&p, &program, &trace) {
                    outln!(out, "  {line}");
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                errln!(out, "{}: {e}", path.display());
                ExitCode::from(2)
            }
        };
    }
    let bounds = Bounds { max_states, ..Bounds::default() };
    let Ok(r) = explore(out, path, &p, bounds) else { return ExitCode::from(2) };
    for column in 0..r.columns.len() {
        outln!(out, "{}", errseq_render::outcomes(&p, &r, column));
    }
    if r.violations.is_empty() {
        outln!(out, "every expectation and claim holds");
        ExitCode::SUCCESS
    } else {
        out.print(&errseq_render::violations(&p, &r));
        ExitCode::from(1)
    }
}

fn url(out: &mut Out, path: &Path, base: &str, replay: Option<&str>) -> ExitCode {
    let Ok(p) = load(out, path) else { return ExitCode::from(2) };
    // A replay string goes into the link only if it names an interleaving
    // of this scenario, and in the newest form (which has a check).
    let replay = match replay {
        None => None,
        Some(s) => {
            let program = errseq_model::Program::compile(&p);
            let fs = p.scenario.fs();
            let encoded = replay_string::schedule_of(&program, fs, s)
                .and_then(|(scheme, schedule)| replay_string::encode(&program, scheme, fs, &schedule));
            match encoded {
                Ok(r) => Some(r),
                Err(e) => {
                    errln!(
                        out,
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
            outln!(out, "{link}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            errln!(out, "{}: no share link carries this scenario: {e}", path.display());
            ExitCode::from(2)
        }
    }
}

fn decode(out: &mut Out, link: &str) -> ExitCode {
    let link = if link == "-" {
        // A link is at most a few hundred kilobytes; the text limit bounds
        // what is read from a pipe that never ends.
        match read_limited(std::io::stdin().lock(), MAX_INPUT_BYTES) {
            Ok((_, true)) => {
                errln!(out, "errseq: the link on standard input: {}", limits::input_too_big().message);
                return ExitCode::from(2);
            }
            Ok((bytes, false)) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => {
                errln!(out, "errseq: cannot read standard input: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        link.to_owned()
    };
    match errseq_share::decode(&link) {
        Ok(shared) => {
            out.print(&shared.scenario.to_string());
            say_replay(out, shared.replay.as_deref());
            ExitCode::SUCCESS
        }
        // Not a link: lines of a mail, holding its text or links?
        Err(e) => match input::as_mail(link.as_bytes()).filter(|_| link.trim().contains('\n')) {
            Some(found) => decode_mail(out, &found),
            None => {
                errln!(out, "errseq: {e}");
                ExitCode::from(2)
            }
        },
    }
}

fn say_replay(out: &mut Out, replay: Option<&str>) {
    if let Some(r) = replay {
        let r = errseq_scenario::quote(r);
        errln!(out, "the link reopens the interleaving {r}: errseq explore FILE --replay {r}");
    }
}

/// The canonical text of each scenario a mail holds (each announced on
/// standard error by the line it starts on when there are several).
fn decode_mail(out: &mut Out, found: &[errseq_share::mail::Found]) -> ExitCode {
    let mut status = ExitCode::SUCCESS;
    for f in found {
        let name = format!("-:{}", f.line());
        if found.len() > 1 {
            errln!(out, "{name}: {}", f.describe());
        }
        for n in &f.notes {
            errln!(out, "{name}: note: {n}");
        }
        let parsed = f.text.as_ref().map(|t| (t, errseq_scenario::parse_unchecked(t)));
        match parsed {
            Ok((_, Ok((s, _)))) => {
                out.print(&s.to_string());
                say_replay(out, f.replay.as_deref());
            }
            Ok((_, Err(diagnostics))) => {
                for d in &diagnostics {
                    errln!(out, "-:{}", input::placed(f, d));
                }
                status = ExitCode::from(2);
            }
            Err(e) => {
                errln!(out, "{name}: {e}");
                status = ExitCode::from(2);
            }
        }
    }
    status
}

/// What `errseq render` writes.
enum Format {
    Email,
    Markdown,
    Svg,
}

fn render(out: &mut Out, path: &Path, format: Format, base: &str) -> ExitCode {
    let Ok(p) = load(out, path) else { return ExitCode::from(2) };
    let Ok(r) = explore(out, path, &p, Bounds::default()) else { return ExitCode::from(2) };
    let link = errseq_share::link(base, &p.scenario, None);
    let a = Analysis::explored(&p, r);
    out.print(&match format {
        Format::Email => errseq_render::email(&p, &a, base),
        Format::Markdown => errseq_render::markdown(&p, &a, &link),
        Format::Svg => errseq_render::svg(&p, &a, &link),
    });
    ExitCode::SUCCESS
}

/// Usage errors, `--help` and `--version`, printed through [`Out`] like
/// everything else (clap would print them itself, ignoring a full disk).
fn parse_args(out: &mut Out) -> Result<Cli, ExitCode> {
    Cli::try_parse().map_err(|e| {
        let text = e.render().to_string();
        let text = text.trim_end();
        if e.use_stderr() {
            out.eprintln(text);
        } else {
            out.println(text);
        }
        ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
    })
}

fn command(out: &mut Out, cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check { files } => check(out, &files),
        Command::Run { file, scheme } => run(out, &file, scheme),
        Command::Explore { file, replay: _, scheme, max_states, invariants: true, base } => {
            let Ok(p) = load(out, &file) else { return ExitCode::from(2) };
            let bounds = Bounds { max_states, ..Bounds::default() };
            invariants::command(out, &file, &p, scheme, bounds, &base)
        }
        Command::Explore { file, replay, scheme, max_states, invariants: false, base: _ } => {
            explore_command(out, &file, replay.as_deref(), scheme, max_states)
        }
        Command::Oracle { files, fs, inject, pause_ms, runs } => {
            match oracle::options(out, inject, pause_ms, runs) {
                Ok(opts) => oracle::run(out, &files, &fs, &opts),
                Err(code) => code,
            }
        }
        Command::OracleTable { files, fs, write, runs } => match oracle::options(out, None, None, runs) {
            Ok(opts) => oracle::agreement_table(out, &files, &fs, write.as_deref(), &opts),
            Err(code) => code,
        },
        Command::Url { file, base, replay } => url(out, &file, &base, replay.as_deref()),
        Command::Decode { link } => decode(out, &link),
        Command::Render { file, markdown, svg, base } => {
            let format = if svg {
                Format::Svg
            } else if markdown {
                Format::Markdown
            } else {
                Format::Email
            };
            render(out, &file, format, &base)
        }
        Command::OraclePages { fs, write } => {
            match oracle::options(out, None, None, errseq_oracle::DEFAULT_RUNS) {
                Ok(opts) => oracle::page_table(out, &fs, write.as_deref(), &opts),
                Err(code) => code,
            }
        }
    }
}

fn main() -> ExitCode {
    let mut out = Out::new();
    let status = match parse_args(&mut out) {
        Ok(cli) => command(&mut out, cli),
        Err(code) => code,
    };
    out.finish(status)
}
