/**
 * Whole-book re-rating: the stored quotes of a period re-rated under a candidate rating plan,
 * and the dislocation that would cause (services/impact-summary.ts).
 *
 * Each stored quote keeps its request, catalog rows, experience and credibility inputs (as
 * stored in its worksheet) and gets the candidate plan's loadings, rule set and models; the
 * current engine prices it. So the report isolates the effect of the plan change (and of any
 * engine change since the quote: `versions.pricing_engine` of old quotes may differ).
 *
 * Loadings-only plans: when the candidate differs from a quote's own plan only in its loadings
 * (expense, commission, profit, cost of capital, tax, minimum premium) — same models, rule set
 * and options — and the quote was priced by the current engine, its aggregate is unchanged, so
 * the quote is re-priced by arithmetic on its stored aggregate basis (`repriceWithLoadings`,
 * equal to the full engine to the cent) and keeps its rule decision; microseconds instead of
 * the engine's ~15 ms. Every other quote runs through the full engine. The report counts both.
 *
 * A job runs in the API process that accepted it (asynchronously, yielding to the event loop
 * every ~20 ms so the process keeps answering), and writes its progress, heartbeat and result to
 * `impact_jobs`: any process answers `GET /v1/impact-jobs/{id}`. A job whose process ended stops
 * beating and is shown as `abandoned`; start a new one (nothing else to clean up: it only reads
 * quotes).
 */
import type { Db } from '../db/connection.ts';
import * as repo from '../db/repositories/impact-jobs.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import { addDays } from '../domain/calendar.ts';
import { actorOf, type Principal } from '../domain/index.ts';
import { appError, notFound } from './errors.ts';
import { PRICING_ENGINE, rate, repriceWithLoadings, type RatingInputs } from './pricing.ts';
import { getVersion } from '../db/repositories/versioned.ts';
import { canonicalJson } from '../reports/canonical-json.ts';
import type { RatingPlanRequest } from '../domain/schemas/index.ts';
import { planRatingInputs } from './quotes.ts';
import { ImpactAccumulator, impactReportCsv, type Decision, type ImpactReport } from './impact-summary.ts';

/** Quotes read per query (and per progress update). */
const BATCH = 500;
/** A running job with no heartbeat for this long belongs to a process that ended. */
const ABANDONED_AFTER_MS = 120_000;
/** Longest stretch of rating between two yields to the event loop. */
const SLICE_MS = 20;

export interface ImpactPeriod { from: string; to: string }

function view(j: repo.ImpactJobRow, now = new Date()) {
  const abandoned = j.status === 'running' && now.getTime() - new Date(j.heartbeat_at).getTime() > ABANDONED_AFTER_MS;
  return {
    id: j.id, rating_plan_id: j.rating_plan_id, period: { from: j.period_from, to: j.period_to },
    status: abandoned ? 'abandoned' as const : j.status,
    total: j.total, done: j.done, progress: j.total > 0 ? j.done / j.total : 1,
    created_by: j.created_by, created_at: j.created_at, heartbeat_at: j.heartbeat_at, finished_at: j.finished_at,
    error: j.error, result: (j.result as ImpactReport | null) ?? null,
  };
}
export type ImpactJobView = ReturnType<typeof view>;

/**
 * Creates a job re-rating the quotes created from `from` to `to` (UTC days, inclusive) under
 * rating plan `planId` (any status), and starts it in this process. Returns at once.
 * @throws NOT_FOUND (plan), VALIDATION_FAILED (to before from).
 */
export async function startImpact(db: Db, p: Principal | 'system', planId: number, period: ImpactPeriod, onProgress?: (done: number, total: number) => void): Promise<{ job: ImpactJobView; finished: Promise<void> }> {
  if (period.to < period.from) throw appError('VALIDATION_FAILED', 'to is before from', { errors: [{ field: 'to', message: 'before from' }] });
  const candidate = await planRatingInputs(db, planId);
  const start = `${period.from}T00:00:00Z`;
  const end = `${addDays(period.to, 1)}T00:00:00Z`;
  const total = await repo.countQuotesCreated(db, start, end);
  const row = await repo.insertImpactJob(db, { rating_plan_id: planId, period_from: period.from, period_to: period.to, total, created_by: actorOf(p) });
  await recordAudit(db, { actor: actorOf(p), action: 'rating_plan.impact', entity: 'rating_plan', entity_ref: `${candidate.plan.name}@${candidate.plan.version}`, after: { job: row.id, period, quotes: total } });
  const finished = runImpact(db, row.id, candidate, start, end, total, onProgress).catch(async (e: unknown) => {
    await repo.finishImpactJob(db, row.id, { status: 'failed', error: e instanceof Error ? e.message : String(e) }).catch(() => undefined);
  });
  return { job: view(row), finished };
}

/** The parts of a plan other than loadings that a premium depends on (models, rule set, credibility switch). */
const aggregateKey = (body: RatingPlanRequest) => canonicalJson({ coverages: body.coverages, ruleset_id: body.ruleset_id, experience_credibility: body.experience_credibility });

