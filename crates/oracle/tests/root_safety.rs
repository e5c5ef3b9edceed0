//! The oracle as root, used the way a hostile or careless user would:
//! killed (SIGKILL) at every stage of its setup, run and teardown, then
//! run again with another `$TMPDIR`; interrupted twice in quick
//! succession; run twice at once, with the lock file deleted between
//! them. Nothing may be left behind, nothing it did not make may go, and
//! the exit status must be the documented one.
//!
//! Each case runs the oracle in a child process: this test binary again,
//! whose `child` test runs one scenario when `ERRSEQ_ORACLE_TEST_CHILD`
//! names it (and does nothing otherwise), and exits with the CLI's
//! status. `ERRSEQ_ORACLE_PAUSE_AT` makes the child stop at a named stage
//! and say so on stderr, where the test waits for it before it kills or
//! interrupts.
//!
//! Needs root, /dev/fuse, loop devices and mkfs.ext4; prints `SKIPPED:
//! reason` and returns without them. The cases share the machine's one
//! oracle lock and run one at a time.

use std::io::{BufRead, BufReader, Write as _};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use errseq_oracle::{Fs, Options, OracleError, PAUSE_AT_VAR, STATE_DIR};
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

const CHILD_VAR: &str = "ERRSEQ_ORACLE_TEST_CHILD";
/// Said by the child once its signal handlers are in place.
const READY: &str = "child: signal handlers installed";

/// The cases take turns: they count what each child leaves, and two
/// children at once would only wait for each other.
static SERIAL: Mutex<()> = Mutex::new(());

fn scenario() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/05-fsync-retry.errseq")
}

/// The oracle in a child process: runs the scenario `CHILD_VAR` names on
/// ext4 and exits with the status `errseq oracle` gives.
#[test]
fn child() {
    let Ok(path) = std::env::var(CHILD_VAR) else { return };
    let opts = Options { interrupt: errseq_oracle::interrupt_on_signals().ok(), ..Options::default() };
    let _ = writeln!(std::io::stderr(), "{READY}");
    let text = std::fs::read_to_string(&path).expect("scenario readable");
    let parsed = errseq_scenario::parse(&text).expect("scenario parses");
    let code = match errseq_oracle::run(&parsed, Fs::Ext4, &opts) {
        Ok(report) => {
            let _ = write!(std::io::stdout(), "{report}");
            i32::from(!report.agrees())
        }
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "child: {e}");
            match e {
                OracleError::Unsupported { .. } => 2,
                OracleError::Unavailable(_) => 3,
                OracleError::Setup(_) => 4,
                OracleError::Interrupted => 130,
            }
        }
    };
    std::process::exit(code);
}

/// `None` (after saying why) when the oracle cannot run here.
fn runnable() -> Option<std::sync::MutexGuard<'static, ()>> {
    if let Err(why) = errseq_oracle::preflight(Fs::Ext4) {
        let _ = writeln!(std::io::stderr().lock(), "SKIPPED: live-kernel oracle on ext4: {why}");
        return None;
    }
    Some(SERIAL.lock().unwrap_or_else(|e| e.into_inner()))
}

/// Whether this process ignores SIGINT or SIGHUP (bits 1 and 0 of
/// `SigIgn` in /proc/self/status).
fn sigint_ignored() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("SigIgn:"))
        .and_then(|m| u64::from_str_radix(m.trim(), 16).ok())
        .is_some_and(|m| m & 0b11 != 0)
}

/// A child oracle, its stderr read line by line on a thread.
struct Run {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
    stdout: std::thread::JoinHandle<String>,
}

