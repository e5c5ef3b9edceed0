//! One call of a scenario as system calls: shared by the sequential run
//! ([`crate::run`]) and by the threads of a `par` block ([`crate::par`]).
//!
//! | call | system calls |
//! |---|---|
//! | `open FD FILE [FLAG...]` | open(2) `O_RDWR`, or `O_RDONLY`, with `O_SYNC`, `O_DSYNC`, `O_DIRECT` as written (files are created beforehand) |
//! | `dup NEW FD` | dup(2) |
//! | `close FD` | close(2) |
//! | `write FD PAGE [RWF]` | pwrite(2) of one page at PAGE × 4096 from a 4096-aligned buffer (for `O_DIRECT`), or pwritev2(2) with `RWF_SYNC`/`RWF_DSYNC`; a synchronous or direct write's errno is its result |
//! | `mmap_write FD PAGE` | mmap(2) of the page `MAP_SHARED`, `PROT_READ \| PROT_WRITE` through FD, a store of the page's content, munmap(2): nothing stays mapped after the call, so a description's last close leaves no mapping behind |
//! | `read FD PAGE` | pread(2) of the page through FD (from a 4096-aligned buffer, for `O_DIRECT`); the result is the version its bytes name, or the errno |
//! | `msync FD` | mmap(2) of the whole file `MAP_SHARED` through FD (read-only for an `O_RDONLY` description), msync(2) `MS_SYNC`, munmap(2) |
//! | `fail FILE ERRNO [PAGES]`, `heal FILE [PAGES]` | one write to faultfs's `ctl`: a rule per page covered, on the page's image bytes (`extents`) or its tag (`tag`) |
//! | `writeback FILE` | sync_file_range(2) `SYNC_FILE_RANGE_WRITE` on a private fd, then cachestat(2) until none of its pages is dirty or under writeback: neither reports to any fd nor marks the error seen, and no other file is written |
//! | `fsync`, `fdatasync`, `syncfs`, `sync` | themselves |
//! | `sync_file_range FD` | sync_file_range(2) `WAIT_BEFORE \| WRITE \| WAIT_AFTER` over the whole file |
//! | `flush FILE` | ioctl(FS_IOC_FIEMAP, `FIEMAP_FLAG_SYNC`) on a private fd: `filemap_write_and_wait`, which test-and-clears the legacy flags |
//! | `evict FILE` | as `writeback`, then sync(2) to clean the inode, posix_fadvise(DONTNEED) on a private fd and drop_caches 2 (twice: the first pass only ages the inode) |
//! | `error FILE ERRNO` | refused: no system call records a writeback error without I/O |

use std::collections::HashMap;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use errseq::{Errno, Ret};
use errseq_scenario::{Bindings, Event, Name, OpenFlags, Pages, Parsed, Rwf};
use nix::fcntl::OFlag;
use nix::sys::stat::Mode;

use crate::content::{page_bytes, tag, Version, PAGE};
use crate::rig::{self, Rig};
use crate::sys;
use crate::{Fs, Injection, Observed, OracleError};

/// A scenario file on the filesystem under test.
pub(crate) struct FileInfo {
    pub name: String,
    /// Image offset of each page (`None`: not fixed, btrfs).
    pub phys: Vec<Option<u64>>,
    /// Image byte ranges of the file's data.
    pub extents: Vec<(u64, u64)>,
}

fn errno_of(e: nix::errno::Errno) -> i32 {
    e as i32
}

/// A sync call's result as the model spells it.
pub(crate) fn returned(r: Result<(), nix::errno::Errno>) -> Observed {
    match r {
        Ok(()) => Observed::Returned(Ret::OK),
        Err(e) => match Errno::new(errno_of(e) as u32) {
            Some(x) => Observed::Returned(Ret::from(x)),
            None => Observed::Failed { errno: errno_of(e), what: "errno unknown to the model".into() },
        },
    }
}

