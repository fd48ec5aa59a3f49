import { describe, expect, it } from 'vitest';
import { DEFAULT_RULESET, OPERATOR_NAMES, RulesetValidationError, evaluateRules, formatPath, validateRuleset } from '../../rules/index.ts';

type Json = Record<string, unknown>;

/** Sets `path` (keys and indices, dot-separated) of untrusted JSON to `value`. */
function set(json: unknown, path: string, value: unknown): void {
  const keys = path.split('.');
  const at = keys.slice(0, -1).reduce((o, k) => o[k] as Json, json as Json);
  at[keys[keys.length - 1]] = value;
}

/** Removes `path` of untrusted JSON. */
function unset(json: unknown, path: string): void {
  const keys = path.split('.');
  const at = keys.slice(0, -1).reduce((o, k) => o[k] as Json, json as Json);
  delete at[keys[keys.length - 1]];
}

/** A small valid ruleset; tests break one thing at a time. */
function base(): Json {
  return {
    name: 'test',
    version: 1,
    rules: [
      { name: 'r0', conditions: { all: [{ fact: 'units', operator: 'greaterThan', value: 5 }] }, event: { type: 'refer', params: { reason: 'many' } } },
      {
        name: 'r1',
        conditions: { all: [{ fact: 'human_proximity', operator: 'equal', value: 'public' }, { fact: 'robot_mass_kg', operator: 'greaterThan', value: 70 }] },
        event: { type: 'load', params: { reason: 'heavy in public', factor: 1.2, coverage: 'third_party_liability' } },
      },
    ],
  };
}

function errorsOf(json: unknown): { path: string; message: string }[] {
  const r = validateRuleset(json);
  if (r.ok) throw new Error('expected the ruleset to be rejected');
  return r.errors;
}

function expectError(json: unknown, path: string, message: RegExp): void {
  const errors = errorsOf(json);
  const hit = errors.find((e) => e.path === path);
  expect(hit, `no error at ${path}; got ${JSON.stringify(errors)}`).toBeDefined();
  expect(hit!.message).toMatch(message);
}

