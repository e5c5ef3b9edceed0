//! The timeline pane: a lane per open file description, a kernel lane,
//! a row per event. Rows can be selected, moved, deleted and inserted,
//! with the mouse (buttons, the insert form) or the keyboard:
//!
//! | key | does |
//! |---|---|
//! | ↑ / ↓, Home / End | select the previous / next / first / last event |
//! | Alt+↑ / Alt+↓ | move the selected event up / down |
//! | Delete, Backspace | delete the selected event |
//! | Insert, `i` | go to the insert form (it inserts after the selection) |
//!
//! Every edit is made on the AST and handed up as a new scenario; the page
//! prints it as the new text.

use std::rc::Rc;

use errseq_scenario::{parse_unchecked, Arg, Item, Scenario, Stmt, Verb};
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;

use crate::edit;
use errseq_render::lanes::{timeline, Timeline};

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    /// `None` while the text does not parse at all.
    pub scenario: Option<Rc<Scenario>>,
    pub selected: Option<usize>,
    pub on_select: Callback<usize>,
    /// A new scenario, and the event to select in it.
    pub on_edit: Callback<(Scenario, Option<usize>)>,
}

/// Column headers: the descriptions drawn in each column, `a,b:f`.
fn headers(t: &Timeline) -> Vec<String> {
    (0..t.columns)
        .map(|c| {
            let names: Vec<String> = t
                .lanes
                .iter()
                .filter(|l| l.column == c)
                .map(|l| match l.flags.is_empty() {
                    true => format!("{}:{}", l.fds.join(","), l.file),
                    false => format!("{}:{} {}", l.fds.join(","), l.file, l.flags.join("·")),
                })
                .collect();
            names.join(" · ")
        })
        .collect()
}

