/** Routes of identified units and mid-term changes (docs/policy-changes.md). */
import { z } from 'zod';
import * as changes from '../../services/policy-changes.ts';
import * as units from '../../services/policy-units.ts';
import { Cancellation, Endorsement, UnitCheckQuery } from '../../domain/schemas/policy-changes.ts';
import type { AppDeps } from '../deps.ts';
import { defineRoute, type Route } from '../route.ts';
import { PolicyChanges, PolicyClaims, UnitClaimPage } from '../schemas-policy-changes.ts';

const PolicyParams = z.object({ no: z.string().regex(/^RR-P-\d{4}-\d{6,}$/, 'a policy number such as RR-P-2026-000123') });

export const policyChangeRoutes = ({ db }: AppDeps): Route[] => [
  defineRoute({
    method: 'get', path: '/v1/policies/:no/changes', tag: 'Policies', roles: ['enterprise', 'underwriter'],
    summary: 'Mid-term changes of a policy: every change with its pro-rata premium, the premium in force and the insured units',
    params: PolicyParams, response: PolicyChanges, errors: [404],
    handler: ({ params, principal }) => changes.policyChanges(db, principal, params.no),
  }),
  defineRoute({
    method: 'post', path: '/v1/policies/:no/endorsements', tag: 'Policies', roles: ['underwriter'], status: 201,
    summary: 'Endorse a live annual policy: add or remove units from a date (re-rated with the policy’s versions, pro-rata premium; audited)',
    params: PolicyParams, body: Endorsement, response: PolicyChanges, errors: [404, 409],
    handler: ({ params, body, principal }) => changes.endorsePolicy(db, principal, params.no, body),
  }),
  defineRoute({
    method: 'post', path: '/v1/policies/:no/cancellation', tag: 'Policies', roles: ['underwriter'],
    summary: 'Cancel a live annual policy from a date with the pro-rata return premium (audited)',
    params: PolicyParams, body: Cancellation, response: PolicyChanges, errors: [404, 409],
    handler: ({ params, body, principal }) => changes.cancelPolicy(db, principal, params.no, body),
  }),
  defineRoute({
    method: 'get', path: '/v1/policies/:no/claims', tag: 'Policies', roles: ['enterprise', 'underwriter'],
    summary: 'The claims view of a policy: incidents of its linked deployments or naming its units during its cover, each matched to an insured unit (flagged: a unit not on a live policy)',
    params: PolicyParams, response: PolicyClaims, errors: [404],
    handler: ({ params, principal }) => units.policyClaims(db, principal, params.no),
  }),
  defineRoute({
    method: 'get', path: '/v1/unit-checks', tag: 'Policies', roles: ['enterprise', 'underwriter'],
    summary: 'Incidents naming a unit, matched to insured units; flagged_only=true lists claims on units not on a live policy (an enterprise sees its own)',
    query: UnitCheckQuery, response: UnitClaimPage,
    handler: ({ query, principal }) => units.unitChecks(db, principal, query),
  }),
];
