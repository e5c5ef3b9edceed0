//! A scenario's results for mail and for Markdown, with its share link.
//!
//! [`email`] is plain text for a fixed-width mail reader (mutt) and for
//! mailing-list archives that outlive every web site, so it stands on its
//! own: the title, the filesystem profile, a table of events down and
//! schemes across (scheme headers abbreviated, `4.12 v1 v2 4.13 4.14 4.17
//! 5.8`, with a legend; event texts that would not fit are shortened; a
//! table too wide for one block is split into blocks of schemes), what
//! does not hold, the claims, then the scenario's own text between marker
//! lines and a link (the block and the link are
//! [`errseq_share::mail`]'s, which also reads them back from a mail, a
//! quoted reply or a rewrapped copy). No line is wider than 72 columns,
//! the link's included: it leaves out the title and comments, which the
//! text carries, and breaks across lines in `<` `>` when it is longer.
//! ASCII marks: `*` before a row whose results differ (between schemes,
//! or between interleavings: `render::analysis`), `!`
//! after a result the scenario does not expect. Cells of calls in or
//! after `par` blocks list every result some interleaving gives,
//! `{0,EIO}`.
//!
//! [`markdown`] says the same as a GitHub table, with the page's whole
//! link.

use std::collections::HashMap;
use std::fmt::Write;

use errseq::SchemeName;
use errseq_explorer::{replay_string, Violation};
use errseq_scenario::{inert, Claim, Item, Parsed, Stmt};
use errseq_share::mail;

use crate::analysis::Analysis;
use crate::table::Table;

/// The widest line of [`email`], the link's included.
pub const WIDTH: usize = 72;

/// Event texts are shortened to no less than this before a table is split.
const MIN_EVENT: usize = 16;

/// Column headers of the email table.
const SHORT: [(&str, &str); 10] = [
    ("linux-4.12", "4.12"),
    ("rfc-v1", "v1"),
    ("rfc-v2", "v2"),
    ("linux-4.13", "4.13"),
    ("linux-4.14", "4.14"),
    ("linux-4.17", "4.17"),
    ("linux-5.8", "5.8"),
    ("linux", "linux"),
    ("rfc-v2-skip-unchanged", "v2skip"),
    ("rfc-v2-report-once", "v2once"),
];

fn short(name: &SchemeName) -> &str {
    let id = name.as_str();
    SHORT.iter().find(|(long, _)| *long == id).map_or(id, |(_, s)| *s)
}

/// What a read's result says (the columns `v1` and `v2` are rfc-v1 and
/// rfc-v2; a cell's `v1` is a page version).
const READ_LEGEND: &str = "vN from a read: the page's N-th written version (v0: before the scenario)";

fn has_read(p: &Parsed) -> bool {
    p.scenario.stmts().any(|(s, _)| s.event.verb() == errseq_scenario::Verb::Read)
}

/// One line of the table: a call, or the `par` and `end` around tasks.
struct Row {
    /// The event number, for calls.
    event: Option<usize>,
    text: String,
    /// Indented as a task.
    task: bool,
}

fn rows(p: &Parsed) -> Vec<Row> {
    let mut out = Vec::new();
    let mut event = 0;
    let call = |s: &Stmt| match &s.label {
        Some(l) => format!("{} as {l}", s.event),
        None => s.event.to_string(),
    };
    for item in &p.scenario.body {
        match item {
            Item::Stmt(s) => {
                out.push(Row { event: Some(event), text: call(s), task: false });
                event += 1;
            }
            Item::Par(par) => {
                out.push(Row { event: None, text: "par".into(), task: false });
                for s in par.items.iter().filter_map(|i| match i {
                    Item::Stmt(s) => Some(s),
                    _ => None,
                }) {
                    out.push(Row { event: Some(event), text: call(s), task: true });
                    event += 1;
                }
                out.push(Row { event: None, text: "end".into(), task: false });
            }
            Item::Claim(_) | Item::Note(_) | Item::Gap | Item::Scheme(_) => {}
        }
    }
    out
}

/// What each scheme gives for one event: one result, or the set over the
/// interleavings.
/// `s` in at most `w` characters, `...` marking a cut.
fn fit(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        return s.to_owned();
    }
    let keep = w.saturating_sub(3);
    let mut out: String = s.chars().take(keep).collect();
    out.push_str(&"..."[..w.min(3)]);
    out
}

