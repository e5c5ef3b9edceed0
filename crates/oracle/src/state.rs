//! What the oracle creates, recorded where any later run finds it: the
//! state directory `/run/errseq-oracle`, whatever `$TMPDIR` or the
//! current directory say.
//!
//! ```text
//! /run/errseq-oracle/                        root, 0700
//!   lock                                     flock(2)ed by the run in progress; never deleted
//!   run-PID-START-N-NONCE.rec                one record per rig: what it made, line by line
//!   run-PID-START-N-NONCE/{fuse,mnt}         the rig's mount points
//! ```
//!
//! A rig writes its record before it creates each resource (`+` lines)
//! and after (`=` lines, with what identifies it), and `-` lines as its
//! teardown removes them; the record goes last. A run that finds a record
//! of a dead process (its PID gone, or reused by a process with another
//! start time) removes what that run made: mounts on its two mount
//! points, loop devices backed by its faultfs image, then the two mount
//! points and its directory, each checked against the record. It never
//! looks anywhere else, and never touches a record whose process lives.

use std::fs::File;
use std::io::Write as _;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use nix::errno::Errno;
use nix::fcntl::{Flock, FlockArg};
use nix::mount::MntFlags;

use crate::OracleError;

/// The one place the oracle keeps its state. Fixed: a run must find the
/// leftovers of another whatever its environment.
pub const STATE_DIR: &str = "/run/errseq-oracle";
const LOCK_NAME: &str = "lock";
const PREFIX: &str = "run-";
const EXT: &str = "rec";

/// Writes one line to stderr; a closed or full stderr must not stop a
/// teardown, so write errors are dropped.
pub(crate) fn say(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "errseq oracle: {line}");
}

/// Creates the state directory, or checks the one there: a directory
/// (not a symlink) of root's that nobody else can write, since the
/// oracle mounts filesystems on what it finds inside.
pub(crate) fn state_dir() -> Result<PathBuf, OracleError> {
    let dir = PathBuf::from(STATE_DIR);
    match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(OracleError::Unavailable(format!("cannot create {STATE_DIR}: {e}"))),
    }
    let m =
        std::fs::symlink_metadata(&dir).map_err(|e| OracleError::Unavailable(format!("{STATE_DIR}: {e}")))?;
    if !m.file_type().is_dir() || m.uid() != 0 || m.mode() & 0o022 != 0 {
        return Err(OracleError::Unavailable(format!(
            "{STATE_DIR} is not a directory of root's that only root can write (mode {:o}, uid {}); \
             remove it and run again",
            m.mode() & 0o7777,
            m.uid()
        )));
    }
    Ok(dir)
}

/// Sleeps `d` in short slices; `Err(Interrupted)` as soon as the flag is
/// set, so that every wait of the oracle answers Ctrl-C within 20 ms.
pub(crate) fn sleep(d: Duration, interrupt: Option<&AtomicBool>) -> Result<(), OracleError> {
    let end = std::time::Instant::now() + d;
    loop {
        crate::check_interrupt(interrupt)?;
        let now = std::time::Instant::now();
        if now >= end {
            return Ok(());
        }
        std::thread::sleep((end - now).min(Duration::from_millis(20)));
    }
}

/// The machine-wide lock: an exclusive flock(2) on `lock` in the state
/// directory, held by the rig for its whole life. sync(2) and
/// drop_caches of one run reach every filesystem, so runs take turns.
///
/// The kernel drops the lock when the process dies, however it dies; the
/// file itself is never deleted (deleting it would let two runs lock two
/// different files). If someone deletes it anyway, the live runs'
/// records still make a new run wait ([`wait_for_live_runs`]).
pub(crate) struct Lock {
    _file: Flock<File>,
}

