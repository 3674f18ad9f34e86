// scripts/demo's server (web/serve.mjs) as its own process, through real sockets: over a thousand
// hostile or malformed requests each get an answer, nothing outside the root is ever served (not a
// sibling folder whose name starts with the root's, not through a symlink), slow clients do not
// block others, the process keeps running, and afterwards the page still loads and generates. Then
// what a static host gives: gzip, ETag/Last-Modified with 304s, Range, MIME types, isolation headers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { launchBrowser, openPage, pageDir, root, startServer, waitForGeneration } from './harness.mjs';

const SECRET = `secret-${process.pid}-${Date.now()}`;
const evil = `${basename(pageDir)}-evil`;  // a sibling of the root whose name starts with the root's
const outside = join(dirname(pageDir), evil);
const links = { 'link-out': outside, 'link-secret.txt': join(outside, 'secret.txt') };

let server;
before(async () => {
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(outside, 'secret.txt'), SECRET);
  for (const [name, target] of Object.entries(links)) {
    rmSync(join(pageDir, name), { force: true });
    symlinkSync(target, join(pageDir, name));
  }
  server = await startServer(pageDir);
});
after(() => {
  server?.process.kill();
  for (const name of Object.keys(links)) rmSync(join(pageDir, name), { force: true });
  rmSync(outside, { recursive: true, force: true });
});

// Sends raw bytes on a fresh connection; resolves with the status (0: no HTTP answer) and all bytes.
function raw(bytes, timeout = 15000) {
  return new Promise((resolve) => {
    const socket = connect(server.port, '127.0.0.1');
    const chunks = [];
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : 0, text });
    };
    const timer = setTimeout(done, timeout);
    socket.on('data', (d) => chunks.push(d));
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', done);
    socket.write(bytes);
  });
}

const http = (method, target, headers = '') =>
  `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headers}\r\n`;

// A request through node's client: { status, headers, body }.
function get(path, headers = {}, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function hostileRequests() {
  const traversals = [
    `/../${evil}/secret.txt`, `/..%2f${evil}%2fsecret.txt`, `/%2e%2e/${evil}/secret.txt`, `/%2E%2E%2F${evil}%2Fsecret.txt`,
    `/%252e%252e/${evil}/secret.txt`, `/%252e%252e%252f${evil}%252fsecret.txt`, `/.%2e/${evil}/secret.txt`,
    `/..\\${evil}\\secret.txt`, `/..%5c${evil}%5csecret.txt`, `//..//${evil}/secret.txt`, `/./../${evil}/secret.txt`,
    `/index.html/../../${evil}/secret.txt`, '/link-out/secret.txt', '/link-secret.txt', '/link-out/', '/link-out',
    '/%6c%69%6e%6b-secret.txt', '/../../../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    `/${'..%2f'.repeat(12)}etc/passwd`, `/${'%252e%252e%252f'.repeat(12)}etc/passwd`, '/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd',
    `/..%00/${evil}/secret.txt`, `/${evil}/secret.txt`, `/..;/${evil}/secret.txt`,
  ];
  const badEncodings = ['/%', '/%E0%A4%A', '/%E0%A4', '/%zz', '/%%32%65', '/%FF%FE', '/index.html%', '/%u002e%u002e/',
                        '/%C0%AE%C0%AE/', '/%ED%A0%80', '/%F4%90%80%80'];
  const nuls = ['/index.html%00', '/%00', '/index.html%00.png', '/%00../etc/passwd'];
  const requests = [];
  for (const t of [...traversals, ...badEncodings, ...nuls]) {
    requests.push(http('GET', t), http('HEAD', t), http('GET', `http://127.0.0.1${t}`));
  }
  requests.push(http('GET', '/index\0.html'), http('GET', `/${'a'.repeat(65536)}`), http('GET', `/${'%2e%2e/'.repeat(3000)}x`),
                http('GET', '/', `X-Big: ${'b'.repeat(70000)}\r\n`));
  for (const m of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'FOO'])
    for (const t of ['/', '/index.html', `/../${evil}/secret.txt`]) requests.push(http(m, t, 'Content-Length: 0\r\n'));
  for (const r of ['bytes=0-99', 'bytes=999999999-', 'bytes=-0', 'bytes=abc', 'bytes=5-1', 'bytes=0-0,1-1,2-2',
                   `bytes=${'0-1,'.repeat(2000)}0-1`, 'items=0-5'])
    for (const t of ['/index.html', '/sprites-st.wasm', '/link-secret.txt']) requests.push(http('GET', t, `Range: ${r}\r\n`));
  requests.push('GARBAGE\r\n\r\n', '\x00\x01\x02\x03\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', 'GET /\r\n\r\n',
                'GET / HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n', 'GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n');
  // Variants until there are well over a thousand: random methods, queries, letter case and slashes.
  let seed = 12345;
  const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const base = [...traversals, ...badEncodings, ...nuls];
  while (requests.length < 1200) {
    let t = base[rand(base.length)];
    if (rand(2)) t = t.replace(/%[0-9a-f]{2}/gi, (e) => (rand(2) ? e.toUpperCase() : e.toLowerCase()));
    if (rand(3) === 0) t = t.replaceAll('/', '//');
    if (rand(3) === 0) t += `?q=${rand(1e6)}#x`;
    requests.push(http(['GET', 'HEAD', 'GET'][rand(3)], t));
  }
  return requests;
}

