// Variations of a sprite: click a sprite, "Variations of sprite N", and the next grid starts from it,
// noised by the strength. The link carries the sprite (init=) and reopens with the same pixels; the
// native CLI, given the sprite as the page downloads it, draws the same variations. A PNG dropped on
// the page starts variations too, and one that is not a sprite is a message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, pageDir, startHarness, openPage, waitForGeneration, pagePixels, assertSamePixels, settle, clickRect, pngText, withPngText, dropFile, readStatus as status, nextGrid } from './harness.mjs';

let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const drop = dropFile;

test('variations of a clicked sprite: the link carries it, reopens the same pixels, and the CLI draws them from the downloaded sprite',
  { timeout: 300000 }, async () => {
    const { page } = await openPage(h, '?build=st#v=1&w=final&c=1,0,0,0,0&s=ddim&n=25&e=0&g=0&seed=42&k=4&view=grid', { acceptDownloads: true });
    await waitForGeneration(page);
    const first = await pagePixels(page);
    let s = await status(page);
    // Sprite 3 of the 2x2 grid: cells are 17 texture pixels (a 1-pixel gutter first), the grid drawn at a whole zoom.
    const grid = s.layout.rects.grid, zoom = grid[2] / 35;
    await clickRect(page, grid, (17 + 9) * zoom, (17 + 9) * zoom);
    await settle(page);
    const sel = await status(page);
    assert.ok(sel.layout.rects.variations, 'the button beside the enlarged sprite');
    assert.ok(sel.hash.endsWith('&k=4&sel=3&view=grid'), `the link names the clicked sprite: ${sel.hash}`);
    const dir = mkdtempSync(join(tmpdir(), 'sprites-'));
    const [spriteFile] = await Promise.all([page.waitForEvent('download'), clickRect(page, sel.layout.rects.download_sprite)]);
    assert.equal(spriteFile.suggestedFilename(), 'sprite-42-3.png');
    const spritePath = join(dir, 'sprite.png');
    await spriteFile.saveAs(spritePath);
    await settle(page);
    // Its tEXt link (sel=3) is one the CLI's --link reads: it draws the same sprite 3.
    const spriteLink = pngText(readFileSync(spritePath)).Parameters;
    assert.equal(spriteLink, sel.hash);
    execFileSync(join(root, 'build/native/native/sprites'), ['sample', '--weights', join(pageDir, 'weights/sprites_final.safetensors'),
      '--link', spriteLink, '--threads', '1', '--out', join(dir, 'link.png'), '--raw', join(dir, 'link.rgb')]);
    assertSamePixels(readFileSync(join(dir, 'link.rgb')).subarray(3 * 768, 4 * 768), first.subarray(3 * 768, 4 * 768), "sprite 3 from the file's link");

    const g = (await status(page)).generations;
    await clickRect(page, (await status(page)).layout.rects.variations);
    await nextGrid(page, g);
    const v = await status(page);
    const hex = first.subarray(3 * 768, 4 * 768).toString('hex');
    assert.ok(v.hash.includes(`&init=${hex}&strength=0.6`), `the link carries sprite 3: ${v.hash.slice(0, 160)}...`);
    assert.ok(!v.hash.includes('sel='), 'variations start at sprite 0 again');
    const vars = await pagePixels(page);
    let drift = 0;
    for (let i = 0; i < vars.length; ++i) drift += Math.abs(vars[i] - first[3 * 768 + (i % 768)]);
    drift /= vars.length;
    console.log(`variations of sprite 3 (strength 0.6): mean distance ${drift.toFixed(1)} of 255 from it, link ${v.hash.length} characters`);
    assert.ok(drift > 2 && drift < 45, `variations, not copies and not strangers: ${drift}`);

    const cliDir = mkdtempSync(join(tmpdir(), 'sprites-'));
    execFileSync(join(root, 'build/native/native/sprites'), ['sample', '--weights', join(pageDir, 'weights/sprites_final.safetensors'),
      '--context', '1,0,0,0,0', '--seed', '42', '--count', '4', '--init', spritePath, '--strength', '0.6', '--threads', '1',
      '--out', join(cliDir, 'v.png'), '--raw', join(cliDir, 'v.rgb')]);
    assertSamePixels(readFileSync(join(cliDir, 'v.rgb')), vars, 'variations of the downloaded sprite');

    const other = await openPage(h, `?build=st#${v.hash}`);
    await waitForGeneration(other.page);
    assert.deepEqual(await pagePixels(other.page), vars, 'the link reopens the same variations');
    assert.equal((await status(other.page)).link_error, '');
    await other.page.close();

    const r = (await status(page)).layout.rects;
    const g2 = (await status(page)).generations;
    await clickRect(page, r.from_noise);
    await nextGrid(page, g2);
    const back = await status(page);
    assert.ok(!back.hash.includes('init='), 'from noise again: the link drops the sprite');
    assert.deepEqual(await pagePixels(page), first, 'and the first grid returns');
    await page.close();
  });

