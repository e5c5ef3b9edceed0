//! Nothing a scenario says is lost in a link: decoding a link prints the
//! same canonical text as the scenario it was made from, for generated
//! scenarios and for every example; and links are short.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use errseq_scenario::{parse, parse_unchecked, Claim, Item, Par, Scenario, Stmt};
use errseq_share::{decode, encode, fragment_of, link, text_fragment, Shared};
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
        // Forms the binary formats have no code for (pages of `fail`) go
        // as `text=`.
        let binary = !fragment.starts_with("text=");
        prop_assert!(!binary || fragment.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
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
        // The same scenario with only the binary formats' forms keeps the
        // binary form.
        let v1 = v1_only(s);
        let binary = encode(&v1, None);
        prop_assert!(binary.starts_with('2'), "{}", binary);
        prop_assert_eq!(decode(&binary).map_err(|e| TestCaseError::fail(e.to_string()))?.scenario, v1);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn a_text_link_decodes_to_the_same_canonical_text(s in common::scenario(), replay in common::replay()) {
        let fragment = text_fragment(&s.to_string(), replay.as_deref());
        prop_assert!(last_char_is_safe(&fragment), "{}", fragment);
        let back = decode(&fragment).map_err(|e| TestCaseError::fail(format!("{e}\n{fragment}")))?;
        prop_assert_eq!(back.scenario.to_string(), s.to_string());
        prop_assert_eq!(back.replay, replay.filter(|r| !r.is_empty()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn a_link_broken_over_lines_still_decodes(s in common::scenario(), cut in 1usize..60) {
        let s = v1_only(s);
        let fragment = encode(&s, None);
        prop_assert!(!fragment.starts_with("text="), "the binary form: {}", fragment);
        let mut wrapped = String::new();
        for (i, c) in fragment.chars().enumerate() {
            if i > 0 && i % cut == 0 {
                wrapped.push_str("\n  ");
            }
            wrapped.push(c);
        }
        let back = decode(&wrapped).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back.scenario, s);
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
    println!("{:<44} {:>6} {:>6} {:>6}", "example", "text", "link", "bare");
    let (mut text_total, mut link_total, mut bare_total) = (0, 0, 0);
    for path in &files {
        let text = std::fs::read_to_string(path).expect("read");
        let s = shared(&text);
        let canonical = s.to_string();
        let fragment = encode(&s, None);
        assert!(last_char_is_safe(&fragment), "{}: {fragment}", path.display());
        let back = decode(&fragment).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(back, Shared { scenario: s.clone(), replay: None }, "{}", path.display());
        assert_eq!(back.scenario.to_string(), canonical, "{}", path.display());
        let with_replay = decode(&encode(&s, Some("1f.UNUH"))).expect("decodes");
        assert_eq!(with_replay.replay.as_deref(), Some("1f.UNUH"));
        let by_text = decode(&text_fragment(&text, None)).expect("a text link decodes");
        assert_eq!(by_text.scenario.to_string(), canonical, "{}", path.display());
        let bare = encode(&bare(&s), None).len();
        println!(
            "{:<44} {:>6} {:>6} {bare:>6}",
            common::short_name(path),
            canonical.chars().count(),
            fragment.len()
        );
        text_total += canonical.chars().count();
        link_total += fragment.len();
        bare_total += bare;
    }
    println!("{:<44} {text_total:>6} {link_total:>6} {bare_total:>6}", "all");
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
    let fragment = encode(&s, None);
    assert_eq!(fragment, "2A4JWChRoAYW");
}

// ---------------------------------------------------------------- sync_file_range's flags

/// `open a f` then one more entry: the bits before and after it.
fn two_entries(second: &str) -> String {
    // No headers; names `a`, `f`; two entries; `open a f`, nothing more.
    common::link_of_bits_v2(&format!("00000 011 1 00000 1 00101 011 0000 0 1 0 {second}"))
}

#[test]
fn the_bare_call_encodes_as_before_flags_came() {
    // Code 10, name 0, no expectation, no more.
    assert_eq!(encode(&shared("open a f\nsync_file_range a\n"), None), two_entries("1010 0 0 0"));
    // Writing all three flags is the bare call, bit for bit.
    assert_eq!(
        encode(&shared("open a f\nsync_file_range a WAIT_AFTER WRITE WAIT_BEFORE\n"), None),
        two_entries("1010 0 0 0")
    );
}

#[test]
fn a_flagged_call_is_entry_kind_5() {
    // Code 15, kind 5, name 0, flags 100 (WAIT_BEFORE), then the trailer:
    // an expectation, no more; default `EIO`, no overrides.
    assert_eq!(
        encode(&shared("open a f\nsync_file_range a WAIT_BEFORE => EIO\n"), None),
        two_entries("1111 101 0 100 1 0 1 0 00110 1")
    );
    assert_eq!(
        encode(&shared("open a f\nsync_file_range a WRITE WAIT_AFTER\n"), None),
        two_entries("1111 101 0 011 0 0")
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
        let fragment = encode(&s, Some("1a.B"));
        assert!(fragment.starts_with('2'), "binary, not text=: {fragment}");
        let back = decode(&fragment).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(back.scenario, s, "{text}");
        assert_eq!(back.scenario.to_string(), text);
        assert_eq!(back.replay.as_deref(), Some("1a.B"));
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
    assert!(fragment.starts_with("text="), "{fragment}");
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
    assert!(encode(&s, None).starts_with("text="));
}

/// A form version 1 has no code for becomes a `text=` link that decodes
/// to the same scenario; the same scenario without it keeps its binary
/// link.
fn falls_back_to_text(text: &str, without: &str) {
    let s = shared(text);
    let fragment = encode(&s, Some("1f.U"));
    assert!(fragment.starts_with("text="), "{text}: {fragment}");
    let back = decode(&fragment).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(back.scenario, s, "{text}");
    assert_eq!(back.scenario.to_string(), s.to_string());
    assert_eq!(back.replay.as_deref(), Some("1f.U"));
    let binary = encode(&shared(without), None);
    assert!(binary.starts_with('2'), "{without}: {binary}");
}

#[test]
fn failing_pages_fall_back_to_a_text_link() {
    falls_back_to_text(
        "open a f\nwrite a 2\nfail f EIO 2\nfsync a => EIO\n",
        "open a f\nwrite a 2\nfail f EIO\nfsync a => EIO\n",
    );
    falls_back_to_text(
        "open a f\nfail f ENOSPC 1..3 # c\nheal f 2\n",
        "open a f\nfail f ENOSPC # c\nheal f\n",
    );
    falls_back_to_text("par\n  heal f 0..4294967295\nend\n", "par\n  heal f\nend\n");
}

#[test]
fn open_flags_sync_and_direct_writes_fall_back_to_a_text_link() {
    falls_back_to_text("open a f O_SYNC\nwrite a => EIO\n", "open a f\nwrite a\n");
    falls_back_to_text("open a f O_RDONLY O_DIRECT\nfsync a => 0\n", "open a f\nfsync a => 0\n");
    falls_back_to_text("open a f\nwrite a 3 RWF_DSYNC as w => 0\n", "open a f\nwrite a 3 as w\n");
    falls_back_to_text(
        "open a f O_DIRECT\nwrite a\nnever write a = EIO\n",
        "open a f\nfsync a\nnever fsync a = EIO\n",
    );
    falls_back_to_text("open a f\nwrite a RWF_SYNC\nnever write a RWF_SYNC = 0\n", "open a f\nwrite a\n");
}

#[test]
fn mmap_write_and_msync_fall_back_to_a_text_link() {
    falls_back_to_text("open a f\nmmap_write a 2\nmsync a => EIO\n", "open a f\nwrite a 2\nfsync a => EIO\n");
    falls_back_to_text(
        "open a f\npar\n  msync a\n  fsync a\nend\n",
        "open a f\npar\n  fsync a\n  fsync a\nend\n",
    );
    // A label spelled like a new call stays binary.
    let binary = encode(&shared("open a f\nfsync a as msync\nnever msync = 0\n"), None);
    assert!(binary.starts_with('2'), "{binary}");
}
