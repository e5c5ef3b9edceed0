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

use errseq_page_protocol::{LinkReading, PastedScenario};

use crate::analysis::{Analysis, Answer, Grid, Shared};
use crate::browser;
use crate::deferred::{self, Deferred};
use crate::doc::Doc;
use crate::explore_tab::ExploreTab;
use crate::gallery::{Card, Gallery, FIRST_TEXT};
use crate::paste::{MailBanner, Pasted};
use crate::playground::Playground;
use crate::share::CopyButtons;
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
    /// The page was opened with a link, not read yet (the deferred module
    /// reads it): the page says so rather than show the saved scenario.
    pub opening: bool,
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
    Pasted(Vec<PastedScenario>),
    /// The link the page was opened with, read.
    LinkRead(LinkReading),
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
            Msg::LinkRead(reading) => {
                s.opening = false;
                match reading {
                    LinkReading::Opened { text, replay } => {
                        s.doc.replace(text);
                        s.replay = replay;
                    }
                    LinkReading::Problem(why) => s.link_problem = Some(why),
                }
            }
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

    /// The saved scenario, or else the first example; when the page was
    /// opened with a link, its scenario replaces it once read
    /// ([`Msg::LinkRead`]). A link's scenario is one undo step away from
    /// the saved one, so opening a link loses nothing; a link that cannot
    /// be read leaves the saved scenario and says why.
    pub fn initial() -> AppState {
        let saved = browser::saved_scenario().unwrap_or_else(|| FIRST_TEXT.to_owned());
        AppState {
            doc: Doc::new(saved),
            selected: None,
            column: 0,
            replay: None,
            link_problem: None,
            mail: None,
            opening: !browser::fragment().is_empty(),
        }
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
    let view = use_state(|| View::Playground);
    let gallery_open =
        use_state(|| gallery_opens_by_itself(&browser::fragment(), browser::saved_scenario().as_deref()));
    let text = state.doc.text().to_owned();
    let analysis = use_memo(text.clone(), |t| {
        browser::count("analyses");
        Shared(Rc::new(Analysis::of(t)))
    });
    let (deferred, deferred_problem) = use_deferred(state.dispatcher(), view.clone());
    let answer = use_answer(&analysis, &text, &deferred);
    // The last grid of a text without problems, shown dimmed meanwhile.
    let last_grid = use_mut_ref(|| None::<Grid>);
    let grid = analysis.0.evaluated().or_else(|| answer.as_ref().and_then(|a| a.grid()));
    let stale = grid.is_none();
    if grid.is_some() {
        *last_grid.borrow_mut() = grid.clone();
    }
    let shown_grid = grid.clone().or_else(|| last_grid.borrow().clone());
    let grid_note = match (&*analysis.0, answer.as_deref()) {
        (Analysis::Deferred { syntax, .. }, None) if syntax.has_par() => {
            Some(AttrValue::from("Exploring every interleaving…"))
        }
        (Analysis::Deferred { .. }, None) => Some(AttrValue::from("Running the written scheme…")),
        (_, Some(Answer::Stopped(why))) => Some(AttrValue::from(why.clone())),
        _ => None,
    };
    // The deferred module's problems, when it has checked the whole text.
    let diagnostics = match answer.as_deref().and_then(Answer::diagnostics) {
        Some(d) => d.to_vec(),
        None => analysis.0.diagnostics(),
    };

    use_effect_with((text.clone(), state.opening), |(t, opening)| {
        if !opening {
            browser::save_scenario(t);
        }
    });
    let title = use_title(&analysis.0);
    let fragment = use_fragment(&state, &text, &deferred);
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
    let on_replace = {
        let d = state.dispatcher();
        use_callback((), move |t: String, _| d.dispatch(Msg::Replace(t, None)))
    };
    let on_replay = {
        let d = state.dispatcher();
        use_callback((), move |r: Option<String>, _| d.dispatch(Msg::Replay(r)))
    };
    let copy_link_request = use_state(|| 0u64);
    use_shortcuts(state.dispatcher(), copy_link_request.clone());
    if state.opening {
        return html! { <p id="opening-link" class="muted" role="status">{ "Opening the link…" }</p> };
    }

    let dispatch = state.dispatcher();
    let on_open_example = {
        let (d, view, open) = (dispatch.clone(), view.clone(), gallery_open.clone());
        Callback::from(move |card: &'static Card| {
            let (d, view, open) = (d.clone(), view.clone(), open.clone());
            // The texts are the deferred module's: in the moment before it is
            // loaded, the choice waits for it.
            wasm_bindgen_futures::spawn_local(async move {
                let Some(text) = deferred::load().await.ok().and_then(|m| m.example(card.name)) else {
                    return;
                };
                d.dispatch(Msg::Replace(text, None));
                open.set(false);
                view.set(if card.concurrent { View::Explore } else { View::Playground });
            });
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
            { for deferred_problem.iter().map(|why| html! {
                <div id="deferred-problem" class="banner" role="alert">
                    <p>{ format!("Part of the page is missing: {why}. The text, the timeline and the results of scenarios without par blocks work; \
                        links, exploring, copies, pasted mail and the state inspector need it. Reloading the page tries again.") }</p>
                </div>
            }) }
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
                <CopyButtons analysis={ (*analysis).clone() } grid={ grid.clone() } text={ AttrValue::from(text.clone()) } fragment={ fragment.clone().map(|f| f.map(AttrValue::from).map_err(AttrValue::from)) }
                    replay={ state.replay.clone().map(AttrValue::from) } copy_link_request={ *copy_link_request } />
            </div>
            { if *gallery_open { html! { <div id="gallery"><Gallery on_open={ on_open_example } /></div> } } else { html! {} } }
            <main>
                { match *view {
                    View::Playground => html! {
                        <Playground analysis={ (*analysis).clone() } answer={ answer.clone() } diagnostics={ diagnostics } text={ AttrValue::from(text.clone()) } grid={ shown_grid } stale={ stale } grid_note={ grid_note }
                            selected={ state.selected } column={ state.column } on_type={ on_type } on_mail={ on_mail }
                            on_select={ on_select } on_pick={ on_pick }
                            on_edit={ on_edit } deferred={ deferred.clone() } deferred_missing={ deferred_problem.is_some() } on_replace={ on_replace } />
                    },
                    View::Explore | View::Stress => html! {},
                } }
                <ExploreTab active={ *view == View::Explore } deferred={ deferred.clone() } text={ AttrValue::from(text.clone()) }
                    replay={ state.replay.clone().map(AttrValue::from) } on_replay={ on_replay } />
                <StressTab active={ *view == View::Stress } text={ AttrValue::from(text.clone()) } />
            </main>
        </>
    }
}

/// Loads the deferred module after the first render; then reads the link
/// the page was opened with (and opens the Explore view when it names an
/// interleaving).
#[hook]
fn use_deferred(
    dispatch: UseReducerDispatcher<AppState>,
    view: UseStateHandle<View>,
) -> (Option<Deferred>, Option<String>) {
    let module = use_state(|| None::<Deferred>);
    let problem = use_state(|| None::<String>);
    {
        let (module, problem) = (module.clone(), problem.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let fragment = browser::fragment();
                match deferred::load_patiently().await {
                    Ok(d) => {
                        if !fragment.is_empty() {
                            let reading = d.read_link(&fragment);
                            if matches!(&reading, LinkReading::Opened { replay: Some(_), .. }) {
                                view.set(View::Explore);
                            }
                            dispatch.dispatch(Msg::LinkRead(reading));
                        }
                        module.set(Some(d));
                    }
                    Err(why) => {
                        let why = format!("the page's second module could not be loaded ({why})");
                        if !fragment.is_empty() {
                            dispatch.dispatch(Msg::LinkRead(LinkReading::Problem(why.clone())));
                        }
                        problem.set(Some(why));
                    }
                }
            });
        });
    }
    ((*module).clone(), (*problem).clone())
}

