//! The state after one event under one scheme: each file's word bit by bit
//! with its fields, the legacy flags, the storage and the pages; each open
//! file description's cursors; the superblock's word.
//!
//! Drawn as markup, not as Yew nodes: the page's inspector sits inside the
//! page's own Yew app, which another module's app cannot render into (see
//! the page's `stress.rs`), so this module hands the page the markup
//! ([`crate::inspected`]) and the page inserts it; the Explore view's
//! stepper inserts the same. The state has no controls, so markup loses
//! nothing. The only text in it that a user wrote is names of files and
//! fds, which the parser holds to lower-case letters, digits and `_`;
//! they are escaped all the same ([`errseq_render::xml`]). The rest is
//! this module's own text and numbers.

use std::fmt::Write;

use errseq::{Fields, Layout, Scheme};
use errseq_model::{Program, State};
use errseq_render::xml;
use yew::prelude::*;

/// A written scheme's word as its own `#define`s lay it out
/// (`errseq_lang::Program::layout`): the errno's mask, the SEEN bit and
/// the counter's increment; 0 for a field it does not define.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct WordFields {
    pub errno_mask: u32,
    pub seen: u32,
    pub ctr_inc: u32,
}

/// What to show: a program's cells after `events` events under `scheme`
/// (for a written scheme, its base, whose cells it keeps).
pub struct Snapshot<'a> {
    pub program: &'a Program,
    pub scheme: Scheme,
    /// A written scheme's word as its `#define`s lay it out.
    pub word: Option<WordFields>,
    pub cells: &'a [u32],
    pub events: usize,
}

