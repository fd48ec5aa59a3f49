import { z } from 'zod';
import * as modelVersions from '../../services/model-versions.ts';
import * as rulesets from '../../services/rulesets.ts';
import * as plans from '../../services/rating-plans.ts';
import * as quotes from '../../services/quotes.ts';
import { appError } from '../../services/errors.ts';
import type { AppDeps } from '../deps.ts';
import type { RouteSpec } from '../route.ts';
import { IdParams } from '../schemas.ts';
import {
  Activation, FrequencyModelRequest, ModelQuery, QuoteDecision, QuoteQuery, QuoteRequest, RatingPlanRequest, RulesetUpload, SeverityModelRequest,
} from '../schemas-pricing.ts';

const Json = z.record(z.string(), z.unknown());
const QuoteRefParams = z.object({ ref: z.string().regex(/^Q-\d{8}-[0-9A-F]{8}$/, 'a quote reference such as Q-20261123-0A1B2C3D') });
const IDEMPOTENCY = /^[\w.:-]{8,200}$/;
const listQuery = z.strictObject({ name: z.string().max(100).optional(), status: z.enum(['draft', 'active', 'retired']).optional(), cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) });
const at = (a: Activation | undefined) => (a?.effective_from ? new Date(a.effective_from) : undefined);

export const pricingRoutes = ({ db }: AppDeps): RouteSpec<any, any, any>[] => [
  {
    method: 'post', path: '/v1/models/frequency', tag: 'Models', roles: ['actuary'], status: 201,
    summary: 'Fit a frequency GLM (Poisson from SQL cell sums, or NB2 on exposure periods) and store it as a candidate version',
    body: FrequencyModelRequest, response: Json,
    handler: ({ body, principal }) => modelVersions.fitFrequencyModel(db, principal, body),
  },
  {
    method: 'post', path: '/v1/models/severity', tag: 'Models', roles: ['actuary'], status: 201,
    summary: "Fit severity distributions to a coverage's losses (open claims at paid + reserve), ranked by AIC",
    body: SeverityModelRequest, response: Json,
    handler: ({ body, principal }) => modelVersions.fitSeverityModel(db, principal, body),
  },
  {
    method: 'get', path: '/v1/models', tag: 'Models', roles: ['actuary', 'underwriter'], summary: 'List model versions',
    query: ModelQuery, response: Json,
    handler: ({ query }) => modelVersions.listModels(db, query),
  },
  {
    method: 'get', path: '/v1/models/:id', tag: 'Models', roles: ['actuary', 'underwriter'], summary: 'One model version with all its terms or fits',
    params: IdParams, response: Json, errors: [404],
    handler: ({ params }) => modelVersions.getModel(db, params.id),
  },
  {
    method: 'post', path: '/v1/models/:id/activate', tag: 'Models', roles: ['actuary'], summary: 'Activate a model version (retires the active one of its kind and coverage; audited)',
    params: IdParams, response: Json, errors: [404, 409],
    handler: ({ params, principal }) => modelVersions.activateModel(db, principal, params.id),
  },
  {
    method: 'post', path: '/v1/rulesets', tag: 'Rules', roles: ['actuary'], status: 201,
    summary: 'Upload a rule set version (validated: unknown facts, operators or event types → 422 naming the path)',
    body: RulesetUpload, response: Json,
    handler: ({ body, principal }) => rulesets.createRuleset(db, principal, body),
  },
  {
    method: 'get', path: '/v1/rulesets', tag: 'Rules', roles: ['actuary', 'underwriter'], summary: 'List rule set versions',
    query: listQuery, response: Json,
    handler: ({ query }) => rulesets.listRulesets(db, query),
  },
  {
    method: 'get', path: '/v1/rulesets/:id', tag: 'Rules', roles: ['actuary', 'underwriter'], summary: 'One rule set version',
    params: IdParams, response: Json, errors: [404],
    handler: ({ params }) => rulesets.getRuleset(db, params.id),
  },
  {
    method: 'post', path: '/v1/rulesets/:id/activate', tag: 'Rules', roles: ['actuary'], summary: 'Activate a rule set version from effective_from (default now; audited)',
    params: IdParams, body: Activation, response: Json, errors: [404, 409],
    handler: ({ params, body, principal }) => rulesets.activateRuleset(db, principal, params.id, at(body)),
  },
  {
    method: 'post', path: '/v1/rating-plans', tag: 'Rating plans', roles: ['actuary'], status: 201,
    summary: 'Create a rating plan version (active model versions per coverage, rule set, loadings)',
    body: RatingPlanRequest, response: Json,
    handler: ({ body, principal }) => plans.createRatingPlan(db, principal, body),
  },
  {
    method: 'get', path: '/v1/rating-plans', tag: 'Rating plans', roles: ['actuary', 'underwriter'], summary: 'List rating plan versions',
    query: listQuery, response: Json,
    handler: ({ query }) => plans.listRatingPlans(db, query),
  },
  {
    method: 'get', path: '/v1/rating-plans/:id', tag: 'Rating plans', roles: ['actuary', 'underwriter'], summary: 'One rating plan version',
    params: IdParams, response: Json, errors: [404],
    handler: ({ params }) => plans.getRatingPlan(db, params.id),
  },
  {
    method: 'post', path: '/v1/rating-plans/:id/activate', tag: 'Rating plans', roles: ['actuary'], summary: 'Activate a rating plan version from effective_from (immutable once active; audited)',
    params: IdParams, body: Activation, response: Json, errors: [404, 409],
    handler: ({ params, body, principal }) => plans.activateRatingPlan(db, principal, params.id, at(body)),
  },
  {
    method: 'post', path: '/v1/quotes', tag: 'Quotes', roles: ['enterprise', 'underwriter'], status: 201,
    summary: 'Request a quote (an enterprise for itself, an underwriter on behalf of an organization). Optional Idempotency-Key header.',
    body: QuoteRequest, response: Json, errors: [409],
    responseDescription: 'Created (201), or the stored quote for a repeated Idempotency-Key (200)',
    handler: async ({ body, principal, req, res }) => {
      const key = req.get('idempotency-key');
      if (key !== undefined && !IDEMPOTENCY.test(key)) {
        throw appError('VALIDATION_FAILED', 'Idempotency-Key must be 8–200 characters of letters, digits, _ . : -', { errors: [{ field: 'Idempotency-Key', message: 'invalid format' }] });
      }
      const r = await quotes.createQuote(db, principal, body, key);
      res.status(r.created ? 201 : 200).json(r.quote);
    },
  },
  {
    method: 'get', path: '/v1/quotes', tag: 'Quotes', roles: ['enterprise', 'underwriter'], summary: 'List quotes (an enterprise sees its own)',
    query: QuoteQuery, response: Json,
    handler: ({ query, principal }) => quotes.listQuotes(db, principal, query),
  },
  {
    method: 'get', path: '/v1/quotes/:ref', tag: 'Quotes', roles: ['enterprise', 'underwriter'], summary: 'One quote',
    params: QuoteRefParams, response: Json, errors: [404],
    handler: ({ params, principal }) => quotes.getQuote(db, principal, params.ref),
  },
  {
    method: 'get', path: '/v1/quotes/:ref/worksheet', tag: 'Quotes', roles: ['enterprise', 'underwriter'], summary: 'The full rating worksheet of a quote',
    params: QuoteRefParams, response: Json, errors: [404],
    handler: ({ params, principal }) => quotes.getWorksheet(db, principal, params.ref),
  },
  {
    method: 'post', path: '/v1/quotes/:ref/decision', tag: 'Quotes', roles: ['underwriter'], summary: "An underwriter's decision on a referred quote (audited)",
    params: QuoteRefParams, body: QuoteDecision, response: Json, errors: [404, 409],
    handler: ({ params, body, principal }) => quotes.decideQuote(db, principal, params.ref, body),
  },
  {
    method: 'post', path: '/v1/quotes/:ref/bind', tag: 'Quotes', roles: ['underwriter'], summary: 'Bind a quoted, unexpired quote (once)',
    params: QuoteRefParams, response: Json, errors: [404, 409],
    handler: ({ params, principal }) => quotes.bindQuote(db, principal, params.ref),
  },
  {
    method: 'post', path: '/v1/quotes/:ref/rerate', tag: 'Quotes', roles: ['underwriter'], summary: 'Re-price the stored request with the stored versions and inputs (same premium to the cent)',
    params: QuoteRefParams, response: Json, errors: [404],
    handler: ({ params, principal }) => quotes.rerateQuote(db, principal, params.ref),
  },
];
