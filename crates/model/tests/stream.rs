//! The stepper (one state, kept as it goes) against the evaluation that
//! keeps every state: the same results and the same state after every
//! event, descriptions included, over the example corpus.
#![cfg(not(target_arch = "wasm32"))]

use errseq_model::{stream, Evaluation, Stepper};
use errseq_scenario::parse;

#[test]
fn the_stepper_sees_what_the_evaluation_keeps() {
    let mut compared = 0;
    for path in errseq_scenario::testing::examples() {
        let text = std::fs::read_to_string(&path).expect("read");
        let p = parse(&text).expect("valid example");
        let Ok(e) = Evaluation::new(&p) else { continue }; // par blocks: the explorer's
        for (column, (name, _)) in e.columns.iter().enumerate() {
            let key = name.resolve();
            let fs = p.scenario.fs();
            if let Some(scheme) = key.built_in() {
                assert_eq!(
                    stream::results(&e.program, scheme, fs),
                    e.run(column).results,
                    "{}",
                    path.display()
                );
            }
            let mut s = Stepper::column(&e.program, key, fs).expect("a column of the scenario");
            while let Some((event, _)) = s.step() {
                let (kept, stepped) = (e.state_after(column, event), s.state());
                assert_eq!(kept.cells(), stepped.cells(), "{} event {event}", path.display());
                assert_eq!(kept.descriptions(), stepped.descriptions(), "{} event {event}", path.display());
                assert_eq!(kept.files(), stepped.files(), "{} event {event}", path.display());
                compared += 1;
            }
        }
    }
    assert!(compared > 500, "{compared} states compared");
}
