//! Lists `examples/` once, at build time: every `*.errseq` file of
//! `examples/` and `examples/findings/` becomes an entry of `ALL`, and the
//! lines of `examples/gallery.txt` (`NAME  why`) become `GALLERY`. A
//! gallery line naming no file fails the build, so the page cannot offer
//! an example that does not exist.

#[path = "src/header.rs"]
mod header;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let root = root.canonicalize().expect("examples/ next to crates/");
    let names = corpus(&root);
    let gallery = gallery(&root, &names);
    let mut out = String::from("/// Every example, sorted by name.\npub static ALL: &[Example] = &[\n");
    for name in &names {
        entry(&mut out, &root, name, "");
    }
    out.push_str("];\n\n/// The gallery's examples, in its order, each with its one-line why.\n");
    out.push_str("pub static GALLERY: &[Example] = &[\n");
    for (name, why) in &gallery {
        entry(&mut out, &root, name, why);
    }
    out.push_str("];\n\n");
    cards(&mut out, &root, &gallery);
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR")).join("corpus.rs");
    std::fs::write(dest, out).expect("write corpus.rs");
}

/// The names (paths under `examples/` without `.errseq`), sorted.
fn corpus(root: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for sub in ["", "findings"] {
        let dir = root.join(sub);
        println!("cargo:rerun-if-changed={}", dir.display());
        for entry in std::fs::read_dir(&dir).expect("read examples/").flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|x| x == "errseq") {
                println!("cargo:rerun-if-changed={}", path.display());
                let stem = path.file_stem().and_then(|s| s.to_str()).expect("UTF-8 example name");
                names.push(if sub.is_empty() { stem.to_owned() } else { format!("{sub}/{stem}") });
            }
        }
    }
    names.sort();
    names
}

fn gallery(root: &Path, names: &[String]) -> Vec<(String, String)> {
    let path = root.join("gallery.txt");
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path).expect("examples/gallery.txt");
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, why) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        assert!(
            names.iter().any(|n| n == name),
            "examples/gallery.txt:{}: no example `{name}` in examples/",
            i + 1
        );
        out.push((name.to_owned(), why.trim().to_owned()));
    }
    out
}

fn entry(out: &mut String, root: &Path, name: &str, why: &str) {
    let file = root.join(format!("{name}.errseq"));
    let _ = writeln!(
        out,
        "    Example {{ name: {name:?}, why: {why:?}, text: include_str!({:?}) }},",
        file.display().to_string()
    );
}

/// The gallery as its list shows it (no texts: the page's first load
/// carries the cards and the first example, and asks for a text when one
/// is opened), and the first example's text.
fn cards(out: &mut String, root: &Path, gallery: &[(String, String)]) {
    out.push_str("/// The gallery's cards, in its order (`GALLERY` without the texts).\n");
    out.push_str("pub static GALLERY_CARDS: &[Card] = &[\n");
    for (name, why) in gallery {
        let text = std::fs::read_to_string(root.join(format!("{name}.errseq"))).expect("read example");
        let (title, concurrent) = (header::title(name, &text), header::has_par(&text));
        let _ = writeln!(
            out,
            "    Card {{ name: {name:?}, title: {title:?}, why: {why:?}, concurrent: {concurrent} }},"
        );
    }
    out.push_str("];\n\n");
    let first = gallery.first().map(|(name, _)| root.join(format!("{name}.errseq"))).expect("a gallery");
    out.push_str("/// The text of the gallery's first example (a first visit opens it).\n");
    let _ = writeln!(out, "pub static FIRST_TEXT: &str = include_str!({:?});", first.display().to_string());
}
