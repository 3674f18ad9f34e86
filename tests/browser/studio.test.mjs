// The studio in headless chromium: share links reproduce pixels across pages and against the
// native CLI, malformed links explain themselves, and sampling never freezes the page (but draws
// frames only while something happens, frame_pacing.h).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startHarness, openPage, waitForGeneration, settle, clickRect, nativePixels, assertSamePixels, decodeRgba, decodeFrames, sheetSprite, pngText, pageDir, shotDir, root }
  from './harness.mjs';

const link = 'v=1&w=final&c=1,0,0.6,0,0&s=ddim&n=10&e=0&g=1&seed=42&k=9&view=grid';
let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

async function checksumOf(query) {
  const { page } = await openPage(h, query);
  try {
    const s = await waitForGeneration(page);
    assert.equal(s.link_error, '', s.link_error);
    assert.equal(s.count, 9);
    assert.match(s.checksum, /^[0-9a-f]{16}$/);
    const pixels = Buffer.from(await page.evaluate(() => window.spritesPixelsHex()), 'hex');
    return { checksum: s.checksum, hash: s.hash, pixels, page };
  } catch (e) {
    await page.close();
    throw e;
  }
}

for (const build of ['st', 'mt']) {
  test(`${build}: a share link reproduces the same pixels in a fresh page and in the native CLI`, { timeout: 240000 }, async () => {
    const first = await checksumOf(`?build=${build}#${link}`);
    assert.ok(first.hash.startsWith('v=1&w=final.'), `hash carries the weights' short hash: ${first.hash}`);
    await first.page.screenshot({ path: join(shotDir, `studio-grid-${build}.png`) });
    await first.page.close();
    const second = await checksumOf(`?build=${build}#${first.hash}`);
    await second.page.close();
    assert.equal(second.checksum, first.checksum);
    const native = nativePixels(join(pageDir, 'weights/sprites_final.safetensors'),  // what the page fetched
      { context: '1,0,0.6,0,0', steps: 10, guidance: 1, seed: 42, count: 9 });
    assertSamePixels(native, first.pixels, build);
  });
}

test('"Best fast setting" is the report\'s for the model in use: guidance 1 for the course\'s model, none for the v model', { timeout: 240000 }, async () => {
  for (const [weights, guidance] of [['v', 0], ['final', 1]]) {
    const { page } = await openPage(h, `?build=st#v=1&w=${weights}&c=1,0,0,0,0&s=ddim&n=25&e=0&g=2&seed=1&k=4&view=grid`);
    try {
      const s = await waitForGeneration(page);
      const r = s.layout.rects.best_fast;
      assert.ok(r, 'the button is shown for a full model');
      await clickRect(page, r);
      const want = `&s=dpm++&n=20&e=0&g=${guidance}&`;
      await page.waitForFunction((w) => window.spritesStatus().hash.includes(w), want, { timeout: 10000 })
        .catch(async () => assert.fail(`${weights}: ${(await page.evaluate(() => window.spritesStatus())).hash} lacks ${want}`));
    } finally {
      await page.close();
    }
  }
});

test('each sampling control explains itself while the pointer is on it, in the words of `sprites sample --help`', { timeout: 240000 }, async () => {
  const help = execFileSync(join(root, 'build/native/native/sprites'), ['sample', '--help'], { encoding: 'utf8' });
  const about = Object.fromEntries(help.split('\nSamplers:\n')[1].split('\n').filter(Boolean)
    .map((line) => /^  (\S+): (.+)$/.exec(line).slice(1)));
  const { page, status } = await openPage(h, '?build=st');
  try {
    await waitForGeneration(page);
    const hover = async (rect) => {
      await page.mouse.move(rect[0] + rect[2] / 2, rect[1] + rect[3] / 2);
      await settle(page);
      return (await status()).tooltip;
    };
    const rects = (await status()).layout.rects;
    const shown = {};
    for (const name of ['unconditional', 'context:0', 'context:4', 'guidance', 'seed']) {
      shown[name] = await hover(rects[name]);
      assert.ok(shown[name].length > 80 && help.includes(shown[name]), `${name}: "${shown[name]}" is --help's`);
    }
    assert.equal(shown['context:0'], shown.unconditional, 'one text for what the context is');
    assert.notEqual(shown.guidance, shown.seed);
    assert.match(shown.guidance, /eps = \(1 \+ w\) eps\(x, context\) - w eps\(x, no context\)/);

    // The combo: closed, the chosen sampler's text; open, each sampler's own.
    assert.equal(await hover(rects.sampler), about.ddim, 'the chosen sampler\'s');
    await clickRect(page, rects.sampler);
    await settle(page);
    const items = Object.entries((await status()).layout.rects).filter(([k]) => k.startsWith('sampler:'));
    assert.deepEqual(items.map(([k]) => k.slice('sampler:'.length)).sort(), Object.keys(about).sort());
    for (const [key, rect] of items) assert.equal(await hover(rect), about[key.slice('sampler:'.length)], key);
    await clickRect(page, Object.fromEntries(items)['sampler:ddim']);  // closes the list
    await page.mouse.move(2, 2);  // off every control: nothing shown
    await settle(page);
    assert.equal((await status()).tooltip, '');
  } finally {
    await page.close();
  }
});