/// Words of `text` in lines of at most `width` characters, the first line
/// after the prefix `first`, the others after `rest`; a word longer than
/// a line is cut. Linear in the text: the line's length is counted as it
/// grows, and a long word is cut in pieces without moving the rest of it.
pub(crate) fn wrap(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = first.to_owned();
    let mut len = first.chars().count();
    let mut empty = true;
    for word in text.split_whitespace() {
        let mut word = word;
        let mut word_len = word.chars().count();
        while word_len > 0 {
            let sep = usize::from(!empty);
            if len + sep + word_len <= width {
                if !empty {
                    line.push(' ');
                }
                line.push_str(word);
                len += sep + word_len;
                word_len = 0;
                empty = false;
            } else if !empty {
                lines.push(std::mem::replace(&mut line, rest.to_owned()));
                len = rest.chars().count();
                empty = true;
            } else {
                let room = width.saturating_sub(len).max(1).min(word_len);
                let cut = word.char_indices().nth(room).map_or(word.len(), |(i, _)| i);
                line.push_str(&word[..cut]);
                word = &word[cut..];
                word_len -= room;
                lines.push(std::mem::replace(&mut line, rest.to_owned()));
                len = rest.chars().count();
            }
        }
    }
    if !empty || lines.is_empty() {
        lines.push(line.trim_end().to_owned());
    }
    lines
}

/// The claim as written, without its comment.
pub(crate) fn claim_text(c: &Claim) -> String {
    let mut c = c.clone();
    c.comment = None;
    c.to_string()
}

/// For each claim (text order), the schemes under which it fails, with
/// how: one pass over the violations, not one per claim.
pub(crate) fn claim_failures(p: &Parsed, a: &Analysis) -> HashMap<usize, Vec<String>> {
    let fs = p.scenario.fs();
    let mut out: HashMap<usize, Vec<String>> = HashMap::new();
    let Some(r) = &a.report else { return out };
    let said = r.violations.iter().filter_map(|v| match v {
        Violation::Never { claim, column, count, schedule } => {
            let col = &r.columns[*column];
            let replay = replay_string::encode(&r.program, col.exploration.key, fs, schedule)
                .map_or_else(|_| String::new(), |s| format!(", replay {s}"));
            let n = if *count == 1 { "1 interleaving".to_owned() } else { format!("{count} interleavings") };
            Some((*claim, format!("{}: {n}{replay}", col.name)))
        }
        Violation::Exists { claim, column } => {
            Some((*claim, format!("{}: no interleaving", r.columns[*column].name)))
        }
        Violation::Expect { .. } => None,
    });
    for (claim, text) in said {
        out.entry(claim).or_default().push(text);
    }
    out
}

/// Plain text for mail, its link to the playground at `base`: see the
/// module documentation.
pub fn email(p: &Parsed, a: &Analysis, base: &str) -> String {
    let mut out = String::new();
    let mut line = |s: &str| {
        out.push_str(s);
        out.push('\n');
    };
    if let Some(t) = &p.scenario.title {
        for l in wrap(&inert(t), WIDTH, "", "") {
            line(&l);
        }
    }
    line(&format!("fs: {}", p.scenario.fs().id()));
    line("");
    for l in email_table(p, a) {
        line(&l);
    }
    line("");
    let ids: Vec<&str> = a.columns.iter().map(|c| c.as_str()).collect();
    for l in wrap(&ids.join(" "), WIDTH, "schemes: ", "         ") {
        line(&l);
    }
    let par = p.scenario.has_par();
    let mut legend = if p.scenario.has_par() {
        "* the schemes or the interleavings differ; ! not what the scenario expects"
    } else {
        "* the schemes differ; ! not what the scenario expects"
    }
    .to_owned();
    if par {
        legend.push_str("; {0,EIO}: every result some interleaving gives");
    }
    if has_read(p) {
        legend.push_str(&format!("; {READ_LEGEND}"));
    }
    for l in wrap(&legend, WIDTH, "", "  ") {
        line(&l);
    }
    let failures = a.failure_sentences();
    if !failures.is_empty() {
        line("");
        line("Not as expected:");
        for f in &failures {
            for l in wrap(f, WIDTH, "  ", "    ") {
                line(&l);
            }
        }
    }
    let claims: Vec<&Claim> = p.scenario.claims().collect();
    if !claims.is_empty() {
        line("");
        line("Claims:");
        let mut failures = claim_failures(p, a);
        for (i, c) in claims.iter().enumerate() {
            for l in wrap(&claim_text(c), WIDTH, "  ", "      ") {
                line(&l);
            }
            let fails = failures.remove(&i).unwrap_or_default();
            if fails.is_empty() {
                line("    holds");
            } else {
                for f in fails {
                    for l in wrap(&format!("FAILS under {f}"), WIDTH, "    ", "      ") {
                        line(&l);
                    }
                }
            }
        }
    }
    if a.holds() {
        line("");
        line("Every expectation and claim holds.");
    }
    line("");
    for l in mail::block(&p.scenario) {
        line(&l);
    }
    let link = mail::link(base, &p.scenario);
    line("");
    line("Run it again: paste this mail into `errseq check -` or into the");
    line(if link.left_out {
        "playground, or open the link (the title and comments are above):"
    } else {
        "playground, or open the link:"
    });
    for l in mail::link_lines(&link.link, WIDTH) {
        line(&l);
    }
    out
}

