//! Syntax trees to a checked program: the scheme's functions and the
//! base's it does not replace, merged; names resolved; types checked; each
//! function compiled to register code ([`crate::ir`]); entry points'
//! signatures and the absence of recursion verified.

mod builtin;
mod expr;
mod func;

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::ast::{Function, Ty, Unit};
use crate::consts::Defines;
use crate::diag::{Origin, Site};
use crate::entry::{Entry, ENTRIES};
use crate::ir::Func;
use crate::report::Report;

/// A function as callers see it.
pub struct Sig {
    pub name: String,
    pub ret: Ty,
    pub params: Vec<Ty>,
}

/// What every function's compilation shares.
pub struct Globals<'r> {
    pub sigs: Vec<Sig>,
    pub by_name: BTreeMap<String, u16>,
    pub defines: Defines,
    pub report: &'r mut Report,
    pub sites: Vec<Site>,
}

impl Globals<'_> {
    /// Adds a site to the program's table; ops refer to it by index.
    pub fn site(&mut self, site: Site) -> u32 {
        self.sites.push(site);
        (self.sites.len() - 1) as u32
    }
}

/// The checked program's parts.
pub struct Compiled {
    pub funcs: Vec<Func>,
    pub entries: [u16; 5],
    pub sites: Vec<Site>,
    pub defines: Vec<(String, u32)>,
}

/// Compiles the scheme's unit over the base's. `layout` holds the
/// built-in layout defines.
pub fn compile(
    scheme: &Unit,
    base: &Unit,
    base_origin: Origin,
    layout: &Unit,
    report: &mut Report,
) -> Option<Compiled> {
    let mut defines = Defines::default();
    defines.add(&layout.defines, None, report);
    defines.add(&base.defines, Some(base_origin), report);
    defines.add(&scheme.defines, Some(Origin::Scheme), report);

    let chosen = choose_functions(scheme, base, base_origin, report);
    let mut g = Globals { sigs: Vec::new(), by_name: BTreeMap::new(), defines, report, sites: Vec::new() };
    for (f, _) in &chosen {
        g.by_name.insert(f.name.clone(), g.sigs.len() as u16);
        g.sigs.push(Sig {
            name: f.name.clone(),
            ret: f.ret,
            params: f.params.iter().map(|p| p.ty).collect(),
        });
    }
    let mut funcs = Vec::new();
    let mut calls = Vec::new();
    for (f, origin) in &chosen {
        let (func, callees) = func::compile_function(&mut g, f, *origin);
        funcs.push(func);
        calls.push(callees);
    }
    let entries = entry_indices(&mut g)?;
    let order = check_recursion(&g.sigs, &calls, g.report)?;
    for &i in &order {
        let deepest = calls[i].iter().map(|(c, _)| funcs[usize::from(*c)].need).max().unwrap_or(0);
        funcs[i].need = funcs[i].frame + deepest;
    }
    let defines = g.defines.all(g.report);
    if g.report.has_errors() {
        return None;
    }
    Some(Compiled { funcs, entries, sites: g.sites, defines })
}

/// The scheme's functions, then the base's it does not replace; each
/// scheme function checked against the entry points.
fn choose_functions<'u>(
    scheme: &'u Unit,
    base: &'u Unit,
    base_origin: Origin,
    report: &mut Report,
) -> Vec<(&'u Function, Origin)> {
    let mut chosen: Vec<(&Function, Origin)> = Vec::new();
    for f in &scheme.functions {
        let site = Site { span: f.span, origin: Origin::Scheme };
        if let Some((prev, _)) = chosen.iter().find(|(p, _)| p.name == f.name) {
            let p = prev.span;
            report.error(site, format!("`{}` is defined twice (first at {}:{})", f.name, p.line, p.col));
            continue;
        }
        check_entry(f, site, report);
        chosen.push((f, Origin::Scheme));
    }
    for f in &base.functions {
        if !chosen.iter().any(|(p, _)| p.name == f.name) {
            chosen.push((f, base_origin));
        }
    }
    chosen
}

/// A non-static function must be one of the entry points, with its
/// signature; a static one must not take an entry point's name.
fn check_entry(f: &Function, site: Site, report: &mut Report) {
    let entry = ENTRIES.iter().find(|e| e.name == f.name);
    match (f.is_static, entry) {
        (true, Some(_)) => {
            report.error(site, format!("`{}` is an entry point: drop `static`", f.name));
        }
        (true, None) => {}
        (false, None) => {
            let hint = match crate::suggest::closest(&f.name, ENTRIES.iter().map(|e| e.name)) {
                Some(c) => format!(": did you mean `{c}`?"),
                None => String::from("."),
            };
            let list: Vec<&str> = ENTRIES.iter().map(|e| e.name).collect();
            report.error(
                site,
                format!(
                    "`{}` is not an entry point{hint} The entry points are {}; a helper of your own must be `static`",
                    f.name,
                    list.join(", ")
                ),
            );
        }
        (false, Some(e)) => check_signature(f, e, site, report),
    }
}

fn check_signature(f: &Function, e: &Entry, site: Site, report: &mut Report) {
    let params: Vec<Ty> = f.params.iter().map(|p| p.ty).collect();
    let ret_ok = f.ret == e.ret || (e.ret_may_be_void && f.ret == Ty::Void);
    if !ret_ok || params != e.params {
        report.error(site, format!("`{}` must be declared `{}`", f.name, e.prototype));
    }
}

/// Each entry point's function. Every base defines all five, so a gap is
/// a base source's bug, reported rather than trusted.
fn entry_indices(g: &mut Globals) -> Option<[u16; 5]> {
    let mut out = [0u16; 5];
    for (slot, e) in out.iter_mut().zip(ENTRIES.iter()) {
        match g.by_name.get(e.name) {
            Some(&i) => *slot = i,
            None => {
                let site = Site { span: crate::diag::Span::default(), origin: Origin::Scheme };
                g.report.error(site, format!("no definition of `{}` in the scheme or its base", e.name));
                return None;
            }
        }
    }
    Some(out)
}

/// Reports recursion (direct or through other functions) at a call that
/// closes a cycle; otherwise returns the functions callees first.
fn check_recursion(sigs: &[Sig], calls: &[Vec<(u16, Site)>], report: &mut Report) -> Option<Vec<usize>> {
    // 0: not visited, 1: on the path, 2: done.
    let mut state = vec![0u8; sigs.len()];
    let mut order = Vec::new();
    let mut ok = true;
    for root in 0..sigs.len() {
        if state[root] != 0 {
            continue;
        }
        // Iterative depth-first search: (function, next callee index).
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some(&mut (f, ref mut next)) = stack.last_mut() {
            if let Some(&(callee, site)) = calls[f].get(*next) {
                *next += 1;
                let c = usize::from(callee);
                match state[c] {
                    0 => {
                        state[c] = 1;
                        stack.push((c, 0));
                    }
                    1 => {
                        ok = false;
                        let path: Vec<&str> = stack
                            .iter()
                            .skip_while(|(s, _)| *s != c)
                            .map(|(s, _)| sigs[*s].name.as_str())
                            .collect();
                        report.error(
                            site,
                            format!(
                                "recursion ({} -> {}): not supported, every call must end; use a loop",
                                path.join(" -> "),
                                sigs[c].name
                            ),
                        );
                    }
                    _ => {}
                }
            } else {
                state[f] = 2;
                order.push(f);
                stack.pop();
            }
        }
    }
    ok.then_some(order)
}
