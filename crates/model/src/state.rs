//! A snapshot of the model, read back as kernel objects.

use errseq::{Errno, Fields, Scheme};
use errseq_scenario::{DescId, FileId, Name};

use crate::program::{OpenFd, Program};

/// The state after some event, under one scheme.
#[derive(Copy, Clone, Debug)]
pub struct State<'a> {
    program: &'a Program,
    scheme: Scheme,
    cells: &'a [u32],
    /// How many events have run (for the fd table).
    events: usize,
    /// The fd table after those events, when the caller keeps it (a
    /// stepper does); otherwise it is rebuilt from the events.
    fds: Option<&'a [OpenFd]>,
}

/// One page of a file.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PageState {
    pub number: u32,
    /// The last version the application wrote.
    pub written: u32,
    /// Version in the page cache (0: never written).
    pub cache: u32,
    /// Version on the storage.
    pub disk: u32,
    pub dirty: bool,
    /// The version a successful sync call last promised durable.
    pub promised: u32,
    /// The errno the storage under this page fails writes with, if failing.
    pub failing: Option<Errno>,
}

impl PageState {
    /// A sync call returned 0 after the application wrote content that
    /// the storage never got.
    pub fn lost(&self) -> bool {
        self.promised > self.disk
    }
}

/// One file: its mapping's word and flags, its storage, its pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileState<'a> {
    pub id: FileId,
    pub name: &'a Name,
    /// The mapping's word, in the scheme's layout (`None` for 4.12).
    pub word: Option<Fields>,
    /// The legacy flags, if the scheme sets them.
    pub flags: Option<u32>,
    /// The errno the storage under every page of the file fails writes
    /// with, if it fails them all with one (a whole-file `fail`). A file
    /// with no page written yet, or whose pages fail differently, has
    /// `None`: see [`PageState::failing`].
    pub failing: Option<Errno>,
    pub pages: Vec<PageState>,
}

/// One open file description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DescState {
    pub id: DescId,
    /// Every fd open on it, in the order they were made.
    pub fds: Vec<Name>,
    pub file: FileId,
    /// `f_wb_err` (schemes with a cursor).
    pub cursor: Option<u32>,
    /// `f_sb_err` (5.8).
    pub sb_cursor: Option<u32>,
}

impl<'a> State<'a> {
    pub fn new(program: &'a Program, scheme: Scheme, cells: &'a [u32], events: usize) -> State<'a> {
        State { program, scheme, cells, events, fds: None }
    }

    /// A state whose fd table the caller keeps up to date: reading its
    /// descriptions then costs the table, not a replay of every event.
    pub fn with_fds(
        program: &'a Program,
        scheme: Scheme,
        cells: &'a [u32],
        events: usize,
        fds: &'a [OpenFd],
    ) -> State<'a> {
        State { program, scheme, cells, events, fds: Some(fds) }
    }

    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    pub fn cells(&self) -> &'a [u32] {
        self.cells
    }

    fn at(&self, a: errseq::Addr) -> u32 {
        self.cells[a.index()]
    }

    /// The superblock's word (5.8 only).
    pub fn sb(&self) -> Option<Fields> {
        let layout = self.scheme.layout()?;
        self.scheme.has_sb_word().then(|| layout.decode(self.at(self.program.layout.sb)))
    }

    pub fn files(&self) -> Vec<FileState<'a>> {
        (0..self.program.files.len()).map(|f| self.file(f)).collect()
    }

    pub fn file(&self, id: FileId) -> FileState<'a> {
        let cells = &self.program.layout.files[id];
        let first = cells.pages.first().map_or(0, |p| self.at(p.storage));
        let uniform = cells.pages.iter().all(|p| self.at(p.storage) == first);
        FileState {
            id,
            name: &self.program.files[id],
            word: self.scheme.layout().map(|l| l.decode(self.at(cells.mapping.wb_err))),
            flags: self.scheme.sets_legacy_flags().then(|| self.at(cells.mapping.flags)),
            failing: Errno::new(first).filter(|_| uniform),
            pages: cells
                .pages
                .iter()
                .map(|p| PageState {
                    number: p.number,
                    written: self.at(p.written),
                    cache: self.at(p.cache),
                    disk: self.at(p.disk),
                    dirty: self.at(p.dirty) != 0,
                    promised: self.at(p.promised),
                    failing: Errno::new(self.at(p.storage)),
                })
                .collect(),
        }
    }

    /// The descriptions with an fd open on them, in the order opened.
    pub fn descriptions(&self) -> Vec<DescState> {
        let table = match self.fds {
            Some(fds) => std::borrow::Cow::Borrowed(fds),
            None => std::borrow::Cow::Owned(self.program.fds_after(self.events)),
        };
        let mut out: Vec<DescState> = Vec::new();
        let mut at: std::collections::HashMap<DescId, usize> = std::collections::HashMap::new();
        for open in table.iter().cloned() {
            if let Some(&i) = at.get(&open.desc) {
                out[i].fds.push(open.fd);
                continue;
            }
            at.insert(open.desc, out.len());
            let slot = self.program.layout.slots[self.program.desc_slot[open.desc]];
            out.push(DescState {
                id: open.desc,
                fds: vec![open.fd],
                file: self.program.descriptions[open.desc].file,
                cursor: self.scheme.has_cursor().then(|| self.at(slot.wb_err)),
                sb_cursor: self.scheme.has_sb_word().then(|| self.at(slot.sb_err)),
            });
        }
        out.sort_by_key(|d| d.id);
        out
    }
}
