// The inference core compiled to wasm and run under node gives the native core's pixels: the same
// `sprites` CLI source, built both ways, on the same weights and parameters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, pageDir } from './harness.mjs';

const weights = join(root, 'assets/weights/sprites_final.safetensors');
const args = (dir, name) => ['sample', '--weights', weights, '--context', '0,1,0,0.5,0', '--sampler', 'ddim', '--steps', '25',
  '--guidance', '2', '--seed', '7', '--count', '16', '--out', join(dir, `${name}.png`), '--raw', join(dir, `${name}.rgb`)];

for (const build of ['st', 'mt']) {
  test(`wasm (${build}) under node matches native on >= 99% of pixels`, { timeout: 300000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'sprites-node-'));
    execFileSync(join(root, 'build/native/native/sprites'), [...args(dir, 'native'), '--threads', '1']);
    const out = execFileSync(process.execPath, ['--no-experimental-fetch', join(pageDir, `sprites-cli-${build}.js`),
      ...args(dir, 'wasm')]).toString();
    assert.match(out, /wrote .*16 sprites, ddim/);
    const a = readFileSync(join(dir, 'native.rgb')), b = readFileSync(join(dir, 'wasm.rgb'));
    assert.equal(a.length, 16 * 16 * 16 * 3);
    assert.equal(b.length, a.length);
    let same = 0, worst = 0;
    for (let i = 0; i < a.length; ++i) {
      same += a[i] === b[i];
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    console.log(`${build}: ${same} of ${a.length} bytes identical, largest difference ${worst}`);
    assert.ok(same / a.length >= 0.99, `${same} of ${a.length} identical`);
  });
}

test('wasm CLI under node reports bad input with one line and exit 1', () => {
  let err;
  try {
    execFileSync(process.execPath, ['--no-experimental-fetch', join(pageDir, 'sprites-cli-st.js'), 'sample', '--weights',
      '/nonexistent.safetensors', '--out', join(tmpdir(), 'x.png')], { stdio: 'pipe' });
  } catch (e) {
    err = e;
  }
  assert.ok(err, 'expected a non-zero exit');
  assert.equal(err.status, 1);
  assert.match(err.stderr.toString(), /^error: \/nonexistent\.safetensors: cannot open file\n$/);
});
