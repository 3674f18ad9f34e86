// A shared link opened on a phone (issue 15): headless chromium's mobile emulation (390x844 CSS
// pixels, device pixel ratio 3, touch) and the same phone rotated. The grid comes first at the
// screen's width, taps and one-finger drags work, a pinch leaves the page where it is, and the
// pixels are the desktop's; variations start from a tapped sprite. Layout numbers come from the
// page's own status (layout.rects).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startHarness, waitForGeneration, plainHost, settle, pageDir, shotDir, readStatus, nextGrid, phone } from './harness.mjs';

let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const rotated = { ...phone, viewport: { width: 844, height: 390 } };
const link = 'v=1&w=final&c=0,0,1,0,0&s=ddim&n=10&e=0&g=0&seed=11&k=16&view=grid';
const center = (r) => ({ x: r[0] + r[2] / 2, y: r[1] + r[3] / 2 });

async function open(device, url) {
  const ctx = await h.browser.newContext(device);
  const page = await ctx.newPage();
  await page.goto(url);
  return { ctx, page, status: await waitForGeneration(page) };
}

for (const build of ['st', 'mt']) {
  test(`${build}: a link on a phone shows the grid across the screen, with the desktop's pixels`, { timeout: 240000 }, async () => {
    const desk = await open({ viewport: { width: 1100, height: 700 } }, `${h.base}/?build=${build}#${link}`);
    const onPhone = await open(phone, `${h.base}/?build=${build}#${link}`);
    try {
      const s = onPhone.status;
      assert.equal(s.layout.stacked, true);
      assert.equal(s.layout.touch, true);
      const grid = s.layout.rects.grid;
      console.log(`${build} phone: window ${s.window.join('x')}, grid at ${grid.map(Math.round).join(',')} (x,y,w,h)`);
      assert.ok(grid[2] >= 0.8 * s.window[0], `grid ${grid[2]} of ${s.window[0]} CSS pixels wide`);
      assert.ok(grid[1] + grid[3] <= s.window[1], 'the whole grid is on screen');
      const dl = s.layout.rects.download_grid, panel = s.layout.rects.controls;
      const band = panel[1] - (grid[1] + grid[3]);
      assert.ok(band >= 0 && band <= 20, `the controls start just under the grid (${band} CSS pixels between)`);
      assert.ok(dl[0] + dl[2] <= panel[0] + panel[2], `the download button fits beside Copy link (${dl} in ${panel})`);
      // The one-class and mix buttons wrap at the panel's edge: touch-sized text had cut off the last ones.
      for (const name of ['class:0', 'class:1', 'class:2', 'class:3', 'class:4', 'mix:0', 'mix:1']) {
        const r = s.layout.rects[name];
        assert.ok(r[0] >= panel[0] && r[0] + r[2] <= panel[0] + panel[2], `${name} (${r}) within the controls (${panel})`);
      }
      assert.ok(s.layout.rects['class:3'][1] > s.layout.rects['class:0'][1], 'the buttons take two rows');
      assert.equal(desk.status.layout.stacked, false, 'the desktop layout stays');
      assert.equal(s.checksum, desk.status.checksum, 'same link, same pixels as on a desktop');
      if (build === 'mt') await onPhone.page.screenshot({ path: join(shotDir, 'phone-portrait.png') });
    } finally {
      await desk.ctx.close();
      await onPhone.ctx.close();
    }
  });
}

