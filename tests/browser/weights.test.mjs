// Weights at run time (issue 11): what the first grid costs, checkpoints fetched when asked for with
// progress, the browser's cache on a second visit, weights opened from a file or dropped, and links
// that carry weights by URL from another origin (with and without CORS, with a wrong hash); a model of
// a user's own classes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startHarness, waitForGeneration, nativePixels, assertSamePixels, pagePixels, fnv1a64, withMetadata, root,
  pageDir, clickRect, dropFile, readStatus, nextGrid, settle, phone } from './harness.mjs';

let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const tmp = mkdtempSync(join(tmpdir(), 'sprites-weights-'));
// Weights no build ships: the tests' tiny model (n_feat 8) with labels of its own.
const customBytes = withMetadata(readFileSync(join(root, 'tests/support/tiny_weights.safetensors')),
  { labels: 'knight,slime,apple,fire,sword' });
const customPath = join(tmp, 'custom.safetensors');
writeFileSync(customPath, customBytes);
const customHash = fnv1a64(customBytes);

// A second origin serving one file, as a user's static host would: CORS or not.
async function fileHost(bytes, { cors }) {
  const server = createServer((req, res) => {
    const allow = cors ? { 'Access-Control-Allow-Origin': '*' } : {};
    if (req.url === '/endless.safetensors' || req.url === '/huge.safetensors') {  // a link may name any URL
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', ...allow,
        ...(req.url === '/huge.safetensors' ? { 'Content-Length': 600 * 1024 * 1024 } : {}) });
      const chunk = Buffer.alloc(1 << 20, 7);
      const more = () => { while (!res.destroyed && res.write(chunk)); };
      res.on('drain', more);
      res.on('close', () => res.off('drain', more));
      more();
      return;
    }
    if (req.url !== '/mine.safetensors') { res.writeHead(404, allow); res.end(); return; }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': bytes.length, ...allow });
    res.end(bytes);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}/mine.safetensors`, close: () => server.close() };
}

// A page in its own browser context: its own cache, as a fresh profile.
async function freshPage(context) {
  const ctx = context ?? await h.browser.newContext({ viewport: { width: 1100, height: 700 } });
  const page = await ctx.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const responses = [];
  page.on('response', (r) => responses.push(r));
  return { ctx, page, requests, responses };
}

const weightsRequests = (urls) => urls.filter((u) => u.includes('.safetensors'));

test('first grid: only the default 8-bit checkpoint, <= 2 MB gzip-equivalent; later ep4 fetched with progress', { timeout: 240000 }, async () => {
  const { ctx, page, requests, responses } = await freshPage();
  try {
    await page.goto(`${h.base}/?build=mt#v=1&w=final&c=1,0,0,0,0&s=ddim&n=25&e=0&g=0&seed=1&k=16&view=grid`);
    const first = await waitForGeneration(page);
    assert.equal(first.weights_error, '');
    assert.equal(first.weights.quantization, 'int8-per-channel', 'the page ships 8-bit weights');
    assert.deepEqual(weightsRequests(requests).map((u) => u.split('/').pop()), ['sprites_final.safetensors']);
    // Each file once: the pthread workers load sprites-mt.js again, from the browser's memory cache.
    let raw = 0, gz = 0;
    const rows = [];
    const seen = new Set();
    for (const r of responses) {
      if (seen.has(r.url())) continue;
      seen.add(r.url());
      const body = await r.body().catch(() => Buffer.alloc(0));
      const g = gzipSync(body).length;
      raw += body.length;
      gz += g;
      rows.push(`${r.url().replace(h.base, '')} ${body.length} (${g} gzip)`);
    }
    const nav = await page.evaluate(() => performance.now());
    console.log(`first load before the first grid: ${rows.join(', ')}`);
    console.log(`BENCH first-load payload: ${raw} bytes, ${gz} gzip-equivalent (budget 2000000)`);
    console.log(`BENCH first 16-sprite DDIM-25 grid: ${Math.round(first.first_grid_at_ms)} ms after navigation ` +
      `(${Math.round(first.first_grid_ms)} ms after the module started, ${Math.round(first.first_grid_sampling_ms)} ms ` +
      `of it sampling; page now at ${Math.round(nav)} ms)`);
    assert.ok(first.first_grid_sampling_ms > 0 && first.first_grid_sampling_ms < first.first_grid_ms);
    assert.ok(gz <= 2000000, `first load is ${gz} bytes gzip-equivalent`);

    // A slow network, so progress is seen: epoch 4 is fetched only now that a link asks for it.
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: 300 * 1024, uploadThroughput: -1 });
    await page.evaluate(() => { location.hash = 'v=1&w=ep4&c=1,0,0,0,0&s=ddim&n=10&e=0&g=0&seed=1&k=4&view=grid'; });
    const partial = await page.waitForFunction(() => {
      const e = window.spritesStatus().library.find((x) => x.key === 'ep4');
      return e && e.state === 'fetching' && e.received > 0 && e.received < e.total && e;
    }, null, { timeout: 30000, polling: 50 }).then((j) => j.jsonValue());
    console.log(`ep4 while fetching: ${partial.received} of ${partial.total} bytes`);
    assert.equal(partial.total, readFileSync(join(pageDir, 'weights/sprites_ep4.safetensors')).length);
    await page.waitForFunction(() => window.spritesStatus().weights?.epoch === '4' && !window.spritesStatus().generating &&
      window.spritesStatus().generations >= 2, null, { timeout: 60000 });
    assert.equal(weightsRequests(requests).length, 2);

    // A checkpoint that cannot be fetched: one line, and the current weights stay.
    await page.route('**/sprites_ep8.safetensors', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.evaluate(() => { location.hash = 'v=1&w=ep8&c=1,0,0,0,0&s=ddim&n=10&e=0&g=0&seed=1&k=4&view=grid'; });
    await page.waitForFunction(() => window.spritesStatus().weights_error !== '', null, { timeout: 30000 });
    const failed = await readStatus(page);
    assert.match(failed.weights_error, /sprites_ep8\.safetensors: HTTP 404/);
    assert.equal(failed.weights.epoch, '4', 'the weights on screen stay');
    assert.equal(failed.weights_key, 'ep4');
  } finally {
    await ctx.close();
  }

  // The same first visit in a browser that is already running, as a link opened from a chat or a
  // mail is: a fresh profile again (nothing cached), but the browser's own GPU start-up is behind it.
  const again = await freshPage();
  try {
    await again.page.goto(`${h.base}/?build=mt#v=1&w=final&c=1,0,0,0,0&s=ddim&n=25&e=0&g=0&seed=1&k=16&view=grid`);
    const warm = await waitForGeneration(again.page);
    assert.deepEqual(weightsRequests(again.requests).map((u) => u.split('/').pop()), ['sprites_final.safetensors'],
      'a fresh profile fetches the weights again');
    assert.ok(warm.first_grid_sampling_ms > 0 && warm.first_grid_sampling_ms < warm.first_grid_ms);
    console.log(`BENCH first 16-sprite DDIM-25 grid, fresh profile in a running browser: ${Math.round(warm.first_grid_at_ms)} ms ` +
      `after navigation (${Math.round(warm.first_grid_ms)} ms after the module started, ` +
      `${Math.round(warm.first_grid_sampling_ms)} ms of it sampling)`);
  } finally {
    await again.ctx.close();
  }
});

