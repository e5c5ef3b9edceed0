//! The Stress view's forms as typed, and what they ask for: the
//! throughput run's [`Plan`] and engine, or the scenario mode's scheme
//! and number of runs, each validated with a message that says what a
//! field takes.

use errseq::{Errno, Scheme, SchemeKey, WrittenName};
use errseq_stress::{Budget, Fault, FaultKind, Plan, Sharing};

use crate::written::Offer;

/// The scheme the throughput run stresses: a built-in one, or one the
/// page's scenario writes, by name (its program is the scenario's, read
/// when the run starts).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    BuiltIn(Scheme),
    Written(WrittenName),
}

/// What runs the throughput loop in the workers.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Engine {
    /// `web/stress-wasm`: the module's memory is the shared memory, each
    /// step one of wasm's atomic instructions.
    WasmAtomics,
    /// `web/worker`: a wasm-bindgen module calling JS `Atomics` for each
    /// step (what `js_sys::Atomics` offers).
    JsAtomics,
}

impl Engine {
    pub const ALL: [Engine; 2] = [Engine::WasmAtomics, Engine::JsAtomics];

    pub fn id(self) -> &'static str {
        match self {
            Engine::WasmAtomics => "wasm",
            Engine::JsAtomics => "js",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Engine::WasmAtomics => "wasm atomics on shared memory",
            Engine::JsAtomics => "JS Atomics calls",
        }
    }

    pub fn from_id(id: &str) -> Option<Engine> {
        Engine::ALL.into_iter().find(|e| e.id() == id)
    }
}

/// A fault fires after this many of the faulty worker's ops (or half its budget).
const FAULT_AFTER_OPS: u32 = 50_000;

/// The errno sets the form offers.
pub const ERRNO_SETS: [&str; 3] = ["EIO", "EIO,ENOSPC", "EIO,ENOSPC,EDQUOT"];

/// The faults the form offers, by id.
pub const FAULTS: [&str; 3] = ["none", "panic", "hang"];

/// The throughput run's controls, as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    pub scheme: Choice,
    pub workers: String,
    pub sharing: Sharing,
    pub by_time: bool,
    pub amount: String,
    pub set_percent: String,
    pub errnos: &'static str,
    pub fault: &'static str,
    pub engine: Engine,
}

impl Default for Form {
    fn default() -> Self {
        Form {
            scheme: Choice::BuiltIn(Scheme::Linux413),
            workers: "2".to_owned(),
            sharing: Sharing::OwnCursor,
            by_time: false,
            amount: "2000000".to_owned(),
            set_percent: "5".to_owned(),
            errnos: ERRNO_SETS[0],
            fault: FAULTS[0],
            engine: Engine::WasmAtomics,
        }
    }
}

/// A change to one control, from the view.
#[derive(Clone, Debug, PartialEq)]
pub enum Field {
    Scheme(String),
    Workers(String),
    Sharing(String),
    BudgetKind(String),
    Amount(String),
    SetRatio(String),
    Errnos(String),
    Fault(String),
    Engine(String),
}

impl Form {
    /// Takes a control's new value; ids that name nothing leave it as it was.
    pub fn set(&mut self, field: Field) {
        match field {
            Field::Scheme(id) => {
                if let Some(s) = Scheme::from_id(&id) {
                    self.scheme = Choice::BuiltIn(s);
                } else if let Some(n) = WrittenName::new(&id) {
                    self.scheme = Choice::Written(n);
                }
            }
            Field::Workers(v) => self.workers = v,
            Field::Sharing(id) => {
                if let Some(s) = Sharing::from_id(&id) {
                    self.sharing = s;
                }
            }
            Field::BudgetKind(k) => {
                let by_time = k == "seconds";
                if by_time != self.by_time {
                    self.by_time = by_time;
                    self.amount = if by_time { "2" } else { "2000000" }.to_owned();
                }
            }
            Field::Amount(v) => self.amount = v,
            Field::SetRatio(v) => self.set_percent = v,
            Field::Errnos(v) => {
                if let Some(&set) = ERRNO_SETS.iter().find(|s| **s == v) {
                    self.errnos = set;
                }
            }
            Field::Fault(v) => {
                if let Some(&f) = FAULTS.iter().find(|f| **f == v) {
                    self.fault = f;
                }
            }
            Field::Engine(id) => {
                if let Some(e) = Engine::from_id(&id) {
                    self.engine = e;
                }
            }
        }
    }

    /// The engine a run of this form uses: the one chosen, but a written
    /// scheme runs on JS Atomics (the wasm-atomics module is built
    /// without the scheme language's interpreter).
    pub fn run_engine(&self) -> Engine {
        match self.scheme {
            Choice::BuiltIn(_) => self.engine,
            Choice::Written(_) => Engine::JsAtomics,
        }
    }

