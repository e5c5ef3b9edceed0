//! Nothing a scenario says is lost in a link: decoding a link prints the
//! same canonical text as the scenario it was made from, for generated
//! scenarios and for every example; and links are short.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use errseq_scenario::{parse, parse_unchecked, Claim, Item, Par, Scenario, SchemeBlock, Stmt};
use errseq_share::{
    decode, encode, encode_version_2, fragment_of, link, text_fragment, unchecked_text_fragment, Shared,
};
use proptest::prelude::*;

fn last_char_is_safe(fragment: &str) -> bool {
    fragment.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn a_link_decodes_to_the_same_canonical_text(s in common::scenario(), replay in common::replay()) {
        let fragment = encode(&s, replay.as_deref());
        prop_assert!(last_char_is_safe(&fragment), "{}", fragment);
        // Version 3 has a code for every form the text says but a
        // written scheme, which goes as a checked text link.
        if s.scheme_blocks().next().is_some() {
            prop_assert!(fragment.starts_with("scenario="), "{}", fragment);
        } else {
            prop_assert!(fragment.starts_with('3'), "{}", fragment);
            prop_assert!(fragment.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        }
        let back = decode(&fragment).map_err(|e| TestCaseError::fail(format!("{e}\n{fragment}\n{s}")))?;
        prop_assert_eq!(back.scenario.to_string(), s.to_string());
        prop_assert_eq!(&back.scenario, &s);
        prop_assert_eq!(back.replay, replay.clone().filter(|r| !r.is_empty()));
        // With the `#`, and as a whole link.
        let with_hash = decode(&format!("#{fragment}")).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&with_hash.scenario, &s);
        let whole = link("https://example.org/play/?x=1#old", &s, replay.as_deref());
        prop_assert_eq!(fragment_of(&whole), fragment.as_str());
        prop_assert_eq!(&decode(&whole).map_err(|e| TestCaseError::fail(e.to_string()))?.scenario, &s);
        // The same scenario with only version 1's forms: version 2 still
        // writes and reads it.
        let v1 = v1_only(s);
        let v2 = encode_version_2(&v1, None);
        prop_assert!(v2.starts_with('2'), "{}", v2);
        prop_assert_eq!(decode(&v2).map_err(|e| TestCaseError::fail(e.to_string()))?.scenario, v1);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn a_text_link_decodes_to_the_same_canonical_text(s in common::scenario(), replay in common::replay()) {
        let expected = replay.clone().filter(|r| !r.is_empty());
        let fragment = text_fragment(&s.to_string(), replay.as_deref());
        prop_assert!(fragment.starts_with("scenario="), "{}", fragment);
        prop_assert!(last_char_is_safe(&fragment), "{}", fragment);
        prop_assert_eq!(fragment.len() % 2, 0, "{}", fragment);
        let back = decode(&fragment).map_err(|e| TestCaseError::fail(format!("{e}\n{fragment}")))?;
        prop_assert_eq!(back.scenario.to_string(), s.to_string());
        prop_assert_eq!(&back.replay, &expected);
        // The unchecked form of before reads the same.
        let old = unchecked_text_fragment(&s.to_string(), replay.as_deref());
        let back = decode(&old).map_err(|e| TestCaseError::fail(format!("{e}\n{old}")))?;
        prop_assert_eq!(back.scenario.to_string(), s.to_string());
        prop_assert_eq!(back.replay, expected);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn a_link_broken_over_lines_still_decodes(s in common::scenario(), cut in 1usize..60) {
        for fragment in [encode(&s, None), text_fragment(&s.to_string(), None)] {
            let mut wrapped = String::new();
            for (i, c) in fragment.chars().enumerate() {
                if i > 0 && i % cut == 0 {
                    wrapped.push_str("\n  ");
                }
                wrapped.push(c);
            }
            let back = decode(&wrapped).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&back.scenario, &s);
        }
    }
}

/// The scenario with only what link format v1 has codes for: no pages
/// on fail/heal, no open or RWF flags, mmap_write as write, msync and
/// read as fsync, no expectation on a write, no page version as a result.
fn v1_only(mut s: Scenario) -> Scenario {
    use errseq::Ret;
    use errseq_scenario::{CallRef, Event, Expect, OpenFlags, Outcome};
    fn event(e: &mut Event) {
        *e = match e.clone() {
            Event::Fail { file, errno, .. } => Event::Fail { file, errno, pages: None },
            Event::Heal { file, .. } => Event::Heal { file, pages: None },
            Event::Open { fd, file, .. } => Event::Open { fd, file, flags: OpenFlags::default() },
            Event::Write { fd, page, .. } | Event::MmapWrite { fd, page } => {
                Event::Write { fd, page, rwf: None }
            }
            Event::Msync { fd } | Event::Read { fd, .. } => Event::Fsync { fd },
            other => other,
        };
    }
    fn ret(r: Ret) -> Ret {
        if r.content().is_some() {
            Ret::OK
        } else {
            r
        }
    }
    fn outcome(o: &mut Outcome) {
        *o = match o.clone() {
            Outcome::Is(r) => Outcome::Is(ret(r)),
            Outcome::AnyOf(set) => Outcome::AnyOf(set.into_iter().map(ret).collect()),
        };
    }
    fn expect(x: &mut Expect) {
        x.default.iter_mut().chain(x.overrides.iter_mut().map(|o| &mut o.1)).for_each(outcome);
    }
    fn items(list: &mut [Item]) {
        for item in list {
            match item {
                Item::Stmt(st) => {
                    event(&mut st.event);
                    if !st.event.verb().returns() {
                        st.expect = None;
                    }
                    st.expect.iter_mut().for_each(expect);
                }
                Item::Par(p) => items(&mut p.items),
                Item::Claim(c) => {
                    for cond in &mut c.conds {
                        if let CallRef::Call(e) = &mut cond.call {
                            event(e);
                        }
                        outcome(&mut cond.outcome);
                    }
                }
                Item::Note(_) | Item::Gap => {}
                // No version has a code for it: a note stands in its place.
                Item::Scheme(b) => *item = Item::Note(format!("scheme {}", b.name)),
            }
        }
    }
    items(&mut s.body);
    s
}

/// The scenario without its title and comments: its calls, claims and
/// headers that change results.
fn bare(s: &Scenario) -> Scenario {
    fn items(list: &[Item]) -> Vec<Item> {
        list.iter()
            .filter_map(|i| match i {
                Item::Stmt(st) => Some(Item::Stmt(Stmt { comment: None, ..st.clone() })),
                Item::Claim(c) => Some(Item::Claim(Claim { comment: None, ..c.clone() })),
                Item::Par(p) => Some(Item::Par(Par { items: items(&p.items), comment: None })),
                Item::Scheme(b) => Some(Item::Scheme(SchemeBlock { comment: None, ..b.clone() })),
                Item::Note(_) | Item::Gap => None,
            })
            .collect()
    }
    Scenario { title: None, head_notes: Vec::new(), body: items(&s.body), ..s.clone() }
}

fn shared(text: &str) -> Scenario {
    parse(text).expect("a valid scenario").scenario
}

#[test]
fn every_example_round_trips_and_its_fragment_length_is_printed() {
    let files = common::example_files();
    assert!(files.len() >= 30, "{} example files", files.len());
    // Lengths in characters after the `#`: the canonical text; the link
    // version 2's encoder made (a `text=` link for what it has no code
    // for); the link of version 3; the checked text link; version 3's
    // link of the scenario without title and comments.
    println!("{:<44} {:>6} {:>6} {:>6} {:>6} {:>6}", "example", "text", "v2", "v3", "text", "bare");
    let mut totals = [0usize; 5];
    for path in &files {
        let text = std::fs::read_to_string(path).expect("read");
        let s = shared(&text);
        let canonical = s.to_string();
        let fragment = encode(&s, None);
        // A written scheme has no binary code: a checked text link.
        let form = if s.scheme_blocks().next().is_some() { "scenario=" } else { "3" };
        assert!(fragment.starts_with(form), "{}: {fragment}", path.display());
        assert!(last_char_is_safe(&fragment), "{}: {fragment}", path.display());
        let back = decode(&fragment).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(back, Shared { scenario: s.clone(), replay: None }, "{}", path.display());
        assert_eq!(back.scenario.to_string(), canonical, "{}", path.display());
        let with_replay = decode(&encode(&s, Some("1f.UNUH"))).expect("decodes");
        assert_eq!(with_replay.replay.as_deref(), Some("1f.UNUH"));
        let by_text = text_fragment(&text, None);
        assert_eq!(decode(&by_text).expect("a text link decodes").scenario.to_string(), canonical);
        let by_old_text = decode(&unchecked_text_fragment(&text, None)).expect("a text= link decodes");
        assert_eq!(by_old_text.scenario.to_string(), canonical, "{}", path.display());
        let row = [
            canonical.chars().count(),
            encode_version_2(&s, None).len(),
            fragment.len(),
            by_text.len(),
            encode(&bare(&s), None).len(),
        ];
        println!(
            "{:<44} {:>6} {:>6} {:>6} {:>6} {:>6}",
            common::short_name(path),
            row[0],
            row[1],
            row[2],
            row[3],
            row[4]
        );
        for (t, r) in totals.iter_mut().zip(row) {
            *t += r;
        }
    }
    let [a, b, c, d, e] = totals;
    println!("{:<44} {a:>6} {b:>6} {c:>6} {d:>6} {e:>6}", "all");
}

/// The target of the web issue: a ten-event scenario with one-letter names
/// and no title fits in 40 characters, so a whole link fits a line of mail.
#[test]
fn a_ten_event_scenario_fits_in_40_characters() {
    let cases = [
        // The README's scenario, with a retry.
        "open a f\nopen b f\nwrite a\nfail f EIO\nfsync a => EIO\nfsync b => EIO linux-4.12=0\n\
         fsync a => 0\nheal f\nwrite b\nfsync b => 0\n",
        // Ten calls, no expectations.
        "open a f\ndup b a\nwrite a\nfail f EIO\nwriteback f\nfsync a\nfsync b\nheal f\nsyncfs a\nclose a\n",
        // A race and a claim.
        "open a f\nopen b f\nwrite a\npar\n  fsync a as x\n  error f EIO\n  fsync b as y\nend\n\
         fsync a as z\nfsync b\nclose a\nclose b\nnever x = 0, z = 0\n",
        // Every call that returns, each with an expectation.
        "schemes: linux-4.12 linux\nopen a f\nwrite a 1\nfail f ENOSPC\nfsync a => ENOSPC\n\
         fdatasync a => 0\nsync_file_range a => 0\nsyncfs a => 0 linux-4.12=0\nsync => 0\n\
         flush f => 0\nclose a => 0\n",
    ];
    for text in cases {
        let s = shared(text);
        assert_eq!(s.stmts().count(), 10, "{text}");
        let fragment = encode(&s, None);
        println!("{:>3} characters: {fragment}", fragment.len());
        assert!(fragment.len() <= 40, "{} characters for\n{text}: {fragment}", fragment.len());
        let whole = link("http://127.0.0.1:8080/", &s, None);
        assert!(whole.len() <= 72, "{whole}");
        assert_eq!(decode(&whole).expect("decodes").scenario, s);
    }
}

#[test]
fn the_crate_documentation_example_is_exact() {
    let (s, _) = parse_unchecked("open a f\nfsync a => EIO\n").expect("parses");
    // The bits spelled out in the crate documentation's example.
    let bits = "00000 011 1 00000 1 00101 011 0000 0 1 0 0 1000 0 1 0 1 0 00111 1";
    assert_eq!(encode(&s, None), common::link_of_bits_v3(bits));
    assert_eq!(encode(&s, None), "3A4JWCQo8Ack");
    assert_eq!(encode_version_2(&s, None), "2A4JWChRoAYW");
    // Its text link (check computed apart, bit by bit, when written here).
    assert_eq!(text_fragment("open a f\n", None), "scenario=open%20a%20f%0A..KS");
}

// ---------------------------------------------------------------- sync_file_range's flags

/// No headers; names `a`, `f`; two entries; `open a f` (in version 3 with
/// its modifier bit, 0); then, after the trailer's "no more" bit, the
/// bits of a second entry.
fn open_then(v3: &str) -> String {
    common::link_of_bits_v3(&format!("00000 011 1 00000 1 00101 011 0000 0 1 0 0 {v3}"))
}

/// The same in version 2, whose open has no modifier bit.
fn open_then_v2(v2: &str) -> String {
    common::link_of_bits_v2(&format!("00000 011 1 00000 1 00101 011 0000 0 1 0 {v2}"))
}

/// `text`'s links of versions 3 and 2.
fn both(text: &str) -> [String; 2] {
    let s = shared(text);
    [encode(&s, None), encode_version_2(&s, None)]
}

#[test]
fn the_bare_call_encodes_as_before_flags_came() {
    // Code 10, name 0, (version 3: the modifier bit, 0), no expectation, no more.
    let bare = [open_then("1010 0 0 0 0"), open_then_v2("1010 0 0 0")];
    assert_eq!(both("open a f\nsync_file_range a\n"), bare);
    // Writing all three flags is the bare call, bit for bit.
    assert_eq!(both("open a f\nsync_file_range a WAIT_AFTER WRITE WAIT_BEFORE\n"), bare);
}

#[test]
fn a_flagged_call_is_a_modifier_in_version_3_and_entry_kind_5_in_version_2() {
    // Version 3: code 10, name 0, modifier 1, flags 100 (WAIT_BEFORE);
    // version 2: code 15, kind 5, name 0, flags. Then the trailer: an
    // expectation, no more; default `EIO` (00111 in version 3: a result's
    // errno is its number plus one; 00110 in version 2), no overrides.
    assert_eq!(
        both("open a f\nsync_file_range a WAIT_BEFORE => EIO\n"),
        [open_then("1010 0 1 100 1 0 1 0 00111 1"), open_then_v2("1111 101 0 100 1 0 1 0 00110 1")]
    );
    assert_eq!(
        both("open a f\nsync_file_range a WRITE WAIT_AFTER\n"),
        [open_then("1010 0 1 011 0 0"), open_then_v2("1111 101 0 011 0 0")]
    );
}

#[test]
fn flags_survive_a_link_in_calls_blocks_labels_and_claims() {
    let texts = [
        "open a f\nsync_file_range a WAIT_BEFORE\n",
        "open a f\nsync_file_range a WRITE\n",
        "open a f\nsync_file_range a WAIT_AFTER\n",
        "open a f\nsync_file_range a WAIT_BEFORE WRITE => 0\n",
        "open a f\nsync_file_range a WAIT_BEFORE WAIT_AFTER => {0, EIO} linux-4.12=0  # both waits\n",
        "open a f\nsync_file_range a WRITE WAIT_AFTER as w => EIO\n",
        "open a f\nopen b f\nwrite a\npar\n  sync_file_range a WRITE as w  # start\n  error f EIO\n  \
         sync_file_range b WAIT_BEFORE\nend\nsync_file_range a\nsync_file_range b WRITE WAIT_AFTER\n\
         never w = EIO, sync_file_range b WAIT_BEFORE = 0, sync_file_range a = 0 for linux\n\
         exists sync_file_range b WRITE WAIT_AFTER = {0, EIO}\n",
    ];
    for text in texts {
        let s = shared(text);
        for fragment in [encode(&s, Some("1a.B")), encode_version_2(&s, Some("1a.B"))] {
            let back = decode(&fragment).unwrap_or_else(|e| panic!("{e}\n{text}"));
            assert_eq!(back.scenario, s, "{text}");
            assert_eq!(back.scenario.to_string(), text);
            assert_eq!(back.replay.as_deref(), Some("1a.B"));
        }
    }
}

#[test]
fn a_call_with_no_step_is_never_encoded_as_another_call() {
    use errseq_scenario::{CallRef, Claim, ClaimKind, Cond, Event, Name, Outcome, SyncRange};
    let none = SyncRange { wait_before: false, write: false, wait_after: false };
    let call = Event::SyncFileRange { fd: Name::new("a").expect("name"), flags: none };
    let mut s = shared("open a f\nsync_file_range a\n");
    let Some(Item::Stmt(st)) = s.body.get_mut(1) else { panic!("the call") };
    st.event = call.clone();
    let fragment = encode(&s, None);
    assert!(fragment.starts_with("scenario="), "{fragment}");
    let e = decode(&fragment).expect_err("no text says it");
    assert!(e.to_string().contains("always runs at least one step"), "{e}");
    // In a claim too.
    let mut s = shared("open a f\nsync_file_range a WRITE\n");
    let cond = Cond { call: CallRef::Call(call), outcome: Outcome::Is(errseq::Ret::OK) };
    s.body.push(Item::Claim(Claim {
        kind: ClaimKind::Never,
        conds: vec![cond],
        schemes: vec![],
        comment: None,
    }));
    assert!(encode(&s, None).starts_with("scenario="));
}

/// Values built as data that no text says (open flags or pages the
/// parser refuses, an expectation on a call that returns nothing) get a
/// checked text link that does not decode, never a binary one that would
/// decode to something else.
#[test]
fn forms_no_text_says_are_never_encoded_as_another_call() {
    use errseq_scenario::{Event, Expect, Name, OpenFlags, Outcome, Pages};
    let name = |n: &str| Name::new(n).expect("name");
    let mut cases = Vec::new();
    let flags = OpenFlags { rdonly: true, sync: true, ..OpenFlags::default() };
    cases.push(Event::Open { fd: name("a"), file: name("f"), flags });
    let backwards = Some(Pages { first: 3, last: 1 });
    cases.push(Event::Fail { file: name("f"), errno: errseq::Errno::EIO, pages: backwards });
    cases.push(Event::Heal { file: name("f"), pages: backwards });
    for event in cases {
        let mut s = shared("open b f\nsync\n");
        let Some(Item::Stmt(st)) = s.body.get_mut(1) else { panic!("the call") };
        st.event = event.clone();
        let fragment = encode(&s, None);
        assert!(fragment.starts_with("scenario="), "{event:?}: {fragment}");
        assert!(decode(&fragment).is_err(), "{event:?}");
    }
    let mut s = shared("open a f\n");
    let Some(Item::Stmt(st)) = s.body.get_mut(0) else { panic!("the call") };
    st.expect = Some(Expect { default: Some(Outcome::Is(errseq::Ret::OK)), overrides: vec![] });
    let fragment = encode(&s, None);
    assert!(fragment.starts_with("scenario=") && decode(&fragment).is_err(), "{fragment}");
}

// ---------------------------------------------------------------- the forms of version 3

/// A form version 2 has no code for is binary in version 3 and decodes to
/// the same scenario; version 2's encoder made an unchecked `text=` link
/// of it, which still decodes.
fn binary_in_version_3(text: &str) {
    let s = shared(text);
    let fragment = encode(&s, Some("1f.U"));
    assert!(fragment.starts_with('3'), "{text}: {fragment}");
    let back = decode(&fragment).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(back.scenario, s, "{text}");
    assert_eq!(back.scenario.to_string(), s.to_string());
    assert_eq!(back.replay.as_deref(), Some("1f.U"));
    let old = encode_version_2(&s, Some("1f.U"));
    assert!(old.starts_with("text="), "{text}: {old}");
    assert_eq!(decode(&old).unwrap_or_else(|e| panic!("{text}: {e}")), back);
}

#[test]
fn failing_pages_are_binary() {
    binary_in_version_3("open a f\nwrite a 2\nfail f EIO 2\nfsync a => EIO\n");
    binary_in_version_3("open a f\nfail f ENOSPC 1..3 # c\nheal f 2\n");
    binary_in_version_3("par\n  heal f 0..4294967295\nend\n");
    binary_in_version_3("fail f EIO 4294967295\nheal f 4294967294..4294967295\n");
}

#[test]
fn open_flags_sync_and_direct_writes_are_binary() {
    binary_in_version_3("open a f O_SYNC\nwrite a => EIO\n");
    binary_in_version_3("open a f O_RDONLY O_DIRECT\nfsync a => 0\n");
    binary_in_version_3("open a f O_DSYNC O_DIRECT\nopen b g O_RDONLY\nopen c h O_DIRECT\nwrite c 9 => 0\n");
    binary_in_version_3("open a f\nwrite a 3 RWF_DSYNC as w => 0\n");
    binary_in_version_3("open a f O_DIRECT\nwrite a\nnever write a = EIO\n");
    binary_in_version_3("open a f\nwrite a RWF_SYNC\nnever write a RWF_SYNC = 0\n");
    binary_in_version_3("open a f\nwrite a 4294967295 RWF_SYNC  # last page\n");
}

#[test]
fn reads_and_page_versions_are_binary() {
    binary_in_version_3("open a f\nwrite a\nfail f EIO\nfsync a => EIO\nread a => v1\n");
    binary_in_version_3("fs: btrfs\nopen a f O_DIRECT\nread a 7 as r => {EIO, v0, v3} linux-4.12=v0\n");
    binary_in_version_3(
        "open a f\nopen b f\nwrite a\npar\n  read b as r\n  writeback f\nend\nexists r = v1\nnever read b = {v0, ENOSPC}\n",
    );
    binary_in_version_3("open a f\nread a 4294967295 => v1048576  # the last of each\n");
}

#[test]
fn mmap_write_and_msync_are_binary() {
    binary_in_version_3("open a f\nmmap_write a 2\nmsync a => EIO\n");
    binary_in_version_3(
        "open a f\nmmap_write a\npar\n  msync a as m\n  fsync a\nend\nexists m = EIO, msync a = 0\n",
    );
    // A label spelled like a new call is a label.
    let s = shared("open a f\nfsync a as msync\nnever msync = 0\n");
    assert_eq!(decode(&encode(&s, None)).expect("decodes").scenario, s);
}

#[test]
fn each_addition_of_version_3_has_the_documented_bits() {
    let cases = [
        // open: fd, file, modifier 1, flags 0100 (O_SYNC); no expectation bit; no more.
        ("open a f\nopen a f O_SYNC\n", "0000 0 1 1 0100 0"),
        ("open a f\nopen a f O_RDONLY O_DIRECT\n", "0000 0 1 1 1001 0"),
        // write: fd, page 2 (011), modifier 1, RWF_DSYNC (10); the
        // expectation bit; no more; default `EIO` (not a set, result 6:
        // 00111), no overrides.
        ("open a f\nwrite a 2 RWF_DSYNC => EIO\n", "0011 0 011 1 10 1 0 1 0 00111 1"),
        // An expectation and no RWF flag: RWF code 00.
        ("open a f\nwrite a => 0\n", "0011 0 1 1 00 1 0 1 0 1 1"),
        // A buffered write: modifier 0, no expectation bit.
        ("open a f\nwrite a 2\n", "0011 0 011 0 0"),
        // fail: file (name 1), errno 5 (00110: an operand, not a result), modifier 1, first page 1
        // (010), one more (010); heal: first page 3 (00100), no more (1).
        ("open a f\nfail f EIO 1..2\n", "0100 1 00110 1 010 010 0"),
        ("open a f\nfail f EIO\n", "0100 1 00110 0 0"),
        ("open a f\nheal f 3\n", "0101 1 1 00100 1 0"),
        // New calls: code 15, kind 6, then u(2): 0 mmap_write (fd, page
        // 0; no expectation bit), 1 msync (fd; the expectation bit).
        ("open a f\nmmap_write a\n", "1111 110 00 0 1 0"),
        ("open a f\nmsync a\n", "1111 110 01 0 0 0"),
        // 2 read: fd, page 2 (011); the expectation bit; no more; default
        // not a set, result code 1 (010: a version) then 1 (010: `v1`); no overrides.
        ("open a f\nread a 2 => v1\n", "1111 110 10 0 011 1 0 1 0 010 010 1"),
        // An errno is its number plus one (EIO: 6, 00111); `0` is 0 (1).
        ("open a f\nread a => EIO\n", "1111 110 10 0 1 1 0 1 0 00111 1"),
        ("open a f\nread a => {0, v0}\n", "1111 110 10 0 1 1 0 1 1 011 1 010 1 1"),
        ("open a f\nfsync a => EIO\n", "1000 0 1 0 1 0 00111 1"),
    ];
    for (text, bits) in cases {
        let (s, _) = parse_unchecked(text).expect("parses");
        assert_eq!(encode(&s, None), open_then(bits), "{text}");
    }
}

#[test]
fn additions_read_only_in_version_3_and_each_in_one_spelling() {
    // Version 2 has no entry kind 6, and its open has no modifier bit.
    let e = decode(&open_then_v2("1111 110 01 0 0 0")).expect_err("v2");
    assert!(e.to_string().contains("entry kind 6 is not one this playground knows"), "{e}");
    let refused = |bits: &str, words: &str| {
        let e = decode(&open_then(bits)).expect_err(bits);
        assert!(e.to_string().contains(words), "{bits}: {e}");
    };
    refused("0000 0 1 1 0000 0", "none is set");
    refused("0000 0 1 1 1100 0", "an open with O_RDONLY O_SYNC has no text");
    refused("0011 0 1 1 00 0 0", "neither an RWF flag nor an expectation");
    refused("0011 0 1 1 11 0 0", "write's flag code 3");
    refused("1010 0 1 111 0 0", "all three flags");
    refused("1010 0 1 000 0 0", "no flag set");
    refused("1111 101 0 100 0 0", "version 1's spelling of sync_file_range's flags");
    refused("1111 110 11 0", "new call 3 is not one");
    // A page version past the largest a scenario names; an errno that is none.
    refused(
        &format!("1111 110 10 0 1 1 0 1 0 010 {} 1", ue(1 << 20 | 1)),
        "beyond the largest a scenario names",
    );
    refused(&format!("1111 110 10 0 1 1 0 1 0 {} 1", ue(135)), "errno number 134 is not a Linux errno");
    // heal f 4294967295..4294967296, and a page past the last.
    refused(&format!("0101 1 1 {} 010 0", ue(u64::from(u32::MAX))), "go beyond the largest page number");
    refused(&format!("1111 110 00 0 {} 0", ue(1 << 32)), "beyond the largest page number");
    // A claim's write with modifier 1 and no RWF flag: code 3 says it.
    // (open a f, then `exists`, one condition: a call, write a, modifier 1, RWF 00.)
    refused("1111 100 010 1 0011 0 1 1 00 0 1 1 0", "a claim's write says it returns, with no RWF flag");
}

/// `v` in Exp-Golomb bits.
fn ue(v: u64) -> String {
    let x = v + 1;
    let k = 63 - x.leading_zeros();
    format!("{}{x:b}", "0".repeat(k as usize))
}

/// The target of issue 10 for version 3's forms too: ten events of the
/// new forms with one-letter names fit in 40 characters.
#[test]
fn ten_events_of_the_new_forms_fit_in_40_characters() {
    let text = "open a f O_SYNC\nopen b f O_RDONLY\nwrite a => EIO\nfail f EIO 1..2\nmmap_write a 1\n\
                msync a => EIO\nwrite a 2 RWF_DSYNC => 0\nheal f 1\nmsync b => 0\nclose a => 0\n";
    let s = shared(text);
    assert_eq!(s.stmts().count(), 10);
    let fragment = encode(&s, None);
    println!("{:>3} characters: {fragment}", fragment.len());
    assert!(fragment.len() <= 40, "{} characters: {fragment}", fragment.len());
    assert_eq!(decode(&fragment).expect("decodes").scenario, s);
}
