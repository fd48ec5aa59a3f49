/** The default scorecard insurability rule set (rules/default-scorecard-ruleset.json, the stored source of truth). */
import json from './default-scorecard-ruleset.json' with { type: 'json' };
import type { ScorecardRuleset } from './scorecard-rules.ts';

export const DEFAULT_SCORECARD_RULESET: ScorecardRuleset = json as ScorecardRuleset;
