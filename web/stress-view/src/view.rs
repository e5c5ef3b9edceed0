//! The Stress view's HTML: the forms, the status, the tables. What the
//! controls mean is `form`'s business, the runs are the supervisors'; this
//! file only shows them and forwards what the user and the workers do.
//!
//! Element ids (for the browser tests, `web/tests/stress.test.mjs`; the
//! scenario mode's are listed in `scenario/view.rs`):
//!
//! | id | what |
//! |---|---|
//! | `stress` | the view's section |
//! | `stress-kind-throughput`, `stress-kind-scenario` | what runs: the synthetic throughput stress (default), or the page's scenario's par blocks |
//! | `stress-isolation` | shown when the page is not cross-origin isolated: why, and how to fix it |
//! | `stress-scheme`, `stress-workers`, `stress-mode` | scheme select (built-in ids, then the scenario's written schemes by name in `optgroup#stress-written`), worker count (1..=8), mode select (`own`, `shared`, `unserialized`) |
//! | `stress-engine` | engine select (`wasm`: wasm atomics on shared memory, `js`: JS `Atomics` calls); `js` and disabled for a written scheme, with `stress-written-note` |
//! | `stress-budget`, `stress-amount` | budget kind select (`ops` per worker, `seconds`) and its amount |
//! | `stress-set-ratio`, `stress-errnos` | percent of ops that set an error; errno set (`EIO`, `EIO,ENOSPC`, ...) |
//! | `stress-fault` | fault injection select (`none`, `panic`, `hang`: the last worker) |
//! | `stress-start`, `stress-stop` | the buttons |
//! | `stress-status` | the status line (`role=status`, `aria-live=polite`); `data-phase` = idle, starting, running, stopping, finished, failed |
//! | `stress-failure` | a crashed, hung or faulted worker (`role=alert`), `data-worker` = its index, `data-after-go-ms` = when the page noticed, in ms after the start barrier opened |
//! | `stress-counts` | per-worker counts; rows `stress-worker-N` with `data-ops`, `data-state` (starting, running, done; after a failure crashed, hung, faulted, terminated) |
//! | `stress-verdict` | the invariant check, `data-passed`; one `li.invariant` each with `data-passed` |
//! | `stress-throughput` | ops/s, `data-ops-per-sec` (all workers), `data-elapsed-us` (slowest worker), `data-engine` |

use errseq_stress::format::{grouped, percent, rate};
use errseq_stress::{Sharing, Verdict, SCHEMES};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::form::{Choice, Engine, Field, Form, ScenarioForm, ERRNO_SETS};
use crate::scenario::supervisor::{self as scenario_supervisor, ScenarioSupervisor};
use crate::supervisor::{self, Failure, Outcome, Rows, Supervisor};
use crate::workers::isolation_problem;
use crate::written::{offers, Offer};

/// What the view runs: the synthetic throughput loop, or the page's
/// scenario's par blocks.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Throughput,
    Scenario,
}

pub enum Msg {
    Kind(Kind),
    /// The page's scenario text changed.
    Text(String),
    Field(Field),
    Start,
    Stop,
    Supervisor(supervisor::Event),
    ScenarioScheme(String),
    ScenarioRuns(String),
    ScenarioStart,
    ScenarioStop,
    Scenario(scenario_supervisor::Event),
}

pub struct Stress {
    kind: Kind,
    /// The scenario as the page has it (`StressHandle::set_scenario`), and
    /// what the scenario mode would run of it.
    text: String,
    text_summary: Result<String, String>,
    /// The schemes the scenario writes, for the throughput run.
    written: Vec<Offer>,
    form: Form,
    supervisor: Supervisor,
    scenario_form: ScenarioForm,
    scenario: ScenarioSupervisor,
    /// `None` when SharedArrayBuffer can be used; else why not.
    isolation: Option<&'static str>,
}

