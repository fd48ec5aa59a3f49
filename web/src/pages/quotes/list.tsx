/** Quotes: an enterprise sees its own, an underwriter all; filter by status. */
import { useState } from 'preact/hooks';
import { api, ok, type Schemas } from '../../api/client';
import { Async, useAsync } from '../../components/async';
import { href } from '../../router';
import { dateTime, money } from '../../format';
import { StatusBadge } from './status';
import type { PageProps } from '../index';

type Status = NonNullable<Schemas['Quote']['status']>;
const STATUSES: Status[] = ['quoted', 'referred', 'declined', 'bound', 'expired'];

type Summary = Schemas['QuotePage']['data'][number];

export function QuoteTable({ quotes, showOrg }: { quotes: Summary[]; showOrg: boolean }) {
  return (
    <div class="table-wrap">
      <table class="stack">
        <thead><tr><th scope="col">Quote</th>{showOrg ? <th scope="col">Organization</th> : null}<th scope="col">Status</th><th scope="col">Valid until</th><th scope="col" class="num">Gross premium</th><th scope="col">Requested</th></tr></thead>
        <tbody>
          {quotes.map((q) => (
            <tr key={q.ref}>
              <th scope="row" data-label="Quote"><a href={href('quotes', q.ref)}>{q.ref}</a></th>
              {showOrg ? <td data-label="Organization">{q.organization_ref}</td> : null}
              <td data-label="Status"><StatusBadge status={q.status} /></td>
              <td data-label="Valid until">{dateTime(q.valid_until)}</td>
              <td class="num" data-label="Gross premium">{money(q.gross_premium)}</td>
              <td data-label="Requested">{dateTime(q.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function QuoteList({ me }: PageProps) {
  const [status, setStatus] = useState<Status | ''>('');
  const state = useAsync(() => ok(api.GET('/v1/quotes', { params: { query: { limit: 200, ...(status ? { status } : {}) } } })), [status]);
  return (
    <section>
      <div class="spread">
        <h1>{me.role === 'enterprise' ? 'Our quotes' : 'All quotes'}</h1>
        <a class="button" href={href('new-quote')}>New quote</a>
      </div>
      <div class="field" style="max-width: 14rem">
        <label for="q-status">Status</label>
        <select id="q-status" value={status} onChange={(e) => setStatus(e.currentTarget.value as Status | '')}>
          <option value="">All</option>
          {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </div>
      <div class="card">
        <Async state={state} what="quotes">
          {(page) => (page.data.length ? <QuoteTable quotes={page.data} showOrg={me.role !== 'enterprise'} />
            : <p class="empty">No quotes{status ? ` with status “${status}”` : ''} yet. <a href={href('new-quote')}>Request one</a>.</p>)}
        </Async>
      </div>
    </section>
  );
}
