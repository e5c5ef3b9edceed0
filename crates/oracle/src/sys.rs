//! The system calls the oracle makes, as functions returning the errno.
//!
//! Most come from `nix`. These have no safe wrapper there: FIEMAP (an
//! ioctl), sync_file_range(2), cachestat(2), reading a signal's
//! disposition (sigaction(2)), pwritev2(2) with flags, and the stores and
//! msync(2) through a shared mapping; they are the only unsafe code of
//! the crate.

#![allow(unsafe_code)]

use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};

use nix::errno::Errno;

/// One extent of a file, as FIEMAP reports it (bytes).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Extent {
    pub logical: u64,
    pub physical: u64,
    pub length: u64,
    pub flags: u32,
}

/// `FIEMAP_FLAG_SYNC`: write the file's dirty pages back first.
pub const FIEMAP_FLAG_SYNC: u32 = 0x1;
/// `FIEMAP_EXTENT_DELALLOC`, `_UNKNOWN`, `_ENCODED`: physical not usable.
pub const FIEMAP_EXTENT_UNKNOWN: u32 = 0x2;
pub const FIEMAP_EXTENT_DELALLOC: u32 = 0x4;
pub const FIEMAP_EXTENT_ENCODED: u32 = 0x8;

const MAX_EXTENTS: usize = 64;
/// `_IOWR('f', 11, struct fiemap)`, struct fiemap being 32 bytes.
const FS_IOC_FIEMAP: libc::c_ulong = 0xC020_660B;

#[repr(C)]
#[derive(Copy, Clone, Default)]
struct FiemapExtent {
    fe_logical: u64,
    fe_physical: u64,
    fe_length: u64,
    fe_reserved64: [u64; 2],
    fe_flags: u32,
    fe_reserved: [u32; 3],
}

#[repr(C)]
struct Fiemap {
    fm_start: u64,
    fm_length: u64,
    fm_flags: u32,
    fm_mapped_extents: u32,
    fm_extent_count: u32,
    fm_reserved: u32,
    fm_extents: [FiemapExtent; MAX_EXTENTS],
}

/// FS_IOC_FIEMAP over the whole file. With `FIEMAP_FLAG_SYNC` the kernel
/// first runs `filemap_write_and_wait` on the file's mapping, whose error
/// (the legacy AS_EIO/AS_ENOSPC test-and-clear) the ioctl returns.
pub fn fiemap(fd: BorrowedFd<'_>, flags: u32) -> Result<Vec<Extent>, Errno> {
    let mut m = Fiemap {
        fm_start: 0,
        fm_length: u64::MAX,
        fm_flags: flags,
        fm_mapped_extents: 0,
        fm_extent_count: MAX_EXTENTS as u32,
        fm_reserved: 0,
        fm_extents: [FiemapExtent::default(); MAX_EXTENTS],
    };
    // SAFETY: `m` is a properly laid out `struct fiemap` with room for
    // `fm_extent_count` extents, live for the duration of the call.
    let r = unsafe { libc::ioctl(fd.as_raw_fd(), FS_IOC_FIEMAP as _, &mut m as *mut Fiemap) };
    Errno::result(r)?;
    let n = (m.fm_mapped_extents as usize).min(MAX_EXTENTS);
    Ok(m.fm_extents[..n]
        .iter()
        .map(|e| Extent {
            logical: e.fe_logical,
            physical: e.fe_physical,
            length: e.fe_length,
            flags: e.fe_flags,
        })
        .collect())
}

/// sync_file_range(2) over the whole file.
pub fn sync_file_range(fd: BorrowedFd<'_>, flags: u32) -> Result<(), Errno> {
    // SAFETY: plain system call on a valid descriptor, no pointers.
    let r = unsafe { libc::sync_file_range(fd.as_raw_fd(), 0, 0, flags) };
    Errno::result(r).map(drop)
}

/// What cachestat(2) counts over a whole file, in pages.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct CacheStat {
    pub cached: u64,
    pub dirty: u64,
    pub writeback: u64,
}

/// `struct cachestat_range` (include/uapi/linux/mman.h).
#[repr(C)]
struct CachestatRange {
    off: u64,
    len: u64,
}

/// `struct cachestat` (include/uapi/linux/mman.h).
#[repr(C)]
#[derive(Default)]
struct Cachestat {
    nr_cache: u64,
    nr_dirty: u64,
    nr_writeback: u64,
    // Written by the kernel, not needed by the oracle.
    #[allow(dead_code)]
    nr_evicted: u64,
    #[allow(dead_code)]
    nr_recently_evicted: u64,
}

/// `__NR_cachestat`: 451 on every architecture (the syscall tables share
/// numbers from 424 on; include/uapi/asm-generic/unistd.h,
/// arch/x86/entry/syscalls/syscall_64.tbl). libc does not name it for
/// x86_64 glibc yet.
const SYS_CACHESTAT: libc::c_long = 451;

