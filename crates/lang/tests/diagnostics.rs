//! Every diagnostic and fault kind, with its line:col and message. The
//! scheme text starts on line 10 of its scenario, so positions are offset.

use errseq::{Addr, Cells, Errno, File, Memory, Scheme};
use errseq_lang::{compile, Fault, FaultKind, Program, Severity, LOOP_BUDGET, MAX_SOURCE};

const FIRST: u32 = 10;

/// The diagnostics of a text that must not compile, as "line:col: message".
fn errors(src: &str) -> Vec<String> {
    errors_from(src, Scheme::Linux417)
}

fn errors_from(src: &str, base: Scheme) -> Vec<String> {
    match compile(src, FIRST, base) {
        Ok(_) => panic!("compiled: {src}"),
        Err(d) => {
            d.iter().map(|d| format!("{}:{}: {}", d.site.span.line, d.site.span.col, d.message)).collect()
        }
    }
}

/// Asserts one diagnostic starts with `at` and contains `text`.
fn has(diags: &[String], at: &str, text: &str) {
    assert!(
        diags.iter().any(|d| d.starts_with(&format!("{at}: ")) && d.contains(text)),
        "no `{at}: ...{text}...` in {diags:#?}"
    );
}

fn program(src: &str) -> Program {
    compile(src, FIRST, Scheme::Linux417).unwrap_or_else(|d| panic!("{d:#?}"))
}

#[test]
fn unknown_names_suggest_the_closest() {
    let d = errors("errseq_t errseq_sample(errseq_t *eseq)\n{\n\treturn READ_ONCE(*eseq) & ERRSEQ_SEN;\n}\n");
    has(&d, "12:28", "`ERRSEQ_SEN` is not declared: did you mean `ERRSEQ_SEEN`?");
    let d = errors(
        "errseq_t errseq_sample(errseq_t *eseq)\n{\n\terrseq_t old = READ_ONCE(*eseq);\n\treturn olld;\n}\n",
    );
    has(&d, "13:9", "did you mean `old`?");
    let d = errors(
        "int errseq_check(errseq_t *eseq, errseq_t since)\n{\n\treturn errseq_chek(eseq, since);\n}\n",
    );
    has(&d, "12:9", "`errseq_chek` is not a function here: did you mean `errseq_check`?");
}

#[test]
fn wrong_arity() {
    let d = errors(
        "int errseq_check(errseq_t *eseq, errseq_t since)\n{\n\treturn errseq_check_and_advance(eseq);\n}\n",
    );
    has(&d, "12:9", "`errseq_check_and_advance` takes 2 arguments, not 1");
    let d =
        errors("int errseq_check(errseq_t *eseq, errseq_t since)\n{\n\treturn cmpxchg(eseq, since);\n}\n");
    has(&d, "12:9", "`cmpxchg` takes 3 arguments, not 2");
}

#[test]
fn entry_points_signatures_and_names() {
    let d = errors("int errseq_sample(errseq_t *eseq)\n{\n\treturn 0;\n}\n");
    has(&d, "10:5", "`errseq_sample` must be declared `errseq_t errseq_sample(errseq_t *eseq)`");
    let d = errors("int errseq_chek(errseq_t *eseq, errseq_t since)\n{\n\treturn 0;\n}\n");
    has(&d, "10:5", "`errseq_chek` is not an entry point: did you mean `errseq_check`? The entry points are errseq_set, errseq_sample, errseq_check, errseq_check_and_advance, file_check_and_advance_wb_err; a helper of your own must be `static`");
    let d = errors("static int errseq_check(errseq_t *eseq, errseq_t since)\n{\n\treturn 0;\n}\n");
    has(&d, "10:12", "`errseq_check` is an entry point: drop `static`");
    let d = errors("errseq_t errseq_sample(errseq_t *eseq) { return 0; }\nerrseq_t errseq_sample(errseq_t *eseq) { return 1; }\n");
    has(&d, "11:10", "`errseq_sample` is defined twice (first at 10:10)");
}