test('a dropped PNG starts variations; an image that is not a sprite is a message and changes nothing', { timeout: 240000 }, async () => {
  const { page } = await openPage(h, '?build=st#v=1&w=final&c=0,0,1,0,0&s=ddim&n=10&e=0&g=0&seed=5&k=4&view=grid');
  await waitForGeneration(page);
  const dir = mkdtempSync(join(tmpdir(), 'sprites-'));
  execFileSync(join(root, 'build/native/native/sprites'), ['sample', '--weights', join(pageDir, 'weights/sprites_final.safetensors'),
    '--context', '0,1,0,0,0', '--seed', '9', '--count', '1', '--scale', '2', '--out', join(dir, 's.png'), '--raw', join(dir, 's.rgb')]);
  const g = (await status(page)).generations;
  await drop(page, readFileSync(join(dir, 's.png')), 'mine.png');
  await nextGrid(page, g);
  const s = await status(page);
  assert.ok(s.hash.includes(`&init=${readFileSync(join(dir, 's.rgb')).toString('hex')}&strength=0.6`), 'the dropped sprite is the start');
  assert.equal(s.weights.labels, 'hero,non-human,food,spell,item', 'weights unchanged');

  await drop(page, readFileSync(join(root, 'assets/images/phone-portrait.png')), 'photo.png');
  await page.waitForFunction(() => window.spritesStatus().variations_error !== '', null, { timeout: 30000 });
  const bad = await status(page);
  assert.match(bad.variations_error, /^photo\.png: \d+x\d+ pixels; sprites are 16x16 or a square multiple \(32x32, \.\.\. up to 1024x1024\)$/);
  assert.equal(bad.hash, s.hash, 'the start and the link stay');
  assert.equal(bad.generations, s.generations);
  await drop(page, Buffer.from('not an image'), 'broken.png');
  await page.waitForFunction(() => window.spritesStatus().variations_error.startsWith('broken.png'), null, { timeout: 30000 });
  assert.equal((await status(page)).variations_error, 'broken.png: not an image this browser decodes');
  await page.close();
});

