//! The scenario mode's HTML: its form, its status, and one outcome table
//! per `par` block.
//!
//! Element ids (for the browser tests, `web/tests/stress.test.mjs`):
//!
//! | id | what |
//! |---|---|
//! | `scenario-mode` | the mode's section |
//! | `scenario-source` | what would run of the page's scenario (its title, blocks and tasks), or why it cannot; `data-runnable` |
//! | `scenario-scheme`, `scenario-runs` | scheme select (default `linux`, the newest; then the scenario's written schemes by name in `optgroup#scenario-written`), runs per block (1..=100,000, default 1,000) |
//! | `scenario-start`, `scenario-stop` | the buttons |
//! | `scenario-invalid` | what is wrong with the form |
//! | `scenario-status` | the status line (`role=status`); `data-phase` = idle, running, finished, failed |
//! | `scenario-problem` | why the scenario cannot run, or what failed (`role=alert`) |
//! | `scenario-block-N` | block N's result (from 0), `data-line` (its `par`), `data-runs`, `data-impossible` (observed outcomes the explorer does not allow) |
//! | `scenario-verdict-N` | its one-line verdict, `data-passed` |
//! | `tr.outcome` | a joint outcome: `data-status` = seen, unseen, impossible; `data-observed` (runs), `data-interleavings` (explorer, 0 if none); `td.result` per task |

use errseq::SchemeKey;
use errseq_stress::format::{grouped, share};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::supervisor::{BlockOutcome, ScenarioSupervisor};
use super::table::{show, Standing};
use super::BlockPlan;
use crate::form::ScenarioForm;
use crate::view::{Msg, Stress};
use crate::written::Offer;

/// The mode's panel; `summary` is what it would run of the page's text
/// (`super::describe`).
pub fn panel(
    link: &html::Scope<Stress>,
    form: &ScenarioForm,
    sup: &ScenarioSupervisor,
    summary: &Result<String, String>,
    written: &[Offer],
    isolated: bool,
) -> Html {
    let busy = sup.busy();
    let request = form.request();
    let onsubmit = link.callback(|e: SubmitEvent| {
        e.prevent_default();
        Msg::ScenarioStart
    });
    let on_scheme =
        link.callback(|e: Event| Msg::ScenarioScheme(e.target_unchecked_into::<HtmlSelectElement>().value()));
    let on_runs = link
        .callback(|e: InputEvent| Msg::ScenarioRuns(e.target_unchecked_into::<HtmlInputElement>().value()));
    html! {
        <section id="scenario-mode" class="scenario-mode" aria-labelledby="scenario-title">
            <h3 id="scenario-title">{ "Run this scenario's par blocks" }</h3>
            <p class="muted">
                { "Each par block of the scenario in the Playground tab runs on Web Workers, one per task, many times. The \
                   state is the model's own cells in a SharedArrayBuffer, set to what the events before the block leave; \
                   each task is the model's own call, every atomic step a JS Atomics operation, every page-cache step \
                   under one lock. The joint outcomes the runs show are set next to the explorer's for the same scheme, \
                   as litmus7 runs a litmus test on hardware next to what a memory model allows: an outcome the explorer \
                   calls impossible would be a bug; one it allows and no run showed is a race the runs did not hit." }
            </p>
            <p id="scenario-source" class={classes!("scenario-source", summary.is_err().then_some("unrunnable"))}
                data-runnable={summary.is_ok().to_string()}>
                { match summary { Ok(s) | Err(s) => s.clone() } }
            </p>
            <form class="stress-form" {onsubmit} aria-label="scenario run">
                <div class="stress-field">
                    <label for="scenario-scheme">{ "Scheme" }</label>
                    <select id="scenario-scheme" disabled={busy} onchange={on_scheme}>
                        { for ScenarioForm::schemes().map(|s| html! {
                            <option value={s.id()} selected={form.scheme == s}>{ format!("{} — {}", s.id(), s.summary()) }</option>
                        }) }
                        { if written.is_empty() { html! {} } else { html! {
                            <optgroup id="scenario-written" label="Written in the scenario">
                                { for written.iter().map(|o| html! {
                                    <option value={o.written.name.to_string()}
                                        selected={form.scheme == SchemeKey::Written(o.written.name)}>{ o.label() }</option>
                                }) }
                            </optgroup>
                        } } }
                    </select>
                </div>
                <div class="stress-field">
                    <label for="scenario-runs">{ "Runs per block" }</label>
                    <input id="scenario-runs" type="text" inputmode="numeric" size="8" disabled={busy}
                        value={form.runs.clone()} oninput={on_runs} />
                </div>
                <div class="stress-buttons">
                    <button id="scenario-start" type="submit" disabled={busy || !isolated || request.is_err()}>{ "Run" }</button>
                    <button id="scenario-stop" type="button" disabled={!busy} onclick={link.callback(|_| Msg::ScenarioStop)}>{ "Stop" }</button>
                </div>
            </form>
            { match &request {
                Err(why) if !busy => html! { <p class="stress-invalid" id="scenario-invalid">{ why.clone() }</p> },
                _ => html! {},
            } }
            <p id="scenario-status" class={classes!("stress-status", sup.phase().id())} role="status" aria-live="polite"
                data-phase={sup.phase().id()}>{ sup.status().to_owned() }</p>
            { sup.problem().map_or_else(|| html! {}, |why| html! {
                <div id="scenario-problem" class="stress-failure" role="alert"><strong>{ why.to_owned() }</strong></div>
            }) }
            { for sup.outcomes().iter().filter_map(|o| {
                let plan = sup.prepared()?.blocks.get(o.block)?;
                Some(block(plan, o, &sup.prepared().map_or_else(String::new, |p| p.scheme.to_string())))
            }) }
        </section>
    }
}

