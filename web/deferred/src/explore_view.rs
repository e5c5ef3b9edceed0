//! The Explore view: the joint outcomes of a scenario with `par` blocks,
//! and any one interleaving step by step.
//!
//! The interleaving shown is named by a replay string, kept by the page
//! (so the share link carries it). Choosing an outcome or a violation's
//! counterexample sets it; the stepper replays it, forwards and backwards
//! (← / →, Home / End), with the state after each step.

use std::rc::Rc;

use errseq_explorer::trace::Trace;
use errseq_explorer::{replay_string, Report, Violation};
use errseq_model::Program;
use errseq_render::{result_text as ret, thousands};
use errseq_scenario::Parsed;
use web_sys::KeyboardEvent;
use yew::prelude::*;

use crate::inspector::{self, Snapshot};

use crate::explored::Explored;

#[derive(Properties, PartialEq)]
pub struct ExploreProps {
    pub explored: Explored,
    pub replay: Option<AttrValue>,
    pub on_replay: Callback<Option<String>>,
}

#[function_component(ExploreView)]
pub fn explore_view(props: &ExploreProps) -> Html {
    let column = use_state(|| None::<usize>);
    let step = use_state(|| 0usize);
    let current = use_node_ref();
    // Keep the current step in view as it moves.
    {
        let current = current.clone();
        use_effect_with((*step, props.replay.clone()), move |_| {
            if let Some(el) = current.cast::<web_sys::Element>() {
                let opts = web_sys::ScrollIntoViewOptions::new();
                opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
                el.scroll_into_view_with_scroll_into_view_options(&opts);
            }
        });
    }
    // The program and the interleaving, decoded once per analysis and
    // replay string: a step (← / →) only moves `step` and shows the cells
    // the trace already holds for it, replaying nothing.
    let decoded = use_memo((props.explored.clone(), props.replay.clone()), |(a, replay)| {
        // A text without par blocks has no report, and an interleaving
        // only when a link names one (a counterexample of the
        // invariants' table in a sequential scenario).
        if a.0.report().is_none() && replay.is_none() {
            return None;
        }
        let fs = a.0.parsed()?.scenario.fs();
        let program = Rc::new(a.0.program()?);
        let trace = replay.as_ref().map(|s| {
            errseq_web::browser::count("replays");
            replay_string::decode(&program, fs, s).map_err(|e| e.to_string())
        });
        Some((program, trace))
    });
    let (parsed, report) = match (props.explored.0.parsed(), props.explored.0.report()) {
        (Some(parsed), Some(report)) => (parsed, report),
        (Some(parsed), None) if props.replay.is_some() => {
            let Some((program, trace)) = decoded.as_ref() else { return html! {} };
            return html! {
                <section class="explore" aria-label="explore">
                    <h2>{ "Explore" }</h2>
                    <p class="muted">{ "This text has no par blocks: each call runs whole, one step each." }</p>
                    { stepper(parsed, program, trace.as_ref(), &step, props.replay.clone(), current) }
                </section>
            };
        }
        _ => {
            return html! {
                <section class="explore" aria-label="explore">
                    <h2>{ "Explore" }</h2>
                    <p class="muted">{ "Explore shows every interleaving of a scenario's par blocks. This text has none \
                        (or has problems to fix first); open one of the Explore examples from the gallery." }</p>
                </section>
            }
        }
    };
    let report = match report {
        Ok(r) => r,
        Err(e) => {
            return html! { <section class="explore" aria-label="explore"><h2>{ "Explore" }</h2><p class="diag error" role="alert">{ e.to_string() }</p></section> }
        }
    };
    let Some((program, trace)) = decoded.as_ref() else { return html! {} };
    let fs = parsed.scenario.fs();
    let col =
        column.unwrap_or_else(|| interesting_column(report)).min(report.columns.len().saturating_sub(1));
    // An interleaving of column `c` (a written column's key, not its
    // base's, so that its replay runs the writer's scheme).
    let choose = {
        let (on_replay, step, program) = (props.on_replay.clone(), step.clone(), Rc::clone(program));
        let (column, keys) =
            (column.clone(), report.columns.iter().map(|c| c.exploration.key).collect::<Vec<_>>());
        move |c: usize, schedule: &errseq_explorer::Schedule| {
            let Some(&key) = keys.get(c) else { return };
            let s = replay_string::encode(&program, key, fs, schedule).ok();
            column.set(Some(c));
            step.set(0);
            on_replay.emit(s);
        }
    };
    html! {
        <section class="explore" aria-label="explore">
            <h2>{ "Explore" }</h2>
            <div role="tablist" aria-label="scheme" class="schemes">
                { for report.columns.iter().enumerate().map(|(i, c)| {
                    let column = column.clone();
                    html! { <button role="tab" aria-selected={ (i == col).to_string() } class={ classes!("tab", (i == col).then_some("selected")) }
                        onclick={ Callback::from(move |_| column.set(Some(i))) }>{ c.name.to_string() }</button> }
                }) }
            </div>
            { outcome_table(parsed, report, col, &choose) }
            { violations(parsed, report, &choose) }
            { stepper(parsed, program, trace.as_ref(), &step, props.replay.clone(), current) }
        </section>
    }
}

