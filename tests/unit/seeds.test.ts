import { describe, expect, it } from 'vitest';
import { generateDemoHistory, type DemoHistory } from '../../seeds/generator.ts';
import { DEMO_ORGANIZATIONS, CLASS_FORM_FACTORS, scenarioClass, robotModel } from '../../seeds/catalog.ts';
import {
  AUTONOMY_LEVELS,
  INCIDENT_STATUSES,
  INCIDENT_TYPES,
  SCENARIO_AREA_CODES,
  SCENARIO_CLASS_CODES,
} from '../../domain/enums.ts';
import { SIMULATION_DESIGN, TRUE_PARAMETERS, trueRatePer1000h } from '../../seeds/true-parameters.ts';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';

const t0 = performance.now();
const H: DemoHistory = generateDemoHistory();
const elapsedMs = performance.now() - t0;

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const DAY = 86_400_000;
const depByRef = new Map(H.deployments.map((d) => [d.deployment_ref, d]));
const orgByRef = new Map(DEMO_ORGANIZATIONS.map((o) => [o.ref, o]));

function validDate(s: string): boolean {
  return DATE_RE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
}
function dayMs(s: string): number {
  return Date.parse(`${s}T00:00:00Z`);
}
function cents(x: number): number {
  return Math.round(x * 100);
}
function hasAtMostTwoDecimals(x: number): boolean {
  return Math.abs(x * 100 - Math.round(x * 100)) < 1e-6;
}
/** The default programme window: 18 months from 2025-01-01; the extraction is at its end. */
const WINDOW = { start: '2025-01-01', end: '2026-06-30' };
const EXTRACTION_MS = dayMs(WINDOW.end) + DAY;
const exposuresOf = new Map<string, typeof H.exposures>();
for (const e of H.exposures) {
  if (!exposuresOf.has(e.deployment_ref)) exposuresOf.set(e.deployment_ref, []);
  exposuresOf.get(e.deployment_ref)!.push(e);
}
/** The exposure period of a deployment that contains a timestamp (periods never overlap). */
function periodOf(ref: string, at: string) {
  const day = at.slice(0, 10);
  return exposuresOf.get(ref)?.find((e) => e.period_start <= day && day <= e.period_end);
}
const lastDayOfMonth = (d: string) => new Date(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)), 0)).toISOString().slice(0, 10);
const PERSON_TYPES = new Set(['collision_person', 'pinch_crush', 'fall', 'dropped_payload', 'unexpected_motion', 'battery_thermal', 'operator_error']);

