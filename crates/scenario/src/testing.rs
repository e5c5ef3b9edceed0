//! Test support for this workspace's crates (feature `test-support`): the
//! example corpus, a synthetic scenario for benchmarks, and with feature
//! `proptest` a generator of arbitrary scenarios in canonical form.
//!
//! One copy of each, so the parser's tests, the share codec's, the
//! renderers' and the benchmarks all use the same inputs.

#[cfg(not(target_arch = "wasm32"))]
use std::path::PathBuf;

/// Every scenario file of `examples/` and `examples/findings/`, sorted:
/// the corpus as `errseq-examples` listed it at build time. (In wasm,
/// which has no files, read `errseq_examples::ALL` itself.)
#[cfg(not(target_arch = "wasm32"))]
pub fn examples() -> Vec<PathBuf> {
    errseq_examples::ALL.iter().map(errseq_examples::Example::path).collect()
}

/// A valid scenario of about `events` events (at least 4): four fds over
/// three files; writes to four pages, storage failing and healing,
/// background writeback, recorded errors, fsync, fdatasync, syncfs,
/// in-kernel flushes and close-and-reopen, in a fixed pseudo-random mix.
/// What the benchmarks evaluate.
pub fn synthetic(events: usize) -> String {
    let mut text = String::from("open a f\nopen b f\nopen c g\nopen d h\n");
    let (fds, files) = (["a", "b", "c", "d"], ["f", "g", "h"]);
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut n = 4;
    while n < events {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let (fd, file) = (fds[(state >> 8) as usize % 4], files[(state >> 16) as usize % 3]);
        let line = match state % 16 {
            0..=4 => format!("write {fd} {}", (state >> 24) % 4),
            5 => format!("fail {file} EIO"),
            6 => format!("heal {file}"),
            7 => format!("writeback {file}"),
            8 => format!("error {file} ENOSPC"),
            9..=11 => format!("fsync {fd}"),
            12 => format!("fdatasync {fd}"),
            13 => format!("syncfs {fd}"),
            14 => format!("flush {file}"),
            _ => format!("close {fd}\nopen {fd} {file}"),
        };
        n += line.lines().count();
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// Generators of arbitrary scenarios, as the parser leaves them (so that
/// printing and parsing gives them back): no gap first, last or twice
/// running, trimmed comments, head notes only with a header.
#[cfg(feature = "proptest")]
pub mod strategy {
    use std::collections::BTreeSet;

    use errseq::{Errno, Ret, Scheme, SchemeName, WrittenName};
    use proptest::prelude::*;

    use crate::{
        CallRef, Claim, ClaimKind, Cond, Event, Expect, Fs, Item, Name, OpenFlags, Outcome, Pages, Par, Rwf,
        Scenario, SchemeBlock, Stmt, SyncRange, Verb,
    };

    pub fn name() -> impl Strategy<Value = Name> {
        "[a-z][a-z0-9_]{0,5}".prop_map(|s| Name::new(&s).expect("valid by construction"))
    }

    pub fn errno() -> impl Strategy<Value = Errno> {
        prop::sample::select(Errno::names().collect::<Vec<_>>())
            .prop_map(|n| Errno::from_name(n).expect("listed"))
    }

    /// 0, an errno, or a read's page version (`v0` to the largest the
    /// text can say, the number of lines a text may have).
    pub fn ret() -> impl Strategy<Value = Ret> {
        let max = crate::limits::MAX_LINES as u32;
        prop_oneof![
            2 => Just(Ret::OK),
            2 => errno().prop_map(Ret::err),
            1 => prop_oneof![0u32..4, 0..=max].prop_map(Ret::version),
        ]
    }

    pub fn outcome() -> impl Strategy<Value = Outcome> {
        prop_oneof![
            ret().prop_map(Outcome::Is),
            prop::collection::btree_set(ret(), 1..4).prop_map(Outcome::AnyOf),
        ]
    }

    pub fn scheme_name() -> impl Strategy<Value = SchemeName> {
        prop_oneof![
            Just(SchemeName::Linux),
            prop::sample::select(Scheme::ALL.to_vec()).prop_map(SchemeName::Exact)
        ]
    }

    pub fn expect() -> impl Strategy<Value = Expect> {
        (prop::option::of(outcome()), prop::collection::vec((scheme_name(), outcome()), 0..3))
            .prop_filter("a default or an override", |(d, o)| d.is_some() || !o.is_empty())
            .prop_map(|(default, overrides)| {
                let mut seen = BTreeSet::new();
                let overrides = overrides.into_iter().filter(|(n, _)| seen.insert(*n)).collect();
                Expect { default, overrides }
            })
    }

    /// sync_file_range's steps: any of the seven the text can say, the
    /// bare call (all three) as often as the six others together.
    pub fn sync_range() -> impl Strategy<Value = SyncRange> {
        prop_oneof![
            1 => Just(SyncRange::ALL),
            1 => (1u8..7).prop_map(|bits| SyncRange {
                wait_before: bits & 1 != 0,
                write: bits & 2 != 0,
                wait_after: bits & 4 != 0,
            }),
        ]
    }

    /// open's flags: none (O_RDWR) half the time, else any valid set.
    pub fn open_flags() -> impl Strategy<Value = OpenFlags> {
        prop_oneof![
            1 => Just(OpenFlags::default()),
            1 => (0u8..16)
                .prop_map(|b| OpenFlags { rdonly: b & 1 != 0, sync: b & 2 != 0, dsync: b & 4 != 0, direct: b & 8 != 0 })
                .prop_filter("a set the text can say", |f| f.is_valid()),
        ]
    }

    pub fn rwf() -> impl Strategy<Value = Rwf> {
        prop::sample::select(Rwf::ALL.to_vec())
    }

    /// fail's and heal's pages: one page or an inclusive range.
    pub fn pages() -> impl Strategy<Value = Pages> {
        prop_oneof![
            any::<u32>().prop_map(Pages::one),
            (0u32..4, 0u32..4).prop_map(|(a, b)| Pages { first: a.min(b), last: a.max(b) }),
            (any::<u32>(), any::<u32>()).prop_map(|(a, b)| Pages { first: a.min(b), last: a.max(b) }),
        ]
    }

    pub fn event() -> impl Strategy<Value = Event> {
        prop_oneof![
            (name(), name(), open_flags()).prop_map(|(fd, file, flags)| Event::Open { fd, file, flags }),
            (name(), name()).prop_map(|(new, fd)| Event::Dup { new, fd }),
            name().prop_map(|fd| Event::Close { fd }),
            (name(), prop_oneof![Just(0u32), any::<u32>()], prop::option::of(rwf()))
                .prop_map(|(fd, page, rwf)| Event::Write { fd, page, rwf }),
            (name(), prop_oneof![Just(0u32), any::<u32>()])
                .prop_map(|(fd, page)| Event::MmapWrite { fd, page }),
            name().prop_map(|fd| Event::Msync { fd }),
            (name(), prop_oneof![Just(0u32), any::<u32>()]).prop_map(|(fd, page)| Event::Read { fd, page }),
            (name(), errno(), prop::option::of(pages())).prop_map(|(file, errno, pages)| Event::Fail {
                file,
                errno,
                pages
            }),
            (name(), prop::option::of(pages())).prop_map(|(file, pages)| Event::Heal { file, pages }),
            name().prop_map(|file| Event::Writeback { file }),
            (name(), errno()).prop_map(|(file, errno)| Event::Error { file, errno }),
            name().prop_map(|fd| Event::Fsync { fd }),
            name().prop_map(|fd| Event::Fdatasync { fd }),
            (name(), sync_range()).prop_map(|(fd, flags)| Event::SyncFileRange { fd, flags }),
            name().prop_map(|fd| Event::Syncfs { fd }),
            Just(Event::Sync),
            name().prop_map(|file| Event::Flush { file }),
            name().prop_map(|file| Event::Evict { file }),
        ]
    }

    /// Comment text as the parser keeps it: one line, trimmed.
    pub fn note() -> impl Strategy<Value = String> {
        "[ -~é✓]{0,20}".prop_map(|s| s.trim().to_owned())
    }

    /// A label: a name that is not a keyword.
    pub fn label() -> impl Strategy<Value = Name> {
        name().prop_filter("not a keyword", |n| {
            Verb::from_keyword(n.as_str()).is_none()
                && !["as", "for", "exists", "never", "par", "end"].contains(&n.as_str())
        })
    }

    pub fn stmt() -> impl Strategy<Value = Stmt> {
        (event(), prop::option::of(label()), prop::option::of(expect()), prop::option::of(note())).prop_map(
            |(event, label, expect, comment)| {
                // A write may carry one (the checker decides if it returns).
                let expect = expect.filter(|_| event.verb().may_return());
                Stmt { event, label, expect, comment }
            },
        )
    }

    pub fn claim() -> impl Strategy<Value = Claim> {
        let kind = prop_oneof![Just(ClaimKind::Exists), Just(ClaimKind::Never)];
        let call = prop_oneof![label().prop_map(CallRef::Label), event().prop_map(CallRef::Call)];
        let cond = (call, outcome()).prop_map(|(call, outcome)| Cond { call, outcome });
        let schemes = prop::collection::btree_set(scheme_name(), 0..3).prop_map(|s| s.into_iter().collect());
        (kind, prop::collection::vec(cond, 1..4), schemes, prop::option::of(note()))
            .prop_map(|(kind, conds, schemes, comment)| Claim { kind, conds, schemes, comment })
    }

    /// Items as the parser leaves them: no gap first, last, or twice running.
    pub fn normalise(items: Vec<Item>) -> Vec<Item> {
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

    /// Each written scheme's name once (the parser refuses a second).
    fn written_once(body: Vec<Item>) -> Vec<Item> {
        let mut seen = Vec::new();
        body.into_iter()
            .filter(|i| match i {
                Item::Scheme(b) if seen.contains(&b.name) => false,
                Item::Scheme(b) => {
                    seen.push(b.name);
                    true
                }
                _ => true,
            })
            .collect()
    }

    pub fn flat_item() -> impl Strategy<Value = Item> {
        prop_oneof![6 => stmt().prop_map(Item::Stmt), 1 => note().prop_map(Item::Note), 1 => Just(Item::Gap)]
    }

    /// A scheme block as the parser keeps it: lines without trailing
    /// blanks or line endings, none of them `end` alone or `end #...`
    /// (which would close the block). Its C need not compile: printing
    /// and parsing do not look into it. No line starts with `>`, which a
    /// quoted mail cannot tell from a deeper quote (a known gap of the
    /// mail reader, docs/scenario-format.md).
    pub fn scheme_block() -> impl Strategy<Value = SchemeBlock> {
        let bases: Vec<Scheme> =
            Scheme::ALL.into_iter().chain(Scheme::VARIANTS).filter(|s| errseq_lang::is_base(*s)).collect();
        let line = "[ -~\t]{0,24}|\tend|end;".prop_map(|l| l.trim_end().to_owned()).prop_filter(
            "does not close the block",
            |l| {
                let t = l.trim();
                t != "end"
                    && !t.strip_prefix("end").is_some_and(|r| r.trim_start().starts_with('#'))
                    && !t.starts_with('>')
            },
        );
        (
            "[a-z][a-z0-9.-]{0,8}".prop_filter_map("a written name", |n| WrittenName::new(&n)),
            prop::sample::select(bases),
            prop::collection::vec(line, 0..6),
            prop::option::of(note()),
        )
            .prop_map(|(name, base, lines, comment)| SchemeBlock { name, base, lines, comment })
    }

    pub fn item() -> impl Strategy<Value = Item> {
        prop_oneof![
            1 => scheme_block().prop_map(Item::Scheme),
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
                    body: normalise(written_once(body)),
                }
            })
    }
}
