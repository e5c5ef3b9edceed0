//! Named constants: the kernel's (`MAX_ERRNO`, the errnos, `true`,
//! `false`), lib/errseq.c's layout (`ERRSEQ_SHIFT`, `ERRSEQ_SEEN`,
//! `ERRSEQ_CTR_INC`), the base's `#define`s and the scheme's own.
//!
//! As in C, a `#define` is evaluated where it is used, so a scheme that
//! redefines `ERRSEQ_SHIFT` moves `ERRSEQ_SEEN` and `ERRSEQ_CTR_INC` with
//! it, in its own functions and in the ones it inherits from the base
//! (the proposal is a patch to the one file, lib/errseq.c). The scheme's
//! defines replace the base's, which replace the layout's.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use errseq::Errno;

use crate::ast::{BinOp, Define, Expr, ExprKind, Ty};
use crate::diag::{Origin, Site};
use crate::report::Report;
use crate::types;

/// lib/errseq.c's layout (4.13 and later), as the kernel defines it.
pub const LAYOUT: &str = "\
#define ERRSEQ_SHIFT ilog2(MAX_ERRNO + 1)
#define ERRSEQ_SEEN (1 << ERRSEQ_SHIFT)
#define ERRSEQ_CTR_INC (1 << (ERRSEQ_SHIFT + 1))
";

/// include/linux/err.h's `MAX_ERRNO`: not errseq's to change.
pub const MAX_ERRNO: u32 = errseq::MAX_ERRNO;

/// How deep one define may refer through others.
const MAX_CHAIN: usize = 32;

/// A constant's value and type.
pub type Value = (u32, Ty);

struct Entry {
    body: Expr,
    site: Site,
    /// Whose text the body is: `None` for the built-in layout.
    text: Option<Origin>,
    /// `None` before evaluation; `Some(None)` after a failed one.
    value: Option<Option<Value>>,
}

/// Every define in force, by name.
#[derive(Default)]
pub struct Defines {
    map: BTreeMap<String, Entry>,
    /// Names in the order they were given (layout, base, scheme).
    order: Vec<String>,
    evaluating: Vec<String>,
}

/// What a name means as a constant.
pub enum Lookup {
    Value(Value),
    /// A define whose evaluation failed (already reported).
    Poison,
    Unknown,
}

impl Defines {
    /// Adds one source's defines; later sources replace earlier ones.
    pub fn add(&mut self, defines: &[Define], text: Option<Origin>, report: &mut Report) {
        let origin = text.unwrap_or(Origin::Scheme);
        for d in defines {
            let site = Site { span: d.span, origin };
            if d.name == "MAX_ERRNO"
                || Errno::from_name(&d.name).is_some()
                || d.name == "true"
                || d.name == "false"
            {
                report.error(
                    site,
                    format!("`{}` is the kernel's (include/linux), not errseq's to redefine", d.name),
                );
                continue;
            }
            if text == Some(Origin::Scheme) {
                if let Some(prev) = self.map.get(&d.name).filter(|e| e.text == Some(Origin::Scheme)) {
                    let p = prev.site.span;
                    report.error(site, format!("`{}` is already defined at {}:{}", d.name, p.line, p.col));
                    continue;
                }
            }
            if !self.map.contains_key(&d.name) {
                self.order.push(d.name.clone());
            }
            self.map.insert(d.name.clone(), Entry { body: d.body.clone(), site, text, value: None });
        }
    }

    /// The value of a constant named `name`, evaluating defines as needed;
    /// errors are reported at `use_site` unless a scheme define is at fault.
    pub fn lookup(&mut self, name: &str, use_site: Site, report: &mut Report) -> Lookup {
        match name {
            "MAX_ERRNO" => return Lookup::Value((MAX_ERRNO, Ty::I32)),
            "true" => return Lookup::Value((1, Ty::Bool)),
            "false" => return Lookup::Value((0, Ty::Bool)),
            _ => {}
        }
        if let Some(e) = Errno::from_name(name) {
            return Lookup::Value((e.number(), Ty::I32));
        }
        let Some(entry) = self.map.get(name) else { return Lookup::Unknown };
        if let Some(v) = entry.value {
            return v.map_or(Lookup::Poison, Lookup::Value);
        }
        let (body, text) = (entry.body.clone(), entry.text);
        let err_site = match text {
            Some(origin) => Site { span: entry.site.span, origin },
            None => use_site,
        };
        if self.evaluating.iter().any(|n| n == name) {
            report.error(err_site, format!("`{name}` is defined in terms of itself"));
            return self.settle(name, None);
        }
        if self.evaluating.len() >= MAX_CHAIN {
            report.error(err_site, format!("#defines nest more than {MAX_CHAIN} deep"));
            return self.settle(name, None);
        }
        self.evaluating.push(String::from(name));
        let v = self.eval(&body, text, err_site, report);
        self.evaluating.pop();
        self.settle(name, v.ok())
    }

