import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RULESET,
  FACT_CATALOG,
  FACT_NAMES,
  buildQuoteFacts,
  compileRuleset,
  evaluateRules,
  evaluateRulesWithEngine,
  type CoverageRequestInput,
  type ExperienceInput,
  type FactName,
  type LineFacts,
  type RequestFacts,
  type RulesEvaluation,
  type SafetyDeclarationInput,
} from '../../rules/index.ts';
import { robotModel, scenarioClass } from '../../seeds/catalog.ts';

interface LineSpec {
  cls: string;
  model: string;
  autonomy?: string;
  units?: number;
  hours?: number;
  safety?: SafetyDeclarationInput;
  experience?: ExperienceInput | null;
  /** The scorecard verdict of the line's model × class (absent: none). */
  verdict?: string;
}

/** Ordinary experience: 8,000 h, rate 0.625 vs class 0.6 per 1,000 h, 12.5 stops and 1.25 near misses per 1,000 h. */
const NORMAL_EXPERIENCE: ExperienceInput = { org_operating_hours: 8000, org_incidents: 5, org_protective_stops: 100, org_near_misses: 10, class_operating_hours: 100_000, class_incidents: 60 };
const COVERAGES: CoverageRequestInput[] = [
  { coverage: 'robot_damage', deductible: 5000, per_occurrence_limit: 500_000 },
  { coverage: 'third_party_liability', deductible: 2000, per_occurrence_limit: 2_000_000 },
];

function facts(lines: LineSpec[], coverages = COVERAGES): { lineFacts: LineFacts[]; requestFacts: RequestFacts } {
  const request = {
    basis: 'annual',
    fleet: lines.map((l) => ({ robot_model: l.model, scenario_class: l.cls, units: l.units ?? 5, autonomy_level: l.autonomy ?? 'supervised', operating_hours_per_unit: l.hours ?? 2000, safety: l.safety ?? {} })),
    coverages,
  };
  return buildQuoteFacts(request, lines.map((l) => ({ scenarioClass: scenarioClass(l.cls), robotModel: robotModel(l.model), experience: l.experience === undefined ? NORMAL_EXPERIENCE : l.experience, scorecardVerdict: l.verdict ?? null })), 1);
}

function run(lines: LineSpec[], coverages = COVERAGES): RulesEvaluation {
  const f = facts(lines, coverages);
  return evaluateRules(DEFAULT_RULESET, f.lineFacts, f.requestFacts);
}

const names = (e: RulesEvaluation): string[] => e.fired.map((f) => f.rule);

/** Segregated machine tending with an ISO 10218 robot, supervised, ordinary experience. */
const BENIGN: LineSpec = { cls: 'manufacturing.machine_tending', model: 'PES-B700' };

