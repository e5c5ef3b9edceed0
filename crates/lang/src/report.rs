//! The diagnostics of one compilation, collected as they are found.

use alloc::string::String;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity, Site};

/// At most this many diagnostics are kept: past it, more would only
/// repeat the first mistakes.
pub const MAX_DIAGNOSTICS: usize = 50;

#[derive(Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn error(&mut self, site: Site, message: impl Into<String>) {
        self.push(site, Severity::Error, message.into());
    }

    pub fn warn(&mut self, site: Site, message: impl Into<String>) {
        self.push(site, Severity::Warning, message.into());
    }

    fn push(&mut self, site: Site, severity: Severity, message: String) {
        if self.diagnostics.len() < MAX_DIAGNOSTICS {
            self.diagnostics.push(Diagnostic { site, severity, message });
        }
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn full(&self) -> bool {
        self.diagnostics.len() >= MAX_DIAGNOSTICS
    }
}
