//! The "Invariants" tables, below the Explore view: for each scheme the
//! text writes, which of the invariants it keeps over the gallery, beside
//! the built-in it starts from, and a link to each counterexample.
//!
//! The sweep (`invariants::of`) runs once per text, after the view has
//! painted "Checking…" (a timeout, cancelled when the text changes first),
//! so the Explore view above it never waits for it.

use errseq_invariants::Invariant;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::invariants::{self, Row, SchemeInvariants, Sheet};

#[derive(Properties, PartialEq)]
pub struct InvariantsProps {
    pub text: AttrValue,
}

#[function_component(InvariantsPanel)]
pub fn invariants_panel(props: &InvariantsProps) -> Html {
    // Bumped when a sweep this view waited for is done.
    let swept = use_state(|| 0u32);
    let ready = invariants::ready(&props.text);
    {
        let swept = swept.clone();
        use_effect_with((props.text.clone(), ready), move |(text, ready)| {
            let text = text.clone();
            let pending = (!*ready).then(|| {
                Timeout::new(20, move || {
                    invariants::of(&text);
                    swept.set(*swept + 1);
                })
            });
            move || drop(pending)
        });
    }
    if !ready {
        return html! {
            <section class="invariants" aria-label="invariants">
                <h2>{ "Invariants" }</h2>
                <p class="muted" role="status">{ format!("Checking the invariants over the gallery's {} scenarios…",
                    errseq_examples::GALLERY.len()) }</p>
            </section>
        };
    }
    let sheets = invariants::of(&props.text);
    if sheets.is_empty() {
        return html! {};
    }
    html! {
        <section class="invariants" aria-label="invariants">
            <h2>{ "Invariants" }</h2>
            <p class="muted">{ "Each scheme the text writes, checked in every interleaving of the gallery's scenarios, \
                beside the built-in scheme it starts from. A broken invariant links to its counterexample: the \
                scenario with the scheme in it, opened in a new tab on the interleaving, step by step." }</p>
            { for sheets.iter().map(table) }
        </section>
    }
}

fn table(s: &SchemeInvariants) -> Html {
    let (mine, base) = (s.name.to_string(), s.base.id());
    html! {
        <div class="invariants-scheme" data-scheme={ mine.clone() }>
            <div class="table-wrap">
                <table class="invariants-table">
                    <caption>{ format!("{mine}, from {base}") }</caption>
                    <thead><tr>
                        <th scope="col">{ "invariant" }</th>
                        <th scope="col">{ mine.clone() }</th>
                        <th scope="col">{ format!("{base} (its base)") }</th>
                    </tr></thead>
                    <tbody>{ for Invariant::ALL.iter().map(|&inv| html! {
                        <tr data-invariant={ inv.id() }>
                            <th scope="row"><code>{ inv.id() }</code><br /><span class="statement">{ inv.statement() }</span></th>
                            { cell(&s.mine.rows[inv as usize], "mine") }
                            { cell(&s.theirs.rows[inv as usize], "base") }
                        </tr>
                    }) }</tbody>
                </table>
            </div>
            { unchecked(&mine, &s.mine) }
            { unchecked(base, &s.theirs) }
            <p class="muted sweep-figure" data-millis={ format!("{:.0}", s.mine.millis) }>
                { figure(&mine, &s.mine) }
            </p>
        </div>
    }
}

fn cell(row: &Row, whose: &'static str) -> Html {
    match row {
        Row::Kept { scenarios } => html! {
            <td class={ classes!(whose, "kept") }>{ format!("kept (at stake in {scenarios} scenario{})", plural(*scenarios)) }</td>
        },
        Row::Untested => {
            html! { <td class={ classes!(whose, "untested") }>{ "not at stake in any scenario" }</td> }
        }
        Row::Broken { shown, scenarios } => {
            let others = scenarios.iter().filter(|&&n| n != shown.scenario).copied().collect::<Vec<_>>();
            let elsewhere = (!others.is_empty()).then(|| format!(" (also in {})", others.join(", ")));
            let link = match &shown.fragment {
                Ok(f) => html! {
                    <a class="counterexample" href={ format!("{}#{f}", errseq_web::browser::public_base()) }
                        target="_blank" rel="noopener">{ "Open the counterexample ↗" }</a>
                },
                Err(why) => html! { <span class="muted">{ why.clone() }</span> },
            };
            html! {
                <td class={ classes!(whose, "broken") }>
                    <strong>{ "broken" }</strong>{ " in " }<code class="scenario">{ shown.scenario }</code>
                    { elsewhere.unwrap_or_default() }{ ": " }
                    <span class="said">{ with_code(&shown.said) }</span>
                    { format!(" ({} interleaving{}) ", errseq_render::thousands(shown.count), plural_u128(shown.count)) }
                    { link }
                </td>
            }
        }
    }
}

/// A sentence whose `quoted` parts (the calls) are code.
fn with_code(said: &str) -> Html {
    let parts = said.split('`').enumerate().map(|(i, part)| {
        if i % 2 == 1 {
            html! { <code>{ part }</code> }
        } else {
            html! { { part } }
        }
    });
    html! { <>{ for parts }</> }
}

/// The scenarios a sweep could not finish, by reason.
fn unchecked(scheme: &str, sheet: &Sheet) -> Html {
    if sheet.unchecked.is_empty() {
        return html! {};
    }
    html! {
        <ul class="unchecked" aria-label={ format!("scenarios not checked under {scheme}") }>
            { for sheet.unchecked.iter().map(|u| html! {
                <li class="diag warning">{ format!("{scheme}: {} not checked: {}", u.scenarios.join(", "), u.why) }</li>
            }) }
        </ul>
    }
}

/// "my-4.17: 18 scenarios, 605,459,588 interleavings, checked in 50 ms."
fn figure(scheme: &str, s: &Sheet) -> String {
    let left: usize = s.unchecked.iter().map(|u| u.scenarios.len()).sum();
    let checked = match left {
        0 => format!("{} scenarios", s.scenarios),
        n => format!("{} of {} scenarios", s.scenarios - n, s.scenarios),
    };
    let n = errseq_render::thousands(s.interleavings);
    format!("{scheme}: {checked}, {n} interleavings, checked in {:.0} ms.", s.millis)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn plural_u128(n: u128) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
