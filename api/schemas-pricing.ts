/**
 * Query and response schemas of models, rule sets, rating plans and quotes. The request bodies
 * are in domain/schemas (the services use their types).
 */
import { z } from 'zod';
import {
  AUTONOMY_LEVELS, COVERAGE_CODES, ENVIRONMENTS, FORM_FACTORS, FREQUENCY_FAMILIES, HUMAN_PROXIMITIES, MODEL_STATUSES, QUOTE_DECISIONS,
  QUOTE_STATUSES, SCENARIO_AREA_CODES, SEVERITY_FAMILIES, SUBJECTIVITY_DEADLINES, SUBJECTIVITY_SOURCES, SUBJECTIVITY_STATUSES, VERSION_STATUSES,
} from '../domain/index.ts';
import { FREQUENCY_FACTORS } from '../domain/factors.ts';
import {
  FrequencyModelRequest, Loadings, QuoteRequest, RatingPlanRequest, SafetyDeclaration, SeverityModelRequest, text,
} from '../domain/schemas/index.ts';
import { FACT_CATALOG, type FactDefinition } from '../rules/facts.ts';
import { EVENT_TYPES, type Condition, type TopLevelCondition } from '../rules/types.ts';
import { OPERATOR_NAMES } from '../rules/operators.ts';
import { Cursor, Limit, pageOf } from './schemas.ts';
import { CLASS_AGGREGATE_FACTS } from '../services/worksheet-view.ts';

const num = (description: string) => z.number().meta({ description });
const int = (description: string) => z.number().int().meta({ description });
const str = (description: string) => z.string().meta({ description });
const bool = (description: string) => z.boolean().meta({ description });
/** A number that JSON renders as null when it is not finite (NaN, ±∞). */
const maybe = (description: string) => z.number().nullable().meta({ description: `${description} (null when not finite)` });
const coverageMap = <T extends z.ZodType>(value: T, description: string) => z.partialRecord(z.enum(COVERAGE_CODES), value).meta({ description });

// ---------------------------------------------------------------------------------------------
// Queries

export const ModelQuery = z.strictObject({
  kind: z.enum(['frequency', 'severity']).optional(),
  coverage: z.enum(COVERAGE_CODES).optional(),
  status: z.enum(MODEL_STATUSES).optional(),
  cursor: Cursor,
  limit: Limit,
});

export const VersionQuery = z.strictObject({
  name: text.max(100).optional(),
  status: z.enum(VERSION_STATUSES).optional(),
  cursor: Cursor,
  limit: Limit,
});

export const QuoteQuery = z.strictObject({
  status: z.enum(QUOTE_STATUSES).optional(),
  cursor: Cursor,
  limit: Limit,
});

// ---------------------------------------------------------------------------------------------
// Model versions

const modelCommon = {
  id: int('Model version id'),
  coverage: z.enum(COVERAGE_CODES).nullable().meta({ description: 'Coverage the model was fitted on; null for a frequency model on incident types' }),
  status: z.enum(MODEL_STATUSES).meta({ description: 'candidate (fitted), active (prices its coverage; one per kind and coverage), retired' }),
  created_by: str('Audit actor that fitted it (api_key:<id> or system)'),
  created_at: z.date().meta({ description: 'When it was fitted' }),
  activated_at: z.date().nullable().meta({ description: 'When it was last activated' }),
};

const DataRange = z.strictObject({
  from: z.string().nullable().meta({ description: 'First day of the exposure periods used' }),
  to: z.string().nullable().meta({ description: 'Last day of the exposure periods used' }),
}).meta({ id: 'DataRange', description: 'Dates covered by the data a model was fitted on' });

const FrequencyDataSnapshot = z.strictObject({
  rows: int('Exposure periods used'),
  incidents: num('Claims counted'),
  operating_hours: num('Operating hours (exposure)'),
  period: DataRange,
  content_hash: str('SHA-256 of the fitted data (cells or exposure rows)'),
}).meta({ id: 'FrequencyDataSnapshot', description: 'The data a frequency model was fitted on' });

const SeverityDataSnapshot = z.strictObject({
  rows: int('Losses fitted'),
  open: int('Open claims among them (at paid + case reserve)'),
  total_incurred: num('Total incurred of the losses, CNY'),
  period: DataRange,
  content_hash: str('SHA-256 of the losses'),
}).meta({ id: 'SeverityDataSnapshot', description: 'The losses a severity model was fitted on' });

const FrequencySummary = z.strictObject({
  family: z.enum(FREQUENCY_FAMILIES).meta({ description: 'Claim-count family' }),
  coverage: z.enum(COVERAGE_CODES).nullable().meta({ description: 'Coverage whose claims were counted (null: incident types)' }),
  incident_types: z.array(z.string()).nullable().meta({ description: 'Incident types counted (null: a coverage)' }),
  factors: z.array(z.enum(FREQUENCY_FACTORS)).meta({ description: 'Rating factors' }),
  incidents: num('Claims counted'),
  operating_hours: num('Exposure, operating hours'),
  aic: num('Akaike information criterion'),
  deviance: num('Residual deviance'),
  theta: z.number().nullable().meta({ description: 'NB2 size θ (null for Poisson)' }),
  converged: bool('Whether IRLS converged'),
  base_rate_per_1000h: num('Claims per 1,000 operating hours at the base levels: 1000·exp(intercept)'),
}).meta({ id: 'FrequencySummary', description: 'Key figures of a frequency model' });

const GlmTerm = z.strictObject({
  name: str('Term name (factor and level; (Intercept))'),
  factor: z.enum(FREQUENCY_FACTORS).nullable().meta({ description: 'Factor (null for the intercept)' }),
  level: z.string().nullable().meta({ description: 'Level of the factor (null for the intercept)' }),
  estimate: num('Coefficient β (log scale)'),
  std_error: num('Standard error of β'),
  relativity: num('exp(β): multiplier of the claim rate against the base level'),
  ci_low: num('Lower 95% Wald bound of the relativity'),
  ci_high: num('Upper 95% Wald bound of the relativity'),
}).meta({ id: 'GlmTerm', description: 'A coefficient of the frequency GLM' });

