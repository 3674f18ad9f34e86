// The page survives any URL hash: damaged percent-encoding, random bytes, NULs, a 100 kB hash,
// repeated and unknown fields, on a fresh load and on a hash change after load. Each gives a
// one-line message quoting the offending field as written and the defaults, and frames keep coming.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, openPage, phone } from './harness.mjs';

let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const good = 'v=1&w=final&c=0,1,0,0,0&s=ddim&n=5&e=0&g=0&seed=7&k=4&view=grid';

// Hashes with one known damaged field, in characters the browser keeps as written.
function damaged(rand) {
  const fields = good.split('&');
  const i = 1 + rand(fields.length - 1);
  const [key, value] = fields[i].split('=');
  const bad = ['%E0%A4%A', '%', '%zz', '%0', `${value}%`, '%00', `${value}%00`, '%2C%2C', 'x'.repeat(1 + rand(30)),
               `${value},${value}`, '-1', '1e999', 'nan', '%FF%FE'][rand(14)];
  fields[i] = `${key}=${bad}`;
  return { hash: fields.join('&'), field: fields[i] };
}

// Anything at all: random bytes percent-encoded, raw punctuation, repeats, unknown keys, huge.
function anything(rand) {
  const kind = rand(6);
  const bytes = (n) => Array.from({ length: n }, () => rand(256));
  if (kind === 0) return bytes(1 + rand(60)).map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  if (kind === 1) return bytes(1 + rand(60)).map((b) => String.fromCharCode(33 + (b % 94))).join('');
  if (kind === 2) return `${good}&${good}`;
  if (kind === 3) return `${good}&zoom=${rand(9)}&x%00y=1`;
  if (kind === 4) return '&'.repeat(1 + rand(200)) + '='.repeat(rand(5));
  return `v=1&c=${'0.5,'.repeat(rand(3000))}1`;
}

async function framesAdvance(page, from) {
  await page.waitForFunction((f) => window.spritesStatus().frames >= f + 3, from, { timeout: 20000 });
}

// Damaged hashes a page reads as it starts; a few fresh loads (each takes seconds), the rest below.
const refusedOnLoad = ['%E0%A4%A', `v=1&c=${'7'.repeat(100000)}`, 'v=1&k=4&k=5'];
const refused = ['v=1&c=1,0,%E0%A4%A', 'v=1&seed=%00', '%', 'v=1&bogus=1', '%ff%fe%fd', 'v=1&view=%3Cscript%3E',
                 `#${'&'.repeat(5000)}`];
const refusal = /^This link could not be read \(.+\); showing the defaults instead\.$/;

test('fresh loads of damaged hashes give one line, the defaults and frames', { timeout: 300000 }, async () => {
  for (const [i, hash] of refusedOnLoad.entries()) {
    const width = i === 2 ? 390 : 1100;  // the last on a phone
    const { page, logs, status } = await openPage(h, `?build=st#${hash}`, width === 390 ? phone : {});
    try {
      const s = await status();
      assert.match(s.link_error, refusal, hash.slice(0, 80));
      assert.ok(s.link_error.length < 300 && !s.link_error.includes('\n'), s.link_error);
      // Wrapped within the screen, the Dismiss button under it.
      const { link_error: line, link_dismiss: dismiss } = s.layout.rects;
      assert.ok(line[0] + line[2] <= width && dismiss[0] + dismiss[2] <= width && dismiss[1] >= line[1] + line[3], `${line} ${dismiss}`);
      assert.match(s.hash, /&seed=0&k=16&view=grid$/, 'the defaults');
      await framesAdvance(page, s.frames);
      assert.ok(!logs.some((l) => l.startsWith('pageerror')), logs.join('\n'));
    } finally {
      await page.close();
    }
  }
});

test('a hundred hash changes after load: messages quote the field, frames keep coming', { timeout: 300000 }, async () => {
  let seed = 2024;
  const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const { page, logs, status } = await openPage(h, `?build=st#${good}`);
  try {
    assert.equal((await status()).link_error, '');
    const cases = refused.map((hash) => ({ hash, field: undefined, refused: true }));
    for (let i = 0; i < 100; ++i)
      cases.push(i % 10 === 9 ? { hash: good, field: null } : i % 2 ? damaged(rand) : { hash: anything(rand), field: undefined });
    // In the page, without a round trip per case: change the hash, wait for its hashchange (the
    // page's listener, added first, has read it then; the event can come after frames already
    // drawn, and the status read before it named the case before), then two frames.
    const seen = await page.evaluate(async (hashes) => {
      const out = [];
      for (const hash of hashes) {
        await new Promise((r) => {
          const timer = setTimeout(r, 2000);  // a hash the address bar already holds fires no event
          addEventListener('hashchange', () => { clearTimeout(timer); r(); }, { once: true });
          location.hash = hash;
        });
        const f0 = window.spritesStatus().frames;
        while (window.spritesStatus().frames < f0 + 2) await new Promise((r) => setTimeout(r, 5));
        const s = window.spritesStatus();
        out.push({ link_error: s.link_error, hash: s.hash, frames: s.frames });
      }
      return out;
    }, cases.map((c) => c.hash));
    let checked = 0;
    for (const [i, c] of cases.entries()) {
      const s = seen[i];
      assert.ok(!s.link_error.includes('\n') && s.link_error.length < 300, s.link_error);
      if (c.field === null) {
        assert.equal(s.link_error, '', `a good link after damaged ones: ${s.link_error}`);
        assert.match(s.hash, /&seed=7&k=4&view=grid$/);
      } else if (s.link_error || c.refused) {
        if (c.refused) assert.match(s.link_error, refusal, c.hash.slice(0, 80));
        assert.match(s.hash, /&seed=0&k=16&view=grid$/, 'a bad link gives the defaults');
        if (c.field) assert.ok(s.link_error.includes(`'${c.field.slice(0, 60)}`), `${s.link_error} should quote ${c.field}`);
        ++checked;
      }
    }
    assert.ok(checked >= 50, `only ${checked} hashes were refused`);
    assert.ok(!logs.some((l) => l.startsWith('pageerror')), logs.join('\n'));
  } finally {
    await page.close();
  }
});
