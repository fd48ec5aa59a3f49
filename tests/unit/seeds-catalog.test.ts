import { describe, expect, it } from 'vitest';
import {
  CLASS_FORM_FACTORS,
  COVERAGES,
  DEMO_ORGANIZATIONS,
  ORGANIZATION_FOCUS,
  ROBOT_MODELS,
  SCENARIO_AREAS,
  SCENARIO_CLASSES,
  robotModel,
  scenarioClass,
} from '../../seeds/catalog.ts';
import { ENVIRONMENTS, FORM_FACTORS, HUMAN_PROXIMITIES, LOSS_LINES, SCENARIO_AREA_CODES } from '../../domain/enums.ts';
import { injuryMultiplier, SIMULATION_DESIGN, TRUE_PARAMETERS, trueRatePer1000h } from '../../seeds/true-parameters.ts';

describe('scenario catalog', () => {
  it('has the six areas and exactly the eighteen classes of the brief', () => {
    expect(SCENARIO_AREAS.map((a) => a.code)).toEqual([
      'manufacturing', 'maintenance', 'warehousing_logistics', 'healthcare_wellness', 'safety_production', 'emergency_rescue',
    ]);
    const expected: Record<string, string[]> = {
      manufacturing: ['assembly', 'machine_tending', 'welding_support', 'quality_inspection'],
      maintenance: ['inspection', 'equipment_repair', 'cleaning'],
      warehousing_logistics: ['picking', 'palletizing', 'transport'],
      healthcare_wellness: ['elder_care', 'rehabilitation_assist', 'hospital_logistics'],
      safety_production: ['patrol', 'hazardous_handling'],
      emergency_rescue: ['search', 'firefighting_support', 'disaster_relief'],
    };
    const codes = Object.entries(expected).flatMap(([a, ns]) => ns.map((n) => `${a}.${n}`));
    expect(SCENARIO_CLASSES.map((c) => c.code).sort()).toEqual(codes.sort());
    for (const c of SCENARIO_CLASSES) {
      expect(c.code.startsWith(`${c.area}.`)).toBe(true);
      expect(HUMAN_PROXIMITIES).toContain(c.human_proximity);
      expect(ENVIRONMENTS).toContain(c.environment);
      expect(typeof c.vulnerable_people).toBe('boolean');
      expect(c.name.length).toBeGreaterThan(0);
      expect(c.description.length).toBeGreaterThan(10);
    }
    expect(scenarioClass('healthcare_wellness.elder_care')).toMatchObject({ human_proximity: 'care_contact', vulnerable_people: true });
    expect(() => scenarioClass('nope.nothing')).toThrow(/unknown scenario class/);
  });

  it('varies human proximity within areas so area and proximity effects are identifiable', () => {
    // every proximity level other than care_contact occurs in at least two areas
    for (const p of HUMAN_PROXIMITIES) {
      const areas = new Set(SCENARIO_CLASSES.filter((c) => c.human_proximity === p).map((c) => c.area));
      expect(areas.size).toBeGreaterThanOrEqual(p === 'care_contact' ? 1 : 2);
    }
  });

  it('has three coverages whose loss lines partition the incident loss lines', () => {
    expect(COVERAGES.map((c) => c.code)).toEqual(['robot_damage', 'third_party_liability', 'business_interruption']);
    expect(COVERAGES.flatMap((c) => c.loss_lines).sort()).toEqual([...LOSS_LINES].sort());
  });
});

describe('robot models', () => {
  it('are illustrative, unique, plausible and cover every form factor', () => {
    expect(ROBOT_MODELS.length).toBeGreaterThanOrEqual(10);
    expect(ROBOT_MODELS.length).toBeLessThanOrEqual(12);
    expect(new Set(ROBOT_MODELS.map((m) => m.code)).size).toBe(ROBOT_MODELS.length);
    for (const f of FORM_FACTORS) expect(ROBOT_MODELS.some((m) => m.form_factor === f)).toBe(true);
    for (const m of ROBOT_MODELS) {
      expect(m.illustrative).toBe(true);
      expect(m.replacement_value).toBeGreaterThanOrEqual(40_000);
      expect(m.replacement_value).toBeLessThanOrEqual(1_500_000);
      expect(m.mass_kg).toBeGreaterThan(0);
      expect(m.payload_kg).toBeGreaterThan(0);
      expect(m.max_speed_mps).toBeGreaterThan(0);
      expect(m.max_speed_mps).toBeLessThanOrEqual(5);
      expect(m.ip_rating).toMatch(/^IP\d{2}$/);
      for (const v of Object.values(m.certifications)) expect(typeof v).toBe('boolean');
      const maker = DEMO_ORGANIZATIONS.find((o) => o.ref === m.manufacturer_ref);
      expect(maker?.kind).toBe('manufacturer');
    }
    expect(() => robotModel('XX-0')).toThrow(/unknown robot model/);
  });

  it('offer at least one compatible model for every scenario class', () => {
    for (const c of SCENARIO_CLASSES) {
      const fits = CLASS_FORM_FACTORS[c.code];
      expect(ROBOT_MODELS.some((m) => fits.includes(m.form_factor))).toBe(true);
    }
  });
});

