//! faultfs: a FUSE filesystem with one disk image whose writes fail on
//! command.
//!
//! The mount holds two files:
//!
//! - `image`: the disk image (a sparse file on the host, read and written
//!   in place). It backs a loop device, which carries the filesystem under
//!   test. Opened with `FOPEN_DIRECT_IO`, so FUSE keeps no page cache of its
//!   own: every read of the loop device comes from the image as it is.
//! - `ctl`: the control file. Each line written to it is one command:
//!
//!   ```text
//!   fail NAME ERRNO extents START+LEN[,START+LEN...]   fail writes that touch these byte ranges
//!   fail NAME ERRNO tag TEXT                           fail writes whose data contains TEXT
//!   heal NAME                                          drop rule NAME
//!   heal all                                           drop every rule
//!   ```
//!
//!   ERRNO is a positive number. A write request that matches a rule is
//!   answered with that errno and nothing of it reaches the image (a loop
//!   request fails or succeeds whole). Reading `ctl` returns one line per
//!   rule with how many write requests it failed, and the totals.
//!
//! Discard and WRITE_ZEROES arrive as fallocate and are done on the image.
//!
//! Without `writeback_cache` FUSE writes are synchronous, so the errno
//! reaches the loop device's request, and the filesystem above sees a
//! failed bio (the block layer keeps ENOSPC and a few others; every other
//! errno arrives as EIO).

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fuser::{
    Errno, FileAttr, FileHandle, FileType, Filesystem, FopenFlags, INodeNo, LockOwner, OpenFlags, ReplyAttr,
    ReplyData, ReplyDirectory, ReplyEmpty, ReplyEntry, ReplyOpen, ReplyStatfs, ReplyWrite, Request,
    WriteFlags,
};

const ROOT: u64 = 1;
const IMAGE: u64 = 2;
const CTL: u64 = 3;
/// The names of the two files in the mount.
pub const IMAGE_NAME: &str = "image";
pub const CTL_NAME: &str = "ctl";

const TTL: Duration = Duration::from_secs(1);

/// Which write requests a rule fails.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Byte ranges of the image, as `(start, length)`.
    Extents(Vec<(u64, u64)>),
    /// Requests whose data contains these bytes.
    Tag(Vec<u8>),
}

/// One `fail` command in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub errno: i32,
    pub target: Target,
    /// Write requests this rule failed.
    pub failed: u64,
}

impl Rule {
    fn matches(&self, offset: u64, data: &[u8]) -> bool {
        match &self.target {
            Target::Extents(ranges) => {
                let end = offset + data.len() as u64;
                ranges.iter().any(|&(s, l)| offset < s + l && s < end)
            }
            Target::Tag(tag) => memchr::memmem::find(data, tag).is_some(),
        }
    }
}

/// The injector's state, shared between the FUSE thread and its owner.
#[derive(Debug, Default)]
pub struct Injector {
    pub rules: BTreeMap<String, Rule>,
    pub writes: u64,
    pub failed: u64,
    pub reads: u64,
}

impl Injector {
    /// Applies one control line.
    pub fn command(&mut self, line: &str) -> Result<(), String> {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            [] => Ok(()),
            ["heal", "all"] => {
                self.rules.clear();
                Ok(())
            }
            ["heal", name] => {
                self.rules.remove(*name);
                Ok(())
            }
            ["fail", name, errno, kind, rest @ ..] => {
                let errno: i32 = errno
                    .parse()
                    .ok()
                    .filter(|e| (1..4096).contains(e))
                    .ok_or_else(|| format!("`{errno}`: want an errno number 1..4095"))?;
                let target = match *kind {
                    "extents" => {
                        let mut ranges = Vec::new();
                        for r in rest.join(",").split(',').filter(|s| !s.is_empty()) {
                            let (s, l) = r
                                .split_once('+')
                                .and_then(|(s, l)| Some((s.parse().ok()?, l.parse().ok()?)))
                                .ok_or_else(|| format!("`{r}`: want START+LEN"))?;
                            ranges.push((s, l));
                        }
                        Target::Extents(ranges)
                    }
                    "tag" if !rest.is_empty() => Target::Tag(rest.join(" ").into_bytes()),
                    _ => return Err(format!("`{kind}`: want `extents` or `tag TEXT`")),
                };
                self.rules.insert((*name).to_owned(), Rule { errno, target, failed: 0 });
                Ok(())
            }
            _ => Err(format!("`{line}`: want `fail NAME ERRNO extents|tag ...` or `heal NAME|all`")),
        }
    }

    /// The status `ctl` reads back.
    pub fn status(&self) -> String {
        let mut s = String::new();
        for (name, r) in &self.rules {
            let what = match &r.target {
                Target::Extents(v) => format!("extents={}", v.len()),
                Target::Tag(t) => format!("tag={}", String::from_utf8_lossy(t)),
            };
            s.push_str(&format!("rule {name} errno={} {what} failed={}\n", r.errno, r.failed));
        }
        s.push_str(&format!("writes {} failed {} reads {}\n", self.writes, self.failed, self.reads));
        s
    }

    /// Decides one write request: `Some(errno)` fails it.
    fn on_write(&mut self, offset: u64, data: &[u8]) -> Option<i32> {
        self.writes += 1;
        let rule = self.rules.values_mut().find(|r| r.matches(offset, data))?;
        rule.failed += 1;
        self.failed += 1;
        Some(rule.errno)
    }
}

