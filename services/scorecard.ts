/**
 * The validation scorecard (docs/actuarial-method.md §10): per robot model × scenario class (or
 * area) [× software version], the exposure, the observed rates with exact intervals, the
 * empirical-Bayes credibility rate shrunk toward the class, P(best in class), and an
 * insurability verdict from the scorecard rule set in force — and who sees what:
 *
 * * actuaries and underwriters: every cell;
 * * regulators: the cells that pass the linked-table disclosure control of the statistics routes
 *   (docs/disclosure-control.md; contributors = operating organizations, magnitude = hours,
 *   margins over models, class ⊂ area and versions); shrinkage and P(best) are computed from
 *   the published cells only, so a withheld cell influences nothing that is shown; the secondary
 *   measures (`SECONDARY_MEASURES`) of a published cell only when its group is clean (no withheld
 *   cell in it, `secondaryPublishable`), else null with `secondary_withheld: true`;
 * * enterprises: their own deployments' cells, each beside the market cell of the same key as a
 *   regulator would see it (null when that cell is not published).
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/connection.ts';
import * as repo from '../db/repositories/scorecard.ts';
import * as versioned from '../db/repositories/versioned.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import {
  cellPosterior, cellStatistics, fitGammaPrior, FULL_CREDIBILITY, hoursForFullCredibility, probabilityBest, type CellStatistics,
} from '../models/scorecard/index.ts';
import { limitedFluctuationCredibility } from '../models/credibility/limited-fluctuation.ts';
import { scorecardEvaluator, validateScorecardRuleset, type ScorecardRuleset } from '../rules/scorecard-rules.ts';
import { DEFAULT_SCORECARD_RULESET } from '../rules/default-scorecard-ruleset.ts';
import type { DisclosureRules, SuppressionReason } from './disclosure.ts';
import { cellId, TOTAL } from './linked-tables.ts';
import { rateAndScorecardStructures, secondaryPublishable } from './protected-tables.ts';
import { appError, notFound } from './errors.ts';
import { renderScorecardReportPdf } from '../reports/scorecard-report-pdf.ts';
import { actorOf, type Principal, type ScorecardCell, type ScorecardFacts, type Verdict } from '../domain/index.ts';

export type { ScorecardCell } from '../domain/index.ts';

export interface ScorecardRequest {
  level: repo.ScorecardLevel;
  by_software_version: boolean;
  scenario_area?: string;
  scenario_class?: string;
  robot_model?: string;
  software_version?: string;
  verdict?: Verdict;
}

export interface SuppressedCell {
  robot_model: string;
  scenario_class: string | null;
  scenario_area: string;
  software_version: string | null;
  suppressed: SuppressionReason;
}

export interface RulesetRef { id: number | null; name: string; version: string | number | null }

/**
 * The secondary measures of a cell: counts beside the hours and splits of the incidents, which no
 * LP audits (docs/disclosure-control.md §2, §3.6). Regulators (and the enterprise's market block)
 * get them only for the cells of clean groups (`secondaryPublishable`).
 */
export const SECONDARY_MEASURES = [
  'deployments', 'organizations', 'task_cycles', 'severe_incidents', 'injury_incidents', 'severe_share',
  'protective_stops_per_1000h', 'near_misses_per_1000h', 'downtime_per_1000h',
] as const;
export type SecondaryMeasure = (typeof SECONDARY_MEASURES)[number];
/** Verdict facts that are (or are computed from) secondary measures: their values in fired rules are withheld with them. */
const SECONDARY_FACTS: ReadonlySet<string> = new Set([...SECONDARY_MEASURES, 'stops_to_class_ratio', 'near_misses_to_class_ratio']);

/** A cell as a regulator sees it: the secondary measures null when withheld, and saying so. */
export type PublishedScorecardCell = Omit<ScorecardCell, SecondaryMeasure> & { [K in SecondaryMeasure]: ScorecardCell[K] | null } & { secondary_withheld: boolean };

/**
 * The published form of a cell: with `withhold`, its secondary measures and the values of the
 * verdict facts computed from them are null. The verdict, taken from the full figures, stays (an
 * actuary sees the same verdict; what it reveals: design note §7).
 */
