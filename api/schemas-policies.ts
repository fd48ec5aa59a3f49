/** Query and response schemas of policies (docs/policy-lifecycle.md §5). */
import { z } from 'zod';
import { BIND_MODES, POLICY_STATUSES, QUOTE_BASES } from '../domain/index.ts';
import { CoverageRequest, FleetLine, text } from '../domain/schemas/index.ts';
import { Cursor, Limit, pageOf } from './schemas.ts';
import { QuotePremium, QuoteVersions, Subjectivity } from './schemas-pricing.ts';

export const POLICY_NUMBER = /^RR-P-\d{4}-\d{6,}$/;
export const PolicyParams = z.object({ no: z.string().regex(POLICY_NUMBER, 'a policy number such as RR-P-2026-000123') });
export const SubjectivityParams = z.object({
  ref: z.string().regex(/^Q-\d{8}-[0-9A-F]{8}$/, 'a quote reference such as Q-20261123-0A1B2C3D'),
  id: z.string().regex(/^[1-9]\d{0,3}$/, 'the number of a subjectivity on its quote (1, 2, …)').transform(Number)
    .meta({ type: 'integer', minimum: 1, maximum: 9999, description: 'Number of the subjectivity on its quote' }),
});

export const PolicyQuery = z.strictObject({
  status: z.enum(POLICY_STATUSES).optional().meta({ description: 'Only policies showing this status' }),
  organization_ref: text.min(1).max(100).optional().meta({ description: 'Only this organization (an enterprise sees its own only)' }),
  cursor: Cursor,
  limit: Limit,
});

const policyCore = {
  policy_number: z.string().meta({ description: 'Policy number RR-P-<year bound>-<number>' }),
  quote_ref: z.string().meta({ description: 'The quote it was bound from' }),
  organization_ref: z.string().meta({ description: 'Insured organization' }),
  status: z.enum(POLICY_STATUSES).meta({ description: 'live; cancelled; expired (a live policy after its last day)' }),
  basis: z.enum(QUOTE_BASES).meta({ description: 'annual premium, or pay-per-use (a rate per operating hour)' }),
  period: z.strictObject({
    start: z.string().meta({ description: 'Inception: first day of cover' }),
    end: z.string().meta({ description: 'Expiry: last day of cover (inclusive)' }),
  }).meta({ description: 'Policy period' }),
  currency: z.string().meta({ description: 'Currency of the premium' }),
  gross_premium: z.number().meta({ description: 'Gross premium of the policy as bound' }),
  bound_at: z.date().meta({ description: 'When it was bound' }),
};

export const PolicySummary = z.strictObject(policyCore).meta({ id: 'PolicySummary', description: 'A policy in a list' });
export const PolicyPage = pageOf(PolicySummary, 'PolicyPage', 'policies');

export const PolicySchedule = z.strictObject({
  fleet: z.array(FleetLine).meta({ description: 'Insured fleet lines' }),
  coverages: z.array(CoverageRequest).meta({ description: 'Coverages with deductibles, limits and coinsurance' }),
  premium: QuotePremium,
  pay_per_use: z.strictObject({
    expected_operating_hours: z.number().meta({ description: 'Σ units × operating hours per unit' }),
    rate_per_operating_hour: z.number().nullable().meta({ description: 'gross premium / expected hours, CNY' }),
  }).meta({ description: 'The pay-per-use rate' }),
}).meta({ id: 'PolicySchedule', description: 'What the policy covers: the quote’s fleet, coverages and premium at bind' });

export const Policy = z.strictObject({
  ...policyCore,
  schedule: PolicySchedule,
  versions: QuoteVersions,
  bind_mode: z.enum(BIND_MODES).meta({ description: 'underwriter; auto_on_acceptance; migration (bound before policies existed)' }),
  bound_by: z.string().meta({ description: 'Audit actor that bound it' }),
  subjectivities: z.array(Subjectivity).meta({ description: 'The quote’s conditions with their status' }),
  cancelled_at: z.date().nullable().meta({ description: 'When it was cancelled' }),
  cancellation_effective_date: z.string().nullable().meta({ description: 'First day without cover after cancellation' }),
  cancellation_reason: z.string().nullable().meta({ description: 'Why it was cancelled' }),
  created_at: z.date().meta({ description: 'When the policy record was made' }),
}).meta({ id: 'Policy', description: 'A bound policy (docs/policy-lifecycle.md §5)' });