impl Run {
    fn start(tmpdir: &Path, pause_at: Option<&str>) -> Run {
        let exe = std::env::current_exe().expect("test binary");
        // The oracle leaves a signal it starts with ignored ignored (as
        // under nohup); a test run started in the background by a
        // non-interactive shell has SIGINT ignored, so its children get
        // the default back through coreutils' env.
        let mut cmd = if sigint_ignored() {
            let mut c = Command::new("env");
            c.arg("--default-signal=INT,HUP").arg(exe);
            c
        } else {
            Command::new(exe)
        };
        cmd.args(["--exact", "child", "--nocapture", "--test-threads=1", "--quiet"])
            .env(CHILD_VAR, scenario())
            .env("TMPDIR", tmpdir)
            .env_remove(PAUSE_AT_VAR)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // A process group of its own, as a shell gives a foreground
            // job: `signal_group` is then what Ctrl-C at a terminal does.
            .process_group(0);
        if let Some(at) = pause_at {
            cmd.env(PAUSE_AT_VAR, at);
        }
        let mut child = cmd.spawn().expect("spawn the child oracle");
        let (tx, lines) = channel();
        let err = child.stderr.take().expect("stderr piped");
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut out = child.stdout.take().expect("stdout piped");
        let stdout = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = std::io::Read::read_to_string(&mut out, &mut s);
            s
        });
        let mut run = Run { child, lines, seen: Vec::new(), stdout };
        run.expect(READY);
        run
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits (20 s at most) for a stderr line containing `what`.
    fn expect(&mut self, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.seen.iter().any(|l| l.contains(what)) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(l) => self.seen.push(l),
                Err(_) => panic!("the child never said `{what}`; it said:\n{}", self.seen.join("\n")),
            }
        }
    }

    fn signal(&self, s: Signal) {
        kill(Pid::from_raw(self.pid() as i32), s).expect("kill(2)");
    }

    /// To its whole process group, as Ctrl-C at a terminal: the oracle
    /// and any `mkfs` or `losetup` it runs that share its group.
    fn signal_group(&self, s: Signal) {
        nix::sys::signal::killpg(Pid::from_raw(self.pid() as i32), s).expect("killpg(2)");
    }

    /// Its status, stdout and all of its stderr.
    fn finish(mut self) -> (ExitStatus, String, String) {
        let status = self.child.wait().expect("wait");
        while let Ok(l) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.seen.push(l);
        }
        let out = self.stdout.join().unwrap_or_default();
        (status, out, self.seen.join("\n"))
    }
}

/// Everything of the oracle run `pid` still on the machine: its records
/// and directories in the state directory, mounts under them, loop
/// devices backed by its image.
fn leftovers(pid: u32) -> Vec<String> {
    let prefix = format!("{STATE_DIR}/run-{pid}-");
    let mut v: Vec<String> = std::fs::read_dir(STATE_DIR)
        .map(|d| {
            d.flatten().map(|e| e.path().display().to_string()).filter(|p| p.starts_with(&prefix)).collect()
        })
        .unwrap_or_default();
    let info = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    v.extend(
        info.lines()
            .filter(|l| l.split(' ').nth(4).is_some_and(|p| p.starts_with(&prefix)))
            .map(|l| format!("mount: {l}")),
    );
    for e in std::fs::read_dir("/sys/block").into_iter().flatten().flatten() {
        let backing = std::fs::read_to_string(e.path().join("loop/backing_file")).unwrap_or_default();
        if backing.starts_with(&prefix) {
            v.push(format!("loop device {}: {}", e.file_name().to_string_lossy(), backing.trim()));
        }
    }
    v.sort();
    v
}

fn mounts_of(pid: u32) -> usize {
    leftovers(pid).iter().filter(|l| l.starts_with("mount: ")).count()
}

/// Two `$TMPDIR`s, each with a look-alike of an old rig directory (the
/// kind the old sweep deleted from), and a forged record of a dead run in
/// the state directory whose directory holds a file the oracle never
/// made. Removed on drop.
struct Scene {
    root: PathBuf,
    a: PathBuf,
    b: PathBuf,
    forged: PathBuf,
}

const LOOKALIKE: &str = "errseq-oracle-99999-0";
const KEEP: &[u8] = b"made by the test, not by the oracle\n";