    /// The written scheme chosen, among those the scenario writes now.
    pub fn written<'o>(&self, offers: &'o [Offer]) -> Result<Option<&'o Offer>, String> {
        let Choice::Written(name) = self.scheme else { return Ok(None) };
        offers.iter().find(|o| o.written.name == name).map(Some).ok_or_else(|| {
            format!(
                "Scheme: the scenario does not write a scheme `{name}` that compiles now (fix it in the \
                 Playground tab, or pick another scheme)."
            )
        })
    }

    /// The plan the controls describe, over the written schemes the
    /// scenario offers, or what is wrong with them.
    pub fn plan(&self, offers: &[Offer]) -> Result<Plan, String> {
        let written = self.written(offers)?;
        let workers: u32 = self
            .workers
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=8).contains(n))
            .ok_or("Workers: a whole number from 1 to 8.")?;
        let budget = if self.by_time {
            let s: f64 = self
                .amount
                .trim()
                .parse()
                .ok()
                .filter(|s: &f64| (0.05..=60.0).contains(s))
                .ok_or("Seconds: a number from 0.05 to 60.")?;
            Budget::Millis((s * 1000.0).round() as u32)
        } else {
            let ops: u32 = whole(&self.amount)
                .filter(|n| *n >= 1)
                .ok_or("Ops per worker: a whole number from 1 to 4,294,967,295.")?;
            Budget::Ops(ops)
        };
        let pct: f64 = self
            .set_percent
            .trim()
            .parse()
            .ok()
            .filter(|p: &f64| (0.0..=100.0).contains(p))
            .ok_or("Set ratio: a percentage from 0 to 100.")?;
        let base = match self.scheme {
            Choice::BuiltIn(s) => s,
            Choice::Written(_) => Scheme::LATEST,
        };
        let mut plan = Plan::new(base, workers, self.sharing, budget);
        if let Some(o) = written {
            plan = plan.with_written(o.written.clone());
        }
        plan.set_ppm = (pct * 10_000.0).round() as u32;
        plan.errnos = self.errnos.split(',').filter_map(Errno::from_name).collect();
        let after_ops = match budget {
            Budget::Ops(n) => FAULT_AFTER_OPS.min(n / 2),
            Budget::Millis(_) => FAULT_AFTER_OPS,
        };
        let fault = |kind| Some(Fault { worker: workers - 1, kind, after_ops });
        plan.fault = match self.fault {
            "panic" => fault(FaultKind::Panic),
            "hang" => fault(FaultKind::Hang),
            _ => None,
        };
        plan.validate().map_err(|e| e.to_string())?;
        Ok(plan)
    }
}

/// A whole number as people type it: `1000`, `1,000`, `1_000`, ` 1000 `.
fn whole(text: &str) -> Option<u32> {
    text.trim().replace(['_', ','], "").parse().ok()
}

/// The most runs of one block the scenario mode offers.
pub const MAX_RUNS: u32 = errseq_stress_protocol::scenario::MAX_RUNS;

/// The scenario mode's controls, as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioForm {
    /// A built-in scheme, or one the scenario writes (which `prepare`
    /// finds in the text, or says it does not).
    pub scheme: SchemeKey,
    pub runs: String,
}

impl Default for ScenarioForm {
    fn default() -> Self {
        ScenarioForm { scheme: SchemeKey::BuiltIn(Scheme::LATEST), runs: "1000".to_owned() }
    }
}

/// What the scenario mode's controls ask for.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ScenarioRequest {
    pub scheme: SchemeKey,
    pub runs: u32,
}

impl ScenarioForm {
    /// Every scheme the model knows, the review variants last.
    pub fn schemes() -> impl Iterator<Item = Scheme> {
        Scheme::ALL.into_iter().chain(Scheme::VARIANTS)
    }

    /// Takes a scheme id or a written scheme's name; anything else leaves
    /// the scheme as it was.
    pub fn set_scheme(&mut self, id: &str) {
        if let Some(s) = Scheme::from_id(id) {
            self.scheme = SchemeKey::BuiltIn(s);
        } else if let Some(n) = WrittenName::new(id) {
            self.scheme = SchemeKey::Written(n);
        }
    }

