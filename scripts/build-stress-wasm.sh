#!/usr/bin/env bash
# Builds the Stress view's wasm-atomics worker (web/stress-wasm) and puts
# it, with its JS host, next to the site: errseq-stress.wasm and
# errseq-stress-worker.js. Trunk runs it as a post_build hook (Trunk.toml)
# and it writes into Trunk's staging directory; given a directory as $1 it
# writes there instead. `--clippy` lints the module with the same flags
# instead of building it (scripts/test.sh).
#
# Why not Trunk's own rust pipeline: the module is not a wasm-bindgen
# module, and it needs flags the other crates must not get:
# - `-C target-feature=+atomics,+bulk-memory,+mutable-globals`, so that
#   atomics compile to wasm's atomic instructions and the memory can be
#   shared (rustc warns that `atomics` is not a stable target feature; its
#   code generation is what wasm-bindgen's threads support relies on);
# - `--cfg errseq_shared_memory`, because stable rustc does not show an
#   unstable target feature to `cfg` (web/stress-wasm/src/lib.rs, build.rs);
# - fat LTO into a cdylib only (`cargo rustc --crate-type cdylib`): the
#   precompiled core is not built for shared memory, and the linker
#   accepts it only once LTO has recompiled it with these features.
# Its own target directory keeps these flags from invalidating the rest.
# No wasm-opt: its -O3 made the module smaller and the loop slower (54
# against 67 M ops/s for one worker, measured with bench-stress.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$PWD/target}/shared-memory"
export RUSTFLAGS="-C target-feature=+atomics,+bulk-memory,+mutable-globals --cfg errseq_shared_memory"
if [ "${1:-}" = --clippy ]; then
  exec cargo clippy --locked -p errseq-stress-wasm --lib --target wasm32-unknown-unknown \
    --target-dir "$target" -- -D warnings
fi
out="${1:-${TRUNK_STAGING_DIR:?give an output directory, or run from Trunk}}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! cargo rustc --locked -p errseq-stress-wasm --lib --crate-type cdylib \
  --target wasm32-unknown-unknown --profile stress-wasm --target-dir "$target" >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
mkdir -p "$out"
cp "$target/wasm32-unknown-unknown/stress-wasm/errseq_stress_wasm.wasm" "$out/errseq-stress.wasm"
cp web/stress-wasm/worker.js "$out/errseq-stress-worker.js"