/// The table, in as many blocks of scheme columns as 72 columns need.
fn email_table(p: &Parsed, a: &Analysis) -> Vec<String> {
    let rows = rows(p);
    let ncol = a.columns.len();
    // Cells by row and column, and the row's mark.
    let mut cells: Vec<Vec<String>> = Vec::new();
    let mut marks: Vec<&str> = Vec::new();
    for row in &rows {
        match row.event.and_then(|e| a.rows.get(e)) {
            Some(analysed) => {
                marks.push(if analysed.differs { "*" } else { "" });
                cells.push(
                    analysed
                        .cells
                        .iter()
                        .map(|c| {
                            let mut s = c.text_with(",");
                            if c.failed.is_some() {
                                s.push('!');
                            }
                            s
                        })
                        .collect(),
                );
            }
            None => {
                marks.push("");
                cells.push(vec![String::new(); ncol]);
            }
        }
    }
    let heads: Vec<&str> = a.columns.iter().map(short).collect();
    // The mark column and its gap.
    let prefix = 3;
    let max_cell = WIDTH - prefix - MIN_EVENT - 2;
    let widths: Vec<usize> = (0..ncol)
        .map(|c| {
            let w = cells.iter().map(|row| row[c].chars().count()).max().unwrap_or(0);
            w.max(heads[c].chars().count()).min(max_cell)
        })
        .collect();
    let event_w = rows
        .iter()
        .map(|row| row.text.chars().count() + if row.task { 2 } else { 0 })
        .max()
        .unwrap_or(0)
        .max("event".len());
    // Blocks of columns that fit beside an event column of MIN_EVENT.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut used = 0;
    for (c, w) in widths.iter().enumerate() {
        match groups.last_mut() {
            Some(g) if prefix + event_w.min(MIN_EVENT) + used + 2 + w <= WIDTH => {
                g.push(c);
                used += 2 + w;
            }
            _ => {
                groups.push(vec![c]);
                used = 2 + w;
            }
        }
    }
    if groups.is_empty() {
        groups.push(Vec::new());
    }
    let mut out = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        if i > 0 {
            out.push(String::new());
        }
        let cols: usize = g.iter().map(|&c| 2 + widths[c]).sum();
        let ew = event_w.min(WIDTH.saturating_sub(prefix + cols)).max(MIN_EVENT.min(event_w));
        let mut t = Table::new();
        let mut head = vec![String::new(), "event".to_owned()];
        head.extend(g.iter().map(|&c| heads[c].to_owned()));
        t.row(head);
        for (k, row) in rows.iter().enumerate() {
            let text = if row.task { format!("  {}", row.text) } else { row.text.clone() };
            let mut line = vec![marks[k].to_owned(), fit(&text, ew)];
            line.extend(g.iter().map(|&c| fit(&cells[k][c], widths[c])));
            t.row(line);
        }
        out.extend(t.lines());
    }
    out
}