/// A call that returns nothing in the model: done, or failed.
pub(crate) fn done(r: Result<(), nix::errno::Errno>, what: &str) -> Observed {
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
pub(crate) fn open_private(path: &Path) -> Result<OwnedFd, nix::errno::Errno> {
    nix::fcntl::open(path, OFlag::O_RDONLY | OFlag::O_NOATIME | OFlag::O_CLOEXEC, Mode::empty())
}

/// How long `writeback FILE` waits for the file's pages before giving up.
const WRITEBACK_TIMEOUT: Duration = Duration::from_secs(10);
/// Between two looks at the file's pages: writeback through faultfs takes
/// a millisecond or so.
const WRITEBACK_POLL: Duration = Duration::from_micros(500);

pub(crate) fn cachestat_error(e: nix::errno::Errno) -> OracleError {
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
pub(crate) fn check_cachestat() -> Result<(), OracleError> {
    let exe = std::env::current_exe().map_err(|e| OracleError::Setup(format!("current_exe: {e}")))?;
    let fd = open_private(&exe).map_err(|e| OracleError::Setup(format!("{}: {e}", exe.display())))?;
    sys::cachestat(fd.as_fd()).map(drop).map_err(cachestat_error)
}

/// Whether the scenario has a call that waits for one file's writeback.
pub(crate) fn writes_back(p: &Parsed) -> bool {
    p.scenario.stmts().any(|(s, _)| matches!(s.event, Event::Writeback { .. } | Event::Evict { .. }))
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
pub(crate) fn write_back_alone(
    path: &Path,
    name: &str,
    interrupt: Option<&AtomicBool>,
) -> Result<Result<(), nix::errno::Errno>, OracleError> {
    let fd = match open_private(path) {
        Ok(fd) => fd,
        Err(e) => return Ok(Err(e)),
    };
    let started = Instant::now();
    if let Err(e) = sys::sync_file_range(fd.as_fd(), sys::SYNC_FILE_RANGE_WRITE) {
        return Ok(Err(e));
    }
    loop {
        crate::check_interrupt(interrupt)?;
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

/// The version each `write` event writes (0 for other events): one more
/// than the page's previous write, in text order, as the model counts
/// (`written += 1`, crates/model/src/kernel.rs). Inside a `par` block the
/// model's version depends on the interleaving; only page contents see
/// it, never a result.
pub(crate) fn write_versions(p: &Parsed) -> Vec<u32> {
    let mut last: HashMap<(usize, u32), u32> = HashMap::new();
    p.scenario
        .stmts()
        .enumerate()
        .map(|(i, (stmt, _))| match (&stmt.event, p.bindings.events[i].file) {
            (Event::Write { page, .. } | Event::MmapWrite { page, .. }, Some(f)) => {
                let v = last.entry((f, *page)).or_insert(0);
                *v += 1;
                *v
            }
            _ => 0,
        })
        .collect()
}

/// How many pages each file gets: every page from 0 to the highest one
/// the scenario writes (at least one), by file.
fn pages_per_file(p: &Parsed) -> Vec<u64> {
    let b = &p.bindings;
    let mut pages = vec![1u64; b.files.len()];
    for (i, (stmt, _)) in p.scenario.stmts().enumerate() {
        if let (
            Event::Write { page, .. } | Event::MmapWrite { page, .. } | Event::Read { page, .. },
            Some(f),
        ) = (&stmt.event, b.events[i].file)
        {
            pages[f] = pages[f].max(u64::from(*page) + 1);
        }
    }
    pages
}

/// The image `p` needs on `fs` ([`Fs::image_size`]), or, when the
/// scenario would have the oracle write more than [`crate::MAX_PAGES`]
/// pages, why not: refused before anything is built, naming the write
/// with the highest page.
pub(crate) fn image_for(p: &Parsed, fs: Fs) -> Result<u64, OracleError> {
    let pages = pages_per_file(p);
    let total: u64 = pages.iter().sum();
    if total <= crate::MAX_PAGES {
        return Ok(fs.image_size(pages.len() as u64, total));
    }
    let highest = p
        .scenario
        .stmts()
        .enumerate()
        .filter_map(|(i, (s, _))| match s.event {
            Event::Write { page, .. } | Event::MmapWrite { page, .. } | Event::Read { page, .. } => {
                Some((page, i, s.event.to_string()))
            }
            _ => None,
        })
        .max_by_key(|w| w.0);
    let (line, call) = highest
        .map(|(_, i, call)| (p.source.events.get(i).map_or(0, |e| e.line()), call))
        .unwrap_or((1, "open".into()));
    Err(OracleError::Unsupported {
        line,
        call,
        reason: format!(
            "the scenario is too big for the oracle: it writes every page of every file from 0 to the \
             highest one written or read, {total} pages ({} MiB) in {} files here, and the oracle's limit is {} \
             pages ({} MiB); use lower page numbers or fewer files",
            (total * 4096) >> 20,
            pages.len(),
            crate::MAX_PAGES,
            (crate::MAX_PAGES * 4096) >> 20
        ),
    })
}

/// Creates every file with its pages at version 0, synced, and finds
/// where its data lives.
pub(crate) fn create_files(
    rig: &Rig,
    p: &Parsed,
    injection: Injection,
) -> Result<Vec<FileInfo>, OracleError> {
    let setup = |what: String| OracleError::Setup(what);
    let b = &p.bindings;
    let pages = pages_per_file(p);
    let mut files = Vec::new();
    for (fi, name) in b.files.iter().enumerate() {
        // At most MAX_PAGES (checked by `image_for` before the rig).
        let count = u32::try_from(pages[fi]).unwrap_or(u32::MAX);
        let path = rig.path(name.as_str());
        let fd = nix::fcntl::open(
            &path,
            OFlag::O_RDWR | OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_CLOEXEC,
            Mode::from_bits_truncate(0o644),
        )
        .map_err(|e| setup(format!("creating {}: {e}", path.display())))?;
        for pg in 0..count {
            sys::pwrite(fd.as_fd(), &page_bytes(fi, pg, 0), u64::from(pg) * PAGE as u64)
                .map_err(|e| setup(format!("writing {}: {e}", path.display())))?;
        }
        sys::fsync(fd.as_fd()).map_err(|e| setup(format!("fsync {}: {e}", path.display())))?;
        let extents =
            sys::fiemap(fd.as_fd(), 0).map_err(|e| setup(format!("FIEMAP {}: {e}", path.display())))?;
        let fixed = rig.fs != Fs::Btrfs;
        let unusable = sys::FIEMAP_EXTENT_UNKNOWN | sys::FIEMAP_EXTENT_DELALLOC | sys::FIEMAP_EXTENT_ENCODED;
        let phys: Vec<Option<u64>> = (0..count)
            .map(|pg| {
                let off = u64::from(pg) * PAGE as u64;
                extents
                    .iter()
                    .find(|e| e.logical <= off && off < e.logical + e.length)
                    .filter(|e| fixed && e.flags & unusable == 0)
                    .map(|e| e.physical + off - e.logical)
            })
            .collect();
        if injection == Injection::Extents && phys.iter().any(Option::is_none) {
            return Err(setup(format!(
                "{}: the data of {name} has no fixed place on the image (FIEMAP); use --inject tag",
                rig.fs
            )));
        }
        sys::close(fd).map_err(|e| setup(format!("close {}: {e}", path.display())))?;
        files.push(FileInfo {
            name: name.as_str().to_owned(),
            phys,
            extents: extents.iter().map(|e| (e.physical, e.length)).collect(),
        });
    }
    Ok(files)
}

/// What a call needs from the run. Read-only, so the threads of a `par`
/// block share one.
pub(crate) struct Cx<'a> {
    /// Where the filesystem under test is mounted.
    pub mnt: &'a Path,
    /// faultfs's control file.
    pub ctl: PathBuf,
    pub files: &'a [FileInfo],
    pub injection: Injection,
    pub bindings: &'a Bindings,
    /// By event: the version a `write` writes.
    pub versions: &'a [u32],
    /// Ctrl-C, for the waits inside a call (`writeback`, `evict`).
    pub interrupt: Option<&'a AtomicBool>,
}

/// What a call did.
pub(crate) struct Did {
    pub kernel: Observed,
    pub syscalls: &'static str,
    /// `open` and `dup`: the new fd, for the caller's fd table.
    pub opened: Option<(Name, OwnedFd)>,
}

impl Did {
    fn of(kernel: Observed, syscalls: &'static str) -> Did {
        Did { kernel, syscalls, opened: None }
    }

    fn new_fd(name: &Name, r: Result<OwnedFd, nix::errno::Errno>, what: &str, syscalls: &'static str) -> Did {
        match r {
            Ok(f) => Did { kernel: Observed::Done, syscalls, opened: Some((name.clone(), f)) },
            Err(e) => Did::of(Observed::Failed { errno: errno_of(e), what: what.into() }, syscalls),
        }
    }
}

fn fd<'f>(fds: &'f HashMap<Name, OwnedFd>, name: &Name) -> Result<&'f OwnedFd, OracleError> {
    fds.get(name).ok_or_else(|| {
        OracleError::Setup(format!("fd {name} is not open (the scenario checker should have caught this)"))
    })
}

impl Cx<'_> {
    fn file_of(&self, event: usize) -> usize {
        self.bindings.events[event].file.unwrap_or(0)
    }

    fn path_of(&self, event: usize) -> PathBuf {
        self.mnt.join(&self.files[self.file_of(event)].name)
    }

    /// The pages of the event's file that `pages` covers (all of them for
    /// `None`): every page the scenario writes exists from the start
    /// ([`create_files`]), so this covers pages written later too, as the
    /// model's per-page storage does.
    fn covered(&self, event: usize, pages: Option<Pages>) -> impl Iterator<Item = u32> {
        let n = u32::try_from(self.files[self.file_of(event)].phys.len()).unwrap_or(u32::MAX);
        let p = pages.unwrap_or(Pages { first: 0, last: u32::MAX });
        (p.first..n).take_while(move |&pg| pg <= p.last)
    }

    /// faultfs's commands for `fail FILE ERRNO [PAGES]`: one rule per page,
    /// named `FILE:PAGE`, so a later `fail` or `heal` of some pages
    /// replaces or drops exactly those (as the model's per-page storage
    /// cells). `extents`: the page's 4096 bytes on the image (FIEMAP's
    /// physical offset of the page's file offset, [`create_files`]);
    /// `tag`: the page's own tag (`errseq-oracle file=NNN page=PPPPP `,
    /// [`crate::content`]). All lines go in one write, which faultfs
    /// applies under one lock: the fail is atomic, as in the model.
    ///
    /// A write request that touches a failing page fails whole (a loop
    /// request fails or succeeds whole): dirty pages next to each other on
    /// disk go out in one bio, so a healthy neighbour of a failing page
    /// fails with it in one request. The model fails pages, not requests.
    fn fail_text(&self, event: usize, errno: Errno, pages: Option<Pages>) -> String {
        let fi = self.file_of(event);
        let f = &self.files[fi];
        let mut lines = Vec::new();
        for pg in self.covered(event, pages) {
            let target = match (self.injection, f.phys[pg as usize]) {
                (Injection::Extents, Some(at)) => format!("extents {at}+{PAGE}"),
                // No fixed place (refused in extents mode by create_files).
                (Injection::Extents, None) => continue,
                (Injection::Tag, _) => format!("tag {}page={pg:05} ", tag(fi)),
            };
            lines.push(format!("fail {}:{pg} {} {target}", f.name, errno.number()));
        }
        lines.join("\n")
    }

    /// faultfs's commands for `heal FILE [PAGES]`.
    fn heal_text(&self, event: usize, pages: Option<Pages>) -> String {
        let name = &self.files[self.file_of(event)].name;
        self.covered(event, pages).map(|pg| format!("heal {name}:{pg}")).collect::<Vec<_>>().join("\n")
    }

    fn writeback(&self, event: usize) -> Result<Result<(), nix::errno::Errno>, OracleError> {
        write_back_alone(&self.path_of(event), &self.files[self.file_of(event)].name, self.interrupt)
    }

    /// `evict FILE`, after the file's writeback and the sync(2) that cleans
    /// its inode (see `Runner::clean_inode`): drops the file's (now clean)
    /// pages, then unused dentries and inodes. Level 2 leaves other files'
    /// pages alone.
    fn evict(&self, event: usize) -> Result<Result<(), nix::errno::Errno>, OracleError> {
        let r = self.writeback(event)?;
        sys::sync();
        let r = r.and_then(|()| {
            let fd = open_private(&self.path_of(event))?;
            let r = sys::fadvise_dontneed(fd.as_fd());
            let _ = sys::close(fd);
            r
        });
        for _ in 0..2 {
            sys::drop_caches(2).map_err(|e| OracleError::Setup(format!("drop_caches: {e}")))?;
        }
        Ok(r)
    }

    /// Runs event `i`. `closing` is the fd a `close` closes, taken out of
    /// the table by the caller; every other fd is looked up in `fds`.
    pub fn call(
        &self,
        i: usize,
        ev: &Event,
        fds: &HashMap<Name, OwnedFd>,
        closing: Option<OwnedFd>,
    ) -> Result<Did, OracleError> {
        Ok(match ev {
            Event::Open { fd, flags, .. } => {
                let mut o = if flags.rdonly { OFlag::O_RDONLY } else { OFlag::O_RDWR };
                for (on, bit) in [
                    (flags.sync, OFlag::O_SYNC),
                    (flags.dsync, OFlag::O_DSYNC),
                    (flags.direct, OFlag::O_DIRECT),
                ] {
                    if on {
                        o |= bit;
                    }
                }
                let r = nix::fcntl::open(&self.path_of(i), o | OFlag::O_CLOEXEC, Mode::empty());
                Did::new_fd(fd, r, "open", open_call(*flags))
            }
            Event::Dup { new, fd: old } => Did::new_fd(new, sys::dup(fd(fds, old)?.as_fd()), "dup", "dup"),
            Event::Close { fd } => {
                let f = closing.ok_or_else(|| OracleError::Setup(format!("fd {fd} is not open")))?;
                Did::of(returned(sys::close(f)), "close")
            }
            Event::Write { fd: name, page, rwf } => {
                let b = self.bindings.events[i];
                let direct = b.desc.is_some_and(|d| self.bindings.descriptions[d].flags.direct);
                // O_DIRECT wants an aligned buffer; the content (and its
                // tag, for `tag` injection) is the same.
                let buf = sys::Aligned::new(&page_bytes(self.file_of(i), *page, self.versions[i]));
                let (f, off) = (fd(fds, name)?.as_fd(), u64::from(*page) * PAGE as u64);
                let (r, call) = match rwf {
                    None => (
                        sys::pwrite(f, buf.bytes(), off),
                        if direct { "pwrite (O_DIRECT)" } else { "pwrite" },
                    ),
                    Some(Rwf::Sync) => {
                        (sys::pwritev2(f, buf.bytes(), off, sys::RWF_SYNC), "pwritev2(RWF_SYNC)")
                    }
                    Some(Rwf::Dsync) => {
                        (sys::pwritev2(f, buf.bytes(), off, sys::RWF_DSYNC), "pwritev2(RWF_DSYNC)")
                    }
                };
                // A synchronous or direct write's errno is its result.
                let kernel = if b.returns { returned(r) } else { done(r, call) };
                Did::of(kernel, call)
            }
            Event::MmapWrite { fd: name, page } => {
                let buf = page_bytes(self.file_of(i), *page, self.versions[i]);
                let r = sys::mmap_store(fd(fds, name)?.as_fd(), &buf, u64::from(*page) * PAGE as u64);
                Did::of(done(r, "mmap store"), "mmap(MAP_SHARED) + store + munmap")
            }
            Event::Read { fd: name, page } => {
                let b = self.bindings.events[i];
                let direct = b.desc.is_some_and(|d| self.bindings.descriptions[d].flags.direct);
                Did::of(
                    read_page(fd(fds, name)?.as_fd(), self.file_of(i), *page),
                    if direct { "pread (O_DIRECT)" } else { "pread" },
                )
            }
            Event::Msync { fd: name } => {
                let b = self.bindings.events[i];
                let writable = b.desc.is_none_or(|d| self.bindings.descriptions[d].flags.writable());
                Did::of(
                    returned(sys::msync_file(fd(fds, name)?.as_fd(), writable)),
                    "mmap(MAP_SHARED) + msync(MS_SYNC) + munmap",
                )
            }
            Event::Fail { errno, pages, .. } => {
                let text = self.fail_text(i, *errno, *pages);
                if !text.is_empty() {
                    rig::control(&self.ctl, &text)?;
                }
                Did::of(Observed::Done, "faultfs ctl: fail")
            }
            Event::Heal { pages, .. } => {
                let text = self.heal_text(i, *pages);
                if !text.is_empty() {
                    rig::control(&self.ctl, &text)?;
                }
                Did::of(Observed::Done, "faultfs ctl: heal")
            }
            Event::Writeback { .. } => Did::of(
                done(self.writeback(i)?, "sync_file_range(WRITE)"),
                "sync_file_range(WRITE) + cachestat until clean",
            ),
            Event::Evict { .. } => Did::of(
                done(self.evict(i)?, "writeback"),
                "sync_file_range(WRITE) + cachestat until clean + sync + fadvise(DONTNEED) + drop_caches 2",
            ),
            Event::Error { .. } => {
                return Err(OracleError::Setup("`error` has no system call (refused earlier)".into()));
            }
            Event::Fsync { fd: name } => Did::of(returned(sys::fsync(fd(fds, name)?.as_fd())), "fsync"),
            Event::Fdatasync { fd: name } => {
                Did::of(returned(sys::fdatasync(fd(fds, name)?.as_fd())), "fdatasync")
            }
            Event::SyncFileRange { fd: name, flags } => Did::of(
                returned(sys::sync_file_range(fd(fds, name)?.as_fd(), flags.kernel_flags())),
                sync_call(*flags),
            ),
            Event::Syncfs { fd: name } => Did::of(returned(sys::syncfs(fd(fds, name)?.as_fd())), "syncfs"),
            Event::Sync => {
                sys::sync();
                Did::of(Observed::Returned(Ret::OK), "sync")
            }
            Event::Flush { .. } => {
                let r = open_private(&self.path_of(i)).and_then(|fd| {
                    let r = sys::fiemap(fd.as_fd(), sys::FIEMAP_FLAG_SYNC).map(drop);
                    let _ = sys::close(fd);
                    r
                });
                Did::of(returned(r), "ioctl(FS_IOC_FIEMAP, FIEMAP_FLAG_SYNC)")
            }
        })
    }
}

/// `read FD PAGE`: pread(2) of the page through the scenario's own fd, so
/// the kernel does to the inode what a program's read does (atime:
/// `file_accessed`), unlike the oracle's `O_NOATIME` probes. The buffer is
/// 4096-aligned for an `O_DIRECT` description. The bytes name the write
/// they came from ([`crate::content`]): a version, as the model's result.
fn read_page(fd: BorrowedFd<'_>, file: usize, page: u32) -> Observed {
    let mut buf = sys::Aligned::new(&[0u8; PAGE]);
    if let Err(e) = sys::pread(fd, buf.bytes_mut(), u64::from(page) * PAGE as u64) {
        return returned(Err(e));
    }
    match Version::decode(buf.bytes(), file, page) {
        Version::V(v) => Observed::Returned(Ret::version(v)),
        other => Observed::Unrecognised(format!("read data that no write of the oracle made ({other})")),
    }
}

/// open(2) as the oracle's table shows it.
fn open_call(f: OpenFlags) -> &'static str {
    match (f.rdonly, f.sync, f.dsync, f.direct) {
        (true, _, _, true) => "open(O_RDONLY|O_DIRECT)",
        (true, _, _, false) => "open(O_RDONLY)",
        (false, true, _, true) => "open(O_RDWR|O_SYNC|O_DIRECT)",
        (false, _, true, true) => "open(O_RDWR|O_DSYNC|O_DIRECT)",
        (false, _, _, true) => "open(O_RDWR|O_DIRECT)",
        (false, true, _, false) => "open(O_RDWR|O_SYNC)",
        (false, _, true, false) => "open(O_RDWR|O_DSYNC)",
        (false, false, false, false) => "open(O_RDWR)",
    }
}

/// The system call as the oracle's table shows it.
fn sync_call(f: errseq_scenario::SyncRange) -> &'static str {
    match (f.wait_before, f.write, f.wait_after) {
        (true, true, true) => "sync_file_range(WAIT_BEFORE|WRITE|WAIT_AFTER)",
        (true, true, false) => "sync_file_range(WAIT_BEFORE|WRITE)",
        (true, false, true) => "sync_file_range(WAIT_BEFORE|WAIT_AFTER)",
        (false, true, true) => "sync_file_range(WRITE|WAIT_AFTER)",
        (true, false, false) => "sync_file_range(WAIT_BEFORE)",
        (false, true, false) => "sync_file_range(WRITE)",
        (false, false, true) => "sync_file_range(WAIT_AFTER)",
        (false, false, false) => "sync_file_range(0)",
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

    #[test]
    fn write_versions_count_per_page_in_text_order() {
        let p = errseq_scenario::parse("open a f\nopen b g\nwrite a\nwrite b\nwrite a 1\nwrite a\n")
            .expect("parses");
        assert_eq!(write_versions(&p), vec![0, 0, 1, 1, 1, 2]);
    }
}
