//! Share links: a scenario (and optionally one interleaving) in the
//! fragment of a URL.
//!
//! ```text
//! http://127.0.0.1:8080/#3ASCWEWAgSGRExBRsVGQMFaodIqwZn
//! http://127.0.0.1:8080/#scenario=open%20a%20f%0Afsnc%20a%0A.1Y
//! ```
//!
//! [`encode`] writes the binary form, version 3: a version character,
//! then the scenario in a compact encoding made for this language (names
//! in a table, calls as 4-bit codes, numbers in Exp-Golomb codes, errnos
//! by number, schemes by a stable code), in base64url, then two check
//! characters. Every call the language has is in it (open's flags,
//! synchronous and direct writes with their results, `mmap_write`,
//! `msync`, `read` and its page versions, failing pages,
//! sync_file_range's steps). A ten-call scenario
//! with one-letter names fits in about 30 characters, so a whole link
//! fits one line of mail. The last character is always a letter or a
//! digit: chat and mail programs that turn URLs into links leave a
//! trailing `_`, `-`, `=` or `.` out.
//!
//! [`text_fragment`] writes the text form, for a text that does not parse
//! yet (the page keeps what is being typed in its address): `scenario=`,
//! the percent-encoded text, and two check characters (section
//! [Text links](crate#text-links)).
//!
//! No single edit goes through either: a link with one character changed,
//! added, lost, or two neighbours swapped, anywhere, does not decode
//! (sections [Version 2](crate#version-2) and [Text links](crate#text-links)
//! say why; `tests/edits.rs` tries every such edit of every example's link
//! in both forms). Damage beyond one edit passes the check about once in
//! 2,048 times, and then decodes only if what it makes still reads as a
//! scenario.
//!
//! [`decode`] reads both, every earlier version, and `text=` followed by
//! the percent-encoded scenario text with no check (links made before the
//! text form had a check, and links typed by hand). Every link ever made
//! keeps decoding: each format version has its own module
//! ([`v1`](crate#version-1), [`v2`](crate#version-2),
//! [`v3`](crate#version-3)), which a later version leaves as it reads.
//!
//! Everything a scenario can say survives a link: headers, comments
//! (above the headers, on their own lines, after a call, on a `par`
//! line), blank lines, labels, expectations with sets and per-scheme
//! overrides, claims, every operand and flag (in calls and in claims).
//! `decode(&encode(s, r))` prints exactly as `s` does.
//! What [`decode`] returns is always what its canonical text says: the
//! decoded scenario is printed and parsed again (without the fd-table
//! checks, so a scenario that is still being written can be shared).
//!
//! # Limits
//!
//! Decoding never panics, takes time linear in the link's length, and
//! refuses links beyond fixed limits before allocating for them: 200,000
//! characters; in the binary form 4,096 names of at most 256 characters,
//! 10,000 lines (entries of the body and of par blocks, and comments
//! among the headers), 64 KiB of text in all (title, comments, replay
//! string), 1,000 conditions in a claim, and a scenario that prints to at
//! most 1 MiB; in the text forms 64 KiB of scenario text.
//!
//! The limits on names, lines and text hold for the scenario a text link
//! carries too, so that they are one rule about scenarios: [`try_encode`]
//! (and `errseq url`, and the page) refuses to make a link of a scenario
//! past them, with the limit in words, and makes nothing [`decode`] then
//! refuses (it decodes what it made before giving it out);
//! [`try_text_fragment`] does the same for a text that may not parse.
//! [`encode`] makes a link anyway, which [`decode`] refuses.
//!
//! # Version 3
//!
//! ```text
//! fragment = "3" PAYLOAD [PAD] CHECK CHECK
//! ```
//!
//! The characters are version 2's (below), with `3` for the version: the
//! same padding to an even count, the same CRC-11 over every character,
//! version included, the same reasons why no single edit goes through.
//! PAYLOAD is version 1's bit string with these additions, which a link
//! of version 1 or 2 never holds (its decoder reads what it always read):
//!
//! - **Modifiers.** A call whose text gained optional words after version
//!   1's operands has one more bit after them: 0 when none is written, 1
//!   followed by them:
//!   - `open FD FILE [FLAG...]`: `u(4)` flags, bit 3 `O_RDONLY`, 2
//!     `O_SYNC`, 1 `O_DSYNC`, 0 `O_DIRECT` (the canonical order, left to
//!     right). Flags 0 and the sets the text refuses do not decode.
//!   - `write FD [PAGE] [RWF_SYNC|RWF_DSYNC]`: set when the write has an
//!     RWF flag or (in a statement) an expectation, that is when it
//!     returns a result; then `u(2)`: 0 no flag, 1 `RWF_SYNC`, 2
//!     `RWF_DSYNC` (3 does not decode), and the call's trailer starts with
//!     the expectation bit, as for the calls that always return. Set with
//!     code 0 and no expectation (or in a claim) does not decode.
//!   - `fail FILE ERRNO [PAGES]`, `heal FILE [PAGES]`: `ue` first page,
//!     `ue` how many pages more (`N` is `N..N`). Unset: every page.
//!   - `sync_file_range FD [FLAG...]`: `u(3)` steps as in kind 5 below
//!     (1 to 6). Unset: all three steps. Entry kind 5 is not read in
//!     version 3.
//! - **Entry kind 6: calls added after version 1** (after code 15, `u(3)`
//!   6), `u(2)`:
//!   - 0 `mmap_write FD [PAGE]`: `name`, `ue` page.
//!   - 1 `msync FD`: `name`; its trailer starts with the expectation bit.
//!   - 2 `read FD [PAGE]`: `name`, `ue` page; its trailer starts with the
//!     expectation bit.
//!   - 3 kept for calls to come (a `ue` code will follow). Not read today:
//!     a playground of today refuses such a link rather than misread it.
//!
//!   In a claim's condition: code 15, kind 6, the same, nothing more.
//! - **Results** (`ret`, in expectations, sets and claims): `ue` c, where
//!   0 is `0`, 1 is a read's page version, `vN`, with `ue` N after it (N
//!   at most 1,048,576, the largest the text names), and c ≥ 2 is the
//!   errno numbered c − 1 (so EIO, ENOSPC and EDQUOT take as many bits as
//!   in version 1).
//!
//! Each scenario has one link: a modifier set with nothing to say, or
//! kind 5 in version 3, does not decode.
//!
//! Example: `open a f` / `fsync a => EIO` is version 1's bits with open's
//! modifier bit (0) after its operands, and EIO as result 6:
//! `00000 011 1 00000 1 00101 011` `0000 0 1 0 0` `1000 0 1 0 1 0 00111 1`,
//! 47 bits: `3`, `A4JWCQo8`, `A` (to make the count even), the check
//! `ck`: `3A4JWCQo8Ack`.
//!
//! # Text links
//!
//! ```text
//! fragment = "scenario=" TEXT ["&replay=" REPLAY] "." ["."] CHECK CHECK
//! ```
//!
//! - TEXT is the scenario text, REPLAY a replay string, each with every
//!   byte but ASCII letters, digits and `-._~` written `%XX` (two
//!   hexadecimal digits), and their last byte too unless it is a letter
//!   or a digit. The empty text is written as one newline (`%0A`). On
//!   reading, `+` is a space and `%XX` may be in either case, as in
//!   `text=` links.
//! - One `.`, or two when one would leave the count of characters
//!   (`scenario=` included) odd: the count is even. TEXT and REPLAY never
//!   end in `.`, so the decoder finds where they end.
//! - CHECK CHECK is the CRC-11 of version 2 over the bytes of every
//!   character before them (`scenario=` and the `.` included; read as a
//!   polynomial, eight bits a character, first highest: `C = M·x^11 mod
//!   G`): its top six bits as the first character (any of base64url), its
//!   low five as the second (`A`–`Z`, `a`–`f`), so the link ends in a
//!   letter. ([`check::remainder_bytes`] computes `C`.)
//! - Whitespace anywhere is skipped and not counted; any other character
//!   outside printable ASCII is refused.
//!
//! Why every single edit shows:
//!
//! - A character added or lost anywhere makes the count odd.
//! - A character changed before the check characters, or two different
//!   neighbours swapped there, changes the CRC (`G` divides no such
//!   difference of bytes: section "Text links" of [`check`]); changed in
//!   the check characters, they no longer match. A swap of the last `.`
//!   and the first check character puts a `.` where a check character
//!   belongs; a swap of the two check characters changes what they say.
//! - An edit in `scenario=` leaves a string that starts with neither
//!   `scenario=`, nor `text=` (no single edit turns one into the other),
//!   nor a version digit followed by base64url only (the `=` is not
//!   base64url): no other decoder reads it.
//!
//! A text that does not parse decodes to an error that carries the text
//! (`DecodeError::text`), for an editor to open with its mistakes shown.
//! A `#` added inside a binary link is refused as a bad character (not
//! read as the mark of a fragment), so no edit makes the rest a link of
//! its own.
//!
//! # Version 2
//!
//! ```text
//! fragment = "2" PAYLOAD [PAD] CHECK CHECK
//! ```
//!
//! - `2` is the version.
//! - PAYLOAD is version 1's bit string (below, "The bit string"),
//!   unchanged, in base64url as in version 1: six bits a character, the
//!   last one filled up with zero bits.
//! - PAD is one `A` (six zero bits) when the characters would otherwise
//!   be odd in number: a fragment of version 2 has an even number of
//!   characters. The decoder takes at most eleven zero bits after the
//!   scenario's last bit.
//! - CHECK CHECK complete a CRC-11 over the values (0–63) of all the
//!   characters, version and PAD included: read as one polynomial over
//!   GF(2), six bits a character, first character highest, the whole
//!   fragment is a multiple of `G = x^11 + x^9 + x^8 + x^7 + x^2 + 1`
//!   (FlexRay's CRC-11). The two characters are `C = M·x^12 mod G` (`M`
//!   being everything before them), in twelve bits, most significant
//!   first; when the second would be `-` or `_` (62, 63), `C + G` instead,
//!   whose last six bits are then 58 or 59. So the last character is a
//!   letter or a digit, and each payload has one fragment.
//!   ([`check`] computes it; the explorer's replay strings use it too.)
//! - Whitespace anywhere is skipped and not counted.
//!
//! Why every single edit shows:
//!
//! - A character added or lost anywhere makes the count odd.
//! - A character changed adds `e(x)·x^(6k)` to the polynomial, with `e`
//!   the XOR of the two values (nonzero, degree at most 5); two different
//!   neighbours swapped add `e(x)·(x^6 + 1)·x^(6k)`. `G` has no factor
//!   `x`, so it would have to divide `e` or `e·(x^6 + 1)`. It divides
//!   neither for any of the 63 values of `e`: degree 11 is more than 5, and
//!   the 63 divisions of the second kind are a unit test
//!   (`check::tests::no_single_edit_is_a_multiple_of_g`). The CRC covers
//!   every character, so this holds at the version, the padding and the
//!   check characters too.
//! - An edit at the start can make another version's link: the version
//!   changed to `1`, a `1` put in front, the `2` lost before or swapped
//!   with a `1`. Version 1's decoder refuses the first always (two
//!   characters are left over after the scenario), and [`decode`] refuses
//!   any version-1 link that becomes a valid link of version 2 or 3 by
//!   undoing one such edit, rather than trust version 1's single check
//!   character. Between versions 2 and 3 the CRC, which covers the
//!   version character, tells them apart. Any other first character is
//!   not a version this playground reads.
//!
//! Two check characters are the fewest a last-place check can do it
//! with: one character would have to tell apart the 64 values of another
//! with the 62 a last character may take.
//!
//! A link that fails its check is read once more without it, to say what
//! happened: it ends inside the scenario or before its check characters
//! (cut short, and where), or something in it changed (damaged).
//!
//! Example: `open a f` / `fsync a => EIO` is version 1's 45 bits
//! (below, "Example"): `2`, `A4JWChRo`, then `A` (with the version, the
//! eight characters of the bits are nine, an odd count), then the check
//! `YW`: `2A4JWChRoAYW`.
//!
//! # Version 1
//!
//! The format, bit by bit. It is frozen: links of version 1 decode the
//! same forever. Its tables (calls, schemes, profiles) may only grow.
//! Its bit string is version 2's payload, and version 3's with the
//! additions above; only its characters differ (one check character,
//! weaker: it lets about one in 62 single edits through).
//!
//! ## Characters
//!
//! ```text
//! fragment = "1" PAYLOAD CHECK
//! ```
//!
//! - `1` is the version.
//! - PAYLOAD is base64url without padding: `A`–`Z` are 0–25, `a`–`z`
//!   26–51, `0`–`9` 52–61, `-` 62, `_` 63. Each character carries six
//!   bits of the bit string below, most significant bit first; the last
//!   one is filled up with zero bits, and no character follows the one
//!   holding the last bit of the string.
//! - CHECK is one character of `A`–`Z`, `a`–`z`, `0`–`9` (values 0–61):
//!   the 32-bit FNV-1a hash (offset basis 0x811c9dc5, prime 0x01000193)
//!   of the ASCII bytes of `"1" PAYLOAD`, modulo 62. It catches damaged
//!   links, and makes the last character a letter or a digit.
//! - Whitespace anywhere is skipped (a link broken over lines by a mail
//!   program, pasted back whole, still reads).
//!
//! ## Primitives
//!
//! - `b`: one bit (1 = yes).
//! - `u(n)`: an n-bit unsigned number, most significant bit first.
//! - `ue`: an unsigned number in Exp-Golomb order 0 (as H.264's `ue(v)`):
//!   `k` zero bits, a one bit, then `k` more bits `x`; the value is
//!   `2^k - 1 + x`. So 0 is `1`, 1 is `010`, 2 is `011`, 3 to 6 are
//!   `00100` to `00111`. At most 32 zeros.
//! - `name`: an index into the name table, in `u(w)` where `w` is the
//!   number of bits of (table size − 1): no bits with one name, 1 bit
//!   with two, 2 bits with three or four, ...
//! - `text`: `ue` byte count `n`, then `n` times: `u(6)` code `c`; `c`
//!   below 63 is the character at index `c` of
//!   `` ␠abcdefghijklmnopqrstuvwxyz0123456789.,:;'"()-_`/=EOSNTIAPCLBRD ``
//!   (␠ being the space), `c` = 63 is followed by `u(8)`, one raw byte.
//!   The bytes are UTF-8.
//! - `scheme`: `u(4)`: 0 `linux-4.12`, 1 `rfc-v1`, 2 `rfc-v2`,
//!   3 `linux-4.13`, 4 `linux-4.17`, 5 `linux-5.8`, 6 `linux`,
//!   7 `rfc-v2-skip-unchanged`, 8 `rfc-v2-report-once`, 9 `linux-4.14`,
//!   10–14 for schemes to come; 15 is followed by a `text`, the scheme's
//!   id.
//! - `ret`: `ue`: 0 for `0`, else the Linux errno number (5 = EIO,
//!   28 = ENOSPC, 122 = EDQUOT).
//! - `outcome`: `b` set; not a set: `ret`; a set: `ue` count, then that
//!   many `ret`, no repeats (written in increasing order; read in any).
//!
//! ## The bit string
//!
//! ```text
//! b title  b schemes  b fs  b head-comments  b replay
//! ue N, then N names, each: ue (length − 1), u(5) first character
//!     (0–25 = a–z), u(6) each further one (index in
//!     "abcdefghijklmnopqrstuvwxyz0123456789_")
//! [title]           text
//! [schemes]         ue count, that many scheme
//! [fs]              ue: 0 ext4, 1 xfs, 2 btrfs, 3 nfs
//! [head-comments]   ue count, that many text (comment lines among the headers)
//! [replay]          text (a replay string of the explorer, such as 2fAAHgJa)
//! ENTRIES           the body
//! ```
//!
//! The name table lists every fd, file and label the scenario mentions,
//! in order of first mention; each entry is distinct.
//!
//! `ENTRIES` is `ue` count, then that many entries. An entry starts with
//! `u(4)`:
//!
//! - 0–14: a call: 0 `open`, 1 `dup`, 2 `close`, 3 `write`, 4 `fail`,
//!   5 `heal`, 6 `writeback`, 7 `error`, 8 `fsync`, 9 `fdatasync`,
//!   10 `sync_file_range` (bare: all three steps; with flags see kind 5
//!   below), 11 `syncfs`, 12 `sync`, 13 `flush`, 14 `evict`.
//!   Its operands follow in the order written: each fd or file a `name`,
//!   an errno a `ue` (its number), write's page a `ue` (0 when not
//!   written). Then, for calls that return a result (`close`, `fsync`,
//!   `fdatasync`, `sync_file_range`, `syncfs`, `sync`, `flush`), `b`
//!   expectation; then for every call `b` more, and when set, `b` label
//!   and `b` comment. Then, each if present: the label (`name`), the
//!   expectation (`b` default; the default `outcome` if set; `ue` count of
//!   per-scheme overrides, each `scheme outcome`), the comment (`text`).
//! - 15: another entry, whose kind is `u(3)`:
//!   - 0: a blank line.
//!   - 1: a comment line: `text`.
//!   - 2: `par`: `b` comment, its `text` if set, then `ENTRIES` (its
//!     lines: calls, comments, blank lines; never another `par`).
//!   - 3: `exists`, 4: `never`: `ue` count of conditions, each: `b` call;
//!     a label (`name`) when 0, a call (`u(4)` and operands as above,
//!     nothing more) when 1; then `outcome`. Then `ue` count of schemes
//!     after `for`, that many `scheme`; then `b` comment, its `text` if set.
//!     A condition's call may be a sync_file_range with flags: `u(4)` 15,
//!     `u(3)` 5, then the fd and flags as in kind 5, nothing more (any
//!     other kind after 15 there does not decode).
//!   - 5: `sync_file_range FD FLAG...`, a call with flags: `name` (the fd),
//!     `u(3)` flags (bit 2 `WAIT_BEFORE`, bit 1 `WRITE`, bit 0
//!     `WAIT_AFTER`: the kernel's order, left to right), then the rest of
//!     a call as above (`b` expectation, `b` more, label, expectation,
//!     comment). Flags 0 and 7 are never written and do not decode: no
//!     text says "no step", and all three is the bare call, code 10.
//!   - 6–7: not used.
//!
//! ## Growth
//!
//! What version 1 gained after its first links were made, each without
//! changing what an earlier link decodes to (the golden file checks it):
//!
//! - Entry kind 5, and code 15 in a claim's call: sync_file_range's flags
//!   (scenario text: `sync_file_range FD [FLAG...]`). Before, kind 5 and a
//!   claim's code 15 did not decode; code 10 still means the bare call. A
//!   playground older than this refuses such a link (entry kind 5 or call
//!   number 15 "is not one this playground knows") rather than misread it.
//!
//! A scenario built as data with a sync_file_range of no step (or open
//! flags or pages the parser refuses, or an expectation on a call that
//! returns nothing) has no text and no binary form: [`encode`] writes its
//! printed text as a text link, which does not decode, so the problem
//! shows instead of the call turning into another. Version 2's encoder
//! wrote a `text=` link (without a check) for every form version 1 has no
//! code for; version 3 has codes for all.
//!
//! After the last entry come only the zero bits that fill the last
//! character, then CHECK.
//!
//! Comments are held as the parser keeps them: without the `#` and the
//! blanks around them.
//!
//! ## Example
//!
//! `open a f` / `fsync a => EIO` is `1` then the bits
//! `00000` (no headers, no replay) `011` (2 names) `1 00000` (`a`)
//! `1 00101` (`f`) `011` (2 entries) `0000 0 1 0` (`open`, name 0, name 1,
//! no more) `1000 0 1 0` (`fsync`, name 0, expectation, no more)
//! `1 0 00110` (default: not a set, EIO) `1` (no overrides): 45 bits, in
//! base64url `A4JWChRo`, then the check character: `1A4JWChRoq`.
//!
//! # The `text=` form
//!
//! `text=`, the scenario text percent-encoded (`%XX` is the byte XX, in
//! either case; `+` is a space; any other character stands for itself),
//! and optionally `&replay=` and a percent-encoded replay string, with no
//! check. The text is parsed as a file is, without the fd-table checks.
//! The form has no version of its own: the scenario text is versioned
//! (`docs/scenario-format.md` in the repository). Read forever, written
//! no more: links made before text links had a check (version 2's
//! encoder wrote them for what version 1 has no code for), and links
//! typed by hand or by documentation generators that compute no check.
//! Such a link that is damaged can decode to another scenario.

