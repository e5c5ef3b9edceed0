//! The `errseq` binary as a user runs it: exit codes, messages, the corpus.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{errseq, errseq_with, text};

use errseq_scenario::{parse, Verb};

/// The examples of `examples/` (not the findings), as `errseq-examples`
/// listed them at build time.
fn examples() -> Vec<PathBuf> {
    errseq_examples::ALL.iter().filter(|e| !e.is_finding()).map(errseq_examples::Example::path).collect()
}

#[test]
fn every_example_holds_under_every_scheme() {
    let files = examples();
    assert!(files.len() >= 15, "the corpus is {} files", files.len());
    let args: Vec<&str> =
        std::iter::once("check").chain(files.iter().map(|p| p.to_str().expect("utf-8 path"))).collect();
    let out = errseq(&args, None);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().filter(|l| l.contains(": ok (")).count(), files.len());
}

#[test]
fn the_corpus_covers_every_call_under_every_scheme() {
    let (mut used, mut pinned) = (Vec::new(), Vec::new());
    for path in examples() {
        let p = parse(&std::fs::read_to_string(&path).expect("read")).expect("valid example");
        // A scenario that writes a scheme names what it compares it with.
        let writes = p.scenario.scheme_blocks().next().is_some();
        assert!(
            writes || p.scenario.schemes.is_none(),
            "{}: the corpus evaluates every scheme",
            path.display()
        );
        for (s, _) in p.scenario.stmts() {
            used.push(s.event.verb());
            if s.expect.is_some() {
                pinned.push(s.event.verb());
            }
        }
    }
    for v in Verb::ALL {
        assert!(used.contains(&v), "no example uses `{v}`");
        assert!(!v.returns() || pinned.contains(&v), "no example has an expectation on `{v}`");
    }
}

#[test]
fn a_failed_expectation_exits_1_with_a_table() {
    let out =
        errseq(&["check", "-"], Some("open a f\nopen b f\nerror f EIO\nfsync a => EIO\nfsync b => EIO\n"));
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("-: 1 expectation or claim fails"), "{stdout}");
    assert!(stdout.contains("line  what       scheme      expected  actual"), "{stdout}");
    assert!(stdout.contains("   5  5:fsync b  linux-4.12  EIO       0"), "{stdout}");
    assert!(!stdout.contains("counterexample"), "a sequential scenario has no interleavings: {stdout}");
}

