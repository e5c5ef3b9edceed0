//! One scenario on the live kernel.
//!
//! | call | system calls |
//! |---|---|
//! | `open FD FILE` | open(2) `O_RDWR` (files are created beforehand) |
//! | `dup NEW FD` | dup(2) |
//! | `close FD` | close(2) |
//! | `write FD PAGE` | pwrite(2) of one page at PAGE × 4096 |
//! | `fail FILE ERRNO`, `heal FILE` | a line to faultfs's `ctl` |
//! | `writeback FILE` | sync_file_range(2) `SYNC_FILE_RANGE_WRITE` on a private fd, then cachestat(2) until none of its pages is dirty or under writeback: neither reports to any fd nor marks the error seen, and no other file is written |
//! | `fsync`, `fdatasync`, `syncfs`, `sync` | themselves |
//! | `sync_file_range FD` | sync_file_range(2) `WAIT_BEFORE \| WRITE \| WAIT_AFTER` over the whole file |
//! | `flush FILE` | ioctl(FS_IOC_FIEMAP, `FIEMAP_FLAG_SYNC`) on a private fd: `filemap_write_and_wait`, which test-and-clears the legacy flags |
//! | `evict FILE` | as `writeback`, then sync(2) to clean the inode, posix_fadvise(DONTNEED) on a private fd and drop_caches 2 (twice: the first pass only ages the inode) |
//! | `error FILE ERRNO` | refused: no system call records a writeback error without I/O |

use std::collections::HashMap;
use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use errseq::{Errno, Ret, SchemeName};
use errseq_model::Evaluation;
use errseq_scenario::{Event, Name, Parsed};
use nix::fcntl::OFlag;
use nix::sys::stat::Mode;

use crate::content::{page_bytes, tag, Version, PAGE};
use crate::rig::Rig;
use crate::sys;
use crate::{Fs, Injection, Observed, Options, OracleError, PageObs, Report, Row};

/// Runs `parsed` on a fresh `fs` and compares every call with the model's
/// `linux` scheme, evaluated with `fs`'s profile.
pub fn run(parsed: &Parsed, fs: Fs, opts: &Options) -> Result<Report, OracleError> {
    check_supported(parsed)?;
    if writes_back(parsed) {
        check_cachestat()?;
    }
    let mut p = parsed.clone();
    p.scenario.schemes = Some(vec![SchemeName::Linux]);
    p.scenario.fs = Some(fs.profile());
    let model = Evaluation::new(&p).map_err(|e| OracleError::Unsupported {
        line: p.source.blocks.first().map_or(0, |b| b.line),
        call: "par".into(),
        reason: e.to_string(),
    })?;
    let injection = opts.injection.unwrap_or(Injection::default_for(fs));
    let mut notes = Vec::new();
    if let Some(h) = parsed.scenario.fs {
        if h != fs.profile() {
            notes.push(format!(
                "the scenario's header says `fs: {}`; the model was evaluated with the {} profile, the filesystem under test",
                h.id(),
                fs.id()
            ));
        }
    }
    let rig = Rig::new(fs)?;
    let mut r =
        Runner { rig: &rig, p: &p, model: &model, injection, fds: HashMap::new(), files: Vec::new(), notes };
    let result = r.go(opts);
    // Close what the scenario left open before the rig goes.
    r.fds.clear();
    let (rows, final_pages) = result?;
    let notes = std::mem::take(&mut r.notes);
    Ok(Report {
        title: parsed.scenario.title.clone(),
        fs,
        kernel: crate::kernel_release(),
        injection,
        rows,
        final_pages,
        notes,
        injector: rig.status(),
    })
}

/// Whether the scenario has a call that waits for one file's writeback.
fn writes_back(p: &Parsed) -> bool {
    p.scenario.stmts().any(|(s, _)| matches!(s.event, Event::Writeback { .. } | Event::Evict { .. }))
}

/// Refuses calls with no system-call counterpart before anything runs.
fn check_supported(p: &Parsed) -> Result<(), OracleError> {
    for (i, (stmt, place)) in p.scenario.stmts().enumerate() {
        let line = p.source.events.get(i).map_or(0, |s| s.line());
        if place != errseq_scenario::Place::Top {
            return Err(OracleError::Unsupported {
                line,
                call: stmt.event.to_string(),
                reason:
                    "`par` blocks need the interleaving explorer; a live kernel cannot replay an interleaving"
                        .into(),
            });
        }
        if let Event::Error { .. } = stmt.event {
            return Err(OracleError::Unsupported {
                line,
                call: stmt.event.to_string(),
                reason: "no system call records a writeback error on a mapping without I/O \
                         (`error` stands for mapping_set_error); use `fail` and a call that writes back"
                    .into(),
            });
        }
    }
    Ok(())
}

