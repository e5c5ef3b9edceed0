// The site as any static host serves it: built by scripts/build-site.sh for
// a public address under a sub-path, served from that sub-path by
// `python3 -m http.server`, which sends no COOP, COEP or CSP header.
// The page must make itself cross-origin isolated through its own
// service worker (reloading once), run the Stress view, keep its
// Content-Security-Policy (a <meta>), make links to its public address,
// be embeddable by another origin's page that is not isolated, and ask
// nothing of any other origin. Where service workers are unavailable (a
// plain-HTTP address other than localhost) it says so, and the rest works.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, browser, freePort, screenshot, waitFor } from './harness.mjs';

/// The address the site is built for: links point there, not at the test server.
const PUBLIC = 'https://errseq.example.org/errseq/';
/// The host's root; the site is its `errseq/` folder.
const HOST_ROOT = path.join(ROOT, 'target/site-test');

const SCENARIO = 'title: two fds, one error\nschemes: linux-4.12 linux\n\nopen a f\nopen b f\nwrite a\nfail f EIO\nfsync a => EIO\nfsync b => EIO linux-4.12=0\n';

const site = { url: undefined, origin: undefined, log: [], server: undefined, docs: undefined, chrome: undefined };

function run(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')}: exit ${code}\n${out}`))));
  });
}

before(async () => {
  await run('bash', ['scripts/build-site.sh', '--base', PUBLIC, '--out', path.join(HOST_ROOT, 'errseq')]);
  const port = await freePort();
  site.server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', HOST_ROOT], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // http.server logs each request on stderr: `"GET /errseq/loader.js HTTP/1.1" 200 -`.
  site.server.stderr.on('data', (d) => {
    for (const m of String(d).matchAll(/"GET (\S+) HTTP\/[\d.]+" (\d+)/g)) site.log.push({ path: m[1], status: Number(m[2]) });
  });
  site.origin = `http://127.0.0.1:${port}`;
  site.url = `${site.origin}/errseq/`;
  await waitFor(site.url, site.server, 10_000);
  site.chrome = await browser();
});

after(async () => {
  await site.chrome?.close();
  site.server?.kill('SIGTERM');
  site.docs?.close();
});

/// A fresh profile that records every request any of its pages, frames
/// and workers make, and every page load.
async function profile(options = {}) {
  const ctx = await site.chrome.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const requests = [];
  ctx.on('request', (r) => requests.push(r.url()));
  return { ctx, requests };
}