async function runImpact(db: Db, id: number, candidate: Pick<RatingInputs, 'plan' | 'ruleset' | 'models'>, from: string, end: string, total: number, onProgress?: (done: number, total: number) => void): Promise<void> {
  const acc = new ImpactAccumulator();
  const candidateKey = aggregateKey(candidate.plan.body);
  // per stored plan id: does the candidate change only its loadings?
  const loadingsOnly = new Map<number, boolean>();
  const sameAggregate = async (planId: number | undefined): Promise<boolean> => {
    if (typeof planId !== 'number') return false;
    let same = loadingsOnly.get(planId);
    if (same === undefined) {
      const row = await getVersion(db, 'rating_plans', planId);
      same = row ? aggregateKey(row.body as RatingPlanRequest) === candidateKey : false;
      loadingsOnly.set(planId, same);
    }
    return same;
  };
  let afterId = 0;
  let done = 0;
  let slice = performance.now();
  for (;;) {
    const rows = await repo.storedQuoteBases(db, from, end, afterId, BATCH);
    if (rows.length === 0) break;
    const viaEngine: number[] = [];
    for (const q of rows) {
      if (!(q.aggregate && q.versions?.pricing_engine === PRICING_ENGINE && await sameAggregate(q.versions.rating_plan?.id))) viaEngine.push(q.id);
    }
    const full = viaEngine.length ? new Map((await repo.storedQuotesForRerating(db, from, end, 0, 0, viaEngine)).map((q) => [q.id, q])) : new Map();
    for (const q of rows) {
      const stored = full.get(q.id);
      if (stored) rerateOne(acc, stored, candidate);
      else repriceOne(acc, q, candidate.plan.body.loadings);
      if (performance.now() - slice > SLICE_MS) {
        await new Promise((r) => setImmediate(r));
        slice = performance.now();
      }
    }
    afterId = rows[rows.length - 1].id;
    done += rows.length;
    await repo.recordImpactProgress(db, id, done);
    onProgress?.(done, total);
  }
  await repo.finishImpactJob(db, id, { status: 'done', done, result: acc.report() });
}

/** Old and new gross premium per (line, coverage), with the line's scenario class. */
function lineChanges(fleet: readonly { scenario_class: string }[], oldLines: readonly { line: number; coverage: string; gross_premium: number }[], newLines: readonly { line: number; coverage: string; gross_premium: number }[]) {
  const oldByKey = new Map(oldLines.map((l) => [`${l.line}|${l.coverage}`, l.gross_premium]));
  const newByKey = new Map(newLines.map((l) => [`${l.line}|${l.coverage}`, l.gross_premium]));
  const keys = new Set([...oldByKey.keys(), ...newByKey.keys()]);
  return [...keys].map((k) => {
    const [line, coverage] = k.split('|');
    return { scenarioClass: fleet[Number(line) - 1]?.scenario_class ?? 'unknown', coverage, oldPremium: oldByKey.get(k) ?? 0, newPremium: newByKey.get(k) ?? 0 };
  });
}

/** A quote whose aggregate the candidate does not change: arithmetic on its stored basis; its rule decision stays. */
function repriceOne(acc: ImpactAccumulator, q: repo.StoredQuoteBasis, loadings: RatingPlanRequest['loadings']): void {
  let premium: ReturnType<typeof repriceWithLoadings>;
  try {
    premium = repriceWithLoadings({ aggregate: q.aggregate as never, lines: q.lines, fleet: q.fleet }, loadings);
  } catch (e) {
    acc.fail(e instanceof Error ? e.message.slice(0, 160) : 'rating failed');
    return;
  }
  acc.add({
    ref: q.ref, organization_ref: q.organization_ref,
    oldPremium: q.gross_premium, newPremium: premium.total.gross_premium,
    oldDecision: q.decision, newDecision: q.decision,
    lines: lineChanges(q.fleet, q.lines, premium.lines),
  }, 'stored_aggregate');
}

function rerateOne(acc: ImpactAccumulator, q: repo.StoredQuoteForRerating, candidate: Pick<RatingInputs, 'plan' | 'ruleset' | 'models'>): void {
  const inputs = {
    request: q.request, organization_ref: q.organization_ref, experience: q.experience, credibility: q.credibility,
    scenario_classes: q.scenario_classes, robot_models: q.robot_models,
    ...(q.scorecard_verdicts ? { scorecard_verdicts: q.scorecard_verdicts } : {}), ...candidate,
  } as unknown as RatingInputs;
  let result: ReturnType<typeof rate>['result'];
  try {
    result = rate(inputs).result;
  } catch (e) {
    acc.fail(e instanceof Error ? e.message.slice(0, 160) : 'rating failed');
    return;
  }
  const fleet = (q.request as { fleet: { scenario_class: string }[] }).fleet;
  acc.add({
    ref: q.ref, organization_ref: q.organization_ref,
    oldPremium: q.gross_premium, newPremium: result.premium.total.gross_premium,
    oldDecision: q.decision, newDecision: result.decision as Decision,
    lines: lineChanges(fleet, q.lines ?? [], result.premium.lines),
  }, 'engine');
}

export async function getImpact(db: Db, id: number): Promise<ImpactJobView> {
  const j = await repo.getImpactJob(db, id);
  if (!j) throw notFound('impact job', String(id));
  return view(j);
}

/** CSV of a finished job's report (header row only while it runs). */
export function impactCsv(result: ImpactReport | null): string {
  return result ? impactReportCsv(result) : 'section,key,quotes,old_premium,new_premium,change,relative_change\r\n';
}
