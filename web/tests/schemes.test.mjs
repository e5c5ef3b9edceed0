// Schemes written in the scenario (issue 13), in headless Chromium: the
// deferred module compiles and runs them; the page shows its diagnostics
// at line:col, its results under the written column, and its states.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copied, useBrowser } from './harness.mjs';

const session = useBrowser();

async function open() {
  const context = await session.chrome.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(session.base);
  await page.waitForSelector('#scenario');
  return { page, context, problems };
}

// 4.17's file_check_and_advance_wb_err asks errseq_check first, without
// the lock: a check that always says "nothing new" hides every error.
const WRITTEN = `schemes: linux-4.17 mine
scheme mine from linux-4.17
int errseq_check(errseq_t *eseq, errseq_t since)
{
\treturn 0;
}
end
open a f
error f EIO
fsync a => EIO
`;

test('a written scheme gets its column, its failed expectation and its state', async () => {
  const { page, context, problems } = await open();
  await page.fill('#scenario', WRITTEN);
  await page.waitForFunction(() => /mine/.test(document.querySelector('#grid')?.innerText ?? ''));
  const grid = await page.locator('#grid').innerText();
  assert.match(grid, /linux-4\.17\s+mine/);
  assert.match(grid, /fsync a\s+EIO\s+0/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an error in the C is shown at its line:col, an endless loop is reported', async () => {
  const { page, context } = await open();
  await page.fill('#scenario', WRITTEN.replace('return 0;', 'return nonsense;'));
  await page.waitForFunction(() => /5:9/.test(document.querySelector('#diagnostics')?.innerText ?? ''));
  const endless = WRITTEN.replace('int errseq_check(errseq_t *eseq, errseq_t since)', 'int file_check_and_advance_wb_err(struct file *file)')
    .replace('return 0;', 'for (;;) { }');
  await page.fill('#scenario', endless);
  await page.waitForFunction(() => /endless/.test(document.querySelector('#diagnostics')?.innerText ?? ''), null, { timeout: 10000 });
  assert.match(await page.locator('#diagnostics').innerText(), /^5:/m);
  await context.close();
});

// Issue 13's walk: a proposal begins from the "Start from" menu, is broken
// on purpose (its errseq_sample no longer reads an unseen error as 0, so
// an opener racing the error may never hear it), Explore shows the
// interleaving that catches it, and the link and the mail carry it all.
const RACE = 'schemes: linux-4.17\n\npar\n  error f EIO\n  open b f\nend\nfsync b => EIO\n';
const UNSEEN_AS_ZERO = '\tif (!(old & ERRSEQ_SEEN))\n\t\told = 0;\n';

async function counterexample(page) {
  await page.click('#tab-explore');
  const violation = page.locator('.violations li', { hasText: 'my-4.17' });
  await violation.waitFor({ timeout: 20000 });
  assert.match(await violation.innerText(), /my-4\.17: `\d+:fsync b` expected EIO, an interleaving returns 0/);
  await violation.locator('button').click();
  await page.waitForSelector('.steps li');
  return { steps: await page.locator('.steps').innerText(), replay: await page.locator('#replay-string').innerText() };
}

test('start from 4.17, break it, see the counterexample, share it, mail it', async () => {
  const context = await session.chrome.newContext({ viewport: { width: 1400, height: 1000 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(session.base).origin });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(session.base);
  await page.waitForSelector('#scenario');
  await page.fill('#scenario', RACE);
  await page.waitForSelector('#start-from:not([disabled])');
  await page.selectOption('#start-from', 'linux-4.17');
  const started = await page.locator('#scenario').inputValue();
  assert.ok(started.startsWith('schemes: linux-4.17 my-4.17\n\nscheme my-4.17 from linux-4.17\n/*'), started);
  assert.ok(started.endsWith('}\nend\n\npar\n  error f EIO\n  open b f\nend\nfsync b => EIO\n'), started);
  assert.ok(started.includes(UNSEEN_AS_ZERO));
  // The C is painted in the mirror: the atomic steps, keywords, comments.
  await page.waitForSelector('.editor-frame.painted .hl-atomic');
  const atomics = await page.locator('.mirror .hl-atomic').allInnerTexts();
  assert.deepEqual([...new Set(atomics)].sort(), ['READ_ONCE', 'cmpxchg', 'spin_lock', 'spin_unlock']);
  assert.ok(await page.locator('.mirror .hl-kw', { hasText: 'return' }).count() > 0);
  assert.ok(await page.locator('.mirror .hl-num').count() > 0);
  assert.ok(await page.locator('.mirror .hl-com').count() > 0);
  // Unchanged, the copy is 4.17: the same results in both columns.
  await page.waitForFunction(() => /linux-4\.17\s+my-4\.17/.test(document.querySelector('#grid')?.innerText ?? ''));
  // One undo step takes the whole block away.
  await page.click('button[aria-label="undo"]');
  assert.equal(await page.locator('#scenario').inputValue(), RACE);
  await page.click('button[aria-label="redo"]');
  assert.equal(await page.locator('#scenario').inputValue(), started);

  const broken = started.replace(UNSEEN_AS_ZERO, '');
  await page.fill('#scenario', broken);
  const seen = await counterexample(page);
  // Each step in the proposal's own lines: 4.17's errseq_sample reads
  // the word at line 60 of its source, line 63 of this text.
  assert.match(seen.steps, /open b f\s+load wb_err\(f\) = 0x00000005 at line 63:17 READ_ONCE\(\*eseq\)/);
  assert.match(seen.steps, /error f EIO\s+cmpxchg wb_err\(f\) .* at line 48:9 cmpxchg\(eseq, old, new\)/);
  await page.waitForFunction((r) => location.hash.startsWith('#scenario=') && location.hash.includes(r), seen.replay);
  const link = await copied(page, '#copy-link', 'link');
  assert.ok(link.startsWith(session.base + '#scenario='), link);

  const fresh = await session.chrome.newContext({ viewport: { width: 1400, height: 1000 } });
  const other = await fresh.newPage();
  await other.goto(link);
  // A link that names an interleaving opens on it, in Explore.
  await other.waitForSelector('.steps li', { timeout: 20000 });
  assert.equal(await other.locator('#replay-string').innerText(), seen.replay);
  assert.equal(await other.locator('.steps').innerText(), seen.steps);
  assert.match(await other.locator('.violations').innerText(), /my-4\.17: `\d+:fsync b` expected EIO, an interleaving returns 0/);
  await other.click('#tab-playground');
  assert.equal(await other.locator('#scenario').inputValue(), broken);
  await fresh.close();

  // The Email copy: the scheme's C quoted whole, and back byte for byte.
  await page.click('#tab-playground');
  const mail = await copied(page, '#copy-email', 'email');
  assert.ok(mail.includes('scheme my-4.17 from linux-4.17'), mail);
  for (const l of mail.split('\n')) assert.ok([...l].length <= 72, `${[...l].length} characters: ${l}`);
  await page.fill('#scenario', '');
  await page.evaluate((t) => navigator.clipboard.writeText(t), mail);
  await page.focus('#scenario');
  await page.keyboard.press('Control+v');
  await page.waitForFunction(() => document.querySelector('#scenario').value !== '');
  assert.equal(await page.locator('#scenario').inputValue(), broken);
  assert.deepEqual(problems, []);
  await context.close();
});
