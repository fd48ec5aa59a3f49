/**
 * Insurability rules of the validation scorecard (docs/actuarial-method.md §10): JSON in the
 * json-rules-engine rule format of the underwriting rules (rules/types.ts) — conditions `all` /
 * `any` / `not` over facts with the operators of rules/operators.ts — but over the facts of a
 * scorecard cell (rules/scorecard-facts.ts) and with one event type, `verdict`:
 *
 *   { "type": "verdict", "params": { "verdict": "not_yet_insurable", "reason": "…", "condition"?: "…" } }
 *
 * `condition` is the subjectivity a `insurable_with_conditions` verdict imposes. The verdict of a
 * cell is the most severe of the fired rules' (not_insurable > not_yet_insurable >
 * insurable_with_conditions > insurable), `insurable` when none fires. Evaluated synchronously
 * with the null-safe operators, cross-checked against json-rules-engine itself.
 */
import { Engine } from 'json-rules-engine';
import { z } from 'zod';
import { OPERATORS, evaluateOperator, jsonRulesEngineOperators } from './operators.ts';
import type { FiredVerdictRule } from '../domain/index.ts';
import { SCORECARD_FACT_CATALOG, VERDICTS, isScorecardFact, verdictRank, type FactValue, type ScorecardFacts, type Verdict } from './scorecard-facts.ts';
import { formatPath, MAX_CONDITION_DEPTH, MAX_RULES, type RulesetValidationIssue } from './validate.ts';
import type { TopLevelCondition } from './types.ts';

export interface VerdictEvent { type: 'verdict'; params: { verdict: Verdict; reason: string; condition?: string } }
export type ScorecardRule = { name: string; description?: string; priority?: number; conditions: TopLevelCondition; event: VerdictEvent };
export type ScorecardRuleset = { name: string; version?: string | number; description?: string; rules: ScorecardRule[] };

const IDENT = /^[A-Za-z0-9_.-]{1,100}$/;
const shape = z.strictObject({
  name: z.string().trim().min(1).max(200),
  version: z.union([z.string().min(1).max(50), z.number().int().nonnegative()]).optional(),
  description: z.string().max(5000).optional(),
  rules: z.array(z.strictObject({
    name: z.string().regex(IDENT, 'rule names use letters, digits, _ . - (max 100)'),
    description: z.string().max(5000).optional(),
    priority: z.number().int().min(1).max(1000).optional(),
    conditions: z.unknown(),
    event: z.strictObject({
      type: z.literal('verdict', { error: "the only event type of scorecard rules is 'verdict'" }),
      params: z.strictObject({
        verdict: z.enum(VERDICTS, { error: `verdict must be one of ${VERDICTS.join(', ')}` }),
        reason: z.string().trim().min(1, 'reason is required').max(1000),
        condition: z.string().trim().min(1).max(2000).optional(),
      }),
    }),
  })).min(1).max(MAX_RULES),
});

type Part = string | number;

/** Checks one condition node; pushes every problem with its path. */
function checkNode(node: unknown, path: Part[], depth: number, out: RulesetValidationIssue[], underNot: boolean, root: boolean): void {
  if (depth > MAX_CONDITION_DEPTH) { out.push({ path: formatPath(path), message: `conditions nest deeper than ${MAX_CONDITION_DEPTH}` }); return; }
  if (typeof node !== 'object' || node === null || Array.isArray(node)) { out.push({ path: formatPath(path), message: 'a condition must be an object' }); return; }
  const o = node as Record<string, unknown>;
  for (const k of ['all', 'any'] as const) {
    if (k in o) {
      const extra = Object.keys(o).filter((x) => x !== k && x !== 'name');
      if (extra.length) out.push({ path: formatPath(path), message: `unknown property '${extra[0]}'` });
      const list = o[k];
      if (!Array.isArray(list) || list.length === 0) { out.push({ path: formatPath([...path, k]), message: `'${k}' needs a non-empty array` }); return; }
      list.forEach((c, i) => checkNode(c, [...path, k, i], depth + 1, out, underNot, false));
      return;
    }
  }
  if ('not' in o) { checkNode(o.not, [...path, 'not'], depth + 1, out, true, false); return; }
  if ('condition' in o) { out.push({ path: formatPath([...path, 'condition']), message: 'scorecard rules have no shared conditions' }); return; }
  if (root) { out.push({ path: formatPath(path), message: 'the root must be all, any or not' }); return; }
  const extra = Object.keys(o).filter((x) => !['fact', 'operator', 'value', 'name'].includes(x));
  if (extra.length) out.push({ path: formatPath([...path, extra[0]]), message: `unknown property '${extra[0]}'` });
  const fact = o.fact;
  if (typeof fact !== 'string' || !isScorecardFact(fact)) { out.push({ path: formatPath([...path, 'fact']), message: `unknown fact '${String(fact)}'` }); return; }
  const def = SCORECARD_FACT_CATALOG[fact];
  const op = typeof o.operator === 'string' ? OPERATORS.get(o.operator) : undefined;
  if (!op) { out.push({ path: formatPath([...path, 'operator']), message: `unknown operator '${String(o.operator)}'` }); return; }
  if (!op.factTypes.includes(def.type)) { out.push({ path: formatPath([...path, 'operator']), message: `operator '${op.name}' does not apply to ${def.type} fact '${fact}'` }); return; }
  if (underNot && def.nullable && op.name !== 'isKnown') out.push({ path: formatPath([...path, 'fact']), message: `nullable fact '${fact}' under 'not' (use isKnown)` });
  const v = o.value;
  const scalarOk = (x: unknown) => typeof x === def.type;
  const ok = op.valueKind === 'number' ? typeof v === 'number' && Number.isFinite(v)
    : op.valueKind === 'scalar' ? scalarOk(v)
      : op.valueKind === 'list' ? Array.isArray(v) && v.length > 0 && v.every(scalarOk)
        : op.valueKind === 'range' ? Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number') && (v[0] as number) <= (v[1] as number)
          : op.valueKind === 'boolean' ? typeof v === 'boolean' : false;
  if (!ok) out.push({ path: formatPath([...path, 'value']), message: `value does not fit operator '${op.name}' on ${def.type} fact '${fact}'` });
}

