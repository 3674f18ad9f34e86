// The Noising view (lab 2's forward process): a link opens it at its timestep on sprite 0 of the
// grid, its strip downloads as the CLI's, the curve of the noise error over t fills in, the slider
// moves t and the link follows, and through the lightest noise the network's guess is the grid's
// own sprite.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, pageDir, startHarness, openPage, waitForGeneration, pagePixels, clickRect, decodeRgba, sheetSprite, encodeRgbPng, pngText,
  assertSamePixels, readStatus as status, nextGrid, phone } from './harness.mjs';

let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const noisingAt = (page, t) => page.waitForFunction((want) => {
  const n = window.spritesStatus().noising;
  return n && n.t === want && n.x0.length === 1536;
}, t, { timeout: 30000, polling: 100 });

test('the Noising view: opened by a link at its t, the slider moves t and the link, a light noise gives back the sprite', { timeout: 240000 }, async () => {
  const { page, logs } = await openPage(h, '?build=st#v=1&w=final&c=0,0,1,0,0&s=ddim&n=25&e=0&g=0&seed=42&k=4&sel=2&view=noising&t=300',
    { acceptDownloads: true });
  try {
    await waitForGeneration(page);
    await noisingAt(page, 300).catch((e) => { throw new Error(`${e.message}\n${logs.join('\n')}`); });
    let s = await status(page);
    assert.equal(s.noising.error, '');
    assert.equal(s.noising.source, 'sprite 2 of the grid', "the link's sel=");
    assert.ok(s.hash.endsWith('&k=4&sel=2&view=noising&t=300'), s.hash);
    assert.ok(s.noising.loss > 0 && s.noising.loss < 1, `a trained network's noise error at t = 300: ${s.noising.loss}`);
    assert.ok(Math.abs(s.noising.signal - 0.3996) < 0.001, `sqrt(abar_300) of the course's schedule: ${s.noising.signal}`);
    assert.notEqual(s.noising.x_t, s.noising.x0);
    const at300 = s.noising;
    // "Download strip": what `sprites noising --out` writes for this sprite, its noise and context.
    const [download] = await Promise.all([page.waitForEvent('download'), clickRect(page, s.layout.rects.download_strip)]);
    assert.equal(download.suggestedFilename(), 'noising-42-2.png');
    const bytes = readFileSync(await download.path());
    assert.equal(pngText(bytes).Parameters, s.hash, 'the view\'s link');
    const dir = mkdtempSync(join(tmpdir(), 'sprites-'));
    writeFileSync(join(dir, 'sprite.png'), await encodeRgbPng(page, (await pagePixels(page)).subarray(2 * 768, 3 * 768), 16, 16));
    execFileSync(join(root, 'build/native/native/sprites'), ['noising', '--weights', join(pageDir, 'weights/sprites_final.safetensors'),
      '--sprite', join(dir, 'sprite.png'), '--context', '0,0,1,0,0', '--seed', '42', '--first-index', '2', '--out', join(dir, 'cli.png')],
    { stdio: 'ignore' });
    const strip = await decodeRgba(page, bytes), cli = await decodeRgba(page, readFileSync(join(dir, 'cli.png')));
    assert.equal(strip.width, 11 * (16 * 8 + 1) + 1, 'eleven columns, 8x');
    const cells = (sheet, scale) => Buffer.concat([...Array(22).keys()].map((k) => sheetSprite(sheet, k, 11, scale)));
    assertSamePixels(cells(cli, 4), cells(strip, 8), 'the downloaded strip (x_t, then the guesses of x_0)');
    // The curve: every tenth timestep, filled a batch a frame; at t = 300 it is the look's own error.
    await page.waitForFunction(() => window.spritesStatus().noising.curves[0].values.length === 50, null, { timeout: 30000, polling: 100 });
    const { curve_ts, curves } = (await status(page)).noising;
    assert.equal(curves.length, 1);
    const curve = curves[0].values;
    assert.equal(curve_ts[0], 10);
    assert.equal(curve_ts[49], 500);
    assert.ok(Math.abs(curve[29] - at300.loss) <= 1e-6 * at300.loss, `t = 300 on the curve ${curve[29]} and in the look ${at300.loss}`);
    assert.ok(curve[0] > 10 * curve[49], `faint noise is the hard part for an eps model: ${curve[0]} at t = 10, ${curve[49]} at 500`);
    assert.ok((await status(page)).layout.rects.noising_curve, 'the curve is drawn');

    // Left end of the slider: the lightest noise.
    const r = s.layout.rects.noising_t;
    assert.ok(r, 'the t slider is drawn');
    await page.mouse.click(r[0] + 2, r[1] + r[3] / 2);
    await page.waitForFunction(() => { const n = window.spritesStatus().noising; return n && n.t < 10; }, null, { timeout: 30000, polling: 100 });
    s = await status(page);
    assert.ok(s.hash.endsWith(`&view=noising&t=${s.noising.t}`), `the link follows the slider: ${s.hash.slice(-30)}`);
    assert.ok(s.noising.loss !== at300.loss);
    const sprite2 = (await pagePixels(page)).subarray(2 * 768, 3 * 768);
    const x0 = Buffer.from(s.noising.x0, 'hex');
    let sum = 0;
    for (let i = 0; i < 768; ++i) sum += Math.abs(x0[i] - sprite2[i]);
    assert.ok(sum / 768 < 3, `at t = ${s.noising.t} the guess is sprite 2 of the grid (mean ${(sum / 768).toFixed(2)} levels off)`);

    // Another context by link (no sel=: sprite 0): while its grid is drawn the view keeps the last sprite, then shows the new one.
    const g = s.generations;
    await page.evaluate(() => { location.hash = '#v=1&w=final&c=1,0,0,0,0&s=ddpm&seed=42&k=4&view=noising&t=200'; });
    await page.waitForFunction(() => window.spritesStatus().generating, null, { timeout: 30000, polling: 20 });
    const during = (await status(page)).noising;
    assert.ok(during && during.x0.length === 1536 && during.source === 'sprite 2 of the grid', 'the view stays while the grid is drawn');
    await nextGrid(page, g);
    await page.waitForFunction(() => window.spritesStatus().noising.curves[0].values.length === 50 && window.spritesStatus().noising.t === 200, null, { timeout: 30000 });
    const after = (await status(page)).noising;
    let same = 0;
    for (let i = 0; i < 768; ++i) same += Buffer.from(after.x_t, 'hex')[i] === Buffer.from(during.x_t, 'hex')[i] ? 1 : 0;
    assert.ok(same < 700, 'the new grid\'s sprite 0 is noised now');
    assert.equal(after.source, 'sprite 0 of the grid');
  } finally {
    await page.close();
  }
});

