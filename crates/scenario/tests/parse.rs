//! The parser and checker against the language's example (the one the
//! first specification gave, still in docs/scenario-format.md) and every
//! kind of error.

use errseq::{Errno, Ret, Scheme, SchemeName};
use errseq_scenario::{
    parse, parse_bytes, Event, Fs, Item, Name, Outcome, Parsed, Scenario, Span, SyncRange, Verb,
};

fn ok(text: &str) -> Parsed {
    match parse(text) {
        Ok(p) => p,
        Err(d) => panic!("expected a valid scenario, got {d:?}"),
    }
}

/// The first error's position and message.
fn err(text: &str) -> (u32, u32, String) {
    match parse(text) {
        Ok(p) => panic!("expected an error, parsed {:?}", p.scenario),
        Err(d) => (d[0].span.line, d[0].span.col, d[0].message.clone()),
    }
}

fn name(s: &str) -> Name {
    Name::new(s).expect("valid name")
}

const SPEC_EXAMPLE: &str = "title: fsync reports one writeback error to every open fd
schemes: linux-4.12 linux-4.13 linux

open a f
open b f
write a
fail f EIO
fsync a => EIO
fsync b => EIO linux-4.12=0
fsync a => 0
heal f
";

#[test]
fn the_spec_example_parses_and_prints_canonically() {
    let p = ok(SPEC_EXAMPLE);
    let s = &p.scenario;
    assert_eq!(s.title.as_deref(), Some("fsync reports one writeback error to every open fd"));
    assert_eq!(
        s.scheme_names(),
        vec![SchemeName::Exact(Scheme::Linux412), SchemeName::Exact(Scheme::Linux413), SchemeName::Linux]
    );
    assert_eq!(s.fs(), Fs::Ext4);
    assert_eq!(s.stmts().count(), 8);
    let (fsync_b, _) = s.stmts().nth(5).expect("sixth event");
    assert_eq!(fsync_b.event, Event::Fsync { fd: name("b") });
    let expect = fsync_b.expect.as_ref().expect("an expectation");
    assert_eq!(expect.for_scheme(Scheme::Linux412), Some(&Outcome::Is(Ret::OK)));
    assert_eq!(expect.for_scheme(Scheme::Linux58), Some(&Outcome::Is(Ret::err(Errno::EIO))));
    assert_eq!(s.to_string(), SPEC_EXAMPLE, "the spec's example is already canonical");
    assert_eq!(p.source.events[5].line(), 9);
    assert_eq!(p.bindings.files, vec![name("f")]);
    assert_eq!(p.bindings.descriptions.len(), 2);
    assert_eq!(p.bindings.events[5].desc, Some(1));
}

#[test]
fn the_spec_par_example_parses() {
    let p = ok("open a f\nopen b f\npar\n  fsync a\n  error f EIO\n  fsync b => {0, EIO}\nend\n");
    assert!(p.scenario.has_par());
    let Some(Item::Par(par)) = p.scenario.body.get(2) else { panic!("a par block") };
    assert_eq!(par.items.len(), 3);
    assert_eq!(p.bindings.events.len(), 5);
}

#[test]
fn comments_blanks_and_spacing_are_normalised_but_kept() {
    let text =
        "# about this one\ntitle:   odd   spacing  \n\n\n  open a f   # first\n\n\n#note\nfsync a=>EIO\n\n";
    let p = ok(text);
    assert_eq!(p.scenario.head_notes, vec!["about this one".to_owned()]);
    assert_eq!(
        p.scenario.to_string(),
        "# about this one\ntitle: odd   spacing\n\nopen a f  # first\n\n# note\nfsync a => EIO\n"
    );
}

#[test]
fn notes_before_the_first_event_without_headers_belong_to_the_body() {
    let p = ok("# setup\nopen a f\n");
    assert!(p.scenario.head_notes.is_empty());
    assert_eq!(p.scenario.body[0], Item::Note("setup".into()));
}

#[test]
fn a_title_may_contain_an_arrow() {
    let p = ok("title: a => b\nsync\n");
    assert_eq!(p.scenario.title.as_deref(), Some("a => b"));
}

#[test]
fn write_takes_an_optional_page() {
    let p = ok("open a f\nwrite a\nwrite a 0\nwrite a 7\n");
    let pages: Vec<u32> = p
        .scenario
        .stmts()
        .filter_map(|(s, _)| match s.event {
            Event::Write { page, .. } => Some(page),
            _ => None,
        })
        .collect();
    assert_eq!(pages, vec![0, 0, 7]);
    assert!(p.scenario.to_string().contains("write a\nwrite a\nwrite a 7\n"));
}

#[test]
fn aliases_and_sets_in_expectations() {
    let p = ok("open a f\nfsync a => {EIO, 0} linux=EIO rfc-v1={ENOSPC}\n");
    let (s, _) = p.scenario.stmts().nth(1).expect("fsync");
    assert_eq!(
        s.expect.as_ref().map(ToString::to_string).as_deref(),
        Some("{0, EIO} linux=EIO rfc-v1={ENOSPC}")
    );
    let only_overrides = ok("open a f\nfsync a => linux-4.12=0\n");
    let (s, _) = only_overrides.scenario.stmts().nth(1).expect("fsync");
    assert_eq!(s.expect.as_ref().and_then(|e| e.for_scheme(Scheme::Linux413)), None);
}

