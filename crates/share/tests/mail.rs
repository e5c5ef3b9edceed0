//! A scenario in mail and back: the block and its link, through what
//! mail programs do (quoting, format=flowed rewrapping, prose between the
//! lines), give back the same canonical text; arbitrary lines fold and
//! unfold to themselves.

use errseq_scenario::parse_unchecked;
use errseq_share::mail::mangle::{quote, rewrap, with_prose, Quote};
use errseq_share::mail::{self, Found, Origin, Reading};
use proptest::prelude::*;

const BASE: &str = "https://errseq.example.org/";

/// The block and the link as a mail carries them, with words around.
fn mini_mail(text: &str) -> String {
    let s = parse_unchecked(text).expect("parses").0;
    let mut out = String::from("Hello,\n\nthe results are below.\n\n");
    for l in mail::block(&s) {
        out.push_str(&l);
        out.push('\n');
    }
    out.push_str("Open it:\n");
    for l in mail::link_lines(&mail::link(BASE, &s).link, mail::MAIL_WIDTH) {
        out.push_str(&l);
        out.push('\n');
    }
    out
}

fn canonical(text: &str) -> String {
    parse_unchecked(text).expect("parses").0.to_string()
}

fn found(input: &str) -> Vec<Found> {
    match mail::read(input) {
        Reading::Found(f) => f,
        Reading::NotMail => panic!("not read as mail:\n{input}"),
    }
}

/// The one scenario `input` holds, canonical; read with nothing to say
/// unless a mail program broke lines without marking them.
fn one(input: &str, what: &str) -> String {
    let f = found(input);
    assert_eq!(f.len(), 1, "{what}: {f:?}\n{input}");
    assert!(what.contains("hard") || f[0].notes.is_empty(), "{what}: {:?}\n{input}", f[0].notes);
    let text = f[0].text.clone().unwrap_or_else(|e| panic!("{what}: {e}\n{input}"));
    match parse_unchecked(&text) {
        Ok((s, _)) => s.to_string(),
        Err(d) => panic!("{what}: {:?}\n{input}", d.first()),
    }
}

/// What mail programs make of a mail.
fn mangled(mail: &str) -> Vec<(&'static str, String)> {
    let once = quote(mail, Quote::Spaced);
    let twice = quote(&once, Quote::Spaced);
    let flowed_twice = quote(&quote(mail, Quote::Flowed), Quote::Flowed);
    vec![
        ("as sent", mail.to_owned()),
        ("quoted once", once.clone()),
        ("quoted twice", twice.clone()),
        ("quoted twice, flowed style", flowed_twice.clone()),
        ("quoted twice, rewrapped at 72 (format=flowed)", rewrap(&twice, 72, false)),
        ("flowed quotes, rewrapped at 72 (format=flowed)", rewrap(&flowed_twice, 72, false)),
        ("quoted once, rewrapped at 40 (format=flowed)", rewrap(&once, 40, false)),
        // Without format=flowed: the check and the link say where the
        // breaks were.
        ("quoted twice, rewrapped hard at 72", rewrap(&twice, 72, true)),
        ("quoted once, prose every 3 lines", with_prose(&once, 3)),
        ("quoted twice, prose, rewrapped at 72", rewrap(&with_prose(&twice, 2), 72, false)),
    ]
}

#[test]
fn every_example_comes_back_through_what_mail_programs_do() {
    for e in errseq_examples::ALL {
        let mail = mini_mail(e.text);
        let want = canonical(e.text);
        for (what, m) in mangled(&mail) {
            assert_eq!(one(&m, what), want, "{}: {what}", e.name);
        }
    }
}

