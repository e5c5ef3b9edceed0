//! Each base's source in the language against the Rust built-in it
//! models: driven by an adversarial memory that answers every load and
//! cmpxchg as a script says, both must make exactly the same sequence of
//! steps (each marked as used or `ignoring`), return the same, and stop at
//! the same point. Exhaustive over every script up to a depth on a small
//! set of words (SEEN, counter, errno and wrap combinations, cmpxchg wins
//! and losses), then thousands of seeded random longer scripts on a wider
//! set. Identical step sequences are what make the explorer's joint
//! outcomes and state counts identical.

use errseq::errseq::{self as es, Sampling};
use errseq::rfc::{self, Review};
use errseq::{legacy, vfs, Action, Addr, Errno, File, Mapping, Memory, Ret, Scheme};
use errseq_lang::{compile, Program};

const WORD: Addr = Addr(0);
const CURSOR: Addr = Addr(1);
const LOCK: Addr = Addr(2);
const FLAGS: Addr = Addr(3);
const SB: Addr = Addr(4);
const SB_CURSOR: Addr = Addr(5);
const FILE: File = File { wb_err: CURSOR, sb_err: SB_CURSOR, lock: LOCK };
const MAPPING: Mapping = Mapping { wb_err: WORD, flags: FLAGS, i_lock: Addr(6) };

/// Words the exhaustive driver answers with: never set, unseen and seen
/// errors, counters, and a counter about to wrap.
const SMALL: [u32; 6] = [0, 0x0005, 0x1005, 0x201c, 0x301c, 0xffff_f005];

/// A wider set for the random scripts.
const WIDE: [u32; 12] =
    [0, 0x0005, 0x1005, 0x201c, 0x301c, 0xffff_f005, 0xffff_e01c, 0x1000, 0x2000, 0x0fff, 0x3fff, 0x7a_3005];

#[derive(Debug, PartialEq, Eq)]
struct Stopped;

/// Answers steps from a script of choices; stops when it runs out,
/// noting how many choices the next step would have had.
struct Scripted<'a> {
    script: &'a [u8],
    values: &'a [u32],
    pos: usize,
    log: Vec<(Action, bool, u32)>,
    wanted: Option<usize>,
}

impl Scripted<'_> {
    fn choices(&self, a: Action) -> usize {
        match a {
            Action::Load(_) => self.values.len(),
            // Won, someone stored our value, or any other word.
            Action::Cmpxchg { .. } => 2 + self.values.len(),
            _ => 1,
        }
    }

    fn answer(&mut self, a: Action, ignored: bool) -> Result<u32, Stopped> {
        let n = self.choices(a);
        let Some(&c) = self.script.get(self.pos) else {
            self.wanted = Some(n);
            return Err(Stopped);
        };
        self.pos += 1;
        let c = usize::from(c) % n;
        let v = match a {
            Action::Load(_) => self.values[c],
            Action::Cmpxchg { old, new, .. } => match c {
                0 => old,
                1 => new,
                _ => self.values[c - 2],
            },
            _ => 0,
        };
        self.log.push((a, ignored, v));
        Ok(v)
    }
}

impl Memory for Scripted<'_> {
    type Stop = Stopped;
    fn step(&mut self, a: Action) -> Result<u32, Stopped> {
        self.answer(a, false)
    }
    fn ignoring(&mut self, a: Action) -> Result<(), Stopped> {
        self.answer(a, true).map(drop)
    }
}

type Outcome = (Vec<(Action, bool, u32)>, Option<u32>, Option<usize>);

/// A call under test: the memory, and its result as a number (0 if none).
type Run<'f> = &'f dyn Fn(&mut Scripted) -> Result<u32, Stopped>;

fn outcome(run: Run, script: &[u8], values: &[u32]) -> Outcome {
    let mut m = Scripted { script, values, pos: 0, log: Vec::new(), wanted: None };
    let r = run(&mut m).ok();
    (m.log, r, m.wanted)
}

/// Every script up to `depth` choices: returns how many were compared.
fn exhaustive(what: &str, builtin: Run, written: Run, depth: usize) -> usize {
    let mut stack: Vec<Vec<u8>> = vec![Vec::new()];
    let mut cases = 0;
    while let Some(script) = stack.pop() {
        let a = outcome(builtin, &script, &SMALL);
        let b = outcome(written, &script, &SMALL);
        assert_eq!(a, b, "{what}: script {script:?}");
        cases += 1;
        if let (Some(n), true) = (a.2, script.len() < depth) {
            for c in 0..n {
                let mut s = script.clone();
                s.push(c as u8);
                stack.push(s);
            }
        }
    }
    cases
}

