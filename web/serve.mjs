// The demo server: serves the page like a real static host (ETag and Last-Modified with 304s, Range,
// gzip for text and wasm) and cross-origin isolated (COOP/COEP/CORP), so the pthread build gets
// SharedArrayBuffer. serve-static (send) does the static-host work and refuses undecodable paths,
// NULs and paths that climb out of the root; this file adds the isolation headers, the method check,
// a containment check by real path (no symlink leads outside the root) and one-line logs. No request
// can end the process. Usage: node web/serve.mjs DIR [PORT] [HOST] [--weights WDIR]
// --weights serves WDIR at /weights/ in place of DIR's own: a training run's checkpoints in the page
// without rebuilding it (scripts/demo --weights).
import { createServer } from 'node:http';
import { realpathSync, statSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import compression from 'compression';
import parseurl from 'parseurl';
import serveStatic from 'serve-static';

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
// Weights and packed data barely compress; gzipping them on every request would only cost time.
const compressible = /^(text\/|application\/(javascript|json|wasm))/;

function inside(root, path) {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

// Whether the file a request names is inside the root by real path, read exactly as serve-static
// reads it (parseurl, then one decodeURIComponent; WHATWG URL parsing would take "//name" for a
// host). A file that does not exist is left to serve-static, which answers 404.
async function contained(root, req) {
  let pathname;
  try {
    pathname = decodeURIComponent(parseurl(req).pathname);
  } catch {
    return { status: 400 };
  }
  if (pathname.includes('\0')) return { status: 400 };
  const path = join(root, pathname);
  if (!inside(root, path)) return { status: 403 };
  try {
    return inside(root, await realpath(path)) ? { ok: true } : { status: 404 };
  } catch {
    return { ok: true };
  }
}

// `mounts` maps URL prefixes ('/weights/') to other folders, served as if they were there.
export function createStaticServer(dir, { log = (line) => console.error(line), mounts = {} } = {}) {
  const site = (folder) => {
    const root = realpathSync(resolve(folder));
    return {
      root,
      files: serveStatic(root, {
        index: ['index.html'], dotfiles: 'ignore', fallthrough: false, redirect: false, cacheControl: false,
        setHeaders: (res, path) => {
          res.setHeader('Cache-Control', 'no-cache');  // always revalidate, cheaply, with the ETag
          if (/\.safetensors$/.test(path)) {
            res.setHeader('Content-Type', 'application/octet-stream');
            // Weights are public: pages elsewhere may open links that name them by URL.
            res.setHeader('Access-Control-Allow-Origin', '*');
            res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
          }
        },
      }),
    };
  };
  const main = site(dir);
  const mounted = Object.entries(mounts).map(([prefix, folder]) => ({ prefix, ...site(folder) }));
  const gzip = compression({
    filter: (req, res) => !req.headers.range && compressible.test(String(res.getHeader('Content-Type') ?? '')),
  });

  const answer = (req, res, status, why) => {
    if (status >= 500) log(`${req.method} ${String(req.url).slice(0, 200)}: ${status} ${why}`);
    if (res.headersSent) { res.destroy(); return; }
    res.writeHead(status, { ...isolation, 'Content-Type': 'text/plain; charset=utf-8',
                            ...(status === 405 ? { Allow: 'GET, HEAD' } : {}) });
    res.end(req.method === 'HEAD' ? undefined : `${status}\n`);
  };

  const server = createServer(async (req, res) => {
    res.on('error', (e) => log(`${req.method} ${String(req.url).slice(0, 200)}: response failed: ${e.message}`));
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return answer(req, res, 405, 'method');
      const mount = mounted.find((m) => String(req.url).startsWith(m.prefix));
      if (mount) req.url = '/' + req.url.slice(mount.prefix.length);
      const { root, files } = mount ?? main;
      const c = await contained(root, req);
      if (!c.ok) return answer(req, res, c.status, 'path');
      for (const [k, v] of Object.entries(isolation)) res.setHeader(k, v);
      gzip(req, res, (err) => {
        if (err) return answer(req, res, 500, err.message);
        files(req, res, (e) => answer(req, res, e?.status ?? e?.statusCode ?? 500, e?.message ?? 'no response'));
      });
    } catch (e) {
      answer(req, res, 500, e?.message ?? String(e));
    }
  });
  // Slow or stalled clients cannot hold sockets for long; malformed requests get node's 400/431.
  server.headersTimeout = 10000;
  server.requestTimeout = 30000;
  server.on('clientError', (err, socket) => {
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large'
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    else socket.destroy();
  });
  return server;
}

// As a command (scripts/demo): what it cannot do, a busy port above all, is one line and exit 1.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const fail = (why) => {
    console.error(`error: ${why}`);
    process.exit(1);
  };
  let args;
  try {
    args = parseArgs({ options: { weights: { type: 'string' } }, allowPositionals: true });
  } catch (e) {
    fail(`${e.message} (usage: node web/serve.mjs DIR [PORT] [HOST] [--weights WDIR])`);
  }
  const { values, positionals } = args;
  const root = resolve(positionals[0] ?? '.');
  const portText = String(positionals[1] ?? process.env.PORT ?? 8000);
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port < 1 || port > 65535) fail(`port '${portText}' is not a number from 1 to 65535`);
  const host = positionals[2] ?? '127.0.0.1';
  for (const dir of [root, values.weights].filter(Boolean))
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) fail(`${dir} is not a folder`);
  const mounts = values.weights ? { '/weights/': values.weights } : {};
  const server = createStaticServer(root, { mounts });
  server.on('error', (e) => fail(e.code === 'EADDRINUSE'
    ? `port ${port} on ${host} is in use (another server?); choose another, e.g. PORT=${port === 65535 ? 8001 : port + 1} scripts/demo`
    : `cannot serve at ${host}:${port}: ${e.message}`));
  server.listen(port, host, () =>
    console.log(`Serving ${root} at http://${host}:${port}/${values.weights ? ` (weights from ${resolve(values.weights)})` : ''}`));
}
