/**
 * Validation of an uploaded ruleset (docs/actuarial-method.md §7): rule sets are validated on
 * upload, and unknown facts or operators are rejected.
 *
 * zod checks the outer shape (ruleset, rules, event params); a hand-written walker checks every
 * condition node (`all` / `any` / `not`, nesting, `{ condition }` references to
 * `shared_conditions`) so that each error carries the exact path of the offending node, e.g.
 * `rules[3].conditions.all[1].fact`. Rejected:
 * - unknown facts (rules/facts.ts) and unknown operators (rules/operators.ts), operator
 *   decorators (`everyFact:…`), condition `path` / `params` / `priority`;
 * - operators applied to a fact type they do not support, values of the wrong type, string
 *   values outside a closed vocabulary, fact-to-fact comparisons of different types;
 * - nullable facts under `not` (a null value makes the leaf false and the `not` true, which
 *   would fire the rule for every organization without history — use `isKnown`);
 * - empty `all` / `any`, a leaf as the root, undefined or cyclic condition references;
 * - unknown event types, missing / invalid params per event type (load factor in (1, 5],
 *   discount factor in [0.5, 1), require needs `text`, coverage must be a coverage code, every
 *   event needs a `reason`), unknown params;
 * - duplicate rule names.
 */
import { z } from 'zod';
import { COVERAGE_CODES, SUBJECTIVITY_DEADLINES } from '../domain/enums.ts';
import { isoDate } from '../domain/schemas/common.ts';
import { FACT_CATALOG, isFactName, type FactDefinition } from './facts.ts';
import { OPERATORS, OPERATOR_NAMES, type OperatorSpec } from './operators.ts';
import {
  DISCOUNT_FACTOR_MAX_EXCLUSIVE,
  DISCOUNT_FACTOR_MIN,
  EVENT_TYPES,
  LOAD_FACTOR_MAX,
  LOAD_FACTOR_MIN_EXCLUSIVE,
  type Ruleset,
} from './types.ts';

export interface RulesetValidationIssue {
  /** Where, e.g. `rules[3].conditions.all[1].fact`; '' for the root. */
  path: string;
  message: string;
}

export type RulesetValidationResult =
  | { ok: true; ruleset: Ruleset }
  | { ok: false; errors: RulesetValidationIssue[] };

/** Thrown by the evaluator when it is handed a ruleset that does not validate. */
export class RulesetValidationError extends Error {
  readonly errors: RulesetValidationIssue[];
  constructor(errors: RulesetValidationIssue[]) {
    super(`invalid ruleset: ${errors.slice(0, 5).map((e) => `${e.path || '(root)'}: ${e.message}`).join('; ')}${errors.length > 5 ? ` (+${errors.length - 5} more)` : ''}`);
    this.name = 'RulesetValidationError';
    this.errors = errors;
  }
}

/** Maximum nesting depth of conditions and maximum number of rules (abuse guards). */
export const MAX_CONDITION_DEPTH = 16;
export const MAX_RULES = 500;

const IDENT = /^[A-Za-z0-9_.-]{1,100}$/;

const rulesetShape = z.strictObject({
  name: z.string().trim().min(1).max(200),
  version: z.union([z.string().min(1).max(50), z.number().int().nonnegative()]).optional(),
  description: z.string().max(5000).optional(),
  effective_from: isoDate.optional(),
  shared_conditions: z.record(z.string().regex(IDENT, 'condition names use letters, digits, _ . - (max 100)'), z.unknown()).optional(),
  rules: z.array(z.unknown()).max(MAX_RULES),
});

const ruleShape = z.strictObject({
  name: z.string().regex(IDENT, 'rule names use letters, digits, _ . - (max 100)'),
  description: z.string().max(5000).optional(),
  priority: z.number().int().min(1).max(1000).optional(),
  conditions: z.unknown(),
  event: z.unknown(),
});