test('"Copy link" says it copied the address, or why the browser would not and where the link is', { timeout: 240000 }, async () => {
  const clickNamed = async (page, name) => clickRect(page, (await page.evaluate(() => window.spritesStatus())).layout.rects[name]);
  const copied = (page) => page.waitForFunction(() => window.spritesStatus().copied.note !== '', null, { timeout: 10000 })
    .then(() => page.evaluate(() => window.spritesStatus()));
  const allowed = await h.browser.newContext({ viewport: { width: 1100, height: 700 }, permissions: ['clipboard-read', 'clipboard-write'] });
  try {
    const page = await allowed.newPage();
    await page.goto(`${h.base}/?build=st#${link}`);
    await waitForGeneration(page);
    await clickNamed(page, 'copy_link');
    const s = await copied(page);
    assert.deepEqual(s.copied, { hash: s.hash, note: 'Link copied.', failed: false });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await page.evaluate(() => location.href));
    await settle(page);
    assert.ok((await page.evaluate(() => window.spritesStatus())).layout.rects.copied_note, 'said under the button');
    await clickNamed(page, 'seed');  // another seed typed: another link, and the note goes
    await page.keyboard.type('5');
    await page.keyboard.press('Enter');
    await page.waitForFunction((h) => window.spritesStatus().hash !== h, s.hash, { timeout: 10000 });
    await settle(page);
    assert.equal((await page.evaluate(() => window.spritesStatus())).layout.rects.copied_note, undefined);
  } finally {
    await allowed.close();
  }
  // A page at a LAN address over http: browsers give it no navigator.clipboard (as here, by hand).
  const insecure = await h.browser.newContext({ viewport: { width: 1100, height: 700 } });
  try {
    await insecure.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });
      Object.defineProperty(window, 'isSecureContext', { get: () => false });
    });
    const page = await insecure.newPage();
    await page.goto(`${h.base}/?build=st#${link}`);
    await waitForGeneration(page);
    await clickNamed(page, 'copy_link');
    const s = await copied(page);
    assert.deepEqual(s.copied, { hash: s.hash, failed: true,
      note: 'The browser did not copy the link (browsers allow it only on https or localhost pages): copy it from the address bar.' });
  } finally {
    await insecure.close();
  }
});

test('a malformed link shows a clear message and falls back to the defaults', { timeout: 120000 }, async () => {
  const { page, status } = await openPage(h, '?build=st#v=1&c=1,0,zz,0,0&seed=5');
  try {
    const s = await status();
    assert.match(s.link_error, /could not be read.*not a number/);
    await page.screenshot({ path: join(shotDir, 'studio-bad-link.png') });
    const v9 = await openPage(h, '?build=st#v=9&seed=1');
    assert.match((await v9.status()).link_error, /'v=9' is a format version this page does not read/);
    await v9.page.close();
  } finally {
    await page.close();
  }
});

test('while DDPM-500 runs: its progress drawn a few times a second, every frame while the mouse moves', { timeout: 240000 }, async () => {
  const { page, status } = await openPage(h, '?build=st#v=1&s=ddpm&k=16&seed=3&view=denoise');
  try {
    await page.waitForFunction(() => window.spritesStatus().steps_done >= 5, null, { timeout: 60000 });
    await page.waitForTimeout(500);  // past the moments drawn after the page's own events
    const a = await status();
    await page.waitForTimeout(1500);
    const b = await status();
    assert.ok(a.generating && b.generating, 'still sampling');
    const quiet = b.frames - a.frames;
    assert.ok(quiet >= 4, `only ${quiet} frames drawn in 1.5 s of sampling`);
    assert.ok(b.frames_not_drawn > a.frames_not_drawn, 'frames without news are not drawn');
    assert.ok(b.steps_done > a.steps_done, 'sampling progresses between frames');
    for (let i = 0; i < 40; ++i) await page.mouse.move(600 + 5 * (i % 20), 300 + (i % 3));
    const c = await status();
    assert.ok(c.generating, 'still sampling');
    assert.ok(c.frames - b.frames >= 20, `${c.frames - b.frames} frames drawn for 40 mouse moves`);
    await page.screenshot({ path: join(shotDir, 'studio-denoise.png') });
  } finally {
    await page.close();
  }
});