test('a grid the page or the CLI saved, dropped on the page, opens the link in its text and draws it again; a damaged link is a message', { timeout: 240000 }, async () => {
  const { page } = await openPage(h, '?build=st#v=1&w=final&c=0,1,0,0,0&s=ddim&n=10&e=0&g=0&seed=7&k=4&view=grid', { acceptDownloads: true });
  await waitForGeneration(page);
  const pixels = await pagePixels(page);
  const [download] = await Promise.all([page.waitForEvent('download'), clickRect(page, (await status(page)).layout.rects.download_grid)]);
  const sheet = readFileSync(await download.path());
  const link = pngText(sheet).Parameters;
  await page.close();

  const other = (await openPage(h, '?build=st#v=1&w=final&c=0,0,0,1,0&s=ddim&n=5&seed=1&k=1&view=grid')).page;
  const s = await waitForGeneration(other);
  await drop(other, withPngText(sheet, 'Parameters', link.replace('&k=4', '&k=99')), 'sprites-7.png');
  await other.waitForFunction(() => window.spritesStatus().variations_error !== '', null, { timeout: 30000 });
  const bad = await status(other);
  assert.equal(bad.variations_error, "sprites-7.png: its link could not be read ('k=99' is out of range 1..64)");
  assert.equal(bad.hash, s.hash, 'what was on screen stays');
  await drop(other, sheet, 'sprites-7.png');
  await nextGrid(other, s.generations);
  const opened = await status(other);
  assert.equal(opened.hash, link, "the file's settings, weights and view");
  assert.equal(opened.variations_error, '');
  assert.deepEqual(await pagePixels(other), pixels, 'the same grid');
  // A sheet the CLI drew (from the page's own weights file) carries the page's link as well.
  const dir = mkdtempSync(join(tmpdir(), 'sprites-'));
  execFileSync(join(root, 'build/native/native/sprites'), ['sample', '--weights', join(pageDir, 'weights/sprites_final.safetensors'),
    '--context', '0,0,1,0,0', '--seed', '4', '--count', '4', '--steps', '10', '--out', join(dir, 'cli.png'), '--raw', join(dir, 'cli.rgb')]);
  await drop(other, readFileSync(join(dir, 'cli.png')), 'cli.png');
  await nextGrid(other, opened.generations);
  const cli = await status(other);
  assert.match(cli.hash, /^v=1&w=final\.[0-9a-f]{8}&c=0,0,1,0,0&s=ddim&n=10&e=0&g=0&seed=4&k=4&view=grid$/);
  assert.equal(cli.link_error, '', 'the same weights file');
  assertSamePixels(readFileSync(join(dir, 'cli.rgb')), await pagePixels(other), "the CLI's sheet, opened in the page");
  // One the CLI drew from a file of the user's own names that file by its hash: the page asks for
  // it, and once it is opened draws the sheet.
  const own = join(root, 'tests/support/tiny_weights.safetensors');
  execFileSync(join(root, 'build/native/native/sprites'), ['sample', '--weights', own, '--context', '0,1,0,0,0', '--seed', '6',
    '--count', '4', '--steps', '10', '--out', join(dir, 'own.png'), '--raw', join(dir, 'own.rgb')]);
  await drop(other, readFileSync(join(dir, 'own.png')), 'own.png');
  await nextGrid(other, cli.generations);
  const asks = await status(other);
  const hash = pngText(readFileSync(join(dir, 'own.png'))).Parameters.match(/link=v=1&w=file\.([0-9a-f]{8})&/)[1];
  assert.equal(asks.link_error, `This link's weights are a file (${hash}) that is not published at a URL: open that file ` +
    "here (the button below, or drop it on the page) to see the link's sprites. Showing the default weights until then.");
  assert.equal(asks.weights_key, 'final');
  // The message wraps within the window, its buttons under it.
  const { link_error: line, open_link_file: button } = asks.layout.rects;
  assert.ok(line[0] + line[2] <= 1100 && line[3] > 20, `wrapped: ${line}`);
  assert.ok(button[1] >= line[1] + line[3] && button[0] + button[2] <= 1100, `under it: ${button}`);
  const choose = async (rect, path, generations) => {
    const [chooser] = await Promise.all([other.waitForEvent('filechooser'), clickRect(other, rect)]);
    await chooser.setFiles(path);
    await nextGrid(other, generations);
    return status(other);
  };
  // Another file is the model then, and the line says it is not the link's.
  const wrong = await choose(button, join(pageDir, 'weights/sprites_ep0.safetensors'), asks.generations);
  assert.match(wrong.link_error, new RegExp(`^sprites_ep0\\.safetensors is not the link's file \\(it is [0-9a-f]{8}, the link's ${hash}\\)`));
  assert.notEqual(wrong.weights_key, `file:${hash}`);
  const drawn = await choose(wrong.layout.rects.open_link_file, own, wrong.generations);
  assert.equal(drawn.hash, `v=1&w=file.${hash}&c=0,1,0,0,0&s=ddim&n=10&e=0&g=0&seed=6&k=4&view=grid`);
  assert.equal(drawn.link_error, '');
  assertSamePixels(readFileSync(join(dir, 'own.rgb')), await pagePixels(other), "the CLI's sheet of its own file, once the file is opened");
  // A run's export is named by its file name (final), which here is another file: the page asks for
  // that one the same way.
  mkdirSync(join(dir, 'run'));
  copyFileSync(own, join(dir, 'run/sprites_final.safetensors'));
  execFileSync(join(root, 'build/native/native/sprites'), ['sample', '--weights', join(dir, 'run/sprites_final.safetensors'), '--context',
    '0,0,0,1,0', '--seed', '8', '--count', '4', '--steps', '10', '--out', join(dir, 'run.png'), '--raw', join(dir, 'run.rgb')]);
  await drop(other, readFileSync(join(dir, 'run.png')), 'run.png');
  await nextGrid(other, drawn.generations);
  const another = await status(other);
  assert.equal(another.weights_key, 'final');
  assert.ok(another.link_error.startsWith(`This link was made with other final weights (${hash}) than this page's: open that file here`),
    another.link_error);
  const fromRun = await choose(another.layout.rects.open_link_file, join(dir, 'run/sprites_final.safetensors'), another.generations);
  assert.equal(fromRun.hash, `v=1&w=file.${hash}&c=0,0,0,1,0&s=ddim&n=10&e=0&g=0&seed=8&k=4&view=grid`);
  assert.equal(fromRun.link_error, '');
  assertSamePixels(readFileSync(join(dir, 'run.rgb')), await pagePixels(other), "a run's export, once it is opened");
  await other.close();
});