pub mod check;
mod error;
mod limits;
pub mod mail;
mod sealed;
mod text;
mod v1;
mod v2;
mod v3;

use errseq_scenario::{parse_unchecked, Scenario};

pub use error::{DecodeError, Kind, TooBig};
pub use text::text_fragment;
#[doc(hidden)]
pub use text::unchecked_text_fragment;

use sealed::Version;
use v1::Grammar;

/// The versions sealed by [`check`], newest first.
const SEALED: [Version; 2] = [v3::V3, v2::V2];

/// What a link carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shared {
    pub scenario: Scenario,
    /// A replay string of the explorer (such as `2fAFX9AQkM`): the link
    /// reopens that interleaving.
    pub replay: Option<String>,
}

/// Characters of a fragment this playground reads at most.
pub const MAX_FRAGMENT: usize = 200_000;

/// The fragment (without `#`) that carries `scenario` and, if given, a
/// replay string: the newest format version, 3.
/// An empty replay string counts as none.
///
/// A scenario built as data that no text can say (a sync_file_range with
/// no step, open flags or pages the parser refuses, an expectation on a
/// call that returns nothing) gets a text link of its printed text, which
/// does not decode: its meaning is never silently changed.
///
/// A scenario beyond the limits (see the crate documentation) gets a link
/// that [`decode`] refuses; [`try_encode`] says so instead.
pub fn encode(scenario: &Scenario, replay: Option<&str>) -> String {
    let replay = replay.filter(|r| !r.is_empty());
    if !v1::can_encode(scenario, Grammar::V3) {
        return text_fragment(&scenario.to_string(), replay);
    }
    v3::V3.encode(scenario, replay)
}