test('a second visit takes the weights from the cache; clearing it fetches again', { timeout: 240000 }, async () => {
  const ctx = await h.browser.newContext({ viewport: { width: 1100, height: 700 } });
  try {
    const one = await freshPage(ctx);
    await one.page.goto(`${h.base}/?build=st`);
    await waitForGeneration(one.page);
    assert.equal(weightsRequests(one.requests).length, 1);
    await one.page.waitForFunction(async () => (await (await caches.open('sprites-weights-v1')).keys()).length === 1);
    await one.page.close();

    const two = await freshPage(ctx);
    await two.page.goto(`${h.base}/?build=st`);
    await waitForGeneration(two.page);
    assert.deepEqual(weightsRequests(two.requests), [], 'no weights request on the second visit');
    assert.deepEqual(await two.page.evaluate(() => window.spritesWeightsLog.map((l) => `${l.key} ${l.from}`)),
      ['index network', 'final cache']);  // the index is always asked for: a new deployment shows at once
    await two.page.evaluate(() => window.spritesWeights.clearCache());
    await two.page.close();

    const three = await freshPage(ctx);
    await three.page.goto(`${h.base}/?build=st`);
    await waitForGeneration(three.page);
    assert.equal(weightsRequests(three.requests).length, 1, 'fetched again after clearing');
  } finally {
    await ctx.close();
  }
});

