// "Colours": each sprite of the grid limited to a few of its own colours, and "Palette": painted in
// a game's colours (shared/sprite_colours.h). A link carries both; the page shows and downloads
// exactly what the CLI's --colours and --palette write from the same pixels (the wasm CLI: the
// page's own arithmetic); the slider takes the limit back off, the field takes a typed palette.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pageDir, startHarness, openPage, waitForGeneration, pagePixels, settle, clickRect } from './harness.mjs';

let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const link = 'v=1&w=final&c=0,0,1,0,0&s=ddim&n=10&e=0&g=0&seed=11&k=4&view=grid';

// The wasm CLI (single-thread, as the page's st build) on the page's weights file: its checksum line and raw pixels.
function wasmCli(hash) {
  const dir = mkdtempSync(join(tmpdir(), 'sprites-colours-'));
  const out = execFileSync(process.execPath, ['--no-experimental-fetch', join(pageDir, 'sprites-cli-st.js'), 'sample',
    '--weights', join(pageDir, 'weights/sprites_final.safetensors'), '--link', `#${hash}`, '--out', join(dir, 'g.png'),
    '--raw', join(dir, 'g.rgb')]).toString();
  return { checksum: out.match(/pixels fnv1a64 ([0-9a-f]{16})/)[1], raw: readFileSync(join(dir, 'g.rgb')) };
}

const coloursPerSprite = (px) => [0, 1, 2, 3].map((k) => {
  const seen = new Set();
  for (let i = k * 256; i < (k + 1) * 256; ++i) seen.add(px.readUIntBE(3 * i, 3));
  return seen.size;
});

// The controls below Generate need more than 700 pixels of height.
const tall = { viewport: { width: 1100, height: 900 } };
// A click, and the frames that take it, before the status is read.
async function press(page, x, y) {
  await page.mouse.click(x, y);
  await settle(page);
}

