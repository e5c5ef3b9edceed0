//! Benchmarks of the page's work, in the browser and natively, on the same
//! inputs (figures in BENCHMARKS.md). Ignored in the test run: speed is
//! measured, not asserted.
//!
//! Run both side by side: `bash scripts/bench-web.sh`.

use std::time::Duration;

use errseq_web::analysis::Analysis;

/// A 1,000-event scenario: the workspace's synthetic mix of every call.
fn thousand_events() -> String {
    errseq_scenario::testing::synthetic(1000)
}

const THREE_TASKS: &str =
    "open a f\nopen b f\npar\n  fsync a\n  error f EIO\n  fsync b\nend\nfsync a\nfsync b\n";
const FOUR_TASKS: &str =
    "open a f\nopen b f\nopen c f\npar\n  fsync a\n  error f EIO\n  fsync b\n  error f ENOSPC\nend\nfsync a\nfsync b\nfsync c\n";

/// Milliseconds since some origin, on either platform.
fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window().and_then(|w| w.performance()).map_or_else(js_sys::Date::now, |p| p.now())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::sync::OnceLock;
        static START: OnceLock<std::time::Instant> = OnceLock::new();
        START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1000.0
    }
}

/// The median time of `runs` runs of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = now_ms();
            f();
            now_ms() - t
        })
        .collect();
    times.sort_by(f64::total_cmp);
    Duration::from_secs_f64(times[runs / 2] / 1000.0)
}

/// One line per measurement: `bench <name> <median ms>`.
fn report() -> Vec<String> {
    let text = thousand_events();
    let mut out = Vec::new();
    let t = median(21, || {
        let a = Analysis::of(&text);
        assert!(a.evaluated().is_some());
    });
    out.push(format!("bench reevaluate_1000_events_all_schemes {:.3}", t.as_secs_f64() * 1000.0));
    for (name, s) in
        [("explore_3_tasks_all_schemes", THREE_TASKS), ("explore_4_tasks_all_schemes", FOUR_TASKS)]
    {
        let runs = if s == FOUR_TASKS { 5 } else { 21 };
        // What the deferred module does for a `par` scenario
        // (`web/deferred/src/explored.rs`), with the page's bounds.
        let t = median(runs, || {
            let p = errseq_scenario::parse(s).expect("valid");
            let bounds = errseq_explorer::Bounds { max_states: 600_000, max_tasks: 16 };
            let r = errseq_explorer::check(&p, bounds).expect("explores");
            assert!(!errseq_render::Analysis::explored(&p, r).rows.is_empty());
        });
        out.push(format!("bench {name} {:.3}", t.as_secs_f64() * 1000.0));
    }
    out
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};
    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    #[ignore]
    fn bench_in_the_browser() {
        for line in super::report() {
            console_log!("{line}");
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
#[ignore]
fn bench_native() {
    for line in report() {
        println!("{line}");
    }
}