test('lab views from links: DDPM vs DDIM, checkpoints, interpolation; and the page numbers', { timeout: 600000 }, async () => {
  const numbers = {};
  // Both builds time the first grid; the pthread build also runs the DDPM-500 comparison, on 4
  // sprites (on 16 it took 19 s of this test's 37).
  for (const build of ['st', 'mt']) {
    const view = build === 'mt' ? 'compare' : 'grid';
    const k = build === 'mt' ? 4 : 16;
    const { page, status } = await openPage(h, `?build=${build}#v=1&c=1,0,0,0,0&s=ddim&n=25&k=${k}&seed=1&view=${view}`);
    try {
      const first = await waitForGeneration(page);
      numbers[`${build}: time to first grid of ${k} after load (ms)`] = Math.round(first.first_grid_ms);
      numbers[`${build}: DDIM-25 x ${k} sampling (ms)`] = Math.round(first.elapsed_ms);
      if (view !== 'compare') continue;
      await page.waitForFunction(() => window.spritesStatus().lab?.done, null, { timeout: 400000, polling: 250 });
      const lab = (await status()).lab;
      assert.equal(lab.kind, 'compare');
      assert.deepEqual(lab.panels.map((p) => p.finished), [true, true]);
      assert.notEqual(lab.panels[0].checksum, lab.panels[1].checksum);
      numbers[`${build}: DDPM-500 x ${k} (ms)`] = Math.round(lab.panels[0].ms);
      numbers[`${build}: DDIM-25 x ${k} in the compare view (ms)`] = Math.round(lab.panels[1].ms);
      numbers[`${build}: DDPM/DDIM speed-up`] = +(lab.panels[0].ms / lab.panels[1].ms).toFixed(1);
      assert.ok(lab.panels[0].ms > lab.panels[1].ms, 'DDIM-25 is faster than DDPM-500');
      await page.screenshot({ path: join(shotDir, 'studio-compare.png') });
    } finally {
      await page.close();
    }
  }
  // Each view saves what it shows ("Download comparison", "Download animation"): the CLI's pixels.
  const params = { context: '0,0,1,0,0', sampler: 'dpm++', steps: 10, seed: 2, count: 4 };
  const shipped = (id) => join(pageDir, `weights/sprites_${id}.safetensors`);
  const download = async (page) => {
    const [d] = await Promise.all([page.waitForEvent('download'), clickRect(page, (await page.evaluate(() => window.spritesStatus())).layout.rects.download_lab)]);
    return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
  };
  for (const view of ['checkpoints', 'interpolate']) {
    const { page, status } = await openPage(h, `?build=mt#v=1&c=0,0,1,0,0&s=dpm%2B%2B&n=10&k=4&seed=2&view=${view}`, { acceptDownloads: true });
    try {
      await page.waitForFunction(() => window.spritesStatus().lab?.done, null, { timeout: 200000, polling: 250 });
      const lab = (await status()).lab;
      assert.equal(lab.kind, view);
      assert.equal(lab.settings_moved, false, 'the controls are those the run started from');
      assert.equal(lab.panels.length, view === 'checkpoints' ? 4 : 8);
      assert.ok(lab.panels.every((p) => p.finished && p.error === ''), JSON.stringify(lab.panels));
      assert.equal(new Set(lab.panels.map((p) => p.checksum)).size, lab.panels.length, 'every panel differs');
      if (view === 'interpolate') {  // how far along to the next class, i/7 rounded
        assert.deepEqual(lab.panels.map((p) => p.title), ['0%', '14%', '29%', '43%', '57%', '71%', '86%', '100%']);
        await page.waitForTimeout(300);  // a frame drawn with the button enabled
        const { name, bytes } = await download(page);
        assert.equal(name, 'interpolation-2-0.png');
        assert.ok(bytes.includes("sprite 0's noise, context from 0,0,1,0,0 to 0,0,0,1,0"), 'the file says what it shows');
        const frames = await decodeFrames(page, bytes);
        assert.equal(frames.length, 14, 'eight frames there, six back');
        assert.equal(frames[0].width, 16 * 8 + 2);
        const sprite = (i) => sheetSprite(frames[i], 0, 1);
        for (const [i, back] of [[1, 13], [6, 8]]) assert.deepEqual(sprite(back), sprite(i), `frame ${back} is frame ${i} on the way back`);
        assertSamePixels(nativePixels(shipped('final'), { ...params, count: 1 }), sprite(0), 'the first frame');
        assertSamePixels(nativePixels(shipped('final'), { ...params, context: '0,0,0,1,0', count: 1 }), sprite(7), 'the last frame, the next class');
      }
      if (view === 'checkpoints') {
        // The run's curve from the index (assets/weights/loss.csv, val.csv), each checkpoint where it was saved.
        const { training } = await status();
        assert.equal(training.loss_points, 120);
        assert.equal(training.val_points, 26);
        assert.deepEqual(training.marks, [{ id: 'final', step: 23244 }, { id: 'ep8', step: 8046 }, { id: 'ep4', step: 4470 },
          { id: 'ep0', step: 894 }]);
        // A seed changed after the run leaves the file as the run made it: its name and its link.
        const started = await page.evaluate(() => location.hash.slice(1));
        await clickRect(page, (await status()).layout.rects.dice);
        await page.waitForFunction((l) => location.hash.slice(1) !== l, started, { timeout: 10000 });
        assert.equal((await status()).lab.settings_moved, true, '"Run checkpoints (settings changed)"');
        await page.waitForTimeout(300);
        const { name, bytes } = await download(page);
        assert.equal(name, 'checkpoints-2.png');
        assert.equal(pngText(bytes).Parameters, started);
        assert.ok(bytes.includes('rows: epoch 0, epoch 4, epoch 8, final'), 'the rows are named in the file');
        const sheet = await decodeRgba(page, bytes);
        assert.equal(sheet.width, 4 * (16 * 8 + 1) + 1, 'four sprites a row, 8x');
        assert.equal(sheet.height, 4 * (16 * 8 + 1) + 1, 'four rows');
        for (const [row, id] of ['ep0', 'ep4', 'ep8', 'final'].entries())
          assertSamePixels(nativePixels(shipped(id), params), Buffer.concat([0, 1, 2, 3].map((k) => sheetSprite(sheet, row * 4 + k, 4))), `the ${id} row`);
      }
      await page.screenshot({ path: join(shotDir, `studio-${view}.png`) });
    } finally {
      await page.close();
    }
  }
  console.log(`page numbers (headless chromium, this machine): ${JSON.stringify(numbers, null, 1)}`);
});

