//! A scenario as a picture, for documents that cannot run the page: one
//! self-contained SVG (`errseq render --svg`, the page's SVG button).
//!
//! The timeline on the left, as the page draws it ([`crate::lanes`]): a
//! lane per open file description (dots) and a kernel lane (squares) for
//! calls on files or the whole system, events down, `par` blocks
//! bracketed. On the right, each scheme's result for each call (or every
//! result some interleaving gives, `{0, EIO}`). A row where the schemes
//! differ is shaded and starred; a result the scenario does not expect is
//! red, crossed (`✗`) and says what was expected when pointed at. Below:
//! what does not hold, the claims, a legend, and a link to the
//! playground. Everything shown is read from the [`Analysis`] the other
//! views read (its rows, cells, `*` rule and sentences, and the mail
//! text's words for claims); nothing is recomputed.
//!
//! Self-contained: no script, no external font or image (a system
//! monospace font), every text escaped (and made inert first: XML has no
//! place for control characters). Colours are presentation attributes
//! (light), so a renderer that ignores CSS still draws it; the SVG's own
//! `<style>` turns them dark under `prefers-color-scheme: dark` and back
//! to black on white in print. The style's selectors sit under the root's
//! `errseq-svg` class, so an SVG pasted into an HTML page styles only
//! itself. Marks never rely on colour alone (`*`, `✗`, shapes).

use std::fmt::Write;

use errseq_scenario::{inert, Parsed};

use crate::analysis::{Analysis, Cell};
use crate::email::{claim_failures, claim_text, wrap};
use crate::lanes::{self, Timeline};

/// A character of the 12 px monospace font, in px (0.6 em).
const CH: f64 = 7.2;
/// A title character (15 px, bold).
const TITLE_CH: f64 = 9.4;
const ROW: f64 = 20.0;
const PAD: f64 = 14.0;
/// Between columns.
const GAP: f64 = 18.0;
/// The `*` gutter, and the `par` brackets' gutter.
const MARK: f64 = 14.0;
const BRACKET: f64 = 22.0;
/// A dot's radius; a call's text starts after it.
const DOT: f64 = 4.0;
const AFTER_DOT: f64 = 2.0 * DOT + 6.0;
/// Characters a picture is at least wide, for the text below the rows.
const MIN_CHARS: usize = 72;

/// Light colours, as attributes; the style below overrides them.
mod light {
    pub const TEXT: &str = "#1f2328";
    pub const BG: &str = "#ffffff";
    pub const MUTED: &str = "#59636e";
    pub const LANE: &str = "#8c959f";
    pub const DIFF: &str = "#fff8c5";
    pub const FAIL: &str = "#cf222e";
    pub const OK: &str = "#1a7f37";
    pub const LINK: &str = "#0969da";
}

const STYLE: &str = "\
.errseq-svg .bg{fill:#fff}.errseq-svg text{fill:#1f2328}.errseq-svg .m{fill:#59636e}\
.errseq-svg .l{stroke:#8c959f}.errseq-svg .d{fill:#fff8c5}.errseq-svg text.f{fill:#cf222e}\
.errseq-svg .k{fill:#1f2328}.errseq-svg text.o{fill:#1a7f37}.errseq-svg a text{fill:#0969da}\
@media (prefers-color-scheme:dark){.errseq-svg .bg{fill:#0d1117}.errseq-svg text{fill:#e6edf3}\
.errseq-svg .m{fill:#9198a1}.errseq-svg .l{stroke:#6e7681}.errseq-svg .d{fill:#3b2e00}\
.errseq-svg text.f{fill:#ff7b72}.errseq-svg .k{fill:#e6edf3}.errseq-svg text.o{fill:#3fb950}\
.errseq-svg a text{fill:#4493f8}}\
@media print{.errseq-svg .bg{fill:#fff}.errseq-svg text,.errseq-svg .k{fill:#000}\
.errseq-svg .m{fill:#333}.errseq-svg .l{stroke:#555}.errseq-svg .d{fill:#eee}\
.errseq-svg text.f{fill:#000;font-weight:bold}.errseq-svg text.o{fill:#000}.errseq-svg a text{fill:#000}}";

