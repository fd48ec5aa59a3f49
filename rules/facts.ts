/**
 * The FACT CATALOG of the underwriting rules (docs/actuarial-method.md §7): every fact name a rule
 * may use, with its type, unit and meaning, and the pure functions that derive the facts of a quote
 * request from plain inputs (no database, no HTTP).
 *
 * Facts come in two scopes:
 * - `line` facts describe one fleet line (robot model × scenario class × units) and the
 *   organization's own experience in that scenario class;
 * - `request` facts describe the whole quote request (all lines, coverages, basis).
 * A rule that references only request facts is evaluated once per request; any other rule is
 * evaluated once per fleet line with the line facts and the request facts together
 * (see rules/engine.ts).
 *
 * Nullable facts (leading indicators and experience rates) are `null` when the organization has
 * no history in the class. A condition on a null fact is false with every operator except
 * `isKnown` (rules/operators.ts), so a rule on them simply does not fire.
 */
import {
  AUTONOMY_LEVELS,
  COVERAGE_CODES,
  ENVIRONMENTS,
  FORM_FACTORS,
  HUMAN_PROXIMITIES,
  SCENARIO_AREA_CODES,
  SCENARIO_CLASS_CODES,
  type AutonomyLevel,
  type CoverageCode,
} from '../domain/enums.ts';
import { VERDICTS as SCORECARD_VERDICTS } from './scorecard-facts.ts';

/** Certification flags carried by a robot model (seeds/catalog.ts). */
export const CERTIFICATION_FLAGS = ['iso_10218', 'iso_13482', 'iso_ts_15066', 'ce_machinery', 'iec_62443', 'atex'] as const;
export type CertificationFlag = (typeof CERTIFICATION_FLAGS)[number];

/** Premium bases of a quote: annual, or pay-per-use by operating hour (docs/architecture.md §1). */
export const QUOTE_BASES = ['annual', 'pay_per_use'] as const;
export type QuoteBasis = (typeof QUOTE_BASES)[number];

/** Value types of facts. `string[]` facts work with `contains` / `doesNotContain`. */
export type FactType = 'number' | 'string' | 'boolean' | 'string[]';

/** A fact value as seen by the rules. */
export type FactValue = number | string | boolean | null | readonly string[];

export interface FactDefinition {
  name: string;
  scope: 'line' | 'request';
  type: FactType;
  /** True when the fact is `null` for organizations without history (or coverages not requested). */
  nullable: boolean;
  /** Unit of a number fact (e.g. 'kg', 'CNY', 'per 1,000 h'); null for dimensionless or non-numbers. */
  unit: string | null;
  description: string;
  /** Allowed values of a string fact (or of the elements of a string[] fact), when closed. */
  values?: readonly string[];
}

/** Facts of one fleet line (scope `line`). */
export type LineFacts = {
  scenario_area: string;
  scenario_class: string;
  human_proximity: string;
  environment: string;
  vulnerable_people: boolean;
  robot_model: string;
  form_factor: string;
  robot_mass_kg: number;
  robot_max_speed_mps: number;
  robot_payload_kg: number;
  robot_kinetic_energy_j: number;
  replacement_value: number;
  certifications: readonly string[];
  cert_iso_10218: boolean;
  cert_iso_13482: boolean;
  cert_iso_ts_15066: boolean;
  cert_ce_machinery: boolean;
  cert_iec_62443: boolean;
  cert_atex: boolean;
  autonomy_level: string;
  units: number;
  operating_hours_per_unit: number;
  fleet_hours: number;
  line_sum_insured: number;
  teleoperation_fallback: boolean;
  force_speed_limiting: boolean;
  safety_officer_on_site: boolean;
  operator_training_hours: number;
  protective_stops_per_1000h: number | null;
  near_misses_per_1000h: number | null;
  org_incident_rate_per_1000h: number | null;
  class_incident_rate_per_1000h: number | null;
  org_to_class_rate_ratio: number | null;
  org_operating_hours: number;
  scorecard_verdict: string | null;
};