/// The FUSE filesystem.
pub struct FaultFs {
    image: File,
    size: u64,
    state: Arc<Mutex<Injector>>,
}

impl FaultFs {
    pub fn new(image: File, size: u64, state: Arc<Mutex<Injector>>) -> FaultFs {
        FaultFs { image, size, state }
    }

    fn lock(&self) -> MutexGuard<'_, Injector> {
        // A poisoned lock only means a panic elsewhere; the counters are fine.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn attr(&self, ino: u64) -> Option<FileAttr> {
        let (kind, size, perm, nlink) = match ino {
            ROOT => (FileType::Directory, 0, 0o755, 2),
            IMAGE => (FileType::RegularFile, self.size, 0o600, 1),
            CTL => (FileType::RegularFile, 0, 0o600, 1),
            _ => return None,
        };
        let now = SystemTime::now();
        Some(FileAttr {
            ino: INodeNo(ino),
            size,
            blocks: size.div_ceil(512),
            atime: now,
            mtime: now,
            ctime: now,
            crtime: UNIX_EPOCH,
            kind,
            perm,
            nlink,
            uid: 0,
            gid: 0,
            rdev: 0,
            blksize: 4096,
            flags: 0,
        })
    }
}

fn errno(e: &std::io::Error) -> Errno {
    Errno::from_i32(e.raw_os_error().unwrap_or(libc::EIO))
}

impl Filesystem for FaultFs {
    fn lookup(&self, _req: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEntry) {
        let ino = match (u64::from(parent), name.to_str()) {
            (ROOT, Some(IMAGE_NAME)) => IMAGE,
            (ROOT, Some(CTL_NAME)) => CTL,
            _ => return reply.error(Errno::ENOENT),
        };
        match self.attr(ino) {
            Some(a) => reply.entry(&TTL, &a, fuser::Generation(0)),
            None => reply.error(Errno::ENOENT),
        }
    }

    fn getattr(&self, _req: &Request, ino: INodeNo, _fh: Option<FileHandle>, reply: ReplyAttr) {
        match self.attr(ino.into()) {
            Some(a) => reply.attr(&TTL, &a),
            None => reply.error(Errno::ENOENT),
        }
    }

    fn setattr(
        &self,
        _req: &Request,
        ino: INodeNo,
        _mode: Option<u32>,
        _uid: Option<u32>,
        _gid: Option<u32>,
        _size: Option<u64>,
        _atime: Option<fuser::TimeOrNow>,
        _mtime: Option<fuser::TimeOrNow>,
        _ctime: Option<SystemTime>,
        _fh: Option<FileHandle>,
        _crtime: Option<SystemTime>,
        _chgtime: Option<SystemTime>,
        _bkuptime: Option<SystemTime>,
        _flags: Option<fuser::BsdFileFlags>,
        reply: ReplyAttr,
    ) {
        // Sizes are fixed; `O_TRUNC` on ctl lands here and is harmless.
        match self.attr(ino.into()) {
            Some(a) => reply.attr(&TTL, &a),
            None => reply.error(Errno::ENOENT),
        }
    }

    fn open(&self, _req: &Request, ino: INodeNo, _flags: OpenFlags, reply: ReplyOpen) {
        match u64::from(ino) {
            IMAGE | CTL => reply.opened(FileHandle(0), FopenFlags::FOPEN_DIRECT_IO),
            _ => reply.error(Errno::EISDIR),
        }
    }

    fn read(
        &self,
        _req: &Request,
        ino: INodeNo,
        _fh: FileHandle,
        offset: u64,
        size: u32,
        _flags: OpenFlags,
        _lock_owner: Option<LockOwner>,
        reply: ReplyData,
    ) {
        match u64::from(ino) {
            IMAGE => {
                self.lock().reads += 1;
                let len = (size as u64).min(self.size.saturating_sub(offset)) as usize;
                let mut buf = vec![0u8; len];
                match self.image.read_exact_at(&mut buf, offset) {
                    Ok(()) => reply.data(&buf),
                    Err(e) => reply.error(errno(&e)),
                }
            }
            CTL => {
                let status = self.lock().status().into_bytes();
                let start = (offset as usize).min(status.len());
                let end = (start + size as usize).min(status.len());
                reply.data(&status[start..end]);
            }
            _ => reply.error(Errno::EISDIR),
        }
    }

