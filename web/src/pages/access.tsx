/** What the signed-in key is and may do (GET /v1/me): role, organization, routes. */
import type { Me } from '../session';

const ROLE_TEXT: Record<Me['role'], string> = {
  enterprise: 'You request quotes for your organization’s robot fleet and see only your organization’s quotes and data.',
  underwriter: 'You work the referral queue, decide referred quotes with a note, bind quotes and quote on behalf of clients.',
  actuary: 'You fit and activate frequency and severity models, manage rule sets and rating plans, and read the statistics.',
  regulator: 'You read market-wide risk statistics; cells that could reveal one organization’s figures are withheld.',
  admin: 'You manage organizations and API keys. This console has no administration pages yet: use the API (/docs).',
};

export function Access({ me }: { me: Me }) {
  return (
    <section>
      <h1>Your access</h1>
      <div class="card">
        <dl class="facts">
          <dt>Role</dt><dd>{me.role}</dd>
          <dt>Organization</dt>
          <dd>{me.organization ? <><span lang="zh-Hans">{me.organization.name}</span> <span class="muted">({me.organization.ref}, {me.organization.kind})</span></> : 'not bound to an organization'}</dd>
          <dt>Key label</dt><dd>{me.label ?? '—'}</dd>
        </dl>
        <p>{ROLE_TEXT[me.role]}</p>
      </div>
      <h2>What this key may call ({me.may.length} operations)</h2>
      <div class="card table-wrap">
        <table class="stack">
          <thead><tr><th scope="col">Method</th><th scope="col">Path</th><th scope="col">What it does</th></tr></thead>
          <tbody>
            {me.may.map((m) => (
              <tr key={`${m.method} ${m.path}`}>
                <td data-label="Method"><code>{m.method}</code></td>
                <td data-label="Path"><code>{m.path}</code></td>
                <td data-label="What">{m.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