/// cachestat(2) over the whole file (Linux 6.5+; ENOSYS before, or
/// without CONFIG_CACHESTAT_SYSCALL).
///
/// It only reads: `filemap_cachestat` (mm/filemap.c) walks the mapping's
/// xarray under RCU and counts folios with the dirty and writeback flags.
/// It takes no lock a writeback needs and touches neither the mapping's
/// errseq word nor the file's cursor.
pub fn cachestat(fd: BorrowedFd<'_>) -> Result<CacheStat, Errno> {
    // len 0: from `off` to the end of the file.
    let range = CachestatRange { off: 0, len: 0 };
    let mut cs = Cachestat::default();
    let flags: libc::c_uint = 0;
    // SAFETY: `range` and `cs` are laid out as the kernel's structs and
    // live for the duration of the call; the kernel reads the one and
    // writes the other, nothing else.
    let r = unsafe {
        libc::syscall(
            SYS_CACHESTAT,
            fd.as_raw_fd(),
            &range as *const CachestatRange,
            &mut cs as *mut Cachestat,
            flags,
        )
    };
    Errno::result(r)?;
    Ok(CacheStat { cached: cs.nr_cache, dirty: cs.nr_dirty, writeback: cs.nr_writeback })
}

/// Whether `sig` is ignored (SIG_IGN), as `nohup` leaves SIGHUP and a
/// non-interactive shell leaves SIGINT for a background job. Only reads
/// the disposition: sigaction(2) with no new action.
pub fn ignored(sig: libc::c_int) -> bool {
    let mut old = std::mem::MaybeUninit::<libc::sigaction>::zeroed();
    // SAFETY: a null new action only reads; `old` is a properly sized
    // `struct sigaction` the kernel fills in, live for the call.
    let r = unsafe { libc::sigaction(sig, std::ptr::null(), old.as_mut_ptr()) };
    // SAFETY: zero-initialised, then filled in by the kernel on success;
    // read only then.
    r == 0 && unsafe { old.assume_init() }.sa_sigaction == libc::SIG_IGN
}

pub const SYNC_FILE_RANGE_WRITE: u32 = libc::SYNC_FILE_RANGE_WRITE;

pub fn fsync(fd: BorrowedFd<'_>) -> Result<(), Errno> {
    nix::unistd::fsync(fd)
}

pub fn fdatasync(fd: BorrowedFd<'_>) -> Result<(), Errno> {
    nix::unistd::fdatasync(fd)
}

pub fn syncfs(fd: BorrowedFd<'_>) -> Result<(), Errno> {
    nix::unistd::syncfs(fd)
}

pub fn sync() {
    nix::unistd::sync()
}

pub fn dup(fd: BorrowedFd<'_>) -> Result<OwnedFd, Errno> {
    nix::unistd::dup(fd)
}

/// close(2), with its result (dropping an `OwnedFd` ignores it).
pub fn close(fd: OwnedFd) -> Result<(), Errno> {
    nix::unistd::close(fd)
}

/// pwrite(2) of the whole buffer.
pub fn pwrite(fd: BorrowedFd<'_>, buf: &[u8], offset: u64) -> Result<(), Errno> {
    let n = nix::sys::uio::pwrite(fd, buf, offset as libc::off_t)?;
    if n == buf.len() {
        Ok(())
    } else {
        Err(Errno::EIO)
    }
}

/// `RWF_SYNC` and `RWF_DSYNC` (include/uapi/linux/fs.h).
pub const RWF_SYNC: i32 = libc::RWF_SYNC;
pub const RWF_DSYNC: i32 = libc::RWF_DSYNC;

/// pwritev2(2) of the whole buffer at `offset` with `flags`.
pub fn pwritev2(fd: BorrowedFd<'_>, buf: &[u8], offset: u64, flags: i32) -> Result<(), Errno> {
    let iov = libc::iovec { iov_base: buf.as_ptr() as *mut libc::c_void, iov_len: buf.len() };
    // SAFETY: one iovec over `buf`, which outlives the call; the kernel
    // only reads from it.
    let n = unsafe { libc::pwritev2(fd.as_raw_fd(), &iov, 1, offset as libc::off_t, flags) };
    match usize::try_from(n) {
        Err(_) => Err(Errno::last()),
        Ok(n) if n == buf.len() => Ok(()),
        Ok(_) => Err(Errno::EIO),
    }
}

/// A copy of some bytes at a 4096-byte aligned address, as `O_DIRECT`
/// wants its buffers (safe code: an over-allocated vector, used from its
/// first aligned byte).
pub struct Aligned {
    buf: Vec<u8>,
    start: usize,
    len: usize,
}

impl Aligned {
    pub fn new(data: &[u8]) -> Aligned {
        const ALIGN: usize = 4096;
        let mut buf = vec![0u8; data.len() + ALIGN];
        let start = buf.as_ptr().align_offset(ALIGN).min(ALIGN);
        buf[start..start + data.len()].copy_from_slice(data);
        Aligned { buf, start, len: data.len() }
    }

    pub fn bytes(&self) -> &[u8] {
        &self.buf[self.start..self.start + self.len]
    }

