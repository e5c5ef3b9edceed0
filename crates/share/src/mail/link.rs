//! The link a mail carries: the scenario without what its text says, in
//! `<` and `>`, in lines that fit a mail.

use errseq_scenario::{inert, Scenario};

use super::write::bare;

/// A mail's link, and whether it leaves something out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailLink {
    pub link: String,
    /// The scenario has a title or comments that the link leaves to the
    /// mail's text.
    pub left_out: bool,
}

/// The link for a mail about `s`, to the playground at `base`: the
/// scenario without its title and comments ([`bare`]), which the mail's
/// text carries. A scenario whose text has control characters gets its
/// whole link: the mail shows those escaped, the link keeps them.
pub fn link(base: &str, s: &Scenario) -> MailLink {
    let text = s.to_string();
    if inert(&text) != text {
        return MailLink { link: crate::link(base, s, None), left_out: false };
    }
    let bare = bare(s);
    let left_out = bare.to_string() != text;
    MailLink { link: crate::link(base, &bare, None), left_out }
}

/// `<link>` in lines of at most `width` characters, cut anywhere: the
/// reader drops every blank between `<` and `>` (RFC 3986, appendix C).
pub fn link_lines(link: &str, width: usize) -> Vec<String> {
    let whole: Vec<char> = format!("<{link}>").chars().collect();
    whole.chunks(width.max(1)).map(|c| c.iter().collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_leaves_out_the_title_and_comments() {
        let (s, _) =
            errseq_scenario::parse_unchecked("title: t\nopen a f  # why\nfsync a => EIO\n").expect("parses");
        let l = link("https://errseq.example.org/", &s);
        assert!(l.left_out);
        let back = crate::decode(&l.link).expect("decodes");
        assert_eq!(back.scenario.to_string(), "open a f\nfsync a => EIO\n");
        let (plain, _) = errseq_scenario::parse_unchecked("open a f\n").expect("parses");
        assert!(!link("https://errseq.example.org/", &plain).left_out);
    }

    #[test]
    fn control_characters_keep_the_whole_link() {
        let (s, _) = errseq_scenario::parse_unchecked("title: \x1b[2J\nopen a f\n").expect("parses");
        let l = link("https://errseq.example.org/", &s);
        assert!(!l.left_out);
        assert_eq!(crate::decode(&l.link).expect("decodes").scenario, s);
    }

    #[test]
    fn lines_cut_the_bracketed_link() {
        assert_eq!(link_lines("https://x/#2AB", 6), vec!["<https", "://x/#", "2AB>"]);
    }
}