#[test]
fn every_block_line_fits_and_the_link_fits_a_mail() {
    for e in errseq_examples::ALL {
        let s = parse_unchecked(e.text).expect("parses").0;
        for l in mail::block(&s) {
            assert!(l.chars().count() <= mail::BLOCK_WIDTH, "{}: {l}", e.name);
            assert_eq!(l.trim_end(), l, "{}: a trailing blank would be a soft break", e.name);
        }
        for l in mail::link_lines(&mail::link(BASE, &s).link, mail::MAIL_WIDTH) {
            assert!(l.chars().count() <= mail::MAIL_WIDTH, "{}: {l}", e.name);
        }
    }
}

/// A mail program that rewraps much narrower than the block, without
/// format=flowed, breaks lines where the reader cannot see them: the text
/// comes back exact (its check confirms it), or the reader says it is
/// not what was sent (53 of 54 examples come back exact today).
#[test]
fn a_hard_rewrap_narrower_than_the_block_is_exact_or_said() {
    let mut exact = 0;
    for e in errseq_examples::ALL {
        let m = rewrap(&quote(&mini_mail(e.text), Quote::Spaced), 60, true);
        let f = found(&m);
        assert_eq!(f.len(), 1, "{}", e.name);
        let text = f[0].text.clone().expect("a text");
        if parse_unchecked(&text).is_ok_and(|s| s.0.to_string() == canonical(e.text)) {
            exact += 1;
        } else {
            assert!(
                f[0].notes.iter().any(|n| n.contains("not what was sent")),
                "{}: {:?}",
                e.name,
                f[0].notes
            );
        }
    }
    println!("{exact} of {} exact", errseq_examples::ALL.len());
    assert!(exact * 2 > errseq_examples::ALL.len(), "{exact} exact");
}

#[test]
fn two_scenarios_in_one_mail_are_both_found_once_each() {
    let a = errseq_examples::get("05-fsync-retry").expect("example").text;
    let b = errseq_examples::get("findings/2-unserialized-syncfs").expect("example").text;
    // A reply quoting the first mail (twice over, as a thread does) and
    // proposing a second scenario.
    let thread = quote(&quote(&mini_mail(a), Quote::Spaced), Quote::Spaced);
    let reply = format!("{}\nWhat about this one?\n\n{}", quote(&mini_mail(a), Quote::Spaced), mini_mail(b));
    let f = found(&format!("{reply}\n{thread}"));
    let texts: Vec<String> = f.iter().map(|f| canonical(f.text.as_ref().expect("text"))).collect();
    assert_eq!(texts, vec![canonical(a), canonical(b)]);
    assert!(matches!(f[0].origin, Origin::Text { depth: 1, .. }), "{:?}", f[0].origin);
}

#[test]
fn an_edited_reply_is_read_as_edited_and_says_so() {
    let a = errseq_examples::get("05-fsync-retry").expect("example").text;
    let mail = quote(&mini_mail(a), Quote::Spaced).replace("> fail f EIO\n", "> fail f ENOSPC\n");
    let f = found(&mail);
    assert_eq!(f.len(), 1);
    assert!(f[0].text.as_ref().expect("text").contains("fail f ENOSPC"));
    assert!(f[0].notes.iter().any(|n| n.contains("differ from the link")), "{:?}", f[0].notes);
}

#[test]
fn a_cut_mail_says_what_is_missing() {
    let a = errseq_examples::get("05-fsync-retry").expect("example").text;
    let mail = mini_mail(a);
    // Cut inside the scenario: no end line, no link.
    let cut = &mail[..mail.find("fsync a => 0").expect("a line")];
    let f = found(cut);
    let e = f[0].text.as_ref().expect_err("no scenario");
    assert!(e.contains("has no end line") && e.contains("may have been cut"), "{e}");
    // Cut after the text's last line, the link intact: the link's
    // scenario, and what it lacks.
    let end = mail.find("----- end of scenario").expect("the end line");
    let no_end = format!("{}\nand then\n{}", &mail[..end], &mail[mail.find("Open it:").expect("link")..]);
    let f = found(&no_end);
    let bare = mail::bare(&parse_unchecked(a).expect("parses").0).to_string();
    assert_eq!(f[0].text.as_ref().expect("text"), &bare);
    assert!(f[0].notes.iter().any(|n| n.contains("leaves out the title and comments")), "{:?}", f[0].notes);
    // A mistake in the text: the text, whose mistake its reader shows,
    // and a word on the link.
    let f = found(&mail.replace("fail f EIO", "fail f"));
    assert!(f[0].text.as_ref().expect("text").contains("\nfail f\n"));
    assert!(
        f[0].notes.iter().any(|n| n.contains("the link after it carries the scenario as it was sent")),
        "{:?}",
        f[0].notes
    );
    // A link cut short, alone.
    let link = mail::link(BASE, &parse_unchecked(a).expect("parses").0).link;
    let f = found(&format!("see {}", &link[..link.len() - 3]));
    assert!(f[0].text.as_ref().expect_err("cut").contains("cut short"), "{:?}", f[0].text);
}

