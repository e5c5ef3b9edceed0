//! Property tests over random sequential scenarios, for linux-4.14 and
//! later (4.13 differs only in sync_file_range, which reported the legacy
//! flags; its examples pin that): every open file description that exists when an error is
//! recorded reports it at its next fsync (the latest errno), and once it
//! has reported, its next fsync returns 0 unless a new error came. In 5.8
//! syncfs keeps the same promise for errors anywhere on the filesystem.
//!
//! The oracle below knows nothing of words or cursors: it tracks which
//! files have dirty pages and failing storage, so it knows when writeback
//! records an error, and which descriptions owe their owner a report. It
//! also tracks each page's versions, so it knows what a read returns (the
//! cached version; the disk's once a failed writeback on btrfs before 6.6
//! or NFS left the page to be read again, or once the file was evicted),
//! and whether the read's atime update puts an ext4 inode on the dirty
//! list (relatime: the first read after a write).

#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use errseq::{Errno, Ret, Scheme};
use errseq_model::Evaluation;
use errseq_scenario::{parse, Event, Fs, Item, Name, Pages, Scenario, Stmt, SyncRange};
use proptest::prelude::*;

const FDS: [&str; 4] = ["a", "b", "c", "d"];
const FILES: [&str; 2] = ["f", "g"];
const ERRNOS: [Errno; 3] = [Errno::EIO, Errno::ENOSPC, Errno::EDQUOT];

fn n(s: &str) -> Name {
    Name::new(s).expect("valid name")
}

/// A random choice, turned into a valid event by [`Builder::event`].
type Choice = (u8, u8, u8);

/// Builds a valid scenario from random choices, tracking the fd table.
#[derive(Default)]
struct Builder {
    /// fd name -> (description, file)
    fds: BTreeMap<&'static str, (usize, &'static str)>,
    descs: usize,
}

