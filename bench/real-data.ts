/**
 * Large real data sets for benchmarks. They are not in the repository (tens of MB, from
 * GPL-licensed R packages), so a benchmark that needs one takes its location from an environment
 * variable, by default the `shared/fixtures/real/` folder beside the repository, and is skipped
 * — with one line saying what and where to get the data, exit code 0 — when the file is absent.
 * Tests never need these files.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface RealDataSet {
  /** Environment variable holding the file's path (relative paths: from the working directory). */
  readonly env: string;
  /** File name in the default folder `shared/fixtures/real/` beside the repository. */
  readonly file: string;
  /** What is skipped without the file, e.g. "GLM benchmark (bench/glm.bench.ts)". */
  readonly skipped: string;
  /** Where to get the data. */
  readonly source: string;
}

/** The data file's path, or — when it does not exist — one explanatory line and `exit(0)`. */
export function realDataFile(set: RealDataSet): string {
  const file = path.resolve(process.env[set.env] || path.join(repoRoot, '..', 'shared', 'fixtures', 'real', set.file));
  if (existsSync(file)) return file;
  console.log(`${set.skipped} skipped: ${file} not found; set ${set.env} to the file (${set.source}; see bench/README.md).`);
  process.exit(0);
}

/** French motor TPL frequency portfolio, 678,013 policies (gzip-compressed CSV). */
export const FRE_MTPL2_FREQ: RealDataSet = {
  env: 'ROBORISK_MTPL_FREQ',
  file: 'freMTPL2freq.csv.gz',
  skipped: 'GLM benchmark (bench/glm.bench.ts)',
  source: 'freMTPL2freq: OpenML data set 41214 or R package CASdatasets, as a gzipped CSV',
};