#[test]
fn a_malformed_scenario_exits_2_with_file_line_col() {
    let dir = std::env::temp_dir().join(format!("errseq-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let bad = dir.join("bad.errseq");
    std::fs::write(&bad, "open a f\nfsnyc a\nclose b\n").expect("write");
    let out = errseq(&["check", bad.to_str().expect("path")], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    let shown = bad.display();
    assert!(
        stderr.contains(&format!("{shown}:2:1: unknown call `fsnyc`; did you mean `fsync`?")),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn malformed_wins_over_failed_across_files() {
    let dir = std::env::temp_dir().join(format!("errseq-cli-mix-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    std::fs::write(dir.join("fails.errseq"), "sync => EIO\n").expect("write");
    std::fs::write(dir.join("bad.errseq"), "fsync a\n").expect("write");
    let paths: Vec<String> =
        ["fails.errseq", "bad.errseq"].iter().map(|f| dir.join(f).display().to_string()).collect();
    let out = errseq(&["check", &paths[0], &paths[1]], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("bad.errseq:1:7: fd `a` is not open"), "{}", text(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_file_exits_2() {
    let out = errseq(&["check", "/nonexistent/x.errseq"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("errseq: cannot read /nonexistent/x.errseq:"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn run_prints_events_down_and_schemes_across() {
    let out = errseq(
        &["run", "-"],
        Some("schemes: linux-4.12 linux\nopen a f\nopen b f\nerror f EIO\nfsync a\nfsync b\n"),
    );
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    assert!(stdout.contains("line    event        linux-4.12  linux\n"), "{stdout}");
    assert!(stdout.contains("   6  * fsync b      0           EIO\n"), "{stdout}");
}

#[test]
fn run_with_a_scheme_marks_a_failed_expectation_where_it_fails() {
    let text_in = "open a f\nopen b f\nerror f EIO\nfsync a\nfsync b => EIO\n";
    let out = errseq(&["run", "-", "--scheme", "linux-4.12"], Some(text_in));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("\n   5  fsync b  -> 0 ✗ expected EIO\n"), "{stdout}");
    assert!(stdout.contains("\n   4  fsync a  -> EIO\n"), "{stdout}");
    let out = errseq(&["run", "-", "--scheme", "linux"], Some(text_in));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).contains('✗'), "{}", text(&out.stdout));
}

#[test]
fn run_says_what_a_failed_expectation_expected() {
    let out = errseq(
        &["run", "-"],
        Some("schemes: linux-4.12 linux\nopen a f\nopen b f\nerror f EIO\nfsync a\nfsync b => EIO\n"),
    );
    let stdout = text(&out.stdout);
    assert!(stdout.contains("   6  * fsync b      0 ✗         EIO\n"), "{stdout}");
    assert!(
        stdout
            .ends_with("\n✗ 1 expectation(s) failed:\n  line 6, fsync b, linux-4.12: expected EIO, got 0\n"),
        "{stdout}"
    );
}

#[test]
fn run_with_a_scheme_shows_the_state_after_each_event() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/05-fsync-retry.errseq");
    let out = errseq(&["run", path.to_str().expect("path"), "--scheme", "linux-4.13"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("scheme linux-4.13"), "{stdout}");
    assert!(stdout.contains("  10  fsync a  -> 0\n"), "{stdout}");
    assert!(
        stdout.contains("file f  wb_err 0x00001005  EIO  seen  counter 0  flags -  storage fails EIO"),
        "{stdout}"
    );
    assert!(
        stdout.contains("page 0  clean  written v1  cache v1  disk v0  LOST (a sync returned 0 for v1)"),
        "{stdout}"
    );
    assert!(stdout.contains("fd a on f  f_wb_err 0x00001005 (= wb_err)"), "{stdout}");
}

#[test]
fn an_unknown_scheme_is_a_usage_error() {
    let out = errseq(&["run", "-", "--scheme", "linux-9"], Some("sync\n"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("unknown scheme `linux-9`; schemes are linux-4.12, rfc-v1"),
        "{}",
        text(&out.stderr)
    );
}

fn findings() -> Vec<PathBuf> {
    errseq_examples::ALL.iter().filter(|e| e.is_finding()).map(errseq_examples::Example::path).collect()
}

#[test]
fn the_findings_hold() {
    let files = findings();
    let args: Vec<&str> =
        std::iter::once("check").chain(files.iter().map(|p| p.to_str().expect("path"))).collect();
    let out = errseq(&args, None);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(text(&out.stdout).contains("claims"), "{}", text(&out.stdout));
}

#[test]
fn explore_lists_joint_outcomes_with_counts_and_replay_strings() {
    let path = findings()
        .into_iter()
        .find(|p| p.to_string_lossy().contains("2-unserialized-syncfs"))
        .expect("finding 2");
    let out = errseq(&["explore", path.to_str().expect("path"), "--scheme", "linux-5.8"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("linux-5.8: 6 joint outcomes from 10,385,564 interleavings"), "{stdout}");
    assert!(stdout.contains("  x    y    z    interleavings  replay"), "{stdout}");
    assert!(stdout.contains("  0    EIO  EIO  53,900         2fAFV_gAAH"), "{stdout}");
    // The string printed, and the version-1 string of the same
    // interleaving (made before replay strings had a check), both open it.
    for s in ["2fAFV_gAAH", "1f.AFX9AQ"] {
        let replay = errseq(&["explore", path.to_str().expect("path"), "--replay", s], None);
        let steps = text(&replay.stdout);
        assert!(steps.contains("store f_sb_err(a,b) = 0x00001000"), "the cursor goes backwards:\n{steps}");
        assert!(steps.contains("z               runs alone; returns EIO"), "{steps}");
    }
}

#[test]
fn explore_reports_a_counterexample_and_exits_1() {
    let text_in = "schemes: linux-4.12\nopen a f\nopen b f\npar\n  fsync a as a1\n  error f EIO\n  fsync b as b1\nend\nfsync b as b2\nnever b1 = 0, b2 = 0\n";
    let out = errseq(&["explore", "-"], Some(text_in));
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("  10  never b1 = 0, b2 = 0  linux-4.12  never"), "{stdout}");
    assert!(stdout.contains("counterexample for line 10 under linux-4.12 (replay 2a"), "{stdout}");
}

#[test]
fn a_bad_replay_string_or_a_too_big_scenario_exits_2() {
    let race = "open a f\npar\n  fsync a\n  error f EIO\nend\n";
    let out = errseq(&["explore", "-", "--replay", "1z.A"], Some(race));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("replay string `1z.A`: `z` is not a scheme letter"),
        "{}",
        text(&out.stderr)
    );
    let out = errseq(&["explore", "-", "--max-states", "5"], Some(race));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("more than 5 distinct states"), "{}", text(&out.stderr));
}

#[test]
fn run_shows_result_sets_for_par_blocks() {
    let out = errseq(
        &["run", "-"],
        Some("schemes: linux-4.13\nopen a f\nopen b f\npar\n  fsync a\n  error f EIO\nend\nfsync a\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("   5  *   fsync a      {0, EIO}"), "{stdout}");
    assert!(stdout.contains("   8  * fsync a        {0, EIO}"), "{stdout}");
}

/// Every example and finding, for the share-link verbs.
fn all_examples() -> Vec<PathBuf> {
    errseq_examples::ALL.iter().map(errseq_examples::Example::path).collect()
}

#[test]
fn url_then_decode_gives_the_canonical_text() {
    for path in all_examples() {
        let shown = path.display();
        let out = errseq(&["url", path.to_str().expect("path")], None);
        assert!(out.status.success(), "{shown}: {}", text(&out.stderr));
        let link = text(&out.stdout);
        assert_eq!(link.lines().count(), 1, "{shown}: {link}");
        let link = link.trim_end();
        // Version 3 says every form of the language but a written
        // scheme, which travels as a checked text link.
        let writes = std::fs::read_to_string(&path).expect("read").lines().any(|l| l.starts_with("scheme "));
        let form = if writes { "http://127.0.0.1:8080/#scenario=" } else { "http://127.0.0.1:8080/#3" };
        assert!(link.starts_with(form), "{shown}: {link}");
        assert!(link.ends_with(|c: char| c.is_ascii_alphanumeric()), "{shown}: {link}");
        let back = errseq(&["decode", link], None);
        assert!(back.status.success(), "{shown}: {}", text(&back.stderr));
        let canonical =
            parse(&std::fs::read_to_string(&path).expect("read")).expect("valid").scenario.to_string();
        assert_eq!(text(&back.stdout), canonical, "{shown}");
    }
}

#[test]
fn url_takes_a_base_and_a_replay_string() {
    let race = "open a f\ndup b a\npar\n  syncfs a as x\n  error f EIO\n  syncfs b as y\nend\n";
    let out = errseq(
        &["url", "-", "--base", "https://errseq.example/play#old", "--replay", "1f.AFX9AQ"],
        Some(race),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let link = text(&out.stdout);
    assert!(link.starts_with("https://errseq.example/play#3"), "{link}");
    let back = errseq(&["decode", "-"], Some(&link));
    assert!(back.status.success(), "{}", text(&back.stderr));
    assert_eq!(text(&back.stdout), race);
    // The link carries the interleaving in the newest form, with its check.
    assert!(text(&back.stderr).contains("--replay 2fAFV_gAAH"), "{}", text(&back.stderr));
    let by_text = errseq(&["decode", "#text=open+a+f%0Afsync+a+%3D%3E+EIO"], None);
    assert!(by_text.status.success(), "{}", text(&by_text.stderr));
    assert_eq!(text(&by_text.stdout), "open a f\nfsync a => EIO\n");
}

/// `url --replay` checks the replay string against the scenario for a
/// scenario that only version 3 says too (msync, open flags, pages), and
/// the link carries it.
#[test]
fn url_validates_a_replay_string_against_a_scenario_of_version_3() {
    let race = "open a f O_SYNC\nopen b f\nwrite b\nfail f EIO 0\npar\n  msync b as m\n  writeback f\n  write a 1 as w\nend\n";
    let explored = errseq(&["explore", "-"], Some(race));
    let listing = text(&explored.stdout);
    let replay = listing
        .split_whitespace()
        .find(|w| w.starts_with("2f") && w.len() > 4)
        .unwrap_or_else(|| panic!("a replay string under linux-5.8 in\n{listing}"))
        .to_owned();
    let out = errseq(&["url", "-", "--replay", &replay], Some(race));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let link = text(&out.stdout);
    assert!(link.starts_with("http://127.0.0.1:8080/#3"), "{link}");
    let back = errseq(&["decode", "-"], Some(&link));
    assert!(back.status.success(), "{}", text(&back.stderr));
    assert_eq!(text(&back.stdout), race);
    assert!(text(&back.stderr).contains(&format!("--replay {replay}")), "{}", text(&back.stderr));
    // One character changed: refused with the check's words, no link made.
    let mut damaged: Vec<char> = replay.chars().collect();
    let last = damaged.len() - 1;
    damaged[last] = if damaged[last] == 'A' { 'B' } else { 'A' };
    let damaged: String = damaged.into_iter().collect();
    let out = errseq(&["url", "-", "--replay", &damaged], Some(race));
    assert_eq!(out.status.code(), Some(2), "{damaged}");
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("do not match the others"), "{}", text(&out.stderr));
    // A replay string of another scenario (two blocks): says where it stops fitting.
    let out = errseq(&["url", "-", "--replay", "1f.A.A"], Some(race));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains("it has 2 blocks; this scenario has 1 par block(s)"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn links_point_at_the_public_address_from_base_or_errseq_base() {
    let scenario = "open a f\nerror f EIO\nfsync a => EIO\n";
    let first_link = |out: &Output| {
        assert!(out.status.success(), "{}", text(&out.stderr));
        // The mail text writes its link in `<` `>` (RFC 3986, appendix C).
        let line =
            text(&out.stdout).lines().find(|l| l.contains("#3")).map(str::to_owned).unwrap_or_default();
        line.trim_start_matches('<').to_owned()
    };
    for command in ["url", "render"] {
        let dev = errseq_with(&[command, "-"], Some(scenario), None);
        assert!(first_link(&dev).starts_with("http://127.0.0.1:8080/#3"), "{command}: {}", text(&dev.stdout));
        let site = "https://user.github.io/errseq/";
        let public = errseq_with(&[command, "-"], Some(scenario), Some(site));
        assert!(first_link(&public).starts_with("https://user.github.io/errseq/#3"), "{command}");
        let given =
            errseq_with(&[command, "-", "--base", "https://errseq.example/"], Some(scenario), Some(site));
        assert!(first_link(&given).starts_with("https://errseq.example/#3"), "{command}: --base wins");
        let empty = errseq_with(&[command, "-"], Some(scenario), Some(""));
        assert!(first_link(&empty).starts_with("http://127.0.0.1:8080/#3"), "{command}: empty is unset");
        for bad in ["errseq.example.org/", "https://", "https://a b/"] {
            let out = errseq_with(&[command, "-", "--base", bad], Some(scenario), None);
            assert_eq!(out.status.code(), Some(2), "{command} --base {bad}");
            assert!(
                text(&out.stderr).contains("must start with http:// or https://"),
                "{}",
                text(&out.stderr)
            );
        }
    }
}

#[test]
fn url_refuses_a_replay_string_that_does_not_fit_the_scenario() {
    let race = "open a f\ndup b a\npar\n  syncfs a as x\n  error f EIO\n  syncfs b as y\nend\n";
    for (replay, words) in [
        ("1z.A", "replay string `1z.A`: `z` is not a scheme letter"),
        ("anything", "replay string `anything`: version `a` is not one this program reads"),
        ("2fAFV_gAAI", "replay string `2fAFV_gAAI`: its last two characters do not match the others"),
        ("2fAFV_gAH", "replay string `2fAFV_gAH`: it has an odd number of characters"),
        ("1f.A.A", "replay string `1f.A.A`: it has 2 blocks; this scenario has 1 par block(s)"),
    ] {
        let out = errseq(&["url", "-", "--replay", replay], Some(race));
        assert_eq!(out.status.code(), Some(2), "{replay}");
        assert!(out.stdout.is_empty(), "{replay}");
        let stderr = text(&out.stderr);
        assert!(stderr.starts_with("-: --replay: "), "{stderr}");
        assert!(stderr.contains(words), "{stderr}");
    }
}

/// Scenarios at each limit of a link, and one past it.
fn at_and_past_each_limit() -> Vec<(String, String, &'static str)> {
    let opens = |n: usize| (0..n).map(|i| format!("open n{i} f\n")).collect::<String>();
    let long = |n: usize| format!("open a{} f\n", "x".repeat(n - 1));
    let syncs = |n: usize| "sync\n".repeat(n);
    let notes = |n: usize| format!("# {}\n# {}\nsync\n", "x".repeat(32_768), "y".repeat(n - 32_768));
    vec![
        (opens(4095), opens(4096), "the scenario has 4097 names"),
        (long(256), long(257), "has 257 characters"),
        (syncs(10_000), syncs(10_001), "the scenario has 10001 lines"),
        (notes(65_536), notes(65_537), "take 65537 bytes; a link carries at most 65536"),
    ]
}

/// Percent-encodes every byte: a `text=` link of `text`.
fn text_link(text: &str) -> String {
    let mut out = String::from("#text=");
    for b in text.bytes() {
        out.push_str(&format!("%{b:02X}"));
    }
    out
}

#[test]
fn url_makes_what_decode_reads_and_refuses_what_decode_refuses() {
    for (at, past, words) in at_and_past_each_limit() {
        let out = errseq(&["url", "-"], Some(&at));
        assert!(out.status.success(), "{words}: {}", text(&out.stderr));
        let back = errseq(&["decode", "-"], Some(&text(&out.stdout)));
        assert!(back.status.success(), "{words}: {}", text(&back.stderr));
        assert_eq!(text(&back.stdout), parse(&at).expect("valid").scenario.to_string(), "{words}");

        let out = errseq(&["url", "-"], Some(&past));
        assert_eq!(out.status.code(), Some(2), "{words}");
        assert!(out.stdout.is_empty(), "{words}");
        let stderr = text(&out.stderr);
        // Names past the limit are refused by the parser already, with the
        // same number (crates/scenario's limits).
        let refused = stderr.starts_with("-: no share link carries this scenario: ")
            || stderr.contains("names have at most 256");
        assert!(refused, "{stderr}");
        assert!(stderr.contains(words), "{stderr}");
        // The same scenario in a link typed by hand: refused too.
        let back = errseq(&["decode", "-"], Some(&text_link(&past)));
        assert_eq!(back.status.code(), Some(2), "{words}");
    }
}

#[test]
fn a_corrupted_link_exits_2_with_the_reason() {
    let out =
        errseq(&["url", "-"], Some("open a f\nopen b f\nwrite a\nfail f EIO\nfsync a => EIO\nfsync b\n"));
    let link = text(&out.stdout).trim_end().to_owned();
    let cut = &link[..link.len() - 4];
    let out = errseq(&["decode", cut], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("errseq: the link is cut short: "), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    let out = errseq(&["decode", &format!("{link}*")], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("bad character `*` at position"), "{}", text(&out.stderr));
    let out = errseq(&["decode", "http://127.0.0.1:8080/#7AAAA"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("unknown format version 7: this playground reads versions 1, 2 and 3"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn render_fits_72_columns_link_included() {
    for path in all_examples() {
        let shown = path.display();
        let file = path.to_str().expect("path");
        let out = errseq(&["render", file], None);
        assert!(out.status.success(), "{shown}: {}", text(&out.stderr));
        let mail = text(&out.stdout);
        for line in mail.lines() {
            assert!(line.chars().count() <= 72, "{shown}: {} columns: {line}", line.chars().count());
        }
        assert!(mail.contains("\nfs: "), "{shown}");
        // The link, in `<` `>` over one or more lines, opens the scenario
        // without its title and comments (the mail's text has them).
        let link: String = mail.lines().skip_while(|l| !l.starts_with("<http://127.0.0.1:8080/#")).collect();
        let link = link.trim_start_matches('<').trim_end_matches('>');
        let back = errseq(&["decode", link], None);
        assert!(back.status.success(), "{shown}: {}", text(&back.stderr));
        let scenario = parse(&std::fs::read_to_string(&path).expect("read")).expect("valid").scenario;
        assert_eq!(text(&back.stdout), errseq_share::mail::bare(&scenario).to_string(), "{shown}");
    }
    let out = errseq(
        &["render", "-", "--markdown", "--base", "https://errseq.example/"],
        Some(
            "title: t\nschemes: linux-4.12 linux\nopen a f\nopen b f\nerror f EIO\nfsync a\nfsync b => EIO\n",
        ),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let md = text(&out.stdout);
    assert!(md.starts_with("### t\n"), "{md}");
    assert!(md.contains("| | event | linux-4.12 | linux |\n|---|---|---|---|\n"), "{md}");
    assert!(md.contains("| \\* | `fsync b` | 0 ✗ | EIO |"), "{md}");
    assert!(md.contains("](https://errseq.example/#3"), "{md}");
}

/// The `*` rows of a `par` scenario whose one scheme has several results:
/// `run` and the mail text mark the same calls (one rule,
/// `errseq_render::analysis`; the page's grid reads the same rows, checked
/// in web/tests/app_state.rs).
#[test]
fn run_and_the_mail_text_mark_the_same_rows() {
    let text_in = "schemes: linux-4.13\nopen a f\npar\n  fsync a\n  error f EIO\nend\nfsync a\n";
    let marked = |out: &str, prefix: &str| -> Vec<String> {
        out.lines()
            .filter(|l| l.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ').starts_with(prefix))
            .filter(|l| !l.contains("differ")) // the mail's legend
            .map(|l| {
                l.split_whitespace().skip_while(|w| *w != "*").skip(1).take(2).collect::<Vec<_>>().join(" ")
            })
            .collect()
    };
    let run = text(&errseq(&["run", "-"], Some(text_in)).stdout);
    let mail = text(&errseq(&["render", "-"], Some(text_in)).stdout);
    let (in_run, in_mail) = (marked(&run, "* "), marked(&mail, "* "));
    assert_eq!(in_run, ["fsync a", "fsync a"], "{run}");
    assert_eq!(in_run, in_mail, "{run}\n{mail}");
}
