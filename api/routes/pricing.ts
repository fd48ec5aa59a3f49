import { z } from 'zod';
import * as modelVersions from '../../services/model-versions.ts';
import * as rulesets from '../../services/rulesets.ts';
import * as plans from '../../services/rating-plans.ts';
import * as quotes from '../../services/quotes.ts';
import { appError } from '../../services/errors.ts';
import {
  Activation, FrequencyModelRequest, QuoteDecision, QuoteRequest, RatingPlanRequest, RulesetUpload, SeverityModelRequest,
} from '../../domain/schemas/index.ts';
import type { AppDeps } from '../deps.ts';
import { disclosureRulesOf } from '../../services/disclosure.ts';
import { defineRoute, type Route } from '../route.ts';
import { IdParams } from '../schemas.ts';
import {
  FrequencyModelVersion, ModelQuery, ModelVersion, ModelVersionPage, Quote, QuotePage, QuoteQuery, RatingPlanVersion,
  RatingPlanVersionPage, RerateResult, RulesetVersion, RulesetVersionPage, SeverityModelVersion, VersionQuery, WorksheetResponse,
} from '../schemas-pricing.ts';

const QuoteRefParams = z.object({ ref: z.string().regex(/^Q-\d{8}-[0-9A-F]{8}$/, 'a quote reference such as Q-20261123-0A1B2C3D') });
const IDEMPOTENCY = /^[\w.:-]{8,200}$/;
const at = (a: Activation | undefined) => (a?.effective_from ? new Date(a.effective_from) : undefined);

