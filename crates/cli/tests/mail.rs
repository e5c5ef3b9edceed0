//! The mail text round trip as a user makes it: `errseq render` writes
//! the mail, mail programs quote, rewrap and answer it, and `errseq check
//! -` and `errseq decode -` read back every scenario, exactly.

mod common;

use common::{errseq, text};

use errseq_scenario::parse;
use errseq_share::mail::mangle::{quote, rewrap, with_prose, Quote};

const BASE: &str = "https://errseq.example.org/";

/// `errseq render` of every example: (name, canonical text, mail).
fn mails() -> Vec<(&'static str, String, String)> {
    errseq_examples::ALL
        .iter()
        .map(|e| {
            let path = e.path();
            let out = errseq(&["render", path.to_str().expect("path"), "--base", BASE], None);
            assert!(out.status.success(), "{}: {}", e.name, text(&out.stderr));
            (e.name, parse(e.text).expect("valid").scenario.to_string(), text(&out.stdout))
        })
        .collect()
}

#[test]
fn every_mail_fits_72_columns_link_included() {
    for (name, _, mail) in mails() {
        for l in mail.lines() {
            assert!(l.chars().count() <= 72, "{name}: {} columns: {l}", l.chars().count());
            assert_eq!(l.trim_end(), l, "{name}: a trailing blank is a soft break to format=flowed");
        }
        assert!(mail.contains("\n----- errseq scenario -----\n"), "{name}");
        assert!(mail.contains("\n<https://errseq.example.org/#"), "{name}");
    }
}

/// Every example's mail, one after the other, through one mail program's
/// doings: `check -` says each is ok, and `decode -` prints each text.
#[test]
fn every_mail_reads_back_through_quoting_rewrapping_and_prose() {
    let mails = mails();
    let all: String = mails.iter().map(|(_, _, m)| format!("{m}\n")).collect();
    let once = quote(&all, Quote::Spaced);
    let twice = quote(&once, Quote::Spaced);
    let flowed_twice = quote(&quote(&all, Quote::Flowed), Quote::Flowed);
    let wanted: String = mails.iter().map(|(_, t, _)| t.as_str()).collect();
    for (what, input) in [
        ("as sent", all.clone()),
        ("quoted once", once.clone()),
        ("quoted twice", twice.clone()),
        ("quoted twice, rewrapped at 72 with format=flowed", rewrap(&twice, 72, false)),
        ("flowed quotes twice, rewrapped at 72 with format=flowed", rewrap(&flowed_twice, 72, false)),
        ("quoted once with prose between, rewrapped at 72", rewrap(&with_prose(&once, 4), 72, false)),
        ("quoted twice with prose between", with_prose(&twice, 3)),
    ] {
        let checked = errseq(&["check", "-"], Some(&input));
        let stdout = text(&checked.stdout);
        assert!(checked.status.success(), "{what}: {stdout}{}", text(&checked.stderr));
        assert_eq!(stdout.lines().filter(|l| l.contains(": ok (")).count(), mails.len(), "{what}: {stdout}");
        assert!(stdout.lines().all(|l| l.starts_with("-:")), "{what}: {stdout}");
        assert_eq!(text(&checked.stderr), "", "{what}");
        let decoded = errseq(&["decode", "-"], Some(&input));
        assert!(decoded.status.success(), "{what}: {}", text(&decoded.stderr));
        assert_eq!(text(&decoded.stdout), wanted, "{what}");
    }
}

#[test]
fn a_reply_with_a_mistake_is_told_where_it_is_in_the_mail() {
    let (_, _, mail) = mails().into_iter().find(|(n, _, _)| *n == "05-fsync-retry").expect("example");
    let edited = quote(&mail, Quote::Spaced).replace("> fsync a => EIO\n", "> fsync a => EIOO\n");
    let line = edited.lines().position(|l| l.contains("EIOO")).expect("the line") + 1;
    let out = errseq(&["check", "-"], Some(&edited));
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("note: the text is not what was sent (its check does not match)"), "{stderr}");
    assert!(stderr.contains(&format!("-:{line}:14: unknown errno `EIOO`")), "{stderr}");
}

#[test]
fn a_mail_with_two_scenarios_is_one_input_for_check_and_refused_elsewhere() {
    let all = mails();
    let two = format!("{}\n{}", all[0].2, all[1].2);
    let out = errseq(&["run", "-"], Some(&two));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("the mail holds 2 scenarios (-:"), "{}", text(&out.stderr));
    let one = errseq(&["run", "-"], Some(&all[0].2));
    assert!(one.status.success(), "{}", text(&one.stderr));
}

#[test]
fn a_link_alone_broken_by_a_mail_program_still_decodes() {
    let (_, t, mail) = mails().into_iter().find(|(n, _, _)| n.starts_with("findings/2")).expect("finding");
    let link: String = mail.lines().skip_while(|l| !l.starts_with("<http")).collect::<Vec<_>>().join("\n");
    assert!(link.contains('\n'), "a finding's link takes two lines: {link}");
    let out = errseq(&["decode", "-"], Some(&quote(&format!("the link:\n{link}\n"), Quote::Spaced)));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bare = errseq_share::mail::bare(&parse(&t).expect("valid").scenario).to_string();
    assert_eq!(text(&out.stdout), bare);
}
