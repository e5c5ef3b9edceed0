//! A link that does not decode says which part is wrong, why, and what
//! to do.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use errseq::Ret;
use errseq_scenario::{parse, CallRef, Claim, ClaimKind, Cond, Item, Name, Outcome, Scenario};
use errseq_share::{decode, encode, fragment_of, link, text_fragment, DecodeError, Kind};

const TEN: &str = "open a f\nopen b f\nwrite a\nfail f EIO\nfsync a => EIO\nfsync b => EIO linux-4.12=0\n\
                   fsync a => 0\nheal f\nwrite b\nfsync b => 0\n";

fn fragment(text: &str) -> String {
    encode(&parse(text).expect("valid").scenario, None)
}

fn err(fragment: &str) -> DecodeError {
    match decode(fragment) {
        Ok(s) => panic!("{fragment} decoded to\n{}", s.scenario),
        Err(e) => e,
    }
}

#[test]
fn a_link_cut_short_says_where_it_ends() {
    let f = fragment(TEN);
    for keep in 1..f.len() {
        let e = err(&f[..keep]);
        assert_eq!(e.kind(), Kind::CutShort, "{keep}: {e}");
        assert!(e.to_string().starts_with("the link is cut short"), "{e}");
    }
    let e = err(&f[..f.len() - 6]);
    assert!(e.to_string().contains("of 10 of the scenario"), "{e}");
    assert!(e.to_string().contains("mail program"), "{e}");
}

#[test]
fn a_cut_inside_a_par_block_names_the_block() {
    let text = "open a f\npar\n  fsync a\n  error f EIO\n  fsync a\nend\nfsync a\n";
    let f = fragment(text);
    let msgs: Vec<String> = (2..f.len()).map(|k| err(&f[..k]).to_string()).collect();
    assert!(
        msgs.iter().any(|m| m.contains("of 3 of the par block at entry 2 of 3 of the scenario")),
        "{msgs:#?}"
    );
}

#[test]
fn an_unknown_version_is_named() {
    let e = err("9AAAA");
    assert_eq!(e.kind(), Kind::UnknownVersion);
    assert!(
        e.to_string().starts_with("unknown format version 9: this playground reads versions 1, 2 and 3"),
        "{e}"
    );
}

#[test]
fn a_bad_character_is_shown_with_its_position() {
    let mut f = fragment(TEN);
    f.replace_range(11..12, "*");
    let e = err(&f);
    assert_eq!(e.kind(), Kind::BadCharacter { position: 12 });
    assert!(e.to_string().starts_with("bad character `*` at position 12"), "{e}");
    let e = err(&format!("#{}", f.replace('*', "A") + ")"));
    assert!(e.to_string().contains("ends in `)`"), "{e}");
    assert!(err("*").to_string().contains("position 1"));
}

#[test]
fn a_changed_character_is_reported_as_damage() {
    let f = fragment(TEN);
    let mut chars: Vec<char> = f.chars().collect();
    let last = chars.len() - 1;
    chars[last] = if chars[last] == 'A' { 'B' } else { 'A' };
    let e = err(&chars.into_iter().collect::<String>());
    assert_eq!(e.kind(), Kind::Damaged);
    assert!(e.to_string().contains("damaged"), "{e}");
}

#[test]
fn empty_and_text_links() {
    assert_eq!(err("").kind(), Kind::Empty);
    assert_eq!(err("#").kind(), Kind::Empty);
    assert_eq!(err("http://127.0.0.1:8080/#").kind(), Kind::Empty);
    let e = err("text=open%20a%20f%0Afsync%2");
    assert_eq!(e.kind(), Kind::BadText);
    assert!(e.to_string().starts_with("bad percent escape `%2` at position 26"), "{e}");
    let e = err("#text=opn+a+f");
    assert!(e.to_string().contains("error at 1:1: unknown call `opn`; did you mean `open`?"), "{e}");
    assert_eq!(e.text(), Some("opn a f"), "an editor can still open the text");
    assert_eq!(err("text=%zz").text(), None);
    let e = err("text=%FF");
    assert!(e.to_string().contains("not UTF-8"), "{e}");
    // The fd-table checks are not a link's business: an unfinished scenario travels.
    let s = decode("text=fsync+a").expect("decodes");
    assert_eq!(s.scenario.to_string(), "fsync a\n");
}

#[test]
fn whole_links_and_fragments() {
    let s = parse(TEN).expect("valid").scenario;
    let l = link("http://127.0.0.1:8080/#old", &s, Some("1f.UNUH"));
    assert!(l.starts_with("http://127.0.0.1:8080/#3"), "{l}");
    assert_eq!(fragment_of(&l), encode(&s, Some("1f.UNUH")));
    assert_eq!(fragment_of("no-hash"), "no-hash");
    let back = decode(&format!("  {l}\n")).expect("decodes");
    assert_eq!(back.scenario, s);
    assert_eq!(back.replay.as_deref(), Some("1f.UNUH"));
}

#[test]
fn huge_links_are_refused_before_work() {
    let e = err(&format!("1{}", "A".repeat(300_000)));
    assert_eq!(e.kind(), Kind::TooLong);
    // A declared count far beyond the link is refused, not allocated.
    let e = err("1AAAAAAAAAAAAB");
    assert!(matches!(e.kind(), Kind::Invalid | Kind::Damaged | Kind::CutShort), "{e}");
}