export function publishedCell(c: ScorecardCell, withhold: boolean): PublishedScorecardCell {
  if (!withhold) return { ...c, secondary_withheld: false };
  return {
    ...c, ...Object.fromEntries(SECONDARY_MEASURES.map((k) => [k, null])) as { [K in SecondaryMeasure]: null }, secondary_withheld: true,
    fired_rules: c.fired_rules.map((f) => ({ ...f, facts: Object.fromEntries(Object.entries(f.facts).map(([k, v]) => [k, SECONDARY_FACTS.has(k) ? null : v])) })),
  };
}

const r6 = (x: number | null) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 1e6) / 1e6);

/** The scorecard rule set in force: the latest active `scorecard_rulesets` version, else the default. */
export async function scorecardRulesetInForce(db: Db, at = new Date()): Promise<{ ref: RulesetRef; ruleset: ScorecardRuleset }> {
  const row = await versioned.versionInForce(db, 'scorecard_rulesets', at);
  if (!row) return { ref: { id: null, name: DEFAULT_SCORECARD_RULESET.name, version: DEFAULT_SCORECARD_RULESET.version ?? null }, ruleset: DEFAULT_SCORECARD_RULESET };
  return { ref: { id: row.id, name: row.name, version: row.version }, ruleset: row.body as ScorecardRuleset };
}

const evaluators = new WeakMap<ScorecardRuleset, ReturnType<typeof scorecardEvaluator>>();
const evaluatorFor = (rs: ScorecardRuleset) => {
  let e = evaluators.get(rs);
  if (!e) { e = scorecardEvaluator(rs); evaluators.set(rs, e); }
  return e;
};

/**
 * Cells from totals: per class (or area) group, the method-of-moments gamma prior over the
 * group's cells with hours, each cell's posterior, P(best) and rank, then the verdict.
 */
export async function buildCells(totals: readonly repo.ScorecardTotals[], level: repo.ScorecardLevel, ruleset: ScorecardRuleset): Promise<ScorecardCell[]> {
  const evaluate = evaluatorFor(ruleset);
  const groups = new Map<string, repo.ScorecardTotals[]>();
  for (const t of totals) {
    const g = groups.get(t.group);
    if (g) g.push(t); else groups.set(t.group, [t]);
  }
  const out: ScorecardCell[] = [];
  for (const cells of groups.values()) {
    const withHours = cells.filter((c) => c.hours > 0);
    const prior = withHours.length ? fitGammaPrior(withHours.map((c) => ({ count: c.incidents, exposure: c.hours / 1000 }))) : null;
    const sumH = withHours.reduce((s, c) => s + c.hours, 0);
    const classStops = sumH > 0 ? (withHours.reduce((s, c) => s + c.protectiveStops, 0) / sumH) * 1000 : null;
    const classNm = sumH > 0 ? (withHours.reduce((s, c) => s + c.nearMisses, 0) / sumH) * 1000 : null;
    const posts = cells.map((c) => (prior && c.hours > 0 ? cellPosterior({ count: c.incidents, exposure: c.hours / 1000 }, prior) : null));
    const gammaPosts = posts.filter((p) => p && p.shape !== null);
    const pBest = gammaPosts.length === posts.length && posts.length > 0
      ? probabilityBest(posts.map((p) => ({ shape: p!.shape!, rate: p!.rateParameter! })))
      : null;
    const order = cells.map((_, i) => i).sort((a, b) => (posts[a]?.rate ?? Infinity) - (posts[b]?.rate ?? Infinity));
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      const p = posts[i];
      const st = cellStatistics(c);
      const lf = limitedFluctuationCredibility({ claims: c.incidents, p: FULL_CREDIBILITY.p, k: FULL_CREDIBILITY.k }).credibility;
      const expected = p?.rate ?? prior?.mean ?? 0;
      const full = hoursForFullCredibility(c.hours, expected);
      const classRate = prior && prior.mean >= 0 && sumH > 0 ? prior.mean : null;
      const facts: ScorecardFacts = {
        robot_model: c.robot_model,
        scenario_class: level === 'scenario_class' ? c.group : null,
        scenario_area: c.scenario_area,
        software_version: c.software_version,
        deployments: c.deployments,
        organizations: c.organizations,
        operating_hours: c.hours,
        incidents: c.incidents,
        incident_rate_per_1000h: st.incident_rate_per_1000h,
        incident_rate_ci_low: st.ci_low,
        incident_rate_ci_high: st.ci_high,
        class_rate_per_1000h: classRate,
        credibility_rate_per_1000h: p?.rate ?? null,
        rate_to_class_ratio: p && classRate ? p.rate / classRate : null,
        eb_credibility: p?.credibility ?? 0,
        lf_credibility: lf,
        hours_still_needed: full.hours_still_needed,
        severe_share: st.severe_share,
        severe_incidents: c.severeIncidents,
        injury_incidents: c.injuryIncidents,
        protective_stops_per_1000h: st.protective_stops_per_1000h,
        near_misses_per_1000h: st.near_misses_per_1000h,
        stops_to_class_ratio: st.protective_stops_per_1000h !== null && classStops ? st.protective_stops_per_1000h / classStops : null,
        near_misses_to_class_ratio: st.near_misses_per_1000h !== null && classNm ? st.near_misses_per_1000h / classNm : null,
        downtime_per_1000h: st.downtime_per_1000h,
        p_best: pBest ? pBest[i] : null,
      };
      const v = evaluate(facts);
      out.push({
        robot_model: c.robot_model, scenario_class: facts.scenario_class, scenario_area: c.scenario_area, software_version: c.software_version,
        deployments: c.deployments, organizations: c.organizations, operating_hours: r6(c.hours)!, task_cycles: c.taskCycles,
        incidents: c.incidents, severe_incidents: c.severeIncidents, injury_incidents: c.injuryIncidents,
        ...Object.fromEntries(Object.entries(st).map(([k, x]) => [k, r6(x as number | null)])) as unknown as CellStatistics,
        class_rate_per_1000h: r6(classRate),
        credibility: r6(p?.credibility ?? 0)!,
        credibility_rate_per_1000h: r6(p?.rate ?? null),
        credibility_ci_low: r6(p?.lower ?? null),
        credibility_ci_high: r6(p?.upper ?? null),
        p_best: pBest ? r6(pBest[i]) : null,
        rank_in_class: order.indexOf(i) + 1,
        lf_credibility: r6(lf)!,
        hours_for_full_credibility: r6(full.hours_for_full_credibility),
        hours_still_needed: r6(full.hours_still_needed),
        verdict: v.verdict, fired_rules: v.fired, conditions: v.conditions,
      });
    }
  }
  return out;
}