/// The fragment of format version 1, which links were written in before
/// version 2, or the unchecked `text=` link written then for what it had
/// no code for: for tests that such links keep decoding.
#[doc(hidden)]
pub fn encode_version_1(scenario: &Scenario, replay: Option<&str>) -> String {
    let replay = replay.filter(|r| !r.is_empty());
    if !v1::can_encode(scenario, Grammar::V1) {
        return unchecked_text_fragment(&scenario.to_string(), replay);
    }
    v1::encode(scenario, replay)
}

/// The fragment of format version 2, which links were written in before
/// version 3, or the unchecked `text=` link written then for what it had
/// no code for: for tests that such links keep decoding.
#[doc(hidden)]
pub fn encode_version_2(scenario: &Scenario, replay: Option<&str>) -> String {
    let replay = replay.filter(|r| !r.is_empty());
    if !v1::can_encode(scenario, Grammar::V1) {
        return unchecked_text_fragment(&scenario.to_string(), replay);
    }
    v2::V2.encode(scenario, replay)
}

/// The fragment [`encode`] makes, when [`decode`] reads it back to the
/// same scenario: `Err` says which limit the scenario passes. What this
/// makes, [`decode`] reads, and what it refuses, [`decode`] refuses too.
pub fn try_encode(scenario: &Scenario, replay: Option<&str>) -> Result<String, TooBig> {
    let replay = replay.filter(|r| !r.is_empty());
    limits::check(scenario, replay).map_err(TooBig::new)?;
    let fragment = encode(scenario, replay);
    let chars = fragment.chars().count();
    if chars > MAX_FRAGMENT {
        return Err(TooBig::new(format!(
            "its link would have {chars} characters after the `#`; a link has at most {MAX_FRAGMENT}"
        )));
    }
    // The decoder is the judge: whatever else it refuses (such as a
    // scenario that prints to more than it reads), this refuses too.
    match decode(&fragment) {
        Ok(back) if back.scenario.to_string() == scenario.to_string() && back.replay.as_deref() == replay => {
            Ok(fragment)
        }
        Ok(_) => Err(TooBig::new(
            "its link would decode to another scenario (a scenario built as data that no text says?)".into(),
        )),
        Err(e) => Err(TooBig::new(format!("its link would not decode: {e}"))),
    }
}