#[test]
fn a_short_link_cannot_stand_for_megabytes_of_text() {
    // One long label, referred to ten thousand times at a few bits each.
    let label = Name::new(&format!("l{}", "x".repeat(200))).expect("a name");
    let cond = Cond { call: CallRef::Label(label), outcome: Outcome::Is(Ret::OK) };
    let claim = Claim { kind: ClaimKind::Never, conds: vec![cond; 1000], schemes: Vec::new(), comment: None };
    let s = Scenario { body: vec![Item::Claim(claim); 10], ..Scenario::default() };
    let f = encode(&s, None);
    assert!(f.len() < 6000, "{}", f.len());
    let e = err(&f);
    assert_eq!(e.kind(), Kind::Invalid);
    assert!(e.to_string().contains("more than 1048576 bytes of text"), "{e}");
}

#[test]
fn sync_file_range_flags_0_and_7_do_not_decode() {
    // `open a f`, then code 15, kind 5, name 0, the flags, no expectation, no more.
    let with = |flags: &str| {
        common::link_of_bits(&format!("00000 011 1 00000 1 00101 011 0000 0 1 0 1111 101 0 {flags} 0 0"))
    };
    let ok = decode(&with("010")).expect("WRITE decodes");
    assert_eq!(ok.scenario.to_string(), "open a f\nsync_file_range a WRITE\n");
    let e = err(&with("000"));
    assert_eq!(e.kind(), Kind::Invalid);
    assert!(e.to_string().contains("no flag set"), "{e}");
    let e = err(&with("111"));
    assert_eq!(e.kind(), Kind::Invalid);
    assert!(e.to_string().contains("written as call 10"), "{e}");
}

#[test]
fn a_claims_call_code_15_needs_kind_5() {
    // `open a f`, `sync_file_range a WRITE`, then `never` with one
    // condition whose call is code 15 followed by kind `k`.
    let claim = |k: &str| {
        common::link_of_bits(&format!(
            "00000 011 1 00000 1 00101 00100 0000 0 1 0 1111 101 0 010 0 0 \
             1111 100 010 1 1111 {k} 0 010 0 1 1 0"
        ))
    };
    let ok = decode(&claim("101")).expect("kind 5 decodes");
    assert_eq!(
        ok.scenario.to_string(),
        "open a f\nsync_file_range a WRITE\nnever sync_file_range a WRITE = 0\n"
    );
    let e = err(&claim("001"));
    assert_eq!(e.kind(), Kind::Invalid);
    assert!(e.to_string().contains("a claim's call is an entry of kind 1"), "{e}");
}

#[test]
fn a_hash_inside_a_binary_link_is_a_bad_character() {
    // Not the mark of a fragment: the rest is not read as a link of its own.
    let f = fragment(TEN);
    for at in [1, 5, f.len() - 1] {
        let damaged = format!("{}#{}", &f[..at], &f[at..]);
        let e = err(&damaged);
        assert_eq!(e.kind(), Kind::BadCharacter { position: at + 1 }, "{damaged}: {e}");
    }
    // A whole link's `#` is its fragment's mark, as ever.
    assert!(decode(&format!("http://127.0.0.1:8080/#{f}")).is_ok());
    assert!(decode(&format!("#{f}")).is_ok());
}

#[test]
fn a_checked_text_link_says_what_is_wrong() {
    let f = text_fragment("open a f\nfsync a => EIO\n", Some("2fAFV_gAAH"));
    assert!(decode(&f).is_ok());
    // Cut anywhere: its check characters are gone.
    for keep in "scenario=".len()..f.len() - 3 {
        let e = err(&f[..keep]);
        assert!(matches!(e.kind(), Kind::CutShort | Kind::Damaged), "{keep}: {e}");
    }
    let e = err(&f[..f.len() - 10]);
    assert_eq!(e.kind(), Kind::CutShort, "{e}");
    assert!(e.to_string().contains("no check characters"), "{e}");
    // A character changed.
    let e = err(&f.replacen("fsync", "fsinc", 1));
    assert_eq!(e.kind(), Kind::Damaged);
    assert!(e.to_string().starts_with("the link is damaged"), "{e}");
    // A character no link of this form holds.
    let e = err(&f.replacen("fsync", "fsÿnc", 1));
    assert_eq!(e.kind(), Kind::BadCharacter { position: 27 }, "{e}");
    assert!(e.to_string().contains("percent-encoded"), "{e}");
    // Wrapped by a mail program, even inside its prefix: still reads.
    let wrapped = format!("scena\n  rio={}", &f["scenario=".len()..]);
    assert_eq!(decode(&wrapped).expect("reads"), decode(&f).expect("reads"));
}

#[test]
fn a_checked_text_link_whose_text_has_mistakes_gives_the_text() {
    // The page writes one for a text that does not parse yet.
    let f = text_fragment("opn a f\n", None);
    let e = err(&f);
    assert_eq!(e.kind(), Kind::BadText);
    assert_eq!(e.text(), Some("opn a f\n"), "an editor can still open the text");
}

#[test]
fn more_than_two_pads_is_not_a_link_of_this_playground() {
    // Made by hand with a valid check: four `.` before it.
    let body = "scenario=sync%0A....";
    let c = errseq_share::check::remainder_bytes(body.as_bytes());
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut f = body.to_owned();
    f.push(char::from(B64[usize::from(c >> 5)]));
    f.push(char::from(B64[usize::from(c & 31)]));
    assert_eq!(f.len() % 2, 0);
    let e = err(&f);
    assert_eq!(e.kind(), Kind::Invalid, "{e}");
    assert!(e.to_string().contains("more than two `.`"), "{e}");
}