    fn write(
        &self,
        _req: &Request,
        ino: INodeNo,
        _fh: FileHandle,
        offset: u64,
        data: &[u8],
        _write_flags: WriteFlags,
        _flags: OpenFlags,
        _lock_owner: Option<LockOwner>,
        reply: ReplyWrite,
    ) {
        match u64::from(ino) {
            IMAGE => {
                if offset + data.len() as u64 > self.size {
                    return reply.error(Errno::ENOSPC);
                }
                if let Some(e) = self.lock().on_write(offset, data) {
                    return reply.error(Errno::from_i32(e));
                }
                match self.image.write_all_at(data, offset) {
                    Ok(()) => reply.written(data.len() as u32),
                    Err(e) => reply.error(errno(&e)),
                }
            }
            CTL => {
                let Ok(text) = std::str::from_utf8(data) else {
                    return reply.error(Errno::EINVAL);
                };
                let mut st = self.lock();
                for line in text.lines() {
                    if st.command(line).is_err() {
                        return reply.error(Errno::EINVAL);
                    }
                }
                reply.written(data.len() as u32);
            }
            _ => reply.error(Errno::EISDIR),
        }
    }

    fn flush(&self, _req: &Request, _ino: INodeNo, _fh: FileHandle, _lo: LockOwner, reply: ReplyEmpty) {
        reply.ok();
    }

    fn fsync(&self, _req: &Request, ino: INodeNo, _fh: FileHandle, _datasync: bool, reply: ReplyEmpty) {
        // The loop device forwards cache flushes (REQ_PREFLUSH) as fsync.
        // The image is a host file: its durability is not under test.
        if u64::from(ino) == IMAGE {
            let _ = self.image.sync_data();
        }
        reply.ok();
    }

    fn fallocate(
        &self,
        _req: &Request,
        ino: INodeNo,
        _fh: FileHandle,
        offset: u64,
        length: u64,
        mode: i32,
        reply: ReplyEmpty,
    ) {
        // The loop device turns discard and WRITE_ZEROES into fallocate
        // (mkfs zeroes with them). Done on the image, never failed: only
        // data writes are under test.
        if u64::from(ino) != IMAGE || offset.saturating_add(length) > self.size {
            return reply.error(Errno::EOPNOTSUPP);
        }
        let flags = nix::fcntl::FallocateFlags::from_bits_truncate(mode);
        match nix::fcntl::fallocate(&self.image, flags, offset as libc::off_t, length as libc::off_t) {
            Ok(()) => reply.ok(),
            Err(e) => reply.error(Errno::from_i32(e as i32)),
        }
    }

    fn readdir(&self, _req: &Request, ino: INodeNo, _fh: FileHandle, offset: u64, mut reply: ReplyDirectory) {
        if u64::from(ino) != ROOT {
            return reply.error(Errno::ENOTDIR);
        }
        let entries = [
            (ROOT, FileType::Directory, "."),
            (ROOT, FileType::Directory, ".."),
            (IMAGE, FileType::RegularFile, IMAGE_NAME),
            (CTL, FileType::RegularFile, CTL_NAME),
        ];
        for (i, (ino, kind, name)) in entries.into_iter().enumerate().skip(offset as usize) {
            if reply.add(INodeNo(ino), (i + 1) as u64, kind, name) {
                break;
            }
        }
        reply.ok();
    }

    fn statfs(&self, _req: &Request, _ino: INodeNo, reply: ReplyStatfs) {
        let blocks = self.size / 4096;
        reply.statfs(blocks, 0, 0, 3, 0, 4096, 255, 4096);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_and_matching() {
        let mut inj = Injector::default();
        inj.command("fail f 5 extents 4096+4096,16384+8192").expect("parses");
        inj.command("fail g 28 tag errseq-oracle file=001 ").expect("parses");
        assert_eq!(inj.on_write(0, &[0; 4096]), None);
        assert_eq!(inj.on_write(4096, &[0; 512]), Some(5));
        assert_eq!(inj.on_write(20480, &[0; 512]), Some(5));
        assert_eq!(inj.on_write(8192, b"xx errseq-oracle file=001 page"), Some(28));
        assert_eq!(inj.on_write(8192, b"xx errseq-oracle file=002 page"), None);
        inj.command("heal f").expect("parses");
        assert_eq!(inj.on_write(4096, &[0; 512]), None);
        assert!(inj.status().contains("rule g errno=28"));
        inj.command("heal all").expect("parses");
        assert!(inj.rules.is_empty());
        assert!(inj.command("fail f 0 extents 1+1").is_err());
        assert!(inj.command("fail f 5 extents 1-1").is_err());
        assert!(inj.command("frobnicate").is_err());
    }
}
