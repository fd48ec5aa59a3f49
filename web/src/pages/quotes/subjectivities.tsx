/**
 * A quote's subjectivities with their status and deadline: the insured adds an evidence note to
 * an open one; an underwriter marks it satisfied or waives it, with a note (both audited).
 */
import { useState } from 'preact/hooks';
import { api, ApiError, ok, type Schemas } from '../../api/client';
import { ErrorBox } from '../../components/async';
import { Field } from '../../components/field';
import { dateTime } from '../../format';
import { StatusBadge } from './status';
import type { Me } from '../../session';

type Subjectivity = Schemas['Subjectivity'];

const DEADLINE: Record<Subjectivity['required_before'], string> = {
  bind: 'before binding', inception: 'before cover starts', none: 'no deadline',
};

export function Subjectivities({ me, quoteRef, items, closed, onChange }: {
  me: Me; quoteRef: string; items: Subjectivity[]; closed: boolean; onChange: (s: Subjectivity) => void;
}) {
  if (!items.length) return <p class="muted">None: nothing to provide before binding.</p>;
  return (
    <ul class="subjectivities">
      {items.map((s) => (
        <li key={s.id} class="subjectivity">
          <div class="spread">
            <span><strong>#{s.id}</strong> {s.text}</span>
            <StatusBadge status={s.status} />
          </div>
          <p class="small muted">Required {DEADLINE[s.required_before]} · imposed by {s.source === 'rules' ? 'the rules' : 'an underwriter'}</p>
          {s.evidence_note ? <p class="small">Evidence: {s.evidence_note} <span class="muted">({dateTime(s.evidence_at)})</span></p> : null}
          {s.status !== 'open' ? <p class="small">{s.status === 'satisfied' ? 'Satisfied' : 'Waived'} {dateTime(s.at)}{s.note ? `: ${s.note}` : ''}</p> : null}
          {s.status === 'open' && !closed && (me.role === 'enterprise' || me.role === 'underwriter')
            ? <SubjectivityForm role={me.role} quoteRef={quoteRef} s={s} onChange={onChange} /> : null}
        </li>
      ))}
    </ul>
  );
}

function SubjectivityForm({ role, quoteRef, s, onChange }: { role: 'enterprise' | 'underwriter'; quoteRef: string; s: Subjectivity; onChange: (s: Subjectivity) => void }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const send = async (body: Schemas['SubjectivityUpdate']) => {
    setBusy(true); setError(null);
    try {
      onChange(await ok(api.POST('/v1/quotes/{ref}/subjectivities/{id}', { params: { path: { ref: quoteRef, id: s.id } }, body })));
      setText('');
    } catch (e) { setError(e as Error); } finally { setBusy(false); }
  };
  const field = role === 'enterprise' ? 'evidence_note' : 'note';
  const fieldError = error instanceof ApiError ? error.fieldMessage(field) : undefined;
  const id = `subj-${s.id}-${field}`;
  return (
    <form class="inline-form" noValidate onSubmit={(e) => { e.preventDefault(); void send(role === 'enterprise' ? { evidence_note: text } : { status: 'satisfied', note: text }); }}>
      {error && !fieldError ? <ErrorBox error={error} title="Not saved" /> : null}
      <Field id={id} label={role === 'enterprise' ? `Evidence for #${s.id}` : `Note on #${s.id} (why it is met or waived)`} error={fieldError}>
        {(a) => <textarea {...a} rows={2} value={text} onInput={(e) => setText(e.currentTarget.value)} />}
      </Field>
      <div class="row">
        {role === 'enterprise' ? <button type="submit" disabled={busy}>Add evidence note</button> : (
          <>
            <button type="submit" disabled={busy}>Mark #{s.id} satisfied</button>
            <button type="button" class="secondary" disabled={busy} onClick={() => send({ status: 'waived', note: text })}>Waive #{s.id}</button>
          </>
        )}
      </div>
    </form>
  );
}