const reason = z.string().trim().min(1, 'reason is required').max(1000);
const coverage = z.enum(COVERAGE_CODES, { error: `coverage must be one of ${COVERAGE_CODES.join(', ')}` }).optional();
const PARAMS: Record<(typeof EVENT_TYPES)[number], z.ZodType> = {
  decline: z.strictObject({ reason }),
  refer: z.strictObject({ reason }),
  load: z.strictObject({
    reason,
    factor: z
      .number({ error: 'load factor is required (a number)' })
      .gt(LOAD_FACTOR_MIN_EXCLUSIVE, `load factor must be > ${LOAD_FACTOR_MIN_EXCLUSIVE}`)
      .lte(LOAD_FACTOR_MAX, `load factor must be <= ${LOAD_FACTOR_MAX}`),
    coverage,
  }),
  discount: z.strictObject({
    reason,
    factor: z
      .number({ error: 'discount factor is required (a number)' })
      .gte(DISCOUNT_FACTOR_MIN, `discount factor must be >= ${DISCOUNT_FACTOR_MIN}`)
      .lt(DISCOUNT_FACTOR_MAX_EXCLUSIVE, `discount factor must be < ${DISCOUNT_FACTOR_MAX_EXCLUSIVE}`),
    coverage,
  }),
  require: z.strictObject({
    reason,
    text: z.string({ error: 'require needs a text (the subjectivity)' }).trim().min(1, 'require needs a text (the subjectivity)').max(2000),
    required_before: z.enum(SUBJECTIVITY_DEADLINES, { error: `required_before is one of ${SUBJECTIVITY_DEADLINES.join(', ')}` }).optional(),
  }),
};

type PathPart = string | number;

/** Formats path parts as `rules[3].conditions.all[1].fact`. */
export function formatPath(parts: readonly PathPart[]): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? p : `.${p}`;
  }
  return out;
}

function zodIssues(error: z.ZodError, base: readonly PathPart[]): RulesetValidationIssue[] {
  const out: RulesetValidationIssue[] = [];
  for (const issue of error.issues) {
    const path = [...base, ...(issue.path as PathPart[])];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: formatPath([...path, key]), message: `unknown property '${key}'` });
    } else {
      out.push({ path: formatPath(path), message: issue.message });
    }
  }
  return out;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

const describe = (x: unknown): string => (x === null ? 'null' : Array.isArray(x) ? 'array' : typeof x);

interface WalkContext {
  errors: RulesetValidationIssue[];
  sharedNames: ReadonlySet<string>;
  /** References made under `not`: checked for nullable facts once all shared conditions are known. */
  refsUnderNot: { name: string; path: string }[];
  /** Per shared condition / rule being walked: referenced shared condition names. */
  refs: Set<string>;
  /** Whether a nullable, null-guarded fact occurs (for shared conditions used under `not`). */
  nullable: Set<string>;
}

const BOOLEAN_KEYS = ['all', 'any', 'not'] as const;