describe('evaluateRules with the default ruleset: decisions', () => {
  it('quotes a benign line (no decline, refer or subjectivity)', () => {
    const e = run([BENIGN]);
    expect(e.decision).toBe('quoted');
    expect(e.reasons).toEqual([]);
    expect(e.subjectivities).toEqual([]);
    expect(names(e)).toEqual(['discount_segregated_certified_industrial_robot']);
    expect(e.lines[0].decision).toBe('quoted');
  });

  it('refers a care scenario with a robot lacking ISO 13482', () => {
    const e = run([{ cls: 'healthcare_wellness.hospital_logistics', model: 'LMD-W200', safety: { safety_officer_on_site: true } }]);
    expect(e.decision).toBe('referred');
    expect(names(e)).toContain('refer_care_or_vulnerable_without_iso_13482');
    expect(e.reasons).toEqual(['Care-contact or vulnerable-people scenario with a robot not certified to ISO 13482.']);
    // the ISO 13482 care robot in the same place is not referred
    expect(run([{ cls: 'healthcare_wellness.hospital_logistics', model: 'PES-W300', safety: { safety_officer_on_site: true } }]).decision).toBe('quoted');
  });

  it('declines hazardous environments without ATEX and lists decline reasons before refer reasons', () => {
    const e = run([
      { cls: 'safety_production.patrol', model: 'LMD-Q40' },
      { cls: 'healthcare_wellness.hospital_logistics', model: 'LMD-W200', safety: { safety_officer_on_site: true } },
      BENIGN,
    ]);
    expect(e.decision).toBe('declined');
    expect(e.lines.map((l) => l.decision)).toEqual(['declined', 'referred', 'quoted']);
    expect(e.reasons[0]).toMatch(/ATEX/);
    expect(e.reasons[1]).toMatch(/ISO 13482/);
    // the ex-protected quadruped is accepted on patrol
    expect(run([{ cls: 'safety_production.patrol', model: 'PES-Q60' }]).decision).toBe('quoted');
  });

  it('declines autonomous rescue without teleoperation fallback, but not with it', () => {
    const e = run([{ cls: 'emergency_rescue.search', model: 'LMD-Q40', autonomy: 'autonomous' }]);
    expect(e.decision).toBe('declined');
    expect(names(e)).toContain('decline_rescue_autonomous_without_teleoperation');
    const ok = run([{ cls: 'emergency_rescue.search', model: 'LMD-Q40', autonomy: 'autonomous', safety: { teleoperation_fallback: true, safety_officer_on_site: true } }]);
    expect(names(ok)).not.toContain('decline_rescue_autonomous_without_teleoperation');
  });

  // one firing scenario per default rule: every rule can fire, on the facts it is meant for
  const cases: [string, LineSpec[], CoverageRequestInput[]?][] = [
    ['decline_rescue_autonomous_without_teleoperation', [{ cls: 'emergency_rescue.disaster_relief', model: 'PES-Q60', autonomy: 'autonomous' }]],
    ['decline_hazardous_environment_without_atex', [{ cls: 'emergency_rescue.firefighting_support', model: 'LMD-Q40', autonomy: 'teleoperated', safety: { operator_training_hours: 40 } }]],
    ['refer_care_or_vulnerable_without_iso_13482', [{ cls: 'healthcare_wellness.rehabilitation_assist', model: 'LMD-B300' }]],
    ['refer_large_fleet', [{ ...BENIGN, model: 'LMD-B100', units: 150 }, { ...BENIGN, model: 'LMD-B100', units: 100 }]],
    ['refer_large_sum_insured', [{ cls: 'manufacturing.machine_tending', model: 'PES-B900', units: 130 }]],
    ['refer_tpl_limit_above_market', [BENIGN], [{ coverage: 'third_party_liability', deductible: 0, per_occurrence_limit: 8_000_000 }]],
    ['refer_adverse_own_experience', [{ ...BENIGN, experience: { org_operating_hours: 10_000, org_incidents: 30, class_operating_hours: 1e6, class_incidents: 1000 } }]],
    ['refer_large_autonomous_line_without_leading_indicators', [{ ...BENIGN, autonomy: 'autonomous', units: 30, experience: null }]],
    ['load_high_protective_stop_rate', [{ cls: 'maintenance.inspection', model: 'PES-Q60', experience: { org_operating_hours: 10_000, org_protective_stops: 700 } }]],
    ['load_high_near_miss_rate', [{ ...BENIGN, experience: { org_operating_hours: 10_000, org_near_misses: 120 } }]],
    ['load_autonomous_in_public', [{ cls: 'maintenance.cleaning', model: 'LMD-W500', autonomy: 'autonomous' }]],
    ['load_heavy_fast_robot_near_people', [{ cls: 'warehousing_logistics.picking', model: 'LMD-W500' }]],
    ['load_biped_near_vulnerable_people', [{ cls: 'healthcare_wellness.rehabilitation_assist', model: 'LMD-B300' }]],
    ['load_teleoperation_low_training', [{ ...BENIGN, autonomy: 'teleoperated', safety: { operator_training_hours: 8 } }]],
    ['load_continuous_operation', [{ ...BENIGN, hours: 7000 }]],
    ['discount_force_speed_limiting_shared_space', [{ cls: 'manufacturing.assembly', model: 'LMD-B300', safety: { force_speed_limiting: true } }]],
    ['discount_segregated_certified_industrial_robot', [BENIGN]],
    ['require_safety_officer_public_or_care', [{ cls: 'healthcare_wellness.elder_care', model: 'PES-W300' }]],
    ['require_cyber_hygiene_autonomous', [{ ...BENIGN, model: 'PES-M150', autonomy: 'autonomous' }]],
    ['decline_scorecard_not_insurable', [{ ...BENIGN, verdict: 'not_insurable' }]],
    ['refer_scorecard_not_yet_insurable', [{ ...BENIGN, verdict: 'not_yet_insurable' }]],
  ];
  it('declines or refers a line by its scorecard verdict, naming the verdict; insurable verdicts change nothing', () => {
    const declined = run([{ ...BENIGN, verdict: 'not_insurable' }]);
    expect(declined.decision).toBe('declined');
    expect(declined.reasons.join(' ')).toContain('not_insurable');
    const referred = run([{ ...BENIGN, verdict: 'not_yet_insurable' }]);
    expect(referred.decision).toBe('referred');
    expect(referred.reasons.join(' ')).toContain('not_yet_insurable');
    for (const v of ['insurable', 'insurable_with_conditions']) expect(run([{ ...BENIGN, verdict: v }]).decision).toBe('quoted');
    expect(run([BENIGN]).decision).toBe('quoted'); // no scorecard cell: no verdict, no rule
  });
  it('covers every default rule with a firing case', () => {
    expect(cases.map((c) => c[0]).sort()).toEqual(DEFAULT_RULESET.rules.map((r) => r.name).sort());
  });
  it.each(cases)('%s fires on its scenario', (rule, lines, coverages) => {
    expect(names(run(lines, coverages))).toContain(rule);
  });
  it('does not fire the benign-only rules on the benign line', () => {
    const fired = names(run([BENIGN]));
    for (const [rule] of cases) if (rule !== 'discount_segregated_certified_industrial_robot') expect(fired).not.toContain(rule);
  });
});