pub(crate) fn lock(interrupt: Option<&AtomicBool>) -> Result<Lock, OracleError> {
    let path = state_dir()?.join(LOCK_NAME);
    let setup = |e: std::io::Error| OracleError::Setup(format!("{}: {e}", path.display()));
    let mut said = false;
    loop {
        let mut file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o600)
            .custom_flags(libc::O_CLOEXEC | libc::O_NOFOLLOW)
            .open(&path)
            .map_err(setup)?;
        let locked = loop {
            match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
                Ok(l) => break l,
                Err((f, Errno::EWOULDBLOCK)) => {
                    if !said {
                        said = true;
                        let who = lock_holder(&f).map_or(String::new(), |p| format!(" (PID {p})"));
                        say(&format!("waiting for another oracle run{who} …"));
                    }
                    file = f;
                    // Polled rather than blocking in flock(2): a blocked
                    // flock would not return on Ctrl-C (SA_RESTART).
                    sleep(Duration::from_millis(50), interrupt)?;
                }
                Err((_, e)) => return Err(OracleError::Setup(format!("flock {}: {e}", path.display()))),
            }
        };
        // Deleted or replaced while we waited: that file locks nobody out.
        let held = locked.metadata().map_err(setup)?;
        match std::fs::symlink_metadata(&path) {
            Ok(now) if now.dev() == held.dev() && now.ino() == held.ino() => {
                return Ok(Lock { _file: locked });
            }
            _ => continue,
        }
    }
}

/// The PID holding a flock on `f`, from /proc/locks (the kernel's list;
/// the lock file's contents could be stale).
fn lock_holder(f: &File) -> Option<u32> {
    let m = f.metadata().ok()?;
    let locks = std::fs::read_to_string("/proc/locks").ok()?;
    holder_in(&locks, m.dev(), m.ino())
}

/// Parses /proc/locks lines such as `1: FLOCK  ADVISORY  WRITE 1234
/// 00:1a:5678 0 EOF` (device as hex major:minor); waiters (`->`) skipped.
fn holder_in(locks: &str, dev: u64, ino: u64) -> Option<u32> {
    let want = (nix::sys::stat::major(dev), nix::sys::stat::minor(dev), ino);
    locks.lines().find_map(|l| {
        let w: Vec<&str> = l.split_whitespace().collect();
        if w.get(1) != Some(&"FLOCK") {
            return None;
        }
        let mut id = w.get(5)?.split(':');
        let major = u64::from_str_radix(id.next()?, 16).ok()?;
        let minor = u64::from_str_radix(id.next()?, 16).ok()?;
        let i: u64 = id.next()?.parse().ok()?;
        ((major, minor, i) == want).then(|| w.get(4)?.parse().ok()).flatten()
    })
}

/// Who a process is: its PID and start time (clock ticks after boot,
/// field 22 of /proc/PID/stat). A PID is reused; the pair is not.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Proc {
    pub pid: u32,
    pub start: u64,
}

impl Proc {
    pub fn me() -> Result<Proc, OracleError> {
        let pid = std::process::id();
        let start = start_time(pid).ok_or_else(|| {
            OracleError::Unavailable("cannot read /proc/self/stat (is /proc mounted?)".into())
        })?;
        Ok(Proc { pid, start })
    }

    /// Whether this very process is still running. A zombie is not: it
    /// has closed its fds (the lock and /dev/fuse with them) and waits
    /// only for its parent, which may never come (a killed run whose
    /// parent does not reap it). Unless its other threads still run: a
    /// group leader that exited alone shows as a zombie too.
    pub fn alive(self) -> bool {
        match stat(self.pid) {
            Some((state, start)) if start == self.start => {
                !matches!(state, 'Z' | 'X') || other_threads(self.pid)
            }
            _ => false,
        }
    }
}

/// State (field 3) and start time (field 22) of /proc/PID/stat.
fn stat(pid: u32) -> Option<(char, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces or
    // parentheses itself: count fields after the last `)`.
    let mut rest = stat[stat.rfind(')')? + 1..].split_whitespace();
    let state = rest.next()?.chars().next()?;
    Some((state, rest.nth(18)?.parse().ok()?))
}

fn start_time(pid: u32) -> Option<u64> {
    stat(pid).map(|s| s.1)
}

