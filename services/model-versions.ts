/**
 * Fitting, versioning and activation of frequency and severity models on the stored
 * validation histories (docs/actuarial-method.md §2, §3). The data is aggregated in SQL
 * (db/repositories/modeling); the mathematics is in models/.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/connection.ts';
import * as modeling from '../db/repositories/modeling.ts';
import * as versions from '../db/repositories/model-versions.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import { fitGlm, GlmError, type GlmResult } from '../models/glm/index.ts';
import { fitSeverity, fitSpliced, type SeverityFit } from '../models/severity/index.ts';
import { normalQuantile } from './stats.ts';
import { appError, notFound } from './errors.ts';
import { actorOf, type CoverageCode, type FrequencyFactor, type Principal, type SeverityFamily } from '../domain/index.ts';
import type { FrequencyModelRequest, SeverityModelRequest } from '../domain/schemas/index.ts';
import type { SeverityModelName } from './pricing.ts';
import { decodeCursor } from './pagination.ts';
import { page } from './organizations.ts';

const hashOf = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex');
const Z95 = normalQuantile(0.975);

function glmFailure(e: unknown): never {
  if (e instanceof GlmError) {
    throw appError('VALIDATION_FAILED', `the model cannot be fitted on this data: ${e.message}`, {
      errors: [{ field: 'factors', message: e.message }],
      extra: { glm_error: e.code, details: e.details },
    });
  }
  throw e;
}

/** Terms with relativities exp(β) and 95% Wald intervals exp(β ± z·se). */
function termsOf(fit: GlmResult) {
  return fit.terms.map((t) => ({
    name: t.name,
    // the fit's factors are the request's
    factor: t.factor as FrequencyFactor | null,
    level: t.level,
    estimate: t.estimate,
    std_error: t.stdError,
    relativity: Math.exp(t.estimate),
    ci_low: Math.exp(t.estimate - Z95 * t.stdError),
    ci_high: Math.exp(t.estimate + Z95 * t.stdError),
  }));
}

export async function fitFrequencyModel(db: Db, by: Principal | 'system', spec: FrequencyModelRequest) {
  if (!spec.coverage === !spec.incident_types?.length) {
    throw appError('VALIDATION_FAILED', 'give either coverage or incident_types', { errors: [{ field: 'coverage', message: 'exactly one of coverage, incident_types' }] });
  }
  for (const f of Object.keys(spec.base_levels ?? {})) {
    if (!spec.factors.includes(f as FrequencyFactor)) {
      throw appError('VALIDATION_FAILED', `base level given for '${f}', which is not a factor of the model`, { errors: [{ field: `base_levels.${f}`, message: 'not one of the factors' }] });
    }
  }
  const claims = { coverage: spec.coverage, incidentTypes: spec.incident_types };
  const period = spec.period ?? {};
  const factors = spec.factors;
  let glmInput: Parameters<typeof fitGlm>[0];
  let snapshotRows: number;
  let contentHash: string;
  let totalIncidents = 0;
  let totalHours = 0;
  if (spec.family === 'poisson') {
    // Poisson with categorical factors is fitted exactly from per-cell sufficient statistics.
    const cells = await modeling.frequencyCells(db, factors, claims, period);
    if (cells.length === 0) throw appError('VALIDATION_FAILED', 'no exposure in the selected period', { errors: [{ field: 'period', message: 'no exposure periods' }] });
    const response = Float64Array.from(cells, (c) => c.incidents);
    const exposure = Float64Array.from(cells, (c) => c.hours);
    glmInput = {
      family: 'poisson', response, exposure,
      factors: Object.fromEntries(factors.map((f, k) => [f, cells.map((c) => c.levels[k])])),
      baseLevels: spec.base_levels,
    };
    snapshotRows = cells.reduce((s, c) => s + c.periods, 0);
    totalIncidents = cells.reduce((s, c) => s + c.incidents, 0);
    totalHours = cells.reduce((s, c) => s + c.hours, 0);
    contentHash = hashOf(cells);
  } else {
    const rows = await modeling.frequencyRows(db, factors, claims, period);
    if (rows.hours.length === 0) throw appError('VALIDATION_FAILED', 'no exposure in the selected period', { errors: [{ field: 'period', message: 'no exposure periods' }] });
    glmInput = {
      family: 'negative_binomial', response: rows.incidents, exposure: rows.hours,
      factors: Object.fromEntries(factors.map((f, k) => [f, rows.levels[k]])),
      baseLevels: spec.base_levels,
    };
    snapshotRows = rows.hours.length;
    for (let i = 0; i < rows.hours.length; i++) { totalIncidents += rows.incidents[i]; totalHours += rows.hours[i]; }
    contentHash = hashOf([Array.from(rows.incidents), Array.from(rows.hours), rows.levels]);
  }
  let fit: GlmResult;
  try {
    fit = await fitGlm(glmInput);
  } catch (e) {
    glmFailure(e);
  }
  const range = await modeling.exposureRange(db, period);
  const result = frequencyResult(spec, fit, totalIncidents, totalHours);
  const snapshot = { rows: snapshotRows, incidents: totalIncidents, operating_hours: totalHours, period: range, content_hash: contentHash };
  const row = await store(db, by, { kind: 'frequency', coverage: spec.coverage ?? null, spec, result, data_snapshot: snapshot });
  return frequencyView(row);
}