/// `s` made inert and escaped for XML (and HTML) text and attributes:
/// the SVG's, and the markup of the page's state inspector.
pub fn xml(s: &str) -> String {
    let s = inert(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One event's row: its call, where it is drawn, each scheme's cell.
struct Row {
    text: String,
    /// Its lane's column; `None` for the kernel lane.
    column: Option<usize>,
    block: Option<usize>,
    cells: Vec<String>,
    /// For each scheme, what was expected if the result breaks it.
    failed: Vec<Option<String>>,
    differs: bool,
}

fn rows(p: &Parsed, a: &Analysis, t: &Timeline) -> Vec<Row> {
    p.scenario
        .stmts()
        .zip(&a.rows)
        .zip(&t.rows)
        .map(|(((stmt, _), row), lane_row)| Row {
            text: match &stmt.label {
                Some(l) => format!("{} as {l}", row.text),
                None => row.text.clone(),
            },
            column: lane_row.lane.map(|l| t.lanes[l].column),
            block: row.block,
            differs: row.differs,
            cells: row.cells.iter().map(Cell::text).collect(),
            failed: row.cells.iter().map(|c| c.failed.as_ref().map(|f| f.expected.to_string())).collect(),
        })
        .collect()
}

/// Where things go across: the lanes' columns, the kernel lane's, the
/// schemes'.
struct Across {
    lanes: Vec<f64>,
    kernel: f64,
    schemes: Vec<f64>,
    width: f64,
}

fn chars(s: &str) -> f64 {
    s.chars().count() as f64
}

fn across(t: &Timeline, rows: &[Row], heads: &[String], schemes: &[String], par: bool) -> Across {
    let lane_width = |c: Option<usize>, head: &str| -> f64 {
        let widest = rows.iter().filter(|r| r.column == c).map(|r| chars(&r.text)).fold(0.0, f64::max);
        (AFTER_DOT + widest * CH).max(chars(head) * CH) + GAP
    };
    let mut x = PAD + MARK + if par { BRACKET } else { 0.0 };
    let mut lanes = Vec::new();
    for (c, head) in heads.iter().enumerate().take(t.columns) {
        lanes.push(x);
        x += lane_width(Some(c), head);
    }
    let kernel = x;
    x += lane_width(None, "kernel");
    let mut xs = Vec::new();
    for (c, name) in schemes.iter().enumerate() {
        xs.push(x);
        let widest = rows.iter().map(|r| chars(&r.cells[c]) + if r.failed[c].is_some() { 2.0 } else { 0.0 });
        x += widest.fold(chars(name), f64::max) * CH + GAP;
    }
    let width = (x - GAP + PAD).max(2.0 * PAD + MIN_CHARS as f64 * CH);
    Across { lanes, kernel, schemes: xs, width }
}

/// Column headers: the descriptions drawn in each lane column,
/// `a, b: f`, several one after the other.
fn lane_heads(t: &Timeline) -> Vec<String> {
    (0..t.columns)
        .map(|c| {
            let names: Vec<String> = t
                .lanes
                .iter()
                .filter(|l| l.column == c)
                .map(|l| format!("{}: {}", l.fds.join(", "), l.file))
                .collect();
            names.join(" / ")
        })
        .collect()
}

/// The picture being written, top to bottom.
struct Picture {
    body: String,
    y: f64,
    width: f64,
}

impl Picture {
    /// Text at `x`, `y`; leading blanks move it right (SVG collapses
    /// them).
    fn text(&mut self, x: f64, y: f64, class: &str, s: &str) {
        let trimmed = s.trim_start_matches(' ');
        let x = x + (s.len() - trimmed.len()) as f64 * CH;
        let s = trimmed;
        let fill = match class {
            "m" => light::MUTED,
            "f" => light::FAIL,
            "o" => light::OK,
            "a" => light::LINK,
            _ => light::TEXT,
        };
        let class = if class.is_empty() { String::new() } else { format!(" class=\"{class}\"") };
        let _ = write!(self.body, "<text x=\"{x:.0}\" y=\"{y:.0}\"{class} fill=\"{fill}\">{}</text>", xml(s));
    }

    /// Lines of text wrapped to the picture's width, each a row.
    fn paragraph(&mut self, text: &str, class: &str, first: &str, rest: &str) {
        let width = ((self.width - 2.0 * PAD) / CH) as usize;
        for l in wrap(text, width, first, rest) {
            self.y += 16.0;
            self.text(PAD, self.y, class, &l);
        }
    }
}

/// The scenario's picture: see the module documentation. `link` opens it
/// in the playground.
pub fn svg(p: &Parsed, a: &Analysis, link: &str) -> String {
    let t = lanes::timeline(&p.scenario);
    let rows = rows(p, a, &t);
    let heads = lane_heads(&t);
    let schemes: Vec<String> = a.columns.iter().map(ToString::to_string).collect();
    let par = p.scenario.has_par();
    let x = across(&t, &rows, &heads, &schemes, par);
    let mut pic = Picture { body: String::new(), y: PAD, width: x.width };
    heading(&mut pic, p, a);
    pic.y += 14.0;
    draw_rows(&mut pic, &x, &t, &rows, &heads, &schemes);
    notes(&mut pic, p, a);
    legend(&mut pic, par);
    pic.y += 22.0;
    let _ = write!(pic.body, "<a href=\"{}\" target=\"_blank\">", xml(link));
    pic.text(PAD, pic.y, "a", "Open it in the errseq playground");
    pic.body.push_str("</a>");
    let height = pic.y + PAD;
    let title = p.scenario.title.as_deref().unwrap_or("errseq scenario");
    let mut out = String::with_capacity(pic.body.len() + 2048);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"errseq-svg\" role=\"img\" width=\"{w:.0}\" \
         height=\"{height:.0}\" viewBox=\"0 0 {w:.0} {height:.0}\" font-family=\"ui-monospace,SFMono-Regular,\
         Menlo,Consolas,'DejaVu Sans Mono','Liberation Mono',monospace\" font-size=\"12\">\
         <title>{}</title><style>{STYLE}</style>\
         <rect class=\"bg\" width=\"100%\" height=\"100%\" fill=\"{}\"/>",
        xml(title),
        light::BG,
        w = x.width,
    );
    out.push_str(&pic.body);
    out.push_str("</svg>\n");
    out
}

/// The title, the profile, and whether everything holds.
fn heading(pic: &mut Picture, p: &Parsed, a: &Analysis) {
    if let Some(title) = &p.scenario.title {
        let width = ((pic.width - 2.0 * PAD) / TITLE_CH) as usize;
        for l in wrap(title, width, "", "") {
            pic.y += 19.0;
            let _ = write!(
                pic.body,
                "<text x=\"{PAD:.0}\" y=\"{:.0}\" font-size=\"15\" font-weight=\"bold\" fill=\"{}\">{}</text>",
                pic.y,
                light::TEXT,
                xml(&l)
            );
        }
    }
    let count = |n: usize, what: &str| match n {
        0 => None,
        1 => Some(format!("1 {what} fails")),
        n => Some(format!("{n} {what}s fail")),
    };
    let said: Vec<String> =
        [count(a.failures().count(), "expectation"), count(claim_failures(p, a).len(), "claim")]
            .into_iter()
            .flatten()
            .collect();
    let verdict = if a.holds() { "every expectation and claim holds".to_owned() } else { said.join(", ") };
    let class = if a.holds() { "o" } else { "f" };
    pic.paragraph(&format!("fs: {} · {verdict}", p.scenario.fs().id()), class, "", "");
}

fn draw_rows(
    pic: &mut Picture,
    x: &Across,
    t: &Timeline,
    rows: &[Row],
    heads: &[String],
    schemes: &[String],
) {
    let top = pic.y + ROW;
    for (c, head) in heads.iter().enumerate() {
        pic.text(x.lanes[c], top, "m", head);
    }
    pic.text(x.kernel, top, "m", "kernel");
    for (c, name) in schemes.iter().enumerate() {
        pic.text(x.schemes[c], top, "m", name);
    }
    let first = top + 8.0;
    let mid = |i: usize| first + ROW * i as f64 + ROW / 2.0;
    let last = rows.len().saturating_sub(1);
    // Shading first, so that lines and text lie on it.
    for i in (0..rows.len()).filter(|&i| rows[i].differs) {
        let _ = write!(
            pic.body,
            "<rect class=\"d\" x=\"{:.0}\" y=\"{:.0}\" width=\"{:.0}\" height=\"{ROW:.0}\" fill=\"{}\"/>",
            PAD,
            first + ROW * i as f64,
            x.width - 2.0 * PAD,
            light::DIFF
        );
        pic.text(PAD + 2.0, mid(i) + 4.0, "", "*");
    }
    // Lanes: a description's from its open to its last close, the
    // kernel's all the way.
    for lane in &t.lanes {
        let lx = x.lanes[lane.column] + DOT;
        line(pic, lx, mid(lane.from), mid(lane.to.unwrap_or(last)) + ROW / 2.0, false);
    }
    line(pic, x.kernel + DOT, first, mid(last) + ROW / 2.0, true);
    brackets(pic, rows, mid);
    for (i, row) in rows.iter().enumerate() {
        let y = mid(i);
        let lx = row.column.map_or(x.kernel, |c| x.lanes[c]);
        let _ = match row.column {
            Some(_) => write!(
                pic.body,
                "<circle class=\"k\" cx=\"{:.0}\" cy=\"{y:.0}\" r=\"{DOT:.0}\" fill=\"{}\"/>",
                lx + DOT,
                light::TEXT
            ),
            None => write!(
                pic.body,
                "<rect class=\"k\" x=\"{lx:.0}\" y=\"{:.0}\" width=\"{:.0}\" height=\"{:.0}\" fill=\"{}\"/>",
                y - DOT,
                2.0 * DOT,
                2.0 * DOT,
                light::TEXT
            ),
        };
        pic.text(lx + AFTER_DOT, y + 4.0, "", &row.text);
        for (c, text) in row.cells.iter().enumerate() {
            match &row.failed[c] {
                Some(expected) => {
                    let _ = write!(
                        pic.body,
                        "<g><title>{}: expected {}, got {}</title>",
                        xml(&schemes[c]),
                        xml(expected),
                        xml(text)
                    );
                    pic.text(x.schemes[c], y + 4.0, "f", &format!("{text} ✗"));
                    pic.body.push_str("</g>");
                }
                None if text.is_empty() => {}
                None => pic.text(x.schemes[c], y + 4.0, "", text),
            }
        }
    }
    pic.y = first + ROW * rows.len() as f64 + 6.0;
}

fn line(pic: &mut Picture, x: f64, from: f64, to: f64, dashed: bool) {
    let dash = if dashed { " stroke-dasharray=\"3 3\"" } else { "" };
    let _ = write!(
        pic.body,
        "<path class=\"l\" d=\"M{x:.0} {from:.0}V{to:.0}\" stroke=\"{}\"{dash}/>",
        light::LANE
    );
}

/// A bracket beside each `par` block's tasks, marked `par`.
fn brackets(pic: &mut Picture, rows: &[Row], mid: impl Fn(usize) -> f64) {
    let mut i = 0;
    while i < rows.len() {
        let Some(b) = rows[i].block else {
            i += 1;
            continue;
        };
        let end = (i..rows.len()).take_while(|&j| rows[j].block == Some(b)).last().unwrap_or(i);
        let (top, bottom) = (mid(i) - ROW / 2.0 + 3.0, mid(end) + ROW / 2.0 - 3.0);
        let bx = PAD + MARK + BRACKET - 6.0;
        let _ = write!(
            pic.body,
            "<path class=\"l\" d=\"M{:.0} {top:.0}h-5V{bottom:.0}h5\" fill=\"none\" stroke=\"{}\"/>",
            bx,
            light::LANE
        );
        let cy = (top + bottom) / 2.0;
        let _ = write!(
            pic.body,
            "<text x=\"{:.0}\" y=\"{cy:.0}\" class=\"m\" fill=\"{}\" text-anchor=\"middle\" \
             transform=\"rotate(-90 {:.0} {cy:.0})\">par</text>",
            bx - 9.0,
            light::MUTED,
            bx - 9.0
        );
        i = end + 1;
    }
}

/// What does not hold, and the claims, in the mail text's words.
fn notes(pic: &mut Picture, p: &Parsed, a: &Analysis) {
    let failures = a.failure_sentences();
    if !failures.is_empty() {
        pic.y += 8.0;
        pic.paragraph("Not as expected:", "f", "", "");
        for f in &failures {
            pic.paragraph(f, "f", "  ", "    ");
        }
    }
    let claims: Vec<_> = p.scenario.claims().collect();
    if claims.is_empty() {
        return;
    }
    pic.y += 8.0;
    pic.paragraph("Claims:", "", "", "");
    let mut fails = claim_failures(p, a);
    for (i, c) in claims.iter().enumerate() {
        pic.paragraph(&claim_text(c), "", "  ", "      ");
        match fails.remove(&i) {
            None => pic.paragraph("holds", "o", "    ", "    "),
            Some(list) => {
                for f in list {
                    pic.paragraph(&format!("FAILS under {f}"), "f", "    ", "      ");
                }
            }
        }
    }
}

fn legend(pic: &mut Picture, par: bool) {
    pic.y += 8.0;
    pic.paragraph(
        "● a call through an open file description (its lane: fds and file); ■ a call on files or the \
         whole system (the kernel lane)",
        "m",
        "",
        "  ",
    );
    let mut marks = "* shaded: the schemes' results differ; ✗ red: not what the scenario expects".to_owned();
    if par {
        marks.push_str("; {0, EIO}: every result some interleaving gives");
    }
    pic.paragraph(&marks, "m", "", "  ");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_inert() {
        assert_eq!(xml("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
        assert_eq!(xml("\x1b[2J\u{202e}"), "\\x1b[2J\\u{202e}");
    }
}
