//! The stack under test: faultfs (FUSE, in this process) → its `image` →
//! a loop device → mkfs → mounted. Built per scenario, torn down on drop
//! (also when unwinding from a panic); leftovers of a killed run are swept
//! away by the next one.

use std::fs::File;
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use nix::fcntl::{Flock, FlockArg};
use nix::mount::{MntFlags, MsFlags};

use crate::faultfs::{FaultFs, Injector, CTL_NAME, IMAGE_NAME};
use crate::{Fs, OracleError};

/// Where every rig lives: `/tmp/errseq-oracle-PID-N`.
const PREFIX: &str = "errseq-oracle-";
/// Held (flock) while a rig exists: one rig at a time on the machine, so
/// sync(2) and drop_caches of one run never touch another's files, and any
/// rig directory found while holding it is a leftover.
const LOCK: &str = "/tmp/errseq-oracle.lock";

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
fn cmd(program: &str, args: &[&str]) -> Result<String, String> {
    let exe = which(program).unwrap_or_else(|| program.into());
    let out = Command::new(&exe).args(args).output().map_err(|e| format!("{program}: {e}"))?;
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

/// A mounted filesystem on a failing-capable image.
pub struct Rig {
    pub fs: Fs,
    pub dir: PathBuf,
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
    _lock: Flock<File>,
}

impl Rig {
    pub fn new(fs: Fs) -> Result<Rig, OracleError> {
        Rig::with_options(fs, None)
    }

    /// With mount options (`data=journal`, ...).
    pub fn with_options(fs: Fs, data: Option<&str>) -> Result<Rig, OracleError> {
        preflight(fs).map_err(OracleError::Unavailable)?;
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(LOCK)
            .map_err(|e| OracleError::Setup(format!("{LOCK}: {e}")))?;
        let lock = Flock::lock(lock, FlockArg::LockExclusive)
            .map_err(|(_, e)| OracleError::Setup(format!("flock {LOCK}: {e}")))?;
        sweep_leftovers();

        static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("{PREFIX}{}-{n}", std::process::id()));
        let setup = |e: std::io::Error| OracleError::Setup(format!("{}: {e}", dir.display()));
        std::fs::create_dir_all(dir.join("fuse")).map_err(setup)?;
        std::fs::create_dir_all(dir.join("mnt")).map_err(setup)?;
        let image_path = dir.join("image.raw");
        let image = File::options()
            .create(true)
            .truncate(true)
            .read(true)
            .write(true)
            .open(&image_path)
            .map_err(setup)?;
        image.set_len(fs.image_size()).map_err(setup)?;
        let image2 = image.try_clone().map_err(setup)?;
        let injector = Arc::new(Mutex::new(Injector::default()));
        let mut rig = Rig {
            fs,
            mnt: dir.join("mnt"),
            fuse_dir: dir.join("fuse"),
            dir,
            image: image2,
            loop_dev: None,
            mounted: false,
            data: None,
            session: None,
            injector: injector.clone(),
            _lock: lock,
        };
        let mut cfg = fuser::Config::default();
        cfg.mount_options = vec![
            fuser::MountOption::FSName("errseq-faultfs".into()),
            fuser::MountOption::NoDev,
            fuser::MountOption::NoSuid,
        ];
        let session = fuser::spawn_mount(FaultFs::new(image, fs.image_size(), injector), &rig.fuse_dir, &cfg)
            .map_err(|e| {
                OracleError::Setup(format!("mounting faultfs on {}: {e}", rig.fuse_dir.display()))
            })?;
        rig.session = Some(session);
        let backing = rig.fuse_dir.join(IMAGE_NAME);
        let backing = backing.to_string_lossy();
        let dev = cmd("losetup", &["--find", "--show", &backing]).map_err(OracleError::Setup)?;
        rig.loop_dev = Some(dev.clone());
        no_merges(&dev)?;
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
        rig.data = data.map(str::to_owned);
        rig.mount()?;
        Ok(rig)
    }

    fn mount(&mut self) -> Result<(), OracleError> {
        let dev = self.loop_dev.clone().unwrap_or_default();
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
        Ok(())
    }

    /// Unmounts and mounts again: what the disk holds, as the filesystem
    /// reads it back. Every fd on it must be closed.
    pub fn remount(&mut self) -> Result<(), OracleError> {
        nix::mount::umount2(&self.mnt, MntFlags::empty())
            .map_err(|e| OracleError::Setup(format!("umount {}: {e}", self.mnt.display())))?;
        self.mounted = false;
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
    fn drop(&mut self) {
        if self.mounted {
            umount(&self.mnt);
            self.mounted = false;
        }
        if let Some(dev) = self.loop_dev.take() {
            detach(&dev);
        }
        if let Some(s) = self.session.take() {
            // Unmounts faultfs and joins its thread.
            if s.umount_and_join().is_err() {
                umount(&self.fuse_dir);
            }
        }
        remove_rig_dir(&self.dir);
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

/// Removes a rig's directory without ever descending into a mount that
/// might still be there.
fn remove_rig_dir(dir: &Path) {
    let _ = std::fs::remove_file(dir.join("image.raw"));
    let _ = std::fs::remove_dir(dir.join("mnt"));
    let _ = std::fs::remove_dir(dir.join("fuse"));
    let _ = std::fs::remove_dir(dir);
}

fn umount(path: &Path) {
    for _ in 0..20 {
        match nix::mount::umount2(path, MntFlags::empty()) {
            Ok(()) | Err(nix::errno::Errno::EINVAL) | Err(nix::errno::Errno::ENOENT) => return,
            Err(nix::errno::Errno::EBUSY) => std::thread::sleep(Duration::from_millis(50)),
            Err(_) => break,
        }
    }
    let _ = nix::mount::umount2(path, MntFlags::MNT_DETACH);
}

fn detach(dev: &str) {
    for _ in 0..20 {
        if cmd("losetup", &["-d", dev]).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Removes mounts, loop devices and directories of rigs whose process
/// died without cleaning up. Only called with the lock held.
fn sweep_leftovers() {
    let tmp = std::env::temp_dir();
    let ours = |p: &str| {
        Path::new(p)
            .strip_prefix(&tmp)
            .ok()
            .and_then(|r| r.components().next())
            .is_some_and(|c| c.as_os_str().to_string_lossy().starts_with(PREFIX))
    };
    // Filesystems first (deepest mount points first), then loops, then FUSE.
    let mut mounts: Vec<String> = std::fs::read_to_string("/proc/self/mountinfo")
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split(' ').nth(4).map(|s| s.replace("\\040", " ")))
        .filter(|m| ours(m))
        .collect();
    mounts.sort_by_key(|m| std::cmp::Reverse(m.ends_with("/mnt")));
    for m in mounts.iter().filter(|m| m.ends_with("/mnt")) {
        umount(Path::new(m));
    }
    if let Ok(entries) = std::fs::read_dir("/sys/block") {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.starts_with("loop") {
                continue;
            }
            let backing = std::fs::read_to_string(e.path().join("loop/backing_file")).unwrap_or_default();
            if ours(backing.trim()) {
                detach(&format!("/dev/{name}"));
            }
        }
    }
    for m in mounts.iter().filter(|m| !m.ends_with("/mnt")) {
        umount(Path::new(m));
    }
    if let Ok(entries) = std::fs::read_dir(&tmp) {
        for e in entries.flatten() {
            let p = e.path();
            if ours(&p.to_string_lossy()) && p.is_dir() {
                remove_rig_dir(&p);
            }
        }
    }
}