describe('explanations', () => {
  it('carries the value of every referenced fact', () => {
    const e = run([{ cls: 'warehousing_logistics.picking', model: 'LMD-W500' }]);
    const f = e.fired.find((x) => x.rule === 'load_heavy_fast_robot_near_people')!;
    expect(f.facts).toEqual({ robot_mass_kg: 90, robot_max_speed_mps: 2, human_proximity: 'shared_space' });
    expect(f.line_index).toBe(0);
    expect(f.event_type).toBe('load');
    expect(f.params).toEqual({ reason: f.reason, factor: 1.2, coverage: 'third_party_liability' });
    expect(f.trace.map((t) => [t.fact, t.operator, t.fact_value, t.result])).toEqual([
      ['robot_mass_kg', 'greaterThan', 90, true],
      ['robot_max_speed_mps', 'greaterThan', 2, true],
      ['human_proximity', 'in', 'shared_space', true],
    ]);
  });

  it('includes facts of branches json-rules-engine short-circuits, in both evaluators', async () => {
    // elder care: the first `any` branch (care_contact) holds, so the second is never evaluated
    const f = facts([{ cls: 'healthcare_wellness.elder_care', model: 'LMD-W200' }]);
    const expected = { cert_iso_13482: false, human_proximity: 'care_contact', vulnerable_people: true, scenario_area: 'healthcare_wellness' };
    for (const e of [evaluateRules(DEFAULT_RULESET, f.lineFacts, f.requestFacts), await evaluateRulesWithEngine(DEFAULT_RULESET, f.lineFacts, f.requestFacts)]) {
      expect(e.fired.find((x) => x.rule === 'refer_care_or_vulnerable_without_iso_13482')!.facts).toEqual(expected);
    }
  });

  it('reports leading-indicator values that triggered a loading', () => {
    const e = run([{ cls: 'maintenance.inspection', model: 'PES-Q60', experience: { org_operating_hours: 10_000, org_protective_stops: 700 } }]);
    const f = e.fired.find((x) => x.rule === 'load_high_protective_stop_rate')!;
    expect(f.facts.protective_stops_per_1000h).toBeCloseTo(70, 10);
    expect(f.facts.scenario_area).toBe('maintenance');
  });

  it('evaluates request-level rules once, with line_index null, and applies them to every line', () => {
    const e = run([{ ...BENIGN, model: 'LMD-B100', units: 150 }, { ...BENIGN, model: 'LMD-B100', units: 100 }]);
    const refer = e.fired.filter((x) => x.rule === 'refer_large_fleet');
    expect(refer).toHaveLength(1);
    expect(refer[0].line_index).toBeNull();
    expect(refer[0].facts).toEqual({ total_units: 250 });
    expect(e.request_fired.map((x) => x.rule)).toEqual(['refer_large_fleet']);
    expect(e.lines.map((l) => l.decision)).toEqual(['referred', 'referred']);
    expect(e.lines[0].fired.map((x) => x.rule)).not.toContain('refer_large_fleet');
  });
});

