import type { z } from 'zod';
import type { ImpactReport } from '../../services/impact-summary.ts';
import * as impact from '../../services/impact.ts';
import type { AppDeps } from '../deps.ts';
import { defineRoute, type Route } from '../route.ts';
import { IdParams } from '../schemas.ts';
import { ImpactJob, ImpactJobParams, ImpactRequest } from '../schemas-impact.ts';

const csv = {
  'text/csv': { description: 'The report as RFC 4180 CSV, one row per figure (header row only while the job runs)', render: (j: z.input<typeof ImpactJob>) => ({ body: impact.impactCsv(j.result as ImpactReport | null), filename: `impact-${j.id}.csv` }) },
};

export const impactRoutes = ({ db }: AppDeps): Route[] => [
  defineRoute({
    method: 'post', path: '/v1/rating-plans/:id/impact', tag: 'Rating plans', roles: ['actuary'], status: 202,
    summary: 'Re-rate the stored quotes of a period under this (candidate) plan and report the dislocation: a job; poll GET /v1/impact-jobs/{jobId}',
    params: IdParams, body: ImpactRequest, response: ImpactJob, errors: [404],
    handler: async ({ params, body, principal }) => (await impact.startImpact(db, principal, params.id, body)).job,
  }),
  defineRoute({
    method: 'get', path: '/v1/impact-jobs/:jobId', tag: 'Rating plans', roles: ['actuary'],
    summary: 'Status, progress and (when done) the dislocation report of a re-rating job. Accept: text/csv for CSV.',
    params: ImpactJobParams, response: ImpactJob, errors: [404], alternatives: csv,
    handler: ({ params }) => impact.getImpact(db, params.jobId),
  }),
];
