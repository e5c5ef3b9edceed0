//! Text → scenario, checker included: no input panics, hangs or runs out
//! of memory, and whatever parses prints to a text that parses back to
//! the same scenario (the canonical printer's promise).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(p) = errseq_scenario::parse_bytes(data) else { return };
    let text = p.scenario.to_string();
    let again = errseq_scenario::parse(&text).unwrap_or_else(|d| panic!("the printed text does not parse: {d:?}\n{text}"));
    assert_eq!(again.scenario, p.scenario, "printing changed the scenario:\n{text}");
});
