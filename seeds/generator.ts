/**
 * Demo validation-history generator: deployments, monthly exposures and incidents in the
 * data contract of docs/architecture.md §5, drawn from a documented stochastic model with a fixed
 * seed. Every number of the model is in ./true-parameters.ts; the model is described in
 * ./README.md. Pure: no I/O; same options → identical output.
 */
import { createRng, type Rng } from '../models/random.ts';
import {
  CLASS_FORM_FACTORS,
  DEMO_ORGANIZATIONS,
  ORGANIZATION_FOCUS,
  ROBOT_MODELS,
  SCENARIO_CLASSES,
  type Organization,
  type RobotModel,
  type ScenarioClass,
} from './catalog.ts';
import {
  AUTONOMY_LEVELS,
  INCIDENT_TYPES,
  type AutonomyLevel,
  type IncidentStatus,
  type IncidentType,
  type ScenarioClassCode,
} from '../domain/enums.ts';
import { SIMULATION_DESIGN, TRUE_PARAMETERS, trueRatePer1000h, type ShiftPattern } from './true-parameters.ts';
import { toCents } from '../models/premium/rounding.ts';

/** A `deployments` row (docs/architecture.md §5), fields in data-contract order. */
export interface DeploymentRow {
  deployment_ref: string;
  organization_ref: string;
  province: string;
  scenario_class: ScenarioClassCode;
  robot_model: string;
  units: number;
  autonomy_level: AutonomyLevel;
  /** YYYY-MM-DD */
  start_date: string;
  /** YYYY-MM-DD (inclusive) */
  end_date: string;
}

/** An `exposures` row (docs/architecture.md §5): one calendar month of one deployment. */
export interface ExposureRow {
  deployment_ref: string;
  /** YYYY-MM-DD, first day of the month */
  period_start: string;
  /** YYYY-MM-DD, last day of the month (inclusive) */
  period_end: string;
  /** Hours, one decimal. */
  operating_hours: number;
  task_cycles: number;
  protective_stops: number;
  near_misses: number;
}

/** An `incidents` row (docs/architecture.md §5). Money in CNY major units rounded to cents. */
export interface IncidentRow {
  incident_ref: string;
  deployment_ref: string;
  /** ISO 8601 UTC timestamp, e.g. 2025-03-14T06:21:09Z */
  occurred_at: string;
  /** ISO 8601 UTC timestamp, ≥ occurred_at */
  reported_at: string;
  incident_type: IncidentType;
  severity_level: number;
  bodily_injury_count: number;
  robot_damage: number;
  third_party_property_damage: number;
  bodily_injury_cost: number;
  /** Hours, two decimals. */
  downtime_hours: number;
  business_interruption_cost: number;
  status: IncidentStatus;
  paid: number;
  case_reserve: number;
  currency: 'CNY';
}

export interface DemoHistory {
  deployments: DeploymentRow[];
  exposures: ExposureRow[];
  incidents: IncidentRow[];
}

export interface DemoHistoryOptions {
  /** Seed of the MT19937 stream (integer in [1, 2³²−1]). Default 20261123. */
  seed?: number;
  /** Number of deployments (scenario units). Default 320. */
  deployments?: number;
  /** Number of monthly exposure periods per deployment. Default 12. */
  months?: number;
  /** First day of the first period, YYYY-MM-01. Default '2025-01-01'. */
  start?: string;
  /**
   * Level of the gamma random effect Z (the deployment's latent risk):
   * 'period' (default): an independent Z_dt per exposure period, so every exposure row's
   * incident count is an independent NB2(μ_dt, θ) draw and a negative-binomial GLM on one row
   * per exposure period is correctly specified (its 95% CIs have nominal coverage);
   * 'deployment': one Z_d shared by all periods of a deployment, so deployment TOTALS are
   * NB2(Σ_t μ_dt, θ) but the periods of one deployment are correlated (fit on deployment totals;
   * a row-level fit then gives too narrow CIs). Deployments and hours are identical in both modes.
   */
  randomEffect?: 'deployment' | 'period';
}

