/**
 * What a caller may see of a stored rating worksheet (docs/architecture.md §6 "Tenant privacy",
 * docs/actuarial-method.md §8).
 *
 * The stored worksheet holds every input of the price, and some of them are other
 * organizations' data: the Bühlmann–Straub table of the class (one row of monthly rates and
 * hours per organization), the class totals of hours and claims, and the facts and credibility
 * figures derived from them. Underwriters and actuaries see it whole (re-rating needs it).
 * Everybody else — an enterprise key — gets {@link enterpriseWorksheet}: a new object built
 * field by field from an allow-list, so a field added to the stored worksheet later stays out of
 * the enterprise view until it is added here and to its response schema
 * (`EnterpriseQuoteWorksheet`, strict: the tests reject any extra field).
 *
 * The enterprise view has the organization's own inputs (its request, the catalog entries it
 * names, its own experience and its own monthly credibility row) and the resulting factors (rating
 * factor levels, relativities, rate, credibility adjustment, rule loadings, the premium). It
 * never has another organization's row nor a class total. Class-level figures that explain the
 * price — the class incident rate, the own-to-class ratio, the credibility factor Z, the
 * collective mean, k and the number of organizations — are shown only for a class where they
 * cannot single out another organization: at least `minContributors` OTHER organizations have
 * hours in the class and none of them has more than `dominance` of those organizations' hours
 * (the disclosure rule of the regulator statistics, applied to the class minus the requester).
 * Elsewhere they are withheld and only the adjustment itself (which the premium reveals anyway)
 * and the organization's own rate remain.
 */
import type { Principal, Role } from '../domain/index.ts';
import type { FactValue, LineFacts } from '../rules/facts.ts';
import type { ConditionTrace, FiredRule } from '../rules/engine.ts';
import type { DisclosureRules } from './disclosure.ts';

/** The rules the class figures use (minimum contributors and dominance of the other organizations). */
type ClassFigureRules = Pick<DisclosureRules, 'minContributors' | 'dominance'>;
import type { ClassExperienceInput, CredibilityInput, RatingInputs, RatingWorksheet } from './pricing.ts';

/** The worksheet as stored with a quote. */
export type StoredWorksheet = RatingWorksheet & { quote_request_hash: string };
/** The whole worksheet of a quote, as underwriters and actuaries receive it. */
export type FullWorksheetView = StoredWorksheet & { ref: string };

/** Roles that see the whole worksheet; every other role gets the enterprise view. */
const FULL_WORKSHEET_ROLES: ReadonlySet<Role> = new Set<Role>(['underwriter', 'actuary']);

/** Line facts computed from the class (every organization's data), not from the request or the own history. */
export const CLASS_AGGREGATE_FACTS = ['class_incident_rate_per_1000h', 'org_to_class_rate_ratio'] as const satisfies readonly (keyof LineFacts)[];
const CLASS_FACT_SET: ReadonlySet<string> = new Set(CLASS_AGGREGATE_FACTS);

type WorksheetLine = RatingWorksheet['lines'][number];
type WorksheetCoverage = WorksheetLine['coverages'][number];
type StoredCredibility = WorksheetCoverage['credibility'];

/** Whether the class-level figures of one scenario class may be shown to the requester. */
export interface ClassFigures { shown: boolean; reason: string }

/** The requester's own experience in a class (the class totals left out). */
export type OwnExperience = Pick<ClassExperienceInput, 'org_operating_hours' | 'org_incidents' | 'org_protective_stops' | 'org_near_misses'>;

/** The requester's own row of a credibility table: its months with hours, in calendar order. */
export interface OwnCredibilityRow { rates_per_1000h: number[]; hours: number[] }

export type EnterpriseLineFacts = Omit<LineFacts, (typeof CLASS_AGGREGATE_FACTS)[number]> & Partial<Pick<LineFacts, (typeof CLASS_AGGREGATE_FACTS)[number]>>;

export type EnterpriseCredibility =
  | { adjustment: number; note: string }
  | {
    adjustment: number; credibility_factor: number; own_rate_per_1000h: number; class_rate_per_1000h: number;
    credibility_rate_per_1000h: number; organizations: number; k: number;
  }
  | { adjustment: number; own_rate_per_1000h: number; withheld: string };

export interface EnterpriseConditionTrace {
  fact: string;
  operator: string;
  value: unknown;
  fact_value?: FactValue;
  compared_value?: unknown;
  result: boolean;
  withheld?: true;
}

export type EnterpriseFiredRule = Omit<FiredRule, 'trace'> & { trace: EnterpriseConditionTrace[] };

export type EnterpriseWorksheetCoverage = Omit<WorksheetCoverage, 'credibility'> & { credibility: EnterpriseCredibility };