test('an idle page draws a few frames a second, not sixty', { timeout: 120000 }, async () => {
  const { page, status } = await openPage(h, '?build=mt#v=1&k=4&n=5');
  try {
    await waitForGeneration(page);
    await page.waitForTimeout(500);
    const a = await status();
    await page.waitForTimeout(2000);
    const b = await status();
    const drawn = b.frames - a.frames;
    console.log(`idle: ${drawn} frames drawn in 2 s, ${b.frames_not_drawn - a.frames_not_drawn} calls without drawing`);
    assert.ok(drawn >= 3 && drawn <= 2000 / 200 + 2, `${drawn} frames drawn in 2 s of idling`);
  } finally {
    await page.close();
  }
});

test('high-DPI: the canvas gets devicePixelRatio times the CSS pixels', { timeout: 120000 }, async () => {
  const { page, status } = await openPage(h, '?build=st#v=1&k=4&n=5', { viewport: { width: 900, height: 600 }, deviceScaleFactor: 2 });
  try {
    await page.waitForFunction(() => window.spritesStatus().frames >= 10);
    const s = await status();
    assert.deepEqual(s.window, [900, 600]);
    assert.deepEqual(s.drawable, [1800, 1200]);
    await waitForGeneration(page);
    await page.screenshot({ path: join(shotDir, 'studio-hidpi.png') });
  } finally {
    await page.close();
  }
});

test('100 generations in a row do not grow the WASM heap', { timeout: 300000 }, async () => {
  const { page } = await openPage(h, '?build=st#v=1&s=ddim&n=2&k=4&seed=1');
  try {
    await waitForGeneration(page);
    const samples = await page.evaluate(async () => {
      const finished = () => new Promise((resolve) => {
        const poll = () => (window.spritesStatus().generating ? setTimeout(poll, 5) : resolve(window.spritesStatus()));
        poll();
      });
      const out = {};
      for (let i = 1; i <= 100; ++i) {
        window.spritesGenerate();
        const s = await finished();
        if (i === 10 || i === 100) out[i] = { heap: s.heap_bytes, used: s.malloc_in_use, generations: s.generations };
      }
      return out;
    });
    assert.equal(samples[100].generations - samples[10].generations, 90);
    assert.equal(samples[100].heap, samples[10].heap, `heap grew from ${samples[10].heap} to ${samples[100].heap} bytes`);
    assert.ok(samples[100].used <= samples[10].used + 65536, `malloc'd bytes grew from ${samples[10].used} to ${samples[100].used}`);
  } finally {
    await page.close();
  }
});
