//! A checked scenario compiled for evaluation: every name resolved to
//! cells, every event to an [`Op`].

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use errseq::{Errno, WrittenName};
use errseq_scenario::{
    Binding, DescId, Description, Event, FileId, Item, Name, Pages, Parsed, SyncRange, WrittenScheme,
};

use crate::layout::{Allocator, FileCells, Layout};

/// An open file description slot (see [`crate::layout`]).
pub type SlotId = usize;

/// One event, resolved. fsync and fdatasync are one op: the model has no
/// metadata, so they write and report the same way.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    Open {
        file: FileId,
        slot: SlotId,
    },
    /// dup(2): the new fd shares the description; nothing runs.
    Dup,
    /// `writable`: the description was opened for writing (`FMODE_WRITE`).
    Close {
        file: FileId,
        slot: SlotId,
        writable: bool,
    },
    /// write(2), pwritev2(2) or a store through a shared mapping. `page`
    /// indexes the file's pages in the layout. `sync`: `O_SYNC`/`O_DSYNC`
    /// or `RWF_SYNC`/`RWF_DSYNC` (`generic_write_sync`); `direct`:
    /// `O_DIRECT`. The write returns a result when either is set.
    Write {
        file: FileId,
        slot: SlotId,
        page: usize,
        sync: bool,
        direct: bool,
    },
    /// `pages`: `None` for every page.
    Fail {
        file: FileId,
        errno: Errno,
        pages: Option<Pages>,
    },
    Heal {
        file: FileId,
        pages: Option<Pages>,
    },
    Writeback {
        file: FileId,
    },
    Error {
        file: FileId,
        errno: Errno,
    },
    Fsync {
        file: FileId,
        slot: SlotId,
    },
    /// sync_file_range(2) over the whole file, with the steps its flags
    /// ask for.
    SyncFileRange {
        file: FileId,
        slot: SlotId,
        steps: SyncRange,
    },
    /// msync(2) `MS_SYNC` over the description's whole mapping.
    Msync {
        file: FileId,
        slot: SlotId,
        writable: bool,
    },
    Syncfs {
        slot: SlotId,
    },
    Sync,
    Flush {
        file: FileId,
    },
    Evict {
        file: FileId,
    },
    /// read(2) of one page through a description; `direct`: `O_DIRECT`.
    Read {
        file: FileId,
        page: usize,
        direct: bool,
    },
}

impl Op {
    /// Whether the call returns a result.
    pub fn returns(self) -> bool {
        matches!(
            self,
            Op::Close { .. }
                | Op::Write { sync: true, .. }
                | Op::Write { direct: true, .. }
                | Op::Fsync { .. }
                | Op::Msync { .. }
                | Op::SyncFileRange { .. }
                | Op::Syncfs { .. }
                | Op::Sync
                | Op::Flush { .. }
                | Op::Read { .. }
        )
    }
}

/// What an event does to the fd table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FdChange {
    None,
    Bind(Name, DescId),
    Unbind(Name),
}

/// A scenario ready to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    pub layout: Layout,
    /// By event number.
    pub ops: Vec<Op>,
    pub fd_changes: Vec<FdChange>,
    /// The event numbers of each `par` block.
    pub blocks: Vec<Range<usize>>,
    pub files: Vec<Name>,
    pub descriptions: Vec<Description>,
    /// The slot of each description.
    pub desc_slot: Vec<SlotId>,
    /// The schemes the scenario writes, compiled.
    pub written: Vec<WrittenScheme>,
}

/// An fd that is open, and its description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenFd {
    pub fd: Name,
    pub desc: DescId,
}

impl Program {
    pub fn compile(p: &Parsed) -> Program {
        let mut alloc = Allocator::default();
        let sb = alloc.cell();
        let clock = alloc.cell();
        let (pages, page_index) = pages_per_file(p);
        let read = files_read(p);
        let files: Vec<FileCells> = pages
            .iter()
            .zip(read)
            .map(|(numbers, read)| {
                let mut by_number: Vec<usize> = (0..numbers.len()).collect();
                by_number.sort_unstable_by_key(|&i| numbers[i]);
                FileCells {
                    mapping: alloc.mapping(),
                    pages: numbers.iter().map(|&n| alloc.page(n)).collect(),
                    by_number,
                    dirtied: alloc.cell(),
                    atime: read.then(|| alloc.cell()),
                }
            })
            .collect();
        let (desc_slot, slot_count, blocks) = assign_slots(p);
        let slots = (0..slot_count).map(|_| alloc.file()).collect();
        let observed = alloc.len();
        let index = alloc.index(&files);
        let layout = Layout { sb, clock, files, slots, observed, index, len: alloc.len() };
        let ops = p
            .scenario
            .stmts()
            .zip(&p.bindings.events)
            .map(|((stmt, _), b)| op(&stmt.event, *b, &page_index, &desc_slot, &p.bindings.descriptions))
            .collect();
        let fd_changes =
            p.scenario.stmts().zip(&p.bindings.events).map(|((s, _), b)| fd_change(&s.event, *b)).collect();
        Program {
            layout,
            ops,
            fd_changes,
            blocks,
            files: p.bindings.files.clone(),
            descriptions: p.bindings.descriptions.clone(),
            desc_slot,
            written: p.bindings.written.clone(),
        }
    }