test('touch: tap Generate, tap a view tab, drag a slider with one finger; a pinch does not zoom the page', { timeout: 240000 }, async () => {
  const { ctx, page, status } = await open(phone, `${h.base}/?build=mt#${link}`);
  try {
    const cdp = await ctx.newCDPSession(page);
    const touch = (type, points) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points });
    const rects = status.layout.rects;
    for (const name of ['generate', 'tab:denoise', 'context:0'])
      assert.ok(rects[name][1] + rects[name][3] <= 844, `${name} is on screen (${rects[name]})`);

    await page.touchscreen.tap(center(rects.generate).x, center(rects.generate).y);
    await nextGrid(page, status.generations, 60000);

    await page.touchscreen.tap(center(rects['tab:denoise']).x, center(rects['tab:denoise']).y);
    await page.waitForFunction(() => window.spritesStatus().hash.endsWith('view=denoise'), null, { timeout: 10000 })
      .catch(async (e) => { throw new Error(`tab tap: ${e.message} ${(await readStatus(page)).hash}`); });
    await settle(page);
    const pair = (await readStatus(page)).layout.rects.denoise_pair;  // x_t and predicted x_0
    assert.ok(pair && pair[0] >= 0 && pair[0] + pair[2] <= 390 && pair[3] < pair[2],
      `x_t beside predicted x_0, within the 390-pixel screen: ${pair}`);

    // One finger along the first context slider (hero: 0 in the link) to near its right end.
    const r = rects['context:0'];
    const y = r[1] + r[3] / 2;
    await touch('touchStart', [{ x: r[0] + 4, y }]);
    for (let i = 1; i <= 10; ++i) {
      await touch('touchMove', [{ x: r[0] + 4 + (r[2] * 0.85 * i) / 10, y }]);
      await page.waitForTimeout(30);
    }
    // What the slider does shows while the finger is down, and not after: the pointer stays where
    // the finger left it, and a tooltip left there would cover the grid.
    await page.waitForFunction(() => window.spritesStatus().tooltip.startsWith('What to draw'), null, { timeout: 10000 })
      .catch(async (e) => { throw new Error(`tooltip under the finger: ${e.message} "${(await readStatus(page)).tooltip}"`); });
    await touch('touchEnd', []);
    await page.waitForFunction(() => window.spritesStatus().tooltip === '', null, { timeout: 10000 })
      .catch(async (e) => { throw new Error(`tooltip after the finger: ${e.message} "${(await readStatus(page)).tooltip}"`); });
    await page.waitForFunction(() => !window.spritesStatus().hash.includes('c=0,0,1,0,0'), null, { timeout: 10000 })
      .catch(async (e) => { throw new Error(`slider drag: ${e.message} ${(await readStatus(page)).hash}`); });
    const hero = Number(/c=([0-9.]+),/.exec((await readStatus(page)).hash)[1]);
    assert.ok(hero > 0.5, `the slider moved to ${hero}`);

    // One finger up over empty space in the controls (right of "Transparent background") scrolls them.
    const before = (await readStatus(page)).layout.rects;
    const t = before.transparent, sx = Math.min(t[0] + t[2] + 12, before.controls[0] + before.controls[2] - 4), sy = t[1] + t[3] / 2;
    await touch('touchStart', [{ x: sx, y: sy }]);
    for (let i = 1; i <= 10; ++i) {
      await touch('touchMove', [{ x: sx, y: sy - 15 * i }]);
      await page.waitForTimeout(30);
    }
    await touch('touchEnd', []);
    await page.waitForFunction((y) => window.spritesStatus().layout.rects.generate[1] < y - 50, before.generate[1], { timeout: 10000 })
      .catch(async (e) => { throw new Error(`scroll drag: ${e.message} ${(await readStatus(page)).layout.rects.generate}`); });

    // Two fingers spreading: the browser must not zoom or scroll the page away from the canvas.
    const frames = (await readStatus(page)).frames;
    await touch('touchStart', [{ x: 150, y: 300, id: 1 }, { x: 240, y: 300, id: 2 }]);
    for (let i = 1; i <= 8; ++i) await touch('touchMove', [{ x: 150 - 10 * i, y: 300 - 10 * i, id: 1 }, { x: 240 + 10 * i, y: 300 + 10 * i, id: 2 }]);
    await touch('touchEnd', []);
    await touch('touchStart', [{ x: 200, y: 700 }]);
    for (let i = 1; i <= 8; ++i) await touch('touchMove', [{ x: 200, y: 700 - 40 * i }]);
    await touch('touchEnd', []);
    const view = await page.evaluate(() => ({ scale: visualViewport.scale, x: scrollX, y: scrollY }));
    assert.deepEqual(view, { scale: 1, x: 0, y: 0 });
    await page.waitForFunction((n) => window.spritesStatus().frames > n + 5, frames, { timeout: 10000 });  // never hangs
  } finally {
    await ctx.close();
  }
});

test('rotated phone: controls beside the grid, touch-sized', { timeout: 240000 }, async () => {
  const { ctx, page, status } = await open(rotated, `${h.base}/?build=mt#${link}`);
  try {
    assert.equal(status.layout.stacked, false);
    assert.equal(status.layout.touch, true);
    const grid = status.layout.rects.grid;
    assert.ok(grid[1] + grid[3] <= status.window[1], 'the whole grid is on screen');
    assert.ok(grid[3] >= 0.6 * status.window[1], `grid ${grid[3]} of ${status.window[1]} CSS pixels high`);
    await page.screenshot({ path: join(shotDir, 'phone-landscape.png') });
  } finally {
    await ctx.close();
  }
});

