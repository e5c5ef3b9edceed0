//! [`Scenario`] to canonical text.
//!
//! Headers first (title, schemes, fs) under the comments that stood among
//! them, a blank line, then the body: one statement a line, `par` bodies
//! indented by two spaces, a trailing comment two spaces after the code;
//! sync_file_range's flags in the kernel's order (none for all three).
//! Parsing the output gives back an equal scenario (see the property tests).

use std::fmt::{self, Write};

use crate::ast::{CallRef, Claim, Event, Expect, Item, Outcome, Pages, Scenario, Stmt, SyncRange};

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = self.verb();
        match self {
            Event::Open { fd, file, flags } => {
                write!(f, "{verb} {fd} {file}")?;
                for w in flags.words() {
                    write!(f, " {w}")?;
                }
                Ok(())
            }
            Event::Dup { new, fd } => write!(f, "{verb} {new} {fd}"),
            Event::Write { fd, page, rwf } => {
                write!(f, "{verb} {fd}")?;
                if *page != 0 {
                    write!(f, " {page}")?;
                }
                match rwf {
                    Some(r) => write!(f, " {}", r.word()),
                    None => Ok(()),
                }
            }
            Event::Fail { file, errno, pages } => {
                write!(f, "{verb} {file} {errno}")?;
                write_pages(f, *pages)
            }
            Event::Error { file, errno } => write!(f, "{verb} {file} {errno}"),
            Event::Heal { file, pages } => {
                write!(f, "{verb} {file}")?;
                write_pages(f, *pages)
            }
            Event::MmapWrite { fd, page: 0 } | Event::Read { fd, page: 0 } => write!(f, "{verb} {fd}"),
            Event::MmapWrite { fd, page } | Event::Read { fd, page } => write!(f, "{verb} {fd} {page}"),
            Event::Close { fd }
            | Event::Fsync { fd }
            | Event::Fdatasync { fd }
            | Event::Syncfs { fd }
            | Event::Msync { fd } => {
                write!(f, "{verb} {fd}")
            }
            // Bare for all three steps, so old texts print as they did.
            Event::SyncFileRange { fd, flags } if *flags == SyncRange::ALL => write!(f, "{verb} {fd}"),
            // No step has no text; `NONE` fails to parse rather than read
            // back as all three (see `SyncRange`).
            Event::SyncFileRange { fd, flags } if !flags.is_valid() => write!(f, "{verb} {fd} NONE"),
            Event::SyncFileRange { fd, flags } => {
                write!(f, "{verb} {fd}")?;
                for w in flags.flag_words() {
                    write!(f, " {w}")?;
                }
                Ok(())
            }
            Event::Writeback { file } | Event::Flush { file } | Event::Evict { file } => {
                write!(f, "{verb} {file}")
            }
            Event::Sync => write!(f, "{verb}"),
        }
    }
}

/// ` N` or ` N..M` (an `N..N` range prints as `N`); nothing for the whole file.
fn write_pages(f: &mut fmt::Formatter<'_>, pages: Option<Pages>) -> fmt::Result {
    match pages {
        None => Ok(()),
        Some(p) if p.first == p.last => write!(f, " {}", p.first),
        Some(p) => write!(f, " {}..{}", p.first, p.last),
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Is(r) => write!(f, "{r}"),
            Outcome::AnyOf(set) => {
                f.write_char('{')?;
                for (i, r) in set.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{r}")?;
                }
                f.write_char('}')
            }
        }
    }
}

/// The part after `=> `.
impl fmt::Display for Expect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if let Some(o) = &self.default {
            write!(f, "{o}")?;
            sep = " ";
        }
        for (name, o) in &self.overrides {
            write!(f, "{sep}{name}={o}")?;
            sep = " ";
        }
        Ok(())
    }
}

impl fmt::Display for Stmt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.event)?;
        if let Some(l) = &self.label {
            write!(f, " as {l}")?;
        }
        if let Some(e) = &self.expect {
            write!(f, " => {e}")?;
        }
        comment(f, self.comment.as_deref(), "  ")
    }
}

impl fmt::Display for CallRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallRef::Label(l) => write!(f, "{l}"),
            CallRef::Call(e) => write!(f, "{e}"),
        }
    }
}

/// `never fsync a = EIO, fsync b = 0 for linux-4.13  # note`.
impl fmt::Display for Claim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.keyword())?;
        for (i, c) in self.conds.iter().enumerate() {
            let sep = if i == 0 { " " } else { ", " };
            write!(f, "{sep}{} = {}", c.call, c.outcome)?;
        }
        if !self.schemes.is_empty() {
            f.write_str(" for")?;
            for s in &self.schemes {
                write!(f, " {s}")?;
            }
        }
        comment(f, self.comment.as_deref(), "  ")
    }
}

fn comment(f: &mut impl Write, text: Option<&str>, gap: &str) -> fmt::Result {
    match text {
        Some("") => write!(f, "{gap}#"),
        Some(t) => write!(f, "{gap}# {t}"),
        None => Ok(()),
    }
}

fn write_items(f: &mut fmt::Formatter<'_>, items: &[Item], indent: &str) -> fmt::Result {
    for item in items {
        match item {
            Item::Stmt(s) => writeln!(f, "{indent}{s}")?,
            Item::Claim(c) => writeln!(f, "{indent}{c}")?,
            Item::Note(text) => {
                f.write_str(indent)?;
                comment(f, Some(text), "")?;
                writeln!(f)?;
            }
            Item::Gap => writeln!(f)?,
            Item::Scheme(block) => {
                write!(f, "{indent}scheme {} from {}", block.name, block.base)?;
                comment(f, block.comment.as_deref(), "  ")?;
                writeln!(f)?;
                for line in &block.lines {
                    writeln!(f, "{line}")?;
                }
                writeln!(f, "{indent}end")?;
            }
            Item::Par(par) => {
                write!(f, "{indent}par")?;
                comment(f, par.comment.as_deref(), "  ")?;
                writeln!(f)?;
                write_items(f, &par.items, "  ")?;
                writeln!(f, "{indent}end")?;
            }
        }
    }
    Ok(())
}

/// The canonical text.
impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for note in &self.head_notes {
            comment(f, Some(note), "")?;
            writeln!(f)?;
        }
        let mut head = !self.head_notes.is_empty();
        if let Some(t) = &self.title {
            writeln!(f, "title: {t}")?;
            head = true;
        }
        if let Some(list) = &self.schemes {
            let ids: Vec<&str> = list.iter().map(|s| s.as_str()).collect();
            writeln!(f, "schemes: {}", ids.join(" "))?;
            head = true;
        }
        if let Some(fs) = self.fs {
            writeln!(f, "fs: {}", fs.id())?;
            head = true;
        }
        if head && !self.body.is_empty() {
            writeln!(f)?;
        }
        write_items(f, &self.body, "")
    }
}
