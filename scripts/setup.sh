#!/usr/bin/env bash
# Installs what building, serving and testing the playground needs, from
# the registries only (crates.io, npm, Debian), at pinned versions. Safe to
# run again: each step checks first and takes seconds when already done.
# Sourced by serve.sh, test.sh and build-site.sh, which then find the
# tools on PATH.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION=0.21.14
# The CLI must match the wasm-bindgen crate exactly; Cargo.lock says which.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock")"

export PATH="$HOME/.cargo/bin:$ROOT/web/node_modules/.bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup: '$*' needs root; run it as root once, then retry" >&2; return 1
  fi
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "cargo install trunk $TRUNK_VERSION (about 11 minutes on 2 cores, once)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  # Not --locked: that lockfile pins a webpki-roots the registry no longer has.
  say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes, once)"
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
fi

# wasm-opt (binaryen), esbuild (the first load's minifier), playwright-core and
# axe-core, as web/package-lock.json pins them.
stamp="$ROOT/web/node_modules/.setup-stamp"
want="$(sha256sum "$ROOT/web/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "npm ci (web/)"
  (cd "$ROOT/web" && npm ci --no-audit --no-fund)
  echo "$want" > "$stamp"
fi

# Chromium for the browser tests; mkfs for the live-kernel oracle. Not
# for a site build alone (scripts/build-site.sh sets ERRSEQ_SETUP=site).
[ "${ERRSEQ_SETUP:-all}" = site ] && return 0
missing=()
for pair in chromium:chromium chromedriver:chromium-driver mkfs.ext4:e2fsprogs mkfs.xfs:xfsprogs mkfs.btrfs:btrfs-progs; do
  command -v "${pair%%:*}" >/dev/null || PATH="$PATH:/sbin:/usr/sbin" command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
