//! Tokens to a syntax tree: recursive descent over C's grammar, cut down
//! to what the language has. Every error is reported with its position and
//! the parser resynchronises at the next `;` or `}`, so one slip does not
//! hide the rest. Nesting deeper than [`MAX_DEPTH`] stops the parse (a
//! hostile text cannot exhaust the stack).

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::ast::*;
use crate::diag::{Origin, Site, Span};
use crate::lex::{Tok, Token};
use crate::report::Report;

/// Deepest nesting of statements and expressions accepted.
pub const MAX_DEPTH: u32 = 64;

/// Words that start a type.
/// Words that start a type (the 64-, 16- and 8-bit ones only to say
/// they are not here).
const TYPE_WORDS: [&str; 19] = [
    "u32",
    "errseq_t",
    "unsigned",
    "int",
    "signed",
    "bool",
    "void",
    "struct",
    "const",
    "spinlock_t",
    "long",
    "short",
    "char",
    "u64",
    "u16",
    "u8",
    "s32",
    "s64",
    "size_t",
];

pub fn is_type_word(w: &str) -> bool {
    TYPE_WORDS.contains(&w)
}

struct Parser<'r> {
    toks: Vec<Token>,
    pos: usize,
    origin: Origin,
    report: &'r mut Report,
    depth: u32,
    /// Set when the text nests too deeply: everything unwinds.
    bail: bool,
}

