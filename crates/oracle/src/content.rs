//! Page contents that say which version they are.
//!
//! Every page the oracle writes is 64 records of 64 bytes,
//! `errseq-oracle file=NNN page=PPPPP version=VVVVV`, so a page read back
//! from the cache or from the image tells which write it came from. The
//! prefix up to the file number is also the tag faultfs matches in `tag`
//! mode.

use std::fmt;

pub const PAGE: usize = 4096;
const RECORD: usize = 64;
const MAGIC: &str = "errseq-oracle file=";

/// The bytes faultfs looks for to fail a file's data in `tag` mode.
pub fn tag(file: usize) -> String {
    format!("{MAGIC}{file:03} ")
}

/// Page `page` of file `file` as version `version` writes it.
pub fn page_bytes(file: usize, page: u32, version: u32) -> Vec<u8> {
    let mut rec = format!("{}page={page:05} version={version:05}", tag(file)).into_bytes();
    rec.resize(RECORD - 1, b' ');
    rec.push(b'\n');
    rec.repeat(PAGE / RECORD)
}

/// What a page read back holds.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Version {
    /// A version the oracle wrote for this file and page.
    V(u32),
    /// All zeroes (a hole, or never written).
    Zero,
    /// Anything else (another file's page, a torn page).
    Other,
    /// The read failed with this errno.
    Unreadable(i32),
}

impl Version {
    pub fn decode(buf: &[u8], file: usize, page: u32) -> Version {
        if buf.iter().all(|&b| b == 0) {
            return Version::Zero;
        }
        let head = format!("{}page={page:05} version=", tag(file));
        let head = head.as_bytes();
        let mut version = None;
        for rec in buf.chunks(RECORD) {
            if rec.len() != RECORD || !rec.starts_with(head) {
                return Version::Other;
            }
            let v = std::str::from_utf8(&rec[head.len()..head.len() + 5])
                .ok()
                .and_then(|s| s.parse::<u32>().ok());
            match (version, v) {
                (_, None) => return Version::Other,
                (None, Some(v)) => version = Some(v),
                (Some(a), Some(b)) if a != b => return Version::Other,
                _ => {}
            }
        }
        version.map_or(Version::Other, Version::V)
    }

    /// Whether this is what the model says: model version `v`.
    pub fn is(self, v: u32) -> bool {
        self == Version::V(v)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::V(v) => write!(f, "v{v}"),
            Version::Zero => f.write_str("zero"),
            Version::Other => f.write_str("other"),
            Version::Unreadable(e) => write!(f, "{}", nix::errno::Errno::from_raw(*e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let b = page_bytes(3, 7, 12);
        assert_eq!(b.len(), PAGE);
        assert_eq!(Version::decode(&b, 3, 7), Version::V(12));
        assert_eq!(Version::decode(&b, 3, 6), Version::Other);
        assert_eq!(Version::decode(&b, 2, 7), Version::Other);
        assert_eq!(Version::decode(&[0; PAGE], 3, 7), Version::Zero);
        let mut torn = b.clone();
        torn[2048..].copy_from_slice(&page_bytes(3, 7, 13)[2048..]);
        assert_eq!(Version::decode(&torn, 3, 7), Version::Other);
        assert!(memchr::memmem::find(&b, tag(3).as_bytes()).is_some());
        assert!(memchr::memmem::find(&b, tag(30).as_bytes()).is_none());
    }
}