    fn settle(&mut self, name: &str, v: Option<Value>) -> Lookup {
        if let Some(e) = self.map.get_mut(name) {
            e.value = Some(v);
        }
        v.map_or(Lookup::Poison, Lookup::Value)
    }

    /// Every define's name and value, in order (those that evaluate).
    pub fn all(&mut self, report: &mut Report) -> Vec<(String, u32)> {
        let names = self.order.clone();
        let mut out = Vec::new();
        for n in names {
            let site = self.map.get(&n).map(|e| e.site);
            if let Some(site) = site {
                if let Lookup::Value((v, _)) = self.lookup(&n, site, report) {
                    out.push((n, v));
                }
            }
        }
        out
    }

    /// Evaluates an integer constant expression from the text of `text`
    /// (`None`: the built-in layout, whose errors are reported at
    /// `fallback`). `Err(())` when it is not one (reported).
    pub fn eval(
        &mut self,
        e: &Expr,
        text: Option<Origin>,
        fallback: Site,
        report: &mut Report,
    ) -> Result<Value, ()> {
        let here = text.map_or(fallback, |origin| Site { span: e.span, origin });
        let site = fallback;
        match &e.kind {
            ExprKind::Int(v, unsigned) => Ok((*v, if *unsigned { Ty::U32 } else { Ty::I32 })),
            ExprKind::Name(n) => match self.lookup(n, here, report) {
                Lookup::Value(v) => Ok(v),
                Lookup::Poison => Err(()),
                Lookup::Unknown => {
                    let hint = crate::suggest::hint(n, self.order.iter().map(String::as_str));
                    report.error(here, format!("`{n}` is not a constant{hint}"));
                    Err(())
                }
            },
            ExprKind::Unary(op, a) => {
                let (v, t) = self.eval(a, text, site, report)?;
                let (un, ty) = types::unary(*op, t);
                Ok((un.map_or(v, |u| u.apply(v)), ty))
            }
            ExprKind::Binary(op @ (BinOp::LogAnd | BinOp::LogOr), a, b) => {
                let (va, _) = self.eval(a, text, site, report)?;
                let short = (*op == BinOp::LogAnd) == (va == 0);
                if short {
                    return Ok((u32::from(va != 0), Ty::I32));
                }
                let (vb, _) = self.eval(b, text, site, report)?;
                Ok((u32::from(vb != 0), Ty::I32))
            }
            ExprKind::Binary(op, a, b) => {
                let (va, ta) = self.eval(a, text, site, report)?;
                let (vb, tb) = self.eval(b, text, site, report)?;
                let (bin, swap, ty) = types::binary(*op, ta, tb);
                let (x, y) = if swap { (vb, va) } else { (va, vb) };
                match bin.apply(x, y) {
                    Ok(v) => Ok((v, ty)),
                    Err(kind) => {
                        report.error(here, format!("in a constant: {kind}"));
                        Err(())
                    }
                }
            }
            ExprKind::Cond(c, a, b) => {
                let (vc, _) = self.eval(c, text, site, report)?;
                let (va, ta) = self.eval(a, text, site, report)?;
                let (vb, tb) = self.eval(b, text, site, report)?;
                Ok((if vc != 0 { va } else { vb }, types::common(ta, tb)))
            }
            ExprKind::Cast(ty, a) if ty.is_integer() => {
                let (v, _) = self.eval(a, text, site, report)?;
                Ok((types::convert(v, *ty), *ty))
            }
            ExprKind::Call(name, _, args) if name == "ilog2" && args.len() == 1 => {
                let (v, _) = self.eval(&args[0], text, site, report)?;
                if v == 0 {
                    report.error(here, "ilog2(0) is undefined");
                    return Err(());
                }
                Ok((31 - v.leading_zeros(), Ty::I32))
            }
            ExprKind::Bad => Err(()),
            _ => {
                report.error(here, "not a constant: a #define's value is an integer expression of numbers and other constants");
                Err(())
            }
        }
    }
}