test('over a thousand hostile requests are all answered, none serves anything outside the root', { timeout: 240000 }, async () => {
  const requests = hostileRequests();
  assert.ok(requests.length >= 1000);
  const statuses = new Map();
  for (let i = 0; i < requests.length; i += 25) {
    const batch = requests.slice(i, i + 25);
    const answers = await Promise.all(batch.map((r) => raw(r)));
    answers.forEach((a, k) => {
      const what = JSON.stringify(batch[k].slice(0, 120));
      assert.notEqual(a.status, 0, `no HTTP answer to ${what}`);
      assert.ok(a.status < 500, `${a.status} for ${what}`);
      assert.ok(!a.text.includes(SECRET), `served the file outside the root for ${what}`);
      assert.ok(!a.text.includes('root:x:0:0'), `served /etc/passwd for ${what}`);
      statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    });
  }
  console.log(`${requests.length} requests, statuses: ${JSON.stringify(Object.fromEntries(statuses))}`);
  for (const s of statuses.keys()) assert.ok([200, 206, 400, 403, 404, 405, 408, 414, 416, 431].includes(s), `status ${s}`);
  assert.equal(server.process.exitCode, null, 'the server exited');
  assert.doesNotMatch(server.stderr(), /\n\s+at /, 'a stack trace was printed');
  const index = await get('/');
  assert.equal(index.status, 200);
  assert.match(index.body.toString(), /<html/i);
});

