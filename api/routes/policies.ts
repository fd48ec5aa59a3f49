/** Subjectivities, acceptance, binding and policies (docs/policy-lifecycle.md). */
import { z } from 'zod';
import * as policies from '../../services/policies.ts';
import * as subjectivities from '../../services/subjectivities.ts';
import { QuoteAcceptance, SubjectivityUpdate } from '../../domain/schemas/index.ts';
import type { AppDeps } from '../deps.ts';
import { defineRoute, type Route } from '../route.ts';
import { Quote, Subjectivity } from '../schemas-pricing.ts';
import { Policy, PolicyPage, PolicyParams, PolicyQuery, SubjectivityParams } from '../schemas-policies.ts';

const QuoteRefParams = z.object({ ref: z.string().regex(/^Q-\d{8}-[0-9A-F]{8}$/, 'a quote reference such as Q-20261123-0A1B2C3D') });

export const policyRoutes = ({ db }: AppDeps): Route[] => [
  defineRoute({
    method: 'get', path: '/v1/quotes/:ref/subjectivities', tag: 'Quotes', roles: ['enterprise', 'underwriter'],
    summary: 'The subjectivities of a quote with their deadline and status (an enterprise: its own quotes)',
    params: QuoteRefParams, response: z.array(Subjectivity).meta({ id: 'SubjectivityList', description: 'Subjectivities of a quote, by id' }), errors: [404],
    handler: ({ params, principal }) => subjectivities.listSubjectivities(db, principal, params.ref),
  }),
  defineRoute({
    method: 'post', path: '/v1/quotes/:ref/subjectivities/:id', tag: 'Quotes', roles: ['enterprise', 'underwriter'],
    summary: 'An underwriter marks a subjectivity satisfied or waived (with a note); the insured enterprise attaches its evidence note (audited)',
    params: SubjectivityParams, body: SubjectivityUpdate, response: Subjectivity, errors: [404, 409],
    handler: ({ params, body, principal }) => subjectivities.updateSubjectivity(db, principal, params.ref, params.id, body),
  }),
  defineRoute({
    method: 'post', path: '/v1/quotes/:ref/accept', tag: 'Quotes', roles: ['enterprise'],
    summary: 'The insured accepts its own quoted quote: bound at once where the rating plan allows and nothing blocks it, else accepted for an underwriter to bind (audited)',
    params: QuoteRefParams, body: QuoteAcceptance, response: Quote, errors: [404, 409],
    handler: ({ params, body, principal }) => policies.acceptQuote(db, principal, params.ref, body ?? {}),
  }),
  defineRoute({
    method: 'post', path: '/v1/quotes/:ref/bind', tag: 'Quotes', roles: ['underwriter'],
    summary: 'Bind a quoted or accepted, unexpired quote (once): refused (409) while a subjectivity required before binding is open; creates the policy (audited)',
    params: QuoteRefParams, response: Quote, errors: [404, 409],
    handler: ({ params, principal }) => policies.bindQuote(db, principal, params.ref),
  }),
  defineRoute({
    method: 'get', path: '/v1/policies', tag: 'Policies', roles: ['enterprise', 'underwriter', 'actuary'],
    summary: 'List policies (an enterprise sees its own)',
    query: PolicyQuery, response: PolicyPage,
    handler: ({ query, principal }) => policies.listPolicies(db, principal, query),
  }),
  defineRoute({
    method: 'get', path: '/v1/policies/:no', tag: 'Policies', roles: ['enterprise', 'underwriter', 'actuary'],
    summary: 'One policy with its schedule and subjectivities (an enterprise: its own only)',
    params: PolicyParams, response: Policy, errors: [404],
    handler: ({ params, principal }) => policies.getPolicy(db, principal, params.no),
  }),
];
