//! Scenario checks: the rules of the fd table, and the names resolved.
//!
//! An fd names an open file description from its `open` (or `dup`) to its
//! `close`; a closed name may be opened again, as a new description. Files
//! need no declaration. Using an fd that is not open, opening a name that
//! is, and evicting a file that is still open are errors here, with the
//! line and column of the offending name, just like syntax errors.
//!
//! Inside a `par` block every task starts from the fd table as it was
//! before the block, because the tasks run at once: no task may use, open
//! or close a name that another task of the block opens or closes.

use std::collections::{BTreeMap, HashMap};

use errseq::{Ret, SchemeKey, WrittenName};

use crate::ast::{CallRef, Event, Expect, Item, Name, OpenFlags, Outcome, Scenario, Stmt, Verb};
use crate::diag::{Diagnostic, Span};
use crate::parse::{SourceMap, StmtSource};
use crate::written::Compiler;

/// A file, by order of first mention.
pub type FileId = usize;
/// An open file description, by order of the `open` that made it.
pub type DescId = usize;

/// One open file description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Description {
    pub file: FileId,
    /// The fd name it was opened as.
    pub fd: Name,
    /// The event that opened it.
    pub opened_at: usize,
    /// open(2)'s flags.
    pub flags: OpenFlags,
}

/// What an event's names resolve to.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Binding {
    /// The file the call acts on (through its fd, if it has one).
    pub file: Option<FileId>,
    /// The description the call goes through (open: the new one; dup: the
    /// shared one).
    pub desc: Option<DescId>,
    /// Whether the call returns a result: [`crate::Verb::returns`], and a
    /// `write` that is synchronous or direct (its description opened
    /// `O_SYNC`, `O_DSYNC` or `O_DIRECT`, or `RWF_SYNC`/`RWF_DSYNC`).
    pub returns: bool,
}

/// The names of a checked scenario, resolved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bindings {
    pub files: Vec<Name>,
    pub descriptions: Vec<Description>,
    /// By event number.
    pub events: Vec<Binding>,
    /// By claim number: the event each condition refers to.
    pub claims: Vec<Vec<usize>>,
    /// The schemes the scenario writes, compiled, in text order.
    pub written: Vec<WrittenScheme>,
}

/// A scheme the scenario writes, checked and compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrittenScheme {
    pub name: WrittenName,
    pub program: errseq_lang::Program,
    /// The line of its `scheme NAME from BASE`.
    pub line: u32,
}

impl Bindings {
    /// The compiled scheme of that name, if the scenario writes it.
    pub fn written(&self, name: WrittenName) -> Option<&WrittenScheme> {
        self.written.iter().find(|w| w.name == name)
    }
}

/// An fd that is open: its description and where that name was bound.
#[derive(Clone, Debug)]
struct Open {
    desc: DescId,
    line: u32,
}

#[derive(Default)]
struct Checker<'a> {
    source: Option<&'a SourceMap>,
    out: Bindings,
    fds: BTreeMap<Name, Open>,
    /// The open fds of each file, kept with `fds` (by [`Checker::set_fd`]),
    /// so `evict` costs a lookup, not a scan of the table.
    open_on: HashMap<FileId, BTreeMap<Name, Open>>,
    /// Each file's id, so a mention costs a lookup, not a scan.
    file_ids: HashMap<Name, FileId>,
    /// Where each fd name was last closed, for messages.
    closed: HashMap<Name, u32>,
    errors: Vec<Diagnostic>,
    event: usize,
}

/// Checks the scenario and resolves its names, its scheme blocks by
/// `C` (see [`crate::written::Compiler`]). Warnings come back with the
/// bindings; any error fails the check.
pub fn check<C: Compiler>(
    s: &Scenario,
    source: &SourceMap,
) -> Result<(Bindings, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut c = Checker { source: Some(source), ..Checker::default() };
    for item in &s.body {
        match item {
            Item::Stmt(stmt) => c.stmt(stmt),
            Item::Par(par) => c.par(par.items.iter().filter_map(|i| match i {
                Item::Stmt(s) => Some(s),
                _ => None,
            })),
            Item::Claim(_) | Item::Note(_) | Item::Gap | Item::Scheme(_) => {}
        }
    }
    let mut warnings = Vec::new();
    for (block, src) in s.scheme_blocks().zip(&source.schemes) {
        match C::compile(block, src) {
            Ok(Some((w, warned))) => {
                c.out.written.push(w);
                warnings.extend(warned);
            }
            Ok(None) => {}
            Err(diags) => c.errors.extend(diags),
        }
    }
    let labels = c.labels(s);
    let calls = Calls::new(s);
    c.out.claims = s.claims().enumerate().map(|(i, claim)| c.claim(&calls, &labels, i, claim)).collect();
    warnings.extend(unchecked_overrides(s, source));
    if c.errors.is_empty() {
        Ok((c.out, warnings))
    } else {
        c.errors.extend(warnings);
        Err(c.errors)
    }
}