test('a phone on a host without isolation headers: threads through the service worker, single-thread where workers are blocked; the link works', { timeout: 240000 }, async () => {
  const host = await plainHost(pageDir);
  try {
    for (const [workers, build] of [['allow', 'mt'], ['block', 'st']]) {
      const { ctx, status } = await open({ ...phone, serviceWorkers: workers }, `${host.base}/#${link}`);
      try {
        assert.equal(status.build, build, `service workers: ${workers}`);
        assert.equal(status.link_error, '');
        assert.ok(status.layout.rects.grid[2] >= 0.8 * status.window[0]);
      } finally {
        await ctx.close();
      }
    }
  } finally {
    host.close();
  }
});

test('variations on a phone: tap a sprite, then "Variations" beside "Save sprite" under the downloads', { timeout: 240000 }, async () => {
  const { ctx, page, status } = await open(phone, `${h.base}/?build=st#${link}`);
  try {
    const first = Buffer.from(await page.evaluate(() => window.spritesPixelsHex()), 'hex');
    // Sprite 5 of the 4x4 grid: cells of 17 texture pixels after a 1-pixel gutter, drawn at a whole zoom.
    const grid = status.layout.rects.grid, zoom = grid[2] / (4 * 17 + 1);
    await page.touchscreen.tap(grid[0] + (17 + 9) * zoom, grid[1] + (17 + 9) * zoom);
    // Waits for the row itself: counting frames from before the tap raced it on a busy machine,
    // where the frames drawn while the tap was on its way used up the count.
    await page.waitForFunction(() => window.spritesStatus().layout.rects.variations, null, { timeout: 10000 })
      .catch(async (e) => { throw new Error(`no "Variations" after the tap: ${e.message} ${JSON.stringify((await readStatus(page)).layout.rects)}`); });
    const s = await readStatus(page);
    const b = s.layout.rects.variations, save = s.layout.rects.download_sprite, panel = s.layout.rects.controls;
    assert.ok(b && b[1] + b[3] <= 844, `the button is on screen (${b})`);
    assert.ok(save[1] === b[1] && b[0] + b[2] <= panel[0] + panel[2], `"Save sprite" and the button fit one row (${save}, ${b} in ${panel})`);
    await page.touchscreen.tap(center(b).x, center(b).y);
    await nextGrid(page, s.generations, 60000);
    const v = await readStatus(page);
    assert.ok(v.hash.includes(`&init=${first.subarray(5 * 768, 6 * 768).toString('hex')}&strength=0.6`), 'sprite 5 is the start');
  } finally {
    await ctx.close();
  }
});

test('repainting on a phone: scroll to the starting sprite, a finger drag paints on it instead of scrolling', { timeout: 240000 }, async () => {
  const start = '80'.repeat(768);  // a grey sprite is start enough: the test is about the finger
  const { ctx, page } = await open(phone, `${h.base}/?build=st#${link}&init=${start}&strength=1`);
  try {
    const cdp = await ctx.newCDPSession(page);
    const drag = async (from, to) => {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [from] });
      for (let i = 1; i <= 10; ++i) {
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: from.x + ((to.x - from.x) * i) / 10, y: from.y + ((to.y - from.y) * i) / 10 }] });
        await page.waitForTimeout(30);
      }
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await page.waitForTimeout(200);
    };
    // Finger drags on the controls' left padding (empty space) until the painter is inside them.
    let s = await readStatus(page);
    const c = s.layout.rects.controls, top = c[1] + 10, bottom = Math.min(c[1] + c[3], 844) - 10;
    for (let i = 0; i < 12; ++i) {
      const m = s.layout.rects.mask, by = m[1] + m[3] > bottom ? -Math.min(250, m[1] + m[3] - bottom + 20) : m[1] < top ? Math.min(250, top - m[1] + 20) : 0;
      if (by === 0) break;
      await drag({ x: c[0] - 8, y: by < 0 ? bottom - 5 : top + 5 }, { x: c[0] - 8, y: (by < 0 ? bottom - 5 : top + 5) + by });
      s = await readStatus(page);
    }
    const m = s.layout.rects.mask, cell = m[2] / 16;
    assert.ok(m[1] >= top && m[1] + m[3] <= bottom, `scrolled to the painter (${m} in ${c})`);
    assert.ok(m[2] >= 256 && m[2] % 16 === 0, `the panel's width in whole CSS pixels a sprite pixel, at least 16 (${m[2]})`);
    await drag({ x: m[0] + cell / 2, y: m[1] + cell / 2 }, { x: m[0] + 15.5 * cell, y: m[1] + cell / 2 });
    await page.waitForFunction(() => window.spritesStatus().hash.includes('&mask='), null, { timeout: 10000 })
      .catch(async (e) => { throw new Error(`paint drag: ${e.message} ${(await readStatus(page)).hash.slice(-100)}`); });
    const after = await readStatus(page);
    assert.ok(after.hash.endsWith(`&mask=ffff${'0'.repeat(60)}`), `row 0 painted: ${after.hash.slice(-70)}`);
    assert.deepEqual(after.layout.rects.mask, m, 'the drag painted; it did not scroll');
  } finally {
    await ctx.close();
  }
});

