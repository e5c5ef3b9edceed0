// What a first-time visitor sees: whoever opens a shared link sees its
// title, its results and its text on the first screen, on a desktop and on
// a phone, with the example gallery one click away; the gallery opens by
// itself only when there is nothing else to show. Screenshots of the
// first screen: target/browser-tests/first-view-*.png.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { screenshot, useBrowser } from './harness.mjs';

const session = useBrowser();

const SIZES = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
];

/// The link a fresh profile makes of a gallery example: open the page,
/// choose the example; the address bar carries it.
async function galleryLinks(names) {
  const ctx = await session.chrome.newContext();
  const page = await ctx.newPage();
  await page.goto(session.base);
  await page.waitForFunction(() => location.hash.length > 1);
  const links = {};
  for (const name of names) {
    const before = await page.evaluate(() => location.hash);
    const title = await page.locator(`[data-example="${name}"] .example-title`).innerText();
    const shown = await page.locator('#scenario-title').innerText();
    await page.click(`[data-example="${name}"]`);
    // The hash changes, unless the example was on show already (a first visit shows the first).
    if (shown !== title) await page.waitForFunction((h) => location.hash !== h && location.hash.length > 1, before);
    assert.equal(await page.locator('#scenario-title').innerText(), title);
    links[name] = await page.evaluate(() => location.href);
    // Every example, reads included, in the binary form of version 3 (with
    // its check); one that writes a scheme as a checked text link, which
    // carries its C (no binary form has a code for a scheme block).
    const form = name.includes('written') ? /#scenario=[^#\s]+$/ : /#3[A-Za-z0-9_-]+$/;
    assert.match(links[name], form, name);
    if (await page.locator('#gallery').count() === 0) await page.click('#examples-toggle');
  }
  await ctx.close();
  return links;
}

/// Where an element is, against the viewport.
function box(page, selector) {
  return page.$eval(selector, (el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, height: innerHeight, width: innerWidth };
  });
}

/// The visible part of the results: the header row and the first rows.
async function firstRowsBottom(page, rows) {
  return page.$eval('#grid', (table, n) => {
    const shown = [...table.querySelectorAll('tbody tr')].slice(0, n);
    return Math.max(table.querySelector('thead').getBoundingClientRect().bottom, ...shown.map((r) => r.getBoundingClientRect().bottom));
  }, rows);
}

async function openFresh(size, url) {
  const { name, ...options } = size;
  const ctx = await session.chrome.newContext(options);
  const page = await ctx.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(url);
  await page.waitForSelector('#grid');
  return { ctx, page, problems };
}

const EXAMPLE = '05-fsync-retry';

for (const size of SIZES) {
  const { width, height } = size.viewport;
  test(`a gallery example's link opens on its title, results and text at ${width}×${height}`, async () => {
    const link = (await galleryLinks([EXAMPLE]))[EXAMPLE];
    const { ctx, page, problems } = await openFresh(size, link);
    assert.equal(await page.locator('#gallery').count(), 0, 'the gallery stays closed');
    assert.equal(await page.locator('#scenario-title').innerText(), 'the fsync retry returns 0 after data loss (PostgreSQL, 2018)');
    assert.equal(await page.title(), 'the fsync retry returns 0 after data loss (PostgreSQL, 2018) · errseq playground');
    const title = await box(page, '#scenario-title');
    assert.ok(title.top >= 0 && title.bottom <= height, `title at ${JSON.stringify(title)}`);
    // The whole results grid, every row, on the first screen.
    const grid = await box(page, '.results .table-wrap');
    assert.ok(grid.top >= 0 && grid.bottom <= height, `results grid at ${JSON.stringify(grid)}`);
    assert.match(await page.locator('#grid').innerText(), /\* fsync a\s+0\s+EIO\s+0/);
    // The text begins on the first screen too.
    const text = await box(page, '#scenario');
    assert.ok(text.top < height - 40, `text at ${JSON.stringify(text)}`);
    assert.ok(await page.evaluate(() => document.scrollingElement.scrollWidth <= innerWidth), 'no sideways scrolling of the page');
    await screenshot(page, `first-view-${size.name}`, { fullPage: false });
    // The gallery is one click away.
    await page.click('#examples-toggle');
    assert.equal(await page.getAttribute('#examples-toggle', 'aria-expanded'), 'true');
    assert.ok(await page.locator('#gallery [data-example]').count() >= 10);
    assert.deepEqual(problems, []);
    await ctx.close();
  });
}

test('every gallery example\'s link shows its title and its first results on the first screen, desktop and phone', async () => {
  const names = await (async () => {
    const ctx = await session.chrome.newContext();
    const page = await ctx.newPage();
    await page.goto(session.base);
    const found = await page.$$eval('#gallery [data-example]', (bs) => bs.map((b) => b.dataset.example));
    await ctx.close();
    return found;
  })();
  assert.ok(names.length >= 10, names.join(' '));
  const links = await galleryLinks(names);
  for (const size of SIZES) {
    const { height } = size.viewport;
    for (const name of names) {
      const { ctx, page } = await openFresh(size, links[name]);
      assert.equal(await page.locator('#gallery').count(), 0, name);
      const title = await box(page, '#scenario-title');
      assert.ok(title.top >= 0 && title.bottom <= height, `${name} (${size.name}): title at ${JSON.stringify(title)}`);
      const bottom = await firstRowsBottom(page, 4);
      const top = (await box(page, '#grid')).top;
      assert.ok(top >= 0 && bottom <= height, `${name} (${size.name}): the first results end at ${bottom} of ${height}`);
      await ctx.close();
    }
  }
});

test('the gallery opens by itself only when there is nothing else to show', async () => {
  const ctx = await session.chrome.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  // A first visit, no link: the gallery.
  await page.goto(session.base);
  await page.waitForSelector('#gallery [data-example]');
  assert.equal(await page.getAttribute('#examples-toggle', 'aria-expanded'), 'true');
  await screenshot(page, 'first-view-first-visit', { fullPage: false });
  await page.click('[data-example="07-dup-vs-open"]');
  assert.equal(await page.locator('#gallery').count(), 0, 'choosing an example closes it');
  // Back later, without a link: the saved scenario, no gallery.
  const again = await ctx.newPage();
  await again.goto(session.base);
  await again.waitForSelector('#grid');
  assert.equal(await again.locator('#gallery').count(), 0);
  assert.match(await again.locator('#scenario-title').innerText(), /dup shares one cursor/);
  await ctx.close();
});