test('repainting: a drag paints the pixels to redraw, the grid keeps the others, and the link carries the mask', { timeout: 300000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sprites-'));
  execFileSync(join(root, 'build/native/native/sprites'), ['sample', '--weights', join(pageDir, 'weights/sprites_final.safetensors'),
    '--seed', '42', '--count', '1', '--out', join(dir, 's.png'), '--raw', join(dir, 's.rgb')]);
  const start = readFileSync(join(dir, 's.rgb'));
  const link = `v=1&w=final&c=1,0,0,0,0&s=ddim&n=25&e=0&g=0&seed=3&k=4&view=grid&init=${start.toString('hex')}&strength=1`;
  const { page } = await openPage(h, `?build=st#${link}`);
  await waitForGeneration(page);
  const whole = await pagePixels(page);
  const m = (await status(page)).layout.rects.mask, cell = m[2] / 16;
  assert.ok(m, 'the starting sprite to paint on, in the Variations panel');
  // One stroke over rows 0-3, waiting for frames between moves: the painter joins the positions it sees.
  const at = (x, y) => [m[0] + (x + 0.5) * cell, m[1] + (y + 0.5) * cell];
  const g = (await status(page)).generations;
  await page.mouse.move(...at(0, 0));
  await settle(page);
  await page.mouse.down();
  for (let y = 0; y < 4; ++y)
    for (const x of [0, 15]) {
      await page.mouse.move(...at(x, y));
      await settle(page);
    }
  await page.mouse.up();
  await nextGrid(page, g);
  const s = await status(page);
  assert.ok(s.hash.endsWith(`&mask=${'ff'.repeat(8)}${'00'.repeat(24)}`), `the link carries rows 0-3: ...${s.hash.slice(-80)}`);
  const px = await pagePixels(page);
  let redrawn = 0;
  for (let k = 0; k < 4; ++k) {
    assert.deepEqual(px.subarray(k * 768 + 192, (k + 1) * 768), start.subarray(192), `sprite ${k} keeps rows 4-15 to the byte`);
    for (let i = 0; i < 192; ++i) redrawn += Math.abs(px[k * 768 + i] - start[i]);
  }
  console.log(`repainted rows 0-3: mean change ${(redrawn / 768).toFixed(1)} of 255 there; the whole-sprite grid differs below`);
  assert.ok(redrawn / 768 > 3, 'the painted rows are redrawn');
  assert.notDeepEqual(whole.subarray(192, 768), start.subarray(192), 'without the mask the bottom varied too');

  const other = await openPage(h, `?build=st#${s.hash}`);
  await waitForGeneration(other.page);
  assert.deepEqual(await pagePixels(other.page), px, 'the link reopens the same repainted grid');
  await other.page.close();
  const cliDir = mkdtempSync(join(tmpdir(), 'sprites-'));
  execFileSync(join(root, 'build/native/native/sprites'), ['sample', '--weights', join(pageDir, 'weights/sprites_final.safetensors'),
    '--link', `${h.base}/?build=st#${s.hash}`, '--threads', '1', '--out', join(cliDir, 'r.png'), '--raw', join(cliDir, 'r.rgb')]);
  assertSamePixels(readFileSync(join(cliDir, 'r.rgb')), px, 'the CLI given the page\'s link');
  assert.ok(s.layout.rects.resample, 'with a mask, the Resample slider');
  const resampled = await openPage(h, `?build=st#${s.hash}&resample=2`);
  await waitForGeneration(resampled.page);
  const rpx = await pagePixels(resampled.page);
  assert.ok((await status(resampled.page)).hash.endsWith('&resample=2'));
  assert.notDeepEqual(rpx, px, 'each step twice: other pixels');
  for (let k = 0; k < 4; ++k) assert.deepEqual(rpx.subarray(k * 768 + 192, (k + 1) * 768), start.subarray(192), `resampled sprite ${k} keeps rows 4-15`);
  await resampled.page.close();

  await page.mouse.move(150, 400);
  await page.mouse.wheel(0, 300);  // the mask's buttons are below the fold of a 700-pixel window
  await settle(page);
  const g2 = (await status(page)).generations;
  await clickRect(page, (await status(page)).layout.rects.mask_clear);
  await nextGrid(page, g2);
  assert.ok(!(await status(page)).hash.includes('mask='), 'Clear: the whole sprite varies again');
  assert.deepEqual(await pagePixels(page), whole);

  await page.evaluate((hash) => { location.hash = hash; }, `${link}&mask=${'0'.repeat(64)}`);
  await page.waitForFunction(() => window.spritesStatus().link_error !== '', null, { timeout: 30000 });
  assert.match((await status(page)).link_error, /marks no pixel to redraw/);
  await page.close();
});
