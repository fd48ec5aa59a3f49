/**
 * The rating engine: a deterministic function of its inputs (the request, the catalog entries
 * it names, the organization's experience, the rating plan, the model versions and the rule
 * set). Quotes store these inputs in their worksheet, so re-rating reproduces the premium to
 * the cent (docs/actuarial-method.md §8).
 */
import { distributionFromParams, type DistributionName, type SeverityDistribution } from '../models/distributions/index.ts';
import { buildPremium, DEFAULT_STEP_LADDER, loadPremium, type LoadedPremium, type AggregateSummary, type PolicyFrequency, type PremiumLineInput } from '../models/premium/index.ts';
import { buhlmannStraub, buhlmannStraubEstimable } from '../models/credibility/index.ts';
import { bandLabel, LEADING_INDICATOR_BANDS } from '../domain/factors.ts';
import type { ClassExperience } from '../db/repositories/modeling.ts';
import { buildQuoteFacts, type QuoteLineContext } from '../rules/facts.ts';
import { evaluateRules } from '../rules/engine.ts';
import type { Ruleset } from '../rules/types.ts';
import type { FleetLine, QuoteRequest, RatingPlanRequest } from '../domain/schemas/index.ts';
import type { CoverageCode, Environment, FormFactor, FrequencyFactor, FrequencyFamily, HumanProximity, ScenarioAreaCode, SeverityFamily } from '../domain/index.ts';
import { appError } from './errors.ts';
import { termYears } from '../domain/calendar.ts';
import { roundCents } from '../models/premium/rounding.ts';

export interface ScenarioClassInfo { code: string; area: ScenarioAreaCode; human_proximity: HumanProximity; environment: Environment; vulnerable_people: boolean }
export interface RobotModelInfo { code: string; form_factor: FormFactor; mass_kg: number; payload_kg: number; max_speed_mps: number; replacement_value: number; certifications: Record<string, boolean> }

/** The organization's own experience and its class totals in one scenario class. */
export type ClassExperienceInput = Omit<ClassExperience, 'scenario_class'>;

/** Bühlmann–Straub estimate for the organization in a class and coverage: premium / collective mean. */
export interface CredibilityInput {
  /**
   * Monthly incident rates per 1,000 h by organization (rows) and month (columns); null in a month
   * without hours. null, not NaN: the inputs are stored as JSON with the quote and re-rating must
   * see exactly what pricing saw.
   */
  ratios: (number | null)[][];
  /** Operating hours per cell. */
  weights: number[][];
  /** Row of the quoted organization, or -1 when it has no history in the class. */
  row: number;
}

export interface FrequencyModelSnapshot {
  id: number;
  family: FrequencyFamily;
  theta: number | null;
  factors: FrequencyFactor[];
  terms: { factor: string | null; level: string | null; estimate: number }[];
  base_levels: Record<string, string>;
}
/** Severity families a model version may price with: the fitted families and a spliced body + GPD tail. */
export type SeverityModelName = SeverityFamily | 'spliced';
export interface SeverityModelSnapshot { id: number; distribution: SeverityModelName; params: Record<string, number>; body?: SeverityFamily }

/** Everything a price depends on; stored with the quote. */
export interface RatingInputs {
  request: QuoteRequest;
  organization_ref: string;
  scenario_classes: Record<string, ScenarioClassInfo>;
  robot_models: Record<string, RobotModelInfo>;
  experience: Record<string, ClassExperienceInput | null>;
  credibility: Partial<Record<CoverageCode, Record<string, CredibilityInput>>>;
  plan: { id: number; name: string; version: number; body: RatingPlanRequest };
  ruleset: { id: number; name: string; version: number; body: Ruleset };
  /**
   * Scorecard verdict per `robot_model|scenario_class` of the fleet (services/scorecard.ts), the
   * `scorecard_verdict` line fact; absent in inputs stored before the scorecard (null facts).
   */
  scorecard_verdicts?: Record<string, string | null>;
  models: Partial<Record<CoverageCode, { frequency: FrequencyModelSnapshot; severity: SeverityModelSnapshot }>>;
}


