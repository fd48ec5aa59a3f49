/**
 * Condition operators of the underwriting rules: the json-rules-engine built-ins plus two custom
 * operators, defined ONCE here and used by both evaluators (the compiled fast path in
 * rules/compile.ts and json-rules-engine in rules/engine.ts), so both give the same result.
 *
 * Null semantics (differs from stock json-rules-engine on purpose): when the fact value, or the
 * value of a fact referenced on the right-hand side, is `null` or `undefined`, every operator
 * except `isKnown` returns false. Stock `notEqual` / `notIn` would return true on a missing
 * value and make a rule fire for an organization without history; here a rule on an unknown
 * leading indicator simply does not fire. Use `isKnown` to write rules about missing data.
 */
import { Operator } from 'json-rules-engine';
import type { FactType } from './facts.ts';

/** What the `value` of a condition must look like for an operator. */
export type OperatorValueKind =
  /** a scalar of the fact's type, or `{ fact }` of the same type */
  | 'scalar'
  /** a number, or `{ fact }` of type number */
  | 'number'
  /** a non-empty array of scalars of the fact's type */
  | 'list'
  /** one element of a string[] fact */
  | 'element'
  /** `[low, high]` numbers with low <= high */
  | 'range'
  /** a boolean */
  | 'boolean';

export interface OperatorSpec {
  name: string;
  /** Fact types the operator applies to. */
  factTypes: readonly FactType[];
  valueKind: OperatorValueKind;
  /** Whether the null guard applies (false only for isKnown). */
  nullGuard: boolean;
  /** Evaluates `factValue <op> value` for non-null inputs (the null guard is applied by {@link evaluateOperator}). */
  test: (factValue: unknown, value: unknown) => boolean;
  description: string;
}

const isNum = (x: unknown): x is number => typeof x === 'number' && !Number.isNaN(x);

const SPECS: readonly OperatorSpec[] = [
  { name: 'equal', factTypes: ['number', 'string', 'boolean'], valueKind: 'scalar', nullGuard: true, test: (a, b) => a === b, description: 'fact === value' },
  { name: 'notEqual', factTypes: ['number', 'string', 'boolean'], valueKind: 'scalar', nullGuard: true, test: (a, b) => a !== b, description: 'fact !== value (false when the fact is null)' },
  { name: 'lessThan', factTypes: ['number'], valueKind: 'number', nullGuard: true, test: (a, b) => isNum(a) && isNum(b) && a < b, description: 'fact < value' },
  { name: 'lessThanInclusive', factTypes: ['number'], valueKind: 'number', nullGuard: true, test: (a, b) => isNum(a) && isNum(b) && a <= b, description: 'fact <= value' },
  { name: 'greaterThan', factTypes: ['number'], valueKind: 'number', nullGuard: true, test: (a, b) => isNum(a) && isNum(b) && a > b, description: 'fact > value' },
  { name: 'greaterThanInclusive', factTypes: ['number'], valueKind: 'number', nullGuard: true, test: (a, b) => isNum(a) && isNum(b) && a >= b, description: 'fact >= value' },
  { name: 'in', factTypes: ['number', 'string', 'boolean'], valueKind: 'list', nullGuard: true, test: (a, b) => Array.isArray(b) && b.indexOf(a) > -1, description: 'value (an array) includes fact' },
  { name: 'notIn', factTypes: ['number', 'string', 'boolean'], valueKind: 'list', nullGuard: true, test: (a, b) => Array.isArray(b) && b.indexOf(a) === -1, description: 'value (an array) does not include fact (false when the fact is null)' },
  { name: 'contains', factTypes: ['string[]'], valueKind: 'element', nullGuard: true, test: (a, b) => Array.isArray(a) && a.indexOf(b) > -1, description: 'fact (a list) includes value' },
  { name: 'doesNotContain', factTypes: ['string[]'], valueKind: 'element', nullGuard: true, test: (a, b) => Array.isArray(a) && a.indexOf(b) === -1, description: 'fact (a list) does not include value' },
  // custom operators
  { name: 'between', factTypes: ['number'], valueKind: 'range', nullGuard: true, test: (a, b) => isNum(a) && Array.isArray(b) && a >= b[0] && a <= b[1], description: 'value[0] <= fact <= value[1] (custom)' },
  { name: 'isKnown', factTypes: ['number', 'string', 'boolean', 'string[]'], valueKind: 'boolean', nullGuard: false, test: (a, b) => (a !== null && a !== undefined) === b, description: 'value true: fact is not null; value false: fact is null (custom; the only operator that sees null)' },
];

/** Operators allowed in rules, keyed by name. */
export const OPERATORS: ReadonlyMap<string, OperatorSpec> = new Map(SPECS.map((s) => [s.name, s]));

/** Names of the allowed operators. */
export const OPERATOR_NAMES: readonly string[] = SPECS.map((s) => s.name);

/** The custom (non json-rules-engine) operators. */
export const CUSTOM_OPERATOR_NAMES: readonly string[] = ['between', 'isKnown'];

/**
 * Evaluates operator `spec` on a fact value and a (resolved) condition value, applying the null
 * guard: false when either side is null/undefined unless the operator is `isKnown`.
 */
export function evaluateOperator(spec: OperatorSpec, factValue: unknown, value: unknown): boolean {
  if (spec.nullGuard && (factValue === null || factValue === undefined || value === null || value === undefined)) return false;
  return spec.test(factValue, value);
}

/**
 * json-rules-engine Operator objects for every allowed operator (replacing the built-ins of the
 * same name, so that the null semantics above hold inside json-rules-engine too).
 */
export function jsonRulesEngineOperators(): Operator[] {
  return SPECS.map((spec) => new Operator(spec.name, (a: unknown, b: unknown) => evaluateOperator(spec, a, b)));
}
