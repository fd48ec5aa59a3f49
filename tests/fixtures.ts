import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (the folder holding package.json). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** `../shared` beside the repository, or ROBORISK_SHARED_DIR. */
// eslint-disable-next-line no-restricted-properties -- test helper, not application config
export const sharedDir = process.env.ROBORISK_SHARED_DIR ?? path.resolve(repoRoot, '..', 'shared');

export function referencePath(file: string): string {
  return path.join(sharedDir, 'fixtures', 'reference', file);
}

export function readReferenceJson<T = any>(file: string): T {
  return JSON.parse(readFileSync(referencePath(file), 'utf8')) as T;
}

/** Parses a small reference CSV (header row, comma separated, optional double quotes). */
export function readReferenceCsv(file: string): Record<string, string>[] {
  const lines = readFileSync(referencePath(file), 'utf8').trim().split(/\r?\n/);
  const split = (l: string) => l.split(',').map((s) => s.replace(/^"|"$/g, ''));
  const header = split(lines[0]);
  return lines.slice(1).map((l) => {
    const cells = split(l);
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  });
}