/**
 * Version of the rating arithmetic, stored with every quote (`versions.pricing_engine` and the
 * worksheet): re-rating runs the current code on the stored inputs, so a change to the numerical
 * method (lattice, transforms) that can move a premium by a cent must change this string.
 *   2026-11-23.2: lines sharing a payment per loss compounded together (Poisson Σλ; NB pgfs
 *   multiplied in the log domain), FFT zero padding 4× → 2×, real inverse transforms; lattice
 *   unchanged (2^14 points, same range rule). Risk margins equal those of 2026-11-23.1 to
 *   < 1e-10 (relative) on the requests of bench/README.md "Quotes".
 *   2026-11-29.1: each coverage compounds its claims with its own frequency model's count
 *   distribution (NB2 with its θ, or Poisson); before, the θ of the first NB coverage in request
 *   order applied to every coverage. Rule loadings scale each line's expected claims before the
 *   aggregate (was: a multiplier on pure premium + risk margin after it), so a shared aggregate
 *   limit cannot re-share a coverage's capped premium towards heavily loaded lines; the risk
 *   margin is allocated to coverages by their stand-alone TVaR − mean (was: by uncapped pure
 *   premium, so a coverage capped at CNY 1 could carry CNY 20,000 of margin). Unbiased
 *   discretisation sets round-off negatives to 0. TVaR is the expected shortfall VaR + E[(S − VaR)+]/(1 − p)
 *   (was actuar's CTE E[S | S > VaR], which jumped when the atom at a per-occurrence limit moved
 *   across VaR, so a higher deductible could raise a small fleet's premium by 2 %). The lattice has 2^14 points or more (up to
 *   2^20) so that its step adds at most 0.1 % to the aggregate's variance (bench/README.md
 *   "Lattice"): very large Poisson fleets were priced up to 18 % too high.
 *   2026-11-29.2: the lattice step is rounded up to the ladder 2^(j/16) and each group's
 *   discretised payment per loss and its forward transform are cached across quotes
 *   (models/premium/lattice-cache.ts); premiums within 1e-3 of 2026-11-29.1 on the comparison
 *   set (bench/README.md "Rating engine").
 *   2026-11-29.3: each coverage's aggregate (stand-alone risk, aggregate limit) on its own
 *   2^j ≤ n points at the policy's step, from the policy's transform taken at every
 *   (M/M_c)-th frequency (models/premium/policy-aggregate.ts `coverageLattice`); premiums within
 *   1e-3 of 2026-11-29.2 on the comparison set (bench/README.md "Rating engine 2026-11-29.3").
 */
export const PRICING_ENGINE = 'roborisk-rating 2026-11-29.3 (compound FFT, 2^14–2^20-point lattice by variance bound, step ladder 2^(j/16) with cached transforms, coverage aggregates on their own 2^j points, 2x padding, count model per coverage, loadings on claims, stand-alone margin allocation)';

/**
 * The engine before 2026-11-29.3 (every coverage aggregate on the policy's n points), kept
 * selectable with `rate(inputs, { engine: 'previous' })` so that the comparison set
 * (bench/rating/compare.ts, tests/unit/rating-coverage-lattice.test.ts) prices the same requests
 * with both in the same run.
 */
export const PREVIOUS_PRICING_ENGINE = 'roborisk-rating 2026-11-29.2 (compound FFT, 2^14–2^20-point lattice by variance bound, step ladder 2^(j/16) with cached transforms, 2x padding, count model per coverage, loadings on claims, stand-alone margin allocation)';

/**
 * The engine before 2026-11-29.2 (lattice step from each quote's range, nothing cached),
 * `rate(inputs, { engine: '2026-11-29.1' })` (tests/unit/rating-step-ladder.test.ts).
 */