describe('loadings and subjectivities', () => {
  it('multiply load factors per coverage and list each contributing rule', () => {
    // public + autonomous + heavy/fast + high protective stops on one line
    const e = run([{ cls: 'maintenance.cleaning', model: 'LMD-W500', autonomy: 'autonomous', safety: { safety_officer_on_site: true }, experience: { org_operating_hours: 10_000, org_protective_stops: 700 } }]);
    const l = e.lines[0].loadings;
    expect(l.third_party_liability.factor).toBeCloseTo(1.15 * 1.25 * 1.2, 12);
    expect(l.third_party_liability.contributions.map((c) => c.rule).sort()).toEqual(['load_autonomous_in_public', 'load_heavy_fast_robot_near_people', 'load_high_protective_stop_rate']);
    expect(l.robot_damage.factor).toBeCloseTo(1.15, 12);
    expect(l.robot_damage.contributions.map((c) => c.rule)).toEqual(['load_high_protective_stop_rate']);
    expect(l.business_interruption.factor).toBeCloseTo(1.15, 12);
  });

  it('applies a discount to its coverage only', () => {
    const e = run([{ cls: 'manufacturing.assembly', model: 'LMD-B300', safety: { force_speed_limiting: true } }]);
    const l = e.lines[0].loadings;
    expect(l.third_party_liability.factor).toBeCloseTo(0.9, 12);
    expect(l.third_party_liability.contributions).toEqual([
      expect.objectContaining({ rule: 'discount_force_speed_limiting_shared_space', event_type: 'discount', factor: 0.9, line_index: 0 }),
    ]);
    expect(l.robot_damage.factor).toBe(1);
    expect(l.robot_damage.contributions).toEqual([]);
    // without the declaration, no discount
    expect(run([{ cls: 'manufacturing.assembly', model: 'LMD-B300' }]).lines[0].loadings.third_party_liability.factor).toBe(1);
  });

  it('combines loads and discounts of a custom ruleset, coverage omitted = all coverages', () => {
    const ruleset = {
      name: 'mix',
      rules: [
        { name: 'all_cov', conditions: { all: [{ fact: 'units', operator: 'greaterThan', value: 0 }] }, event: { type: 'load', params: { reason: 'a', factor: 1.2 } } },
        { name: 'tpl_load', conditions: { all: [{ fact: 'units', operator: 'greaterThan', value: 0 }] }, event: { type: 'load', params: { reason: 'b', factor: 1.5, coverage: 'third_party_liability' } } },
        { name: 'tpl_disc', conditions: { all: [{ fact: 'units', operator: 'greaterThan', value: 0 }] }, event: { type: 'discount', params: { reason: 'c', factor: 0.8, coverage: 'third_party_liability' } } },
        { name: 'req_disc', conditions: { all: [{ fact: 'total_units', operator: 'greaterThan', value: 0 }] }, event: { type: 'discount', params: { reason: 'd', factor: 0.5, coverage: 'business_interruption' } } },
      ],
    };
    const e = evaluateRules(ruleset, [{ units: 3 }, { units: 0 }], { total_units: 3 });
    expect(e.lines[0].loadings.third_party_liability.factor).toBeCloseTo(1.2 * 1.5 * 0.8, 12);
    expect(e.lines[0].loadings.robot_damage.factor).toBeCloseTo(1.2, 12);
    expect(e.lines[0].loadings.business_interruption.factor).toBeCloseTo(1.2 * 0.5, 12);
    expect(e.lines[1].loadings.third_party_liability.factor).toBe(1);
    expect(e.lines[1].loadings.business_interruption.factor).toBe(0.5);
    expect(e.lines[1].loadings.business_interruption.contributions).toEqual([expect.objectContaining({ rule: 'req_disc', line_index: null })]);
    expect(e.decision).toBe('quoted');
  });

  it('deduplicates subjectivities across lines', () => {
    const e = run([
      { cls: 'healthcare_wellness.elder_care', model: 'PES-W300' },
      { cls: 'healthcare_wellness.rehabilitation_assist', model: 'PES-W300' },
    ]);
    expect(e.fired.filter((f) => f.rule === 'require_safety_officer_public_or_care')).toHaveLength(2);
    expect(e.subjectivities).toHaveLength(1);
    expect(e.subjectivities[0]).toMatch(/safety officer/);
    expect(e.lines[1].subjectivities).toEqual(e.subjectivities);
    expect(e.decision).toBe('quoted');
  });
});