/// An override for a scheme the scenario does not evaluate is never
/// checked; say so rather than pass silently.
fn unchecked_overrides(s: &Scenario, source: &SourceMap) -> Vec<Diagnostic> {
    let evaluated: Vec<SchemeKey> = s.scheme_names().iter().map(|n| n.resolve()).collect();
    let mut out = Vec::new();
    for ((stmt, _), src) in s.stmts().zip(&source.events) {
        for (name, _) in stmt.expect.iter().flat_map(|e| &e.overrides) {
            if !evaluated.contains(&name.resolve()) {
                let span = src.expect.unwrap_or(src.verb);
                out.push(Diagnostic::warning(
                    span,
                    format!("the expectation for `{name}` is not checked: `schemes:` leaves it out"),
                ));
            }
        }
    }
    for (claim, src) in s.claims().zip(&source.claims) {
        for (name, span) in claim.schemes.iter().zip(&src.schemes) {
            if !evaluated.contains(&name.resolve()) {
                out.push(Diagnostic::warning(
                    *span,
                    format!("this claim is not checked for `{name}`: `schemes:` leaves it out"),
                ));
            }
        }
    }
    out
}

impl<'a> Checker<'a> {
    /// Every label and its event; a label used twice is an error.
    fn labels(&mut self, s: &Scenario) -> HashMap<Name, usize> {
        let mut out: HashMap<Name, usize> = HashMap::new();
        for (i, (stmt, _)) in s.stmts().enumerate() {
            let Some(label) = &stmt.label else { continue };
            let src = self.source.and_then(|m| m.events.get(i));
            let span = src.and_then(|s| s.label).unwrap_or(Span::new(0, 0, 1));
            if let Some(&first) = out.get(label) {
                let line = self.source.and_then(|m| m.events.get(first)).map_or(0, |s| s.line());
                self.errors
                    .push(Diagnostic::error(span, format!("label `{label}` is already used at line {line}")));
            } else {
                out.insert(label.clone(), i);
            }
        }
        out
    }

    /// Resolves each condition of claim `n` to an event that returns.
    fn claim(
        &mut self,
        s: &Calls<'_>,
        labels: &HashMap<Name, usize>,
        n: usize,
        claim: &crate::ast::Claim,
    ) -> Vec<usize> {
        let mut events = Vec::new();
        for (k, cond) in claim.conds.iter().enumerate() {
            let span = self.source.and_then(|m| m.claims.get(n)).and_then(|c| c.conds.get(k).copied());
            let span = span.unwrap_or(Span::new(0, 0, 1));
            match self.resolve_ref(s, labels, &cond.call) {
                Ok(e) => {
                    let verb = s.verbs.get(e).copied();
                    if let Some(msg) =
                        verb.and_then(|v| result_kind_error(v, outcome_results(&cond.outcome).into_iter()))
                    {
                        self.errors.push(Diagnostic::error(span, msg));
                    }
                    events.push(e);
                }
                Err(msg) => self.errors.push(Diagnostic::error(span, msg)),
            }
        }
        events
    }

    fn resolve_ref(
        &self,
        s: &Calls<'_>,
        labels: &HashMap<Name, usize>,
        call: &CallRef,
    ) -> Result<usize, String> {
        let line = |e: usize| self.source.and_then(|m| m.events.get(e)).map_or(0, |s| s.line());
        let event = match call {
            CallRef::Label(l) => *labels
                .get(l)
                .ok_or_else(|| format!("no call is labelled `{l}`; label one, as in `fsync a as {l}`"))?,
            CallRef::Call(want) => {
                match s.by_text.get(want).copied().unwrap_or_default() {
                    [None, _] => return Err(format!("no call `{want}` in this scenario")),
                    [Some(one), None] => one,
                    [Some(a), Some(b)] => {
                        return Err(format!(
                            "`{want}` is called at lines {} and {}; label the one you mean (`{want} as x`) and write `x` here",
                            line(a),
                            line(b)
                        ))
                    }
                }
            }
        };
        let verb = s.verbs.get(event).copied();
        let returns = self.out.events.get(event).is_none_or(|b| b.returns);
        match verb {
            Some(v) if !returns => {
                Err(format!("`{v}` at line {} returns nothing; claims are about results", line(event)))
            }
            _ => Ok(event),
        }
    }

