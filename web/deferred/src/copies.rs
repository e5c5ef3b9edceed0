//! The copy buttons' work: the link, the text, plain-text mail, Markdown
//! and the embed snippet put on the clipboard, and the SVG picture
//! downloaded (the renderers of `errseq-render`, which the CLI's `render`
//! runs too). The buttons are the page's (`web/src/share.rs`); what they
//! copy is made here, from the results the page shows.

use errseq_page_protocol::{Analysis, Copy, CopyRequest};
use errseq_scenario::{parse, parse_unchecked};
use errseq_web::browser;

use crate::explored::{self, Exploration};
use crate::link;

/// Makes the copy `r` asks for and puts it on the clipboard, or downloads
/// the SVG; or says why not.
pub async fn copy(r: &CopyRequest<Analysis>) -> Result<(), String> {
    let fragment = link::fragment(&r.text, r.replay.as_deref());
    if r.form == Copy::Svg {
        // With no link, the picture links to the playground.
        let link = fragment.map_or_else(|_| browser::public_base(), |f| link_for(&f));
        let svg = made(r, &link)?;
        return browser::download(&file_name(title(&r.text).as_deref()), "image/svg+xml", &svg);
    }
    browser::copy(content(r, fragment)?).await
}

/// The text a copy button puts on the clipboard. `fragment`: the link's,
/// or why there is none (every form but the text needs it).
fn content(r: &CopyRequest<Analysis>, fragment: Result<String, String>) -> Result<String, String> {
    match r.form {
        Copy::Link => fragment.map(|f| link_for(&f)),
        Copy::Text => Ok(r.text.clone()),
        Copy::Embed => {
            let title = title(&r.text).unwrap_or_else(|| "errseq scenario".to_owned());
            Ok(embed_snippet(&fragment?, &title))
        }
        Copy::Email | Copy::Markdown | Copy::Svg => made(r, &link_for(&fragment?)),
    }
}

/// The mail, the Markdown or the SVG, from the results the page shows;
/// for an explored text, from this module's own table, the same one with
/// the report the claims' verdicts come from (made once, here).
fn made(r: &CopyRequest<Analysis>, link: &str) -> Result<String, String> {
    const PROBLEMS: &str = "fix the scenario's problems first";
    if !r.checked {
        return Err(PROBLEMS.to_owned());
    }
    let shown = r.results.as_ref().ok_or("the results are not there yet")?;
    let p = parse(&r.text).map_err(|_| PROBLEMS.to_owned())?;
    let explored = explored::of(&r.text);
    let results: &Analysis = match &*explored.0 {
        Exploration::PageOwn { .. } => shown,
        e => e.results().ok_or(PROBLEMS)??,
    };
    Ok(match r.form {
        // The mail makes its own link, leaving out what its text says.
        Copy::Email => errseq_render::email(&p, results, &browser::public_base()),
        Copy::Markdown => errseq_render::markdown(&p, results, link),
        _ => errseq_render::svg(&p, results, link),
    })
}

/// The scenario's title, if its syntax is right and it has one.
fn title(text: &str) -> Option<String> {
    parse_unchecked(text).ok().and_then(|(s, _)| s.title)
}

/// The link that opens this scenario in the playground, at the site's
/// public address.
pub fn link_for(fragment: &str) -> String {
    format!("{}#{fragment}", browser::public_base())
}

/// The snippet documentation pages embed: the iframe, and a one-line
/// listener that sizes it from the height it posts (a page whose own CSP
/// refuses inline scripts can drop the script and listen the same way;
/// `embed.rs` says what the embed posts).
pub fn embed_snippet(fragment: &str, title: &str) -> String {
    let title = title.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
    format!(
        "<iframe src=\"{}?embed#{fragment}\" title=\"{title}\" style=\"width:100%;border:0\" loading=\"lazy\"></iframe>\n\
         <script>addEventListener(\"message\",e=>{{if(e.data&&e.data.source===\"errseq-playground\"&&e.data.type===\"height\")\
         for(const f of document.querySelectorAll(\"iframe\"))if(f.contentWindow===e.source)f.style.height=e.data.height+\"px\"}})</script>",
        browser::public_base()
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    fn request(form: Copy, text: &str) -> CopyRequest<Analysis> {
        let results = parse(text).ok().and_then(|p| {
            let eval = errseq_model::Evaluation::built_in(&p).ok()?;
            Some(Analysis::evaluated(&p, &eval))
        });
        let checked = results.is_some();
        CopyRequest { form, text: text.to_owned(), replay: None, results, checked }
    }

    const TEXT: &str = "title: \"one\" <error>\nopen a f\nerror f EIO\nfsync a => EIO\n";

    #[test]
    fn each_form_is_made_from_the_text_and_its_link() {
        let fragment = link::fragment(TEXT, None);
        let f = fragment.clone().expect("a link carries it");
        assert_eq!(content(&request(Copy::Text, TEXT), fragment.clone()), Ok(TEXT.to_owned()));
        assert!(content(&request(Copy::Link, TEXT), fragment.clone())
            .expect("a link")
            .ends_with(&format!("#{f}")));
        let embed = content(&request(Copy::Embed, TEXT), fragment.clone()).expect("a snippet");
        assert!(embed.contains(&format!("?embed#{f}\" title=\"&quot;one&quot; &lt;error>\"")), "{embed}");
        let markdown = content(&request(Copy::Markdown, TEXT), fragment.clone()).expect("Markdown");
        assert!(markdown.contains("EIO"), "{markdown}");
        let why = content(&request(Copy::Link, TEXT), Err("too long".into()));
        assert_eq!(why, Err("too long".to_owned()));
    }

    #[test]
    fn a_copy_of_the_results_needs_results() {
        let broken = request(Copy::Email, "fsnyc a\n");
        assert_eq!(made(&broken, "x"), Err("fix the scenario's problems first".to_owned()));
        let waiting = CopyRequest { results: None, ..request(Copy::Email, TEXT) };
        assert_eq!(made(&waiting, "x"), Err("the results are not there yet".to_owned()));
    }

    #[test]
    fn svg_file_names_come_from_the_title() {
        assert_eq!(file_name(Some("The fsync retry (2018)")), "the-fsync-retry-2018.svg");
        assert_eq!(file_name(None), "errseq-scenario.svg");
        assert_eq!(file_name(Some("!!!")), "errseq-scenario.svg");
    }
}
