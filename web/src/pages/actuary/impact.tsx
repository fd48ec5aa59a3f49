/**
 * The re-rating impact report: re-rate the stored quotes of a period under a candidate rating
 * plan (a job, polled until it ends), then the dislocation — premium change in total, its
 * percentiles and histogram, by scenario class and coverage, decision changes, largest movers.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, download, ok, type Schemas } from '../../api/client';
import { Async, ErrorBox, useAsync } from '../../components/async';
import { Field } from '../../components/field';
import { go, href } from '../../router';
import { dateTime, humanize, money, percent } from '../../format';
import { StatusBadge } from '../quotes/status';
import type { PageProps } from '../index';

type Job = Schemas['ImpactJob'];
type Report = NonNullable<Job['result']>;
type Row = Report['total'];

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export function Impact({ route }: PageProps) {
  const jobId = route[1] ? Number(route[1]) : null;
  return (
    <section>
      <h1>Re-rating impact</h1>
      <StartForm />
      {jobId !== null && Number.isInteger(jobId) ? <JobView key={jobId} id={jobId} /> : null}
    </section>
  );
}

function StartForm() {
  const plans = useAsync(() => ok(api.GET('/v1/rating-plans', { params: { query: { limit: 100 } } })), []);
  const now = new Date();
  const [f, setF] = useState({ plan: '', from: isoDay(new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), now.getUTCDate() + 1))), to: isoDay(now) });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const start = async (planId: number) => {
    setBusy(true); setError(null);
    try {
      const job = await ok(api.POST('/v1/rating-plans/{id}/impact', { params: { path: { id: planId } }, body: { from: f.from, to: f.to } }));
      go('impact', String(job.id));
    } catch (e) { setError(e as Error); } finally { setBusy(false); }
  };
  return (
    <Async state={plans} what="rating plans">
      {(page) => {
        const planId = Number(f.plan || (page.data.find((p) => p.status === 'draft') ?? page.data[0])?.id);
        const msg = (n: string) => (error instanceof ApiError ? error.fieldMessage(n) : undefined);
        return (
          <form class="card" noValidate onSubmit={(e) => { e.preventDefault(); if (planId) void start(planId); }}>
            <h2>Start a report</h2>
            <p class="small muted">Re-prices every quote created in the period under the chosen plan; the stored quotes do not change.</p>
            {error && !msg('from') && !msg('to') ? <ErrorBox error={error} title="The job was not started" /> : null}
            <div class="line-grid">
              <Field id="imp-plan" label="Candidate rating plan">
                {(a) => <select {...a} value={String(planId)} onChange={(e) => setF({ ...f, plan: e.currentTarget.value })}>{page.data.map((p) => <option key={p.id} value={p.id}>{p.name} v{p.version} ({p.status})</option>)}</select>}
              </Field>
              <Field id="imp-from" label="Quotes created from" error={msg('from')}>{(a) => <input {...a} type="date" value={f.from} onInput={(e) => setF({ ...f, from: e.currentTarget.value })} />}</Field>
              <Field id="imp-to" label="to (inclusive)" error={msg('to')}>{(a) => <input {...a} type="date" value={f.to} onInput={(e) => setF({ ...f, to: e.currentTarget.value })} />}</Field>
            </div>
            <button type="submit" disabled={busy || !planId}>{busy ? 'Starting…' : 'Run the impact report'}</button>
          </form>
        );
      }}
    </Async>
  );
}

/** Polls the job once a second while it runs. */
function JobView({ id }: { id: number }) {
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const j = await ok(api.GET('/v1/impact-jobs/{jobId}', { params: { path: { jobId: id } } }));
        if (stop) return;
        setJob(j); setError(null);
        if (j.status === 'running') timer = setTimeout(poll, 1000);
      } catch (e) { if (!stop) setError(e as Error); }
    };
    void poll();
    return () => { stop = true; clearTimeout(timer); };
  }, [id]);
  if (error) return <ErrorBox error={error} title={`Could not read job ${id}`} />;
  if (!job) return <p class="loading" role="status"><span class="spinner" aria-hidden="true" />Loading job {id}…</p>;
  return (
    <div class="card">
      <div class="spread">
        <h2>Job {job.id}: plan <a href={href('rulesets')}>#{job.rating_plan_id}</a>, quotes of {job.period.from} – {job.period.to} <StatusBadge status={job.status} /></h2>
        {job.status === 'done' ? <CsvButton id={job.id} /> : null}
      </div>
      <p class="small muted">Started {dateTime(job.created_at)} by {job.created_by}{job.finished_at ? `, ended ${dateTime(job.finished_at)}` : ''}.</p>
      {job.status === 'running' ? (
        <div role="status" aria-live="polite">
          <progress max={1} value={job.progress} aria-label="Quotes re-rated" /> {job.done} of {job.total} quotes
        </div>
      ) : null}
      {job.status === 'failed' || job.status === 'abandoned' ? <p class="error-box" role="alert">{job.status === 'abandoned' ? 'The process running this job stopped; start a new one.' : `The job failed: ${job.error ?? 'no reason given'}`}</p> : null}
      {job.result ? <ReportView r={job.result} /> : null}
    </div>
  );
}