#[test]
fn pointer_misuse_is_reported() {
    let d = errors(
        "errseq_t errseq_sample(errseq_t *eseq)\n{\n\terrseq_t old = 0;\n\treturn cmpxchg(&old, 0, 1);\n}\n",
    );
    has(&d, "13:17", "`&old` takes the address of a local: only the word");
    let d = errors("errseq_t errseq_sample(errseq_t *eseq)\n{\n\teseq = eseq;\n\treturn 0;\n}\n");
    has(&d, "12:2", "`eseq` is the caller's pointer and cannot be changed");
    let d = errors("errseq_t errseq_sample(errseq_t *eseq)\n{\n\t*eseq |= ERRSEQ_SEEN;\n\treturn 0;\n}\n");
    has(&d, "12:2", "a compound assignment to memory is a load and a store, two steps");
    let d = errors("int file_check_and_advance_wb_err(struct file *file)\n{\n\treturn file->f_flags;\n}\n");
    has(&d, "12:15", "`struct file` has no field `f_flags` here");
    let d = errors("errseq_t errseq_sample(errseq_t *eseq)\n{\n\treturn READ_ONCE(eseq);\n}\n");
    has(&d, "12:19", "READ_ONCE(eseq) reads the pointer: did you mean READ_ONCE(*eseq)?");
    let d = errors("errseq_t errseq_sample(errseq_t *eseq)\n{\n\treturn *(eseq + 1);\n}\n");
    has(&d, "12:11", "pointer arithmetic and comparison are not here");
    let d = errors("errseq_t errseq_sample(errseq_t *eseq)\n{\n\tlong x = 0;\n\treturn x;\n}\n");
    has(&d, "12:2", "`long`: every value here is 32-bit");
    let d = errors(
        "int errseq_check(errseq_t *eseq, errseq_t since)\n{\n\tclear_bit(1, eseq);\n\treturn 0;\n}\n",
    );
    has(&d, "12:2", "the legacy AS_EIO/AS_ENOSPC flags are the base's");
}

#[test]
fn missing_return_and_unreachable_code() {
    let d = errors("int errseq_check(errseq_t *eseq, errseq_t since)\n{\n\tif (since)\n\t\treturn 0;\n}\n");
    has(&d, "14:1", "`errseq_check` can reach its end without returning a value: it returns int");
    let p = program("int errseq_check(errseq_t *eseq, errseq_t since)\n{\n\treturn 0;\n\tsince = 1;\n}\n");
    let w = p.warnings();
    assert_eq!(w.len(), 1);
    assert_eq!((w[0].site.span.line, w[0].site.span.col, w[0].severity), (13, 2, Severity::Warning));
    assert_eq!(w[0].message, "this statement is never reached");
    // A loop without a way out ends the function as surely as a return.
    program("errseq_t errseq_sample(errseq_t *eseq)\n{\n\tfor (;;) {\n\t\tif (READ_ONCE(*eseq))\n\t\t\treturn 1;\n\t}\n}\n");
}

#[test]
fn recursion_is_rejected() {
    let d = errors(
        "int errseq_check(errseq_t *eseq, errseq_t since)\n{\n\treturn errseq_check(eseq, since);\n}\n",
    );
    has(&d, "12:9", "recursion (errseq_check -> errseq_check)");
    let d = errors(
        "static int a(int x);\nstatic int b(int x) { return a(x); }\nstatic int a(int x) { return b(x); }\nint errseq_check(errseq_t *eseq, errseq_t since) { return a(0); }\n",
    );
    has(&d, "12:30", "recursion (b -> a -> b)");
}