impl Scene {
    fn new(name: &str) -> Scene {
        let root = std::env::temp_dir().join(format!("errseq-root-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let (a, b) = (root.join("a"), root.join("b"));
        for t in [&a, &b] {
            std::fs::create_dir_all(t.join(LOOKALIKE)).expect("mkdir");
            std::fs::write(t.join(LOOKALIKE).join("image.raw"), KEEP).expect("write look-alike");
        }
        // A record for a PID with a start time no process has: dead.
        std::fs::create_dir_all(STATE_DIR).expect("state dir");
        let forged = Path::new(STATE_DIR).join(format!("run-99999-1-{}-dead0001", std::process::id()));
        std::fs::create_dir_all(&forged).expect("mkdir forged");
        std::fs::write(forged.join("image.raw"), KEEP).expect("write forged");
        std::fs::write(forged.with_extension("rec"), "errseq-oracle run record 1\npid 99999\nstart 1\n")
            .expect("write forged record");
        Scene { root, a, b, forged }
    }

    /// Nothing the test made is gone, and the oracle wrote nothing into
    /// either `$TMPDIR` (its image has no name).
    fn check_survivors(&self) {
        for t in [&self.a, &self.b] {
            assert_eq!(std::fs::read(t.join(LOOKALIKE).join("image.raw")).ok().as_deref(), Some(KEEP));
            let names: Vec<String> = std::fs::read_dir(t)
                .expect("tmpdir")
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            assert_eq!(names, [LOOKALIKE], "the oracle left something in {}", t.display());
        }
        assert_eq!(std::fs::read(self.forged.join("image.raw")).ok().as_deref(), Some(KEEP));
    }
}

impl Drop for Scene {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
        let _ = std::fs::remove_dir_all(&self.forged);
        let _ = std::fs::remove_file(self.forged.with_extension("rec"));
    }
}

/// Runs the scenario to the end in `tmpdir`: exit 0, all calls agree.
fn run_clean(tmpdir: &Path) -> (u32, String) {
    let run = Run::start(tmpdir, None);
    let pid = run.pid();
    let (status, out, err) = run.finish();
    assert_eq!(status.code(), Some(0), "stdout:\n{out}\nstderr:\n{err}");
    assert!(out.contains("all 7 calls agree"), "{out}");
    assert_eq!(leftovers(pid), Vec::<String>::new(), "a clean run left something");
    (pid, err)
}

const STAGES: &[&str] = &["locked", "faultfs", "loop", "mounted", "mid-run", "teardown"];

#[test]
fn killed_at_every_stage_the_next_run_removes_exactly_what_it_left() {
    let Some(_serial) = runnable() else { return };
    let started = Instant::now();
    let scene = Scene::new("kill");
    for stage in STAGES {
        let mut run = Run::start(&scene.a, Some(stage));
        run.expect(&format!("paused at stage {stage}"));
        let pid = run.pid();
        let mounted = mounts_of(pid);
        let want = match *stage {
            "locked" => 0,
            "faultfs" | "loop" | "teardown" => 1,
            _ => 2,
        };
        assert_eq!(mounted, want, "at stage {stage}: {:?}", leftovers(pid));
        run.signal(Signal::SIGKILL);
        let (status, _, _) = run.finish();
        assert_eq!(status.signal(), Some(libc::SIGKILL));
        if *stage != "locked" {
            assert!(!leftovers(pid).is_empty(), "SIGKILL at {stage} left nothing to recover");
        }
        // Another environment: the records are not under $TMPDIR.
        let (_, err) = run_clean(&scene.b);
        assert_eq!(leftovers(pid), Vec::<String>::new(), "after SIGKILL at stage {stage}");
        if *stage != "locked" {
            assert!(err.contains(&format!("killed oracle run (PID {pid}) left behind")), "{err}");
        }
        scene.check_survivors();
    }
    let _ = writeln!(
        std::io::stderr(),
        "SIGKILL at {} stages, each followed by a clean run: {:.1} s",
        STAGES.len(),
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn two_interrupts_in_quick_succession_leave_nothing() {
    let Some(_serial) = runnable() else { return };
    let started = Instant::now();
    let scene = Scene::new("int");
    let twice = |run: &Run| {
        run.signal(Signal::SIGINT);
        std::thread::sleep(Duration::from_millis(10));
        run.signal(Signal::SIGINT);
    };
    // At each stage: the run stops there, and the second signal arrives
    // during its teardown.
    for stage in STAGES {
        let at = if *stage == "teardown" { "teardown=300".to_owned() } else { stage.to_string() };
        let mut run = Run::start(&scene.a, Some(&at));
        run.expect(&format!("paused at stage {stage}"));
        let pid = run.pid();
        twice(&run);
        let (status, out, err) = run.finish();
        if *stage == "teardown" {
            // Every call had run: the teardown finishes, signals or not,
            // and the result stands.
            assert_eq!(status.code(), Some(0), "{out}\n{err}");
        } else {
            assert_eq!(status.code(), Some(130), "interrupted at {stage}: {out}\n{err}");
            assert!(err.contains("interrupted"), "{err}");
        }
        assert_eq!(leftovers(pid), Vec::<String>::new(), "two SIGINTs at stage {stage}");
    }
    // At moments the run does not choose (anywhere in the setup, the
    // calls or the teardown), to the whole process group as a terminal's
    // Ctrl-C does. A run that finished first exits 0.
    let mut codes = Vec::new();
    for ms in [0, 5, 10, 20, 30, 45, 60, 75, 90, 105, 120, 140] {
        let run = Run::start(&scene.a, None);
        let pid = run.pid();
        std::thread::sleep(Duration::from_millis(ms));
        run.signal_group(Signal::SIGINT);
        std::thread::sleep(Duration::from_millis(10));
        run.signal_group(Signal::SIGINT);
        let (status, out, err) = run.finish();
        assert!(matches!(status.code(), Some(0 | 130)), "SIGINT twice at {ms} ms: {status:?}\n{out}\n{err}");
        assert_eq!(leftovers(pid), Vec::<String>::new(), "two SIGINTs at {ms} ms");
        codes.push(format!("{ms} ms: {}", status.code().unwrap_or(-1)));
    }
    scene.check_survivors();
    let _ = writeln!(
        std::io::stderr(),
        "two SIGINTs 10 ms apart at {} stages and at 12 moments ({}): {:.1} s",
        STAGES.len(),
        codes.join(", "),
        started.elapsed().as_secs_f64()
    );
}

/// A second run waits for the first, with the lock file in place and
/// with it deleted while the first holds it; both complete, both agree.
#[test]
fn two_runs_at_once_take_turns_even_with_the_lock_file_deleted() {
    let Some(_serial) = runnable() else { return };
    let started = Instant::now();
    let scene = Scene::new("lock");
    for delete in [false, true] {
        let mut first = Run::start(&scene.a, Some("mounted=1500"));
        first.expect("paused at stage mounted");
        let a = first.pid();
        if delete {
            std::fs::remove_file(Path::new(STATE_DIR).join("lock")).expect("delete the lock file");
        }
        let mut second = Run::start(&scene.b, None);
        second.expect(&format!("waiting for another oracle run (PID {a})"));
        // The first is still running, with its mounts in place.
        assert!(first.child.try_wait().expect("try_wait").is_none());
        assert_eq!(mounts_of(a), 2, "{:?}", leftovers(a));
        let b = second.pid();
        let (s1, out1, err1) = first.finish();
        let (s2, out2, err2) = second.finish();
        for (s, out, err) in [(s1, &out1, &err1), (s2, &out2, &err2)] {
            assert_eq!(s.code(), Some(0), "lock file deleted: {delete}\n{out}\n{err}");
            assert!(out.contains("all 7 calls agree"), "{out}");
        }
        assert!(
            !err2.contains(&format!("(PID {a}) left behind")),
            "the second run recovered a live run's rig: {err2}"
        );
        assert_eq!(leftovers(a), Vec::<String>::new());
        assert_eq!(leftovers(b), Vec::<String>::new());
    }
    assert!(Path::new(STATE_DIR).join("lock").exists(), "the next run makes a new lock file");
    scene.check_survivors();
    let _ = writeln!(std::io::stderr(), "two runs at once, twice: {:.1} s", started.elapsed().as_secs_f64());
}

/// Ctrl-C while waiting for the lock: exit 130 at once, and the run that
/// holds the lock goes on undisturbed.
#[test]
fn ctrl_c_while_waiting_for_the_lock() {
    let Some(_serial) = runnable() else { return };
    let scene = Scene::new("wait");
    let mut first = Run::start(&scene.a, Some("mounted=1000"));
    first.expect("paused at stage mounted");
    let mut second = Run::start(&scene.b, None);
    second.expect("waiting for another oracle run");
    let t = Instant::now();
    second.signal(Signal::SIGINT);
    let (s2, _, err2) = second.finish();
    assert_eq!(s2.code(), Some(130), "{err2}");
    assert!(t.elapsed() < Duration::from_millis(500), "took {:?} to answer Ctrl-C", t.elapsed());
    let (s1, out1, err1) = first.finish();
    assert_eq!(s1.code(), Some(0), "{out1}\n{err1}");
    scene.check_survivors();
}

/// A scenario the image cannot hold is refused before anything is built,
/// with the reason; no root needed.
#[test]
fn a_scenario_too_big_for_the_oracle_is_refused_up_front() {
    let p = errseq_scenario::parse("open a f\nwrite a 3\nwrite a 70000\nfsync a\n").expect("parses");
    match errseq_oracle::run(&p, Fs::Ext4, &Options::default()) {
        Err(OracleError::Unsupported { line, call, reason }) => {
            assert_eq!((line, call.as_str()), (3, "write a 70000"));
            assert!(reason.contains("too big for the oracle"), "{reason}");
            assert!(reason.contains("70001 pages"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

/// A scenario larger than the old fixed 64 MiB ext4 image (which failed
/// in setup with ENOSPC): the image is sized from it, and it runs.
#[test]
fn a_scenario_larger_than_the_old_image_runs() {
    let Some(_serial) = runnable() else { return };
    let t = Instant::now();
    let p = errseq_scenario::parse("open a f\nwrite a 20000\nfsync a\n").expect("parses");
    let report = errseq_oracle::run(&p, Fs::Ext4, &Options::default()).expect("runs");
    assert!(report.agrees(), "{report}");
    let _ = writeln!(std::io::stderr(), "20,001 pages (78 MiB) on ext4: {:.1} s", t.elapsed().as_secs_f64());
}