test('weights opened with the picker or dropped: labels from the file, the CLI\'s pixels (a student on its own grid); a bad file is a message', { timeout: 240000 }, async () => {
  const { ctx, page } = await freshPage();
  try {
    await page.goto(`${h.base}/?build=mt#v=1&w=final&c=0,1,0,0,0&s=ddim&n=10&e=0&g=0&seed=3&k=4&view=grid`);
    await waitForGeneration(page);
    await page.setInputFiles('input[type=file]', customPath);
    await page.waitForFunction((k) => window.spritesStatus().weights_key === k && !window.spritesStatus().generating &&
      window.spritesStatus().generations >= 2, `file:${customHash.slice(0, 8)}`, { timeout: 60000 });
    const opened = await readStatus(page);
    assert.equal(opened.weights.labels, 'knight,slime,apple,fire,sword');
    assert.equal(opened.weights.n_feat, '8');
    assert.ok(opened.hash.startsWith(`v=1&w=file.${customHash.slice(0, 8)}&c=0,1,0,0,0`), opened.hash);
    assertSamePixels(nativePixels(customPath, { context: '0,1,0,0,0', steps: 10, seed: 3, count: 4 }), await pagePixels(page),
      'opened custom weights');
    // The page's own link, edited in the address bar, keeps the file it names: it is open here.
    for (const hash of [opened.hash.replace('&seed=3&', '&seed=4&'), opened.hash]) {
      const generations = (await readStatus(page)).generations;
      await page.evaluate((l) => { location.hash = l; }, hash);
      await nextGrid(page, generations, 60000);
      const edited = await readStatus(page);
      assert.equal(edited.weights_key, `file:${customHash.slice(0, 8)}`, hash);
      assert.equal(edited.link_error, '');
      assert.equal(edited.hash, hash);
    }

    // "Copy link" on a local file asks where it is published; the link then names that URL and opens elsewhere.
    await page.evaluate(() => window.spritesCopyLink());
    assert.equal((await readStatus(page)).link_needs_url, true);
    assert.equal(await page.evaluate(() => window.spritesPublishFileAt('ftp://x/y')), 'a URL starts with https:// or http://');
    const host = await fileHost(customBytes, { cors: true });
    try {
      // Typed into the panel's field; Enter uses it. The field is placed by the first frame drawn after
      // "Copy link" (a fresh-clone CI run read the status before it).
      await page.waitForFunction(() => window.spritesStatus().layout.rects.publish_url, null, { timeout: 10000 });
      const field = (await readStatus(page)).layout.rects.publish_url;
      await clickRect(page, field);
      await page.keyboard.type(host.url);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => window.spritesStatus().hash.includes('&u='), null, { timeout: 10000 });
      const published = await readStatus(page);
      assert.equal(published.link_needs_url, false);
      assert.equal(published.hash, `v=1&w=url.${customHash.slice(0, 8)}&c=0,1,0,0,0&s=ddim&n=10&e=0&g=0&seed=3&k=4&view=grid` +
        `&u=${encodeURIComponent(host.url)}`);
      const other = await freshPage();
      try {
        await other.page.goto(`${h.base}/?build=mt#${published.hash}`);
        const s = await waitForGeneration(other.page);
        assert.equal(s.weights.labels, 'knight,slime,apple,fire,sword');
        assert.equal(s.checksum, opened.checksum, 'the published file\'s link gives the same pixels in another profile');
      } finally {
        await other.ctx.close();
      }
    } finally {
      host.close();
    }

    const drop = (bytes, name) => dropFile(page, bytes, name);
    // Drops a weights file and waits for the grid drawn with it.
    const dropAndDraw = async (bytes, name) => {
      const generations = (await readStatus(page)).generations;
      await drop(bytes, name);
      await page.waitForFunction(([k, g]) => window.spritesStatus().weights_key === k && !window.spritesStatus().generating &&
        window.spritesStatus().generations > g, [`file:${fnv1a64(bytes).slice(0, 8)}`, generations], { timeout: 60000 });
      return readStatus(page);
    };
    await drop(Buffer.from('not weights at all'), 'notes.safetensors');
    await page.waitForFunction(() => window.spritesStatus().weights_error !== '', null, { timeout: 30000 });
    const bad = await readStatus(page);
    assert.match(bad.weights_error, /^notes\.safetensors: header length \d+ exceeds the 16 MiB limit$/);
    assert.equal(bad.weights.labels, 'knight,slime,apple,fire,sword', 'the opened model stays');

    await drop(readFileSync(join(root, 'tests/fuzz/corpus/pth/tiny_state_dict.pth')), 'other.pth');
    await page.waitForFunction(() => window.spritesStatus().weights_error.startsWith('other.pth'), null, { timeout: 30000 });
    assert.equal((await readStatus(page)).weights_error, "other.pth: not a ContextUnet checkpoint (no usable 'init_conv.conv1.0.weight')");

    // The course's own checkpoint, as its notebook saves it: opened as it is, with the CLI's pixels on that file.
    execFileSync('/usr/bin/python3', [join(root, 'tests/trainer/write_course_pth.py'), tmp]);
    const coursePath = join(tmp, 'model_31.pth'), course = readFileSync(coursePath);
    const fromPth = await dropAndDraw(course, 'model_31.pth');
    assert.equal(fromPth.weights.labels, 'hero,non-human,food,spell,side-facing');
    assert.equal(fromPth.weights.n_feat, '16');
    assert.ok(fromPth.hash.includes('&c=0,1,0,0,0&s=ddim&n=10&e=0&g=0&seed=3&k=4'), fromPth.hash);
    assertSamePixels(nativePixels(coursePath, { context: '0,1,0,0,0', steps: 10, seed: 3, count: 4 }), await pagePixels(page),
      'a dropped course checkpoint');

    // A distilled student samples on the grid it was distilled for, as the CLI picks for a student file.
    const studentPath = join(root, 'assets/weights-student/sprites_student1.safetensors'), student = readFileSync(studentPath);
    const fromStudent = await dropAndDraw(student, 'sprites_student1.safetensors');
    assert.ok(fromStudent.hash.includes('&c=0,1,0,0,0&s=student&n=1&e=0&g=0&seed=3&k=4'), fromStudent.hash);
    assertSamePixels(nativePixels(studentPath, { context: '0,1,0,0,0', sampler: 'student', steps: 1, seed: 3, count: 4 }),
      await pagePixels(page), 'a dropped 1-step student');

    // A full model after it goes back to the default sampler: a student's one step would be noise for it.
    const tiny = readFileSync(join(root, 'tests/support/tiny_weights.safetensors'));
    await drop(tiny, 'tiny.safetensors');
    await page.waitForFunction((k) => window.spritesStatus().weights_key === k && window.spritesStatus().hash.includes(`w=${k.replace(':', '.')}`),
      `file:${fnv1a64(tiny).slice(0, 8)}`, { timeout: 30000 });
    const afterStudent = await readStatus(page);
    assert.equal(afterStudent.weights.labels, 'hero,non-human,food,spell,item');
    assert.ok(afterStudent.hash.includes('&s=ddim&n=25&'), afterStudent.hash);
  } finally {
    await ctx.close();
  }
});

