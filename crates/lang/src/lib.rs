//! The scheme language: how a kernel developer writes a proposed change
//! to errseq_t in the playground, and how the model runs it.
//!
//! A scheme is a small C file in the style of lib/errseq.c: definitions of
//! some of the five entry points (`errseq_set`, `errseq_sample`,
//! `errseq_check`, `errseq_check_and_advance`, and the VFS glue's
//! `file_check_and_advance_wb_err`), `static` helpers, and `#define`s.
//! Whatever it does not define it inherits from its base, a built-in
//! scheme whose own source is written in the same language ([`bases`]).
//!
//! The design follows the built-in schemes of crate `errseq`: the only
//! shared memory is the word and the cursor (and `f_lock`), and every
//! access to it is one atomic step, an [`errseq::Action`] passed to
//! [`errseq::Memory::step`] (or [`errseq::Memory::ignoring`] when the
//! source drops the value, as for a bare `cmpxchg(...);`). So the explorer
//! interleaves a written scheme's steps exactly as it does a built-in's,
//! and a scheme written like the built-in makes the very same steps (the
//! crate's differential tests hold each base's source to that).
//!
//! The pipeline: text → tokens ([`lex`]) → syntax tree ([`parse`]) →
//! checked register code ([`compile`](mod@compile), [`ir`]) → [`Program`],
//! whose calls run in the interpreter ([`run`]). Errors are values:
//! [`Diagnostic`]s with line:col before running, a [`Fault`] with line:col
//! from a run (an endless loop, a lock misused, a division by zero, a check
//! returning something other than 0 or -errno). Hostile text is bounded:
//! [`MAX_SOURCE`] bytes, [`parse::MAX_DEPTH`] levels of nesting, at most
//! [`run::LOOP_BUDGET`] loop rounds per call.
//!
//! `no_std` with `alloc`, like crate `errseq`, so it runs in the Stress
//! view's workers too.

#![cfg_attr(not(test), no_std)]

extern crate alloc;

pub mod ast;
pub mod bases;
mod compile;
mod consts;
pub mod diag;
mod entry;
pub mod ir;
pub mod lex;
pub mod parse;
mod program;
mod report;
pub mod run;
mod suggest;
mod types;

use alloc::format;
use alloc::vec::Vec;

pub use bases::{base_source, is_base, Starter, STARTERS};
pub use diag::{Diagnostic, Fault, FaultKind, Origin, Severity, Site, Span};
pub use program::{Call, Program, WordLayout};
pub use run::{Observer, Unobserved, LOOP_BUDGET};

/// The longest scheme text accepted, in bytes.
pub const MAX_SOURCE: usize = 64 * 1024;

/// The entry points' names, in the order the model calls them.
pub fn entry_points() -> impl Iterator<Item = &'static str> {
    entry::ENTRIES.iter().map(|e| e.name)
}

/// Checks and compiles a scheme's text over `base`'s built-in source.
/// `first_line` is the line the text starts on in the caller's file (the
/// scenario), so every position reported is a line of that file.
///
/// On success, the program carries any warnings ([`Program::warnings`]);
/// on failure, every diagnostic found, errors and warnings, in order of
/// position.
pub fn compile(src: &str, first_line: u32, base: errseq::Scheme) -> Result<Program, Vec<Diagnostic>> {
    let mut report = report::Report::default();
    let start = Site { span: Span { line: first_line, col: 1, len: 1 }, origin: Origin::Scheme };
    let Some(base_text) = base_source(base) else {
        let list: Vec<&str> = STARTERS.iter().map(|s| s.base.id()).collect();
        report.error(
            start,
            format!(
                "a scheme cannot start from {base}: it has no errseq_t word functions; start from {}",
                list.join(", ")
            ),
        );
        return Err(report.diagnostics);
    };
    if src.len() > MAX_SOURCE {
        report.error(
            start,
            format!("the scheme is {} bytes long; at most {MAX_SOURCE} are accepted", src.len()),
        );
        return Err(report.diagnostics);
    }
    let unit = |text: &str, line: u32, origin: Origin, report: &mut report::Report| {
        let toks = lex::lex(text, line, origin, report);
        parse::parse(toks, origin, report)
    };
    let scheme = unit(src, first_line, Origin::Scheme, &mut report);
    let base_unit = unit(base_text, 1, Origin::Base(base), &mut report);
    let layout = unit(consts::LAYOUT, 1, Origin::Base(base), &mut report);
    let compiled = compile::compile(&scheme, &base_unit, Origin::Base(base), &layout, &mut report);
    let mut diags = report.diagnostics;
    diags.sort_by_key(|d| (d.site.origin != Origin::Scheme, d.site.span));
    match compiled {
        Some(c) if !diags.iter().any(Diagnostic::is_error) => Ok(Program::new(base, c, diags)),
        _ => Err(diags),
    }
}
