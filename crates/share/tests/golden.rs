//! Links made by each format version decode to the same text forever.
//!
//! `golden/v1.txt`, `golden/v2.txt` and `golden/v3.txt` hold links made
//! once and the canonical text each must decode to. The files are data:
//! these tests read them and never rewrite them. (`write_the_golden_file`,
//! ignored, made `v3.txt`; run it again only to add entries while version
//! 3 is the newest, and check the diff keeps every old entry unchanged.
//! `v1.txt` and `v2.txt` were made the same way while their version was
//! the newest; they are frozen. `v1.txt` holds the unchecked `text=`
//! links written then, `v3.txt` checked `scenario=` text links.)
//!
//! A file is a list of entries. An entry is a line `=== link FRAGMENT`,
//! an optional line `=== replay STRING`, then the canonical text, line by
//! line, then one blank line.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::fmt::Write;
use std::path::PathBuf;

use errseq_scenario::parse_unchecked;
use errseq_share::{decode, encode, text_fragment};

fn golden_path(version: u32) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/v{version}.txt"))
}

struct Entry {
    fragment: String,
    replay: Option<String>,
    text: String,
}

fn entries(file: &str) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for line in file.lines() {
        if let Some(fragment) = line.strip_prefix("=== link ") {
            out.push(Entry { fragment: fragment.to_owned(), replay: None, text: String::new() });
        } else if let Some(replay) = line.strip_prefix("=== replay ") {
            let e = out.last_mut().expect("`=== replay` after `=== link`");
            e.replay = Some(replay.to_owned());
        } else if let Some(e) = out.last_mut() {
            e.text.push_str(line);
            e.text.push('\n');
        }
    }
    for e in &mut out {
        // The blank line that ends the entry.
        assert!(e.text.ends_with('\n'), "entry {} has no blank line after it", e.fragment);
        e.text.pop();
    }
    out
}

/// Checks every entry of `golden/v{version}.txt`; `encoder` must still
/// write each binary link of that version exactly (version 1's and 2's
/// are kept, hidden, for this), and [`text_fragment`] each checked text
/// link. Returns how many binary links the file has.
fn check_file(version: u32, encoder: fn(&errseq_scenario::Scenario, Option<&str>) -> String) -> usize {
    let file = std::fs::read_to_string(golden_path(version)).expect("tests/golden/vN.txt");
    let entries = entries(&file);
    assert!(entries.len() >= 40, "{} entries", entries.len());
    let mut binary = 0;
    for e in &entries {
        let shared = decode(&e.fragment).unwrap_or_else(|err| panic!("{}: {err}", e.fragment));
        assert_eq!(shared.scenario.to_string(), e.text, "link {}", e.fragment);
        assert_eq!(shared.replay, e.replay, "link {}", e.fragment);
        if e.fragment.starts_with(char::from_digit(version, 10).expect("digit")) {
            binary += 1;
            let (s, _) = parse_unchecked(&e.text).expect("stored text parses");
            assert_eq!(encoder(&s, e.replay.as_deref()), e.fragment, "the encoder changed for\n{}", e.text);
        }
        if e.fragment.starts_with("scenario=") {
            assert_eq!(text_fragment(&e.text, e.replay.as_deref()), e.fragment, "text links changed");
        }
    }
    binary
}

#[test]
fn version_1_links_decode_to_their_stored_text_forever() {
    assert!(check_file(1, errseq_share::encode_version_1) >= 30);
}

#[test]
fn version_2_links_decode_to_their_stored_text_forever() {
    assert!(check_file(2, errseq_share::encode_version_2) >= 30);
}

#[test]
fn version_3_links_decode_to_their_stored_text_forever() {
    // While version 3 is the one written, the encoder must not drift.
    assert!(check_file(3, encode) >= 60);
}