const DAY_MS = 86_400_000;

/** Parses YYYY-MM-01 into a UTC year/month. Throws RangeError when not the first of a month. */
function parseStart(start: string): { year: number; month: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(start);
  if (!m) throw new RangeError(`start must be YYYY-MM-DD, got '${start}'`);
  const year = Number(m[1]);
  const month = Number(m[2]) - 1;
  const day = Number(m[3]);
  if (month < 0 || month > 11 || day !== 1) {
    throw new RangeError(`start must be the first day of a month (YYYY-MM-01), got '${start}'`);
  }
  return { year, month };
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function isoTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Draws an index with probability proportional to `weights` (non-negative, positive sum). */
function drawIndex(rng: Rng, weights: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  let u = rng.uniform() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i];
    if (u < 0 && weights[i] > 0) return i;
  }
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
  throw new Error('drawIndex: all weights are zero');
}

function shuffleInPlace<T>(rng: Rng, xs: T[]): void {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = xs[i];
    xs[i] = xs[j];
    xs[j] = t;
  }
}

function lognormal(rng: Rng, meanlog: number, sdlog: number): number {
  return Math.exp(rng.normal(meanlog, sdlog));
}

/** Lomax by inversion: X = scale × ((1 − U)^(−1/shape) − 1). */
function lomax(rng: Rng, shape: number, scale: number): number {
  return scale * (Math.pow(1 - rng.uniform(), -1 / shape) - 1);
}

/** A generated loss amount in whole cents, at least one cent. */
function lossCents(x: number): number {
  return Math.max(1, toCents(x));
}

function band(value: number, thresholds: readonly number[]): number {
  let level = 0;
  for (let i = 0; i < thresholds.length; i++) if (value >= thresholds[i]) level = i + 1;
  return level;
}

interface DeploymentState {
  row: DeploymentRow;
  cls: ScenarioClass;
  model: RobotModel;
  /** True incident rate per 1,000 h without the random effect. */
  lambda: number;
  /** Deployment-level random effect (randomEffect 'deployment'); 1 otherwise. */
  z: number;
  utilisation: number;
  scheduledHours: number;
  biCostPerHour: number;
  typeWeights: Float64Array;
}

function typeWeightsFor(cls: ScenarioClass, autonomy: AutonomyLevel): Float64Array {
  const w = new Float64Array(INCIDENT_TYPES.length);
  INCIDENT_TYPES.forEach((t, i) => {
    w[i] = SIMULATION_DESIGN.type_weights[t];
  });
  for (const mod of SIMULATION_DESIGN.type_modifiers) {
    const level =
      mod.factor === 'scenario_area'
        ? cls.area
        : mod.factor === 'human_proximity'
          ? cls.human_proximity
          : mod.factor === 'environment'
            ? cls.environment
            : autonomy;
    const mult = (mod.multipliers as Record<string, number | undefined>)[level];
    if (mult !== undefined) w[INCIDENT_TYPES.indexOf(mod.type)] *= mult;
  }
  return w;
}

/** Assigns a scenario class to every deployment slot: a minimum per class, the rest by weight. */
function drawClasses(rng: Rng, n: number): ScenarioClass[] {
  const perClass = Math.min(SIMULATION_DESIGN.min_deployments_per_class, Math.floor(n / SCENARIO_CLASSES.length));
  const slots: ScenarioClass[] = [];
  for (const c of SCENARIO_CLASSES) for (let k = 0; k < perClass; k++) slots.push(c);
  const weights = SCENARIO_CLASSES.map((c) => SIMULATION_DESIGN.classes[c.code].weight);
  while (slots.length < n) slots.push(SCENARIO_CLASSES[drawIndex(rng, weights)]);
  shuffleInPlace(rng, slots);
  return slots;
}

/**
 * Assigns an enterprise to every slot: first each enterprise gets one slot (preferably in a
 * focus area), then the remaining slots go to enterprises with weight `focus_area_weight` for
 * enterprises focusing on the slot's area and 1 otherwise.
 */