const FactorLevel = z.strictObject({
  level: str('Level'),
  is_base: bool('Whether it is the base level (relativity 1)'),
  rows: int('Data rows (cells or exposure periods) at the level'),
  operating_hours: num('Exposure at the level, hours'),
  incidents: num('Claims at the level'),
}).meta({ id: 'FactorLevel', description: 'Data behind one level of a factor' });

export const FrequencyModelVersion = z.strictObject({
  ...modelCommon,
  kind: z.literal('frequency').meta({ description: 'Model kind' }),
  spec: FrequencyModelRequest,
  data_snapshot: FrequencyDataSnapshot,
  summary: FrequencySummary,
  terms: z.array(GlmTerm).meta({ description: 'Coefficients with relativities and 95% intervals' }),
  theta: z.number().nullable().meta({ description: 'NB2 size θ (null for Poisson)' }),
  theta_std_error: z.number().nullable().meta({ description: 'Standard error of θ (null for Poisson)' }),
  deviance: num('Residual deviance'),
  null_deviance: num('Deviance of the intercept-only model'),
  df_residual: int('Residual degrees of freedom'),
  log_lik: num('Maximised log-likelihood'),
  aic: num('Akaike information criterion'),
  pearson_chi2: num('Pearson χ² statistic'),
  dispersion: z.number().nullable().meta({ description: 'Pearson χ² / residual df (null without residual df)' }),
  iterations: int('IRLS iterations'),
  converged: bool('Whether IRLS converged'),
  fitted_on: z.enum(['cells', 'exposure_periods']).meta({ description: 'cells: Poisson from SQL cell sums; exposure_periods: NB2 on one row per exposure period' }),
  base_levels: z.record(z.string(), z.string()).meta({ description: 'Base level of each factor (factor → level)' }),
  levels: z.record(z.string(), z.array(FactorLevel)).meta({ description: 'Levels of each factor with their data (factor → levels)' }),
  warnings: z.array(z.string()).meta({ description: 'Fitting warnings (sparse levels, boundary estimates…)' }),
  rate_unit: str('How to read the rate: per operating hour with offset log(hours)'),
}).meta({ id: 'FrequencyModelVersion', description: 'A frequency GLM version with all its terms and diagnostics' });

const severityFamily = z.enum([...SEVERITY_FAMILIES, 'spliced']).meta({ description: 'Distribution family (spliced: body with a generalised Pareto tail)' });

const FittedSeverity = z.strictObject({
  distribution: severityFamily,
  ok: z.literal(true).meta({ description: 'The fit succeeded' }),
  rank: int('Rank by AIC among the plain families (1 = best); absent for the spliced fit').optional(),
  delta_aic: num('AIC minus the best plain family’s AIC; absent for the spliced fit').optional(),
  body: z.enum(SEVERITY_FAMILIES).optional().meta({ description: 'Body family of a spliced fit' }),
  threshold: num('Splice threshold of a spliced fit, CNY').optional(),
  params: z.record(z.string(), z.number()).meta({ description: 'Parameter estimates by name (e.g. meanlog, sdlog; body.* and tail.* for spliced)' }),
  standard_errors: z.record(z.string(), z.number().nullable()).meta({ description: 'Standard errors by parameter (null when the information matrix is not positive definite)' }),
  loglik: num('Maximised log-likelihood'),
  aic: num('Akaike information criterion'),
  bic: num('Bayesian information criterion'),
  ks: maybe('Kolmogorov–Smirnov statistic'),
  ad: maybe('Anderson–Darling statistic'),
  n: int('Losses fitted'),
  converged: bool('Whether the optimiser converged'),
  mean: maybe('Mean of the fitted distribution, CNY'),
  quantiles: z.strictObject({ p50: num('Median, CNY'), p90: num('90% quantile, CNY'), p99: num('99% quantile, CNY') })
    .meta({ description: 'Quantiles of the fitted distribution' }),
}).meta({ id: 'FittedSeverity', description: 'A successful maximum-likelihood severity fit' });

const FailedSeverity = z.strictObject({
  distribution: severityFamily,
  ok: z.literal(false).meta({ description: 'The fit failed' }),
  error: str('Why'),
}).meta({ id: 'FailedSeverity', description: 'A severity family that could not be fitted' });

const BestSeverity = z.strictObject({
  distribution: severityFamily,
  params: z.record(z.string(), z.number()).meta({ description: 'Parameters by name' }),
  body: z.enum(SEVERITY_FAMILIES).optional().meta({ description: 'Body family of a spliced fit' }),
}).meta({ id: 'BestSeverity', description: 'The fit that prices (lowest AIC)' });

const SeveritySummary = z.strictObject({
  coverage: z.enum(COVERAGE_CODES).meta({ description: 'Coverage of the losses' }),
  n: int('Losses fitted'),
  open_claims: int('Open claims among them'),
  best: severityFamily.nullable().meta({ description: 'Best family (null when none could be fitted)' }),
  best_aic: z.number().nullable().meta({ description: 'Its AIC' }),
}).meta({ id: 'SeveritySummary', description: 'Key figures of a severity model' });

export const SeverityModelVersion = z.strictObject({
  ...modelCommon,
  kind: z.literal('severity').meta({ description: 'Model kind' }),
  spec: SeverityModelRequest,
  data_snapshot: SeverityDataSnapshot,
  summary: SeveritySummary,
  best: BestSeverity.nullable(),
  fits: z.array(z.union([FittedSeverity, FailedSeverity])).meta({ description: 'Every family tried, in AIC order, then the spliced fit' }),
  open_claims: int('Open claims among the losses'),
  includes_open_claims: bool('Whether open claims were part of the fit'),
  note: str('How the losses were taken'),
}).meta({ id: 'SeverityModelVersion', description: 'A severity model version with every fit tried' });

