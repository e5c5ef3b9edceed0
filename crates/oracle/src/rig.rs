//! The stack under test: faultfs (FUSE, in this process) → its `image` →
//! a loop device → mkfs → mounted. Built per scenario, torn down on drop
//! (also when unwinding from a panic). Every piece is written into the
//! rig's record in the state directory ([`crate::state`]) before it is
//! made and after, so that a later run can remove exactly what a killed
//! one left.

use std::fs::File;
use std::io::Write;
use std::os::fd::OwnedFd;
use std::os::unix::fs::{DirBuilderExt, FileExt, MetadataExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use nix::fcntl::OFlag;
use nix::mount::{MntFlags, MsFlags};
use nix::sys::stat::Mode;

use crate::faultfs::{FaultFs, Injector, CTL_NAME, IMAGE_NAME};
use crate::state::{self, Lock, Proc, Record};
use crate::{check_interrupt, stage, Fs, OracleError};

/// Why the oracle cannot run here, or `Ok`.
pub fn preflight(fs: Fs) -> Result<(), String> {
    if !nix::unistd::geteuid().is_root() {
        return Err("needs root (loop devices, mount, /proc/sys/vm/drop_caches)".into());
    }
    if let Err(e) = std::fs::OpenOptions::new().read(true).write(true).open("/dev/fuse") {
        return Err(format!("/dev/fuse is not usable: {e}"));
    }
    if !Path::new("/dev/loop-control").exists() {
        return Err("no loop devices (/dev/loop-control is missing; modprobe loop?)".into());
    }
    let filesystems = std::fs::read_to_string("/proc/filesystems").unwrap_or_default();
    for (name, why) in [("fuse", "FUSE"), (fs.id(), fs.id())] {
        if !filesystems.split_whitespace().any(|w| w == name) {
            return Err(format!("the kernel does not offer {why} (not in /proc/filesystems)"));
        }
    }
    for (tool, package) in [("losetup", "mount"), (fs.mkfs(), fs.package())] {
        if which(tool).is_none() {
            return Err(format!("`{tool}` not found (Debian package {package})"));
        }
    }
    Ok(())
}

fn which(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin".into(), "/sbin".into(), "/usr/bin".into()])
        .map(|d| d.join(tool))
        .find(|p| p.is_file())
}

/// Runs a command; its stderr in the error.
///
/// The child gets a process group of its own and no terminal input: a
/// Ctrl-C at the terminal goes to the whole foreground group, and must
/// reach only the oracle (which stops between steps and cleans up), never
/// kill a `losetup -d` of the teardown or a `mkfs` halfway.
pub(crate) fn cmd(program: &str, args: &[&str]) -> Result<String, String> {
    let exe = which(program).unwrap_or_else(|| program.into());
    let out = Command::new(&exe)
        .args(args)
        .stdin(Stdio::null())
        .process_group(0)
        .output()
        .map_err(|e| format!("{program}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    } else {
        Err(format!(
            "`{program} {}` failed ({}): {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// How to build a rig.
pub(crate) struct Build<'a> {
    /// Mount options (`data=journal`, ...).
    pub data: Option<&'a str>,
    /// The image's size in bytes ([`Fs::image_size`]).
    pub size: u64,
    /// Ctrl-C: checked between the steps of the setup and in every wait.
    pub interrupt: Option<&'a AtomicBool>,
}

/// A mounted filesystem on a failing-capable image.
pub struct Rig {
    pub fs: Fs,
    /// Where the filesystem under test is mounted.
    pub mnt: PathBuf,
    /// The FUSE mount (holds `image` and `ctl`).
    pub fuse_dir: PathBuf,
    /// The image, read directly on the host to see what reached "disk".
    image: File,
    pub loop_dev: Option<String>,
    mounted: bool,
    data: Option<String>,
    session: Option<fuser::BackgroundSession>,
    injector: Arc<Mutex<Injector>>,
    /// What this rig made, for the teardown and for a later run's
    /// recovery if this process is killed. `None` once removed.
    record: Option<Record>,
    /// Dropped after the teardown (fields drop after `Drop::drop`), so
    /// the next run starts only once everything is gone.
    _lock: Lock,
}

impl Rig {
    pub(crate) fn new(fs: Fs, b: &Build<'_>) -> Result<Rig, OracleError> {
        preflight(fs).map_err(OracleError::Unavailable)?;
        let tmp = std::env::temp_dir();
        check_room(&tmp, b.size)?;
        // A child killed or a system call cut short by the signal is the
        // interrupt's doing, not a setup failure.
        crate::settle(Rig::build(fs, b, &tmp), b.interrupt)
    }

    fn build(fs: Fs, b: &Build<'_>, tmp: &Path) -> Result<Rig, OracleError> {
        let lock = state::lock(b.interrupt)?;
        let state_dir = state::state_dir()?;
        state::recover_all(&state_dir, b.interrupt)?;
        stage("locked", b.interrupt)?;
        let mut record = Record::create(&state_dir, Proc::me()?)?;
        // The image has no name: an O_TMPFILE in $TMPDIR, freed by the
        // kernel when its last fd closes, also when the process is
        // killed. Nothing in $TMPDIR is ever created, named or removed.
        let image = tmpfile(tmp)?;
        let setup = |e: std::io::Error| OracleError::Setup(format!("the image in {}: {e}", tmp.display()));
        image.set_len(b.size).map_err(setup)?;
        record.note(&format!("image O_TMPFILE in {} ({} bytes)", tmp.display(), b.size))?;
        let image2 = image.try_clone().map_err(setup)?;
        let dir = record.dir.clone();
        let injector = Arc::new(Mutex::new(Injector::default()));
        let mut rig = Rig {
            fs,
            mnt: dir.join("mnt"),
            fuse_dir: dir.join("fuse"),
            image: image2,
            loop_dev: None,
            mounted: false,
            data: b.data.map(str::to_owned),
            session: None,
            injector: injector.clone(),
            record: Some(record),
            _lock: lock,
        };
        // From here on, an error drops `rig`, whose teardown removes what
        // the record lists.
        rig.note(&format!("+ dir {}", dir.display()))?;
        let mkdir = |p: &Path| {
            std::fs::DirBuilder::new()
                .mode(0o700)
                .create(p)
                .map_err(|e| OracleError::Setup(format!("creating {}: {e}", p.display())))
        };
        mkdir(&dir)?;
        let m = std::fs::symlink_metadata(&dir)
            .map_err(|e| OracleError::Setup(format!("{}: {e}", dir.display())))?;
        rig.note(&format!("= dir {} {}:{}", dir.display(), m.dev(), m.ino()))?;
        mkdir(&rig.fuse_dir)?;
        mkdir(&rig.mnt)?;
        check_interrupt(b.interrupt)?;

        let mut cfg = fuser::Config::default();
        cfg.mount_options = vec![
            fuser::MountOption::FSName(state::FUSE_NAME.into()),
            fuser::MountOption::NoDev,
            fuser::MountOption::NoSuid,
        ];
        rig.note(&format!("+ fuse {}", rig.fuse_dir.display()))?;
        let session = fuser::spawn_mount(FaultFs::new(image, b.size, injector), &rig.fuse_dir, &cfg)
            .map_err(|e| {
                OracleError::Setup(format!("mounting faultfs on {}: {e}", rig.fuse_dir.display()))
            })?;
        rig.session = Some(session);
        rig.note(&format!("= fuse {}", rig.fuse_dir.display()))?;
        stage("faultfs", b.interrupt)?;

        let backing = rig.fuse_dir.join(IMAGE_NAME);
        rig.note(&format!("+ loop {}", backing.display()))?;
        let dev =
            cmd("losetup", &["--find", "--show", &backing.to_string_lossy()]).map_err(OracleError::Setup)?;
        rig.loop_dev = Some(dev.clone());
        rig.note(&format!("= loop {dev} {}", backing.display()))?;
        no_merges(&dev)?;
        stage("loop", b.interrupt)?;

        let mkfs_args: Vec<&str> = match fs {
            Fs::Ext4 => {
                vec!["-q", "-F", "-b", "4096", "-E", "lazy_itable_init=0,lazy_journal_init=0,nodiscard"]
            }
            Fs::Xfs => vec!["-q", "-f", "-K"],
            Fs::Btrfs => vec!["-q", "-f", "-K"],
        };
        let mut args = mkfs_args;
        args.push(&dev);
        cmd(fs.mkfs(), &args).map_err(OracleError::Setup)?;
        check_interrupt(b.interrupt)?;
        rig.mount()?;
        stage("mounted", b.interrupt)?;
        Ok(rig)
    }

    /// Appends to the record.
    fn note(&mut self, line: &str) -> Result<(), OracleError> {
        match &mut self.record {
            Some(r) => r.note(line),
            None => Ok(()),
        }
    }

    fn mount(&mut self) -> Result<(), OracleError> {
        let dev = self.loop_dev.clone().unwrap_or_default();
        self.note(&format!("+ mount {} {} {dev}", self.mnt.display(), self.fs.id()))?;
        nix::mount::mount(
            Some(dev.as_str()),
            &self.mnt,
            Some(self.fs.id()),
            MsFlags::empty(),
            self.data.as_deref(),
        )
        .map_err(|e| {
            OracleError::Setup(format!("mount -t {} {dev} {}: {e}", self.fs.id(), self.mnt.display()))
        })?;
        self.mounted = true;
        self.note(&format!("= mount {}", self.mnt.display()))
    }

    /// Unmounts and mounts again: what the disk holds, as the filesystem
    /// reads it back. Every fd on it must be closed.
    pub fn remount(&mut self) -> Result<(), OracleError> {
        nix::mount::umount2(&self.mnt, MntFlags::empty())
            .map_err(|e| OracleError::Setup(format!("umount {}: {e}", self.mnt.display())))?;
        self.mounted = false;
        self.note(&format!("- mount {}", self.mnt.display()))?;
        self.mount()
    }

    /// Sends one line to faultfs's control file.
    pub fn control(&self, line: &str) -> Result<(), OracleError> {
        control(&self.ctl_path(), line)
    }

    /// faultfs's control file.
    pub fn ctl_path(&self) -> PathBuf {
        self.fuse_dir.join(CTL_NAME)
    }

    /// faultfs's counters, read directly.
    pub fn failed_writes(&self) -> u64 {
        self.injector.lock().map(|i| i.failed).unwrap_or(0)
    }

    /// What faultfs's control file reports.
    pub fn status(&self) -> String {
        std::fs::read_to_string(self.fuse_dir.join(CTL_NAME)).unwrap_or_default()
    }

    /// Reads the image directly (what the "disk" holds).
    pub fn read_image(&self, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
        self.image.read_exact_at(buf, offset)
    }

    /// The filesystem's path for a scenario file.
    pub fn path(&self, name: &str) -> PathBuf {
        self.mnt.join(name)
    }
}

/// An unnamed file in `dir` (open(2) `O_TMPFILE`).
fn tmpfile(dir: &Path) -> Result<File, OracleError> {
    let fd: OwnedFd = nix::fcntl::open(
        dir,
        OFlag::O_TMPFILE | OFlag::O_RDWR | OFlag::O_CLOEXEC,
        Mode::from_bits_truncate(0o600),
    )
    .map_err(|e| {
        OracleError::Unavailable(format!(
            "cannot make the image, an unnamed file (O_TMPFILE) in {}: {e}; set TMPDIR to a directory \
             on ext4, xfs, btrfs or tmpfs",
            dir.display()
        ))
    })?;
    Ok(File::from(fd))
}

/// Refuses before anything is built when `$TMPDIR` has too little room
/// for what the image will hold: the scenario's data, twice (versions and
/// copy-on-write), and what mkfs writes (inode tables, journal or log:
/// about an eighth of the image, plus 32 MiB). The image is sparse, so
/// its size is not what counts.
fn check_room(tmp: &Path, size: u64) -> Result<(), OracleError> {
    let Ok(st) = nix::sys::statvfs::statvfs(tmp) else { return Ok(()) };
    // Both are u64 on Linux (fsblkcnt_t, c_ulong).
    let free = st.blocks_available().saturating_mul(st.fragment_size());
    let want = size / 4 + (32 << 20);
    if free < want {
        return Err(OracleError::Unavailable(format!(
            "the image needs about {} MiB in {} (TMPDIR), which has {} MiB free; \
             set TMPDIR to a filesystem with more room",
            want >> 20,
            tmp.display(),
            free >> 20
        )));
    }
    Ok(())
}

/// Sends one line to faultfs's control file `ctl` (threads of a `par`
/// block call this without the rig).
pub(crate) fn control(ctl: &Path, line: &str) -> Result<(), OracleError> {
    let mut f = File::options()
        .write(true)
        .open(ctl)
        .map_err(|e| OracleError::Setup(format!("{}: {e}", ctl.display())))?;
    f.write_all(format!("{line}\n").as_bytes())
        .map_err(|e| OracleError::Setup(format!("faultfs refused `{line}`: {e}")))
}

impl Drop for Rig {
    /// The teardown. Not interruptible: signals only set the flag, and
    /// every step runs whatever arrives meanwhile. What it cannot remove
    /// stays in the record (marked `left`), which a later run removes
    /// once this process has exited.
    fn drop(&mut self) {
        // The rig's directory: the record's, which holds both mount points.
        let dir = self.fuse_dir.parent().map_or_else(|| self.fuse_dir.clone(), Path::to_path_buf);
        if self.mounted {
            let _ = self.note(&format!("- mount {}", self.mnt.display()));
            state::umount(&self.mnt);
            self.mounted = false;
        }
        // Test hook: kill or interrupt the teardown halfway.
        let _ = stage("teardown", None);
        if let Some(dev) = self.loop_dev.take() {
            let _ = self.note(&format!("- loop {dev}"));
            if let Err(e) = state::detach(&dev) {
                state::say(&e);
            }
        }
        if let Some(s) = self.session.take() {
            let _ = self.note(&format!("- fuse {}", self.fuse_dir.display()));
            // Unmounts faultfs and joins its thread.
            if s.umount_and_join().is_err() {
                state::umount(&self.fuse_dir);
            }
        }
        let _ = std::fs::remove_dir(&self.mnt);
        let _ = std::fs::remove_dir(&self.fuse_dir);
        let _ = std::fs::remove_dir(&dir);
        let left = state::remains(&dir);
        if left.is_empty() {
            let _ = self.note(&format!("- dir {}", dir.display()));
            if let Some(r) = self.record.take() {
                let path = r.path().to_owned();
                if let Err(e) = r.remove() {
                    state::say(&format!("cannot remove {}: {e}", path.display()));
                }
            }
        } else {
            let _ = self.note(&format!("left {}", left.join(", ")));
            let path = self.record.as_ref().map(|r| r.path().display().to_string()).unwrap_or_default();
            state::say(&format!(
                "could not remove {}; {path} lists it, and the next run removes it once this process has exited",
                left.join(", ")
            ));
        }
    }
}

/// Stops the loop device's queue from merging requests.
///
/// The block layer merges adjacent requests (in the plug list and the I/O
/// scheduler) whatever file they came from: `sync` writing f and g, whose
/// blocks are neighbours on the image, sends faultfs one write that
/// covers both, and failing f's extents then fails g's data too (seen on
/// ext4, xfs and btrfs: `examples/oracle-15-healthy-neighbour.errseq`).
/// `queue/nomerges` = 2 sets `QUEUE_FLAG_NOMERGES` (`queue_nomerges_store`,
/// block/blk-sysfs.c), and `blk_mq_attempt_bio_merge` (block/blk-mq.c)
/// then tries neither the plug merge nor the scheduler's: each bio reaches
/// faultfs as a request of its own, and a filesystem builds a bio from
/// one inode's pages only (one writeback context per inode).
fn no_merges(dev: &str) -> Result<(), OracleError> {
    let name = dev.trim_start_matches("/dev/");
    let path = format!("/sys/block/{name}/queue/nomerges");
    std::fs::write(&path, "2\n").map_err(|e| OracleError::Setup(format!("writing 2 to {path}: {e}")))?;
    let now = std::fs::read_to_string(&path).map_err(|e| OracleError::Setup(format!("{path}: {e}")))?;
    if now.trim() != "2" {
        return Err(OracleError::Setup(format!(
            "{path} reads `{}` after writing 2: merged requests could fail a healthy neighbour",
            now.trim()
        )));
    }
    Ok(())
}
