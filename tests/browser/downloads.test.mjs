// What the page saves. The denoising view's animation (lab L1, as the course shows its gif): "Download
// animation" saves an animated PNG that chromium decodes frame by frame, one frame per kept step. The
// grid with "Transparent": an RGBA sprite sheet without the sprites' background, as `sprites sample
// --transparent` writes it, and its atlas as `--atlas` writes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, pageDir, startHarness, openPage, waitForGeneration, pagePixels, clickRect, decodeRgba, pngText, settle, readStatus, sheetSprite } from './harness.mjs';

let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

test('denoising view: the animation downloads as an APNG with a frame per step', { timeout: 120000 }, async () => {
  const { page } = await openPage(h, '?build=st#v=1&w=final&c=1,0,0,0,0&s=ddim&n=10&e=0&g=0&seed=2&k=4&view=denoise',
    { acceptDownloads: true });
  const s = await waitForGeneration(page);
  await page.waitForFunction(() => window.spritesStatus().layout.rects.download_animation, null, { timeout: 10000 });
  const r = (await page.evaluate(() => window.spritesStatus())).layout.rects.download_animation;
  const [download] = await Promise.all([page.waitForEvent('download'), clickRect(page, r)]);
  assert.match(download.suggestedFilename(), /^denoising-2-0\.png$/);
  const bytes = readFileSync(await download.path());
  const info = await page.evaluate(async (b64) => {
    const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const decoder = new ImageDecoder({ data, type: 'image/png' });
    await decoder.tracks.ready;
    await decoder.completed;
    const frames = decoder.tracks.selectedTrack.frameCount;
    const last = await decoder.decode({ frameIndex: frames - 1 });
    return { frames, animated: decoder.tracks.selectedTrack.animated, width: last.image.displayWidth, height: last.image.displayHeight,
      repetition: decoder.tracks.selectedTrack.repetitionCount };
  }, bytes.toString('base64'));
  console.log(`animation: ${bytes.length} bytes, ${JSON.stringify(info)}`);
  assert.equal(info.animated, true);
  assert.equal(info.frames, s.total_steps, 'a frame per DDIM step kept');
  assert.equal(info.repetition, Infinity, 'loops');
  assert.deepEqual([info.width, info.height], [2 * (16 * 8 + 1) + 1, 16 * 8 + 2], 'x_t beside predicted x_0, 8x');
  await page.close();
});

test('grid view: "Transparent" downloads an RGBA sheet without the background, as the CLI\'s --transparent', { timeout: 120000 }, async () => {
  const { page } = await openPage(h, '?build=st#v=1&w=final&c=1,0,0,0,0&s=ddim&n=25&e=0&g=0&seed=3&k=4&view=grid', { acceptDownloads: true });
  await waitForGeneration(page);
  const rects = (await page.evaluate(() => window.spritesStatus())).layout.rects;
  const frames = (await page.evaluate(() => window.spritesStatus())).frames;
  await clickRect(page, rects.transparent);
  // ImGui 1.86 acts on a click over two frames: the next click waits until they are drawn.
  await page.waitForFunction((f) => window.spritesStatus().frames > f + 2, frames, { timeout: 10000 });
  // "Dice" picks another seed without sampling: the file is still the grid on screen, and says so.
  const link = await page.evaluate(() => location.hash.slice(1));
  await clickRect(page, rects.dice);
  await page.waitForFunction((l) => location.hash.slice(1) !== l, link, { timeout: 10000 });
  assert.equal((await page.evaluate(() => window.spritesStatus())).controls_moved, true, 'Generate says the settings changed');
  const [download] = await Promise.all([page.waitForEvent('download'), clickRect(page, rects.download_grid)]);
  assert.match(download.suggestedFilename(), /^sprites-3\.png$/);
  assert.equal(pngText(readFileSync(await download.path())).Parameters, link, "the grid's own link, with its weights' hash");
  assert.match(link, /(^|&)w=final\.[0-9a-f]{8}(&|$)/);
  const sheet = await decodeRgba(page, readFileSync(await download.path()));
  const dir = mkdtempSync(join(tmpdir(), 'sprites-'));
  execFileSync(join(root, 'build/native/native/sprites'), ['sample', '--weights', join(pageDir, 'weights/sprites_final.safetensors')  /* what the page fetched */,
    '--context', '1,0,0,0,0', '--seed', '3', '--count', '4', '--scale', '8', '--transparent', '--out', join(dir, 'cli.png'),
    '--atlas', join(dir, 'cli.json')]);
  const cli = await decodeRgba(page, readFileSync(join(dir, 'cli.png')));
  const own = await pagePixels(page);
  const px = Buffer.from(sheet.hex, 'hex'), cliPx = Buffer.from(cli.hex, 'hex');
  assert.equal(sheet.width, 2 * (16 * 8 + 1) + 1);
  assert.equal(px.length, cliPx.length, 'the CLI lays out the same sheet');
  assert.equal(px[3], 0, 'the gutters are transparent');
  let clear = 0, opaque = 0, sameAlpha = 0;
  for (let k = 0; k < 4; ++k)
    for (let y = 0; y < 16; ++y)
      for (let x = 0; x < 16; ++x) {
        const at = (((k >> 1) * 129 + 1 + y * 8) * sheet.width + (k & 1) * 129 + 1 + x * 8) * 4, src = ((k * 16 + y) * 16 + x) * 3;
        sameAlpha += px[at + 3] === cliPx[at + 3];
        if (px[at + 3] === 0) { ++clear; continue; }
        ++opaque;
        assert.deepEqual([...px.subarray(at, at + 3)], [...own.subarray(src, src + 3)], `sprite ${k} (${x},${y}) keeps its colour`);
      }
  console.log(`transparent sheet: ${clear} of 1024 sprite pixels cleared, ${sameAlpha} with the CLI's alpha`);
  assert.ok(clear > 256 && opaque > 256, `${clear} cleared, ${opaque} opaque`);
  assert.ok(sameAlpha >= 0.98 * 1024, `${sameAlpha} of 1024 pixels as transparent as the CLI's`);
  // "Download atlas": the sheet's frames for a game framework, as the CLI's --atlas writes them.
  const [atlasDownload] = await Promise.all([page.waitForEvent('download'), clickRect(page, rects.download_atlas)]);
  assert.equal(atlasDownload.suggestedFilename(), 'sprites-3.json');
  const atlas = JSON.parse(readFileSync(await atlasDownload.path(), 'utf8')), cliAtlas = JSON.parse(readFileSync(join(dir, 'cli.json'), 'utf8'));
  assert.deepEqual(atlas.frames, cliAtlas.frames);
  assert.deepEqual(atlas.animations.sheet, ['sprite_0', 'sprite_1', 'sprite_2', 'sprite_3']);
  assert.deepEqual(atlas.meta, { ...cliAtlas.meta, image: 'sprites-3.png' }, 'it names the downloaded grid');
  assert.equal(atlas.meta.format, 'RGBA8888');
  assert.deepEqual(atlas.frames.sprite_1.frame, { x: 130, y: 1, w: 128, h: 128 });
  await clickRect(page, rects.generate);  // the dice's seed
  await page.waitForFunction(() => window.spritesStatus().generations >= 2 && !window.spritesStatus().generating, null, { timeout: 60000 });
  assert.equal((await page.evaluate(() => window.spritesStatus())).controls_moved, false);
  await page.close();
});

