// The same ContextUnet (exported to ONNX) sampled with DDIM-25 x 16 sprites in onnxruntime-node and
// onnxruntime-web (wasm backend, under node): the peers of the wasm inference core in scripts/bench.
// Usage: node bench_onnx.mjs MODEL.onnx THREADS  -> one line per runtime: "<name> <seconds>"
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const [modelPath, threadsArg] = process.argv.slice(2);
const threads = Number(threadsArg ?? 1);
const n = 16, steps = 25, T = 500, img = 3 * 16 * 16;

// The course's schedule and DDIM update (float32, as the core).
const ab = new Float32Array(T + 1);
let logsum = 0;
for (let t = 0; t <= T; ++t) {
  const b = Math.fround((0.02 - 1e-4) * (t / T) + 1e-4);
  logsum += Math.log(1 - b);
  ab[t] = Math.exp(logsum);
}
ab[0] = 1;

async function ddim(run) {
  const x = new Float32Array(n * img).map(() => Math.random() * 2 - 1);
  const c = new Float32Array(n * 5);
  for (let k = 0; k < n; ++k) c[k * 5] = 1;
  const stride = T / steps;
  for (let t = T; t > 0; t -= stride) {
    const eps = await run(x, new Float32Array(n).fill(t / T), c);
    const a = ab[t], ap = ab[Math.max(t - stride, 0)];
    for (let j = 0; j < x.length; ++j) {
      const x0 = (x[j] - Math.sqrt(1 - a) * eps[j]) / Math.sqrt(a);
      x[j] = Math.sqrt(ap) * x0 + Math.sqrt(1 - ap) * eps[j];
    }
  }
}

async function time(name, ort, options) {
  const session = await ort.InferenceSession.create(modelPath, options);
  const run = async (x, t, c) => {
    const out = await session.run({
      x: new ort.Tensor('float32', x, [n, 3, 16, 16]),
      t: new ort.Tensor('float32', t, [n, 1]),
      c: new ort.Tensor('float32', c, [n, 5]),
    });
    return out.eps.data;
  };
  await ddim(run);  // warm-up
  let best = Infinity;
  for (let i = 0; i < 3; ++i) {
    const t0 = performance.now();
    await ddim(run);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  console.log(`${name} ${best.toFixed(3)}`);
}

const node = require('onnxruntime-node');
await time(`onnxruntime-node-${threads}t`, node, { intraOpNumThreads: threads, interOpNumThreads: 1 });
const web = require('onnxruntime-web');
web.env.wasm.numThreads = threads;
await time(`onnxruntime-web-wasm-${threads}t`, web, { executionProviders: ['wasm'] });