export const pricingRoutes = ({ db, config }: AppDeps): Route[] => [
  defineRoute({
    method: 'post', path: '/v1/models/frequency', tag: 'Models', roles: ['actuary'], status: 201,
    summary: 'Fit a frequency GLM (Poisson from SQL cell sums, or NB2 on exposure periods) and store it as a candidate version',
    body: FrequencyModelRequest, response: FrequencyModelVersion,
    handler: ({ body, principal }) => modelVersions.fitFrequencyModel(db, principal, body),
  }),
  defineRoute({
    method: 'post', path: '/v1/models/severity', tag: 'Models', roles: ['actuary'], status: 201,
    summary: "Fit severity distributions to a coverage's losses (open claims at paid + reserve), ranked by AIC",
    body: SeverityModelRequest, response: SeverityModelVersion,
    handler: ({ body, principal }) => modelVersions.fitSeverityModel(db, principal, body),
  }),
  defineRoute({
    method: 'get', path: '/v1/models', tag: 'Models', roles: ['actuary', 'underwriter'], summary: 'List model versions',
    query: ModelQuery, response: ModelVersionPage,
    handler: ({ query }) => modelVersions.listModels(db, query),
  }),
  defineRoute({
    method: 'get', path: '/v1/models/:id', tag: 'Models', roles: ['actuary', 'underwriter'], summary: 'One model version with all its terms or fits',
    params: IdParams, response: ModelVersion, errors: [404],
    handler: ({ params }) => modelVersions.getModel(db, params.id),
  }),
  defineRoute({
    method: 'post', path: '/v1/models/:id/activate', tag: 'Models', roles: ['actuary'], summary: 'Activate a model version (retires the active one of its kind and coverage; audited)',
    params: IdParams, response: ModelVersion, errors: [404, 409],
    handler: ({ params, principal }) => modelVersions.activateModel(db, principal, params.id),
  }),
  defineRoute({
    method: 'post', path: '/v1/rulesets', tag: 'Rules', roles: ['actuary'], status: 201,
    summary: 'Upload a rule set version (validated: unknown facts, operators or event types → 422 naming the path)',
    body: RulesetUpload, response: RulesetVersion,
    handler: ({ body, principal }) => rulesets.createRuleset(db, principal, body),
  }),
  defineRoute({
    method: 'get', path: '/v1/rulesets', tag: 'Rules', roles: ['actuary', 'underwriter'], summary: 'List rule set versions',
    query: VersionQuery, response: RulesetVersionPage,
    handler: ({ query }) => rulesets.listRulesets(db, query),
  }),
  defineRoute({
    method: 'get', path: '/v1/rulesets/:id', tag: 'Rules', roles: ['actuary', 'underwriter'], summary: 'One rule set version',
    params: IdParams, response: RulesetVersion, errors: [404],
    handler: ({ params }) => rulesets.getRuleset(db, params.id),
  }),
  defineRoute({
    method: 'post', path: '/v1/rulesets/:id/activate', tag: 'Rules', roles: ['actuary'], summary: 'Activate a rule set version from effective_from (default now; audited)',
    params: IdParams, body: Activation, response: RulesetVersion, errors: [404, 409],
    handler: ({ params, body, principal }) => rulesets.activateRuleset(db, principal, params.id, at(body)),
  }),
  defineRoute({
    method: 'post', path: '/v1/rating-plans', tag: 'Rating plans', roles: ['actuary'], status: 201,
    summary: 'Create a rating plan version (active model versions per coverage, rule set, loadings)',
    body: RatingPlanRequest, response: RatingPlanVersion,
    handler: ({ body, principal }) => plans.createRatingPlan(db, principal, body),
  }),
  defineRoute({
    method: 'get', path: '/v1/rating-plans', tag: 'Rating plans', roles: ['actuary', 'underwriter'], summary: 'List rating plan versions',
    query: VersionQuery, response: RatingPlanVersionPage,
    handler: ({ query }) => plans.listRatingPlans(db, query),
  }),
  defineRoute({
    method: 'get', path: '/v1/rating-plans/:id', tag: 'Rating plans', roles: ['actuary', 'underwriter'], summary: 'One rating plan version',
    params: IdParams, response: RatingPlanVersion, errors: [404],
    handler: ({ params }) => plans.getRatingPlan(db, params.id),
  }),
  defineRoute({
    method: 'post', path: '/v1/rating-plans/:id/activate', tag: 'Rating plans', roles: ['actuary'], summary: 'Activate a rating plan version from effective_from (immutable once active; audited)',
    params: IdParams, body: Activation, response: RatingPlanVersion, errors: [404, 409],
    handler: ({ params, body, principal }) => plans.activateRatingPlan(db, principal, params.id, at(body)),
  }),
  defineRoute({
    method: 'post', path: '/v1/quotes', tag: 'Quotes', roles: ['enterprise', 'underwriter'], status: 201,
    summary: 'Request a quote (an enterprise for itself, an underwriter on behalf of an organization). Optional Idempotency-Key header.',
    body: QuoteRequest, response: Quote, errors: [409],
    responseDescription: 'Created',
    alsoReturns: { 200: 'The stored quote for a repeated Idempotency-Key' },
    handler: async ({ body, principal, req, setStatus }) => {
      const key = req.get('idempotency-key');
      if (key !== undefined && !IDEMPOTENCY.test(key)) {
        throw appError('VALIDATION_FAILED', 'Idempotency-Key must be 8–200 characters of letters, digits, _ . : -', { errors: [{ field: 'Idempotency-Key', message: 'invalid format' }] });
      }
      const r = await quotes.createQuote(db, principal, body, key);
      if (!r.created) setStatus(200);
      return r.quote;
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/quotes', tag: 'Quotes', roles: ['enterprise', 'underwriter'], summary: 'List quotes (an enterprise sees its own)',
    query: QuoteQuery, response: QuotePage,
    handler: ({ query, principal }) => quotes.listQuotes(db, principal, query),
  }),
  defineRoute({
    method: 'get', path: '/v1/quotes/:ref', tag: 'Quotes', roles: ['enterprise', 'underwriter'], summary: 'One quote',
    params: QuoteRefParams, response: Quote, errors: [404],
    handler: ({ params, principal }) => quotes.getQuote(db, principal, params.ref),
  }),
  defineRoute({
    method: 'get', path: '/v1/quotes/:ref/worksheet', tag: 'Quotes', roles: ['enterprise', 'underwriter'],
    summary: 'The rating worksheet of a quote: whole for an underwriter (QuoteWorksheet); an enterprise gets its own inputs and the resulting factors, never another organization’s data (EnterpriseQuoteWorksheet)',
    params: QuoteRefParams, response: WorksheetResponse, errors: [404],
    handler: ({ params, principal }) => quotes.getWorksheet(db, principal, params.ref, disclosureRulesOf(config)),
  }),
  defineRoute({
    method: 'post', path: '/v1/quotes/:ref/decision', tag: 'Quotes', roles: ['underwriter'], summary: "An underwriter's decision on a referred quote (audited)",
    params: QuoteRefParams, body: QuoteDecision, response: Quote, errors: [404, 409],
    handler: ({ params, body, principal }) => quotes.decideQuote(db, principal, params.ref, body),
  }),
  defineRoute({
    method: 'post', path: '/v1/quotes/:ref/rerate', tag: 'Quotes', roles: ['underwriter'], summary: 'Re-price the stored request with the stored versions and inputs (same premium to the cent)',
    params: QuoteRefParams, response: RerateResult, errors: [404],
    handler: ({ params, principal }) => quotes.rerateQuote(db, principal, params.ref),
  }),
];
