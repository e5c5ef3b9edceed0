//! The SVG pictures of every example: well-formed XML (read back by an
//! XML parser), self-contained (no script, nothing fetched), small, and
//! showing what the report says.

use errseq_explorer::Bounds;
use errseq_render::Analysis;
use errseq_scenario::{parse, Parsed};

const LINK: &str = "https://errseq.example.org/#2A4JWChRoAYW";

fn analyse(text: &str) -> (Parsed, Analysis) {
    let p = parse(text).unwrap_or_else(|d| panic!("{d:?}"));
    let r = errseq_explorer::check(&p, Bounds::default()).unwrap_or_else(|e| panic!("{e}"));
    let a = Analysis::explored(&p, r);
    (p, a)
}

fn texts(doc: &roxmltree::Document<'_>) -> Vec<String> {
    doc.descendants().filter(|n| n.has_tag_name("text")).map(|n| n.text().unwrap_or("").to_owned()).collect()
}

#[test]
fn every_example_is_a_well_formed_self_contained_picture_of_its_report() {
    for e in errseq_examples::ALL {
        let (p, a) = analyse(e.text);
        let svg = errseq_render::svg(&p, &a, LINK);
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|err| panic!("{}: {err}\n{svg}", e.name));
        let root = doc.root_element();
        assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2000/svg"), "{}", e.name);
        assert!(root.attribute("viewBox").is_some(), "{}", e.name);
        // Self-contained: no script, no other document, font or image.
        for n in doc.descendants().filter(|n| n.is_element()) {
            let tag = n.tag_name().name();
            assert!(
                !["script", "image", "foreignObject", "use", "iframe"].contains(&tag),
                "{}: <{tag}>",
                e.name
            );
            for a in n.attributes() {
                assert!(!a.name().starts_with("on"), "{}: {} on <{tag}>", e.name, a.name());
                if a.name() == "href" {
                    assert_eq!((tag, a.value()), ("a", LINK), "{}", e.name);
                }
            }
        }
        let style: String =
            doc.descendants().filter(|n| n.has_tag_name("style")).filter_map(|n| n.text()).collect();
        assert!(
            !style.contains("url(") && !style.contains("@import") && !style.contains("@font-face"),
            "{}",
            e.name
        );
        assert!(style.contains("prefers-color-scheme:dark") && style.contains("@media print"), "{}", e.name);
        // Every call and every scheme is drawn; each failed expectation
        // is a crossed, red cell that says what was expected.
        let shown = texts(&doc);
        for (s, _) in p.scenario.stmts() {
            assert!(shown.iter().any(|t| t.starts_with(&s.event.to_string())), "{}: {}", e.name, s.event);
        }
        for c in &a.columns {
            assert!(shown.iter().any(|t| t == c.as_str()), "{}: {c}", e.name);
        }
        let crossed = doc
            .descendants()
            .filter(|n| n.has_tag_name("text") && n.attribute("class") == Some("f"))
            .filter(|n| n.text().is_some_and(|t| t.ends_with(" ✗")))
            .count();
        assert_eq!(crossed, a.failures().count(), "{}", e.name);
    }
}

#[test]
fn hostile_text_is_escaped_and_inert() {
    let (p, a) = analyse(
        "title: </text><script>alert(1)</script> & \x1b]0;x\x07\u{202e}\nopen a_b f\nfsync a_b => 0\n",
    );
    let svg = errseq_render::svg(&p, &a, "https://e.org/#text=a%22b<c>");
    let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
    assert!(!doc.descendants().any(|n| n.has_tag_name("script")));
    let title = doc.descendants().find(|n| n.has_tag_name("title")).and_then(|n| n.text()).expect("a title");
    assert_eq!(title, "</text><script>alert(1)</script> & \\x1b]0;x\\x07\\u{202e}");
    assert!(!svg.chars().any(errseq_scenario::inert::is_control));
    let href = doc.descendants().find_map(|n| n.attribute("href")).expect("a link");
    assert_eq!(href, "https://e.org/#text=a%22b<c>");
}
