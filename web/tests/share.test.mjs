// Share links, copies and the embed, in headless Chromium.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { copied, screenshot, useBrowser } from './harness.mjs';

const session = useBrowser();

async function context() {
  const ctx = await session.chrome.newContext({ viewport: { width: 1300, height: 900 } });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(session.base).origin });
  return ctx;
}

async function open(ctx, url = session.base) {
  const page = await ctx.newPage();
  await page.goto(url);
  await page.waitForSelector('#scenario');
  return page;
}

const SCENARIO = 'schemes: linux-4.12 linux\n\nopen a f\nopen b f\nwrite a\nfail f EIO\nfsync a => EIO\nfsync b => EIO linux-4.12=0\n';

test('the copied link opens the same scenario in a fresh page', async () => {
  const ctx = await context();
  const page = await open(ctx);
  await page.fill('#scenario', SCENARIO);
  const link = await copied(page, '#copy-link', 'link');
  assert.ok(link.startsWith(session.base + '#3'), link);
  const fragment = link.slice(link.indexOf('#') + 1);
  assert.doesNotMatch(fragment, /[-_=.]$/, 'linkifiers keep the last character');
  const fresh = await session.chrome.newContext();
  const other = await open(fresh, link);
  assert.equal(await other.locator('#scenario').inputValue(), SCENARIO);
  await fresh.close();
  await ctx.close();
});

test('the URL follows the edits without adding history entries', async () => {
  const ctx = await context();
  const page = await open(ctx);
  const length = await page.evaluate(() => history.length);
  await page.fill('#scenario', 'open a f\nsync\n');
  const first = await page.evaluate(() => location.hash);
  await page.fill('#scenario', 'open a f\nsync\nfsync a\n');
  await page.waitForFunction((f) => location.hash !== f, first);
  assert.equal(await page.evaluate(() => history.length), length);
  const link = await copied(page, () => page.keyboard.press('Control+s'), 'link');
  assert.equal(link, await page.evaluate(() => location.href));
  await ctx.close();
});

test('a corrupted link says what is wrong and keeps the saved work', async () => {
  const ctx = await context();
  const page = await open(ctx);
  await page.fill('#scenario', SCENARIO);
  const link = await copied(page, '#copy-link', 'link');
  const broken = link.slice(0, link.length - 6);
  const other = await open(ctx, broken);
  const banner = await other.locator('#link-problem').innerText();
  assert.match(banner, /This link could not be opened: .+\. Your saved scenario is shown; nothing was overwritten\./);
  assert.equal(await other.locator('#scenario').inputValue(), SCENARIO, 'saved work intact');
  assert.equal(await other.evaluate(() => location.hash.slice(1)), broken.slice(broken.indexOf('#') + 1), 'the link is left as it was');
  await screenshot(other, 'bad-link');
  await other.click('#link-problem button');
  assert.equal(await other.locator('#link-problem').count(), 0);
  await ctx.close();
});

