// A student's chain (issue 11): scripts/demo --weights serves a training run's exports as the
// page's checkpoints without a rebuild, and a link made there opens from a page on another port
// with the same pixels; scripts/publish writes a folder that a plain static host (no isolation
// headers) serves with the pthread build through the page's service worker, and with the
// single-thread build where service workers are blocked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, statSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, waitForGeneration, nativePixels, assertSamePixels, pagePixels, fnv1a64, withMetadata, plainHost, root }
  from './harness.mjs';

let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const tmp = mkdtempSync(join(tmpdir(), 'sprites-publish-'));

// As sprites-train writes its files: atomically (a new file renamed over the old).
function writeAtomically(path, bytes) {
  writeFileSync(`${path}.tmp`, bytes);
  renameSync(`${path}.tmp`, path);
}

// A run's logs as sprites-train writes them: ten steps an epoch, a validation row after each.
function writeRunLogs(folder, epochs) {
  writeAtomically(join(folder, 'loss.csv'), 'step,epoch,loss,lr\n' +
    Array.from({ length: 10 * epochs }, (_, i) => `${i + 1},${Math.floor(i / 10)},${1 / (i + 1)},0.001\n`).join(''));
  writeAtomically(join(folder, 'val.csv'), 'epoch,step,val_loss\n' +
    Array.from({ length: epochs }, (_, e) => `${e},${10 * (e + 1)},${0.2 / (e + 1)}\n`).join(''));
}

// A "training run": exports the build never shipped (the tests' tiny model, relabelled).
const run = join(tmp, 'runs/mine');
mkdirSync(run, { recursive: true });
const tiny = readFileSync(join(root, 'tests/support/tiny_weights.safetensors'));
const finalBytes = withMetadata(tiny, { labels: 'knight,slime,apple,fire,sword', epoch: '0' });
writeFileSync(join(run, 'sprites_final.safetensors'), finalBytes);
writeFileSync(join(run, 'sprites_ep0.safetensors'), tiny);
writeRunLogs(run, 1);

const fresh = async (options = {}) => {
  const ctx = await h.browser.newContext({ viewport: { width: 1100, height: 700 }, ...options });
  return { ctx, page: await ctx.newPage() };
};

