//! Property tests: the canonical text parses back to the same scenario,
//! and no input panics the parser.

use errseq_scenario::testing::strategy::scenario;
use errseq_scenario::{parse, parse_bytes, parse_unchecked, Verb};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn canonical_text_parses_back_to_the_same_scenario(s in scenario()) {
        let text = s.to_string();
        let (back, _) = parse_unchecked(&text).map_err(|d| TestCaseError::fail(format!("{d:?}\n{text}")))?;
        prop_assert_eq!(&back, &s, "{}", text);
        prop_assert_eq!(back.to_string(), text);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse_bytes(&bytes);
    }

    #[test]
    fn plausible_lines_never_panic(lines in prop::collection::vec(line_soup(), 0..30)) {
        let text = lines.join("\n");
        if let Ok(p) = parse(&text) {
            // Whatever parses must print and parse again to itself.
            let again = parse(&p.scenario.to_string()).map_err(|d| TestCaseError::fail(format!("{d:?}")))?;
            prop_assert_eq!(again.scenario, p.scenario);
        }
    }
}

/// Lines made of the language's own pieces, shuffled: more likely than
/// random bytes to reach deep into the parser.
fn line_soup() -> impl Strategy<Value = String> {
    let mut words: Vec<String> = Verb::ALL.iter().map(|v| v.keyword().to_owned()).collect();
    words.extend(
        [
            "par",
            "end",
            "=>",
            "{",
            "}",
            ",",
            "=",
            "#",
            ":",
            "title:",
            "schemes:",
            "fs:",
            "a",
            "b",
            "f",
            "0",
            "EIO",
            "ENOSPC",
            "linux",
            "linux-4.12",
            "rfc-v2",
            "nfs",
            "4294967296",
            "-1",
            "é",
            "\t",
            "=>{0,EIO}",
            "linux=EIO",
            "scheme",
            "from",
            "mine",
            "mine=0",
            "linux-4.17",
            "errseq_t",
            "{",
            "return",
            "*eseq;",
            "#define",
            "WAIT_BEFORE",
            "WRITE",
            "WAIT_AFTER",
            "as",
            "x",
            "v0",
            "v1",
            "=>{v1,EIO}",
            "O_DIRECT",
        ]
        .map(String::from),
    );
    prop::collection::vec(prop::sample::select(words), 0..8).prop_map(|w| w.join(" "))
}
