/**
 * One quote: decision and reasons, subjectivities, premium by line and coverage, the PDF; the
 * worksheet in readable form (fired rules with their fact values, the premium build-up); for an
 * underwriter, decide a referral with a note, and bind a quoted quote.
 */
import { useState } from 'preact/hooks';
import { api, ApiError, download, ok, type Schemas } from '../../api/client';
import { Async, ErrorBox, useAsync } from '../../components/async';
import { Field } from '../../components/field';
import { href } from '../../router';
import { date, dateTime, humanize, money, number, percent, sig } from '../../format';
import { StatusBadge } from './status';
import { Subjectivities } from './subjectivities';
import type { PageProps } from '../index';

type Quote = Schemas['Quote'];
type Worksheet = Schemas['QuoteWorksheet'] | Schemas['EnterpriseQuoteWorksheet'];

export function QuotePage({ me, route }: PageProps) {
  const ref = route[1];
  const quote = useAsync(() => ok(api.GET('/v1/quotes/{ref}', { params: { path: { ref } } })), [ref]);
  const [updated, setUpdated] = useState<Quote | null>(null);
  return (
    <section>
      <p class="small"><a href={href(me.role === 'underwriter' ? 'referrals' : 'quotes')}><span aria-hidden="true">← </span>{me.role === 'underwriter' ? 'Referral queue' : 'Our quotes'}</a></p>
      <Async state={quote} what={`quote ${ref}`}>
        {(q0) => {
          const q = updated?.ref === q0.ref ? updated : q0;
          return <QuoteView me={me} q={q} onChange={setUpdated} />;
        }}
      </Async>
    </section>
  );
}

