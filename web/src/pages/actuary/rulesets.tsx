/** Rule set versions (each rule: its effect and reason) and rating plan versions (loadings, models per coverage); activate a draft. */
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { api, ok } from '../../api/client';
import { Async, ErrorBox, useAsync } from '../../components/async';
import { dateTime, humanize, money0, percent } from '../../format';
import { href } from '../../router';
import { StatusBadge } from '../quotes/status';

export function Rulesets() {
  const rulesets = useAsync(() => ok(api.GET('/v1/rulesets', { params: { query: { limit: 100 } } })), []);
  const plans = useAsync(() => ok(api.GET('/v1/rating-plans', { params: { query: { limit: 100 } } })), []);
  return (
    <section>
      <h1>Rules and rating plans</h1>
      <h2>Rating plans</h2>
      <Async state={plans} what="rating plans">
        {(page) => (page.data.length ? page.data.map((p) => (
          <div class="card" key={p.id}>
            <div class="spread">
              <h3>{p.name} v{p.version} <StatusBadge status={p.status} /></h3>
              {p.status === 'draft' ? <Activate kind="rating-plans" id={p.id} /> : null}
            </div>
            <p class="small muted">Effective from {dateTime(p.effective_from)} · created by {p.created_by}</p>
            <dl class="facts">
              <dt>Loadings</dt>
              <dd>expenses {percent(p.plan.loadings.expense)}, commission {percent(p.plan.loadings.commission)}, profit {percent(p.plan.loadings.profit)}, cost of capital {percent(p.plan.loadings.cost_of_capital)}, tax {percent(p.plan.loadings.tax)}; minimum premium {money0(p.plan.loadings.minimum_premium)}</dd>
              {Object.entries(p.plan.coverages).map(([c, v]) => (
                <Fragment key={c}>
                  <dt>{humanize(c)}</dt>
                  <dd>frequency <a href={href('models', String(v?.frequency_model_id))}>#{v?.frequency_model_id}</a>, severity <a href={href('models', String(v?.severity_model_id))}>#{v?.severity_model_id}</a></dd>
                </Fragment>
              ))}
            </dl>
          </div>
        )) : <p class="empty">No rating plan yet.</p>)}
      </Async>
      <h2>Rule sets</h2>
      <Async state={rulesets} what="rule sets">
        {(page) => (page.data.length ? page.data.map((r) => (
          <div class="card" key={r.id}>
            <div class="spread">
              <h3>{r.name} v{r.version} <StatusBadge status={r.status} /></h3>
              {r.status === 'draft' ? <Activate kind="rulesets" id={r.id} /> : null}
            </div>
            <p class="small muted">Effective from {dateTime(r.effective_from)} · {r.ruleset.rules.length} rules</p>
            <div class="table-wrap">
              <table class="stack">
                <thead><tr><th scope="col">Rule</th><th scope="col">Effect</th><th scope="col">Reason given</th></tr></thead>
                <tbody>
                  {r.ruleset.rules.map((rule) => (
                    <tr key={rule.name}>
                      <th scope="row" data-label="Rule"><code>{rule.name}</code></th>
                      <td data-label="Effect">{rule.event.type}</td>
                      <td data-label="Reason">{String((rule.event.params as { reason?: string } | undefined)?.reason ?? rule.description ?? '')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )) : <p class="empty">No rule set yet.</p>)}
      </Async>
    </section>
  );
}

function Activate({ kind, id }: { kind: 'rulesets' | 'rating-plans'; id: number }) {
  const [state, setState] = useState<{ busy: boolean; error: Error | null; done: boolean }>({ busy: false, error: null, done: false });
  const run = async () => {
    setState({ busy: true, error: null, done: false });
    try {
      if (kind === 'rulesets') await ok(api.POST('/v1/rulesets/{id}/activate', { params: { path: { id } }, body: {} }));
      else await ok(api.POST('/v1/rating-plans/{id}/activate', { params: { path: { id } }, body: {} }));
      setState({ busy: false, error: null, done: true });
    } catch (e) { setState({ busy: false, error: e as Error, done: false }); }
  };
  if (state.done) return <span class="notice" role="status">Activated (reload to see the new status)</span>;
  return <span><button type="button" onClick={run} disabled={state.busy}>Activate</button>{state.error ? <ErrorBox error={state.error} title="Activation failed" /> : null}</span>;
}