export const ModelVersion = z.discriminatedUnion('kind', [FrequencyModelVersion, SeverityModelVersion])
  .meta({ id: 'ModelVersion', description: 'A model version (frequency or severity, by kind)' });

const listed = { ...modelCommon };
const FrequencyModelListItem = z.strictObject({
  ...listed,
  kind: z.literal('frequency').meta({ description: 'Model kind' }),
  spec: FrequencyModelRequest,
  data_snapshot: FrequencyDataSnapshot,
  summary: FrequencySummary,
}).meta({ id: 'FrequencyModelListItem', description: 'A frequency model version in a list (summary only)' });
const SeverityModelListItem = z.strictObject({
  ...listed,
  kind: z.literal('severity').meta({ description: 'Model kind' }),
  spec: SeverityModelRequest,
  data_snapshot: SeverityDataSnapshot,
  summary: SeveritySummary,
}).meta({ id: 'SeverityModelListItem', description: 'A severity model version in a list (summary only)' });
export const ModelVersionPage = pageOf(
  z.discriminatedUnion('kind', [FrequencyModelListItem, SeverityModelListItem]).meta({ id: 'ModelListItem', description: 'A model version in a list' }),
  'ModelVersionPage', 'model versions',
);

// ---------------------------------------------------------------------------------------------
// Rule sets

const conditionName = z.string().optional().meta({ description: 'Optional name of the condition' });

/** A condition of a rule (recursive: all / any / not / a reference to a shared condition / a comparison). */
export const RuleCondition: z.ZodType<Condition, Condition> = z.lazy(() => z.union([LeafCondition, AllCondition, AnyCondition, NotCondition, ConditionReference]))
  .meta({ id: 'RuleCondition', description: 'A condition: a comparison of a fact, or all / any / not of conditions, or a shared condition by name' });

const LeafCondition = z.strictObject({
  fact: z.enum(Object.keys(FACT_CATALOG) as [string, ...string[]]).meta({ description: 'A fact of the fact catalog (rules/facts.ts)' }),
  operator: z.enum(OPERATOR_NAMES as [string, ...string[]]).meta({ description: 'Comparison operator' }),
  value: z.unknown().meta({ description: 'Value compared with (a JSON value, or { "fact": name } to compare with another fact)' }),
  name: conditionName,
}).meta({ id: 'LeafCondition', description: 'A comparison of one fact with a value' });
const AllCondition = z.strictObject({ all: z.array(RuleCondition).meta({ description: 'Every condition holds' }), name: conditionName })
  .meta({ id: 'AllCondition', description: 'All of the conditions' });
const AnyCondition = z.strictObject({ any: z.array(RuleCondition).meta({ description: 'At least one condition holds' }), name: conditionName })
  .meta({ id: 'AnyCondition', description: 'Any of the conditions' });
const NotCondition = z.strictObject({ not: RuleCondition, name: conditionName })
  .meta({ id: 'NotCondition', description: 'The negation of a condition' });
const ConditionReference = z.strictObject({ condition: str('Name of a shared condition of the rule set'), name: conditionName })
  .meta({ id: 'ConditionReference', description: 'A shared condition by name' });
const TopCondition: z.ZodType<TopLevelCondition, TopLevelCondition> = z.union([AllCondition, AnyCondition, NotCondition, ConditionReference])
  .meta({ id: 'TopLevelCondition', description: 'The root condition of a rule: all / any / not of conditions, or a shared condition by name' });

const reason = str('Reason printed on the quote and in the worksheet');
const coverageParam = z.enum(COVERAGE_CODES).optional().meta({ description: 'Coverage affected (all when absent)' });
const EventParams = z.union([
  z.strictObject({ reason }),
  z.strictObject({ reason, factor: num('Premium multiplier: load in (1, 5], discount in [0.5, 1)'), coverage: coverageParam }),
  z.strictObject({ reason, text: str('Subjectivity printed on the quote') }),
]).meta({ id: 'RuleEventParams', description: 'Parameters of a rule event (decline / refer: reason; load / discount: reason, factor, coverage; require: reason, text)' });

const RuleEvent = z.strictObject({
  type: z.enum(EVENT_TYPES).meta({ description: 'decline, refer (an underwriter decides), load or discount a premium, require (a subjectivity)' }),
  params: EventParams,
}).meta({ id: 'RuleEvent', description: 'What a rule does when it fires' });

export const Ruleset = z.strictObject({
  name: str('Rule set name'),
  version: z.union([z.string(), z.number()]).optional().meta({ description: 'Version label given by the author' }),
  description: str('What the rule set is for').optional(),
  effective_from: str('Informative date from which the author meant it to apply').optional(),
  shared_conditions: z.record(z.string(), TopCondition).optional().meta({ description: 'Named conditions usable in rules as { "condition": name }' }),
  rules: z.array(z.strictObject({
    name: str('Rule name, unique in the rule set'),
    description: str('Why the rule exists').optional(),
    priority: int('json-rules-engine priority (higher runs first)').optional(),
    conditions: TopCondition,
    event: RuleEvent,
  }).meta({ id: 'Rule', description: 'An underwriting rule' })).meta({ description: 'The rules' }),
}).meta({ id: 'Ruleset', description: 'An underwriting rule set (json-rules-engine format, validated)' });

const versionCommon = (what: string) => ({
  id: int(`${what} version id`),
  name: str(`${what} name`),
  version: int('Version number within the name (1, 2, …)'),
  status: z.enum(VERSION_STATUSES).meta({ description: 'draft (uploaded), active (in force from effective_from), retired' }),
  effective_from: z.date().nullable().meta({ description: 'When an active version takes effect' }),
  created_by: str('Audit actor that created it'),
  created_at: z.date().meta({ description: 'When it was created' }),
});

