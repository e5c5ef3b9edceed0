//! The live-kernel oracle: runs a scenario's calls as real system calls on
//! a real filesystem whose storage fails on command, and sets the kernel's
//! result of every call next to the model's `linux` result.
//!
//! The stack (see `docs/oracle.md` for why):
//!
//! ```text
//! scenario fds ─ ext4 | xfs | btrfs ─ /dev/loopN ─ faultfs `image` (FUSE, this process) ─ unnamed $TMPDIR file
//!                                                   faultfs `ctl`: fail / heal rules
//! ```
//!
//! [`run`] builds that stack for one scenario, runs it, tears it down
//! (also on error, panic and, with [`interrupt_on_signals`], Ctrl-C), and
//! returns a [`Report`]. It needs root, `/dev/fuse`, loop devices and the
//! filesystem's mkfs; [`preflight`] says what is missing. What it creates
//! is recorded under [`STATE_DIR`], where the next run finds what a
//! killed one left (see `state.rs` and docs/oracle.md).

pub mod content;
mod exec;
pub mod faultfs;
pub mod pages;
mod par;
mod rig;
mod run;
mod state;
mod sys;
pub mod table;

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use errseq::Ret;

pub use content::Version;
pub use rig::preflight;
pub use run::run;
pub use state::STATE_DIR;

/// A filesystem the oracle can build and mount.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fs {
    Ext4,
    Xfs,
    Btrfs,
}

impl Fs {
    pub const ALL: [Fs; 3] = [Fs::Ext4, Fs::Xfs, Fs::Btrfs];

    pub fn id(self) -> &'static str {
        match self {
            Fs::Ext4 => "ext4",
            Fs::Xfs => "xfs",
            Fs::Btrfs => "btrfs",
        }
    }

    pub fn from_id(id: &str) -> Option<Fs> {
        Fs::ALL.into_iter().find(|f| f.id() == id)
    }

    /// The model's profile for this filesystem.
    pub fn profile(self) -> errseq_scenario::Fs {
        match self {
            Fs::Ext4 => errseq_scenario::Fs::Ext4,
            Fs::Xfs => errseq_scenario::Fs::Xfs,
            Fs::Btrfs => errseq_scenario::Fs::Btrfs,
        }
    }

    /// The oracle's filesystem for a model profile, if it has one.
    pub fn from_profile(p: errseq_scenario::Fs) -> Option<Fs> {
        Fs::from_id(p.id())
    }

    pub(crate) fn mkfs(self) -> &'static str {
        match self {
            Fs::Ext4 => "mkfs.ext4",
            Fs::Xfs => "mkfs.xfs",
            Fs::Btrfs => "mkfs.btrfs",
        }
    }

    pub(crate) fn package(self) -> &'static str {
        match self {
            Fs::Ext4 => "e2fsprogs",
            Fs::Xfs => "xfsprogs",
            Fs::Btrfs => "btrfs-progs",
        }
    }

    /// The image's size for `files` files holding `pages` pages in all
    /// (sparse: only what is written takes room). Each filesystem's
    /// minimum (mkfs.xfs refuses less than 300 MB; 64 MiB keeps ext4's
    /// journal and inode tables small), or room for the data twice (the
    /// versions a scenario writes, copy-on-write: three times on btrfs),
    /// 16 KiB per file of metadata, an eighth more for inode tables and
    /// allocation groups, and a fixed part for the journal or log.
    pub fn image_size(self, files: u64, pages: u64) -> u64 {
        let data = pages.saturating_mul(PAGE_BYTES);
        let meta = files.saturating_mul(16 << 10);
        let (min, fixed, need) = match self {
            Fs::Ext4 => (64 << 20, 48 << 20, data.saturating_mul(2).saturating_add(meta)),
            Fs::Xfs => (320 << 20, 64 << 20, data.saturating_mul(2).saturating_add(meta)),
            Fs::Btrfs => {
                (256 << 20, 128 << 20, data.saturating_mul(3).saturating_add(meta.saturating_mul(2)))
            }
        };
        let size = need.saturating_add(need / 8).saturating_add(fixed).max(min);
        // Whole MiB.
        size.div_ceil(1 << 20).saturating_mul(1 << 20)
    }
}

/// A page, as the oracle writes it.
const PAGE_BYTES: u64 = 4096;

/// The most pages a scenario may make the oracle write (every page of
/// every file, from 0 to the highest one written): 65,536, 256 MiB of
/// data. A larger scenario is refused before anything is built.
pub const MAX_PAGES: u64 = 65_536;