/// Parses one source text's tokens (see [`crate::lex::lex`]).
pub fn parse(toks: Vec<Token>, origin: Origin, report: &mut Report) -> Unit {
    let mut p = Parser { toks, pos: 0, origin, report, depth: 0, bail: false };
    let mut unit = Unit::default();
    while !p.bail && !p.report.full() && p.peek() != &Tok::Eof {
        let before = p.pos;
        p.top_level(&mut unit);
        if p.pos == before {
            p.pos += 1;
        }
    }
    unit
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        self.toks.get(self.pos).map_or(&Tok::Eof, |t| &t.tok)
    }

    fn peek_at(&self, n: usize) -> &Tok {
        self.toks.get(self.pos + n).map_or(&Tok::Eof, |t| &t.tok)
    }

    fn span(&self) -> Span {
        match self.toks.get(self.pos).or(self.toks.last()) {
            Some(t) => t.span,
            None => Span { line: 1, col: 1, len: 1 },
        }
    }

    fn prev_span(&self) -> Span {
        self.toks.get(self.pos.saturating_sub(1)).map_or_else(|| self.span(), |t| t.span)
    }

    fn site(&self, span: Span) -> Site {
        Site { span, origin: self.origin }
    }

    fn advance(&mut self) {
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
    }

    fn is(&self, p: &str) -> bool {
        matches!(self.peek(), Tok::Punct(q) if *q == p)
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Ident(s) if s == w)
    }

    fn eat(&mut self, p: &str) -> bool {
        let yes = self.is(p);
        if yes {
            self.advance();
        }
        yes
    }

    fn eat_word(&mut self, w: &str) -> bool {
        let yes = self.is_word(w);
        if yes {
            self.advance();
        }
        yes
    }

    fn describe(&self) -> String {
        match self.peek() {
            Tok::Ident(s) => format!("`{s}`"),
            Tok::Int(..) => String::from("a number"),
            Tok::Str => String::from("a string"),
            Tok::Punct(p) => format!("`{p}`"),
            Tok::Hash => String::from("`#`"),
            Tok::EndLine => String::from("the end of the line"),
            Tok::Eof => String::from("the end of the text"),
        }
    }

    fn error_here(&mut self, message: String) {
        if self.bail {
            return;
        }
        let site = self.site(self.span());
        self.report.error(site, message);
    }

    fn expect(&mut self, p: &str, after: &str) -> bool {
        if self.eat(p) {
            return true;
        }
        let found = self.describe();
        self.error_here(format!("expected `{p}` {after}, found {found}"));
        false
    }

    fn ident(&mut self, what: &str) -> Option<(String, Span)> {
        if let Tok::Ident(s) = self.peek() {
            let s = s.clone();
            let span = self.span();
            self.advance();
            return Some((s, span));
        }
        let found = self.describe();
        self.error_here(format!("expected {what}, found {found}"));
        None
    }

    /// Skips to just past the next `;`, or to the next `}` (not eaten).
    fn synchronize(&mut self) {
        loop {
            match self.peek() {
                Tok::Eof => return,
                Tok::Punct("}") => return,
                Tok::Punct(";") => {
                    self.advance();
                    return;
                }
                _ => self.advance(),
            }
        }
    }

    fn enter(&mut self) -> bool {
        self.depth += 1;
        if self.depth > MAX_DEPTH && !self.bail {
            self.error_here(format!(
                "nested more than {MAX_DEPTH} levels deep: split it into smaller pieces"
            ));
            self.bail = true;
        }
        !self.bail
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    // ---- top level -------------------------------------------------------

    fn top_level(&mut self, unit: &mut Unit) {
        if self.eat_punct_hash() {
            self.directive(unit);
            return;
        }
        if self.is_word("EXPORT_SYMBOL") || self.is_word("EXPORT_SYMBOL_GPL") {
            // Pasted kernel text: exporting changes nothing here.
            self.synchronize();
            return;
        }
        if let Some(f) = self.function() {
            unit.functions.push(f);
        }
    }

    fn eat_punct_hash(&mut self) -> bool {
        let yes = self.peek() == &Tok::Hash;
        if yes {
            self.advance();
        }
        yes
    }

    fn skip_line(&mut self) {
        while !matches!(self.peek(), Tok::EndLine | Tok::Eof) {
            self.advance();
        }
        self.advance();
    }

    fn directive(&mut self, unit: &mut Unit) {
        let start = self.prev_span();
        match self.peek().clone() {
            Tok::Ident(w) if w == "define" => {
                self.advance();
                self.define(unit);
            }
            Tok::Ident(w) if w == "include" => self.skip_line(),
            _ => {
                self.report.error(
                    self.site(start),
                    "only `#define NAME value` (and `#include`, which is skipped) are understood here",
                );
                self.skip_line();
            }
        }
    }

    fn define(&mut self, unit: &mut Unit) {
        let Some((name, span)) = self.ident("a name after #define") else {
            self.skip_line();
            return;
        };
        if self.is("(") && self.toks.get(self.pos).is_some_and(|t| t.glued) {
            self.report.error(
                self.site(span),
                format!(
                    "`{name}(...)` is a function-like macro, which is not supported: write a static function"
                ),
            );
            self.skip_line();
            return;
        }
        if self.peek() == &Tok::EndLine {
            self.report
                .error(self.site(span), format!("#define {name} needs a value: an integer expression"));
            self.advance();
            return;
        }
        let body = self.expr();
        if self.peek() != &Tok::EndLine && !self.bail {
            let found = self.describe();
            self.error_here(format!("expected the end of #define {name}, found {found}"));
        }
        self.skip_line();
        unit.defines.push(Define { name, span, body });
    }

    fn function(&mut self) -> Option<Function> {
        let start = self.span();
        let mut is_static = false;
        while self.is_word("static") || self.is_word("inline") || self.is_word("__always_inline") {
            is_static |= self.is_word("static");
            self.advance();
        }
        if !matches!(self.peek(), Tok::Ident(w) if is_type_word(w)) {
            let found = self.describe();
            self.report.error(
                self.site(start),
                format!("expected a function definition or `#define`, found {found}"),
            );
            self.synchronize();
            self.eat("}");
            return None;
        }
        let ret = self.ty()?;
        let (name, span) = self.ident("the function's name")?;
        if !self.expect("(", "after the function's name") {
            self.synchronize();
            return None;
        }
        let params = self.params()?;
        if self.eat(";") {
            // A prototype: the definition says it all.
            return None;
        }
        if !self.is("{") {
            self.expect("{", "to start the function's body");
            self.synchronize();
            return None;
        }
        let (body, end) = self.block_body();
        Some(Function { name, span, is_static, ret, params, body, end })
    }

    fn params(&mut self) -> Option<Vec<Param>> {
        let mut params = Vec::new();
        if self.is_word("void") && self.peek_at(1) == &Tok::Punct(")") {
            self.advance();
        }
        if self.eat(")") {
            return Some(params);
        }
        loop {
            let ty = self.ty()?;
            let (name, span) = self.ident("a parameter name")?;
            params.push(Param { name, span, ty });
            if self.eat(")") {
                return Some(params);
            }
            if !self.expect(",", "between parameters") {
                self.synchronize();
                return None;
            }
        }
    }

    /// A type: `u32`, `errseq_t`, `unsigned [int]`, `int`, `bool`, `void`,
    /// `struct file`, `struct address_space`, `spinlock_t`, each with at
    /// most one `*`; `const` is accepted and ignored.
    fn ty(&mut self) -> Option<Ty> {
        let span = self.span();
        while self.eat_word("const") {}
        let Tok::Ident(w) = self.peek().clone() else {
            let found = self.describe();
            self.error_here(format!("expected a type, found {found}"));
            return None;
        };
        self.advance();
        let base = match w.as_str() {
            "u32" | "errseq_t" => Ty::U32,
            "unsigned" => {
                self.eat_word("int");
                Ty::U32
            }
            "signed" => {
                self.eat_word("int");
                Ty::I32
            }
            "int" => Ty::I32,
            "bool" => Ty::Bool,
            "void" => Ty::Void,
            "spinlock_t" => Ty::PLock,
            "struct" => {
                match self.ident("a struct name").map(|(s, _)| s).as_deref() {
                    Some("file") => Ty::PFile,
                    Some("address_space") => Ty::PMapping,
                    Some(other) => {
                        self.report.error(
                        self.site(self.prev_span()),
                        format!("`struct {other}` is not here: only `struct file *` and `struct address_space *`"),
                    );
                        return None;
                    }
                    None => return None,
                }
            }
            "long" | "short" | "char" | "u64" | "u16" | "u8" | "s32" | "s64" | "size_t" => {
                self.report.error(
                    self.site(span),
                    format!(
                        "`{w}`: every value here is 32-bit; use u32, errseq_t, unsigned int, int or bool"
                    ),
                );
                return None;
            }
            _ => {
                self.report.error(self.site(span), format!("`{w}` is not a type here"));
                return None;
            }
        };
        while self.eat_word("const") {}
        let star = self.eat("*");
        while self.eat_word("const") {}
        if self.is("*") {
            self.error_here(String::from("pointers to pointers are not here"));
            return None;
        }
        let ty = match (base, star) {
            (Ty::U32, true) => Ty::PWord,
            (Ty::PFile | Ty::PMapping, true) => base,
            (Ty::PLock, true) => Ty::PLock,
            (Ty::PFile | Ty::PMapping | Ty::PLock, false) => {
                self.report.error(
                    self.site(span),
                    format!(
                        "`{}` is only used through a pointer: add `*`",
                        base.c_name().trim_end_matches(" *")
                    ),
                );
                return None;
            }
            (Ty::I32 | Ty::Bool | Ty::Void, true) => {
                self.report.error(
                    self.site(span),
                    "the only memory is errseq_t words: pointers are `errseq_t *`, `struct file *`, `struct address_space *`",
                );
                return None;
            }
            (t, _) => t,
        };
        Some(ty)
    }

    // ---- statements ------------------------------------------------------

    /// `{ ... }`: the statements and the closing brace's span.
    fn block_body(&mut self) -> (Vec<Stmt>, Span) {
        self.advance(); // `{`
        let mut body = Vec::new();
        while !self.bail && !self.is("}") && self.peek() != &Tok::Eof {
            let before = self.pos;
            if let Some(s) = self.stmt() {
                body.push(s);
            }
            if self.pos == before {
                self.advance();
            }
        }
        let end = self.span();
        if !self.bail {
            self.expect("}", "to close the block");
        }
        (body, end)
    }

    fn stmt(&mut self) -> Option<Stmt> {
        if !self.enter() {
            return None;
        }
        let s = self.stmt_inner();
        self.leave();
        if s.is_none() && !self.bail {
            self.synchronize();
        }
        s
    }

    fn stmt_inner(&mut self) -> Option<Stmt> {
        let span = self.span();
        let kind = match self.peek().clone() {
            Tok::Punct("{") => StmtKind::Block(self.block_body().0),
            Tok::Punct(";") => {
                self.advance();
                StmtKind::Empty
            }
            Tok::Ident(w) => match w.as_str() {
                "if" => {
                    self.advance();
                    let cond = self.paren_cond("if")?;
                    let then = Box::new(self.stmt()?);
                    let other = if self.eat_word("else") { Some(Box::new(self.stmt()?)) } else { None };
                    StmtKind::If(cond, then, other)
                }
                "while" => {
                    self.advance();
                    let cond = self.paren_cond("while")?;
                    StmtKind::While(cond, Box::new(self.stmt()?))
                }
                "do" => {
                    self.advance();
                    let body = Box::new(self.stmt()?);
                    if !self.eat_word("while") {
                        let found = self.describe();
                        self.error_here(format!(
                            "expected `while (...)` after the do loop's body, found {found}"
                        ));
                        return None;
                    }
                    let cond = self.paren_cond("do ... while")?;
                    self.expect(";", "after `do ... while (...)`").then_some(())?;
                    StmtKind::DoWhile(body, cond)
                }
                "for" => self.for_loop()?,
                "break" | "continue" => {
                    self.advance();
                    self.expect(";", &format!("after `{w}`")).then_some(())?;
                    if w == "break" {
                        StmtKind::Break
                    } else {
                        StmtKind::Continue
                    }
                }
                "return" => {
                    self.advance();
                    let value = if self.is(";") { None } else { Some(self.expr()) };
                    self.expect(";", "after the return value").then_some(())?;
                    StmtKind::Return(value)
                }
                "else" => {
                    self.error_here(String::from("`else` without an `if` before it"));
                    return None;
                }
                "static" => {
                    self.error_here(String::from(
                        "no static locals: state lives in the word and the cursor only",
                    ));
                    return None;
                }
                "goto" => {
                    self.error_here(String::from("no goto here: use break, continue or return"));
                    return None;
                }
                "switch" => {
                    self.error_here(String::from("no switch here: use if / else if"));
                    return None;
                }
                _ => {
                    let s = self.simple()?;
                    self.expect(";", "at the end of the statement").then_some(())?;
                    s
                }
            },
            _ => {
                let s = self.simple()?;
                self.expect(";", "at the end of the statement").then_some(())?;
                s
            }
        };
        Some(Stmt { kind, span })
    }

    fn paren_cond(&mut self, what: &str) -> Option<Expr> {
        if !self.expect("(", &format!("after `{what}`")) {
            return None;
        }
        let e = self.expr();
        self.expect(")", &format!("to close `{what} (...`")).then_some(e)
    }

    fn for_loop(&mut self) -> Option<StmtKind> {
        self.advance();
        if !self.expect("(", "after `for`") {
            return None;
        }
        let init = if self.is(";") {
            None
        } else {
            let span = self.span();
            Some(Box::new(Stmt { kind: self.simple()?, span }))
        };
        self.expect(";", "after the for loop's start").then_some(())?;
        let cond = if self.is(";") { None } else { Some(self.expr()) };
        self.expect(";", "after the for loop's condition").then_some(())?;
        let step = if self.is(")") {
            None
        } else {
            let span = self.span();
            Some(Box::new(Stmt { kind: self.simple()?, span }))
        };
        self.expect(")", "to close `for (...`").then_some(())?;
        let body = Box::new(self.stmt()?);
        Some(StmtKind::For(init, cond, step, body))
    }

    /// A declaration, assignment, `++`/`--`, `(void)` or expression,
    /// without its terminator.
    fn simple(&mut self) -> Option<StmtKind> {
        if matches!(self.peek(), Tok::Ident(w) if is_type_word(w)) {
            return self.declaration();
        }
        if self.is("(")
            && matches!(self.peek_at(1), Tok::Ident(w) if w == "void")
            && self.peek_at(2) == &Tok::Punct(")")
        {
            self.pos += 3;
            return Some(StmtKind::Discard(self.expr()));
        }
        if self.is("++") || self.is("--") {
            let up = self.is("++");
            self.advance();
            return Some(StmtKind::Step(up, self.unary()));
        }
        let lhs = self.ternary();
        if let Some(op) = self.assign_op() {
            self.advance();
            let rhs = self.expr();
            return Some(StmtKind::Assign(op, lhs, rhs));
        }
        if self.is("++") || self.is("--") {
            let up = self.is("++");
            self.advance();
            return Some(StmtKind::Step(up, lhs));
        }
        Some(StmtKind::Expr(lhs))
    }

    fn assign_op(&self) -> Option<AssignOp> {
        let Tok::Punct(p) = self.peek() else { return None };
        Some(match *p {
            "=" => None,
            "+=" => Some(BinOp::Add),
            "-=" => Some(BinOp::Sub),
            "*=" => Some(BinOp::Mul),
            "/=" => Some(BinOp::Div),
            "%=" => Some(BinOp::Rem),
            "&=" => Some(BinOp::And),
            "|=" => Some(BinOp::Or),
            "^=" => Some(BinOp::Xor),
            "<<=" => Some(BinOp::Shl),
            ">>=" => Some(BinOp::Shr),
            _ => return None,
        })
    }

    fn declaration(&mut self) -> Option<StmtKind> {
        let ty = self.ty()?;
        let mut decls = Vec::new();
        loop {
            // `errseq_t old, *p;` is legal C, but one type per line reads better.
            let (name, span) = self.ident("a variable name")?;
            let init = if self.eat("=") { Some(self.expr()) } else { None };
            decls.push(Declarator { name, span, ty, init });
            if !self.eat(",") {
                return Some(StmtKind::Decl(decls));
            }
        }
    }

    // ---- expressions -----------------------------------------------------

    /// An expression; an assignment inside it is reported.
    fn expr(&mut self) -> Expr {
        let e = self.ternary();
        if self.assign_op().is_some() {
            let span = self.span();
            self.report.error(
                self.site(span),
                "an assignment inside an expression is not supported: assign in a statement of its own",
            );
            self.advance();
            let rhs = self.ternary();
            return Expr { kind: ExprKind::Assign(Box::new(rhs)), span };
        }
        e
    }

    fn ternary(&mut self) -> Expr {
        if !self.enter() {
            return self.bad();
        }
        let cond = self.binary(0);
        let e = if self.is("?") {
            let span = self.span();
            self.advance();
            let a = self.expr();
            if !self.expect(":", "in `cond ? a : b`") {
                self.leave();
                return self.bad();
            }
            let b = self.ternary();
            Expr { kind: ExprKind::Cond(Box::new(cond), Box::new(a), Box::new(b)), span }
        } else {
            cond
        };
        self.leave();
        e
    }

    fn bad(&self) -> Expr {
        Expr { kind: ExprKind::Bad, span: self.span() }
    }

    /// Precedence climbing over C's binary operators.
    fn binary(&mut self, min: u8) -> Expr {
        let mut lhs = self.unary();
        // A chain `a + b + c` nests to the left: each link counts as a level.
        let mut links = 0;
        while let Some((op, prec)) = self.binop() {
            if prec < min || !self.enter() {
                break;
            }
            links += 1;
            let span = self.span();
            self.advance();
            let rhs = self.binary(prec + 1);
            lhs = Expr { kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), span };
        }
        for _ in 0..links {
            self.leave();
        }
        lhs
    }

    fn binop(&self) -> Option<(BinOp, u8)> {
        let Tok::Punct(p) = self.peek() else { return None };
        Some(match *p {
            "||" => (BinOp::LogOr, 1),
            "&&" => (BinOp::LogAnd, 2),
            "|" => (BinOp::Or, 3),
            "^" => (BinOp::Xor, 4),
            "&" => (BinOp::And, 5),
            "==" => (BinOp::Eq, 6),
            "!=" => (BinOp::Ne, 6),
            "<" => (BinOp::Lt, 7),
            "<=" => (BinOp::Le, 7),
            ">" => (BinOp::Gt, 7),
            ">=" => (BinOp::Ge, 7),
            "<<" => (BinOp::Shl, 8),
            ">>" => (BinOp::Shr, 8),
            "+" => (BinOp::Add, 9),
            "-" => (BinOp::Sub, 9),
            "*" => (BinOp::Mul, 10),
            "/" => (BinOp::Div, 10),
            "%" => (BinOp::Rem, 10),
            _ => return None,
        })
    }

    fn unary(&mut self) -> Expr {
        if !self.enter() {
            return self.bad();
        }
        let e = self.unary_inner();
        self.leave();
        e
    }

    fn unary_inner(&mut self) -> Expr {
        let span = self.span();
        let op = match self.peek() {
            Tok::Punct("-") => Some(UnOp::Neg),
            Tok::Punct("!") => Some(UnOp::Not),
            Tok::Punct("~") => Some(UnOp::BitNot),
            Tok::Punct("+") => Some(UnOp::Plus),
            _ => None,
        };
        if let Some(op) = op {
            self.advance();
            let e = self.unary();
            return Expr { kind: ExprKind::Unary(op, Box::new(e)), span };
        }
        if self.eat("*") {
            let e = self.unary();
            return Expr { kind: ExprKind::Deref(Box::new(e)), span };
        }
        if self.eat("&") {
            let e = self.unary();
            return Expr { kind: ExprKind::AddrOf(Box::new(e)), span };
        }
        if self.is("++") || self.is("--") {
            self.error_here(String::from(
                "`++` and `--` are statements of their own here, not part of an expression",
            ));
            self.advance();
            return self.unary();
        }
        if self.is("(") && matches!(self.peek_at(1), Tok::Ident(w) if is_type_word(w)) {
            self.advance();
            let Some(ty) = self.ty() else { return self.bad() };
            if !self.expect(")", "to close the cast") {
                return self.bad();
            }
            if ty == Ty::Void {
                self.report.error(self.site(span), "`(void)` only discards a whole statement's value");
            }
            let e = self.unary();
            return Expr { kind: ExprKind::Cast(ty, Box::new(e)), span };
        }
        self.postfix()
    }

    fn postfix(&mut self) -> Expr {
        let mut e = self.primary();
        let mut links = 0;
        let e = loop {
            if self.is("->") {
                if !self.enter() {
                    break self.bad();
                }
                links += 1;
                let span = self.span();
                self.advance();
                let Some((field, fspan)) = self.ident("a field name after `->`") else { break self.bad() };
                e = Expr { kind: ExprKind::Arrow(Box::new(e), field, fspan), span };
            } else if self.is(".") || self.is("[") {
                let what = if self.is(".") {
                    "`.`: structs are reached through pointers here, use `->`"
                } else {
                    "no arrays here"
                };
                self.error_here(String::from(what));
                self.advance();
                break self.bad();
            } else {
                break e;
            }
        };
        for _ in 0..links {
            self.leave();
        }
        e
    }

    fn primary(&mut self) -> Expr {
        let span = self.span();
        match self.peek().clone() {
            Tok::Int(v, unsigned) => {
                self.advance();
                Expr { kind: ExprKind::Int(v, unsigned), span }
            }
            Tok::Str => {
                self.advance();
                // Adjacent literals concatenate, as in C.
                while self.peek() == &Tok::Str {
                    self.advance();
                }
                Expr { kind: ExprKind::Str, span }
            }
            Tok::Ident(name) => {
                self.advance();
                if self.is("(") {
                    self.advance();
                    let args = self.args();
                    return Expr { kind: ExprKind::Call(name, span, args), span };
                }
                Expr { kind: ExprKind::Name(name), span }
            }
            Tok::Punct("(") => {
                self.advance();
                let e = self.expr();
                if self.expect(")", "to close `(`") {
                    e
                } else {
                    self.bad()
                }
            }
            _ => {
                let found = self.describe();
                self.error_here(format!("expected a value, found {found}"));
                self.bad()
            }
        }
    }

    fn args(&mut self) -> Vec<Expr> {
        let mut args = Vec::new();
        if self.eat(")") {
            return args;
        }
        loop {
            args.push(self.expr());
            if self.bail || self.eat(")") {
                return args;
            }
            if !self.expect(",", "between arguments") {
                return args;
            }
        }
    }
}