describe('null facts (no history)', () => {
  it('do not fire rules on leading indicators or experience ratios', () => {
    const e = run([{ cls: 'maintenance.inspection', model: 'PES-Q60', experience: null }]);
    expect(names(e)).not.toContain('load_high_protective_stop_rate');
    expect(names(e)).not.toContain('load_high_near_miss_rate');
    expect(names(e)).not.toContain('refer_adverse_own_experience');
    expect(e.decision).toBe('quoted');
  });

  it('make every operator false except isKnown, in both evaluators', async () => {
    const leaf = (operator: string, value: unknown) => ({ fact: 'near_misses_per_1000h', operator, value });
    const ruleset = {
      name: 'nulls',
      rules: [
        ...[
          leaf('equal', 1), leaf('notEqual', 1), leaf('lessThan', 5), leaf('lessThanInclusive', 5), leaf('greaterThan', -1),
          leaf('greaterThanInclusive', 0), leaf('in', [1, 2]), leaf('notIn', [1, 2]), leaf('between', [-1, 100]), leaf('isKnown', true),
          { fact: 'near_misses_per_1000h', operator: 'lessThan', value: { fact: 'protective_stops_per_1000h' } },
        ].map((c, i) => ({ name: `r${i}`, conditions: { any: [c] }, event: { type: 'refer', params: { reason: `r${i}` } } })),
        { name: 'unknown', conditions: { all: [leaf('isKnown', false)] }, event: { type: 'require', params: { reason: 'no data', text: 'send telemetry' } } },
      ],
    };
    const lineFacts = [{ near_misses_per_1000h: null, protective_stops_per_1000h: 3 }, {}];
    for (const e of [evaluateRules(ruleset, lineFacts, {}), await evaluateRulesWithEngine(ruleset, lineFacts, {})]) {
      expect(names(e)).toEqual(['unknown', 'unknown']);
      expect(e.decision).toBe('quoted');
      expect(e.fired[0].facts).toEqual({ near_misses_per_1000h: null });
      expect(e.subjectivities).toEqual(['send telemetry']);
    }
    // with a value, the same rules behave as json-rules-engine built-ins
    const known = evaluateRules(ruleset, [{ near_misses_per_1000h: 1, protective_stops_per_1000h: 3 }], {});
    expect(names(known)).toEqual(['r0', 'r2', 'r3', 'r4', 'r5', 'r6', 'r8', 'r9', 'r10']);
  });
});