export const PRICING_ENGINE_2026_11_29_1 = 'roborisk-rating 2026-11-29.1 (compound FFT, 2^14–2^20-point lattice by variance bound, 2x padding, count model per coverage, loadings on claims, stand-alone margin allocation)';

const ENGINES = {
  current: { name: PRICING_ENGINE, options: { stepLadder: DEFAULT_STEP_LADDER, coverageLattice: 'own' } },
  previous: { name: PREVIOUS_PRICING_ENGINE, options: { stepLadder: DEFAULT_STEP_LADDER, coverageLattice: 'policy' } },
  '2026-11-29.1': { name: PRICING_ENGINE_2026_11_29_1, options: { stepLadder: 0, coverageLattice: 'policy' } },
} as const;

/** Options of {@link rate}: `previous` runs the engine {@link PREVIOUS_PRICING_ENGINE}, `2026-11-29.1` the one before. */
export interface RateOptions {
  readonly engine?: keyof typeof ENGINES;
}

/** Years between two ISO dates (end inclusive), on a 365-day year. */

/** Rating factor levels of a line for the frequency model's factors. */
function lineLevels(line: FleetLine, sc: ScenarioClassInfo, rm: RobotModelInfo, exp: ClassExperienceInput | null, model: FrequencyModelSnapshot) {
  const levels: Record<string, { level: string; source: string }> = {};
  for (const f of model.factors) {
    switch (f) {
      case 'scenario_area': levels[f] = { level: sc.area, source: 'scenario class' }; break;
      case 'scenario_class': levels[f] = { level: sc.code, source: 'request' }; break;
      case 'human_proximity': levels[f] = { level: sc.human_proximity, source: 'scenario class' }; break;
      case 'form_factor': levels[f] = { level: rm.form_factor, source: 'robot model' }; break;
      case 'autonomy_level': levels[f] = { level: line.autonomy_level, source: 'request' }; break;
      case 'protective_stop_band':
      case 'near_miss_band': {
        const band = LEADING_INDICATOR_BANDS[f];
        const count = band.column === 'protective_stops' ? exp?.org_protective_stops : exp?.org_near_misses;
        if (exp && exp.org_operating_hours > 0 && count != null) {
          levels[f] = { level: bandLabel(band.cuts, (count * 1000) / exp.org_operating_hours), source: "organization's telemetry in the class" };
        } else {
          levels[f] = { level: model.base_levels[f], source: 'no telemetry: base level' };
        }
        break;
      }
      default: throw new Error(`unknown rating factor ${f}`);
    }
  }
  return levels;
}

/** exp(intercept + Σ β_level): claims per operating hour; throws when a level is not in the model. */
function rateOf(model: FrequencyModelSnapshot, levels: Record<string, { level: string }>) {
  let eta = 0;
  const used: { factor: string | null; level: string | null; relativity: number }[] = [];
  for (const t of model.terms) if (t.factor === null) { eta += t.estimate; used.push({ factor: null, level: null, relativity: Math.exp(t.estimate) }); }
  const missing: string[] = [];
  for (const [factor, { level }] of Object.entries(levels)) {
    if (model.base_levels[factor] === level) { used.push({ factor, level, relativity: 1 }); continue; }
    const term = model.terms.find((t) => t.factor === factor && t.level === level);
    if (!term) { missing.push(`${factor}=${level}`); continue; }
    eta += term.estimate;
    used.push({ factor, level, relativity: Math.exp(term.estimate) });
  }
  return { ratePerHour: Math.exp(eta), relativities: used, missing };
}