/// The checked text link of `text` ([`text_fragment`]), a scenario text
/// that may not parse yet, when [`decode`] reads it back (to the
/// scenario, or to the text with its mistakes): `Err` says which limit it
/// passes. For the page, whose address keeps a text being written.
pub fn try_text_fragment(text: &str, replay: Option<&str>) -> Result<String, TooBig> {
    if text.len() > text::MAX_TEXT {
        return Err(TooBig::new(format!(
            "the scenario text has {} bytes; a text link carries at most {}",
            text.len(),
            text::MAX_TEXT
        )));
    }
    let fragment = text_fragment(text, replay);
    let chars = fragment.chars().count();
    if chars > MAX_FRAGMENT {
        return Err(TooBig::new(format!(
            "its link would have {chars} characters after the `#`; a link has at most {MAX_FRAGMENT}"
        )));
    }
    match decode(&fragment) {
        Ok(_) => Ok(fragment),
        // The text with its mistakes: what an editor opens.
        Err(e) if e.kind() == Kind::BadText && e.text().is_some() => Ok(fragment),
        Err(e) => Err(TooBig::new(format!("its link would not decode: {e}"))),
    }
}

/// `base` (whatever fragment it had dropped), `#`, and the fragment of
/// `scenario`.
pub fn link(base: &str, scenario: &Scenario, replay: Option<&str>) -> String {
    format!("{}#{}", base_of(base), encode(scenario, replay))
}

