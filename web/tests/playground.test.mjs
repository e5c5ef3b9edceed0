// The playground in headless Chromium, as a user meets it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { browser, screenshot, serve } from './harness.mjs';

let server;
let chrome;

before(async () => {
  server = await serve();
  chrome = await browser();
});

after(async () => {
  await chrome?.close();
  server?.stop();
});

/// A fresh page that records requests and CSP violations.
async function open(url = server.base) {
  const page = await chrome.newPage();
  const requests = [];
  const problems = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(url);
  await page.waitForSelector('#results');
  return { page, requests, problems };
}

test('the page evaluates the example under every scheme it names', async () => {
  const { page, problems } = await open();
  const results = await page.textContent('#results');
  assert.match(results, /line\s+event\s+linux-4\.12\s+linux-4\.13\s+linux/);
  assert.match(results, /9\s+\* fsync b\s+0\s+EIO\s+EIO/);
  assert.deepEqual(problems, []);
  await screenshot(page, 'playground');
  await page.close();
});

test('editing the text re-evaluates it, and mistakes show where they are', async () => {
  const { page } = await open();
  await page.fill('#scenario', 'open a f\nerror f ENOSPC\nfsync a => ENOSPC\n');
  await page.waitForFunction(() => document.querySelector('#results')?.textContent.includes('ENOSPC'));
  await page.fill('#scenario', 'open a f\nfsnyc a\n');
  const problem = await page.textContent('#diagnostics');
  assert.equal(problem, '2:1: unknown call `fsnyc`; did you mean `fsync`?');
  await screenshot(page, 'playground-diagnostic');
  await page.close();
});

test('it is served cross-origin isolated, from its own origin only, under a strict CSP', async () => {
  const response = await fetch(server.base);
  assert.equal(response.headers.get('cross-origin-opener-policy'), 'same-origin');
  assert.equal(response.headers.get('cross-origin-embedder-policy'), 'require-corp');
  assert.match(response.headers.get('content-security-policy'), /script-src 'self' 'wasm-unsafe-eval';/);
  const html = await response.text();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
  const { page, requests, problems } = await open();
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  const origin = new URL(server.base).origin;
  assert.deepEqual(requests.filter((u) => new URL(u).origin !== origin), []);
  assert.deepEqual(problems, [], 'no CSP violation or script error');
  await page.close();
});
