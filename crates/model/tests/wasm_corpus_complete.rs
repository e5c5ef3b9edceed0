//! The wasm test embeds the corpus file by file (the browser has no file
//! system); this keeps that list complete as examples are added.
#![cfg(not(target_arch = "wasm32"))]

#[test]
fn the_wasm_test_embeds_every_example() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let wasm_test = std::fs::read_to_string(root.join("tests/wasm.rs")).expect("tests/wasm.rs");
    let examples = std::fs::read_dir(root.join("../../examples")).expect("examples/");
    for entry in examples {
        let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
        if name.ends_with(".errseq") {
            assert!(wasm_test.contains(&format!("examples/{name}\"")), "tests/wasm.rs does not embed {name}");
        }
    }
}
