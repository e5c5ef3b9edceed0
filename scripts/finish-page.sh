#!/usr/bin/env bash
# Trunk post_build hook, the one that rewrites index.html (Trunk runs a
# stage's hooks side by side, so there is one):
# - moves the inline module <script> Trunk writes into index.html to
#   loader.js beside it, so the page runs under a Content-Security-Policy
#   with no 'unsafe-inline' for scripts; the loader first imports
#   isolation.js (web/site), which makes the page cross-origin isolated
#   through the site's service worker where the server sets no headers;
# - minifies what the page loads first (the page's wasm-bindgen glue, its
#   snippets, the loader and the stylesheet) with esbuild (npm, pinned in
#   web/package.json; Trunk's own minifier fails on the glue), and gives
#   every integrity attribute in index.html the hash of the file as it
#   now is;
# - when ERRSEQ_BASE is set (scripts/build-site.sh sets it from --base),
#   writes that public address into the page as <link rel="canonical">:
#   every link, embed snippet and mail text the page makes points there.
#   Without it they point at the address the page was loaded from.
set -euo pipefail
dir="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
esbuild="$(cd "$(dirname "$0")/.." && pwd)/web/node_modules/.bin/esbuild"
[ -x "$esbuild" ] || { echo "finish-page: no $esbuild; run scripts/setup.sh" >&2; exit 1; }
exec python3 - "$dir" "${ERRSEQ_BASE:-}" "$esbuild" <<'PY'
import base64, hashlib, html, pathlib, re, subprocess, sys
from urllib.parse import urlsplit

dist, base, esbuild = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3]
page = dist / "index.html"
text = page.read_text(encoding="utf-8")

pattern = re.compile(r'<script type="module"[^>]*>(.*?)</script>', re.S)
found = pattern.findall(text)
if len(found) != 1:
    sys.exit(f"finish-page: expected one inline module script in index.html, found {len(found)}")
loader = "import './isolation.js';\n" + found[0].strip() + "\n"
(dist / "loader.js").write_text(loader, encoding="utf-8")
text = pattern.sub('<script type="module" src="./loader.js"></script>', text)

# The first load, minified: the glue the loader imports, its snippets, the
# loader, the stylesheet. (Not the other modules' files: a hook that runs
# beside this one writes some of them.)
glue = re.findall(r"from '\./(errseq-web-[0-9a-f]+\.js)'", loader)
if len(glue) != 1:
    sys.exit(f"finish-page: expected the loader to import one errseq-web-HASH.js, found {glue}")
first = [dist / glue[0], dist / "loader.js", *sorted((dist / "snippets").rglob("*.js")), *sorted(dist.glob("style-*.css"))]
for f in first:
    subprocess.run([esbuild, str(f), "--minify", "--charset=utf8", "--log-level=warning",
                    f"--outfile={f}", "--allow-overwrite"], check=True)

# Subresource integrity, for the files as they now are.
def with_integrity(tag):
    t = tag.group(0)
    href = re.search(r'href="\./([^"]+)"', t)
    if not href:
        sys.exit(f"finish-page: an integrity attribute on a tag without a local href: {t}")
    digest = base64.b64encode(hashlib.sha384((dist / href.group(1)).read_bytes()).digest()).decode()
    return re.sub(r'integrity="sha384-[^"]*"', f'integrity="sha384-{digest}"', t)
text = re.sub(r'<link\b[^>]*\bintegrity="[^"]*"[^>]*>', with_integrity, text)

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