function walkCondition(node: unknown, path: PathPart[], ctx: WalkContext, opts: { root: boolean; underNot: boolean; depth: number }): void {
  const at = formatPath(path);
  if (!isObject(node)) {
    ctx.errors.push({ path: at, message: `condition must be an object, got ${describe(node)}` });
    return;
  }
  if (opts.depth > MAX_CONDITION_DEPTH) {
    ctx.errors.push({ path: at, message: `conditions nested deeper than ${MAX_CONDITION_DEPTH} levels` });
    return;
  }
  const kinds = [...BOOLEAN_KEYS, 'condition', 'fact'].filter((k) => Object.prototype.hasOwnProperty.call(node, k));
  if (kinds.length !== 1) {
    ctx.errors.push({
      path: at,
      message: kinds.length === 0
        ? "condition needs exactly one of 'all', 'any', 'not', 'condition' or a comparison with 'fact'"
        : `condition mixes ${kinds.map((k) => `'${k}'`).join(' and ')}; use exactly one`,
    });
    return;
  }
  const kind = kinds[0];
  const allowed = kind === 'fact' ? ['fact', 'operator', 'value', 'name'] : [kind, 'name'];
  for (const key of Object.keys(node)) {
    if (!allowed.includes(key)) ctx.errors.push({ path: formatPath([...path, key]), message: `unknown property '${key}' in a${kind === 'fact' ? ' comparison' : `n '${kind}'`} condition` });
  }
  if (node.name !== undefined && typeof node.name !== 'string') ctx.errors.push({ path: formatPath([...path, 'name']), message: 'name must be a string' });

  if (kind === 'all' || kind === 'any') {
    const children = node[kind];
    if (!Array.isArray(children) || children.length === 0) {
      ctx.errors.push({ path: formatPath([...path, kind]), message: `'${kind}' must be a non-empty array of conditions` });
      return;
    }
    children.forEach((c, i) => walkCondition(c, [...path, kind, i], ctx, { root: false, underNot: opts.underNot, depth: opts.depth + 1 }));
    return;
  }
  if (kind === 'not') {
    const child = node.not;
    if (!isObject(child)) {
      ctx.errors.push({ path: formatPath([...path, 'not']), message: "'not' must be one condition object (not an array)" });
      return;
    }
    walkCondition(child, [...path, 'not'], ctx, { root: false, underNot: true, depth: opts.depth + 1 });
    return;
  }
  if (kind === 'condition') {
    const ref = node.condition;
    const refPath = formatPath([...path, 'condition']);
    if (typeof ref !== 'string' || !ctx.sharedNames.has(ref)) {
      ctx.errors.push({ path: refPath, message: typeof ref === 'string' ? `unknown shared condition '${ref}'` : 'condition reference must be a string' });
      return;
    }
    ctx.refs.add(ref);
    if (opts.underNot) ctx.refsUnderNot.push({ name: ref, path: refPath });
    return;
  }
  // comparison leaf
  if (opts.root) {
    ctx.errors.push({ path: at, message: "the root of 'conditions' must be 'all', 'any', 'not' or a 'condition' reference" });
  }
  walkLeaf(node, path, ctx, opts.underNot);
}

function walkLeaf(node: Record<string, unknown>, path: PathPart[], ctx: WalkContext, underNot: boolean): void {
  const factPath = formatPath([...path, 'fact']);
  const opPath = formatPath([...path, 'operator']);
  const valuePath = formatPath([...path, 'value']);
  let fact: FactDefinition | null = null;
  if (typeof node.fact !== 'string') {
    ctx.errors.push({ path: factPath, message: 'fact must be a string' });
  } else if (!isFactName(node.fact)) {
    ctx.errors.push({ path: factPath, message: `unknown fact '${node.fact}'` });
  } else {
    fact = FACT_CATALOG[node.fact];
  }
  let op: OperatorSpec | null = null;
  if (typeof node.operator !== 'string') {
    ctx.errors.push({ path: opPath, message: 'operator must be a string' });
  } else if (!OPERATORS.has(node.operator)) {
    ctx.errors.push({ path: opPath, message: `unknown operator '${node.operator}'; allowed: ${OPERATOR_NAMES.join(', ')}` });
  } else {
    op = OPERATORS.get(node.operator)!;
  }
  if (!Object.prototype.hasOwnProperty.call(node, 'value')) {
    ctx.errors.push({ path: valuePath, message: 'value is required' });
    return;
  }
  if (!fact || !op) return;
  if (!op.factTypes.includes(fact.type)) {
    ctx.errors.push({ path: opPath, message: `operator '${op.name}' does not apply to ${fact.type} fact '${fact.name}' (applies to ${op.factTypes.join(', ')})` });
    return;
  }
  const valueFact = checkValue(node.value, fact, op, valuePath, ctx);
  if (op.nullGuard && (fact.nullable || valueFact?.nullable)) {
    const nullableName = fact.nullable ? fact.name : valueFact!.name;
    ctx.nullable.add(nullableName);
    if (underNot) {
      ctx.errors.push({
        path: fact.nullable ? factPath : valuePath,
        message: `nullable fact '${nullableName}' must not be used under 'not': a null value makes the comparison false and the 'not' true; use the opposite operator, or isKnown`,
      });
    }
  }
}

