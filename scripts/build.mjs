#!/usr/bin/env node
/**
 * `npm run build`: compiles the server, the CLI entry points (bin/) and everything they import
 * to dist/ (tsc -p tsconfig.build.json, incremental), then writes dist/.build-stamp.
 * `--if-stale` (the `prestart` hook): builds only when a source is newer than that stamp, so a
 * no-op `npm start` costs one directory walk, not a compiler run. Plain JavaScript on purpose:
 * it runs before anything is compiled.
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

function isStale() {
  const built = mtime(STAMP);
  if (built === 0) return true;
  const sources = Math.max(...CONFIGS.map((f) => mtime(path.join(root, f))), ...SOURCES.map((d) => newest(path.join(root, d))));
  return sources > built;
}

if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);

console.error('building dist/ (tsc -p tsconfig.build.json)…');
const started = Date.now();
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) {
  console.error(r.error ? `build failed: ${r.error.message}` : 'build failed (see the compiler errors above)');
  process.exit(r.status || 1);
}
writeFileSync(STAMP, `${new Date().toISOString()}\n`);
console.error(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
