//! The state after one event under one scheme: each file's word bit by bit
//! with its fields, the legacy flags, the storage and the pages; each open
//! file description's cursors; the superblock's word.

use std::rc::Rc;

use errseq::{Fields, Layout, Scheme};
use errseq_model::{Program, State};
use errseq_page_protocol::WordFields;
use yew::prelude::*;

/// What to show: a program's cells after `events` events under `scheme`
/// (for a written scheme, its base, whose cells it keeps).
#[derive(Clone)]
pub struct Snapshot {
    pub program: Rc<Program>,
    pub scheme: Scheme,
    /// A written scheme's word as its `#define`s lay it out.
    pub word: Option<WordFields>,
    pub cells: Rc<Vec<u32>>,
    pub events: usize,
}

/// The same program is the same `Rc` (one per analysis): compared by
/// pointer, not cell by cell of its layout.
impl PartialEq for Snapshot {
    fn eq(&self, other: &Snapshot) -> bool {
        Rc::ptr_eq(&self.program, &other.program)
            && self.scheme == other.scheme
            && self.word == other.word
            && self.events == other.events
            && self.cells == other.cells
    }
}

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub snapshot: Option<Snapshot>,
    /// What the state follows: "line 9 `fsync b` under linux-4.12".
    pub caption: AttrValue,
    /// Shown when there is no snapshot.
    #[prop_or_default]
    pub note: AttrValue,
}

/// A word's 32 bits, grouped into counter, SEEN and errno.
fn bits(layout: Layout, f: Fields) -> Html {
    let (counter_bits, seen) = match layout {
        Layout::Errseq => (19, true),
        Layout::RfcV1 => (20, false),
    };
    let bit = |i: u32| html! { <span class="bit">{ (f.word >> i) & 1 }</span> };
    let label = format!(
        "{:#010x}: counter {}, {}errno {}",
        f.word,
        f.counter,
        match f.seen {
            Some(true) => "SEEN, ",
            Some(false) => "not seen, ",
            None => "",
        },
        f.errno
    );
    html! {
        <div class="word" role="img" aria-label={ label }>
            <span class="field counter" title="counter">{ for (32 - counter_bits..32).rev().map(bit) }</span>
            { if seen { html! { <span class="field seen" title="SEEN">{ bit(12) }</span> } } else { html! {} } }
            <span class="field errno" title="errno">{ for (0..12).rev().map(bit) }</span>
            <span class="word-hex">{ format!("{:#010x}", f.word) }</span>
            <span class="word-fields">
                { format!("errno {} · ", f.errno) }
                { match f.seen { Some(true) => "SEEN · ", Some(false) => "not seen · ", None => "" } }
                { format!("counter {}", f.counter) }
            </span>
        </div>
    }
}

/// A written scheme's word: its fields where its `#define`s put them
/// (a single-bit SEEN, a power-of-two counter increment above the errno
/// mask), or its raw bits when it defines none it can be read by.
fn written_bits(w: WordFields, word: u32) -> Html {
    let single = |b: u32| b.is_power_of_two();
    let seen = single(w.seen).then(|| w.seen.trailing_zeros());
    let counter = single(w.ctr_inc).then(|| w.ctr_inc.trailing_zeros());
    let errno_bits = 32 - w.errno_mask.leading_zeros();
    let laid_out =
        w.errno_mask != 0 && (w.errno_mask + 1).is_power_of_two() && (seen.is_some() || counter.is_some());
    let bit = |i: u32| html! { <span class="bit">{ (word >> i) & 1 }</span> };
    if !laid_out {
        let label = format!("{word:#010x}: the scheme defines no layout");
        return html! {
            <div class="word raw" role="img" aria-label={ label }>
                <span class="field raw" title="bits">{ for (0..32).rev().map(bit) }</span>
                <span class="word-hex">{ format!("{word:#010x}") }</span>
                <span class="word-fields">{ "raw bits: the scheme defines no ERRSEQ_SEEN or ERRSEQ_CTR_INC" }</span>
            </div>
        };
    }
    let field = |class: &'static str, title: &'static str, bits: std::ops::Range<u32>| {
        html! { <span class={ classes!("field", class) } { title }>{ for bits.rev().map(bit) }</span> }
    };
    // From the top: the counter's bits, any bits between, SEEN, any
    // bits between, the errno.
    let mut parts = Vec::new();
    let mut top = 32;
    let mut described = Vec::new();
    if let Some(c) = counter {
        parts.push(field("counter", "counter", c..top));
        described.push(format!("counter {}", word >> c));
        top = c;
    }
    if let Some(s) = seen.filter(|&s| s < top && s >= errno_bits) {
        if s + 1 < top {
            parts.push(field("unused", "unused", s + 1..top));
        }
        parts.push(field("seen", "SEEN", s..s + 1));
        described.push(if word & w.seen != 0 { "SEEN".to_owned() } else { "not seen".to_owned() });
        top = s;
    }
    if errno_bits < top {
        parts.push(field("unused", "unused", errno_bits..top));
    }
    parts.push(field("errno", "errno", 0..errno_bits.min(top)));
    described.push(format!("errno {}", word & w.errno_mask));
    described.reverse();
    let label = format!("{word:#010x}: {}, as the scheme's defines lay it out", described.join(", "));
    html! {
        <div class="word written" role="img" aria-label={ label }>
            { for parts }
            <span class="word-hex">{ format!("{word:#010x}") }</span>
            <span class="word-fields">{ described.join(" · ") }{ " (the scheme's layout)" }</span>
        </div>
    }
}