const keyOf = (c: { robot_model: string; group?: string; scenario_class?: string | null; scenario_area?: string; software_version: string | null }, level: repo.ScorecardLevel) =>
  [c.robot_model, c.group ?? (level === 'scenario_class' ? c.scenario_class : c.scenario_area), c.software_version ?? ''].join('\u0000');

/** The query the totals are taken with: robot model and version filters apply after shrinkage (the class is always whole). */
const totalsQuery = (q: ScorecardRequest, organizationId?: number): repo.ScorecardQuery => ({
  level: q.level, bySoftwareVersion: q.by_software_version, scenarioArea: q.scenario_area, scenarioClass: q.scenario_class, organizationId,
});

const keep = (q: ScorecardRequest) => (c: { robot_model: string; software_version: string | null; verdict?: Verdict }) =>
  (!q.robot_model || c.robot_model === q.robot_model)
  && (!q.software_version || c.software_version === q.software_version)
  && (!q.verdict || c.verdict === q.verdict);

/** Every cell (actuaries, underwriters). */
export async function fullScorecard(db: Db, q: ScorecardRequest) {
  const { ref, ruleset } = await scorecardRulesetInForce(db);
  const totals = await repo.scorecardTotals(db, totalsQuery(q));
  const cells = (await buildCells(totals, q.level, ruleset)).filter(keep(q));
  return { view: 'full' as const, level: q.level, by_software_version: q.by_software_version, ruleset: ref, full_credibility: FULL_CREDIBILITY, cells };
}

/**
 * The protected scorecard structure and its rows per data version and disclosure rules, built
 * with the rate structure of the statistics routes (services/protected-tables.ts
 * `buildRateAndScorecard`): finest cells robot model × scenario class × software version,
 * contributors the operating organizations, magnitude the hours (incidents a count measure),
 * primary rules, secondary suppression and the LP check, the cells shared with the statistics
 * routes fixed to their status there.
 */
async function protectedRows(db: Db, rules: DisclosureRules) {
  const joint = await rateAndScorecardStructures(db, rules);
  return { rows: joint.scorecardRows, structure: joint.scorecard, clean: secondaryPublishable(joint) };
}