#[test]
fn syntax_errors_point_at_the_word_and_say_what_to_write() {
    assert_eq!(err("open a f\nfsnyc a\n"), (2, 1, "unknown call `fsnyc`; did you mean `fsync`?".into()));
    assert_eq!(err("open a f\nfsync\n"), (2, 6, "`fsync` needs an fd: `fsync FD`".into()));
    assert_eq!(err("sync now\n"), (1, 6, "`sync` takes no arguments".into()));
    assert_eq!(
        err("open a f g\n"),
        (
            1,
            10,
            "unexpected `g`: `open` takes an fd, a file, then flags such as `O_RDONLY`, `O_SYNC`, `O_DSYNC` or \
             `O_DIRECT`"
                .into()
        )
    );
    assert_eq!(err("fail f eio\n"), (1, 8, "errno names are upper case: write `EIO`".into()));
    assert_eq!(err("fail f EIOO\n"), (1, 8, "unknown errno `EIOO`; did you mean `EIO`?".into()));
    assert_eq!(
        err("error f EBANANA\n").2,
        "unknown errno `EBANANA`: use a Linux errno name such as EIO, ENOSPC, EDQUOT or EROFS"
    );
    let (l, c, m) = err("open A f\n");
    assert_eq!((l, c), (1, 6));
    assert!(m.starts_with("`A` is not a valid fd name"), "{m}");
    assert_eq!(
        err("open a f\nwrite a -1\n").2,
        "`-1` is not a page number: write a whole number from 0 to 4294967295"
    );
    assert_eq!(err("open a f\nwrite a 4294967296\n").0, 2);
}

#[test]
fn header_errors() {
    assert_eq!(
        err("titel: x\n").2,
        "unknown header `titel:`; did you mean `title:`? (headers are `title:`, `schemes:` and `fs:`)"
    );
    assert_eq!(err("title: x\ntitle: y\n"), (2, 1, "`title:` is given twice; keep one".into()));
    assert_eq!(err("title:\n").2, "`title:` needs a value");
    assert_eq!(
        err("schemes: linux-4.13 linux-4.31\n"),
        (1, 21, "unknown scheme `linux-4.31`; did you mean `linux-4.13`?".into())
    );
    assert_eq!(err("schemes: linux linux\n").2, "scheme `linux` is listed twice");
    assert_eq!(
        err("fs: zfs\n"),
        (1, 5, "unknown filesystem `zfs`; profiles are ext4, xfs, btrfs and nfs".into())
    );
    assert_eq!(
        err("sync\ntitle: late\n"),
        (2, 1, "`title:` is a header: headers go above the first event".into())
    );
}

#[test]
fn expectation_errors() {
    assert_eq!(
        err("open a f\nwrite a => 0\n"),
        (
            2,
            9,
            "a buffered `write` returns nothing, so it cannot have an expectation: a write returns a result when \
             its fd was opened O_SYNC, O_DSYNC or O_DIRECT, or it carries RWF_SYNC or RWF_DSYNC; add one, or \
             remove the `=> …`"
                .into()
        )
    );
    assert_eq!(
        err("sync =>\n").2,
        "`=>` needs a result: `0`, an errno such as `EIO`, a page version such as `v1` (a read's), or a set \
         such as `{0, EIO}`"
    );
    assert_eq!(err("sync => 5\n").2, "`5` is not a result: write `0` or an errno name such as `EIO`");
    assert_eq!(err("sync => 0 linux-4.21=0\n").2, "unknown scheme `linux-4.21`; did you mean `linux-4.12`?");
    assert_eq!(err("sync => 0 linux\n").2, "`linux` needs `=RESULT` after it, as in `linux=0`");
    assert_eq!(err("sync => {}\n").2, "an empty set allows nothing: list results, as in `{0, EIO}`");
    assert_eq!(err("sync => {0, EIO\n").2, "this `{` is never closed: end the set with `}`");
    assert_eq!(err("sync => 0 linux=0 linux=EIO\n").2, "`linux` has two expectations on this line; keep one");
    assert_eq!(err("=> EIO\n").2, "`=>` needs a call before it, as in `fsync a => EIO`");
}

#[test]
fn par_block_errors() {
    assert_eq!(
        err("par\n  sync\n").2,
        "this `par` block is never closed: add `end` after its last task (the text ends at line 2)"
    );
    assert_eq!(err("end\n").2, "`end` without a `par` block to close");
    let nested = parse("par\npar\nend\n").expect_err("nested");
    assert!(nested.iter().any(|d| d.to_string()
        == "2:1: par blocks cannot nest: the block of line 1 is still open (close it with `end`)"));
    assert_eq!(
        err("par\n# nothing\nend\n").2,
        "this `par` block has no tasks: put one call per line between `par` and `end`"
    );
}

#[test]
fn scenario_errors_name_the_fd_and_the_line() {
    assert_eq!(err("fsync a\n"), (1, 7, "fd `a` is not open; open it first with `open a FILE`".into()));
    assert_eq!(
        err("open a f\nclose a\nfsync a\n"),
        (3, 7, "fd `a` is not open: it was closed at line 2".into())
    );
    assert_eq!(
        err("open a f\nopen a g\n"),
        (2, 6, "fd `a` is already open (since line 1); close it first or use another name".into())
    );
    assert_eq!(
        err("open a f\ndup a a\n"),
        (2, 5, "fd `a` is already open (since line 1); close it first or use another name".into())
    );
    assert_eq!(
        err("open a f\nevict f\n"),
        (2, 7, "cannot evict `f` while fd `a` has it open (since line 1); close it first".into())
    );
    let (_, _, m) = err("open a f\npar\n  fsync a\n  close a\nend\n");
    assert!(m.starts_with("fd `a` is opened or closed by the task on line 4"), "{m}");
}