describe('demo organizations', () => {
  it('have ≥ 30 enterprises, 2 insurers, 1 regulator, 2 manufacturers, unique refs and CJK names', () => {
    const count = (k: string) => DEMO_ORGANIZATIONS.filter((o) => o.kind === k).length;
    expect(count('enterprise')).toBeGreaterThanOrEqual(30);
    expect(count('insurer')).toBe(2);
    expect(count('regulator')).toBe(1);
    expect(count('manufacturer')).toBe(2);
    expect(new Set(DEMO_ORGANIZATIONS.map((o) => o.ref)).size).toBe(DEMO_ORGANIZATIONS.length);
    expect(DEMO_ORGANIZATIONS.filter((o) => /[\u4e00-\u9fff]/.test(o.name)).length).toBeGreaterThanOrEqual(3);
    expect(DEMO_ORGANIZATIONS.some((o) => o.name === '深圳智造机器人有限公司')).toBe(true);
    for (const o of DEMO_ORGANIZATIONS) {
      expect(Object.keys(o).sort()).toEqual(['kind', 'name', 'province', 'ref']);
      expect(o.province).toMatch(/^[A-Z][a-z]+( [A-Z][a-z]+)?$/);
    }
  });

  it('have a focus for every enterprise and at least three enterprises per area', () => {
    const enterprises = DEMO_ORGANIZATIONS.filter((o) => o.kind === 'enterprise').map((o) => o.ref);
    expect(Object.keys(ORGANIZATION_FOCUS).sort()).toEqual([...enterprises].sort());
    for (const a of SCENARIO_AREA_CODES) {
      expect(Object.values(ORGANIZATION_FOCUS).filter((f) => f.includes(a)).length).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('TRUE_PARAMETERS', () => {
  it('have relativity 1 at the stated base levels and positive relativities elsewhere', () => {
    const f = TRUE_PARAMETERS.frequency;
    for (const [factor, base] of Object.entries(f.base_levels)) {
      const rel = (f.relativities as Record<string, Record<string, number>>)[factor];
      expect(rel[base]).toBe(1);
      for (const v of Object.values(rel)) expect(v).toBeGreaterThan(0);
    }
    expect(Object.keys(f.relativities.scenario_area).sort()).toEqual([...SCENARIO_AREA_CODES].sort());
    expect(Object.keys(f.relativities.human_proximity).sort()).toEqual([...HUMAN_PROXIMITIES].sort());
    expect(f.theta).toBeGreaterThan(0);
  });

  it('give the base rate for a class at every base level and multiply relativities otherwise', () => {
    const f = TRUE_PARAMETERS.frequency;
    // quality inspection: manufacturing, shared_space → all base levels when supervised
    expect(trueRatePer1000h('manufacturing.quality_inspection', 'supervised')).toBe(f.base_rate_per_1000h);
    const r = trueRatePer1000h('emergency_rescue.search', 'teleoperated') / trueRatePer1000h('emergency_rescue.search', 'supervised');
    expect(r).toBeCloseTo(f.relativities.autonomy_level.teleoperated, 12);
    expect(() => trueRatePer1000h('manufacturing.assembly', 'remote')).toThrow(/unknown autonomy level/);
  });

  it('imply the business-interruption lognormal from downtime × cost per hour', () => {
    const s = TRUE_PARAMETERS.severity;
    expect(s.business_interruption_cost.meanlog).toBeCloseTo(s.downtime_hours.meanlog + s.bi_cost_per_hour.meanlog, 12);
    expect(s.business_interruption_cost.sdlog ** 2).toBeCloseTo(s.downtime_hours.sdlog ** 2 + s.bi_cost_per_hour.sdlog ** 2, 12);
  });

  it('have design probabilities that are valid', () => {
    for (const c of Object.values(SIMULATION_DESIGN.classes)) {
      const sum = c.autonomy.teleoperated + c.autonomy.supervised + c.autonomy.autonomous;
      expect(sum).toBeCloseTo(1, 12);
    }
    for (const p of Object.values(SIMULATION_DESIGN.shift_patterns)) {
      expect(Object.values(p).reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    }
    for (const h of Object.values(SIMULATION_DESIGN.line_hits)) {
      for (const v of Object.values(h)) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
    const p = SIMULATION_DESIGN.programme;
    for (const v of [p.p_start_at_launch, p.latest_start_share, p.p_ongoing, p.p_pause, p.p_pause_reported_as_zero, p.p_zero_hour_month]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(p.pause_days.min).toBeLessThanOrEqual(p.pause_days.max);
  });

  it('name enterprises of the catalog in the organization design, operators in their focus area', () => {
    const enterprises = new Set(DEMO_ORGANIZATIONS.filter((o) => o.kind === 'enterprise').map((o) => o.ref));
    for (const ref of [...SIMULATION_DESIGN.single_deployment_organizations, ...Object.keys(SIMULATION_DESIGN.organization_fleet_scale)]) {
      expect(enterprises.has(ref), ref).toBe(true);
    }
    for (const [cls, operator] of Object.entries(SIMULATION_DESIGN.single_operator_classes)) {
      expect(enterprises.has(operator!)).toBe(true);
      expect(SIMULATION_DESIGN.single_deployment_organizations).not.toContain(operator);
      expect(ORGANIZATION_FOCUS[operator!]).toContain(scenarioClass(cls).area);
    }
    // injuries: ×1.5 among vulnerable people, ×5 more in care contact
    expect(injuryMultiplier('manufacturing.assembly')).toBe(1);
    expect(injuryMultiplier('healthcare_wellness.hospital_logistics')).toBe(SIMULATION_DESIGN.vulnerable_injury_multiplier);
    expect(injuryMultiplier('healthcare_wellness.elder_care')).toBe(SIMULATION_DESIGN.vulnerable_injury_multiplier * SIMULATION_DESIGN.care_contact_injury_multiplier);
  });
});