export type EnterpriseWorksheetLine = Omit<WorksheetLine, 'facts' | 'coverages'> & { facts: EnterpriseLineFacts; coverages: EnterpriseWorksheetCoverage[] };

/** A type alias, not an interface: the PDF renderer takes it as a record (index signature). */
export type EnterpriseWorksheet = {
  view: 'enterprise';
  ref: string;
  quote_request_hash: string;
  pricing_engine: string;
  backdating: StoredWorksheet['backdating'];
  method: string;
  plan: StoredWorksheet['plan'];
  ruleset: StoredWorksheet['ruleset'];
  class_figures: Record<string, ClassFigures>;
  lines: EnterpriseWorksheetLine[];
  rules: { decision: StoredWorksheet['rules']['decision']; fired: EnterpriseFiredRule[]; request_facts: StoredWorksheet['rules']['request_facts'] };
  aggregate: StoredWorksheet['aggregate'];
  premium: StoredWorksheet['premium'];
  inputs: {
    request: RatingInputs['request'];
    organization_ref: string;
    scenario_classes: RatingInputs['scenario_classes'];
    robot_models: RatingInputs['robot_models'];
    experience: Record<string, OwnExperience | null>;
    credibility: Partial<Record<keyof RatingInputs['credibility'], Record<string, OwnCredibilityRow | null>>>;
  };
};

export type WorksheetView = FullWorksheetView | EnterpriseWorksheet;

