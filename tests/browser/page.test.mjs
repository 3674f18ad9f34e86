// Browser tests of the page in Debian's headless chromium (playwright-core, never a downloaded
// browser): both builds load, draw ImGui in WebGL2 and initialise XNNPACK.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startHarness, openPage, shotDir, waitForGeneration } from './harness.mjs';

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