/// A scenario file on the filesystem under test.
struct FileInfo {
    name: String,
    /// Image offset of each page (`None`: not fixed, btrfs).
    phys: Vec<Option<u64>>,
    /// Image byte ranges of the file's data.
    extents: Vec<(u64, u64)>,
}

struct Runner<'a> {
    rig: &'a Rig,
    p: &'a Parsed,
    model: &'a Evaluation,
    injection: Injection,
    fds: HashMap<Name, OwnedFd>,
    files: Vec<FileInfo>,
    notes: Vec<String>,
}

fn errno_of(e: nix::errno::Errno) -> i32 {
    e as i32
}

/// A sync call's result as the model spells it.
fn returned(r: Result<(), nix::errno::Errno>) -> Observed {
    match r {
        Ok(()) => Observed::Returned(Ret::OK),
        Err(e) => match Errno::new(errno_of(e) as u32) {
            Some(x) => Observed::Returned(Ret::from(x)),
            None => Observed::Failed { errno: errno_of(e), what: "errno unknown to the model".into() },
        },
    }
}

fn done(r: Result<(), nix::errno::Errno>, what: &str) -> Observed {
    match r {
        Ok(()) => Observed::Done,
        Err(e) => Observed::Failed { errno: errno_of(e), what: what.into() },
    }
}

/// The oracle's own fds on a scenario file (page probes, writeback,
/// flush, evict, the extents check): read-only and `O_NOATIME`.
///
/// A read through an fd without `O_NOATIME` updates atime (relatime: the
/// first read after a write always does): `file_accessed`
/// (include/linux/fs.h) → `touch_atime` (fs/inode.c) marks the inode
/// dirty. On ext4 that is a journal handle, and `__mark_inode_dirty`
/// (fs/fs-writeback.c) puts the inode on the superblock's dirty list with
/// a new `dirtied_when`, which is the order sync, syncfs and the flusher
/// write files back in. `file_accessed` skips all of it for an fd opened
/// `O_NOATIME` (allowed to the file's owner and to root, which the oracle
/// is). Opening read-only samples the errseq words and writes nothing;
/// closing a read-only fd writes nothing back on ext4, xfs or btrfs.
fn open_private(path: &std::path::Path) -> Result<OwnedFd, nix::errno::Errno> {
    nix::fcntl::open(path, OFlag::O_RDONLY | OFlag::O_NOATIME | OFlag::O_CLOEXEC, Mode::empty())
}

/// How long `writeback FILE` waits for the file's pages before giving up.
const WRITEBACK_TIMEOUT: Duration = Duration::from_secs(10);
/// Between two looks at the file's pages: writeback through faultfs takes
/// a millisecond or so.
const WRITEBACK_POLL: Duration = Duration::from_micros(500);

fn cachestat_error(e: nix::errno::Errno) -> OracleError {
    match e {
        nix::errno::Errno::ENOSYS => OracleError::Unavailable(
            "cachestat(2) is missing (Linux 6.5+, CONFIG_CACHESTAT_SYSCALL); `writeback` and `evict` use it to \
             wait for one file alone (sync(2) would write back every other dirty file too)"
                .into(),
        ),
        e => OracleError::Setup(format!("cachestat(2): {e}")),
    }
}

/// Whether cachestat(2) works here; asked before building anything for a
/// scenario that writes back, so a kernel without it refuses at once.
fn check_cachestat() -> Result<(), OracleError> {
    let exe = std::env::current_exe().map_err(|e| OracleError::Setup(format!("current_exe: {e}")))?;
    let fd = open_private(&exe).map_err(|e| OracleError::Setup(format!("{}: {e}", exe.display())))?;
    sys::cachestat(fd.as_fd()).map(drop).map_err(cachestat_error)
}

