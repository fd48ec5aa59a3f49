/**
 * The risk dashboard (regulators; actuaries see the same page): incident rates by area or class
 * with exact 95% intervals, the monthly trend, severity quantiles, loss ratios and the validation
 * scorecard. Every figure comes disclosure-controlled from the API; protected cells are marked
 * and explained, never shown as zero. CSV of each table and the PDF report download with the key.
 */
import { useState } from 'preact/hooks';
import { api, download, ok } from '../../api/client';
import { Async, ErrorBox, useAsync } from '../../components/async';
import { CiBars, TrendChart } from '../../components/charts';
import { DisclosureNote, Lock, ProtectedBadge } from '../../components/protected';
import { humanize, money0, number, percent, sig } from '../../format';

type Coverage = 'robot_damage' | 'third_party_liability' | 'business_interruption';

function Download({ label, path, accept, name }: { label: string; path: string; accept: string; name: string }) {
  const [state, setState] = useState<{ busy: boolean; error: Error | null; done: string | null }>({ busy: false, error: null, done: null });
  const run = async () => {
    setState({ busy: true, error: null, done: null });
    try { setState({ busy: false, error: null, done: await download(path, accept, name) }); } catch (e) { setState({ busy: false, error: e as Error, done: null }); }
  };
  return (
    <span class="download">
      <button type="button" class="secondary" onClick={run} disabled={state.busy}>{state.busy ? 'Preparing…' : label}</button>
      {state.done ? <span class="small muted" role="status"> saved {state.done}</span> : null}
      {state.error ? <ErrorBox error={state.error} title={`${label} failed`} /> : null}
    </span>
  );
}

export function Dashboard() {
  return (
    <section>
      <div class="spread">
        <h1>Risk dashboard</h1>
        <Download label="PDF report" path="/v1/statistics/report.pdf" accept="application/pdf" name="risk-statistics.pdf" />
      </div>
      <p class="muted">Market-wide figures for humanoid robots at work, all organizations pooled. Cells from which one organization’s figures could be
        read or derived are <span class="protected"><Lock />protected</span>: withheld, and the reason given.</p>
      <div class="grid2">
        <IncidentRates />
        <Trend />
      </div>
      <Severity />
      <LossRatios />
      <Scorecard />
    </section>
  );
}

function IncidentRates() {
  const [by, setBy] = useState<'scenario_area' | 'scenario_class'>('scenario_area');
  const state = useAsync(() => ok(api.GET('/v1/statistics/incident-rates', { params: { query: { group_by: [by] } } })), [by]);
  return (
    <div class="card">
      <div class="spread">
        <h2 id="rates-h">Incident rates per 1,000 operating hours</h2>
        <Download label="CSV" path={`/v1/statistics/incident-rates?group_by=${by}`} accept="text/csv" name="incident-rates.csv" />
      </div>
      <div class="field" style="max-width: 16rem">
        <label for="rates-by">Group by</label>
        <select id="rates-by" value={by} onChange={(e) => setBy(e.currentTarget.value as typeof by)}>
          <option value="scenario_area">Scenario area</option>
          <option value="scenario_class">Scenario class</option>
        </select>
      </div>
      <Async state={state} what="incident rates">
        {(t) => (
          <>
            <CiBars title="Incident rates per 1,000 operating hours with 95% intervals" unit="incidents per 1,000 h"
              rows={t.cells.map((c) => ({ label: humanize((by === 'scenario_area' ? c.scenario_area : c.scenario_class) ?? ''), value: c.rate_per_1000h, low: c.ci_low, high: c.ci_high, note: c.suppressed }))} />
            {'disclosure' in t ? <DisclosureNote disclosure={t.disclosure} /> : null}
          </>
        )}
      </Async>
    </div>
  );
}

