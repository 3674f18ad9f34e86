// Random input for the page: clicks, drags, the wheel, typing and window sizes from a seeded
// generator, with links (some damaged) pasted between. The page must keep drawing and answering,
// with no wasm abort, and still generate the pixels of a link afterwards. MONKEY_SEED and
// MONKEY_ACTIONS rerun a failure or explore longer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, openPage, waitForGeneration } from './harness.mjs';

let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

// mulberry32: a small seeded generator, so a failing sequence replays from its seed.
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const links = ['#v=1&c=0,1,0,0,0&s=ddim&n=5&seed=3&k=4', '#v=1&s=dpm%2B%2B&n=3&k=64&view=compare', '#v=1&view=denoise&sel=2&k=4&n=4',
  '#v=1&view=noising&t=300&k=4&n=3', '#v=1&view=interpolate&k=4&n=3', '#v=1&live=1&k=9&n=3', '#v=1&colours=4&palette=grid&k=4&n=3',
  '#v=1&c=1,0,%E0%A4%A', '#v=1&k=99999', '#v=1&w=ep4&view=checkpoints&n=3', '#v=1&s=ddpm&k=1', '#v=1&training=1&view=noising&k=2&n=2',
  '#v=2', '#' + 'x'.repeat(5000), '#v=1&init=zz&strength=2', '#v=1&w=file.0a1b2c3d&k=4&n=3'];
const keys = ['Enter', 'Tab', 'Escape', 'Backspace', 'Delete', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End',
  'Control+a', 'Control+c', 'Control+v', 'Control+z', '0', '7', '-', '.', 'e', 'x', ' '];
const sizes = [[1100, 700], [390, 844], [844, 390], [1600, 1000], [320, 480]];

test('random input never stops the page', { timeout: 400000 }, async () => {
  const seed = Number(process.env.MONKEY_SEED ?? 20261206), actions = Number(process.env.MONKEY_ACTIONS ?? 60);
  const rnd = generator(seed), pick = (a) => a[Math.floor(rnd() * a.length)];
  const { page, logs, status } = await openPage(h, '?build=mt#v=1&n=5&k=4');
  let size = [1100, 700];
  const done = [], states = new Set(), views = new Set();
  try {
    await waitForGeneration(page);
    for (let i = 0; i < actions; ++i) {
      const r = rnd(), x = rnd() * size[0], y = rnd() * size[1];
      let what;
      if (r < 0.45) {
        what = `click ${x | 0},${y | 0}`;
        await page.mouse.click(x, y, { clickCount: rnd() < 0.1 ? 2 : 1 });
      } else if (r < 0.65) {
        const x2 = x + (rnd() - 0.5) * 400, y2 = y + (rnd() - 0.5) * 100;
        what = `drag ${x | 0},${y | 0} -> ${x2 | 0},${y2 | 0}`;
        await page.mouse.move(x, y);
        await page.mouse.down();
        await page.mouse.move(x2, y2, { steps: 4 });
        await page.mouse.up();
      } else if (r < 0.72) {
        what = `wheel at ${x | 0},${y | 0}`;
        await page.mouse.move(x, y);
        await page.mouse.wheel(0, (rnd() - 0.5) * 800);
      } else if (r < 0.9) {
        const k = pick(keys);
        what = `key ${k}`;
        await page.keyboard.press(k);
      } else if (r < 0.96) {
        const link = pick(links);
        what = `link ${link.slice(0, 60)}`;
        await page.evaluate((l) => { location.hash = l; }, link);
      } else {
        size = pick(sizes);
        what = `size ${size.join('x')}`;
        await page.setViewportSize({ width: size[0], height: size[1] });
      }
      done.push(what);
      await page.waitForTimeout(rnd() < 0.2 ? 300 : 30);
      const now = await status();
      states.add(now.hash);
      views.add(now.hash.match(/view=([a-z]+)/)?.[1]);
      const dead = logs.find((l) => /pageerror|Aborted|RuntimeError|unreachable/.test(l));
      assert.equal(dead, undefined, `after action ${i} (seed ${seed}): ${done.slice(-5).join(' | ')}\n${logs.slice(-20).join('\n')}`);
    }
    const before = (await status()).frames;
    await page.waitForTimeout(1000);
    assert.ok((await status()).frames > before, 'the page still draws');
    // And still generates what a link asks for.
    await page.setViewportSize({ width: 1100, height: 700 });
    const grids = (await status()).generations;
    await page.evaluate(() => { location.hash = '#v=1&c=0,0,1,0,0&s=ddim&n=5&seed=11&k=4&view=grid'; });
    await page.waitForFunction((g) => { const s = window.spritesStatus(); return s.generations > g && !s.generating; }, grids,
      { timeout: 60000, polling: 100 });
    const s = await status();
    assert.match(s.hash, /seed=11/);
    console.log(`monkey seed ${seed}: ${actions} actions, ${states.size} states (views ${[...views].join(', ')}), ` +
      `${s.generations} grids generated, no abort`);
  } finally {
    await page.close();
  }
});
