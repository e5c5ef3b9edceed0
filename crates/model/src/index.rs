//! Indexes over the page cache, so that a call's work is the pages and
//! inodes it acts on, not every page and inode there is.
//!
//! The kernel finds a file's dirty pages and its pages under writeback
//! through tags on the page cache's xarray (`PAGECACHE_TAG_DIRTY` and
//! `PAGECACHE_TAG_WRITEBACK`, include/linux/fs.h; `write_cache_pages` and
//! `__filemap_fdatawait_range` walk only the tagged pages), and the inodes
//! to write back through the superblock's `b_dirty` list, oldest first
//! (fs/fs-writeback.c). The model keeps the same kind of indexes, in cells
//! after the kernel state ([`crate::layout::Layout::observed`]):
//!
//! - per file, five [`BitSet`]s over its pages: dirty (the dirty tag),
//!   under writeback (the writeback tag), `PG_error` set, written since
//!   the last promise, and cached content the disk does not have (what
//!   an eviction drops); a count of dirty pages still under writeback
//!   (which `WB_SYNC_ALL` must wait for);
//! - the dirty list itself: the dirty inodes linked oldest first (by the
//!   stamp in [`crate::layout::FileCells::dirtied`]);
//! - a count of all pages under writeback, and a set of the files with a
//!   page that has `PG_error`.
//!
//! Every index is a function of the cells before it: a bit set is a
//! 32-ary tree of bits, whose every word is fixed by the set it holds,
//! and the list is ordered by the stamps. So two states with the same
//! kernel cells have the same index cells, and the explorer, which hashes
//! and compares whole states, merges and orders states exactly as it did
//! before the indexes existed; they only make the steps faster. They
//! change only through the functions here, which the page steps call for
//! every change of a page's dirty, writeback or error cell.

use errseq::Addr;

use crate::layout::{Layout, PageCells};

/// A set of small numbers (`0..len`) in cells: a tree of 32-bit words,
/// level 0 holding one bit per member, each level above one bit per word
/// below that is not zero, up to a single word. Insertion, removal and
/// finding the next member are O(log32 len).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BitSet {
    /// Each level's first cell and number of words, leaves first.
    levels: Vec<(u32, u32)>,
}

impl BitSet {
    /// Cells for a set over `0..len`, taken from `cell`.
    pub(crate) fn new(len: usize, mut cell: impl FnMut() -> Addr) -> BitSet {
        let mut levels = Vec::new();
        let mut words = len.div_ceil(32).max(1);
        loop {
            let start = cell().0;
            for _ in 1..words {
                cell();
            }
            levels.push((start, u32::try_from(words).unwrap_or(u32::MAX)));
            if words == 1 {
                break;
            }
            words = words.div_ceil(32);
        }
        BitSet { levels }
    }

    fn word(&self, level: usize, i: usize) -> usize {
        self.levels[level].0 as usize + i
    }

    pub fn contains(&self, cells: &[u32], i: usize) -> bool {
        cells[self.word(0, i / 32)] >> (i % 32) & 1 == 1
    }

    pub fn is_empty(&self, cells: &[u32]) -> bool {
        let top = self.levels.len() - 1;
        cells[self.word(top, 0)] == 0
    }

    /// Adds `i`; whether it was absent.
    pub fn insert(&self, cells: &mut [u32], mut i: usize) -> bool {
        for level in 0..self.levels.len() {
            let w = self.word(level, i / 32);
            let was = cells[w];
            cells[w] |= 1 << (i % 32);
            if level == 0 && was == cells[w] {
                return false;
            }
            if was != 0 {
                return true;
            }
            i /= 32;
        }
        true
    }

    /// Removes `i`; whether it was present.
    pub fn remove(&self, cells: &mut [u32], mut i: usize) -> bool {
        for level in 0..self.levels.len() {
            let w = self.word(level, i / 32);
            let was = cells[w];
            cells[w] &= !(1 << (i % 32));
            if level == 0 && was == cells[w] {
                return false;
            }
            if cells[w] != 0 {
                return true;
            }
            i /= 32;
        }
        true
    }

    /// The smallest member at least `from`.
    pub fn next(&self, cells: &[u32], from: usize) -> Option<usize> {
        let mut i = from;
        let mut level = 0;
        loop {
            let (_, words) = *self.levels.get(level)?;
            let w = i / 32;
            if w >= words as usize {
                return None;
            }
            let bits = cells[self.word(level, w)] & (u32::MAX << (i % 32));
            if bits != 0 {
                i = w * 32 + bits.trailing_zeros() as usize;
                break;
            }
            i = w + 1;
            level += 1;
        }
        while level > 0 {
            level -= 1;
            i = i * 32 + cells[self.word(level, i)].trailing_zeros() as usize;
        }
        Some(i)
    }