function CsvButton({ id }: { id: number }) {
  const [error, setError] = useState<Error | null>(null);
  return (
    <span>
      <button type="button" class="secondary" onClick={() => download(`/v1/impact-jobs/${id}`, 'text/csv', `impact-${id}.csv`).then(() => setError(null), setError)}>CSV</button>
      {error ? <ErrorBox error={error} title="The CSV could not be downloaded" /> : null}
    </span>
  );
}

function ChangeTable({ caption, head, rows, label }: { caption: string; head: string; rows: [string, Row][]; label: (k: string) => string }) {
  return (
    <div class="table-wrap">
      <table class="stack">
        <caption>{caption}</caption>
        <thead><tr><th scope="col">{head}</th><th scope="col" class="num">Quotes</th><th scope="col" class="num">Stored premium</th><th scope="col" class="num">Candidate premium</th><th scope="col" class="num">Change</th><th scope="col" class="num">Relative</th></tr></thead>
        <tbody>
          {rows.map(([k, r]) => (
            <tr key={k}>
              <th scope="row" class="labelled" data-label={head}>{label(k)}</th>
              <td class="num" data-label="Quotes">{r.quotes}</td>
              <td class="num" data-label="Stored">{money(r.old_premium)}</td>
              <td class="num" data-label="Candidate">{money(r.new_premium)}</td>
              <td class="num" data-label="Change">{money(r.change)}</td>
              <td class="num" data-label="Relative">{percent(r.relative_change)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A histogram bin [from, to) with open ends: `below −50%`, `−50% to −25%`, `50% and above`. */
const binLabel = (from: number | null, to: number | null) =>
  (from === null ? `below ${percent(to)}` : to === null ? `${percent(from)} and above` : `${percent(from)} to ${percent(to)}`);

function ReportView({ r }: { r: Report }) {
  const maxBin = Math.max(1, ...r.change.histogram.map((b) => b.count));
  return (
    <>
      <p>{r.quotes} quotes in the period: {r.rerated} re-rated ({r.method.stored_aggregate} from their stored aggregate, {r.method.engine} by the full engine){r.failed ? `, ${r.failed} the candidate cannot rate` : ''}.</p>
      {r.failed ? <ul class="reasons">{Object.entries(r.failures).map(([k, n]) => <li key={k}>{n} × {k}</li>)}</ul> : null}
      <ChangeTable caption="Premium in total" head="Scope" rows={[['total', r.total]]} label={() => 'All quotes'} />
      <h3>Relative change per quote</h3>
      <ul class="chips" aria-label="Mean and percentiles of the relative change">
        <li><span class="muted">mean</span>{percent(r.change.mean)}</li>
        {Object.entries(r.change.percentiles).map(([k, v]) => <li key={k}><span class="muted">{k}</span>{percent(v)}</li>)}
      </ul>
      <div class="table-wrap">
        <table class="histogram">
          <caption>Quotes by relative premium change</caption>
          <thead><tr><th scope="col">Change</th><th scope="col" class="num">Quotes</th><th scope="col"><span class="visually-hidden">Bar</span></th></tr></thead>
          <tbody>
            {r.change.histogram.map((b, i) => (
              <tr key={i}>
                <th scope="row" class="nowrap">{binLabel(b.from, b.to)}</th>
                <td class="num">{b.count}</td>
                <td class="bar-cell"><span class="bar" style={`width:${(100 * b.count) / maxBin}%`} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>By scenario class and coverage</h3>
      <ChangeTable caption="Premium by scenario class" head="Scenario class" rows={Object.entries(r.by_scenario_class)} label={humanize} />
      <ChangeTable caption="Premium by coverage" head="Coverage" rows={Object.entries(r.by_coverage)} label={humanize} />
      <h3>Decisions</h3>
      {r.decisions.changed ? <ul class="reasons">{Object.entries(r.decisions.transitions).map(([k, n]) => <li key={k}>{k.replace('->', ' → ')}: {n}</li>)}</ul> : <p class="muted">No quote’s decision changes.</p>}
      <h3>Largest movers</h3>
      {r.largest_movers.length ? (
        <div class="table-wrap">
          <table class="stack">
            <thead><tr><th scope="col">Quote</th><th scope="col">Organization</th><th scope="col" class="num">Stored</th><th scope="col" class="num">Candidate</th><th scope="col" class="num">Change</th><th scope="col" class="num">Relative</th></tr></thead>
            <tbody>
              {r.largest_movers.map((m) => (
                <tr key={m.ref}>
                  <th scope="row" data-label="Quote">{m.ref}</th>
                  <td data-label="Organization">{m.organization_ref}</td>
                  <td class="num" data-label="Stored">{money(m.old_premium)}</td>
                  <td class="num" data-label="Candidate">{money(m.new_premium)}</td>
                  <td class="num" data-label="Change">{money(m.change)}</td>
                  <td class="num" data-label="Relative">{percent(m.relative_change)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : <p class="muted">No quote was re-rated.</p>}
    </>
  );
}