export const RulesetVersion = z.strictObject({ ...versionCommon('Rule set'), ruleset: Ruleset })
  .meta({ id: 'RulesetVersion', description: 'A stored rule set version' });
export const RulesetVersionPage = pageOf(RulesetVersion, 'RulesetVersionPage', 'rule set versions');

export const RatingPlanVersion = z.strictObject({ ...versionCommon('Rating plan'), plan: RatingPlanRequest })
  .meta({ id: 'RatingPlanVersion', description: 'A stored rating plan version' });
export const RatingPlanVersionPage = pageOf(RatingPlanVersion, 'RatingPlanVersionPage', 'rating plan versions');

// ---------------------------------------------------------------------------------------------
// Quotes

const amounts = {
  pure_premium: num('Expected claims × expected payment per loss (after aggregate limits), CNY'),
  risk_margin: num('Allocated cost-of-capital risk margin, CNY'),
  technical_premium: num('(pure + risk margin) × rule loadings, CNY'),
  premium_before_tax: num('technical / (1 − expense − commission − profit), at least the minimum premium, CNY'),
  tax: num('Tax, CNY'),
  gross_premium: num('premium before tax + tax, CNY'),
};
const QuoteAmounts = z.strictObject(amounts).meta({ id: 'QuoteAmounts', description: 'Premium build-up (docs/actuarial-method.md §8), rounded to cents' });
const expenseAndCommission = num('premium before tax − technical premium (expenses, commission, profit), CNY');

const PremiumLine = z.strictObject({
  line: int('Fleet line (1-based)'),
  coverage: z.enum(COVERAGE_CODES).meta({ description: 'Coverage' }),
  expected_claims: num('units × hours × rate × credibility adjustment'),
  loaded_expected_claims: num('expected claims × loading factor: the claims the pure premium and the aggregate are built on'),
  expected_payment_per_loss: num('a (E[X∧(d+u)] − E[X∧d]), a the coinsurance share, CNY'),
  loading_factor: num('Product of the rule loadings and discounts (applied to the expected claims)'),
  ...amounts,
  expense_and_commission: expenseAndCommission,
}).meta({ id: 'PremiumLine', description: 'Premium of one fleet line and coverage' });

export const QuotePremium = z.strictObject({
  currency: str('Currency of the amounts (CNY)'),
  lines: z.array(PremiumLine).meta({ description: 'Per fleet line and coverage' }),
  coverages: coverageMap(QuoteAmounts, 'Per coverage quoted (coverage → amounts)'),
  total: z.strictObject({ ...amounts, expense_and_commission: expenseAndCommission }).meta({ description: 'The policy' }),
}).meta({ id: 'QuotePremium', description: 'The premium, built up per line, coverage and in total' });

const VersionRef = z.strictObject({ id: int('Version id'), name: str('Name'), version: int('Version number') })
  .meta({ id: 'VersionRef', description: 'A rule set or rating plan version' });

export const QuoteVersions = z.strictObject({
  pricing_engine: str('Version of the rating arithmetic'),
  rating_plan: VersionRef,
  ruleset: VersionRef,
  models: coverageMap(
    z.strictObject({ frequency: int('Frequency model version'), severity: int('Severity model version') }).meta({ description: 'Model versions of the coverage' }),
    'Model versions per coverage quoted',
  ),
}).meta({ id: 'QuoteVersions', description: 'Everything versioned the price depends on' });

export const Subjectivity = z.strictObject({
  id: int('Number of the subjectivity on its quote (1, 2, …): the {id} of POST /v1/quotes/{ref}/subjectivities/{id}'),
  text: str('The condition'),
  source: z.enum(SUBJECTIVITY_SOURCES).meta({ description: 'rules: a require rule of the rule set; underwriter: imposed with a decision' }),
  required_before: z.enum(SUBJECTIVITY_DEADLINES).meta({ description: 'bind: binding is refused while open; inception: due before cover starts; none: no deadline' }),
  status: z.enum(SUBJECTIVITY_STATUSES).meta({ description: 'open until an underwriter marks it satisfied or waives it' }),
  actor: z.string().nullable().meta({ description: 'Who closed it (audit actor); null while open' }),
  at: z.date().nullable().meta({ description: 'When it was closed; null while open' }),
  note: z.string().nullable().meta({ description: 'Why it was closed; null while open' }),
  evidence_note: z.string().nullable().meta({ description: 'Evidence the insured offers' }),
  evidence_by: z.string().nullable().meta({ description: 'Who attached the evidence note' }),
  evidence_at: z.date().nullable().meta({ description: 'When the evidence note was attached' }),
  created_at: z.date().meta({ description: 'When it was imposed' }),
}).meta({ id: 'Subjectivity', description: 'A condition of a quote with its status (docs/policy-lifecycle.md §3)' });

const quoteState = {
  ref: str('Quote reference Q-YYYYMMDD-XXXXXXXX'),
  organization_ref: str('Insured organization'),
  status: z.enum(QUOTE_STATUSES).meta({ description: 'Lifecycle status (docs/policy-lifecycle.md §2; quoted, referred and accepted quotes expire after valid_until)' }),
};

