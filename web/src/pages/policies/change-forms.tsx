/**
 * An underwriter's mid-term changes: an endorsement (add or remove units of a line, by count or
 * by serial number) and the cancellation of an annual policy. The API's message for a field
 * (problem details `errors`) shows next to that field; any other problem above the form.
 */
import { useState } from 'preact/hooks';
import { api, ApiError, ok, type Schemas } from '../../api/client';
import { ErrorBox } from '../../components/async';
import { Field } from '../../components/field';
import { money } from '../../format';

type Policy = Schemas['Policy'];
const today = () => new Date().toISOString().slice(0, 10);
const serials = (s: string) => s.split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);

/** Field messages for `names`; the error itself when the API named none of them. */
function split(error: Error | null, names: string[]) {
  const msgs = Object.fromEntries(names.map((n) => [n, error instanceof ApiError ? error.fieldMessage(n) : undefined]));
  const general = error && !names.some((n) => msgs[n]) ? error : null;
  return { msgs, general };
}

export function EndorsementForm({ p, onDone }: { p: Policy; onDone: () => void }) {
  const identified = new Set(p.units.map((u) => u.line));
  const [f, setF] = useState({ effective_date: today(), reason: '', line: 1, change: 'add' as 'add' | 'remove', count: '1', serials: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const byserial = identified.has(f.line);
  const key = `${f.change}_${byserial ? 'serial_numbers' : 'units'}` as const;
  const set = (k: keyof typeof f) => (e: { currentTarget: { value: string } }) => setF({ ...f, [k]: k === 'line' ? Number(e.currentTarget.value) : e.currentTarget.value });
  const submit = async () => {
    setBusy(true); setError(null); setDone(null);
    const line: Schemas['EndorsementLine'] = { line: f.line, [key]: byserial ? serials(f.serials) : Number(f.count) };
    try {
      const r = await ok(api.POST('/v1/policies/{no}/endorsements', { params: { path: { no: p.policy_number } }, body: { effective_date: f.effective_date, reason: f.reason, lines: [line] } }));
      const last = r.changes[r.changes.length - 1];
      setDone(`Endorsed: ${money(last?.premium)} ${last && last.premium < 0 ? 'returned' : 'charged'}; full-term premium now ${money(r.premium_in_force.annual_premium)}.`);
      onDone();
    } catch (e) { setError(e as Error); } finally { setBusy(false); }
  };
  const { msgs, general } = split(error, ['effective_date', 'reason', 'lines.0.line', `lines.0.${key}`, 'lines']);
  return (
    <form class="card" noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h2>Endorsement</h2>
      {done ? <p class="notice" role="status">{done}</p> : null}
      {general ? <ErrorBox error={general} title="Not endorsed" /> : null}
      <Field id="end-date" label="Effective date" error={msgs.effective_date}>{(a) => <input {...a} type="date" value={f.effective_date} onInput={set('effective_date')} />}</Field>
      <Field id="end-line" label="Fleet line" error={msgs['lines.0.line'] ?? msgs.lines}>
        {(a) => <select {...a} value={f.line} onChange={set('line')}>{p.schedule.fleet.map((l, i) => <option key={i} value={i + 1}>{i + 1}. {l.robot_model} ({l.units} units)</option>)}</select>}
      </Field>
      <Field id="end-change" label="Change">
        {(a) => <select {...a} value={f.change} onChange={set('change')}><option value="add">Add units</option><option value="remove">Remove units</option></select>}
      </Field>
      {byserial ? (
        <Field id="end-serials" label="Serial numbers" hint="Separated by commas or spaces" error={msgs[`lines.0.${key}`]}>{(a) => <textarea {...a} rows={2} value={f.serials} onInput={set('serials')} />}</Field>
      ) : (
        <Field id="end-count" label="Units" error={msgs[`lines.0.${key}`]}>{(a) => <input {...a} type="number" min={1} step={1} value={f.count} onInput={set('count')} />}</Field>
      )}
      <Field id="end-reason" label="Reason (audited, printed on the binder)" error={msgs.reason}>{(a) => <textarea {...a} rows={2} value={f.reason} onInput={set('reason')} />}</Field>
      <button type="submit" disabled={busy}>{busy ? 'Endorsing…' : 'Endorse'}</button>
    </form>
  );
}

export function CancellationForm({ p, onDone }: { p: Policy; onDone: () => void }) {
  const [f, setF] = useState({ effective_date: today() < p.period.start ? p.period.start : today(), reason: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const submit = async () => {
    setBusy(true); setError(null);
    try { await ok(api.POST('/v1/policies/{no}/cancellation', { params: { path: { no: p.policy_number } }, body: f })); onDone(); } catch (e) { setError(e as Error); } finally { setBusy(false); }
  };
  const { msgs, general } = split(error, ['effective_date', 'reason']);
  return (
    <form class="card" noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h2>Cancellation</h2>
      <p class="small">Returns the premium written less the premium earned to the day before.</p>
      {general ? <ErrorBox error={general} title="Not cancelled" /> : null}
      <Field id="cxl-date" label="First day without cover" error={msgs.effective_date}>{(a) => <input {...a} type="date" value={f.effective_date} onInput={(e) => setF({ ...f, effective_date: e.currentTarget.value })} />}</Field>
      <Field id="cxl-reason" label="Reason (audited, printed on the binder)" error={msgs.reason}>{(a) => <textarea {...a} rows={2} value={f.reason} onInput={(e) => setF({ ...f, reason: e.currentTarget.value })} />}</Field>
      <button type="submit" class="danger" disabled={busy}>{busy ? 'Cancelling…' : 'Cancel the policy'}</button>
    </form>
  );
}