test('slow clients do not hold up the others', { timeout: 60000 }, async () => {
  const slow = [];
  for (let i = 0; i < 30; ++i) {
    const s = connect(server.port, '127.0.0.1');
    s.on('error', () => {});
    s.write('GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    slow.push(s);
  }
  const drip = setInterval(() => { for (const s of slow) if (!s.destroyed) s.write('X'); }, 200);
  try {
    for (let i = 0; i < 20; ++i) {
      const t0 = Date.now();
      const r = await get('/index.html');
      assert.equal(r.status, 200);
      assert.ok(Date.now() - t0 < 2000, `a normal request took ${Date.now() - t0} ms beside slow clients`);
    }
  } finally {
    clearInterval(drip);
    for (const s of slow) s.destroy();
  }
  assert.equal(server.process.exitCode, null);
});

test('serves like a static host: gzip, ETag and Last-Modified, Range, MIME types, isolation headers', { timeout: 60000 }, async () => {
  const js = readFileSync(join(pageDir, 'sprites-st.js'));
  const zipped = await get('/sprites-st.js', { 'Accept-Encoding': 'gzip' });
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.ok(zipped.body.length < js.length / 2, `gzip gave ${zipped.body.length} of ${js.length} bytes`);
  assert.deepEqual(gunzipSync(zipped.body), js);
  const plain = await get('/sprites-st.js');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.deepEqual(plain.body, js);

  const first = await get('/index.html');
  assert.ok(first.headers.etag && first.headers['last-modified']);
  assert.equal((await get('/index.html', { 'If-None-Match': first.headers.etag })).status, 304);
  assert.equal((await get('/index.html', { 'If-Modified-Since': first.headers['last-modified'] })).status, 304);

  const wasm = readFileSync(join(pageDir, 'sprites-st.wasm'));
  const part = await get('/sprites-st.wasm', { Range: 'bytes=100-199' });
  assert.equal(part.status, 206);
  assert.deepEqual(part.body, wasm.subarray(100, 200));
  assert.equal(part.headers['content-range'], `bytes 100-199/${wasm.length}`);
  assert.equal((await get('/sprites-st.wasm', { Range: `bytes=${wasm.length + 10}-` })).status, 416);

  const head = await get('/sprites-st.wasm', {}, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  assert.equal(Number(head.headers['content-length']), statSync(join(pageDir, 'sprites-st.wasm')).size);

  const types = { '.html': /^text\/html/, '.js': /^text\/javascript/, '.wasm': /^application\/wasm$/,
                  '.data': /^application\/octet-stream$/ };
  const served = readdirSync(pageDir).filter((f) => types[extname(f)]);
  assert.ok(served.length >= 5, served.join(' '));
  for (const f of served) {
    const r = await get(`/${f}`, {}, 'HEAD');
    assert.match(r.headers['content-type'] ?? '', types[extname(f)], f);
  }
  for (const r of [first, part, await get('/nope'), await get('/%E0%A4%A')]) {
    assert.equal(r.headers['cross-origin-opener-policy'], 'same-origin', `status ${r.status}`);
    assert.equal(r.headers['cross-origin-embedder-policy'], 'require-corp', `status ${r.status}`);
  }
  assert.equal((await get('/%E0%A4%A')).status, 400);
  assert.equal((await get('/link-secret.txt')).status, 404);
});

test('after all that, the page still loads and generates', { timeout: 180000 }, async () => {
  const browser = await launchBrowser();
  try {
    const { page } = await openPage({ base: server.base, browser }, '?build=st#v=1&s=ddim&n=5&k=4');
    const status = await waitForGeneration(page);
    assert.equal(status.generations, 1);
    await page.close();
  } finally {
    await browser.close();
  }
  assert.equal(server.process.exitCode, null);
});

test('as a command, a busy port, a bad port, a missing folder or option each give one line and exit 1', () => {
  const serve = (...args) => spawnSync(process.execPath, [join(root, 'web/serve.mjs'), ...args], { encoding: 'utf8', timeout: 20000 });
  for (const [args, expect] of [
    [[pageDir, String(server.port)], `port ${server.port} on 127.0.0.1 is in use (another server?); choose another, e.g. PORT=${server.port + 1} scripts/demo`],
    [[pageDir, 'http'], "port 'http' is not a number from 1 to 65535"],
    [[pageDir, '70000'], "port '70000' is not a number from 1 to 65535"],
    [[join(pageDir, 'no-such-folder'), '18001'], `${join(pageDir, 'no-such-folder')} is not a folder`],
    [[pageDir, '18001', '127.0.0.1', '--weights', join(pageDir, 'no-weights')], 'no-weights is not a folder'],
    [[pageDir, '--port', '18001'], "Unknown option '--port'"],
  ]) {
    const r = serve(...args);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.ok(r.stderr.startsWith('error: ') && r.stderr.includes(expect), `${args.join(' ')}: ${r.stderr}`);
  }
  assert.equal(server.process.exitCode, null, 'the running server was disturbed');
});