#[function_component(TimelineView)]
pub fn timeline_view(props: &TimelineProps) -> Html {
    // Laid out once per scenario (the page hands the same Rc until the
    // text changes), not on a click.
    let layout = use_memo(props.scenario.clone(), |s| s.as_ref().map(|s| Layout(Rc::new(timeline(s)))));
    let Some(scenario) = props.scenario.clone() else {
        return html! {
            <section class="timeline" aria-label="timeline">
                <h2>{ "Timeline" }</h2>
                <p class="muted">{ "The timeline appears when the text parses." }</p>
            </section>
        };
    };
    let Some(layout) = (*layout).clone() else { return html! {} };
    let t: &Timeline = &layout.0;
    let n = t.rows.len();
    let edit_with = {
        let on_edit = props.on_edit.clone();
        let scenario = scenario.clone();
        move |f: &dyn Fn(&mut Scenario) -> Option<usize>| {
            let mut s = (*scenario).clone();
            let select = f(&mut s);
            on_edit.emit((s, select));
        }
    };
    let move_by = {
        let edit_with = edit_with.clone();
        let selected = props.selected;
        Callback::from(move |up: bool| {
            if let Some(i) = selected {
                edit_with(&|s| edit::move_event(s, i, up).or(Some(i)));
            }
        })
    };
    let delete = {
        let edit_with = edit_with.clone();
        let selected = props.selected;
        Callback::from(move |_: ()| {
            if let Some(i) = selected {
                edit_with(&|s| {
                    edit::delete(s, i);
                    Some(i.saturating_sub(1))
                });
            }
        })
    };
    let insert_form = use_node_ref();
    let onkeydown = {
        let (on_select, selected) = (props.on_select.clone(), props.selected);
        let (move_by, delete, insert_form) = (move_by.clone(), delete.clone(), insert_form.clone());
        Callback::from(move |e: KeyboardEvent| {
            let cur = selected.unwrap_or(0);
            let handled = match (e.key().as_str(), e.alt_key()) {
                ("ArrowUp", true) => {
                    move_by.emit(true);
                    true
                }
                ("ArrowDown", true) => {
                    move_by.emit(false);
                    true
                }
                ("ArrowUp", false) if n > 0 => {
                    on_select.emit(cur.saturating_sub(1));
                    true
                }
                ("ArrowDown", false) if n > 0 => {
                    on_select.emit((cur + 1).min(n - 1));
                    true
                }
                ("Home", _) if n > 0 => {
                    on_select.emit(0);
                    true
                }
                ("End", _) if n > 0 => {
                    on_select.emit(n - 1);
                    true
                }
                ("Delete" | "Backspace", _) => {
                    delete.emit(());
                    true
                }
                ("Insert" | "i", _) => {
                    if let Some(el) = insert_form.cast::<HtmlElement>() {
                        let _ = el.focus();
                    }
                    true
                }
                _ => false,
            };
            if handled {
                e.prevent_default();
            }
        })
    };
    let heads = headers(t);
    // The number of lane columns, set through the CSSOM: the page's CSP
    // refuses style attributes.
    let lanes_ref = use_node_ref();
    {
        let lanes_ref = lanes_ref.clone();
        use_effect_with(t.columns, move |n| {
            if let Some(el) = lanes_ref.cast::<web_sys::HtmlElement>() {
                let _ = el.style().set_property("--lanes", &n.to_string());
            }
        });
    }
    let rows = (0..n).map(|index| {
        let selected = props.selected == Some(index);
        html! { <TimelineRow key={ index } layout={ layout.clone() } { index } { selected } on_select={ props.on_select.clone() } /> }
    });
    // A selection past the last row (the text got shorter) names no row.
    let active = props.selected.filter(|&i| i < n).map(|i| format!("event-{i}"));
    html! {
        <section class="timeline" aria-label="timeline">
            <h2>{ "Timeline" }</h2>
            <div class="timeline-tools" role="toolbar" aria-label="edit the selected event">
                <button onclick={ let m = move_by.clone(); Callback::from(move |_| m.emit(true)) } disabled={ props.selected.is_none() } title="Move the selected event up (Alt+↑)">{ "↑ Move up" }</button>
                <button onclick={ let m = move_by.clone(); Callback::from(move |_| m.emit(false)) } disabled={ props.selected.is_none() } title="Move the selected event down (Alt+↓)">{ "↓ Move down" }</button>
                <button onclick={ let d = delete.clone(); Callback::from(move |_| d.emit(())) } disabled={ props.selected.is_none() } title="Delete the selected event (Delete)">{ "✕ Delete" }</button>
            </div>
            <div class="lanes" role="listbox" tabindex="0" aria-label="events, one per row" aria-activedescendant={ active } { onkeydown }
                ref={ lanes_ref }>
                <div class="row head" aria-hidden="true">
                    <span class="num">{ "#" }</span>
                    { for heads.into_iter().map(|h| html! { <span class="lane-cell head">{ h }</span> }) }
                    <span class="lane-cell kernel head">{ "kernel" }</span>
                </div>
                { for rows }
            </div>
            <Insert after={ props.selected } scenario={ scenario.clone() } on_edit={ props.on_edit.clone() } focus={ insert_form } />
        </section>
    }
}

/// A laid-out timeline, compared by pointer: rows re-render only when the
/// layout is a new one or their selection changes.
#[derive(Clone)]
struct Layout(Rc<Timeline>);

impl PartialEq for Layout {
    fn eq(&self, other: &Layout) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    layout: Layout,
    index: usize,
    selected: bool,
    on_select: Callback<usize>,
}

