// Weights for the page at run time: fetched with progress, checked and parsed by the C++ core
// (sprites_fetch_done), then kept in the Cache API under their content hash, so a later visit or
// link needs no request. Also the file picker and drag-and-drop of a file: weights, or an image
// whose sprite starts variations (web/app/variations.h).
// The studio calls spritesWeights.fetch/clearCache/pickFile; answers go to the module's exports.
// index.html calls spritesWeights.startEarly when it starts a build.
'use strict';
(() => {
  const CACHE = 'sprites-weights-v1';
  const cacheKey = (hash) => new URL(`sprites-weights/${hash}`, location.href).href;
  // The Cache API exists only in secure contexts (https, localhost); elsewhere every visit fetches.
  const cacheOpen = () => (self.caches ? caches.open(CACHE) : Promise.resolve(null));
  const call = (name, types, args) => Module.ccall(name, 'number', types, args);
  // Files that change under the same URL: the index, and the newest epoch of a run still training
  // (web/app/run_following.h). Asked of the server each time, and that epoch is not kept in the
  // cache, which would fill with every epoch of the run.
  const MOVING = new Set(['index', 'latest']);
  // Far beyond any model of this page; reading more would only exhaust the tab's memory (a link may
  // name any URL, one that never ends included).
  const MAX_FILE = 512 * 1024 * 1024;
  const tooLarge = `larger than ${MAX_FILE >> 20} MB, more than any weights file this page reads`;
  const HEAD_BYTES = 256 * 1024;  // of an opened image: its text chunks come before the pixels; a link is a few kB, a kept sheet's list up to 110 kB

  // `bytes` copied into the module's memory for the length of use(pointer); no bytes: pointer 0.
  function inWasm(bytes, use) {
    const p = bytes ? Module._malloc(bytes.length) : 0;
    // malloc answers 0 when the module's memory cannot grow; 0 would then read as a file at address 0.
    if (bytes && !p) throw new Error(`not enough memory left in this tab for ${Math.round(bytes.length / 1e6)} MB`);
    try {
      if (p) Module.HEAPU8.set(bytes, p);
      return use(p);
    } finally {
      if (p) Module._free(p);
    }
  }

  const toWasm = (name, key, bytes) => inWasm(bytes, (p) => call(name, ['string', 'number', 'number'], [key, p, bytes.length]));

  // A cached file whose hash starts with `hash` (links carry 8 hex digits, the index all 16).
  async function fromCache(hash) {
    const cache = hash.length >= 8 ? await cacheOpen().catch(() => null) : null;
    if (!cache) return null;
    const exact = await cache.match(cacheKey(hash));
    if (exact) return exact;
    if (hash.length === 16) return null;
    const prefix = cacheKey(hash);
    const hit = (await cache.keys()).find((r) => r.url.startsWith(prefix));
    return hit ? cache.match(hit) : null;
  }

  async function download(key, url) {
    let response;
    try {
      response = await fetch(url, { cache: MOVING.has(key) ? 'no-cache' : 'default' });
    } catch (e) {
      // fetch gives no detail for network and CORS failures alike (on purpose).
      throw new Error(`${url}: cannot be fetched (offline, wrong address, or the host does not allow cross-origin requests)`);
    }
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`.trim());
    const total = Number(response.headers.get('Content-Length')) || 0;
    const reader = response.body.getReader();
    const refuse = () => {
      reader.cancel().catch(() => {});
      return new Error(`${url}: ${tooLarge}`);
    };
    if (total > MAX_FILE) throw refuse();
    const parts = [];
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      received += value.length;
      if (received > MAX_FILE) throw refuse();
      if (Module.calledRun) call('sprites_fetch_progress', ['string', 'number', 'number'], [key, received, total]);
    }
    const bytes = new Uint8Array(received);
    let at = 0;
    for (const p of parts) { bytes.set(p, at); at += p.length; }
    return bytes;
  }

  // The bytes for `url`: from the cache when it holds `hash`, else from the network.
  async function load(key, url, hash) {
    const cached = await fromCache(hash);
    if (cached) return { bytes: new Uint8Array(await cached.arrayBuffer()), from: 'cache' };
    return { bytes: await download(key, url), from: 'network' };
  }

  // Started while the module downloads and compiles: the index, then the checkpoint the link names
  // (or the default), so the first grid does not wait for them one after the other.
  const early = new Map();  // absolute url -> Promise<{bytes, from}>
  const absolute = (url) => new URL(url, location.href).href;
  function startEarly() {
    const indexUrl = 'weights/index.json';
    const index = load('index', indexUrl, '');
    early.set(absolute(indexUrl), index);
    index.then(({ bytes }) => {
      const list = JSON.parse(new TextDecoder().decode(bytes)).weights || [];
      const named = /(?:^#?|&)w=([a-z0-9]+)(?:[.&]|$)/.exec(location.hash.replace(/^#/, ''));
      const id = named ? named[1] : 'final';
      // A run still training has no final yet: its newest epoch is what the page opens (final_or_newest).
      const entry = list.find((w) => w.id === id) || (id === 'final' ? list.find((w) => w.id === 'latest') : null);
      if (entry) early.set(absolute(`weights/${entry.file}`), load(entry.id, `weights/${entry.file}`, entry.fnv1a64));
    }).catch(() => {});  // the module asks again and reports what went wrong
  }

  async function fetchWeights(key, url, hash) {
    try {
      const started = early.get(absolute(url));
      early.delete(absolute(url));
      const { bytes, from } = await (started ? started.catch(() => load(key, url, hash)) : load(key, url, hash));
      window.spritesWeightsLog.push({ key, url, from, early: !!started });
      const accepted = toWasm('sprites_fetch_done', key, bytes);
      if (accepted && from === 'network' && !MOVING.has(key)) await keep(Module.ccall('sprites_weights_hash', 'string', ['string'], [key]), bytes);
    } catch (e) {
      call('sprites_fetch_failed', ['string', 'string'], [key, String(e.message || e)]);
    }
  }

  // Stored under the file's whole fnv1a64, as the core computed it when it accepted the file.
  async function keep(hash, bytes) {
    const cache = hash ? await cacheOpen().catch(() => null) : null;
    if (cache) await cache.put(cacheKey(hash), new Response(bytes)).catch((e) => console.warn('cache: ' + e));
  }

  // A sprite to make variations of, or a sheet the studio saved: the browser decodes it (any format
  // it reads), the core reads the pixels and, in the file's first bytes, the link a saved sheet keeps.
  async function openImage(file) {
    let rgba = null, w = 0, h = 0, head = null;
    try {
      head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
    } catch {
      head = null;  // the pixels may still read
    }
    try {
      const bitmap = await createImageBitmap(file, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
      [w, h] = [bitmap.width, bitmap.height];
      if (w * h > 4096 * 4096) throw new Error('too large');  // the core names the size
      const ctx = new OffscreenCanvas(w, h).getContext('2d');
      ctx.drawImage(bitmap, 0, 0);
      rgba = ctx.getImageData(0, 0, w, h).data;
    } catch {
      rgba = null;
    }
    try {
      inWasm(head?.length ? head : null, (t) => inWasm(rgba, (p) =>
        call('sprites_open_image', ['string', 'number', 'number', 'number', 'number', 'number'], [file.name, t, head?.length ?? 0, p, w, h])));
    } catch (e) {
      Module.ccall('sprites_weights_message', null, ['string'], [`${file.name}: ${e.message || e}`]);
    }
  }

  async function openFile(file) {
    if (file.type.startsWith('image/') || /\.png$/i.test(file.name)) return openImage(file);
    try {
      if (file.size > MAX_FILE) throw new Error(tooLarge);
      toWasm('sprites_open_file', file.name, new Uint8Array(await file.arrayBuffer()));
    } catch (e) {
      Module.ccall('sprites_weights_message', null, ['string'], [`${file.name}: ${e.message || e}`]);
    }
  }

  const picker = document.createElement('input');
  picker.type = 'file';
  picker.accept = '.safetensors,.pth,.png,image/*';  // weights, or a sprite to start variations from
  picker.style.display = 'none';
  picker.addEventListener('change', () => { if (picker.files[0]) openFile(picker.files[0]); picker.value = ''; });
  document.body.appendChild(picker);

  // SDL's Emscripten backend does not turn drops into SDL_DROPFILE: the page takes them.
  window.addEventListener('dragover', (e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; });
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    const file = e.dataTransfer && e.dataTransfer.files[0];
    if (file) openFile(file);
  });

  window.spritesWeightsLog = [];  // where each fetch was answered from (tests, curious users)
  window.spritesWeights = {
    startEarly,  // index.html, once it knows the page is not about to reload
    fetch: (key, url, hash) => { fetchWeights(key, url, hash); },
    clearCache: () => { if (self.caches) caches.delete(CACHE); },
    pickFile: () => picker.click(),
  };
})();