/** What a regulator's response says about its disclosure control: the rules by name and the counts withheld, never the thresholds. */
const disclosureSummary = (suppressed: readonly SuppressedCell[], lpAudited: boolean) => {
  const by = (r: SuppressionReason) => suppressed.filter((c) => c.suppressed === r).length;
  return {
    method: 'linked_tables' as const, lp_audited: lpAudited,
    rules: ['min_contributors', 'dominance', 'p_percent', 'complementary'],
    protected_cells: suppressed.length,
    by_reason: { min_contributors: by('min_contributors'), dominance: by('dominance'), p_percent: by('p_percent'), complementary: by('complementary') },
  };
};

/** The published cells under disclosure control, and the withheld keys (regulators; the enterprise benchmark). */
async function publishedScorecard(db: Db, q: ScorecardRequest, rules: DisclosureRules) {
  const { ref, ruleset } = await scorecardRulesetInForce(db);
  // one SQL pass over the whole table (disclosure control needs every class, whatever the filters), always
  // by software version: the cells without the split are the version margins of the same protected
  // structure, so that no answer with the split and one without can be combined into a withheld cell
  const { rows, structure, clean } = await protectedRows(db, rules);
  const shown = rows.filter((r) => (!q.scenario_area || r.scenario_area === q.scenario_area) && (!q.scenario_class || r.scenario_class === q.scenario_class));
  const totals = repo.totalsFromOrgRows(q.by_software_version ? shown : shown.map((r) => ({ ...r, software_version: null })), q.level);
  // a cell the structure does not know is withheld (fail closed)
  const statusOf = (t: repo.ScorecardTotals): SuppressionReason | null => {
    const c = structure.cells.get(cellId([t.robot_model, t.group, q.by_software_version ? (t.software_version ?? '') : TOTAL]));
    return c ? c.status : 'complementary';
  };
  const sdc = totals.map(statusOf);
  const published = totals.filter((_, i) => sdc[i] === null);
  const suppressed: SuppressedCell[] = totals.flatMap((t, i) => (sdc[i] === null ? [] : [{
    robot_model: t.robot_model, scenario_class: q.level === 'scenario_class' ? t.group : null, scenario_area: t.scenario_area,
    software_version: t.software_version, suppressed: sdc[i]!,
  }]));
  // secondary measures only for clean groups (module doc); the verdict from the full figures of the published cell
  const cells = (await buildCells(published, q.level, ruleset)).map((c) => publishedCell(c, !clean.has(c.scenario_class ?? c.scenario_area)));
  return { ref, cells, suppressed, lpAudited: structure.lpAudited };
}

/** The regulator's scorecard: published cells only (module doc). */
export async function regulatorScorecard(db: Db, q: ScorecardRequest, rules: DisclosureRules) {
  const { ref, cells, suppressed, lpAudited } = await publishedScorecard(db, q, rules);
  const shownSuppressed = suppressed.filter(keep(q));
  return {
    view: 'regulator' as const, level: q.level, by_software_version: q.by_software_version, ruleset: ref, full_credibility: FULL_CREDIBILITY,
    disclosure: disclosureSummary(suppressed, lpAudited),
    cells: cells.filter(keep(q)), suppressed: shownSuppressed,
  };
}

/** An enterprise's own cells beside the published market cell of the same key. */
export async function enterpriseScorecard(db: Db, organizationId: number, q: ScorecardRequest, rules: DisclosureRules) {
  const [own, market] = await Promise.all([repo.scorecardTotals(db, totalsQuery(q, organizationId)), publishedScorecard(db, q, rules)]);
  const marketOf = new Map(market.cells.map((c) => [keyOf(c, q.level), c]));
  const cells = own.filter(keep(q)).map((t) => {
    const st = cellStatistics(t);
    const m = marketOf.get(keyOf(t, q.level)) ?? null;
    return {
      robot_model: t.robot_model, scenario_class: q.level === 'scenario_class' ? t.group : null, scenario_area: t.scenario_area,
      software_version: t.software_version, deployments: t.deployments, operating_hours: r6(t.hours)!, task_cycles: t.taskCycles,
      incidents: t.incidents, severe_incidents: t.severeIncidents, injury_incidents: t.injuryIncidents,
      ...Object.fromEntries(Object.entries(st).map(([k, x]) => [k, r6(x as number | null)])) as unknown as CellStatistics,
      market: m && {
        deployments: m.deployments, organizations: m.organizations, operating_hours: m.operating_hours, incidents: m.incidents,
        incident_rate_per_1000h: m.incident_rate_per_1000h, ci_low: m.ci_low, ci_high: m.ci_high,
        credibility_rate_per_1000h: m.credibility_rate_per_1000h, protective_stops_per_1000h: m.protective_stops_per_1000h,
        near_misses_per_1000h: m.near_misses_per_1000h, severe_share: m.severe_share, secondary_withheld: m.secondary_withheld, verdict: m.verdict,
      },
    };
  });
  return {
    view: 'enterprise' as const, level: q.level, by_software_version: q.by_software_version, organization_ref: null as string | null,
    disclosure: disclosureSummary(market.suppressed, market.lpAudited), cells,
  };
}

