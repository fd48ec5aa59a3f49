/**
 * The scorecard on the demo history (seeds/README.md): it recovers the generator's true ordering
 * of robot models within each class wherever the 95% intervals separate two models, and the
 * effect of the software update (true factor 0.5 for LMD-W200 2.0).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/context.ts';
import { migrateLatest } from '../../db/migrate.ts';
import { loadCatalog } from '../../services/seed-catalog.ts';
import { loadDemoHistory } from '../../services/bootstrap.ts';
import { fullScorecard } from '../../services/scorecard.ts';
import { generateDemoHistory } from '../../seeds/generator.ts';
import { SOFTWARE, softwareRateFactor, trueRatePer1000h } from '../../seeds/true-parameters.ts';
import { ratePer1000Hours } from '../../models/statistics/index.ts';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
  await migrateLatest(t.db);
  await loadCatalog(t.db);
  await loadDemoHistory(t.db);
}, 240_000);
afterAll(async () => { await t?.close(); });

const H = generateDemoHistory();
const dep = new Map(H.deployments.map((d) => [d.deployment_ref, d]));
/** True expected incidents and hours per key, from the generator's parameters. */
function truth(keyOf: (d: (typeof H.deployments)[number], version: string) => string, withSoftware: boolean) {
  const m = new Map<string, { h: number; mu: number }>();
  for (const e of H.exposures) {
    const d = dep.get(e.deployment_ref)!;
    const k = keyOf(d, e.software_version);
    const c = m.get(k) ?? { h: 0, mu: 0 };
    c.h += e.operating_hours;
    c.mu += (e.operating_hours / 1000) * trueRatePer1000h(d.scenario_class, d.autonomy_level) * (withSoftware ? softwareRateFactor(d.robot_model, e.software_version) : 1);
    m.set(k, c);
  }
  return m;
}

describe('scorecard on the demo history', () => {
  it('orders the robot models of each class as the true rates do wherever the 95% intervals separate them', async () => {
    const s = await fullScorecard(t.db, { level: 'scenario_class', by_software_version: false });
    const tr = truth((d) => `${d.robot_model}|${d.scenario_class}`, true);
    const byClass = new Map<string, typeof s.cells>();
    for (const c of s.cells) byClass.set(c.scenario_class!, [...(byClass.get(c.scenario_class!) ?? []), c]);
    // The demo's true rates differ between the models of a class by the autonomy mix of their
    // deployments and by the software update only; the exposure periods carry a gamma random
    // effect (NB2, θ = 4), so exact Poisson intervals are a little narrow and models whose true
    // rates are within 10% (a tie for practical purposes) can separate. Those pairs are counted,
    // not judged; every separated pair with a real difference must be in the true order.
    let separated = 0;
    let ties = 0;
    for (const cells of byClass.values()) {
      for (const a of cells) {
        for (const b of cells) {
          if (a.ci_high === null || b.ci_low === null || !(a.ci_high < b.ci_low)) continue;
          const ta = tr.get(`${a.robot_model}|${a.scenario_class}`)!;
          const tb = tr.get(`${b.robot_model}|${b.scenario_class}`)!;
          const ra = ta.mu / ta.h;
          const rb = tb.mu / tb.h;
          if (Math.abs(ra - rb) < 0.1 * Math.max(ra, rb)) { ties++; continue; }
          separated++;
          expect(ra, `${a.robot_model} < ${b.robot_model} in ${a.scenario_class}`).toBeLessThan(rb);
        }
      }
    }
    expect(separated).toBeGreaterThanOrEqual(10);
    expect(ties).toBeLessThan(separated);
    // the true rate lies inside the exact interval for most cells
    const inside = s.cells.filter((c) => {
      const x = tr.get(`${c.robot_model}|${c.scenario_class}`)!;
      const r = (x.mu / x.h) * 1000;
      return c.ci_low! <= r && r <= c.ci_high!;
    }).length;
    expect(inside / s.cells.length).toBeGreaterThan(0.85);
  });

  it('recovers the software update: rate ratio of version 2.0 to 1.0, adjusted for class and autonomy, near the true factor', async () => {
    const s = await fullScorecard(t.db, { level: 'scenario_class', by_software_version: true });
    const base = truth((d, v) => `${d.robot_model}|${d.scenario_class}|${v}`, false); // expected without the update
    for (const u of SOFTWARE.updates) {
      const sum = (v: string) => s.cells.filter((c) => c.robot_model === u.robot_model && c.software_version === v)
        .reduce((acc, c) => ({ n: acc.n + c.incidents, mu: acc.mu + base.get(`${c.robot_model}|${c.scenario_class}|${v}`)!.mu }), { n: 0, mu: 0 });
      const v1 = sum(SOFTWARE.base_version);
      const v2 = sum(u.version);
      // standardised incidence ratios O/E of each version; their ratio estimates the update's factor
      const ratio = (v2.n / v2.mu) / (v1.n / v1.mu);
      expect(Math.abs(ratio - u.incident_rate_factor), `${u.robot_model}: ${ratio}`).toBeLessThan(0.15);
      // and version 2.0's SIR interval lies below 1 (the update is detected)
      const ci = ratePer1000Hours(v2.n, v2.mu * 1000);
      expect(ci.upper / 1000 * (v1.mu / v1.n)).toBeLessThan(1);
    }
    // models without an update run 1.0 only
    expect(s.cells.filter((c) => c.software_version === '2.0').every((c) => SOFTWARE.updates.some((u) => u.robot_model === c.robot_model))).toBe(true);
  });
});