/// Markdown: the title, the profile, a GitHub table (events down, schemes
/// across), what does not hold, the claims, and the link.
pub fn markdown(p: &Parsed, a: &Analysis, link: &str) -> String {
    let mut out = String::new();
    if let Some(t) = &p.scenario.title {
        let _ = writeln!(out, "### {}\n", escape(t));
    }
    let _ = writeln!(out, "fs: `{}`\n", p.scenario.fs().id());
    let mut head = "| | event |".to_owned();
    let mut rule = "|---|---|".to_owned();
    for c in &a.columns {
        let _ = write!(head, " {c} |");
        rule.push_str("---|");
    }
    let _ = writeln!(out, "{head}\n{rule}");
    for row in rows(p) {
        let indent = if row.task { "&emsp;" } else { "" };
        let Some(analysed) = row.event.and_then(|e| a.rows.get(e)) else {
            let _ = writeln!(out, "| | {indent}`{}` |{}", row.text, " |".repeat(a.columns.len()));
            continue;
        };
        let mark = if analysed.differs { " \\* " } else { " " };
        let _ = write!(out, "|{mark}| {indent}`{}` |", row.text);
        for c in &analysed.cells {
            let bad = if c.failed.is_some() { " ✗" } else { "" };
            let _ = write!(out, " {}{bad} |", c.text());
        }
        out.push('\n');
    }
    let differ =
        if p.scenario.has_par() { "the schemes or the interleavings differ" } else { "the schemes differ" };
    let _ = write!(out, "\n\\* {differ} · ✗ not what the scenario expects");
    if p.scenario.has_par() {
        out.push_str(" · `{0, EIO}`: every result some interleaving gives");
    }
    if has_read(p) {
        let _ = write!(out, " · {READ_LEGEND}");
    }
    out.push_str("\n\n");
    let failures = a.failure_sentences();
    if !failures.is_empty() {
        out.push_str("**Not as expected**\n\n");
        for f in failures {
            let _ = writeln!(out, "- {}", escape(&f));
        }
        out.push('\n');
    }
    let claims: Vec<&Claim> = p.scenario.claims().collect();
    if !claims.is_empty() {
        out.push_str("**Claims**\n\n");
        let mut failures = claim_failures(p, a);
        for (i, c) in claims.iter().enumerate() {
            let fails = failures.remove(&i).unwrap_or_default();
            let verdict = if fails.is_empty() {
                "holds".to_owned()
            } else {
                format!("**fails** under {}", escape(&fails.join("; ")))
            };
            let _ = writeln!(out, "- `{}`: {verdict}", claim_text(c));
        }
        out.push('\n');
    }
    let target = if link.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", link.replace('>', "%3E"))
    } else {
        link.to_owned()
    };
    let _ = writeln!(out, "[Open this scenario in the errseq playground]({target})");
    out
}

/// Free text for Markdown: made [`inert`], then every character that
/// GitHub's Markdown could read as markup inside a line escaped with a
/// backslash: emphasis, code, links and images (`[`), HTML and entities,
/// headings, table cells, strikethrough. Free text never starts a line
/// here (it follows `### ` or `- `), so list and quote markers are
/// harmless.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in inert(s).chars() {
        if "\\`*_[]<>#|~&".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_words_and_cuts_only_what_cannot_fit() {
        assert_eq!(wrap("a bb ccc", 5, "", ""), vec!["a bb", "ccc"]);
        assert_eq!(wrap("x", 72, "schemes: ", "  "), vec!["schemes: x"]);
        let long = "y".repeat(30);
        for l in wrap(&format!("a {long}"), 12, "", "  ") {
            assert!(l.chars().count() <= 12, "{l}");
        }
        assert_eq!(wrap("", 10, "", ""), vec![""]);
    }

    #[test]
    fn wrapping_a_huge_word_is_linear() {
        let word = "x".repeat(2_000_000);
        let start = std::time::Instant::now();
        let lines = wrap(&word, 72, "", "");
        assert_eq!(lines.len(), 2_000_000usize.div_ceil(72));
        assert!(lines.iter().all(|l| l.chars().count() <= 72));
        // Quadratic, this took minutes; linear, milliseconds (debug).
        assert!(start.elapsed() < std::time::Duration::from_secs(5), "{:?}", start.elapsed());
    }

    #[test]
    fn markdown_free_text_is_escaped_and_inert() {
        assert_eq!(
            escape("a|b *c* _d_ `e` <f> [g](h) &amp; #i ~j~"),
            "a\\|b \\*c\\* \\_d\\_ \\`e\\` \\<f\\> \\[g\\](h) \\&amp; \\#i \\~j\\~"
        );
        // The escape's backslash is escaped too, so Markdown shows `\x1b`.
        assert_eq!(escape("\x1b[2J\u{202e}"), "\\\\x1b\\[2J\\\\u{202e}");
    }

    #[test]
    fn fitting_marks_the_cut() {
        assert_eq!(fit("fsync a", 10), "fsync a");
        assert_eq!(fit("sync_file_range long_name", 10), "sync_fi...");
    }
}