/// Scenarios that use every part of the language, beyond the examples.
const CRAFTED: [&str; 22] = [
    "",
    "sync\n",
    "open a f\nfsync a => EIO\n",
    "title: every call, every kind of expectation — and ünïcödé ✓\nschemes: linux-4.12 rfc-v1 rfc-v2 linux-4.13 linux-4.17 linux-5.8 linux rfc-v2-skip-unchanged rfc-v2-report-once\nfs: xfs\n\nopen data_file_2 f\ndup fd9 data_file_2\nwrite fd9 4294967295\nwrite data_file_2 3\nfail f EHWPOISON\nheal f\nwriteback f\nerror f EOPNOTSUPP\nfsync data_file_2 => 0\nfdatasync fd9 => EIO linux-4.12=0 rfc-v1={0, EIO}\nsync_file_range fd9 => linux=ENOSPC rfc-v2=EDQUOT\nsyncfs fd9 => {0, EIO, ENOSPC, EDQUOT, EROFS, EFBIG}\nsync => 0\nflush f => EIO\nclose fd9 => 0\nclose data_file_2\nevict f\n",
    "# a comment above the headers\n#\ntitle: comments everywhere # and after the title\n# among the headers\nfs: nfs\n\n# a comment line\n\nopen a f  # after a call\nwrite a  #\n# two blank lines below count as one\n\npar  # on the par line\n  # inside the block\n  fsync a as first => {0, EIO}  # a task's comment\n\n  error f EIO\nend\nnever first = EIO for linux  # on a claim\n# the end\n",
    "fs: btrfs\nopen a f\nopen b f\npar\n  fsync a as a1\n  error f EIO\n  fsync b as b1\n  error f ENOSPC\nend\nfsync a as a2\nexists a1 = 0, a2 = {EIO, ENOSPC}, fsync b = EIO for linux-4.13 linux-5.8\nnever a1 = EIO, b1 = EIO\nexists close a = 0\n",
    "fs: ext4\nopen a f\nclose a => 0\n",
    "schemes: linux\nopen x y\nfsync x => 0 linux=0\n",
    "title: =>  # not a comment? it is: titles stop at #\nopen a f\n",
    "open a f\nopen b g\nopen c h\nopen d i\nopen e j\nopen k l\nopen m n\nopen o p\nopen q r\nfsync q => 0\n",
    "title: percent % plus + ampersand & equals = hash in a comment\n# 100% sure: a+b=c & d#e\nopen a f\n",
    "open a f\n  \n\n\nfsync a\n",
    "title: a title only\n",
    "# only a comment\n",
    // sync_file_range's flags (entry kind 5, and code 15 in a claim's call).
    "title: sync_file_range with flags\n\nopen a f\nopen b f\nwrite a\nsync_file_range a WRITE\nfail f EIO\npar\n  sync_file_range a WAIT_BEFORE as wb\n  error f EIO\n  sync_file_range b WAIT_BEFORE WAIT_AFTER => {0, EIO}\nend\nsync_file_range a WRITE WAIT_AFTER => EIO linux-4.12=0  # note\nsync_file_range b WAIT_AFTER\nsync_file_range a => EIO\nnever wb = EIO, sync_file_range b WAIT_AFTER = 0 for linux\nexists sync_file_range a WRITE WAIT_AFTER = EIO\n",
    // Version 3's additions: every open flag that has a text, writes with
    // and without RWF flags and results, pages, mmap_write and msync, in
    // calls, blocks, labels and claims.
    "title: version 3's forms\nfs: nfs\n\nopen a f O_RDONLY\nopen b f O_SYNC\nopen c f O_DSYNC\nopen d g O_DIRECT\nopen e g O_RDONLY O_DIRECT\nopen h g O_SYNC O_DIRECT\nopen i g O_DSYNC O_DIRECT\nopen j g\nwrite b => 0\nwrite c 7 => EIO linux-4.12={0, EIO}  # sync\nwrite d 4294967295 => ENOSPC\nwrite j 3 RWF_SYNC as rs => 0\nwrite j RWF_DSYNC\nwrite j 9\nmmap_write j\nmmap_write j 4294967295  # last page\nmsync j => EIO\nmsync a\nfail f EIO 0\nfail g ENOSPC 2..4294967295\nfail f EDQUOT\nheal f 1..1\nheal g 0..3\nheal g\nclose a => 0\n",
    "open a f O_SYNC\nopen b f\nwrite b\npar\n  write a 1 as w  # a synchronous write\n  msync b as m\n  mmap_write b 2\n  fail f EIO 1..2\nend\nnever w = 0, m = 0\nexists write a 1 = EIO, msync b = {0, EIO} for linux-4.13 linux\nexists write b RWF_DSYNC = 0\nwrite b RWF_DSYNC\n",
    // Labels spelled like the new calls.
    "open a f\nfsync a as msync\nsync_file_range a WRITE as mmap_write\nnever msync = EIO, mmap_write = 0\n",
    // Failing pages far apart, and a heal of one of them.
    "open a f O_DIRECT\nopen b g\nwrite b 100\nwrite b 4000000000\nfail g EIO 4000000000\nfsync b => EIO\nheal g 4000000000\nwrite a 5 => 0\n",
    // Reads and page versions, in expectations, sets, overrides and claims.
    "fs: btrfs\n\nopen a f\nopen d f O_DIRECT\nwrite a 3\nfail f EIO 3\nwriteback f\nread a 3 as r => v0 linux-5.8=v1\nread d 3 => {EIO, v0, v1048576}\nread a\npar\n  read a 3 as s\n  fsync a\nend\nexists r = v0, s = {v0, v1} for linux-4.12\nnever read d 3 = v1\n",
    // Results whose errno number is one below a power of two (their code
    // in version 3 is the next power of two), and the last errno.
    "open a f\nfsync a => {ENOENT, ENXIO, EFAULT, EROFS, ETIME, ENOKEY, EHWPOISON}\nclose a => EPERM linux=EROFS\n",
    // The ten events of version 3's forms measured in BENCHMARKS.md.
    "open a f O_SYNC\nopen b f O_RDONLY\nwrite a => EIO\nfail f EIO 1..2\nmmap_write a 1\nmsync a => EIO\nwrite a 2 RWF_DSYNC => 0\nheal f 1\nmsync b => 0\nclose a => 0\n",
];

