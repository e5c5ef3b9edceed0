//! `errseq` with schemes written in the scenario: the run table has
//! their columns, explore finds their counterexamples and replays them,
//! a bad body is reported at the scenario's line:col, and a call that
//! loops for ever is an error that says where, never a hang.

mod common;

use common::{errseq, text};

/// 4.17 with a report that forgets to advance the cursor.
const FORGETFUL: &str = "schemes: linux-4.17 forgetful
scheme forgetful from linux-4.17
int errseq_check_and_advance(errseq_t *eseq, errseq_t *since)
{
\terrseq_t old = READ_ONCE(*eseq);

\tif (old == *since)
\t\treturn 0;
\treturn -(old & MAX_ERRNO);
}
end
open a f
error f EIO
fsync a => EIO
fsync a => 0 forgetful=EIO
";

#[test]
fn run_shows_a_written_column_next_to_its_base() {
    let out = errseq(&["run", "-"], Some(FORGETFUL));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let head = stdout.lines().find(|l| l.contains("linux-4.17")).unwrap_or_default();
    assert!(head.contains("forgetful"), "{stdout}");
    let last = stdout.lines().find(|l| l.trim_start().starts_with("15")).unwrap_or_default();
    assert!(last.contains('0') && last.contains("EIO"), "{stdout}");
}

#[test]
fn run_with_a_written_scheme_traces_it() {
    let out = errseq(&["run", "-", "--scheme", "forgetful"], Some(FORGETFUL));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("scheme forgetful (written in the scenario, from linux-4.17)"), "{stdout}");
    assert!(stdout.contains("fsync a  -> EIO"), "{stdout}");
    let out = errseq(&["run", "-", "--scheme", "nobody"], Some(FORGETFUL));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown scheme `nobody`"), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("forgetful"), "{}", text(&out.stderr));
}

#[test]
fn explore_finds_a_written_schemes_counterexample_and_replays_it() {
    let text_in = "schemes: forgetful
scheme forgetful from linux-4.17
int errseq_check_and_advance(errseq_t *eseq, errseq_t *since)
{
\terrseq_t old = READ_ONCE(*eseq);

\tif (old == *since)
\t\treturn 0;
\treturn -(old & MAX_ERRNO);
}
end
open a f
par
  error f EIO
  fsync a
end
fsync a => 0
";
    let out = errseq(&["explore", "-"], Some(text_in));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("forgetful"), "{stdout}");
    // Each step of the counterexample in the writer's own lines, and in
    // the base's for a function the scheme inherits.
    assert!(stdout.contains("at linux-4.17's line 107:17 READ_ONCE(file->f_wb_err)"), "{stdout}");
    let replay = stdout
        .split_whitespace()
        .find(|w| w.starts_with("2A") && w.len() > 3)
        .unwrap_or_else(|| panic!("a replay string of the written scheme (letter A): {stdout}"))
        .trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_');
    let out = errseq(&["explore", "-", "--replay", replay], Some(text_in));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("under forgetful:"), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("at linux-4.17's line 107:17"), "{}", text(&out.stdout));
}

/// A sample that does not read an unseen error as 0 (4.13's idea
/// without 4.13's SEEN): an opener racing the error may never hear it,
/// and the counterexample says where in the writer's lines.
#[test]
fn a_counterexample_steps_through_the_writers_own_lines() {
    let late = "scheme late from linux-4.17
errseq_t errseq_sample(errseq_t *eseq)
{
\treturn READ_ONCE(*eseq);
}
end
par
  error f EIO
  open b f
end
fsync b => EIO
";
    let out = errseq(&["explore", "-"], Some(late));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let counterexample =
        stdout.split("counterexample for `11:fsync b` under late").nth(1).unwrap_or_default();
    assert!(
        counterexample.contains("open b f     load wb_err(f) = 0x00000005 at line 4:9 READ_ONCE(*eseq)"),
        "{stdout}"
    );
}

#[test]
fn a_bad_body_is_reported_at_the_scenarios_line_and_column() {
    let bad = "title: t\nscheme bad from linux-4.17\nerrseq_t errseq_sample(errseq_t *eseq)\n{\n\treturn nope;\n}\nend\nopen a f\n";
    let out = errseq(&["check", "-"], Some(bad));
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("-:5:9: "), "{stderr}");
    assert!(stderr.contains("nope"), "{stderr}");
}

#[test]
fn an_endless_loop_is_an_error_with_its_place_not_a_hang() {
    let looping = "scheme spin from linux-4.17\nerrseq_t errseq_sample(errseq_t *eseq)\n{\n\tfor (;;)\n\t\t;\n}\nend\nopen a f\n";
    for cmd in ["check", "run", "explore"] {
        let out = errseq(&[cmd, "-"], Some(looping));
        assert_eq!(out.status.code(), Some(2), "{cmd}: {}", text(&out.stdout));
        let stderr = text(&out.stderr);
        assert!(stderr.contains("-:4:2: scheme `spin`: "), "{cmd}: {stderr}");
        assert!(stderr.contains("an endless loop?"), "{cmd}: {stderr}");
        assert!(stderr.contains("(the call `open a f` of line 8)"), "{cmd}: {stderr}");
    }
}

#[test]
fn render_carries_the_block_in_the_mail() {
    let out = errseq(&["render", "-"], Some(FORGETFUL));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("scheme forgetful from linux-4.17"), "{stdout}");
    assert!(stdout.contains("forgetful"), "{stdout}");
}

/// A loop with a memory step in each round grows the explorer's states
/// faster than its loop budget counts: the state budget stops it, and
/// says a written scheme's call may loop.
#[test]
fn a_loop_of_memory_steps_in_a_par_block_is_stopped_by_the_budget() {
    let looping = "scheme spin from linux-4.17\nerrseq_t errseq_sample(errseq_t *eseq)\n{\n\tfor (;;)\n\t\tREAD_ONCE(*eseq);\n}\nend\npar\n  open a f\n  error f EIO\nend\n";
    let out = errseq(&["explore", "-", "--max-states", "2000"], Some(looping));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("under the written scheme `spin`"), "{stderr}");
    assert!(stderr.contains("look for an endless loop"), "{stderr}");
}
