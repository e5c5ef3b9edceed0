//! One scenario on the live kernel, call by call (scenarios with `par`
//! blocks go to [`crate::par`]). The system calls of each call are in
//! [`crate::exec`].

use std::collections::HashMap;
use std::os::fd::{AsFd, OwnedFd};
use std::sync::atomic::AtomicBool;

use errseq::SchemeName;
use errseq_model::Evaluation;
use errseq_scenario::{Event, Name, Parsed};

use crate::content::{Version, PAGE};
use crate::exec::{
    check_cachestat, create_files, image_for, open_private, write_versions, writes_back, Cx, FileInfo,
};
use crate::rig::{Build, Rig};
use crate::sys;
use crate::{Fs, Injection, Observed, Options, OracleError, PageObs, Report, Row};

/// Runs `parsed` on a fresh `fs` and compares every call with the model's
/// `linux` scheme, evaluated with `fs`'s profile.
///
/// A scenario with `par` blocks runs many times instead, and its joint
/// outcomes are compared with the explorer's ([`crate::par`]).
pub fn run(parsed: &Parsed, fs: Fs, opts: &Options) -> Result<Report, OracleError> {
    crate::settle(run_on(parsed, fs, opts), opts.interrupt.as_deref())
}

fn run_on(parsed: &Parsed, fs: Fs, opts: &Options) -> Result<Report, OracleError> {
    check_supported(parsed)?;
    let size = image_for(parsed, fs)?;
    if writes_back(parsed) {
        check_cachestat()?;
    }
    let p = for_linux_on(parsed, fs);
    if p.scenario.has_par() {
        return crate::par::run(parsed, &p, fs, size, opts);
    }
    let model = Evaluation::new(&p).map_err(|e| OracleError::Unsupported {
        line: p.source.blocks.first().map_or(0, |b| b.line),
        call: "par".into(),
        reason: e.to_string(),
    })?;
    let injection = opts.injection.unwrap_or(Injection::default_for(fs));
    let notes = profile_note(parsed, fs).into_iter().collect();
    let interrupt = opts.interrupt.as_deref();
    let rig = Rig::new(fs, &Build { data: None, size, interrupt })?;
    let versions = model_versions(&p, &model);
    let mut r = Runner {
        rig: &rig,
        p: &p,
        model: &model,
        injection,
        versions: &versions,
        fds: HashMap::new(),
        files: Vec::new(),
        notes,
        interrupt,
    };
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
        par: None,
    })
}

/// The scenario as the model sees it for this run: the `linux` scheme
/// alone, with the profile of the filesystem under test.
fn for_linux_on(parsed: &Parsed, fs: Fs) -> Parsed {
    let mut p = parsed.clone();
    p.scenario.schemes = Some(vec![SchemeName::Linux]);
    // The kernel runs its own scheme: the ones the scenario writes are
    // the model's business, not the oracle's.
    p.scenario.body.retain(|i| !matches!(i, errseq_scenario::Item::Scheme(_)));
    p.scenario.fs = Some(fs.profile());
    p
}

/// Says so when the scenario's `fs:` header is not the filesystem under
/// test (the model then uses the latter's profile).
pub(crate) fn profile_note(parsed: &Parsed, fs: Fs) -> Option<String> {
    parsed.scenario.fs.filter(|h| *h != fs.profile()).map(|h| {
        format!(
            "the scenario's header says `fs: {}`; the model was evaluated with the {} profile, the filesystem under test",
            h.id(),
            fs.id()
        )
    })
}