// scripts/demo --weights `folder` on a port of its own: `serving` settles once it serves (or fails
// if it exits); stop() ends it and its follower.
function startDemo(folder, port = 20000 + Math.floor(Math.random() * 20000)) {
  const demo = spawn(join(root, 'scripts/demo'), ['--weights', folder], { env: { ...process.env, PORT: String(port), PHASE_LOG: '' },  // not in scripts/test's summary
    stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let err = '';
  demo.stderr.on('data', (d) => { err += d; });
  const stop = () => { try { process.kill(-demo.pid); } catch { /* already gone */ } };
  const serving = new Promise((ok, fail) => {
    demo.stdout.on('data', (d) => { if (String(d).includes('Serving')) ok(); });
    demo.once('exit', (code) => fail(new Error(`scripts/demo exited with ${code}\n${err}`)));
  });
  serving.catch(stop);
  return { base: `http://127.0.0.1:${port}`, port, stop, stderr: () => err, serving };
}

async function until(what, condition, timeout = 60000) {
  for (const end = Date.now() + timeout; !condition();) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

test('scripts/demo --weights serves a run; a link made there reproduces its pixels from another port', { timeout: 400000 }, async () => {
  const demo = startDemo(run);
  try {
    await demo.serving;
    const base = demo.base;
    const made = await fresh();
    let link;
    try {
      await made.page.goto(`${base}/#v=1&w=final&c=0,0,0,1,0&s=ddim&n=10&e=0&g=0&seed=21&k=4&view=grid`);
      const s = await waitForGeneration(made.page);
      assert.equal(s.weights_error, '');
      assert.equal(s.weights.labels, 'knight,slime,apple,fire,sword', 'the run\'s final export is the page\'s');
      assert.deepEqual(s.library.map((e) => e.key), ['final']);
      assert.deepEqual({ ...s.training, marks: s.training.marks.map((m) => `${m.id}@${m.step}`).sort() },
        { loss_points: 10, val_points: 1, marks: ['ep0@10', 'final@10'] }, 'the run\'s curve, both exports after its epoch 0');
      link = s.hash;
      const weightsUrl = `${base}/weights/sprites_final.safetensors`;
      assert.equal(link, `v=1&w=url.${fnv1a64(finalBytes).slice(0, 8)}&c=0,0,0,1,0&s=ddim&n=10&e=0&g=0&seed=21&k=4&view=grid` +
        `&u=${encodeURIComponent(weightsUrl)}`, 'a run\'s checkpoints are linked by URL');
    } finally {
      await made.ctx.close();
    }
    // Another server (another port, the default weights) in a fresh profile.
    const opened = await fresh();
    try {
      await opened.page.goto(`${h.base}/?build=mt#${link}`);
      const s = await waitForGeneration(opened.page);
      assert.equal(s.weights_error, '');
      assert.equal(s.weights.labels, 'knight,slime,apple,fire,sword');
      assertSamePixels(nativePixels(join(run, 'sprites_final.safetensors'), { context: '0,0,0,1,0', steps: 10, seed: 21, count: 4 }),
        await pagePixels(opened.page), 'a run\'s link opened on another port');
    } finally {
      await opened.ctx.close();
    }
  } finally {
    demo.stop();
  }
});

test('scripts/publish: a static folder that generates from a host without isolation headers', { timeout: 400000 }, async () => {
  const site = join(tmp, 'site');
  execFileSync(join(root, 'scripts/publish'), [site, '--weights', run, '--int8'],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, PHASE_LOG: '' } });
  const index = JSON.parse(readFileSync(join(site, 'weights/index.json'), 'utf8'));
  assert.deepEqual(index.weights.map((w) => w.id), ['final', 'ep0']);
  assert.equal(index.live, undefined, 'a published folder is a snapshot: its pages do not ask for the index again');
  assert.equal(index.share_by_url, true);
  for (const f of ['index.html', 'weights_fetch.js', 'choose_build.js', 'coi-serviceworker.js', 'sprites-st.js', 'sprites-st.wasm', 'sprites-mt.js', 'sprites-mt.wasm', 'sprites-mt.worker.js'])
    assert.ok(statSync(join(site, f)).size > 0, f);
  assert.doesNotMatch(readFileSync(join(site, 'index.html'), 'utf8'), /(src|href)="\//, 'relative paths only');
  const host = await plainHost(site);
  const navigation = (page) => page.evaluate(() => performance.getEntriesByType('navigation')[0].type);
  try {
    // Service workers blocked (as a browser's settings can do): the single-thread build.
    const blocked = await fresh({ serviceWorkers: 'block' });
    try {
      await blocked.page.goto(`${host.base}/`);
      const s = await waitForGeneration(blocked.page);
      assert.equal(s.build, 'st', 'no COOP/COEP and no service worker: the single-thread build');
      assert.equal(await blocked.page.evaluate(() => self.crossOriginIsolated), false);
      assert.equal(s.weights_error, '');
      assert.equal(s.weights.labels, 'knight,slime,apple,fire,sword');
      assert.equal(s.weights.quantization, 'int8-per-channel');
    } finally {
      await blocked.ctx.close();
    }
    // Otherwise the page's service worker adds the headers: one reload on the first visit, then the
    // pthread build, with the link's pixels.
    const { ctx, page } = await fresh();
    try {
      const link = 'v=1&w=final&c=0,0,0,1,0&s=ddim&n=10&e=0&g=0&seed=21&k=4&view=grid';
      await page.goto(`${host.base}/#${link}`);
      const s = await waitForGeneration(page);
      assert.equal(s.build, 'mt', 'isolated by the service worker: the pthread build');
      assert.equal(await page.evaluate(() => self.crossOriginIsolated), true);
      assert.equal(await navigation(page), 'reload', 'the first visit reloads once');
      assert.equal(s.weights_error, '');
      const final = index.weights.find((w) => w.id === 'final');
      assertSamePixels(nativePixels(join(site, 'weights', final.file), { context: '0,0,0,1,0', steps: 10, seed: 21, count: 4 }),
        await pagePixels(page), 'the link, through the reload and the service worker');
      const again = await ctx.newPage();
      await again.goto(`${host.base}/`);
      assert.equal((await waitForGeneration(again)).build, 'mt');
      assert.equal(await navigation(again), 'navigate', 'a later visit is isolated from the start');
      // ?build=st still forces the single-thread build under the worker.
      await again.goto(`${host.base}/?build=st`);
      assert.equal((await waitForGeneration(again)).build, 'st');
    } finally {
      await ctx.close();
    }
  } finally {
    host.close();
  }
  // Publishing again over it replaces the weights; a folder holding anything else is refused.
  execFileSync(join(root, 'scripts/publish'), [site], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, PHASE_LOG: '' } });
  const shipped = JSON.parse(readFileSync(join(site, 'weights/index.json'), 'utf8'));
  assert.ok(shipped.weights.some((w) => w.id === 'ep4'), 'the default checkpoints');
  assert.throws(() => execFileSync(join(root, 'scripts/publish'), [run], { stdio: 'pipe' }),
    (e) => e.stderr.toString() === `error: ${run}: has other files in it; publish into a new or empty folder, or over an earlier publish\n`);
  assert.ok(statSync(join(run, 'sprites_final.safetensors')).size > 0, 'left as it was');
});