/// Seeded random scripts, long enough to run every loop several rounds.
fn random(what: &str, builtin: Run, written: Run, cases: usize, seed: u64) {
    let mut x = seed | 1;
    for _ in 0..cases {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let len = (x % 40) as usize;
        let script: Vec<u8> = (0..len)
            .map(|i| {
                let y = x.rotate_left(i as u32 * 5) ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                (y >> 24) as u8
            })
            .collect();
        let a = outcome(builtin, &script, &WIDE);
        let b = outcome(written, &script, &WIDE);
        assert_eq!(a, b, "{what}: script {script:?}");
    }
}

fn program(base: Scheme) -> Program {
    match compile("", 1, base) {
        Ok(p) => p,
        Err(d) => panic!("{base}'s source does not compile: {d:?}"),
    }
}

/// A written call that must not fault.
fn ok<T>(r: Result<Result<T, errseq_lang::Fault>, Stopped>) -> Result<T, Stopped> {
    r.map(|x| x.unwrap_or_else(|f| panic!("fault: {f}")))
}

const ERRNOS: [Errno; 3] = [Errno::EIO, Errno::ENOSPC, Errno::EDQUOT];

/// The errseq_t word functions of 4.13 and 4.17.
fn errseq_base(base: Scheme, sampling: Sampling) -> usize {
    let p = program(base);
    let mut n = 0;
    for err in ERRNOS {
        let b = |m: &mut Scripted| es::set(m, WORD, err.number()).map(|_| 0);
        let w = |m: &mut Scripted| ok(p.set(m, WORD, err)).map(|_| 0);
        n += exhaustive(&format!("{base} set {err}"), &b, &w, 5);
        random(&format!("{base} set {err}"), &b, &w, 3000, 0x5e7 + u64::from(err.number()));
    }
    let b = |m: &mut Scripted| es::sample(m, WORD, sampling);
    let w = |m: &mut Scripted| ok(p.sample(m, WORD));
    n += exhaustive(&format!("{base} sample"), &b, &w, 4);
    // The glue stores the sample (do_dentry_open): the whole open.
    let b = |m: &mut Scripted| base.open(m, MAPPING, SB, FILE).map(|_| 0);
    let w = |m: &mut Scripted| {
        let since = ok(p.sample(m, WORD))?;
        m.store(CURSOR, since).map(|_| 0)
    };
    n += exhaustive(&format!("{base} open"), &b, &w, 4);
    n + word_reports(base, &p)
}

/// errseq_check and errseq_check_and_advance, and fsync's report.
fn word_reports(base: Scheme, p: &Program) -> usize {
    let mut n = 0;
    for since in SMALL {
        let b = |m: &mut Scripted| es::check(m, WORD, since).map(Ret::code);
        let w = |m: &mut Scripted| ok(p.check(m, WORD, since)).map(Ret::code);
        n += exhaustive(&format!("{base} check since {since:#x}"), &b, &w, 3);
    }
    let b = |m: &mut Scripted| es::check_and_advance(m, WORD, CURSOR).map(Ret::code);
    let w = |m: &mut Scripted| ok(p.check_and_advance(m, WORD, CURSOR)).map(Ret::code);
    n += exhaustive(&format!("{base} check_and_advance"), &b, &w, 6);
    random(&format!("{base} check_and_advance"), &b, &w, 2000, 0xca);
    n
}

fn errseq_fsync(base: Scheme, p: &Program) -> usize {
    let b = |m: &mut Scripted| vfs::advance_file_cursor(m, WORD, FILE).map(Ret::code);
    let w = |m: &mut Scripted| ok(p.file_check_and_advance_wb_err(m, WORD, FILE)).map(Ret::code);
    let n = exhaustive(&format!("{base} file_check_and_advance_wb_err"), &b, &w, 8);
    random(&format!("{base} file_check_and_advance_wb_err"), &b, &w, 3000, 0xf5);
    // With the base's glue (the legacy flags), the whole of fsync's report.
    let b = |m: &mut Scripted| base.fsync_report(m, MAPPING, FILE).map(Ret::code);
    let w = |m: &mut Scripted| {
        let r = ok(p.file_check_and_advance_wb_err(m, WORD, FILE))?;
        legacy::clear_flags(m, FLAGS)?;
        Ok(r.code())
    };
    n + exhaustive(&format!("{base} fsync report"), &b, &w, 8)
}

