// Static file server for the page, with the two headers that make it cross-origin isolated
// (so the pthread build gets SharedArrayBuffer). Usage: node web/serve.mjs DIR [PORT] [HOST]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? '.');
const port = Number(process.argv[3] ?? process.env.PORT ?? 8000);
const host = process.argv[4] ?? '127.0.0.1';
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
                '.data': 'application/octet-stream', '.png': 'image/png', '.safetensors': 'application/octet-stream' };

const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  const path = normalize(join(root, decodeURIComponent(url.pathname)));
  const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp',
                    'Cross-Origin-Resource-Policy': 'same-origin', 'Cache-Control': 'no-cache' };
  if (!path.startsWith(root)) { res.writeHead(403, headers).end('forbidden'); return; }
  try {
    const file = (await stat(path)).isDirectory() ? join(path, 'index.html') : path;
    const body = await readFile(file);
    res.writeHead(200, { ...headers, 'Content-Type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404, headers).end('not found');
  }
});
server.listen(port, host, () => console.log(`Serving ${root} at http://${host}:${port}/`));
