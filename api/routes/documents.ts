import { z } from 'zod';
import type { Response } from 'express';
import { quotePdf } from '../../services/quote-document.ts';
import { modelReportPdf, regulatorReportPdf } from '../../services/reports.ts';
import type { AppDeps } from '../deps.ts';
import type { RouteSpec } from '../route.ts';
import { IdParams } from '../schemas.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(s)), 'not a date');
/** A fixed creation date makes the document byte-for-byte reproducible. */
const creationDate = z.iso.datetime({ offset: true }).optional().meta({ description: 'fixes the PDF creation date (deterministic bytes)' });
const at = (s: string | undefined) => (s ? new Date(s) : undefined);

function sendPdf(res: Response, pdf: Buffer, filename: string) {
  res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="${filename}"`);
  res.send(pdf);
}

export const documentRoutes = ({ db, config }: AppDeps): RouteSpec<any, any, any>[] => [
  {
    method: 'get', path: '/v1/quotes/:ref/pdf', tag: 'Quotes', roles: ['enterprise', 'underwriter'],
    summary: 'The quote as a PDF document (same access rules as the quote)',
    params: z.object({ ref: z.string().regex(/^Q-\d{8}-[0-9A-F]{8}$/, 'a quote reference') }),
    query: z.strictObject({ creation_date: creationDate }), produces: 'application/pdf', errors: [404],
    handler: async ({ params, query, principal, res }) => sendPdf(res, await quotePdf(db, principal, params.ref, at(query.creation_date)), `${params.ref}.pdf`),
  },
  {
    method: 'get', path: '/v1/models/:id/report.pdf', tag: 'Models', roles: ['actuary', 'underwriter'],
    summary: 'Model report: coefficients, relativities, diagnostics (frequency); fits, CDF and QQ plots (severity)',
    params: IdParams, query: z.strictObject({ creation_date: creationDate }), produces: 'application/pdf', errors: [404],
    handler: async ({ params, query, res }) => sendPdf(res, await modelReportPdf(db, params.id, at(query.creation_date)), `model-${params.id}.pdf`),
  },
  {
    method: 'get', path: '/v1/statistics/report.pdf', tag: 'Statistics', roles: ['regulator', 'actuary'],
    summary: "A regulator's risk statistics report (aggregate, disclosure-controlled)",
    query: z.strictObject({ from: isoDate.optional(), to: isoDate.optional(), creation_date: creationDate }), produces: 'application/pdf',
    handler: async ({ query, res }) => {
      const rules = { minContributors: config.DISCLOSURE_MIN_CONTRIBUTORS, dominance: config.DISCLOSURE_DOMINANCE };
      sendPdf(res, await regulatorReportPdf(db, rules, { from: query.from, to: query.to }, at(query.creation_date)), 'risk-statistics.pdf');
    },
  },
];
