// The Kept panel: "Keep" gathers sprites from any grid; they stay through a reload (the browser's
// storage), download as one sheet with its atlas, open their grid again, and come back when that
// sheet is dropped on a page whose browser has none. A damaged stored list is a message, not a
// dead panel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startHarness, openPage, waitForGeneration, pagePixels, settle, clickRect, pngText, decodeRgba, sheetSprite, dropFile, readStatus as status, nextGrid } from './harness.mjs';

let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const sprite = (pixels, k) => pixels.subarray(k * 768, (k + 1) * 768);
const keptSprite = (s, i) => Buffer.from(s.kept.pixels, 'hex').subarray(i * 768, (i + 1) * 768);
const click = async (page, rect) => { await clickRect(page, (await status(page)).layout.rects[rect]); await settle(page); };
const download = async (page, rect) => {
  const [d] = await Promise.all([page.waitForEvent('download'), clickRect(page, (await status(page)).layout.rects[rect])]);
  return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
};

const first = 'v=1&w=final&c=1,0,0,0,0&s=ddim&n=10&e=0&g=0&seed=5&k=4&view=grid&sel=2';
const second = 'v=1&w=final&c=0,0,1,0,0&s=ddim&n=10&e=0&g=0&seed=6&k=4&view=grid&sel=1&colours=4';

test('Keep: sprites of two grids stay through a reload, download as one sheet, open their grid, and come back from the sheet', { timeout: 300000 }, async () => {
  // Tall enough for the controls' last panel, Kept, to be on screen without scrolling them.
  const context = await h.browser.newContext({ viewport: { width: 1100, height: 1000 }, acceptDownloads: true });
  const { page } = await openPage({ browser: context, base: h.base }, `?build=st#${first}`);
  let s = await waitForGeneration(page);
  assert.deepEqual(s.kept.links, [], 'nothing kept in a new browser');
  const firstPixels = sprite(await pagePixels(page), 2);
  await click(page, 'keep');
  s = await status(page);
  assert.equal(s.kept.links.length, 1);
  assert.equal(s.kept.links[0], s.hash, 'the link of the grid it came from, its sel= the sprite');
  assert.match(s.kept.links[0], /&w=final\.[0-9a-f]{8}&.*&sel=2/);
  assert.deepEqual(keptSprite(s, 0), firstPixels, 'the pixels on screen');
  await click(page, 'keep');
  assert.equal((await status(page)).kept.links.length, 1, 'a sprite is kept once');

  // Colours limited (colours=4): the sprite as the grid shows it, which its link draws again.
  await page.evaluate((l) => { location.hash = l; }, second);
  await nextGrid(page, s.generations);
  await click(page, 'keep');
  s = await status(page);
  assert.equal(s.kept.links.length, 2);
  assert.match(s.kept.links[1], /&sel=1&view=grid&colours=4$/);
  const shown = Buffer.from(await page.evaluate(() => window.spritesStatus().kept.pixels), 'hex').subarray(768);
  assert.notDeepEqual(shown, sprite(await pagePixels(page), 1), 'the four-colour sprite, not the sampler\'s');
  const kept = s.kept;

  await page.reload();
  await page.waitForFunction(() => window.spritesStatus && window.spritesStatus().frames >= 5, null, { timeout: 60000 });
  s = await waitForGeneration(page);
  assert.deepEqual(s.kept.links, kept.links, 'kept through a reload');
  assert.equal(s.kept.pixels, kept.pixels);
  assert.equal(s.kept.message, '');

  await click(page, 'kept_header');
  const sheet = await download(page, 'kept_download');
  assert.equal(sheet.name, 'kept-sprites.png');
  const text = pngText(sheet.bytes);
  assert.equal(text.Parameters, undefined, 'no one link draws the sheet');
  assert.equal(text.Kept.split('\n').filter(Boolean).map((l) => l.slice(1537)).join(' '), kept.links.join(' '), 'each sprite\'s link, in order');
  const rgba = await decodeRgba(page, sheet.bytes);
  assert.equal(rgba.width, 2 * (16 * 8 + 1) + 1, 'two sprites a row, 8x');
  for (const i of [0, 1]) assert.deepEqual(sheetSprite(rgba, i, 2), keptSprite(s, i), `sprite ${i} of the sheet`);
  const atlas = await download(page, 'kept_atlas');
  assert.equal(atlas.name, 'kept-sprites.json');
  const frames = JSON.parse(atlas.bytes.toString()).frames;
  assert.deepEqual(Object.keys(frames), ['sprite_0', 'sprite_1']);
  assert.deepEqual(frames.sprite_1.frame, { x: 130, y: 1, w: 128, h: 128 });

  // The first kept sprite, selected and opened: its grid again, with it selected.
  const grid = (await status(page)).layout.rects.kept_grid;
  await clickRect(page, grid, 4, 4);
  await settle(page);
  assert.equal((await status(page)).kept.selected, 0);
  const before = (await status(page)).generations;
  await click(page, 'kept_open');
  await nextGrid(page, before);
  s = await status(page);
  assert.equal(s.hash, kept.links[0]);
  assert.deepEqual(sprite(await pagePixels(page), 2), keptSprite(s, 0), 'the link draws the kept sprite again');

  await click(page, 'kept_remove');
  s = await status(page);
  assert.deepEqual(s.kept.links, [kept.links[1]]);
  await click(page, 'kept_clear');
  assert.equal((await status(page)).kept.links.length, 1, 'Clear asks first');
  await click(page, 'kept_clear');
  assert.deepEqual((await status(page)).kept.links, []);
  await context.close();

  // Another browser (empty storage): the sheet dropped on it brings both back.
  const { page: other } = await openPage(h, `?build=st#${first}`);
  await waitForGeneration(other);
  await dropFile(other, sheet.bytes, 'kept-sprites.png');
  await other.waitForFunction(() => window.spritesStatus().kept.links.length === 2, null, { timeout: 30000 });
  s = await status(other);
  assert.deepEqual(s.kept.links, kept.links);
  assert.equal(s.kept.pixels, kept.pixels);
  assert.equal(s.kept.message, 'kept-sprites.png: 2 kept sprites added.');
  await dropFile(other, sheet.bytes, 'kept-sprites.png');
  await other.waitForFunction(() => window.spritesStatus().kept.message.includes('kept already'), null, { timeout: 30000 });
  assert.equal((await status(other)).kept.message, 'kept-sprites.png: 0 kept sprites added, 2 kept already.');
  await other.close();
});

