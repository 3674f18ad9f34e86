// Browser tests of the page in Debian's headless chromium (playwright-core, never a downloaded
// browser): both builds load, draw ImGui in WebGL2 and initialise XNNPACK.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startHarness, openPage, shotDir, waitForGeneration, launchBrowser } from './harness.mjs';

let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

for (const build of ['st', 'mt']) {
  test(`${build} build: loads, draws ImGui in WebGL2, initialises XNNPACK`, { timeout: 120000 }, async () => {
    const { page, logs } = await openPage(h, `?build=${build}`);
    const status = await waitForGeneration(page);  // the default weights arrive at run time
    try {
      assert.equal(status.build, build);
      assert.equal(status.xnnpack, true, `xnn_initialize failed: ${status.xnnpack_error}`);
      assert.ok(logs.some((l) => l.includes(`xnn_initialize succeeded (${build} build`)), logs.join('\n'));
      assert.deepEqual(logs.filter((l) => l.includes('Failed to load resource')), [], 'all the page asks for is there, its icon too');
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
  const { page, status: read } = await openPage(h, '');
  const status = await read();
  try {
    assert.equal(status.build, 'mt');
  } finally {
    await page.close();
  }
});

// The status line under the canvas, once it says more than loading.
const statusLine = async (page) => {
  await page.waitForFunction(() => /studio/.test(document.getElementById('status').textContent), null, { timeout: 60000 });
  return page.evaluate(() => {
    const el = document.getElementById('status');
    return { text: el.textContent, shown: getComputedStyle(el).display !== 'none' };
  });
};

test('a browser without WebGL2 gets one line saying so, not a blank page', { timeout: 120000 }, async () => {
  const browser = await launchBrowser(['--disable-webgl']);
  try {
    const page = await browser.newPage();
    await page.goto(`${h.base}/?build=st`);
    const line = await statusLine(page);
    assert.match(line.text, /^The studio draws with WebGL2, which this browser does not give it: a current Chrome, .* runs it\.( \(SDL: .+\))?$/);
    assert.ok(line.shown);
    await page.waitForTimeout(500);  // and it stays: the runtime's own status updates do not clear it
    assert.equal((await statusLine(page)).text, line.text);
  } finally {
    await browser.close();
  }
});

test('a trap in the module (a bug) leaves one line saying the studio stopped, not a page that no longer answers', { timeout: 120000 }, async () => {
  const { page } = await openPage(h, '?build=st');
  try {
    // A file name far past the module's memory, as a bug would read it, from a callback as the frame loop runs.
    await page.evaluate(() => setTimeout(() => Module._sprites_open_file(0x7ffffff0, 0, 0)));
    const line = await statusLine(page);
    assert.match(line.text, /^The studio stopped \(.*out of bounds.*\); reload the page to start again\.$/);
    assert.ok(line.shown);
  } finally {
    await page.close();
  }
});

test('with JavaScript off the page says what it needs instead of "Loading..."', { timeout: 60000 }, async () => {
  const ctx = await h.browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await ctx.newPage();
    await page.goto(`${h.base}/`);
    assert.equal(await page.locator('#status').isVisible(), false);
    const note = page.locator('noscript p');
    assert.equal(await note.isVisible(), true);
    assert.equal(await note.textContent(), 'The studio runs in JavaScript and WebAssembly: turn JavaScript on for this page.');
  } finally {
    await ctx.close();
  }
});
