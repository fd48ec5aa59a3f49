/**
 * Makes a fresh installation able to price at once: fits a negative-binomial frequency model
 * and the severity candidates for each coverage on the demo history, activates them, loads the
 * default rule set and activates a demo rating plan. Everything goes through the same services
 * an actuary uses (audited as `system`).
 */
import type { Db } from '../db/connection.ts';
import { DEFAULT_RULESET } from '../rules/default-ruleset.ts';
import { COVERAGE_CODES } from '../domain/index.ts';
import { activateModel, fitFrequencyModel, fitSeverityModel } from './model-versions.ts';
import { activateRuleset, createRuleset } from './rulesets.ts';
import { activateRatingPlan, createRatingPlan } from './rating-plans.ts';
import type { RatingPlanRequest } from '../domain/schemas/index.ts';

/** Loadings of the demo plan (illustrative; see research/insurance-platforms.md for typical ranges). */
export const DEMO_LOADINGS: RatingPlanRequest['loadings'] = {
  expense: 0.12, commission: 0.1, profit: 0.05, cost_of_capital: 0.06, tax: 0.06, minimum_premium: 5000,
};

export async function setupDemoPricing(db: Db) {
  const coverages: RatingPlanRequest['coverages'] = {};
  for (const coverage of COVERAGE_CODES) {
    const f = await fitFrequencyModel(db, 'system', {
      coverage,
      factors: ['scenario_area', 'autonomy_level', 'human_proximity'],
      family: 'negative_binomial',
      base_levels: { scenario_area: 'manufacturing', autonomy_level: 'supervised', human_proximity: 'shared_space' },
    });
    await activateModel(db, 'system', f.id);
    const s = await fitSeverityModel(db, 'system', { coverage });
    await activateModel(db, 'system', s.id);
    coverages[coverage] = { frequency_model_id: f.id, severity_model_id: s.id };
  }
  const rs = await createRuleset(db, 'system', DEFAULT_RULESET);
  await activateRuleset(db, 'system', rs.id);
  const plan = await createRatingPlan(db, 'system', {
    name: 'demo', description: 'Demo rating plan fitted on the demo validation history', coverages, ruleset_id: rs.id,
    loadings: DEMO_LOADINGS, quote_validity_days: 30, experience_credibility: true,
  });
  await activateRatingPlan(db, 'system', plan.id);
  return { plan_id: plan.id, ruleset_id: rs.id, coverages };
}