test('a damaged stored list gives what reads and one line for the rest; two tabs keep each other\'s sprites', { timeout: 120000 }, async () => {
  const context = await h.browser.newContext({ viewport: { width: 1100, height: 1000 } });
  const good = `${'ab'.repeat(768)} ${first}`;
  const damaged = `${good}\n${'zz'.repeat(768)} ${first}\n\u0000\ud800garbage\n${'ab'.repeat(700)}`;
  await context.addInitScript((t) => {  // before the first tab's module reads it, once
    if (localStorage.getItem('seeded')) return;
    localStorage.setItem('sprites.kept', t);
    localStorage.setItem('seeded', '1');
  }, damaged);
  const env = { browser: context, base: h.base };
  const { page: a } = await openPage(env, `?build=st#${first}`);
  let s = await waitForGeneration(a);
  assert.deepEqual(s.kept.links, [first]);
  assert.equal(s.kept.message, '3 kept sprites stored in this browser could not be read (damaged) and were left out.');
  assert.equal(s.kept.message_is_error, true);

  // Every change starts from the list as the browser holds it.
  const { page: b } = await openPage(env, `?build=st#${second}`);
  await waitForGeneration(b);
  await click(a, 'keep');
  await click(b, 'keep');  // b read a's list before a kept its sprite
  const all = (await status(b)).kept.links;
  assert.deepEqual(all, [first, (await status(a)).hash, (await status(b)).hash], "b's Keep adds to a's sprites, not over them");
  await click(a, 'kept_remove');  // a's selection: the sprite it kept
  assert.deepEqual((await status(a)).kept.links, [first, all[2]], "b's sprite stays");
  await context.close();
});
