/**
 * One policy: status, period, premium written and in force; the schedule (fleet lines with the
 * serial numbers of identified units, coverages, premium by line and coverage); every change;
 * the quote's subjectivities; the binder PDF; for an underwriter, endorsement and cancellation.
 */
import { useState } from 'preact/hooks';
import { api, download, ok, type Schemas } from '../../api/client';
import { Async, ErrorBox, useAsync } from '../../components/async';
import { href } from '../../router';
import { date, dateTime, humanize, money, number } from '../../format';
import { StatusBadge } from '../quotes/status';
import { PremiumTable } from '../quotes/quote';
import { Subjectivities } from '../quotes/subjectivities';
import { CancellationForm, EndorsementForm } from './change-forms';
import type { PageProps } from '../index';

type Policy = Schemas['Policy'];

export function PolicyPage({ me, route }: PageProps) {
  const no = route[1];
  const state = useAsync(() => ok(api.GET('/v1/policies/{no}', { params: { path: { no } } })), [no]);
  return (
    <section>
      <p class="small"><a href={href('policies')}><span aria-hidden="true">← </span>{me.role === 'enterprise' ? 'Our policies' : 'Policies'}</a></p>
      <Async state={state} what={`policy ${no}`}>
        {(p) => <PolicyView me={me} p={p} reload={state.refresh} />}
      </Async>
    </section>
  );
}

const BIND_MODES: Record<Policy['bind_mode'], string> = {
  underwriter: 'by an underwriter', auto_on_acceptance: 'automatically on acceptance', migration: 'before policies were recorded',
};