/// One block's verdict and table.
fn block(plan: &BlockPlan, o: &BlockOutcome, scheme: &str) -> Html {
    let s = o.summary;
    let passed = s.impossible == 0;
    let verdict = if passed {
        format!(
            "✓ Every observed outcome is one the explorer allows: {} of its {} outcome(s) seen in {} runs ({:.0} ms).",
            s.seen,
            s.allowed,
            grouped(s.runs.into()),
            o.elapsed_ms
        )
    } else {
        format!(
            "✗ {} observed outcome(s), in {} of {} runs, the explorer calls impossible: the model, the explorer or the \
             workers are wrong.",
            s.impossible,
            grouped(s.impossible_runs.into()),
            grouped(s.runs.into())
        )
    };
    html! {
        <section id={format!("scenario-block-{}", o.block)} class="scenario-block" data-line={plan.line.to_string()}
            data-runs={s.runs.to_string()} data-impossible={s.impossible.to_string()}>
            <h4>{ format!("The par block of line {}", plan.line) }</h4>
            <p id={format!("scenario-verdict-{}", o.block)} class={classes!("scenario-verdict", if passed { "pass" } else { "fail" })}
                data-passed={passed.to_string()}>{ verdict }</p>
            <table class="scenario-outcomes">
                <caption>{ format!("Joint outcomes under {scheme}: observed on workers, and allowed by the explorer \
                    (interleavings of the block from the same state; {} states)", grouped(plan.states as u128)) }</caption>
                <thead><tr>
                    { for plan.calls.iter().map(|c| html! { <th scope="col"><code>{ c.clone() }</code></th> }) }
                    <th scope="col">{ "Runs" }</th><th scope="col">{ "Share" }</th>
                    <th scope="col">{ "Interleavings" }</th><th scope="col">{ "Verdict" }</th>
                </tr></thead>
                <tbody>
                    { for o.rows.iter().map(|r| html! {
                        <tr class={classes!("outcome", r.standing.id())} data-status={r.standing.id()}
                            data-observed={r.observed.to_string()} data-interleavings={r.interleavings.to_string()}>
                            { for r.results.iter().map(|x| html! { <td class="result">{ show(*x) }</td> }) }
                            <td>{ grouped(r.observed.into()) }</td>
                            <td>{ share(r.observed.into(), s.runs.into()) }</td>
                            <td>{ if r.interleavings > 0 { grouped(r.interleavings) } else { "none".to_owned() } }</td>
                            <td class="standing">{ match r.standing {
                                Standing::Seen => "✓ seen",
                                Standing::Unseen => "not seen (allowed)",
                                Standing::Impossible => "✗ impossible per the explorer",
                            } }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}