/// [`link`] with [`try_encode`]'s fragment.
pub fn try_link(base: &str, scenario: &Scenario, replay: Option<&str>) -> Result<String, TooBig> {
    Ok(format!("{}#{}", base_of(base), try_encode(scenario, replay)?))
}

fn base_of(base: &str) -> &str {
    base.split('#').next().unwrap_or(base)
}

/// The part of `link` after its first `#`, or `link` itself if it has none.
pub fn fragment_of(link: &str) -> &str {
    match link.split_once('#') {
        Some((_, fragment)) => fragment,
        None => link,
    }
}

/// Reads a fragment, with or without its `#`, or a whole link (what
/// follows its first `#`): the binary form of any version, or a text link
/// (`scenario=…` with its check, or `text=…` without).
pub fn decode(fragment: &str) -> Result<Shared, DecodeError> {
    let f = fragment.trim();
    let f = match f.strip_prefix('#') {
        Some(rest) => rest,
        None if f.starts_with(text::PREFIX) || starts_with_spaced(f, text::CHECKED) => f,
        None => whole_link_fragment(f)?,
    };
    if f.len() > MAX_FRAGMENT && f.chars().count() > MAX_FRAGMENT {
        return Err(DecodeError::new(
            Kind::TooLong,
            format!(
                "the link is longer than {MAX_FRAGMENT} characters after the `#`, \
                 more than this playground reads"
            ),
        ));
    }
    let (scenario, replay) = if starts_with_spaced(f, text::CHECKED) {
        text::decode_checked(f)?
    } else if let Some(rest) = f.strip_prefix(text::PREFIX) {
        text::decode(rest, text::PREFIX.len())?
    } else {
        decode_binary(f)?
    };
    let replay = replay.filter(|r| !r.is_empty());
    // The same limits whatever the form: a `text=` link is read up to its
    // own byte limit, then held to what a binary link may carry.
    limits::check(&scenario, replay.as_deref()).map_err(|m| {
        DecodeError::new(Kind::TooBig, format!("the link carries more than this playground reads: {m}"))
    })?;
    Ok(Shared { scenario, replay })
}

