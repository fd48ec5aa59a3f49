#!/usr/bin/env node
// The package's `roborisk` command (package.json "bin"): the built CLI (dist/bin/cli.js, made by
// `npm run build` or the first `npm start`) when it exists, else bin/cli.ts through tsx (a
// development dependency). From a clone, `npm run cli -- <command> …` runs the TypeScript directly.
import { existsSync } from 'node:fs';

const built = new globalThis.URL('../dist/bin/cli.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./cli.ts');
}