export const Quote = z.strictObject({
  ...quoteState,
  decision: z.enum(QUOTE_DECISIONS).meta({ description: 'Current underwriting decision: the rules’, or an underwriter’s on a referral (docs/policy-lifecycle.md §1)' }),
  rules_decision: z.enum(QUOTE_DECISIONS).meta({ description: 'Decision of the underwriting rules when priced (never changes)' }),
  reasons: z.array(z.string()).meta({ description: 'Decline and referral reasons' }),
  premium: QuotePremium,
  pay_per_use: z.strictObject({
    expected_operating_hours: num('Σ units × operating hours per unit'),
    rate_per_operating_hour: z.number().nullable().meta({ description: 'gross premium / expected hours, CNY (null without hours)' }),
  }).meta({ description: 'The pay-per-use rate' }),
  subjectivities: z.array(z.string()).meta({ description: 'Texts of the conditions (the rules’, then an underwriter’s); their status in subjectivity_details' }),
  subjectivity_details: z.array(Subjectivity).meta({ description: 'Each condition with its deadline and status' }),
  term_years: num('Policy period in years'),
  minimum_premium_applied: bool('Whether the minimum premium raised the premium'),
  request: QuoteRequest,
  versions: QuoteVersions,
  valid_until: z.date().meta({ description: 'Last moment the quote can be bound' }),
  decision_note: z.string().nullable().meta({ description: 'The underwriter’s note on a decided referral' }),
  created_at: z.date().meta({ description: 'When it was priced' }),
  decided_at: z.date().nullable().meta({ description: 'When an underwriter decided it' }),
  accepted_at: z.date().nullable().meta({ description: 'When the insured accepted it' }),
  bound_at: z.date().nullable().meta({ description: 'When it was bound' }),
  policy_number: z.string().nullable().meta({ description: 'The policy made by binding it (null until bound)' }),
}).meta({ id: 'Quote', description: 'A priced quote with its decision, premium, request and versions' });

export const QuoteSummary = z.strictObject({
  ...quoteState,
  decision: z.enum(QUOTE_DECISIONS).meta({ description: 'Current decision: the rules’, or the underwriter’s on a referral' }),
  gross_premium: num('Gross premium, CNY'),
  valid_until: z.date().meta({ description: 'Last moment the quote can be bound' }),
  created_at: z.date().meta({ description: 'When it was priced' }),
}).meta({ id: 'QuoteSummary', description: 'A quote in a list' });
export const QuotePage = pageOf(QuoteSummary, 'QuotePage', 'quotes');

export const RerateResult = z.strictObject({
  ref: str('Quote reference'),
  versions: QuoteVersions,
  original_gross_premium: num('Gross premium stored with the quote, CNY'),
  rerated_gross_premium: num('Gross premium of the re-rating, CNY'),
  identical: bool('Whether the re-rated premium equals the stored one to the cent, line by line'),
  premium: QuotePremium,
}).meta({ id: 'RerateResult', description: 'The stored request re-priced with the stored inputs and versions' });

// --- the worksheet

/** Facts of the fact catalog as a schema (scope line or request), each with its description; `optional` facts may be absent. */
function factsSchema(scope: FactDefinition['scope'], id: string, description: string, optional: ReadonlySet<string> = new Set()) {
  const shape: Record<string, z.ZodType> = {};
  for (const f of Object.values(FACT_CATALOG)) {
    if (f.scope !== scope) continue;
    const values = f.values as [string, ...string[]] | undefined;
    const base = f.type === 'number' ? z.number()
      : f.type === 'boolean' ? z.boolean()
        : f.type === 'string[]' ? z.array(values ? z.enum(values) : z.string()).readonly()
          : values ? z.enum(values) : z.string();
    const schema = f.nullable ? base.nullable() : base;
    const text = `${f.description}${f.unit ? ` Unit: ${f.unit}.` : ''}`;
    shape[f.name] = optional.has(f.name) ? schema.optional().meta({ description: `${text} Absent where the class figures are withheld.` }) : schema.meta({ description: text });
  }
  return z.strictObject(shape).meta({ id, description });
}
const LineFacts = factsSchema('line', 'LineFacts', 'Facts of one fleet line as the rules saw them');
const EnterpriseLineFacts = factsSchema('line', 'EnterpriseLineFacts', 'Facts of one fleet line as the rules saw them; the class-level facts only where the class figures are shown', new Set(CLASS_AGGREGATE_FACTS));
const RequestFacts = factsSchema('request', 'RequestFacts', 'Facts of the whole request as the rules saw them');

const FactValue = z.union([z.number(), z.string(), z.boolean(), z.null(), z.array(z.string()).readonly()])
  .meta({ id: 'FactValue', description: 'A fact value (null when unknown)' });

const LoadingContribution = z.strictObject({
  rule: str('Rule that fired'),
  event_type: z.enum(['load', 'discount']).meta({ description: 'Load or discount' }),
  factor: num('Multiplier'),
  line_index: z.number().int().nullable().meta({ description: '0-based fleet line it fired on (null: request-level rule)' }),
  reason: reason,
}).meta({ id: 'LoadingContribution', description: 'A rule loading or discount applied to a coverage' });

const ConditionTrace = z.strictObject({
  fact: str('Fact compared'),
  operator: str('Operator'),
  value: z.unknown().meta({ description: 'Value as written in the rule' }),
  fact_value: FactValue,
  compared_value: z.unknown().meta({ description: 'Resolved right-hand side' }),
  result: bool('Outcome of the comparison'),
}).meta({ id: 'ConditionTrace', description: 'One comparison of a fired rule' });

const FiredRule = z.strictObject({
  rule: str('Rule name'),
  description: z.string().nullable().meta({ description: 'Rule description' }),
  priority: int('Priority'),
  event_type: z.enum(EVENT_TYPES).meta({ description: 'Event type' }),
  params: EventParams,
  reason: reason,
  line_index: z.number().int().nullable().meta({ description: '0-based fleet line it fired on (null: request-level rule)' }),
  facts: z.record(z.string(), FactValue).meta({ description: 'Value of every fact the rule’s conditions reference (fact → value)' }),
  trace: z.array(ConditionTrace).meta({ description: 'Every comparison with its values and result' }),
}).meta({ id: 'FiredRule', description: 'A rule that fired, with the fact values that made it fire' });

const NoCredibility = z.strictObject({
  adjustment: num('Multiplier of the class rate (1)'),
  note: str('Why no credibility adjustment applies'),
});
const ClassCredibility = z.strictObject({
  adjustment: num('Credibility premium / collective mean'),
  credibility_factor: maybe('Bühlmann–Straub Z of the organization'),
  own_rate_per_1000h: maybe('Organization’s own incident rate per 1,000 h'),
  class_rate_per_1000h: maybe('Collective mean rate of the class per 1,000 h'),
  credibility_rate_per_1000h: maybe('Credibility-weighted rate per 1,000 h'),
  organizations: int('Organizations in the class'),
  k: maybe('Credibility constant'),
});

