#!/usr/bin/env bash
# Trunk post_build hook, the one that rewrites index.html (Trunk runs a
# stage's hooks side by side, so there is one):
# - moves the inline module <script> Trunk writes into index.html to
#   loader.js beside it, so the page runs under a Content-Security-Policy
#   with no 'unsafe-inline' for scripts; the loader first imports
#   isolation.js (web/site), which makes the page cross-origin isolated
#   through the site's service worker where the server sets no headers;
# - when ERRSEQ_BASE is set (scripts/build-site.sh sets it from --base),
#   writes that public address into the page as <link rel="canonical">:
#   every link, embed snippet and mail text the page makes points there.
#   Without it they point at the address the page was loaded from.
set -euo pipefail
dir="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
exec python3 - "$dir" "${ERRSEQ_BASE:-}" <<'PY'
import html, pathlib, re, sys
from urllib.parse import urlsplit

dist, base = pathlib.Path(sys.argv[1]), sys.argv[2]
page = dist / "index.html"
text = page.read_text(encoding="utf-8")

pattern = re.compile(r'<script type="module"[^>]*>(.*?)</script>', re.S)
found = pattern.findall(text)
if len(found) != 1:
    sys.exit(f"finish-page: expected one inline module script in index.html, found {len(found)}")
loader = "import './isolation.js';\n" + found[0].strip() + "\n"
(dist / "loader.js").write_text(loader, encoding="utf-8")
text = pattern.sub('<script type="module" src="./loader.js"></script>', text)

if base:
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment \
            or any(c.isspace() or c in '"<>' for c in base):
        sys.exit(f"finish-page: ERRSEQ_BASE must be an http:// or https:// address with no query "
                 f"or fragment, such as https://user.github.io/errseq/; got {base!r}")
    canonical = f'<link rel="canonical" href="{html.escape(base)}" />'
    text, n = re.subn(r"</head>", f"  {canonical}\n  </head>", text, count=1)
    if n != 1:
        sys.exit("finish-page: index.html has no </head>")
page.write_text(text, encoding="utf-8")
PY
