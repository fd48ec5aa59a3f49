import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (the folder holding package.json). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Reference data sets and the values R computes on them (`tests/fixtures/reference/`, produced by
 * its `generate.R`; provenance in its README.md). They live in the repository, so a fresh clone
 * runs every test without anything beside it.
 */
export const referenceDir = path.join(repoRoot, 'tests', 'fixtures', 'reference');

export function referencePath(file: string): string {
  return path.join(referenceDir, file);
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
