// What a click and a step cost in the page: the analysis is computed once
// per text (the document element counts analyses and decoded
// interleavings, `data-analyses` and `data-replays`), so choosing a cell
// re-renders without re-evaluating, and stepping through an interleaving
// shows a step the decoded trace already holds. With BENCH=1 it prints the
// median time per click on a 1,000-event scenario (scripts/bench-web.sh;
// figures in BENCHMARKS.md), as `bench <name> <ms>`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT, useBrowser } from './harness.mjs';

const session = useBrowser();

/// 1,000 events over two descriptions of one file.
function thousandEvents() {
  const calls = ['write a', 'error f EIO', 'fsync a', 'fsync b'];
  const lines = ['open a f', 'open b f'];
  while (lines.length < 1000) lines.push(calls[lines.length % calls.length]);
  return `${lines.join('\n')}\n`;
}

async function open() {
  const context = await session.chrome.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(session.base);
  await page.waitForSelector('#scenario');
  return { page, context };
}

const counted = (page, work) => page.evaluate((w) => Number(document.documentElement.dataset[w] ?? 0), work);

/// Clicks the cell and waits until the page has rendered the choice.
function clickCell(page, index) {
  return page.evaluate(async (i) => {
    const cells = document.querySelectorAll('#grid button.cell');
    const cell = cells[i];
    const t0 = performance.now();
    cell.click();
    while (cells[i].getAttribute('aria-pressed') !== 'true') await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return performance.now() - t0;
  }, index);
}

test('choosing a cell of a 1,000-event scenario re-renders without re-evaluating', async () => {
  const { page, context } = await open();
  await page.fill('#scenario', thousandEvents());
  await page.waitForFunction(() => document.querySelectorAll('#grid tbody tr').length === 1000);
  const analyses = await counted(page, 'analyses');
  assert.ok(analyses >= 1);
  const times = [];
  for (let i = 0; i < 21; i += 1) times.push(await clickCell(page, 7 * (40 * i + 3) + (i % 7)));
  assert.equal(await counted(page, 'analyses'), analyses, 'a click analysed the text again');
  times.sort((a, b) => a - b);
  if (process.env.BENCH) console.log(`bench click_cell_1000_events ${times[10].toFixed(1)}`);
  await context.close();
});

test('stepping through an interleaving decodes it once', async () => {
  const { page, context } = await open();
  const finding = readFileSync(path.join(ROOT, 'examples/findings/1-set-races-two-fsyncs.errseq'), 'utf8');
  await page.fill('#scenario', `${finding}never a1 = 0\n`);
  await page.click('#tab-explore');
  await page.waitForSelector('.violations button');
  await page.click('.violations button');
  await page.waitForSelector('#step-position');
  const replays = await counted(page, 'replays');
  assert.ok(replays >= 1);
  const steps = [];
  for (let i = 0; i < 6; i += 1) {
    await page.click(i < 4 ? '#step-next' : '#step-back');
    steps.push(await page.locator('#step-position').innerText());
  }
  assert.deepEqual(steps.map((s) => Number(s.match(/^step (\d+)/)[1])), [2, 3, 4, 5, 4, 3]);
  assert.equal(await counted(page, 'replays'), replays, 'a step decoded the interleaving again');
  await context.close();
});