impl Component for Stress {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let isolation = isolation_problem();
        let supervisor = Supervisor::new(ctx.link().callback(Msg::Supervisor), isolation.is_none());
        let scenario = ScenarioSupervisor::new(ctx.link().callback(Msg::Scenario), isolation.is_none());
        Stress {
            kind: Kind::Throughput,
            text: String::new(),
            text_summary: Err(String::new()),
            written: Vec::new(),
            form: Form::default(),
            supervisor,
            scenario_form: ScenarioForm::default(),
            scenario,
            isolation,
        }
    }

    fn update(&mut self, _ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Kind(k) => {
                if !self.busy() {
                    self.kind = k;
                }
            }
            Msg::Text(t) => {
                let parsed = crate::scenario::parse(&t);
                self.written = parsed.as_ref().map(offers).unwrap_or_default();
                self.text_summary = parsed.and_then(|p| crate::scenario::describe_parsed(&p));
                self.text = t;
            }
            Msg::Field(f) => self.form.set(f),
            Msg::Start => {
                if self.isolation.is_none() && !self.busy() {
                    self.supervisor.start(&self.form, &self.written);
                }
            }
            Msg::Stop => self.supervisor.stop(),
            Msg::Supervisor(e) => self.supervisor.handle(e),
            Msg::ScenarioScheme(id) => self.scenario_form.set_scheme(&id),
            Msg::ScenarioRuns(v) => self.scenario_form.runs = v,
            Msg::ScenarioStart => {
                if let (None, false, Ok(request)) =
                    (self.isolation, self.busy(), self.scenario_form.request())
                {
                    self.scenario.start(&self.text, request);
                }
            }
            Msg::ScenarioStop => self.scenario.stop(),
            Msg::Scenario(e) => self.scenario.handle(e),
        }
        true
    }

    fn destroy(&mut self, _ctx: &Context<Self>) {
        self.supervisor.shut_down();
        self.scenario.shut_down();
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        html! {
            <section id="stress" class="stress" aria-labelledby="stress-title">
                <h2 id="stress-title">{ "Stress: real concurrency" }</h2>
                <p class="muted">
                    { "Web Workers run the scheme's atomic steps (set an error, or report it to fsync through a cursor) \
                       on one SharedArrayBuffer, with wasm's own atomic instructions or with calls of JS Atomics. Afterwards \
                       the page checks that no cursor was told an error twice, that no cursor is ahead of the word, and that \
                       the counts add up." }
                </p>
                { isolation_notice(self.isolation) }
                { self.kind_switch(ctx) }
                { match self.kind {
                    Kind::Throughput => html! { <>{ self.throughput_form(ctx) }{ self.throughput_results() }</> },
                    Kind::Scenario => crate::scenario::view::panel(ctx.link(), &self.scenario_form, &self.scenario,
                        &self.text_summary, &self.written, self.isolation.is_none()),
                } }
            </section>
        }
    }
}

/// A callback for a `<select>`'s new value.
fn on_select(link: &html::Scope<Stress>, f: fn(String) -> Field) -> Callback<Event> {
    link.callback(move |e: Event| Msg::Field(f(e.target_unchecked_into::<HtmlSelectElement>().value())))
}

/// A callback for an `<input>`'s new value.
fn on_input(link: &html::Scope<Stress>, f: fn(String) -> Field) -> Callback<InputEvent> {
    link.callback(move |e: InputEvent| Msg::Field(f(e.target_unchecked_into::<HtmlInputElement>().value())))
}

impl Stress {
    /// Whether either kind of run is in progress (one at a time).
    fn busy(&self) -> bool {
        self.supervisor.phase().busy() || self.scenario.busy()
    }

    fn kind_switch(&self, ctx: &Context<Self>) -> Html {
        let busy = self.busy();
        let choice = |kind: Kind, id: &'static str, label: &'static str| {
            let onchange = ctx.link().callback(move |_: Event| Msg::Kind(kind));
            html! {
                <label class="stress-kind-choice">
                    <input type="radio" name="stress-kind" id={id} checked={self.kind == kind} disabled={busy} {onchange} />
                    { label }
                </label>
            }
        };
        html! {
            <fieldset class="stress-kind">
                <legend>{ "Run" }</legend>
                { choice(Kind::Throughput, "stress-kind-throughput", "a synthetic throughput stress") }
                { choice(Kind::Scenario, "stress-kind-scenario", "this scenario's par blocks") }
            </fieldset>
        }
    }