impl fmt::Display for Fs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// How faultfs picks the writes to fail for `fail FILE`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Injection {
    /// The image byte ranges of FILE's extents (FIEMAP, read after the file
    /// is created and synced). Exact for in-place overwrites: ext4, xfs.
    Extents,
    /// Write requests whose data carries FILE's tag (every page the oracle
    /// writes names its file). Follows data wherever the filesystem puts
    /// it: needed for btrfs, whose copy-on-write moves every overwrite.
    Tag,
}

impl Injection {
    pub fn default_for(fs: Fs) -> Injection {
        match fs {
            Fs::Ext4 | Fs::Xfs => Injection::Extents,
            Fs::Btrfs => Injection::Tag,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Injection::Extents => "extents",
            Injection::Tag => "tag",
        }
    }

    pub fn from_id(id: &str) -> Option<Injection> {
        [Injection::Extents, Injection::Tag].into_iter().find(|i| i.id() == id)
    }
}

/// How to run.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `None`: [`Injection::default_for`] the filesystem.
    pub injection: Option<Injection>,
    /// Checked before every call; when set, the run stops with
    /// [`OracleError::Interrupted`] after tearing the stack down.
    pub interrupt: Option<Arc<AtomicBool>>,
    /// Sleep this long after every call (to watch a run, or to test that
    /// Ctrl-C cleans up); the interrupt flag ends the sleep at once.
    pub pause: Option<std::time::Duration>,
    /// How many times a scenario with `par` blocks runs (`None`:
    /// [`DEFAULT_RUNS`]).
    pub runs: Option<usize>,
}

/// How many times a scenario with `par` blocks runs by default: each run
/// is one draw of the kernel's scheduling, and the report counts the joint
/// outcomes seen.
pub const DEFAULT_RUNS: usize = 300;

/// Why a scenario was not run to the end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OracleError {
    /// The scenario uses a call with no system-call counterpart, or the
    /// explorer cannot enumerate its `par` blocks; nothing was run.
    Unsupported { line: u32, call: String, reason: String },
    /// This machine cannot run the oracle (not root, no /dev/fuse, no loop
    /// devices, no mkfs): tests skip with this reason.
    Unavailable(String),
    /// Building or driving the stack failed.
    Setup(String),
    /// Stopped by a signal; everything was cleaned up.
    Interrupted,
}

impl fmt::Display for OracleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OracleError::Unsupported { line, call, reason } => {
                write!(f, "{line}:1: `{call}` cannot run on a live kernel: {reason}")
            }
            OracleError::Unavailable(why) => write!(f, "the live-kernel oracle cannot run here: {why}"),
            OracleError::Setup(why) => write!(f, "oracle setup failed: {why}"),
            OracleError::Interrupted => {
                f.write_str("interrupted; mounts, loop devices and faultfs were cleaned up")
            }
        }
    }
}

impl std::error::Error for OracleError {}

/// Makes SIGINT, SIGTERM and SIGHUP set the returned flag instead of
/// killing the process. Pass it in [`Options::interrupt`]: a run in
/// progress stops at its next step or wait (within about 20 ms, or when
/// the system call or command in progress returns), tears everything
/// down and returns [`OracleError::Interrupted`].
///
/// Signals only ever set the flag. A second Ctrl-C does not end the
/// process at once: the teardown runs to its end whatever arrives
/// meanwhile (it takes well under a second), since ending it halfway is
/// what left mounts and loop devices behind. To end the process at once
/// use SIGKILL; the next run then removes what it left
/// ([`STATE_DIR`]).
///
/// A signal the process started with ignored stays ignored, as coreutils
/// do: `nohup` ignores SIGHUP so that the run survives the terminal, and
/// a non-interactive shell ignores SIGINT for its background jobs.
pub fn interrupt_on_signals() -> std::io::Result<Arc<AtomicBool>> {
    let flag = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        if !sys::ignored(sig) {
            signal_hook::flag::register(sig, flag.clone())?;
        }
    }
    Ok(flag)
}

/// Whether a signal asked the run to stop.
pub(crate) fn interrupted(flag: Option<&AtomicBool>) -> bool {
    flag.is_some_and(|f| f.load(Ordering::SeqCst))
}

pub(crate) fn check_interrupt(flag: Option<&AtomicBool>) -> Result<(), OracleError> {
    if interrupted(flag) {
        Err(OracleError::Interrupted)
    } else {
        Ok(())
    }
}