/// `writeback FILE`: writes back this one file and waits for it, without
/// reporting to any description or marking anything SEEN.
///
/// sync_file_range(2) with `SYNC_FILE_RANGE_WRITE` alone starts writeback
/// (`filemap_fdatawrite_range_kick`, WB_SYNC_NONE; fs/sync.c) and checks
/// no error. cachestat(2) then says when none of the file's pages is dirty
/// or under writeback: the I/O completion records the error on the
/// mapping (`mapping_set_error`) before it ends writeback
/// (`ext4_finish_bio`, iomap's ioend completion, btrfs's
/// `end_bbio_data_write`), so by then the error is there, unseen. Neither
/// call reads or advances a cursor. WB_SYNC_NONE skips a page that is
/// dirty again while still under writeback: such a page is sent again
/// once its writeback ended.
///
/// The outer error is the oracle's (no cachestat, timeout); the inner one
/// is sync_file_range's errno, a result of the call.
fn write_back_alone(path: &Path, name: &str) -> Result<Result<(), nix::errno::Errno>, OracleError> {
    let fd = match open_private(path) {
        Ok(fd) => fd,
        Err(e) => return Ok(Err(e)),
    };
    let started = Instant::now();
    if let Err(e) = sys::sync_file_range(fd.as_fd(), sys::SYNC_FILE_RANGE_WRITE) {
        return Ok(Err(e));
    }
    loop {
        let st = sys::cachestat(fd.as_fd()).map_err(cachestat_error)?;
        if st.dirty == 0 && st.writeback == 0 {
            return Ok(Ok(()));
        }
        if started.elapsed() > WRITEBACK_TIMEOUT {
            return Err(OracleError::Setup(format!(
                "writeback of {name} did not finish within {} s ({} pages dirty, {} under writeback); \
                 is faultfs answering?",
                WRITEBACK_TIMEOUT.as_secs(),
                st.dirty,
                st.writeback
            )));
        }
        if st.dirty > 0 && st.writeback == 0 {
            if let Err(e) = sys::sync_file_range(fd.as_fd(), sys::SYNC_FILE_RANGE_WRITE) {
                return Ok(Err(e));
            }
        }
        std::thread::sleep(WRITEBACK_POLL);
    }
}