const Credibility = z.union([
  NoCredibility,
  ClassCredibility,
]).meta({ id: 'CredibilityAdjustment', description: 'Bühlmann–Straub experience adjustment of a line' });

const WorksheetCoverage = z.strictObject({
  coverage: z.enum(COVERAGE_CODES).meta({ description: 'Coverage' }),
  rating_factors: z.record(z.string(), z.strictObject({ level: str('Level'), source: str('Where the level came from') }))
    .meta({ description: 'Level of each rating factor of the frequency model (factor → level and source)' }),
  relativities: z.array(z.strictObject({
    factor: z.string().nullable().meta({ description: 'Factor (null: intercept)' }),
    level: z.string().nullable().meta({ description: 'Level (null: intercept)' }),
    relativity: num('exp(β) (intercept: base rate per hour)'),
  })).meta({ description: 'Relativities applied' }),
  rate_per_1000h: num('Claim rate per 1,000 operating hours'),
  credibility: Credibility,
  deductible: num('Per-occurrence deductible, CNY'),
  coinsurance: num('Share of each loss above the deductible the insurer pays (1: all)'),
  per_occurrence_limit_requested: num('Limit requested, CNY'),
  per_occurrence_limit: num('Limit priced (robot damage: at most the replacement value), CNY'),
  limit_capped_at_replacement_value: bool('Whether the limit was capped'),
  rule_loadings: z.array(LoadingContribution).meta({ description: 'Rule loadings and discounts applied' }),
  rule_loading_factor: num('Their product'),
  frequency_model_id: int('Frequency model version'),
  claim_count_model: z.discriminatedUnion('dist', [
    z.strictObject({ dist: z.literal('poisson').meta({ description: 'Poisson claim counts' }) }),
    z.strictObject({ dist: z.literal('negative-binomial').meta({ description: 'NB2 claim counts (variance μ + μ²/θ)' }), theta: num('θ of the coverage’s frequency model') }),
  ]).meta({ description: 'Claim-count distribution of the coverage in the aggregate (its own frequency model’s)' }),
  severity_model: z.strictObject({
    id: int('Severity model version'),
    distribution: severityFamily,
    params: z.record(z.string(), z.number()).meta({ description: 'Parameters by name' }),
  }).meta({ description: 'Severity distribution used' }),
}).meta({ id: 'WorksheetCoverage', description: 'Rating of one coverage of a fleet line' });

const WorksheetLine = z.strictObject({
  index: int('Fleet line (1-based)'),
  robot_model: str('Robot model code'),
  scenario_class: str('Scenario class code'),
  units: int('Number of robots'),
  autonomy_level: z.enum(AUTONOMY_LEVELS).meta({ description: 'Autonomy level' }),
  operating_hours_per_unit: num('Expected operating hours of one unit'),
  safety: SafetyDeclaration,
  scenario_area: z.enum(SCENARIO_AREA_CODES).meta({ description: 'Scenario area of the class' }),
  exposure_hours: num('units × operating hours per unit'),
  facts: LineFacts,
  coverages: z.array(WorksheetCoverage).meta({ description: 'Per coverage' }),
}).meta({ id: 'WorksheetLine', description: 'Rating of one fleet line' });

const AggregateSummary = z.strictObject({
  risk_level: num('Level of VaR and TVaR (0.995)'),
  mean: num('Mean of the policy aggregate payments without aggregate limits, CNY'),
  sd: num('Standard deviation of the policy aggregate, CNY'),
  aggregate_limit: z.number().nullable().meta({ description: 'Policy aggregate limit (null: none)' }),
  aggregate_limit_binds: bool('Whether the policy limit binds on the lattice'),
  limited_mean: num('Expected payments of the policy after aggregate limits, CNY'),
  aggregate_limit_factor: num('E[min(P, L)] / E[P] of the policy limit (1 when it does not bind)'),
  coverages: coverageMap(z.strictObject({
    mean: num('E[S_c] without its aggregate limit, CNY'),
    limited_mean: num('E[min(S_c, L_c)], CNY'),
    aggregate_limit: z.number().nullable().meta({ description: 'L_c (null: none)' }),
    binds: bool('Whether L_c binds'),
    factor: num('E[min(S_c, L_c)] / E[S_c]'),
    capped_at: z.number().nullable().meta({ description: 'Where the mass at and above L_c sits in the policy distribution (null: not binding)' }),
    stand_alone_risk: num('TVaR − mean of min(S_c, L_c) on its own, CNY: the key of the risk-margin allocation'),
  }).meta({ description: 'Aggregate S_c of the coverage and the effect of its aggregate limit L_c' }), 'Aggregate of each coverage (coverage → figures)'),
  coverage_caps_exact: bool('Whether every binding coverage limit is applied exactly on the lattice'),
  value_at_risk: num('VaR at risk_level of the payments, CNY'),
  tail_value_at_risk: num('TVaR at risk_level of the payments, CNY'),
  risk_mean: num('Mean of the distribution the risk measures are taken on, CNY'),
  step: num('Lattice step, CNY'),
  grid_points: int('Lattice points'),
  mass_lost: num('Probability mass beyond the lattice'),
}).meta({ id: 'AggregateSummary', description: 'The policy aggregate loss (FFT) behind the risk margin' });

const ScenarioClassInfo = z.strictObject({
  code: str('Scenario class code'),
  area: z.enum(SCENARIO_AREA_CODES).meta({ description: 'Scenario area' }),
  human_proximity: z.enum(HUMAN_PROXIMITIES).meta({ description: 'Human proximity' }),
  environment: z.enum(ENVIRONMENTS).meta({ description: 'Environment' }),
  vulnerable_people: bool('Vulnerable people involved'),
}).meta({ id: 'ScenarioClassInfo', description: 'Catalog attributes of a scenario class used in rating' });