function PolicyView({ me, p, reload }: { me: PageProps['me']; p: Policy; reload: () => void }) {
  const [subjectivities, setSubjectivities] = useState(p.subjectivities);
  const [pdf, setPdf] = useState<{ busy: boolean; error: Error | null; name: string | null }>({ busy: false, error: null, name: null });
  const getPdf = async () => {
    setPdf({ busy: true, error: null, name: null });
    try { setPdf({ busy: false, error: null, name: await download(`/v1/policies/${encodeURIComponent(p.policy_number)}/document`, 'application/pdf', `${p.policy_number}.pdf`) }); } catch (e) { setPdf({ busy: false, error: e as Error, name: null }); }
  };
  const unitsByLine = new Map<number, Schemas['InsuredUnit'][]>();
  for (const u of p.units) unitsByLine.set(u.line, [...(unitsByLine.get(u.line) ?? []), u]);
  return (
    <>
      <div class="spread">
        <h1>Policy {p.policy_number} <StatusBadge status={p.status} /></h1>
        {me.role !== 'actuary' ? (
          <span>
            <button type="button" class="secondary" onClick={getPdf} disabled={pdf.busy}>{pdf.busy ? 'Preparing PDF…' : 'Download binder PDF'}</button>
            {pdf.name ? <span class="small muted" role="status"> saved {pdf.name}</span> : null}
          </span>
        ) : null}
      </div>
      {pdf.error ? <ErrorBox error={pdf.error} title="The binder could not be produced" /> : null}
      <div class="grid2">
        <div class="card">
          <h2>Policy</h2>
          <dl class="facts">
            <dt>Status</dt><dd><StatusBadge status={p.status} /></dd>
            <dt>Organization</dt><dd>{p.organization_ref}</dd>
            <dt>Quote</dt><dd>{me.role === 'actuary' ? p.quote_ref : <a href={href('quotes', p.quote_ref)}>{p.quote_ref}</a>}</dd>
            <dt>Period</dt><dd>{date(p.period.start)} – {date(p.period.end)}</dd>
            <dt>Basis</dt><dd>{p.basis === 'annual' ? 'Annual premium' : 'Pay per use'}</dd>
            <dt>Bound</dt><dd>{dateTime(p.bound_at)}, {BIND_MODES[p.bind_mode]}</dd>
            {p.cancelled_at ? <><dt>Cancelled</dt><dd>{dateTime(p.cancelled_at)}: no cover from {date(p.cancellation_effective_date)}{p.cancellation_reason ? ` (${p.cancellation_reason})` : ''}</dd></> : null}
          </dl>
          {p.basis === 'pay_per_use' ? <p><a class="button secondary" href={href('policies', p.policy_number, 'statements')}>Monthly statements and usage</a></p> : null}
        </div>
        <div class="card">
          <h2>Premium</h2>
          <p class="total"><span class="muted">Gross premium at bind</span><br /><strong style="font-size:1.6rem">{money(p.gross_premium)}</strong></p>
          {p.basis === 'pay_per_use' ? <p>{money(p.schedule.pay_per_use.rate_per_operating_hour)} per operating hour on {number(p.schedule.pay_per_use.expected_operating_hours)} expected hours.</p> : null}
          <dl class="facts">
            <dt>Full-term premium in force</dt><dd>{money(p.premium_in_force.annual_premium)}</dd>
            <dt>Written premium</dt><dd>{money(p.premium_in_force.written_premium)}</dd>
          </dl>
        </div>
      </div>
      <div class="card">
        <h2>Schedule</h2>
        <p class="small muted">The schedule in force: the fleet as changed by the endorsements below.</p>
        <div class="table-wrap">
          <table class="stack">
            <thead><tr><th scope="col">Line</th><th scope="col">Robot model</th><th scope="col">Scenario class</th><th scope="col" class="num">Units</th><th scope="col">Autonomy</th><th scope="col" class="num">Hours per unit</th><th scope="col">Serial numbers</th></tr></thead>
            <tbody>
              {p.schedule.fleet.map((l, i) => {
                const units = unitsByLine.get(i + 1) ?? [];
                return (
                  <tr key={i}>
                    <th scope="row" data-label="Line">{i + 1}</th>
                    <td data-label="Robot model">{l.robot_model}</td>
                    <td data-label="Scenario class">{humanize(l.scenario_class)}</td>
                    <td class="num" data-label="Units">{l.units}</td>
                    <td data-label="Autonomy">{l.autonomy_level}</td>
                    <td class="num" data-label="Hours per unit">{number(l.operating_hours_per_unit)}</td>
                    <td data-label="Serial numbers">{units.length ? (
                      <ul class="serials">{units.map((u) => <li key={u.serial_number + u.cover_from}><code>{u.serial_number}</code>{u.cover_from !== p.period.start || u.cover_until !== p.period.end ? <span class="small muted"> {date(u.cover_from)} – {date(u.cover_until)}</span> : null}</li>)}</ul>
                    ) : <span class="muted">not identified</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <h3>Coverages</h3>
        <div class="table-wrap">
          <table class="stack">
            <thead><tr><th scope="col">Coverage</th><th scope="col" class="num">Deductible</th><th scope="col" class="num">Per occurrence limit</th><th scope="col" class="num">Aggregate limit</th></tr></thead>
            <tbody>
              {p.schedule.coverages.map((c) => (
                <tr key={c.coverage}>
                  <th scope="row" data-label="Coverage">{humanize(c.coverage)}</th>
                  <td class="num" data-label="Deductible">{money(c.deductible)}</td>
                  <td class="num" data-label="Per occurrence">{money(c.per_occurrence_limit)}</td>
                  <td class="num" data-label="Aggregate">{c.aggregate_limit ? money(c.aggregate_limit) : 'none'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <PremiumTable premium={p.schedule.premium} request={{ fleet: p.schedule.fleet }} />
      <Changes changes={p.changes} />
      <div class="card">
        <h2>Subjectivities</h2>
        <Subjectivities me={me} quoteRef={p.quote_ref} items={subjectivities} closed={p.status !== 'live'}
          onChange={(s) => setSubjectivities((xs) => xs.map((x) => (x.id === s.id ? s : x)))} />
      </div>
      {me.role === 'underwriter' && p.status === 'live' ? (
        <div class="grid2">
          <EndorsementForm p={p} onDone={reload} />
          {p.basis === 'annual' ? <CancellationForm p={p} onDone={reload} /> : null}
        </div>
      ) : null}
    </>
  );
}

const KIND: Record<Schemas['PolicyChange']['kind'], string> = { bind: 'Bind', endorsement: 'Endorsement', cancellation: 'Cancellation' };

function Changes({ changes }: { changes: Schemas['PolicyChange'][] }) {
  return (
    <div class="card">
      <h2>Changes</h2>
      <div class="table-wrap">
        <table class="stack">
          <thead><tr><th scope="col">#</th><th scope="col">Change</th><th scope="col">Effective</th><th scope="col">What</th><th scope="col" class="num">Full-term premium after</th><th scope="col" class="num">Charged (+) / returned (−)</th><th scope="col">By</th></tr></thead>
          <tbody>
            {changes.map((c) => (
              <tr key={c.seq}>
                <th scope="row" data-label="#">{c.seq}</th>
                <td data-label="Change">{KIND[c.kind]}</td>
                <td data-label="Effective">{date(c.effective_date)}</td>
                <td data-label="What"><span>
                  {c.details.lines?.map((l) => <span key={l.line} class="block">line {l.line}: {l.units_before} → {l.units_after} units{l.added.length ? `, +${l.added.join(', ')}` : ''}{l.removed.length ? `, −${l.removed.join(', ')}` : ''}</span>)}
                  {c.kind === 'cancellation' ? <span class="block">{c.details.covered_days} days covered, earned {money(c.details.earned_premium)}</span> : null}
                  {c.reason ? <span class="block muted">{c.reason}</span> : null}
                </span></td>
                <td class="num" data-label="Premium after">{money(c.annual_premium_after)}</td>
                <td class="num" data-label="Charged / returned">{money(c.premium)}</td>
                <td data-label="By"><span>{c.actor}{c.created_at ? <span class="block small muted">{dateTime(c.created_at)}</span> : null}</span></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