// A .npy file's bytes (format 1.0), as `sprites dataset` writes them.
function npy(descr, shape, data) {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')},), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const head = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head);
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), data]);
}

test('a model of your own three classes opens with three sliders named by the file and the CLI\'s pixels', { timeout: 240000 }, async () => {
  // 30 of the shipped sprites as three classes, trained for a few steps at n_feat 8.
  const sprites = readFileSync(join(root, 'assets/dataset/sprites_2642_16x16.npy'));
  const pixels = sprites.subarray(sprites.length - 2642 * 768).subarray(0, 30 * 768);
  const labels = new Float64Array(30 * 3);
  for (let i = 0; i < 30; ++i) labels[i * 3 + (i % 3)] = 1;
  const dir = mkdtempSync(join(tmpdir(), 'sprites-own-'));
  writeFileSync(join(dir, 'own.npy'), npy('|u1', [30, 16, 16, 3], pixels));
  writeFileSync(join(dir, 'own_labels.npy'), npy('<f8', [30, 3], Buffer.from(labels.buffer)));
  execFileSync(join(root, 'build/native/native/sprites-train'), ['--images', join(dir, 'own.npy'), '--labels', join(dir, 'own_labels.npy'),
    '--label-names', 'slime,knight,potion', '--out', join(dir, 'run'), '--n-feat', '8', '--batch', '10', '--epoch-images', '20',
    '--epochs', '1', '--threads', '1'], { stdio: 'ignore' });
  const own = join(dir, 'run/sprites_final.safetensors');
  const { ctx, page } = await freshPage();
  try {
    await page.goto(`${h.base}/?build=st#v=1&w=final&c=0,1,0,0,0&s=ddim&n=10&e=0&g=0&seed=5&k=4&view=grid`);
    await waitForGeneration(page);
    await page.setInputFiles('input[type=file]', own);
    await page.waitForFunction(() => window.spritesStatus().weights.labels === 'slime,knight,potion' && !window.spritesStatus().generating &&
      window.spritesStatus().generations >= 2, null, { timeout: 60000 });
    const s = await readStatus(page);
    assert.equal(s.weights.n_cfeat, '3');
    assert.match(s.hash, /&c=[0-9.]+,[0-9.]+,[0-9.]+&/, 'three context values in the link');
    assert.ok(s.layout.rects['context:2'] && !s.layout.rects['context:3'], 'three sliders');
    const c = s.hash.match(/&c=([^&]+)/)[1];
    assertSamePixels(nativePixels(own, { context: c, steps: 10, seed: 5, count: 4 }), await pagePixels(page), 'a model of three classes');
    // A link of this run's export by its checkpoint's name (as the CLI's sheets name it) where the
    // page's final is another model of five labels: its three context values wait with it for the file.
    const ownHash = fnv1a64(readFileSync(own)).slice(0, 8);
    const link = `v=1&w=final.${ownHash}&c=0,0.5,1&s=ddim&n=10&e=0&g=0&seed=6&k=4&view=grid`;
    let generations = (await readStatus(page)).generations;
    await page.evaluate((l) => { location.hash = l; }, link);
    await nextGrid(page, generations, 60000);
    const asks = await readStatus(page);
    assert.equal(asks.weights.n_cfeat, '5');
    assert.ok(asks.link_error.startsWith(`This link was made with other final weights (${ownHash})`), asks.link_error);
    generations = asks.generations;
    await page.setInputFiles('input[type=file]', own);
    await nextGrid(page, generations, 60000);
    const drawn = await readStatus(page);
    assert.equal(drawn.hash, link.replace(`w=final.${ownHash}`, `w=file.${ownHash}`));
    assertSamePixels(nativePixels(own, { context: '0,0.5,1', steps: 10, seed: 6, count: 4 }), await pagePixels(page), 'the link, once its file is open');
    // The Checkpoints view's grids are the page's run of five labels: each says so instead of
    // drawing, and the view says the file is not one of them.
    await page.evaluate((l) => { location.hash = l; }, `${drawn.hash}&view=checkpoints`.replace('&view=grid', ''));
    await page.waitForFunction(() => window.spritesStatus().lab?.done, null, { timeout: 60000, polling: 250 });
    const lab = (await readStatus(page)).lab;
    assert.equal(lab.checkpoints_source, "These are the checkpoints of this page's run; the model in use, sprites_final.safetensors, is not one of them.");
    assert.deepEqual(lab.panels.map((p) => p.error), Array(4).fill(
      '5 labels (hero, non-human, food, spell, item), not the 3 of the model in use: choose this run\'s model under Weights'));
    // The run's own final, opened as a file, is one of its checkpoints: nothing to say, the grids drawn.
    await page.setInputFiles('input[type=file]', join(pageDir, 'weights/sprites_final.safetensors'));
    // The line above the button goes, so the button moves up: its place is read from a frame drawn after.
    await page.waitForFunction(() => window.spritesStatus().weights.n_cfeat === '5' && window.spritesStatus().lab?.checkpoints_source === '',
      null, { timeout: 60000 });
    await settle(page);
    await clickRect(page, (await readStatus(page)).layout.rects.run_lab);
    await page.waitForFunction(() => window.spritesStatus().lab?.done && window.spritesStatus().lab.panels.every((p) => p.finished),
      null, { timeout: 120000, polling: 250 });
    const own5 = (await readStatus(page)).lab;
    assert.equal(own5.checkpoints_source, '');
    assert.deepEqual(own5.panels.map((p) => p.error), ['', '', '', '']);
  } finally {
    await ctx.close();
  }
});