/** The view the principal's role allows (module doc). */
export async function scorecardFor(db: Db, principal: Principal, q: ScorecardRequest, rules: DisclosureRules) {
  if (principal.role === 'regulator') return regulatorScorecard(db, q, rules);
  if (principal.role === 'enterprise') {
    if (principal.organizationId === null) throw appError('FORBIDDEN', 'an enterprise key must belong to an organization');
    return { ...(await enterpriseScorecard(db, principal.organizationId, q, rules)), organization_ref: principal.organizationRef };
  }
  return fullScorecard(db, q);
}

/**
 * The verdict of every robot model in one scenario class under the rule set `ruleset` (for
 * quoting: the `scorecard_verdict` line fact). A model without exposure in the class has none.
 */
export async function classVerdicts(db: Db, scenarioClass: string, ruleset: ScorecardRuleset): Promise<Record<string, Verdict>> {
  const totals = await repo.scorecardTotals(db, { level: 'scenario_class', bySoftwareVersion: false, scenarioClass });
  const cells = await buildCells(totals, 'scenario_class', ruleset);
  return Object.fromEntries(cells.map((c) => [c.robot_model, c.verdict]));
}

// ---- scorecard rule sets ---------------------------------------------------------------------

const rsView = (r: versioned.VersionedRow) => ({
  id: r.id, name: r.name, version: r.version, status: r.status, effective_from: r.effective_from,
  created_by: r.created_by, created_at: r.created_at, ruleset: r.body as ScorecardRuleset,
});

/** Validates and stores a new scorecard rule set version (draft until activated). */
export async function createScorecardRuleset(db: Db, by: Principal | 'system', body: unknown) {
  const v = validateScorecardRuleset(body);
  if (!v.ok) {
    throw appError('VALIDATION_FAILED', `the scorecard rule set is invalid: ${v.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, {
      errors: v.errors.map((e) => ({ field: e.path, message: e.message })),
    });
  }
  const hash = createHash('sha256').update(JSON.stringify(v.ruleset)).digest('hex');
  return db.transaction(async (trx) => {
    const row = await versioned.insertVersion(trx, 'scorecard_rulesets', { name: v.ruleset.name, body: v.ruleset, created_by: actorOf(by), extra: { content_hash: hash } });
    await recordAudit(trx, { actor: actorOf(by), action: 'scorecard_ruleset.create', entity: 'scorecard_ruleset', entity_ref: `${row.name}@${row.version}`, after: { id: row.id, content_hash: hash } });
    return rsView(row);
  });
}

export async function activateScorecardRuleset(db: Db, by: Principal | 'system', id: number) {
  return db.transaction(async (trx) => {
    const r = await versioned.getVersion(trx, 'scorecard_rulesets', id, true);
    if (!r) throw notFound('scorecard rule set', String(id));
    if (r.status === 'active') throw appError('CONFLICT', `scorecard rule set ${id} is active already`);
    const row = await versioned.activateVersion(trx, 'scorecard_rulesets', id, new Date());
    await recordAudit(trx, { actor: actorOf(by), action: 'scorecard_ruleset.activate', entity: 'scorecard_ruleset', entity_ref: `${r.name}@${r.version}`, before: { status: r.status }, after: { status: 'active' } });
    return rsView(row);
  });
}

/** The scorecard report PDF in the caller's view (actuaries and underwriters: every cell; regulators: published cells). */
export async function scorecardPdf(db: Db, principal: Principal, q: ScorecardRequest, rules: DisclosureRules, creationDate?: Date): Promise<Buffer> {
  const data = principal.role === 'regulator' ? await regulatorScorecard(db, q, rules) : await fullScorecard(db, q);
  return renderScorecardReportPdf(data, { creationDate });
}