    /// The scheme the scenario writes under `name`, if it writes one.
    pub fn written(&self, name: WrittenName) -> Option<&WrittenScheme> {
        self.written.iter().find(|w| w.name == name)
    }

    /// The open fds after `events` events have run, in the order opened.
    pub fn fds_after(&self, events: usize) -> Vec<OpenFd> {
        let mut table: Vec<OpenFd> = Vec::new();
        for change in self.fd_changes.iter().take(events) {
            match change {
                FdChange::None => {}
                FdChange::Bind(fd, desc) => table.push(OpenFd { fd: fd.clone(), desc: *desc }),
                FdChange::Unbind(fd) => table.retain(|o| &o.fd != fd),
            }
        }
        table
    }

    /// The par block an event belongs to.
    pub fn block_of(&self, event: usize) -> Option<usize> {
        self.blocks.iter().position(|r| r.contains(&event))
    }
}

/// Where each written page is among its file's pages.
type PageIndex = HashMap<(FileId, u32), usize>;

/// The page numbers each file is written or read at, in order of first
/// mention, and the index of each (a map, so a write costs a lookup, not
/// a scan of the file's pages). A page only read has cells too: it reads
/// version 0, the content it had before the scenario.
fn pages_per_file(p: &Parsed) -> (Vec<Vec<u32>>, PageIndex) {
    let mut pages: Vec<Vec<u32>> = vec![Vec::new(); p.bindings.files.len()];
    let mut index = PageIndex::new();
    for ((stmt, _), b) in p.scenario.stmts().zip(&p.bindings.events) {
        if let (
            Event::Write { page, .. } | Event::MmapWrite { page, .. } | Event::Read { page, .. },
            Some(file),
        ) = (&stmt.event, b.file)
        {
            index.entry((file, *page)).or_insert_with(|| {
                pages[file].push(*page);
                pages[file].len() - 1
            });
        }
    }
    (pages, index)
}

/// Whether some `read` reads each file.
fn files_read(p: &Parsed) -> Vec<bool> {
    let mut read = vec![false; p.bindings.files.len()];
    for ((stmt, _), b) in p.scenario.stmts().zip(&p.bindings.events) {
        if let (Event::Read { .. }, Some(file)) = (&stmt.event, b.file) {
            read[file] = true;
        }
    }
    read
}

/// Gives each description the lowest free slot when it is opened, and
/// frees the slot when its last fd closes (at the end of a par block, for
/// closes inside one). Returns the slot of each description, the number
/// of slots, and the event range of each par block.
fn assign_slots(p: &Parsed) -> (Vec<SlotId>, usize, Vec<Range<usize>>) {
    let mut slot_of = vec![0; p.bindings.descriptions.len()];
    let mut refs = vec![0u32; p.bindings.descriptions.len()];
    let mut free: BTreeSet<SlotId> = BTreeSet::new();
    let mut count = 0;
    let mut blocks = Vec::new();
    let mut event = 0;
    let stmts: Vec<&Event> = p.scenario.stmts().map(|(s, _)| &s.event).collect();
    for item in &p.scenario.body {
        let n = match item {
            Item::Stmt(_) => 1,
            Item::Par(par) => par.items.iter().filter(|i| matches!(i, Item::Stmt(_))).count(),
            Item::Claim(_) | Item::Note(_) | Item::Gap | Item::Scheme(_) => 0,
        };
        let range = event..event + n;
        let mut freed = Vec::new();
        for (e, b) in stmts[range.clone()].iter().zip(&p.bindings.events[range.clone()]) {
            let Some(d) = b.desc else { continue };
            match e {
                Event::Open { .. } => {
                    slot_of[d] = free.pop_first().unwrap_or_else(|| {
                        count += 1;
                        count - 1
                    });
                    refs[d] = 1;
                }
                Event::Dup { .. } => refs[d] += 1,
                Event::Close { .. } => {
                    refs[d] -= 1;
                    if refs[d] == 0 {
                        freed.push(slot_of[d]);
                    }
                }
                _ => {}
            }
        }
        free.extend(freed);
        if matches!(item, Item::Par(_)) {
            blocks.push(range.clone());
        }
        event = range.end;
    }
    (slot_of, count, blocks)
}