/// The state's markup: the files, the open file descriptions, the
/// superblock.
pub fn markup(snap: &Snapshot<'_>) -> String {
    let s = State::new(snap.program, snap.scheme, snap.cells, snap.events);
    let layout = snap.scheme.layout();
    let mut out = String::new();
    files(&mut out, &s, layout, snap.word);
    out.push_str("<h3>open file descriptions</h3>");
    descriptions(&mut out, &s);
    if let Some(w) = s.sb() {
        out.push_str(r#"<div class="file"><h3>superblock</h3><span class="key">s_wb_err </span>"#);
        word(&mut out, Some(Layout::Errseq), snap.word, w);
        out.push_str("</div>");
    }
    out
}

/// The inspector as the Explore view's stepper shows it.
pub fn section(caption: &str, markup: String) -> Html {
    html! {
        <section class="inspector" aria-label="state inspector">
            <h2>{ "State" }</h2>
            <p class="caption">{ caption.to_owned() }</p>
            { Html::from_html_unchecked(AttrValue::from(markup)) }
        </section>
    }
}

fn bit(out: &mut String, word: u32, i: u32) {
    let _ = write!(out, r#"<span class="bit">{}</span>"#, (word >> i) & 1);
}

/// `<span class="field CLASS" title="TITLE">` and the bits `range`, top first.
fn field(out: &mut String, class: &str, title: &str, word: u32, range: std::ops::Range<u32>) {
    let _ = write!(out, r#"<span class="field {class}" title="{title}">"#);
    for i in range.rev() {
        bit(out, word, i);
    }
    out.push_str("</span>");
}

/// A word's 32 bits, grouped into counter, SEEN and errno.
fn bits(out: &mut String, layout: Layout, f: Fields) {
    let (counter_bits, seen) = match layout {
        Layout::Errseq => (19, true),
        Layout::RfcV1 => (20, false),
    };
    let (seen_label, seen_text) = match f.seen {
        Some(true) => ("SEEN, ", "SEEN · "),
        Some(false) => ("not seen, ", "not seen · "),
        None => ("", ""),
    };
    let _ = write!(
        out,
        r#"<div class="word" role="img" aria-label="{:#010x}: counter {}, {seen_label}errno {}">"#,
        f.word, f.counter, f.errno
    );
    field(out, "counter", "counter", f.word, 32 - counter_bits..32);
    if seen {
        field(out, "seen", "SEEN", f.word, 12..13);
    }
    field(out, "errno", "errno", f.word, 0..12);
    let _ = write!(
        out,
        r#"<span class="word-hex">{:#010x}</span><span class="word-fields">errno {} · {seen_text}counter {}</span></div>"#,
        f.word, f.errno, f.counter
    );
}

/// A written scheme's word: its fields where its `#define`s put them
/// (a single-bit SEEN, a power-of-two counter increment above the errno
/// mask), or its raw bits when it defines none it can be read by.
fn written_bits(out: &mut String, w: WordFields, word: u32) {
    let single = |b: u32| b.is_power_of_two();
    let seen = single(w.seen).then(|| w.seen.trailing_zeros());
    let counter = single(w.ctr_inc).then(|| w.ctr_inc.trailing_zeros());
    let errno_bits = 32 - w.errno_mask.leading_zeros();
    let laid_out =
        w.errno_mask != 0 && (w.errno_mask + 1).is_power_of_two() && (seen.is_some() || counter.is_some());
    if !laid_out {
        let _ = write!(
            out,
            r#"<div class="word raw" role="img" aria-label="{word:#010x}: the scheme defines no layout">"#
        );
        field(out, "raw", "bits", word, 0..32);
        let _ = write!(
            out,
            r#"<span class="word-hex">{word:#010x}</span><span class="word-fields">raw bits: the scheme defines no ERRSEQ_SEEN or ERRSEQ_CTR_INC</span></div>"#
        );
        return;
    }
    // From the top: the counter's bits, any bits between, SEEN, any
    // bits between, the errno.
    let mut fields = String::new();
    let mut top = 32;
    let mut described = Vec::new();
    if let Some(c) = counter {
        field(&mut fields, "counter", "counter", word, c..top);
        described.push(format!("counter {}", word >> c));
        top = c;
    }
    if let Some(s) = seen.filter(|&s| s < top && s >= errno_bits) {
        if s + 1 < top {
            field(&mut fields, "unused", "unused", word, s + 1..top);
        }
        field(&mut fields, "seen", "SEEN", word, s..s + 1);
        described.push(if word & w.seen != 0 { "SEEN".to_owned() } else { "not seen".to_owned() });
        top = s;
    }
    if errno_bits < top {
        field(&mut fields, "unused", "unused", word, errno_bits..top);
    }
    field(&mut fields, "errno", "errno", word, 0..errno_bits.min(top));
    described.push(format!("errno {}", word & w.errno_mask));
    described.reverse();
    let _ = write!(
        out,
        r#"<div class="word written" role="img" aria-label="{word:#010x}: {}, as the scheme's defines lay it out">{fields}<span class="word-hex">{word:#010x}</span><span class="word-fields">{} (the scheme's layout)</span></div>"#,
        described.join(", "),
        described.join(" · ")
    );
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
fn word(out: &mut String, layout: Option<Layout>, written: Option<WordFields>, f: Fields) {
    match (written, layout) {
        (Some(w), _) => written_bits(out, w, f.word),
        (None, Some(l)) => bits(out, l, f),
        (None, None) => {}
    }
}

fn files(out: &mut String, s: &State<'_>, layout: Option<Layout>, written: Option<WordFields>) {
    for f in s.files() {
        let _ = write!(out, r#"<div class="file"><h3>file {}</h3>"#, xml(f.name.as_str()));
        if let Some(w) = f.word.filter(|_| layout.is_some() || written.is_some()) {
            out.push_str(r#"<div><span class="key">wb_err </span>"#);
            word(out, layout, written, w);
            out.push_str("</div>");
        }
        out.push_str("<p>");
        if let Some(b) = f.flags {
            let _ = write!(out, r#"<span class="key">legacy flags </span>{} · "#, flags(b));
        }
        out.push_str(r#"<span class="key">storage </span>"#);
        match f.failing {
            None => out.push_str("works"),
            Some(e) => {
                let _ = write!(out, "fails writes with {e}");
            }
        }
        out.push_str("</p>");
        if f.pages.iter().any(|p| p.written > 0) {
            out.push_str(
                r#"<table class="pages"><thead><tr><th>page</th><th>state</th><th>written</th><th>cache</th><th>disk</th><th></th></tr></thead><tbody>"#,
            );
            for p in f.pages.iter().filter(|p| p.written > 0) {
                let lost = p.lost();
                let _ = write!(
                    out,
                    "<tr{}><td>{}</td><td>{}</td><td>v{}</td><td>v{}</td><td>v{}</td><td>",
                    if lost { r#" class="lost""# } else { "" },
                    p.number,
                    if p.dirty { "dirty" } else { "clean" },
                    p.written,
                    p.cache,
                    p.disk
                );
                if lost {
                    let _ = write!(out, "LOST: a sync returned 0 for v{}", p.promised);
                }
                out.push_str("</td></tr>");
            }
            out.push_str("</tbody></table>");
        }
        out.push_str("</div>");
    }
}

fn descriptions(out: &mut String, s: &State<'_>) {
    let ds = s.descriptions();
    if ds.is_empty() {
        out.push_str(r#"<p class="muted">No file is open.</p>"#);
        return;
    }
    let sb = s.sb();
    out.push_str(r#"<table class="descriptions"><thead><tr><th>fds</th><th>file</th><th>f_wb_err</th>"#);
    if sb.is_some() {
        out.push_str("<th>f_sb_err</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for d in &ds {
        let file = s.file(d.file);
        let fds: Vec<String> = d.fds.iter().map(|n| xml(n.as_str())).collect();
        let _ = write!(out, "<tr><td>{}</td><td>{}</td><td>", fds.join(", "), xml(file.name.as_str()));
        let _ = match (d.cursor, file.word) {
            (Some(c), Some(w)) if c == w.word => write!(out, "{c:#010x} = wb_err"),
            (Some(c), Some(_)) => write!(out, "{c:#010x} behind wb_err"),
            _ => write!(out, "no cursor (4.12)"),
        };
        out.push_str("</td>");
        if let Some(w) = sb {
            out.push_str("<td>");
            let _ = match d.sb_cursor {
                Some(c) if c == w.word => write!(out, "{c:#010x} = s_wb_err"),
                Some(c) => write!(out, "{c:#010x} behind s_wb_err"),
                None => Ok(()),
            };
            out.push_str("</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}
