// The denoising view's animation (lab L1, as the course shows its gif): "Download animation" saves
// an animated PNG that chromium decodes frame by frame, one frame per kept step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startHarness, openPage, waitForGeneration } from './harness.mjs';

let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

test('denoising view: the animation downloads as an APNG with a frame per step', { timeout: 120000 }, async () => {
  const { page } = await openPage(h, '?build=st#v=1&w=final&c=1,0,0,0,0&s=ddim&n=10&e=0&g=0&seed=2&k=4&view=denoise',
    { acceptDownloads: true });
  const s = await waitForGeneration(page);
  await page.waitForFunction(() => window.spritesStatus().layout.rects.download_animation, null, { timeout: 10000 });
  const r = (await page.evaluate(() => window.spritesStatus())).layout.rects.download_animation;
  const [download] = await Promise.all([page.waitForEvent('download'), page.mouse.click(r[0] + r[2] / 2, r[1] + r[3] / 2)]);
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