fn op(e: &Event, b: Binding, page_index: &PageIndex, desc_slot: &[SlotId], descs: &[Description]) -> Op {
    // The checker resolved every name of a valid scenario; 0 is never used.
    let file = b.file.unwrap_or(0);
    let slot = b.desc.map_or(0, |d| desc_slot[d]);
    let flags = b.desc.map(|d| descs[d].flags).unwrap_or_default();
    let index = |page: u32| page_index.get(&(file, page)).copied().unwrap_or(0);
    match e {
        Event::Open { .. } => Op::Open { file, slot },
        Event::Dup { .. } => Op::Dup,
        Event::Close { .. } => Op::Close { file, slot, writable: flags.writable() },
        Event::Write { page, rwf, .. } => Op::Write {
            file,
            slot,
            page: index(*page),
            sync: rwf.is_some() || flags.sync_writes(),
            direct: flags.direct,
        },
        // The fault dirties the page as write(2) does (`page_mkwrite`,
        // then `set_page_dirty`); O_DIRECT and O_SYNC do not apply to it.
        Event::MmapWrite { page, .. } => {
            Op::Write { file, slot, page: index(*page), sync: false, direct: false }
        }
        Event::Msync { .. } => Op::Msync { file, slot, writable: flags.writable() },
        Event::Fail { errno, pages, .. } => Op::Fail { file, errno: *errno, pages: *pages },
        Event::Heal { pages, .. } => Op::Heal { file, pages: *pages },
        Event::Writeback { .. } => Op::Writeback { file },
        Event::Error { errno, .. } => Op::Error { file, errno: *errno },
        Event::Fsync { .. } | Event::Fdatasync { .. } => Op::Fsync { file, slot },
        Event::SyncFileRange { flags, .. } => Op::SyncFileRange { file, slot, steps: *flags },
        Event::Syncfs { .. } => Op::Syncfs { slot },
        Event::Sync => Op::Sync,
        Event::Flush { .. } => Op::Flush { file },
        Event::Evict { .. } => Op::Evict { file },
        // O_SYNC and O_DSYNC do nothing to a read (Linux has no O_RSYNC
        // of its own: it is O_SYNC, which reads ignore).
        Event::Read { page, .. } => Op::Read { file, page: index(*page), direct: flags.direct },
    }
}

fn fd_change(e: &Event, b: Binding) -> FdChange {
    match (e, b.desc) {
        (Event::Open { fd, .. }, Some(d)) => FdChange::Bind(fd.clone(), d),
        (Event::Dup { new, .. }, Some(d)) => FdChange::Bind(new.clone(), d),
        (Event::Close { fd }, Some(_)) => FdChange::Unbind(fd.clone()),
        _ => FdChange::None,
    }
}

impl Program {
    /// A cell's name for people: `wb_err(f)`, `f_lock(a)`, `page f:0 cache`,
    /// naming a description slot by the fds open on it after `events`
    /// events.
    pub fn cell_name(&self, addr: errseq::Addr, events: usize) -> String {
        let l = &self.layout;
        if addr == l.sb {
            return "s_wb_err".to_owned();
        }
        if addr == l.clock {
            return "jiffies".to_owned();
        }
        for (f, cells) in l.files.iter().enumerate() {
            let name = &self.files[f];
            let m = cells.mapping;
            let simple = [(m.wb_err, "wb_err"), (m.flags, "flags"), (m.i_lock, "i_lock")];
            if let Some((_, what)) = simple.iter().find(|(a, _)| *a == addr) {
                return format!("{what}({name})");
            }
            if addr == cells.dirtied {
                return format!("dirtied_when({name})");
            }
            if Some(addr) == cells.atime {
                return format!("atime current({name})");
            }
            for p in &cells.pages {
                let parts = [
                    (p.written, "written"),
                    (p.cache, "cache"),
                    (p.disk, "disk"),
                    (p.dirty, "dirty"),
                    (p.promised, "promised"),
                    (p.writeback, "writeback"),
                    (p.flight, "in flight"),
                    (p.error, "PG_error"),
                    (p.storage, "storage"),
                ];
                if let Some((_, what)) = parts.iter().find(|(a, _)| *a == addr) {
                    return format!("page {name}:{} {what}", p.number);
                }
            }
        }
        for (slot, cells) in l.slots.iter().enumerate() {
            let parts = [(cells.wb_err, "f_wb_err"), (cells.sb_err, "f_sb_err"), (cells.lock, "f_lock")];
            if let Some((_, what)) = parts.iter().find(|(a, _)| *a == addr) {
                return format!("{what}({})", self.slot_fds(slot, events));
            }
        }
        format!("cell {}", addr.0)
    }

    /// The fds open on the description in `slot` after `events` events,
    /// comma-separated (or `#slot` when none is).
    fn slot_fds(&self, slot: SlotId, events: usize) -> String {
        let fds: Vec<String> = self
            .fds_after(events)
            .into_iter()
            .filter(|o| self.desc_slot[o.desc] == slot)
            .map(|o| o.fd.to_string())
            .collect();
        if fds.is_empty() {
            format!("#{slot}")
        } else {
            fds.join(",")
        }
    }
}