/** Checks a condition value against the fact and operator; returns the referenced fact for `{ fact }` values. */
function checkValue(value: unknown, fact: FactDefinition, op: OperatorSpec, path: string, ctx: WalkContext): FactDefinition | null {
  const err = (message: string, p = path): null => {
    ctx.errors.push({ path: p, message });
    return null;
  };
  const scalarOk = (v: unknown, p: string): boolean => {
    if (fact.type === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v)) return err(`expected a finite number for number fact '${fact.name}', got ${describe(v)}`, p) ?? false;
      return true;
    }
    if (fact.type === 'boolean') {
      if (typeof v !== 'boolean') return err(`expected a boolean for boolean fact '${fact.name}', got ${describe(v)}`, p) ?? false;
      return true;
    }
    if (typeof v !== 'string') return err(`expected a string for string fact '${fact.name}', got ${describe(v)}`, p) ?? false;
    if (fact.values && !fact.values.includes(v)) return err(`'${v}' is not a value of '${fact.name}' (${fact.values.join(', ')})`, p) ?? false;
    return true;
  };

  if ((op.valueKind === 'scalar' || op.valueKind === 'number') && isObject(value)) {
    // fact-to-fact comparison
    const keys = Object.keys(value);
    if (keys.length !== 1 || keys[0] !== 'fact') return err("a fact reference value must be exactly { \"fact\": \"<name>\" } (no path / params)");
    const other = value.fact;
    if (typeof other !== 'string' || !isFactName(other)) return err(`unknown fact '${String(other)}'`, `${path}.fact`);
    const ref = FACT_CATALOG[other];
    if (ref.type !== fact.type) return err(`cannot compare ${fact.type} fact '${fact.name}' with ${ref.type} fact '${ref.name}'`, `${path}.fact`);
    return ref;
  }
  switch (op.valueKind) {
    case 'scalar':
    case 'number':
      scalarOk(value, path);
      return null;
    case 'list':
      if (!Array.isArray(value) || value.length === 0) return err(`operator '${op.name}' needs a non-empty array value`);
      value.forEach((v, i) => scalarOk(v, `${path}[${i}]`));
      return null;
    case 'element':
      if (typeof value !== 'string') return err(`operator '${op.name}' needs a string value`);
      if (fact.values && !fact.values.includes(value)) return err(`'${value}' is not a value of '${fact.name}' (${fact.values.join(', ')})`);
      return null;
    case 'range':
      if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        return err(`operator '${op.name}' needs [low, high] (two finite numbers)`);
      }
      if (value[0] > value[1]) return err(`operator '${op.name}' needs low <= high, got [${value[0]}, ${value[1]}]`);
      return null;
    case 'boolean':
      if (typeof value !== 'boolean') return err(`operator '${op.name}' needs a boolean value`);
      return null;
  }
}

function checkEvent(event: unknown, base: PathPart[], errors: RulesetValidationIssue[]): void {
  const at = formatPath(base);
  if (!isObject(event)) {
    errors.push({ path: at, message: `event must be an object, got ${describe(event)}` });
    return;
  }
  for (const key of Object.keys(event)) {
    if (key !== 'type' && key !== 'params') errors.push({ path: formatPath([...base, key]), message: `unknown property '${key}'` });
  }
  const type = event.type;
  if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
    errors.push({ path: formatPath([...base, 'type']), message: `unknown event type '${String(type)}'; allowed: ${EVENT_TYPES.join(', ')}` });
    return;
  }
  if (!Object.prototype.hasOwnProperty.call(event, 'params')) {
    errors.push({ path: formatPath([...base, 'params']), message: `event '${type}' needs params (at least a reason)` });
    return;
  }
  const parsed = PARAMS[type as (typeof EVENT_TYPES)[number]].safeParse(event.params);
  if (!parsed.success) errors.push(...zodIssues(parsed.error, [...base, 'params']));
}

