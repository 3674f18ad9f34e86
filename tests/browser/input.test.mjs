// Input faster than frames: the page draws a frame every 40-250 ms while it idles or works, and a
// quick tap, a typed shortcut or a click right after a move often falls between two. Each burst
// here is dispatched within one task of the page, so all of it waits for the same frame, as on a
// slow phone or a busy page; every event must still count (web/app/input_trickle.h).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, openPage, waitForGeneration, nextGrid } from './harness.mjs';

let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const link = 'v=1&w=final&c=0,0,1,0,0&s=ddim&n=10&e=0&g=0&seed=11&k=4&view=grid';
const middle = (r) => [r[0] + r[2] / 2, r[1] + r[3] / 2];

// Dispatches `events` to the canvas and the window in one go, as the browser would deliver them:
// ['move', x, y], ['down', x, y], ['up', x, y], ['key', code, key, { ctrl }] (down and up),
// ['type', text] (each character's keydown, keypress and keyup).
function burst(page, events) {
  return page.evaluate((events) => {
    const canvas = document.getElementById('canvas'), box = canvas.getBoundingClientRect();
    const mouse = (type, x, y) => canvas.dispatchEvent(new MouseEvent(type, {
      clientX: box.left + x, clientY: box.top + y, button: 0, buttons: type === 'mousedown' ? 1 : 0, bubbles: true, cancelable: true }));
    const key = (type, init) => window.dispatchEvent(new KeyboardEvent(type, { bubbles: true, cancelable: true, ...init }));
    for (const [what, ...a] of events) {
      if (what === 'move') mouse('mousemove', a[0], a[1]);
      else if (what === 'down') mouse('mousedown', a[0], a[1]);
      else if (what === 'up') mouse('mouseup', a[0], a[1]);
      else if (what === 'key') {
        const [code, k, mods = {}] = a, ctrlKey = !!mods.ctrl, keyCode = k.length === 1 ? k.toUpperCase().charCodeAt(0) : { Backspace: 8, Enter: 13 }[k];
        if (ctrlKey) key('keydown', { key: 'Control', code: 'ControlLeft', keyCode: 17, ctrlKey });
        key('keydown', { key: k, code, keyCode, ctrlKey });
        key('keyup', { key: k, code, keyCode, ctrlKey });
        if (ctrlKey) key('keyup', { key: 'Control', code: 'ControlLeft', keyCode: 17 });
      } else if (what === 'type') {
        for (const c of a[0]) {
          const code = c === ' ' ? 'Space' : /[0-9]/.test(c) ? `Digit${c}` : `Key${c.toUpperCase()}`;
          key('keydown', { key: c, code, keyCode: c.toUpperCase().charCodeAt(0) });
          key('keypress', { key: c, code, charCode: c.charCodeAt(0), keyCode: c.charCodeAt(0) });
          key('keyup', { key: c, code, keyCode: c.toUpperCase().charCodeAt(0) });
        }
      }
    }
  }, events);
}

const click = (x, y) => [['move', x, y], ['down', x, y], ['up', x, y]];

test('a click where the pointer just arrived opens a tab, even when the pointer moves on at once', { timeout: 120000 }, async () => {
  const { page } = await openPage(h, `?build=st#${link}`);
  try {
    const s = await waitForGeneration(page);
    const tab = (id) => middle(s.layout.rects[`tab:${id}`]);
    await burst(page, click(...tab('denoise')));
    await page.waitForFunction(() => window.spritesStatus().hash.includes('view=denoise'), null, { timeout: 10000 });
    await burst(page, [...click(...tab('noising')), ['move', 5, 5]]);
    await page.waitForFunction(() => window.spritesStatus().hash.includes('view=noising'), null, { timeout: 10000 });
  } finally {
    await page.close();
  }
});

test('a click into a field, Ctrl+A, typing and a Backspace, all between two frames, edit the palette', { timeout: 120000 }, async () => {
  const palette = '1a1c2c,5d275d,b13e53,ef7d57';
  const { page } = await openPage(h, `?build=st#${link}&colours=6&palette=${palette}`, { viewport: { width: 1100, height: 900 } });
  try {
    const s = await waitForGeneration(page);
    const [x, y] = middle(s.layout.rects.palette);
    await burst(page, [...click(x, y), ['key', 'KeyA', 'a', { ctrl: true }], ['type', '000000 fffffff'], ['key', 'Backspace', 'Backspace']]);
    await page.waitForFunction(() => window.spritesStatus().hash.endsWith('&palette=000000,ffffff'), null, { timeout: 10000 })
      .catch(async (e) => { throw new Error(`${e.message}: the link is ${(await page.evaluate(() => window.spritesStatus())).hash}`); });
  } finally {
    await page.close();
  }
});

test('Enter in the seed field draws the typed seed\'s grid', { timeout: 120000 }, async () => {
  const { page } = await openPage(h, `?build=st#${link}`);
  try {
    const s = await waitForGeneration(page);
    const [x, y] = middle(s.layout.rects.seed);
    await burst(page, [...click(x, y), ['key', 'KeyA', 'a', { ctrl: true }], ['type', '777'], ['key', 'Enter', 'Enter']]);
    await nextGrid(page, s.generations, 60000);
    assert.match((await page.evaluate(() => window.spritesStatus())).hash, /&seed=777&/);
  } finally {
    await page.close();
  }
});