/// Reads a binary link, of the version its first character says.
fn decode_binary(f: &str) -> Result<(Scenario, Option<String>), DecodeError> {
    let first = f.chars().find(|c| !c.is_whitespace());
    let (scenario, replay) = match first {
        None => {
            return Err(DecodeError::new(
                Kind::Empty,
                "the link has nothing after its `#`: copy the whole link, up to its last character",
            ))
        }
        Some(v1::VERSION) => {
            let x = v1::decode(f.trim_start())?;
            not_a_damaged_sealed_link(f)?;
            x
        }
        Some(c) => match SEALED.iter().find(|v| v.char == c) {
            Some(version) => version.decode(f.trim_start())?,
            None => return Err(not_a_version(c)),
        },
    };
    Ok((settle(scenario)?, replay))
}

/// Why a link starting with `c` is not read.
fn not_a_version(c: char) -> DecodeError {
    if c.is_ascii_alphanumeric() {
        return DecodeError::new(
            Kind::UnknownVersion,
            format!(
                "unknown format version {c}: this playground reads versions {}, {} and {} (and text \
                 links, `{}` and `{}`); a newer playground made the link?",
                v1::VERSION,
                v2::VERSION,
                v3::VERSION,
                text::CHECKED,
                text::PREFIX
            ),
        );
    }
    let shown = if c.is_control() { format!("{c:?}") } else { format!("`{c}`") };
    DecodeError::new(
        Kind::BadCharacter { position: 1 },
        format!(
            "bad character {shown} at position 1 after the `#`: a link of this playground starts \
             with its version (`{}`), with `{}` or with `{}`",
            v3::VERSION,
            text::CHECKED,
            text::PREFIX
        ),
    )
}