/** Finds cycles among shared conditions; returns the names on a cycle. */
function cyclicShared(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const state = new Map<string, 1 | 2>();
  const onCycle = new Set<string>();
  const visit = (n: string, stack: string[]): void => {
    state.set(n, 1);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 1) stack.slice(stack.indexOf(m)).concat(n).forEach((x) => onCycle.add(x));
      else if (!state.has(m)) visit(m, [...stack, m]);
    }
    state.set(n, 2);
  };
  for (const n of graph.keys()) if (!state.has(n)) visit(n, [n]);
  return [...onCycle];
}

function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

/**
 * Validates untrusted JSON as a ruleset. On success returns a deep-frozen copy typed as
 * {@link Ruleset}; on failure every problem found, each with its path. Never throws.
 */
export function validateRuleset(json: unknown): RulesetValidationResult {
  const top = rulesetShape.safeParse(json);
  if (!top.success) return { ok: false, errors: zodIssues(top.error, []) };
  const errors: RulesetValidationIssue[] = [];
  const shared = top.data.shared_conditions ?? {};
  const sharedNames = new Set(Object.keys(shared));
  const refsUnderNot: { name: string; path: string }[] = [];
  const sharedRefs = new Map<string, Set<string>>();
  const sharedNullable = new Map<string, Set<string>>();

  for (const [name, cond] of Object.entries(shared)) {
    const ctx: WalkContext = { errors, sharedNames, refsUnderNot, refs: new Set(), nullable: new Set() };
    walkCondition(cond, ['shared_conditions', name], ctx, { root: true, underNot: false, depth: 0 });
    sharedRefs.set(name, ctx.refs);
    sharedNullable.set(name, ctx.nullable);
  }
  for (const name of cyclicShared(sharedRefs)) {
    errors.push({ path: formatPath(['shared_conditions', name]), message: `shared condition '${name}' is part of a reference cycle` });
  }

  const firstByName = new Map<string, number>();
  top.data.rules.forEach((rule, i) => {
    const parsed = ruleShape.safeParse(rule);
    if (!parsed.success) {
      errors.push(...zodIssues(parsed.error, ['rules', i]));
      if (!isObject(rule)) return;
    }
    const r = rule as Record<string, unknown>;
    if (typeof r.name === 'string') {
      const first = firstByName.get(r.name);
      if (first !== undefined) errors.push({ path: formatPath(['rules', i, 'name']), message: `duplicate rule name '${r.name}' (first used at rules[${first}])` });
      else firstByName.set(r.name, i);
    }
    if (Object.prototype.hasOwnProperty.call(r, 'conditions')) {
      const ctx: WalkContext = { errors, sharedNames, refsUnderNot, refs: new Set(), nullable: new Set() };
      walkCondition(r.conditions, ['rules', i, 'conditions'], ctx, { root: true, underNot: false, depth: 0 });
    } else {
      errors.push({ path: formatPath(['rules', i, 'conditions']), message: 'conditions are required' });
    }
    if (Object.prototype.hasOwnProperty.call(r, 'event')) checkEvent(r.event, ['rules', i, 'event'], errors);
    else errors.push({ path: formatPath(['rules', i, 'event']), message: 'event is required' });
  });

  // shared conditions used under `not` must not (transitively) compare nullable facts
  for (const { name, path } of refsUnderNot) {
    const seen = new Set<string>();
    const stack = [name];
    const nullable = new Set<string>();
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      for (const f of sharedNullable.get(n) ?? []) nullable.add(f);
      for (const m of sharedRefs.get(n) ?? []) stack.push(m);
    }
    if (nullable.size > 0) {
      errors.push({ path, message: `shared condition '${name}' compares nullable fact(s) ${[...nullable].join(', ')} and must not be used under 'not'` });
    }
  }

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, ruleset: deepFreeze(structuredClone(json)) as Ruleset };
}
