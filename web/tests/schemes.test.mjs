// Schemes written in the scenario (issue 13), in headless Chromium: the
// deferred module compiles and runs them; the page shows its diagnostics
// at line:col, its results under the written column, and its states.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useBrowser } from './harness.mjs';

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