    fn src(&self) -> Option<&'a StmtSource> {
        self.source.and_then(|m| m.events.get(self.event))
    }

    fn verb_span(&self) -> Span {
        self.src().map_or(Span::new(0, 0, 1), |s| s.verb)
    }

    fn arg_span(&self, i: usize) -> Span {
        self.src().and_then(|s| s.args.get(i).copied()).unwrap_or_else(|| self.verb_span())
    }

    fn line(&self) -> u32 {
        self.verb_span().line
    }

    fn file(&mut self, name: &Name) -> FileId {
        if let Some(&id) = self.file_ids.get(name) {
            return id;
        }
        self.out.files.push(name.clone());
        let id = self.out.files.len() - 1;
        self.file_ids.insert(name.clone(), id);
        id
    }

    /// Resolves an fd that must be open (argument `arg` of the call).
    fn open_fd(&mut self, fd: &Name, arg: usize) -> Option<DescId> {
        if let Some(o) = self.fds.get(fd) {
            return Some(o.desc);
        }
        let msg = match self.closed.get(fd) {
            Some(line) => format!("fd `{fd}` is not open: it was closed at line {line}"),
            None => format!("fd `{fd}` is not open; open it first with `open {fd} FILE`"),
        };
        self.errors.push(Diagnostic::error(self.arg_span(arg), msg));
        None
    }

    /// Checks that a name to bind is free.
    fn fresh_fd(&mut self, fd: &Name, arg: usize) -> bool {
        match self.fds.get(fd) {
            None => true,
            Some(o) => {
                let msg = format!(
                    "fd `{fd}` is already open (since line {}); close it first or use another name",
                    o.line
                );
                self.errors.push(Diagnostic::error(self.arg_span(arg), msg));
                false
            }
        }
    }

    fn bind(&mut self, fd: &Name, desc: DescId) {
        let line = self.line();
        self.set_fd(fd, Some(Open { desc, line }));
    }

    /// Binds `fd` (or unbinds it, with `None`): the one place the fd table
    /// changes, so the per-file index stays in step.
    fn set_fd(&mut self, fd: &Name, open: Option<Open>) {
        let old = match &open {
            Some(o) => self.fds.insert(fd.clone(), o.clone()),
            None => self.fds.remove(fd),
        };
        if let Some(old) = old {
            let file = self.out.descriptions[old.desc].file;
            if let Some(on) = self.open_on.get_mut(&file) {
                on.remove(fd);
            }
        }
        if let Some(o) = open {
            let file = self.out.descriptions[o.desc].file;
            self.open_on.entry(file).or_default().insert(fd.clone(), o);
        }
    }

    fn stmt(&mut self, stmt: &Stmt) {
        let binding = self.resolve_stmt(stmt);
        self.out.events.push(binding);
        self.event += 1;
    }

    /// Resolves the call, and checks that an expectation stands only on a
    /// call that returns (a buffered `write` does not).
    fn resolve_stmt(&mut self, stmt: &Stmt) -> Binding {
        let mut binding = self.resolve(&stmt.event);
        binding.returns = match &stmt.event {
            Event::Write { rwf, .. } => {
                let flags = binding.desc.map(|d| self.out.descriptions[d].flags).unwrap_or_default();
                rwf.is_some() || flags.sync_writes() || flags.direct
            }
            e => e.verb().returns(),
        };
        if let (Some(expect), true) = (&stmt.expect, binding.returns) {
            let span = self.src().and_then(|s| s.expect).unwrap_or_else(|| self.verb_span());
            if let Some(msg) = result_kind_error(stmt.event.verb(), expect_results(expect)) {
                self.errors.push(Diagnostic::error(span, msg));
            }
        }
        if stmt.expect.is_some() && !binding.returns && binding.desc.is_some() {
            let span = self.src().and_then(|s| s.expect).unwrap_or_else(|| self.verb_span());
            self.errors.push(Diagnostic::error(
                span,
                "a buffered `write` returns nothing, so it cannot have an expectation: a write returns a result \
                 when its fd was opened O_SYNC, O_DSYNC or O_DIRECT, or it carries RWF_SYNC or RWF_DSYNC; \
                 add one, or remove the `=> …`",
            ));
        }
        binding
    }

    /// A call that writes through a read-only description is an error, as
    /// write(2) would fail with EBADF (and mmap(2) of it for writing with
    /// EACCES).
    fn check_writable(&mut self, desc: Option<DescId>, what: &str) {
        let Some(d) = desc else { return };
        let description = &self.out.descriptions[d];
        if description.flags.writable() {
            return;
        }
        let opened = self.source.and_then(|m| m.events.get(description.opened_at)).map_or(0, |s| s.line());
        let fd = description.fd.clone();
        let msg = format!(
            "the description of this fd was opened O_RDONLY (`open {fd}` at line {opened}): {what}; \
             open it without O_RDONLY to write"
        );
        self.errors.push(Diagnostic::error(self.arg_span(0), msg));
    }

    fn resolve(&mut self, event: &Event) -> Binding {
        let desc_file = |c: &Self, d: Option<DescId>| d.map(|d| c.out.descriptions[d].file);
        match event {
            Event::Open { fd, file, flags } => {
                let file = self.file(file);
                if !self.fresh_fd(fd, 0) {
                    return Binding { file: Some(file), desc: None, returns: false };
                }
                let desc = self.out.descriptions.len();
                let d = Description { file, fd: fd.clone(), opened_at: self.event, flags: *flags };
                self.out.descriptions.push(d);
                self.bind(fd, desc);
                Binding { file: Some(file), desc: Some(desc), returns: false }
            }
            Event::Write { fd, .. } => {
                let desc = self.open_fd(fd, 0);
                self.check_writable(desc, "write(2) through it fails with EBADF");
                Binding { file: desc_file(self, desc), desc, returns: false }
            }
            Event::MmapWrite { fd, .. } => {
                let desc = self.open_fd(fd, 0);
                self.check_writable(desc, "mmap(2) of it with PROT_WRITE and MAP_SHARED fails with EACCES");
                Binding { file: desc_file(self, desc), desc, returns: false }
            }
            Event::Dup { new, fd } => {
                let desc = self.open_fd(fd, 1);
                if self.fresh_fd(new, 0) {
                    if let Some(d) = desc {
                        self.bind(new, d);
                    }
                }
                Binding { file: desc_file(self, desc), desc, returns: false }
            }
            Event::Close { fd } => {
                let desc = self.open_fd(fd, 0);
                if desc.is_some() {
                    self.set_fd(fd, None);
                    let line = self.line();
                    self.closed.insert(fd.clone(), line);
                }
                Binding { file: desc_file(self, desc), desc, returns: false }
            }
            Event::Msync { fd }
            | Event::Read { fd, .. }
            | Event::Fsync { fd }
            | Event::Fdatasync { fd }
            | Event::SyncFileRange { fd, .. }
            | Event::Syncfs { fd } => {
                let desc = self.open_fd(fd, 0);
                Binding { file: desc_file(self, desc), desc, returns: false }
            }
            Event::Evict { file } => {
                let id = self.file(file);
                if let Some((fd, o)) = self.open_on.get(&id).and_then(|on| on.iter().next()) {
                    let msg = format!(
                        "cannot evict `{file}` while fd `{fd}` has it open (since line {}); close it first",
                        o.line
                    );
                    self.errors.push(Diagnostic::error(self.arg_span(0), msg));
                }
                Binding { file: Some(id), desc: None, returns: false }
            }
            Event::Fail { file, .. }
            | Event::Heal { file, .. }
            | Event::Writeback { file }
            | Event::Error { file, .. }
            | Event::Flush { file } => Binding { file: Some(self.file(file)), desc: None, returns: false },
            Event::Sync => Binding::default(),
        }
    }

    /// Every task sees the table as it was before the block; then all
    /// their effects apply, in task order.
    fn par<'s>(&mut self, tasks: impl Iterator<Item = &'s Stmt>) {
        let tasks: Vec<&Stmt> = tasks.collect();
        let first_event = self.event;
        // Pass 1: resolve each task alone; note the names it rebinds. A
        // task touches only the names it mentions: what they were bound to
        // before the block is kept, and put back after each task (a copy
        // of the whole table per task or block would be quadratic).
        let mut before: HashMap<Name, Option<Open>> = HashMap::new();
        let mut after: Vec<(Name, Option<Open>)> = Vec::new();
        let mut rebinds: Vec<Vec<Name>> = Vec::new();
        for (i, stmt) in tasks.iter().enumerate() {
            self.event = first_event + i;
            for (_, name) in fd_names(&stmt.event) {
                before.entry(name.clone()).or_insert_with(|| self.fds.get(name).cloned());
            }
            let binding = self.resolve_stmt(stmt);
            self.out.events.push(binding);
            let mut mine = Vec::new();
            for (_, name) in fd_names(&stmt.event) {
                let was = before.get(name).cloned().flatten();
                let now = self.fds.get(name).cloned();
                if now.as_ref().map(|o| o.desc) != was.as_ref().map(|o| o.desc) {
                    after.push((name.clone(), now));
                    mine.push(name.clone());
                }
                self.set_fd(name, was);
            }
            rebinds.push(mine);
        }
        // Pass 2: no task may mention a name another task rebinds. The
        // first two tasks that rebind each name are enough to find one
        // other than the task at hand.
        let mut rebinders: HashMap<&Name, [Option<usize>; 2]> = HashMap::new();
        for (j, names) in rebinds.iter().enumerate() {
            for name in names {
                let slot = rebinders.entry(name).or_default();
                match slot {
                    [None, _] => slot[0] = Some(j),
                    [Some(_), None] => slot[1] = Some(j),
                    _ => {}
                }
            }
        }
        for (i, stmt) in tasks.iter().enumerate() {
            self.event = first_event + i;
            for (arg, name) in fd_names(&stmt.event) {
                let others = rebinders.get(name).copied().unwrap_or_default();
                let Some(j) = others.into_iter().flatten().find(|&j| j != i) else {
                    continue;
                };
                self.event = first_event + j;
                let other = self.line();
                self.event = first_event + i;
                let msg = format!(
                    "fd `{name}` is opened or closed by the task on line {other}, and the tasks of a par block \
                     run at once; do that before or after the block"
                );
                self.errors.push(Diagnostic::error(self.arg_span(arg), msg));
            }
        }
        // All the tasks' effects, in task order.
        for (name, open) in after {
            self.set_fd(&name, open);
        }
        self.event = first_event + tasks.len();
    }
}