// A game developer's sprites at their own 16x16 pixels: "Download size" 1x gives the CLI's --scale 1
// sheet and atlas, and the browser keeps the choice for the next visit.
test('"Download size" 1x: the grid, its sprite and its atlas at the sprites\' own pixels, as the CLI\'s --scale 1; kept through a reload',
  { timeout: 120000 }, async () => {
    const { page } = await openPage(h, '?build=st#v=1&w=final&c=0,0,1,0,0&s=ddim&n=10&e=0&g=0&seed=4&k=4&view=grid&sel=3',
      { acceptDownloads: true, viewport: { width: 1100, height: 1000 } });  // tall: the Pixel art panel in view
    await waitForGeneration(page);
    assert.deepEqual((await readStatus(page)).downloads, { scale: 8, transparent: false, error: '' }, 'the page always downloaded 8x');
    await clickRect(page, (await readStatus(page)).layout.rects.download_scale);
    await settle(page);
    await clickRect(page, (await readStatus(page)).layout.rects.download_scale_1);
    await page.waitForFunction(() => window.spritesStatus().downloads.scale === 1, null, { timeout: 10000 });
    await settle(page);
    const rects = (await readStatus(page)).layout.rects;
    const save = async (rect) => {
      const [d] = await Promise.all([page.waitForEvent('download'), clickRect(page, rects[rect])]);
      return readFileSync(await d.path());
    };
    const grid = await save('download_grid'), sprite = await save('download_sprite'), atlas = JSON.parse((await save('download_atlas')).toString());
    const dir = mkdtempSync(join(tmpdir(), 'sprites-'));
    writeFileSync(join(dir, 'page.png'), grid);  // --link reads the link in its text
    execFileSync(join(root, 'build/native/native/sprites'), ['sample', '--link', join(dir, 'page.png'),
      '--weights', join(pageDir, 'weights/sprites_final.safetensors'), '--scale', '1', '--out', join(dir, 'cli.png'), '--atlas', join(dir, 'cli.json')]);
    const [sheet, cli, one] = [await decodeRgba(page, grid), await decodeRgba(page, readFileSync(join(dir, 'cli.png'))), await decodeRgba(page, sprite)];
    const size = (d) => [d.width, d.height];
    assert.deepEqual(size(sheet), [2 * 17 + 1, 2 * 17 + 1], 'four 16x16 sprites, two a row, 1-pixel gutters');
    assert.equal(sheet.hex, cli.hex, "the CLI's --scale 1 sheet of the grid's link");
    const own = await pagePixels(page);
    assert.ok(sheetSprite(sheet, 2, 2, 1).equals(own.subarray(2 * 768, 3 * 768)), "sprite 2 is the grid's, pixel for pixel");
    assert.deepEqual(size(one), [18, 18], 'Download sprite: one 16x16 sprite');
    assert.ok(sheetSprite(one, 0, 1, 1).equals(own.subarray(3 * 768, 4 * 768)), 'the selected sprite, 3');
    assert.deepEqual(atlas.frames, JSON.parse(readFileSync(join(dir, 'cli.json'), 'utf8')).frames, "the CLI's atlas frames");
    assert.deepEqual(atlas.frames.sprite_1.frame, { x: 18, y: 1, w: 16, h: 16 });
    await page.reload();
    await waitForGeneration(page);
    assert.deepEqual((await readStatus(page)).downloads, { scale: 1, transparent: false, error: '' }, 'the browser kept 1x');
    // A stored value the page did not write: one line where the setting is, and 8x.
    await page.evaluate(() => localStorage.setItem('sprites.downloads', 'scale=3 transparent=1'));
    await page.reload();
    await waitForGeneration(page);
    const damaged = (await readStatus(page)).downloads;
    assert.equal(damaged.scale, 8);
    assert.match(damaged.error, /^The download settings stored in this browser could not be read \("scale=3 transparent=1"\): back to 8x, opaque\.$/);
    assert.ok((await readStatus(page)).layout.rects.downloads_error, 'said under "Download size"');
    await page.close();
  });
