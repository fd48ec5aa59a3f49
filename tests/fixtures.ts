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

/** The reference value files, each typed as TypeScript reads its JSON (resolveJsonModule). */
export interface ReferenceFiles {
  'aggregate-poisson-gamma-risk-vignette.expected.json': typeof import('./fixtures/reference/aggregate-poisson-gamma-risk-vignette.expected.json');
  'aggregate-poisson-lognormal.expected.json': typeof import('./fixtures/reference/aggregate-poisson-lognormal.expected.json');
  'coinsurance.expected.json': typeof import('./fixtures/reference/coinsurance.expected.json');
  'danish-fire.expected.json': typeof import('./fixtures/reference/danish-fire.expected.json');
  'discretize-narrow.expected.json': typeof import('./fixtures/reference/discretize-narrow.expected.json');
  'hachemeister-unbalanced.expected.json': typeof import('./fixtures/reference/hachemeister-unbalanced.expected.json');
  'hachemeister.expected.json': typeof import('./fixtures/reference/hachemeister.expected.json');
  'limited-expected-values.expected.json': typeof import('./fixtures/reference/limited-expected-values.expected.json');
  'mass-insurance.expected.json': typeof import('./fixtures/reference/mass-insurance.expected.json');
  'mass-quine.expected.json': typeof import('./fixtures/reference/mass-quine.expected.json');
  'gamma-large.expected.json': typeof import('./fixtures/reference/gamma-large.expected.json');
  'scorecard.expected.json': typeof import('./fixtures/reference/scorecard.expected.json');
}

export function readReferenceJson<F extends keyof ReferenceFiles>(file: F): ReferenceFiles[F] {
  return JSON.parse(readFileSync(referencePath(file), 'utf8')) as ReferenceFiles[F];
}

/** A fixture's parameter object (JSON types each distribution's own keys) as a name → number map. */
export const numericParams = (p: object): Record<string, number> =>
  Object.fromEntries(Object.entries(p).filter((e): e is [string, number] => typeof e[1] === 'number'));

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