async function openPage(ctx, url) {
  const page = await ctx.newPage();
  const loads = [];
  const problems = [];
  page.on('request', (r) => { if (r.isNavigationRequest() && r.frame() === page.mainFrame()) loads.push(r.url()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(url);
  await page.waitForSelector('#scenario');
  return { page, loads, problems };
}

/// Every request went to one of `origins` (data: URLs are no requests).
function assertStayed(requests, origins) {
  const away = requests.filter((u) => !u.startsWith('data:') && !origins.includes(new URL(u).origin));
  assert.deepEqual(away, [], 'no request leaves the origin');
  assert.ok(requests.length > 5, `requests seen: ${requests.length}`);
}

const textLink = (text) => `${site.url}#text=${encodeURIComponent(text)}`;

test('the host sends no isolation or CSP header, and every file is under the sub-path', async () => {
  const r = await fetch(site.url);
  for (const name of ['cross-origin-opener-policy', 'cross-origin-embedder-policy', 'cross-origin-resource-policy', 'content-security-policy']) {
    assert.equal(r.headers.get(name), null, name);
  }
  const html = await r.text();
  assert.match(html, /<link rel="canonical" href="https:\/\/errseq\.example\.org\/errseq\/" \/>/);
  assert.doesNotMatch(html, /(src|href)="\/(?!\/)/, 'no root-relative URL');
});

test('the first load is minified, and every integrity attribute is its file\'s hash', async () => {
  const dir = path.join(HOST_ROOT, 'errseq');
  const page = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const tags = [...page.matchAll(/<link\b[^>]*\bhref="\.\/([^"]+)"[^>]*\bintegrity="sha384-([^"]+)"/g)];
  assert.ok(tags.length >= 4, `the stylesheet, the glue, its snippet and the wasm carry integrity: ${tags.length}`);
  for (const [, file, hash] of tags) {
    assert.equal(createHash('sha384').update(readFileSync(path.join(dir, file))).digest('base64'), hash, file);
  }
  // Minified: the glue and the stylesheet are a few long lines, not indented source.
  for (const file of [tags.find((t) => /^errseq-web-[0-9a-f]+\.js$/.test(t[1]))[1], tags.find((t) => t[1].endsWith('.css'))[1]]) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    assert.ok(text.split('\n').length < 20 && !/\n {4}/.test(text), `${file} is minified`);
  }
});

test('served without headers, the page isolates itself through its service worker, reloading once', async () => {
  const { ctx, requests } = await profile();
  const { page, loads, problems } = await openPage(ctx, textLink(SCENARIO));
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  assert.equal(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL), `${site.url}isolation-sw.js`);
  assert.equal(loads.length, 2, `one reload: ${loads.join(' ')}`);
  assert.ok(loads.every((u) => u.startsWith(site.url)), loads.join(' '));
  // The reload kept the link (a request's URL has no fragment; the text shows it).
  assert.equal(await page.locator('#scenario').inputValue(), SCENARIO);
  assert.match(await page.locator('#grid').innerText(), /fsync b\s+0\s+EIO/);
  // Later visits are served by the worker from the start: no reload.
  const later = await openPage(ctx, site.url);
  assert.equal(await later.page.evaluate(() => crossOriginIsolated), true);
  assert.equal(later.loads.length, 1);
  assert.deepEqual([...problems, ...later.problems], []);
  assertStayed(requests, [site.origin]);
  const logged = site.log.filter((e) => e.path !== '/errseq/' && !e.path.startsWith('/errseq/?'));
  assert.ok(logged.length > 5 && logged.every((e) => e.path.startsWith('/errseq/')), JSON.stringify(logged));
  assert.deepEqual(site.log.filter((e) => e.status >= 400), [], 'every file found');
  await ctx.close();
});

test('the Content-Security-Policy is in the page, as Trunk.toml sends it, and forbids an injected inline script', async () => {
  const { ctx } = await profile();
  const { page } = await openPage(ctx, site.url);
  const trunk = readFileSync(path.join(ROOT, 'Trunk.toml'), 'utf8').match(/^"Content-Security-Policy" = "(.*)"$/m)[1];
  const meta = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.equal(meta, trunk);
  const outcome = await page.evaluate(() => new Promise((resolve) => {
    const violations = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
    const script = document.createElement('script');
    script.textContent = 'window.injected = true;';
    document.body.append(script);
    const img = document.createElement('img');
    img.setAttribute('src', 'data:,');
    img.setAttribute('onerror', 'window.injected = true');
    img.setAttribute('onload', 'window.injected = true');
    document.body.append(img);
    setTimeout(() => resolve({ ran: window.injected === true, violations }), 300);
  }));
  assert.equal(outcome.ran, false, 'the injected script did not run');
  assert.ok(outcome.violations.some((d) => d.startsWith('script-src')), JSON.stringify(outcome.violations));
  await ctx.close();
});

test('the Stress view runs a 2-worker job on each engine', async () => {
  const { ctx, requests } = await profile();
  const { page, problems } = await openPage(ctx, site.url);
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  await page.getByRole('tab', { name: 'Stress' }).click();
  await page.waitForSelector('#stress');
  assert.equal(await page.locator('#stress-isolation').count(), 0);
  for (const engine of ['wasm', 'js']) {
    await page.selectOption('#stress-engine', engine);
    await page.fill('#stress-workers', '2');
    await page.selectOption('#stress-budget', 'ops');
    await page.fill('#stress-amount', '1000000');
    await page.click('#stress-start');
    const status = await page.waitForSelector('#stress-status:is([data-phase="finished"], [data-phase="failed"])', { timeout: 60_000 });
    assert.equal(await status.getAttribute('data-phase'), 'finished', await status.textContent());
    assert.equal(await page.getAttribute('#stress-verdict', 'data-passed'), 'true');
    assert.equal(await page.getAttribute('#stress-throughput', 'data-engine'), engine);
    for (const i of [0, 1]) assert.equal(await page.getAttribute(`#stress-worker-${i}`, 'data-ops'), '1000000');
  }
  await screenshot(page, 'site-stress');
  assert.deepEqual(problems, []);
  assertStayed(requests, [site.origin]);
  await ctx.close();
});

test('links, the embed snippet and the mail text point at the public address', async () => {
  const { ctx } = await profile();
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.origin });
  const { page } = await openPage(ctx, textLink(SCENARIO));
  const copy = async (id, what) => {
    await page.click(id);
    await page.waitForFunction((w) => document.querySelector('#copy-status').textContent === `Copied the ${w}`, what);
    return page.evaluate(() => navigator.clipboard.readText());
  };
  const link = await copy('#copy-link', 'link');
  assert.ok(link.startsWith(`${PUBLIC}#3`), link);
  // The address bar stays where the page is.
  assert.ok((await page.evaluate(() => location.href)).startsWith(`${site.url}#3`));
  assert.match(await copy('#copy-embed', 'embed'), /^<iframe src="https:\/\/errseq\.example\.org\/errseq\/\?embed#3/);
  assert.ok((await copy('#copy-email', 'email')).includes(PUBLIC));
  await ctx.close();
});

/// A documentation page on another origin (another port), not isolated,
/// that embeds the playground and records the heights it posts.
async function docsPage(src) {
  if (!site.docs) {
    site.docs = http.createServer((req, res) => {
      const frame = new URL(req.url, 'http://x').searchParams.get('frame');
      if (frame === null) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><title>docs</title><p>A scenario:</p>
        <iframe src="${frame.replaceAll('"', '&quot;')}" style="width:100%;border:0"></iframe>
        <script>window.heights = []; addEventListener('message', (e) => {
          if (e.data && e.data.source === 'errseq-playground' && e.data.type === 'height') {
            window.heights.push(e.data.height);
            document.querySelector('iframe').style.height = e.data.height + 'px';
          }
        });</script>`);
    });
    await new Promise((r) => site.docs.listen(0, '127.0.0.1', r));
  }
  return `http://127.0.0.1:${site.docs.address().port}/?frame=${encodeURIComponent(src)}`;
}

for (const visited of [false, true]) test(`another origin's page embeds ?embed and receives its height (${visited ? 'after a visit to the site' : 'fresh profile'})`, async () => {
  const { ctx, requests } = await profile();
  if (visited) {
    // The site's service worker is registered for this profile.
    const { page } = await openPage(ctx, site.url);
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    await page.close();
  }
  const docsUrl = await docsPage(`${site.url}?embed#text=${encodeURIComponent(SCENARIO)}`);
  const parent = await ctx.newPage();
  const problems = [];
  parent.on('pageerror', (e) => problems.push(String(e)));
  await parent.goto(docsUrl);
  assert.equal(await parent.evaluate(() => crossOriginIsolated), false);
  await parent.waitForFunction(() => window.heights.length > 0 && window.heights.at(-1) > 50, null, { timeout: 20_000 });
  await parent.waitForFunction(() => document.querySelector('iframe').getBoundingClientRect().height === window.heights.at(-1));
  const frame = parent.frames().find((f) => f.url().includes('?embed'));
  assert.ok(frame, 'the embed loaded');
  assert.match(await frame.locator('#grid').innerText(), /fsync b\s+0\s+EIO/);
  assert.equal(await frame.evaluate(() => crossOriginIsolated), false, 'the embed needs no isolation');
  assert.equal(await frame.locator('.embed-title').innerText(), 'two fds, one error');
  assert.ok((await frame.getAttribute('#open-in-playground', 'href')).startsWith(`${PUBLIC}#3`));
  await screenshot(parent, `site-embed-${visited ? 'visited' : 'fresh'}`);
  assert.deepEqual(problems, []);
  assertStayed(requests, [site.origin, new URL(docsUrl).origin]);
  await ctx.close();
});

test('where service workers are unavailable (plain HTTP, not localhost), the Stress view says why and the rest works', async () => {
  // errseq.test is the test server under a name that is not localhost: an
  // insecure context, with no service worker and no isolation.
  const chrome = await browser(['--host-resolver-rules=MAP errseq.test 127.0.0.1']);
  try {
    const ctx = await chrome.newContext({ viewport: { width: 1280, height: 900 } });
    const requests = [];
    ctx.on('request', (r) => requests.push(r.url()));
    const url = site.url.replace('127.0.0.1', 'errseq.test');
    const page = await ctx.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(`${url}#text=${encodeURIComponent(SCENARIO)}`);
    await page.waitForSelector('#grid');
    assert.deepEqual(await page.evaluate(() => [isSecureContext, crossOriginIsolated, 'serviceWorker' in navigator]), [false, false, false]);
    assert.match(await page.locator('#grid').innerText(), /fsync b\s+0\s+EIO/);
    await page.fill('#scenario', 'open a f\nerror f ENOSPC\nfsync a => ENOSPC\n');
    await page.waitForFunction(() => document.querySelector('#grid').innerText.includes('ENOSPC'));
    await page.getByRole('tab', { name: 'Explore' }).click();
    await page.getByRole('tab', { name: 'Stress' }).click();
    const notice = await page.locator('#stress-isolation').innerText();
    assert.match(notice, /no service worker here/);
    assert.match(notice, /HTTPS/);
    assert.equal(await page.isDisabled('#stress-start'), true);
    await screenshot(page, 'site-no-service-worker');
    assert.deepEqual(problems, []);
    assertStayed(requests, [new URL(url).origin]);
  } finally {
    await chrome.close();
  }
});
