#!/usr/bin/env bash
# Sets everything up and runs every test: format and lints, native unit,
# property and CLI tests, loom, the benchmarks once, the model in wasm in
# headless Chromium, the site build, and the browser tests. Stops at the
# first failure with a non-zero status.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh

step() { printf '\n\033[1m==> %s\033[0m\n' "$1"; shift; "$@"; }

step "format" cargo fmt --all -- --check
step "lints" cargo clippy --workspace --all-targets --locked -- -D warnings
step "lints, wasm32" cargo clippy -p errseq-web -p errseq-web-deferred -p errseq-worker -p errseq-stress-view \
  --target wasm32-unknown-unknown --all-targets --locked -- -D warnings
step "lints, the shared-memory worker (wasm32 + atomics)" bash scripts/build-stress-wasm.sh --clippy
step "native tests (unit, property, CLI over examples/)" cargo test --workspace --locked
step "hostile input at the issue's sizes (10 MB words and titles), release build" \
  env ERRSEQ_HOSTILE_SCALE=10 cargo test --release --locked -p errseq-cli --test hostile
step "loom: errseq_t on real atomics, exhaustively; the explorer against loom" \
  env RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom \
  cargo test -p errseq -p errseq-explorer --release --locked --test loom --test loom_vs_explorer -- --nocapture
step "benchmarks, once each (figures: BENCHMARKS.md)" cargo test -p errseq-model -p errseq-explorer --benches --locked
wasm_test() { env CHROMEDRIVER="$(command -v chromedriver)" cargo test --target wasm32-unknown-unknown --locked "$@"; }
step "wasm32 tests in headless Chromium: the model" wasm_test -p errseq-model --test wasm
step "wasm32 tests in headless Chromium: the share codec" wasm_test -p errseq-share --test wasm
step "wasm32 tests in headless Chromium: the page's state" wasm_test -p errseq-web --test app_state
step "site build" trunk build --release
step "browser tests (playwright-core, headless Chromium; site.test.mjs builds the static site for a sub-path)" node --test web/tests/
printf '\n\033[1mall tests passed\033[0m\n'