// A model's labels are the user's words: "C#" and "he##ro" stay as written (ImGui would take "##"
// for the start of an id), and on a phone a long one goes above its slider instead of off the
// screen. A file that names a class twice cannot name its sliders: a message, the model stays.
test('labels on a phone: as the file spells them, above the sliders where they do not fit beside; a class named twice is a message', { timeout: 240000 }, async () => {
  const tiny = readFileSync(join(root, 'tests/support/tiny_weights.safetensors'));
  const own = 'he##ro,a non-human creature of the deep forest,food,C#,item';
  const ownPath = join(tmp, 'long_labels.safetensors'), twicePath = join(tmp, 'twice.safetensors');
  writeFileSync(ownPath, withMetadata(tiny, { labels: own }));
  writeFileSync(twicePath, withMetadata(tiny, { labels: 'hero,hero,food,spell,item' }));
  const { ctx, page } = await freshPage(await h.browser.newContext(phone));
  try {
    await page.goto(`${h.base}/?build=st#v=1&w=final&c=1,0,0,0,0&s=ddim&n=10&e=0&g=0&seed=5&k=4&view=grid`);
    const course = (await waitForGeneration(page)).layout.rects;
    for (let i = 0; i < 5; ++i)
      assert.ok(course[`label:${i}`][0] >= course[`context:${i}`][0] + course[`context:${i}`][2], `the course's label ${i} beside its slider`);

    await page.setInputFiles('input[type=file]', ownPath);
    await page.waitForFunction((l) => window.spritesStatus().weights.labels === l && window.spritesStatus().layout.rects['label:1'] &&
      !window.spritesStatus().generating, own, { timeout: 60000 });
    await settle(page);
    const s = await readStatus(page), r = s.layout.rects, c = r.controls;
    const width = (name) => r[name][2];
    // One width per character in the page's font: "he##ro" drawn whole is 6 of "food"'s 4.
    assert.ok(Math.abs(width('label:0') / width('label:2') - 6 / 4) < 0.01, `he##ro: ${width('label:0')} px, food: ${width('label:2')} px`);
    assert.ok(Math.abs(width('label:3') / width('label:2') - 2 / 4) < 0.01, `C#: ${width('label:3')} px`);
    for (let i = 0; i < 5; ++i) {
      assert.ok(r[`label:${i}`][1] + r[`label:${i}`][3] <= r[`context:${i}`][1], `label ${i} above its slider`);
      for (const name of [`label:${i}`, `context:${i}`, `class:${i}`, ...(i < 2 ? [`mix:${i}`] : [])])
        assert.ok(r[name][0] >= c[0] && r[name][0] + r[name][2] <= c[0] + c[2] + 0.5, `${name} within the controls: ${r[name]} in ${c}`);
    }
    assert.ok(r['label:1'][3] > 1.5 * r['label:0'][3], 'the long label wraps onto two lines');

    await page.setInputFiles('input[type=file]', twicePath);
    await page.waitForFunction(() => window.spritesStatus().weights_error !== '', null, { timeout: 30000 });
    const twice = await readStatus(page);
    assert.equal(twice.weights_error, "twice.safetensors: labels: 'hero' is given twice (the page's sliders are named by them)");
    assert.equal(twice.weights.labels, own, 'the opened model stays');
  } finally {
    await ctx.close();
  }
});

