//! A mail pasted into the text pane: the scenarios it holds, found by
//! `errseq_share::mail` (the same reader as `errseq check -`).

use errseq_page_protocol::PastedScenario;
use errseq_scenario::parse_unchecked;
use errseq_share::mail::{self, Found, Reading};

/// The scenarios a pasted text holds as a mail, or `None`: a scenario (or
/// a piece of one), or no mail, pastes as it is.
pub fn read(text: &str) -> Option<Vec<PastedScenario>> {
    if parse_unchecked(text).is_ok() {
        return None;
    }
    match mail::read(text) {
        Reading::NotMail => None,
        Reading::Found(found) => Some(found.iter().map(pasted).collect()),
    }
}

fn pasted(f: &Found) -> PastedScenario {
    PastedScenario {
        label: label(f),
        found_at: f.describe(),
        text: f.text.clone(),
        replay: f.replay.clone(),
        notes: f.notes.clone(),
    }
}

/// A scenario's name in the page's choice: its title, or its first call.
fn label(f: &Found) -> String {
    let text = f.text.as_deref().unwrap_or("");
    let title = parse_unchecked(text).ok().and_then(|(s, _)| s.title);
    let name = title.unwrap_or_else(|| {
        text.lines().find(|l| !l.trim().is_empty() && !l.starts_with('#')).unwrap_or("untitled").to_owned()
    });
    format!("{name} ({})", f.describe())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_pastes_as_it_is_and_a_mail_gives_its_scenarios() {
        assert_eq!(read("open a f\nfsync a\n"), None);
        assert_eq!(read("just some prose, no scenario"), None);
        let text = "title: The retry\n\nopen a f\nerror f EIO\nfsync a => EIO\n";
        let fragment = crate::link::fragment(text, None).expect("a link");
        let mail = format!("Hi,\n\nsee https://errseq.example.org/#{fragment}\n\nThanks\n");
        let found = read(&mail).expect("a mail");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].text.as_deref(), Ok(text));
        assert!(found[0].label.starts_with("The retry ("), "{}", found[0].label);
    }
}
