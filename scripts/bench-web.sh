#!/usr/bin/env bash
# The page's work natively and in headless Chromium, same inputs, side by
# side: re-evaluating a 1,000-event scenario under all schemes, and the
# explorer on 3- and 4-task scenarios. Prints median milliseconds and
# native time as a share of wasm time. Native: the release profile; wasm:
# the page's own `web` profile (size-optimised, as users run it).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
native=$(cargo test -q --release -p errseq-web --test bench -- --ignored --nocapture 2>/dev/null | grep '^bench ')
wasm=$(CHROMEDRIVER="$(command -v chromedriver)" \
  cargo test --profile web -p errseq-web --target wasm32-unknown-unknown --test bench -- --include-ignored --nocapture 2>&1 \
  | grep '^bench ' || true)
printf '%-42s %12s %12s %10s\n' "measurement" "native ms" "wasm ms" "native/wasm"
while read -r _ name ms; do
  w=$(printf '%s\n' "$wasm" | awk -v n="$name" '$2 == n { print $3 }')
  ratio=$(awk -v a="$ms" -v b="${w:-0}" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "-" }')
  printf '%-42s %12s %12s %10s\n' "$name" "$ms" "${w:--}" "$ratio"
done <<< "$native"
# A click on a 1,000-event scenario's grid in the real page (the browser
# test that asserts it analyses nothing again prints its median).
BENCH=1 node --test web/tests/responsiveness.test.mjs 2>&1 | grep -o 'bench click_cell_1000_events [0-9.]*' \
  | awk '{ printf "%-42s %12s %12s\n", $2, "-", $3 }' || true