    fn throughput_form(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let busy = self.supervisor.phase().busy();
        let plan = self.form.plan(&self.written);
        let onsubmit = link.callback(|e: SubmitEvent| {
            e.prevent_default();
            Msg::Start
        });
        let form = &self.form;
        let rfc_shared =
            matches!(form.scheme, Choice::BuiltIn(s) if s.is_rfc()) && form.sharing == Sharing::SharedCursor;
        let written = matches!(form.scheme, Choice::Written(_));
        html! {
            <>
                <form class="stress-form" {onsubmit} aria-label="stress plan">
                    <div class="stress-field">
                        <label for="stress-scheme">{ "Scheme" }</label>
                        <select id="stress-scheme" disabled={busy} onchange={on_select(link, Field::Scheme)}>
                            { for SCHEMES.iter().map(|s| html! {
                                <option value={s.id()} selected={form.scheme == Choice::BuiltIn(*s)}>{ format!("{} — {}", s.id(), s.summary()) }</option>
                            }) }
                            { self.written_options() }
                        </select>
                    </div>
                    <div class="stress-field">
                        <label for="stress-workers">{ "Workers" }</label>
                        <input id="stress-workers" type="number" min="1" max="8" step="1" disabled={busy}
                            value={form.workers.clone()} oninput={on_input(link, Field::Workers)} />
                    </div>
                    <div class="stress-field">
                        <label for="stress-mode">{ "Cursors" }</label>
                        <select id="stress-mode" disabled={busy} onchange={on_select(link, Field::Sharing)}>
                            { for Sharing::ALL.iter().map(|s| html! {
                                <option value={s.id()} selected={*s == form.sharing}>{ s.describe() }</option>
                            }) }
                        </select>
                    </div>
                    <div class="stress-field">
                        <label for="stress-budget">{ "Run for" }</label>
                        <select id="stress-budget" disabled={busy} onchange={on_select(link, Field::BudgetKind)}>
                            <option value="ops" selected={!form.by_time}>{ "ops per worker" }</option>
                            <option value="seconds" selected={form.by_time}>{ "seconds" }</option>
                        </select>
                        <input id="stress-amount" type="text" inputmode="decimal" size="10" disabled={busy}
                            aria-label={ if form.by_time { "seconds" } else { "ops per worker" } }
                            value={form.amount.clone()} oninput={on_input(link, Field::Amount)} />
                    </div>
                    <div class="stress-field">
                        <label for="stress-set-ratio">{ "Sets (% of ops)" }</label>
                        <input id="stress-set-ratio" type="number" min="0" max="100" step="any" disabled={busy}
                            value={form.set_percent.clone()} oninput={on_input(link, Field::SetRatio)} />
                    </div>
                    <div class="stress-field">
                        <label for="stress-errnos">{ "Errnos set" }</label>
                        <select id="stress-errnos" disabled={busy} onchange={on_select(link, Field::Errnos)}>
                            { for ERRNO_SETS.iter().map(|s| html! {
                                <option value={*s} selected={*s == form.errnos}>{ s.replace(',', ", ") }</option>
                            }) }
                        </select>
                    </div>
                    <div class="stress-field">
                        <label for="stress-engine">{ "Engine" }</label>
                        <select id="stress-engine" disabled={busy || written} onchange={on_select(link, Field::Engine)}>
                            { for Engine::ALL.iter().map(|e| html! {
                                <option value={e.id()} selected={*e == form.run_engine()}>{ e.describe() }</option>
                            }) }
                        </select>
                    </div>
                    <details class="stress-field stress-fault">
                        <summary>{ "Fault injection" }</summary>
                        <label for="stress-fault">{ "The last worker" }</label>
                        <select id="stress-fault" disabled={busy} onchange={on_select(link, Field::Fault)}>
                            <option value="none" selected={form.fault == "none"}>{ "runs normally" }</option>
                            <option value="panic" selected={form.fault == "panic"}>{ "panics (crash)" }</option>
                            <option value="hang" selected={form.fault == "hang"}>{ "hangs (spins, no heartbeat)" }</option>
                        </select>
                    </details>
                    <div class="stress-buttons">
                        <button id="stress-start" type="submit" disabled={busy || self.isolation.is_some() || plan.is_err()}>{ "Start" }</button>
                        <button id="stress-stop" type="button" disabled={!busy} onclick={link.callback(|_| Msg::Stop)}>{ "Stop" }</button>
                    </div>
                </form>
                { match &plan {
                    Err(why) if !busy => html! { <p class="stress-invalid" id="stress-invalid">{ why.clone() }</p> },
                    _ => html! {},
                } }
                { if written && !busy { html! {
                    <p id="stress-written-note" class="muted stress-note">{ "A written scheme runs on the JS Atomics engine: \
                        each worker compiles the scheme's C once and interprets it, every READ_ONCE, WRITE_ONCE, cmpxchg and \
                        spin_lock one Atomics call on the shared memory (the wasm-atomics module has no interpreter). A fault \
                        in the scheme stops the run, with its line:col." }</p>
                } } else { html! {} } }
                { if rfc_shared && !busy { html! {
                    <p class="muted stress-note">{ "rfc-v2 as posted reads the word before taking f_lock, so two fds of one \
                        description can both be told one error (the explorer's finding 4): expect this run to fail now and then." }</p>
                } } else { html! {} } }
            </>
        }
    }

