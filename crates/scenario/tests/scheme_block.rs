//! Scheme blocks in scenarios: `scheme NAME from BASE` ... `end`.

use errseq::{Scheme, SchemeName, WrittenName};
use errseq_scenario::{parse, parse_unchecked, Item};

const NEIL: &str = "title: NeilBrown's set
schemes: rfc-v2 neil

scheme neil from rfc-v2  # skip the cmpxchg when nothing changes
#define MINE 1
int filemap_set_wb_error(errseq_t *eseq, int err)
{
\treturn 0;
}
end
open a f
error f EIO
fsync a => EIO neil=0
never fsync a = EIO for neil
";

fn written(id: &str) -> SchemeName {
    SchemeName::Written(WrittenName::new(id).expect("a name"))
}

#[test]
fn a_block_parses_and_prints_back_byte_for_byte() {
    let (s, src) = parse_unchecked(NEIL).expect("parses");
    let blocks: Vec<_> = s.scheme_blocks().collect();
    assert_eq!(blocks.len(), 1);
    let b = blocks[0];
    assert_eq!((b.name.as_str(), b.base), ("neil", Scheme::RfcV2));
    assert_eq!(b.lines[0], "#define MINE 1");
    assert_eq!(b.lines[3], "\treturn 0;");
    assert_eq!(b.comment.as_deref(), Some("skip the cmpxchg when nothing changes"));
    assert_eq!(src.schemes[0].first_line, 5);
    assert_eq!(s.to_string(), NEIL, "the canonical text is the text");
    assert_eq!(s.scheme_names(), vec![SchemeName::Exact(Scheme::RfcV2), written("neil")]);
    let expect = s.stmts().nth(2).and_then(|(st, _)| st.expect.clone()).expect("an expectation");
    assert_eq!(expect.overrides[0].0, written("neil"));
}

#[test]
fn trailing_blanks_go_and_indentation_stays() {
    let text = "scheme w from linux-4.17   \n  \t int x;   \n\nend\n";
    let (s, _) = parse_unchecked(text).expect("parses");
    let Some(Item::Scheme(b)) = s.body.first() else { panic!("a block") };
    assert_eq!(b.lines, vec!["  \t int x;".to_owned(), String::new()]);
    assert_eq!(s.to_string(), "scheme w from linux-4.17\n  \t int x;\n\nend\n");
}

#[test]
fn a_written_scheme_not_listed_is_compared_after_the_listed_ones() {
    let text = "schemes: linux-4.13\nscheme mine from linux-4.17\nend\nopen a f\n";
    let p = parse(text).expect("parses");
    assert_eq!(p.scenario.scheme_names(), vec![SchemeName::Exact(Scheme::Linux413), written("mine")]);
    assert_eq!(p.bindings.written.len(), 1);
    let without = parse("scheme mine from linux-4.17\nend\n").expect("parses");
    assert_eq!(without.scenario.scheme_names().len(), 8, "the seven, then mine");
}

fn errors(text: &str) -> Vec<String> {
    match parse(text) {
        Ok(_) => Vec::new(),
        Err(d) => d.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn a_name_no_block_defines_is_unknown() {
    let e = errors("schemes: rfc-v2 neil\nopen a f\n");
    assert_eq!(e, vec!["1:17: unknown scheme `neil`; schemes are linux-4.12, rfc-v1, rfc-v2, linux-4.13, linux-4.14, linux-4.17, linux-5.8, rfc-v2-skip-unchanged, rfc-v2-report-once, linux"]);
    let e = errors("scheme neil from rfc-v2\nend\nopen a f\nfsync a => neal=0\n");
    assert_eq!(e, vec!["4:12: unknown scheme `neal`; did you mean `neil`?"]);
    let e = errors("open a f\nfsync a\nnever fsync a = EIO for nope\n");
    assert_eq!(e.len(), 1);
    assert!(e[0].starts_with("3:25: unknown scheme `nope`"), "{e:?}");
}

#[test]
fn the_compilers_diagnostics_land_on_the_scenarios_lines() {
    let text = "title: t\nscheme bad from linux-4.17\nint errseq_check(errseq_t *eseq, errseq_t since)\n{\n\treturn nope;\n}\nend\n";
    let e = errors(text);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("5:9: "), "{e:?}");
    assert!(e[0].contains("nope"), "{e:?}");
}

#[test]
fn bad_headers_say_what_to_write() {
    let cases: [(&str, &str); 8] = [
        ("scheme rfc-v2 from rfc-v2\nend\n", "1:8: `rfc-v2`: that is a built-in scheme's id"),
        ("scheme linux from rfc-v2\nend\n", "1:8: `linux`: that is a built-in scheme's id"),
        ("scheme Mine from rfc-v2\nend\n", "1:8: `Mine`: a scheme's name starts with a lower-case letter"),
        ("scheme m from linux-4.12\nend\n", "1:15: a scheme cannot start from linux-4.12"),
        ("scheme m from linux\nend\n", "1:15: `linux` moves to each newer kernel"),
        ("scheme m from rfc-v3\nend\n", "1:15: unknown base scheme `rfc-v3`; did you mean `rfc-v2`?"),
        ("scheme m to rfc-v2\nend\n", "1:10: expected `from` here"),
        ("scheme m from rfc-v2\nint x;\n", "1:1: this scheme block is never closed"),
    ];
    for (text, want) in cases {
        let e = errors(text);
        assert!(e.first().is_some_and(|m| m.starts_with(want)), "{text:?}: {e:?}");
    }
    let e = errors("scheme m from rfc-v2\nend # done\n");
    assert!(e[0].starts_with("2:1: a comment after a scheme block's `end`"), "{e:?}");
    let e = errors("open a f\npar\n  fsync a\n  scheme m from rfc-v2\n  end\nend\n");
    assert!(e[0].starts_with("4:3: a scheme block goes at the top level"), "{e:?}");
    let e = errors("scheme m from rfc-v2\nend\nscheme m from linux-4.17\nend\n");
    assert!(e[0].starts_with("3:8: scheme `m` is written twice"), "{e:?}");
}

/// A line that started with `scheme` was an error before blocks existed
/// ("unknown call"), so no text that parsed changes meaning; a `#`
/// inside a block is C, not a comment.
#[test]
fn inside_a_block_hash_is_c_and_words_are_not_calls() {
    let text = "scheme m from linux-4.17\n#define ERRSEQ_SHIFT 12\n// open a f\nend\nopen a f\n";
    let p = parse(text).expect("parses");
    assert_eq!(p.scenario.stmts().count(), 1);
}
