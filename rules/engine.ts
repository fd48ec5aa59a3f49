/**
 * Evaluation of an underwriting ruleset on the facts of a quote request (docs/actuarial-method.md
 * §7) and the aggregation of the fired rules into a decision, reasons, premium loadings per
 * coverage and subjectivities.
 *
 * Two evaluators give identical results (tests check it on random facts):
 * - {@link evaluateRules} — synchronous, on the compiled ruleset (rules/compile.ts); the one to
 *   use when quoting (≈ microseconds per line);
 * - {@link evaluateRulesWithEngine} — json-rules-engine itself (one Engine per ruleset and
 *   scope, cached, runs serialised per Engine because an Engine's run status is shared), taking
 *   the fact values of the explanation from its RuleResult `factResult`s. Use it to cross-check
 *   or when json-rules-engine's own behaviour is wanted.
 *
 * Scope: a rule that references only request facts (rules/facts.ts) is evaluated once per
 * request (`line_index: null`) and its event applies to every line; any other rule is evaluated
 * once per fleet line on the line facts merged with the request facts.
 *
 * Null facts: conditions on null / missing facts are false (except `isKnown`), so rules on
 * leading indicators of an organization without history do not fire; json-rules-engine runs
 * with `allowUndefinedFacts` and the null-safe operators of rules/operators.ts.
 *
 * Aggregation: decision = `declined` if any decline fired, else `referred` if any refer, else
 * `quoted`. Loading of a coverage on a line = Π load factors × Π discount factors of the rules
 * fired on that line plus the request-level rules, whose event names that coverage or no
 * coverage (= all). Subjectivities are the distinct `require` texts in firing order.
 */
import { Engine, type RuleResult } from 'json-rules-engine';
import { COVERAGE_CODES, type CoverageCode } from '../domain/enums.ts';
import { compileRuleset, evaluateNode, factOf, leafOperands, type CompiledRule, type CompiledRuleset, type FactMap, type FactSource } from './compile.ts';
import type { FactName, FactValue, LineFacts, RequestFacts } from './facts.ts';
import { evaluateOperator, jsonRulesEngineOperators } from './operators.ts';
import type { EventParams, EventType, Ruleset } from './types.ts';

export type Decision = 'quoted' | 'referred' | 'declined';

/** One comparison of a fired rule, re-evaluated for the explanation. */
export interface ConditionTrace {
  fact: FactName;
  operator: string;
  /** The condition's value as written (`{ fact }` for a fact-to-fact comparison). */
  value: unknown;
  /** Value of `fact` (null when unknown). */
  fact_value: FactValue;
  /** The resolved right-hand side (= value, or the referenced fact's value). */
  compared_value: unknown;
  result: boolean;
}

export interface FiredRule {
  rule: string;
  description: string | null;
  priority: number;
  event_type: EventType;
  params: EventParams;
  reason: string;
  /** Fleet line the rule fired on; null for request-level rules (they apply to every line). */
  line_index: number | null;
  /** Value of EVERY fact referenced by the rule's conditions (null when unknown). */
  facts: Record<string, FactValue>;
  /** Every comparison of the rule with its values and result (comparisons under `any` may be false). */
  trace: ConditionTrace[];
}

export interface LoadingContribution {
  rule: string;
  event_type: 'load' | 'discount';
  factor: number;
  line_index: number | null;
  reason: string;
}

export interface CoverageLoading {
  coverage: CoverageCode;
  /** Product of the contributing factors (1 when none). */
  factor: number;
  contributions: LoadingContribution[];
}

export type CoverageLoadings = Record<CoverageCode, CoverageLoading>;

export interface LineEvaluation {
  line_index: number;
  /** Decision for this line, counting its own rules and the request-level rules. */
  decision: Decision;
  /** Decline then refer reasons (distinct) that apply to this line. */
  reasons: string[];
  /** Rules that fired on this line (request-level rules are in `RulesEvaluation.request_fired`). */
  fired: FiredRule[];
  /** Premium multipliers per coverage for this line (line rules × request-level rules). */
  loadings: CoverageLoadings;
  /** Distinct subjectivities that apply to this line. */
  subjectivities: string[];
}

export interface RulesEvaluation {
  ruleset: { name: string; version: string | number | null; hash: string };
  decision: Decision;
  /** Distinct decline reasons, then distinct refer reasons. */
  reasons: string[];
  /** All fired rules: request-level first, then line by line; within each, by priority then position. */
  fired: FiredRule[];
  /** Request-level rules that fired. */
  request_fired: FiredRule[];
  lines: LineEvaluation[];
  /** Distinct subjectivities of the whole quote. */
  subjectivities: string[];
}

const toFactValue = (v: unknown): FactValue => (v === undefined ? null : (v as FactValue));