test('the Checkpoints view on a phone: its four grids wrap to the screen, the training curve under them', { timeout: 240000 }, async () => {
  const { ctx, page } = await open(phone, `${h.base}/?build=mt#v=1&w=final&c=1,0,0,0,0&s=ddim&n=5&k=4&seed=3&view=checkpoints`);
  try {
    await page.waitForFunction(() => window.spritesStatus().lab?.done, null, { timeout: 120000, polling: 250 });
    await page.waitForTimeout(300);  // a frame drawn with the last grid in place
    const s = await readStatus(page);
    const panels = [0, 1, 2, 3].map((i) => s.layout.rects[`lab_panel_${i}`]);
    for (const [i, r] of panels.entries()) assert.ok(r && r[0] >= 0 && r[0] + r[2] <= 390, `grid ${i} within the 390-pixel screen: ${r}`);
    assert.ok(panels[3][1] > panels[0][1], 'not all four in one row at this width');
    assert.equal(s.training.loss_points, 120);
    await page.screenshot({ path: join(shotDir, 'phone-checkpoints.png') });
  } finally {
    await ctx.close();
  }
});

// A phone keyboard's keys mostly arrive as key code 229 with no key, the text only in the input's
// own edits; a keyboard may also compose a word and replace it as a whole.
const phoneKeyboard = (page, edits) => page.evaluate((edits) => {
  const el = document.activeElement;
  for (const [what, arg] of edits) {
    el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Unidentified', keyCode: 229, bubbles: true }));
    if (what === 'type') {
      el.value += arg;
      el.dispatchEvent(new InputEvent('input', { inputType: 'insertText', data: arg, bubbles: true }));
    } else if (what === 'delete') {
      el.value = el.value.slice(0, -1);
      el.dispatchEvent(new InputEvent('input', { inputType: 'deleteContentBackward', bubbles: true }));
    } else if (what === 'compose') {  // [typed so far, replaced by]
      el.dispatchEvent(new CompositionEvent('compositionstart', { bubbles: true }));
      for (const word of arg) {
        el.value = el.value.slice(0, el.value.length - (el.dataset.word ?? '').length) + word;
        el.dataset.word = word;
        el.dispatchEvent(new InputEvent('input', { inputType: 'insertCompositionText', data: word, bubbles: true }));
      }
      delete el.dataset.word;
      el.dispatchEvent(new CompositionEvent('compositionend', { bubbles: true }));
    }
    el.dispatchEvent(new KeyboardEvent('keyup', { key: 'Unidentified', keyCode: 229, bubbles: true }));
  }
}, edits);

