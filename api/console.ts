/**
 * The web console (web/, built by scripts/build.mjs into dist/web/): `index.html` at `/` and the
 * client-side pages under `/#/…`, its hashed assets under `/assets/` (cached for a year). When the
 * console has not been built (tests of the API alone), `/` leads to the API docs (302 to /docs) and
 * says in a header how to build the console: not a fault of the server, so never a 5xx.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import { defaultCjkFontFiles } from '../reports/pdf-common.ts';

/** The repository root: the nearest folder above this file holding package.json (source or dist/). */
function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return dir;
}

export const DEFAULT_CONSOLE_DIR = path.join(repoRoot(), 'dist', 'web');

export function consoleRouter(dir: string = DEFAULT_CONSOLE_DIR): Router {
  const router = express.Router();
  const index = path.join(dir, 'index.html');
  router.get('/', (_req, res) => {
    if (!existsSync(index)) {
      res.setHeader('X-Console', 'not built: run `npm run build` (npm start does it)');
      res.redirect(302, '/docs');
      return;
    }
    // the page names its hashed assets: always revalidated, so a new build is seen at once
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(readFileSync(index));
  });
  router.use('/assets', express.static(path.join(dir, 'assets'), { index: false, immutable: true, maxAge: '365d', fallthrough: true }));
  router.get('/favicon.svg', express.static(dir, { index: false, maxAge: '1d' }));
  // the console's face for Chinese names when the system has none (web/src/styles.css, unicode-range
  // CJK only: fetched only by a page showing Chinese text, and only without a local CJK font)
  const hans = defaultCjkFontFiles().regular;
  router.get('/fonts/hans-regular.otf', (_req, res) => { res.sendFile(hans, { maxAge: '30d', headers: { 'Content-Type': 'font/otf' } }); });
  return router;
}
