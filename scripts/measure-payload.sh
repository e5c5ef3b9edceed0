#!/usr/bin/env bash
# The playground's first-load payload: what index.html makes the browser
# fetch before the page works (the main wasm, its JS, the loader, the
# snippets, the CSS), raw and gzip -9; and, apart, what later tabs load.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
trunk build --release >/dev/null 2>&1
cd dist
# The main module's files carry Trunk's hash (the deferred module's do not).
first=( errseq-web-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]*_bg.wasm errseq-web-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]*[!g].js loader.js style-*.css snippets/*/src/*.js )
deferred=( errseq-web-deferred_bg.wasm errseq-web-deferred.js )
later=( errseq-stress-view_bg.wasm errseq-stress-view.js errseq-stress.wasm errseq-stress-worker.js
  errseq-worker_bg.wasm errseq-worker.js errseq-worker_loader.js
  errseq-written-worker_bg.wasm errseq-written-worker.js errseq-written-worker_loader.js
  errseq-scenario-worker_bg.wasm errseq-scenario-worker.js errseq-scenario-worker_loader.js )
row() { printf '%-48s %9d %9d\n' "$1" "$(stat -c %s "$1")" "$(gzip -9c "$1" | wc -c)"; }
total() { local raw=0 gz=0; for f in "$@"; do raw=$((raw + $(stat -c %s "$f"))); gz=$((gz + $(gzip -9c "$f" | wc -c))); done; printf '%-48s %9d %9d\n' "$label" "$raw" "$gz"; }
printf '%-48s %9s %9s\n' "first load" "bytes" "gzip"
for f in "${first[@]}"; do row "$f"; done
label="total (target: 200 KB gzip)"; total "${first[@]}"
printf '\n%-48s %9s %9s\n' "loaded right after the first render" "bytes" "gzip"
for f in "${deferred[@]}"; do row "$f"; done
printf '\n%-48s %9s %9s\n' "loaded when the Stress tab first opens" "bytes" "gzip"
for f in "${later[@]}"; do row "$f"; done
