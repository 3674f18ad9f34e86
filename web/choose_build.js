// Which build the page runs. The pthread build needs SharedArrayBuffer, which browsers give only to
// cross-origin isolated pages (COOP/COEP headers). A host that cannot send them (GitHub Pages, a
// plain file server) gets them from a service worker, npm's coi-serviceworker, which adds them to
// every answer it passes on: the first visit registers it and reloads once, later visits are
// isolated from the start. Where that cannot work the single-thread build runs. ?build=st|mt
// overrides the choice (and registers nothing).
const ISOLATION_WORKER = 'coi-serviceworker.js';
const RELOAD_MARK = 'sprites-isolation-reload';  // sessionStorage: a reload we made that has not led to isolation yet

// Resolves to 'st' or 'mt'; never resolves when it reloads the page instead.
async function spritesChooseBuild(forced, say) {
  if (forced === 'st' || forced === 'mt') return forced;
  const marked = reloadMark('getItem') !== null;
  reloadMark('removeItem');
  if (self.crossOriginIsolated) return 'mt';
  const workers = navigator.serviceWorker;
  // A worker that already controls the page without isolating it means this browser will not
  // isolate that way; a reload of ours that did not end up controlled would only repeat.
  if (!workers || !self.isSecureContext || workers.controller || marked) return 'st';
  try {
    say('Starting the service worker that lets the page use threads...');
    const registration = await workers.register(ISOLATION_WORKER);
    await activated(registration);
  } catch (e) {
    console.log(`No isolation through ${ISOLATION_WORKER} (${e.message}): single-thread build`);
    return 'st';
  }
  say('Reloading once to run with threads...');
  // Without storage (blocked by the browser's settings) a failed reload could repeat: stay single-thread.
  if (reloadMark('setItem', '1') === undefined) return 'st';
  location.reload();
  return new Promise(() => {});
}

// sessionStorage[op](RELOAD_MARK, ...), or undefined where storage is blocked (it throws then).
function reloadMark(op, ...value) {
  try {
    return sessionStorage[op](RELOAD_MARK, ...value) ?? null;
  } catch {
    return undefined;
  }
}

function activated(registration) {
  const worker = registration.installing || registration.waiting || registration.active;
  if (!worker) return Promise.reject(new Error('no worker registered'));
  return new Promise((resolve, reject) => {
    const check = () => {
      if (worker.state === 'activated') resolve();
      else if (worker.state === 'redundant') reject(new Error('the worker was discarded'));
    };
    worker.addEventListener('statechange', check);
    check();
  });
}