impl Builder {
    fn event(&mut self, (kind, x, y): Choice) -> Event {
        let open: Vec<&'static str> = self.fds.keys().copied().collect();
        let free: Vec<&'static str> = FDS.iter().copied().filter(|f| !self.fds.contains_key(f)).collect();
        let file = FILES[usize::from(x) % FILES.len()];
        let errno = ERRNOS[usize::from(y) % ERRNOS.len()];
        let pick = |v: &[&'static str], i: u8| v[usize::from(i) % v.len()];
        match kind % 15 {
            _ if open.is_empty() && !free.is_empty() => self.open(pick(&free, x), file),
            0 | 1 if !free.is_empty() => self.open(pick(&free, x), file),
            2 if !free.is_empty() => {
                let (new, old) = (pick(&free, x), pick(&open, y));
                self.fds.insert(new, self.fds[old]);
                Event::Dup { new: n(new), fd: n(old) }
            }
            3 => {
                let fd = pick(&open, x);
                self.fds.remove(fd);
                Event::Close { fd: n(fd) }
            }
            4 if y % 4 == 0 => Event::MmapWrite { fd: n(pick(&open, x)), page: u32::from(y % 3) },
            4 | 5 => Event::Write { fd: n(pick(&open, x)), page: u32::from(y % 3), rwf: None },
            6 => Event::Fail { file: n(file), errno, pages: pages(x, y) },
            7 => Event::Heal { file: n(file), pages: pages(x, y) },
            8 => Event::Writeback { file: n(file) },
            9 => Event::Error { file: n(file), errno },
            10 => match y % 4 {
                0 => Event::Fsync { fd: n(pick(&open, x)) },
                1 => Event::Fdatasync { fd: n(pick(&open, x)) },
                2 => Event::Msync { fd: n(pick(&open, x)) },
                _ => Event::SyncFileRange { fd: n(pick(&open, x)), flags: SyncRange::ALL },
            },
            11 => Event::Syncfs { fd: n(pick(&open, x)) },
            12 => Event::Sync,
            13 if y % 2 == 0 => Event::Read { fd: n(pick(&open, x)), page: u32::from(y % 3) },
            13 => Event::Flush { file: n(file) },
            _ if self.fds.values().all(|(_, f)| *f != file) => Event::Evict { file: n(file) },
            _ => Event::Fsync { fd: n(pick(&open, x)) },
        }
    }

    fn open(&mut self, fd: &'static str, file: &'static str) -> Event {
        self.fds.insert(fd, (self.descs, file));
        self.descs += 1;
        Event::Open { fd: n(fd), file: n(file), flags: Default::default() }
    }
}

/// fail's and heal's pages: the whole file half the time, else one page
/// or a range of the three pages the generator writes (or beyond them).
fn pages(x: u8, y: u8) -> Option<Pages> {
    match (x / 16) % 8 {
        0..=3 => None,
        4 | 5 => Some(Pages::one(u32::from(y % 4))),
        6 => Some(Pages { first: 0, last: 1 }),
        _ => Some(Pages { first: 1, last: 5 }),
    }
}

fn scenario(choices: &[Choice], fs: Fs) -> Scenario {
    let mut b = Builder::default();
    let body = choices.iter().map(|&c| Item::Stmt(Stmt::new(b.event(c)))).collect();
    Scenario { fs: Some(fs), body, ..Scenario::default() }
}

/// What a description is owed.
#[derive(Clone, Copy, Default)]
struct Owed {
    /// An error was recorded since it last reported (or since it opened).
    pending: bool,
    /// It has reported at least once, so no older error can surface.
    settled: bool,
}

/// What each profile records when the storage fails with one of
/// [`ERRNOS`] (docs/oracle.md): a block device has no EDQUOT, so ext4 and
/// xfs hear EIO; btrfs hears EIO for all but ENOSPC; NFS hears the server.
fn heard(fs: Fs, e: Errno) -> Errno {
    match (fs, e) {
        (Fs::Nfs, e) | (_, e @ (Errno::EIO | Errno::ENOSPC)) => e,
        _ => Errno::EIO,
    }
}

#[derive(Default)]
struct Oracle {
    fs: Fs,
    /// Files in order of first mention: the model's writeback order for
    /// sync and syncfs.
    /// Dirty pages, by file and page.
    dirty: BTreeMap<(String, u32), bool>,
    /// Failing storage, by file and page.
    failing: BTreeMap<(String, u32), Errno>,
    latest: BTreeMap<String, Errno>,
    latest_any: Option<Errno>,
    /// fd name -> description
    fds: BTreeMap<String, usize>,
    desc_file: Vec<String>,
    wb: Vec<Owed>,
    sb: Vec<Owed>,
    /// The superblock's dirty list, oldest first: a file joins at the end
    /// when written while not on it, and leaves when sync or syncfs writes
    /// it (fs/fs-writeback.c); fsync and the rest leave it where it is.
    dirty_list: Vec<String>,
    /// Set when the oracle cannot tell what happened (see
    /// sync_file_range); it checks nothing after that.
    lost_track: bool,
    scheme: Option<Scheme>,
    /// By file and page: the last version written, the cached one, the
    /// disk's.
    versions: BTreeMap<(String, u32), [u32; 3]>,
    /// Files whose atime is newer than their last write.
    atime_current: Vec<String>,
}

impl Oracle {
    fn live(&self, file: &str) -> Vec<usize> {
        let mut v: Vec<usize> = self.fds.values().copied().filter(|&d| self.desc_file[d] == file).collect();
        v.dedup();
        v
    }

    /// Writeback of one file: an error is recorded if dirty pages meet
    /// failing storage, as the filesystem hears of it.
    /// With several failing pages, the highest-numbered one's errno is
    /// recorded (crates/model/src/kernel.rs, `end_io`).
    fn write_back(&mut self, file: &str) {
        let mut failed = None;
        // btrfs before 6.6 and NFS leave a failed page to be read again
        // from the disk (crates/model/src/read.rs).
        let drops = self.fs == Fs::Nfs || (self.fs == Fs::Btrfs && self.scheme != Some(Scheme::Linux58));
        for page in 0..3 {
            let dirty = self.dirty.insert((file.to_owned(), page), false).unwrap_or(false);
            let v = self.versions.entry((file.to_owned(), page)).or_default();
            match (dirty, self.failing.get(&(file.to_owned(), page))) {
                (true, Some(&e)) => {
                    failed = Some(e);
                    if drops {
                        v[1] = v[2];
                    }
                }
                (true, None) => v[2] = v[1],
                (false, _) => {}
            }
        }
        if let Some(e) = failed {
            self.record(file, heard(self.fs, e));
        }
    }

