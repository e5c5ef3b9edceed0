//! Everything `errseq` prints goes through [`Out`]: standard output and
//! standard error, locked and buffered, every byte made inert
//! ([`errseq_scenario::inert`]: a title's ESC sequences are shown, not
//! obeyed), and write errors handled as values, never a panic.
//!
//! What a failed write does, as coreutils and git do:
//!
//! - **A closed pipe** (`EPIPE`: `errseq run f | head -1`): nothing more is
//!   written, nothing is said, and the exit status is 141, what a shell
//!   shows for a program killed by SIGPIPE. Rust ignores SIGPIPE, so the
//!   write fails instead of killing us; we exit with the status a reader
//!   of pipelines expects, after the command has cleaned up (the oracle
//!   unmounts what it mounted).
//! - **Any other write error** (`ENOSPC` on `> /dev/full`, `EIO`): one line
//!   on standard error, `errseq: cannot write to standard output: …`,
//!   and exit status 74 (`EX_IOERR` of sysexits.h).
//!
//! The first failure sticks: later writes are skipped, and a long command
//! can ask [`Out::failed`] to stop early.

use std::io::{self, BufWriter, ErrorKind, StderrLock, StdoutLock, Write};
use std::process::ExitCode;

use errseq_scenario::inert;

/// Exit status after standard output or error was closed under us.
pub const CLOSED_STATUS: u8 = 141;
/// Exit status after any other write error.
pub const WRITE_ERROR_STATUS: u8 = 74;

/// A write that failed, and on which stream.
enum Failure {
    Closed,
    Error { stream: &'static str, error: io::Error },
}

pub struct Out {
    stdout: BufWriter<StdoutLock<'static>>,
    stderr: StderrLock<'static>,
    failure: Option<Failure>,
}

impl Out {
    pub fn new() -> Out {
        Out {
            stdout: BufWriter::with_capacity(64 * 1024, io::stdout().lock()),
            stderr: io::stderr().lock(),
            failure: None,
        }
    }

    /// Whether a write has failed (later output is dropped).
    pub fn failed(&self) -> bool {
        self.failure.is_some()
    }

    fn note(&mut self, stream: &'static str, e: io::Error) {
        if self.failure.is_none() {
            self.failure = Some(match e.kind() {
                ErrorKind::BrokenPipe => Failure::Closed,
                _ => Failure::Error { stream, error: e },
            });
        }
    }

    /// `s` on standard output, inert.
    pub fn print(&mut self, s: &str) {
        if self.failure.is_some() {
            return;
        }
        if let Err(e) = self.stdout.write_all(inert(s).as_bytes()) {
            self.note("standard output", e);
        }
    }

    /// `s` and a newline on standard output.
    pub fn println(&mut self, s: &str) {
        self.print(s);
        self.print("\n");
    }

    /// `s` and a newline on standard error, inert. Standard output is
    /// flushed first, so the two read in order on one terminal.
    pub fn eprintln(&mut self, s: &str) {
        self.flush();
        if self.failure.is_some() {
            return;
        }
        let line = format!("{}\n", inert(s));
        if let Err(e) = self.stderr.write_all(line.as_bytes()).and_then(|()| self.stderr.flush()) {
            self.note("standard error", e);
        }
    }

    fn flush(&mut self) {
        if self.failure.is_none() {
            if let Err(e) = self.stdout.flush() {
                self.note("standard output", e);
            }
        }
    }

    /// Flushes and turns the command's status into the process's: the
    /// command's own when every write succeeded, else 141 or 74 (see the
    /// module documentation).
    pub fn finish(mut self, status: ExitCode) -> ExitCode {
        self.flush();
        match self.failure.take() {
            None => status,
            Some(Failure::Closed) => ExitCode::from(CLOSED_STATUS),
            Some(Failure::Error { stream, error }) => {
                // Best effort: if standard error is what failed, there is
                // nowhere left to say it.
                let _ = writeln!(self.stderr, "errseq: cannot write to {stream}: {error}");
                ExitCode::from(WRITE_ERROR_STATUS)
            }
        }
    }
}

/// `outln!(out, "...", args)`: a formatted line on standard output.
macro_rules! outln {
    ($out:expr) => { $out.println("") };
    ($out:expr, $($arg:tt)*) => { $out.println(&format!($($arg)*)) };
}

/// `errln!(out, "...", args)`: a formatted line on standard error.
macro_rules! errln {
    ($out:expr, $($arg:tt)*) => { $out.eprintln(&format!($($arg)*)) };
}

pub(crate) use {errln, outln};