/** The worksheet as `p` may see it: whole for underwriters and actuaries, else the enterprise view. */
export function worksheetFor(ws: FullWorksheetView, p: Principal, rules: ClassFigureRules): WorksheetView {
  return FULL_WORKSHEET_ROLES.has(p.role) ? ws : enterpriseWorksheet(ws, rules);
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

/**
 * Whether a class's figures can be shown: every stored credibility table of the class (one per
 * coverage; the hours are the same) has at least `minContributors` other organizations with hours
 * and none above `dominance` of their hours. Without a table (experience credibility off) the
 * contributors are unknown, so the figures are withheld.
 */
export function classFigures(inputs: Pick<RatingInputs, 'credibility'>, scenarioClass: string, rules: ClassFigureRules): ClassFigures {
  const tables = Object.values(inputs.credibility).map((t) => t?.[scenarioClass]).filter((t): t is CredibilityInput => t !== undefined);
  const passes = (t: CredibilityInput) => {
    const others = t.weights.map((w, i) => (i === t.row ? 0 : sum(w))).filter((h) => h > 0);
    return others.length >= rules.minContributors && Math.max(...others) <= rules.dominance * sum(others);
  };
  if (tables.length > 0 && tables.every(passes)) {
    return { shown: true, reason: `at least ${rules.minContributors} other organizations have history in the class, none with more than ${Math.round(rules.dominance * 100)} % of their hours` };
  }
  return {
    shown: false,
    reason: `class figures withheld: fewer than ${rules.minContributors} other organizations have history in the class, one of them has more than ${Math.round(rules.dominance * 100)} % of their hours, or no per-organization breakdown is stored (docs/architecture.md §6)`,
  };
}

function ownExperience(e: ClassExperienceInput | null): OwnExperience | null {
  return e && { org_operating_hours: e.org_operating_hours, org_incidents: e.org_incidents, org_protective_stops: e.org_protective_stops, org_near_misses: e.org_near_misses };
}

function ownCredibilityRow(t: CredibilityInput): OwnCredibilityRow | null {
  if (t.row < 0) return null;
  const rates: number[] = [];
  const hours: number[] = [];
  t.weights[t.row].forEach((h, j) => {
    const r = t.ratios[t.row][j];
    if (h > 0 && r !== null) { rates.push(r); hours.push(h); }
  });
  return { rates_per_1000h: rates, hours };
}

function lineFacts(f: LineFacts, shown: boolean): EnterpriseLineFacts {
  const { class_incident_rate_per_1000h, org_to_class_rate_ratio, ...own } = f;
  return shown ? { ...own, class_incident_rate_per_1000h, org_to_class_rate_ratio } : own;
}

function credibility(c: StoredCredibility, shown: boolean): EnterpriseCredibility {
  if (typeof c.note === 'string') return { adjustment: c.adjustment, note: c.note };
  if (c.credibility_factor === undefined) throw new Error('worksheet credibility without a note or a credibility factor');
  if (shown) {
    return {
      adjustment: c.adjustment, credibility_factor: c.credibility_factor, own_rate_per_1000h: c.own_rate_per_1000h, class_rate_per_1000h: c.class_rate_per_1000h,
      credibility_rate_per_1000h: c.credibility_rate_per_1000h, organizations: c.organizations, k: c.k,
    };
  }
  return { adjustment: c.adjustment, own_rate_per_1000h: c.own_rate_per_1000h, withheld: 'class figures withheld (docs/architecture.md §6); the adjustment blends the own rate with the class' };
}

function coverageSheet(c: WorksheetCoverage, shown: boolean): EnterpriseWorksheetCoverage {
  return {
    coverage: c.coverage, rating_factors: c.rating_factors, relativities: c.relativities, rate_per_1000h: c.rate_per_1000h,
    credibility: credibility(c.credibility, shown),
    deductible: c.deductible, coinsurance: c.coinsurance, per_occurrence_limit_requested: c.per_occurrence_limit_requested,
    per_occurrence_limit: c.per_occurrence_limit, limit_capped_at_replacement_value: c.limit_capped_at_replacement_value,
    rule_loadings: c.rule_loadings, rule_loading_factor: c.rule_loading_factor, frequency_model_id: c.frequency_model_id,
    claim_count_model: c.claim_count_model, severity_model: c.severity_model,
  };
}

const isClassFactRef = (v: unknown) => typeof v === 'object' && v !== null && CLASS_FACT_SET.has(String((v as { fact?: unknown }).fact));

function trace(t: ConditionTrace, shown: boolean): EnterpriseConditionTrace {
  const hideFact = !shown && CLASS_FACT_SET.has(t.fact);
  const hideCompared = !shown && isClassFactRef(t.value);
  return {
    fact: t.fact, operator: t.operator, value: t.value,
    ...(hideFact ? {} : { fact_value: t.fact_value }),
    ...(hideCompared ? {} : { compared_value: t.compared_value }),
    result: t.result,
    ...(hideFact || hideCompared ? { withheld: true as const } : {}),
  };
}

function firedRule(f: FiredRule, shown: boolean): EnterpriseFiredRule {
  const facts = Object.fromEntries(Object.entries(f.facts).filter(([k]) => shown || !CLASS_FACT_SET.has(k)));
  return {
    rule: f.rule, description: f.description, priority: f.priority, event_type: f.event_type, params: f.params, reason: f.reason,
    line_index: f.line_index, facts, trace: f.trace.map((t) => trace(t, shown)),
  };
}

/** The enterprise view of a worksheet (module comment): own inputs and resulting factors only. */
export function enterpriseWorksheet(ws: FullWorksheetView, rules: ClassFigureRules): EnterpriseWorksheet {
  const inputs = ws.inputs;
  const classFiguresOf = Object.fromEntries(Object.keys(inputs.scenario_classes).map((c) => [c, classFigures(inputs, c, rules)]));
  const shown = (cls: string) => classFiguresOf[cls]?.shown === true;
  const lineShown = (i: number | null) => i === null || shown(ws.lines[i]?.scenario_class ?? '');
  const credibilityInputs: EnterpriseWorksheet['inputs']['credibility'] = {};
  for (const [coverage, byClass] of Object.entries(inputs.credibility) as [keyof RatingInputs['credibility'], Record<string, CredibilityInput> | undefined][]) {
    if (byClass) credibilityInputs[coverage] = Object.fromEntries(Object.entries(byClass).map(([c, t]) => [c, ownCredibilityRow(t)]));
  }
  return {
    view: 'enterprise',
    ref: ws.ref,
    quote_request_hash: ws.quote_request_hash,
    pricing_engine: ws.pricing_engine,
    backdating: ws.backdating,
    method: ws.method,
    plan: { id: ws.plan.id, name: ws.plan.name, version: ws.plan.version, loadings: ws.plan.loadings },
    ruleset: { id: ws.ruleset.id, name: ws.ruleset.name, version: ws.ruleset.version },
    class_figures: classFiguresOf,
    lines: ws.lines.map((l) => ({
      index: l.index, robot_model: l.robot_model, scenario_class: l.scenario_class, units: l.units, autonomy_level: l.autonomy_level,
      operating_hours_per_unit: l.operating_hours_per_unit, safety: l.safety, scenario_area: l.scenario_area, exposure_hours: l.exposure_hours,
      facts: lineFacts(l.facts, shown(l.scenario_class)),
      coverages: l.coverages.map((c) => coverageSheet(c, shown(l.scenario_class))),
    })),
    rules: { decision: ws.rules.decision, fired: ws.rules.fired.map((f) => firedRule(f, lineShown(f.line_index))), request_facts: ws.rules.request_facts },
    aggregate: ws.aggregate,
    premium: ws.premium,
    inputs: {
      request: inputs.request,
      organization_ref: inputs.organization_ref,
      scenario_classes: inputs.scenario_classes,
      robot_models: inputs.robot_models,
      experience: Object.fromEntries(Object.entries(inputs.experience).map(([c, e]) => [c, ownExperience(e)])),
      credibility: credibilityInputs,
    },
  };
}