/** Facts of the whole quote request (scope `request`). */
export type RequestFacts = {
  basis: string;
  line_count: number;
  total_units: number;
  autonomous_units: number;
  total_fleet_hours: number;
  total_sum_insured: number;
  max_line_sum_insured: number;
  coverage_count: number;
  coverage_robot_damage_limit: number | null;
  coverage_robot_damage_aggregate_limit: number | null;
  coverage_robot_damage_deductible: number | null;
  coverage_third_party_liability_limit: number | null;
  coverage_third_party_liability_aggregate_limit: number | null;
  coverage_third_party_liability_deductible: number | null;
  coverage_business_interruption_limit: number | null;
  coverage_business_interruption_aggregate_limit: number | null;
  coverage_business_interruption_deductible: number | null;
};

export type LineFactName = keyof LineFacts;
export type RequestFactName = keyof RequestFacts;
export type FactName = LineFactName | RequestFactName;
/** Line facts merged with request facts: what a per-line rule sees. */
export type AllFacts = LineFacts & RequestFacts;

type Def = Omit<FactDefinition, 'name' | 'scope'>;
const num = (unit: string | null, description: string, nullable = false): Def => ({ type: 'number', nullable, unit, description });
const bool = (description: string): Def => ({ type: 'boolean', nullable: false, unit: null, description });
const str = (description: string, values?: readonly string[]): Def => ({ type: 'string', nullable: false, unit: null, description, ...(values ? { values } : {}) });

const LINE_DEFS: Record<LineFactName, Def> = {
  scenario_area: str('Scenario area of the line (the area of its scenario class).', SCENARIO_AREA_CODES),
  scenario_class: str('Scenario class code `<area>.<name>` of the line.', SCENARIO_CLASS_CODES),
  human_proximity: str('How close people are to the robot in the scenario class (ISO/TS 15066 ladder: segregated < shared_space < collaborative < care_contact < public).', HUMAN_PROXIMITIES),
  environment: str('Operating environment of the scenario class.', ENVIRONMENTS),
  vulnerable_people: bool('Whether the scenario class involves vulnerable people (elderly, patients, disaster victims).'),
  robot_model: str('Robot model code of the line.'),
  form_factor: str('Form factor of the robot model (locomotion / fall class).', FORM_FACTORS),
  robot_mass_kg: num('kg', 'Mass of one robot.'),
  robot_max_speed_mps: num('m/s', 'Maximum speed of the robot.'),
  robot_payload_kg: num('kg', 'Rated payload of the robot.'),
  robot_kinetic_energy_j: num('J', 'Kinetic energy at maximum speed, ½ × mass × speed² (impact / fall energy proxy).'),
  replacement_value: num('CNY', 'Replacement value of one robot (sum insured per unit for robot damage).'),
  certifications: { type: 'string[]', nullable: false, unit: null, description: 'Certification flags the robot model holds.', values: CERTIFICATION_FLAGS },
  cert_iso_10218: bool('Robot certified to ISO 10218 (industrial robots).'),
  cert_iso_13482: bool('Robot certified to ISO 13482 (personal care / service robots).'),
  cert_iso_ts_15066: bool('Robot conforms to ISO/TS 15066 (collaborative operation: PFL / SSM).'),
  cert_ce_machinery: bool('Robot carries the CE marking under the EU machinery rules.'),
  cert_iec_62443: bool('Robot conforms to IEC 62443 (industrial cybersecurity).'),
  cert_atex: bool('Robot is explosion-protected (ATEX / IECEx) for hazardous atmospheres.'),
  autonomy_level: str('Autonomy level of the line.', AUTONOMY_LEVELS),
  units: num('robots', 'Number of robots on the line.'),
  operating_hours_per_unit: num('h/year', 'Expected operating hours per robot per policy year.'),
  fleet_hours: num('h/year', 'Expected operating hours of the line: units × operating_hours_per_unit.'),
  line_sum_insured: num('CNY', 'Sum insured of the line: units × replacement_value.'),
  teleoperation_fallback: bool('Declared: a trained teleoperator can take over at any time (false when not declared).'),
  force_speed_limiting: bool('Declared: documented power & force limiting or speed & separation monitoring (ISO/TS 15066) is active (false when not declared).'),
  safety_officer_on_site: bool('Declared: a designated safety officer is on site during operation (false when not declared).'),
  operator_training_hours: num('h', 'Declared training hours per operator / teleoperator (0 when not declared).'),
  protective_stops_per_1000h: num('per 1,000 h', "Organization's protective stops per 1,000 operating hours in this scenario class; null without history.", true),
  near_misses_per_1000h: num('per 1,000 h', "Organization's near misses per 1,000 operating hours in this scenario class; null without history.", true),
  org_incident_rate_per_1000h: num('per 1,000 h', "Organization's incidents per 1,000 operating hours in this scenario class; null without history.", true),
  class_incident_rate_per_1000h: num('per 1,000 h', 'Incidents per 1,000 operating hours of all organizations in the scenario class (the book); null when unknown.', true),
  org_to_class_rate_ratio: num(null, "org_incident_rate_per_1000h / class_incident_rate_per_1000h; null when either is unknown or the class rate is 0.", true),
  org_operating_hours: num('h', "Organization's own operating hours in this scenario class (size of its experience; 0 without history)."),
  scorecard_verdict: { type: 'string', nullable: true, unit: null, values: SCORECARD_VERDICTS, description: "Insurability verdict of the validation scorecard for the line's robot model × scenario class (docs/actuarial-method.md §10); null when the class has no exposure of the model." },
};