#[test]
fn a_plain_scenario_or_prose_is_not_mail() {
    assert_eq!(mail::read("open a f\nfsync a\n"), Reading::NotMail);
    assert_eq!(mail::read("fsnyc a\n"), Reading::NotMail);
    assert_eq!(mail::read("see https://lore.kernel.org/all/x#m1\n"), Reading::NotMail);
    // Quoted scenario lines alone are a scenario.
    assert_eq!(one("> open a f\n>\n> fsync a\n", "quoted lines"), "open a f\n\nfsync a\n");
}

#[test]
fn diagnostics_map_back_to_the_mail() {
    let mail = "> ----- errseq scenario -----\n> open a f  # a comment long enough \\\n>   to fold\n> fsnyc a\n> ----- end of scenario -----\n";
    let f = found(mail);
    assert_eq!(f[0].text.as_ref().expect("text"), "open a f  # a comment long enough to fold\nfsnyc a\n");
    assert_eq!(f[0].place(2, 1), (4, 3));
    assert_eq!(f[0].place(1, 36), (3, 6));
}

#[test]
fn control_characters_come_back_from_the_link() {
    let text = "title: \x1b[2Jboo\nopen a f  # \u{202e}x\nfsync a\n";
    let mail = mini_mail(text);
    assert!(!mail.contains('\x1b'));
    assert_eq!(one(&quote(&mail, Quote::Spaced), "control"), canonical(text));
}

/// A hostile paste: many markers at alternating depths, lines that fold
/// forever, links that never close. Read in bounded time, without panic.
#[test]
fn a_hostile_mail_reads_in_bounded_time() {
    let mut m = String::new();
    for i in 0..20_000 {
        let q = if i % 2 == 0 { "" } else { "> " };
        m.push_str(&format!("{q}{}\n{q}open a f \\\n<https://e.org/#2AAAA\n", mail::BEGIN));
    }
    m.push_str(&"x \\\n".repeat(100_000));
    let start = std::time::Instant::now();
    let _ = mail::read(&m);
    assert!(start.elapsed() < std::time::Duration::from_secs(20), "{:?}", start.elapsed());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_line_folds_and_unfolds_to_itself(line in "[ a\\\\#.]{0,3}[a-z\\\\# ]{0,60}[a-z\\\\.]?", width in 4usize..30) {
        let line = line.trim_end().to_owned();
        let folded = mail::fold(&line, width).join("\n");
        let input = format!("{}\n{folded}\n{}\n", mail::BEGIN, mail::END);
        let f = found(&input);
        prop_assert_eq!(f[0].text.clone(), Ok(format!("{line}\n")), "{}", folded);
    }

    #[test]
    fn any_scenario_comes_back_from_a_quoted_mail(s in errseq_scenario::testing::strategy::scenario()) {
        let text = s.to_string();
        prop_assume!(parse_unchecked(&text).is_ok());
        let m = quote(&mini_mail(&text), Quote::Flowed);
        prop_assert_eq!(one(&m, "arbitrary"), canonical(&text));
    }
}