function traceOf(rule: CompiledRule, src: FactSource): ConditionTrace[] {
  return rule.leaves.map((leaf) => {
    const [left, right] = leafOperands(leaf, src);
    const factValue = toFactValue(left);
    const compared = leaf.valueFact === null ? right : toFactValue(right);
    return { fact: leaf.fact, operator: leaf.operator, value: leaf.value, fact_value: factValue, compared_value: compared, result: evaluateOperator(leaf.spec, factValue, compared) };
  });
}

function firedRule(rule: CompiledRule, lineIndex: number | null, src: FactSource, factValues: Record<string, FactValue>): FiredRule {
  return {
    rule: rule.name,
    description: rule.definition.description ?? null,
    priority: rule.priority,
    event_type: rule.event.type,
    params: rule.event.params,
    reason: rule.event.params.reason,
    line_index: lineIndex,
    facts: factValues,
    trace: traceOf(rule, src),
  };
}

function factValuesOf(rule: CompiledRule, src: FactSource): Record<string, FactValue> {
  const out: Record<string, FactValue> = {};
  for (const f of rule.facts) out[f] = toFactValue(factOf(src, f));
  return out;
}

function decisionOf(fired: readonly FiredRule[]): Decision {
  if (fired.some((f) => f.event_type === 'decline')) return 'declined';
  if (fired.some((f) => f.event_type === 'refer')) return 'referred';
  return 'quoted';
}

function distinct(xs: Iterable<string>): string[] {
  return [...new Set(xs)];
}

function reasonsOf(fired: readonly FiredRule[]): string[] {
  return distinct([
    ...fired.filter((f) => f.event_type === 'decline').map((f) => f.reason),
    ...fired.filter((f) => f.event_type === 'refer').map((f) => f.reason),
  ]);
}

function subjectivitiesOf(fired: readonly FiredRule[]): string[] {
  return distinct(fired.flatMap((f) => (f.event_type === 'require' && 'text' in f.params ? [f.params.text] : [])));
}

/** Loadings per coverage from fired load / discount rules (in the given order). */
export function loadingsOf(fired: readonly FiredRule[]): CoverageLoadings {
  const out = {} as CoverageLoadings;
  for (const c of COVERAGE_CODES) out[c] = { coverage: c, factor: 1, contributions: [] };
  for (const f of fired) {
    if (f.event_type !== 'load' && f.event_type !== 'discount') continue;
    const p = f.params as { factor: number; coverage?: CoverageCode };
    for (const c of p.coverage ? [p.coverage] : COVERAGE_CODES) {
      out[c].factor *= p.factor;
      out[c].contributions.push({ rule: f.rule, event_type: f.event_type, factor: p.factor, line_index: f.line_index, reason: f.reason });
    }
  }
  return out;
}

function aggregate(compiled: CompiledRuleset, requestFired: FiredRule[], lineFired: FiredRule[][]): RulesEvaluation {
  const lines = lineFired.map((own, i): LineEvaluation => {
    const all = [...requestFired, ...own];
    return { line_index: i, decision: decisionOf(all), reasons: reasonsOf(all), fired: own, loadings: loadingsOf(all), subjectivities: subjectivitiesOf(all) };
  });
  const fired = [...requestFired, ...lineFired.flat()];
  return {
    ruleset: { name: compiled.ruleset.name, version: compiled.ruleset.version ?? null, hash: compiled.hash },
    decision: decisionOf(fired),
    reasons: reasonsOf(fired),
    fired,
    request_fired: requestFired,
    lines,
    subjectivities: subjectivitiesOf(fired),
  };
}

/** Line facts merged with request facts (for json-rules-engine, which takes one fact object). */
function mergeFacts(requestFacts: Partial<RequestFacts>, lineFacts: Partial<LineFacts>): FactMap {
  return { ...requestFacts, ...lineFacts } as FactMap;
}

const EMPTY: FactMap = Object.freeze({});

/**
 * Evaluates `ruleset` on the facts of each fleet line (`lineFacts[i]` from buildLineFacts) and
 * the request (`requestFacts` from buildRequestFacts). Hand-made partial facts are allowed:
 * a missing fact is unknown (conditions on it are false). Line-scope facts are read from
 * `lineFacts[i]` only and request-scope facts from `requestFacts` only (FACT_CATALOG scope).
 *
 * The ruleset may be raw JSON: it is validated and compiled once and cached (by object and by
 * content hash). Throws RulesetValidationError (rules/validate.ts) when it does not validate.
 */
export function evaluateRules(
  ruleset: Ruleset | unknown,
  lineFacts: readonly Partial<LineFacts>[],
  requestFacts: Partial<RequestFacts>,
): RulesEvaluation {
  const compiled = compileRuleset(ruleset);
  const request = requestFacts as FactMap;
  const requestSrc: FactSource = { line: EMPTY, request };
  const requestFired: FiredRule[] = [];
  for (const rule of compiled.requestRules) {
    if (evaluateNode(rule.node, requestSrc)) requestFired.push(firedRule(rule, null, requestSrc, factValuesOf(rule, requestSrc)));
  }
  const lineFired = lineFacts.map((lf, i) => {
    const src: FactSource = { line: lf as FactMap, request };
    const out: FiredRule[] = [];
    for (const rule of compiled.lineRules) {
      if (evaluateNode(rule.node, src)) out.push(firedRule(rule, i, src, factValuesOf(rule, src)));
    }
    return out;
  });
  return aggregate(compiled, requestFired, lineFired);
}

