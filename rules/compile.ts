/**
 * Compilation of a validated ruleset into synchronous predicates (the fast path of
 * rules/engine.ts) and the per-ruleset cache.
 *
 * json-rules-engine evaluates every condition through promises and deep-clones each rule's
 * conditions per run (RuleResult), ≈ 1 ms for 3 lines × 16 rules; quoting needs far less
 * (research/insurance-platforms.md §2.2, issue #58 and the "compiled once" PR #433). The
 * compiled form evaluates the SAME JSON with the SAME operator functions (rules/operators.ts)
 * and the same `all` / `any` / `not` / reference semantics; tests check that both evaluators
 * agree on random facts. Shared-condition references are inlined at compile time.
 */
import { createHash } from 'node:crypto';
import { FACT_CATALOG, type FactName, type FactValue } from './facts.ts';
import { OPERATORS, evaluateOperator, type OperatorSpec } from './operators.ts';
import type { Condition, RuleDefinition, RuleEvent, Ruleset, TopLevelCondition } from './types.ts';
import { RulesetValidationError, validateRuleset } from './validate.ts';

export interface CompiledLeaf {
  kind: 'leaf';
  fact: FactName;
  operator: string;
  spec: OperatorSpec;
  /** The condition's value as written (for a fact reference: `{ fact }`). */
  value: unknown;
  /** Right-hand fact of a fact-to-fact comparison, else null. */
  valueFact: FactName | null;
  /** Whether `fact` / `valueFact` are line-scope facts (read from the line facts, else the request facts). */
  factFromLine: boolean;
  valueFactFromLine: boolean;
}
export type CompiledNode =
  | CompiledLeaf
  | { kind: 'all' | 'any'; children: CompiledNode[] }
  | { kind: 'not'; child: CompiledNode };

export interface CompiledRule {
  /** Position in `ruleset.rules`. */
  index: number;
  name: string;
  priority: number;
  /** `request` when the rule references request facts only (evaluated once per request). */
  scope: 'line' | 'request';
  node: CompiledNode;
  /** Every fact the conditions reference (incl. via shared conditions and `{ fact }` values), in order of first use. */
  facts: FactName[];
  /** Every comparison leaf, in order (for the explanation trace). */
  leaves: CompiledLeaf[];
  event: RuleEvent;
  definition: RuleDefinition;
}

export interface CompiledRuleset {
  /** The validated (deep-frozen) ruleset. */
  ruleset: Ruleset;
  /** sha-256 of the canonical JSON of the ruleset (sorted keys). */
  hash: string;
  /** All rules ordered by priority (high first), then position. */
  rules: CompiledRule[];
  lineRules: CompiledRule[];
  requestRules: CompiledRule[];
}

/** Facts handed to a predicate: any subset of the catalog (missing = undefined = unknown). */
export type FactMap = Readonly<Partial<Record<FactName, FactValue>>>;

/**
 * Where a predicate reads its facts: line-scope facts from `line`, request-scope facts from
 * `request` (kept apart rather than merged: copying ~50 properties per line per evaluation
 * dominated the run time).
 */
export interface FactSource {
  line: FactMap;
  request: FactMap;
}

/** Value of fact `name` in a source (undefined when missing). */
export function factOf(src: FactSource, name: FactName): FactValue | undefined {
  return FACT_CATALOG[name].scope === 'line' ? src.line[name] : src.request[name];
}

/** Resolved operands of a leaf: [fact value, compared value]. */
export function leafOperands(leaf: CompiledLeaf, src: FactSource): [unknown, unknown] {
  const left = leaf.factFromLine ? src.line[leaf.fact] : src.request[leaf.fact];
  const right = leaf.valueFact === null ? leaf.value : leaf.valueFactFromLine ? src.line[leaf.valueFact] : src.request[leaf.valueFact];
  return [left, right];
}

/** Evaluates a compiled condition tree on facts (json-rules-engine semantics, synchronous). */
export function evaluateNode(node: CompiledNode, src: FactSource): boolean {
  switch (node.kind) {
    case 'leaf': {
      const left = node.factFromLine ? src.line[node.fact] : src.request[node.fact];
      const right = node.valueFact === null ? node.value : node.valueFactFromLine ? src.line[node.valueFact] : src.request[node.valueFact];
      return evaluateOperator(node.spec, left, right);
    }
    case 'all':
      for (const c of node.children) if (!evaluateNode(c, src)) return false;
      return true;
    case 'any':
      for (const c of node.children) if (evaluateNode(c, src)) return true;
      return false;
    case 'not':
      return !evaluateNode(node.child, src);
  }
}

