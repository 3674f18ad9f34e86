// Shared by the browser tests: serves the built page (COOP/COEP) and drives Debian's headless
// chromium through playwright-core. Never downloads a browser.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import pngChunkText from 'png-chunk-text';
import encodeChunks from 'png-chunks-encode';
import extractChunks from 'png-chunks-extract';

export const root = resolve(import.meta.dirname, '../..');
export const pageDir = process.env.SPRITES_PAGE_DIR ?? join(root, 'build/web/web');
export const shotDir = process.env.SPRITES_SCREENSHOTS ?? join(root, 'build/web/screenshots');
// A phone's browser context: its CSS width, pixel ratio and touch screen.
export const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };

const chromiumArgs = ['--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  '--disable-quic'];  // playwright gives each launch a fresh temporary profile

// Starts scripts/demo's server on `dir` as its own process; returns { base, port, process, stderr() }.
export async function startServer(dir = pageDir) {
  const port = 18000 + Math.floor(Math.random() * 20000);
  const server = spawn(process.execPath, [join(root, 'web/serve.mjs'), dir, String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  server.stderr.on('data', (d) => { err += d; process.stderr.write(d); });
  await new Promise((ok, fail) => {
    server.stdout.once('data', ok);
    server.once('exit', (code) => fail(new Error(`server exited with ${code}`)));
  });
  return { base: `http://127.0.0.1:${port}`, port, process: server, stderr: () => err };
}

export function launchBrowser(extraArgs = []) {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...chromiumArgs, ...extraArgs], timeout: 60000 });
}

// Starts the server and the browser; returns { base, browser, close }.
export async function startHarness() {
  const server = await startServer();
  const browser = await launchBrowser();
  mkdirSync(shotDir, { recursive: true });
  return {
    base: server.base,
    browser,
    close: async () => { await browser.close(); server.process.kill(); },
  };
}

// Opens a page and waits until the runtime answers and a few frames are drawn.
export async function openPage(h, query, options = {}) {
  const page = await h.browser.newPage({ viewport: { width: 1100, height: 700 }, ...options });
  const logs = [];
  page.on('console', (m) => logs.push(m.text()));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  await page.goto(`${h.base}/${query}`);
  await page.waitForFunction(() => window.spritesStatus && window.spritesStatus().frames >= 5, null, { timeout: 60000 })
    .catch((e) => { throw new Error(`page never became ready: ${e.message}\n${logs.join('\n')}`); });
  return { page, logs, status: () => page.evaluate(() => window.spritesStatus()) };
}

// Clicks a rectangle of the status's layout.rects ([x, y, width, height]): its centre, or dx, dy into it.
export const clickRect = (page, r, dx = r[2] / 2, dy = r[3] / 2) => page.mouse.click(r[0] + dx, r[1] + dy);

// Waits for three more drawn frames: a click is seen over three, one that hovers, one that presses
// and one that releases (web/app/input_trickle.h), so what it changed shows after them.
export async function settle(page) {
  const f = await page.evaluate(() => window.spritesStatus().frames);
  await page.waitForFunction((n) => window.spritesStatus().frames > n + 2, f, { timeout: 10000 });
}

export const readStatus = (page) => page.evaluate(() => window.spritesStatus());
// Waits for a grid after the `generations`-th to be drawn.
export const nextGrid = (page, generations, timeout = 120000) => page.waitForFunction(
  (n) => window.spritesStatus().generations > n && !window.spritesStatus().generating, generations, { timeout, polling: 100 });

// Drops a file named `name` with these bytes on the page, as a user drags one from their desktop.
export const dropFile = (page, bytes, name) => page.evaluate(([b64, n]) => {
  const dt = new DataTransfer();
  dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], n));
  window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
}, [bytes.toString('base64'), name]);

// Waits until the current generation has finished; returns the status then.
export async function waitForGeneration(page, timeout = 120000) {
  await page.waitForFunction(() => {
    const s = window.spritesStatus && window.spritesStatus();
    return s && s.generations >= 1 && !s.generating;
  }, null, { timeout, polling: 100 });
  return page.evaluate(() => window.spritesStatus());
}

// The native CLI's pixels for a weights file and share-link parameters (raw RGB8 bytes).
export function nativePixels(weights, { context, sampler = 'ddim', steps = 25, eta = 0, guidance = 0, seed, count }) {
  const dir = mkdtempSync(join(tmpdir(), 'sprites-'));
  execFileSync(join(root, 'build/native/native/sprites'), ['sample', '--weights', weights, '--context', context,
    '--sampler', sampler, '--steps', String(steps), '--eta', String(eta), '--guidance', String(guidance),
    '--seed', String(seed), '--count', String(count), '--threads', '1', '--out', join(dir, 'grid.png'),
    '--raw', join(dir, 'grid.rgb')]);
  return readFileSync(join(dir, 'grid.rgb'));
}