/// The calls of a scenario, indexed once for its claims: each claim
/// condition then costs a lookup, not a pass over the scenario.
struct Calls<'s> {
    verbs: Vec<Verb>,
    /// The first two events with each text.
    by_text: HashMap<&'s Event, [Option<usize>; 2]>,
}

impl<'s> Calls<'s> {
    fn new(s: &'s Scenario) -> Calls<'s> {
        let mut calls = Calls { verbs: Vec::new(), by_text: HashMap::new() };
        if s.claims().next().is_none() {
            return calls;
        }
        for (i, (st, _)) in s.stmts().enumerate() {
            calls.verbs.push(st.event.verb());
            let slot = calls.by_text.entry(&st.event).or_default();
            match slot {
                [None, _] => slot[0] = Some(i),
                [Some(_), None] => slot[1] = Some(i),
                _ => {}
            }
        }
        calls
    }
}

/// Every result an expectation names.
fn expect_results(e: &Expect) -> impl Iterator<Item = Ret> + '_ {
    e.default.iter().chain(e.overrides.iter().map(|(_, o)| o)).flat_map(outcome_results)
}

fn outcome_results(o: &Outcome) -> Vec<Ret> {
    match o {
        Outcome::Is(r) => vec![*r],
        Outcome::AnyOf(set) => set.iter().copied().collect(),
    }
}

/// Results a call can never give: a page version from anything but
/// `read`, and `0` from `read` (it returns data or an errno).
fn result_kind_error(verb: Verb, mut results: impl Iterator<Item = Ret>) -> Option<String> {
    let wrong = match verb.returns_content() {
        true => results.find(|r| r.is_ok())?,
        false => results.find(|r| r.content().is_some())?,
    };
    Some(if verb.returns_content() {
        format!(
            "`{verb}` returns the page's content, never `{wrong}`: expect a version such as `v1` \
             (`v0`: what the page held before the scenario), or an errno"
        )
    } else {
        format!("`{wrong}` is page content, which only `read` returns; `{verb}` returns `0` or an errno")
    })
}

/// The fd names an event mentions, with their argument positions.
fn fd_names(e: &Event) -> Vec<(usize, &Name)> {
    match e {
        Event::Open { fd, .. } => vec![(0, fd)],
        Event::Dup { new, fd } => vec![(0, new), (1, fd)],
        _ => e.fd().map(|fd| (0, fd)).into_iter().collect(),
    }
}