function drawOrganizations(rng: Rng, classes: ScenarioClass[]): Organization[] {
  const enterprises = DEMO_ORGANIZATIONS.filter((o) => o.kind === 'enterprise');
  const out: (Organization | undefined)[] = new Array(classes.length).fill(undefined);
  for (const org of enterprises) {
    const focus = ORGANIZATION_FOCUS[org.ref] ?? [];
    let idx = classes.findIndex((c, i) => out[i] === undefined && focus.includes(c.area));
    if (idx < 0) idx = out.findIndex((o) => o === undefined);
    if (idx < 0) break;
    out[idx] = org;
  }
  const fw = SIMULATION_DESIGN.focus_area_weight;
  for (let i = 0; i < classes.length; i++) {
    if (out[i] !== undefined) continue;
    const area = classes[i].area;
    const w = enterprises.map((o) => ((ORGANIZATION_FOCUS[o.ref] ?? []).includes(area) ? fw : 1));
    out[i] = enterprises[drawIndex(rng, w)];
  }
  return out as Organization[];
}

/**
 * Generates a synthetic validation history (deployments × monthly exposures × incidents).
 *
 * Model (all numbers in TRUE_PARAMETERS / SIMULATION_DESIGN, seeds/README.md for details):
 *   λ_d = base_rate × r_area × r_autonomy × r_proximity   (per 1,000 h)
 *   Z_dt ~ Gamma(θ, θ)                                     (mean 1, variance 1/θ; per period by default)
 *   N_dt | Z_dt ~ Poisson(h_dt / 1000 × λ_d × Z_dt)        ⇒ N_dt ~ NB2(μ_dt = h_dt/1000 × λ_d, θ)
 *   stops_dt ~ Poisson(h_dt/1000 × k_ps × λ_d × Z_dt^γ), near_misses_dt likewise with k_nm.
 * Each incident: type ~ class/autonomy-dependent mix; loss lines hit independently with
 * type-dependent probabilities; amounts from the per-line severity distributions (robot damage
 * capped at the model's replacement value); severity level derived from the amounts by the
 * bands of docs/architecture.md §4.
 *
 * @throws RangeError for a bad seed, non-positive counts or a start that is not YYYY-MM-01.
 */
