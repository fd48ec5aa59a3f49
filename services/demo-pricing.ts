/**
 * Makes a fresh installation able to price at once: fits a negative-binomial frequency model
 * (Poisson where the claims of a coverage show no overdispersion, see `fitDemoFrequency`) and
 * the severity candidates for each coverage on the demo history, activates them, loads the
 * default rule set and activates a demo rating plan. Everything goes through the same services
 * an actuary uses (audited as `system`).
 */
import type { Db } from '../db/connection.ts';
import { AppError } from './errors.ts';
import { DEFAULT_RULESET } from '../rules/default-ruleset.ts';
import { COVERAGE_CODES } from '../domain/index.ts';
import { activateModel, fitFrequencyModel, fitSeverityModel } from './model-versions.ts';
import type { FrequencyModelRequest } from '../domain/schemas/index.ts';
import type { CoverageCode } from '../domain/index.ts';
import { activateRuleset, createRuleset } from './rulesets.ts';
import { activateRatingPlan, createRatingPlan } from './rating-plans.ts';
import type { RatingPlanRequest } from '../domain/schemas/index.ts';

/** Loadings of the demo plan (illustrative; see research/insurance-platforms.md for typical ranges). */
export const DEMO_LOADINGS: RatingPlanRequest['loadings'] = {
  expense: 0.12, commission: 0.1, profit: 0.05, cost_of_capital: 0.06, tax: 0.06, minimum_premium: 5000,
};

/** θ̂ beyond this is no overdispersion: Var = μ + μ²/θ cannot be told from μ at claim-level means. */
const NO_OVERDISPERSION_THETA = 1e4;

/**
 * The demo frequency model of a coverage: negative binomial, or Poisson — the NB2 limit θ → ∞ —
 * when θ̂ diverges. Claims are rare events (a few per hundred exposure periods), so the
 * overdispersion of a coverage's claim counts is often invisible even when it is there, and
 * theta.ml then fails (NOT_CONVERGED with θ running off) or stops at an astronomic θ; the first
 * start must not fail on it, nor price with such a θ.
 */
async function fitDemoFrequency(db: Db, coverage: CoverageCode) {
  const spec: FrequencyModelRequest = {
    coverage,
    factors: ['scenario_area', 'autonomy_level', 'human_proximity'],
    family: 'negative_binomial',
    base_levels: { scenario_area: 'manufacturing', autonomy_level: 'supervised', human_proximity: 'shared_space' },
  };
  // θ ran off: beyond the threshold, or to ±∞ / NaN on the way there
  const ranOff = (theta: unknown) => typeof theta === 'number' && (!Number.isFinite(theta) || theta > NO_OVERDISPERSION_THETA);
  try {
    const nb = await fitFrequencyModel(db, 'system', spec);
    if (!ranOff((nb as { theta?: number | null }).theta)) return nb;
  } catch (e) {
    if (!(e instanceof AppError && e.extra?.glm_error === 'NOT_CONVERGED' && ranOff((e.extra.details as { theta?: unknown } | undefined)?.theta))) throw e;
  }
  return fitFrequencyModel(db, 'system', { ...spec, family: 'poisson' });
}

export async function setupDemoPricing(db: Db) {
  const coverages: RatingPlanRequest['coverages'] = {};
  for (const coverage of COVERAGE_CODES) {
    const f = await fitDemoFrequency(db, coverage);
    await activateModel(db, 'system', f.id);
    const s = await fitSeverityModel(db, 'system', { coverage });
    await activateModel(db, 'system', s.id);
    coverages[coverage] = { frequency_model_id: f.id, severity_model_id: s.id };
  }
  const rs = await createRuleset(db, 'system', DEFAULT_RULESET);
  await activateRuleset(db, 'system', rs.id);
  const plan = await createRatingPlan(db, 'system', {
    name: 'demo', description: 'Demo rating plan fitted on the demo validation history', coverages, ruleset_id: rs.id,
    loadings: DEMO_LOADINGS, quote_validity_days: 30, experience_credibility: true, auto_bind_on_acceptance: true,
  });
  await activateRatingPlan(db, 'system', plan.id);
  return { plan_id: plan.id, ruleset_id: rs.id, coverages };
}