/// What the deferred module says of a text the page leaves to it (`par`
/// blocks, claims, a written scheme), once per text: `None` while it is
/// not loaded or the text is the page's own.
#[hook]
fn use_answer(analysis: &Shared, text: &str, deferred: &Option<Deferred>) -> Option<Rc<Answer>> {
    let asks = analysis.0.is_deferred();
    let answer = use_memo((text.to_owned(), asks, deferred.clone()), |(t, asks, d)| {
        let d = d.as_ref().filter(|_| *asks)?;
        d.analyse(t).map(|a| Rc::new(Answer::new(a)))
    });
    (*answer).clone()
}

/// The link's fragment for the text and interleaving, made by the deferred
/// module once per change, or `None` until it is loaded; and the address
/// following it, without a history entry per keystroke. A scenario no link
/// carries leaves the address without a fragment, so that reloading opens
/// the saved scenario rather than an older link; while a link the page
/// was opened with is being read, or could not be, it is left alone.
#[hook]
fn use_fragment(state: &AppState, text: &str, deferred: &Option<Deferred>) -> Option<Result<String, String>> {
    let fragment = use_memo((text.to_owned(), state.replay.clone(), deferred.clone()), |(t, r, d)| {
        d.as_ref().map(|d| d.fragment(t, r.as_deref()))
    });
    let keep_link = state.opening || state.link_problem.is_some();
    let shown = (*fragment).clone().map(|f| f.unwrap_or_default());
    use_effect_with((shown, keep_link), |(f, keep)| {
        if let (Some(f), false) = (f, keep) {
            browser::replace_fragment(f);
        }
    });
    (*fragment).clone()
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
