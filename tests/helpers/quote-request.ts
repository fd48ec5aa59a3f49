import type { z } from 'zod';
import { nextPolicyYear } from '../../domain/calendar.ts';
import type { QuoteRequest } from '../../domain/schemas/index.ts';

/** A 2-line, 3-coverage quote request that the default rules quote (no referral); a fresh copy per call. */
export const baseQuoteRequest = (): z.input<typeof QuoteRequest> => ({
  basis: 'annual',
  period: nextPolicyYear(),
  fleet: [
    { robot_model: 'LMD-B300', scenario_class: 'manufacturing.assembly', units: 10, autonomy_level: 'supervised', operating_hours_per_unit: 4000, safety: { safety_officer_on_site: true } },
    { robot_model: 'LMD-W200', scenario_class: 'warehousing_logistics.picking', units: 6, autonomy_level: 'supervised', operating_hours_per_unit: 5000, safety: {} },
  ],
  coverages: [
    { coverage: 'robot_damage', deductible: 5000, per_occurrence_limit: 300_000 },
    { coverage: 'third_party_liability', deductible: 2000, per_occurrence_limit: 2_000_000 },
    { coverage: 'business_interruption', deductible: 0, per_occurrence_limit: 100_000 },
  ],
});
