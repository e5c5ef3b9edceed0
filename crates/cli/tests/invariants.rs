//! `errseq explore --invariants`: a written scheme checked against the
//! named invariants over the gallery, next to its base; a broken one
//! with its counterexample in the scheme's own steps and a link; a
//! scheme that loops is reported, not hung on.

mod common;

use common::{errseq, text};

/// 4.17 whose report takes no f_lock: two fds of one description race
/// on the cursor, and one of them puts back what the other advanced.
const NO_LOCK: &str = "scheme nolock from linux-4.17
int file_check_and_advance_wb_err(struct file *file)
{
\tstruct address_space *mapping = file->f_mapping;

\treturn errseq_check_and_advance(&mapping->wb_err, &file->f_wb_err);
}
end
open a f
";

#[test]
fn a_report_without_f_lock_tells_a_description_twice() {
    let out = errseq(&["explore", "-", "--invariants", "--base", "https://example.org/p/"], Some(NO_LOCK));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let row =
        |id: &str| stdout.lines().find(|l| l.trim_start().starts_with(id)).unwrap_or_default().to_owned();
    assert!(row("told-once").contains("BROKEN in findings/"), "{stdout}");
    assert!(row("told-once").contains("(linux-4.17: kept"), "{stdout}");
    assert!(row("told-while-open").starts_with("  told-while-open  kept"), "{stdout}");
    // The steps of the scheme's own code, and a link that reopens them.
    assert!(stdout.contains("at linux-4.17's line") && stdout.contains("cmpxchg"), "{stdout}");
    let link = stdout.lines().find_map(|l| l.trim().strip_prefix("open it: ")).unwrap_or_default();
    assert!(link.starts_with("https://example.org/p/#") && link.contains("replay="), "{stdout}");
    let decoded = errseq(&["decode", link], None);
    assert!(text(&decoded.stdout).contains("scheme nolock from linux-4.17"), "{}", text(&decoded.stderr));
}

#[test]
fn today_s_kernel_written_out_keeps_all_three() {
    let source = errseq_lang::base_source(errseq::Scheme::Linux417).unwrap_or_default();
    let text_in = format!("scheme mine from linux-4.17\n{source}end\nopen a f\n");
    let out = errseq(&["explore", "-", "--invariants"], Some(&text_in));
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    assert_eq!(text(&out.stdout).matches("kept (at stake").count(), 6, "{}", text(&out.stdout));
}

#[test]
fn a_built_in_scheme_is_checked_with_scheme_and_a_text_without_one_is_refused() {
    let out = errseq(&["explore", "-", "--invariants", "--scheme", "linux-4.13"], Some("open a f\n"));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("late-opener      BROKEN in 06-open-only-to-fsync"),
        "{}",
        text(&out.stdout)
    );
    let out = errseq(&["explore", "-", "--invariants"], Some("open a f\n"));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("writes no scheme"), "{}", text(&out.stderr));
}

#[test]
fn a_scheme_that_loops_is_not_checked_and_says_where() {
    let looping = "scheme spin from linux-4.17
int errseq_check_and_advance(errseq_t *eseq, errseq_t *since)
{
\tfor (;;)
\t\tREAD_ONCE(*eseq);
\treturn 0;
}
end
open a f
";
    let out = errseq(&["explore", "-", "--invariants"], Some(looping));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("-:4:2: scheme `spin`:") && stderr.contains("endless loop"), "{stderr}");
    assert!(stderr.contains("(so not checked: 01-seed-design, "), "{stderr}");
    assert_eq!(stderr.matches("went round its loops").count(), 1, "one reason, once: {stderr}");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_state_budget_holds_for_the_whole_sweep_and_the_table_says_what_was_checked() {
    // Each report reads the word 2,000 times: a par block of two of them
    // has millions of states. One budget covers all the gallery.
    let slow = "scheme slow from linux-4.17
int errseq_check_and_advance(errseq_t *eseq, errseq_t *since)
{
\tu32 i;
\terrseq_t old = 0;

\tfor (i = 0; i < 2000; i++)
\t\told = READ_ONCE(*eseq);
\treturn errseq_check(eseq, *since) ? -(old & MAX_ERRNO) : 0;
}
end
open a f
";
    let out = errseq(&["explore", "-", "--invariants", "--max-states", "20000"], Some(slow));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("more than 20000 distinct states") && stderr.contains("(so not checked: "),
        "{stderr}"
    );
    assert!(text(&out.stdout).contains(" checked)"), "{}", text(&out.stdout));
}
