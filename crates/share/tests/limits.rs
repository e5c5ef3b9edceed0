//! What `try_encode` makes, `decode` reads; what it refuses, `decode`
//! refuses too, in the binary form (a link made anyway by `encode`) and
//! in the `text=` form: at each limit, and one past it.

#![cfg(not(target_arch = "wasm32"))]

use errseq_scenario::{parse_unchecked, Scenario};
use errseq_share::{decode, encode, text_fragment, try_encode, Kind};

fn scenario(text: &str) -> Scenario {
    parse_unchecked(text).expect("parses").0
}

/// `(at the limit, one past it, words of the refusal)`.
fn cases() -> Vec<(String, String, &'static str)> {
    let opens = |n: usize| (0..n).map(|i| format!("open n{i} f\n")).collect::<String>();
    let syncs = |n: usize| "sync\n".repeat(n);
    let notes = |n: usize| format!("# {}\n# {}\nsync\n", "x".repeat(32_768), "y".repeat(n - 32_768));
    vec![
        // `open nI f` for I < n: n fds and the file f.
        (opens(4095), opens(4096), "4097 names"),
        (syncs(10_000), syncs(10_001), "10001 lines"),
        (notes(65_536), notes(65_537), "take 65537 bytes"),
    ]
}

/// A name past the links' limit never reaches a link: the parser refuses
/// it with the same number, and a name at the limit makes a link.
#[test]
fn the_parser_and_the_links_share_the_name_length_limit() {
    let long = |n: usize| format!("open a{} f\n", "x".repeat(n - 1));
    let s = scenario(&long(256));
    let f = try_encode(&s, None).unwrap_or_else(|e| panic!("256 characters: {e}"));
    assert_eq!(decode(&f).expect("reads").scenario.to_string(), s.to_string());
    let refused = parse_unchecked(&long(257)).expect_err("257 characters is refused");
    assert!(refused[0].message.contains("at most 256"), "{:?}", refused[0]);
}

#[test]
fn at_each_limit_a_link_is_made_and_read_and_one_past_it_neither() {
    for (at, past, words) in cases() {
        let s = scenario(&at);
        let f = try_encode(&s, None).unwrap_or_else(|e| panic!("{words}: at the limit: {e}"));
        assert_eq!(decode(&f).expect("reads").scenario.to_string(), s.to_string());

        let s = scenario(&past);
        let e = try_encode(&s, None).err().unwrap_or_else(|| panic!("{words}: one past the limit is made"));
        assert!(e.to_string().contains(words), "{e}");
        // A link made anyway is refused, in either form.
        let e = decode(&encode(&s, None)).err().unwrap_or_else(|| panic!("{words}: binary link read"));
        assert!(matches!(e.kind(), Kind::Invalid | Kind::TooBig), "{words}: {e}");
        let e =
            decode(&text_fragment(&past, None)).err().unwrap_or_else(|| panic!("{words}: text link read"));
        assert!(matches!(e.kind(), Kind::TooBig | Kind::TooLong), "{words}: {e}");
    }
}

#[test]
fn a_replay_string_counts_with_the_texts() {
    let s = scenario(&format!("# {}\nsync\n", "x".repeat(65_530)));
    assert!(try_encode(&s, Some("2fAAHgJa")).is_err());
    assert!(try_encode(&s, Some("1f.A")).is_ok());
}
