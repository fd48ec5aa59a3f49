import { describe, expect, it } from 'vitest';
import {
  FACT_CATALOG,
  FACT_NAMES,
  buildLineFacts,
  buildQuoteFacts,
  buildRequestFacts,
  type FactValue,
  type QuoteRequestInput,
} from '../../rules/index.ts';
import { robotModel, scenarioClass } from '../../seeds/catalog.ts';

const line = { robot_model: 'LMD-W500', scenario_class: 'maintenance.cleaning', units: 10, autonomy_level: 'autonomous', operating_hours_per_unit: 4000 };

function typeOf(v: FactValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.every((x) => typeof x === 'string') ? 'string[]' : 'array';
  return typeof v;
}

describe('FACT_CATALOG', () => {
  it('lists every line fact and request fact produced by the builders, with matching types', () => {
    const lf = buildLineFacts({ line, scenarioClass: scenarioClass(line.scenario_class), robotModel: robotModel(line.robot_model), experience: { org_operating_hours: 1000, org_incidents: 1, org_protective_stops: 10, org_near_misses: 1, class_operating_hours: 10_000, class_incidents: 5 } });
    const rf = buildRequestFacts({ basis: 'annual', fleet: [line], coverages: [{ coverage: 'robot_damage', deductible: 1000, per_occurrence_limit: 400_000, aggregate_limit: 1_000_000 }, { coverage: 'third_party_liability', deductible: 0, per_occurrence_limit: 1e6 }, { coverage: 'business_interruption', deductible: 0, per_occurrence_limit: 1e5 }] }, [robotModel(line.robot_model)]);
    const lineNames = FACT_NAMES.filter((n) => FACT_CATALOG[n].scope === 'line').sort();
    const requestNames = FACT_NAMES.filter((n) => FACT_CATALOG[n].scope === 'request').sort();
    expect(Object.keys(lf).sort()).toEqual(lineNames);
    expect(Object.keys(rf).sort()).toEqual(requestNames);
    for (const [name, value] of [...Object.entries(lf), ...Object.entries(rf)] as [keyof typeof FACT_CATALOG, FactValue][]) {
      const def = FACT_CATALOG[name];
      if (value === null) expect(def.nullable, `${name} is null but not nullable`).toBe(true);
      else expect(typeOf(value), name).toBe(def.type);
      if (def.values && typeof value === 'string') expect(def.values, name).toContain(value);
      expect(def.description.length, name).toBeGreaterThan(10);
    }
  });

  it('contains the facts the brief names', () => {
    for (const n of ['scenario_area', 'cert_atex', 'teleoperation_fallback', 'force_speed_limiting', 'protective_stops_per_1000h', 'org_to_class_rate_ratio', 'total_sum_insured', 'basis', 'coverage_robot_damage_limit', 'coverage_third_party_liability_limit']) {
      expect(FACT_NAMES).toContain(n);
    }
    expect(FACT_CATALOG.robot_mass_kg.unit).toBe('kg');
    expect(FACT_CATALOG.near_misses_per_1000h.nullable).toBe(true);
  });
});

describe('buildLineFacts', () => {
  it('derives hand-worked values', () => {
    const f = buildLineFacts({
      line: { ...line, safety: { teleoperation_fallback: true, operator_training_hours: 24 } },
      scenarioClass: scenarioClass('maintenance.cleaning'),
      robotModel: robotModel('LMD-W500'), // 90 kg, 2.0 m/s, CNY 480k, iso_10218 + 15066 + ce + 62443
      experience: { org_operating_hours: 10_000, org_incidents: 30, org_protective_stops: 700, org_near_misses: 50, class_operating_hours: 1_000_000, class_incidents: 1000 },
    });
    expect(f.fleet_hours).toBe(40_000);
    expect(f.line_sum_insured).toBe(4_800_000);
    expect(f.robot_kinetic_energy_j).toBeCloseTo(0.5 * 90 * 2 * 2, 12);
    expect(f.protective_stops_per_1000h).toBeCloseTo(70, 12);
    expect(f.near_misses_per_1000h).toBeCloseTo(5, 12);
    expect(f.org_incident_rate_per_1000h).toBeCloseTo(3, 12);
    expect(f.class_incident_rate_per_1000h).toBeCloseTo(1, 12);
    expect(f.org_to_class_rate_ratio).toBeCloseTo(3, 12);
    expect(f.human_proximity).toBe('public');
    expect(f.cert_iso_13482).toBe(false);
    expect(f.cert_iec_62443).toBe(true);
    expect([...f.certifications].sort()).toEqual(['ce_machinery', 'iec_62443', 'iso_10218', 'iso_ts_15066']);
    expect(f.teleoperation_fallback).toBe(true);
    expect(f.safety_officer_on_site).toBe(false);
    expect(f.operator_training_hours).toBe(24);
  });

  it('gives null indicators and 0 experience hours without history', () => {
    const f = buildLineFacts({ line, scenarioClass: scenarioClass(line.scenario_class), robotModel: robotModel(line.robot_model) });
    expect(f.protective_stops_per_1000h).toBeNull();
    expect(f.near_misses_per_1000h).toBeNull();
    expect(f.org_incident_rate_per_1000h).toBeNull();
    expect(f.org_to_class_rate_ratio).toBeNull();
    expect(f.org_operating_hours).toBe(0);
    expect(f.operator_training_hours).toBe(0);
    // class rate known, org hours 0: ratio stays null
    const g = buildLineFacts({ line, scenarioClass: scenarioClass(line.scenario_class), robotModel: robotModel(line.robot_model), experience: { org_operating_hours: 0, org_incidents: 0, class_operating_hours: 5000, class_incidents: 0 } });
    expect(g.class_incident_rate_per_1000h).toBe(0);
    expect(g.org_to_class_rate_ratio).toBeNull();
  });

  it('rejects inconsistent or invalid input', () => {
    const sc = scenarioClass(line.scenario_class);
    const rm = robotModel(line.robot_model);
    expect(() => buildLineFacts({ line, scenarioClass: scenarioClass('manufacturing.assembly'), robotModel: rm })).toThrow(/does not match/);
    expect(() => buildLineFacts({ line, scenarioClass: sc, robotModel: robotModel('PES-B700') })).toThrow(/does not match/);
    expect(() => buildLineFacts({ line: { ...line, units: 0 }, scenarioClass: sc, robotModel: rm })).toThrow(RangeError);
    expect(() => buildLineFacts({ line: { ...line, units: 2.5 }, scenarioClass: sc, robotModel: rm })).toThrow(RangeError);
    expect(() => buildLineFacts({ line: { ...line, operating_hours_per_unit: 9000 }, scenarioClass: sc, robotModel: rm })).toThrow(RangeError);
    expect(() => buildLineFacts({ line, scenarioClass: sc, robotModel: rm, experience: { org_operating_hours: -1 } })).toThrow(RangeError);
  });
});