test('links with weights by URL: another origin with CORS reproduces the CLI; without CORS or with a wrong hash, a message', { timeout: 300000 }, async () => {
  const withCors = await fileHost(customBytes, { cors: true });
  const noCors = await fileHost(customBytes, { cors: false });
  const link = (url, hash) => `v=1&w=url.${hash}&c=0,0,1,0,0&s=ddim&n=10&e=0&g=0&seed=9&k=4&view=grid&u=${encodeURIComponent(url)}`;
  try {
    for (const build of ['st', 'mt']) {
      const { ctx, page } = await freshPage();
      try {
        await page.goto(`${h.base}/?build=${build}#${link(withCors.url, customHash.slice(0, 8))}`);
        const s = await waitForGeneration(page);
        assert.equal(s.weights_error, '');
        assert.equal(s.link_error, '');
        assert.equal(s.weights_key, `url:${withCors.url}`);
        assert.equal(s.weights.labels, 'knight,slime,apple,fire,sword');
        assertSamePixels(nativePixels(customPath, { context: '0,0,1,0,0', steps: 10, seed: 9, count: 4 }), await pagePixels(page),
          `${build}: weights by URL`);
        assert.ok(s.hash.endsWith(`&u=${encodeURIComponent(withCors.url)}`), s.hash);
      } finally {
        await ctx.close();
      }
    }
    for (const [what, url, hash, message] of [
      ['no CORS', noCors.url, customHash.slice(0, 8), /cannot be fetched \(offline, wrong address, or the host does not allow cross-origin requests\)/],
      ['wrong hash', withCors.url, '0badc0de', /the file's hash [0-9a-f]{8} is not the 0badc0de expected/],
      ['404', withCors.url.replace('mine', 'gone'), customHash.slice(0, 8), /HTTP 404/],
      // a file that never ends, and one that says it is too large: read up to the bound, not until the tab dies
      ['endless', withCors.url.replace('mine', 'endless'), customHash.slice(0, 8), /endless\.safetensors: larger than 512 MB, more than any weights file this page reads/],
      ['too large', withCors.url.replace('mine', 'huge'), customHash.slice(0, 8), /huge\.safetensors: larger than 512 MB/]]) {
      const { ctx, page } = await freshPage();
      try {
        await page.goto(`${h.base}/?build=mt#${link(url, hash)}`);
        const s = await waitForGeneration(page);  // the default model instead, never silent other pixels
        assert.match(s.weights_error, message, what);
        assert.equal(s.weights_key, 'final', what);
      } finally {
        await ctx.close();
      }
    }
  } finally {
    withCors.close();
    noCors.close();
  }
});