test('a link with colours=6 shows and downloads the CLI\'s --colours pixels; the slider takes it off', { timeout: 180000 }, async () => {
  const { page } = await openPage(h, `?build=st#${link}&colours=6`, { acceptDownloads: true, ...tall });
  try {
    const s = await waitForGeneration(page);
    assert.equal(s.link_error, '', s.link_error);
    assert.match(s.hash, /&colours=6$/, 'the page\'s own link keeps it');
    const plain = wasmCli(link), limited = wasmCli(`${link}&colours=6`);
    assert.equal(s.checksum, plain.checksum, 'the sampler\'s pixels are the wasm CLI\'s');
    assert.equal(s.shown_checksum, limited.checksum, 'the grid shown is the CLI\'s --colours 6');
    assert.notEqual(s.shown_checksum, s.checksum);
    const before = coloursPerSprite(await pagePixels(page)), after = coloursPerSprite(limited.raw);
    console.log(`colours per sprite: ${before.join(', ')} sampled, ${after.join(', ')} limited`);
    assert.ok(after.every((n) => n <= 6) && before.every((n) => n > 20), `${before} -> ${after}`);

    const rects = s.layout.rects;
    const [download] = await Promise.all([page.waitForEvent('download'), clickRect(page, rects.download_grid)]);
    const png = readFileSync(await download.path());
    assert.ok(png.includes('colours=6'), 'the PNG\'s parameters carry the limit');
    const sheet = await page.evaluate(async (b64) => {
      const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' }),
        { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
      const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
      ctx.drawImage(bitmap, 0, 0);
      return { width: bitmap.width, hex: Array.from(ctx.getImageData(0, 0, bitmap.width, bitmap.height).data, (v) => v.toString(16).padStart(2, '0')).join('') };
    }, png.toString('base64'));
    const px = Buffer.from(sheet.hex, 'hex');
    for (let k = 0; k < 4; ++k)
      for (let y = 0; y < 16; ++y)
        for (let x = 0; x < 16; ++x) {
          const at = (((k >> 1) * 129 + 1 + y * 8) * sheet.width + (k & 1) * 129 + 1 + x * 8) * 4, src = ((k * 16 + y) * 16 + x) * 3;
          assert.deepEqual([...px.subarray(at, at + 3)], [...limited.raw.subarray(src, src + 3)], `sprite ${k} (${x},${y}) as downloaded`);
        }

    // The slider's left end is "all": the sampler's pixels again, and the link without the field.
    await press(page, rects.colours[0] + 2, rects.colours[1] + rects.colours[3] / 2);
    await page.waitForFunction(() => !window.spritesStatus().hash.includes('colours='), null, { timeout: 10000 });
    const off = await page.evaluate(() => window.spritesStatus());
    assert.equal(off.shown_checksum, off.checksum);
    assert.equal(off.checksum, s.checksum, 'no new grid: only what is shown changed');
  } finally {
    await page.close();
  }
});

test('a palette from a link is the CLI\'s; one typed into the field goes into the link', { timeout: 180000 }, async () => {
  const palette = '1a1c2c,5d275d,b13e53,ef7d57,ffcd75,a7f070,38b764,257179,29366f,3b5dc9,41a6f6,73eff7,f4f4f4,94b0c2,566c86,333c57';
  const { page } = await openPage(h, `?build=st#${link}&colours=6&palette=${palette}`, tall);
  try {
    const s = await waitForGeneration(page);
    assert.equal(s.link_error, '', s.link_error);
    const cli = wasmCli(`${link}&colours=6&palette=${palette}`);
    assert.equal(s.shown_checksum, cli.checksum, 'the grid shown is the CLI\'s --colours 6 --palette');
    const allowed = new Set(palette.split(',').map((c) => parseInt(c, 16)));
    for (let i = 0; i < cli.raw.length; i += 3) assert.ok(allowed.has(cli.raw.readUIntBE(i, 3)), `pixel ${i / 3} is a palette colour`);

    const r = s.layout.rects.palette;
    await press(page, r[0] + 20, r[1] + r[3] / 2);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('000000 ffffff', { delay: 30 });
    await page.waitForFunction(() => window.spritesStatus().hash.endsWith('&palette=000000,ffffff'), null, { timeout: 15000 });
    const two = await page.evaluate(() => window.spritesStatus());
    assert.equal(two.shown_checksum, wasmCli(`${link}&colours=6&palette=000000,ffffff`).checksum, 'black and white, as the CLI');
    assert.equal(two.checksum, s.checksum, 'no new grid');

    // "Palette of this grid": six of the grid's own colours (Colours is 6), shared by every sprite.
    const b = two.layout.rects.palette_of_grid;
    await press(page, b[0] + b[2] / 2, b[1] + b[3] / 2);
    await page.waitForFunction(() => /&palette=([0-9a-f]{6},){1,5}[0-9a-f]{6}$/.test(window.spritesStatus().hash), null, { timeout: 15000 });
    const own = await page.evaluate(() => window.spritesStatus());
    const shared = wasmCli(own.hash);
    assert.equal(own.shown_checksum, shared.checksum, 'the grid\'s palette, as the CLI paints it');
    const listed = new Set(own.hash.split('&palette=')[1].split(',').map((c) => parseInt(c, 16)));
    const plain = wasmCli(link), plainColours = new Set();
    for (let i = 0; i < plain.raw.length; i += 3) plainColours.add(plain.raw.readUIntBE(i, 3));
    for (const c of listed) assert.ok(plainColours.has(c), `${c.toString(16)} is a colour of the grid`);
    for (let i = 0; i < shared.raw.length; i += 3) assert.ok(listed.has(shared.raw.readUIntBE(i, 3)), `pixel ${i / 3} in the palette`);
  } finally {
    await page.close();
  }
});

test('a damaged colours= is the page\'s one line, and the grid keeps all colours', { timeout: 120000 }, async () => {
  const { page } = await openPage(h, `?build=st#${link}&colours=1`);
  try {
    const s = await waitForGeneration(page);
    assert.match(s.link_error, /'colours=1' leaves one colour: a sprite needs 2 or more \(0: all\)/);
    assert.equal(s.shown_checksum, s.checksum);
    await page.evaluate(() => { location.hash = 'v=1&k=4&palette=1a1c2c,fff'; });
    await page.waitForFunction(() => /is not a palette/.test(window.spritesStatus().link_error), null, { timeout: 15000 });
    assert.match((await page.evaluate(() => window.spritesStatus())).link_error, /'palette=1a1c2c,fff' is not a palette: 'fff' is not a colour as 6 hex digits/);
  } finally {
    await page.close();
  }
});