    fn throughput_results(&self) -> Html {
        let phase = self.supervisor.phase();
        html! {
            <>
                <p id="stress-status" class={classes!("stress-status", phase.id())} role="status" aria-live="polite"
                    data-phase={phase.id()}>{ self.supervisor.status().to_owned() }</p>
                { self.supervisor.outcome().map_or_else(|| html! {}, failure) }
                { self.counts() }
                { self.supervisor.outcome().map_or_else(|| html! {}, verdict) }
            </>
        }
    }

    /// The scenario's written schemes, after the built-in ones.
    fn written_options(&self) -> Html {
        if self.written.is_empty() {
            return html! {};
        }
        html! {
            <optgroup id="stress-written" label="Written in the scenario">
                { for self.written.iter().map(|o| html! {
                    <option value={o.written.name.to_string()}
                        selected={self.form.scheme == Choice::Written(o.written.name)}>{ o.label() }</option>
                }) }
            </optgroup>
        }
    }

    /// Per-worker counts: live while running, final after.
    fn counts(&self) -> Html {
        let Some(Rows { plan, workers: rows, live }) = self.supervisor.rows() else { return html! {} };
        html! {
            <table id="stress-counts" class="stress-counts">
                <caption>{ if live { "Per worker, live (flushed every 256 ops)" } else { "Per worker" } }</caption>
                <thead><tr>
                    <th scope="col">{ "Worker" }</th><th scope="col">{ "Cursor" }</th><th scope="col">{ "State" }</th>
                    <th scope="col">{ "Ops" }</th><th scope="col">{ "Sets" }</th><th scope="col">{ "Reports" }</th>
                    <th scope="col">{ "Errors told" }</th><th scope="col">{ "Told twice" }</th><th scope="col">{ "Ops/s" }</th>
                </tr></thead>
                <tbody>
                    { for rows.iter().enumerate().map(|(i, (c, state))| html! {
                        <tr id={format!("stress-worker-{i}")} data-ops={c.ops.to_string()} data-state={*state}>
                            <th scope="row">{ i }</th>
                            <td>{ plan.cursor_of(i as u32) }</td>
                            <td class={classes!(matches!(*state, "crashed" | "hung" | "faulted").then_some("bad"))}>{ *state }</td>
                            <td>{ grouped(c.ops.into()) }</td>
                            <td>{ grouped(c.sets.into()) }</td>
                            <td>{ grouped(c.reports.into()) }</td>
                            <td>{ grouped(c.errors.into()) }</td>
                            <td class={classes!((c.double > 0).then_some("bad"))}>{ grouped(c.double.into()) }</td>
                            <td>{ if c.elapsed_us > 0 { rate(c.ops_per_sec()) } else { "—".to_owned() } }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        }
    }
}

/// Why the Stress view cannot run here, and how to fix it.
pub fn isolation_notice(why: Option<&'static str>) -> Html {
    let Some(why) = why else { return html! {} };
    html! {
        <div id="stress-isolation" class="stress-isolation" role="note">
            <h3>{ "Stress needs a cross-origin isolated page" }</h3>
            <p>{ format!("SharedArrayBuffer is unavailable: {why}. Browsers let a page share memory with its workers \
                only when it is served with these two headers:") }</p>
            <pre>{ "Cross-Origin-Opener-Policy: same-origin\nCross-Origin-Embedder-Policy: require-corp" }</pre>
            <p>{ "To fix it, serve the playground with " }<code>{ "bash scripts/serve.sh" }</code>{ " or " }
                <code>{ "trunk serve" }</code>{ " (Trunk.toml sets both headers), or add them to your web server's \
                configuration for every file of the site (on a host other than localhost, over HTTPS). A site built by \
                " }<code>{ "scripts/build-site.sh" }</code>{ " and served over HTTPS adds them itself, through its \
                service worker, on the first visit (the page reloads once). The other views work without them." }</p>
        </div>
    }
}

/// A run that did not finish: who, what, when.
fn failure(outcome: &Outcome) -> Html {
    let Some(Failure { worker, why, after_go_ms }) = &outcome.failure else { return html! {} };
    let workers = outcome.plan.workers;
    html! {
        <div id="stress-failure" class="stress-failure" role="alert" data-worker={worker.map(|w| w.to_string())}
            data-after-go-ms={after_go_ms.map(|ms| format!("{ms:.0}"))}>
            <strong>{ why.clone() }</strong>
            { format!(" {} terminated; the page carries on. No verdict: the run did not finish.",
                if workers == 1 { "The worker was".to_owned() } else { format!("All {workers} workers were") }) }
        </div>
    }
}

/// The invariant check and the throughput of a finished run.
fn verdict(outcome: &Outcome) -> Html {
    let Outcome { verdict: Some(v), plan, engine, ops_per_sec, slowest_us, counts, .. } = outcome else {
        return html! {};
    };
    let per_worker: Vec<String> = counts.iter().map(|c| rate(c.ops_per_sec())).collect();
    html! {
        <>
            <section id="stress-verdict" class={classes!("stress-verdict", if v.passed() { "pass" } else { "fail" })}
                data-passed={v.passed().to_string()} aria-labelledby="stress-verdict-title">
                <h3 id="stress-verdict-title">{ if v.passed() { "Invariants: all hold" } else { "Invariants: violated" } }</h3>
                <ul>
                    { for v.invariants().into_iter().map(|inv| html! {
                        <li class={classes!("invariant", if inv.passed() { "pass" } else { "fail" })} data-passed={inv.passed().to_string()}>
                            <strong>{ if inv.passed() { "✓ PASS " } else { "✗ FAIL " } }</strong>
                            <span class="name">{ inv.name }</span>{ ": " }<span class="checked">{ inv.checked.clone() }</span>
                            { if inv.problems.is_empty() { html! {} } else { html! {
                                <ul class="problems">{ for inv.problems.iter().map(|p| html! { <li>{ p.clone() }</li> }) }</ul>
                            } } }
                        </li>
                    }) }
                </ul>
                <p class="muted">{ format!("{} ({}, {}, {} of ops set {}).", totals_line(v), plan.scheme_label(), plan.sharing.describe(),
                    percent(plan.set_ppm), plan.errnos.iter().map(|e| e.name()).collect::<Vec<_>>().join("/")) }</p>
            </section>
            <p id="stress-throughput" class="stress-throughput" data-ops-per-sec={format!("{ops_per_sec:.0}")}
                data-elapsed-us={slowest_us.to_string()} data-engine={engine.id()}>
                <strong>{ format!("{} in total", rate(*ops_per_sec)) }</strong>
                { format!(" with {}, over {:.1} ms (the slowest worker's time from the start barrier); per worker: {}.",
                    engine.describe(), f64::from(*slowest_us) / 1000.0, per_worker.join(", ")) }
            </p>
        </>
    }
}

fn totals_line(v: &Verdict) -> String {
    let t = &v.totals;
    format!(
        "{} ops: {} sets ({} moved the counter), {} reports, {} told an error; final word {}",
        grouped(t.ops.into()),
        grouped(t.sets.into()),
        grouped(t.increments.into()),
        grouped(t.reports.into()),
        grouped(t.errors.into()),
        errseq_stress::check::describe(t.word)
    )
}