fn other_threads(pid: u32) -> bool {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .map(|d| d.flatten().any(|t| t.file_name().to_string_lossy() != pid.to_string()))
        .unwrap_or(false)
}

fn boot_id() -> String {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id").unwrap_or_default().trim().to_owned()
}

fn pid_ns() -> String {
    std::fs::read_link("/proc/self/ns/pid").map(|p| p.to_string_lossy().into_owned()).unwrap_or_default()
}

/// A record's name says whose it is: `run-PID-START-N-NONCE`.
fn owner_of(name: &str) -> Option<Proc> {
    let mut w = name.strip_prefix(PREFIX)?.split('-');
    let pid = w.next()?.parse().ok()?;
    let start = w.next()?.parse().ok()?;
    let _n: u64 = w.next()?.parse().ok()?;
    let nonce = w.next()?;
    if nonce.is_empty() || !nonce.bytes().all(|b| b.is_ascii_hexdigit()) || w.next().is_some() {
        return None;
    }
    Some(Proc { pid, start })
}

/// One rig's record, open for appending.
pub(crate) struct Record {
    path: PathBuf,
    file: File,
    /// The rig's directory, named after the record.
    pub dir: PathBuf,
}

impl Record {
    /// Creates a new record (never an existing file) with its header.
    pub fn create(state: &Path, me: Proc) -> Result<Record, OracleError> {
        static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("{PREFIX}{}-{}-{n}-{}", me.pid, me.start, nonce());
        let path = state.join(format!("{name}.{EXT}"));
        let mut file = File::options()
            .create_new(true)
            .append(true)
            .mode(0o600)
            .custom_flags(libc::O_CLOEXEC | libc::O_NOFOLLOW)
            .open(&path)
            .map_err(|e| OracleError::Setup(format!("creating {}: {e}", path.display())))?;
        // One write: a reader never sees half a header.
        let header = format!(
            "errseq-oracle run record 1\npid {}\nstart {}\nboot {}\npidns {}\n",
            me.pid,
            me.start,
            boot_id(),
            pid_ns()
        );
        file.write_all(header.as_bytes())
            .map_err(|e| OracleError::Setup(format!("writing {}: {e}", path.display())))?;
        Ok(Record { dir: state.join(&name), path, file })
    }

    /// Appends one line (one write(2), so a kill never leaves half of it).
    pub fn note(&mut self, line: &str) -> Result<(), OracleError> {
        self.file
            .write_all(format!("{line}\n").as_bytes())
            .map_err(|e| OracleError::Setup(format!("writing {}: {e}", self.path.display())))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Everything is gone: so is the record.
    pub fn remove(self) -> std::io::Result<()> {
        std::fs::remove_file(&self.path)
    }
}

/// 8 hex digits from the kernel's random pool (the clock if that fails):
/// a rig directory's name is never one a previous boot could have used.
fn nonce() -> String {
    let mut b = [0u8; 4];
    let random = File::open("/dev/urandom").and_then(|mut f| std::io::Read::read_exact(&mut f, &mut b));
    if random.is_err() {
        let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        b = t.subsec_nanos().to_le_bytes();
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// What a run found in the state directory.
#[derive(Debug, Default)]
pub(crate) struct Survey {
    /// Records of processes that are gone (SIGKILL, crash, power cut).
    pub dead: Vec<PathBuf>,
    /// Records of running processes that are not done with them.
    pub live: Vec<(PathBuf, u32)>,
}

/// Sorts the records by owner. A record whose header names another boot
/// is dead whatever its PID; one made in another PID namespace is left
/// alone (its PIDs mean nothing here).
pub(crate) fn survey(state: &Path) -> Survey {
    let mut s = Survey::default();
    let Ok(entries) = std::fs::read_dir(state) else { return s };
    let (boot, ns) = (boot_id(), pid_ns());
    let mut paths: Vec<PathBuf> =
        entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == EXT)).collect();
    paths.sort();
    for path in paths {
        let Some(owner) = path.file_stem().and_then(|n| owner_of(&n.to_string_lossy())) else { continue };
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let field = |k: &str| text.lines().find_map(|l| l.strip_prefix(k)?.strip_prefix(' '));
        if field("pidns").is_some_and(|n| !n.is_empty() && n != ns) {
            continue;
        }
        let other_boot = field("boot").is_some_and(|b| !b.is_empty() && b != boot);
        if other_boot || !owner.alive() {
            s.dead.push(path);
        } else if !text.lines().any(|l| l.starts_with("left ")) {
            s.live.push((path, owner.pid));
        }
    }
    s
}

/// Waits until no running process holds a record it has not given up
/// on. With the lock file in place this returns at once (records outlive
/// no lock); it matters when someone deleted the lock file while a run
/// held it.
pub(crate) fn wait_for_live_runs(state: &Path, interrupt: Option<&AtomicBool>) -> Result<(), OracleError> {
    let mut said = None;
    loop {
        let live = survey(state).live;
        let Some((_, pid)) = live.first() else { return Ok(()) };
        if said != Some(*pid) {
            said = Some(*pid);
            say(&format!("waiting for another oracle run (PID {pid}) …"));
        }
        sleep(Duration::from_millis(100), interrupt)?;
    }
}

/// A mount from /proc/self/mountinfo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Mount {
    pub point: PathBuf,
    pub fstype: String,
    pub source: String,
}