function Trend() {
  const state = useAsync(() => ok(api.GET('/v1/statistics/incident-rates', { params: { query: { group_by: ['period'], period_unit: 'month' } } })), []);
  return (
    <div class="card">
      <div class="spread">
        <h2>Monthly trend</h2>
        <Download label="CSV" path="/v1/statistics/incident-rates?group_by=period&period_unit=month" accept="text/csv" name="incident-rates-monthly.csv" />
      </div>
      <Async state={state} what="the monthly trend">
        {(t) => (t.cells.length ? (
          <>
            <TrendChart title="Incident rate per 1,000 operating hours by month" unit="incidents per 1,000 h"
              points={t.cells.map((c) => ({ label: c.period ?? '', value: c.rate_per_1000h, low: c.ci_low, high: c.ci_high }))} />
            <DisclosureNote disclosure={t.disclosure} />
          </>
        ) : <p class="empty">No exposure recorded yet.</p>)}
      </Async>
    </div>
  );
}

function Severity() {
  const [coverage, setCoverage] = useState<Coverage>('robot_damage');
  const state = useAsync(() => ok(api.GET('/v1/statistics/severity', { params: { query: { coverage } } })), [coverage]);
  return (
    <div class="card">
      <div class="spread">
        <h2>Claim severity by scenario area</h2>
        <Download label="CSV" path={`/v1/statistics/severity?coverage=${coverage}`} accept="text/csv" name="severity.csv" />
      </div>
      <div class="field" style="max-width: 16rem">
        <label for="sev-cov">Coverage</label>
        <select id="sev-cov" value={coverage} onChange={(e) => setCoverage(e.currentTarget.value as Coverage)}>
          <option value="robot_damage">Robot damage</option>
          <option value="third_party_liability">Third-party liability</option>
          <option value="business_interruption">Business interruption</option>
        </select>
      </div>
      <Async state={state} what="severity">
        {(t) => (t.cells.length ? (
          <>
            <div class="table-wrap">
              <table class="stack">
                <caption class="small muted" style="text-align:left">Amounts in CNY; open claims at paid + case reserve</caption>
                <thead><tr><th scope="col">Scenario area</th><th scope="col" class="num">Claims</th><th scope="col" class="num">Mean</th><th scope="col" class="num">Median</th><th scope="col" class="num">90th pct</th><th scope="col" class="num">99th pct</th><th scope="col" class="num">Share open</th></tr></thead>
                <tbody>
                  {t.cells.map((c) => (
                    <tr key={c.scenario_area} class={c.suppressed ? 'protected-cell' : ''}>
                      <th scope="row" data-label="Area">{humanize(c.scenario_area)}</th>
                      {c.suppressed ? <td colSpan={6} data-label="Figures"><ProtectedBadge reason={c.suppressed} /></td> : (
                        <>
                          <td class="num" data-label="Claims">{number(c.claims)}</td>
                          <td class="num" data-label="Mean">{money0(c.mean)}</td>
                          <td class="num" data-label="Median">{money0(c.median)}</td>
                          <td class="num" data-label="90th pct">{c.p90 === null ? <ProtectedBadge reason="quantile_tail" /> : money0(c.p90)}</td>
                          <td class="num" data-label="99th pct">{c.p99 === null ? <ProtectedBadge reason="quantile_tail" /> : money0(c.p99)}</td>
                          <td class="num" data-label="Share open">{c.share_open === null ? <ProtectedBadge reason="counts" /> : percent(c.share_open)}</td>
                        </>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <DisclosureNote disclosure={t.disclosure} />
          </>
        ) : <p class="empty">No claims under this coverage yet.</p>)}
      </Async>
    </div>
  );
}

function LossRatios() {
  const state = useAsync(() => ok(api.GET('/v1/statistics/loss-ratios', { params: { query: {} } })), []);
  return (
    <div class="card">
      <div class="spread">
        <h2>Loss ratios</h2>
        <Download label="CSV" path="/v1/statistics/loss-ratios" accept="text/csv" name="loss-ratios.csv" />
      </div>
      <Async state={state} what="loss ratios">
        {(t) => (t.cells.length ? (
          <>
            <div class="table-wrap">
              <table class="stack">
                <thead><tr><th scope="col">Scenario area</th><th scope="col">Period</th><th scope="col" class="num">Earned premium</th><th scope="col" class="num">Incurred</th><th scope="col" class="num">Loss ratio</th></tr></thead>
                <tbody>
                  {t.cells.map((c) => (
                    <tr key={`${c.scenario_area}-${c.period}`} class={c.suppressed ? 'protected-cell' : ''}>
                      <th scope="row" data-label="Area">{humanize(c.scenario_area)}</th>
                      <td data-label="Period">{c.period ?? 'all'}</td>
                      {c.suppressed ? <td colSpan={3} data-label="Figures"><ProtectedBadge reason={c.suppressed} /></td> : (
                        <>
                          <td class="num" data-label="Earned premium">{money0(c.earned_premium)}</td>
                          <td class="num" data-label="Incurred">{money0(c.incurred_losses)}</td>
                          <td class="num" data-label="Loss ratio">{percent(c.loss_ratio)}</td>
                        </>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <DisclosureNote disclosure={t.disclosure} />
          </>
        ) : <p class="empty">No bound policies have earned premium yet, so there are no loss ratios to show.</p>)}
      </Async>
    </div>
  );
}

function Scorecard() {
  const state = useAsync(() => ok(api.GET('/v1/scorecards', { params: { query: {} } })), []);
  return (
    <div class="card">
      <div class="spread">
        <h2>Validation scorecard</h2>
        <span class="row">
          <Download label="CSV" path="/v1/scorecards" accept="text/csv" name="scorecard.csv" />
          <Download label="PDF" path="/v1/scorecards/report.pdf" accept="application/pdf" name="scorecard.pdf" />
        </span>
      </div>
      <p class="small muted">Robot model × scenario class: incident rate with its exact 95% interval, the share of severe incidents and the insurability verdict. Where a class has a withheld cell, its severity mix and other secondary measures are withheld too.</p>
      <Async state={state} what="the scorecard">
        {(t) => (
          <>
            {t.cells.length ? (
              <div class="table-wrap">
                <table class="stack">
                  <thead><tr><th scope="col">Robot model</th><th scope="col">Scenario class</th><th scope="col" class="num">Hours</th><th scope="col" class="num">Rate /1,000 h</th><th scope="col" class="num">95% CI</th><th scope="col" class="num">Severity ≥ 3</th><th scope="col">Verdict</th></tr></thead>
                  <tbody>
                    {t.cells.map((c) => (
                      <tr key={`${c.robot_model}-${c.scenario_class}-${c.software_version}`}>
                        <th scope="row" data-label="Model">{c.robot_model}</th>
                        <td data-label="Class">{humanize(c.scenario_class ?? c.scenario_area)}</td>
                        <td class="num" data-label="Hours">{number(c.operating_hours)}</td>
                        <td class="num" data-label="Rate">{sig(c.incident_rate_per_1000h)}</td>
                        <td class="num" data-label="95% CI">{c.ci_low === null ? '—' : `${sig(c.ci_low)}–${sig(c.ci_high)}`}</td>
                        <td class="num" data-label="Severity ≥ 3">{'secondary_withheld' in c && c.secondary_withheld
                          ? <span class="protected" title="Withheld: a cell of this class is withheld, and the severity mix would let it be derived"><Lock />withheld</span>
                          : percent(c.severe_share)}</td>
                        <td data-label="Verdict">{'verdict' in c ? <span class={`status status-${c.verdict === 'insurable' ? 'active' : c.verdict === 'not_insurable' ? 'declined' : 'referred'}`}>{humanize(c.verdict)}</span> : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : <p class="empty">No published scorecard cells.</p>}
            {'disclosure' in t ? <DisclosureNote disclosure={t.disclosure} /> : null}
          </>
        )}
      </Async>
    </div>
  );
}