/// A setup error while the flag is set is the signal's doing (a wait or
/// command cut short): reported as [`OracleError::Interrupted`].
pub(crate) fn settle<T>(r: Result<T, OracleError>, flag: Option<&AtomicBool>) -> Result<T, OracleError> {
    match r {
        Err(OracleError::Setup(_)) if interrupted(flag) => Err(OracleError::Interrupted),
        r => r,
    }
}

/// The environment variable of the test hook [`stage`].
pub const PAUSE_AT_VAR: &str = "ERRSEQ_ORACLE_PAUSE_AT";

/// Test hook: with `ERRSEQ_ORACLE_PAUSE_AT=STAGE` (or `STAGE=MS`) the run
/// says `paused at stage STAGE (PID N)` on stderr and waits there
/// (default 60 s), so a test can kill or interrupt it at a known point.
/// Stages, in order: `locked` (lock held, leftovers recovered),
/// `faultfs` (mounted), `loop` (attached), `mounted` (the filesystem
/// under test), `mid-run` (after the first call), `teardown` (after the
/// filesystem's unmount, before the loop device's detach). The wait ends
/// early on Ctrl-C, except in the teardown, which signals do not cut
/// short. It only ever pauses.
pub(crate) fn stage(name: &str, interrupt: Option<&AtomicBool>) -> Result<(), OracleError> {
    let Ok(want) = std::env::var(PAUSE_AT_VAR) else { return Ok(()) };
    let (at, ms) = match want.split_once('=') {
        Some((at, ms)) => (at, ms.parse().unwrap_or(60_000)),
        None => (want.as_str(), 60_000),
    };
    if at != name {
        return Ok(());
    }
    state::say(&format!("paused at stage {name} (PID {})", std::process::id()));
    state::sleep(Duration::from_millis(ms), interrupt)
}
/// `uname -r`.
pub fn kernel_release() -> String {
    nix::sys::utsname::uname()
        .map(|u| u.release().to_string_lossy().into_owned())
        .unwrap_or_else(|_| "unknown".into())
}

/// What the kernel did for one call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Observed {
    /// A call that returns nothing (open, write, fail, ...) went through.
    Done,
    /// A call that returns a result returned this.
    Returned(Ret),
    /// The call failed where the model has no failure (open, dup, write),
    /// or returned an errno the model's table lacks.
    Failed { errno: i32, what: String },
    /// A read returned bytes that name no version: a torn page, another
    /// file's, or zeroes.
    Unrecognised(String),
}

impl fmt::Display for Observed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Observed::Done => f.write_str("-"),
            Observed::Returned(r) => write!(f, "{r}"),
            Observed::Failed { errno, what } => {
                write!(f, "{what}: {}", nix::errno::Errno::from_raw(*errno))
            }
            Observed::Unrecognised(what) => f.write_str(what),
        }
    }
}

/// One page after a call: the kernel's cache and disk next to the model's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageObs {
    pub file: String,
    pub page: u32,
    /// Read through the page cache (pread on a fresh read-only fd).
    pub cache: Version,
    pub model_cache: u32,
    /// Read from the image at the page's physical place (`None` where the
    /// place is not fixed: btrfs).
    pub disk: Option<Version>,
    pub model_disk: u32,
}

impl PageObs {
    pub fn agrees(&self) -> bool {
        self.cache.is(self.model_cache) && self.disk.is_none_or(|d| d.is(self.model_disk))
    }
}

/// One call of the scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Event number (0-based, text order).
    pub event: usize,
    pub line: u32,
    /// The call as the scenario writes it.
    pub call: String,
    /// The system calls made for it.
    pub syscalls: &'static str,
    pub kernel: Observed,
    /// The model's `linux` result (`None`: the call returns nothing).
    pub model: Option<Ret>,
    pub agrees: bool,
    pub pages: Vec<PageObs>,
}

/// A call that returns, in a scenario with `par` blocks: one column of
/// its joint outcomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParCall {
    /// Event number (0-based, text order).
    pub event: usize,
    pub line: u32,
    /// Its label, or `LINE:call` (as `errseq explore` heads its columns).
    pub name: String,
    /// The `par` block it is a task of (0-based), if any.
    pub block: Option<usize>,
}

/// One joint outcome: a result for every call that returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Joint {
    /// In [`ParReport::calls`] order.
    pub results: Vec<Observed>,
    /// Runs of the kernel that produced it.
    pub runs: usize,
    /// Interleavings of the model (`linux`) that produce it; 0: none, the
    /// model says it cannot happen.
    pub interleavings: u128,
}