describe('validateRuleset', () => {
  it('accepts the default ruleset (at least 12 rules, all documented)', () => {
    const r = validateRuleset(DEFAULT_RULESET);
    expect(r.ok ? [] : r.errors).toEqual([]);
    expect(DEFAULT_RULESET.rules.length).toBeGreaterThanOrEqual(12);
    for (const rule of DEFAULT_RULESET.rules) {
      expect(rule.description?.length ?? 0, rule.name).toBeGreaterThan(40);
      expect(rule.event.params.reason.length, rule.name).toBeGreaterThan(10);
    }
    const types = new Set(DEFAULT_RULESET.rules.map((r) => r.event.type));
    expect([...types].sort()).toEqual(['decline', 'discount', 'load', 'refer', 'require']);
  });

  it('accepts the small base ruleset and returns a frozen copy', () => {
    const json = base();
    const r = validateRuleset(json);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.ruleset).toEqual(json);
      expect(r.ruleset).not.toBe(json);
      expect(Object.isFrozen(r.ruleset.rules[1].conditions)).toBe(true);
    }
  });

  it('rejects an unknown fact with the path of the fact', () => {
    const json = base();
    set(json, 'rules.1.conditions.all.1.fact', 'robot_colour');
    expectError(json, 'rules[1].conditions.all[1].fact', /unknown fact 'robot_colour'/);
  });

  it('rejects unknown facts deep in nested any / not', () => {
    const json = base();
    set(json, 'rules.0.conditions', { any: [{ fact: 'units', operator: 'lessThan', value: 2 }, { not: { all: [{ fact: 'nope', operator: 'equal', value: 1 }] } }] });
    expectError(json, 'rules[0].conditions.any[1].not.all[0].fact', /unknown fact 'nope'/);
  });

  it('rejects an unknown operator (and decorators) with the path of the operator', () => {
    const json = base();
    set(json, 'rules.1.conditions.all.0.operator', 'matches');
    expectError(json, 'rules[1].conditions.all[0].operator', /unknown operator 'matches'/);
    const json2 = base();
    set(json2, 'rules.0.conditions.all.0.operator', 'everyFact:greaterThan');
    expectError(json2, 'rules[0].conditions.all[0].operator', /unknown operator/);
    expect(OPERATOR_NAMES).toEqual(expect.arrayContaining(['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'in', 'notIn', 'contains', 'doesNotContain', 'between', 'isKnown']));
  });

  it('rejects an unknown event type', () => {
    const json = base();
    set(json, 'rules.0.event.type', 'surcharge');
    expectError(json, 'rules[0].event.type', /unknown event type 'surcharge'/);
  });

  it('rejects load factors outside (1, 5] and discount factors outside [0.5, 1)', () => {
    for (const [factor, msg] of [[0.9, /> 1/], [1, /> 1/], [5.5, /<= 5/]] as const) {
      const json = base();
      set(json, 'rules.1.event.params.factor', factor);
      expectError(json, 'rules[1].event.params.factor', msg);
    }
    const ok = base();
    set(ok, 'rules.1.event.params.factor', 5);
    expect(validateRuleset(ok).ok).toBe(true);
    for (const factor of [1, 0.4, 1.1]) {
      const json = base();
      set(json, 'rules.1.event', { type: 'discount', params: { reason: 'x', factor } });
      expectError(json, 'rules[1].event.params.factor', /discount factor/);
    }
    const missing = base();
    unset(missing, 'rules.1.event.params.factor');
    expectError(missing, 'rules[1].event.params.factor', /required/);
  });

  it('rejects bad params per event type', () => {
    const noText = base();
    set(noText, 'rules.0.event', { type: 'require', params: { reason: 'r' } });
    expectError(noText, 'rules[0].event.params.text', /text/);
    const badCoverage = base();
    set(badCoverage, 'rules.1.event.params.coverage', 'cyber');
    expectError(badCoverage, 'rules[1].event.params.coverage', /coverage must be one of/);
    const noReason = base();
    set(noReason, 'rules.0.event.params', {});
    expectError(noReason, 'rules[0].event.params.reason', /./);
    const extra = base();
    set(extra, 'rules.0.event.params.factor', 2);
    expectError(extra, 'rules[0].event.params.factor', /unknown property 'factor'/);
    const noParams = base();
    unset(noParams, 'rules.0.event.params');
    expectError(noParams, 'rules[0].event.params', /needs params/);
  });

  it('rejects duplicate rule names', () => {
    const json = base();
    set(json, 'rules.1.name', 'r0');
    expectError(json, 'rules[1].name', /duplicate rule name 'r0'.*rules\[0\]/);
  });

  it('rejects value type mismatches and values outside a closed vocabulary', () => {
    const num = base();
    set(num, 'rules.0.conditions.all.0.value', '5');
    expectError(num, 'rules[0].conditions.all[0].value', /finite number/);
    const enumVal = base();
    set(enumVal, 'rules.1.conditions.all.0.value', 'outdoors');
    expectError(enumVal, 'rules[1].conditions.all[0].value', /'outdoors' is not a value of 'human_proximity'/);
    const list = base();
    set(list, 'rules.1.conditions.all.0', { fact: 'human_proximity', operator: 'in', value: ['public', 'street'] });
    expectError(list, 'rules[1].conditions.all[0].value[1]', /'street'/);
    const bool = base();
    set(bool, 'rules.0.conditions.all.0', { fact: 'cert_atex', operator: 'equal', value: 'false' });
    expectError(bool, 'rules[0].conditions.all[0].value', /boolean/);
    const opType = base();
    set(opType, 'rules.0.conditions.all.0', { fact: 'cert_atex', operator: 'greaterThan', value: 1 });
    expectError(opType, 'rules[0].conditions.all[0].operator', /does not apply to boolean fact/);
    const range = base();
    set(range, 'rules.0.conditions.all.0', { fact: 'units', operator: 'between', value: [10, 5] });
    expectError(range, 'rules[0].conditions.all[0].value', /low <= high/);
    const factRef = base();
    set(factRef, 'rules.0.conditions.all.0', { fact: 'units', operator: 'greaterThan', value: { fact: 'basis' } });
    expectError(factRef, 'rules[0].conditions.all[0].value.fact', /cannot compare number fact 'units' with string fact 'basis'/);
    const element = base();
    set(element, 'rules.0.conditions.all.0', { fact: 'certifications', operator: 'contains', value: 'ul_3300' });
    expectError(element, 'rules[0].conditions.all[0].value', /'ul_3300'/);
  });

  it('rejects nullable facts under not (directly and through shared conditions)', () => {
    const json = base();
    set(json, 'rules.0.conditions', { not: { all: [{ fact: 'near_misses_per_1000h', operator: 'greaterThan', value: 3 }] } });
    expectError(json, 'rules[0].conditions.not.all[0].fact', /nullable fact 'near_misses_per_1000h' must not be used under 'not'/);
    const shared = base();
    set(shared, 'shared_conditions', { noisy: { all: [{ fact: 'near_misses_per_1000h', operator: 'greaterThan', value: 3 }] } });
    set(shared, 'rules.0.conditions', { not: { condition: 'noisy' } });
    expectError(shared, 'rules[0].conditions.not.condition', /nullable fact/);
    const known = base();
    set(known, 'rules.0.conditions', { not: { all: [{ fact: 'near_misses_per_1000h', operator: 'isKnown', value: true }] } });
    expect(validateRuleset(known).ok).toBe(true);
  });

  it('checks structure: empty all, leaf at the root, mixed kinds, unknown properties, references', () => {
    const empty = base();
    set(empty, 'rules.0.conditions', { all: [] });
    expectError(empty, 'rules[0].conditions.all', /non-empty array/);
    const leafRoot = base();
    set(leafRoot, 'rules.0.conditions', { fact: 'units', operator: 'greaterThan', value: 1 });
    expectError(leafRoot, 'rules[0].conditions', /root/);
    const mixed = base();
    set(mixed, 'rules.0.conditions', { all: [], any: [] });
    expectError(mixed, 'rules[0].conditions', /mixes/);
    const pathProp = base();
    set(pathProp, 'rules.0.conditions.all.0.path', '$.x');
    expectError(pathProp, 'rules[0].conditions.all[0].path', /unknown property 'path'/);
    const unknownRef = base();
    set(unknownRef, 'rules.0.conditions', { condition: 'nowhere' });
    expectError(unknownRef, 'rules[0].conditions.condition', /unknown shared condition 'nowhere'/);
    const cyclic = base();
    set(cyclic, 'shared_conditions', { a: { all: [{ condition: 'b' }] }, b: { any: [{ condition: 'a' }] } });
    expectError(cyclic, 'shared_conditions.a', /cycle/);
    const topLevel = base();
    set(topLevel, 'owner', 'me');
    expectError(topLevel, 'owner', /unknown property 'owner'/);
    const ruleProp = base();
    set(ruleProp, 'rules.0.salience', 3);
    expectError(ruleProp, 'rules[0].salience', /unknown property 'salience'/);
    expectError({ rules: [] }, 'name', /./);
  });

  it('reports several errors at once', () => {
    const json = base();
    set(json, 'rules.0.conditions.all.0.fact', 'x');
    set(json, 'rules.1.event.params.factor', 9);
    const paths = errorsOf(json).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['rules[0].conditions.all[0].fact', 'rules[1].event.params.factor']));
  });

  it('makes the evaluator throw on invalid rulesets', () => {
    const json = base();
    set(json, 'rules.0.event.type', 'surcharge');
    expect(() => evaluateRules(json, [], {})).toThrow(RulesetValidationError);
  });

  it('formats paths', () => {
    expect(formatPath(['rules', 3, 'conditions', 'all', 1, 'fact'])).toBe('rules[3].conditions.all[1].fact');
  });
});
