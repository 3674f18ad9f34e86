// The live preview (issue 12): while a context slider is dragged, the distilled student redraws the
// grid every frame; on release the chosen sampler renders the same pixels as the native CLI. Prints
// the rate it reaches in both builds (a benchmark's number, not asserted). While a context slider
// moves over fixed noise, the network's encoder is not run again (unet_xnn.h).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startHarness, openPage, waitForGeneration, nativePixels, assertSamePixels, pagePixels, pageDir, readStatus } from './harness.mjs';

let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });


// Drags the first context slider from its left end along its track in `ms`, as a hand does: the
// pointer moves every few milliseconds whatever the page is doing, and before each animation frame
// (as chromium delivers a real mouse's moves), from inside the page, so the drag does not wait for
// each frame the way a driven mouse does. It stops short of the track's end (the item's rect ends
// with the label): past it the value stays at 1, nothing redraws, and the rate would be diluted.
// Returns the student grids drawn meanwhile, their mean sampling time, grids per second of the drag
// and frames drawn per second.
async function dragContext(page, ms) {
  const before = await readStatus(page);
  const r = before.layout.rects['context:0'];
  const y = r[1] + r[3] / 2, x0 = r[0] + 2, x1 = r[0] + 0.6 * r[2];
  await page.mouse.move(x0, y);
  await page.mouse.down();
  const wall = await page.evaluate(({ x0, x1, y, ms }) => new Promise((done) => {
    const canvas = document.querySelector('canvas');
    const t0 = performance.now();
    const move = () => {
      const u = Math.min(1, (performance.now() - t0) / ms);
      canvas.dispatchEvent(new MouseEvent('mousemove', { clientX: x0 + (x1 - x0) * u, clientY: y, buttons: 1, bubbles: true }));
      return u < 1;
    };
    const tick = () => {
      if (move()) setTimeout(tick, 4);
      else done((performance.now() - t0) / 1000);
    };
    const frame = () => { if (move()) requestAnimationFrame(frame); };
    tick();
    requestAnimationFrame(frame);
  }), { x0, x1, y, ms });
  const during = await readStatus(page);
  await page.mouse.move(x1, y);
  await page.mouse.up();
  const grids = during.live.grids - before.live.grids;
  return { grids, ms: (during.live.total_ms - before.live.total_ms) / Math.max(grids, 1), perSecond: grids / wall,
    decoderOnly: during.live.decoder_only - before.live.decoder_only, frames: (during.frames - before.frames) / wall };
}

for (const build of ['mt', 'st']) {
  test(`live preview (${build} build): the student follows a slider, the full sampler renders on release`, { timeout: 240000 }, async () => {
    // A link that asks for live on the default model: live moves to the student's teacher, the v model.
    const { page, logs } = await openPage(h, `?build=${build}#v=1&w=final&c=0,0,1,0,0&s=dpm%2B%2B&n=20&e=0&g=0&seed=5&k=16&view=grid&live=1`);
    // The first grid may be the link's model's, drawn before the index came and live moved to the v
    // model: wait until the v model is here too (its context sliders drawn), not only the student.
    await page.waitForFunction(() => {
      const s = window.spritesStatus();
      const ready = (key) => s.library.some((e) => e.key === key && e.state === 'ready');
      return s.weights_key === 'v' && ready('v') && ready('preview1') && s.layout.rects['context:0'] &&
        s.generations >= 1 && !s.generating;
    }, null, { timeout: 120000 }).catch((e) => { throw new Error(`${e.message}\n${logs.join('\n')}`); });
    let s = await readStatus(page);
    assert.equal(s.live.on, true);
    assert.equal(s.live.student, 'preview1', 'the cheapest 1-step student: the narrow one');
    assert.match(s.live.message, /v-prediction model/, 'the page says why the model changed');
    assert.match(s.hash, /&live=1/, 'links carry the live preview');

    const generations = s.generations;
    const drag = await dragContext(page, 4000);
    console.log(`BENCH live preview, ${build === 'mt' ? 'pthread' : 'single-thread'} build, ${s.threads} thread(s): ` +
      `${drag.perSecond.toFixed(1)} grids of 16 sprites per second while dragging (${drag.grids} grids, ` +
      `${drag.ms.toFixed(0)} ms of sampling each; ${drag.frames.toFixed(1)} frames drawn per second)`);
    assert.equal((await readStatus(page)).live.own_thread, build === 'mt', 'the pthread build samples the preview on a thread of its own');
    assert.ok(drag.grids >= 3, `the student redrew the grid while the slider moved (${drag.grids} grids)`);
    // The noise stays while a context slider moves: every grid after the first runs only the decoder.
    assert.ok(drag.decoderOnly >= drag.grids - 1, `${drag.decoderOnly} of ${drag.grids} grids reused the encoder`);

    s = await waitForGeneration(page);
    await page.waitForFunction((g) => { const t = window.spritesStatus(); return t.generations > g && !t.generating; },
      generations, { timeout: 120000 });
    s = await readStatus(page);
    const context = /c=([0-9.,]+)/.exec(s.hash)[1];
    assert.notEqual(context, '0,0,1,0,0', 'the drag moved the context');
    assert.match(s.hash, /s=dpm\+\+&n=20/, 'on release the chosen sampler rendered');
    assertSamePixels(nativePixels(join(pageDir, 'weights/sprites_v.safetensors'),
      { context, sampler: 'dpm++', steps: 20, seed: 5, count: 16 }), await pagePixels(page), `${build} after the drag`);
    await page.close();
  });
}