/** What a frequency model version stores as its result. */
function frequencyResult(spec: FrequencyModelRequest, fit: GlmResult, totalIncidents: number, totalHours: number) {
  const intercept = fit.terms.find((t) => t.factor === null)!;
  return {
    summary: {
      family: spec.family, coverage: spec.coverage ?? null, incident_types: spec.incident_types ?? null, factors: spec.factors,
      incidents: totalIncidents, operating_hours: totalHours, aic: fit.aic, deviance: fit.deviance,
      theta: fit.theta ?? null, converged: fit.converged,
      base_rate_per_1000h: Math.exp(intercept.estimate) * 1000,
    },
    terms: termsOf(fit),
    theta: fit.theta ?? null,
    theta_std_error: fit.thetaStdError ?? null,
    deviance: fit.deviance,
    null_deviance: fit.nullDeviance,
    df_residual: fit.dfResidual,
    log_lik: fit.logLik,
    aic: fit.aic,
    pearson_chi2: fit.pearsonChi2,
    dispersion: fit.dfResidual > 0 ? fit.pearsonChi2 / fit.dfResidual : null,
    iterations: fit.iterations,
    converged: fit.converged,
    fitted_on: spec.family === 'poisson' ? 'cells' as const : 'exposure_periods' as const,
    base_levels: fit.baseLevels,
    levels: Object.fromEntries(Object.entries(fit.levels).map(([f, ls]) => [f, ls.map((l) => ({
      level: l.level, is_base: l.isBase, rows: l.rows, operating_hours: l.exposure, incidents: l.response,
    }))])),
    warnings: fit.warnings,
    rate_unit: 'per operating hour (offset log(hours)); base_rate_per_1000h = 1000·exp(intercept)',
  };
}
type FrequencyResult = ReturnType<typeof frequencyResult>;
type FrequencySnapshot = { rows: number; incidents: number; operating_hours: number; period: modeling.PeriodRange; content_hash: string };

const fitView = (f: SeverityFit) => ({
  params: f.params,
  standard_errors: f.standardErrors,
  loglik: f.logLik,
  aic: f.aic,
  bic: f.bic,
  ks: f.ks,
  ad: f.ad,
  n: f.n,
  converged: f.converged,
  mean: f.model.mean(),
  quantiles: { p50: f.model.quantile(0.5), p90: f.model.quantile(0.9), p99: f.model.quantile(0.99) },
});

type FitView = ReturnType<typeof fitView>;
/** A fitted family (plain: ranked by AIC; spliced: with its body and threshold). */
type FittedView = FitView & { distribution: SeverityModelName; ok: true; rank?: number; delta_aic?: number; body?: SeverityFamily; threshold?: number };
type FailedView = { distribution: SeverityFamily; ok: false; error: string };
type SeverityBest = { distribution: SeverityModelName; params: Record<string, number>; body?: SeverityFamily };

