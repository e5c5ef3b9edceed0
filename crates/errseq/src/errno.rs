//! Linux errno numbers and their names.
//!
//! The scenario language names results as the C library does (`EIO`,
//! `ENOSPC`), and the errseq word stores the number in its low 12 bits, so
//! both directions are needed. The table is Linux's generic one
//! (`include/uapi/asm-generic/errno-base.h` and `errno.h`), which every
//! architecture but alpha, mips, parisc and sparc uses.

use core::fmt;

/// A positive Linux errno, 1..=4095 (MAX_ERRNO), as the kernel stores it
/// negated in a return value and positive in an errseq word.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Errno(u16);

/// The largest errno the kernel can return (`MAX_ERRNO`).
pub const MAX_ERRNO: u32 = 4095;

/// Names by number, from 1; an empty string is a number Linux leaves unused.
const NAMES: [&str; 133] = [
    "EPERM",
    "ENOENT",
    "ESRCH",
    "EINTR",
    "EIO",
    "ENXIO",
    "E2BIG",
    "ENOEXEC",
    "EBADF",
    "ECHILD",
    "EAGAIN",
    "ENOMEM",
    "EACCES",
    "EFAULT",
    "ENOTBLK",
    "EBUSY",
    "EEXIST",
    "EXDEV",
    "ENODEV",
    "ENOTDIR",
    "EISDIR",
    "EINVAL",
    "ENFILE",
    "EMFILE",
    "ENOTTY",
    "ETXTBSY",
    "EFBIG",
    "ENOSPC",
    "ESPIPE",
    "EROFS",
    "EMLINK",
    "EPIPE",
    "EDOM",
    "ERANGE",
    "EDEADLK",
    "ENAMETOOLONG",
    "ENOLCK",
    "ENOSYS",
    "ENOTEMPTY",
    "ELOOP",
    "",
    "ENOMSG",
    "EIDRM",
    "ECHRNG",
    "EL2NSYNC",
    "EL3HLT",
    "EL3RST",
    "ELNRNG",
    "EUNATCH",
    "ENOCSI",
    "EL2HLT",
    "EBADE",
    "EBADR",
    "EXFULL",
    "ENOANO",
    "EBADRQC",
    "EBADSLT",
    "",
    "EBFONT",
    "ENOSTR",
    "ENODATA",
    "ETIME",
    "ENOSR",
    "ENONET",
    "ENOPKG",
    "EREMOTE",
    "ENOLINK",
    "EADV",
    "ESRMNT",
    "ECOMM",
    "EPROTO",
    "EMULTIHOP",
    "EDOTDOT",
    "EBADMSG",
    "EOVERFLOW",
    "ENOTUNIQ",
    "EBADFD",
    "EREMCHG",
    "ELIBACC",
    "ELIBBAD",
    "ELIBSCN",
    "ELIBMAX",
    "ELIBEXEC",
    "EILSEQ",
    "ERESTART",
    "ESTRPIPE",
    "EUSERS",
    "ENOTSOCK",
    "EDESTADDRREQ",
    "EMSGSIZE",
    "EPROTOTYPE",
    "ENOPROTOOPT",
    "EPROTONOSUPPORT",
    "ESOCKTNOSUPPORT",
    "EOPNOTSUPP",
    "EPFNOSUPPORT",
    "EAFNOSUPPORT",
    "EADDRINUSE",
    "EADDRNOTAVAIL",
    "ENETDOWN",
    "ENETUNREACH",
    "ENETRESET",
    "ECONNABORTED",
    "ECONNRESET",
    "ENOBUFS",
    "EISCONN",
    "ENOTCONN",
    "ESHUTDOWN",
    "ETOOMANYREFS",
    "ETIMEDOUT",
    "ECONNREFUSED",
    "EHOSTDOWN",
    "EHOSTUNREACH",
    "EALREADY",
    "EINPROGRESS",
    "ESTALE",
    "EUCLEAN",
    "ENOTNAM",
    "ENAVAIL",
    "EISNAM",
    "EREMOTEIO",
    "EDQUOT",
    "ENOMEDIUM",
    "EMEDIUMTYPE",
    "ECANCELED",
    "ENOKEY",
    "EKEYEXPIRED",
    "EKEYREVOKED",
    "EKEYREJECTED",
    "EOWNERDEAD",
    "ENOTRECOVERABLE",
    "ERFKILL",
    "EHWPOISON",
];

