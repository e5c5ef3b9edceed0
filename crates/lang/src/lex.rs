//! Text to tokens: C's identifiers, integer literals, strings (for WARN's
//! format only), operators and comments, plus the preprocessor lines the
//! language keeps (`#define`, and `#include`, which is skipped).
//!
//! A directive's tokens end with [`Tok::EndLine`], so the parser knows
//! where a `#define` body stops; everywhere else newlines are blanks.

use alloc::string::String;
use alloc::vec::Vec;

use crate::diag::{Origin, Site, Span};
use crate::report::Report;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    Ident(String),
    /// A literal's value, and whether it is unsigned (a `u` suffix, or a
    /// hex/octal literal too large for `int`, as in C).
    Int(u32, bool),
    Str,
    Punct(&'static str),
    /// `#` starting a directive line.
    Hash,
    /// The end of a directive line.
    EndLine,
    Eof,
}

#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
    /// Whether blanks come right before it (`NAME(` vs `NAME (` in a
    /// `#define`).
    pub glued: bool,
}

/// Operators, longest first so the scan takes the longest match.
const PUNCTS: [&str; 47] = [
    "<<=", ">>=", "...", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=", "*=",
    "/=", "%=", "&=", "|=", "^=", "+", "-", "*", "/", "%", "&", "|", "^", "~", "!", "<", ">", "=", "?", ":",
    ";", ",", "(", ")", "{", "}", "[", "]", ".", "#",
];

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    line: u32,
    col: u32,
    origin: Origin,
    in_directive: bool,
    at_line_start: bool,
}

/// Splits `src` into tokens. Line numbers start at `first_line`.
pub fn lex(src: &str, first_line: u32, origin: Origin, report: &mut Report) -> Vec<Token> {
    let mut lx =
        Lexer { src, pos: 0, line: first_line, col: 1, origin, in_directive: false, at_line_start: true };
    let mut out = Vec::new();
    loop {
        let glued = !lx.skip_blanks(report);
        if lx.in_directive && (lx.peek() == Some('\n') || lx.peek().is_none()) {
            out.push(Token { tok: Tok::EndLine, span: lx.span_here(1), glued });
            lx.in_directive = false;
            continue;
        }
        let Some(c) = lx.peek() else {
            out.push(Token { tok: Tok::Eof, span: lx.span_here(1), glued });
            return out;
        };
        let (line, col, start) = (lx.line, lx.col, lx.pos);
        let tok = if c == '#' && lx.at_line_start {
            lx.bump();
            lx.in_directive = true;
            Some(Tok::Hash)
        } else if c.is_ascii_alphabetic() || c == '_' {
            let word = lx.take_while(|c| c.is_ascii_alphanumeric() || c == '_');
            Some(Tok::Ident(String::from(word)))
        } else if c.is_ascii_digit() {
            lx.number(report)
        } else if c == '"' {
            lx.string(report)
        } else if let Some(p) = PUNCTS.iter().find(|p| lx.src[lx.pos..].starts_with(**p)) {
            for _ in 0..p.len() {
                lx.bump();
            }
            Some(Tok::Punct(p))
        } else {
            lx.bump();
            report
                .error(lx.site(line, col, 1), alloc::format!("unexpected character `{}`", c.escape_debug()));
            None
        };
        lx.at_line_start = false;
        if let Some(tok) = tok {
            let len = lx.src[start..lx.pos].chars().count().max(1) as u32;
            out.push(Token { tok, span: Span { line, col, len }, glued });
        }
    }
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn peek2(&self) -> Option<char> {
        self.src[self.pos..].chars().nth(1)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line = self.line.saturating_add(1);
            self.col = 1;
            self.at_line_start = true;
        } else {
            self.col = self.col.saturating_add(1);
        }
        Some(c)
    }

    fn take_while(&mut self, f: impl Fn(char) -> bool) -> &str {
        let start = self.pos;
        while self.peek().is_some_and(&f) {
            self.bump();
        }
        &self.src[start..self.pos]
    }

    fn site(&self, line: u32, col: u32, len: u32) -> Site {
        Site { span: Span { line, col, len }, origin: self.origin }
    }

    fn span_here(&self, len: u32) -> Span {
        Span { line: self.line, col: self.col, len }
    }

    /// Skips blanks and comments; returns whether it skipped anything. In
    /// a directive a newline is not a blank (a backslash before it is).
    fn skip_blanks(&mut self, report: &mut Report) -> bool {
        let start = self.pos;
        loop {
            match (self.peek(), self.peek2()) {
                (Some('\n'), _) if self.in_directive => break,
                (Some('\\'), Some('\n')) if self.in_directive => {
                    self.bump();
                    self.bump();
                }
                (Some(c), _) if c.is_whitespace() => {
                    let keep = self.at_line_start;
                    self.bump();
                    // Indentation before `#` still counts as line start.
                    self.at_line_start |= keep;
                }
                (Some('/'), Some('/')) => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                (Some('/'), Some('*')) => {
                    let (line, col) = (self.line, self.col);
                    self.bump();
                    self.bump();
                    loop {
                        match (self.peek(), self.peek2()) {
                            (Some('*'), Some('/')) => {
                                self.bump();
                                self.bump();
                                break;
                            }
                            (Some(_), _) => {
                                self.bump();
                            }
                            (None, _) => {
                                report
                                    .error(self.site(line, col, 2), "this comment is never closed: add `*/`");
                                break;
                            }
                        }
                    }
                }
                _ => break,
            }
        }
        self.pos != start
    }

    fn number(&mut self, report: &mut Report) -> Option<Tok> {
        let (line, col) = (self.line, self.col);
        let text = String::from(self.take_while(|c| c.is_ascii_alphanumeric() || c == '_'));
        let text = text.as_str();
        let digits = text.trim_end_matches(['u', 'U', 'l', 'L']);
        let suffix = &text[digits.len()..];
        let unsigned_suffix = suffix.contains(['u', 'U']);
        let (radix, body) = if let Some(h) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
            (16, h)
        } else if digits.len() > 1 && digits.starts_with('0') {
            (8, &digits[1..])
        } else {
            (10, digits)
        };
        let len = text.chars().count() as u32;
        let value = if body.is_empty() { None } else { u64::from_str_radix(body, radix).ok() };
        let Some(value) = value else {
            report.error(self.site(line, col, len), alloc::format!("`{text}` is not a number"));
            return None;
        };
        let Ok(v) = u32::try_from(value) else {
            report.error(
                self.site(line, col, len),
                alloc::format!("`{text}` does not fit in 32 bits: every value here is 32-bit"),
            );
            return None;
        };
        // C: a decimal literal too large for int would be long; here it is
        // unsigned int. Hex and octal ones become unsigned int, as in C.
        Some(Tok::Int(v, unsigned_suffix || v > i32::MAX as u32))
    }

    fn string(&mut self, report: &mut Report) -> Option<Tok> {
        let (line, col) = (self.line, self.col);
        self.bump();
        loop {
            match self.peek() {
                Some('"') => {
                    self.bump();
                    return Some(Tok::Str);
                }
                Some('\\') => {
                    self.bump();
                    self.bump();
                }
                Some('\n') | None => {
                    report.error(self.site(line, col, 1), "this string is never closed: add `\"`");
                    return None;
                }
                Some(_) => {
                    self.bump();
                }
            }
        }
    }
}
