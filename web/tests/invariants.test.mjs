// The invariants of a written scheme (issue 13, point 6), in headless
// Chromium: below the Explore view, a table per written scheme says which
// invariants it keeps over the gallery beside its base, and each broken
// one links to its counterexample, opened in a new tab step by step.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { screenshot, useBrowser } from './harness.mjs';

const session = useBrowser();

const RACE = 'schemes: linux-4.17\n\npar\n  error f EIO\n  open b f\nend\nfsync b => EIO\n';
const INVARIANTS = ['told-while-open', 'told-once', 'late-opener'];

/// A page with the "Start from" copy of 4.17 written into RACE.
async function startFrom417() {
  const context = await session.chrome.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(session.base);
  await page.waitForSelector('#scenario');
  await page.fill('#scenario', RACE);
  await page.waitForSelector('#start-from:not([disabled])');
  await page.selectOption('#start-from', 'linux-4.17');
  return { context, page, problems, started: await page.locator('#scenario').inputValue() };
}

/// The verdicts of `my-4.17` and of its base, by invariant, once swept.
async function verdicts(page, bench) {
  await page.click('#tab-explore');
  const table = page.locator('.invariants-scheme[data-scheme="my-4.17"]');
  await table.waitFor({ timeout: 60000 });
  const out = {};
  for (const id of INVARIANTS) {
    const row = table.locator(`tr[data-invariant="${id}"]`);
    out[id] = {
      mine: await row.locator('td.mine').getAttribute('class'),
      base: await row.locator('td.base').getAttribute('class'),
      said: await row.locator('td.mine').innerText(),
    };
  }
  const millis = await table.locator('.sweep-figure').getAttribute('data-millis');
  if (process.env.BENCH) console.log(`bench invariants_sweep_${bench} ${millis}`);
  return out;
}

/// Opens the counterexample of `id` (a link to a new tab) and returns
/// that tab once its steps show.
async function openCounterexample(page, id) {
  const link = page.locator(`.invariants-scheme[data-scheme="my-4.17"] tr[data-invariant="${id}"] td.mine a.counterexample`);
  assert.equal(await link.getAttribute('target'), '_blank');
  const [other] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
  await other.waitForSelector('.steps li', { timeout: 60000 });
  return other;
}

async function edit(page, from, to) {
  await page.click('#tab-playground');
  const text = await page.locator('#scenario').inputValue();
  assert.ok(text.includes(from), `the copy has ${from}`);
  await page.fill('#scenario', text.replace(from, to));
}

test('an unmodified copy of 4.17 keeps all three, as 4.17 does', async () => {
  const { context, page, problems } = await startFrom417();
  const v = await verdicts(page, 'copy_417');
  for (const id of INVARIANTS) {
    assert.match(v[id].mine, /\bkept\b/, `${id}: ${v[id].said}`);
    assert.match(v[id].base, /\bkept\b/, id);
    assert.match(v[id].said, /^kept \(at stake in \d+ scenarios?\)$/);
  }
  // One sweep per text: leaving Explore and coming back sweeps nothing.
  const sweeps = await page.evaluate(() => document.documentElement.dataset.invariantSweeps);
  await page.click('#tab-playground');
  await page.click('#tab-explore');
  await page.waitForSelector('.invariants-scheme');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.invariantSweeps), sweeps);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a report that no longer marks SEEN breaks told-while-open; its counterexample opens step by step', async () => {
  const { context, page, problems } = await startFrom417();
  // examples/33's proposal: errseq_check_and_advance's cmpxchg of SEEN
  // is never taken, so the word stays unseen.
  await edit(page, 'new = old | ERRSEQ_SEEN;', 'new = old;');
  const v = await verdicts(page, 'without_seen');
  assert.match(v['told-while-open'].mine, /\bbroken\b/);
  assert.match(v['told-while-open'].base, /\bkept\b/);
  assert.match(v['told-while-open'].said,
    /^broken in 33-written-report-without-seen: fsync a \(line 31\) returned 0, though its own writeback recorded an error: a's description was never told it/);
  assert.match(v['told-once'].mine, /\bkept\b/);
  await page.locator('.invariants').scrollIntoViewIfNeeded();
  await screenshot(page, 'invariants-broken', { fullPage: false });

  const other = await openCounterexample(page, 'told-while-open');
  // The gallery scenario with the proposal grafted in, at line 31 the
  // call that returned 0.
  await other.click('#tab-playground');
  const text = await other.locator('#scenario').inputValue();
  assert.ok(text.includes('\ntitle: A proposal that breaks errseq_t'), text);
  assert.ok(text.includes('\nschemes: my-4.17\n'), text);
  assert.ok(text.includes('new = old;'), 'the proposal travels in the link');
  assert.match(text.split('\n')[30], /^fsync a\b/);
  await other.click('#tab-explore');
  await screenshot(other, 'invariants-counterexample');
  const steps = await other.locator('.steps').innerText();
  assert.match(steps, /31:fsync a\s+runs alone → returns 0/);
  await other.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test('without f_lock a description is told twice, shown in an interleaving at the C lines', async () => {
  const { context, page, problems } = await startFrom417();
  await edit(page, '\t\tspin_lock(&file->f_lock);\n', '');
  await edit(page, '\t\tspin_unlock(&file->f_lock);\n', '');
  const v = await verdicts(page, 'without_f_lock');
  assert.match(v['told-once'].mine, /\bbroken\b/);
  assert.match(v['told-once'].base, /\bkept\b/);
  assert.match(v['told-once'].said, /^broken in findings\/4-report-once: fsync a \(line 23\) told ENOSPC again/);
  const other = await openCounterexample(page, 'told-once');
  const steps = await other.locator('.steps').innerText();
  // Each step of the proposal in the linked text's own lines.
  assert.match(steps, /at line \d+:\d+ cmpxchg\(eseq, old, new\)/);
  assert.match(steps, /at line \d+:\d+ READ_ONCE\(\*eseq\)/);
  await other.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a scheme whose calls loop runs out of states: the scenarios left say so, and the page answers', async () => {
  const { context, page, problems } = await startFrom417();
  // errseq_check reads the word 200 more times: every interleaving of
  // those reads is a state of its own.
  await edit(page, '\terrseq_t cur = READ_ONCE(*eseq);\n',
    '\terrseq_t cur = READ_ONCE(*eseq);\n\tfor (u32 i = 0; i < 200; i++)\n\t\tcur = READ_ONCE(*eseq);\n');
  await verdicts(page, 'loop');
  const table = page.locator('.invariants-scheme[data-scheme="my-4.17"]');
  assert.match(await table.locator('.unchecked').innerText(),
    /^my-4\.17: .*findings\/4-report-once.* not checked: more than 200000 distinct states/);
  assert.match(await table.locator('.sweep-figure').innerText(), /^my-4\.17: \d+ of 18 scenarios, /);
  // The base is unaffected; the page still answers.
  assert.equal(await table.locator('td.base.kept').count(), 3);
  await page.click('#tab-playground');
  await page.waitForSelector('#scenario');
  assert.deepEqual(problems, []);
  await context.close();
});
