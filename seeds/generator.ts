/**
 * Demo validation-history generator: deployments, exposure periods (calendar months, or quarters
 * for some operators, clipped to irregular deployment timelines) and incidents in the docs/architecture.md §5 data contract, drawn from a
 * documented stochastic model with a fixed seed.
 * Every number of the model is in ./true-parameters.ts; the model is described in
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
import { injuryMultiplier, SIMULATION_DESIGN, SOFTWARE, TRUE_PARAMETERS, trueRatePer1000h, type ShiftPattern } from './true-parameters.ts';
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
  /** YYYY-MM-DD (inclusive); null while the deployment is still running at extraction. */
  end_date: string | null;
  /** The system integrator (SOFTWARE.integrators), or null when not reported. */
  integrator_ref: string | null;
}

/**
 * An `exposures` row (docs/architecture.md §5): one calendar month of one deployment, or the part of it the
 * deployment ran (partial first and last months, the months a pause begins and ends); for a
 * quarterly reporter, the contiguous such periods of one calendar quarter summed into one row.
 */
export interface ExposureRow {
  deployment_ref: string;
  /** YYYY-MM-DD: the first of the month, or the later day the period starts on */
  period_start: string;
  /** YYYY-MM-DD (inclusive): the last day of the month or quarter (quarterly reporters) of period_start, or an earlier one */
  period_end: string;
  /** Hours, one decimal. */
  operating_hours: number;
  task_cycles: number;
  protective_stops: number;
  near_misses: number;
  /** The robot software run in the period (true-parameters.ts SOFTWARE). */
  software_version: string;
  /** Summed downtime of the period's incidents, hours with two decimals. */
  downtime_hours: number;
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
  /** Seed of the MT19937 streams (integer in [1, 2³²−1]). Default 20261124 (see seeds/README.md). */
  seed?: number;
  /** Number of deployments (scenario units). Default 320. */
  deployments?: number;
  /** Length of the programme window in calendar months (deployments run inside it). Default 18. */
  months?: number;
  /** First day of the programme window, YYYY-MM-01. Default '2025-01-01'. */
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

/** One exposure period of a deployment, in day indexes of the programme window (0 = its first day). */
interface Period {
  first: number;
  /** Inclusive. */
  last: number;
  /** Days of operation inside the period (a pause reported as zero hours removes some), inclusive ranges. */
  operating: [number, number][];
  operatingDays: number;
  /** Days of the calendar month of the period. */
  monthDays: number;
  /** Reported with 0 hours although the deployment was not paused (p_zero_hour_month). */
  idle: boolean;
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
  /** injuryMultiplier(class) */
  injuryMultiplier: number;
  periods: Period[];
}

interface Timeline {
  startDay: number;
  /** Inclusive; the last day of the window while still running. */
  endDay: number;
  ongoing: boolean;
  /** Inclusive day range without operation, or null. */
  pause: [number, number] | null;
  /** The operator reports the paused months as calendar-month rows with 0 hours. */
  pauseAsZero: boolean;
}

/** Start, end and pause of a deployment inside a window of `windowDays` days (SIMULATION_DESIGN.programme). */
function drawTimeline(rng: Rng, windowDays: number): Timeline {
  const P = SIMULATION_DESIGN.programme;
  const lastDay = windowDays - 1;
  const startDay = rng.uniform() < P.p_start_at_launch ? 0 : Math.floor(rng.uniform() * P.latest_start_share * windowDays);
  let endDay = lastDay;
  let ongoing = true;
  if (rng.uniform() >= P.p_ongoing && startDay + P.min_duration_days < lastDay) {
    endDay = startDay + P.min_duration_days + Math.floor(rng.uniform() * (lastDay - startDay - P.min_duration_days));
    ongoing = false;
  }
  let pause: [number, number] | null = null;
  let pauseAsZero = false;
  if (endDay - startDay + 1 >= P.pause_min_span_days && rng.uniform() < P.p_pause) {
    const days = P.pause_days.min + Math.floor(rng.uniform() * (P.pause_days.max - P.pause_days.min + 1));
    // at least 30 days of operation before and after the pause
    const room = endDay - startDay + 1 - 60 - days;
    if (room > 0) {
      const first = startDay + 30 + Math.floor(rng.uniform() * room);
      pause = [first, first + days - 1];
      pauseAsZero = rng.uniform() < P.p_pause_reported_as_zero;
    }
  }
  return { startDay, endDay, ongoing, pause, pauseAsZero };
}

/** The inclusive day range [a, b] without the inclusive range `cut` (0, 1 or 2 ranges). */
function without(a: number, b: number, cut: [number, number] | null): [number, number][] {
  if (!cut || cut[1] < a || cut[0] > b) return [[a, b]];
  const out: [number, number][] = [];
  if (cut[0] > a) out.push([a, cut[0] - 1]);
  if (cut[1] < b) out.push([cut[1] + 1, b]);
  return out;
}

/**
 * The exposure periods of a timeline: calendar months (`monthStart[k]` = day index of the first
 * day of month k, k = 0…months) clipped to the deployment's dates; a pause removes the days
 * paused (splitting a month it begins and ends in) unless the operator reports it as 0-hour months.
 */
function periodsOf(rng: Rng, t: Timeline, monthStart: readonly number[]): Period[] {
  const P = SIMULATION_DESIGN.programme;
  const out: Period[] = [];
  for (let k = 0; k + 1 < monthStart.length; k++) {
    const ms = monthStart[k];
    const me = monthStart[k + 1] - 1;
    const a = Math.max(ms, t.startDay);
    const b = Math.min(me, t.endDay);
    if (a > b) continue;
    const monthDays = me - ms + 1;
    const pieces = t.pauseAsZero ? [[a, b] as [number, number]] : without(a, b, t.pause);
    for (const [first, last] of pieces) {
      const operating = t.pauseAsZero ? without(first, last, t.pause) : [[first, last] as [number, number]];
      const operatingDays = operating.reduce((n, [x, y]) => n + y - x + 1, 0);
      const fullMonth = first === ms && last === me && operatingDays === monthDays;
      const idle = fullMonth && rng.uniform() < P.p_zero_hour_month;
      out.push({ first, last, operating, operatingDays, monthDays, idle });
    }
  }
  return out;
}

/**
 * Monthly rows of one deployment reported by calendar quarter: each run of contiguous rows
 * (the next starts the day after the previous ends) inside one quarter becomes one row with the
 * sums of its counts. A gap (a pause not reported) starts a new row.
 */
function byQuarter(rows: readonly ExposureRow[]): ExposureRow[] {
  const quarter = (d: string) => `${d.slice(0, 4)}-${Math.floor((Number(d.slice(5, 7)) - 1) / 3)}`;
  const out: ExposureRow[] = [];
  for (const r of rows) {
    const last = out[out.length - 1];
    if (last && quarter(last.period_start) === quarter(r.period_start) && last.software_version === r.software_version
        && Date.parse(r.period_start) - Date.parse(last.period_end) === DAY_MS) {
      last.period_end = r.period_end;
      last.operating_hours = Math.round((last.operating_hours + r.operating_hours) * 10) / 10;
      last.task_cycles += r.task_cycles;
      last.protective_stops += r.protective_stops;
      last.near_misses += r.near_misses;
      last.downtime_hours = Math.round((last.downtime_hours + r.downtime_hours) * 100) / 100;
    } else {
      out.push({ ...r });
    }
  }
  return out;
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
 * Assigns an enterprise to every slot: the slots of a single-operator class to its operator;
 * then every enterprise without a slot gets one (preferably in a focus area, never in a
 * single-operator class); the remaining slots go to enterprises with weight
 * `focus_area_weight` for enterprises focusing on the slot's area and 1 otherwise — except the
 * single-deployment organizations, which keep their one slot.
 */
function drawOrganizations(rng: Rng, classes: ScenarioClass[]): Organization[] {
  const D = SIMULATION_DESIGN;
  const enterprises = DEMO_ORGANIZATIONS.filter((o) => o.kind === 'enterprise');
  const operatorOf = (c: ScenarioClass) => D.single_operator_classes[c.code];
  const out: (Organization | undefined)[] = classes.map((c) => {
    const op = operatorOf(c);
    return op === undefined ? undefined : enterprises.find((o) => o.ref === op);
  });
  for (const org of enterprises) {
    if (out.includes(org)) continue;
    const focus = ORGANIZATION_FOCUS[org.ref] ?? [];
    let idx = classes.findIndex((c, i) => out[i] === undefined && focus.includes(c.area));
    if (idx < 0) idx = out.findIndex((o) => o === undefined);
    if (idx < 0) break;
    out[idx] = org;
  }
  const single = new Set(D.single_deployment_organizations);
  const fw = D.focus_area_weight;
  for (let i = 0; i < classes.length; i++) {
    if (out[i] !== undefined) continue;
    const area = classes[i].area;
    const w = enterprises.map((o) => (single.has(o.ref) ? 0 : (ORGANIZATION_FOCUS[o.ref] ?? []).includes(area) ? fw : 1));
    out[i] = enterprises[drawIndex(rng, w)];
  }
  return out as Organization[];
}

/**
 * Generates a synthetic validation history (deployments × exposure periods × incidents).
 *
 * Model (all numbers in TRUE_PARAMETERS / SIMULATION_DESIGN, seeds/README.md for details):
 *   timelines: staggered starts, early ends, pauses, partial first/last months, 0-hour months;
 *   λ_d = base_rate × r_area × r_autonomy × r_proximity   (per 1,000 h)
 *   Z_dt ~ Gamma(θ, θ)                                     (mean 1, variance 1/θ; per period by default)
 *   N_dt | Z_dt ~ Poisson(h_dt / 1000 × λ_d × Z_dt)        ⇒ N_dt ~ NB2(μ_dt = h_dt/1000 × λ_d, θ)
 *   stops_dt ~ Poisson(h_dt/1000 × k_ps × λ_d × Z_dt^γ), near_misses_dt likewise with k_nm;
 *   software: periods of an updated robot model from the update month run the new version and
 *   keep each incident with probability SOFTWARE.updates[].incident_rate_factor (rate × factor).
 * Each incident: type ~ class/autonomy-dependent mix; loss lines hit independently with
 * type-dependent probabilities; amounts from the per-line severity distributions (robot damage
 * capped at the model's replacement value); severity level derived from the amounts by the
 * docs/architecture.md §4 bands; incidents reported after the extraction (the end of the window) are left out.
 *
 * @throws RangeError for a bad seed, non-positive counts or a start that is not YYYY-MM-01.
 */
export function generateDemoHistory(options: DemoHistoryOptions = {}): DemoHistory {
  const { seed = 20261124, deployments: nDeployments = 320, months = 18, start = '2025-01-01', randomEffect = 'period' } = options;
  if (!Number.isInteger(nDeployments) || nDeployments < 1) throw new RangeError(`deployments must be a positive integer, got ${nDeployments}`);
  if (!Number.isInteger(months) || months < 1) throw new RangeError(`months must be a positive integer, got ${months}`);
  const { year, month } = parseStart(start);
  // Three streams (and one for the reporting format): `rng` for the programme design (deployments, timelines, hours, cycles),
  // `risk` for the random effects, leading indicators, incident counts and times, and `loss` for
  // what each incident is and costs (type, loss lines, amounts, claim status, reporting). So the
  // random-effect mode leaves deployments and hours unchanged, and a change of the type mix,
  // the claim shares or the severities leaves the incident counts (the frequency truth) unchanged.
  const rng = createRng(seed);
  const risk = createRng(((seed ^ 0x9e3779b9) >>> 0) || 1);
  const loss = createRng(((seed ^ 0x85ebca6b) >>> 0) || 1);
  // a fourth stream for the reporting format only, so that quarterly reporting changes no other draw
  const reporting = createRng(((seed ^ 0xc2b2ae35) >>> 0) || 1);
  // a fifth stream for the software dimension (integrators, thinning of incidents under an
  // update), so that adding it changed no draw of the four streams above
  const software = createRng(((seed ^ 0x27d4eb2f) >>> 0) || 1);
  const D = SIMULATION_DESIGN;
  const T = TRUE_PARAMETERS;
  const theta = T.frequency.theta;

  // The window: day 0 is `start`; monthStart[k] is the day index of the first of month k.
  const windowStartMs = Date.UTC(year, month, 1);
  const extractionMs = Date.UTC(year, month + months, 1); // 00:00 UTC after the window's last day
  const monthStart: number[] = [];
  for (let k = 0; k <= months; k++) monthStart.push(Math.round((Date.UTC(year, month + k, 1) - windowStartMs) / DAY_MS));
  const windowDays = monthStart[months];
  const dayMs = (day: number) => windowStartMs + day * DAY_MS;
  const recentFromMs = Date.UTC(year, month + months - D.claims.recent_months, 1);

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
    const scale = D.organization_fleet_scale[org.ref] ?? 1;
    const units = Math.min(D.fleet.max_units, Math.max(1, Math.round(design.units_median * scale * Math.exp(rng.normal(0, D.fleet.units_sdlog)))));
    const autonomy = AUTONOMY_LEVELS[drawIndex(rng, AUTONOMY_LEVELS.map((a) => design.autonomy[a]))];
    const patterns = Object.keys(D.scheduled_hours_per_unit_month) as ShiftPattern[];
    const pattern = patterns[drawIndex(rng, patterns.map((p) => D.shift_patterns[cls.area][p]))];
    const utilisation = D.utilisation.min + (D.utilisation.max - D.utilisation.min) * rng.uniform();
    const bi = T.severity.bi_cost_per_hour;
    const biCostPerHour = lognormal(rng, bi.meanlog, bi.sdlog);
    const timeline = drawTimeline(rng, windowDays);
    const row: DeploymentRow = {
      deployment_ref: `DEP-${String(i + 1).padStart(refWidth, '0')}`,
      organization_ref: org.ref,
      province: org.province,
      scenario_class: cls.code,
      robot_model: model.code,
      units,
      autonomy_level: autonomy,
      start_date: isoDate(dayMs(timeline.startDay)),
      end_date: timeline.ongoing ? null : isoDate(dayMs(timeline.endDay)),
      integrator_ref: null,
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
      injuryMultiplier: injuryMultiplier(cls.code),
      periods: periodsOf(rng, timeline, monthStart),
    });
  }