function canonicalJson(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonicalJson).join(',')}]`;
  if (typeof x === 'object' && x !== null) {
    const o = x as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(x) ?? 'null';
}

/** sha-256 (hex) of the canonical JSON of a ruleset: key order does not matter. */
export function rulesetHash(ruleset: unknown): string {
  return createHash('sha256').update(canonicalJson(ruleset)).digest('hex');
}

function compileCondition(cond: Condition, shared: Readonly<Record<string, TopLevelCondition>>): CompiledNode {
  if ('all' in cond) return { kind: 'all', children: cond.all.map((c) => compileCondition(c, shared)) };
  if ('any' in cond) return { kind: 'any', children: cond.any.map((c) => compileCondition(c, shared)) };
  if ('not' in cond) return { kind: 'not', child: compileCondition(cond.not, shared) };
  if ('condition' in cond) return compileCondition(shared[cond.condition], shared);
  const value = cond.value as unknown;
  const valueFact = typeof value === 'object' && value !== null && !Array.isArray(value) ? ((value as { fact: FactName }).fact) : null;
  const fact = cond.fact as FactName;
  return {
    kind: 'leaf',
    fact,
    operator: cond.operator,
    spec: OPERATORS.get(cond.operator)!,
    value,
    valueFact,
    factFromLine: FACT_CATALOG[fact].scope === 'line',
    valueFactFromLine: valueFact !== null && FACT_CATALOG[valueFact].scope === 'line',
  };
}

function leavesOf(node: CompiledNode, out: CompiledLeaf[] = []): CompiledLeaf[] {
  if (node.kind === 'leaf') out.push(node);
  else if (node.kind === 'not') leavesOf(node.child, out);
  else for (const c of node.children) leavesOf(c, out);
  return out;
}

function compileValidated(ruleset: Ruleset, hash: string): CompiledRuleset {
  const shared = ruleset.shared_conditions ?? {};
  const rules = ruleset.rules.map((def, index): CompiledRule => {
    const node = compileCondition(def.conditions, shared);
    const leaves = leavesOf(node);
    const facts: FactName[] = [];
    for (const l of leaves) {
      if (!facts.includes(l.fact)) facts.push(l.fact);
      if (l.valueFact !== null && !facts.includes(l.valueFact)) facts.push(l.valueFact);
    }
    const scope = facts.some((f) => FACT_CATALOG[f].scope === 'line') ? 'line' : 'request';
    return { index, name: def.name, priority: def.priority ?? 1, scope, node, facts, leaves, event: def.event, definition: def };
  });
  rules.sort((a, b) => b.priority - a.priority || a.index - b.index);
  return {
    ruleset,
    hash,
    rules,
    lineRules: rules.filter((r) => r.scope === 'line'),
    requestRules: rules.filter((r) => r.scope === 'request'),
  };
}

const byObject = new WeakMap<object, CompiledRuleset>();
const byHash = new Map<string, CompiledRuleset>();
/** Number of distinct rulesets kept by content hash (least recently used are dropped). */
export const RULESET_CACHE_SIZE = 64;

/**
 * Validates and compiles a ruleset, cached by object identity and by content hash: the same
 * ruleset object costs one WeakMap lookup; an equal ruleset parsed again (e.g. loaded from the
 * database per request) costs one hash. Throws {@link RulesetValidationError} when the ruleset
 * does not validate.
 */
export function compileRuleset(ruleset: Ruleset | unknown): CompiledRuleset {
  if (typeof ruleset === 'object' && ruleset !== null) {
    const hit = byObject.get(ruleset);
    if (hit) return hit;
  }
  const hash = rulesetHash(ruleset);
  let compiled = byHash.get(hash);
  if (compiled) {
    byHash.delete(hash); // refresh LRU position
  } else {
    const result = validateRuleset(ruleset);
    if (!result.ok) throw new RulesetValidationError(result.errors);
    compiled = compileValidated(result.ruleset, hash);
  }
  byHash.set(hash, compiled);
  while (byHash.size > RULESET_CACHE_SIZE) byHash.delete(byHash.keys().next().value as string);
  if (typeof ruleset === 'object' && ruleset !== null) byObject.set(ruleset, compiled);
  byObject.set(compiled.ruleset, compiled);
  return compiled;
}