#[cfg(test)]
mod corpus {
    use errseq_explorer::Bounds;
    use errseq_scenario::parse;
    use errseq_share::mail::{Reading, BLOCK_WIDTH};

    use super::*;

    const BASE: &str = "https://errseq.example.org/";
    const LINK: &str = "http://127.0.0.1:8080/#1ASCWEWAgkZImQUbFRkDBWqOoqww";

    fn both(text: &str, link: &str) -> (String, String) {
        let p = parse(text).expect("valid scenario");
        let r = errseq_explorer::check(&p, Bounds::default()).expect("explores");
        let a = Analysis::explored(&p, r);
        (email(&p, &a, BASE), markdown(&p, &a, link))
    }

    /// Every line fits 72 columns, the link's included, and none ends in
    /// a blank (a format=flowed reader would join it to the next).
    fn assert_fits(mail: &str, what: &str) {
        for l in mail.lines() {
            assert!(l.chars().count() <= WIDTH, "{what}: {} columns:\n{l}\n\n{mail}", l.chars().count());
            assert_eq!(l.trim_end(), l, "{what}: a trailing blank:\n{mail}");
        }
    }

    /// The mail gives its scenario back, and its link opens the scenario
    /// without the title and comments.
    fn assert_stands_on_its_own(mail: &str, text: &str, what: &str) {
        let Reading::Found(found) = errseq_share::mail::read(mail) else {
            panic!("{what}: not read as mail")
        };
        assert_eq!(found.len(), 1, "{what}");
        let back = found[0].text.clone().expect("a scenario");
        assert_eq!(back, parse(text).expect("valid").scenario.to_string(), "{what}");
        assert!(found[0].notes.is_empty(), "{what}: {:?}", found[0].notes);
        let url: String = mail
            .lines()
            .skip_while(|l| !l.starts_with("<http"))
            .collect::<String>()
            .trim_start_matches('<')
            .trim_end_matches('>')
            .to_owned();
        let shared = errseq_share::decode(&url).unwrap_or_else(|e| panic!("{what}: {e}: {url}"));
        let bare = errseq_share::mail::bare(&parse(text).expect("valid").scenario);
        assert_eq!(shared.scenario.to_string(), bare.to_string(), "{what}");
    }

    #[test]
    fn every_example_fits_72_columns_and_stands_on_its_own() {
        assert!(errseq_examples::ALL.len() >= 30);
        for e in errseq_examples::ALL {
            let (mail, md) = both(e.text, LINK);
            assert_fits(&mail, e.name);
            assert_stands_on_its_own(&mail, e.text, e.name);
            assert!(mail.contains("\nfs: "), "{}", e.name);
            let block = mail
                .lines()
                .skip_while(|l| !l.starts_with("----- errseq"))
                .take_while(|l| !l.starts_with("----- end"));
            assert!(block.clone().all(|l| l.chars().count() <= BLOCK_WIDTH), "{}", e.name);
            assert!(md.contains(LINK), "{}", e.name);
            assert!(md.contains("| | event |"), "{}", e.name);
            if std::env::var_os("ERRSEQ_SHOW_EMAIL").is_some() {
                println!("==== {}\n{mail}\n---- markdown\n{md}", e.name);
            }
        }
    }

    #[test]
    fn a_hostile_title_is_inert_in_mail_and_markdown() {
        let (mail, md) =
            both("title: \x1b]0;PWNED\x07\x1b[2J\u{202e}x | *y*\nopen a f\nfsync a => 0\n", LINK);
        assert!(mail.starts_with("\\x1b]0;PWNED\\x07\\x1b[2J\\u{202e}x | *y*\n"), "{mail}");
        assert!(md.starts_with("### \\\\x1b\\]0;PWNED\\\\x07\\\\x1b\\[2J\\\\u{202e}x \\| \\*y\\*\n"), "{md}");
        for out in [&mail, &md] {
            assert!(!out.chars().any(errseq_scenario::inert::is_control), "{out}");
        }
        // The text in the mail is inert too; its link carries the title.
        assert!(mail.contains("\ntitle: \\x1b]0;PWNED"), "{mail}");
    }

