/** Policies: an enterprise sees its own, underwriters and actuaries all; filter by status. */
import { useState } from 'preact/hooks';
import { api, ok, type Schemas } from '../../api/client';
import { Async, useAsync } from '../../components/async';
import { href } from '../../router';
import { date, dateTime, money } from '../../format';
import { StatusBadge } from '../quotes/status';
import type { PageProps } from '../index';

type Status = NonNullable<Schemas['PolicySummary']['status']>;
const STATUSES: Status[] = ['live', 'cancelled', 'expired'];

export function PolicyList({ me }: PageProps) {
  const [status, setStatus] = useState<Status | ''>('');
  const state = useAsync(() => ok(api.GET('/v1/policies', { params: { query: { limit: 200, ...(status ? { status } : {}) } } })), [status]);
  const showOrg = me.role !== 'enterprise';
  return (
    <section>
      <h1>{me.role === 'enterprise' ? 'Our policies' : 'Policies'}</h1>
      <div class="field" style="max-width: 14rem">
        <label for="p-status">Status</label>
        <select id="p-status" value={status} onChange={(e) => setStatus(e.currentTarget.value as Status | '')}>
          <option value="">All</option>
          {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </div>
      <div class="card">
        <Async state={state} what="policies">
          {(page) => (page.data.length ? (
            <div class="table-wrap">
              <table class="stack">
                <thead><tr><th scope="col">Policy</th>{showOrg ? <th scope="col">Organization</th> : null}<th scope="col">Status</th><th scope="col">Basis</th><th scope="col">Period</th><th scope="col" class="num">Gross premium</th><th scope="col">Bound</th></tr></thead>
                <tbody>
                  {page.data.map((p) => (
                    <tr key={p.policy_number}>
                      <th scope="row" data-label="Policy"><a href={href('policies', p.policy_number)}>{p.policy_number}</a></th>
                      {showOrg ? <td data-label="Organization">{p.organization_ref}</td> : null}
                      <td data-label="Status"><StatusBadge status={p.status} /></td>
                      <td data-label="Basis">{p.basis === 'annual' ? 'Annual' : 'Pay per use'}</td>
                      <td data-label="Period">{date(p.period.start)} – {date(p.period.end)}</td>
                      <td class="num" data-label="Gross premium">{money(p.gross_premium)}</td>
                      <td data-label="Bound">{dateTime(p.bound_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : <p class="empty">No policies{status ? ` with status “${status}”` : ''} yet{me.role === 'enterprise' ? <>: accept a quote from <a href={href('quotes')}>Our quotes</a></> : ''}.</p>)}
        </Async>
      </div>
    </section>
  );
}
