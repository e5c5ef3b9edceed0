//! Shared by the tests: a proptest generator of canonical scenarios (the
//! one of `crates/scenario/tests/props.rs`), the example files, and a
//! small deterministic random generator.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use errseq::{Errno, Ret, Scheme, SchemeName};
use errseq_scenario::{
    CallRef, Claim, ClaimKind, Cond, Event, Expect, Fs, Item, Name, Outcome, Par, Scenario, Stmt, Verb,
};
use proptest::prelude::*;

/// Every scenario file of `examples/` and `examples/findings/`, sorted.
pub fn example_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut files = Vec::new();
    for dir in [root.clone(), root.join("findings")] {
        for entry in std::fs::read_dir(&dir).expect("examples/") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|x| x == "errseq") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// `findings/1-set-races-two-fsyncs.errseq` and the like.
pub fn short_name(path: &Path) -> String {
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    match path.parent().and_then(|p| p.file_name()) {
        Some(d) if d == "findings" => format!("findings/{file}"),
        _ => file,
    }
}

/// xorshift64*: deterministic, no dependency.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform-ish in 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A replay string, or any short text (the link carries it as given).
pub fn replay() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof!["1[a-h](\\.[A-Za-z0-9_-]{0,6}){0,3}", "[ -~é]{0,12}"])
}

fn name() -> impl Strategy<Value = Name> {
    "[a-z][a-z0-9_]{0,5}".prop_map(|s| Name::new(&s).expect("valid by construction"))
}

fn errno() -> impl Strategy<Value = Errno> {
    prop::sample::select(Errno::names().collect::<Vec<_>>())
        .prop_map(|n| Errno::from_name(n).expect("listed"))
}

fn ret() -> impl Strategy<Value = Ret> {
    prop_oneof![Just(Ret::OK), errno().prop_map(Ret::err)]
}

fn outcome() -> impl Strategy<Value = Outcome> {
    prop_oneof![
        ret().prop_map(Outcome::Is),
        prop::collection::btree_set(ret(), 1..4).prop_map(Outcome::AnyOf),
    ]
}

fn scheme_name() -> impl Strategy<Value = SchemeName> {
    prop_oneof![
        Just(SchemeName::Linux),
        prop::sample::select(Scheme::ALL.to_vec()).prop_map(SchemeName::Exact)
    ]
}

fn expect() -> impl Strategy<Value = Expect> {
    (prop::option::of(outcome()), prop::collection::vec((scheme_name(), outcome()), 0..3))
        .prop_filter("a default or an override", |(d, o)| d.is_some() || !o.is_empty())
        .prop_map(|(default, overrides)| {
            let mut seen = BTreeSet::new();
            let overrides = overrides.into_iter().filter(|(n, _)| seen.insert(*n)).collect();
            Expect { default, overrides }
        })
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        (name(), name()).prop_map(|(fd, file)| Event::Open { fd, file }),
        (name(), name()).prop_map(|(new, fd)| Event::Dup { new, fd }),
        name().prop_map(|fd| Event::Close { fd }),
        (name(), prop_oneof![Just(0u32), any::<u32>()]).prop_map(|(fd, page)| Event::Write { fd, page }),
        (name(), errno()).prop_map(|(file, errno)| Event::Fail { file, errno }),
        name().prop_map(|file| Event::Heal { file }),
        name().prop_map(|file| Event::Writeback { file }),
        (name(), errno()).prop_map(|(file, errno)| Event::Error { file, errno }),
        name().prop_map(|fd| Event::Fsync { fd }),
        name().prop_map(|fd| Event::Fdatasync { fd }),
        name().prop_map(|fd| Event::SyncFileRange { fd }),
        name().prop_map(|fd| Event::Syncfs { fd }),
        Just(Event::Sync),
        name().prop_map(|file| Event::Flush { file }),
        name().prop_map(|file| Event::Evict { file }),
    ]
}

/// Comment text as the parser keeps it: one line, trimmed.
fn note() -> impl Strategy<Value = String> {
    "[ -~é✓]{0,20}".prop_map(|s| s.trim().to_owned())
}

/// A label: a name that is not a keyword.
fn label() -> impl Strategy<Value = Name> {
    name().prop_filter("not a keyword", |n| {
        Verb::from_keyword(n.as_str()).is_none()
            && !["as", "for", "exists", "never", "par", "end"].contains(&n.as_str())
    })
}

fn stmt() -> impl Strategy<Value = Stmt> {
    (event(), prop::option::of(label()), prop::option::of(expect()), prop::option::of(note())).prop_map(
        |(event, label, expect, comment)| {
            let expect = expect.filter(|_| event.verb().returns());
            Stmt { event, label, expect, comment }
        },
    )
}

fn claim() -> impl Strategy<Value = Claim> {
    let kind = prop_oneof![Just(ClaimKind::Exists), Just(ClaimKind::Never)];
    let call = prop_oneof![label().prop_map(CallRef::Label), event().prop_map(CallRef::Call)];
    let cond = (call, outcome()).prop_map(|(call, outcome)| Cond { call, outcome });
    let schemes = prop::collection::btree_set(scheme_name(), 0..3).prop_map(|s| s.into_iter().collect());
    (kind, prop::collection::vec(cond, 1..4), schemes, prop::option::of(note()))
        .prop_map(|(kind, conds, schemes, comment)| Claim { kind, conds, schemes, comment })
}

/// Items as the parser leaves them: no gap first, last, or twice running.
fn normalise(items: Vec<Item>) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    for item in items {
        if matches!(item, Item::Gap) && matches!(out.last(), None | Some(Item::Gap)) {
            continue;
        }
        out.push(item);
    }
    while matches!(out.last(), Some(Item::Gap)) {
        out.pop();
    }
    out
}

fn flat_item() -> impl Strategy<Value = Item> {
    prop_oneof![6 => stmt().prop_map(Item::Stmt), 1 => note().prop_map(Item::Note), 1 => Just(Item::Gap)]
}

fn item() -> impl Strategy<Value = Item> {
    prop_oneof![
        8 => flat_item(),
        1 => claim().prop_map(Item::Claim),
        1 => (prop::collection::vec(flat_item(), 0..4), stmt(), prop::option::of(note())).prop_map(|(mut items, s, comment)| {
            items.push(Item::Stmt(s));
            Item::Par(Par { items: normalise(items), comment })
        }),
    ]
}

pub fn scenario() -> impl Strategy<Value = Scenario> {
    (
        prop::option::of("[!-\"$-~][ -\"$-~]{0,30}".prop_map(|s| s.trim().to_owned())),
        prop::option::of(
            prop::collection::btree_set(scheme_name(), 1..4).prop_map(|s| s.into_iter().collect()),
        ),
        prop::option::of(prop::sample::select(Fs::ALL.to_vec())),
        prop::collection::vec(note(), 0..3),
        prop::collection::vec(item(), 0..25),
    )
        .prop_map(|(title, schemes, fs, head_notes, body)| {
            let has_header = title.is_some() || schemes.is_some() || fs.is_some();
            Scenario {
                title: title.filter(|t| !t.is_empty()),
                schemes,
                fs,
                head_notes: if has_header { head_notes } else { Vec::new() },
                body: normalise(body),
            }
        })
}
