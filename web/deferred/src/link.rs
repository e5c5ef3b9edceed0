//! The address: reading the link the page was opened with, and the
//! fragment that follows the edits (the codec is `errseq-share`).

use errseq_page_protocol::{Fragment, LinkReading};
use errseq_scenario::parse_unchecked;

/// What `fragment` opens: its scenario and interleaving; for a text link
/// whose text has mistakes, the text as it is (the editor shows them);
/// else why it cannot be opened.
pub fn read(fragment: &str) -> LinkReading {
    match errseq_share::decode(fragment) {
        Ok(shared) => LinkReading::Opened { text: shared.scenario.to_string(), replay: shared.replay },
        Err(e) => match e.text() {
            Some(text) => LinkReading::Opened { text: text.to_owned(), replay: None },
            None => LinkReading::Problem(e.to_string()),
        },
    }
}

/// The fragment for `text` (and interleaving): the compact form whenever
/// the syntax is right (fd mistakes included), else the text as it is;
/// or, past the limits of a link, why no link carries it.
pub fn fragment(text: &str, replay: Option<&str>) -> Fragment {
    let made = match parse_unchecked(text) {
        Ok((scenario, _)) => errseq_share::try_encode(&scenario, replay),
        Err(_) => errseq_share::try_text_fragment(text, replay),
    };
    made.map_err(|e| format!("no link carries this scenario: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fragment_reads_back_as_its_scenario() {
        let text = "# t\nopen a f\nerror f EIO\nfsync a => EIO\n";
        let f = fragment(text, None).expect("a link carries it");
        assert_eq!(read(&f), LinkReading::Opened { text: text.to_owned(), replay: None });
    }

    #[test]
    fn a_text_with_mistakes_travels_as_it_is() {
        let text = "open a f\nfsnyc a\n";
        let f = fragment(text, None).expect("a text link");
        assert_eq!(read(&f), LinkReading::Opened { text: text.to_owned(), replay: None });
    }

    #[test]
    fn a_damaged_link_says_why() {
        match read("3zzzz") {
            LinkReading::Problem(why) => assert!(!why.is_empty()),
            other => panic!("{other:?}"),
        }
    }
}
