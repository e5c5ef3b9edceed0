//! The page: one document, three views of it.
//!
//! The state is the scenario text with its history, the selected event,
//! the scheme the inspector follows, and the interleaving the Explore view
//! shows (a replay string). Everything else is derived from the text on
//! each edit: the analysis (diagnostics, results, joint outcomes), the
//! timeline, the grid.

use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

use crate::analysis::{Analysis, Grid, Shared};
use crate::browser;
use crate::doc::Doc;
use crate::explore_view::ExploreView;
use crate::gallery::{Gallery, EXAMPLES};
use crate::paste::{MailBanner, Pasted};
use crate::playground::Playground;
use crate::share::{fragment_for, CopyButtons, EmbedView};
use crate::stress::StressTab;

/// What the page holds.
#[derive(Clone, PartialEq)]
pub struct AppState {
    pub doc: Doc,
    pub selected: Option<usize>,
    pub column: usize,
    pub replay: Option<String>,
    /// Why the link the page was opened with could not be read; while set,
    /// the URL is left alone.
    pub link_problem: Option<String>,
    /// The mail last pasted into the text pane, while its banner shows.
    pub mail: Option<Pasted>,
}

pub enum Msg {
    /// A keystroke in the text pane.
    Typed(String),
    /// A change that is an undo step of its own, selecting an event after.
    Replace(String, Option<usize>),
    Undo,
    Redo,
    Select(usize),
    Pick(usize, usize),
    Replay(Option<String>),
    /// The user keeps the current scenario after a bad link.
    KeepScenario,
    /// A mail was pasted into the text pane; then one of its scenarios
    /// is chosen, or its banner dismissed.
    Pasted(Vec<errseq_share::mail::Found>),
    OpenPasted(usize),
    DismissPasted,
}

impl Reducible for AppState {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        let mut s = (*self).clone();
        match msg {
            Msg::Typed(t) => s.doc.typed(t, browser::now()),
            Msg::Replace(t, select) => {
                s.doc.replace(t);
                s.selected = select;
                s.replay = None;
            }
            Msg::Undo => {
                s.doc.undo();
            }
            Msg::Redo => {
                s.doc.redo();
            }
            Msg::Select(e) => s.selected = Some(e),
            Msg::Pick(e, c) => {
                s.selected = Some(e);
                s.column = c;
            }
            Msg::Replay(r) => s.replay = r,
            Msg::KeepScenario => s.link_problem = None,
            Msg::Pasted(found) => {
                let pasted = Pasted::new(found);
                if let Some(i) = pasted.opened {
                    s.open_pasted(&pasted, i);
                }
                s.mail = Some(pasted);
            }
            Msg::OpenPasted(i) => {
                if let Some(mut pasted) = s.mail.take() {
                    s.open_pasted(&pasted, i);
                    pasted.opened = Some(i);
                    s.mail = Some(pasted);
                }
            }
            Msg::DismissPasted => s.mail = None,
        }
        Rc::new(s)
    }
}

impl AppState {
    /// Scenario `i` of a pasted mail becomes the document (one undo step).
    fn open_pasted(&mut self, pasted: &Pasted, i: usize) {
        if let Some((text, replay)) = pasted.scenario(i) {
            self.doc.replace(text);
            self.selected = None;
            self.replay = replay;
        }
    }

    /// The scenario of the link the page was opened with, or else the saved
    /// scenario, or else the first example. A link's scenario is one undo
    /// step away from the saved one, so opening a link loses nothing; a link
    /// that cannot be read leaves the saved scenario and says why.
    pub fn initial() -> AppState {
        let saved = browser::saved_scenario().unwrap_or_else(|| EXAMPLES[0].text.to_owned());
        let mut s = AppState {
            doc: Doc::new(saved),
            selected: None,
            column: 0,
            replay: None,
            link_problem: None,
            mail: None,
        };
        let fragment = browser::fragment();
        if fragment.is_empty() {
            return s;
        }
        match errseq_share::decode(&fragment) {
            Ok(shared) => {
                s.doc.replace(shared.scenario.to_string());
                s.replay = shared.replay;
            }
            // A `text=` link whose text has mistakes: open the text as it is,
            // the editor shows the mistakes.
            Err(e) if e.text().is_some() => s.doc.replace(e.text().unwrap_or_default().to_owned()),
            Err(e) => s.link_problem = Some(e.to_string()),
        }
        s
    }
}

/// The gallery fills the first screen only when there is nothing else to
/// show: no link and no saved scenario (a first visit). Whoever opens a
/// link sees what it carries first; the gallery is one click away.
fn gallery_opens_by_itself(fragment: &str, saved: Option<&str>) -> bool {
    fragment.is_empty() && saved.is_none()
}