test('a tap on a text field opens the phone\'s keyboard; its edits, composed words included, go into the field', { timeout: 240000 }, async () => {
  const tall = { ...phone, viewport: { width: 390, height: 1800 } };
  const { ctx, page, status } = await open(tall, `${h.base}/?build=st#${link}`);
  const keyboardUp = () => page.evaluate(() => document.activeElement?.id === 'soft-keyboard');
  const seedIs = (seed) => page.waitForFunction((n) => window.spritesStatus().hash.includes(`&seed=${n}&`), seed, { timeout: 10000 })
    .catch(async (e) => { throw new Error(`${e.message}: the link is ${(await readStatus(page)).hash}`); });
  try {
    const seed = center(status.layout.rects.seed);
    assert.ok(seed.y < 1800, `the seed field is on screen (${status.layout.rects.seed})`);
    assert.equal(await keyboardUp(), false);
    await page.touchscreen.tap(seed.x, seed.y);
    assert.equal(await keyboardUp(), true, 'the tap itself focused the page\'s text input');
    const over = await page.evaluate(() => { const r = document.activeElement.getBoundingClientRect(); return [r.x, r.y, document.activeElement.inputMode]; });
    const [fx, fy] = status.layout.rects.seed;
    assert.ok(Math.abs(over[0] - fx) < 0.5 && Math.abs(over[1] - fy) < 0.5, `laid over the field: ${over} at ${fx},${fy}`);
    assert.equal(over[2], 'numeric', 'the keyboard\'s digits for the seed');
    // The field held 11: two deletions, then 7, a composed "45" that the keyboard turns into "456".
    await phoneKeyboard(page, [['delete'], ['delete'], ['type', '7'], ['compose', ['4', '45', '456']]]);
    await seedIs(7456);
    // A hardware key still reaches the field once.
    await page.keyboard.press('9');
    await seedIs(74569);
    // A tap on the grid ends the edit and puts the keyboard away; a tap elsewhere never brings it up.
    const grid = center(status.layout.rects.grid);
    await page.touchscreen.tap(grid.x, grid.y);
    await page.waitForFunction(() => document.activeElement?.id !== 'soft-keyboard', null, { timeout: 10000 });
    await page.touchscreen.tap(grid.x, grid.y);
    assert.equal(await keyboardUp(), false);
    // The keyboard's Go (Enter, with no key code SDL reads) draws the typed seed's grid and ends the
    // edit. The taps select a sprite, whose buttons move the field: read it once they have been drawn.
    await settle(page);
    const fieldNow = center((await readStatus(page)).layout.rects.seed);
    await page.touchscreen.tap(fieldNow.x, fieldNow.y);
    assert.equal(await keyboardUp(), true);
    // Go comes once the field is being edited, as a user's does: after the keyboard came up for it.
    await page.waitForFunction(() => window.spritesStatus().text_input, null, { timeout: 10000 }).catch(async (e) => {
      const s = await readStatus(page);
      throw new Error(`${e.message}: the tap at ${fieldNow.x},${fieldNow.y} did not start an edit (the seed field is at ${s.layout.rects.seed}, keyboard up: ${await keyboardUp()})`);
    });
    const g = (await readStatus(page)).generations;
    await page.evaluate(() => document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', keyCode: 13, bubbles: true })));
    await nextGrid(page, g, 60000);
    assert.match((await readStatus(page)).hash, /&seed=74569&/);
    await page.waitForFunction(() => document.activeElement?.id !== 'soft-keyboard', null, { timeout: 10000 });
    // A touch that ends on the field without making it want text (its start was never seen here):
    // the keyboard comes up with the touch, and goes away again by itself. (The tapped sprite's
    // buttons moved the field.)
    const moved = center((await readStatus(page)).layout.rects.seed);
    await page.evaluate(([x, y]) => {
      const canvas = document.getElementById('canvas');
      const t = new Touch({ identifier: 7, target: canvas, clientX: x, clientY: y });
      canvas.dispatchEvent(new TouchEvent('touchend', { changedTouches: [t], bubbles: true, cancelable: true }));
    }, [moved.x, moved.y]);
    assert.equal(await keyboardUp(), true);
    await page.waitForFunction(() => document.activeElement?.id !== 'soft-keyboard', null, { timeout: 5000 });
  } finally {
    await ctx.close();
  }
});

// A busy phone: its main thread held by a sampling slice when the tap comes, so the frames that
// take the tap come late. The keyboard waits for those frames (it went away after a fixed 1.5 s,
// before the field had seen the tap).
test('on a busy phone the keyboard stays up until the page has taken the tap, and typing goes in', { timeout: 120000 }, async () => {
  const tall = { ...phone, viewport: { width: 390, height: 1800 } };
  const { ctx, page, status } = await open(tall, `${h.base}/?build=st#${link}`);
  try {
    const seed = center(status.layout.rects.seed);
    await page.touchscreen.tap(seed.x, seed.y);
    await page.evaluate(() => { const end = performance.now() + 2000; while (performance.now() < end); });
    await page.waitForFunction(() => window.spritesStatus().text_input, null, { timeout: 10000 });
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'soft-keyboard', 'the keyboard is still up');
    await phoneKeyboard(page, [['delete'], ['delete'], ['type', '4']]);
    await page.waitForFunction(() => window.spritesStatus().hash.includes('&seed=4&'), null, { timeout: 30000 });
  } finally {
    await ctx.close();
  }
});