test('the Noising view on a phone: the slider, the strip, x_t beside its guess and the curve fit the screen', { timeout: 120000 }, async () => {
  const { page } = await openPage(h, '?build=st#v=1&w=final&c=0,0,1,0,0&s=ddim&n=25&e=0&g=0&seed=42&k=4&view=noising&t=120',
    phone);
  try {
    await waitForGeneration(page);
    await page.waitForFunction(() => window.spritesStatus().noising?.curves[0].values.length === 50, null, { timeout: 60000, polling: 100 });
    const s = await status(page);
    assert.ok(s.layout.touch, 'a touch layout');
    assert.equal(s.noising.t, 120);
    for (const name of ['noising_t', 'noising_curve', 'noising_pair']) {
      const r = s.layout.rects[name];
      assert.ok(r && r[0] >= 0 && r[0] + r[2] <= 390, `${name} within the 390-pixel screen: ${r}`);
    }
    const pair = s.layout.rects.noising_pair;
    assert.ok(pair[3] < pair[2], `x_t beside the network's guess: ${pair}`);
  } finally {
    await page.close();
  }
});

test('over training: the curve for each checkpoint of the run, fetched when asked for; training lowers it', { timeout: 180000 }, async () => {
  const { page } = await openPage(h, '?build=st#v=1&w=final&c=0,0,1,0,0&s=ddim&n=25&e=0&g=0&seed=42&k=4&view=noising&t=300');
  try {
    await waitForGeneration(page);
    await page.waitForFunction(() => window.spritesStatus().noising?.curves[0].values.length === 50, null, { timeout: 60000, polling: 100 });
    let s = await status(page);
    assert.ok(!s.library.some((e) => e.key === 'ep0'), 'epoch 0 is not fetched before it is asked for');
    const r = s.layout.rects.noising_over_training;
    assert.ok(r, 'the checkbox is drawn for a run checkpoint');
    await page.mouse.click(r[0] + r[3] / 2, r[1] + r[3] / 2);
    await page.waitForFunction(() => {
      const n = window.spritesStatus().noising;
      return n.curves.length === 4 && n.curves.every((c) => c.values.length === 50 || c.error);
    }, null, { timeout: 120000, polling: 200 });
    s = await status(page);
    assert.ok(s.hash.endsWith('&view=noising&t=300&training=1'), s.hash);
    assert.deepEqual(s.noising.curves.map((c) => c.weights), ['ep0', 'ep4', 'ep8', 'final']);
    for (const c of s.noising.curves) assert.equal(c.error, '', c.label);
    const mean = (c) => c.values.reduce((a, b) => a + b, 0) / c.values.length;
    const [ep0, , , last] = s.noising.curves;
    assert.ok(mean(ep0) > 1.2 * mean(last), `epoch 0's mean noise error ${mean(ep0)} above the final model's ${mean(last)}`);
    assert.ok(Math.abs(last.values[29] - s.noising.loss) <= 1e-6 * s.noising.loss, 'the final curve is the model in use');
  } finally {
    await page.close();
  }
});