/// Refuses calls with no system-call counterpart before anything runs.
fn check_supported(p: &Parsed) -> Result<(), OracleError> {
    for (i, (stmt, _)) in p.scenario.stmts().enumerate() {
        let line = p.source.events.get(i).map_or(0, |s| s.line());
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

/// The version each write event writes, as the model counts it under
/// `linux` (column 0): one more than the page's last version. A failed
/// direct write makes no version in the model (its data went nowhere), so
/// the next write of that page tries the same number again; counting in
/// text order ([`write_versions`], what `par` blocks use) would not.
fn model_versions(p: &Parsed, model: &Evaluation) -> Vec<u32> {
    let mut out = write_versions(p);
    for (i, (stmt, _)) in p.scenario.stmts().enumerate() {
        let (Event::Write { page, .. } | Event::MmapWrite { page, .. }) = &stmt.event else { continue };
        let (Some(file), Some(prev)) = (p.bindings.events[i].file, i.checked_sub(1)) else { continue };
        let st = model.state_after(0, prev);
        if let Some(pg) = st.file(file).pages.iter().find(|pg| pg.number == *page) {
            out[i] = pg.written + 1;
        }
    }
    out
}

struct Runner<'a> {
    rig: &'a Rig,
    p: &'a Parsed,
    model: &'a Evaluation,
    injection: Injection,
    versions: &'a [u32],
    fds: HashMap<Name, OwnedFd>,
    files: Vec<FileInfo>,
    notes: Vec<String>,
    interrupt: Option<&'a AtomicBool>,
}

impl Runner<'_> {
    /// Creates every file at version 0, synced, then starts from a clean,
    /// cold cache: nothing dirty, nothing cached.
    fn create_files(&mut self) -> Result<(), OracleError> {
        self.files = create_files(self.rig, self.p, self.injection)?;
        sys::sync();
        let _ = sys::drop_caches(3);
        Ok(())
    }

    fn go(&mut self, opts: &Options) -> Result<(Vec<Row>, Vec<PageObs>), OracleError> {
        self.create_files()?;
        let mut rows = Vec::new();
        let stmts: Vec<_> = self.p.scenario.stmts().map(|(s, _)| s.clone()).collect();
        for (i, stmt) in stmts.iter().enumerate() {
            crate::check_interrupt(self.interrupt)?;
            let (kernel, syscalls) = self.call(i, &stmt.event)?;
            if let Some(d) = opts.pause {
                crate::state::sleep(d, self.interrupt)?;
            }
            if i == 0 {
                crate::stage("mid-run", self.interrupt)?;
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

    /// Before `evict`: its sync(2) (see `Cx::evict`) also writes back
    /// every other dirty file; the report says so when the model has one.
    ///
    /// `evict` needs that sync(2) to make the inode clean. Its pages are
    /// clean after the writeback, but the inode is not: dirtying a page
    /// set `I_DIRTY_PAGES` on it (`__mark_inode_dirty`), and a write's new
    /// mtime dirtied it too; only a writeback pass over the inode,
    /// `__writeback_single_inode` (fs/fs-writeback.c), clears them. A
    /// dirty inode is never put on the LRU (`inode_add_lru`) and pruning
    /// skips it (`inode_lru_isolate`, fs/inode.c), so drop_caches would
    /// leave it and its mapping's error in place (seen on ext4, xfs and
    /// btrfs alike). From user space only sync(2), syncfs(2) and the
    /// flusher make that pass. syncfs reports the superblock's error and
    /// marks it SEEN, which changes what a later open samples; sync(2)
    /// waits with `filemap_fdatawait_keep_errors` and touches no errseq
    /// word, flag or cursor.
    fn note_evict(&mut self, event: usize, file: usize) {
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
                "line {}: `evict {}` runs sync(2) to clean the inode, which also wrote back {} (dirty in the model)",
                self.p.source.events.get(event).map_or(0, |s| s.line()),
                self.files[file].name,
                others.join(", ")
            ));
        }
    }

    fn call(&mut self, i: usize, ev: &Event) -> Result<(Observed, &'static str), OracleError> {
        if let Event::Evict { .. } = ev {
            self.note_evict(i, self.p.bindings.events[i].file.unwrap_or(0));
        }
        let closing = match ev {
            Event::Close { fd } => self.fds.remove(fd),
            _ => None,
        };
        let cx = Cx {
            mnt: &self.rig.mnt,
            ctl: self.rig.ctl_path(),
            files: &self.files,
            injection: self.injection,
            bindings: &self.p.bindings,
            versions: self.versions,
            interrupt: self.interrupt,
        };
        let did = cx.call(i, ev, &self.fds, closing)?;
        if let Some((name, fd)) = did.opened {
            self.fds.insert(name, fd);
        }
        Ok((did.kernel, did.syscalls))
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
