// The mail round trip in the page: every example's Email copy, as sent,
// quoted once and twice, rewrapped at 72 columns with format=flowed and
// answered between its lines, pasted into the text pane, opens the same
// canonical scenario; a mail holding two offers a choice; a cut one says
// what is missing. The mangling is what crates/share's `mail::mangle`
// does for the CLI's test of the same round trip.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { copied, ROOT, screenshot, useBrowser } from './harness.mjs';

const session = useBrowser();

/// Every example of examples/ and examples/findings/, with its canonical
/// text as `errseq decode` prints it (the one parser and printer).
function examples() {
  execFileSync('cargo', ['build', '--quiet', '-p', 'errseq-cli'], { cwd: ROOT, stdio: 'inherit' });
  const errseq = path.join(ROOT, 'target/debug/errseq');
  const dir = path.join(ROOT, 'examples');
  const files = [
    ...readdirSync(dir).filter((f) => f.endsWith('.errseq')).map((f) => path.join(dir, f)),
    ...readdirSync(path.join(dir, 'findings')).filter((f) => f.endsWith('.errseq')).map((f) => path.join(dir, 'findings', f)),
  ].sort();
  return files.map((file) => {
    const link = execFileSync(errseq, ['url', file], { encoding: 'utf8' }).trim();
    const canonical = execFileSync(errseq, ['decode', link], { encoding: 'utf8' });
    return { name: path.relative(dir, file), text: readFileSync(file, 'utf8'), canonical };
  });
}

const lines = (text) => text.replace(/\n$/, '').split('\n');

/// A reply's quoting: mutt's `> ` (then `> > `), or RFC 3676's `>` marks
/// run together (`>> `), an empty line as `>`.
function quote(text, flowed = false) {
  return lines(text).map((l) => {
    if (!flowed) return `> ${l}`;
    if (l.startsWith('>')) return `>${l}`;
    return l === '' ? '>' : `> ${l}`;
  }).join('\n') + '\n';
}

/// A format=flowed sender's rewrap to `width`: a long line breaks after
/// its last blank that fits, the blank kept (a soft break), the rest on a
/// line of its own with the same quote marks; words are never cut.
function rewrap(text, width) {
  const out = [];
  for (const line of lines(text)) {
    const marks = line.match(/^[> ]*/)[0];
    let rest = line.slice(marks.length);
    for (;;) {
      const room = width - [...marks].length;
      if ([...rest].length <= room) { out.push(marks + rest); break; }
      const cut = rest.slice(0, room).lastIndexOf(' ');
      if (cut <= 0 || rest.slice(0, cut).trim() === '') { out.push(marks + rest); break; }
      out.push(marks + rest.slice(0, cut + 1));
      rest = rest.slice(cut + 1).trimStart();
    }
  }
  return out.join('\n') + '\n';
}

/// Someone's answers between the quoted lines, a greeting and a signature.
function withProse(text, every) {
  const out = ['On Mon, 1 Jan 2018, Someone wrote:'];
  lines(text).forEach((l, i) => {
    out.push(l);
    if ((i + 1) % every === 0) out.push('', 'I am not sure about this line; see below.', '');
  });
  out.push('', 'Thanks,', 'A. Reviewer', '-- ', 'sent from a mail program');
  return out.join('\n') + '\n';
}

async function context() {
  const ctx = await session.chrome.newContext({ viewport: { width: 1300, height: 900 } });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(session.base).origin });
  return ctx;
}

/// Pastes `text` into the text pane as a user does (Ctrl+V).
async function paste(page, text) {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.focus('#scenario');
  await page.keyboard.press('Control+v');
}

test('every example: its Email copy, quoted, rewrapped and answered, pastes back to the same scenario', async () => {
  const all = examples();
  assert.ok(all.length >= 40, `${all.length} examples`);
  const ctx = await context();
  const page = await ctx.newPage();
  await page.goto(session.base);
  await page.waitForSelector('#scenario');
  for (const e of all) {
    await page.fill('#scenario', e.text);
    const mail = await copied(page, '#copy-email', 'email');
    for (const l of lines(mail)) {
      assert.ok([...l].length <= 72, `${e.name}: ${[...l].length} columns: ${l}`);
    }
    const twice = quote(quote(mail));
    for (const [what, m] of [
      ['as sent', mail],
      ['quoted twice, rewrapped at 72 (format=flowed)', rewrap(twice, 72)],
      ['flowed quotes, prose between, rewrapped at 72', rewrap(withProse(quote(quote(mail, true), true), 3), 72)],
    ]) {
      await page.fill('#scenario', '');
      await paste(page, m);
      await page.waitForFunction(() => document.querySelector('#scenario').value !== '');
      assert.equal(await page.locator('#scenario').inputValue(), e.canonical, `${e.name}: ${what}`);
      assert.match(await page.locator('#mail-paste').innerText(), /^Opened the scenario at lines \d+-\d+ of the pasted text\./, `${e.name}: ${what}`);
    }
  }
  await ctx.close();
});

test('a mail with two scenarios offers a choice; a cut one says what is missing; a scenario pastes as it is', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await page.goto(session.base);
  await page.waitForSelector('#scenario');
  const mails = [];
  for (const name of ['05-fsync-retry', 'findings/2-unserialized-syncfs']) {
    await page.fill('#scenario', readFileSync(path.join(ROOT, 'examples', `${name}.errseq`), 'utf8'));
    mails.push(await copied(page, '#copy-email', 'email'));
  }
  await page.fill('#scenario', 'sync\n');
  await paste(page, `${quote(mails[0])}\nWhat about this one?\n\n${mails[1]}`);
  await page.waitForSelector('#mail-paste .mail-choice');
  assert.match(await page.locator('#mail-paste').innerText(), /The pasted text holds 2 scenarios; open one:/);
  assert.equal(await page.locator('#scenario').inputValue(), 'sync\n', 'nothing opened before the choice');
  await screenshot(page, 'mail-choice');
  await page.locator('#mail-paste .mail-choice', { hasText: 'finding 2' }).click();
  const chosen = await page.locator('#scenario').inputValue();
  assert.match(chosen, /^title: finding 2: syncfs advances/m);
  assert.equal(await page.getAttribute('#mail-paste .mail-choice[aria-pressed="true"]', 'aria-pressed'), 'true');
  // Opening it was one undo step.
  await page.click('button[aria-label="undo"]');
  assert.notEqual(await page.locator('#scenario').inputValue(), chosen);
  await page.click('button[aria-label="redo"]');
  assert.equal(await page.locator('#scenario').inputValue(), chosen);
  await page.fill('#scenario', 'sync\n');

  // Cut inside the scenario, its link gone with the rest.
  const cut = mails[0].slice(0, mails[0].lastIndexOf('heal f'));
  await paste(page, quote(cut));
  await page.waitForFunction(() => document.querySelector('#mail-paste')?.innerText.includes('no end line'));
  assert.match(await page.locator('#mail-paste').innerText(), /has no end line .* the mail may have been cut/);
  assert.equal(await page.locator('#scenario').inputValue(), 'sync\n', 'the document is left alone');
  await page.click('#mail-paste button:has-text("Dismiss")');
  assert.equal(await page.locator('#mail-paste').count(), 0);

  // A piece of scenario text is pasted where the caret is.
  await page.fill('#scenario', '');
  await paste(page, 'open a f\nfsync a\n');
  await page.waitForFunction(() => document.querySelector('#scenario').value === 'open a f\nfsync a\n');
  assert.equal(await page.locator('#mail-paste').count(), 0);
  await ctx.close();
});
