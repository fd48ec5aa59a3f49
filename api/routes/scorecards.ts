/** The validation scorecard (docs/actuarial-method.md §10): JSON, CSV, PDF, and its insurability rule sets. */
import * as scorecard from '../../services/scorecard.ts';
import { disclosureRulesOf } from '../../services/disclosure.ts';
import type { AppDeps } from '../deps.ts';
import { defineFileRoute, defineRoute, type Route } from '../route.ts';
import { IdParams } from '../schemas.ts';
import { cellsToCsv } from './statistics.ts';
import { Scorecard, ScorecardQuery, ScorecardRulesetVersion } from '../schemas-scorecard.ts';
import { z } from 'zod';

/**
 * Flat CSV rows: fired rules and conditions joined by ';', the market benchmark as market_* columns;
 * a secondary measure withheld by disclosure control (`secondary_withheld`) reads `withheld`, not an
 * empty value (which means "none", as a rate without hours).
 */
export function scorecardCsvRows(cells: readonly object[]): object[] {
  const secondary: ReadonlySet<string> = new Set(scorecard.SECONDARY_MEASURES);
  return cells.map((c) => {
    const out: Record<string, unknown> = {};
    const withheld = (c as { secondary_withheld?: boolean }).secondary_withheld === true;
    for (const [k, v] of Object.entries(c)) {
      if (withheld && secondary.has(k)) out[k] = 'withheld';
      else if (k === 'fired_rules') out.fired_rules = (v as { rule: string }[]).map((f) => f.rule).join(';');
      else if (k === 'conditions') out.conditions = (v as string[]).join(';');
      else if (k === 'market') {
        const m = v as Record<string, unknown> | null;
        for (const f of ['organizations', 'operating_hours', 'incidents', 'incident_rate_per_1000h', 'ci_low', 'ci_high', 'credibility_rate_per_1000h', 'verdict']) {
          out[`market_${f}`] = m ? (m.secondary_withheld === true && secondary.has(f) ? 'withheld' : m[f]) : null;
        }
      } else out[k] = v;
    }
    return out;
  });
}

export const scorecardRoutes = ({ db, config }: AppDeps): Route[] => {
  const rules = disclosureRulesOf(config);
  return [
    defineRoute({
      method: 'get', path: '/v1/scorecards', tag: 'Scorecard', roles: ['actuary', 'underwriter', 'regulator', 'enterprise'],
      summary: 'Validation scorecard per robot model × scenario class (or area) [× software version]: rates with exact CIs, credibility rates, P(best in class), insurability verdicts. Actuaries and underwriters see every cell, regulators the disclosure-controlled ones, enterprises their own cells against the published market cell. Accept: text/csv for CSV.',
      query: ScorecardQuery, response: Scorecard,
      alternatives: {
        'text/csv': { description: 'The cells as RFC 4180 CSV', render: (t: { cells: readonly object[] }) => ({ body: cellsToCsv(scorecardCsvRows(t.cells)), filename: 'scorecard.csv' }) },
      },
      handler: ({ query, principal }) => scorecard.scorecardFor(db, principal, query, rules),
    }),
    defineFileRoute({
      method: 'get', path: '/v1/scorecards/report.pdf', tag: 'Scorecard', roles: ['actuary', 'underwriter', 'regulator'],
      summary: 'The scorecard report: ranking tables with CIs, a funnel chart of rate vs exposure with credibility bands, verdicts and what each cell needs (regulators: published cells only)',
      query: ScorecardQuery.extend({ creation_date: z.iso.datetime({ offset: true }).optional().meta({ description: 'fixes the PDF creation date (deterministic bytes)' }) }),
      produces: 'application/pdf',
      handler: async ({ query, principal }) => {
        const { creation_date: cd, ...q } = query;
        return { data: await scorecard.scorecardPdf(db, principal, q, rules, cd ? new Date(cd) : undefined), filename: 'scorecard.pdf' };
      },
    }),
    defineRoute({
      method: 'post', path: '/v1/scorecard-rulesets', tag: 'Scorecard', roles: ['actuary'], status: 201,
      summary: 'Upload a scorecard insurability rule set version (json-rules-engine format, event type verdict; validated)',
      body: z.record(z.string(), z.unknown()), response: ScorecardRulesetVersion,
      handler: ({ body, principal }) => scorecard.createScorecardRuleset(db, principal, body),
    }),
    defineRoute({
      method: 'post', path: '/v1/scorecard-rulesets/:id/activate', tag: 'Scorecard', roles: ['actuary'],
      summary: 'Put a scorecard rule set version in force (audited)',
      params: IdParams, response: ScorecardRulesetVersion, errors: [404, 409],
      handler: ({ params, principal }) => scorecard.activateScorecardRuleset(db, principal, params.id),
    }),
  ];
};