describe('compiled evaluator ≡ json-rules-engine', () => {
  const numberPool = [0, 0.5, 1, 1.5, 2, 2.5, 3, 10, 12, 16, 20, 21, 60, 61, 70, 100, 101, 200, 201, 5000, 6001, 1e6, 5e6, 6e6, 1e8, 2e8];
  const valueArb = (name: FactName): fc.Arbitrary<unknown> => {
    const d = FACT_CATALOG[name];
    let arb: fc.Arbitrary<unknown>;
    if (d.type === 'number') arb = fc.constantFrom(...numberPool);
    else if (d.type === 'boolean') arb = fc.boolean();
    else if (d.type === 'string[]') arb = fc.subarray([...(d.values ?? [])]);
    else arb = d.values ? fc.constantFrom(...d.values) : fc.constantFrom('LMD-B100', 'PES-W300');
    return d.nullable ? fc.option(arb, { nil: null, freq: 3 }) : arb;
  };
  const scopeRecord = (scope: 'line' | 'request') =>
    fc.record(Object.fromEntries(FACT_NAMES.filter((n) => FACT_CATALOG[n].scope === scope).map((n) => [n, valueArb(n)])));

  const custom = {
    name: 'custom',
    shared_conditions: {
      near_people: { all: [{ fact: 'human_proximity', operator: 'in', value: ['shared_space', 'collaborative', 'care_contact', 'public'] }] },
      fast: { any: [{ fact: 'robot_max_speed_mps', operator: 'greaterThan', value: 1.5 }, { condition: 'near_people' }] },
    },
    rules: [
      { name: 'c1', priority: 5, conditions: { all: [{ condition: 'fast' }, { fact: 'units', operator: 'between', value: [2, 200] }] }, event: { type: 'load', params: { reason: 'c1', factor: 1.3 } } },
      { name: 'c2', priority: 2, conditions: { not: { any: [{ fact: 'cert_atex', operator: 'equal', value: true }, { condition: 'near_people' }] } }, event: { type: 'refer', params: { reason: 'c2' } } },
      { name: 'c3', conditions: { all: [{ fact: 'org_operating_hours', operator: 'lessThan', value: { fact: 'fleet_hours' } }, { fact: 'certifications', operator: 'contains', value: 'atex' }] }, event: { type: 'discount', params: { reason: 'c3', factor: 0.7, coverage: 'robot_damage' } } },
      { name: 'c4', conditions: { any: [{ fact: 'near_misses_per_1000h', operator: 'notIn', value: [1, 2] }, { fact: 'total_units', operator: 'greaterThanInclusive', value: { fact: 'units' } }] }, event: { type: 'require', params: { reason: 'c4', text: 'c4 text' } } },
      { name: 'c5', priority: 9, conditions: { all: [{ fact: 'basis', operator: 'equal', value: 'pay_per_use' }, { fact: 'coverage_robot_damage_limit', operator: 'greaterThan', value: 1e6 }] }, event: { type: 'decline', params: { reason: 'c5' } } },
    ],
  };

  it.each([['default', DEFAULT_RULESET], ['custom', custom]] as const)('agree on random facts (%s ruleset)', async (_label, ruleset) => {
    await fc.assert(
      fc.asyncProperty(fc.array(scopeRecord('line'), { minLength: 0, maxLength: 3 }), scopeRecord('request'), async (lines, request) => {
        const a = evaluateRules(ruleset, lines as Partial<LineFacts>[], request as Partial<RequestFacts>);
        const b = await evaluateRulesWithEngine(ruleset, lines as Partial<LineFacts>[], request as Partial<RequestFacts>);
        expect(b).toEqual(a);
      }),
      { numRuns: 150, seed: 20261123 },
    );
  });

  it('stays correct when many json-rules-engine evaluations overlap (multi-priority ruleset)', async () => {
    const f = facts([
      { cls: 'maintenance.cleaning', model: 'LMD-W500', autonomy: 'autonomous', experience: { org_operating_hours: 10_000, org_protective_stops: 700 } },
      { cls: 'safety_production.patrol', model: 'LMD-Q40' },
      { cls: 'healthcare_wellness.elder_care', model: 'LMD-W200' },
    ]);
    const expected = evaluateRules(DEFAULT_RULESET, f.lineFacts, f.requestFacts);
    expect(new Set(DEFAULT_RULESET.rules.map((r) => r.priority ?? 1)).size).toBeGreaterThan(1);
    // staggered starts: json-rules-engine keeps one run status per Engine, so an unserialised run
    // finishing in the middle of another would make the latter skip its lower-priority rules
    const results = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        for (let k = 0; k < i; k++) await Promise.resolve();
        return evaluateRulesWithEngine(DEFAULT_RULESET, f.lineFacts, f.requestFacts);
      }),
    );
    for (const r of results) expect(r).toEqual(expected);
  });
});

describe('caching and performance', () => {
  it('compiles a ruleset once per object and once per content', () => {
    const a = compileRuleset(DEFAULT_RULESET);
    expect(compileRuleset(DEFAULT_RULESET)).toBe(a);
    const copy = JSON.parse(JSON.stringify(DEFAULT_RULESET));
    expect(compileRuleset(copy)).toBe(a);
    const changed = JSON.parse(JSON.stringify(DEFAULT_RULESET));
    changed.rules[0].event.params.reason = 'changed';
    const c = compileRuleset(changed);
    expect(c).not.toBe(a);
    expect(c.hash).not.toBe(a.hash);
    expect(evaluateRules(copy, [], {}).ruleset).toEqual({ name: 'roborisk-default', version: '1.0.0', hash: a.hash });
  });

  it('evaluates a 3-line request 1,000 times in well under a second', () => {
    const f = facts([
      { cls: 'maintenance.cleaning', model: 'LMD-W500', autonomy: 'autonomous', experience: { org_operating_hours: 10_000, org_protective_stops: 700 } },
      { cls: 'healthcare_wellness.elder_care', model: 'PES-W300' },
      { cls: 'manufacturing.assembly', model: 'PES-B700', autonomy: 'autonomous', units: 30, safety: { force_speed_limiting: true }, experience: null },
    ]);
    evaluateRules(DEFAULT_RULESET, f.lineFacts, f.requestFacts); // compile + warm up
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) evaluateRules(DEFAULT_RULESET, f.lineFacts, f.requestFacts);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(1000);
    console.log(`rules: 1,000 evaluations of a 3-line request took ${ms.toFixed(1)} ms (${ms.toFixed(1)} µs each)`);
  });
});
