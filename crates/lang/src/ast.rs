//! The syntax tree of a scheme's source, as parsed: names are still
//! strings, types still as written. The compiler ([`crate::compile`])
//! resolves and checks it.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::diag::Span;

/// A type as written.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    /// `u32`, `errseq_t`, `unsigned`, `unsigned int`.
    U32,
    /// `int`, `signed`, `signed int`.
    I32,
    Bool,
    Void,
    /// `errseq_t *` (or `u32 *`): the word or a cursor.
    PWord,
    /// `struct file *`.
    PFile,
    /// `struct address_space *`: the file's mapping.
    PMapping,
    /// `spinlock_t *`: only `&file->f_lock`.
    PLock,
}

impl Ty {
    pub fn is_pointer(self) -> bool {
        matches!(self, Ty::PWord | Ty::PFile | Ty::PMapping | Ty::PLock)
    }

    pub fn is_integer(self) -> bool {
        matches!(self, Ty::U32 | Ty::I32 | Ty::Bool)
    }

    /// The type as a kernel developer writes it, for messages.
    pub fn c_name(self) -> &'static str {
        match self {
            Ty::U32 => "errseq_t",
            Ty::I32 => "int",
            Ty::Bool => "bool",
            Ty::Void => "void",
            Ty::PWord => "errseq_t *",
            Ty::PFile => "struct file *",
            Ty::PMapping => "struct address_space *",
            Ty::PLock => "spinlock_t *",
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
    BitNot,
    Plus,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    And,
    Or,
    Xor,
    Shl,
    Shr,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    LogAnd,
    LogOr,
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Int(u32, bool),
    Str,
    Name(String),
    Call(String, Span, Vec<Expr>),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    Cast(Ty, Box<Expr>),
    Deref(Box<Expr>),
    AddrOf(Box<Expr>),
    Arrow(Box<Expr>, String, Span),
    /// Parsed only so the message can say what to do instead.
    Assign(Box<Expr>),
    /// A parse error already reported.
    Bad,
}

/// `=`, or the operator of a compound assignment (`+=` is `Some(Add)`).
pub type AssignOp = Option<BinOp>;

#[derive(Clone, Debug)]
pub struct Declarator {
    pub name: String,
    pub span: Span,
    pub ty: Ty,
    pub init: Option<Expr>,
}

#[derive(Clone, Debug)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum StmtKind {
    Decl(Vec<Declarator>),
    Assign(AssignOp, Expr, Expr),
    /// `x++` / `++x` (true) or `x--` / `--x` (false).
    Step(bool, Expr),
    Expr(Expr),
    /// `(void)expr;`
    Discard(Expr),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    DoWhile(Box<Stmt>, Expr),
    For(Option<Box<Stmt>>, Option<Expr>, Option<Box<Stmt>>, Box<Stmt>),
    Break,
    Continue,
    Return(Option<Expr>),
    Block(Vec<Stmt>),
    Empty,
}

#[derive(Clone, Debug)]
pub struct Param {
    pub name: String,
    pub span: Span,
    pub ty: Ty,
}

#[derive(Clone, Debug)]
pub struct Function {
    pub name: String,
    pub span: Span,
    pub is_static: bool,
    pub ret: Ty,
    pub params: Vec<Param>,
    pub body: Vec<Stmt>,
    /// The closing brace, where a missing return is reported.
    pub end: Span,
}

#[derive(Clone, Debug)]
pub struct Define {
    pub name: String,
    pub span: Span,
    pub body: Expr,
}

/// One source text: its defines and functions, in order.
#[derive(Clone, Debug, Default)]
pub struct Unit {
    pub defines: Vec<Define>,
    pub functions: Vec<Function>,
}
