// The playground in headless Chromium, as a user meets it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT, screenshot, useBrowser } from './harness.mjs';

const session = useBrowser();

/// A fresh page (fresh storage) that records requests and script errors.
async function open(url = session.base, options = {}) {
  const context = await session.chrome.newContext({ viewport: { width: 1400, height: 1000 }, ...options });
  const page = await context.newPage();
  const requests = [];
  const problems = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(url);
  await page.waitForSelector('#scenario');
  return { page, context, requests, problems };
}

const text = (page, sel) => page.locator(sel).innerText();

async function setText(page, value) {
  await page.fill('#scenario', value);
}

test('a gallery example opens with its results under every scheme', async () => {
  const { page, context, problems } = await open();
  await page.click('[data-example="03-legacy-second-fd"]');
  await page.waitForFunction(() => document.querySelector('#scenario').value.includes('linux-4.12 tells only the first fd'));
  const grid = await text(page, '#grid');
  assert.match(grid, /linux-4\.12\s+rfc-v1\s+rfc-v2\s+linux-4\.13\s+linux-4\.14\s+linux-4\.17\s+linux-5\.8/);
  assert.match(grid, /\* fsync b\s+0\s+EIO\s+EIO\s+EIO\s+EIO\s+EIO/);
  assert.equal(await text(page, '.results .summary'), 'every expectation holds');
  assert.deepEqual(problems, []);
  await screenshot(page, 'playground');
  await context.close();
});

test('editing the text updates the grid, and mistakes are shown where they are', async () => {
  const { page, context } = await open();
  await setText(page, 'schemes: linux-4.12 linux\nopen a f\nopen b f\nerror f ENOSPC\nfsync a\nfsync b => ENOSPC\n');
  await page.waitForFunction(() => document.querySelector('#grid')?.innerText.includes('ENOSPC'));
  assert.match(await text(page, '#grid'), /fsync b\s+0 ✗\s+ENOSPC/);
  assert.equal(await text(page, '.results .summary'), '✗ 1 expectation fails');
  await setText(page, 'open a f\nfsnyc a\n');
  await page.waitForSelector('#diagnostics .diag.error');
  assert.equal(await text(page, '#diagnostics'), '2:1: unknown call `fsnyc`; did you mean `fsync`?');
  assert.equal(await page.locator('mark.mark-error').count(), 1, 'the mistake is marked in the text');
  assert.equal(await text(page, 'mark.mark-error'), 'fsnyc');
  assert.equal(await page.getAttribute('#scenario', 'aria-invalid'), 'true');
  // Choosing the problem puts the caret on it.
  await page.click('#diagnostics .diag');
  const caret = await page.evaluate(() => document.querySelector('#scenario').selectionStart);
  assert.equal(caret, 'open a f\n'.length);
  await screenshot(page, 'playground-diagnostic');
  await context.close();
});