#[test]
fn reopening_a_closed_name_makes_a_new_description() {
    let p = ok("open a f\nclose a\nopen a f\nfsync a\nevict g\n");
    assert_eq!(p.bindings.descriptions.len(), 2);
    assert_eq!(p.bindings.events[3].desc, Some(1));
}

#[test]
fn dup_shares_the_description() {
    let p = ok("open a f\ndup b a\nclose a\nfsync b\n");
    assert_eq!(p.bindings.descriptions.len(), 1);
    assert_eq!(p.bindings.events[3].desc, Some(0));
    assert_eq!(p.bindings.events[3].file, Some(0));
}

#[test]
fn every_error_is_reported_not_just_the_first() {
    let d = parse("fsnyc a\nfail f EIOO\nsync now\n").expect_err("three errors");
    let lines: Vec<u32> = d.iter().map(|d| d.span.line).collect();
    assert_eq!(lines, vec![1, 2, 3]);
}

#[test]
fn unchecked_overrides_are_warnings() {
    let p = ok("schemes: linux-4.13\nopen a f\nfsync a => 0 linux-4.12=EIO\n");
    assert_eq!(p.warnings.len(), 1);
    assert_eq!(p.warnings[0].span, Span::new(3, 9, 19));
    assert_eq!(
        p.warnings[0].to_string(),
        "3:9: warning: the expectation for `linux-4.12` is not checked: `schemes:` leaves it out"
    );
}

#[test]
fn bytes_that_are_not_utf8_are_a_diagnostic() {
    let d = parse_bytes(b"open a f\nfsync \xff\n").expect_err("not UTF-8");
    assert_eq!(
        d[0].to_string(),
        "2:7: the text is not UTF-8 (byte 0xff at byte offset 15); save it as UTF-8"
    );
}

#[test]
fn crlf_text_parses() {
    let p = ok("open a f\r\nfsync a => EIO\r\n");
    assert_eq!(p.scenario.stmts().count(), 2);
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let p = parse_bytes(b"\xef\xbb\xbftitle: t\nopen a f\nfsync a => 0\n").expect("BOM skipped");
    assert_eq!(p.scenario.title.as_deref(), Some("t"));
    let p = ok("\u{feff}title: t\nopen a f\n");
    assert_eq!(p.scenario.title.as_deref(), Some("t"));
    let d = parse_bytes(b"\xef\xbb\xbfopen a f\n\xff").expect_err("not UTF-8");
    assert_eq!(
        d[0].to_string(),
        "2:1: the text is not UTF-8 (byte 0xff at byte offset 12); save it as UTF-8"
    );
}

#[test]
fn cr_only_and_mixed_line_endings_end_lines() {
    for text in [
        "title: t\ropen a f\rfsync a => 0\r",
        "title: t\r\nopen a f\nfsync a => 0\r",
        "title: t\ropen a f\r\nfsync a => 0",
    ] {
        let p = ok(text);
        assert_eq!(p.scenario.title.as_deref(), Some("t"), "{text:?}");
        assert_eq!(p.scenario.stmts().count(), 2, "{text:?}");
        assert_eq!(p.source.events[1].line(), 3, "{text:?}");
    }
    let d = parse("open a f\rfsnyc a\r").expect_err("misspelt");
    assert_eq!(d[0].to_string(), "2:1: unknown call `fsnyc`; did you mean `fsync`?");
}

#[test]
fn long_and_hostile_tokens_are_cut_and_escaped_in_messages() {
    let long = "E".repeat(10_000);
    let d = parse(&format!("open a f\nfail f {long}\n")).expect_err("unknown errno");
    let msg = d[0].to_string();
    assert!(msg.len() < 200, "{msg}");
    assert!(msg.contains(&format!("`{}…`", "E".repeat(40))), "{msg}");
    let d = parse("open a f\nfail f E\x1b]0;X\x07\n").expect_err("unknown errno");
    assert!(d[0].message.contains("E\\x1b]0;X\\x07"), "{}", d[0]);
    assert!(!d[0].message.contains('\x1b'), "{}", d[0]);
}

#[test]
fn limits_are_refused_up_front_with_the_limit_named() {
    use errseq_scenario::limits;
    let name = "n".repeat(limits::MAX_NAME_LEN + 1);
    let d = parse(&format!("open {name} f\n")).expect_err("name too long");
    assert_eq!(d[0].to_string(), "1:6: this name has 257 characters; names have at most 256");
    let mut text = String::new();
    for i in 0..=limits::MAX_NAMES {
        text.push_str(&format!("error f{i} EIO\n"));
    }
    let d = parse(&text).expect_err("too many names");
    assert!(d[0].message.contains("a scenario has at most 16,384 names"), "{}", d[0]);
    assert_eq!(d[0].span.line, 16_385);
    let d = parse(&"\n".repeat(limits::MAX_LINES + 1)).expect_err("too many lines");
    assert!(d[0].message.contains("more than 1,048,576 lines"), "{}", d[0]);
    let d = parse_bytes(&vec![b' '; limits::MAX_INPUT_BYTES + 1]).expect_err("too big");
    assert!(d[0].message.contains("at most 16,777,216 bytes"), "{}", d[0]);
    let mut text = "open a f\n".to_owned();
    for i in 0..=limits::MAX_PAGES {
        text.push_str(&format!("write a {i}\n"));
    }
    let d = parse(&text).expect_err("too many pages");
    assert!(d[0].message.contains("at most 65,536 distinct pages"), "{}", d[0]);
}