function QuoteView({ me, q, onChange }: { me: PageProps['me']; q: Quote; onChange: (q: Quote) => void }) {
  const [pdf, setPdf] = useState<{ busy: boolean; error: Error | null; name: string | null }>({ busy: false, error: null, name: null });
  const getPdf = async () => {
    setPdf({ busy: true, error: null, name: null });
    try { setPdf({ busy: false, error: null, name: await download(`/v1/quotes/${encodeURIComponent(q.ref)}/pdf`, 'application/pdf', `${q.ref}.pdf`) }); } catch (e) { setPdf({ busy: false, error: e as Error, name: null }); }
  };
  return (
    <>
      <div class="spread">
        <h1>Quote {q.ref} <StatusBadge status={q.status} /></h1>
        <span>
          <button type="button" class="secondary" onClick={getPdf} disabled={pdf.busy}>{pdf.busy ? 'Preparing PDF…' : 'Download PDF'}</button>
          {pdf.name ? <span class="small muted" role="status"> saved {pdf.name}</span> : null}
        </span>
      </div>
      {pdf.error ? <ErrorBox error={pdf.error} title="The PDF could not be produced" /> : null}
      <div class="grid2">
        <div class="card">
          <h2>Decision</h2>
          <dl class="facts">
            <dt>Status</dt><dd><StatusBadge status={q.status} /></dd>
            <dt>Organization</dt><dd>{q.organization_ref}</dd>
            <dt>Period</dt><dd>{date(q.request.period.start)} – {date(q.request.period.end)} ({number(q.term_years)} yr)</dd>
            <dt>Basis</dt><dd>{q.request.basis === 'annual' ? 'Annual premium' : 'Pay per use'}</dd>
            <dt>Valid until</dt><dd>{dateTime(q.valid_until)}</dd>
            {q.decided_at ? <><dt>Decided</dt><dd>{dateTime(q.decided_at)}</dd></> : null}
            {q.accepted_at ? <><dt>Accepted</dt><dd>{dateTime(q.accepted_at)}</dd></> : null}
            {q.bound_at ? <><dt>Bound</dt><dd>{dateTime(q.bound_at)}</dd></> : null}
            {q.policy_number ? <><dt>Policy</dt><dd><a href={href('policies', q.policy_number)}>{q.policy_number}</a></dd></> : null}
          </dl>
          {q.reasons.length ? <><h3>Reasons</h3><ul class="reasons">{q.reasons.map((r) => <li key={r}>{r}</li>)}</ul></> : <p class="muted">Quoted automatically: no rule referred or declined it.</p>}
          {q.decision_note ? <><h3>Underwriter’s note</h3><p>{q.decision_note}</p></> : null}
          <h3>Subjectivities</h3>
          <Subjectivities me={me} quoteRef={q.ref} items={q.subjectivity_details} closed={q.status === 'declined' || q.status === 'expired'}
            onChange={(s) => onChange({ ...q, subjectivity_details: q.subjectivity_details.map((x) => (x.id === s.id ? s : x)) })} />
        </div>
        <div class="card">
          <h2>Premium</h2>
          {q.premium ? (
            <>
              <p class="total"><span class="muted">Gross premium</span><br /><strong style="font-size:1.6rem">{money(q.premium.total.gross_premium)}</strong></p>
              {q.request.basis === 'pay_per_use' && q.pay_per_use ? <p>Pay per use: <strong>{money(q.pay_per_use.rate_per_operating_hour)}</strong> per operating hour, on {number(q.pay_per_use.expected_operating_hours)} expected hours.</p> : null}
              {q.minimum_premium_applied ? <p class="small">The plan’s minimum premium applies.</p> : null}
              <dl class="facts">
                <dt>Pure premium</dt><dd>{money(q.premium.total.pure_premium)}</dd>
                <dt>Risk margin</dt><dd>{money(q.premium.total.risk_margin)}</dd>
                <dt>Expenses and commission</dt><dd>{money(q.premium.total.expense_and_commission)}</dd>
                <dt>Tax</dt><dd>{money(q.premium.total.tax)}</dd>
              </dl>
            </>
          ) : <p class="empty">No premium: the request was declined.</p>}
        </div>
      </div>
      {me.role === 'underwriter' ? <UnderwriterActions q={q} onChange={onChange} /> : null}
      {me.role === 'enterprise' ? <AcceptAction q={q} onChange={onChange} /> : null}
      {q.premium ? <PremiumTable premium={q.premium} request={q.request} /> : null}
      <WorksheetView refNo={q.ref} />
    </>
  );
}