describe('generateDemoHistory: counts and coverage of the catalog', () => {
  it('has 320 deployments, each with exposure, ≥ 30 organizations, every area and class', () => {
    expect(H.deployments.length).toBe(320);
    expect(exposuresOf.size).toBe(H.deployments.length);
    for (const rows of exposuresOf.values()) {
      expect(rows.length).toBeGreaterThanOrEqual(1);
      expect(rows.length).toBeLessThanOrEqual(18 + 1); // a month (or quarter) can hold two periods around a pause
    }
    expect(new Set(H.deployments.map((d) => d.organization_ref)).size).toBeGreaterThanOrEqual(30);
    const classes = new Set(H.deployments.map((d) => d.scenario_class));
    expect([...classes].sort()).toEqual([...SCENARIO_CLASS_CODES].sort());
    const areas = new Set(H.deployments.map((d) => scenarioClass(d.scenario_class).area));
    expect([...areas].sort()).toEqual([...SCENARIO_AREA_CODES].sort());
    // several thousand incidents, every type present
    expect(H.incidents.length).toBeGreaterThan(3000);
    expect(new Set(H.incidents.map((i) => i.incident_type)).size).toBe(INCIDENT_TYPES.length);
  });

  it('is irregular like a real programme: staggered starts, early ends, pauses, partial and 0-hour months', () => {
    const ds = H.deployments;
    expect(ds.filter((d) => d.start_date === WINDOW.start).length).toBeGreaterThan(50); // launch cohort
    expect(ds.filter((d) => d.start_date > WINDOW.start).length).toBeGreaterThan(100); // late starts
    expect(ds.filter((d) => !d.start_date.endsWith('-01')).length).toBeGreaterThan(50); // mid-month starts
    expect(ds.filter((d) => d.end_date !== null).length).toBeGreaterThan(50); // early ends
    expect(ds.filter((d) => d.end_date === null).length).toBeGreaterThan(100); // still running at extraction
    const partial = H.exposures.filter((e) => !e.period_start.endsWith('-01') || e.period_end !== lastDayOfMonth(e.period_start));
    expect(partial.length).toBeGreaterThan(100);
    expect(H.exposures.filter((e) => e.operating_hours === 0).length).toBeGreaterThan(20);
    let gaps = 0;
    for (const rows of exposuresOf.values()) {
      for (let k = 1; k < rows.length; k++) if (dayMs(rows[k].period_start) > dayMs(rows[k - 1].period_end) + DAY) gaps++;
    }
    expect(gaps).toBeGreaterThan(20);
  });

  it('has fleets from 1 robot to hundreds, single-deployment organizations and a single-operator class', () => {
    const units = H.deployments.map((d) => d.units);
    expect(Math.min(...units)).toBe(1);
    expect(Math.max(...units)).toBeGreaterThanOrEqual(200);
    expect(Math.max(...units)).toBeLessThanOrEqual(SIMULATION_DESIGN.fleet.max_units);
    const perOrg = new Map<string, number>();
    for (const d of H.deployments) perOrg.set(d.organization_ref, (perOrg.get(d.organization_ref) ?? 0) + 1);
    for (const o of SIMULATION_DESIGN.single_deployment_organizations) expect(perOrg.get(o)).toBe(1);
    for (const [cls, operator] of Object.entries(SIMULATION_DESIGN.single_operator_classes)) {
      const ops = new Set(H.deployments.filter((d) => d.scenario_class === cls).map((d) => d.organization_ref));
      expect([...ops]).toEqual([operator]);
    }
  });

  it('gives every other scenario class at least 3 organizations (so disclosure control blanks only the single-operator class)', () => {
    const orgs = new Map<string, Set<string>>();
    for (const d of H.deployments) {
      if (!orgs.has(d.scenario_class)) orgs.set(d.scenario_class, new Set());
      orgs.get(d.scenario_class)!.add(d.organization_ref);
    }
    for (const [cls, set] of orgs) if (!(cls in SIMULATION_DESIGN.single_operator_classes)) expect(set.size, cls).toBeGreaterThanOrEqual(3);
  });

  it('has claims under every coverage, open claims with reserves and reports after weeks', () => {
    expect(H.incidents.filter((i) => i.robot_damage > 0).length).toBeGreaterThan(50);
    expect(H.incidents.filter((i) => i.third_party_property_damage + i.bodily_injury_cost > 0).length).toBeGreaterThan(50);
    expect(H.incidents.filter((i) => i.bodily_injury_cost > 0).length).toBeGreaterThan(0);
    expect(H.incidents.filter((i) => i.business_interruption_cost > 0).length).toBeGreaterThan(50);
    expect(H.incidents.filter((i) => i.status === 'open' && i.case_reserve > 0).length).toBeGreaterThan(10);
    expect(H.incidents.filter((i) => Date.parse(i.reported_at) - Date.parse(i.occurred_at) > 14 * DAY).length).toBeGreaterThan(50);
  });

  it('generates the default size in < 2 s', () => {
    expect(elapsedMs).toBeLessThan(2000);
  });
});