export async function fitSeverityModel(db: Db, by: Principal | 'system', spec: SeverityModelRequest) {
  const losses = await modeling.coverageLosses(db, spec.coverage, spec.period ?? {});
  if (losses.length < 10) {
    throw appError('VALIDATION_FAILED', `only ${losses.length} losses under ${spec.coverage}: at least 10 are needed to fit a severity model`, { errors: [{ field: 'coverage', message: 'too few losses' }] });
  }
  const data = losses.map((l) => ({ amount: l.amount, open: l.open }));
  const comparison = fitSeverity(data, { distributions: spec.distributions });
  const fits: Array<FittedView | FailedView> = comparison.fits.map((o): FittedView | FailedView =>
    o.ok ? { distribution: o.distribution, ok: true, rank: o.rank, delta_aic: o.deltaAic, ...fitView(o.fit) } : { distribution: o.distribution, ok: false, error: o.error });
  // the best fit is one of the candidates asked for
  const bestPlain = comparison.best ? { family: comparison.best.distribution as SeverityFamily, fit: comparison.best } : null;
  let best: SeverityBest | null = bestPlain ? { distribution: bestPlain.family, params: bestPlain.fit.params } : null;
  if (spec.threshold !== undefined) {
    const above = data.filter((d) => d.amount > spec.threshold!).length;
    // the body is fitted below the threshold as the tail above it: 10 losses on each side
    if (above < 10 || data.length - above < 10) {
      throw appError('VALIDATION_FAILED', `threshold ${spec.threshold} leaves ${above} of ${data.length} losses above it: a spliced fit needs at least 10 above and 10 at or below`, { errors: [{ field: 'threshold', message: 'too few losses above or below' }] });
    }
    const body: SeverityFamily = bestPlain && bestPlain.family !== 'exponential' ? bestPlain.family : 'lognormal';
    let spliced: ReturnType<typeof fitSpliced>;
    try {
      spliced = fitSpliced(data, { threshold: spec.threshold, body: body as 'lognormal' });
    } catch (e) {
      // the fitter refuses data it cannot fit (degenerate body or tail): the threshold does not suit these losses
      if (!(e instanceof RangeError)) throw e;
      throw appError('VALIDATION_FAILED', `no spliced fit at threshold ${spec.threshold}: ${e.message}`, { errors: [{ field: 'threshold', message: 'the losses cannot be fitted with this threshold' }] });
    }
    fits.push({ distribution: 'spliced', ok: true, body, threshold: spec.threshold, ...fitView(spliced as unknown as SeverityFit) });
    if (best === null || spliced.aic < (comparison.best?.aic ?? Infinity)) best = { distribution: 'spliced', params: spliced.params, body };
  }
  const okFits = fits.filter((f): f is FittedView => f.ok);
  okFits.sort((a, b) => a.aic - b.aic);
  const result: SeverityResult = {
    summary: { coverage: spec.coverage, n: losses.length, open_claims: comparison.openCount, best: best?.distribution ?? null, best_aic: okFits[0]?.aic ?? null },
    best,
    fits,
    open_claims: comparison.openCount,
    includes_open_claims: comparison.includesOpenClaims,
    note: 'open incidents count at paid + case reserve, allocated to coverages in proportion to their loss lines',
  };
  const range = await modeling.exposureRange(db, spec.period ?? {});
  const snapshot: SeveritySnapshot = { rows: losses.length, open: comparison.openCount, total_incurred: losses.reduce((s, l) => s + l.amount, 0), period: range, content_hash: hashOf(losses) };
  return severityView(await store(db, by, { kind: 'severity', coverage: spec.coverage, spec, result, data_snapshot: snapshot }));
}
type SeverityResult = {
  summary: { coverage: CoverageCode; n: number; open_claims: number; best: SeverityModelName | null; best_aic: number | null };
  best: SeverityBest | null;
  fits: Array<FittedView | FailedView>;
  open_claims: number;
  includes_open_claims: boolean;
  note: string;
};
type SeveritySnapshot = { rows: number; open: number; total_incurred: number; period: modeling.PeriodRange; content_hash: string };

