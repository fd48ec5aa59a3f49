/**
 * The monthly premium statements of a pay-per-use policy (expected vs declared vs billed hours,
 * amount, provisional or final; CSV and PDF of each month) and the usage declaration form.
 */
import { useState } from 'preact/hooks';
import { api, ApiError, download, ok, type Schemas } from '../../api/client';
import { Async, ErrorBox, useAsync } from '../../components/async';
import { Field } from '../../components/field';
import { href } from '../../router';
import { date, money, number } from '../../format';
import { StatusBadge } from '../quotes/status';
import type { PageProps } from '../index';

type Statement = Schemas['PolicyStatement'];

export function StatementsPage({ me, route }: PageProps) {
  const no = route[1];
  const path = { params: { path: { no } } };
  const state = useAsync(async () => {
    const list = await ok(api.GET('/v1/policies/{no}/statements', path));
    // the list gives expected and billed hours; each month's statement adds the declared hours
    const months = await Promise.all(list.data.map((m) => ok(api.GET('/v1/policies/{no}/statements/{month}', { params: { path: { no, month: m.month } } }))));
    return months;
  }, [no]);
  const lines = useAsync(() => ok(api.GET('/v1/policies/{no}/lines', path)), [no]);
  return (
    <section>
      <p class="small"><a href={href('policies', no)}><span aria-hidden="true">← </span>Policy {no}</a></p>
      <h1>Statements of {no}</h1>
      <div class="card">
        <h2>Monthly premium</h2>
        <Async state={state} what="the statements">
          {(months) => (months.length ? <StatementTable no={no} months={months} /> : <p class="empty">No statement yet: cover has not begun.</p>)}
        </Async>
      </div>
      {me.role === 'enterprise' || me.role === 'underwriter' ? (
        <Async state={lines} what="the deployments of the policy">
          {(l) => <UsageForm no={no} months={state.status === 'ok' ? state.data.map((m) => m.month) : []} deployments={l.lines.flatMap((x) => x.deployments.map((d) => ({ ref: d.deployment_ref, line: x.line })))} onDone={state.refresh} />}
        </Async>
      ) : null}
    </section>
  );
}

function StatementTable({ no, months }: { no: string; months: Statement[] }) {
  const [dl, setDl] = useState<{ error: Error | null; name: string | null }>({ error: null, name: null });
  const get = async (month: string, kind: 'csv' | 'pdf') => {
    setDl({ error: null, name: null });
    const base = `/v1/policies/${encodeURIComponent(no)}/statements/${month}`;
    try {
      const name = kind === 'csv' ? await download(base, 'text/csv', `${no}-${month}.csv`) : await download(`${base}/pdf`, 'application/pdf', `${no}-${month}.pdf`);
      setDl({ error: null, name });
    } catch (e) { setDl({ error: e as Error, name: null }); }
  };
  return (
    <>
      {dl.error ? <ErrorBox error={dl.error} title="The statement could not be downloaded" /> : null}
      {dl.name ? <p class="small muted" role="status">saved {dl.name}</p> : null}
      <div class="table-wrap">
        <table class="stack">
          <thead><tr><th scope="col">Month</th><th scope="col">Status</th><th scope="col" class="num">Expected hours</th><th scope="col" class="num">Declared hours</th><th scope="col" class="num">Billed hours</th><th scope="col" class="num">Amount</th><th scope="col">Download</th></tr></thead>
          <tbody>
            {months.map((m) => (
              <tr key={m.month}>
                <th scope="row" data-label="Month">{m.month}<span class="block small muted">{date(m.from)} – {date(m.to)}</span></th>
                <td data-label="Status"><StatusBadge status={m.status} /></td>
                <td class="num" data-label="Expected hours">{number(m.expected_hours)}</td>
                <td class="num" data-label="Declared hours">{m.declared_hours === null ? <span class="muted">none</span> : number(m.declared_hours)}</td>
                <td class="num" data-label="Billed hours">{number(m.billed_hours)}</td>
                <td class="num" data-label="Amount"><span>{money(m.total)}{m.minimum_premium_adjustment > 0 ? <span class="block small muted">incl. minimum {money(m.minimum_premium_adjustment)}</span> : null}</span></td>
                <td data-label="Download">
                  <span class="row">
                    <button type="button" class="secondary" aria-label={`CSV of ${m.month}`} onClick={() => get(m.month, 'csv')}>CSV</button>
                    <button type="button" class="secondary" aria-label={`PDF of ${m.month}`} onClick={() => get(m.month, 'pdf')}>PDF</button>
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="small muted">{months[0]?.source_rule}</p>
    </>
  );
}

function UsageForm({ no, months, deployments, onDone }: { no: string; months: string[]; deployments: { ref: string; line: number }[]; onDone: () => void }) {
  const [f, setF] = useState({ month: months[months.length - 1] ?? '', deployment_ref: deployments[0]?.ref ?? '', operating_hours: '', note: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const set = (k: keyof typeof f) => (e: { currentTarget: { value: string } }) => setF({ ...f, [k]: e.currentTarget.value });
  const submit = async () => {
    setBusy(true); setError(null); setDone(null);
    try {
      const r = await ok(api.POST('/v1/policies/{no}/usage', { params: { path: { no } }, body: { month: f.month, deployment_ref: f.deployment_ref, operating_hours: Number(f.operating_hours), ...(f.note ? { note: f.note } : {}) } }));
      setDone(`Declared ${number(r.operating_hours)} h for ${r.deployment_ref} in ${r.month}.`);
      onDone();
    } catch (e) { setError(e as Error); } finally { setBusy(false); }
  };
  const msg = (n: string) => (error instanceof ApiError ? error.fieldMessage(n) : undefined);
  const named = ['month', 'deployment_ref', 'operating_hours', 'note'].some((n) => msg(n));
  if (!deployments.length) return <div class="card"><h2>Declare usage</h2><p class="empty">No deployment is linked to this policy’s fleet lines yet: an underwriter links them, then usage can be declared.</p></div>;
  return (
    <form class="card" noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h2>Declare usage</h2>
      <p class="small">Operating hours of all the deployment’s units in the month’s days of cover; which hours are billed follows the rule under the table.</p>
      {done ? <p class="notice" role="status">{done}</p> : null}
      {error && !named ? <ErrorBox error={error} title="Not declared" /> : null}
      <div class="line-grid">
        <Field id="use-month" label="Month" error={msg('month')}>
          {(a) => months.length ? <select {...a} value={f.month} onChange={set('month')}>{months.map((m) => <option key={m} value={m}>{m}</option>)}</select> : <input {...a} placeholder="YYYY-MM" value={f.month} onInput={set('month')} />}
        </Field>
        <Field id="use-dep" label="Deployment" error={msg('deployment_ref')}>
          {(a) => <select {...a} value={f.deployment_ref} onChange={set('deployment_ref')}>{deployments.map((d) => <option key={d.ref} value={d.ref}>{d.ref} (line {d.line})</option>)}</select>}
        </Field>
        <Field id="use-hours" label="Operating hours" error={msg('operating_hours')}>
          {(a) => <input {...a} type="number" min={0} step="0.01" inputMode="decimal" value={f.operating_hours} onInput={set('operating_hours')} />}
        </Field>
      </div>
      <Field id="use-note" label="Note (optional)" error={msg('note')}>{(a) => <input {...a} value={f.note} onInput={set('note')} />}</Field>
      <button type="submit" disabled={busy}>{busy ? 'Declaring…' : 'Declare usage'}</button>
    </form>
  );
}