describe('generateDemoHistory: deployments', () => {
  it('has unique refs, catalog references, compatible robot models and valid enums', () => {
    expect(new Set(H.deployments.map((d) => d.deployment_ref)).size).toBe(H.deployments.length);
    for (const d of H.deployments) {
      expect(d.deployment_ref).toMatch(/^DEP-\d{4}$/);
      const org = orgByRef.get(d.organization_ref);
      expect(org?.kind).toBe('enterprise');
      expect(d.province).toBe(org!.province);
      const model = robotModel(d.robot_model);
      expect(CLASS_FORM_FACTORS[d.scenario_class]).toContain(model.form_factor);
      expect(AUTONOMY_LEVELS).toContain(d.autonomy_level);
      expect(Number.isInteger(d.units)).toBe(true);
      expect(d.units).toBeGreaterThanOrEqual(1);
      expect(d.units).toBeLessThanOrEqual(SIMULATION_DESIGN.fleet.max_units);
      expect(validDate(d.start_date)).toBe(true);
      expect(d.start_date >= WINDOW.start && d.start_date <= WINDOW.end).toBe(true);
      if (d.end_date !== null) {
        expect(validDate(d.end_date)).toBe(true);
        expect(d.end_date >= d.start_date && d.end_date < WINDOW.end).toBe(true);
      }
    }
    // class-dependent autonomy: rescue mostly teleoperated, warehousing mostly not
    const share = (area: string, level: string) => {
      const ds = H.deployments.filter((d) => scenarioClass(d.scenario_class).area === area);
      return ds.filter((d) => d.autonomy_level === level).length / ds.length;
    };
    expect(share('emergency_rescue', 'teleoperated')).toBeGreaterThan(0.4);
    expect(share('warehousing_logistics', 'teleoperated')).toBeLessThan(0.2);
  });

  it('keeps the data-contract field order', () => {
    expect(Object.keys(H.deployments[0])).toEqual([
      'deployment_ref', 'organization_ref', 'province', 'scenario_class', 'robot_model', 'units', 'autonomy_level', 'start_date', 'end_date', 'integrator_ref',
    ]);
    expect(Object.keys(H.exposures[0])).toEqual([
      'deployment_ref', 'period_start', 'period_end', 'operating_hours', 'task_cycles', 'protective_stops', 'near_misses',
      'software_version', 'downtime_hours',
    ]);
    expect(Object.keys(H.incidents[0])).toEqual([
      'incident_ref', 'deployment_ref', 'occurred_at', 'reported_at', 'incident_type', 'severity_level', 'bodily_injury_count',
      'robot_damage', 'third_party_property_damage', 'bodily_injury_cost', 'downtime_hours', 'business_interruption_cost',
      'status', 'paid', 'case_reserve', 'currency',
    ]);
  });
});

describe('generateDemoHistory: exposures', () => {
  const lastDayOfQuarter = (d: string) => lastDayOfMonth(`${d.slice(0, 4)}-${String(Math.floor((Number(d.slice(5, 7)) - 1) / 3) * 3 + 3).padStart(2, '0')}-01`);
  /** Quarterly reporters: deployments with a row longer than its month. */
  const quarterly = new Set([...exposuresOf].filter(([, rows]) => rows.some((e) => e.period_end > lastDayOfMonth(e.period_start))).map(([ref]) => ref));

  it('has periods inside one calendar month (or quarter, for quarterly reporters), in order, without overlap, covering the deployment dates', () => {
    for (const [ref, rows] of exposuresOf) {
      const d = depByRef.get(ref)!;
      const lastDay = quarterly.has(ref) ? lastDayOfQuarter : lastDayOfMonth;
      expect(rows[0].period_start).toBe(d.start_date);
      expect(rows[rows.length - 1].period_end).toBe(d.end_date ?? WINDOW.end);
      for (let k = 0; k < rows.length; k++) {
        const e = rows[k];
        expect(validDate(e.period_start)).toBe(true);
        expect(validDate(e.period_end)).toBe(true);
        expect(e.period_end >= e.period_start).toBe(true);
        expect(e.period_end <= lastDay(e.period_start)).toBe(true);
        if (k > 0) {
          expect(dayMs(e.period_start)).toBeGreaterThan(dayMs(rows[k - 1].period_end));
          // a period starts on the 1st unless it follows a pause (a gap) that ended mid-month
          if (!e.period_start.endsWith('-01')) expect(dayMs(e.period_start)).toBeGreaterThan(dayMs(rows[k - 1].period_end) + DAY);
        }
        // a period ends on the last day of its month (quarter) unless the deployment ends or pauses there
        if (k < rows.length - 1 && e.period_end !== lastDay(e.period_start)) {
          expect(dayMs(rows[k + 1].period_start)).toBeGreaterThan(dayMs(e.period_end) + DAY);
        }
      }
    }
  });

  it('has a share of quarterly reporters, whose contiguous months of one quarter are one row', () => {
    const share = quarterly.size / exposuresOf.size;
    expect(share).toBeGreaterThan(SIMULATION_DESIGN.programme.p_quarterly_reporting / 2);
    expect(share).toBeLessThan(SIMULATION_DESIGN.programme.p_quarterly_reporting * 2);
    const quarterOf = (d: string) => lastDayOfQuarter(d);
    for (const ref of quarterly) {
      const rows = exposuresOf.get(ref)!;
      for (let k = 1; k < rows.length; k++) {
        const contiguous = dayMs(rows[k].period_start) === dayMs(rows[k - 1].period_end) + DAY;
        if (contiguous) expect(quarterOf(rows[k].period_start)).not.toBe(quarterOf(rows[k - 1].period_start));
      }
    }
    // full quarters exist (90–92 days)
    expect(H.exposures.filter((e) => (dayMs(e.period_end) - dayMs(e.period_start)) / DAY + 1 >= 90).length).toBeGreaterThan(50);
  });

  it('has non-negative plausible numbers', () => {
    for (const e of H.exposures) {
      expect(e.operating_hours).toBeGreaterThanOrEqual(0);
      expect(hasAtMostTwoDecimals(e.operating_hours)).toBe(true);
      if (e.operating_hours === 0) expect([e.task_cycles, e.protective_stops, e.near_misses]).toEqual([0, 0, 0]);
      for (const n of [e.task_cycles, e.protective_stops, e.near_misses]) {
        expect(Number.isInteger(n)).toBe(true);
        expect(n).toBeGreaterThanOrEqual(0);
      }
      const units = depByRef.get(e.deployment_ref)!.units;
      // at most three shifts at 85% utilisation with monthly noise; a day has 24 h
      const days = (dayMs(e.period_end) - dayMs(e.period_start)) / DAY + 1;
      expect(e.operating_hours / units).toBeLessThanOrEqual(24 * days);
    }
  });

  it('makes leading indicators track the latent risk: periods with many stops have more incidents', () => {
    const count = new Map<(typeof H.exposures)[number], number>();
    for (const i of H.incidents) {
      const e = periodOf(i.deployment_ref, i.occurred_at)!;
      count.set(e, (count.get(e) ?? 0) + 1);
    }
    // ratio of observed to expected stops (without Z) per period, split at the median
    const rows = H.exposures.filter((e) => e.operating_hours > 0).map((e) => {
      const d = depByRef.get(e.deployment_ref)!;
      const mu = (e.operating_hours / 1000) * trueRatePer1000h(d.scenario_class, d.autonomy_level);
      const stopsRatio = e.protective_stops / (mu * TRUE_PARAMETERS.leading_indicators.protective_stops_per_expected_incident);
      return { mu, n: count.get(e) ?? 0, stopsRatio };
    });
    rows.sort((a, b) => a.stopsRatio - b.stopsRatio);
    const half = Math.floor(rows.length / 2);
    const oe = (xs: typeof rows) => xs.reduce((s, r) => s + r.n, 0) / xs.reduce((s, r) => s + r.mu, 0);
    expect(oe(rows.slice(half)) / oe(rows.slice(0, half))).toBeGreaterThan(1.3);
  });
});