/// Mountinfo escapes space, tab, newline and backslash as `\ooo`.
fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let oct = b.get(i + 1..i + 4).filter(|d| d.iter().all(|c| (b'0'..=b'7').contains(c)));
        match (b[i], oct) {
            (b'\\', Some(d)) => {
                out.push((d[0] - b'0') * 64 + (d[1] - b'0') * 8 + (d[2] - b'0'));
                i += 4;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every mount on `dir` or below it, deepest first.
pub(crate) fn mounts_under(dir: &Path) -> Vec<Mount> {
    let info = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    let mut v: Vec<Mount> = info
        .lines()
        .filter_map(|l| {
            // ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER
            let (head, tail) = l.split_once(" - ")?;
            let point = PathBuf::from(unescape(head.split(' ').nth(4)?));
            let mut t = tail.split(' ');
            let fstype = t.next()?.to_owned();
            let source = unescape(t.next().unwrap_or(""));
            Some(Mount { point, fstype, source })
        })
        .filter(|m| m.point.starts_with(dir))
        .collect();
    v.sort_by_key(|m| std::cmp::Reverse(m.point.components().count()));
    v
}

/// Loop devices whose backing file is `backing`, as `/dev/loopN`.
pub(crate) fn loops_backed_by(backing: &Path) -> Vec<String> {
    let mut v = Vec::new();
    let Ok(entries) = std::fs::read_dir("/sys/block") else { return v };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.starts_with("loop") {
            continue;
        }
        let file = std::fs::read_to_string(e.path().join("loop/backing_file")).unwrap_or_default();
        if Path::new(file.trim_end_matches('\n')) == backing {
            v.push(format!("/dev/{name}"));
        }
    }
    v.sort();
    v
}

/// What of a rig is still there: mounts under its directory, loop
/// devices on its image, the directory.
pub(crate) fn remains(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = mounts_under(dir)
        .into_iter()
        .map(|m| format!("{} mount on {}", m.fstype, m.point.display()))
        .collect();
    v.extend(loops_backed_by(&image_path(dir)).into_iter().map(|d| format!("loop device {d}")));
    if std::fs::symlink_metadata(dir).is_ok() {
        v.push(format!("directory {}", dir.display()));
    }
    v
}

/// The path a rig's loop device reads: faultfs's `image`.
pub(crate) fn image_path(dir: &Path) -> PathBuf {
    dir.join("fuse").join(crate::faultfs::IMAGE_NAME)
}

/// Unmounts `path`: waits out EBUSY for a second (a closing fd, udev
/// probing the loop device), then detaches it lazily, which always works
/// and frees it once the last user is gone.
pub(crate) fn umount(path: &Path) {
    for _ in 0..20 {
        match nix::mount::umount2(path, MntFlags::empty()) {
            Ok(()) | Err(Errno::EINVAL) | Err(Errno::ENOENT) => return,
            Err(Errno::EBUSY) => std::thread::sleep(Duration::from_millis(50)),
            Err(Errno::EINTR) => {}
            Err(_) => break,
        }
    }
    let _ = nix::mount::umount2(path, MntFlags::MNT_DETACH);
}

/// `losetup -d`, retried for a second (udev may hold the device open).
/// On a device still in use the kernel only marks it to go when closed.
pub(crate) fn detach(dev: &str) -> Result<(), String> {
    let mut last = String::new();
    for _ in 0..20 {
        match crate::rig::cmd("losetup", &["-d", dev]) {
            Ok(_) => return Ok(()),
            Err(e) => last = e,
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(last)
}

/// What recovery did with one dead run's record.
#[derive(Debug, Default)]
pub(crate) struct Recovered {
    pub pid: u32,
    pub removed: Vec<String>,
    /// Could not be removed (the record stays for the next run).
    pub left: Vec<String>,
}

/// Removes what the dead run of `record` made, in the order that frees
/// each: the filesystem under test, its loop device, faultfs, the mount
/// points, the directory; then the record. Everything is checked against
/// the record first:
///
/// - the directory is the record's own (named after it, inside the state
///   directory; with the device and inode the record wrote, when it got
///   that far), and only empty directories are removed (rmdir);
/// - a mount is removed only on the rig's `mnt` (ext4, xfs or btrfs on
///   a loop device) or `fuse` (faultfs) mount point; anything else found
///   there is reported and left;
/// - a loop device is detached only when its backing file is that rig's
///   faultfs image (a path no other run can have).
pub(crate) fn recover(record: &Path) -> Recovered {
    let name = record.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut r = Recovered { pid: owner_of(&name).map_or(0, |o| o.pid), ..Recovered::default() };
    let Some(dir) = record.parent().map(|p| p.join(&name)) else { return r };
    let text = std::fs::read_to_string(record).unwrap_or_default();
    let (fuse, mnt) = (dir.join("fuse"), dir.join("mnt"));
    let is_test_fs = |m: &Mount| {
        m.point == mnt && crate::Fs::from_id(&m.fstype).is_some() && m.source.starts_with("/dev/loop")
    };
    let is_faultfs = |m: &Mount| m.point == fuse && m.fstype.starts_with("fuse") && m.source == FUSE_NAME;
    // Mounts can be stacked: unmount until none of the rig's is left.
    for _ in 0..4 {
        let mounts = mounts_under(&dir);
        let Some(m) = mounts.iter().find(|m| is_test_fs(m)) else { break };
        umount(&m.point);
        r.removed.push(format!("{} mount on {}", m.fstype, m.point.display()));
    }
    for dev in loops_backed_by(&image_path(&dir)) {
        match detach(&dev) {
            Ok(()) => r.removed.push(format!("loop device {dev}")),
            Err(e) => r.left.push(format!("loop device {dev} ({e})")),
        }
    }
    for _ in 0..4 {
        let mounts = mounts_under(&dir);
        let Some(m) = mounts.iter().find(|m| is_faultfs(m)) else { break };
        umount(&m.point);
        r.removed.push(format!("faultfs mount on {}", m.point.display()));
    }
    for m in mounts_under(&dir) {
        r.left.push(format!(
            "{} mount of {} on {} (not one the record describes)",
            m.fstype,
            m.source,
            m.point.display()
        ));
    }
    // The directory, if it is the one the record made.
    let made = text.lines().find_map(|l| {
        let rest = l.strip_prefix("= dir ")?;
        let (path, id) = rest.rsplit_once(' ')?;
        (Path::new(path) == dir).then_some(id.to_owned())
    });
    if let Ok(m) = std::fs::symlink_metadata(&dir) {
        let id = format!("{}:{}", m.dev(), m.ino());
        if m.file_type().is_dir() && made.as_ref().is_none_or(|want| *want == id) {
            let _ = std::fs::remove_dir(&mnt);
            let _ = std::fs::remove_dir(&fuse);
            match std::fs::remove_dir(&dir) {
                Ok(()) => r.removed.push(format!("directory {}", dir.display())),
                Err(e) => r.left.push(format!("directory {} ({e})", dir.display())),
            }
        } else {
            r.left.push(format!("{} (not the directory the record made)", dir.display()));
        }
    }
    if r.left.is_empty() && remains(&dir).is_empty() {
        if let Err(e) = std::fs::remove_file(record) {
            r.left.push(format!("record {} ({e})", record.display()));
        }
    }
    r
}

/// faultfs's name in mountinfo (the mount's source).
pub(crate) const FUSE_NAME: &str = "errseq-faultfs";

/// Recovers every dead run's leftovers (saying what it did), then waits
/// for live runs that hold records. Called with the lock held.
pub(crate) fn recover_all(state: &Path, interrupt: Option<&AtomicBool>) -> Result<(), OracleError> {
    for record in survey(state).dead {
        let r = recover(&record);
        if !r.removed.is_empty() {
            say(&format!(
                "removed what a killed oracle run (PID {}) left behind: {}",
                r.pid,
                r.removed.join(", ")
            ));
        }
        if !r.left.is_empty() {
            say(&format!(
                "could not remove what a killed oracle run (PID {}) left behind: {}; {} stays for the next run",
                r.pid,
                r.left.join(", "),
                record.display()
            ));
        }
    }
    wait_for_live_runs(state, interrupt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_names_say_whose_they_are() {
        assert_eq!(owner_of("run-123-456-0-0a1b2c3d"), Some(Proc { pid: 123, start: 456 }));
        for bad in
            ["run-123-456-0", "run-x-456-0-ab", "run-1-2-3-zz", "errseq-oracle-99999-0", "run-1-2-3-ab-c"]
        {
            assert_eq!(owner_of(bad), None, "{bad}");
        }
    }

    #[test]
    fn this_process_is_alive_and_a_reused_pid_is_not() {
        let me = Proc::me().expect("/proc");
        assert!(me.alive());
        assert!(!Proc { start: me.start + 1, ..me }.alive(), "same PID, other start time: another process");
        assert!(!Proc { pid: u32::MAX - 1, start: 1 }.alive());
    }

    /// A killed process nobody reaped holds nothing any more.
    #[test]
    fn a_zombie_is_dead() {
        let mut child = std::process::Command::new("true").spawn().expect("spawn true");
        let pid = child.id();
        let start = start_time(pid);
        // Not reaped yet: a zombie once it has exited.
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while stat(pid).is_some_and(|s| s.0 != 'Z') && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        if let Some(start) = start {
            assert!(!Proc { pid, start }.alive(), "a zombie counts as dead");
        }
        let _ = child.wait();
    }

    #[test]
    fn the_lock_holder_is_read_from_proc_locks() {
        let dev = nix::sys::stat::makedev(0, 0x1a);
        let locks = "1: POSIX  ADVISORY  WRITE 99 00:1a:5678 0 EOF\n\
                     2: FLOCK  ADVISORY  WRITE 1234 00:1a:5678 0 EOF\n\
                     2: -> FLOCK  ADVISORY  WRITE 4321 00:1a:5678 0 EOF\n";
        assert_eq!(holder_in(locks, dev, 5678), Some(1234));
        assert_eq!(holder_in(locks, dev, 5679), None);
    }

    #[test]
    fn mountinfo_escapes_are_undone() {
        assert_eq!(unescape(r"/run/a\040b\134c"), r"/run/a b\c");
        assert_eq!(unescape(r"/x\04"), r"/x\04");
    }
}