impl Joint {
    /// The kernel produced it and the model says it cannot happen.
    pub fn impossible(&self) -> bool {
        self.runs > 0 && self.interleavings == 0
    }

    /// The model has it and the kernel was not seen to produce it.
    pub fn unseen(&self) -> bool {
        self.runs == 0
    }

    /// `name=result, ...`, the results of calls that return something.
    pub fn describe(&self, calls: &[ParCall]) -> String {
        calls.iter().zip(&self.results).map(|(c, r)| format!("{}={r}", c.name)).collect::<Vec<_>>().join(", ")
    }
}

/// A scenario with `par` blocks, run many times on the live kernel, next
/// to the explorer's joint outcomes for `linux`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParReport {
    pub runs: usize,
    /// Runs in which the tasks of every block were all in their system
    /// calls at one moment (a run where one task ended before another
    /// began tested no race).
    pub overlapped: usize,
    /// The columns: every call that returns, in text order (in, before and
    /// after the blocks).
    pub calls: Vec<ParCall>,
    /// Every joint outcome the kernel or the model has, sorted by results.
    pub outcomes: Vec<Joint>,
    /// The model's counts are lower bounds (the explorer's counts
    /// saturated).
    pub saturated: bool,
    /// Wall-clock time of all the runs.
    pub elapsed: std::time::Duration,
}

impl ParReport {
    /// Whether every joint outcome the kernel produced is one the model has.
    pub fn agrees(&self) -> bool {
        !self.outcomes.iter().any(Joint::impossible)
    }

    /// Distinct joint outcomes the kernel produced.
    pub fn kernel_outcomes(&self) -> usize {
        self.outcomes.iter().filter(|o| o.runs > 0).count()
    }

    /// Distinct joint outcomes the model has.
    pub fn model_outcomes(&self) -> usize {
        self.outcomes.iter().filter(|o| o.interleavings > 0).count()
    }

    pub fn impossible(&self) -> impl Iterator<Item = &Joint> + '_ {
        self.outcomes.iter().filter(|o| o.impossible())
    }
}

impl fmt::Display for ParReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let block = |c: &ParCall| c.block.map_or(String::new(), |b| format!(" (par {})", b + 1));
        let mut head: Vec<String> = self.calls.iter().map(|c| format!("{}{}", c.name, block(c))).collect();
        head.extend(["kernel runs".to_owned(), "model interleavings".to_owned()]);
        let rows: Vec<(char, Vec<String>)> = self
            .outcomes
            .iter()
            .map(|o| {
                let mark = if o.impossible() {
                    '✗'
                } else if o.unseen() {
                    '·'
                } else {
                    ' '
                };
                let mut cells: Vec<String> = o.results.iter().map(Observed::to_string).collect();
                cells.push(o.runs.to_string());
                cells.push(if o.interleavings == 0 { "-".to_owned() } else { o.interleavings.to_string() });
                (mark, cells)
            })
            .collect();
        let widths: Vec<usize> = (0..head.len())
            .map(|i| {
                rows.iter()
                    .map(|r| r.1[i].chars().count())
                    .chain([head[i].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &[String]| -> String {
            cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect::<Vec<_>>().join("  ")
        };
        writeln!(f, "joint outcomes of the calls that return (✗ impossible in the model, · not seen):")?;
        writeln!(f, "  {}", line(&head).trim_end())?;
        for (mark, cells) in &rows {
            writeln!(f, "{mark} {}", line(cells).trim_end())?;
        }
        if self.saturated {
            writeln!(f, "(the model's counts saturated: lower bounds)")?;
        }
        Ok(())
    }
}

/// A scenario run on the live kernel, call by call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub title: Option<String>,
    pub fs: Fs,
    pub kernel: String,
    pub injection: Injection,
    pub rows: Vec<Row>,
    /// After the last call, with every fd closed and clean pages dropped
    /// (posix_fadvise DONTNEED): what a read gets from the disk. `disk` is
    /// that read, `cache` the read before dropping.
    pub final_pages: Vec<PageObs>,
    /// Things the reader should know (profile substituted, writeback with
    /// other files dirty, extents that moved, ...).
    pub notes: Vec<String>,
    /// faultfs's counters at the end.
    pub injector: String,
    /// For a scenario with `par` blocks: its joint outcomes over many runs
    /// (`rows` and `final_pages` are then empty).
    pub par: Option<ParReport>,
}

impl Report {
    /// Whether every call's kernel result is the model's (with `par`
    /// blocks: whether every joint outcome the kernel produced is one the
    /// model has).
    pub fn agrees(&self) -> bool {
        self.rows.iter().all(|r| r.agrees) && self.par.as_ref().is_none_or(ParReport::agrees)
    }

    pub fn disagreements(&self) -> impl Iterator<Item = &Row> + '_ {
        self.rows.iter().filter(|r| !r.agrees)
    }

    /// Whether every page probe matched the model's cache and disk.
    pub fn pages_agree(&self) -> bool {
        self.rows.iter().flat_map(|r| &r.pages).all(PageObs::agrees)
            && self.final_pages.iter().all(PageObs::agrees)
    }
}