describe('generateDemoHistory: incidents', () => {
  it('has unique chronological refs and valid timestamps inside the exposure period', () => {
    expect(new Set(H.incidents.map((i) => i.incident_ref)).size).toBe(H.incidents.length);
    let prev = '';
    H.incidents.forEach((i, k) => {
      expect(i.incident_ref).toBe(`INC-${String(k + 1).padStart(6, '0')}`);
      expect(i.occurred_at).toMatch(TS_RE);
      expect(i.reported_at).toMatch(TS_RE);
      expect(i.occurred_at >= prev).toBe(true);
      prev = i.occurred_at;
      const occ = Date.parse(i.occurred_at);
      expect(Date.parse(i.reported_at)).toBeGreaterThanOrEqual(occ);
      expect(Date.parse(i.reported_at) - occ).toBeLessThan(120 * DAY);
      // reported by the extraction: later reports are not in the history yet (IBNR)
      expect(Date.parse(i.reported_at)).toBeLessThan(EXTRACTION_MS);
      const d = depByRef.get(i.deployment_ref);
      expect(d).toBeDefined();
      // inside an exposure period with hours (not in a gap, not in a 0-hour month)
      const e = periodOf(i.deployment_ref, i.occurred_at);
      expect(e).toBeDefined();
      expect(e!.operating_hours).toBeGreaterThan(0);
      expect(occ).toBeGreaterThanOrEqual(dayMs(d!.start_date));
      expect(occ).toBeLessThan(dayMs(d!.end_date ?? WINDOW.end) + DAY);
    });
  });

  it('has valid enums, severity 0–5, non-negative money in cents and consistent loss lines', () => {
    for (const i of H.incidents) {
      expect(INCIDENT_TYPES).toContain(i.incident_type);
      expect(INCIDENT_STATUSES).toContain(i.status);
      expect(i.currency).toBe('CNY');
      expect(Number.isInteger(i.severity_level)).toBe(true);
      expect(i.severity_level).toBeGreaterThanOrEqual(0);
      expect(i.severity_level).toBeLessThanOrEqual(5);
      expect(Number.isInteger(i.bodily_injury_count)).toBe(true);
      const money = [i.robot_damage, i.third_party_property_damage, i.bodily_injury_cost, i.business_interruption_cost, i.paid, i.case_reserve];
      for (const m of money) {
        expect(m).toBeGreaterThanOrEqual(0);
        expect(hasAtMostTwoDecimals(m)).toBe(true);
      }
      expect(i.downtime_hours).toBeGreaterThanOrEqual(0);
      // bodily injury only for person-related types, and count and cost go together
      expect(i.bodily_injury_count > 0).toBe(i.bodily_injury_cost > 0);
      if (i.bodily_injury_count > 0) expect(PERSON_TYPES.has(i.incident_type)).toBe(true);
      // business interruption = downtime × cost per hour
      expect(i.downtime_hours > 0).toBe(i.business_interruption_cost > 0);
      if (i.incident_type === 'near_miss') {
        expect(money.every((m) => m === 0)).toBe(true);
        expect(i.downtime_hours).toBe(0);
        expect(i.severity_level).toBe(0);
      }
      if (i.incident_type === 'task_failure_downtime') {
        expect(i.robot_damage + i.third_party_property_damage + i.bodily_injury_cost).toBe(0);
      }
      const model = robotModel(depByRef.get(i.deployment_ref)!.robot_model);
      expect(i.robot_damage).toBeLessThanOrEqual(model.replacement_value);
      // severity follows the bands of docs/architecture.md §4
      if (i.robot_damage === model.replacement_value || i.robot_damage + i.third_party_property_damage >= 300_000) {
        expect(i.severity_level).toBeGreaterThanOrEqual(4);
      }
      if (i.bodily_injury_count > 0 && i.bodily_injury_cost / i.bodily_injury_count >= 1_000_000) expect(i.severity_level).toBe(5);
      if (i.severity_level === 5) expect(i.bodily_injury_count).toBeGreaterThan(0);
    }
  });

  // the last claims.recent_months calendar months of the window
  const RECENT_FROM = new Date(Date.UTC(2025, 18 - SIMULATION_DESIGN.claims.recent_months, 1)).toISOString();

  it('has paid + case_reserve = incurred; closed fully paid, open with a positive reserve', () => {
    let open = 0;
    let openRecent = 0;
    for (const i of H.incidents) {
      const incurred = cents(i.robot_damage) + cents(i.third_party_property_damage) + cents(i.bodily_injury_cost) + cents(i.business_interruption_cost);
      expect(cents(i.paid) + cents(i.case_reserve)).toBe(incurred);
      if (i.status === 'closed') {
        expect(i.case_reserve).toBe(0);
        expect(cents(i.paid)).toBe(incurred);
      } else {
        open++;
        if (i.occurred_at >= RECENT_FROM) openRecent++;
        expect(i.case_reserve).toBeGreaterThan(0);
        expect(cents(i.paid)).toBeLessThan(incurred);
      }
    }
    expect(open).toBeGreaterThan(0);
    expect(openRecent / open).toBeGreaterThan(0.8);
    // recent incidents with a loss are open with probability ≈ 40%
    const recentWithLoss = H.incidents.filter((i) => i.occurred_at >= RECENT_FROM && i.paid + i.case_reserve > 0);
    const share = recentWithLoss.filter((i) => i.status === 'open').length / recentWithLoss.length;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.5);
  });

  it('draws severities close to the true per-line distributions (within 3 standard errors of the sample)', () => {
    const logs = (xs: number[]) => xs.map(Math.log);
    const mean = (xs: number[]) => xs.reduce((sum, x) => sum + x, 0) / xs.length;
    const sd = (xs: number[]) => {
      const m = mean(xs);
      return Math.sqrt(xs.reduce((sum, x) => sum + (x - m) ** 2, 0) / (xs.length - 1));
    };
    // lognormal lines: mean of the logs within 3 sdlog/√n, sd of the logs within 3/√(2n) relative
    const checkLognormal = (xs: number[], p: { meanlog: number; sdlog: number }) => {
      const l = logs(xs);
      expect(l.length).toBeGreaterThan(30);
      expect(Math.abs(mean(l) - p.meanlog)).toBeLessThan((3 * p.sdlog) / Math.sqrt(l.length));
      expect(Math.abs(sd(l) / p.sdlog - 1)).toBeLessThan(3 / Math.sqrt(2 * l.length));
    };
    checkLognormal(H.incidents.filter((i) => i.third_party_property_damage > 0).map((i) => i.third_party_property_damage), TRUE_PARAMETERS.severity.third_party_property_damage);
    checkLognormal(H.incidents.filter((i) => i.business_interruption_cost > 0).map((i) => i.business_interruption_cost), TRUE_PARAMETERS.severity.business_interruption_cost);
    // robot damage below every model's value (not capped): the lognormal's median
    const rd = H.incidents.filter((i) => i.robot_damage > 0 && i.robot_damage < 120_000).length;
    const { meanlog, sdlog } = TRUE_PARAMETERS.severity.robot_damage;
    const pBelow = normalCdf(Math.log(120_000), meanlog, sdlog);
    const nrd = H.incidents.filter((i) => i.robot_damage > 0).length;
    expect(Math.abs(rd / nrd - pBelow)).toBeLessThan(3 * Math.sqrt((pBelow * (1 - pBelow)) / nrd));
    // bodily injury (rare): the share of costs above the true Lomax median, median = scale × (2^(1/shape) − 1)
    const { shape, scale } = TRUE_PARAMETERS.severity.bodily_injury_cost;
    const bi = H.incidents.filter((i) => i.bodily_injury_cost > 0).map((i) => i.bodily_injury_cost);
    expect(bi.length).toBeGreaterThan(0);
    const above = bi.filter((x) => x > scale * (2 ** (1 / shape) - 1)).length;
    expect(Math.abs(above / bi.length - 0.5)).toBeLessThanOrEqual(Math.max(0.5, 3 * Math.sqrt(0.25 / bi.length)));
  });
});