#[test]
fn scenarios_built_as_data_are_checked_like_text() {
    let mut s = Scenario::default();
    s.body.push(Item::Stmt(errseq_scenario::Stmt::new(Event::Fsync { fd: name("a") })));
    let d = Parsed::from_scenario(&s).expect_err("fd a is not open");
    assert_eq!(d[0].span.line, 1);
}

#[test]
fn labels_and_claims_parse_resolve_and_print() {
    let text = "open a f\nopen b f\npar\n  fsync a as first\n  error f EIO\n  fsync b\nend\n\
                never first = EIO, fsync b = 0\nexists first={0,EIO} for linux-4.13 linux  # why\n";
    let p = ok(text);
    let claims: Vec<_> = p.scenario.claims().collect();
    assert_eq!(claims.len(), 2);
    assert_eq!(p.bindings.claims, vec![vec![2, 4], vec![2]]);
    assert_eq!(claims[1].schemes.len(), 2);
    assert!(claims[1].applies_to(Scheme::Linux58) && !claims[1].applies_to(Scheme::Linux412));
    let printed = p.scenario.to_string();
    assert!(printed.contains("  fsync a as first\n"), "{printed}");
    assert!(printed.contains("never first = EIO, fsync b = 0\n"), "{printed}");
    assert!(printed.contains("exists first = {0, EIO} for linux-4.13 linux  # why\n"), "{printed}");
}

#[test]
fn an_fd_may_be_called_as() {
    let p = ok("open as f\nfsync as as x => 0\nwrite as\n");
    let (s, _) = p.scenario.stmts().nth(1).expect("fsync");
    assert_eq!(s.event, Event::Fsync { fd: name("as") });
    assert_eq!(s.label, Some(name("x")));
}

#[test]
fn claim_errors() {
    let base = "open a f\nopen b f\nfsync a as x\nfsync a\n";
    assert_eq!(
        err(&format!("{base}never y = 0\n")),
        (5, 7, "no call is labelled `y`; label one, as in `fsync a as y`".into())
    );
    assert_eq!(
        err(&format!("{base}never fsync a = 0\n")).2,
        "`fsync a` is called at lines 3 and 4; label the one you mean (`fsync a as x`) and write `x` here"
    );
    assert_eq!(err(&format!("{base}never fsync b = 0\n")).2, "no call `fsync b` in this scenario");
    assert_eq!(
        err(&format!("{base}exists open a f = 0\n")).2,
        "`open` at line 1 returns nothing; claims are about results"
    );
    assert_eq!(err("open a f\nfsync a as x\nfsync a as x\n").2, "label `x` is already used at line 2");
    assert_eq!(err("sync as open\n").2, "`open` is a keyword; pick another label");
    assert_eq!(
        err("sync\nnever sync\n").2,
        "expected `= RESULT` after `sync`; the form is `never CALL = RESULT, CALL = RESULT [for SCHEME...]`"
    );
    assert_eq!(err("sync\nnever sync = 0 for\n").2, "`for` needs at least one scheme id after it");
    assert_eq!(
        err("sync\nnever sync = 0 for linux-9\n").2,
        "unknown scheme `linux-9`; did you mean `linux`?"
    );
    assert_eq!(
        err("par\n  sync\n  never sync = 0\nend\n").2,
        "`never` is about the whole scenario: put it after the block's `end`"
    );
}

// ---------------------------------------------------------------- sync_file_range's flags

const ALL: SyncRange = SyncRange::ALL;
const NO_STEP: SyncRange = SyncRange { wait_before: false, write: false, wait_after: false };

/// The one event after `open a f`, and the scenario's canonical text.
fn sfr(line: &str) -> (Event, String) {
    let p = ok(&format!("open a f\n{line}\n"));
    let (s, _) = p.scenario.stmts().nth(1).expect("the second event");
    (s.event.clone(), p.scenario.to_string())
}

fn sfr_event(flags: SyncRange) -> Event {
    Event::SyncFileRange { fd: name("a"), flags }
}

#[test]
fn sync_file_range_without_flags_means_all_three_steps() {
    let (e, text) = sfr("sync_file_range a");
    assert_eq!(e, sfr_event(ALL));
    assert_eq!(text, "open a f\nsync_file_range a\n");
    assert_eq!(ALL.kernel_flags(), 7);
}

#[test]
fn each_flag_alone() {
    for (word, flags, bits) in [
        ("WAIT_BEFORE", SyncRange { wait_before: true, ..NO_STEP }, 1),
        ("WRITE", SyncRange { write: true, ..NO_STEP }, 2),
        ("WAIT_AFTER", SyncRange { wait_after: true, ..NO_STEP }, 4),
    ] {
        let (e, text) = sfr(&format!("sync_file_range a {word}"));
        assert_eq!(e, sfr_event(flags), "{word}");
        assert_eq!(flags.kernel_flags(), bits, "{word}");
        assert_eq!(text, format!("open a f\nsync_file_range a {word}\n"));
    }
}