// XNNPACK's wasm SIMD and x86 kernels sum in different orders, so a few values may round the other
// way: the same pixels means >= 99% identical bytes and none off by more than a few levels.
export function assertSamePixels(native, page, what) {
  assert.equal(native.length, page.length, `${what}: sizes`);
  let same = 0, worst = 0;
  for (let i = 0; i < native.length; ++i) {
    const d = Math.abs(native[i] - page[i]);
    same += d === 0;
    worst = Math.max(worst, d);
  }
  console.log(`${what}: ${same} of ${native.length} bytes identical to native, largest difference ${worst}`);
  assert.ok(same / native.length >= 0.99, `${what}: ${same} of ${native.length} bytes identical`);
  assert.ok(worst <= 8, `${what}: largest difference ${worst}`);
}

export const pagePixels = async (page) => Buffer.from(await page.evaluate(() => window.spritesPixelsHex()), 'hex');

// A PNG's RGBA pixels as chromium decodes them (unpremultiplied, no colour conversion): { width, height, hex }.
export const decodeRgba = (page, bytes) => page.evaluate(async (b64) => {
  const blob = new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' });
  const bitmap = await createImageBitmap(blob, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
  ctx.drawImage(bitmap, 0, 0);
  return { width: bitmap.width, height: bitmap.height, hex: Array.from(ctx.getImageData(0, 0, bitmap.width, bitmap.height).data, (v) => v.toString(16).padStart(2, '0')).join('') };
}, bytes.toString('base64'));

// RGB8 pixels (width x height) as a PNG file, through chromium's encoder: a sprite for the CLI.
export const encodeRgbPng = async (page, rgb, width, height) => Buffer.from(await page.evaluate(async ([hex, w, h]) => {
  const px = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < w * h; ++i) {
    for (let c = 0; c < 3; ++c) px[4 * i + c] = parseInt(hex.substr(6 * i + 2 * c, 2), 16);
    px[4 * i + 3] = 255;
  }
  const canvas = new OffscreenCanvas(w, h);
  canvas.getContext('2d').putImageData(new ImageData(px, w, h), 0, 0);
  const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}, [rgb.toString('hex'), width, height]), 'hex');

// Each frame of an animated PNG, through chromium's APNG decoder: [{ width, height, hex }] as decodeRgba gives.
export const decodeFrames = (page, bytes) => page.evaluate(async (b64) => {
  const decoder = new ImageDecoder({ data: Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)), type: 'image/png' });
  await decoder.tracks.ready;
  await decoder.completed;
  const out = [];
  for (let i = 0; i < decoder.tracks.selectedTrack.frameCount; ++i) {
    const { image } = await decoder.decode({ frameIndex: i });
    const ctx = new OffscreenCanvas(image.displayWidth, image.displayHeight).getContext('2d');
    ctx.drawImage(image, 0, 0);
    out.push({ width: image.displayWidth, height: image.displayHeight, hex: Array.from(ctx.getImageData(0, 0, image.displayWidth, image.displayHeight).data, (v) => v.toString(16).padStart(2, '0')).join('') });
    image.close();
  }
  return out;
}, bytes.toString('base64'));

// A PNG's tEXt chunks, keyword -> text ("Parameters": the link that reproduces the file).
export function pngText(bytes) {
  const text = {};
  for (const c of extractChunks(bytes)) {
    if (c.name !== 'tEXt') continue;
    const { keyword, text: value } = pngChunkText.decode(c.data);
    text[keyword] = value;
  }
  return text;
}

// The same PNG with the text under `keyword` replaced (a file whose link was damaged, say).
export function withPngText(bytes, keyword, value) {
  const chunks = extractChunks(bytes).map((c) => (c.name === 'tEXt' && pngChunkText.decode(c.data).keyword === keyword
    ? pngChunkText.encode(keyword, value) : c));
  return Buffer.from(encodeChunks(chunks));
}

// Sprite k of a decoded sheet laid out `cols` a row at `scale` with 1-pixel gutters: its 16x16 RGB bytes.
export function sheetSprite(sheet, k, cols, scale = 8) {
  const px = Buffer.from(sheet.hex, 'hex'), cell = 16 * scale + 1, out = Buffer.alloc(768);
  const ox = (k % cols) * cell + 1, oy = Math.floor(k / cols) * cell + 1;
  for (let y = 0; y < 16; ++y)
    for (let x = 0; x < 16; ++x) {
      const at = ((oy + y * scale) * sheet.width + ox + x * scale) * 4;
      px.copy(out, (y * 16 + x) * 3, at, at + 3);
    }
  return out;
}

// FNV-1a 64 of a file, as 16 hex digits: the content hash links and the weights index carry.
export function fnv1a64(bytes) {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  return h.toString(16).padStart(16, '0');
}

// A copy of a safetensors file with other metadata values (labels, say): weights no build shipped.
export function withMetadata(bytes, changes) {
  const n = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8'));
  Object.assign(header.__metadata__, changes);
  let text = JSON.stringify(header);
  text += ' '.repeat((8 - (text.length % 8)) % 8);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(text.length));
  return Buffer.concat([len, Buffer.from(text), bytes.subarray(8 + n)]);
}

// What a host without custom headers does: files, a content type, nothing else.
export async function plainHost(dir) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
  const server = createServer((req, res) => {
    const path = join(dir, normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, ''));
    try {
      const file = statSync(path).isDirectory() ? join(path, 'index.html') : path;
      statSync(file);
      res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { base: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