fn pages_text(pages: &[PageObs]) -> String {
    pages
        .iter()
        .map(|p| {
            let mark = if p.agrees() { "" } else { "≠" };
            let disk = match p.disk {
                Some(d) => format!("{d}/v{}", p.model_disk),
                None => format!("?/v{}", p.model_disk),
            };
            format!("{mark}{}:{} {}/v{} {disk}", p.file, p.page, p.cache, p.model_cache)
        })
        .collect::<Vec<_>>()
        .join("  ")
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(t) = &self.title {
            writeln!(f, "{t}")?;
        }
        writeln!(
            f,
            "Linux {} · {} on a loop device over faultfs · injection: {}",
            self.kernel,
            self.fs,
            self.injection.id()
        )?;
        if let Some(par) = &self.par {
            return par_text(self, par, f);
        }
        let call_w = self.rows.iter().map(|r| r.call.chars().count()).max().unwrap_or(4).max(4);
        let k_w = self.rows.iter().map(|r| r.kernel.to_string().chars().count()).max().unwrap_or(6).max(6);
        writeln!(
            f,
            "  {:>4}  {:<call_w$}  {:<k_w$}  {:<6}  pages file:page cache/model disk/model",
            "line", "call", "kernel", "linux"
        )?;
        for r in &self.rows {
            let mark = if r.agrees { ' ' } else { '✗' };
            let model = r.model.map_or("-".to_owned(), |m| m.to_string());
            writeln!(
                f,
                "{mark} {:>4}  {:<call_w$}  {:<k_w$}  {:<6}  {}",
                r.line,
                r.call,
                r.kernel.to_string(),
                model,
                pages_text(&r.pages)
            )?;
        }
        if !self.final_pages.is_empty() {
            writeln!(f, "after the last call, clean pages dropped (cache before/model, disk read/model):")?;
            writeln!(f, "  {}", pages_text(&self.final_pages))?;
        }
        for n in &self.notes {
            writeln!(f, "note: {n}")?;
        }
        writeln!(f, "faultfs: {}", self.injector.trim().replace('\n', "; "))?;
        let n = self.disagreements().count();
        if n == 0 {
            write!(f, "all {} calls agree with the model's linux", self.rows.len())?;
        } else {
            write!(f, "{n} of {} calls disagree with the model's linux (✗)", self.rows.len())?;
        }
        if !self.pages_agree() {
            write!(f, "; page contents differ from the model (≠)")?;
        }
        writeln!(f)
    }
}

/// The report of a scenario with `par` blocks.
fn par_text(r: &Report, par: &ParReport, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    writeln!(
        f,
        "{} runs in {:.1} s, each on fresh files after a remount; the tasks of a par block start together (barrier)",
        par.runs,
        par.elapsed.as_secs_f64()
    )?;
    writeln!(f, "the tasks' system calls overlapped in {} of {} runs", par.overlapped, par.runs)?;
    write!(f, "{par}")?;
    for n in &r.notes {
        writeln!(f, "note: {n}")?;
    }
    writeln!(f, "faultfs: {}", r.injector.trim().replace('\n', "; "))?;
    let (k, m) = (par.kernel_outcomes(), par.model_outcomes());
    let unseen = par.outcomes.iter().filter(|o| o.unseen()).count();
    let bad: Vec<&Joint> = par.impossible().collect();
    if bad.is_empty() {
        write!(
            f,
            "{} runs: {k} joint outcome{}, all possible in the model's linux ({m} in the model",
            par.runs,
            s(k)
        )?;
        if unseen > 0 {
            write!(f, ", {unseen} not seen")?;
        }
        writeln!(f, ")")
    } else {
        let runs: usize = bad.iter().map(|o| o.runs).sum();
        writeln!(
            f,
            "{} runs: {} of {k} joint outcomes ({runs} runs) are impossible in the model's linux (✗)",
            par.runs,
            bad.len()
        )
    }
}

fn s(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
