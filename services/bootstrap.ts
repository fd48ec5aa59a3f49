/**
 * First start: migrate, load the reference catalog, and (demo mode) demo organizations, a demo
 * validation history and one demo API key per role. Safe to run on every start: the catalog
 * is upserted, demo data and keys are created once (remembered in app_meta).
 */
import { Readable } from 'node:stream';
import type { Db } from '../db/connection.ts';
import { migrateLatest } from '../db/migrate.ts';
import { upsertOrganizations } from '../db/repositories/organizations.ts';
import { getMeta, setMeta } from '../db/repositories/meta.ts';
import { DEMO_ORGANIZATIONS } from '../seeds/catalog.ts';
import { loadCatalog } from './seed-catalog.ts';
import { generateDemoHistory } from '../seeds/generator.ts';
import { DEPLOYMENT_COLUMNS, EXPOSURE_COLUMNS, INCIDENT_COLUMNS, toCsv } from '../seeds/csv.ts';
import { ensureKey, generateKey } from './auth.ts';
import { importHistory } from './imports.ts';
import { setupDemoPricing } from './demo-pricing.ts';
import { setupDemoPolicies } from './demo-policies.ts';
import { ROLES, type Role } from '../domain/index.ts';

export interface BootstrapOptions {
  demo: boolean;
  /** With `demo`: also bind the demo policies (services/demo-policies.ts). The server and the CLI do; tests and benches opt in. */
  demoPolicies?: boolean;
  adminKey?: string;
}

export interface BootstrapResult {
  migrations: string[];
  firstStart: boolean;
  demoKeys: Partial<Record<Role, string>>;
  demoHistory?: { deployments: number; exposures: number; incidents: number };
  demoPricing?: Awaited<ReturnType<typeof setupDemoPricing>>;
  demoPolicies?: Awaited<ReturnType<typeof setupDemoPolicies>>;
}

/** The demo validation history as the three CSV files of the data contract. */
export function demoHistoryCsv(seed?: number) {
  const h = generateDemoHistory(seed === undefined ? {} : { seed });
  return {
    deployments: toCsv(h.deployments, DEPLOYMENT_COLUMNS),
    exposures: toCsv(h.exposures, EXPOSURE_COLUMNS),
    incidents: toCsv(h.incidents, INCIDENT_COLUMNS),
  };
}

export async function loadDemoHistory(db: Db) {
  await upsertOrganizations(db, DEMO_ORGANIZATIONS.map((o) => ({ ref: o.ref, name: o.name, kind: o.kind, province: o.province })));
  const files = demoHistoryCsv();
  const counts = { deployments: 0, exposures: 0, incidents: 0 };
  for (const kind of ['deployments', 'exposures', 'incidents'] as const) {
    const r = await importHistory(db, 'system', kind, 'csv', Readable.from([files[kind]]), 100);
    counts[kind] = r.rows;
  }
  return counts;
}

export async function bootstrap(db: Db, opts: BootstrapOptions): Promise<BootstrapResult> {
  const migrations = await migrateLatest(db);
  await loadCatalog(db);
  const firstStart = (await getMeta(db, 'initialized_at')) === undefined;
  const result: BootstrapResult = { migrations, firstStart, demoKeys: {} };
  if (opts.adminKey) await ensureKey(db, 'admin', opts.adminKey, 'bootstrap admin (ROBORISK_ADMIN_KEY)');
  if (firstStart && opts.demo) {
    result.demoHistory = await loadDemoHistory(db);
    result.demoPricing = await setupDemoPricing(db);
    const enterpriseRef = DEMO_ORGANIZATIONS.find((o) => o.kind === 'enterprise')!.ref;
    if (opts.demoPolicies) result.demoPolicies = await setupDemoPolicies(db, enterpriseRef);
    for (const role of ROLES) {
      const key = generateKey(role);
      await ensureKey(db, role, key, `demo ${role}`, role === 'enterprise' ? enterpriseRef : undefined);
      result.demoKeys[role] = key;
    }
  }
  if (firstStart) await setMeta(db, 'initialized_at', new Date().toISOString());
  return result;
}