#[test]
fn flags_in_any_order_print_in_the_kernels_order() {
    let cases = [
        ("WRITE WAIT_BEFORE", "WAIT_BEFORE WRITE"),
        ("WAIT_AFTER WRITE", "WRITE WAIT_AFTER"),
        ("WAIT_AFTER WAIT_BEFORE", "WAIT_BEFORE WAIT_AFTER"),
        ("WAIT_BEFORE WAIT_AFTER", "WAIT_BEFORE WAIT_AFTER"),
    ];
    for (written, canonical) in cases {
        let (_, text) = sfr(&format!("sync_file_range a {written}"));
        assert_eq!(text, format!("open a f\nsync_file_range a {canonical}\n"), "{written}");
    }
    let (e, _) = sfr("sync_file_range a WRITE WAIT_AFTER");
    assert_eq!(e, sfr_event(SyncRange { write: true, wait_after: true, ..NO_STEP }));
    // All three, in any order, are the bare call.
    for written in
        ["WAIT_BEFORE WRITE WAIT_AFTER", "WAIT_AFTER WAIT_BEFORE WRITE", "WRITE WAIT_AFTER WAIT_BEFORE"]
    {
        let (e, text) = sfr(&format!("sync_file_range a {written}"));
        assert_eq!(e, sfr_event(ALL), "{written}");
        assert_eq!(text, "open a f\nsync_file_range a\n", "{written}");
    }
}

#[test]
fn flags_take_an_expectation_and_a_label() {
    let p = ok("open a f\nsync_file_range a WRITE WAIT_BEFORE as w => EIO linux-4.12=0  # why\n\
                sync_file_range a WAIT_AFTER=>0\nnever w = 0\n");
    let (s, _) = p.scenario.stmts().nth(1).expect("sync_file_range");
    assert_eq!(s.event, sfr_event(SyncRange { wait_before: true, write: true, ..NO_STEP }));
    assert_eq!(s.label, Some(name("w")));
    assert_eq!(s.expect.as_ref().and_then(|e| e.default.clone()), Some(Outcome::Is(Ret::err(Errno::EIO))));
    assert_eq!(p.source.events[1].args.len(), 3, "the fd and both flags have spans");
    assert_eq!(p.bindings.claims, vec![vec![1]]);
    assert_eq!(
        p.scenario.to_string(),
        "open a f\nsync_file_range a WAIT_BEFORE WRITE as w => EIO linux-4.12=0  # why\n\
         sync_file_range a WAIT_AFTER => 0\nnever w = 0\n"
    );
}

#[test]
fn claims_name_flagged_calls_by_their_text() {
    let text = "open a f\nsync_file_range a\nsync_file_range a WRITE\n\
                never sync_file_range a WRITE = EIO, sync_file_range a = 0\n";
    let p = ok(text);
    assert_eq!(p.bindings.claims, vec![vec![2, 1]], "the flags tell the two calls apart");
    // Any order in the claim names the same call.
    let p =
        ok("open a f\nsync_file_range a WAIT_AFTER WRITE\nexists sync_file_range a WRITE WAIT_AFTER = 0\n");
    assert_eq!(p.bindings.claims, vec![vec![1]]);
    assert_eq!(
        err("open a f\nsync_file_range a WRITE\nnever sync_file_range a = 0\n").2,
        "no call `sync_file_range a` in this scenario"
    );
    assert_eq!(err("open a f\nsync_file_range a\nnever sync_file_range a WRIT = 0\n").0, 3);
}

#[test]
fn a_repeated_flag_is_an_error_at_the_repeat() {
    assert_eq!(
        err("open a f\nsync_file_range a WRITE WRITE\n"),
        (2, 25, "`WRITE` is written twice (first at column 19); write each flag once".into())
    );
    assert_eq!(
        err("open a f\nsync_file_range a WAIT_AFTER WRITE WAIT_AFTER as x => 0\n"),
        (2, 36, "`WAIT_AFTER` is written twice (first at column 19); write each flag once".into())
    );
    let (line, col, _) = err("open a f\nsync_file_range a WRITE WAIT_BEFORE WAIT_AFTER WRITE\n");
    assert_eq!((line, col), (2, 48));
}

#[test]
fn an_unknown_flag_is_an_error_that_lists_the_flags() {
    assert_eq!(
        err("open a f\nsync_file_range a WRIET\n"),
        (
            2,
            19,
            "unknown flag `WRIET`; did you mean `WRITE`? \
             (the form is `sync_file_range FD [WAIT_BEFORE] [WRITE] [WAIT_AFTER]`)"
                .into()
        )
    );
    assert_eq!(
        err("open a f\nsync_file_range a SYNC_FILE_RANGE_WRITE\n").2,
        "`SYNC_FILE_RANGE_WRITE` is not a flag of `sync_file_range`: write `WAIT_BEFORE`, `WRITE` or \
         `WAIT_AFTER` (any of them, each once), or no flag for all three"
    );
    assert_eq!(err("open a f\nsync_file_range a write\n").2, "flags are upper case: write `WRITE`");
    assert_eq!(
        err("open a f\nsync_file_range a b\n").2,
        "`b` is not a flag of `sync_file_range`: write `WAIT_BEFORE`, `WRITE` or `WAIT_AFTER` \
         (any of them, each once), or no flag for all three"
    );
    assert_eq!(
        err("open a f\nsync_file_range a NONE\n").2,
        "`sync_file_range` always runs at least one step: write one or more of `WAIT_BEFORE`, `WRITE` \
         or `WAIT_AFTER`, or no flag for all three"
    );
    assert_eq!(
        err("open a f\nsync_file_range a as x WRITE\n").2,
        "`as LABEL` goes at the end of the call, after the flags: `sync_file_range FD [FLAG...] as LABEL`"
    );
    assert_eq!(
        err("open a f\nsync_file_range a WRITE as\n").2,
        "`as` needs a label after it, as in `sync_file_range a WRITE as first`"
    );
    assert_eq!(
        err("open a f\nsync_file_range\n"),
        (
            2,
            16,
            "`sync_file_range` needs an fd: `sync_file_range FD [WAIT_BEFORE] [WRITE] [WAIT_AFTER]`".into()
        )
    );
    // A long word is refused at once, without a suggestion.
    let long = "W".repeat(100_000);
    assert!(err(&format!("open a f\nsync_file_range a {long}\n")).2.contains("is not a flag"));
}

