//! A scheme block, checked and compiled by the scheme language
//! (`errseq_lang`), its diagnostics turned into the scenario's.
//!
//! The block's lines reach the compiler as written, starting at the
//! scenario's line of the block's first line, so a position in the
//! user's C is already a position in the scenario. A problem the
//! compiler finds in the base's own source (which the scheme inherits:
//! a redefined constant can break it) has no place in the scenario's
//! text; it is reported at the `scheme` line, naming the base's line.
//!
//! Who compiles is the caller's choice, at compile time ([`Compiler`]):
//! [`crate::parse`] compiles every block ([`Lang`]); the page's first
//! load, which must not carry the scheme language's compiler and
//! interpreter (they are its deferred module's), checks the rest of a
//! text with [`crate::parse_leaving_schemes`] ([`Leave`]), which never
//! names `errseq_lang::compile`, so the linker drops it. Every other rule
//! of the checker is the same code either way.

use errseq_lang::{Origin, Severity as LangSeverity};

use crate::ast::SchemeBlock;
use crate::check::WrittenScheme;
use crate::diag::{Diagnostic, Severity, Span};
use crate::parse::SchemeSource;

/// What the checker does with a scheme block's C.
pub trait Compiler {
    /// The block's compiled scheme and its warnings, `None` when the
    /// block is left uncompiled, or every problem.
    #[allow(clippy::type_complexity)]
    fn compile(
        block: &SchemeBlock,
        src: &SchemeSource,
    ) -> Result<Option<(WrittenScheme, Vec<Diagnostic>)>, Vec<Diagnostic>>;
}

/// Compiles each block with the scheme language.
pub enum Lang {}

impl Compiler for Lang {
    fn compile(
        block: &SchemeBlock,
        src: &SchemeSource,
    ) -> Result<Option<(WrittenScheme, Vec<Diagnostic>)>, Vec<Diagnostic>> {
        compile(block, src).map(Some)
    }
}

/// Leaves each block's C unread: its name, base and place are checked by
/// the parser; its C is someone else's to compile (the page's deferred
/// module).
pub enum Leave {}

impl Compiler for Leave {
    fn compile(
        _: &SchemeBlock,
        _: &SchemeSource,
    ) -> Result<Option<(WrittenScheme, Vec<Diagnostic>)>, Vec<Diagnostic>> {
        Ok(None)
    }
}

/// Compiles one block: the program and its warnings, or every problem.
pub(crate) fn compile(
    block: &SchemeBlock,
    src: &SchemeSource,
) -> Result<(WrittenScheme, Vec<Diagnostic>), Vec<Diagnostic>> {
    let text = block.source();
    match errseq_lang::compile(&text, src.first_line, block.base) {
        Ok(program) => {
            let warnings = program.warnings().iter().map(|d| diagnostic(d, src)).collect();
            Ok((WrittenScheme { name: block.name, program, line: src.keyword.line }, warnings))
        }
        Err(diags) => Err(diags.iter().map(|d| diagnostic(d, src)).collect()),
    }
}

/// One of the scheme language's diagnostics, as the scenario's.
pub(crate) fn diagnostic(d: &errseq_lang::Diagnostic, src: &SchemeSource) -> Diagnostic {
    let severity = match d.severity {
        LangSeverity::Error => Severity::Error,
        LangSeverity::Warning => Severity::Warning,
    };
    let s = d.site.span;
    let (span, message) = match d.site.origin {
        Origin::Scheme => (Span::new(s.line, s.col, s.len), d.message.clone()),
        Origin::Base(base) => (
            src.keyword,
            format!(
                "in {base}'s own source, which this scheme inherits, at its line {}:{}: {}",
                s.line, s.col, d.message
            ),
        ),
    };
    Diagnostic { span, severity, message }
}