export function generateDemoHistory(options: DemoHistoryOptions = {}): DemoHistory {
  const { seed = 20261123, deployments: nDeployments = 320, months = 12, start = '2025-01-01', randomEffect = 'period' } = options;
  if (!Number.isInteger(nDeployments) || nDeployments < 1) throw new RangeError(`deployments must be a positive integer, got ${nDeployments}`);
  if (!Number.isInteger(months) || months < 1) throw new RangeError(`months must be a positive integer, got ${months}`);
  const { year, month } = parseStart(start);
  // Two streams: `rng` for the programme design (deployments, hours, cycles) and `risk` for the
  // random effects, leading indicators and incidents, so that the random-effect mode (or any
  // change of the incident model) leaves deployments and exposure hours unchanged.
  const rng = createRng(seed);
  const risk = createRng(((seed ^ 0x9e3779b9) >>> 0) || 1);
  const D = SIMULATION_DESIGN;
  const T = TRUE_PARAMETERS;
  const theta = T.frequency.theta;

  // Period boundaries: periodStartMs[k] .. periodStartMs[k+1] (exclusive).
  const periodStartMs: number[] = [];
  for (let k = 0; k <= months; k++) periodStartMs.push(Date.UTC(year, month + k, 1));
  const startDate = isoDate(periodStartMs[0]);
  const endDate = isoDate(periodStartMs[months] - DAY_MS);

  // ---- deployments -------------------------------------------------------------------------
  const classes = drawClasses(rng, nDeployments);
  const orgs = drawOrganizations(rng, classes);
  const refWidth = Math.max(4, String(nDeployments).length);
  const states: DeploymentState[] = [];
  for (let i = 0; i < nDeployments; i++) {
    const cls = classes[i];
    const org = orgs[i];
    const design = D.classes[cls.code];
    const fits = CLASS_FORM_FACTORS[cls.code];
    const candidates = ROBOT_MODELS.filter((m) => fits.includes(m.form_factor));
    const model = candidates[Math.floor(rng.uniform() * candidates.length)];
    const units = Math.min(50, Math.max(1, Math.round(lognormal(rng, Math.log(design.units_median), 0.8))));
    const autonomy = AUTONOMY_LEVELS[drawIndex(rng, AUTONOMY_LEVELS.map((a) => design.autonomy[a]))];
    const patterns = Object.keys(D.scheduled_hours_per_unit_month) as ShiftPattern[];
    const pattern = patterns[drawIndex(rng, patterns.map((p) => D.shift_patterns[cls.area][p]))];
    const utilisation = D.utilisation.min + (D.utilisation.max - D.utilisation.min) * rng.uniform();
    const bi = T.severity.bi_cost_per_hour;
    const biCostPerHour = lognormal(rng, bi.meanlog, bi.sdlog);
    const row: DeploymentRow = {
      deployment_ref: `DEP-${String(i + 1).padStart(refWidth, '0')}`,
      organization_ref: org.ref,
      province: org.province,
      scenario_class: cls.code,
      robot_model: model.code,
      units,
      autonomy_level: autonomy,
      start_date: startDate,
      end_date: endDate,
    };
    states.push({
      row,
      cls,
      model,
      lambda: trueRatePer1000h(cls.code, autonomy),
      z: 1,
      utilisation,
      scheduledHours: D.scheduled_hours_per_unit_month[pattern],
      biCostPerHour,
      typeWeights: typeWeightsFor(cls, autonomy),
    });
  }

  // ---- exposures and incidents ---------------------------------------------------------------
  const exposures: ExposureRow[] = [];
  const drafts: { ms: number; row: Omit<IncidentRow, 'incident_ref'> }[] = [];
  const li = T.leading_indicators;
  const sev = T.severity;
  const bands = D.severity_bands;
  for (const s of states) {
    const design = D.classes[s.cls.code];
    if (randomEffect === 'deployment') s.z = risk.gamma(theta, theta);
    for (let k = 0; k < months; k++) {
      const hours = Math.round(s.row.units * s.scheduledHours * s.utilisation * Math.exp(rng.normal(0, D.monthly_hours_sdlog)) * 10) / 10;
      const cycles = Math.round(hours * design.cycles_per_hour * Math.exp(rng.normal(0, 0.1)));
      const z = randomEffect === 'period' ? risk.gamma(theta, theta) : s.z;
      const zg = Math.pow(z, li.gamma);
      const kh = hours / 1000;
      const stops = risk.poisson(kh * li.protective_stops_per_expected_incident * s.lambda * zg);
      const nearMisses = risk.poisson(kh * li.near_misses_per_expected_incident * s.lambda * zg);
      exposures.push({
        deployment_ref: s.row.deployment_ref,
        period_start: isoDate(periodStartMs[k]),
        period_end: isoDate(periodStartMs[k + 1] - DAY_MS),
        operating_hours: hours,
        task_cycles: cycles,
        protective_stops: stops,
        near_misses: nearMisses,
      });

      const nIncidents = risk.poisson(kh * s.lambda * z);
      const periodSeconds = (periodStartMs[k + 1] - periodStartMs[k]) / 1000;
      const recent = k >= months - D.claims.recent_months;
      for (let j = 0; j < nIncidents; j++) {
        const occurredMs = periodStartMs[k] + Math.floor(risk.uniform() * periodSeconds) * 1000;
        const type = INCIDENT_TYPES[drawIndex(risk, s.typeWeights)];
        const hit = D.line_hits[type];
        const pInjury = Math.min(0.95, hit.bodily_injury * (s.cls.vulnerable_people ? D.vulnerable_injury_multiplier : 1));

        let robotCents = 0;
        let totalLoss = false;
        if (risk.uniform() < hit.robot_damage) {
          const x = lognormal(risk, sev.robot_damage.meanlog, sev.robot_damage.sdlog);
          if (x >= s.model.replacement_value) totalLoss = true;
          robotCents = lossCents(Math.min(x, s.model.replacement_value));
        }
        let tpdCents = 0;
        if (risk.uniform() < hit.third_party_property_damage) {
          tpdCents = lossCents(lognormal(risk, sev.third_party_property_damage.meanlog, sev.third_party_property_damage.sdlog));
        }
        let injured = 0;
        let biCents = 0;
        if (risk.uniform() < pInjury) {
          const extra = type === 'battery_thermal' ? D.extra_injured_mean_battery_thermal : D.extra_injured_mean;
          injured = 1 + risk.poisson(extra);
          biCents = lossCents(lomax(risk, sev.bodily_injury_cost.shape, sev.bodily_injury_cost.scale));
        }
        let downtime = 0;
        let biCostCents = 0;
        if (risk.uniform() < hit.downtime) {
          downtime = Math.max(0.01, Math.round(lognormal(risk, sev.downtime_hours.meanlog, sev.downtime_hours.sdlog) * 100) / 100);
          biCostCents = lossCents(downtime * s.biCostPerHour);
        }

        const propertyLevel = robotCents + tpdCents === 0 ? 0 : totalLoss ? 4 : 1 + band((robotCents + tpdCents) / 100, bands.property);
        const injuryLevel = injured === 0 ? 0 : 1 + band(biCents / 100 / injured, bands.injury_per_person);
        const downtimeLevel = band(downtime, bands.downtime_hours);
        const severity = Math.min(5, Math.max(propertyLevel, injuryLevel, downtimeLevel));

        const totalCents = robotCents + tpdCents + biCents + biCostCents;
        let status: IncidentStatus = 'closed';
        if (totalCents > 1) {
          const u = risk.uniform();
          if ((recent && u < D.claims.p_open_recent) || (!recent && severity >= 4 && u < D.claims.p_open_severe)) status = 'open';
        }
        let paidCents = totalCents;
        if (status === 'open') {
          const frac = D.claims.paid_min + (D.claims.paid_max - D.claims.paid_min) * risk.uniform();
          paidCents = Math.min(totalCents - 1, Math.floor(totalCents * frac));
        }

        let delayDays: number;
        if (risk.uniform() < D.reporting.p_late) delayDays = risk.gamma(2, 2 / D.reporting.late_mean_days);
        else delayDays = -Math.log(1 - risk.uniform()) * D.reporting.quick_mean_days + 1 / 24;
        const reportedMs = occurredMs + Math.floor(delayDays * 86_400) * 1000;

        drafts.push({
          ms: occurredMs,
          row: {
            deployment_ref: s.row.deployment_ref,
            occurred_at: isoTimestamp(occurredMs),
            reported_at: isoTimestamp(reportedMs),
            incident_type: type,
            severity_level: severity,
            bodily_injury_count: injured,
            robot_damage: robotCents / 100,
            third_party_property_damage: tpdCents / 100,
            bodily_injury_cost: biCents / 100,
            downtime_hours: downtime,
            business_interruption_cost: biCostCents / 100,
            status,
            paid: paidCents / 100,
            case_reserve: (totalCents - paidCents) / 100,
            currency: 'CNY',
          },
        });
      }
    }
  }

  // Chronological incident references (stable sort keeps generation order for ties).
  drafts.sort((a, b) => a.ms - b.ms);
  const incWidth = Math.max(6, String(drafts.length).length);
  const incidents: IncidentRow[] = drafts.map((d, i) => ({
    incident_ref: `INC-${String(i + 1).padStart(incWidth, '0')}`,
    ...d.row,
  }));

  return { deployments: states.map((s) => s.row), exposures, incidents };
}