// ---------------------------------------------------------------------------------------------
// json-rules-engine evaluator

interface SerialEngine {
  engine: Engine;
  /** Tail of the run queue: json-rules-engine keeps one run status per Engine, so runs of one
   * Engine must not overlap (an overlapping run's end would skip the other's lower priorities). */
  tail: Promise<unknown>;
}

const engines = new WeakMap<CompiledRuleset, { line: SerialEngine; request: SerialEngine }>();

function buildEngine(compiled: CompiledRuleset, rules: readonly CompiledRule[]): SerialEngine {
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const op of jsonRulesEngineOperators()) engine.addOperator(op);
  for (const [name, cond] of Object.entries(compiled.ruleset.shared_conditions ?? {})) engine.setCondition(name, cond as never);
  for (const r of rules) {
    engine.addRule({ name: r.name, priority: r.priority, conditions: r.definition.conditions as never, event: r.definition.event });
  }
  return { engine, tail: Promise.resolve() };
}

function enginesFor(compiled: CompiledRuleset): { line: SerialEngine; request: SerialEngine } {
  let e = engines.get(compiled);
  if (!e) {
    e = { line: buildEngine(compiled, compiled.lineRules), request: buildEngine(compiled, compiled.requestRules) };
    engines.set(compiled, e);
  }
  return e;
}

function runSerial(se: SerialEngine, facts: FactMap): Promise<RuleResult[]> {
  const run = se.tail.then(() => se.engine.run(facts as Record<string, unknown>)).then((r) => r.results);
  se.tail = run.catch(() => undefined);
  return run;
}

/** Collects `factResult` (and `valueResult` of fact references) from an evaluated RuleResult tree. */
function collectFactResults(tree: unknown, out: Map<string, unknown>): void {
  if (!tree || typeof tree !== 'object') return;
  const node = tree as Record<string, unknown>;
  for (const key of ['all', 'any'] as const) {
    const children = node[key];
    if (Array.isArray(children)) for (const c of children) collectFactResults(c, out);
  }
  if (node.not) collectFactResults(node.not, out);
  if (typeof node.fact === 'string' && Object.prototype.hasOwnProperty.call(node, 'factResult')) {
    out.set(node.fact, node.factResult);
    const ref = node.value as { fact?: unknown } | null | undefined;
    if (ref && typeof ref === 'object' && typeof ref.fact === 'string' && 'valueResult' in node) out.set(ref.fact, node.valueResult);
  }
}

function firedFromResults(results: readonly RuleResult[], byName: ReadonlyMap<string, CompiledRule>, lineIndex: number | null, src: FactSource): FiredRule[] {
  const fired: FiredRule[] = [];
  for (const rr of results) {
    const rule = byName.get(rr.name);
    if (!rule) continue;
    const evaluated = new Map<string, unknown>();
    collectFactResults(rr.conditions, evaluated);
    // comparisons skipped by short-circuit have no factResult: take their values from the facts
    const values: Record<string, FactValue> = {};
    for (const f of rule.facts) values[f] = toFactValue(evaluated.has(f) ? evaluated.get(f) : factOf(src, f));
    fired.push(firedRule(rule, lineIndex, src, values));
  }
  // same order as the compiled evaluator: priority (high first), then position in the ruleset
  const order = (name: string): number => byName.get(name)!.priority * -1e6 + byName.get(name)!.index;
  return fired.sort((a, b) => order(a.rule) - order(b.rule));
}

/**
 * Same contract and result as {@link evaluateRules}, evaluated by json-rules-engine (async).
 * Throws (rejects with) RulesetValidationError when the ruleset does not validate.
 */
export async function evaluateRulesWithEngine(
  ruleset: Ruleset | unknown,
  lineFacts: readonly Partial<LineFacts>[],
  requestFacts: Partial<RequestFacts>,
): Promise<RulesEvaluation> {
  const compiled = compileRuleset(ruleset);
  const e = enginesFor(compiled);
  const byName = new Map(compiled.rules.map((r) => [r.name, r] as const));
  const request = requestFacts as FactMap;
  const [requestResults, ...lineResults] = await Promise.all([
    compiled.requestRules.length > 0 ? runSerial(e.request, request) : Promise.resolve([]),
    ...lineFacts.map((lf) => (compiled.lineRules.length > 0 ? runSerial(e.line, mergeFacts(requestFacts, lf)) : Promise.resolve([]))),
  ]);
  const requestFired = firedFromResults(requestResults, byName, null, { line: EMPTY, request });
  const lineFired = lineResults.map((results, i) => firedFromResults(results, byName, i, { line: lineFacts[i] as FactMap, request }));
  return aggregate(compiled, requestFired, lineFired);
}
