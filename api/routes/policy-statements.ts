/** Pay-per-use policies that bill: linked deployments, usage declarations, premium statements (docs/policy-statements.md). */
import { z } from 'zod';
import * as statements from '../../services/policy-statements.ts';
import {
  LineDeployments, PolicyStatement, PolicyStatementSummary, UsageDeclaration, YearMonth,
} from '../../domain/schemas/policy-usage.ts';
import { isoDateTime } from '../../domain/schemas/index.ts';
import { statementCsv } from '../../reports/statement-csv.ts';
import type { AppDeps } from '../deps.ts';
import { defineFileRoute, defineRoute, type Route } from '../route.ts';
import { PolicyParams } from '../schemas-policies.ts';

const LineParams = PolicyParams.extend({
  line: z.string().regex(/^[1-9]\d{0,3}$/, 'a fleet line number (1, 2, …)').transform(Number)
    .meta({ type: 'integer', minimum: 1, maximum: 9999, description: 'Fleet line of the policy (1-based)' }),
});
const MonthParams = PolicyParams.extend({ month: YearMonth });

const LinkedLines = z.strictObject({
  policy_number: z.string().meta({ description: 'Policy number' }),
  lines: z.array(z.strictObject({
    line: z.number().int().meta({ description: 'Fleet line (1-based)' }),
    deployments: z.array(z.strictObject({
      deployment_ref: z.string().meta({ description: 'Deployment of the insured' }),
      units: z.number().int().meta({ description: 'Units of the deployment' }),
      linked_by: z.string().meta({ description: 'Who linked it' }),
      linked_at: z.date().meta({ description: 'When it was linked' }),
    }).meta({ description: 'A linked deployment' })).meta({ description: 'Deployments whose hours the line bills' }),
  }).meta({ description: 'A fleet line' })).meta({ description: 'Every fleet line of the policy' }),
}).meta({ id: 'PolicyLineDeployments', description: 'The fleet lines of a pay-per-use policy and the deployments whose hours they bill' });

const RecordedDeclaration = z.strictObject({
  policy_number: z.string().meta({ description: 'Policy number' }),
  month: z.string().meta({ description: 'YYYY-MM' }),
  deployment_ref: z.string().meta({ description: 'The deployment' }),
  operating_hours: z.number().meta({ description: 'Declared hours (rounded to 0.01 h)' }),
  declared_by: z.string().meta({ description: 'Who declared: api_key:<id>' }),
  declared_role: z.enum(['enterprise', 'underwriter']).meta({ description: 'Role of the declarer' }),
  declared_at: z.string().meta({ description: 'When (ISO timestamp)' }),
  note: z.string().nullable().meta({ description: 'The declarer’s note' }),
}).meta({ id: 'RecordedUsageDeclaration', description: 'A usage declaration as recorded (who, when)' });

const StatementList = z.strictObject({
  policy_number: z.string().meta({ description: 'Policy number' }),
  data: z.array(PolicyStatementSummary).meta({ description: 'Every month whose cover has begun, oldest first' }),
}).meta({ id: 'PolicyStatementList', description: 'The monthly premium statements of a pay-per-use policy' });

const readers = ['enterprise', 'underwriter', 'actuary'] as const;

export const policyStatementRoutes = ({ db }: AppDeps): Route[] => [
  defineRoute({
    method: 'get', path: '/v1/policies/:no/lines', tag: 'Policies', roles: readers,
    summary: 'The fleet lines of a pay-per-use policy with their linked deployments (an enterprise: its own policies)',
    params: PolicyParams, response: LinkedLines, errors: [404, 409],
    handler: ({ params, principal }) => statements.policyLineDeployments(db, principal, params.no),
  }),
  defineRoute({
    method: 'put', path: '/v1/policies/:no/lines/:line/deployments', tag: 'Policies', roles: ['underwriter'],
    summary: 'Links a fleet line of a pay-per-use policy to deployments of the insured (same robot model and scenario class; replaces the list; audited)',
    params: LineParams, body: LineDeployments, response: LinkedLines, errors: [404, 409],
    handler: ({ params, body, principal }) => statements.setLineDeployments(db, principal, params.no, params.line, body),
  }),
  defineRoute({
    method: 'post', path: '/v1/policies/:no/usage', tag: 'Policies', roles: ['enterprise', 'underwriter'], status: 201,
    summary: 'Declares the operating hours of a linked deployment in a month (the insured or an underwriter; kept with who and when; audited)',
    params: PolicyParams, body: UsageDeclaration, response: RecordedDeclaration, errors: [404, 409],
    handler: ({ params, body, principal }) => statements.declareUsage(db, principal, params.no, body),
  }),
  defineRoute({
    method: 'get', path: '/v1/policies/:no/statements', tag: 'Policies', roles: readers,
    summary: 'The monthly premium statements of a pay-per-use policy: every month whose cover has begun, with its total',
    params: PolicyParams, response: StatementList, errors: [404, 409],
    handler: ({ params, principal }) => statements.listPolicyStatements(db, principal, params.no),
  }),
  defineRoute({
    method: 'get', path: '/v1/policies/:no/statements/:month', tag: 'Policies', roles: readers,
    summary: 'Premium statement of a month: hours × rate per fleet line, minimum premium, expected vs declared vs billed hours. Accept: text/csv for CSV',
    params: MonthParams, response: PolicyStatement, errors: [404, 409],
    alternatives: {
      'text/csv': { description: 'The statement as RFC 4180 CSV: a row per deployment and per line, then subtotal, adjustment, total', render: (s) => ({ body: statementCsv(s), filename: `${s.policy_number}-${s.month}.csv` }) },
    },
    handler: ({ params, principal }) => statements.policyStatement(db, principal, params.no, params.month),
  }),
  defineFileRoute({
    method: 'get', path: '/v1/policies/:no/statements/:month/pdf', tag: 'Policies', roles: readers,
    summary: 'Premium statement of a month as a PDF document',
    params: MonthParams, query: z.strictObject({ creation_date: isoDateTime.optional().meta({ description: 'fixes the PDF creation date (deterministic bytes)' }) }),
    produces: 'application/pdf', errors: [404, 409],
    handler: async ({ params, query, principal }) => ({
      data: await statements.policyStatementPdf(db, principal, params.no, params.month, query.creation_date ? new Date(query.creation_date) : undefined),
      filename: `${params.no}-${params.month}.pdf`,
    }),
  }),
];