export function PremiumTable({ premium, request }: { premium: NonNullable<Quote['premium']>; request: Pick<Quote['request'], 'fleet'> }) {
  return (
    <div class="card">
      <h2>Premium by line and coverage</h2>
      <div class="table-wrap">
        <table class="stack">
          <thead><tr><th scope="col">Line</th><th scope="col">Coverage</th><th scope="col" class="num">Expected claims</th><th scope="col" class="num">Pure premium</th><th scope="col" class="num">Risk margin</th><th scope="col" class="num">Expenses</th><th scope="col" class="num">Tax</th><th scope="col" class="num">Gross</th></tr></thead>
          <tbody>
            {premium.lines.map((l) => {
              const f = request.fleet[l.line - 1];
              return (
                <tr key={`${l.line}-${l.coverage}`}>
                  <th scope="row" data-label="Line">{l.line}. {f ? `${f.units} × ${f.robot_model}, ${humanize(f.scenario_class)}` : ''}</th>
                  <td data-label="Coverage">{humanize(l.coverage)}</td>
                  <td class="num" data-label="Expected claims">{sig(l.expected_claims)}</td>
                  <td class="num" data-label="Pure premium">{money(l.pure_premium)}</td>
                  <td class="num" data-label="Risk margin">{money(l.risk_margin)}</td>
                  <td class="num" data-label="Expenses">{money(l.expense_and_commission)}</td>
                  <td class="num" data-label="Tax">{money(l.tax)}</td>
                  <td class="num" data-label="Gross">{money(l.gross_premium)}</td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr><th scope="row" colSpan={3}>Total</th><td class="num" data-label="Pure premium">{money(premium.total.pure_premium)}</td><td class="num" data-label="Risk margin">{money(premium.total.risk_margin)}</td><td class="num" data-label="Expenses">{money(premium.total.expense_and_commission)}</td><td class="num" data-label="Tax">{money(premium.total.tax)}</td><td class="num" data-label="Gross">{money(premium.total.gross_premium)}</td></tr>
          </tfoot>
        </table>
      </div>
    </div>
  );
}

const show = (v: unknown): string => (v === null || v === undefined ? '—' : Array.isArray(v) ? v.join(', ') : typeof v === 'number' ? sig(v) : typeof v === 'object' ? JSON.stringify(v) : String(v));

function WorksheetView({ refNo }: { refNo: string }) {
  const ws = useAsync(() => ok(api.GET('/v1/quotes/{ref}/worksheet', { params: { path: { ref: refNo } } })) as Promise<Worksheet>, [refNo]);
  return (
    <div class="card">
      <h2>Worksheet</h2>
      <Async state={ws} what="the worksheet">
        {(w) => (
          <>
            <p class="small muted">Rating plan {w.plan.name} v{w.plan.version} · rule set {w.ruleset.name} v{w.ruleset.version} · {w.pricing_engine}</p>
            <h3>Rules that fired ({w.rules.fired.length})</h3>
            {w.rules.fired.length ? (
              <div class="table-wrap">
                <table class="stack">
                  <thead><tr><th scope="col">Rule</th><th scope="col">Effect</th><th scope="col">Why</th><th scope="col">Facts (value vs threshold)</th></tr></thead>
                  <tbody>
                    {w.rules.fired.map((r) => (
                      <tr key={`${r.rule}-${r.line_index}`}>
                        <th scope="row" data-label="Rule"><code>{r.rule}</code>{r.line_index !== null ? <span class="small muted"> line {r.line_index + 1}</span> : null}</th>
                        <td data-label="Effect"><span class={`status status-${r.event_type === 'decline' ? 'declined' : r.event_type === 'refer' ? 'referred' : 'quoted'}`}>{r.event_type}</span></td>
                        <td data-label="Why">{r.reason}</td>
                        <td data-label="Facts">
                          <ul class="reasons">{r.trace.map((t, i) => <li key={i}><code>{t.fact}</code> = {show(t.fact_value)} <span class="muted">{t.operator}</span> {show(t.compared_value ?? t.value)} {t.result ? '✓' : '✗'}</li>)}</ul>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : <p class="muted">No rule fired: the request is within automatic authority.</p>}
            <h3>Premium build-up</h3>
            <p class="small">{w.method}</p>
            <dl class="facts">
              <dt>Expenses</dt><dd>{percent(w.plan.loadings.expense)}</dd>
              <dt>Commission</dt><dd>{percent(w.plan.loadings.commission)}</dd>
              <dt>Profit</dt><dd>{percent(w.plan.loadings.profit)}</dd>
              <dt>Cost of capital</dt><dd>{percent(w.plan.loadings.cost_of_capital)}</dd>
              <dt>Tax</dt><dd>{percent(w.plan.loadings.tax)}</dd>
              <dt>Minimum premium</dt><dd>{money(w.plan.loadings.minimum_premium)}</dd>
              <dt>Aggregate mean loss</dt><dd>{money(w.aggregate.mean)} (s.d. {money(w.aggregate.sd)})</dd>
            </dl>
          </>
        )}
      </Async>
    </div>
  );
}

function UnderwriterActions({ q, onChange }: { q: Quote; onChange: (q: Quote) => void }) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const act = async (what: string, call: () => Promise<Quote>) => {
    setBusy(true); setError(null); setDone(null);
    try { const r = await call(); onChange(r); setDone(what); setNote(''); } catch (e) { setError(e as Error); } finally { setBusy(false); }
  };
  const decide = (decision: 'quoted' | 'declined') => act(decision === 'quoted' ? 'Quoted.' : 'Declined.', () => ok(api.POST('/v1/quotes/{ref}/decision', { params: { path: { ref: q.ref } }, body: { decision, note } })));
  const bind = () => act('Bound.', () => ok(api.POST('/v1/quotes/{ref}/bind', { params: { path: { ref: q.ref } }, body: {} })));
  const noteError = error instanceof ApiError ? error.fieldMessage('note') : undefined;
  if (q.status !== 'referred' && q.status !== 'quoted' && q.status !== 'accepted') return done ? <p class="notice" role="status">{done}</p> : null;
  return (
    <div class="card">
      {done ? <p class="notice" role="status">{done}</p> : null}
      {error && !noteError ? <ErrorBox error={error} title={error instanceof ApiError && error.problem.status === 409 ? 'Not bound' : 'The action failed'} /> : null}
      {q.status === 'referred' ? (
        <form onSubmit={(e) => { e.preventDefault(); decide('quoted'); }} noValidate>
          <h2>Decide this referral</h2>
          <Field id="decision-note" label="Note (your reasons, kept in the audit trail)" error={noteError}>
            {(a) => <textarea {...a} rows={3} value={note} onInput={(e) => setNote(e.currentTarget.value)} />}
          </Field>
          <div class="row">
            <button type="submit" disabled={busy}>Quote it</button>
            <button type="button" class="danger" disabled={busy} onClick={() => decide('declined')}>Decline</button>
          </div>
        </form>
      ) : (
        <>
          <h2>Bind</h2>
          <p>Binding makes this quote the policy{q.subjectivity_details.some((x) => x.required_before === 'bind' && x.status === 'open') ? ', once the subjectivities required before binding are satisfied or waived' : ''}. A quote is bound once.</p>
          {q.status === 'accepted' ? <p class="small">The insured accepted it {dateTime(q.accepted_at)}.</p> : null}
          <button type="button" onClick={bind} disabled={busy}>{busy ? 'Binding…' : 'Bind this quote'}</button>
        </>
      )}
    </div>
  );
}

/** The insured accepts its quoted quote: bound at once where the plan allows and nothing blocks it, else accepted for an underwriter. */
function AcceptAction({ q, onChange }: { q: Quote; onChange: (q: Quote) => void }) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [done, setDone] = useState<Quote | null>(null);
  if (done && q.ref === done.ref && q.status !== 'quoted') {
    return (
      <p class="notice" role="status">
        {done.status === 'bound' && done.policy_number
          ? <>Accepted and bound: policy <a href={href('policies', done.policy_number)}>{done.policy_number}</a>.</>
          : 'Accepted: an underwriter binds it once the subjectivities required before binding are met.'}
      </p>
    );
  }
  if (q.status !== 'quoted') return null;
  const accept = async () => {
    setBusy(true); setError(null);
    try { const r = await ok(api.POST('/v1/quotes/{ref}/accept', { params: { path: { ref: q.ref } }, body: note ? { note } : {} })); setDone(r); onChange(r); } catch (e) { setError(e as Error); } finally { setBusy(false); }
  };
  const noteError = error instanceof ApiError ? error.fieldMessage('note') : undefined;
  return (
    <form class="card" noValidate onSubmit={(e) => { e.preventDefault(); void accept(); }}>
      <h2>Accept this quote</h2>
      <p>Accepting asks for cover on these terms until {dateTime(q.valid_until)}; where the rating plan allows and no subjectivity blocks it, the policy is bound at once.</p>
      {error && !noteError ? <ErrorBox error={error} title="Not accepted" /> : null}
      <Field id="accept-note" label="Note (optional)" error={noteError}>
        {(a) => <textarea {...a} rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} />}
      </Field>
      <button type="submit" disabled={busy}>{busy ? 'Accepting…' : 'Accept the quote'}</button>
    </form>
  );
}