    /// The members, smallest first, each found after `f` has seen the one
    /// before (so `f` may remove members as it goes).
    pub fn for_each(&self, cells: &mut [u32], mut f: impl FnMut(&mut [u32], usize)) {
        let mut at = 0;
        while let Some(i) = self.next(cells, at) {
            f(cells, i);
            at = i + 1;
        }
    }
}

/// One file's indexes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileIndex {
    /// Pages with `dirty` set (by index into the file's pages).
    pub dirty: BitSet,
    /// Pages with `writeback` not 0.
    pub writeback: BitSet,
    /// Pages with `PG_error`.
    pub error: BitSet,
    /// Pages whose `promised` is not their `written`.
    pub unpromised: BitSet,
    /// Pages whose `cache` is not their `disk` (what an eviction drops).
    pub stale: BitSet,
    /// How many pages are dirty and under writeback at once.
    pub busy_dirty: Addr,
    /// The dirty list's neighbours of this inode: 1 + the file, or 0.
    pub older: Addr,
    pub younger: Addr,
}

/// The indexes of the whole page cache.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Index {
    pub files: Vec<FileIndex>,
    /// The dirty list's oldest and youngest inodes: 1 + the file, or 0.
    pub oldest: Addr,
    pub youngest: Addr,
    /// Pages under writeback, over all files.
    pub writeback_pages: Addr,
    /// Files with a page that has `PG_error`.
    pub error_files: BitSet,
}

/// A link cell's value for `file`.
fn link(file: usize) -> u32 {
    u32::try_from(file + 1).unwrap_or(u32::MAX)
}

fn linked(v: u32) -> Option<usize> {
    (v as usize).checked_sub(1)
}

impl Index {
    /// Puts `file` at the young end of the dirty list.
    pub fn push_dirty_inode(&self, cells: &mut [u32], file: usize) {
        let fi = &self.files[file];
        let last = cells[self.youngest.index()];
        cells[fi.older.index()] = last;
        cells[fi.younger.index()] = 0;
        match linked(last) {
            Some(l) => cells[self.files[l].younger.index()] = link(file),
            None => cells[self.oldest.index()] = link(file),
        }
        cells[self.youngest.index()] = link(file);
    }

    /// Takes `file` off the dirty list (it must be on it).
    pub fn remove_dirty_inode(&self, cells: &mut [u32], file: usize) {
        let fi = &self.files[file];
        let (older, younger) = (cells[fi.older.index()], cells[fi.younger.index()]);
        match linked(older) {
            Some(o) => cells[self.files[o].younger.index()] = younger,
            None => cells[self.oldest.index()] = younger,
        }
        match linked(younger) {
            Some(y) => cells[self.files[y].older.index()] = older,
            None => cells[self.youngest.index()] = older,
        }
        cells[fi.older.index()] = 0;
        cells[fi.younger.index()] = 0;
    }

    /// The dirty inodes, oldest first.
    pub fn dirty_inodes<'c>(&self, cells: &'c [u32]) -> impl Iterator<Item = usize> + use<'_, 'c> {
        let mut at = linked(cells[self.oldest.index()]);
        std::iter::from_fn(move || {
            let f = at?;
            at = linked(cells[self.files[f].younger.index()]);
            Some(f)
        })
    }

    /// Records a page's new `dirty` cell value.
    pub fn set_dirty(&self, cells: &mut [u32], file: usize, page: usize, busy: bool, dirty: bool) {
        let fi = &self.files[file];
        let changed = if dirty { fi.dirty.insert(cells, page) } else { fi.dirty.remove(cells, page) };
        if changed && busy {
            adjust(cells, fi.busy_dirty, dirty);
        }
    }

    /// Records a page's writeback cell going from 0 to not 0 or back.
    pub fn set_writeback(&self, cells: &mut [u32], file: usize, page: usize, dirty: bool, busy: bool) {
        let fi = &self.files[file];
        let changed = if busy { fi.writeback.insert(cells, page) } else { fi.writeback.remove(cells, page) };
        if changed {
            adjust(cells, self.writeback_pages, busy);
            if dirty {
                adjust(cells, fi.busy_dirty, busy);
            }
        }
    }

    /// Records whether a page's `cache` and `disk` now differ.
    pub fn set_stale(&self, cells: &mut [u32], file: usize, page: usize, p: PageCells) {
        let stale = &self.files[file].stale;
        if cells[p.cache.index()] != cells[p.disk.index()] {
            stale.insert(cells, page);
        } else {
            stale.remove(cells, page);
        }
    }

    /// Records a page's new `PG_error`.
    pub fn set_error(&self, cells: &mut [u32], file: usize, page: usize, error: bool) {
        let fi = &self.files[file];
        if error {
            fi.error.insert(cells, page);
            self.error_files.insert(cells, file);
        } else if fi.error.remove(cells, page) && fi.error.is_empty(cells) {
            self.error_files.remove(cells, file);
        }
    }
}