export type ScorecardRulesetValidation = { ok: true; ruleset: ScorecardRuleset } | { ok: false; errors: RulesetValidationIssue[] };

/** Validates an uploaded scorecard rule set: shape, event params, facts, operators and values. */
export function validateScorecardRuleset(input: unknown): ScorecardRulesetValidation {
  const parsed = shape.safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => ({ path: formatPath(i.path as Part[]), message: i.message })) };
  }
  const errors: RulesetValidationIssue[] = [];
  const names = new Set<string>();
  parsed.data.rules.forEach((r, i) => {
    if (names.has(r.name)) errors.push({ path: formatPath(['rules', i, 'name']), message: `duplicate rule name '${r.name}'` });
    names.add(r.name);
    checkNode(r.conditions, ['rules', i, 'conditions'], 1, errors, false, true);
  });
  return errors.length ? { ok: false, errors } : { ok: true, ruleset: parsed.data as ScorecardRuleset };
}

export type { FiredVerdictRule } from '../domain/index.ts';

export interface CellVerdict {
  verdict: Verdict;
  fired: FiredVerdictRule[];
  /** Subjectivities of the fired insurable_with_conditions rules. */
  conditions: string[];
}

function factsOf(node: unknown, acc: Set<string>): Set<string> {
  if (typeof node !== 'object' || node === null) return acc;
  const o = node as Record<string, unknown>;
  if (typeof o.fact === 'string') acc.add(o.fact);
  for (const k of ['all', 'any']) if (Array.isArray(o[k])) for (const c of o[k] as unknown[]) factsOf(c, acc);
  if (o.not) factsOf(o.not, acc);
  return acc;
}

/** Evaluates a validated condition tree on the facts with the null-safe operators of rules/operators.ts. */
function holds(node: unknown, facts: Record<string, FactValue>): boolean {
  const o = node as Record<string, unknown>;
  if (Array.isArray(o.all)) return (o.all as unknown[]).every((c) => holds(c, facts));
  if (Array.isArray(o.any)) return (o.any as unknown[]).some((c) => holds(c, facts));
  if (o.not !== undefined) return !holds(o.not, facts);
  const spec = OPERATORS.get(String(o.operator));
  return spec !== undefined && evaluateOperator(spec, facts[String(o.fact)], o.value);
}

function verdictOf(ruleset: ScorecardRuleset, firedNames: readonly string[], facts: ScorecardFacts): CellVerdict {
  const byName = new Map(ruleset.rules.map((r) => [r.name, r]));
  const fired: FiredVerdictRule[] = firedNames.map((name) => {
    const rule = byName.get(name)!;
    const used = [...factsOf(rule.conditions, new Set())];
    return {
      rule: rule.name, verdict: rule.event.params.verdict, reason: rule.event.params.reason, condition: rule.event.params.condition ?? null,
      facts: Object.fromEntries(used.map((f) => [f, (facts as Record<string, FactValue>)[f] ?? null])),
    };
  });
  const verdict = fired.reduce<Verdict>((v, f) => (verdictRank(f.verdict) > verdictRank(v) ? f.verdict : v), 'insurable');
  const conditions = [...new Set(fired.filter((f) => f.verdict === 'insurable_with_conditions' && f.condition).map((f) => f.condition!))];
  return { verdict, fired, conditions };
}

/**
 * The evaluator of one validated rule set, synchronous (microseconds per cell): rules in
 * json-rules-engine's order (priority descending, then as written), each condition tree with the
 * operators json-rules-engine is given. {@link scorecardEvaluatorWithEngine} runs json-rules-engine
 * itself; the tests check that both agree.
 */
export function scorecardEvaluator(ruleset: ScorecardRuleset): (facts: ScorecardFacts) => CellVerdict {
  const ordered = ruleset.rules.map((r, i) => ({ r, i })).sort((a, b) => (b.r.priority ?? 1) - (a.r.priority ?? 1) || a.i - b.i).map((x) => x.r);
  return (facts) => verdictOf(ruleset, ordered.filter((r) => holds(r.conditions, facts as Record<string, FactValue>)).map((r) => r.name), facts);
}

/** The same verdicts by json-rules-engine (one Engine, runs serialised): the cross-check. */
export function scorecardEvaluatorWithEngine(ruleset: ScorecardRuleset): (facts: ScorecardFacts) => Promise<CellVerdict> {
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const op of jsonRulesEngineOperators()) engine.addOperator(op);
  for (const r of ruleset.rules) {
    engine.addRule({ name: r.name, priority: r.priority ?? 1, conditions: r.conditions as never, event: r.event });
  }
  let queue: Promise<unknown> = Promise.resolve();
  return (facts) => {
    const run = queue.then(async () => {
      const { results } = await engine.run({ ...facts });
      return verdictOf(ruleset, results.map((res) => String(res.name)), facts);
    });
    queue = run.catch(() => undefined);
    return run;
  };
}