/// The scheme to show first: one where something does not hold, else the
/// one with the most outcomes.
fn interesting_column(r: &Report) -> usize {
    if let Some(v) = r.violations.first() {
        return v.column();
    }
    (0..r.columns.len()).max_by_key(|&i| (r.columns[i].exploration.outcomes.len(), i)).unwrap_or(0)
}

fn outcome_table(
    p: &Parsed,
    r: &Report,
    col: usize,
    choose: &(impl Fn(usize, &errseq_explorer::Schedule) + Clone + 'static),
) -> Html {
    let e = &r.columns[col].exploration;
    let calls: Vec<usize> = p
        .scenario
        .stmts()
        .enumerate()
        .filter(|(i, _)| p.bindings.events[*i].returns)
        .map(|(i, _)| i)
        .collect();
    let n = e.outcomes.len();
    html! {
        <>
            <p id="explore-summary" aria-live="polite">
                { format!("{}: {n} joint outcome{} from {} interleavings ({} states)", r.columns[col].name,
                    if n == 1 { "" } else { "s" }, thousands(e.interleavings), thousands(e.states as u128)) }
            </p>
            <div class="table-wrap">
                <table id="outcomes" class="outcomes">
                    <thead><tr>
                        { for calls.iter().map(|&i| html! { <th scope="col">{ errseq_render::call_name(p, i) }</th> }) }
                        <th scope="col">{ "interleavings" }</th><th scope="col"><span class="sr-only">{ "step through" }</span></th>
                    </tr></thead>
                    <tbody>{ for e.outcomes.iter().enumerate().map(|(k, o)| {
                        let pick = { let choose = choose.clone(); let s = o.schedule.clone(); Callback::from(move |_| choose(col, &s)) };
                        html! {
                            <tr>
                                { for calls.iter().map(|&i| html! { <td>{ ret(o.results[i]) }</td> }) }
                                <td class="count">{ thousands(o.count) }</td>
                                <td><button onclick={ pick } aria-label={ format!("step through outcome {}", k + 1) }>{ "Step through" }</button></td>
                            </tr>
                        }
                    }) }</tbody>
                </table>
            </div>
        </>
    }
}

fn violations(
    p: &Parsed,
    r: &Report,
    choose: &(impl Fn(usize, &errseq_explorer::Schedule) + Clone + 'static),
) -> Html {
    if r.violations.is_empty() {
        return html! { <p class="summary">{ "Every expectation and claim holds under every scheme." }</p> };
    }
    html! {
        <ul class="violations" aria-label="what does not hold">
            { for r.violations.iter().map(|v| {
                let scheme = r.columns[v.column()].name.to_string();
                let text = match v {
                    Violation::Expect { event, expected, actual, .. } => format!("{scheme}: `{}` expected {expected}, an interleaving returns {}",
                        errseq_render::call_name(p, *event), ret(*actual)),
                    Violation::Never { claim, count, .. } => format!("{scheme}: {} interleavings reach the `never` of line {}", thousands(*count),
                        p.source.claims.get(*claim).map_or(0, |c| c.keyword.line)),
                    Violation::Exists { claim, .. } => format!("{scheme}: no interleaving gives the `exists` of line {}",
                        p.source.claims.get(*claim).map_or(0, |c| c.keyword.line)),
                };
                let button = v.schedule().map(|s| {
                    let choose = choose.clone();
                    let (s, c) = (s.clone(), v.column());
                    html! { <button onclick={ Callback::from(move |_| choose(c, &s)) }>{ "Show the counterexample" }</button> }
                });
                html! { <li class="diag error">{ text }{ " " }{ button.unwrap_or_default() }</li> }
            }) }
        </ul>
    }
}

fn stepper(
    p: &Parsed,
    program: &Rc<Program>,
    trace: Option<&Result<Trace, String>>,
    step: &UseStateHandle<usize>,
    replay: Option<AttrValue>,
    current_ref: NodeRef,
) -> Html {
    let trace = match trace {
        None => return html! {},
        Some(Err(e)) => return html! { <p class="diag error" role="alert">{ e.clone() }</p> },
        Some(Ok(t)) => t,
    };
    let last = trace.steps.len().saturating_sub(1);
    let at = (**step).min(last);
    let go = |to: usize| {
        let step = step.clone();
        Callback::from(move |_: MouseEvent| step.set(to))
    };
    let onkeydown = {
        let step = step.clone();
        Callback::from(move |e: KeyboardEvent| {
            let to = match e.key().as_str() {
                "ArrowLeft" => at.saturating_sub(1),
                "ArrowRight" => (at + 1).min(last),
                "Home" => 0,
                "End" => last,
                _ => return,
            };
            e.prevent_default();
            step.set(to);
        })
    };
    let blocks = &program.blocks;
    let events_at = |event: usize| blocks.iter().find(|b| b.contains(&event)).map_or(event + 1, |b| b.start);
    let current = &trace.steps[at];
    // A written scheme's word is drawn as its own defines lay it out.
    let word = match trace.key {
        errseq::SchemeKey::Written(w) => p.bindings.written(w).map(|w| {
            let l = w.program.layout();
            crate::inspector::WordFields { errno_mask: l.errno_mask, seen: l.seen, ctr_inc: l.ctr_inc }
        }),
        errseq::SchemeKey::BuiltIn(_) => None,
    };
    let snapshot = Snapshot {
        program,
        scheme: trace.scheme,
        word,
        cells: &current.cells,
        events: events_at(current.event),
    };
    let caption = format!("after step {} of {} under {}", at + 1, trace.steps.len(), trace.key);
    html! {
        <div class="stepper">
            <h3>{ "Interleaving " }<code id="replay-string">{ replay.unwrap_or_default() }</code></h3>
            <div role="toolbar" aria-label="step through the interleaving" class="step-tools">
                <button onclick={ go(0) } disabled={ at == 0 }>{ "|◀ Start" }</button>
                <button id="step-back" onclick={ go(at.saturating_sub(1)) } disabled={ at == 0 }>{ "◀ Back" }</button>
                <span aria-live="polite" id="step-position">{ format!("step {} of {}", at + 1, trace.steps.len()) }</span>
                <button id="step-next" onclick={ go((at + 1).min(last)) } disabled={ at == last }>{ "Next ▶" }</button>
                <button onclick={ go(last) } disabled={ at == last }>{ "End ▶|" }</button>
            </div>
            <div class="step-layout">
                <ol class="steps" tabindex="0" aria-label="steps; ← and → move" { onkeydown }>
                    { for trace.steps.iter().enumerate().map(|(i, s)| {
                        let who = errseq_render::call_name(p, s.event);
                        let does = match s.step {
                            Some(st) => errseq_render::describe_step(program, events_at(s.event), st, s.value),
                            None => "runs alone".to_owned(),
                        };
                        // A written scheme's step, in its writer's lines.
                        let site = s.site.map(|site| html! {
                            <>{ " at " }<code class="site">{ errseq_render::describe_site(p, trace.key, site) }</code></>
                        });
                        let returns = match s.returned { Some(Some(r)) => format!(" → returns {r}"), _ => String::new() };
                        html! {
                            <li ref={ if i == at { current_ref.clone() } else { NodeRef::default() } }
                                class={ classes!((i == at).then_some("current"), s.task.is_none().then_some("alone")) }
                                aria-current={ (i == at).then_some("step") } onclick={ go(i) }>
                                <span class="who">{ who }</span>{ " " }<span class="does">{ does }{ site }{ returns }</span>
                            </li>
                        }
                    }) }
                </ol>
                { inspector::section(&caption, inspector::markup(&snapshot)) }
            </div>
        </div>
    }
}
