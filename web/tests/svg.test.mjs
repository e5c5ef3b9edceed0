// The SVG pictures (`errseq render --svg`) in headless Chromium: every
// example's loads as an image document and is screenshotted to PNG in
// target/svg/ (kept as artifacts); the gallery's are also taken in the
// dark and in print, whose colours must differ from the light ones and
// keep text apart from the background. The page's SVG button downloads
// the same picture.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { ROOT, useBrowser } from './harness.mjs';

const session = useBrowser();
const OUT = path.join(ROOT, 'target/svg');

/// Each example's picture, written by the CLI into target/svg/.
function pictures() {
  execFileSync('cargo', ['build', '--quiet', '-p', 'errseq-cli'], { cwd: ROOT, stdio: 'inherit' });
  mkdirSync(OUT, { recursive: true });
  const dir = path.join(ROOT, 'examples');
  const names = [
    ...readdirSync(dir).filter((f) => f.endsWith('.errseq')),
    ...readdirSync(path.join(dir, 'findings')).filter((f) => f.endsWith('.errseq')).map((f) => `findings/${f}`),
  ].map((f) => f.replace(/\.errseq$/, ''));
  const gallery = readFileSync(path.join(dir, 'gallery.txt'), 'utf8')
    .split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(/\s+/)[0]);
  return names.sort().map((name) => {
    const svg = execFileSync(path.join(ROOT, 'target/debug/errseq'), ['render', '--svg', path.join(dir, `${name}.errseq`)]);
    const file = path.join(OUT, `${name.replace('/', '-')}.svg`);
    writeFileSync(file, svg);
    return { name, file, inGallery: gallery.includes(name), bytes: svg.length };
  });
}

/// The fills that make the picture readable: background, text, a failure.
const colours = () => {
  const fill = (sel) => { const el = document.querySelector(sel); return el ? getComputedStyle(el).fill : null; };
  return { bg: fill('.bg'), text: fill('text'), muted: fill('text.m') };
};

test('every example\'s SVG renders in Chromium, light, dark and print', async () => {
  const all = pictures();
  assert.ok(all.length >= 40, `${all.length} pictures`);
  const ctx = await session.chrome.newContext({ viewport: { width: 1000, height: 600 } });
  const page = await ctx.newPage();
  const requests = [];
  page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
  for (const p of all) {
    if (p.inGallery) assert.ok(p.bytes < 50_000, `${p.name}: ${p.bytes} bytes`);
    await page.emulateMedia({ colorScheme: 'light', media: 'screen' });
    await page.goto(pathToFileURL(p.file).href);
    // A malformed file shows Chromium's XML error page instead.
    assert.equal(await page.evaluate(() => document.documentElement.localName), 'svg', p.name);
    assert.equal(await page.locator('parsererror').count(), 0, p.name);
    const box = await page.evaluate(() => { const b = document.documentElement.getBBox(); return { width: b.width, height: b.height }; });
    assert.ok(box.width > 300 && box.height > 100, `${p.name}: ${JSON.stringify(box)}`);
    const svg = page.locator('svg');
    await svg.screenshot({ path: p.file.replace(/\.svg$/, '.png') });
    const light = await page.evaluate(colours);
    assert.notEqual(light.bg, light.text, p.name);
    if (!p.inGallery) continue;
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await page.evaluate(colours);
    assert.notEqual(dark.bg, light.bg, `${p.name}: the dark theme changes the background`);
    assert.notEqual(dark.bg, dark.text, p.name);
    await svg.screenshot({ path: p.file.replace(/\.svg$/, '-dark.png') });
    await page.emulateMedia({ colorScheme: 'dark', media: 'print' });
    const print = await page.evaluate(colours);
    assert.deepEqual([print.bg, print.text], ['rgb(255, 255, 255)', 'rgb(0, 0, 0)'], `${p.name}: print is black on white`);
  }
  assert.deepEqual(requests, [], 'a picture fetches nothing');
  await ctx.close();
});

test('the page\'s SVG button downloads the picture of the scenario', async () => {
  const ctx = await session.chrome.newContext({ acceptDownloads: true });
  const page = await ctx.newPage();
  await page.goto(session.base);
  await page.waitForSelector('#scenario');
  await page.fill('#scenario', readFileSync(path.join(ROOT, 'examples/05-fsync-retry.errseq'), 'utf8'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-svg')]);
  assert.equal(download.suggestedFilename(), 'the-fsync-retry-returns-0-after-data-loss-postgresql-2018.svg');
  const svg = readFileSync(await download.path(), 'utf8');
  const parsed = await page.evaluate((s) => {
    const doc = new DOMParser().parseFromString(s, 'image/svg+xml');
    return { root: doc.documentElement.localName, errors: doc.getElementsByTagName('parsererror').length, title: doc.querySelector('title')?.textContent };
  }, svg);
  assert.deepEqual(parsed, { root: 'svg', errors: 0, title: 'the fsync retry returns 0 after data loss (PostgreSQL, 2018)' });
  assert.ok(svg.includes(`href="${session.base}#`), 'it links to the scenario in the playground');
  assert.equal(await page.locator('#copy-status').innerText(), 'Downloaded the SVG');
  await ctx.close();
});
