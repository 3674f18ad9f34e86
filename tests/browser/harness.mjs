// Shared by the browser tests: serves the built page (COOP/COEP) and drives Debian's headless
// chromium through playwright-core. Never downloads a browser.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const root = resolve(import.meta.dirname, '../..');
export const pageDir = process.env.SPRITES_PAGE_DIR ?? join(root, 'build/web/web');
export const shotDir = process.env.SPRITES_SCREENSHOTS ?? join(root, 'build/web/screenshots');

const chromiumArgs = ['--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  '--disable-quic'];  // playwright gives each launch a fresh temporary profile

// Starts scripts/demo's server on `dir` as its own process; returns { base, port, process, stderr() }.
export async function startServer(dir = pageDir) {
  const port = 18000 + Math.floor(Math.random() * 20000);
  const server = spawn(process.execPath, [join(root, 'web/serve.mjs'), dir, String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  server.stderr.on('data', (d) => { err += d; process.stderr.write(d); });
  await new Promise((ok, fail) => {
    server.stdout.once('data', ok);
    server.once('exit', (code) => fail(new Error(`server exited with ${code}`)));
  });
  return { base: `http://127.0.0.1:${port}`, port, process: server, stderr: () => err };
}

export function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs, timeout: 60000 });
}

// Starts the server and the browser; returns { base, browser, close }.
export async function startHarness() {
  const server = await startServer();
  const browser = await launchBrowser();
  mkdirSync(shotDir, { recursive: true });
  return {
    base: server.base,
    browser,
    close: async () => { await browser.close(); server.process.kill(); },
  };
}

// Opens a page and waits until the runtime answers and a few frames are drawn.
export async function openPage(h, query, options = {}) {
  const page = await h.browser.newPage({ viewport: { width: 1100, height: 700 }, ...options });
  const logs = [];
  page.on('console', (m) => logs.push(m.text()));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  await page.goto(`${h.base}/${query}`);
  await page.waitForFunction(() => window.spritesStatus && window.spritesStatus().frames >= 5, null, { timeout: 60000 })
    .catch((e) => { throw new Error(`page never became ready: ${e.message}\n${logs.join('\n')}`); });
  return { page, logs, status: () => page.evaluate(() => window.spritesStatus()) };
}

// Waits until the current generation has finished; returns the status then.
export async function waitForGeneration(page, timeout = 120000) {
  await page.waitForFunction(() => {
    const s = window.spritesStatus();
    return s.generations >= 1 && !s.generating;
  }, null, { timeout, polling: 100 });
  return page.evaluate(() => window.spritesStatus());
}