function credibilityOf(stored: CredibilityInput | undefined) {
  if (!stored || stored.row < 0 || stored.ratios.length < 2) return { adjustment: 1, note: stored && stored.row >= 0 ? 'fewer than 2 organizations in the class' : 'no own experience in the class' };
  // a month without hours is a missing cell (NaN) for the model
  const c = { ...stored, ratios: stored.ratios.map((r) => r.map((x) => x ?? NaN)) };
  if (!buhlmannStraubEstimable(c)) return { adjustment: 1, note: 'too little experience in the class to estimate credibility (needs 2 organizations and a repeated month)' };
  const bs = buhlmannStraub({ ratios: c.ratios, weights: c.weights });
  const z = bs.credibilityFactors[c.row];
  const own = bs.individualMeans[c.row];
  const adj = bs.collectiveMean > 0 ? bs.premiums[c.row] / bs.collectiveMean : 1;
  return {
    adjustment: Number.isFinite(adj) && adj > 0 ? adj : 1,
    credibility_factor: z, own_rate_per_1000h: own, class_rate_per_1000h: bs.collectiveMean,
    credibility_rate_per_1000h: bs.premiums[c.row], organizations: bs.contracts, k: bs.credibilityConstant,
  };
}

/** Claim counts of a coverage: NB2 with the θ of its own frequency model when that is NB, else Poisson. */
function claimCountModel(m: FrequencyModelSnapshot): PolicyFrequency {
  return m.family === 'negative_binomial' && m.theta !== null && m.theta > 0 ? { dist: 'negative-binomial', theta: m.theta } : { dist: 'poisson' };
}

export type Decision = 'quoted' | 'referred' | 'declined';

const severityCache = new Map<string, SeverityDistribution>();

/**
 * The severity distribution of a model snapshot, one object per (distribution, params, body):
 * a pure function of the snapshot, memoised so that the aggregate's per-severity work
 * (payment per loss, its bound and provisional second moment) is reused across quotes.
 */
function severityDistribution(sev: SeverityModelSnapshot): SeverityDistribution {
  const key = JSON.stringify([sev.distribution, sev.params, sev.body ?? null]);
  let d = severityCache.get(key);
  if (!d) {
    d = distributionFromParams(sev.distribution as DistributionName, sev.params, sev.body ? { body: sev.body as DistributionName } : {});
    if (severityCache.size >= 1000) severityCache.clear();
    severityCache.set(key, d);
  }
  return d;
}

/** The policy aggregate of models/premium in the API's snake_case. */
function aggregateView(a: AggregateSummary) {
  return {
    risk_level: a.riskLevel, mean: a.mean, sd: a.sd, aggregate_limit: a.aggregateLimit, aggregate_limit_binds: a.aggregateLimitBinds,
    limited_mean: a.limitedMean, aggregate_limit_factor: a.aggregateLimitFactor,
    coverages: Object.fromEntries(Object.entries(a.coverages).map(([c, v]) => [c, {
      mean: v.mean, limited_mean: v.limitedMean, aggregate_limit: v.aggregateLimit, binds: v.binds, factor: v.factor, capped_at: v.cappedAt,
      stand_alone_risk: v.standAloneRisk,
    }])) as Partial<Record<CoverageCode, { mean: number; limited_mean: number; aggregate_limit: number | null; binds: boolean; factor: number; capped_at: number | null; stand_alone_risk: number }>>,
    coverage_caps_exact: a.coverageCapsExact, value_at_risk: a.valueAtRisk, tail_value_at_risk: a.tailValueAtRisk, risk_mean: a.riskMean,
    step: a.step, grid_points: a.gridPoints, mass_lost: a.massLost,
  };
}

type Amounts = { purePremium: number; riskMargin: number; technicalPremium: number; premiumBeforeTax: number; tax: number; grossPremium: number };
const amounts = (a: Amounts) => ({
  pure_premium: a.purePremium, risk_margin: a.riskMargin, technical_premium: a.technicalPremium,
  premium_before_tax: a.premiumBeforeTax, tax: a.tax, gross_premium: a.grossPremium,
});

