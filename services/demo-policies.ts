/**
 * Demo policies (issue 14): on a fresh demo installation, the first demo enterprise holds an
 * annual policy and a pay-per-use policy over the second half of the demo history
 * (2025-07-01..2026-06-30), bound with identified units whose deployments name them, the
 * pay-per-use line linked to its deployment and billed from its imported exposures, so the
 * console, the binder and the statement PDFs show them. Deterministic: fixed dates, fixed
 * serial numbers, the demo models. Everything goes through the services an underwriter uses,
 * audited as `cli:demo`.
 */
import { Readable } from 'node:stream';
import type { Db } from '../db/connection.ts';
import type { Principal } from '../domain/index.ts';
import { QuoteRequest } from '../domain/schemas/index.ts';
import { importHistory } from './imports.ts';
import { createQuote, decideQuote, getQuote } from './quotes.ts';
import { bindQuote } from './policies.ts';
import { listSubjectivities, updateSubjectivity } from './subjectivities.ts';
import { setLineDeployments } from './policy-statements.ts';

export const DEMO_POLICY_PERIOD = { start: '2025-07-01', end: '2026-06-30' };
const ANNUAL_SERIALS = ['DEMO-B300-0001', 'DEMO-B300-0002', 'DEMO-B300-0003', 'DEMO-B300-0004'];
const PPU_SERIALS = ['DEMO-W200-0001', 'DEMO-W200-0002', 'DEMO-W200-0003'];

const underwriter: Principal = { keyId: null, role: 'underwriter', organizationId: null, organizationRef: null, label: 'demo policies', operator: 'demo' };

const csv = (rows: string[][]) => Readable.from([`${rows.map((r) => r.join(',')).join('\n')}\n`]);

/** Two deployments of the enterprise naming the insured units, with monthly exposures over the period. */
async function importDemoDeployments(db: Db, organizationRef: string) {
  await importHistory(db, 'system', 'deployments', 'csv', csv([
    ['deployment_ref', 'organization_ref', 'province', 'scenario_class', 'robot_model', 'units', 'autonomy_level', 'start_date', 'end_date', 'serial_numbers'],
    ['DEMO-POL-ASSEMBLY', organizationRef, 'Guangdong', 'manufacturing.assembly', 'LMD-B300', '4', 'supervised', DEMO_POLICY_PERIOD.start, '', ANNUAL_SERIALS.join(';')],
    ['DEMO-POL-PICKING', organizationRef, 'Guangdong', 'warehousing_logistics.picking', 'LMD-W200', '3', 'supervised', DEMO_POLICY_PERIOD.start, '', PPU_SERIALS.join(';')],
  ]), 10);
  const months = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2025, 6 + i, 1)));
  const last = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
  await importHistory(db, 'system', 'exposures', 'csv', csv([
    ['deployment_ref', 'period_start', 'period_end', 'operating_hours', 'task_cycles', 'protective_stops', 'near_misses'],
    // the picking robots run more in the peak season (November, December)
    ...months.map((d, i) => ['DEMO-POL-PICKING', d.toISOString().slice(0, 10), last(d), String([420, 430, 410, 440, 520, 560, 400, 380, 430, 425, 440, 435][i]), '0', '0', '0']),
    ...months.map((d) => ['DEMO-POL-ASSEMBLY', d.toISOString().slice(0, 10), last(d), '600', '0', '0', '0']),
  ]), 10);
}

/** Quotes, decides if referred, waives the open subjectivities of the demo, binds with the units; returns the policy number. */
async function bindDemo(db: Db, organizationRef: string, basis: 'annual' | 'pay_per_use', fleetLine: QuoteRequest['fleet'][number], serials: string[]): Promise<string> {
  const request = QuoteRequest.parse({
    organization_ref: organizationRef, basis, period: DEMO_POLICY_PERIOD,
    backdating: { reason: 'Demo policy: cover over the second half of the demo validation history' },
    fleet: [fleetLine],
    coverages: [{ coverage: 'robot_damage', deductible: 5000, per_occurrence_limit: 300_000 }, { coverage: 'third_party_liability', deductible: 2000, per_occurrence_limit: 2_000_000 }],
  });
  const { quote: q } = await createQuote(db, underwriter, request, undefined);
  if (q.status === 'referred') await decideQuote(db, underwriter, q.ref, { decision: 'quoted', note: 'Demo: accepted on the validation record' });
  for (const s of await listSubjectivities(db, underwriter, q.ref)) {
    if (s.status === 'open' && s.required_before === 'bind') await updateSubjectivity(db, underwriter, q.ref, s.id, { status: 'waived', note: 'Demo' });
  }
  await bindQuote(db, underwriter, q.ref, undefined, { units: [{ line: 1, serial_numbers: serials }] });
  return (await getQuote(db, underwriter, q.ref)).policy_number!;
}

export async function setupDemoPolicies(db: Db, organizationRef: string) {
  await importDemoDeployments(db, organizationRef);
  const annual = await bindDemo(db, organizationRef, 'annual', {
    robot_model: 'LMD-B300', scenario_class: 'manufacturing.assembly', units: 4, autonomy_level: 'supervised', operating_hours_per_unit: 7000, safety: { safety_officer_on_site: true },
  }, ANNUAL_SERIALS);
  const payPerUse = await bindDemo(db, organizationRef, 'pay_per_use', {
    robot_model: 'LMD-W200', scenario_class: 'warehousing_logistics.picking', units: 3, autonomy_level: 'supervised', operating_hours_per_unit: 5000, safety: {},
  }, PPU_SERIALS);
  await setLineDeployments(db, underwriter, payPerUse, 1, { deployment_refs: ['DEMO-POL-PICKING'] });
  return { annual, pay_per_use: payPerUse };
}
