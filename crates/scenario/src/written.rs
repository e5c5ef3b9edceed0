//! A scheme block, checked and compiled by the scheme language
//! (`errseq_lang`), its diagnostics turned into the scenario's.
//!
//! The block's lines reach the compiler as written, starting at the
//! scenario's line of the block's first line, so a position in the
//! user's C is already a position in the scenario. A problem the
//! compiler finds in the base's own source (which the scheme inherits:
//! a redefined constant can break it) has no place in the scenario's
//! text; it is reported at the `scheme` line, naming the base's line.

use errseq_lang::{Origin, Severity as LangSeverity};

use crate::ast::SchemeBlock;
use crate::check::WrittenScheme;
use crate::diag::{Diagnostic, Severity, Span};
use crate::parse::SchemeSource;

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