type CoverageFactName<C extends CoverageCode> = `coverage_${C}_limit` | `coverage_${C}_aggregate_limit` | `coverage_${C}_deductible`;
const coverageDefs = <C extends CoverageCode>(c: C): Record<CoverageFactName<C>, Def> =>
  ({
    [`coverage_${c}_limit`]: num('CNY', `Per-occurrence limit requested for ${c}; null when ${c} is not requested.`, true),
    [`coverage_${c}_aggregate_limit`]: num('CNY', `Aggregate limit requested for ${c}; null when none or not requested.`, true),
    [`coverage_${c}_deductible`]: num('CNY', `Per-occurrence deductible requested for ${c}; null when ${c} is not requested.`, true),
  }) as Record<CoverageFactName<C>, Def>;

const REQUEST_DEFS: Record<RequestFactName, Def> = {
  basis: str('Premium basis of the request.', QUOTE_BASES),
  line_count: num(null, 'Number of fleet lines in the request.'),
  total_units: num('robots', 'Robots over all fleet lines.'),
  autonomous_units: num('robots', 'Robots on lines with autonomy_level = autonomous.'),
  total_fleet_hours: num('h/year', 'Expected operating hours over all fleet lines.'),
  total_sum_insured: num('CNY', 'Σ units × replacement_value over all fleet lines.'),
  max_line_sum_insured: num('CNY', 'Largest line_sum_insured of the request.'),
  coverage_count: num(null, 'Number of coverages requested.'),
  ...coverageDefs('robot_damage'),
  ...coverageDefs('third_party_liability'),
  ...coverageDefs('business_interruption'),
};

function withNames<K extends string>(scope: 'line' | 'request', defs: Record<K, Def>): Record<K, FactDefinition> {
  const out = {} as Record<K, FactDefinition>;
  for (const name of Object.keys(defs) as K[]) out[name] = { name, scope, ...defs[name] };
  return out;
}

/** The complete list of facts allowed in rules, keyed by name. */
export const FACT_CATALOG: Readonly<Record<FactName, FactDefinition>> = Object.freeze({
  ...withNames('line', LINE_DEFS),
  ...withNames('request', REQUEST_DEFS),
});

/** Fact names in catalog order. */
export const FACT_NAMES: readonly FactName[] = Object.keys(FACT_CATALOG) as FactName[];

/** True when `name` is a fact of the catalog. */
export function isFactName(name: string): name is FactName {
  return Object.prototype.hasOwnProperty.call(FACT_CATALOG, name);
}

// ---------------------------------------------------------------------------------------------
// Inputs

/** Safety declarations of a fleet line (from the quote request). Missing = not declared = false / 0. */
export interface SafetyDeclarationInput {
  teleoperation_fallback?: boolean;
  force_speed_limiting?: boolean;
  safety_officer_on_site?: boolean;
  operator_training_hours?: number;
}

