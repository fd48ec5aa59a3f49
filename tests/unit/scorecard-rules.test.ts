/**
 * Scorecard insurability rules: validation of uploaded rule sets (paths named), the default rule
 * set, and the synchronous evaluator against json-rules-engine itself on random cells.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scorecardEvaluator, scorecardEvaluatorWithEngine, validateScorecardRuleset } from '../../rules/scorecard-rules.ts';
import { DEFAULT_SCORECARD_RULESET } from '../../rules/default-scorecard-ruleset.ts';
import type { ScorecardFacts } from '../../rules/scorecard-facts.ts';

const cell = (over: Partial<ScorecardFacts> = {}): ScorecardFacts => ({
  robot_model: 'LMD-B300', scenario_class: 'manufacturing.assembly', scenario_area: 'manufacturing', software_version: null,
  deployments: 4, organizations: 4, operating_hours: 80_000, incidents: 60, incident_rate_per_1000h: 0.75, incident_rate_ci_low: 0.57,
  incident_rate_ci_high: 0.97, class_rate_per_1000h: 0.7, credibility_rate_per_1000h: 0.74, rate_to_class_ratio: 1.06, eb_credibility: 0.8,
  lf_credibility: 0.47, hours_still_needed: 285_000, severe_share: 0.02, severe_incidents: 1, injury_incidents: 0, protective_stops_per_1000h: 20,
  near_misses_per_1000h: 3, stops_to_class_ratio: 1, near_misses_to_class_ratio: 1, downtime_per_1000h: 2, p_best: 0.2, ...over,
});

describe('validateScorecardRuleset', () => {
  it('accepts the default rule set', () => {
    expect(validateScorecardRuleset(DEFAULT_SCORECARD_RULESET)).toMatchObject({ ok: true });
  });
  it('names every bad path: unknown fact, operator on the wrong type, bad value, bad verdict, duplicate name, nullable fact under not', () => {
    const v = validateScorecardRuleset({
      name: 'x',
      rules: [
        { name: 'a', conditions: { all: [{ fact: 'nope', operator: 'equal', value: 1 }] }, event: { type: 'verdict', params: { verdict: 'insurable', reason: 'r' } } },
        { name: 'a', conditions: { any: [{ fact: 'robot_model', operator: 'greaterThan', value: 1 }, { fact: 'incidents', operator: 'lessThan', value: 'x' }] }, event: { type: 'verdict', params: { verdict: 'insurable', reason: 'r' } } },
        { name: 'c', conditions: { not: { fact: 'p_best', operator: 'lessThan', value: 0.5 } }, event: { type: 'verdict', params: { verdict: 'insurable', reason: 'r' } } },
      ],
    });
    expect(v.ok).toBe(false);
    const paths = v.ok ? [] : v.errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['rules[0].conditions.all[0].fact', 'rules[1].name', 'rules[1].conditions.any[0].operator', 'rules[1].conditions.any[1].value', 'rules[2].conditions.not.fact']));
    const badVerdict = validateScorecardRuleset({ name: 'x', rules: [{ name: 'a', conditions: { all: [{ fact: 'incidents', operator: 'lessThan', value: 1 }] }, event: { type: 'verdict', params: { verdict: 'maybe', reason: 'r' } } }] });
    expect(badVerdict.ok ? [] : badVerdict.errors.map((e) => e.path)).toEqual(['rules[0].event.params.verdict']);
  });
});

describe('the default scorecard rules', () => {
  const evaluate = scorecardEvaluator(DEFAULT_SCORECARD_RULESET);
  it('gives each verdict on the cells it is meant for, with the facts of the fired rules', () => {
    expect(evaluate(cell()).verdict).toBe('insurable');
    const few = evaluate(cell({ incidents: 12 }));
    expect(few.verdict).toBe('not_yet_insurable');
    expect(few.fired.map((f) => f.rule)).toEqual(['too_little_exposure']);
    expect(few.fired[0].facts).toEqual({ incidents: 12 });
    const stops = evaluate(cell({ stops_to_class_ratio: 1.8 }));
    expect(stops.verdict).toBe('insurable_with_conditions');
    expect(stops.conditions).toHaveLength(1);
    expect(evaluate(cell({ incident_rate_ci_low: 5.5, credibility_rate_per_1000h: 7 })).verdict).toBe('not_insurable');
    expect(evaluate(cell({ severe_share: 0.08 })).verdict).toBe('not_insurable');
  });

  it('agrees with json-rules-engine on random cells (verdict, fired rules and their order)', async () => {
    const engine = scorecardEvaluatorWithEngine(DEFAULT_SCORECARD_RULESET);
    const opt = (a: fc.Arbitrary<number>) => fc.option(a, { nil: null });
    await fc.assert(fc.asyncProperty(
      fc.record({
        incidents: fc.integer({ min: 0, max: 200 }),
        incident_rate_ci_low: opt(fc.double({ min: 0, max: 10, noNaN: true })),
        credibility_rate_per_1000h: opt(fc.double({ min: 0, max: 10, noNaN: true })),
        rate_to_class_ratio: opt(fc.double({ min: 0, max: 3, noNaN: true })),
        severe_share: opt(fc.double({ min: 0, max: 0.2, noNaN: true })),
        stops_to_class_ratio: opt(fc.double({ min: 0, max: 3, noNaN: true })),
        near_misses_to_class_ratio: opt(fc.double({ min: 0, max: 3, noNaN: true })),
      }),
      async (over) => {
        const f = cell(over);
        expect(evaluate(f)).toEqual(await engine(f));
      },
    ), { numRuns: 200, seed: 13 });
  });
});