#[test]
fn flagged_calls_round_trip() {
    let text =
        "title: flags\n\nopen a f\nsync_file_range a WAIT_BEFORE\npar\n  sync_file_range a WRITE as w\n  \
                error f EIO\nend\nsync_file_range a WAIT_BEFORE WAIT_AFTER => {0, EIO}\nsync_file_range a\n\
                exists w = 0 for linux\n";
    let p = ok(text);
    assert_eq!(p.scenario.to_string(), text, "already canonical");
    let again = ok(&p.scenario.to_string());
    assert_eq!(again.scenario, p.scenario);
    assert_eq!(Parsed::from_scenario(&p.scenario).expect("checks").scenario, p.scenario);
}

#[test]
fn a_sync_file_range_with_no_step_does_not_print_as_all_three() {
    let mut s = ok("open a f\nsync_file_range a\n").scenario;
    let Some(Item::Stmt(st)) = s.body.get_mut(1) else { panic!("the call") };
    st.event = sfr_event(NO_STEP);
    assert_eq!(s.to_string(), "open a f\nsync_file_range a NONE\n");
    assert!(Parsed::from_scenario(&s).is_err(), "refused, not read back as all three steps");
}

#[test]
fn the_usage_shows_the_flags() {
    assert_eq!(Verb::SyncFileRange.usage(), "sync_file_range FD [WAIT_BEFORE] [WRITE] [WAIT_AFTER]");
}

// fail and heal of pages.

fn one(line: &str) -> Event {
    let p = ok(&format!("{line}\n"));
    let (s, _) = p.scenario.stmts().next().expect("one call");
    s.event.clone()
}

#[test]
fn fail_and_heal_take_a_page_or_a_range() {
    use errseq_scenario::Pages;
    let f = name("f");
    assert_eq!(one("fail f EIO"), Event::Fail { file: f.clone(), errno: Errno::EIO, pages: None });
    assert_eq!(
        one("fail f EIO 1"),
        Event::Fail { file: f.clone(), errno: Errno::EIO, pages: Some(Pages::one(1)) }
    );
    assert_eq!(
        one("fail f ENOSPC 2..7"),
        Event::Fail { file: f.clone(), errno: Errno::ENOSPC, pages: Some(Pages { first: 2, last: 7 }) }
    );
    assert_eq!(one("heal f"), Event::Heal { file: f.clone(), pages: None });
    assert_eq!(
        one("heal f 003..4"),
        Event::Heal { file: f.clone(), pages: Some(Pages { first: 3, last: 4 }) }
    );
    // Canonical: `N..N` is `N`, leading zeros go, the whole file is bare.
    for (text, canonical) in [
        ("fail f EIO 5..5", "fail f EIO 5\n"),
        ("fail f EIO 0..4294967295", "fail f EIO 0..4294967295\n"),
        ("heal f 07", "heal f 7\n"),
        ("heal f", "heal f\n"),
        ("fail f EIO 1 as x", "fail f EIO 1 as x\n"),
    ] {
        assert_eq!(ok(&format!("{text}\n")).scenario.to_string(), canonical, "{text}");
    }
}

#[test]
fn page_range_errors_say_what_to_write() {
    let (l, c, m) = err("fail f EIO 3..1\n");
    assert_eq!((l, c), (1, 12));
    assert!(m.contains("runs backwards") && m.contains("`1..3`"), "{m}");
    for bad in ["x", "1..", "..2", "1...2", "-1", "1..2..3", "4294967296", "1..4294967296"] {
        let (l, c, m) = err(&format!("heal f {bad}\n"));
        assert_eq!((l, c), (1, 8), "{bad}");
        assert!(m.contains("`N..M`"), "{bad}: {m}");
    }
    let (_, c, m) = err("fail f 1 EIO\n");
    assert_eq!(c, 8);
    assert!(m.contains("errno"), "{m}");
    let (_, c, m) = err("fail f EIO 1 2\n");
    assert_eq!(c, 14);
    assert!(m.contains("fail FILE ERRNO [PAGES]"), "{m}");
    let (_, _, m) = err("heal f EIO\n");
    assert!(m.contains("`heal` takes no errno"), "{m}");
    let (_, _, m) = err("fail f\n");
    assert!(m.contains("fail FILE ERRNO [PAGES]"), "{m}");
    let (_, _, m) = err("heal f 1 => 0\n");
    assert!(m.contains("returns nothing"), "{m}");
}

#[test]
fn claims_name_page_fails_by_their_text() {
    let (_, _, m) = err("open a f\nfail f EIO 1\nnever fail f EIO 1 = 0\n");
    assert!(m.contains("returns nothing"), "{m}");
}

// open's flags, synchronous and direct writes, mmap_write and msync.

