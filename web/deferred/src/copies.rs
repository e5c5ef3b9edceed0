//! The copies made from the results: plain-text mail, Markdown and the
//! SVG picture (the renderers of `errseq-render`, which the CLI's
//! `render` runs too).

use errseq_page_protocol::{Analysis, Copy, CopyRequest};
use errseq_scenario::parse;

use crate::explored::{self, Exploration};

/// The copy `r` asks for, or why there is none.
pub fn make(r: &CopyRequest) -> Result<String, String> {
    let p = parse(&r.text).map_err(|_| "fix the scenario's problems first".to_owned())?;
    // The results the page shows; for an explored text, the same table
    // with the report the claims' verdicts come from (made once, here).
    let explored = explored::of(&r.text);
    let results: &Analysis = match &*explored.0 {
        Exploration::PageOwn { .. } => &r.results,
        e => e.results().ok_or("fix the scenario's problems first")??,
    };
    Ok(match r.form {
        // The mail makes its own link, leaving out what its text says.
        Copy::Email => errseq_render::email(&p, results, &r.base),
        Copy::Markdown => errseq_render::markdown(&p, results, &r.link),
        Copy::Svg => errseq_render::svg(&p, results, &r.link),
    })
}

/// `the-fsync-retry.svg` from a title: letters and digits, dashes between
/// words, at most 60 characters.
pub fn file_name(title: Option<&str>) -> String {
    let words: Vec<String> = title
        .unwrap_or("errseq scenario")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let mut name: String = words.join("-").chars().take(60).collect();
    if name.is_empty() {
        name = "errseq-scenario".into();
    }
    format!("{}.svg", name.trim_end_matches('-'))
}