    /// sync and syncfs: the dirty list's files, oldest first.
    fn sync_inodes(&mut self) {
        for f in std::mem::take(&mut self.dirty_list) {
            self.write_back(&f);
        }
    }

    fn record(&mut self, file: &str, e: Errno) {
        self.latest.insert(file.to_owned(), e);
        self.latest_any = Some(e);
        for d in self.live(file) {
            self.wb[d].pending = true;
        }
        let all: Vec<usize> = self.fds.values().copied().collect();
        for d in all {
            self.sb[d].pending = true;
        }
    }

    /// Checks a report against what is owed, then settles the debt.
    fn report(owed: &mut Owed, latest: Option<Errno>, got: Ret, what: &str) -> Result<(), TestCaseError> {
        if owed.pending {
            prop_assert_eq!(
                got,
                Ret::err(latest.expect("an error was recorded")),
                "{} owed the latest error",
                what
            );
        } else if owed.settled {
            prop_assert_eq!(got, Ret::OK, "{} owed nothing", what);
        }
        *owed = Owed { pending: false, settled: true };
        Ok(())
    }

    fn step(&mut self, e: &Event, got: Option<Ret>, scheme: Scheme, fs: Fs) -> Result<(), TestCaseError> {
        if self.lost_track {
            return Ok(());
        }
        match e {
            Event::Open { fd, file, .. } => {
                self.fds.insert(fd.to_string(), self.desc_file.len());
                self.desc_file.push(file.to_string());
                self.wb.push(Owed::default());
                self.sb.push(Owed::default());
            }
            Event::Dup { new, fd } => {
                let d = self.fds[fd.as_str()];
                self.fds.insert(new.to_string(), d);
            }
            Event::Close { fd } => {
                let d = self.fds[fd.as_str()];
                if fs == Fs::Nfs {
                    let file = self.desc_file[d].clone();
                    self.write_back(&file);
                    if scheme != Scheme::Linux58 {
                        // Before 5.9 NFS's flush was vfs_fsync: a report.
                        let latest = self.latest.get(&file).copied();
                        let got = got.expect("close returns");
                        Self::report(&mut self.wb[d], latest, got, &format!("close {fd}"))?;
                    }
                }
                self.fds.remove(fd.as_str());
            }
            Event::Write { fd, page, .. } | Event::MmapWrite { fd, page } => {
                let file = self.desc_file[self.fds[fd.as_str()]].clone();
                if !self.dirty_list.contains(&file) {
                    self.dirty_list.push(file.clone());
                }
                let v = self.versions.entry((file.clone(), *page)).or_default();
                v[0] += 1;
                v[1] = v[0];
                self.atime_current.retain(|f| *f != file);
                self.dirty.insert((file, *page), true);
            }
            Event::Read { fd, page } => {
                let file = self.desc_file[self.fds[fd.as_str()]].clone();
                let cached = self.versions.get(&(file.clone(), *page)).map_or(0, |v| v[1]);
                prop_assert_eq!(got, Some(Ret::version(cached)), "read {} {}", fd, page);
                // ext4 alone marks the inode dirty for a new atime.
                if fs == Fs::Ext4 && !self.atime_current.contains(&file) {
                    self.atime_current.push(file.clone());
                    if !self.dirty_list.contains(&file) {
                        self.dirty_list.push(file);
                    }
                }
            }
            Event::Fail { file, errno, pages } => {
                for page in (0..3).filter(|&p| pages.is_none_or(|r| r.contains(p))) {
                    self.failing.insert((file.to_string(), page), *errno);
                }
            }
            Event::Heal { file, pages } => {
                for page in (0..3).filter(|&p| pages.is_none_or(|r| r.contains(p))) {
                    self.failing.remove(&(file.to_string(), page));
                }
            }
            Event::Writeback { file } | Event::Flush { file } => self.write_back(file.as_str()),
            Event::Evict { file } => {
                self.write_back(file.as_str());
                for ((f, _), v) in self.versions.iter_mut() {
                    if f == file.as_str() {
                        v[1] = v[2];
                    }
                }
                self.latest.remove(file.as_str());
                self.dirty_list.retain(|f| f != file.as_str());
            }
            Event::Error { file, errno } => self.record(file.as_str(), *errno),
            Event::SyncFileRange { fd, .. } => {
                // The generator writes the bare call: all three steps.
                // WAIT_BEFORE reports first; an error there skips WRITE
                // (fs/sync.c), so the pages stay dirty.
                let d = self.fds[fd.as_str()];
                let file = self.desc_file[d].clone();
                let got = got.expect("sync_file_range returns");
                if self.wb[d].pending {
                    let latest = self.latest.get(&file).copied();
                    return Self::report(&mut self.wb[d], latest, got, &format!("sync_file_range {fd}"));
                }
                if !self.wb[d].settled && !got.is_ok() {
                    // An error a late opener was owed, or one WRITE met:
                    // which one, this oracle does not know.
                    self.lost_track = true;
                    return Ok(());
                }
                self.write_back(&file);
                let latest = self.latest.get(&file).copied();
                Self::report(&mut self.wb[d], latest, got, &format!("sync_file_range {fd}"))?;
            }
            // msync of a writable description's mapping is fsync.
            Event::Fsync { fd } | Event::Fdatasync { fd } | Event::Msync { fd } => {
                let d = self.fds[fd.as_str()];
                let file = self.desc_file[d].clone();
                self.write_back(&file);
                let latest = self.latest.get(&file).copied();
                let got = got.expect("fsync returns");
                Self::report(&mut self.wb[d], latest, got, &format!("fsync {fd}"))?;
            }
            Event::Syncfs { fd } => {
                self.sync_inodes();
                let d = self.fds[fd.as_str()];
                let got = got.expect("syncfs returns");
                if scheme == Scheme::Linux58 {
                    Self::report(&mut self.sb[d], self.latest_any, got, &format!("syncfs {fd}"))?;
                } else {
                    prop_assert_eq!(got, Ret::OK, "syncfs before 5.8");
                }
            }
            Event::Sync => {
                self.sync_inodes();
                prop_assert_eq!(got, Some(Ret::OK));
            }
        }
        Ok(())
    }
}

fn fs() -> impl Strategy<Value = Fs> {
    prop::sample::select(Fs::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn every_description_hears_of_each_error_at_its_next_fsync(
        choices in prop::collection::vec(any::<(u8, u8, u8)>(), 1..60),
        fs in fs(),
    ) {
        let s = scenario(&choices, fs);
        let p = parse(&s.to_string()).map_err(|d| TestCaseError::fail(format!("{d:?}\n{s}")))?;
        let e = Evaluation::new(&p).map_err(|e| TestCaseError::fail(e.to_string()))?;
        // The page-cache indexes are a function of the kernel cells
        // (errseq_model::index), after every event under every scheme.
        for run in &e.runs {
            for i in 0..p.scenario.stmts().count() {
                let cells = run.cells_after(i);
                prop_assert_eq!(errseq_model::index::rebuilt(cells, &e.program.layout), cells.to_vec(),
                    "{} after event {}\n{}", run.scheme, i + 1, s);
            }
        }
        for scheme in [Scheme::Linux414, Scheme::Linux417, Scheme::Linux58] {
            let column = e.columns.iter().position(|(n, _)| n.resolve() == scheme).expect("all schemes");
            let mut oracle = Oracle { fs, scheme: Some(scheme), ..Oracle::default() };
            for (i, (stmt, _)) in p.scenario.stmts().enumerate() {
                oracle.step(&stmt.event, e.run(column).results[i], scheme, fs)
                    .map_err(|err| TestCaseError::fail(format!("{scheme}, event {} `{}`: {err}\n{s}", i + 1, stmt.event)))?;
            }
        }
    }
}