#[test]
fn linux_4_13_source_steps_like_the_builtin() {
    let n = errseq_base(Scheme::Linux413, Sampling::MarkSeen)
        + errseq_fsync(Scheme::Linux413, &program(Scheme::Linux413));
    assert!(n > 10_000, "{n} cases");
    // 4.14 runs the same word functions.
    assert_eq!(errseq_lang::base_source(Scheme::Linux414), errseq_lang::base_source(Scheme::Linux413));
}

#[test]
fn linux_4_17_source_steps_like_the_builtin() {
    let n = errseq_base(Scheme::Linux417, Sampling::UnseenAsZero)
        + errseq_fsync(Scheme::Linux417, &program(Scheme::Linux417));
    assert!(n > 10_000, "{n} cases");
}

/// rfc-v2 and its review variants: set, open, fsync's report; the
/// check functions are 4.13's.
fn rfc_base(base: Scheme, review: Review) -> usize {
    let p = program(base);
    let mut n = 0;
    for err in ERRNOS {
        let b = |m: &mut Scripted| rfc::v2_set(m, WORD, err.number(), review).map(|_| 0);
        let w = |m: &mut Scripted| ok(p.set(m, WORD, err)).map(|_| 0);
        n += exhaustive(&format!("{base} set {err}"), &b, &w, 5);
        random(&format!("{base} set {err}"), &b, &w, 3000, 0x7f + u64::from(err.number()));
    }
    let b = |m: &mut Scripted| rfc::v2_open(m, WORD, CURSOR).map(|_| 0);
    let w = |m: &mut Scripted| {
        let since = ok(p.sample(m, WORD))?;
        m.store(CURSOR, since).map(|_| 0)
    };
    n += exhaustive(&format!("{base} open"), &b, &w, 4);
    let b = |m: &mut Scripted| rfc::v2_report(m, WORD, CURSOR, LOCK, review).map(Ret::code);
    let w = |m: &mut Scripted| ok(p.file_check_and_advance_wb_err(m, WORD, FILE)).map(Ret::code);
    n += exhaustive(&format!("{base} report"), &b, &w, 8);
    random(&format!("{base} report"), &b, &w, 3000, 0x4e);
    // The whole fsync report of the built-in scheme (no legacy glue).
    let b = |m: &mut Scripted| base.fsync_report(m, MAPPING, FILE).map(Ret::code);
    n += exhaustive(&format!("{base} fsync report"), &b, &w, 8);
    n + word_reports(base, &p)
}

#[test]
fn rfc_v2_source_steps_like_the_builtin() {
    assert!(rfc_base(Scheme::RfcV2, Review::default()) > 10_000);
}

#[test]
fn skip_unchanged_source_steps_like_the_builtin() {
    let review = Review { skip_unchanged_set: true, report_once: false };
    assert!(rfc_base(Scheme::RfcV2SkipUnchanged, review) > 10_000);
}

#[test]
fn report_once_source_steps_like_the_builtin() {
    let review = Review { skip_unchanged_set: false, report_once: true };
    assert!(rfc_base(Scheme::RfcV2ReportOnce, review) > 10_000);
}

/// The harness itself can tell schemes apart: 4.13's source is not
/// 4.17's built-in sample, nor rfc-v2's set the skip-unchanged one.
#[test]
fn the_harness_catches_a_different_scheme() {
    let p413 = program(Scheme::Linux413);
    let b = |m: &mut Scripted| es::sample(m, WORD, Sampling::UnseenAsZero);
    let w = |m: &mut Scripted| ok(p413.sample(m, WORD));
    let differs =
        (0..SMALL.len() as u8).any(|c| outcome(&b, &[c, 0], &SMALL) != outcome(&w, &[c, 0], &SMALL));
    assert!(differs);
    let rfc = program(Scheme::RfcV2);
    let b = |m: &mut Scripted| {
        rfc::v2_set(m, WORD, 5, Review { skip_unchanged_set: true, report_once: false }).map(|_| 0)
    };
    let w = |m: &mut Scripted| ok(rfc.set(m, WORD, Errno::EIO)).map(|_| 0);
    // The word already holds EIO, unseen: skip-unchanged stops, rfc-v2 swaps.
    assert_ne!(outcome(&b, &[1, 0], &SMALL), outcome(&w, &[1, 0], &SMALL));
}
