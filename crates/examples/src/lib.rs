//! The example corpus, listed once: the files of `examples/` (and
//! `examples/findings/`) as the build found them, and the gallery's
//! selection from `examples/gallery.txt`. Every test that runs "every
//! example", the model's wasm test and the page's gallery read these
//! lists, so an example added to the folder is checked everywhere without
//! being named anywhere else.
//!
//! The texts are embedded (the browser has no file system); a native test
//! that needs a path asks [`Example::path`].

/// One example: its name (`05-fsync-retry`, `findings/2-unserialized-syncfs`),
/// the gallery's one-line why (empty outside the gallery) and its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    pub name: &'static str,
    pub why: &'static str,
    pub text: &'static str,
}

/// A gallery entry as its list shows it, without the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Card {
    pub name: &'static str,
    pub title: &'static str,
    pub why: &'static str,
    /// Whether it has `par` blocks (it opens on the Explore view).
    pub concurrent: bool,
}

mod header;

include!(concat!(env!("OUT_DIR"), "/corpus.rs"));

impl Example {
    /// The `title:` header's value, or the name when there is none.
    pub fn title(&self) -> &'static str {
        header::title(self.name, self.text)
    }

    /// Whether it has `par` blocks (and so needs the explorer).
    pub fn is_concurrent(&self) -> bool {
        header::has_par(self.text)
    }

    /// Whether it is one of the findings (`examples/findings/`).
    pub fn is_finding(&self) -> bool {
        self.name.starts_with("findings/")
    }

    /// The file, for native tests that run the CLI on it.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn path(&self) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../examples/{}.errseq", self.name))
    }
}

/// The example called `name`, if there is one.
pub fn get(name: &str) -> Option<&'static Example> {
    ALL.iter().find(|e| e.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corpus_is_every_file_of_the_folder() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        let mut on_disk = 0;
        for sub in ["", "findings"] {
            for e in std::fs::read_dir(root.join(sub)).expect("examples/").flatten() {
                if e.path().extension().is_some_and(|x| x == "errseq") {
                    on_disk += 1;
                    let text = std::fs::read_to_string(e.path()).expect("read");
                    assert!(ALL.iter().any(|x| x.text == text), "{} missing", e.path().display());
                }
            }
        }
        assert_eq!(ALL.len(), on_disk);
        assert!(ALL.windows(2).all(|w| w[0].name < w[1].name), "sorted");
    }

    #[test]
    fn the_cards_are_the_gallery_without_its_texts() {
        assert_eq!(GALLERY_CARDS.len(), GALLERY.len());
        for (c, g) in GALLERY_CARDS.iter().zip(GALLERY) {
            assert_eq!((c.name, c.title, c.why, c.concurrent), (g.name, g.title(), g.why, g.is_concurrent()));
        }
        assert_eq!(FIRST_TEXT, GALLERY[0].text);
        assert!(GALLERY_CARDS.iter().any(|c| c.concurrent) && GALLERY_CARDS.iter().any(|c| !c.concurrent));
    }

    #[test]
    fn every_gallery_entry_is_an_example_with_a_why() {
        assert!(!GALLERY.is_empty());
        for g in GALLERY {
            assert_eq!(get(g.name).map(|e| e.text), Some(g.text), "{}", g.name);
            assert!(!g.why.is_empty(), "{} has no why", g.name);
            assert_ne!(g.title(), g.name, "{} has no title", g.name);
        }
    }

    #[test]
    fn paths_point_at_the_files() {
        for e in ALL {
            assert_eq!(std::fs::read_to_string(e.path()).expect("read"), e.text, "{}", e.name);
        }
    }
}