const RobotModelInfo = z.strictObject({
  code: str('Robot model code'),
  form_factor: z.enum(FORM_FACTORS).meta({ description: 'Form factor' }),
  mass_kg: num('Mass, kg'),
  payload_kg: num('Payload, kg'),
  max_speed_mps: num('Maximum speed, m/s'),
  replacement_value: num('Replacement value, CNY'),
  certifications: z.record(z.string(), z.boolean()).meta({ description: 'Certification flags (standard → held)' }),
}).meta({ id: 'RobotModelInfo', description: 'Catalog attributes of a robot model used in rating' });

const OwnExperience = z.strictObject({
  org_operating_hours: num('Organization’s operating hours in the class'),
  org_incidents: num('Organization’s claims in the class'),
  org_protective_stops: num('Organization’s protective stops in the class'),
  org_near_misses: num('Organization’s near misses in the class'),
}).meta({ id: 'OwnExperience', description: 'The organization’s own experience in a scenario class' });

const ClassExperience = OwnExperience.extend({
  class_operating_hours: num('Operating hours of every organization in the class'),
  class_incidents: num('Claims of every organization in the class'),
}).meta({ id: 'ClassExperience', description: 'The organization’s experience and its class totals in a scenario class' });

const CredibilityInput = z.strictObject({
  ratios: z.array(z.array(z.number().nullable())).meta({ description: 'Monthly incident rates per 1,000 h, organizations × months (null: no hours)' }),
  weights: z.array(z.array(z.number())).meta({ description: 'Operating hours per cell' }),
  row: int('Row of the quoted organization (-1: no history in the class)'),
}).meta({ id: 'CredibilityInput', description: 'Bühlmann–Straub input of a class and coverage' });

const FrequencySnapshot = z.strictObject({
  id: int('Frequency model version'),
  family: z.enum(FREQUENCY_FAMILIES).meta({ description: 'Claim-count family' }),
  theta: z.number().nullable().meta({ description: 'NB2 size θ (null: Poisson)' }),
  factors: z.array(z.enum(FREQUENCY_FACTORS)).meta({ description: 'Rating factors' }),
  terms: z.array(z.strictObject({
    factor: z.string().nullable().meta({ description: 'Factor (null: intercept)' }),
    level: z.string().nullable().meta({ description: 'Level (null: intercept)' }),
    estimate: num('β'),
  })).meta({ description: 'Coefficients' }),
  base_levels: z.record(z.string(), z.string()).meta({ description: 'Base level of each factor (factor → level)' }),
}).meta({ id: 'FrequencySnapshot', description: 'The frequency model as used in rating' });

const SeveritySnapshot = z.strictObject({
  id: int('Severity model version'),
  distribution: severityFamily,
  params: z.record(z.string(), z.number()).meta({ description: 'Parameters by name' }),
  body: z.enum(SEVERITY_FAMILIES).optional().meta({ description: 'Body family of a spliced fit' }),
}).meta({ id: 'SeveritySnapshot', description: 'The severity distribution as used in rating' });

const RatingInputs = z.strictObject({
  request: QuoteRequest,
  organization_ref: str('Insured organization'),
  scenario_classes: z.record(z.string(), ScenarioClassInfo).meta({ description: 'Scenario classes of the fleet (code → attributes)' }),
  robot_models: z.record(z.string(), RobotModelInfo).meta({ description: 'Robot models of the fleet (code → attributes)' }),
  experience: z.record(z.string(), ClassExperience.nullable()).meta({ description: 'Experience per scenario class (null: no data in the class)' }),
  credibility: coverageMap(
    z.record(z.string(), CredibilityInput).meta({ description: 'Credibility inputs of the coverage per scenario class' }),
    'Credibility inputs (coverage → scenario class → input)',
  ),
  plan: z.strictObject({ id: int('Rating plan version'), name: str('Name'), version: int('Version'), body: RatingPlanRequest })
    .meta({ description: 'The rating plan in force' }),
  ruleset: z.strictObject({ id: int('Rule set version'), name: str('Name'), version: int('Version'), body: Ruleset })
    .meta({ description: 'The rule set of the plan' }),
  models: coverageMap(
    z.strictObject({ frequency: FrequencySnapshot, severity: SeveritySnapshot }).meta({ description: 'Models of the coverage' }),
    'Models per coverage quoted',
  ),
  scorecard_verdicts: z.record(z.string(), z.string().nullable()).optional()
    .meta({ description: 'Validation-scorecard verdict per `robot_model|scenario_class` of the fleet (null: no cell), the scorecard_verdict line fact' }),
}).meta({ id: 'RatingInputs', description: 'Every input of the price: re-rating them reproduces the premium to the cent' });

export const QuoteWorksheet = z.strictObject({
  ref: str('Quote reference'),
  quote_request_hash: str('SHA-256 of the canonical JSON of the request'),
  pricing_engine: str('Version of the rating arithmetic'),
  backdating: z.strictObject({ reason: str('Why cover starts before the quote date') }).nullable().meta({ description: 'An underwriter’s explicit backdating of the period (null: none)' }),
  method: str('The premium formula (docs/actuarial-method.md §8)'),
  plan: z.strictObject({ id: int('Rating plan version'), name: str('Name'), version: int('Version'), loadings: Loadings })
    .meta({ description: 'The rating plan and its loadings' }),
  ruleset: VersionRef,
  lines: z.array(WorksheetLine).meta({ description: 'Per fleet line' }),
  rules: z.strictObject({
    decision: z.enum(QUOTE_DECISIONS).meta({ description: 'Decision of the rules' }),
    fired: z.array(FiredRule).meta({ description: 'Every rule that fired' }),
    request_facts: RequestFacts,
  }).meta({ description: 'The underwriting rules' }),
  aggregate: AggregateSummary,
  premium: QuotePremium,
  inputs: RatingInputs,
}).meta({ id: 'QuoteWorksheet', description: 'The full rating worksheet of a quote' });