test('a text with mistakes keeps a checked text link, which reopens it', async () => {
  const ctx = await context();
  const page = await open(ctx);
  await page.fill('#scenario', 'open a f\nfsynk a\n');
  await page.waitForFunction(() => location.hash.startsWith('#scenario='));
  const link = await page.evaluate(() => location.href);
  assert.match(link, /#scenario=open%20a%20f%0Afsynk%20a%0A\.{1,2}[A-Za-z0-9-_][A-Za-f]$/);
  const other = await open(ctx, link);
  assert.equal(await other.locator('#scenario').inputValue(), 'open a f\nfsynk a\n');
  await ctx.close();
});

test('a scenario past the limits of a link gets no link, and the page says why', async () => {
  const ctx = await context();
  const page = await open(ctx);
  await page.fill('#scenario', SCENARIO);
  await page.waitForFunction(() => location.hash.startsWith('#3'));
  // 70,000 bytes of comment: a link carries at most 65,536 bytes of free text.
  await page.fill('#scenario', `# ${'x'.repeat(70000)}\nsync\n`);
  const why = page.locator('#link-limit');
  await why.waitFor();
  assert.match(await why.innerText(), /^No link carries this scenario: the scenario's title, comments and replay string take 70000 bytes; a link carries at most 65536 bytes of them$/);
  assert.equal(await page.evaluate(() => location.hash), '', 'no stale link in the address');
  await screenshot(page, 'link-limit');
  await page.click('#copy-link');
  await page.waitForFunction(() => document.querySelector('#copy-status').innerText.startsWith('Could not copy the link'));
  assert.match(await page.locator('#copy-status').innerText(), /^Could not copy the link: no link carries this scenario/);
  // The text itself still copies; back within the limits, the link is back.
  assert.equal(await copied(page, '#copy-text', 'text'), `# ${'x'.repeat(70000)}\nsync\n`);
  await page.fill('#scenario', SCENARIO);
  await page.waitForFunction(() => location.hash.startsWith('#3'));
  assert.equal(await page.locator('#link-limit').count(), 0);
  await ctx.close();
});

test('hand-written text= links open', async () => {
  const ctx = await context();
  const page = await open(ctx, `${session.base}#text=${encodeURIComponent('open a f\nerror f EIO\nfsync a => EIO\n')}`);
  assert.equal(await page.locator('#scenario').inputValue(), 'open a f\nerror f EIO\nfsync a => EIO\n');
  assert.equal(await page.locator('.results .summary').innerText(), 'every expectation holds');
  await ctx.close();
});

test('the email text fits a 72-column mail, link included, and carries the scenario', async () => {
  const ctx = await context();
  const page = await open(ctx);
  await page.fill('#scenario', SCENARIO);
  const mail = await copied(page, '#copy-email', 'email');
  const lines = mail.split('\n');
  for (const l of lines) {
    assert.ok([...l].length <= 72, `too wide: ${l}`);
  }
  // The scenario's own text, then its link in < >, over as many lines as it takes.
  assert.ok(mail.includes(`----- errseq scenario -----\n${SCENARIO}----- end of scenario (crc32 `), mail);
  const link = lines.slice(lines.findIndex((l) => l.startsWith('<http'))).join('').replace(/^<|>$/g, '');
  assert.ok(link.startsWith(session.base + '#3'), mail);
  assert.match(await copied(page, '#copy-markdown', 'markdown'), /^\|/m);
  await ctx.close();
});

test('?embed renders results and posts its height to a parent on another origin', async () => {
  const ctx = await context();
  const page = await open(ctx);
  await page.fill('#scenario', SCENARIO);
  const snippet = await copied(page, '#copy-embed', 'embed');
  assert.match(snippet, /^<iframe src="[^"]+\?embed#3[^"]+"/);
  // A documentation page elsewhere, not cross-origin isolated.
  const docs = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>docs</title><p>A scenario:</p>${snippet}
      <script>window.heights = []; addEventListener('message', (e) => {
        if (e.data && e.data.source === 'errseq-playground' && e.data.type === 'height') window.heights.push(e.data.height);
      });</script>`);
  }).listen(0, '127.0.0.1');
  await new Promise((r) => docs.on('listening', r));
  const parent = await ctx.newPage();
  await parent.goto(`http://127.0.0.1:${docs.address().port}/`);
  assert.equal(await parent.evaluate(() => crossOriginIsolated), false);
  await parent.waitForFunction(() => window.heights.length > 0 && window.heights.at(-1) > 50, null, { timeout: 20000 });
  // The snippet's own listener sized the iframe to the posted height.
  await parent.waitForFunction(() => document.querySelector('iframe').getBoundingClientRect().height === window.heights.at(-1));
  const frame = parent.frames().find((f) => f.url().includes('?embed'));
  assert.ok(frame, 'the embed loaded');
  assert.match(await frame.locator('#grid').innerText(), /fsync b\s+0\s+EIO/);
  assert.equal(await frame.getAttribute('#open-in-playground', 'href'), `${session.base}#${snippet.match(/#([^"]+)"/)[1]}`);
  await screenshot(parent, 'embed');
  docs.close();
  await ctx.close();
});

test('a link to an interleaving reopens it in a fresh page', async () => {
  const ctx = await context();
  const page = await open(ctx);
  await page.fill('#scenario', 'schemes: linux-5.8\nopen a f\ndup b a\npar\n  syncfs a as x\n  error f EIO\n  syncfs b as y\nend\nsyncfs a as z\n');
  await page.click('#tab-explore');
  await page.click('button[aria-label="step through outcome 3"]');
  const replay = await page.locator('#replay-string').innerText();
  await page.click('#step-next');
  const link = await copied(page, '#copy-link', 'link');
  const fresh = await session.chrome.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await other.waitForSelector('#replay-string');
  assert.equal(await other.locator('#replay-string').innerText(), replay, 'the same interleaving');
  assert.equal(await other.getAttribute('#tab-explore', 'aria-selected'), 'true');
  await other.click('#step-next');
  assert.match(await other.locator('#step-position').innerText(), /^step 2 of \d+$/);
  await fresh.close();
  await ctx.close();
});

test('the deferred module is fetched again when a request fails, and a page without it says so and still works', async () => {
  // One failed request: the page tries again and the address follows the text.
  let failed = 0;
  const ctx = await context();
  await ctx.route(/errseq-web-deferred\.js/, (route) => (failed++ === 0 ? route.abort() : route.continue()));
  const page = await open(ctx);
  await page.fill('#scenario', SCENARIO);
  await page.waitForFunction(() => location.hash.startsWith('#3'));
  assert.ok(failed >= 2, `asked ${failed} times`);
  assert.equal(await page.locator('#deferred-problem').count(), 0);
  await ctx.close();

  // Never there: the page says what is missing; sequential results still show.
  const none = await context();
  await none.route(/errseq-web-deferred/, (route) => route.abort());
  const lonely = await open(none);
  await lonely.fill('#scenario', SCENARIO);
  await lonely.waitForSelector('#grid');
  assert.match(await lonely.locator('#grid').innerText(), /EIO/);
  await lonely.waitForSelector('#deferred-problem', { timeout: 30_000 });
  assert.match(await lonely.locator('#deferred-problem').innerText(), /could not be loaded/);
  // The state inspector says it cannot draw the state.
  await lonely.click('#event-0');
  assert.match(await lonely.locator('.inspector').innerText(), /cannot be shown: part of the page is missing/);
  // A link cannot be read without it: the saved scenario stays, and the page says why.
  const linked = await none.newPage();
  await linked.goto(session.base + '#3AAAA');
  await linked.waitForSelector('#link-problem', { timeout: 30_000 });
  assert.equal(await linked.locator('#scenario').inputValue(), SCENARIO);
  await none.close();
});