#[test]
fn open_takes_flags_in_any_order_and_prints_them_in_one() {
    use errseq_scenario::OpenFlags;
    let (a, f) = (name("a"), name("f"));
    assert_eq!(one("open a f"), Event::Open { fd: a.clone(), file: f.clone(), flags: OpenFlags::default() });
    let flags = OpenFlags { rdonly: false, sync: true, dsync: false, direct: true };
    assert_eq!(one("open a f O_DIRECT O_SYNC"), Event::Open { fd: a.clone(), file: f.clone(), flags });
    for (text, canonical) in [
        ("open a f O_DIRECT O_SYNC", "open a f O_SYNC O_DIRECT\n"),
        ("open a f O_DIRECT O_RDONLY", "open a f O_RDONLY O_DIRECT\n"),
        ("open a f O_DSYNC", "open a f O_DSYNC\n"),
        ("open a f O_SYNC as x", "open a f O_SYNC as x\n"),
        ("open as f", "open as f\n"),
    ] {
        assert_eq!(ok(&format!("{text}\n")).scenario.to_string(), canonical, "{text}");
    }
}

#[test]
fn open_flag_errors_say_what_to_write() {
    let cases = [
        ("open a f O_SYNC O_SYNC", 17, "written twice (first at column 10)"),
        ("open a f o_sync", 10, "write `O_SYNC`"),
        ("open a f O_SNYC", 10, "did you mean `O_SYNC`"),
        ("open a f O_RDWR", 10, "leave it out"),
        ("open a f O_WRONLY", 10, "not modelled"),
        ("open a f O_RDONLY O_SYNC", 19, "never writes"),
        ("open a f O_SYNC O_DSYNC", 17, "includes `O_DSYNC`"),
        ("open a f O_SYNC as", 17, "needs a label"),
        ("open a f as x O_SYNC", 10, "after the flags"),
    ];
    for (text, col, want) in cases {
        let (l, c, m) = err(&format!("{text}\n"));
        assert_eq!((l, c), (1, col), "{text}: {m}");
        assert!(m.contains(want), "{text}: {m}");
    }
}

#[test]
fn write_takes_an_rwf_flag_after_its_page() {
    use errseq_scenario::Rwf;
    let a = name("a");
    let p = ok("open a f\nwrite a RWF_SYNC\nwrite a 3 RWF_DSYNC => EIO\nwrite a 0 RWF_SYNC as w => 0\n");
    let events: Vec<Event> = p.scenario.stmts().map(|(s, _)| s.event.clone()).collect();
    assert_eq!(events[1], Event::Write { fd: a.clone(), page: 0, rwf: Some(Rwf::Sync) });
    assert_eq!(events[2], Event::Write { fd: a.clone(), page: 3, rwf: Some(Rwf::Dsync) });
    assert_eq!(
        p.scenario.to_string(),
        "open a f\nwrite a RWF_SYNC\nwrite a 3 RWF_DSYNC => EIO\nwrite a RWF_SYNC as w => 0\n"
    );
    for (text, col, want) in [
        ("write a rwf_sync", 9, "write `RWF_SYNC`"),
        ("write a RWF_SNYC", 9, "did you mean `RWF_SYNC`"),
        ("write a 1 RWF_SYNC RWF_SYNC", 20, "unexpected `RWF_SYNC`"),
        ("write a x", 9, "not a page number or a flag"),
        ("write a RWF_SYNC 1", 18, "unexpected `1`"),
    ] {
        let (_, c, m) = err(&format!("open a f\n{text}\n"));
        assert_eq!(c, col, "{text}: {m}");
        assert!(m.contains(want), "{text}: {m}");
    }
}

#[test]
fn a_write_returns_exactly_when_it_is_synchronous_or_direct() {
    for opened in ["O_SYNC", "O_DSYNC", "O_DIRECT", "O_SYNC O_DIRECT"] {
        let p = ok(&format!("open a f {opened}\nwrite a => EIO\nnever write a = 0\n"));
        assert!(p.bindings.events[1].returns, "{opened}");
    }
    let p = ok("open a f\nwrite a RWF_DSYNC => 0\nwrite a\n");
    assert!(p.bindings.events[1].returns && !p.bindings.events[2].returns);
    // A buffered write: an expectation or a claim on it stays an error.
    let (l, c, m) = err("open a f\nwrite a => EIO\n");
    assert_eq!((l, c), (2, 9));
    assert!(m.contains("returns nothing") && m.contains("O_SYNC") && m.contains("RWF_SYNC"), "{m}");
    let (_, _, m) = err("open a f\nwrite a\nnever write a = EIO\n");
    assert!(m.contains("returns nothing"), "{m}");
    // The description decides, through dup too.
    let p = ok("open a f O_DSYNC\ndup b a\nwrite b => 0\n");
    assert!(p.bindings.events[2].returns);
    // A reopened name is a new description.
    let (_, _, m) = err("open a f O_SYNC\nclose a\nopen a f\nwrite a => 0\n");
    assert!(m.contains("returns nothing"), "{m}");
}

#[test]
fn writing_through_a_read_only_description_is_an_error() {
    let (l, c, m) = err("open r f O_RDONLY\ndup s r\nwrite s 1\n");
    assert_eq!((l, c), (3, 7));
    assert!(m.contains("O_RDONLY") && m.contains("EBADF") && m.contains("line 1"), "{m}");
    let (_, _, m) = err("open r f O_RDONLY O_DIRECT\nmmap_write r\n");
    assert!(m.contains("EACCES"), "{m}");
    // Everything else works through it.
    ok("open r f O_RDONLY\nopen a f\nwrite a\nfsync r => 0\nmsync r => 0\nsync_file_range r => 0\nsyncfs r => 0\nclose r => 0\n");
}