/** The premium of a quote in the API's shape (lines, coverages in request order, total). */
function premiumView(premium: Pick<LoadedPremium, 'lines' | 'totals'>, coverageCodes: readonly CoverageCode[]) {
  const byLine = premium.lines.map((pl) => ({
    line: Number(pl.lineId.split(':')[0]), coverage: pl.coverage as CoverageCode, expected_claims: pl.expectedClaims, loaded_expected_claims: pl.loadedExpectedClaims,
    expected_payment_per_loss: pl.expectedPaymentPerLoss, loading_factor: pl.loadingFactor, ...amounts(pl),
    expense_and_commission: roundCents(pl.premiumBeforeTax - pl.technicalPremium),
  }));
  const byCoverage: Partial<Record<CoverageCode, ReturnType<typeof amounts>>> = {};
  for (const c of coverageCodes) {
    const ls = premium.lines.filter((pl) => pl.coverage === c);
    const sum = (k: keyof Amounts) => roundCents(ls.reduce((s, x) => s + x[k], 0));
    byCoverage[c] = {
      pure_premium: sum('purePremium'), risk_margin: sum('riskMargin'), technical_premium: sum('technicalPremium'),
      premium_before_tax: sum('premiumBeforeTax'), tax: sum('tax'), gross_premium: sum('grossPremium'),
    };
  }
  const total = { ...amounts(premium.totals), expense_and_commission: roundCents(premium.totals.premiumBeforeTax - premium.totals.technicalPremium) };
  return { byLine, byCoverage, total };
}

