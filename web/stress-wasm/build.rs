//! Links the module for shared memory, when it is built for it (wasm32
//! with `--cfg errseq_shared_memory` and the atomics target feature, as
//! scripts/build-stress-wasm.sh does): the memory is imported (the page creates it, shared, and every
//! worker's instance gets the same one), its initial size is exactly
//! `errseq_stress::memory_map::MODULE_BYTES` (so a module that outgrew it
//! fails here, not at run time), its stack is small (each worker moves
//! its instance's stack to a region of its own, through the exported
//! `__stack_pointer`).

fn main() {
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let shared = std::env::var_os("CARGO_CFG_ERRSEQ_SHARED_MEMORY").is_some();
    if arch == "wasm32" && shared {
        for arg in [
            "--shared-memory",
            "--import-memory",
            "--initial-memory=1048576",
            "--max-memory=1073741824",
            "-zstack-size=65536",
            "--export=__stack_pointer",
        ] {
            println!("cargo::rustc-link-arg-cdylib={arg}");
        }
    }
    println!("cargo::rerun-if-changed=build.rs");
}