#[derive(Copy, Clone, PartialEq, Eq)]
enum View {
    Playground,
    Explore,
    Stress,
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::initial);
    // A link that names an interleaving opens on it.
    let view = use_state(|| if state.replay.is_some() { View::Explore } else { View::Playground });
    let gallery_open =
        use_state(|| gallery_opens_by_itself(&browser::fragment(), browser::saved_scenario().as_deref()));
    let text = state.doc.text().to_owned();
    let analysis = use_memo(text.clone(), |t| {
        browser::count("analyses");
        Shared(Rc::new(Analysis::of(t)))
    });
    // The last grid of a text without problems, shown dimmed meanwhile.
    let last_grid = use_mut_ref(|| None::<Grid>);
    let grid = analysis.0.grid();
    let stale = grid.is_none();
    if grid.is_some() {
        *last_grid.borrow_mut() = grid.clone();
    }
    let shown_grid = grid.or_else(|| last_grid.borrow().clone());

    use_effect_with(text.clone(), |t| browser::save_scenario(t));
    let title = use_title(&analysis.0);
    // Encoded once per text and replay, not on a click that only moves the selection.
    let fragment = {
        let a = analysis.clone();
        (*use_memo((text.clone(), state.replay.clone()), move |(t, r)| fragment_for(&a.0, t, r.as_deref())))
            .clone()
    };
    {
        // The URL follows the edits, without a history entry per keystroke;
        // a scenario no link carries leaves it without a fragment, so that
        // reloading opens the saved scenario rather than an older link.
        let keep_link = state.link_problem.is_some();
        let shown = fragment.clone().unwrap_or_default();
        use_effect_with((shown, keep_link), |(f, keep)| {
            if !keep {
                browser::replace_fragment(f);
            }
        });
    }
    // Stable callbacks: the grid's and the timeline's rows are components
    // that re-render only when their own props change, so a click that
    // moves the selection re-renders two rows, not a thousand.
    let on_select = {
        let d = state.dispatcher();
        use_callback((), move |e, _| d.dispatch(Msg::Select(e)))
    };
    let on_pick = {
        let d = state.dispatcher();
        use_callback((), move |(e, c), _| d.dispatch(Msg::Pick(e, c)))
    };
    // The editor re-renders only when the text or its problems change.
    let on_type = {
        let d = state.dispatcher();
        use_callback((), move |t: String, _| d.dispatch(Msg::Typed(t)))
    };
    let on_mail = {
        let d = state.dispatcher();
        use_callback((), move |found, _| d.dispatch(Msg::Pasted(found)))
    };
    let on_edit = {
        let d = state.dispatcher();
        use_callback((), move |(s, sel): (errseq_scenario::Scenario, Option<usize>), _| {
            d.dispatch(Msg::Replace(s.to_string(), sel))
        })
    };
    let copy_link_request = use_state(|| 0u64);
    use_shortcuts(state.dispatcher(), copy_link_request.clone());
    if browser::has_query("embed") {
        // An embed opens from a link, within its limits; without one it
        // links to the playground's page.
        let fragment = AttrValue::from(fragment.unwrap_or_default());
        return html! { <EmbedView analysis={ (*analysis).clone() } fragment={ fragment } problem={ state.link_problem.clone().map(AttrValue::from) } /> };
    }

    let dispatch = state.dispatcher();
    let on_open_example = {
        let (d, view, open) = (dispatch.clone(), view.clone(), gallery_open.clone());
        Callback::from(move |t: &'static str| {
            d.dispatch(Msg::Replace(t.to_owned(), None));
            open.set(false);
            if t.contains("\npar") {
                view.set(View::Explore);
            } else {
                view.set(View::Playground);
            }
        })
    };
    let tab = |v: View, label: &'static str, id: &'static str| {
        let view = view.clone();
        let selected = *view == v;
        html! {
            <button role="tab" id={ id } aria-selected={ selected.to_string() } class={ classes!("tab", selected.then_some("selected")) }
                onclick={ Callback::from(move |_| view.set(v)) }>{ label }</button>
        }
    };
    let toggle_gallery = {
        let open = gallery_open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    html! {
        <>
            <header class="top">
                <h1>{ "errseq playground" }</h1>
                <nav role="tablist" aria-label="views">
                    { tab(View::Playground, "Playground", "tab-playground") }
                    { tab(View::Explore, "Explore", "tab-explore") }
                    { tab(View::Stress, "Stress", "tab-stress") }
                </nav>
                <div class="top-tools">
                    <button onclick={ let d = dispatch.clone(); Callback::from(move |_| d.dispatch(Msg::Undo)) } disabled={ !state.doc.can_undo() }
                        aria-label="undo" title="Undo (Ctrl+Z)">{ "↶" }<span class="label">{ " Undo" }</span></button>
                    <button onclick={ let d = dispatch.clone(); Callback::from(move |_| d.dispatch(Msg::Redo)) } disabled={ !state.doc.can_redo() }
                        aria-label="redo" title="Redo (Ctrl+Shift+Z)">{ "↷" }<span class="label">{ " Redo" }</span></button>
                    <button id="examples-toggle" aria-expanded={ gallery_open.to_string() } aria-controls="gallery" onclick={ toggle_gallery }>{ "Examples" }</button>
                    <ThemeToggle />
                </div>
            </header>
            { if let Some(problem) = &state.link_problem { html! {
                <div id="link-problem" class="banner" role="alert">
                    <p>{ format!("This link could not be opened: {problem}. Your saved scenario is shown; nothing was overwritten.") }</p>
                    <button onclick={ let d = dispatch.clone(); Callback::from(move |_| d.dispatch(Msg::KeepScenario)) }>{ "Keep my scenario" }</button>
                </div>
            } } else { html! {} } }
            { if let Some(pasted) = &state.mail { html! {
                <MailBanner pasted={ pasted.clone() }
                    on_open={ let d = dispatch.clone(); Callback::from(move |i| d.dispatch(Msg::OpenPasted(i))) }
                    on_dismiss={ let d = dispatch.clone(); Callback::from(move |()| d.dispatch(Msg::DismissPasted)) } />
            } } else { html! {} } }
            <div class="sharebar">
                <h2 id="scenario-title" class={ classes!("scenario-title", title.is_none().then_some("muted")) }>
                    { title.clone().unwrap_or_else(|| "Untitled scenario".to_owned()) }
                </h2>
                <CopyButtons analysis={ (*analysis).clone() } text={ AttrValue::from(text.clone()) } fragment={ fragment.clone().map(AttrValue::from).map_err(AttrValue::from) }
                    copy_link_request={ *copy_link_request } />
            </div>
            { if *gallery_open { html! { <div id="gallery"><Gallery on_open={ on_open_example } /></div> } } else { html! {} } }
            <main>
                { match *view {
                    View::Playground => html! {
                        <Playground analysis={ (*analysis).clone() } text={ AttrValue::from(text.clone()) } grid={ shown_grid } stale={ stale }
                            selected={ state.selected } column={ state.column } on_type={ on_type } on_mail={ on_mail }
                            on_select={ on_select } on_pick={ on_pick }
                            on_edit={ on_edit } />
                    },
                    View::Explore => html! {
                        <ExploreView analysis={ (*analysis).clone() } replay={ state.replay.clone().map(AttrValue::from) }
                            on_replay={ let d = dispatch.clone(); Callback::from(move |r| d.dispatch(Msg::Replay(r))) } />
                    },
                    View::Stress => html! {},
                } }
                <StressTab active={ *view == View::Stress } text={ AttrValue::from(text.clone()) } />
            </main>
        </>
    }
}