/// The index cells that the kernel cells of `cells` call for, built from
/// nothing: a state whose `cells[layout.observed..]` differ from this
/// breaks the promise that the indexes are a function of the state.
pub fn rebuilt(cells: &[u32], layout: &Layout) -> Vec<u32> {
    let index = &layout.index;
    let mut out = cells[..layout.observed].to_vec();
    out.resize(layout.len, 0);
    for (file, f) in layout.files.iter().enumerate() {
        for (i, p) in f.pages.iter().enumerate() {
            let busy = out[p.writeback.index()] != 0;
            if out[p.dirty.index()] != 0 {
                index.set_dirty(&mut out, file, i, false, true);
            }
            if busy {
                let dirty = out[p.dirty.index()] != 0;
                index.set_writeback(&mut out, file, i, dirty, true);
            }
            if out[p.error.index()] != 0 {
                index.set_error(&mut out, file, i, true);
            }
            if out[p.promised.index()] != out[p.written.index()] {
                index.files[file].unpromised.insert(&mut out, i);
            }
            index.set_stale(&mut out, file, i, *p);
        }
    }
    let mut dirty: Vec<(u32, usize)> = layout
        .files
        .iter()
        .enumerate()
        .map(|(file, f)| (out[f.dirtied.index()], file))
        .filter(|&(t, _)| t != 0)
        .collect();
    dirty.sort_unstable();
    for (_, file) in dirty {
        index.push_dirty_inode(&mut out, file);
    }
    out
}

fn adjust(cells: &mut [u32], counter: Addr, up: bool) {
    let c = &mut cells[counter.index()];
    *c = if up { c.wrapping_add(1) } else { c.wrapping_sub(1) };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(len: usize) -> (BitSet, Vec<u32>) {
        let mut next = 0;
        let s = BitSet::new(len, || {
            next += 1;
            Addr(next - 1)
        });
        (s, vec![0; next as usize])
    }

    /// The tree against a plain list of booleans, through a fixed
    /// pseudo-random walk of insertions and removals, over sizes that
    /// need one, two and three levels.
    #[test]
    fn a_bit_set_holds_what_was_put_in_and_finds_each_next_member() {
        for len in [1, 31, 32, 33, 1_000, 1_025, 40_000] {
            let (s, mut cells) = set(len);
            let mut model = vec![false; len];
            let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
            for _ in 0..4_000 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let i = (x % len as u64) as usize;
                let changed =
                    if x & (1 << 40) == 0 { s.insert(&mut cells, i) } else { s.remove(&mut cells, i) };
                assert_eq!(changed, model[i] == (x & (1 << 40) != 0), "len {len}, {i}");
                model[i] = x & (1 << 40) == 0;
                let from = ((x >> 20) % len as u64) as usize;
                assert_eq!(s.next(&cells, from), (from..len).find(|&j| model[j]), "len {len}, from {from}");
                assert_eq!(s.is_empty(&cells), !model.contains(&true));
            }
            let mut seen = Vec::new();
            s.for_each(&mut cells, |_, i| seen.push(i));
            assert_eq!(seen, (0..len).filter(|&j| model[j]).collect::<Vec<_>>());
        }
    }

    #[test]
    fn equal_sets_are_equal_cells() {
        let (s, mut a) = set(5_000);
        let (_, mut b) = set(5_000);
        for i in [7, 4_000, 1_234, 33] {
            s.insert(&mut a, i);
        }
        s.remove(&mut a, 1_234);
        for i in [33, 4_000, 7] {
            s.insert(&mut b, i);
        }
        assert_eq!(a, b);
    }
}
