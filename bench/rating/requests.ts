/**
 * The recorded comparison set of the rating engine: the three re-rating fixtures' stored inputs
 * (tests/fixtures/rerating) and deterministic variations of their fleets (units, hours,
 * deductibles, limits, aggregate limits), so that old and new code paths can be run on the
 * same requests in the same process (bench/rating/compare.ts, tests/unit/rating-lattice-cache.test.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RatingInputs } from '../../services/pricing.ts';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'tests', 'fixtures', 'rerating');
const NAMES = ['readme-example', 'multi-line-fleet', 'aggregate-limit-binds'] as const;

/** Stored inputs of the three fixtures. */
export function fixtureInputs(): RatingInputs[] {
  return NAMES.map((n) => JSON.parse(readFileSync(path.join(dir, `${n}.worksheet.json`), 'utf8')).worksheet.inputs as RatingInputs);
}

/** Park–Miller generator: the same variations on every run. */
function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 48271) % 2147483647) / 2147483647;
}

type Req = RatingInputs['request'];

/**
 * `count` variations of the fixtures: units 1–40 and 500–6,000 hours per line (as the varied
 * quote bench), and on every third request other deductibles / limits / aggregate limits
 * drawn from a small menu (as real quotes reuse a few of them).
 */
export function variedInputs(count: number, seed = 12): RatingInputs[] {
  const base = fixtureInputs();
  const r = lcg(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const out: RatingInputs[] = [];
  for (let i = 0; i < count; i++) {
    const b = base[i % base.length];
    const req = structuredClone(b.request) as Req;
    const fleet = req.fleet.map((l) => ({ ...l, units: int(1, 40), operating_hours_per_unit: int(5, 60) * 100 }));
    let coverages = req.coverages;
    if (i % 3 === 2) {
      coverages = coverages.map((c) => ({
        ...c,
        deductible: [0, 1000, 2000, 5000, 10000][int(0, 4)],
        per_occurrence_limit: [100000, 300000, 1000000, 2000000][int(0, 3)],
        ...(c.aggregate_limit !== undefined ? { aggregate_limit: [1000000, 2000000, 5000000][int(0, 2)] } : {}),
      }));
    }
    out.push({ ...b, request: { ...req, fleet, coverages } as Req });
  }
  return out;
}
