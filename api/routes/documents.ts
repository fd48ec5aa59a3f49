import { z } from 'zod';
import { quotePdf } from '../../services/quote-document.ts';
import { insurerOf, policyPdf } from '../../services/policy-document.ts';
import { PolicyParams } from '../schemas-policies.ts';
import { modelReportPdf, regulatorReportPdf } from '../../services/reports.ts';
import { disclosureRulesOf } from '../../services/disclosure.ts';
import type { AppDeps } from '../deps.ts';
import { defineFileRoute, type Route } from '../route.ts';
import { isoDateTime } from '../../domain/schemas/index.ts';
import { IdParams } from '../schemas.ts';
import { ReportQuery, reportWindow } from '../schemas-statistics.ts';
import { auditStatisticsQuery } from '../../services/statistics.ts';

/** A fixed creation date makes the document byte-for-byte reproducible. */
const creationDate = isoDateTime.optional().meta({ description: 'fixes the PDF creation date (deterministic bytes)' });
const at = (s: string | undefined) => (s ? new Date(s) : undefined);

export const documentRoutes = ({ db, config }: AppDeps): Route[] => [
  defineFileRoute({
    method: 'get', path: '/v1/quotes/:ref/pdf', tag: 'Quotes', roles: ['enterprise', 'underwriter'],
    summary: 'The quote as a PDF document (same access rules as the quote)',
    params: z.object({ ref: z.string().regex(/^Q-\d{8}-[0-9A-F]{8}$/, 'a quote reference') }),
    query: z.strictObject({ creation_date: creationDate }), produces: 'application/pdf', errors: [404],
    handler: async ({ params, query, principal }) => ({ data: await quotePdf(db, principal, params.ref, disclosureRulesOf(config), at(query.creation_date)), filename: `${params.ref}.pdf` }),
  }),
  defineFileRoute({
    method: 'get', path: '/v1/policies/:no/document', tag: 'Policies', roles: ['enterprise', 'underwriter'],
    summary: 'The binder / certificate of insurance of a policy as a PDF (same access rules as the policy)',
    params: PolicyParams, query: z.strictObject({ creation_date: creationDate }), produces: 'application/pdf', errors: [404],
    handler: async ({ params, query, principal }) => ({ data: await policyPdf(db, principal, params.no, insurerOf(config), at(query.creation_date)), filename: `${params.no}.pdf` }),
  }),
  defineFileRoute({
    method: 'get', path: '/v1/models/:id/report.pdf', tag: 'Models', roles: ['actuary', 'underwriter'],
    summary: 'Model report: coefficients, relativities, diagnostics (frequency); fits, CDF and QQ plots (severity)',
    params: IdParams, query: z.strictObject({ creation_date: creationDate }), produces: 'application/pdf', errors: [404],
    handler: async ({ params, query }) => ({ data: await modelReportPdf(db, params.id, at(query.creation_date)), filename: `model-${params.id}.pdf` }),
  }),
  defineFileRoute({
    method: 'get', path: '/v1/statistics/report.pdf', tag: 'Statistics', roles: ['regulator', 'actuary'],
    summary: "A regulator's risk statistics report (aggregate, disclosure-controlled)",
    query: z.strictObject({ ...ReportQuery, creation_date: creationDate }).superRefine(reportWindow), produces: 'application/pdf',
    handler: async ({ query, principal }) => {
      const data = await regulatorReportPdf(db, disclosureRulesOf(config), { from: query.from, to: query.to }, at(query.creation_date));
      await auditStatisticsQuery(db, principal, 'report.pdf', query, { cells: [] });
      return { data, filename: 'risk-statistics.pdf' };
    },
  }),
];
