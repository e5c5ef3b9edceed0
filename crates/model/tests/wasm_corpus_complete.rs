//! The wasm test embeds the corpus file by file (the browser has no file
//! system); this keeps that list complete as examples are added. Examples
//! with `par` blocks need the explorer, which the model's wasm test does
//! not have; the CLI tests check them natively.
#![cfg(not(target_arch = "wasm32"))]

#[test]
fn the_wasm_test_embeds_every_example() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let wasm_test = std::fs::read_to_string(root.join("tests/wasm.rs")).expect("tests/wasm.rs");
    let examples = std::fs::read_dir(root.join("../../examples")).expect("examples/");
    for entry in examples {
        let entry = entry.expect("entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".errseq") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("example");
        let concurrent = text.lines().any(|l| l.trim() == "par" || l.trim_start().starts_with("par "));
        if !concurrent {
            assert!(wasm_test.contains(&format!("examples/{name}\"")), "tests/wasm.rs does not embed {name}");
        }
    }
}
