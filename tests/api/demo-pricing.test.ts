/**
 * The first start's demo pricing (services/demo-pricing.ts) on a history whose claims show no
 * overdispersion: θ̂ of the negative binomial runs off to infinity, and the first start used to
 * fail with the fit's 422. It falls back to Poisson (the NB2 limit θ → ∞) for such coverages.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/context.ts';
import { migrateLatest } from '../../db/migrate.ts';
import { loadCatalog } from '../../services/seed-catalog.ts';
import { insertOrganization } from '../../db/repositories/organizations.ts';
import { importHistory } from '../../services/imports.ts';
import { setupDemoPricing } from '../../services/demo-pricing.ts';
import { fitFrequencyModel } from '../../services/model-versions.ts';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
  await migrateLatest(t.db);
  await loadCatalog(t.db);
  await insertOrganization(t.db, { ref: 'ORG-P', name: 'Poisson Works', kind: 'enterprise', province: 'Jiangsu' });
}, 120_000);
afterAll(async () => { await t?.close(); });

const load = (kind: 'deployments' | 'exposures' | 'incidents', lines: string[]) =>
  importHistory(t.db, 'system', kind, 'csv', Readable.from([`${lines.join('\n')}\n`]), 100);

describe('demo pricing on claims without overdispersion', () => {
  it('fits Poisson where the negative binomial θ̂ diverges, and activates a plan', async () => {
    // two deployments, 12 months each, exactly one claim under every coverage in every month
    const deps = ['P-1', 'P-2'];
    await load('deployments', ['deployment_ref,organization_ref,province,scenario_class,robot_model,units,autonomy_level,start_date,end_date',
      ...deps.map((d) => `${d},ORG-P,Jiangsu,manufacturing.quality_inspection,LMD-B300,2,supervised,2025-01-01,2025-12-31`)]);
    const months = Array.from({ length: 12 }, (_, k) => String(k + 1).padStart(2, '0'));
    const last = (m: string) => new Date(Date.UTC(2025, Number(m), 0)).getUTCDate();
    await load('exposures', ['deployment_ref,period_start,period_end,operating_hours',
      ...deps.flatMap((d) => months.map((m) => `${d},2025-${m}-01,2025-${m}-${last(m)},300`))]);
    await load('incidents', ['incident_ref,deployment_ref,occurred_at,incident_type,severity_level,robot_damage,third_party_property_damage,business_interruption_cost,downtime_hours,status,paid',
      ...deps.flatMap((d, i) => months.map((m, k) => {
        const amount = 1000 * (1 + ((7 * k + 3 * i) % 11));
        return `I-${d}-${m},${d},2025-${m}-10T08:00:00Z,collision_property,2,${amount},${amount / 2},${amount / 4},2,closed,${amount * 1.75}`;
      }))]);
    // the NB fit itself does fail (or stops at an astronomic θ) on these data
    const nb = await fitFrequencyModel(t.db, 'system', { coverage: 'robot_damage', factors: ['scenario_area', 'autonomy_level', 'human_proximity'], family: 'negative_binomial' })
      .then((m) => (m as { theta?: number }).theta ?? 0, (e: { status?: number }) => (e.status === 422 ? Infinity : Promise.reject(e)));
    expect(nb).toBeGreaterThan(1e4);

    const plan = await setupDemoPricing(t.db);
    for (const ref of Object.values(plan.coverages)) {
      const m = await t.db('model_versions').where({ id: ref.frequency_model_id }).first();
      expect(m.spec.family).toBe('poisson');
      expect(m.status).toBe('active');
    }
    expect((await t.db('rating_plans').where({ id: plan.plan_id }).first()).status).toBe('active');
  });
});