describe('buildRequestFacts / buildQuoteFacts', () => {
  const request: QuoteRequestInput = {
    basis: 'pay_per_use',
    fleet: [
      line,
      { robot_model: 'PES-W300', scenario_class: 'healthcare_wellness.elder_care', units: 4, autonomy_level: 'supervised', operating_hours_per_unit: 2000 },
    ],
    coverages: [{ coverage: 'third_party_liability', deductible: 2000, per_occurrence_limit: 3_000_000, aggregate_limit: 6_000_000 }],
  };
  it('sums units, hours and sum insured and leaves unrequested coverages null', () => {
    const rf = buildRequestFacts(request, [robotModel('LMD-W500'), robotModel('PES-W300')]);
    expect(rf.total_units).toBe(14);
    expect(rf.autonomous_units).toBe(10);
    expect(rf.total_fleet_hours).toBe(10 * 4000 + 4 * 2000);
    expect(rf.total_sum_insured).toBe(10 * 480_000 + 4 * 320_000);
    expect(rf.max_line_sum_insured).toBe(4_800_000);
    expect(rf.line_count).toBe(2);
    expect(rf.basis).toBe('pay_per_use');
    expect(rf.coverage_third_party_liability_limit).toBe(3_000_000);
    expect(rf.coverage_third_party_liability_aggregate_limit).toBe(6_000_000);
    expect(rf.coverage_third_party_liability_deductible).toBe(2000);
    expect(rf.coverage_robot_damage_limit).toBeNull();
    expect(rf.coverage_business_interruption_deductible).toBeNull();
  });
  it('rejects misaligned models and duplicate or unknown coverages', () => {
    expect(() => buildRequestFacts(request, [robotModel('LMD-W500')])).toThrow(/one robot model per fleet line/);
    expect(() => buildRequestFacts({ ...request, coverages: [...request.coverages, ...request.coverages] }, [robotModel('LMD-W500'), robotModel('PES-W300')])).toThrow(/twice/);
    expect(() => buildRequestFacts({ ...request, coverages: [{ coverage: 'cyber', deductible: 0, per_occurrence_limit: 1 }] }, [robotModel('LMD-W500'), robotModel('PES-W300')])).toThrow(/unknown coverage/);
  });
  it('builds line and request facts in one call', () => {
    const { lineFacts, requestFacts } = buildQuoteFacts(request, request.fleet.map((l) => ({ scenarioClass: scenarioClass(l.scenario_class), robotModel: robotModel(l.robot_model) })), 1);
    expect(lineFacts.map((f) => f.scenario_class)).toEqual(['maintenance.cleaning', 'healthcare_wellness.elder_care']);
    expect(requestFacts.total_units).toBe(14);
  });
  it('annualises hours: 8,000 h over a two-year term are 4,000 h per policy year, and 3 × 8,784 h over three years are accepted', () => {
    const twoYears = { ...request, fleet: request.fleet.map((l) => ({ ...l, operating_hours_per_unit: 8000 })) };
    const ctx = twoYears.fleet.map((l) => ({ scenarioClass: scenarioClass(l.scenario_class), robotModel: robotModel(l.robot_model) }));
    const { lineFacts, requestFacts } = buildQuoteFacts(twoYears, ctx, 2);
    expect(lineFacts.map((f) => f.operating_hours_per_unit)).toEqual([4000, 4000]);
    expect(lineFacts[0].fleet_hours).toBe(twoYears.fleet[0].units * 4000);
    expect(requestFacts.total_fleet_hours).toBe(14 * 4000);
    const threeYears = { ...request, fleet: request.fleet.map((l) => ({ ...l, operating_hours_per_unit: 3 * 8784 })) };
    expect(buildQuoteFacts(threeYears, ctx, 3).lineFacts[0].operating_hours_per_unit).toBe(8784);
    expect(() => buildQuoteFacts(threeYears, ctx, 2)).toThrow(/8784 per policy year/);
    expect(() => buildQuoteFacts(twoYears, ctx, 0)).toThrow(RangeError);
  });
});