/// One event's row, a component of its own (see [`Layout`]).
#[function_component(TimelineRow)]
fn timeline_row(props: &RowProps) -> Html {
    let (t, i) = (&props.layout.0, props.index);
    let row = &t.rows[i];
    let select = {
        let on_select = props.on_select.clone();
        Callback::from(move |_| on_select.emit(i))
    };
    let first_of_block = row.block.is_some() && (i == 0 || t.rows[i - 1].block != row.block);
    // The call without its flags, which are labels of their own; a read
    // drawn apart (it returns data, not a report).
    let chip = |bad: bool| {
        html! {
            <span class={ classes!("chip", bad.then_some("bad"), row.read.then_some("read")) }>
                { row.text.clone() }
                { for row.flags.iter().map(|f| html! { <span class="flag">{ *f }</span> }) }
            </span>
        }
    };
    let cells = (0..t.columns).map(|c| {
        let alive = t.alive(c, i);
        let here = row.lane.is_some() && row.lane == alive;
        html! {
            <span class={ classes!("lane-cell", alive.is_some().then_some("alive")) }>
                { if here { chip(false) } else { html! {} } }
            </span>
        }
    });
    let kernel = row.lane.is_none();
    html! {
        <div id={ format!("event-{i}") } role="option" aria-selected={ props.selected.to_string() } onclick={ select }
            class={ classes!("row", props.selected.then_some("selected"), row.block.map(|_| "in-par"), row.dangling.then_some("dangling")) }>
            <span class="num">{ i + 1 }{ if first_of_block { html! { <span class="par-tag">{ "par" }</span> } } else { html! {} } }</span>
            { for cells }
            <span class="lane-cell kernel">
                { if kernel { chip(row.dangling) } else { html! {} } }
            </span>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct InsertProps {
    after: Option<usize>,
    scenario: Rc<Scenario>,
    on_edit: Callback<(Scenario, Option<usize>)>,
    focus: NodeRef,
}

fn arg_label(a: Arg) -> &'static str {
    match a {
        Arg::Fd => "fd",
        Arg::NewFd => "new fd",
        Arg::File => "file",
        Arg::Errno => "errno",
        Arg::Page => "page (optional)",
        Arg::Flags => "flags (optional)",
        Arg::Pages => "pages N or N..M (optional)",
        Arg::OpenFlags => "flags (optional)",
        Arg::Rwf => "RWF_SYNC or RWF_DSYNC (optional)",
    }
}

/// A form that builds one call and inserts it after the selection. The
/// call is checked by the scenario parser, so it says what is wrong the
/// same way the text pane does.
#[function_component(Insert)]
fn insert(props: &InsertProps) -> Html {
    let verb = use_state(|| Verb::Fsync);
    let args = use_state(|| [String::new(), String::new(), String::new()]);
    let problem = use_state(|| None::<String>);
    let shape = verb.args();
    let on_verb = {
        let verb = verb.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            if let Some(v) = Verb::from_keyword(&sel.value()) {
                verb.set(v);
            }
        })
    };
    let field = |k: usize| {
        let args = args.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut v = (*args).clone();
            v[k] = input.value();
            args.set(v);
        })
    };
    let onsubmit = {
        let (verb, args, problem) = (verb.clone(), args.clone(), problem.clone());
        let (scenario, after, on_edit) = (props.scenario.clone(), props.after, props.on_edit.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let line = format!("{} {} {} {}", verb.keyword(), args[0].trim(), args[1].trim(), args[2].trim());
            match parse_unchecked(line.trim()) {
                Ok((s, _)) => {
                    let stmt: Option<Stmt> = s.body.into_iter().find_map(|i| match i {
                        Item::Stmt(st) => Some(st),
                        _ => None,
                    });
                    if let Some(stmt) = stmt {
                        let mut next = (*scenario).clone();
                        edit::insert_after(&mut next, after, stmt);
                        let select = after.map_or(next.stmts().count().saturating_sub(1), |i| i + 1);
                        problem.set(None);
                        on_edit.emit((next, Some(select)));
                    }
                }
                Err(d) => problem.set(d.first().map(|d| d.message.clone())),
            }
        })
    };
    let where_ = match props.after {
        Some(i) => format!("after event {}", i + 1),
        None => "at the end".to_owned(),
    };
    html! {
        <form class="insert" {onsubmit} aria-label="insert an event">
            <label>{ "Call " }
                <select ref={ props.focus.clone() } onchange={ on_verb } aria-label="call">
                    { for Verb::ALL.iter().map(|v| html! { <option value={ v.keyword() } selected={ *v == *verb }>{ v.keyword() }</option> }) }
                </select>
            </label>
            { for shape.iter().take(3).enumerate().map(|(k, a)| html! {
                <label>{ format!("{} ", arg_label(*a)) }
                    <input value={ args[k].clone() } oninput={ field(k) } size="8" aria-label={ arg_label(*a) } />
                </label>
            }) }
            <button type="submit">{ format!("Insert {where_}") }</button>
            { if let Some(p) = &*problem { html! { <span class="diag error" role="alert">{ p.clone() }</span> } } else { html! {} } }
        </form>
    }
}
