/**
 * The default underwriting ruleset (rules/default-ruleset.json), typed. The JSON is the source
 * of truth (it is what gets stored and versioned); tests check that it passes validateRuleset.
 */
import json from './default-ruleset.json' with { type: 'json' };
import type { Ruleset } from './types.ts';

export const DEFAULT_RULESET: Ruleset = json as Ruleset;
