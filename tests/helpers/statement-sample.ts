/** A hand-built premium statement (figures of tests/unit/models/usage-statement.test.ts, February 2027) for the renderer tests. */
import { SOURCE_RULE, type PolicyStatement } from '../../domain/schemas/policy-usage.ts';

const declared = (h: number, role: 'enterprise' | 'underwriter') => ({ operating_hours: h, declared_by: 'api_key:7', declared_role: role, declared_at: '2027-03-02T09:30:00.000Z', note: null });
export const SAMPLE: PolicyStatement = {
  policy_number: 'RR-P-2027-000042', quote_ref: 'Q-20261201-0A1B2C3D', organization: { ref: 'ENT-001', name: '深圳测试机器人有限公司' },
  period: { start: '2027-01-01', end: '2027-12-31' }, month: '2027-02', from: '2027-02-01', to: '2027-02-28', days: 28, period_days: 365,
  status: 'final', currency: 'CNY',
  lines: [
    { line: 1, robot_model: 'LMD-B300', scenario_class: 'manufacturing.assembly', units: 10, line_gross_premium: 12345.67, line_expected_hours: 40000,
      rate_per_operating_hour: 0.30864175, rates: [{ from: '2027-02-01', to: '2027-02-28', days: 28, line_gross_premium: 12345.67, line_expected_hours: 40000, rate_per_operating_hour: 0.30864175 }],
      expected_hours: 3068.49, declared_hours: null, declared_minus_expected: null, billed_hours: 3210.5,
      billed_minus_expected: 142.01, amount: 990.89, expected_amount: 947.07,
      deployments: [
        { deployment_ref: 'DEP-A1', imported_hours: 2000, declared_by_enterprise: null, declared_by_underwriter: null, billed_hours: 2000, source: 'imported' },
        { deployment_ref: '=HYPERLINK("x")', imported_hours: 1210.5, declared_by_enterprise: null, declared_by_underwriter: null, billed_hours: 1210.5, source: 'imported' },
      ] },
    { line: 2, robot_model: 'LMD-W200', scenario_class: 'warehousing_logistics.picking', units: 6, line_gross_premium: 8765.43, line_expected_hours: 30000,
      rate_per_operating_hour: 0.292181, rates: [{ from: '2027-02-01', to: '2027-02-28', days: 28, line_gross_premium: 8765.43, line_expected_hours: 30000, rate_per_operating_hour: 0.292181 }],
      expected_hours: 2301.37, declared_hours: 2000, declared_minus_expected: -301.37, billed_hours: 2000,
      billed_minus_expected: -301.37, amount: 584.36, expected_amount: 672.42,
      deployments: [{ deployment_ref: 'DEP-B1', imported_hours: 1500.25, declared_by_enterprise: declared(1800, 'enterprise'), declared_by_underwriter: declared(2000, 'underwriter'), billed_hours: 2000, source: 'declared_by_underwriter' }] },
  ],
  expected_hours: 5369.86, declared_hours: 2000, billed_hours: 5210.5, subtotal: 1575.25, minimum_premium: 383.56, minimum_premium_adjustment: 0, total: 1575.25,
  source_rule: SOURCE_RULE, generated_at: '2027-03-05T08:00:00.000Z',
};