describe('generateDemoHistory: frequency structure vs TRUE_PARAMETERS', () => {
  it('has empirical incident rates per area close to the rates implied by the true parameters', () => {
    const hours: Record<string, number> = {};
    const expected: Record<string, number> = {};
    const observed: Record<string, number> = {};
    for (const e of H.exposures) {
      const d = depByRef.get(e.deployment_ref)!;
      const area = scenarioClass(d.scenario_class).area;
      hours[area] = (hours[area] ?? 0) + e.operating_hours;
      expected[area] = (expected[area] ?? 0) + (e.operating_hours / 1000) * trueRatePer1000h(d.scenario_class, d.autonomy_level);
    }
    for (const i of H.incidents) {
      const area = scenarioClass(depByRef.get(i.deployment_ref)!.scenario_class).area;
      observed[area] = (observed[area] ?? 0) + 1;
    }
    const rate = (a: string) => observed[a] / hours[a];
    const expRate = (a: string) => expected[a] / hours[a];
    for (const a of SCENARIO_AREA_CODES) {
      // observed / expected within ±35% per area (loose; the GLM check comes later)
      expect(observed[a] / expected[a]).toBeGreaterThan(0.65);
      expect(observed[a] / expected[a]).toBeLessThan(1.35);
      // ratio to manufacturing points the same way as the true ratio
      const trueRatio = expRate(a) / expRate('manufacturing');
      const empRatio = rate(a) / rate('manufacturing');
      if (trueRatio > 1.2) expect(empRatio).toBeGreaterThan(1);
      if (trueRatio < 0.83) expect(empRatio).toBeLessThan(1);
    }
    // emergency rescue is the riskiest area, by a wide margin
    for (const a of SCENARIO_AREA_CODES) if (a !== 'emergency_rescue') expect(rate('emergency_rescue')).toBeGreaterThan(1.8 * rate(a));
  });

  it('has a base rate per 1,000 h close to the true one in base-level cells', () => {
    // supervised deployments of shared-space manufacturing classes are at every base level
    let h = 0;
    let n = 0;
    const refs = new Set(
      H.deployments
        .filter((d) => d.scenario_class === 'manufacturing.quality_inspection' && d.autonomy_level === 'supervised')
        .map((d) => d.deployment_ref),
    );
    expect(refs.size).toBeGreaterThan(0);
    for (const e of H.exposures) if (refs.has(e.deployment_ref)) h += e.operating_hours;
    for (const i of H.incidents) if (refs.has(i.deployment_ref)) n++;
    const r = (1000 * n) / h;
    expect(r / TRUE_PARAMETERS.frequency.base_rate_per_1000h).toBeGreaterThan(0.5);
    expect(r / TRUE_PARAMETERS.frequency.base_rate_per_1000h).toBeLessThan(2);
  });
});

