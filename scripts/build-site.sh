#!/usr/bin/env bash
# Builds the playground as a static site that any host can serve as it
# is, headers or not (GitHub Pages, a documentation host, an S3 bucket,
# `python3 -m http.server`), at its root or under a sub-path:
#
#   bash scripts/build-site.sh --base https://user.github.io/errseq/ [--out dist]
#
# --base URL  the site's public address: every link, embed snippet and
#             mail text the page makes points there (default: $ERRSEQ_BASE;
#             without either, at the address the page is loaded from).
# --out DIR   where the site goes (default: dist). Its contents are
#             replaced. Upload what is in it to the place that serves URL.
#
# Every URL in the site is relative (Trunk.toml: public_url = "./"), the
# workers and the service worker included, so the same files work under
# any path; only the links need the address. Served without headers, the
# page becomes cross-origin isolated through its own service worker
# (web/site/isolation-sw.js), which needs HTTPS (or localhost), and keeps
# its Content-Security-Policy as a <meta http-equiv> in index.html.
# README.md, "Deploy", says how to publish it.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; }
base="${ERRSEQ_BASE:-}"
out=dist
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base="${2:?--base needs an address}"; shift 2 ;;
    --base=*) base="${1#--base=}"; shift ;;
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    --out=*) out="${1#--out=}"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "build-site: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

# Trunk empties the output directory: never the repository or a folder above it.
root="$(pwd -P)"
dest="$(realpath -m "$out")"
case "$root/" in
  "${dest%/}"/*) echo "build-site: --out $out would replace the repository; give a directory of its own" >&2; exit 2 ;;
esac

ERRSEQ_SETUP=site . scripts/setup.sh
echo "==> building the site into $dest${base:+ for $base}"
# scripts/finish-page.sh (a Trunk hook) checks the address and writes it into the page.
if [ -n "$base" ]; then export ERRSEQ_BASE="$base"; else unset ERRSEQ_BASE; fi
trunk build --release --dist "$dest"
# GitHub Pages: serve the files as they are, without Jekyll.
touch "$dest/.nojekyll"
echo "==> done: serve $dest${base:+ at $base} (README.md, Deploy)"