/** One fleet line of a quote request. */
export interface FleetLineInput {
  robot_model: string;
  scenario_class: string;
  units: number;
  autonomy_level: AutonomyLevel | string;
  operating_hours_per_unit: number;
  safety?: SafetyDeclarationInput;
}

/** One requested coverage. Money in CNY. */
export interface CoverageRequestInput {
  coverage: CoverageCode | string;
  deductible: number;
  per_occurrence_limit: number;
  aggregate_limit?: number | null;
}

/** The quote request as far as the rules need it. */
export interface QuoteRequestInput {
  basis: QuoteBasis | string;
  fleet: readonly FleetLineInput[];
  coverages: readonly CoverageRequestInput[];
}

/** Scenario class attributes (structurally compatible with seeds/catalog.ts ScenarioClass). */
export interface ScenarioClassInput {
  code: string;
  area: string;
  human_proximity: string;
  environment: string;
  vulnerable_people: boolean;
}

/** Robot model attributes (structurally compatible with seeds/catalog.ts RobotModel). */
export interface RobotModelInput {
  code: string;
  form_factor: string;
  mass_kg: number;
  payload_kg: number;
  max_speed_mps: number;
  replacement_value: number;
  certifications: Readonly<Record<string, boolean>>;
}

/**
 * Experience counts for one line's scenario class: the organization's own history and the
 * class (book) totals. Every field may be absent or null (no history); counts of incidents
 * should exclude `near_miss` records, which are counted in `org_near_misses`.
 */
export interface ExperienceInput {
  org_operating_hours?: number | null;
  org_incidents?: number | null;
  org_protective_stops?: number | null;
  org_near_misses?: number | null;
  class_operating_hours?: number | null;
  class_incidents?: number | null;
}

export interface LineFactsInput {
  line: FleetLineInput;
  scenarioClass: ScenarioClassInput;
  robotModel: RobotModelInput;
  experience?: ExperienceInput | null;
  /** The scorecard verdict of the line's robot model × scenario class (null / absent: none). */
  scorecardVerdict?: string | null;
  /**
   * Length of the policy period in years (default 1). `line.operating_hours_per_unit` is over the
   * whole period; the facts are per policy year (÷ termYears), so a rule on hours per year reads
   * the same figure for a one-year and a three-year policy.
   */
  termYears?: number;
}

/** Checks a policy term in years: finite and > 0. */
function checkTerm(termYears: number): number {
  if (!(Number.isFinite(termYears) && termYears > 0)) throw new RangeError(`termYears must be > 0, got ${termYears}`);
  return termYears;
}

// ---------------------------------------------------------------------------------------------
// Derivation

