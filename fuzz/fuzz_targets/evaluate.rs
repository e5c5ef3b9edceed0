//! Whatever parses is evaluated: sequentially under every scheme it
//! names, and through the explorer with a small budget (a budget error is
//! an answer; a panic, hang or unbounded memory is not).
#![no_main]

use errseq_explorer::Bounds;
use errseq_model::Evaluation;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(p) = errseq_scenario::parse_bytes(data) else { return };
    if !p.scenario.has_par() {
        if let Ok(e) = Evaluation::new(&p) {
            let _ = e.mismatches(&p);
        }
    }
    let bounds = Bounds { max_states: 20_000, ..Bounds::default() };
    let Ok(report) = errseq_explorer::check(&p, bounds) else { return };
    // Every counterexample replays, and its replay string reopens it.
    let fs = p.scenario.fs();
    for v in report.violations.iter().take(4) {
        let (Some(schedule), column) = (v.schedule(), v.column()) else { continue };
        let scheme = report.columns[column].exploration.scheme;
        let s = errseq_explorer::replay_string::encode(&report.program, scheme, fs, schedule)
            .unwrap_or_else(|e| panic!("a counterexample does not encode: {e}"));
        let t = errseq_explorer::replay_string::decode(&report.program, fs, &s)
            .unwrap_or_else(|e| panic!("its replay string does not decode: {e}"));
        assert_eq!(&t.schedule, schedule);
    }
});