fn flags(b: u32) -> String {
    let v: Vec<&str> = errseq::word::flag_names(b).collect();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

/// A word as the column's scheme lays it out.
fn word(layout: Option<Layout>, written: Option<WordFields>, f: Fields) -> Html {
    match (written, layout) {
        (Some(w), _) => written_bits(w, f.word),
        (None, Some(l)) => bits(l, f),
        (None, None) => html! {},
    }
}

fn files(s: &State<'_>, layout: Option<Layout>, written: Option<WordFields>) -> Html {
    html! { <>{ for s.files().into_iter().map(|f| html! {
        <div class="file">
            <h3>{ format!("file {}", f.name) }</h3>
            { match f.word { Some(w) if layout.is_some() || written.is_some() => html! { <div><span class="key">{ "wb_err " }</span>{ word(layout, written, w) }</div> }, _ => html! {} } }
            <p>
                { f.flags.map_or_else(|| html! {}, |b| html! { <><span class="key">{ "legacy flags " }</span>{ flags(b) }{ " · " }</> }) }
                <span class="key">{ "storage " }</span>
                { f.failing.map_or_else(|| "works".to_owned(), |e| format!("fails writes with {e}")) }
            </p>
            { if f.pages.iter().any(|p| p.written > 0) { html! {
                <table class="pages">
                    <thead><tr><th>{ "page" }</th><th>{ "state" }</th><th>{ "written" }</th><th>{ "cache" }</th><th>{ "disk" }</th><th></th></tr></thead>
                    <tbody>{ for f.pages.iter().filter(|p| p.written > 0).map(|p| html! {
                        <tr class={ classes!(p.lost().then_some("lost")) }>
                            <td>{ p.number }</td>
                            <td>{ if p.dirty { "dirty" } else { "clean" } }</td>
                            <td>{ format!("v{}", p.written) }</td>
                            <td>{ format!("v{}", p.cache) }</td>
                            <td>{ format!("v{}", p.disk) }</td>
                            <td>{ if p.lost() { format!("LOST: a sync returned 0 for v{}", p.promised) } else { String::new() } }</td>
                        </tr>
                    }) }</tbody>
                </table>
            } } else { html! {} } }
        </div>
    }) }</> }
}

fn descriptions(s: &State<'_>) -> Html {
    let ds = s.descriptions();
    if ds.is_empty() {
        return html! { <p class="muted">{ "No file is open." }</p> };
    }
    let sb = s.sb();
    html! {
        <table class="descriptions">
            <thead><tr><th>{ "fds" }</th><th>{ "file" }</th><th>{ "f_wb_err" }</th>{ if sb.is_some() { html! { <th>{ "f_sb_err" }</th> } } else { html! {} } }</tr></thead>
            <tbody>{ for ds.iter().map(|d| {
                let file = s.file(d.file);
                let cursor = match (d.cursor, file.word) {
                    (Some(c), Some(w)) if c == w.word => format!("{c:#010x} = wb_err"),
                    (Some(c), Some(_)) => format!("{c:#010x} behind wb_err"),
                    _ => "no cursor (4.12)".to_owned(),
                };
                let sb_cursor = match (d.sb_cursor, sb) {
                    (Some(c), Some(w)) if c == w.word => format!("{c:#010x} = s_wb_err"),
                    (Some(c), Some(_)) => format!("{c:#010x} behind s_wb_err"),
                    _ => String::new(),
                };
                html! {
                    <tr>
                        <td>{ d.fds.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ") }</td>
                        <td>{ file.name.to_string() }</td>
                        <td>{ cursor }</td>
                        { if sb.is_some() { html! { <td>{ sb_cursor }</td> } } else { html! {} } }
                    </tr>
                }
            }) }</tbody>
        </table>
    }
}

#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let body = match &props.snapshot {
        None => html! { <p class="muted">{ props.note.clone() }</p> },
        Some(snap) => {
            let s = State::new(&snap.program, snap.scheme, &snap.cells, snap.events);
            let layout = snap.scheme.layout();
            html! {
                <>
                    { files(&s, layout, snap.word) }
                    <h3>{ "open file descriptions" }</h3>
                    { descriptions(&s) }
                    { s.sb().map_or_else(|| html! {}, |w| html! { <div class="file"><h3>{ "superblock" }</h3><span class="key">{ "s_wb_err " }</span>{ word(Some(Layout::Errseq), snap.word, w) }</div> }) }
                </>
            }
        }
    };
    html! {
        <section class="inspector" aria-label="state inspector">
            <h2>{ "State" }</h2>
            <p class="caption">{ props.caption.clone() }</p>
            { body }
        </section>
    }
}
