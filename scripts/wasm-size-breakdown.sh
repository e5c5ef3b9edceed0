#!/usr/bin/env bash
# What the page's first-load wasm is made of, function by function and
# crate by crate: the module Trunk builds (profile `web`), passed through
# wasm-bindgen with its names kept and wasm-opt -Oz -g (what Trunk runs,
# plus the name section), then read by scripts/wasm-size-breakdown.py.
# The sizes are each function body's bytes in the optimised module (the
# release build is the same code without the names); "gzip" is each
# group's bodies compressed alone, a guide to its share of the download.
#
#   bash scripts/wasm-size-breakdown.sh [BIN] [--top N] [--grep TEXT]
#
# BIN: errseq-web (the default) or errseq-web-deferred. Run after a
# `trunk build --release` (scripts/measure-payload.sh does one).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
bin="${1:-errseq-web}"
[ $# -gt 0 ] && shift
wasm="target/wasm32-unknown-unknown/web/$bin.wasm"
[ -f "$wasm" ] || { echo "no $wasm: run trunk build --release first" >&2; exit 1; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
wasm-bindgen --keep-debug --target web --out-dir "$out" "$wasm"
wasm-opt -Oz -g "$out/${bin}_bg.wasm" -o "$out/named.wasm"
python3 scripts/wasm-size-breakdown.py "$out/named.wasm" "$@"
