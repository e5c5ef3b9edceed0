#!/usr/bin/env bash
# Trunk post_build hook: move the inline module <script> that Trunk
# writes into index.html to loader.js beside it, so the page runs under a
# Content-Security-Policy with no 'unsafe-inline' for scripts.
set -euo pipefail
dir="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
exec python3 - "$dir" <<'PY'
import pathlib, re, sys
dist = pathlib.Path(sys.argv[1])
html = (dist / "index.html").read_text(encoding="utf-8")
pattern = re.compile(r'<script type="module"[^>]*>(.*?)</script>', re.S)
found = pattern.findall(html)
if len(found) != 1:
    sys.exit(f"externalize-loader: expected one inline module script in index.html, found {len(found)}")
(dist / "loader.js").write_text(found[0].strip() + "\n", encoding="utf-8")
html = pattern.sub('<script type="module" src="./loader.js"></script>', html)
(dist / "index.html").write_text(html, encoding="utf-8")
PY