test('editing the timeline updates the text, with the keyboard and the mouse', async () => {
  const { page, context } = await open();
  await setText(page, 'open a f\nwrite a\nfsync a\n');
  await page.waitForSelector('#event-2');
  await page.click('#event-2');
  await page.keyboard.press('Alt+ArrowUp');
  await page.waitForFunction(() => document.querySelector('#scenario').value === 'open a f\nfsync a\nwrite a\n');
  await page.keyboard.press('Delete');
  await page.waitForFunction(() => document.querySelector('#scenario').value === 'open a f\nwrite a\n');
  // Insert with the form: after the selected event.
  await page.click('#event-0');
  await page.selectOption('form.insert select', 'fdatasync');
  await page.fill('form.insert input', 'a');
  await page.click('form.insert button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('#scenario').value === 'open a f\nfdatasync a\nwrite a\n');
  // A bad argument is refused with the parser's message.
  await page.selectOption('form.insert select', 'fail');
  await page.fill('form.insert input >> nth=0', 'f');
  await page.fill('form.insert input >> nth=1', 'EIOO');
  await page.click('form.insert button[type="submit"]');
  assert.equal(await text(page, 'form.insert [role="alert"]'), 'unknown errno `EIOO`; did you mean `EIO`?');
  // Undo walks back through the edits.
  await page.click('button[aria-label="undo"]');
  await page.waitForFunction(() => document.querySelector('#scenario').value === 'open a f\nwrite a\n');
  await page.keyboard.press('Control+Shift+Z');
  await page.waitForFunction(() => document.querySelector('#scenario').value === 'open a f\nfdatasync a\nwrite a\n');
  await screenshot(page, 'timeline');
  await context.close();
});

test('a read shows its page version, and the timeline draws reads and flags', async () => {
  const { page, context, problems } = await open();
  await page.click('[data-example="28-read-after-failed-writeback"]');
  await page.waitForFunction(() => document.querySelector('#grid')?.innerText.includes('v1'));
  const grid = await text(page, '#grid');
  assert.match(grid, /read a\s+v1\s+v1\s+v1\s+v1\s+v1\s+v1\s+v1/);
  assert.match(grid, /\* read d\s+EIO\s+v0\s+v0\s+EIO\s+EIO\s+EIO\s+EIO/);
  assert.equal(await text(page, '.results .summary'), 'every expectation holds');
  // The direct description's open and its reads carry their flags as labels.
  const labels = await page.locator('#event-1 .chip .flag').allInnerTexts();
  assert.deepEqual(labels, ['RDONLY', 'DIRECT']);
  assert.equal(await page.locator('.lanes .row.head').innerText().then((t) => t.includes('d:f RDONLY·DIRECT')), true);
  assert.equal(await page.locator('.chip.read').count(), 5, 'every read is drawn as a read');
  assert.deepEqual(await page.locator('#event-6 .chip .flag').allInnerTexts(), ['DIRECT']);
  await screenshot(page, 'timeline-read-example');
  // A synchronous write's flag too.
  await setText(page, 'open a f O_DSYNC\nopen b f\nwrite a\nwrite b RWF_SYNC\nread b 2 => v0\n');
  await page.waitForFunction(() => document.querySelector('#event-4 .chip.read'));
  assert.deepEqual(await page.locator('#event-2 .chip .flag').allInnerTexts(), ['DSYNC']);
  assert.deepEqual(await page.locator('#event-3 .chip .flag').allInnerTexts(), ['RWF_SYNC']);
  assert.equal(await text(page, '#event-4 .chip.read'), 'read b 2');
  assert.deepEqual(problems, []);
  await screenshot(page, 'timeline-read-flags');
  await context.close();
});

test('the state inspector shows the word bit by bit and the lost page', async () => {
  const { page, context } = await open();
  await setText(page, 'schemes: linux-4.13\nopen a f\nwrite a\nfail f EIO\nfsync a\nfsync a\n');
  await page.click('button[aria-label="fsync a under linux-4.13: 0"]');
  // The deferred module draws it (usually there before the first click).
  await page.waitForSelector('.inspector .word');
  const state = await text(page, '.inspector');
  assert.match(state, /after line 6 `fsync a` under linux-4\.13/);
  assert.match(state, /0x00001005/);
  assert.match(state, /errno EIO · SEEN · counter 0/);
  assert.match(state, /LOST: a sync returned 0 for v1/);
  assert.equal(await page.getAttribute('.inspector .word', 'aria-label'), '0x00001005: counter 0, SEEN, errno EIO');
  await screenshot(page, 'inspector');
  await context.close();
});

test('a click before the deferred module is there says the state is loading, then shows it', async () => {
  const context = await session.chrome.newContext({ viewport: { width: 1400, height: 1000 } });
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await context.route(/errseq-web-deferred\.js/, async (route) => { await released; await route.continue(); });
  const page = await context.newPage();
  await page.goto(session.base);
  await page.waitForSelector('#scenario');
  await setText(page, 'schemes: linux-4.13\nopen a f\nerror f EIO\nfsync a\n');
  await page.click('button[aria-label="fsync a under linux-4.13: EIO"]');
  assert.equal(await text(page, '.inspector [role="status"]'), 'Loading the state view…');
  release();
  await page.waitForSelector('.inspector .word');
  assert.match(await text(page, '.inspector'), /after line 4 `fsync a` under linux-4\.13/);
  await context.close();
});

test('a title with markup renders as text', async () => {
  const { page, context, problems } = await open();
  let dialogs = 0;
  page.on('dialog', async (d) => { dialogs += 1; await d.dismiss(); });
  await setText(page, 'title: <img src=x onerror=alert(1)>\nsync\n');
  await page.waitForTimeout(300);
  assert.equal(await page.locator('img').count(), 0, 'no element made from the title');
  assert.match(await page.locator('#scenario').inputValue(), /<img src=x onerror=alert\(1\)>/);
  assert.equal(dialogs, 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the work is saved and comes back in a new page', async () => {
  const { page, context } = await open();
  await setText(page, 'open a f\nsync => 0\n');
  await page.waitForTimeout(200);
  const again = await context.newPage();
  await again.goto(session.base);
  await again.waitForSelector('#scenario');
  assert.equal(await again.locator('#scenario').inputValue(), 'open a f\nsync => 0\n');
  await context.close();
});

test('Explore lists joint outcomes and steps through a counterexample', async () => {
  const { page, context } = await open();
  const finding = readFileSync(path.join(ROOT, 'examples/findings/1-set-races-two-fsyncs.errseq'), 'utf8');
  await setText(page, `${finding}never a1 = 0\n`);
  await page.click('#tab-explore');
  await page.waitForSelector('#outcomes');
  assert.match(await text(page, '#explore-summary'), /joint outcomes? from [\d,]+ interleavings/);
  await page.click('.violations button');
  await page.waitForSelector('#replay-string');
  const replay = await text(page, '#replay-string');
  assert.match(replay, /^2[a-i][A-Za-z0-9_-]*[A-Za-z0-9]$/);
  const first = await text(page, '#step-position');
  await page.click('#step-next');
  await page.click('#step-next');
  assert.notEqual(await text(page, '#step-position'), first);
  await page.click('#step-back');
  assert.match(await text(page, '#step-position'), /^step 2 of \d+$/);
  assert.match(await text(page, '.stepper .inspector'), /open file descriptions/);
  await screenshot(page, 'explore');
  await context.close();
});

test('it is served cross-origin isolated, from its own origin only, under a strict CSP', async () => {
  const response = await fetch(session.base);
  assert.equal(response.headers.get('cross-origin-opener-policy'), 'same-origin');
  assert.equal(response.headers.get('cross-origin-embedder-policy'), 'require-corp');
  assert.match(response.headers.get('content-security-policy'), /script-src 'self' 'wasm-unsafe-eval';/);
  const html = await response.text();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
  const { page, context, requests, problems } = await open();
  await page.click('[data-example="01-seed-design"]');
  await page.click('#tab-explore');
  await page.click('#tab-playground');
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  const origin = new URL(session.base).origin;
  assert.deepEqual(requests.filter((u) => !u.startsWith('data:') && new URL(u).origin !== origin), []);
  assert.deepEqual(problems, [], 'no CSP violation or script error');
  await context.close();
});

test('axe-core finds no serious or critical accessibility violation', async () => {
  const axe = readFileSync(path.join(ROOT, 'web/node_modules/axe-core/axe.min.js'), 'utf8');
  for (const theme of ['light', 'dark']) {
    // axe is injected as a script: this one context bypasses the page's CSP.
    const { page, context } = await open(session.base, { bypassCSP: true, colorScheme: theme });
    await page.click('[data-example="05-fsync-retry"]');
    await page.click('button[aria-label="fsync a under linux-4.13: 0"] >> nth=0');
    await page.addScriptTag({ content: axe });
    const audit = () => page.evaluate(async () => {
      const r = await window.axe.run(document);
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    });
    assert.deepEqual(await audit(), [], `${theme} theme`);
    await screenshot(page, `playground-${theme}`);
    // A text that writes a scheme: its C painted in the mirror, the
    // textarea's glyphs transparent over it.
    await page.fill('#scenario', 'scheme mine from linux-4.17\n/* a check */\nint errseq_check(errseq_t *eseq, errseq_t since)\n{\n\treturn READ_ONCE(*eseq) == since ? 0 : -5;\n}\nend\nopen a f\n');
    await page.waitForSelector('.editor-frame.painted .hl-atomic');
    assert.deepEqual(await audit(), [], `${theme} theme, a scheme's C painted`);
    await screenshot(page, `playground-painted-${theme}`);
    await context.close();
  }
});