test('scripts/demo --weights on a run whose export is damaged stops before serving, with the core\'s one line', { timeout: 300000 }, async () => {
  const damaged = join(tmp, 'runs/damaged');
  mkdirSync(damaged, { recursive: true });
  writeFileSync(join(damaged, 'sprites_final.safetensors'), tiny.subarray(0, tiny.length - 100));
  const demo = startDemo(damaged);
  await assert.rejects(demo.serving, /scripts\/demo exited with 1/);
  const lines = demo.stderr().split('\n').filter((l) => l.includes('sprites_final.safetensors'));
  assert.equal(lines.length, 1, demo.stderr());
  assert.doesNotMatch(demo.stderr(), /\n\s+at |Error:|open http/, 'no stack, no server');
});

// A run still training: scripts/demo --weights beside it. The page opens the run's newest epoch
// (there is no final yet), then follows the run without a reload: a new epoch redraws the grid on
// the same seeds with the new weights, and the Checkpoints view, and the run's end puts its final
// export in place of latest.
test('scripts/demo --weights follows a run still training, epoch by epoch, to its final export', { timeout: 300000 }, async () => {
  const training = join(tmp, 'runs/training');
  mkdirSync(training, { recursive: true });
  const shipped = (id) => join(root, `assets/weights/sprites_${id}.safetensors`);
  const write = (name, bytes) => writeAtomically(join(training, name), bytes);
  // Started before the first epoch ends, scripts/demo waits for it while the trainer holds the run's lock.
  write('loss.csv', 'step,epoch,loss,lr\n1,0,1.0,0.001\n');
  const lock = join(training, '.train.lock');
  const trainer = spawn('flock', [lock, 'sleep', '300'], { stdio: 'ignore' });
  await until('the lock to be held', () => {
    try {
      execFileSync('flock', ['-n', lock, 'true']);
      return false;
    } catch {
      return true;
    }
  });
  let demo = startDemo(training);
  await until('scripts/demo to wait', () => demo.stderr().includes('training, step 1; no epoch exported yet'));
  write('sprites_ep0.safetensors', readFileSync(shipped('ep0')));
  write('sprites_latest.safetensors', readFileSync(shipped('ep0')));
  writeRunLogs(training, 1);
  await demo.serving;
  const { ctx, page } = await fresh();
  const params = { context: '0,0,1,0,0', steps: 10, seed: 8, count: 4 };
  const epochShown = (epoch, key) => page.waitForFunction(([epoch, key]) => {
    const s = window.spritesStatus && window.spritesStatus();
    return s && s.weights.epoch === epoch && s.weights_key === key && s.generations >= 1 && !s.generating && s.lab?.done;
  }, [epoch, key], { timeout: 60000, polling: 200 });
  const panels = async () => (await page.evaluate(() => window.spritesStatus())).lab.panels.map((p) => `${p.title}${p.error}`);
  try {
    await page.goto(`${demo.base}/#v=1&w=final&c=0,0,1,0,0&s=ddim&n=10&e=0&g=0&seed=8&k=4&view=checkpoints`);
    await epochShown('0', 'latest');
    let s = await page.evaluate(() => window.spritesStatus());
    assert.equal(s.weights_error, '');
    assert.deepEqual(s.library.map((e) => e.key).sort(), ['ep0', 'latest'], 'no final yet: the run\'s newest epoch');
    assert.deepEqual(await panels(), ['epoch 0', 'latest (epoch 0)'], 'the Checkpoints view');
    assert.deepEqual(s.run, { live: true, unfinished: true, done: 1, planned: 26 }, 'the line under the Model combo');
    assertSamePixels(nativePixels(shipped('ep0'), params), await pagePixels(page), 'epoch 0');

    // The next epoch (the shipped epoch 4's weights) lands: the same seeds, drawn again with it.
    write('sprites_latest.safetensors', readFileSync(shipped('ep4')));
    writeRunLogs(training, 2);
    await epochShown('4', 'latest');
    s = await page.evaluate(() => window.spritesStatus());
    assert.equal(s.index_error, '');
    assert.equal(s.link_error, '', 'a newer file of the run followed is no other weights');
    assert.equal(s.training.val_points, 2, 'the curve follows too');
    assert.deepEqual(await panels(), ['epoch 0', 'latest (epoch 4)'], 'and the Checkpoints view');
    assert.deepEqual(s.run, { live: true, unfinished: true, done: 5, planned: 26 });
    assertSamePixels(nativePixels(shipped('ep4'), params), await pagePixels(page), 'the next epoch, without a reload');
    // A link copied now names a file the next epoch replaces: the page says so.
    await page.evaluate(() => window.spritesCopyLink());
    await page.waitForFunction(() => / It names epoch 4 of a run still training: .*scripts\/publish/.test(window.spritesStatus().copied.note),
      null, { timeout: 10000 }).catch(async (e) => assert.fail(`${e.message}: ${(await page.evaluate(() => window.spritesStatus())).copied.note}`));

    // The server goes away (scripts/demo stopped): one line, the page keeps what it shows; back, the
    // line goes and following goes on.
    demo.stop();
    await page.waitForFunction(() => /^Following the run: .*index\.json: cannot be fetched/.test(window.spritesStatus().index_error),
      null, { timeout: 30000, polling: 200 });
    s = await page.evaluate(() => window.spritesStatus());
    assert.equal(s.weights.epoch, '4');
    assert.equal(s.generating, false);
    demo = startDemo(training, demo.port);
    await demo.serving;
    await page.waitForFunction(() => window.spritesStatus().index_error === '', null, { timeout: 30000, polling: 200 });

    // The run ends: final written, latest removed. The page moves to final.
    write('sprites_final.safetensors', readFileSync(shipped('ep8')));
    rmSync(join(training, 'sprites_latest.safetensors'));
    await epochShown('8', 'final');
    s = await page.evaluate(() => window.spritesStatus());
    assert.equal(s.weights_error, '');
    assert.equal(s.link_error, '');
    assertSamePixels(nativePixels(shipped('ep8'), params), await pagePixels(page), 'the final export');
    assert.deepEqual(await panels(), ['epoch 0', 'final']);
    assert.deepEqual(s.run, { live: true, unfinished: false, done: 0, planned: 0 }, 'finished; the demo still stages the folder as it changes');
    assert.match(demo.stderr(), /runs\/training: staged again: final \(epoch 8\), ep0 \(epoch 0\)/);
  } finally {
    await ctx.close();
    demo.stop();
    trainer.kill();
  }
});