/// The scenario's title, shown above its results and as the document's
/// title (what a tab, a bookmark and the history show). While the text
/// has a mistake the last title stays, rather than flickering away.
#[hook]
fn use_title(analysis: &Analysis) -> Option<String> {
    let last = use_mut_ref(|| None::<String>);
    if let Some(s) = analysis.scenario() {
        *last.borrow_mut() = s.title.clone();
    }
    let title = last.borrow().clone();
    use_effect_with(title.clone(), |t| browser::set_document_title(t.as_deref()));
    title
}

/// Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z and Ctrl+Y redo, anywhere on the
/// page (the text pane's own undo would fight the page's history);
/// Ctrl/Cmd+S copies the link.
#[hook]
fn use_shortcuts(dispatch: UseReducerDispatcher<AppState>, copy_link: UseStateHandle<u64>) {
    use_effect_with((), move |_| {
        let window = web_sys::window();
        let listener = window.map(|w| {
            EventListener::new(&w, "keydown", move |e| {
                let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
                if !(e.ctrl_key() || e.meta_key()) {
                    return;
                }
                let msg = match (e.key().to_ascii_lowercase().as_str(), e.shift_key()) {
                    ("z", false) => Msg::Undo,
                    ("z", true) | ("y", false) => Msg::Redo,
                    ("s", false) => {
                        e.prevent_default();
                        // A fresh token each time (the listener's handle is not updated).
                        copy_link.set(browser::now() as u64);
                        return;
                    }
                    _ => return,
                };
                e.prevent_default();
                dispatch.dispatch(msg);
            })
        });
        move || drop(listener)
    });
}

/// Light, dark, or the system's choice (the default).
#[function_component(ThemeToggle)]
fn theme_toggle() -> Html {
    let theme = use_state(|| browser::saved_theme().unwrap_or_else(|| "system".to_owned()));
    use_effect_with((*theme).clone(), |t| browser::set_theme(t));
    let next = match theme.as_str() {
        "system" => "dark",
        "dark" => "light",
        _ => "system",
    };
    let onclick = {
        let theme = theme.clone();
        Callback::from(move |_| theme.set(next.to_owned()))
    };
    html! {
        <button id="theme-toggle" onclick={ onclick } aria-label={ format!("theme: {}; switch to {next}", *theme) }>
            { match theme.as_str() { "dark" => "☾", "light" => "☀", _ => "◐" } }
            <span class="label">{ match theme.as_str() { "dark" => " Dark", "light" => " Light", _ => " System" } }</span>
        </button>
    }
}