impl Runner<'_> {
    fn setup_err(&self, what: String) -> OracleError {
        OracleError::Setup(what)
    }

    /// Creates every file with its pages at version 0, synced, and finds
    /// where its data lives.
    fn create_files(&mut self) -> Result<(), OracleError> {
        let b = &self.p.bindings;
        let mut pages = vec![1u32; b.files.len()];
        for (i, (stmt, _)) in self.p.scenario.stmts().enumerate() {
            if let (Event::Write { page, .. }, Some(f)) = (&stmt.event, b.events[i].file) {
                pages[f] = pages[f].max(page + 1);
            }
        }
        for (fi, name) in b.files.iter().enumerate() {
            let path = self.rig.path(name.as_str());
            let fd = nix::fcntl::open(
                &path,
                OFlag::O_RDWR | OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_CLOEXEC,
                Mode::from_bits_truncate(0o644),
            )
            .map_err(|e| self.setup_err(format!("creating {}: {e}", path.display())))?;
            for pg in 0..pages[fi] {
                sys::pwrite(fd.as_fd(), &page_bytes(fi, pg, 0), u64::from(pg) * PAGE as u64)
                    .map_err(|e| self.setup_err(format!("writing {}: {e}", path.display())))?;
            }
            sys::fsync(fd.as_fd()).map_err(|e| self.setup_err(format!("fsync {}: {e}", path.display())))?;
            let extents = sys::fiemap(fd.as_fd(), 0)
                .map_err(|e| self.setup_err(format!("FIEMAP {}: {e}", path.display())))?;
            let fixed = self.rig.fs != Fs::Btrfs;
            let mut phys = Vec::new();
            for pg in 0..pages[fi] {
                let off = u64::from(pg) * PAGE as u64;
                let e = extents.iter().find(|e| e.logical <= off && off < e.logical + e.length);
                phys.push(match e {
                    Some(e)
                        if fixed
                            && e.flags
                                & (sys::FIEMAP_EXTENT_UNKNOWN
                                    | sys::FIEMAP_EXTENT_DELALLOC
                                    | sys::FIEMAP_EXTENT_ENCODED)
                                == 0 =>
                    {
                        Some(e.physical + off - e.logical)
                    }
                    _ => None,
                });
            }
            if self.injection == Injection::Extents && phys.iter().any(Option::is_none) {
                return Err(self.setup_err(format!(
                    "{}: the data of {name} has no fixed place on the image (FIEMAP); use --inject tag",
                    self.rig.fs
                )));
            }
            sys::close(fd).map_err(|e| self.setup_err(format!("close {}: {e}", path.display())))?;
            self.files.push(FileInfo {
                name: name.as_str().to_owned(),
                phys,
                extents: extents.iter().map(|e| (e.physical, e.length)).collect(),
            });
        }
        // Start from a clean, cold cache: nothing dirty, nothing cached.
        sys::sync();
        let _ = sys::drop_caches(3);
        Ok(())
    }

    fn go(&mut self, opts: &Options) -> Result<(Vec<Row>, Vec<PageObs>), OracleError> {
        self.create_files()?;
        let mut rows = Vec::new();
        let stmts: Vec<_> = self.p.scenario.stmts().map(|(s, _)| s.clone()).collect();
        for (i, stmt) in stmts.iter().enumerate() {
            if opts.interrupt.as_ref().is_some_and(|f| f.load(Ordering::SeqCst)) {
                return Err(OracleError::Interrupted);
            }
            let (kernel, syscalls) = self.call(i, &stmt.event)?;
            if let Some(d) = opts.pause {
                std::thread::sleep(d);
            }
            let model = self.model.run(0).results[i];
            let agrees = match (&kernel, model) {
                (Observed::Returned(k), Some(m)) => *k == m,
                (Observed::Done, None) => true,
                _ => false,
            };
            let pages = self.probe(i, false);
            rows.push(Row {
                event: i,
                line: self.p.source.events.get(i).map_or(0, |s| s.line()),
                call: stmt.event.to_string(),
                syscalls,
                kernel,
                model,
                agrees,
                pages,
            });
        }
        self.check_extents();
        // The end: close everything, drop clean pages, read the disk.
        for (_, fd) in self.fds.drain() {
            let _ = sys::close(fd);
        }
        let last = stmts.len().saturating_sub(1);
        let final_pages = if stmts.is_empty() { Vec::new() } else { self.probe(last, true) };
        Ok((rows, final_pages))
    }

    fn fd(&self, name: &Name) -> Result<&OwnedFd, OracleError> {
        self.fds.get(name).ok_or_else(|| {
            OracleError::Setup(format!("fd {name} is not open (scenario checker should have caught this)"))
        })
    }

    fn file_of(&self, event: usize) -> usize {
        self.p.bindings.events[event].file.unwrap_or(0)
    }

    /// Makes `file`'s inode clean so that it can be evicted, after its
    /// pages were written back alone.
    ///
    /// Its pages are clean, but the inode is not: dirtying a page set
    /// `I_DIRTY_PAGES` on it (`__mark_inode_dirty`), and a write's new
    /// mtime dirtied it too; only a writeback pass over the inode,
    /// `__writeback_single_inode` (fs/fs-writeback.c), clears them. A
    /// dirty inode is never put on the LRU (`inode_add_lru`) and pruning
    /// skips it (`inode_lru_isolate`, fs/inode.c), so drop_caches would
    /// leave it and its mapping's error in place (seen on ext4, xfs and
    /// btrfs alike). From user space only sync(2), syncfs(2) and the
    /// flusher make that pass. syncfs reports the superblock's error and
    /// marks it SEEN, which changes what a later open samples; sync(2)
    /// waits with `filemap_fdatawait_keep_errors` and touches no errseq
    /// word, flag or cursor. Its cost: it also writes back every other
    /// dirty file, so the report says when the model has one dirty then.
    fn clean_inode(&mut self, event: usize, file: usize) {
        let others: Vec<String> = event
            .checked_sub(1)
            .map(|e| self.model.state_after(0, e))
            .map(|st| {
                st.files()
                    .iter()
                    .filter(|f| f.id != file && f.pages.iter().any(|p| p.dirty))
                    .map(|f| f.name.to_string())
                    .collect()
            })
            .unwrap_or_default();
        if !others.is_empty() {
            self.notes.push(format!(
                "event {}: `evict {}` runs sync(2) to clean the inode, which also wrote back {} (dirty in the model)",
                event + 1,
                self.files[file].name,
                others.join(", ")
            ));
        }
        sys::sync();
    }

    fn writeback(&self, file: usize) -> Result<Result<(), nix::errno::Errno>, OracleError> {
        let info = &self.files[file];
        write_back_alone(&self.rig.path(&info.name), &info.name)
    }

    fn call(&mut self, i: usize, ev: &Event) -> Result<(Observed, &'static str), OracleError> {
        Ok(match ev {
            Event::Open { fd, .. } => {
                let path = self.rig.path(&self.files[self.file_of(i)].name);
                match nix::fcntl::open(&path, OFlag::O_RDWR | OFlag::O_CLOEXEC, Mode::empty()) {
                    Ok(f) => {
                        self.fds.insert(fd.clone(), f);
                        (Observed::Done, "open(O_RDWR)")
                    }
                    Err(e) => (Observed::Failed { errno: errno_of(e), what: "open".into() }, "open(O_RDWR)"),
                }
            }
            Event::Dup { new, fd } => {
                let r = sys::dup(self.fd(fd)?.as_fd());
                match r {
                    Ok(f) => {
                        self.fds.insert(new.clone(), f);
                        (Observed::Done, "dup")
                    }
                    Err(e) => (Observed::Failed { errno: errno_of(e), what: "dup".into() }, "dup"),
                }
            }
            Event::Close { fd } => {
                let f =
                    self.fds.remove(fd).ok_or_else(|| OracleError::Setup(format!("fd {fd} is not open")))?;
                (returned(sys::close(f)), "close")
            }
            Event::Write { fd, page } => {
                let file = self.file_of(i);
                let version = self
                    .model
                    .state_after(0, i)
                    .file(file)
                    .pages
                    .iter()
                    .find(|p| p.number == *page)
                    .map_or(1, |p| p.written);
                let buf = page_bytes(file, *page, version);
                let r = sys::pwrite(self.fd(fd)?.as_fd(), &buf, u64::from(*page) * PAGE as u64);
                (done(r, "pwrite"), "pwrite")
            }
            Event::Fail { errno, .. } => {
                let f = &self.files[self.file_of(i)];
                let line = match self.injection {
                    Injection::Extents => format!(
                        "fail {} {} extents {}",
                        f.name,
                        errno.number(),
                        f.extents.iter().map(|(s, l)| format!("{s}+{l}")).collect::<Vec<_>>().join(",")
                    ),
                    Injection::Tag => {
                        format!("fail {} {} tag {}", f.name, errno.number(), tag(self.file_of(i)))
                    }
                };
                self.rig.control(&line)?;
                (Observed::Done, "faultfs ctl: fail")
            }
            Event::Heal { .. } => {
                let line = format!("heal {}", self.files[self.file_of(i)].name);
                self.rig.control(&line)?;
                (Observed::Done, "faultfs ctl: heal")
            }
            Event::Writeback { .. } => {
                let r = self.writeback(self.file_of(i))?;
                (done(r, "sync_file_range(WRITE)"), "sync_file_range(WRITE) + cachestat until clean")
            }
            Event::Evict { .. } => {
                let file = self.file_of(i);
                let r = self.writeback(file)?;
                self.clean_inode(i, file);
                let r = r.and_then(|()| {
                    // Drop this file's (now clean) pages, then unused inodes
                    // and dentries; level 2 leaves other files' pages alone
                    // as long as they are open.
                    let fd = open_private(&self.rig.path(&self.files[file].name))?;
                    let r = sys::fadvise_dontneed(fd.as_fd());
                    let _ = sys::close(fd);
                    r
                });
                for _ in 0..2 {
                    sys::drop_caches(2).map_err(|e| OracleError::Setup(format!("drop_caches: {e}")))?;
                }
                (
                    done(r, "writeback"),
                    "sync_file_range(WRITE) + cachestat until clean + sync + fadvise(DONTNEED) + drop_caches 2",
                )
            }
            Event::Error { .. } => {
                return Err(OracleError::Setup("`error` has no system call (refused earlier)".into()));
            }
            Event::Fsync { fd } => (returned(sys::fsync(self.fd(fd)?.as_fd())), "fsync"),
            Event::Fdatasync { fd } => (returned(sys::fdatasync(self.fd(fd)?.as_fd())), "fdatasync"),
            Event::SyncFileRange { fd } => (
                returned(sys::sync_file_range(
                    self.fd(fd)?.as_fd(),
                    sys::SYNC_FILE_RANGE_WAIT_BEFORE
                        | sys::SYNC_FILE_RANGE_WRITE
                        | sys::SYNC_FILE_RANGE_WAIT_AFTER,
                )),
                "sync_file_range(WAIT_BEFORE|WRITE|WAIT_AFTER)",
            ),
            Event::Syncfs { fd } => (returned(sys::syncfs(self.fd(fd)?.as_fd())), "syncfs"),
            Event::Sync => {
                sys::sync();
                (Observed::Returned(Ret::OK), "sync")
            }
            Event::Flush { .. } => {
                let path = self.rig.path(&self.files[self.file_of(i)].name);
                let r = open_private(&path).and_then(|fd| {
                    let r = sys::fiemap(fd.as_fd(), sys::FIEMAP_FLAG_SYNC).map(drop);
                    let _ = sys::close(fd);
                    r
                });
                (returned(r), "ioctl(FS_IOC_FIEMAP, FIEMAP_FLAG_SYNC)")
            }
        })
    }

    /// Reads back every page the model tracks. With `drop`, first drops
    /// the files' clean pages (end of scenario only: it changes the cache).
    fn probe(&self, event: usize, drop: bool) -> Vec<PageObs> {
        let st = self.model.state_after(0, event);
        let mut out = Vec::new();
        for f in st.files() {
            if f.pages.is_empty() {
                continue;
            }
            let info = &self.files[f.id];
            let fd = open_private(&self.rig.path(&info.name));
            let read = |pg: u32| -> Version {
                let Ok(fd) = &fd else {
                    return Version::Unreadable(fd.as_ref().err().map_or(libc::EIO, |e| *e as i32));
                };
                let mut buf = vec![0u8; PAGE];
                match sys::pread(fd.as_fd(), &mut buf, u64::from(pg) * PAGE as u64) {
                    Ok(()) => Version::decode(&buf, f.id, pg),
                    Err(e) => Version::Unreadable(e as i32),
                }
            };
            let cached: Vec<Version> = f.pages.iter().map(|p| read(p.number)).collect();
            if drop {
                if let Ok(fd) = &fd {
                    let _ = sys::fadvise_dontneed(fd.as_fd());
                }
            }
            for (p, cache) in f.pages.iter().zip(cached) {
                let disk = if drop {
                    // Dirty pages cannot be dropped: leave them out.
                    if p.dirty {
                        continue;
                    }
                    Some(read(p.number))
                } else {
                    info.phys.get(p.number as usize).copied().flatten().map(|off| {
                        let mut buf = vec![0u8; PAGE];
                        match self.rig.read_image(&mut buf, off) {
                            Ok(()) => Version::decode(&buf, f.id, p.number),
                            Err(e) => Version::Unreadable(e.raw_os_error().unwrap_or(libc::EIO)),
                        }
                    })
                };
                out.push(PageObs {
                    file: info.name.clone(),
                    page: p.number,
                    cache,
                    model_cache: p.cache,
                    disk,
                    model_disk: p.disk,
                });
            }
            if let Ok(fd) = fd {
                let _ = sys::close(fd);
            }
        }
        out
    }

    /// In extents mode, checks the data did not move during the scenario.
    fn check_extents(&mut self) {
        if self.injection != Injection::Extents {
            return;
        }
        for f in &self.files {
            let Ok(fd) = open_private(&self.rig.path(&f.name)) else { continue };
            if let Ok(ext) = sys::fiemap(fd.as_fd(), 0) {
                let now: Vec<(u64, u64)> = ext.iter().map(|e| (e.physical, e.length)).collect();
                if now != f.extents {
                    self.notes.push(format!(
                        "{}'s extents moved during the scenario ({:?} → {:?}): injection may have missed writes",
                        f.name, f.extents, now
                    ));
                }
            }
            let _ = sys::close(fd);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A kernel without cachestat(2) is "cannot run here" (exit 3), never
    /// a silent fallback to sync(2).
    #[test]
    fn missing_cachestat_is_unavailable() {
        match cachestat_error(nix::errno::Errno::ENOSYS) {
            OracleError::Unavailable(why) => assert!(why.contains("cachestat(2)"), "{why}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(cachestat_error(nix::errno::Errno::EBADF), OracleError::Setup(_)));
    }

    #[test]
    fn writeback_and_evict_need_cachestat() {
        let p = |t: &str| errseq_scenario::parse(t).expect("parses");
        assert!(writes_back(&p("open a f\nwrite a\nwriteback f\n")));
        assert!(writes_back(&p("open a f\nclose a\nevict f\n")));
        assert!(!writes_back(&p("open a f\nwrite a\nfsync a\n")));
    }
}
