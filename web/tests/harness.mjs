// Shared by the browser tests: start `trunk serve` on a free port, launch
// Debian's headless Chromium through playwright-core, keep screenshots
// (in target/browser-tests/).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS = path.join(ROOT, 'target/browser-tests');

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function waitFor(url, child, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${child.spawnargs.join(' ')} exited with ${child.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up within ${ms} ms`);
}

/// Serves the playground with `trunk serve` (the README's way) and returns
/// its base URL and a stop function.
export async function serve() {
  const port = await freePort();
  const child = spawn('trunk', ['serve', '--release', '--port', String(port)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}/`;
  try {
    await waitFor(base, child, 300_000);
  } catch (e) {
    child.kill('SIGTERM');
    throw new Error(`${e.message}\n${log}`);
  }
  return { base, stop: () => child.kill('SIGTERM') };
}

/// Headless Chromium; `extra` adds command-line switches.
export async function browser(extra = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ...extra,
    ],
  });
}

/// Keeps a screenshot of the whole page, or with `{ fullPage: false }` of
/// what the viewport shows.
export async function screenshot(page, name, { fullPage = true } = {}) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage });
}

/// Registers the suite's setup and teardown with node:test: one `trunk serve`
/// and one Chromium shared by every test in the file. The returned session
/// is filled in once `before` has run, so tests read `session.base` and
/// `session.chrome` inside their bodies.
export function useBrowser() {
  const session = { base: undefined, chrome: undefined, stop: undefined };
  before(async () => {
    const server = await serve();
    session.base = server.base;
    session.stop = server.stop;
    session.chrome = await browser();
    // A loaded machine (the full suite beside cargo builds) can take more
    // than Playwright's 30 s to bring a fresh page up; what a test waits
    // for does not change, only how long before it fails.
    const newContext = session.chrome.newContext.bind(session.chrome);
    session.chrome.newContext = async (...args) => {
      const ctx = await newContext(...args);
      ctx.setDefaultTimeout(90_000);
      return ctx;
    };
  });
  after(async () => {
    await session.chrome?.close();
    session.stop?.();
  });
  return session;
}

/// Clicks a copy button (or runs `trigger`, e.g. a shortcut), waits for the
/// status line to confirm ("Copied the link", …) and returns what reached
/// the clipboard.
export async function copied(page, trigger, what) {
  if (typeof trigger === 'function') await trigger();
  else await page.click(trigger);
  await page.waitForFunction(
    (expected) => document.querySelector('#copy-status').textContent === expected,
    `Copied the ${what}`,
  );
  return page.evaluate(() => navigator.clipboard.readText());
}
