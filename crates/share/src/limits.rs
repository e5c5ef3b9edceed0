//! The limits of what a link carries, as one check on a scenario: what
//! [`crate::try_encode`] refuses to make is exactly what [`crate::decode`]
//! refuses to read, whatever the form of the link.
//!
//! The binary decoder refuses a link beyond these numbers before it
//! allocates for it (`v1::Decoder`); this module says the same about a
//! scenario in hand, in words about the scenario rather than about bits.
//! Both use the constants of `v1`, so they cannot drift apart.

use std::collections::HashSet;

use errseq_scenario::{CallRef, Item, Scenario};

use crate::v1::{self, MAX_CONDS, MAX_ENTRIES, MAX_LIST, MAX_NAMES, MAX_NAME_LEN, MAX_SET, MAX_TEXT_BYTES};

/// What is counted, walking the scenario once.
#[derive(Default)]
struct Count<'a> {
    names: HashSet<&'a str>,
    longest_name: Option<&'a str>,
    lines: usize,
    text_bytes: usize,
    /// The first list beyond its limit: what, how many, the limit.
    list: Option<(&'static str, usize, u64)>,
}

impl<'a> Count<'a> {
    fn name(&mut self, n: &'a str) {
        if self.longest_name.is_none_or(|l| n.len() > l.len()) {
            self.longest_name = Some(n);
        }
        self.names.insert(n);
    }

    fn text(&mut self, t: Option<&'a String>) {
        self.text_bytes = self.text_bytes.saturating_add(t.map_or(0, |t| t.len()));
    }

    fn list(&mut self, what: &'static str, n: usize, max: u64) {
        if self.list.is_none() && n as u64 > max {
            self.list = Some((what, n, max));
        }
    }

    fn event(&mut self, e: &'a errseq_scenario::Event) {
        for n in v1::operands(e) {
            self.name(n.as_str());
        }
    }

    fn outcome(&mut self, o: &errseq_scenario::Outcome) {
        if let errseq_scenario::Outcome::AnyOf(set) = o {
            self.list("results in one set", set.len(), MAX_SET);
        }
    }

    fn items(&mut self, items: &'a [Item]) {
        self.lines = self.lines.saturating_add(items.len());
        for item in items {
            match item {
                Item::Stmt(st) => {
                    self.event(&st.event);
                    if let Some(l) = &st.label {
                        self.name(l.as_str());
                    }
                    if let Some(e) = &st.expect {
                        self.list("per-scheme expectations on one call", e.overrides.len(), MAX_LIST);
                        for o in e.default.iter().chain(e.overrides.iter().map(|(_, o)| o)) {
                            self.outcome(o);
                        }
                    }
                    self.text(st.comment.as_ref());
                }
                Item::Par(p) => {
                    self.text(p.comment.as_ref());
                    self.items(&p.items);
                }
                Item::Claim(c) => {
                    self.list("conditions in one claim", c.conds.len(), MAX_CONDS);
                    self.list("schemes after one claim's `for`", c.schemes.len(), MAX_LIST);
                    for cond in &c.conds {
                        match &cond.call {
                            CallRef::Label(l) => self.name(l.as_str()),
                            CallRef::Call(e) => self.event(e),
                        }
                        self.outcome(&cond.outcome);
                    }
                    self.text(c.comment.as_ref());
                }
                Item::Note(t) => self.text(Some(t)),
                Item::Gap => {}
                // Its lines count; its text is the text link's to carry
                // (`text::MAX_TEXT` bounds it).
                Item::Scheme(b) => {
                    self.lines = self.lines.saturating_add(b.lines.len() + 1);
                    self.text(b.comment.as_ref());
                }
            }
        }
    }
}

/// Whether a link can carry `s` (and `replay`): `Err` says which limit it
/// passes, in a sentence about the scenario ("the scenario has ...; a link
/// carries at most ..."). Linear in the size of the scenario.
pub(crate) fn check(s: &Scenario, replay: Option<&str>) -> Result<(), String> {
    let mut c = Count::default();
    c.text(s.title.as_ref());
    for n in &s.head_notes {
        c.text(Some(n));
    }
    c.lines = s.head_notes.len();
    c.text_bytes = c.text_bytes.saturating_add(replay.map_or(0, str::len));
    if let Some(list) = &s.schemes {
        c.list("schemes in the `schemes:` header", list.len(), MAX_LIST);
    }
    c.items(&s.body);
    if c.names.len() as u64 > MAX_NAMES {
        return Err(format!(
            "the scenario has {} names (fds, files and labels); a link carries at most {MAX_NAMES}",
            c.names.len()
        ));
    }
    if let Some(n) = c.longest_name.filter(|n| n.len() as u64 > MAX_NAME_LEN) {
        let shown: String = n.chars().take(24).collect();
        return Err(format!(
            "the name `{shown}…` has {} characters; a link carries names of at most {MAX_NAME_LEN}",
            n.len()
        ));
    }
    if c.lines > MAX_ENTRIES {
        return Err(format!(
            "the scenario has {} lines (calls, claims, comments, blank lines and the lines of par blocks); \
             a link carries at most {MAX_ENTRIES}",
            c.lines
        ));
    }
    if c.text_bytes > MAX_TEXT_BYTES {
        return Err(format!(
            "the scenario's title, comments and replay string take {} bytes; \
             a link carries at most {MAX_TEXT_BYTES} bytes of them",
            c.text_bytes
        ));
    }
    if let Some((what, n, max)) = c.list {
        return Err(format!("the scenario has {n} {what}; a link carries at most {max}"));
    }
    Ok(())
}