/** Prices a request. Throws VALIDATION_FAILED for a request the plan cannot rate. */
export function rate(inputs: RatingInputs, options: RateOptions = {}) {
  const engine = ENGINES[options.engine ?? 'current'];
  const { request, plan } = inputs;
  const modelsFor = (coverage: CoverageCode) => {
    const m = inputs.models[coverage];
    if (!m) throw new Error(`rating inputs have no models for ${coverage}`);
    return m;
  };
  const years = termYears(request.period);
  const coverages = request.coverages;
  for (const [i, c] of coverages.entries()) {
    if (!plan.body.coverages[c.coverage]) {
      throw appError('VALIDATION_FAILED', `rating plan ${plan.name} v${plan.version} does not price ${c.coverage}`, { errors: [{ field: `coverages.${i}.coverage`, message: 'not priced by the rating plan in force' }] });
    }
  }

  // Rules: facts per line (with the organization's experience) and for the request.
  const contexts: QuoteLineContext[] = request.fleet.map((line) => {
    const exp = inputs.experience[line.scenario_class] ?? null;
    return {
      line,
      scenarioClass: inputs.scenario_classes[line.scenario_class],
      robotModel: inputs.robot_models[line.robot_model],
      experience: exp ? { ...exp } : null,
      scorecardVerdict: inputs.scorecard_verdicts?.[`${line.robot_model}|${line.scenario_class}`] ?? null,
    };
  });
  const { lineFacts, requestFacts } = buildQuoteFacts(request, contexts, years);
  const rules = evaluateRules(inputs.ruleset.body, lineFacts, requestFacts);

  const referralReasons: string[] = [];
  const premiumLines: PremiumLineInput[] = [];
  // one severity object per coverage: lines that share it (and d, u) are compounded together
  const severityOf = (coverage: CoverageCode) => severityDistribution(modelsFor(coverage).severity);
  const lineSheets = request.fleet.map((line, li) => {
    const sc = inputs.scenario_classes[line.scenario_class];
    const rm = inputs.robot_models[line.robot_model];
    const exp = inputs.experience[line.scenario_class] ?? null;
    const covSheets = coverages.map((c) => {
      const models = modelsFor(c.coverage);
      const levels = lineLevels(line, sc, rm, exp, models.frequency);
      const r = rateOf(models.frequency, levels);
      if (r.missing.length) referralReasons.push(`line ${li + 1} ${c.coverage}: the frequency model has no estimate for ${r.missing.join(', ')}`);
      const cred = plan.body.experience_credibility ? credibilityOf(inputs.credibility[c.coverage]?.[line.scenario_class]) : { adjustment: 1, note: 'experience credibility off in the plan' };
      const limitCap = c.coverage === 'robot_damage' ? rm.replacement_value : Infinity;
      const limit = Math.min(c.per_occurrence_limit, limitCap);
      const loading = rules.lines[li].loadings[c.coverage];
      const sev = models.severity;
      premiumLines.push({
        lineId: `${li + 1}:${c.coverage}`,
        coverage: c.coverage,
        units: line.units,
        hoursPerUnit: line.operating_hours_per_unit,
        claimRatePerHour: r.missing.length ? 0 : r.ratePerHour,
        credibilityAdjustment: cred.adjustment,
        severity: severityOf(c.coverage),
        deductible: c.deductible,
        limit,
        ruleLoadings: loading && loading.factor !== 1 ? loading.contributions.map((x) => x.factor) : [],
        frequency: claimCountModel(models.frequency),
        coinsurance: c.coinsurance ?? 1,
      });
      return {
        coverage: c.coverage,
        rating_factors: levels,
        relativities: r.relativities,
        rate_per_1000h: r.ratePerHour * 1000,
        credibility: cred,
        deductible: c.deductible,
        coinsurance: c.coinsurance ?? 1,
        per_occurrence_limit_requested: c.per_occurrence_limit,
        per_occurrence_limit: limit,
        limit_capped_at_replacement_value: limit < c.per_occurrence_limit,
        rule_loadings: loading?.contributions ?? [],
        rule_loading_factor: loading?.factor ?? 1,
        frequency_model_id: models.frequency.id,
        claim_count_model: claimCountModel(models.frequency),
        severity_model: { id: sev.id, distribution: sev.distribution, params: sev.params },
      };
    });
    return { index: li + 1, ...line, scenario_area: sc.area, exposure_hours: line.units * line.operating_hours_per_unit, facts: lineFacts[li], coverages: covSheets };
  });

  const aggregateLimits: Record<string, number> = {};
  for (const c of coverages) if (c.aggregate_limit) aggregateLimits[c.coverage] = c.aggregate_limit;
  const l = plan.body.loadings;
  const premium = buildPremium({
    lines: premiumLines,
    frequency: { dist: 'poisson' }, // every line gives its coverage's own count model
    aggregateLimits,
    aggregateOptions: engine.options,
    loadings: {
      expense: l.expense, commission: l.commission, profit: l.profit, costOfCapital: l.cost_of_capital,
      taxRate: l.tax, minimumPremium: l.minimum_premium,
    },
  });

  let decision: Decision = rules.decision;
  const reasons = [...rules.reasons];
  if (decision === 'quoted' && referralReasons.length) { decision = 'referred'; }
  reasons.push(...referralReasons);

  const { byLine, byCoverage, total } = premiumView(premium, coverages.map((c) => c.coverage));
  const expectedHours = request.fleet.reduce((s, f) => s + f.units * f.operating_hours_per_unit, 0);
  const result = {
    decision,
    reasons,
    premium: { currency: 'CNY', lines: byLine, coverages: byCoverage, total },
    pay_per_use: { expected_operating_hours: expectedHours, rate_per_operating_hour: expectedHours > 0 ? premium.totals.grossPremium / expectedHours : null },
    subjectivities: rules.subjectivities,
    term_years: years,
    minimum_premium_applied: premium.minimumPremiumApplied,
  };
  const worksheet = {
    pricing_engine: engine.name,
    backdating: request.backdating ?? null,
    method: 'docs/actuarial-method.md §8: expected claims = units × hours × rate × credibility; pure = expected claims × a (E[X∧(d+u)] − E[X∧d]), a the coinsurance share; '
      + 'rule loadings multiply expected claims; risk margin = cost of capital × (TVaR99.5 − mean) of the policy aggregate (TVaR = expected shortfall VaR + E[(S − VaR)+]/0.005), allocated to coverages by stand-alone TVaR99.5 − mean and within a coverage by pure premium; technical = pure + risk margin; '
      + 'gross = technical / (1 − expense − commission − profit) + tax; at least the minimum premium',
    plan: { id: plan.id, name: plan.name, version: plan.version, loadings: plan.body.loadings },
    ruleset: { id: inputs.ruleset.id, name: inputs.ruleset.name, version: inputs.ruleset.version },
    lines: lineSheets,
    rules: { decision: rules.decision, fired: rules.fired, request_facts: requestFacts },
    aggregate: aggregateView(premium.aggregate),
    premium: result.premium,
    inputs,
  };
  return { result, worksheet };
}