  for (const s of states) {
    const u = software.uniform();
    const k = software.uniform();
    s.row.integrator_ref = u < SOFTWARE.p_no_integrator ? null : SOFTWARE.integrators[Math.floor(k * SOFTWARE.integrators.length)];
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
    const rows: ExposureRow[] = [];
    const update = SOFTWARE.updates.find((u) => u.robot_model === s.row.robot_model && u.from_month < months);
    for (const p of s.periods) {
      const updated = update !== undefined && p.first >= monthStart[update.from_month];
      const softwareVersion = updated ? update.version : SOFTWARE.base_version;
      let downtimeHours = 0;
      const noise = Math.exp(rng.normal(0, D.monthly_hours_sdlog));
      const cycleNoise = Math.exp(rng.normal(0, 0.1));
      const share = p.idle ? 0 : p.operatingDays / p.monthDays;
      const hours = Math.round(s.row.units * s.scheduledHours * s.utilisation * noise * share * 10) / 10;
      const cycles = Math.round(hours * design.cycles_per_hour * cycleNoise);
      const z = randomEffect === 'period' ? risk.gamma(theta, theta) : s.z;
      const zg = Math.pow(z, li.gamma);
      const kh = hours / 1000;
      const stops = risk.poisson(kh * li.protective_stops_per_expected_incident * s.lambda * zg);
      const nearMisses = risk.poisson(kh * li.near_misses_per_expected_incident * s.lambda * zg);
      rows.push({
        deployment_ref: s.row.deployment_ref,
        period_start: isoDate(dayMs(p.first)),
        period_end: isoDate(dayMs(p.last)),
        operating_hours: hours,
        task_cycles: cycles,
        protective_stops: stops,
        near_misses: nearMisses,
        software_version: softwareVersion,
        downtime_hours: 0,
      });

      const nIncidents = risk.poisson(kh * s.lambda * z);
      for (let j = 0; j < nIncidents; j++) {
        // uniform over the seconds of the period's operating days
        let second = Math.floor(risk.uniform() * p.operatingDays * 86_400);
        let occurredMs = 0;
        for (const [x, y] of p.operating) {
          const len = (y - x + 1) * 86_400;
          if (second < len) { occurredMs = dayMs(x) + second * 1000; break; }
          second -= len;
        }
        const type = INCIDENT_TYPES[drawIndex(loss, s.typeWeights)];
        const hit = D.line_hits[type];
        const pInjury = Math.min(0.95, hit.bodily_injury * s.injuryMultiplier);

        let robotCents = 0;
        let totalLoss = false;
        if (loss.uniform() < hit.robot_damage) {
          const x = lognormal(loss, sev.robot_damage.meanlog, sev.robot_damage.sdlog);
          if (x >= s.model.replacement_value) totalLoss = true;
          robotCents = lossCents(Math.min(x, s.model.replacement_value));
        }
        let tpdCents = 0;
        if (loss.uniform() < hit.third_party_property_damage) {
          tpdCents = lossCents(lognormal(loss, sev.third_party_property_damage.meanlog, sev.third_party_property_damage.sdlog));
        }
        let injured = 0;
        let biCents = 0;
        if (loss.uniform() < pInjury) {
          const extra = type === 'battery_thermal' ? D.extra_injured_mean_battery_thermal : D.extra_injured_mean;
          injured = 1 + loss.poisson(extra);
          biCents = lossCents(lomax(loss, sev.bodily_injury_cost.shape, sev.bodily_injury_cost.scale));
        }
        let downtime = 0;
        let biCostCents = 0;
        if (loss.uniform() < hit.downtime) {
          downtime = Math.max(0.01, Math.round(lognormal(loss, sev.downtime_hours.meanlog, sev.downtime_hours.sdlog) * 100) / 100);
          biCostCents = lossCents(downtime * s.biCostPerHour);
        }

        const propertyLevel = robotCents + tpdCents === 0 ? 0 : totalLoss ? 4 : 1 + band((robotCents + tpdCents) / 100, bands.property);
        const injuryLevel = injured === 0 ? 0 : 1 + band(biCents / 100 / injured, bands.injury_per_person);
        const downtimeLevel = band(downtime, bands.downtime_hours);
        const severity = Math.min(5, Math.max(propertyLevel, injuryLevel, downtimeLevel));

        const totalCents = robotCents + tpdCents + biCents + biCostCents;
        const recent = occurredMs >= recentFromMs;
        let status: IncidentStatus = 'closed';
        if (totalCents > 1) {
          const u = loss.uniform();
          if ((recent && u < D.claims.p_open_recent) || (!recent && severity >= 4 && u < D.claims.p_open_severe)) status = 'open';
        }
        let paidCents = totalCents;
        if (status === 'open') {
          const frac = D.claims.paid_min + (D.claims.paid_max - D.claims.paid_min) * loss.uniform();
          paidCents = Math.min(totalCents - 1, Math.floor(totalCents * frac));
        }

        let delayDays: number;
        if (loss.uniform() < D.reporting.p_late) delayDays = loss.gamma(2, 2 / D.reporting.late_mean_days);
        else delayDays = -Math.log(1 - loss.uniform()) * D.reporting.quick_mean_days + 1 / 24;
        const reportedMs = occurredMs + Math.floor(delayDays * 86_400) * 1000;
        // the update thins incidents after every draw of the other streams, so those stay as they were
        if (updated && software.uniform() >= update.incident_rate_factor) continue;
        downtimeHours += downtime;
        if (reportedMs >= extractionMs) continue; // not reported yet at extraction (IBNR)

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
      rows[rows.length - 1].downtime_hours = Math.round(downtimeHours * 100) / 100;
    }
    exposures.push(...(reporting.uniform() < D.programme.p_quarterly_reporting ? byQuarter(rows) : rows));
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