    #[test]
    fn every_scheme_gets_a_short_header_and_a_legend() {
        let (mail, _) = both(
            "title: one error, two fds\nopen a f\nopen b f\nwrite a\nfail f EIO\nfsync a => EIO\nfsync b => EIO\n",
            LINK,
        );
        assert!(mail.starts_with("one error, two fds\nfs: ext4\n\n"), "{mail}");
        assert!(mail.contains("\n   event       4.12  v1   v2   4.13  4.14  4.17  5.8\n"), "{mail}");
        assert!(mail.contains("\n*  fsync b     0!    EIO  EIO  EIO   EIO   EIO   EIO\n"), "{mail}");
        assert!(
            mail.contains(
                "\nschemes: linux-4.12 rfc-v1 rfc-v2 linux-4.13 linux-4.14 linux-4.17\n         linux-5.8\n"
            ),
            "{mail}"
        );
        assert!(
            mail.contains("Not as expected:\n  line 7, fsync b, linux-4.12: expected EIO, got 0\n"),
            "{mail}"
        );
        assert!(
            mail.contains(
                "\n----- errseq scenario -----\ntitle: one error, two fds\n\nopen a f\nopen b f\nwrite a\n"
            ),
            "{mail}"
        );
        assert!(mail.contains("\nplayground, or open the link (the title and comments are above):\n<https://errseq.example.org/#3"), "{mail}");
        assert!(mail.ends_with(">\n"), "{mail}");
    }

    #[test]
    fn par_blocks_show_result_sets_and_claims() {
        let text = "schemes: linux-4.12 linux-4.13\nopen a f\nopen b f\npar\n  fsync a as a1\n  error f EIO\n  fsync b as b1\nend\nfsync a as a2\nnever a1 = 0, a2 = 0\n";
        let (mail, md) = both(text, LINK);
        assert!(mail.contains("\n   par\n"), "{mail}");
        // Several results: marked `*` although the schemes agree, as in
        // `errseq run` and the page (one rule, render::analysis).
        assert!(mail.contains("\n*    fsync a as a1  {0,EIO}  {0,EIO}\n"), "{mail}");
        assert!(mail.contains("{0,EIO}"), "{mail}");
        assert!(mail.contains("Claims:\n  never a1 = 0, a2 = 0\n    FAILS under linux-4.12: "), "{mail}");
        assert!(md.contains("| \\* | &emsp;`fsync a as a1` | {0, EIO} | {0, EIO} |"), "{md}");
        assert!(md.contains("- `never a1 = 0, a2 = 0`: **fails** under linux-4.12"), "{md}");
        assert!(md.ends_with(&format!("[Open this scenario in the errseq playground]({LINK})\n")), "{md}");
    }

    #[test]
    fn a_read_shows_its_version_and_the_legend_says_what_it_is() {
        let text = "fs: btrfs\nopen a f\nwrite a\nfail f EIO\nfsync a => EIO\nread a => v0 linux-5.8=v1\n";
        let (mail, md) = both(text, LINK);
        assert!(mail.contains("\n*  read a      v0    v0   v0   v0    v0    v0    v1\n"), "{mail}");
        assert!(
            mail.contains("vN from a read:\n  the page's N-th written version (v0: before the scenario)\n"),
            "{mail}"
        );
        assert!(md.contains("| \\* | `read a` | v0 | v0 | v0 | v0 | v0 | v0 | v1 |"), "{md}");
        assert!(md.contains(" · vN from a read: the page's N-th written version"), "{md}");
        let (plain, _) = both("open a f\nfsync a => 0\n", LINK);
        assert!(!plain.contains("vN from a read"), "only where a read is: {plain}");
        assert_fits(&mail, "read");
        assert_stands_on_its_own(&mail, text, "read");
    }

    #[test]
    fn too_many_wide_columns_are_split_into_blocks() {
        let text = "title: a title much longer than a line of mail can hold, so that it has to be wrapped over two lines at least\nschemes: linux-4.12 rfc-v1 rfc-v2 linux-4.13 linux-4.17 linux-5.8 linux rfc-v2-skip-unchanged rfc-v2-report-once\nopen a_very_long_descriptor_name some_file_with_a_long_name\nopen b some_file_with_a_long_name\npar\n  fsync a_very_long_descriptor_name as first_call_label\n  error some_file_with_a_long_name EIO\n  error some_file_with_a_long_name ENOSPC\n  fsync b\nend\nfsync b => {0, EIO, ENOSPC}\n";
        let (mail, _) = both(text, LINK);
        if std::env::var_os("ERRSEQ_SHOW_EMAIL").is_some() {
            println!("{mail}");
        }
        assert_fits(&mail, "wide");
        assert_stands_on_its_own(&mail, text, "wide");
        assert!(mail.matches("event").count() >= 2, "{mail}");
        assert!(mail.contains("..."), "{mail}");
    }
}