/** What a quote stores as its result, and the worksheet it stores. */
export type RatingResult = ReturnType<typeof rate>['result'];
export type RatingWorksheet = ReturnType<typeof rate>['worksheet'];

/**
 * What a stored quote keeps of its policy aggregate: the worksheet's `aggregate` (stand-alone
 * risks, TVaR and mean of the payments, aggregate-limit factors) and the result's premium lines
 * (loaded expected claims, expected payment per loss).
 */
export interface StoredPremiumBasis {
  aggregate: {
    tail_value_at_risk: number;
    risk_mean: number;
    aggregate_limit_factor: number;
    coverages: Record<string, { factor: number; stand_alone_risk: number }>;
  };
  lines: { line: number; coverage: string; expected_claims: number; loaded_expected_claims: number; expected_payment_per_loss: number; loading_factor: number }[];
  fleet: { units: number; operating_hours_per_unit: number }[];
}

/**
 * The premium of a stored quote under other loadings (expense, commission, profit, cost of
 * capital, tax, minimum premium) with everything else unchanged: the same engine, rule set,
 * models and plan options, so the same aggregate. Arithmetic on the stored basis only
 * (`loadPremium`, the step `buildPremium` itself ends with), so it equals `rate()` of the stored
 * inputs under those loadings to the cent (tests/unit/rerate-loadings.test.ts).
 * @throws RangeError when the basis is incomplete or the loadings are invalid.
 */
export function repriceWithLoadings(stored: StoredPremiumBasis, loadings: RatingPlanRequest['loadings']) {
  const agg = stored.aggregate;
  const codes: CoverageCode[] = [];
  for (const l of stored.lines) if (!codes.includes(l.coverage as CoverageCode)) codes.push(l.coverage as CoverageCode);
  const standAloneRisk: Record<string, number> = {};
  for (const c of codes) {
    const cov = agg.coverages[c];
    if (!cov || typeof cov.stand_alone_risk !== 'number' || typeof cov.factor !== 'number') throw new RangeError(`stored aggregate has no coverage ${c}`);
    standAloneRisk[c] = cov.stand_alone_risk;
  }
  if (typeof agg.tail_value_at_risk !== 'number' || typeof agg.risk_mean !== 'number' || typeof agg.aggregate_limit_factor !== 'number') throw new RangeError('stored aggregate is incomplete');
  const premium = loadPremium({
    lines: stored.lines.map((l) => {
      const f = stored.fleet[l.line - 1];
      return {
        lineId: `${l.line}:${l.coverage}`, coverage: l.coverage, exposureHours: f ? f.units * f.operating_hours_per_unit : 0,
        expectedClaims: l.expected_claims, loadedExpectedClaims: l.loaded_expected_claims, expectedPaymentPerLoss: l.expected_payment_per_loss,
        loadingFactor: l.loading_factor, aggregateLimitFactor: agg.coverages[l.coverage].factor * agg.aggregate_limit_factor,
      };
    }),
    standAloneRisk,
    riskCapital: Math.max(0, agg.tail_value_at_risk - agg.risk_mean),
  }, {
    expense: loadings.expense, commission: loadings.commission, profit: loadings.profit, costOfCapital: loadings.cost_of_capital,
    taxRate: loadings.tax, minimumPremium: loadings.minimum_premium,
  });
  const { byLine, byCoverage, total } = premiumView(premium, codes);
  return { currency: 'CNY' as const, lines: byLine, coverages: byCoverage, total };
}
