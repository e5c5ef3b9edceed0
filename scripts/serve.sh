#!/usr/bin/env bash
# Sets everything up, builds the playground and serves it on
# http://127.0.0.1:8080 (cross-origin isolated, strict CSP). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
echo "==> serving the playground on http://127.0.0.1:8080/"
exec trunk serve --release "$@"
