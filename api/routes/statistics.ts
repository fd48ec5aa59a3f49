import * as stats from '../../services/statistics.ts';
import { disclosureRulesOf } from '../../services/disclosure.ts';
import type { AppDeps } from '../deps.ts';
import { defineRoute, type Route } from '../route.ts';
import { IncidentRateTable, LossRatioQuery, LossRatioTable, RatesQuery, SeverityQuery, SeverityTable } from '../schemas-statistics.ts';

/** RFC 4180 CSV of a statistics table's cells (null → empty). */
export function cellsToCsv(cells: readonly object[]): string {
  if (cells.length === 0) return '';
  const cols = Object.keys(cells[0]);
  const esc = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [cols.join(','), ...cells.map((c) => cols.map((k) => esc((c as Record<string, unknown>)[k])).join(','))].join('\r\n') + '\r\n';
}

/** JSON by default; CSV of the cells when the client prefers text/csv. */
const csv = (name: string) => ({
  'text/csv': { description: 'The cells as RFC 4180 CSV (header row; suppressed values and withheld counts empty)', render: (t: { cells: readonly object[] }) => ({ body: cellsToCsv(t.cells), filename: `${name}.csv` }) },
});

export const statisticsRoutes = ({ db, config }: AppDeps): Route[] => {
  const rules = disclosureRulesOf(config);
  /** Answers, then audits the query (who, what, when) before the answer leaves. */
  const audited = async <T extends { cells: readonly { suppressed: string | null }[] }>(principal: Parameters<typeof stats.auditStatisticsQuery>[1], route: string, query: object, result: Promise<T>): Promise<T> => {
    const r = await result;
    await stats.auditStatisticsQuery(db, principal, route, query, r);
    return r;
  };
  const roles = ['regulator', 'actuary'] as const;
  return [
    defineRoute({
      method: 'get', path: '/v1/statistics/incident-rates', tag: 'Statistics', roles,
      summary: 'Incident rates per 1,000 operating hours with exact Poisson (Garwood) 95% intervals; disclosure-controlled. Accept: text/csv for CSV.',
      query: RatesQuery, response: IncidentRateTable, alternatives: csv('incident-rates'),
      handler: ({ query, principal }) => audited(principal, 'incident-rates', query, stats.incidentRates(db, query, rules)),
    }),
    defineRoute({
      method: 'get', path: '/v1/statistics/severity', tag: 'Statistics', roles,
      summary: 'Claim severity of a coverage: counts, mean, median, 90/99% quantiles, total incurred, share open; disclosure-controlled.',
      query: SeverityQuery, response: SeverityTable, alternatives: csv('severity'),
      handler: ({ query, principal }) => audited(principal, 'severity', query, stats.severityStatistics(db, query.coverage, query, rules)),
    }),
    defineRoute({
      method: 'get', path: '/v1/statistics/loss-ratios', tag: 'Statistics', roles,
      summary: 'Earned premium of bound quotes vs incurred losses by scenario area and period; disclosure-controlled.',
      query: LossRatioQuery, response: LossRatioTable, alternatives: csv('loss-ratios'),
      handler: ({ query, principal }) => audited(principal, 'loss-ratios', query, stats.lossRatios(db, query, rules)),
    }),
  ];
};
