/** The underwriter's queue: referred quotes, oldest first. */
import { api, ok } from '../../api/client';
import { Async, useAsync } from '../../components/async';
import { QuoteTable } from './list';

export function ReferralQueue() {
  const state = useAsync(() => ok(api.GET('/v1/quotes', { params: { query: { status: 'referred', limit: 500 } } })), []);
  return (
    <section>
      <h1>Referral queue</h1>
      <p class="muted">Quotes the rules referred to an underwriter. Open one to read its worksheet and decide.</p>
      <div class="card">
        <Async state={state} what="the referral queue">
          {(page) => (page.data.length
            ? <QuoteTable quotes={[...page.data].sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)))} showOrg />
            : <p class="empty">The queue is empty: no referred quotes wait for a decision.</p>)}
        </Async>
      </div>
    </section>
  );
}