    /// The runs and scheme asked for, or what is wrong with them.
    pub fn request(&self) -> Result<ScenarioRequest, String> {
        let runs = whole(&self.runs).filter(|n| (1..=MAX_RUNS).contains(n)).ok_or_else(|| {
            format!("Runs: a whole number from 1 to {}.", errseq_stress::format::grouped(MAX_RUNS.into()))
        })?;
        Ok(ScenarioRequest { scheme: self.scheme, runs })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_makes_plans_or_says_why_not() {
        let mut f = Form::default();
        let p = f.plan(&[]).expect("default plan");
        assert_eq!((p.workers, p.budget, p.set_ppm), (2, Budget::Ops(2_000_000), 50_000));
        f.set(Field::Workers("9".to_owned()));
        assert!(f.plan(&[]).expect_err("9 workers").starts_with("Workers"));
        f.set(Field::Workers("2".to_owned()));
        f.set(Field::BudgetKind("seconds".to_owned()));
        assert_eq!(f.amount, "2", "switching to seconds offers a number of seconds");
        f.set(Field::Amount("1.5".to_owned()));
        assert_eq!(f.plan(&[]).map(|p| p.budget), Ok(Budget::Millis(1500)));
        f.set(Field::Fault("hang".to_owned()));
        assert_eq!(
            f.plan(&[]).ok().and_then(|p| p.fault).map(|x| (x.worker, x.kind)),
            Some((1, FaultKind::Hang))
        );
        f.set(Field::SetRatio("101".to_owned()));
        assert!(f.plan(&[]).expect_err("101%").starts_with("Set ratio"));
    }

    #[test]
    fn ids_that_name_nothing_change_nothing() {
        let mut f = Form::default();
        for field in [
            // Not a built-in id nor a written scheme's name (a name that could be
            // one is taken: `plan` checks the scenario writes it).
            Field::Scheme("Linux 9.9".to_owned()),
            Field::Sharing("nobody".to_owned()),
            Field::Errnos("EPERM".to_owned()),
            Field::Fault("explode".to_owned()),
            Field::Engine("gpu".to_owned()),
        ] {
            f.set(field);
        }
        assert_eq!(f, Form::default());
        f.set(Field::Engine("js".to_owned()));
        f.set(Field::Scheme("linux-5.8".to_owned()));
        assert_eq!((f.engine, f.scheme), (Engine::JsAtomics, Choice::BuiltIn(Scheme::Linux58)));
    }

    #[test]
    fn a_written_scheme_is_chosen_by_name_and_runs_on_js_atomics() {
        let text = "scheme mine from linux-4.14\nint errseq_check(errseq_t *eseq, errseq_t since)\n{\n\treturn 0;\n}\nend\nopen a f\n";
        let offers = crate::written::offers(&errseq_scenario::parse(text).expect("checks"));
        let mut f = Form::default();
        f.set(Field::Scheme("mine".to_owned()));
        assert_eq!((f.engine, f.run_engine()), (Engine::WasmAtomics, Engine::JsAtomics));
        let p = f.plan(&offers).expect("a plan");
        assert_eq!(p.scheme_label(), "mine (written, from linux-4.14)");
        assert_eq!(p.written.as_ref().map(|w| &w.program), Some(&offers[0].written.program));
        // Gone from the text (or the text does not check): said, not run.
        let why = f.plan(&[]).expect_err("no such scheme now");
        assert!(why.starts_with("Scheme: the scenario does not write a scheme `mine`"), "{why}");
        f.set(Field::Scheme("linux-4.17".to_owned()));
        assert_eq!(f.run_engine(), Engine::WasmAtomics);
    }

    #[test]
    fn ops_are_read_with_digit_groups() {
        let mut f = Form::default();
        f.set(Field::Amount(" 1,000_000 ".to_owned()));
        assert_eq!(f.plan(&[]).map(|p| p.budget), Ok(Budget::Ops(1_000_000)));
        f.set(Field::Amount("0".to_owned()));
        assert!(f.plan(&[]).expect_err("0 ops").starts_with("Ops per worker"));
    }

    #[test]
    fn the_scenario_form_asks_for_a_scheme_and_runs() {
        let mut f = ScenarioForm::default();
        assert_eq!(f.request(), Ok(ScenarioRequest { scheme: Scheme::Linux58.into(), runs: 1000 }));
        f.set_scheme("linux-4.17");
        f.set_scheme("No such scheme");
        f.runs = "2,500".to_owned();
        assert_eq!(f.request(), Ok(ScenarioRequest { scheme: Scheme::Linux417.into(), runs: 2500 }));
        f.set_scheme("mine");
        assert_eq!(f.scheme, SchemeKey::Written(WrittenName::new("mine").expect("a name")));
        for bad in ["0", "-1", "1.5", "", "100001", "many"] {
            f.runs = bad.to_owned();
            assert_eq!(f.request(), Err("Runs: a whole number from 1 to 100,000.".to_owned()), "{bad:?}");
        }
        assert!(ScenarioForm::schemes().any(|s| s == Scheme::RfcV2ReportOnce));
    }
}
