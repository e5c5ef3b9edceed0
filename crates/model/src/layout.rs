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

use crate::index::{BitSet, FileIndex, Index};

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
    /// Indexes into `pages`, by page number: a range of pages is found by
    /// binary search (`fail FILE ERRNO FIRST-LAST` visits only its pages).
    pub by_number: Vec<usize>,
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
        let i = self.by_number.partition_point(|&i| self.pages[i].number < number);
        self.by_number.get(i).map(|&i| &self.pages[i]).filter(|p| p.number == number)
    }

    /// The pages numbered `first..=last`, in page-number order.
    pub fn pages_numbered(&self, first: u32, last: u32) -> impl Iterator<Item = &PageCells> {
        let from = self.by_number.partition_point(|&i| self.pages[i].number < first);
        self.by_number[from..].iter().map(|&i| &self.pages[i]).take_while(move |p| p.number <= last)
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
    /// The cells of the kernel state: `cells[..observed]`. The cells after
    /// them hold [`Layout::index`], a function of these.
    pub observed: usize,
    /// Which pages are dirty, under writeback..., and the dirty list, kept
    /// so that calls visit only what they act on ([`crate::index`]).
    pub index: Index,
    /// All cells, the index's included.
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

    pub(crate) fn set(&mut self, len: usize) -> BitSet {
        BitSet::new(len, || self.cell())
    }

    /// The indexes of `files` (allocated after every other cell).
    pub(crate) fn index(&mut self, files: &[FileCells]) -> Index {
        let files = files
            .iter()
            .map(|f| FileIndex {
                dirty: self.set(f.pages.len()),
                writeback: self.set(f.pages.len()),
                error: self.set(f.pages.len()),
                unpromised: self.set(f.pages.len()),
                stale: self.set(f.pages.len()),
                busy_dirty: self.cell(),
                older: self.cell(),
                younger: self.cell(),
            })
            .collect::<Vec<_>>();
        let n = files.len();
        Index {
            files,
            oldest: self.cell(),
            youngest: self.cell(),
            writeback_pages: self.cell(),
            error_files: self.set(n),
        }
    }
}
