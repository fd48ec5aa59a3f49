import { z } from 'zod';
import type { Response } from 'express';
import * as stats from '../../services/statistics.ts';
import { COVERAGE_CODES } from '../../domain/index.ts';
import type { AppDeps } from '../deps.ts';
import type { RouteSpec } from '../route.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(s)), 'not a date');
const groupBy = <T extends string>(allowed: readonly T[], dflt: T[]) =>
  z.string().max(200).optional()
    .transform((s) => (s === undefined ? dflt : s.split(',').map((x) => x.trim()).filter(Boolean)))
    .pipe(z.array(z.enum(allowed as unknown as [T, ...T[]])).max(allowed.length).refine((a) => new Set(a).size === a.length, 'dimensions must be distinct'));

const common = {
  from: isoDate.optional(),
  to: isoDate.optional(),
  period_unit: z.enum(['month', 'quarter', 'year']).default('month'),
};
const ALL_DIMS = ['scenario_area', 'scenario_class', 'period', 'incident_type', 'severity_level'] as const;
/** Query schemas of the statistics routes (the CLI validates its `stats` options with them too). */
export const RatesQuery = z.strictObject({ group_by: groupBy(ALL_DIMS, ['scenario_area']), ...common });
export const SeverityQuery = z.strictObject({ coverage: z.enum(COVERAGE_CODES), group_by: groupBy(ALL_DIMS, ['scenario_area']), ...common });
export const LossRatioQuery = z.strictObject({ group_by: groupBy(['scenario_area', 'period'] as const, ['scenario_area', 'period']), ...common, period_unit: z.enum(['month', 'quarter', 'year']).default('year') });

const Table = z.object({ group_by: z.array(z.string()), disclosure: z.object({ minContributors: z.number(), dominance: z.number() }), cells: z.array(z.record(z.string(), z.unknown())) }).meta({ id: 'StatisticsTable' });

/** RFC 4180 CSV of a statistics table's cells (null → empty). */
export function cellsToCsv(cells: Record<string, unknown>[]): string {
  if (cells.length === 0) return '';
  const cols = Object.keys(cells[0]);
  const esc = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [cols.join(','), ...cells.map((c) => cols.map((k) => esc(c[k])).join(','))].join('\r\n') + '\r\n';
}

/** JSON by default; CSV when the client prefers text/csv. */
function send(res: Response, table: { cells: Record<string, unknown>[] }, name: string) {
  if (res.req.accepts(['application/json', 'text/csv']) === 'text/csv') {
    res.type('text/csv').attachment(`${name}.csv`).send(cellsToCsv(table.cells));
  } else {
    res.json(table);
  }
}

export const statisticsRoutes = ({ db, config }: AppDeps): RouteSpec<any, any, any>[] => {
  const rules = { minContributors: config.DISCLOSURE_MIN_CONTRIBUTORS, dominance: config.DISCLOSURE_DOMINANCE };
  const roles = ['regulator', 'actuary'] as const;
  return [
    {
      method: 'get', path: '/v1/statistics/incident-rates', tag: 'Statistics', roles,
      summary: 'Incident rates per 1,000 operating hours with exact Poisson (Garwood) 95% intervals; disclosure-controlled. Accept: text/csv for CSV.',
      query: RatesQuery, response: Table,
      handler: async ({ query, res }) => send(res, await stats.incidentRates(db, query, rules), 'incident-rates'),
    },
    {
      method: 'get', path: '/v1/statistics/severity', tag: 'Statistics', roles,
      summary: 'Claim severity of a coverage: counts, mean, median, 90/99% quantiles, total incurred, share open; disclosure-controlled.',
      query: SeverityQuery, response: Table,
      handler: async ({ query, res }) => send(res, await stats.severityStatistics(db, query.coverage, query, rules), 'severity'),
    },
    {
      method: 'get', path: '/v1/statistics/loss-ratios', tag: 'Statistics', roles,
      summary: 'Earned premium of bound quotes vs incurred losses by scenario area and period; disclosure-controlled.',
      query: LossRatioQuery, response: Table,
      handler: async ({ query, res }) => send(res, await stats.lossRatios(db, query, rules), 'loss-ratios'),
    },
  ];
};