interface NewVersion { kind: 'frequency' | 'severity'; coverage: CoverageCode | null; spec: object; result: object; data_snapshot: object }

async function store(db: Db, by: Principal | 'system', m: NewVersion) {
  return db.transaction(async (trx) => {
    const row = await versions.insertModelVersion(trx, {
      kind: m.kind, coverage: m.coverage, spec: m.spec as Record<string, unknown>, result: m.result as Record<string, unknown>,
      data_snapshot: m.data_snapshot as Record<string, unknown>, created_by: actorOf(by),
    });
    await recordAudit(trx, { actor: actorOf(by), action: 'model.fit', entity: 'model_version', entity_ref: String(row.id), after: { kind: m.kind, coverage: m.coverage, spec: m.spec } });
    return row;
  });
}

// Stored JSON (spec, result, data_snapshot) is what fitFrequencyModel / fitSeverityModel wrote.
const common = (r: Omit<versions.ModelVersionRow, 'result'>) => ({
  id: r.id, coverage: r.coverage, status: r.status, created_by: r.created_by, created_at: r.created_at, activated_at: r.activated_at,
});
const frequencyView = (r: versions.ModelVersionRow) => ({
  ...common(r), kind: 'frequency' as const, spec: r.spec as FrequencyModelRequest, data_snapshot: r.data_snapshot as FrequencySnapshot,
  ...(r.result as FrequencyResult),
});
const severityView = (r: versions.ModelVersionRow) => ({
  ...common(r), kind: 'severity' as const, spec: r.spec as SeverityModelRequest, data_snapshot: r.data_snapshot as SeveritySnapshot,
  ...(r.result as SeverityResult),
});
const view = (r: versions.ModelVersionRow) => (r.kind === 'frequency' ? frequencyView(r) : severityView(r));

/** A model version in a list: its summary, not its terms or fits. */
const listView = (r: versions.ListedModelVersionRow) => (r.kind === 'frequency'
  ? { ...common(r), kind: 'frequency' as const, spec: r.spec as FrequencyModelRequest, data_snapshot: r.data_snapshot as FrequencySnapshot, summary: r.summary as FrequencyResult['summary'] }
  : { ...common(r), kind: 'severity' as const, spec: r.spec as SeverityModelRequest, data_snapshot: r.data_snapshot as SeveritySnapshot, summary: r.summary as SeverityResult['summary'] });

export async function getModel(db: Db, id: number) {
  const r = await versions.getModelVersion(db, id);
  if (!r) throw notFound('model version', String(id));
  return view(r);
}

export async function listModels(db: Db, f: { kind?: string; coverage?: string; status?: string; cursor?: string; limit: number }) {
  const rows = await versions.listModelVersions(db, { ...f, afterId: decodeCursor(f.cursor), limit: f.limit + 1 });
  return page(rows, f.limit, listView);
}

export async function activateModel(db: Db, by: Principal | 'system', id: number) {
  return db.transaction(async (trx) => {
    const m = await versions.getModelVersion(trx, id, true);
    if (!m) throw notFound('model version', String(id));
    if (m.status === 'active') return view(m);
    if (m.status === 'retired') throw appError('CONFLICT', `model version ${id} is retired; fit a new version instead`);
    if (m.coverage === null) throw appError('CONFLICT', `model version ${id} is fitted on incident types, not on a coverage, and cannot price a coverage`);
    const before = await versions.activeModelVersion(trx, m.kind, m.coverage);
    const row = await versions.activateModelVersion(trx, m);
    await recordAudit(trx, { actor: actorOf(by), action: 'model.activate', entity: 'model_version', entity_ref: String(id), before: before ? { active: before.id } : null, after: { active: id, kind: m.kind, coverage: m.coverage } });
    return view(row!);
  });
}

/** Fits used by the demo seed and exposed for tests. */
export const internal = { store };
