//! How Linux reports writeback errors to fsync, scheme by scheme.
//!
//! A write(2) only dirties the page cache; the data reaches the disk later,
//! when writeback runs, and if that fails the only caller left to tell is
//! whoever calls fsync next. Up to 4.12 the kernel kept two bits per file
//! (AS_EIO, AS_ENOSPC) that the first checker cleared, so with two writers
//! only one heard about the failure, and an in-kernel flush could swallow
//! it before either did. In April 2017 Jeff Layton, Matthew Wilcox and
//! NeilBrown designed its replacement on the mailing list: one 32-bit word
//! per mapping holding the last errno, a SEEN bit and a counter, updated
//! with cmpxchg, and a cursor in every open file description, sampled at
//! open and advanced at fsync. It shipped as `errseq_t` in 4.13, learned
//! to report unseen errors to later openers in 4.17, and gained a
//! per-superblock word for syncfs in 5.8.
//!
//! This crate holds each of those designs ([`Scheme`]) written once, as
//! plain functions whose only access to shared state is a sequence of
//! atomic steps on a [`Memory`]: load, store, cmpxchg, fetch-or/and, lock,
//! unlock. The caller picks the driver. [`Cells`] runs a call to completion;
//! the explorer (crate `errseq-explorer`) interleaves the steps of several
//! calls; [`atomic::AtomicCells`] runs them on real atomics across threads
//! (and under loom), and the web worker on JS `Atomics`. The modules follow
//! the kernel's: [`errseq`] is `lib/errseq.c`, [`legacy`] the flags,
//! [`rfc`] the two versions of the seed, [`vfs`] the glue in `mm/filemap.c`.
//!
//! No I/O, no allocation on the hot path; `no_std` (with `alloc`), so it
//! builds for wasm32 both with std (the page) and without (the Stress
//! view's shared-memory worker, `web/stress-wasm`).

#![cfg_attr(not(test), no_std)]

extern crate alloc;

pub mod atomic;
pub mod digits;
pub mod errno;
pub mod errseq;
pub mod legacy;
pub mod memory;
pub mod rfc;
pub mod scheme;
pub mod vfs;
pub mod word;

pub use errno::{Errno, Ret, MAX_ERRNO};
pub use memory::{complete, Action, Addr, Cells, Memory, Recorder};
pub use scheme::{Scheme, SchemeKey, SchemeName, WrittenName};
pub use vfs::{File, Mapping};
pub use word::{Fields, Layout};
