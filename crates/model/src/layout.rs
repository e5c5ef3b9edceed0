//! Where each piece of kernel state lives in the flat array of cells.
//!
//! The whole model state is one `[u32]`: the errseq words, cursors, locks
//! and legacy flags that the algorithms touch, and the page-cache and
//! storage state that writeback touches. One array makes a snapshot a
//! copy, and lets the explorer hash a state in one pass.
//!
//! Open file descriptions get *slots*: a description whose last fd was
//! closed frees its slot for the next `open`, so a long scenario that
//! keeps reopening needs as many slots as it has descriptions open at
//! once, not one per `open`.

use errseq::{Addr, File, Mapping};

/// The cells of one cached page.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PageCells {
    /// The page number, as the scenario writes it.
    pub number: u32,
    /// The last version the application wrote (each write adds one).
    pub written: Addr,
    /// Version of the content in the page cache.
    pub cache: Addr,
    /// Version of the content on the storage.
    pub disk: Addr,
    /// 1 while dirty.
    pub dirty: Addr,
    /// The version a successful fsync (or syncfs) last promised durable.
    pub promised: Addr,
    /// Where the page stands in writeback (`PG_writeback`): 0 when not
    /// under writeback; else the writer's task number shifted left once,
    /// with bit 0 set once its I/O has completed (the completion has run,
    /// `end_page_writeback` not yet). See [`crate::kernel`].
    pub writeback: Addr,
    /// The version the write under way carries to the storage.
    pub flight: Addr,
    /// `PG_error`: set by a failed completion; only 4.12's wait reads it.
    pub error: Addr,
    /// 0 while the storage under this page works; else the errno every
    /// write to it fails with (`fail FILE ERRNO [PAGES]`).
    pub storage: Addr,
}

/// The cells of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileCells {
    pub mapping: Mapping,
    /// Every page the scenario ever writes, in order of first write. The
    /// storage is failed and healed per page ([`PageCells::storage`]): a
    /// `fail` of a range sets the cells of the pages it covers, so it
    /// covers pages written later too, and a page never written has no
    /// data for the storage to fail.
    pub pages: Vec<PageCells>,
    /// The inode's place on the superblock's dirty list (`dirtied_when`
    /// and `b_dirty`, fs/fs-writeback.c): 0 while the inode is clean, else
    /// the tick of [`Layout::clock`] at which it went from clean to dirty.
    pub dirtied: Addr,
    /// Whether the inode's atime is current (1) or older than its mtime
    /// (0, as at the start: the file's data was written after its atime
    /// was set), for relatime: see [`crate::read`]. Only files some `read`
    /// reads have it, so a scenario without reads keeps its state as it
    /// was.
    pub atime: Option<Addr>,
}

impl FileCells {
    pub fn page(&self, number: u32) -> Option<&PageCells> {
        self.pages.iter().find(|p| p.number == number)
    }
}

/// Every cell of a scenario's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The superblock's word (`sb->s_wb_err`, 5.8+).
    pub sb: Addr,
    /// A counter that orders dirtyings: `jiffies` for `dirtied_when`, but
    /// strictly increasing, so two inodes never tie.
    pub clock: Addr,
    pub files: Vec<FileCells>,
    /// Open file description slots.
    pub slots: Vec<File>,
    pub len: usize,
}

/// Hands out consecutive cells.
#[derive(Default)]
pub(crate) struct Allocator {
    next: u32,
}

impl Allocator {
    pub(crate) fn cell(&mut self) -> Addr {
        let a = Addr(self.next);
        self.next += 1;
        a
    }

    pub(crate) fn mapping(&mut self) -> Mapping {
        Mapping { wb_err: self.cell(), flags: self.cell(), i_lock: self.cell() }
    }

    pub(crate) fn file(&mut self) -> File {
        File { wb_err: self.cell(), sb_err: self.cell(), lock: self.cell() }
    }

    pub(crate) fn page(&mut self, number: u32) -> PageCells {
        PageCells {
            number,
            written: self.cell(),
            cache: self.cell(),
            disk: self.cell(),
            dirty: self.cell(),
            promised: self.cell(),
            writeback: self.cell(),
            flight: self.cell(),
            error: self.cell(),
            storage: self.cell(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.next as usize
    }
}
