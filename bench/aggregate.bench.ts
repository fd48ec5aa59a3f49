/**
 * Aggregate-loss benchmark: compound Poisson(λ = 50)–lognormal(8, 1.1) on a 2^16-point lattice
 * (step 25, up to 1,638,375 ≈ mean + 19 sd), severity discretised with the unbiased method.
 * Times models/aggregate's Panjer recursion and FFT against R actuar::aggregateDist("recursive")
 * (C code) in the same run and compares the distributions (max |ΔF|).
 *   node --import tsx bench/aggregate.bench.ts      (or: npm run bench -- aggregate)
 * R is optional: without Rscript + actuar the R part is skipped with a message.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compoundFft, discretize, panjer, type AggregateDistribution } from '../models/aggregate/index.ts';
import { lognormal } from '../models/distributions/lognormal.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const lambda = 50;
const meanlog = 8;
const sdlog = 1.1;
const step = 25;
const n = 1 << 16;
const ms = (t: number) => `${t.toFixed(1)} ms`;

function best<T>(runs: number, f: () => T): { value: T; ms: number } {
  let value = f();
  let tBest = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    value = f();
    tBest = Math.min(tBest, performance.now() - t0);
  }
  return { value, ms: tBest };
}

function maxCdfDiff(a: Float64Array, b: Float64Array): number {
  let ca = 0;
  let cb = 0;
  let m = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    ca += a[i];
    cb += b[i];
    m = Math.max(m, Math.abs(ca - cb));
  }
  return m;
}

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node.js ${process.version}`);
console.log(`model: Poisson(${lambda}) × lognormal(${meanlog}, ${sdlog}), lattice ${n} points, step ${step} (to ${(n - 1) * step})`);
const sev = lognormal({ meanlog, sdlog });
const disc = best(3, () => discretize(sev, { method: 'unbiased', from: 0, to: (n - 1) * step, step }));
const fx = disc.value;
console.log(`TS discretize (unbiased, ${fx.probabilities.length} points): ${ms(disc.ms)}`);
// warm-up on a smaller lattice so the recursion loop is optimised before timing
panjer({ from: 0, step, probabilities: fx.probabilities.subarray(0, 4096) }, { dist: 'poisson', lambda }, { length: 4096 });
const pj = best(2, () => panjer(fx, { dist: 'poisson', lambda }, { length: n }));
const ff = best(5, () => compoundFft(fx, { dist: 'poisson', lambda }, { length: n, padding: 4 }));
const exact = lambda * Math.exp(meanlog + (sdlog * sdlog) / 2);
const show = (name: string, S: AggregateDistribution, t: number) =>
  console.log(`TS ${name}: ${ms(t)}; mass ${S.totalMass.toFixed(12)}, mean ${S.mean.toFixed(4)} (exact ${exact.toFixed(4)}), VaR99.5 ${S.VaR(0.995)}, TVaR99.5 ${S.TVaR(0.995).toFixed(2)}`);
show('Panjer', pj.value, pj.ms);
show('FFT (4× zero-padding)', ff.value, ff.ms);
console.log(`TS Panjer vs TS FFT: max |ΔF| = ${maxCdfDiff(pj.value.probabilities, ff.value.probabilities).toExponential(2)}`);

const rs = spawnSync('Rscript', ['--version'], { encoding: 'utf8' });
if (rs.error || rs.status !== 0) {
  console.log('Rscript not found: R comparison skipped (apt-get install -y r-base-core r-cran-actuar).');
} else {
  const dir = mkdtempSync(path.join(tmpdir(), 'agg-bench-'));
  const out = path.join(dir, 'fs.bin');
  const r = spawnSync('Rscript', [path.join(here, 'r', 'aggregate.R'), String(lambda), String(meanlog), String(sdlog), String(step), String(n), out], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(`R run failed (is r-cran-actuar installed?): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  } else {
    const kv = Object.fromEntries(r.stdout.trim().split('\n').map((l) => l.split(',') as [string, string]));
    const buf = readFileSync(out);
    const fsR = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
    const rMs = Number(kv.recursive_s) * 1000;
    console.log(`R ${kv.r} actuar ${kv.version} discretize: ${ms(Number(kv.discretize_s) * 1000)}; aggregateDist("recursive"): ${ms(rMs)}, ${kv.length} points, mean ${Number(kv.mean).toFixed(4)}`);
    console.log(`TS Panjer vs actuar recursive: max |ΔF| = ${maxCdfDiff(pj.value.probabilities, fsR).toExponential(2)}; time ratio TS/R = ${(pj.ms / rMs).toFixed(3)}`);
    console.log(`TS FFT    vs actuar recursive: max |ΔF| = ${maxCdfDiff(ff.value.probabilities, fsR).toExponential(2)}; time ratio TS/R = ${(ff.ms / rMs).toFixed(4)} (${(rMs / ff.ms).toFixed(0)}× faster)`);
  }
  rmSync(dir, { recursive: true, force: true });
}
