// `scripts/demo --weights RUN` beside a run still training into RUN: stages RUN again each time it
// changes, so the page, which asks for a "live" index again every few seconds
// (web/app/run_following.h), shows every new epoch. A new export or validation row is staged within seconds; the loss log,
// which grows every step, at most every 30 s (the curve's refresh). The staging is `sprites index`,
// as scripts/demo's first one: the files are checked by the core before the page may fetch them.
// A staging that fails prints one line and leaves the last one served. With --once it stages RUN
// into STAGE and exits, the CLI's lines printed and its failure the exit status: scripts/demo's
// first staging, which must be there before the server starts.
// Usage: node web/follow_run.mjs CLI RUN STAGE [--once]   (CLI: the wasm build's sprites-cli-st.js)
import { execFile } from 'node:child_process';
import { readdirSync, renameSync, rmSync, statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const CHECK_MS = 2000;
const CURVE_EVERY_MS = 30000;
const [cli, run, stage, mode] = process.argv.slice(2);
if (!stage || (mode !== undefined && mode !== '--once')) {
  console.error('usage: node web/follow_run.mjs CLI RUN STAGE [--once]');
  process.exit(2);
}
const staged = (line) => console.error(`[${new Date().toTimeString().slice(0, 8)}] ${run}: ${line}`);

// What the page's checkpoints depend on (exports, a course notebook's files, the validation rows),
// and, apart, the loss log's time.
function look() {
  const weights = [];
  let loss = 0;
  for (const name of readdirSync(run).sort()) {
    if (!/^(sprites_.+\.safetensors|model_\d+\.pth|val\.csv|loss\.csv)$/.test(name)) continue;
    const st = statSync(join(run, name), { throwIfNoEntry: false });
    if (!st) continue;  // gone between the listing and now
    if (name === 'loss.csv') loss = st.mtimeMs;
    else weights.push(`${name}:${st.size}:${st.mtimeMs}`);
  }
  return { weights: weights.join('\n'), loss };
}

// The run indexed into a folder of its own, then moved in: the files, the index, and last what the
// new index no longer lists (latest, once the run has written final). Returns what the index lists
// and what the CLI printed.
async function restage() {
  const next = `${stage}.next`;
  rmSync(next, { recursive: true, force: true });
  const { stdout, stderr } = await promisify(execFile)(process.execPath,
    ['--no-experimental-fetch', cli, 'index', next, '--from', run, '--share-by-url', '--live']);
  const files = readdirSync(next);
  for (const f of files) if (f !== 'index.json') renameSync(join(next, f), join(stage, f));
  renameSync(join(next, 'index.json'), join(stage, 'index.json'));
  for (const f of readdirSync(stage)) if (!files.includes(f)) rmSync(join(stage, f), { force: true });
  rmSync(next, { recursive: true, force: true });
  const index = JSON.parse(readFileSync(join(stage, 'index.json'), 'utf8'));
  return { listed: index.weights.map((w) => `${w.id} (epoch ${w.epoch})`).join(', '), printed: stdout + stderr };
}

if (mode === '--once') {
  try {
    process.stdout.write((await restage()).printed);
    process.exit(0);
  } catch (e) {
    process.stderr.write(e.stderr || `${e.message}\n`);
    process.exit(1);
  }
}

const parent = process.ppid;
let seen = null;
let curveAt = Date.now();
let failing = '';
for (;;) {
  if (process.ppid !== parent) process.exit(0);  // scripts/demo is gone
  let now;
  try {
    now = look();
  } catch (e) {
    now = null;
    if (failing !== e.message) staged(`cannot be read (${e.message}); the page keeps what it has`);
    failing = e.message;
  }
  if (now) {
    if (!seen) seen = now;  // scripts/demo staged this state a moment ago
    const weightsChanged = now.weights !== seen.weights;
    if (weightsChanged || (now.loss !== seen.loss && Date.now() - curveAt >= CURVE_EVERY_MS)) {
      seen = now;
      curveAt = Date.now();
      try {
        const { listed } = await restage();
        failing = '';
        if (weightsChanged) staged(`staged again: ${listed}`);
      } catch (e) {
        const line = String(e.stderr || e.message).trim().split('\n').pop();
        staged(`not staged again (${line}); the page keeps the last staging`);
      }
    }
  }
  await new Promise((ok) => setTimeout(ok, CHECK_MS));
}