/// The replay strings carried by the crafted entries, by index.
fn crafted_replay(i: usize) -> Option<&'static str> {
    match i {
        2 => Some("1f.UNUH"),
        5 => Some("1d.Ag.B"),
        10 => Some("any text, as given ✓"),
        16 => Some("2fAFV_gAAH"),
        _ => None,
    }
}

#[test]
#[ignore = "writes tests/golden/v3.txt; run by hand, only to add entries while version 3 is the newest"]
fn write_the_golden_file() {
    let mut out = String::from(
        "# Share links of format version 3 and checked text links, and the canonical\n\
         # text each decodes to. Checked by tests/golden.rs; made once, never\n\
         # rewritten: add, never change.\n\n",
    );
    let mut add = |fragment: &str, replay: Option<&str>, text: &str| {
        let _ = writeln!(out, "=== link {fragment}");
        if let Some(r) = replay {
            let _ = writeln!(out, "=== replay {r}");
        }
        out.push_str(text);
        out.push('\n');
    };
    for path in common::example_files() {
        let text = std::fs::read_to_string(&path).expect("read");
        let (s, _) = parse_unchecked(&text).expect("example parses");
        add(&encode(&s, None), None, &s.to_string());
    }
    for (i, text) in CRAFTED.iter().enumerate() {
        let (s, _) = parse_unchecked(text).expect("crafted scenario parses");
        let replay = crafted_replay(i);
        add(&encode(&s, replay), replay, &s.to_string());
    }
    // Checked text links (unchecked `text=` links are in v1.txt).
    for (i, text) in CRAFTED.iter().enumerate() {
        let (s, _) = parse_unchecked(text).expect("crafted scenario parses");
        let replay = crafted_replay(i);
        add(&text_fragment(&s.to_string(), replay), replay, &s.to_string());
    }
    std::fs::create_dir_all(golden_path(3).parent().expect("dir")).expect("mkdir");
    std::fs::write(golden_path(3), out).expect("write the golden file");
}
