#!/usr/bin/env bash
# Worker stress against native threads (BENCHMARKS.md): the same stress
# plan run by native threads on AtomicU32 (errseq-stress's native driver)
# and by Web Workers on one SharedArrayBuffer (the Stress view, in headless
# Chromium through playwright-core) with each engine: wasm atomics on the
# shared memory, and JS Atomics calls. Side by side in one run, each plan
# REPEAT times per side, alternating; prints ops/s and the ratios. Then
# the same plans with linux-4.13 written in the scheme language (its own
# source, errseq_lang::base_source) and interpreted, against the built-in,
# natively and in the JS-Atomics workers (the engine written schemes run
# on).
#
#   bash scripts/bench-stress.sh            # REPEAT=5 OPS=4000000 by default
#   ONLY=written bash scripts/bench-stress.sh   # the second table alone
#
# Builds the site into target/bench-stress-dist (not dist/) and serves it
# with the cross-origin isolation headers from a small Node server.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh

REPEAT="${REPEAT:-5}"
OPS="${OPS:-4000000}"
DIST="${BENCH_DIST:-$PWD/target/bench-stress-dist}"
TARGET="${CARGO_TARGET_DIR:-$PWD/target}"

printf '==> building the site (trunk build --release --dist %s) and the native driver\n' "$DIST"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
trunk build --release --dist "$DIST" >"$log" 2>&1 || { cat "$log"; exit 1; }
# The native driver with the wasm module's own profile (opt-level 3, fat
# LTO, one codegen unit, abort on panic), so both sides are compiled alike.
cargo build --profile stress-wasm --locked -p errseq-stress --example native >"$log" 2>&1 || { cat "$log"; exit 1; }
NATIVE="$TARGET/stress-wasm/examples/native"

cd web
DIST="$DIST" NATIVE="$NATIVE" REPEAT="$REPEAT" OPS="$OPS" ONLY="${ONLY:-}" node --input-type=module - <<'JS'
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { browser, ROOT } from './tests/harness.mjs';

const { DIST, NATIVE } = process.env;
const REPEAT = Number(process.env.REPEAT);
const OPS = process.env.OPS;
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

// The site, cross-origin isolated (as trunk serve does it, see Trunk.toml).
const server = http.createServer(async (req, res) => {
  const name = new URL(req.url, 'http://x').pathname.replace(/^\/$/, '/index.html');
  const file = path.join(DIST, path.normalize(name));
  try {
    const body = await readFile(file);
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;

const plans = [
  { scheme: 'linux-4.13', workers: 2, mode: 'own', ratio: 5 },
  { scheme: 'linux-4.13', workers: 1, mode: 'own', ratio: 5 },
  { scheme: 'linux-4.13', workers: 2, mode: 'shared', ratio: 5 },
];

// The page's scenario writes linux-4.13's own source as scheme `copy`,
// which the Stress view offers beside the built-in schemes.
const source = await readFile(path.join(ROOT, 'crates/lang/src/bases/linux-4.13.c'), 'utf8');
const text = `scheme copy from linux-4.13\n${source.trimEnd()}\nend\nopen a f\n`;

const chrome = await browser();
const page = await chrome.newPage();
await page.goto(`${base}#text=${encodeURIComponent(text)}`);
await page.getByRole('tab', { name: 'Stress' }).click();
// The view is a module of its own, loaded when the tab first opens.
await page.waitForSelector('#stress .stress-fault');
await page.$eval('.stress-fault', (details) => { details.open = true; });

async function browserRun(p, engine, written = false) {
  await page.selectOption('#stress-scheme', 'linux-4.13');
  await page.selectOption('#stress-engine', engine);
  await page.selectOption('#stress-scheme', written ? 'copy' : p.scheme);
  await page.fill('#stress-workers', String(p.workers));
  await page.selectOption('#stress-mode', p.mode);
  await page.selectOption('#stress-budget', 'ops');
  await page.fill('#stress-amount', OPS);
  await page.fill('#stress-set-ratio', String(p.ratio));
  await page.selectOption('#stress-errnos', 'EIO');
  await page.selectOption('#stress-fault', 'none');
  await page.click('#stress-start');
  await page.waitForSelector('#stress-status:is([data-phase="finished"], [data-phase="failed"])', { timeout: 300_000 });
  if (await page.getAttribute('#stress-verdict', 'data-passed') !== 'true') {
    throw new Error(`browser run failed: ${await page.textContent('#stress')}`);
  }
  return Number(await page.getAttribute('#stress-throughput', 'data-ops-per-sec'));
}

function nativeRun(p, written = false) {
  const out = execFileSync(NATIVE, ['--scheme', p.scheme, '--workers', String(p.workers), '--sharing', p.mode,
    '--ops', OPS, '--set-ratio', String(p.ratio / 100), '--errnos', 'EIO', ...(written ? ['--written', 'base'] : [])],
    { encoding: 'utf8' });
  const best = out.match(/^best (\d+)$/m);
  if (!best) throw new Error(`native: ${out}`);
  return Number(best[1]);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const m = (x) => `${(x / 1e6).toFixed(1)} M`;
console.log(`\n${os.cpus().length} cores (${os.cpus()[0].model}); ${await chrome.version()} headless; ${OPS} ops per worker, ` +
  `${REPEAT} runs per side, alternating; figures are medians (best in parentheses)\n`);
const label = (p) => `${p.scheme}, ${p.workers} worker${p.workers > 1 ? 's' : ''}, ${p.mode === 'own' ? 'own cursors' : 'one shared cursor'}, ${p.ratio}% sets`;
if (process.env.ONLY !== 'written') {
  console.log('| plan | native threads, ops/s | workers, wasm atomics | / native | workers, JS Atomics | / native |');
  console.log('|---|---|---|---|---|---|');
  for (const p of plans) {
    const native = [];
    const wasm = [];
    const js = [];
    for (let i = 0; i < REPEAT; i++) {
      native.push(nativeRun(p));
      wasm.push(await browserRun(p, 'wasm'));
      js.push(await browserRun(p, 'js'));
    }
    const n = median(native);
    const cell = (xs) => `${m(median(xs))} (${m(Math.max(...xs))}) | ${(100 * median(xs) / n).toFixed(1)}%`;
    console.log(`| ${label(p)} | ${m(n)} (${m(Math.max(...native))}) | ${cell(wasm)} | ${cell(js)} |`);
  }
}

// Written (interpreted) against built-in, natively and in the JS-Atomics workers.
console.log('\n| plan | native, built-in | native, written | / built-in | JS Atomics, built-in | JS Atomics, written | / built-in |');
console.log('|---|---|---|---|---|---|---|');
for (const p of plans) {
  const runs = { nb: [], nw: [], jb: [], jw: [] };
  for (let i = 0; i < REPEAT; i++) {
    runs.nb.push(nativeRun(p));
    runs.nw.push(nativeRun(p, true));
    runs.jb.push(await browserRun(p, 'js'));
    runs.jw.push(await browserRun(p, 'js', true));
  }
  const cell = (xs) => `${m(median(xs))} (${m(Math.max(...xs))})`;
  const ratio = (a, b) => `${(100 * median(a) / median(b)).toFixed(1)}%`;
  console.log(`| ${label(p)} | ${cell(runs.nb)} | ${cell(runs.nw)} | ${ratio(runs.nw, runs.nb)} | ${cell(runs.jb)} | ${cell(runs.jw)} | ${ratio(runs.jw, runs.jb)} |`);
}
await chrome.close();
server.close();
JS
