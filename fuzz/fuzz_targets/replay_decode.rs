//! Any string as a replay string for scenarios with `par` blocks (the
//! first byte picks the scenario): no panic, hang or unbounded memory, and
//! a string that decodes names an interleaving whose own replay string
//! decodes to the same schedule.
#![no_main]

use errseq_explorer::replay_string;
use libfuzzer_sys::fuzz_target;

const SCENARIOS: [&str; 4] = [
    "open a f\nopen b f\npar\n  fsync a\n  error f EIO\n  fsync b\nend\nfsync a\n",
    "schemes: linux-4.12 linux\nopen a f\ndup b a\nwrite a\npar\n  fsync a\n  writeback f\n  fsync b\nend\npar\n  error f ENOSPC\n  close b\nend\nsyncfs a\n",
    "open a f\nopen b g\nwrite a\nwrite b 3\npar\n  sync\n  fsync b\nend\n",
    "open a f\nwrite a\npar\nend\n",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Ok(p) = errseq_scenario::parse(SCENARIOS[usize::from(pick) % SCENARIOS.len()]) else { return };
    let program = errseq_model::Program::compile(&p);
    let text = String::from_utf8_lossy(rest);
    let Ok(trace) = replay_string::decode(&program, p.scenario.fs(), &text) else { return };
    let s = replay_string::encode(&program, trace.scheme, p.scenario.fs(), &trace.schedule)
        .unwrap_or_else(|e| panic!("a decoded interleaving does not encode: {e}"));
    let again = replay_string::decode(&program, p.scenario.fs(), &s).expect("its own string decodes");
    assert_eq!(again.schedule, trace.schedule);
});