/// Second names for numbers that have one; they parse, and print as the
/// first name.
const ALIASES: [(&str, u16); 3] = [("EWOULDBLOCK", 11), ("EDEADLOCK", 35), ("ENOTSUP", 95)];

impl Errno {
    pub const EIO: Errno = Errno(5);
    pub const ENOSPC: Errno = Errno(28);
    pub const EDQUOT: Errno = Errno(122);

    /// The errno with this number, if it is one Linux defines.
    pub fn new(number: u32) -> Option<Errno> {
        let index = usize::try_from(number).ok()?.checked_sub(1)?;
        match NAMES.get(index) {
            Some(name) if !name.is_empty() => Some(Errno(number as u16)),
            _ => None,
        }
    }

    /// The errno with this name (`"EIO"`), aliases included.
    pub fn from_name(name: &str) -> Option<Errno> {
        if let Some(i) = NAMES.iter().position(|n| !n.is_empty() && *n == name) {
            return Some(Errno(i as u16 + 1));
        }
        ALIASES.iter().find(|(n, _)| *n == name).map(|&(_, v)| Errno(v))
    }

    pub fn number(self) -> u32 {
        u32::from(self.0)
    }

    pub fn name(self) -> &'static str {
        NAMES[usize::from(self.0) - 1]
    }

    /// Every defined name, in numeric order (for suggestions and docs).
    pub fn names() -> impl Iterator<Item = &'static str> {
        NAMES.iter().copied().filter(|n| !n.is_empty())
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a system call returns: 0, or an errno (the kernel's `-errno`);
/// or, for read(2), which version of a page's content it read.
///
/// The algorithms of this crate only ever return 0 or an errno. A read
/// returns data, and the scenario language names data by version: `v0` is
/// what the page held before the scenario wrote it, `vN` what its N-th
/// write made (the model counts versions per page, and the live-kernel
/// oracle writes pages that say their version). Keeping the read's result
/// a `Ret` lets expectations, sets, claims and the explorer's joint
/// outcomes treat it like any other result.
///
/// Encoding (also the word a result is stored in, [`Ret::code`]): 0,
/// an errno 1..=4095, or [`Ret::VERSION`] plus the version. Errnos sort
/// before versions.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Ret(u32);

impl Ret {
    pub const OK: Ret = Ret(0);

    /// The bit that marks a version ([`Ret::version`]).
    pub const VERSION: u32 = 1 << 31;

    /// The largest version a result can name: the code must stay below
    /// `u32::MAX`, which stores stand for "no result".
    pub const MAX_VERSION: u32 = u32::MAX - Ret::VERSION - 1;

    pub const fn err(errno: Errno) -> Ret {
        Ret(errno.0 as u32)
    }

    /// A read's result: the page's content was version `v` (0: what it
    /// held before the scenario). Versions past [`Ret::MAX_VERSION`] are
    /// kept at it.
    pub const fn version(v: u32) -> Ret {
        let v = if v > Ret::MAX_VERSION { Ret::MAX_VERSION } else { v };
        Ret(Ret::VERSION | v)
    }

    /// The result a report derives from an errseq word: its errno field.
    /// Words only ever hold errnos that were valid when set, but a word
    /// typed in by hand may not; its number is kept all the same.
    pub fn from_errno_field(word: u32) -> Ret {
        Ret(word & MAX_ERRNO)
    }

    /// The result whose [`Ret::code`] is `code`: 0, an errno number (its
    /// low 12 bits), or a version.
    pub fn from_code(code: u32) -> Ret {
        if code & Ret::VERSION != 0 {
            Ret::version(code & !Ret::VERSION)
        } else {
            Ret::from_errno_field(code)
        }
    }

    pub fn errno(self) -> Option<Errno> {
        (self.0 != 0 && self.0 <= MAX_ERRNO).then_some(Errno(self.0 as u16))
    }

    /// The version a read returned, if this is a read's data.
    pub fn content(self) -> Option<u32> {
        (self.0 & Ret::VERSION != 0).then_some(self.0 & !Ret::VERSION)
    }

    pub fn is_ok(self) -> bool {
        self.0 == 0
    }

    /// 0, the positive errno number, or [`Ret::VERSION`] plus a version:
    /// never `u32::MAX`.
    pub fn code(self) -> u32 {
        self.0
    }
}

impl From<Errno> for Ret {
    fn from(e: Errno) -> Ret {
        Ret::err(e)
    }
}

impl fmt::Display for Ret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(v) = self.content() {
            return write!(f, "v{v}");
        }
        match self.0 {
            0 => f.write_str("0"),
            n => match Errno::new(n) {
                Some(e) => f.write_str(e.name()),
                None => write!(f, "errno {n}"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_agree_with_linux() {
        assert_eq!(Errno::from_name("EIO").map(Errno::number), Some(5));
        assert_eq!(Errno::from_name("ENOSPC").map(Errno::number), Some(28));
        assert_eq!(Errno::from_name("EROFS").map(Errno::number), Some(30));
        assert_eq!(Errno::from_name("EFBIG").map(Errno::number), Some(27));
        assert_eq!(Errno::from_name("EDQUOT").map(Errno::number), Some(122));
        assert_eq!(Errno::from_name("EHWPOISON").map(Errno::number), Some(133));
        assert_eq!(Errno::new(41), None, "41 is unused in Linux");
        assert_eq!(Errno::new(58), None, "58 is unused in Linux");
        assert_eq!(Errno::new(0), None);
        assert_eq!(Errno::new(134), None);
    }

    #[test]
    fn aliases_parse_and_print_as_the_first_name() {
        assert_eq!(Errno::from_name("EWOULDBLOCK").map(|e| e.name()), Some("EAGAIN"));
        assert_eq!(Errno::from_name("ENOTSUP").map(|e| e.name()), Some("EOPNOTSUPP"));
        assert_eq!(Errno::from_name("eio"), None, "errno names are upper case");
    }

    #[test]
    fn every_name_round_trips() {
        for name in Errno::names() {
            let e = Errno::from_name(name).expect("listed name parses");
            assert_eq!(Errno::new(e.number()), Some(e));
            assert_eq!(e.name(), name);
        }
        assert_eq!(Errno::names().count(), 131);
    }

    #[test]
    fn ret_displays_zero_or_name() {
        assert_eq!(Ret::OK.to_string(), "0");
        assert_eq!(Ret::err(Errno::EIO).to_string(), "EIO");
        assert_eq!(Ret::from_errno_field(0x0000_3005).to_string(), "EIO");
        assert_eq!(Ret::from_errno_field(0x0000_0fff).to_string(), "errno 4095");
        assert_eq!(Ret::version(0).to_string(), "v0");
        assert_eq!(Ret::version(12).to_string(), "v12");
    }

    #[test]
    fn versions_are_neither_ok_nor_errnos_and_survive_their_code() {
        for r in [Ret::OK, Ret::err(Errno::EIO), Ret::version(0), Ret::version(7), Ret::version(u32::MAX)] {
            assert_eq!(Ret::from_code(r.code()), r, "{r}");
            assert_ne!(r.code(), u32::MAX);
        }
        let v = Ret::version(3);
        assert!(!v.is_ok());
        assert_eq!((v.errno(), v.content()), (None, Some(3)));
        assert_eq!(Ret::err(Errno::EIO).content(), None);
        let last = Errno::new(133).expect("EHWPOISON");
        assert!(Ret::err(last) < Ret::version(0), "errnos sort before versions");
        assert_eq!(Ret::version(u32::MAX).content(), Some(Ret::MAX_VERSION));
    }
}
