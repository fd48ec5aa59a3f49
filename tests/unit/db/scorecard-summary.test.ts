/**
 * `scorecard_deployment_summary` stays exact under imports: after every import of a generated
 * sequence (new and changed exposure periods with software versions and downtime, new incidents,
 * incidents moved to another deployment or date), the table equals its recomputation from the raw
 * rows, and the scorecard read from it equals both the one read from that recomputation and the
 * one computed from the raw rows without any summary (the query it replaced).
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openTestDb, type TestDb } from '../../helpers/context.ts';
import { migrateLatest } from '../../../db/migrate.ts';
import { loadCatalog } from '../../../services/seed-catalog.ts';
import { importHistory } from '../../../services/imports.ts';
import { insertOrganization } from '../../../db/repositories/organizations.ts';
import { refreshScorecardSummary, SCORECARD_SUMMARY } from '../../../db/repositories/scorecard-summary.ts';
import { scorecardOrgRows, scorecardOrgRowsFromRawRows } from '../../../db/repositories/scorecard.ts';

let t: TestDb;
const DEPS = ['SD-0', 'SD-1', 'SD-2'];
beforeAll(async () => {
  t = await openTestDb();
  await migrateLatest(t.db);
  await loadCatalog(t.db);
  await insertOrganization(t.db, { ref: 'SO-1', name: 'One', kind: 'enterprise', province: 'Jiangsu' });
  await insertOrganization(t.db, { ref: 'SO-2', name: 'Two', kind: 'enterprise', province: 'Jiangsu' });
  const csv = 'deployment_ref,organization_ref,scenario_class,robot_model,units,autonomy_level,start_date,end_date\n'
    + 'SD-0,SO-1,manufacturing.welding_support,LMD-B300,2,supervised,2024-01-01,\n'
    + 'SD-1,SO-2,manufacturing.welding_support,LMD-W500,1,supervised,2024-01-01,\n'
    + 'SD-2,SO-2,maintenance.cleaning,LMD-B300,3,supervised,2024-01-01,\n';
  await importHistory(t.db, 'system', 'deployments', 'csv', Readable.from([csv]), 10);
}, 120_000);
afterAll(async () => { await t?.close(); });

const month = (m: number) => {
  const y = 2024 + Math.floor(m / 12);
  const mm = (m % 12) + 1;
  return [`${y}-${String(mm).padStart(2, '0')}-01`, new Date(Date.UTC(y, mm, 0)).toISOString().slice(0, 10)];
};

const exposureArb = fc.record({
  dep: fc.integer({ min: 0, max: 2 }), month: fc.integer({ min: 0, max: 7 }), hours: fc.integer({ min: 0, max: 4000 }),
  version: fc.constantFrom('', '1.0', '2.0'), downtime: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
});
const incidentArb = fc.record({ ref: fc.integer({ min: 0, max: 11 }), dep: fc.integer({ min: 0, max: 2 }), day: fc.integer({ min: 0, max: 300 }), severity: fc.integer({ min: 0, max: 5 }), injured: fc.boolean() });
const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('exposures' as const), rows: fc.uniqueArray(exposureArb, { minLength: 1, maxLength: 8, selector: (r) => `${r.dep}|${r.month}` }) }),
  fc.record({ kind: fc.constant('incidents' as const), rows: fc.uniqueArray(incidentArb, { minLength: 1, maxLength: 6, selector: (r) => r.ref }) }),
);

function csvOf(step: { kind: 'exposures' | 'incidents'; rows: readonly Record<string, unknown>[] }): string {
  if (step.kind === 'exposures') {
    return 'deployment_ref,period_start,period_end,operating_hours,task_cycles,protective_stops,near_misses,software_version,downtime_hours\n'
      + step.rows.map((r) => {
        const [s, e] = month(r.month as number);
        return `${DEPS[r.dep as number]},${s},${e},${(r.hours as number) / 10},${(r.hours as number) * 3},${(r.hours as number) % 7},${(r.hours as number) % 3},${r.version},${r.downtime ?? ''}`;
      }).join('\n') + '\n';
  }
  return 'incident_ref,deployment_ref,occurred_at,incident_type,severity_level,bodily_injury_count,status\n'
    + step.rows.map((r) => {
      const at = new Date(Date.UTC(2024, 0, 1 + (r.day as number), 23, 30)).toISOString();
      return `SI-${r.ref},${DEPS[r.dep as number]},${at},fall,${r.severity},${r.injured ? 1 : 0},closed`;
    }).join('\n') + '\n';
}

const summary = async (q = t.db) => (await q.raw(`select * from ${SCORECARD_SUMMARY} order by deployment_id, software_version nulls first`)).rows as Record<string, unknown>[];

/** The scorecard rows computed from the summary rebuilt from the raw rows (in a transaction rolled back). */
async function fromScratch<T>(read: (q: typeof t.db) => Promise<T>): Promise<T> {
  let out: T | undefined;
  await t.db.transaction(async (trx) => {
    await refreshScorecardSummary(trx, null);
    out = await read(trx as unknown as typeof t.db);
    throw new Error('rollback');
  }).catch((e: Error) => { if (e.message !== 'rollback') throw e; });
  return out!;
}

const sorted = <T extends object>(rows: T[]) => rows.sort((x, y) => (JSON.stringify(Object.values(x).slice(0, 5)) < JSON.stringify(Object.values(y).slice(0, 5)) ? -1 : 1));

const close = (a: unknown, b: unknown) => {
  expect(Object.keys(a as object)).toEqual(Object.keys(b as object));
  for (const [k, v] of Object.entries(a as object)) {
    const w = (b as Record<string, unknown>)[k];
    if (typeof v === 'number' && typeof w === 'number') expect(v, k).toBeCloseTo(w, 6);
    else expect(String(v), k).toEqual(String(w));
  }
};

describe('scorecard_deployment_summary', () => {
  it('equals its recomputation from the raw rows after every import (and so does the scorecard)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 4 }), async (steps) => {
      for (const step of steps) {
        try {
          await importHistory(t.db, 'system', step.kind, 'csv', Readable.from([csvOf(step)]), 10);
        } catch (e) {
          // a rejected file writes nothing (e.g. a period of 0 hours with downtime); the summary must still be exact
          expect((e as { code?: string }).code).toBe('IMPORT_REJECTED');
        }
        const kept = await summary();
        const fresh = await fromScratch(summary);
        expect(kept.length).toBe(fresh.length);
        kept.forEach((row, i) => close(row, fresh[i]));
        for (const bySoftwareVersion of [false, true]) {
          const a = sorted(await scorecardOrgRows(t.db, { bySoftwareVersion }));
          const b = sorted(await fromScratch((q) => scorecardOrgRows(q, { bySoftwareVersion })));
          expect(a.length).toBe(b.length);
          a.forEach((row, i) => close(row, b[i]));
          // and the computation from the raw rows that the summary replaced
          const raw = sorted(await scorecardOrgRowsFromRawRows(t.db, { bySoftwareVersion }));
          expect(a.length).toBe(raw.length);
          a.forEach((row, i) => close(row, raw[i]));
        }
      }
    }), { numRuns: 12 });
    expect((await summary()).length).toBeGreaterThan(0);
  }, 300_000);
});
