//! Runs a stress plan on native threads and prints the verdict and the
//! throughput (the native half of `scripts/bench-stress.sh`).
//!
//!     cargo run --release -p errseq-stress --example native -- \
//!         --scheme linux-4.13 --workers 2 --sharing own --ops 5000000 --set-ratio 0.05 --repeat 5
//!
//! `--written base` runs the scheme's own source in the scheme language
//! (`errseq_lang::base_source`) as a written scheme, interpreted, and
//! `--written FILE` the C in FILE over `--scheme` as its base (give
//! `--scheme` first).
//!
//! Each run prints one line; with `--repeat N` the last line, `best`, is
//! the fastest run's ops/s (what the benchmark compares). Exit status 1
//! when a verdict fails, 2 on bad arguments or a written scheme's fault.

use std::process::ExitCode;

use errseq::{Errno, Scheme};
use errseq_stress::native::run_native;
use errseq_stress::{Budget, Plan, Sharing, Written};

struct Args {
    plan: Plan,
    repeat: u32,
    verbose: bool,
}

fn parse() -> Result<Args, String> {
    let mut plan = Plan::new(Scheme::Linux413, 2, Sharing::OwnCursor, Budget::Ops(1_000_000));
    let mut repeat = 1;
    let mut verbose = false;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--verbose" {
            verbose = true;
            continue;
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || value.parse::<u32>().map_err(|_| format!("{flag}: not a number: {value}"));
        match flag.as_str() {
            "--scheme" => {
                plan.scheme = Scheme::from_id(&value).ok_or_else(|| format!("unknown scheme {value}"))?
            }
            "--workers" => plan.workers = number()?,
            "--sharing" => {
                plan.sharing = Sharing::from_id(&value)
                    .ok_or_else(|| "--sharing: own, shared or unserialized".to_owned())?
            }
            "--ops" => plan.budget = Budget::Ops(number()?),
            "--millis" => plan.budget = Budget::Millis(number()?),
            "--set-ratio" => {
                let r: f64 = value.parse().map_err(|_| format!("--set-ratio: not a number: {value}"))?;
                if !(0.0..=1.0).contains(&r) {
                    return Err("--set-ratio: 0 to 1".to_owned());
                }
                plan.set_ppm = (r * 1e6).round() as u32;
            }
            "--errnos" => {
                plan.errnos = value
                    .split(',')
                    .map(|n| Errno::from_name(n).ok_or_else(|| format!("unknown errno {n}")))
                    .collect::<Result<_, _>>()?
            }
            "--seed" => plan.seed = value.parse().map_err(|_| format!("--seed: not a number: {value}"))?,
            "--repeat" => repeat = number()?.max(1),
            "--written" => plan = plan.clone().with_written(written(&value, plan.scheme)?),
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    plan.validate().map_err(|e| e.to_string())?;
    Ok(Args { plan, repeat, verbose })
}

/// `base` (the base's own source) or a file of C, over `base`.
fn written(what: &str, base: Scheme) -> Result<Written, String> {
    let source = if what == "base" {
        errseq_lang::base_source(base)
            .ok_or_else(|| format!("{base} has no source to run as written"))?
            .to_owned()
    } else {
        std::fs::read_to_string(what).map_err(|e| format!("--written {what}: {e}"))?
    };
    Written::compile("written", base.id(), &source, 1, 1)
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("native: {e}");
            return ExitCode::from(2);
        }
    };
    let mut best = 0.0f64;
    let mut all_passed = true;
    for i in 1..=args.repeat {
        let mut plan = args.plan.clone();
        plan.seed = plan.seed.wrapping_add(u64::from(i - 1));
        let run = match run_native(&plan) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("native: {e}");
                return ExitCode::from(2);
            }
        };
        let per_worker: Vec<String> = run.workers.iter().map(|c| format!("{:.0}", c.ops_per_sec())).collect();
        println!(
            "run {i}: {} ops in {:.1} ms, {:.0} ops/s (per worker {}), verdict {}",
            run.verdict.totals.ops,
            run.elapsed.as_secs_f64() * 1e3,
            run.ops_per_sec,
            per_worker.join(" "),
            if run.verdict.passed() { "PASS" } else { "FAIL" }
        );
        if args.verbose || !run.verdict.passed() {
            println!("{}", run.verdict);
        }
        all_passed &= run.verdict.passed();
        best = best.max(run.ops_per_sec);
    }
    println!("best {best:.0}");
    if all_passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
