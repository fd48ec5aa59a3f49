/** Public API of the underwriting rules layer (pure: no database, no HTTP). */
export * from './facts.ts';
export * from './types.ts';
export * from './operators.ts';
export { validateRuleset, formatPath, RulesetValidationError, MAX_CONDITION_DEPTH, MAX_RULES } from './validate.ts';
export type { RulesetValidationIssue, RulesetValidationResult } from './validate.ts';
export { compileRuleset, rulesetHash, RULESET_CACHE_SIZE } from './compile.ts';
export type { CompiledRuleset, CompiledRule } from './compile.ts';
export * from './engine.ts';
export { DEFAULT_RULESET } from './default-ruleset.ts';