#[test]
fn syntax_errors_and_limits() {
    has(
        &errors("errseq_t errseq_sample(errseq_t *eseq)\n{\n\treturn 0\n}\n"),
        "13:1",
        "expected `;` after the return value, found `}`",
    );
    has(&errors("/* open"), "10:1", "this comment is never closed");
    has(&errors("int x @"), "10:7", "unexpected character `@`");
    has(&errors("#define F(x) x\n"), "10:9", "function-like macro");
    has(&errors("#if 1\n"), "10:1", "only `#define NAME value`");
    has(&errors("#define MAX_ERRNO 1\n"), "10:9", "`MAX_ERRNO` is the kernel's");
    has(
        &errors("#define A B\n#define B A\nint errseq_check(errseq_t *e, errseq_t s) { return A; }\n"),
        "10:9",
        "`A` is defined in terms of itself",
    );
    has(
        &errors("int errseq_check(errseq_t *e, errseq_t s) { return 0x1ffffffff; }\n"),
        "10:52",
        "does not fit in 32 bits",
    );
    let deep = format!(
        "int errseq_check(errseq_t *e, errseq_t s) {{ return {}0{}; }}\n",
        "(".repeat(200),
        ")".repeat(200)
    );
    has(&errors(&deep), "10:83", "nested more than 64 levels deep");
    let long = "/* */\n".repeat(MAX_SOURCE / 6 + 1);
    has(&errors(&long), "10:1", "at most 65536 are accepted");
    has(&errors_from("", Scheme::Linux412), "10:1", "a scheme cannot start from linux-4.12");
}

#[test]
fn build_bug_on_is_checked() {
    let d = errors("#define ERRSEQ_SHIFT 11\nvoid errseq_set(errseq_t *eseq, int err)\n{\n\tBUILD_BUG_ON(MAX_ERRNO + 1 != ERRSEQ_SEEN);\n}\n");
    has(&d, "13:2", "BUILD_BUG_ON fails: the kernel would not build with these constants");
}

#[test]
fn defines_change_the_layout_everywhere() {
    let p = program("#define ERRSEQ_SHIFT 13\n");
    assert_eq!(p.constant("ERRSEQ_SEEN"), Some(1 << 13));
    assert_eq!(p.layout().ctr_inc, 1 << 14);
    // Inherited code uses the scheme's constants, as one file would.
    let mut m = Cells::new(2);
    m.0[0] = 0x2005;
    assert_eq!(p.sample(&mut m, Addr(0)), Ok(Ok(0x2005)));
    assert_eq!(program("").layout().seen, 0x1000);
}

// ---- runtime faults ------------------------------------------------------

const FILE: File = File { wb_err: Addr(1), sb_err: Addr(3), lock: Addr(2) };

fn fault_of(r: Result<Result<errseq::Ret, Fault>, std::convert::Infallible>) -> (u32, u32, FaultKind) {
    match errseq::complete(r) {
        Err(f) => (f.site.span.line, f.site.span.col, f.kind),
        Ok(v) => panic!("no fault: {v:?}"),
    }
}

#[test]
fn an_endless_loop_is_a_fault_not_a_hang() {
    let p = program("int errseq_check(errseq_t *eseq, errseq_t since)\n{\n\twhile (since == since)\n\t\tsince++;\n\treturn 0;\n}\n");
    let mut m = Cells::new(4);
    assert_eq!(
        fault_of(p.check(&mut m, Addr(0), 0)),
        (12, 2, FaultKind::EndlessLoop { rounds: LOOP_BUDGET })
    );
    let msg = errseq::complete(p.check(&mut m, Addr(0), 0)).err().map(|f| f.to_string());
    assert_eq!(
        msg.as_deref(),
        Some("12:2: this call went round its loops 10000 times without returning: an endless loop?")
    );
}

#[test]
fn lock_misuse_faults() {
    let unlock = program("int file_check_and_advance_wb_err(struct file *file)\n{\n\tspin_unlock(&file->f_lock);\n\treturn 0;\n}\n");
    let mut m = Cells::new(4);
    assert_eq!(
        fault_of(unlock.file_check_and_advance_wb_err(&mut m, Addr(0), FILE)),
        (12, 2, FaultKind::UnlockNotHeld)
    );
    let twice = program("int file_check_and_advance_wb_err(struct file *file)\n{\n\tspin_lock(&file->f_lock);\n\tspin_lock(&file->f_lock);\n\treturn 0;\n}\n");
    let mut m = Cells::new(4);
    assert_eq!(
        fault_of(twice.file_check_and_advance_wb_err(&mut m, Addr(0), FILE)),
        (13, 2, FaultKind::SelfDeadlock)
    );
    let held = program("int file_check_and_advance_wb_err(struct file *file)\n{\n\tspin_lock(&file->f_lock);\n\treturn 0;\n}\n");
    let mut m = Cells::new(4);
    assert_eq!(
        fault_of(held.file_check_and_advance_wb_err(&mut m, Addr(0), FILE)),
        (13, 2, FaultKind::ReturnHoldingLock)
    );
}

