// Browser tests of the page in Debian's headless chromium (playwright-core, never a downloaded
// browser): both builds load, draw ImGui in WebGL2 and initialise XNNPACK.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '../..');
const pageDir = process.env.SPRITES_PAGE_DIR ?? join(root, 'build/web/web');
const shotDir = process.env.SPRITES_SCREENSHOTS ?? join(root, 'build/web/screenshots');
const port = 18000 + (process.pid % 1000);
const base = `http://127.0.0.1:${port}`;
let server, browser;

const chromiumArgs = ['--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  '--disable-quic'];  // playwright gives each launch a fresh temporary profile

before(async () => {
  server = spawn(process.execPath, [join(root, 'web/serve.mjs'), pageDir, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((ok, fail) => {
    server.stdout.once('data', ok);
    server.once('exit', (code) => fail(new Error(`server exited with ${code}`)));
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs, timeout: 60000 });
  mkdirSync(shotDir, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

async function openPage(query) {
  const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  const logs = [];
  page.on('console', (m) => logs.push(m.text()));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  await page.goto(`${base}/${query}`);
  // Ready once the runtime answers and a few frames are drawn.
  await page.waitForFunction(() => window.spritesStatus && window.spritesStatus().frames >= 5, null, { timeout: 60000 })
    .catch((e) => { throw new Error(`page never became ready: ${e.message}\n${logs.join('\n')}`); });
  return { page, logs, status: await page.evaluate(() => window.spritesStatus()) };
}

for (const build of ['st', 'mt']) {
  test(`${build} build: loads, draws ImGui in WebGL2, initialises XNNPACK`, { timeout: 120000 }, async () => {
    const { page, logs, status } = await openPage(`?build=${build}`);
    try {
      assert.equal(status.build, build);
      assert.equal(status.xnnpack, true, `xnn_initialize failed: ${status.xnnpack_error}`);
      assert.ok(logs.some((l) => l.includes(`xnn_initialize succeeded (${build} build`)), logs.join('\n'));
      assert.match(status.gl, /WebGL 2\.0/);
      assert.ok(status.vertices > 100, `ImGui drew only ${status.vertices} vertices`);
      assert.equal(status.weights_error, '');
      assert.equal(status.weights.architecture, 'ContextUnet');
      assert.equal(status.weights.labels.split(',').length, 5);
      if (build === 'mt') {
        assert.equal(await page.evaluate(() => self.crossOriginIsolated), true, 'page is not cross-origin isolated');
        assert.ok(status.threads >= 1);
      } else {
        assert.equal(status.threads, 1);
      }
      await page.screenshot({ path: join(shotDir, `page-${build}.png`) });
    } finally {
      await page.close();
    }
  });
}

test('without ?build the isolated page picks the pthread build', { timeout: 120000 }, async () => {
  const { page, status } = await openPage('');
  try {
    assert.equal(status.build, 'mt');
  } finally {
    await page.close();
  }
});