#[test]
fn mmap_write_and_msync() {
    let p = ok("open a f\nmmap_write a\nmmap_write a 07 as m\nmsync a => EIO\nnever msync a = 0\n");
    assert_eq!(
        p.scenario.to_string(),
        "open a f\nmmap_write a\nmmap_write a 7 as m\nmsync a => EIO\nnever msync a = 0\n"
    );
    assert_eq!(Verb::MmapWrite.usage(), "mmap_write FD [PAGE]");
    let (_, _, m) = err("open a f\nmmap_write a => 0\n");
    assert!(m.contains("returns nothing"), "{m}");
    let (_, _, m) = err("msync\n");
    assert!(m.contains("msync FD"), "{m}");
    let (_, _, m) = err("open a f\nmsync b\n");
    assert!(m.contains("not open"), "{m}");
}

#[test]
fn the_new_calls_stay_usable_as_labels() {
    // `msync` and `mmap_write` were not keywords before: a text that used
    // them as labels keeps its meaning.
    let p = ok("open a f\nfsync a as msync\nfsync a as mmap_write\nnever msync = EIO, mmap_write = 0\n");
    assert_eq!(p.bindings.claims[0], vec![1, 2]);
    let (_, _, m) = err("open a f\nfsync a as fsync\n");
    assert!(m.contains("keyword"), "{m}");
}

// read and page versions.

#[test]
fn read_takes_an_optional_page_and_returns_versions() {
    let p = ok("open a f O_RDONLY\nread a => v0\nread a 007 => {v1, v2, EIO} linux-4.12=v003\nread a as r\n\
                exists r = v0, read a 7 = v1 for linux\n");
    let reads: Vec<&Event> = p.scenario.stmts().skip(1).map(|(s, _)| &s.event).collect();
    assert_eq!(reads[0], &Event::Read { fd: name("a"), page: 0 });
    assert_eq!(reads[1], &Event::Read { fd: name("a"), page: 7 });
    assert!(p.bindings.events[1].returns, "a read returns its data");
    assert_eq!(
        p.scenario.to_string(),
        "open a f O_RDONLY\nread a => v0\nread a 7 => {EIO, v1, v2} linux-4.12=v3\nread a as r\n\
         exists r = v0, read a 7 = v1 for linux\n",
        "page 0 and leading zeros go; errnos sort before versions"
    );
    assert_eq!(ok(&p.scenario.to_string()).scenario, p.scenario);
    assert_eq!(Verb::Read.usage(), "read FD [PAGE]");
}

#[test]
fn version_errors_say_how_to_write_one() {
    assert_eq!(err("open a f\nread a => V1\n"), (2, 11, "page versions are lower case: write `v1`".into()));
    for bad in ["v", "v-1", "v1x", "v99999999999", "v1048577"] {
        let (_, _, msg) = err(&format!("open a f\nread a => {bad}\n"));
        assert!(
            msg.starts_with(&format!("`{bad}` is not a page version: write `v` and a whole number")),
            "{msg}"
        );
    }
    assert_eq!(ok("open a f\nread a => v1048576\n").scenario.to_string(), "open a f\nread a => v1048576\n");
}

#[test]
fn only_a_read_returns_content_and_a_read_never_returns_0() {
    assert_eq!(
        err("open a f\nread a => 0\n").2,
        "`read` returns the page's content, never `0`: expect a version such as `v1` (`v0`: what the page \
         held before the scenario), or an errno"
    );
    assert_eq!(
        err("open a f\nread a => {v1, 0}\n").2,
        "`read` returns the page's content, never `0`: expect a version such as `v1` (`v0`: what the page \
         held before the scenario), or an errno"
    );
    assert_eq!(
        err("open a f\nfsync a => linux=v1\n"),
        (2, 9, "`v1` is page content, which only `read` returns; `fsync` returns `0` or an errno".into())
    );
    assert_eq!(
        err("open a f\nfsync a as s\nread a as r\nexists s = v1\n"),
        (4, 8, "`v1` is page content, which only `read` returns; `fsync` returns `0` or an errno".into())
    );
    assert_eq!(
        err("open a f\nread a as r\nnever r = 0\n").2,
        "`read` returns the page's content, never `0`: expect a version such as `v1` (`v0`: what the page \
         held before the scenario), or an errno"
    );
    // A read's errno is fine: a direct read's flush returns one.
    ok("open a f O_DIRECT\nread a => EIO linux=v0\n");
}

#[test]
fn read_needs_an_open_fd_and_stays_a_label() {
    assert_eq!(err("read a\n").2, "fd `a` is not open; open it first with `open a FILE`");
    assert_eq!(err("open a f\nread\n").2, "`read` needs an fd: `read FD [PAGE]`");
    assert_eq!(
        err("open a f\nread a x\n").2,
        "`x` is not a page number: write a whole number from 0 to 4294967295"
    );
    // `read` was not a keyword before: it stays a label, and a claim
    // tells the label (one word) from the call (with its fd).
    let p = ok("open a f\nfsync a as read\nread a as r\nexists read = 0, read a = v0\n");
    assert_eq!(p.bindings.claims, vec![vec![1, 2]]);
}