#[test]
fn arithmetic_faults() {
    let div = program(
        "int errseq_check(errseq_t *eseq, errseq_t since)\n{\n\treturn since / (since - since);\n}\n",
    );
    let mut m = Cells::new(4);
    assert_eq!(fault_of(div.check(&mut m, Addr(0), 3)), (12, 15, FaultKind::DivisionByZero));
}

#[test]
fn bad_shifts_and_returns_fault() {
    let p = program("int errseq_check(errseq_t *eseq, errseq_t since)\n{\n\tint by = since;\n\treturn (1 << by) & 0;\n}\n");
    let mut m = Cells::new(4);
    assert_eq!(fault_of(p.check(&mut m, Addr(0), 40)), (13, 12, FaultKind::BadShift { by: 40 }));
    assert_eq!(fault_of(p.check(&mut m, Addr(0), (-1i32) as u32)), (13, 12, FaultKind::BadShift { by: -1 }));
    assert_eq!(errseq::complete(p.check(&mut m, Addr(0), 31)), Ok(errseq::Ret::OK));
    let r = program("int errseq_check(errseq_t *eseq, errseq_t since)\n{\n\treturn since;\n}\n");
    assert_eq!(fault_of(r.check(&mut m, Addr(0), 1)), (12, 2, FaultKind::BadReturn { value: 1 }));
    assert_eq!(
        fault_of(r.check(&mut m, Addr(0), (-4096i32) as u32)),
        (12, 2, FaultKind::BadReturn { value: -4096 })
    );
    assert_eq!(errseq::complete(r.check(&mut m, Addr(0), (-5i32) as u32)), Ok(errseq::Ret::err(Errno::EIO)));
    // A constant division by zero is caught before running.
    has(
        &errors("int errseq_check(errseq_t *e, errseq_t s) { return 1 / 0; }\n"),
        "10:54",
        "division by zero",
    );
}

/// Faults and stops are told apart: a driver that stops the task before a
/// step gets its stop back, never a fault.
#[test]
fn stops_pass_through() {
    struct Never;
    impl Memory for Never {
        type Stop = ();
        fn step(&mut self, _: errseq::Action) -> Result<u32, ()> {
            Err(())
        }
    }
    let p = program("");
    assert_eq!(p.check(&mut Never, Addr(0), 0), Err(()));
    assert_eq!(p.set(&mut Never, Addr(0), Errno::EIO), Err(()));
}

/// The example at the top of docs/scheme-language.md compiles, and makes
/// the steps it says.
#[test]
fn the_documented_example_compiles() {
    let doc = include_str!("../../../docs/scheme-language.md");
    let code = doc.split("```c\n").nth(1).and_then(|s| s.split("```").next()).expect("a C block");
    let p = compile(code, 1, Scheme::Linux417).unwrap_or_else(|d| panic!("{d:#?}"));
    let mut cells = Cells::new(4);
    cells.0[0] = 0x0005;
    let mut m = errseq::Recorder::new(&mut cells);
    assert_eq!(
        errseq::complete(p.check_and_advance(&mut m, Addr(0), Addr(1))),
        Ok(errseq::Ret::err(Errno::EIO))
    );
    let steps: Vec<errseq::Action> = m.steps.iter().map(|(a, _)| *a).collect();
    assert_eq!(
        steps,
        [
            errseq::Action::Load(Addr(0)),
            errseq::Action::Load(Addr(1)),
            errseq::Action::Cmpxchg { at: Addr(0), old: 5, new: 0x1005 },
            errseq::Action::Store(Addr(1), 0x1005)
        ]
    );
}
