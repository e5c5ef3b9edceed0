//! Running the `errseq` binary from the CLI's integration tests, one way
//! for every test file.
#![allow(dead_code)] // each test file uses its own part of it

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// `errseq ARGS`, with `stdin` as its input, `ERRSEQ_BASE` unset.
pub fn errseq(args: &[&str], stdin: Option<&str>) -> Output {
    errseq_with(args, stdin, None)
}

/// `errseq` with `ERRSEQ_BASE` set to `base`, or unset.
pub fn errseq_with(args: &[&str], stdin: Option<&str>, base: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_errseq"));
    match base {
        Some(b) => command.env("ERRSEQ_BASE", b),
        None => command.env_remove("ERRSEQ_BASE"),
    };
    let mut child = command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run errseq");
    if let Some(text) = stdin {
        // A usage error exits before reading: a broken pipe here is fine.
        let _ = child.stdin.take().expect("stdin").write_all(text.as_bytes());
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("errseq output")
}

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