/// Whether `f` starts with `prefix`, whitespace inside it skipped (a
/// checked text link wrapped by a mail program, even inside its prefix).
fn starts_with_spaced(f: &str, prefix: &str) -> bool {
    let mut chars = f.chars().filter(|c| !c.is_whitespace());
    prefix.chars().all(|p| chars.next() == Some(p))
}

/// The fragment of a whole link: what follows its first `#`. A `#`
/// after characters that could begin a binary link (a version digit,
/// then base64url only) is a character added to the link, not the mark
/// of a fragment: refused, so that the rest is not read as a link of its
/// own.
fn whole_link_fragment(f: &str) -> Result<&str, DecodeError> {
    let Some((before, after)) = f.split_once('#') else { return Ok(f) };
    let inside = before.starts_with(|c: char| c.is_ascii_digit())
        && before.chars().all(|c| c.is_whitespace() || v1::value_of(c).is_some());
    if inside {
        let position = before.chars().count() + 1;
        return Err(DecodeError::new(
            Kind::BadCharacter { position },
            format!(
                "bad character `#` at position {position}: a link of this playground holds only letters, \
                 digits, `-` and `_` after its `#` (was it changed by the program it went through?)"
            ),
        ));
    }
    Ok(after)
}

/// A version-1 link that is also a link of version 2 or 3 with one edit
/// at its start is refused: `1` put in front of such a link, its version
/// changed to `1`, lost before a `1`, or swapped with a `1` after it.
/// Version 1's single check character would let such a link through
/// once in 62 times; the later versions' check can only speak for
/// itself.
///
/// A real version-1 link is refused here only if undoing such an edit
/// gives a string that passes a later version's check and decodes (about
/// once in 2,048 for the check alone, far less with the rest): the golden
/// file of version 1 shows none of its links is.
fn not_a_damaged_sealed_link(f: &str) -> Result<(), DecodeError> {
    let s: String = f.chars().filter(|c| !c.is_whitespace()).collect();
    let rest = s.get(1..).unwrap_or("");
    for version in SEALED {
        let v = version.char;
        let mut candidates = vec![format!("{v}{rest}"), format!("{v}{s}")];
        if let Some(after) = rest.strip_prefix(v) {
            candidates.push(rest.to_owned());
            candidates.push(format!("{v}{}{after}", v1::VERSION));
        }
        if candidates.iter().any(|c| version.reads(c)) {
            return Err(DecodeError::new(
                Kind::Damaged,
                format!(
                    "the link is damaged: it reads as a link of version 1, but also as a link of version {v} \
                     with its first characters changed, added, lost or swapped, and cannot tell which was \
                     sent; copy the whole link again, exactly as it was sent"
                ),
            ));
        }
    }
    Ok(())
}

/// The scenario its canonical text says: what a link decodes to is what
/// the playground would read from its text.
fn settle(x: Scenario) -> Result<Scenario, DecodeError> {
    let text = x.to_string();
    match parse_unchecked(&text) {
        Ok((s, _)) => Ok(s),
        Err(d) => {
            let first = d.first().map_or_else(String::new, |d| d.to_string());
            Err(DecodeError::new(
                Kind::Invalid,
                format!(
                    "the link decodes to a scenario whose text does not parse (at {first}); \
                     it was not made by this playground, or it was altered"
                ),
            ))
        }
    }
}
