/**
 * Model versions: the list, fit a new frequency or severity model, and one version in detail —
 * the relativities chart with 95% intervals (log scale, base level = 1) and the diagnostics —
 * with Activate for a candidate.
 */
import { useState } from 'preact/hooks';
import { api, ApiError, download, ok, type Schemas } from '../../api/client';
import { Async, ErrorBox, useAsync } from '../../components/async';
import { CiBars } from '../../components/charts';
import { Field } from '../../components/field';
import { go, href } from '../../router';
import { dateTime, humanize, money0, number, sig } from '../../format';
import { StatusBadge } from '../quotes/status';
import type { PageProps } from '../index';

type Coverage = 'robot_damage' | 'third_party_liability' | 'business_interruption';
type Factor = Schemas['FrequencyModelRequest']['factors'][number];
const COVERAGES: Coverage[] = ['robot_damage', 'third_party_liability', 'business_interruption'];
const FACTORS: Factor[] = ['scenario_area', 'scenario_class', 'form_factor', 'autonomy_level', 'human_proximity', 'protective_stop_band', 'near_miss_band'];

export function Models({ route }: PageProps) {
  return route[1] ? <ModelDetail id={Number(route[1])} /> : <ModelList />;
}

function ModelList() {
  const list = useAsync(() => ok(api.GET('/v1/models', { params: { query: { limit: 200 } } })), []);
  return (
    <section>
      <h1>Model versions</h1>
      <FitForm />
      <div class="card">
        <h2>All versions</h2>
        <Async state={list} what="model versions">
          {(page) => (page.data.length ? (
            <div class="table-wrap">
              <table class="stack">
                <thead><tr><th scope="col">Version</th><th scope="col">Kind</th><th scope="col">Coverage</th><th scope="col">Status</th><th scope="col">Summary</th><th scope="col">Fitted</th></tr></thead>
                <tbody>
                  {page.data.map((m) => (
                    <tr key={m.id}>
                      <th scope="row" data-label="Version"><a href={href('models', String(m.id))}>#{m.id}</a></th>
                      <td data-label="Kind">{m.kind}</td>
                      <td data-label="Coverage">{humanize(m.coverage)}</td>
                      <td data-label="Status"><StatusBadge status={m.status} /></td>
                      <td data-label="Summary">{m.kind === 'frequency'
                        ? `${m.summary.family.replace('_', ' ')} GLM on ${m.summary.factors.map(humanize).join(', ')}; AIC ${number(m.summary.aic)}`
                        : `best ${m.summary.best} of ${number(m.summary.n)} claims; AIC ${number(m.summary.best_aic)}`}</td>
                      <td data-label="Fitted">{dateTime(m.created_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : <p class="empty">No model has been fitted yet: fit one above.</p>)}
        </Async>
      </div>
    </section>
  );
}

function FitForm() {
  const [kind, setKind] = useState<'frequency' | 'severity'>('frequency');
  const [coverage, setCoverage] = useState<Coverage>('robot_damage');
  const [family, setFamily] = useState<'poisson' | 'negative_binomial'>('poisson');
  const [factors, setFactors] = useState<Factor[]>(['scenario_area', 'autonomy_level', 'human_proximity']);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const fieldError = (f: string) => (error instanceof ApiError ? error.fieldMessage(f) : undefined);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true); setError(null);
    try {
      const m = kind === 'frequency'
        ? await ok(api.POST('/v1/models/frequency', { body: { coverage, family, factors } }))
        : await ok(api.POST('/v1/models/severity', { body: { coverage } }));
      go('models', String(m.id));
    } catch (err) { setError(err as Error); } finally { setBusy(false); }
  };
  return (
    <form class="card" onSubmit={submit} noValidate>
      <h2>Fit a model</h2>
      {error ? <ErrorBox error={error} title="The model could not be fitted" /> : null}
      <div class="line-grid">
        <Field id="fit-kind" label="Kind">
          {(a) => <select {...a} value={kind} onChange={(e) => setKind(e.currentTarget.value as typeof kind)}><option value="frequency">Frequency (GLM)</option><option value="severity">Severity (distributions)</option></select>}
        </Field>
        <Field id="fit-coverage" label="Coverage" error={fieldError('coverage')}>
          {(a) => <select {...a} value={coverage} onChange={(e) => setCoverage(e.currentTarget.value as Coverage)}>{COVERAGES.map((c) => <option key={c} value={c}>{humanize(c)}</option>)}</select>}
        </Field>
        {kind === 'frequency' ? (
          <Field id="fit-family" label="Family" error={fieldError('family')}>
            {(a) => <select {...a} value={family} onChange={(e) => setFamily(e.currentTarget.value as typeof family)}><option value="poisson">Poisson</option><option value="negative_binomial">Negative binomial (NB2)</option></select>}
          </Field>
        ) : null}
      </div>
      {kind === 'frequency' ? (
        <fieldset>
          <legend>Rating factors</legend>
          <div class="row">
            {FACTORS.map((f) => (
              <label key={f} class="check"><input type="checkbox" checked={factors.includes(f)} onChange={(e) => setFactors(e.currentTarget.checked ? [...factors, f] : factors.filter((x) => x !== f))} />{humanize(f)}</label>
            ))}
          </div>
          {fieldError('factors') ? <p class="field-error">{fieldError('factors')}</p> : null}
        </fieldset>
      ) : null}
      <button type="submit" disabled={busy}>{busy ? 'Fitting…' : 'Fit'}</button>
    </form>
  );
}

function ModelDetail({ id }: { id: number }) {
  const model = useAsync(() => ok(api.GET('/v1/models/{id}', { params: { path: { id } } })), [id]);
  const [activated, setActivated] = useState<Schemas['ModelVersion'] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [pdfError, setPdfError] = useState<Error | null>(null);
  const activate = async () => {
    setBusy(true); setError(null);
    try { setActivated(await ok(api.POST('/v1/models/{id}/activate', { params: { path: { id } } }))); } catch (e) { setError(e as Error); } finally { setBusy(false); }
  };
  return (
    <section>
      <p class="small"><a href={href('models')}><span aria-hidden="true">← </span>Model versions</a></p>
      <Async state={model} what={`model #${id}`}>
        {(m0) => {
          const m = activated ?? m0;
          return (
            <>
              <div class="spread">
                <h1>{m.kind === 'frequency' ? 'Frequency' : 'Severity'} model #{m.id} <StatusBadge status={m.status} /></h1>
                <span class="row">
                  {m.status === 'candidate' ? <button type="button" onClick={activate} disabled={busy}>{busy ? 'Activating…' : 'Activate'}</button> : null}
                  <button type="button" class="secondary" onClick={() => download(`/v1/models/${m.id}/report.pdf`, 'application/pdf', `model-${m.id}.pdf`).catch(setPdfError)}>Report PDF</button>
                </span>
              </div>
              {activated ? <p class="notice" role="status">Activated: new quotes for {humanize(m.coverage)} use this version.</p> : null}
              {error ? <ErrorBox error={error} title="Activation failed" /> : null}
              {pdfError ? <ErrorBox error={pdfError} title="The report could not be produced" /> : null}
              <p class="muted">{humanize(m.coverage)} · fitted {dateTime(m.created_at)} by {m.created_by}{m.activated_at ? ` · active since ${dateTime(m.activated_at)}` : ''}</p>
              {m.kind === 'frequency' ? <FrequencyDetail m={m} /> : <SeverityDetail m={m} />}
            </>
          );
        }}
      </Async>
    </section>
  );
}

function FrequencyDetail({ m }: { m: Schemas['FrequencyModelVersion'] }) {
  const rows = m.terms.filter((t) => t.factor !== null);
  return (
    <>
      <div class="card">
        <h2>Relativities (base level = 1, log scale)</h2>
        <CiBars title="Relativities with 95% confidence intervals" unit="relativity" log reference={1} withheld={false}
          rows={rows.map((t) => ({ label: `${humanize(t.factor)}: ${humanize(t.level)}`, value: t.relativity, low: t.ci_low, high: t.ci_high }))} />
        <p class="small muted">Base levels: {Object.entries(m.base_levels).map(([f, l]) => `${humanize(f)} = ${humanize(l)}`).join('; ')}. Base rate {sig(m.summary.base_rate_per_1000h)} incidents per 1,000 h.</p>
      </div>
      <div class="card">
        <h2>Diagnostics</h2>
        <dl class="facts">
          <dt>Family</dt><dd>{m.summary.family.replace('_', ' ')}{m.theta !== null ? ` (θ = ${sig(m.theta)} ± ${sig(m.theta_std_error)})` : ''}</dd>
          <dt>Data</dt><dd>{number(m.data_snapshot.incidents)} incidents over {number(m.data_snapshot.operating_hours)} operating hours ({number(m.data_snapshot.rows)} {m.fitted_on === 'cells' ? 'cells' : 'exposure periods'}), {m.data_snapshot.period.from} – {m.data_snapshot.period.to}</dd>
          <dt>Deviance</dt><dd>{number(m.deviance)} on {number(m.df_residual)} d.f. (null deviance {number(m.null_deviance)})</dd>
          <dt>Pearson χ² / dispersion</dt><dd>{number(m.pearson_chi2)} / {m.dispersion === null ? '—' : sig(m.dispersion)}</dd>
          <dt>AIC / log-likelihood</dt><dd>{number(m.aic)} / {number(m.log_lik)}</dd>
          <dt>Converged</dt><dd>{m.converged ? `yes, in ${m.iterations} iterations` : 'NO'}</dd>
        </dl>
        {m.warnings.length ? <><h3>Warnings</h3><ul class="reasons">{m.warnings.map((w) => <li key={w}>{w}</li>)}</ul></> : null}
        <h3>Terms</h3>
        <div class="table-wrap">
          <table class="stack">
            <thead><tr><th scope="col">Term</th><th scope="col" class="num">Estimate</th><th scope="col" class="num">Std. error</th><th scope="col" class="num">Relativity</th><th scope="col" class="num">95% CI</th></tr></thead>
            <tbody>
              {m.terms.map((t) => (
                <tr key={t.name}>
                  <th scope="row" data-label="Term"><code>{t.name}</code></th>
                  <td class="num" data-label="Estimate">{sig(t.estimate)}</td>
                  <td class="num" data-label="Std. error">{sig(t.std_error)}</td>
                  <td class="num" data-label="Relativity">{sig(t.relativity)}</td>
                  <td class="num" data-label="95% CI">{sig(t.ci_low)}–{sig(t.ci_high)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </>
  );
}

function SeverityDetail({ m }: { m: Schemas['SeverityModelVersion'] }) {
  return (
    <div class="card">
      <h2>Fitted distributions, ranked by AIC</h2>
      <p class="small muted">{m.note}</p>
      <div class="table-wrap">
        <table class="stack">
          <thead><tr><th scope="col">Rank</th><th scope="col">Distribution</th><th scope="col" class="num">AIC</th><th scope="col" class="num">ΔAIC</th><th scope="col" class="num">KS</th><th scope="col" class="num">Mean</th><th scope="col" class="num">Median</th><th scope="col" class="num">99th pct</th></tr></thead>
          <tbody>
            {m.fits.map((f) => ('aic' in f ? (
              <tr key={f.distribution}>
                <td data-label="Rank">{f.rank}</td>
                <th scope="row" data-label="Distribution">{f.distribution}{f.distribution === m.best?.distribution ? ' (best)' : ''}</th>
                <td class="num" data-label="AIC">{number(f.aic)}</td>
                <td class="num" data-label="ΔAIC">{number(f.delta_aic)}</td>
                <td class="num" data-label="KS">{sig(f.ks)}</td>
                <td class="num" data-label="Mean">{money0(f.mean)}</td>
                <td class="num" data-label="Median">{money0(f.quantiles.p50)}</td>
                <td class="num" data-label="99th pct">{money0(f.quantiles.p99)}</td>
              </tr>
            ) : (
              <tr key={f.distribution}><td data-label="Rank">—</td><th scope="row" data-label="Distribution">{f.distribution}</th><td colSpan={6} data-label="Result">did not fit</td></tr>
            )))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
