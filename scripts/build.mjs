#!/usr/bin/env node
/**
 * `npm run build`: compiles the server, the CLI entry points (bin/) and everything they import
 * to dist/ (tsc -p tsconfig.build.json, incremental), then writes dist/.build-stamp; then builds
 * the web console (web/, Vite) into dist/web/ with its own stamp dist/web/.build-stamp.
 * `--if-stale` (the `prestart` hook): builds each part only when one of its sources is newer than
 * its stamp, so a no-op `npm start` costs two directory walks, not a compiler run.
 * `--web-only`: only the console (the browser tests build it this way). Plain JavaScript on
 * purpose: it runs before anything is compiled.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = path.join(root, 'dist', '.build-stamp');
/** What the build reads: the source folders (tests/ and bench/ are not built) and its configuration. */
const SOURCES = ['api', 'bin', 'config', 'db', 'domain', 'models', 'reports', 'rules', 'seeds', 'services'];
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
const WEB_STAMP = path.join(root, 'dist', 'web', '.build-stamp');
const WEB_SOURCES = ['web'];
const WEB_CONFIGS = ['package-lock.json'];

const mtime = (file) => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
};

/** Newest mtime under `dir`, directories included (adding, removing or renaming a file touches its folder). */
function newest(dir) {
  let max = mtime(dir);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? newest(p) : mtime(p));
  }
  return max;
}

function isStale(stamp, sources, configs) {
  const built = mtime(stamp);
  if (built === 0) return true;
  const newestSource = Math.max(...configs.map((f) => mtime(path.join(root, f))), ...sources.map((d) => newest(path.join(root, d))));
  return newestSource > built;
}

/** Runs a Node.js tool of node_modules; exits with its status when it fails. */
function run(what, script, args) {
  const started = Date.now();
  console.error(`building ${what}…`);
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', ...script), ...args], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    console.error(r.error ? `build failed: ${r.error.message}` : `build of ${what} failed (see the errors above)`);
    process.exit(r.status || 1);
  }
  console.error(`built ${what} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const ifStale = process.argv.includes('--if-stale');
const webOnly = process.argv.includes('--web-only');

if (!webOnly && (!ifStale || isStale(STAMP, SOURCES, CONFIGS))) {
  run('dist/ (tsc -p tsconfig.build.json)', ['typescript', 'bin', 'tsc'], ['-p', path.join(root, 'tsconfig.build.json')]);
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}
if (!ifStale || isStale(WEB_STAMP, WEB_SOURCES, WEB_CONFIGS)) {
  // the console's JavaScript and CSS (web/ → dist/web/); vite empties dist/web/ first
  run('the web console (vite build web → dist/web)', ['vite', 'bin', 'vite.js'], ['build', '--config', path.join(root, 'web', 'vite.config.ts'), '--logLevel', 'warn']);
  writeFileSync(WEB_STAMP, `${new Date().toISOString()}\n`);
}