    pub fn bytes_mut(&mut self) -> &mut [u8] {
        &mut self.buf[self.start..self.start + self.len]
    }
}

/// A store of `data` at `offset` (page aligned) through a shared writable
/// mapping of `fd`'s file (mmap(2) `MAP_SHARED`, `PROT_READ | PROT_WRITE`),
/// then munmap(2): the write fault dirties the page (`page_mkwrite`);
/// unmapping writes nothing back.
pub fn mmap_store(fd: BorrowedFd<'_>, data: &[u8], offset: u64) -> Result<(), Errno> {
    let len = data.len();
    // SAFETY: a new mapping the kernel places; nothing else refers to it.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_SHARED,
            fd.as_raw_fd(),
            offset as libc::off_t,
        )
    };
    if p == libc::MAP_FAILED {
        return Err(Errno::last());
    }
    // SAFETY: `p` maps `len` writable bytes of the file, which the oracle
    // created at least that long (every page the scenario writes exists),
    // so the store cannot fault beyond the end of the file.
    unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), p.cast::<u8>(), len) };
    // SAFETY: unmaps exactly the mapping made above.
    if unsafe { libc::munmap(p, len) } != 0 {
        return Err(Errno::last());
    }
    Ok(())
}

/// msync(2) `MS_SYNC` over a shared mapping of all of `fd`'s file, made
/// for the call and unmapped after it. Read-only when `writable` is
/// false: mmap(2) of a description without `FMODE_WRITE` clears
/// `VM_SHARED` (`do_mmap`, mm/mmap.c), and msync then calls no fsync.
pub fn msync_file(fd: BorrowedFd<'_>, writable: bool) -> Result<(), Errno> {
    let len = usize::try_from(nix::sys::stat::fstat(fd)?.st_size).unwrap_or(0).max(1);
    let prot = if writable { libc::PROT_READ | libc::PROT_WRITE } else { libc::PROT_READ };
    // SAFETY: a new mapping the kernel places; nothing else refers to it.
    let p = unsafe { libc::mmap(std::ptr::null_mut(), len, prot, libc::MAP_SHARED, fd.as_raw_fd(), 0) };
    if p == libc::MAP_FAILED {
        return Err(Errno::last());
    }
    // SAFETY: `p` and `len` are the mapping made above.
    let r = unsafe { libc::msync(p, len, libc::MS_SYNC) };
    let err = Errno::last();
    // SAFETY: unmaps exactly the mapping made above.
    unsafe { libc::munmap(p, len) };
    if r != 0 {
        return Err(err);
    }
    Ok(())
}

/// pread(2); a short read is padded with zeroes.
pub fn pread(fd: BorrowedFd<'_>, buf: &mut [u8], offset: u64) -> Result<(), Errno> {
    let mut done = 0;
    while done < buf.len() {
        let n = nix::sys::uio::pread(fd, &mut buf[done..], (offset + done as u64) as libc::off_t)?;
        if n == 0 {
            buf[done..].fill(0);
            break;
        }
        done += n;
    }
    Ok(())
}

/// posix_fadvise(POSIX_FADV_DONTNEED) over the whole file: drops its clean
/// cached pages (dirty and mapped ones stay).
pub fn fadvise_dontneed(fd: impl AsFd) -> Result<(), Errno> {
    nix::fcntl::posix_fadvise(fd, 0, 0, nix::fcntl::PosixFadviseAdvice::POSIX_FADV_DONTNEED)
}

/// Writes `level` to /proc/sys/vm/drop_caches: 1 the page cache, 2 dentries
/// and inodes, 3 both. Only clean, unused objects go.
pub fn drop_caches(level: u8) -> std::io::Result<()> {
    std::fs::write("/proc/sys/vm/drop_caches", format!("{level}\n"))
}

#[cfg(test)]
mod tests {
    use errseq_scenario::SyncRange;

    #[test]
    fn an_ignored_signal_is_seen_as_ignored() {
        // SIGURG: ignored by default in the sense of SIG_DFL, never set to
        // SIG_IGN by the harness; set it here and put it back.
        let sig = libc::SIGURG;
        assert!(!super::ignored(sig));
        // SAFETY: SIG_IGN and SIG_DFL install no handler code.
        unsafe { libc::signal(sig, libc::SIG_IGN) };
        assert!(super::ignored(sig));
        // SAFETY: as above.
        unsafe { libc::signal(sig, libc::SIG_DFL) };
        assert!(!super::ignored(sig));
    }

    #[test]
    fn the_scenarios_sync_file_range_flags_are_the_kernels() {
        let only =
            |wait_before, write, wait_after| SyncRange { wait_before, write, wait_after }.kernel_flags();
        assert_eq!(only(true, false, false), libc::SYNC_FILE_RANGE_WAIT_BEFORE);
        assert_eq!(only(false, true, false), libc::SYNC_FILE_RANGE_WRITE);
        assert_eq!(only(false, false, true), libc::SYNC_FILE_RANGE_WAIT_AFTER);
    }
}