// --- the enterprise view of the worksheet (services/worksheet-view.ts, docs/architecture.md §6)

const EnterpriseConditionTrace = z.strictObject({
  fact: str('Fact compared'),
  operator: str('Operator'),
  value: z.unknown().meta({ description: 'Value as written in the rule' }),
  fact_value: FactValue.optional(),
  compared_value: z.unknown().optional().meta({ description: 'Resolved right-hand side (absent when withheld)' }),
  result: bool('Outcome of the comparison'),
  withheld: z.literal(true).optional().meta({ description: 'A class-level value of this comparison is withheld' }),
}).meta({ id: 'EnterpriseConditionTrace', description: 'One comparison of a fired rule; class-level values absent where the class figures are withheld' });

const EnterpriseFiredRule = FiredRule.extend({
  facts: z.record(z.string(), FactValue).meta({ description: 'Value of every fact the rule’s conditions reference (class-level facts absent where withheld)' }),
  trace: z.array(EnterpriseConditionTrace).meta({ description: 'Every comparison with its values and result' }),
}).meta({ id: 'EnterpriseFiredRule', description: 'A rule that fired, with the fact values that made it fire' });

const EnterpriseCredibility = z.union([
  NoCredibility,
  ClassCredibility,
  z.strictObject({
    adjustment: num('Credibility premium / collective mean'),
    own_rate_per_1000h: maybe('Organization’s own incident rate per 1,000 h'),
    withheld: str('Why the class figures (Z, collective mean, k, organizations) are not shown'),
  }),
]).meta({ id: 'EnterpriseCredibilityAdjustment', description: 'Bühlmann–Straub experience adjustment of a line; class figures only where they cannot single out another organization' });

const EnterpriseWorksheetLine = WorksheetLine.extend({
  facts: EnterpriseLineFacts,
  coverages: z.array(WorksheetCoverage.extend({ credibility: EnterpriseCredibility }).meta({ id: 'EnterpriseWorksheetCoverage', description: 'Rating of one coverage of a fleet line' }))
    .meta({ description: 'Per coverage' }),
}).meta({ id: 'EnterpriseWorksheetLine', description: 'Rating of one fleet line' });

const OwnCredibilityRow = z.strictObject({
  rates_per_1000h: z.array(z.number()).meta({ description: 'Own claim rate per 1,000 h of each month with hours, in calendar order' }),
  hours: z.array(z.number()).meta({ description: 'Own operating hours of those months' }),
}).meta({ id: 'OwnCredibilityRow', description: 'The organization’s own row of the Bühlmann–Straub table of a class and coverage' });

export const EnterpriseQuoteWorksheet = z.strictObject({
  view: z.literal('enterprise').meta({ description: 'This is the enterprise view: own inputs and resulting factors only' }),
  ref: str('Quote reference'),
  quote_request_hash: str('SHA-256 of the canonical JSON of the request'),
  pricing_engine: str('Version of the rating arithmetic'),
  backdating: z.strictObject({ reason: str('Why cover starts before the quote date') }).nullable().meta({ description: 'An underwriter’s explicit backdating of the period (null: none)' }),
  method: str('The premium formula (docs/actuarial-method.md §8)'),
  plan: z.strictObject({ id: int('Rating plan version'), name: str('Name'), version: int('Version'), loadings: Loadings })
    .meta({ description: 'The rating plan and its loadings' }),
  ruleset: VersionRef,
  class_figures: z.record(z.string(), z.strictObject({
    shown: bool('Whether class-level figures of this class are shown'),
    reason: str('Why (docs/architecture.md §6)'),
  })).meta({ description: 'Per scenario class of the fleet: whether its class-level figures (class rate, Z, collective mean, k, organizations) are shown' }),
  lines: z.array(EnterpriseWorksheetLine).meta({ description: 'Per fleet line' }),
  rules: z.strictObject({
    decision: z.enum(QUOTE_DECISIONS).meta({ description: 'Decision of the rules' }),
    fired: z.array(EnterpriseFiredRule).meta({ description: 'Every rule that fired' }),
    request_facts: RequestFacts,
  }).meta({ description: 'The underwriting rules' }),
  aggregate: AggregateSummary,
  premium: QuotePremium,
  inputs: z.strictObject({
    request: QuoteRequest,
    organization_ref: str('Insured organization'),
    scenario_classes: z.record(z.string(), ScenarioClassInfo).meta({ description: 'Scenario classes of the fleet (code → attributes)' }),
    robot_models: z.record(z.string(), RobotModelInfo).meta({ description: 'Robot models of the fleet (code → attributes)' }),
    experience: z.record(z.string(), OwnExperience.nullable()).meta({ description: 'Own experience per scenario class (null: no data in the class)' }),
    credibility: coverageMap(
      z.record(z.string(), OwnCredibilityRow.nullable()).meta({ description: 'Own credibility row per scenario class (null: no history there)' }),
      'Own credibility inputs (coverage → scenario class → own row)',
    ),
  }).meta({ id: 'EnterpriseRatingInputs', description: 'The organization’s own inputs of the price (catalog entries, request, own experience)' }),
}).meta({ id: 'EnterpriseQuoteWorksheet', description: 'The worksheet of a quote as an enterprise sees it: its own inputs and the resulting factors, never another organization’s row or a class total' });

/** The worksheet route answers one of the two views, by the caller's role. */
export const WorksheetResponse = z.union([QuoteWorksheet, EnterpriseQuoteWorksheet])
  .meta({ id: 'WorksheetResponse', description: 'QuoteWorksheet for an underwriter (or actuary); EnterpriseQuoteWorksheet for an enterprise key' });