describe('generateDemoHistory: determinism and options', () => {
  it('returns byte-identical output for the same seed and different output for another seed', () => {
    const a = JSON.stringify(generateDemoHistory({ seed: 7, deployments: 60 }));
    const b = JSON.stringify(generateDemoHistory({ seed: 7, deployments: 60 }));
    const c = JSON.stringify(generateDemoHistory({ seed: 8, deployments: 60 }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(JSON.stringify(generateDemoHistory())).toBe(JSON.stringify(H));
  });

  it('honours deployments, months and start, and keeps deployments identical across random-effect modes', () => {
    const h = generateDemoHistory({ seed: 3, deployments: 40, months: 6, start: '2024-07-01' });
    expect(h.deployments).toHaveLength(40);
    // every deployment runs inside the window, some from its first day, some to its last
    for (const d of h.deployments) {
      expect(d.start_date >= '2024-07-01' && d.start_date <= '2024-12-31').toBe(true);
      if (d.end_date !== null) expect(d.end_date < '2024-12-31').toBe(true);
    }
    expect(h.deployments.some((d) => d.start_date === '2024-07-01')).toBe(true);
    expect(h.deployments.some((d) => d.end_date === null)).toBe(true);
    expect(new Set(h.exposures.map((e) => e.period_start.slice(0, 7)))).toEqual(new Set(['2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12']));
    expect(h.exposures.length).toBeLessThanOrEqual(40 * 7);
    // the random-effect mode changes only the incident draws, not deployments or hours
    const g = generateDemoHistory({ seed: 3, deployments: 40, months: 6, start: '2024-07-01', randomEffect: 'deployment' });
    expect(g.deployments).toEqual(h.deployments);
    expect(g.exposures.map((e) => e.operating_hours)).toEqual(h.exposures.map((e) => e.operating_hours));
  });

  it('shares the random effect within a deployment in "deployment" mode', () => {
    // with one Z per deployment, first-half and second-half O/E of a deployment are correlated
    // (halves of the 18-month window: before and from 2025-10-01)
    const g = generateDemoHistory({ randomEffect: 'deployment' });
    const dep = new Map(g.deployments.map((d) => [d.deployment_ref, d]));
    const oe = new Map<string, { o1: number; e1: number; o2: number; e2: number }>();
    for (const e of g.exposures) {
      const d = dep.get(e.deployment_ref)!;
      const mu = (e.operating_hours / 1000) * trueRatePer1000h(d.scenario_class, d.autonomy_level);
      const r = oe.get(e.deployment_ref) ?? { o1: 0, e1: 0, o2: 0, e2: 0 };
      if (e.period_start < '2025-10-01') r.e1 += mu;
      else r.e2 += mu;
      oe.set(e.deployment_ref, r);
    }
    for (const i of g.incidents) {
      const r = oe.get(i.deployment_ref)!;
      if (i.occurred_at < '2025-10-01') r.o1++;
      else r.o2++;
    }
    const xs = [...oe.values()].filter((r) => r.e1 > 3 && r.e2 > 3);
    const a = xs.map((r) => r.o1 / r.e1);
    const b = xs.map((r) => r.o2 / r.e2);
    const m = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const ma = m(a);
    const mb = m(b);
    const cov = a.reduce((s, x, k) => s + (x - ma) * (b[k] - mb), 0);
    const corr = cov / Math.sqrt(a.reduce((s, x) => s + (x - ma) ** 2, 0) * b.reduce((s, x) => s + (x - mb) ** 2, 0));
    expect(corr).toBeGreaterThan(0.4);
  });

  it('rejects invalid options', () => {
    expect(() => generateDemoHistory({ start: '2025-01-15' })).toThrow(RangeError);
    expect(() => generateDemoHistory({ start: '2025/01/01' })).toThrow(RangeError);
    expect(() => generateDemoHistory({ deployments: 0 })).toThrow(RangeError);
    expect(() => generateDemoHistory({ months: 1.5 })).toThrow(RangeError);
    expect(() => generateDemoHistory({ seed: 0 })).toThrow(RangeError);
  });
});