function finiteNonNegative(value: number, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${what} must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

function optionalCount(value: number | null | undefined, what: string): number | null {
  if (value === null || value === undefined) return null;
  return finiteNonNegative(value, what);
}

/** Events per 1,000 h: 1000 × count / hours; null when the count is unknown or hours are 0. */
function per1000h(count: number | null, hours: number | null): number | null {
  if (count === null || hours === null || hours <= 0) return null;
  return (1000 * count) / hours;
}

/**
 * Derives the line facts of one fleet line.
 *
 * Rates per 1,000 h are `1000 × count / hours` over the organization's own hours in the class
 * (class rate over the class hours); `org_to_class_rate_ratio = org rate / class rate`. A rate
 * is null when its count is missing or its hours are 0; the ratio is null when either rate is
 * null or the class rate is 0. Undeclared safety measures count as absent (false / 0 h).
 *
 * Hours are annualised: operating_hours_per_unit (fact) = line hours over the term / termYears.
 *
 * Throws RangeError for non-integer or < 1 units, annualised hours per unit outside [0, 8784],
 * a term ≤ 0, negative or non-finite robot attributes or experience counts; Error when the line's codes do not match
 * `scenarioClass.code` / `robotModel.code`.
 */
export function buildLineFacts(input: LineFactsInput): LineFacts {
  const { line, scenarioClass: sc, robotModel: rm } = input;
  const exp = input.experience ?? null;
  if (line.scenario_class !== sc.code) {
    throw new Error(`line scenario_class '${line.scenario_class}' does not match scenario class '${sc.code}'`);
  }
  if (line.robot_model !== rm.code) {
    throw new Error(`line robot_model '${line.robot_model}' does not match robot model '${rm.code}'`);
  }
  if (!Number.isInteger(line.units) || line.units < 1) {
    throw new RangeError(`units must be an integer >= 1, got ${String(line.units)}`);
  }
  const hours = finiteNonNegative(line.operating_hours_per_unit, 'operating_hours_per_unit') / checkTerm(input.termYears ?? 1);
  if (hours > 8784) throw new RangeError(`operating_hours_per_unit must be <= 8784 per policy year (a leap year), got ${hours}`);
  const mass = finiteNonNegative(rm.mass_kg, 'mass_kg');
  const speed = finiteNonNegative(rm.max_speed_mps, 'max_speed_mps');
  const payload = finiteNonNegative(rm.payload_kg, 'payload_kg');
  const value = finiteNonNegative(rm.replacement_value, 'replacement_value');
  const safety = line.safety ?? {};
  const training = safety.operator_training_hours === undefined ? 0 : finiteNonNegative(safety.operator_training_hours, 'operator_training_hours');

  const cert = (flag: CertificationFlag): boolean => rm.certifications[flag] === true;
  const certifications = CERTIFICATION_FLAGS.filter(cert);

  const orgHours = optionalCount(exp?.org_operating_hours, 'org_operating_hours');
  const orgIncidents = optionalCount(exp?.org_incidents, 'org_incidents');
  const orgStops = optionalCount(exp?.org_protective_stops, 'org_protective_stops');
  const orgNearMisses = optionalCount(exp?.org_near_misses, 'org_near_misses');
  const classHours = optionalCount(exp?.class_operating_hours, 'class_operating_hours');
  const classIncidents = optionalCount(exp?.class_incidents, 'class_incidents');
  const orgRate = per1000h(orgIncidents, orgHours);
  const classRate = per1000h(classIncidents, classHours);

  return {
    scenario_area: sc.area,
    scenario_class: sc.code,
    human_proximity: sc.human_proximity,
    environment: sc.environment,
    vulnerable_people: sc.vulnerable_people,
    robot_model: rm.code,
    form_factor: rm.form_factor,
    robot_mass_kg: mass,
    robot_max_speed_mps: speed,
    robot_payload_kg: payload,
    robot_kinetic_energy_j: 0.5 * mass * speed * speed,
    replacement_value: value,
    certifications,
    cert_iso_10218: cert('iso_10218'),
    cert_iso_13482: cert('iso_13482'),
    cert_iso_ts_15066: cert('iso_ts_15066'),
    cert_ce_machinery: cert('ce_machinery'),
    cert_iec_62443: cert('iec_62443'),
    cert_atex: cert('atex'),
    autonomy_level: line.autonomy_level,
    units: line.units,
    operating_hours_per_unit: hours,
    fleet_hours: line.units * hours,
    line_sum_insured: line.units * value,
    teleoperation_fallback: safety.teleoperation_fallback === true,
    force_speed_limiting: safety.force_speed_limiting === true,
    safety_officer_on_site: safety.safety_officer_on_site === true,
    operator_training_hours: training,
    protective_stops_per_1000h: per1000h(orgStops, orgHours),
    near_misses_per_1000h: per1000h(orgNearMisses, orgHours),
    org_incident_rate_per_1000h: orgRate,
    class_incident_rate_per_1000h: classRate,
    org_to_class_rate_ratio: orgRate !== null && classRate !== null && classRate > 0 ? orgRate / classRate : null,
    org_operating_hours: orgHours ?? 0,
    scorecard_verdict: input.scorecardVerdict ?? null,
  };
}

/**
 * Derives the request facts. `robotModels[i]` is the robot model of `request.fleet[i]`.
 * Totals: `total_sum_insured = Σ units × replacement_value`, `total_fleet_hours =
 * Σ units × operating_hours_per_unit / termYears` (per policy year). Coverage facts are null for
 * coverages not requested.
 *
 * Throws Error when `robotModels` does not align with the fleet lines or a coverage is
 * requested twice or unknown; RangeError for negative or non-finite limits / deductibles and
 * for invalid units / hours (as buildLineFacts).
 */
export function buildRequestFacts(request: QuoteRequestInput, robotModels: readonly RobotModelInput[], termYears = 1): RequestFacts {
  checkTerm(termYears);
  if (robotModels.length !== request.fleet.length) {
    throw new Error(`expected one robot model per fleet line (${request.fleet.length}), got ${robotModels.length}`);
  }
  let totalUnits = 0;
  let autonomousUnits = 0;
  let totalHours = 0;
  let totalSumInsured = 0;
  let maxLine = 0;
  request.fleet.forEach((line, i) => {
    const rm = robotModels[i];
    if (line.robot_model !== rm.code) {
      throw new Error(`fleet[${i}].robot_model '${line.robot_model}' does not match robot model '${rm.code}'`);
    }
    if (!Number.isInteger(line.units) || line.units < 1) {
      throw new RangeError(`fleet[${i}].units must be an integer >= 1, got ${String(line.units)}`);
    }
    const hours = finiteNonNegative(line.operating_hours_per_unit, `fleet[${i}].operating_hours_per_unit`) / termYears;
    const value = finiteNonNegative(rm.replacement_value, `fleet[${i}] replacement_value`);
    totalUnits += line.units;
    if (line.autonomy_level === 'autonomous') autonomousUnits += line.units;
    totalHours += line.units * hours;
    totalSumInsured += line.units * value;
    maxLine = Math.max(maxLine, line.units * value);
  });

  const facts: RequestFacts = {
    basis: request.basis,
    line_count: request.fleet.length,
    total_units: totalUnits,
    autonomous_units: autonomousUnits,
    total_fleet_hours: totalHours,
    total_sum_insured: totalSumInsured,
    max_line_sum_insured: maxLine,
    coverage_count: request.coverages.length,
    coverage_robot_damage_limit: null,
    coverage_robot_damage_aggregate_limit: null,
    coverage_robot_damage_deductible: null,
    coverage_third_party_liability_limit: null,
    coverage_third_party_liability_aggregate_limit: null,
    coverage_third_party_liability_deductible: null,
    coverage_business_interruption_limit: null,
    coverage_business_interruption_aggregate_limit: null,
    coverage_business_interruption_deductible: null,
  };
  const seen = new Set<string>();
  for (const c of request.coverages) {
    if (!(COVERAGE_CODES as readonly string[]).includes(c.coverage)) throw new Error(`unknown coverage '${c.coverage}'`);
    if (seen.has(c.coverage)) throw new Error(`coverage '${c.coverage}' requested twice`);
    seen.add(c.coverage);
    const code = c.coverage as CoverageCode;
    facts[`coverage_${code}_limit`] = finiteNonNegative(c.per_occurrence_limit, `${code} per_occurrence_limit`);
    facts[`coverage_${code}_deductible`] = finiteNonNegative(c.deductible, `${code} deductible`);
    facts[`coverage_${code}_aggregate_limit`] = optionalCount(c.aggregate_limit, `${code} aggregate_limit`);
  }
  return facts;
}

/** Per-line inputs of {@link buildQuoteFacts}, aligned with `request.fleet`. */
export interface QuoteLineContext {
  scenarioClass: ScenarioClassInput;
  robotModel: RobotModelInput;
  experience?: ExperienceInput | null;
  scorecardVerdict?: string | null;
}

/**
 * Convenience: the facts of every fleet line and of the request in one call.
 * Throws as buildLineFacts / buildRequestFacts; Error when `lines` does not align with the fleet.
 */
export function buildQuoteFacts(request: QuoteRequestInput, lines: readonly QuoteLineContext[], termYears: number): { lineFacts: LineFacts[]; requestFacts: RequestFacts } {
  if (lines.length !== request.fleet.length) {
    throw new Error(`expected one line context per fleet line (${request.fleet.length}), got ${lines.length}`);
  }
  const lineFacts = request.fleet.map((line, i) => buildLineFacts({ line, ...lines[i], termYears }));
  const requestFacts = buildRequestFacts(request, lines.map((l) => l.robotModel), termYears);
  return { lineFacts, requestFacts };
}
