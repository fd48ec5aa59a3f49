/**
 * Imports of the validation history: choose the kind and a CSV, JSON or NDJSON file, upload it
 * (the file is streamed from disk, not read into the page) with its progress in bytes, then the
 * server's validation, then the counts, or every bad line with its messages (a rejected file
 * writes nothing).
 */
import { useState } from 'preact/hooks';
import { api, ApiError, ok, type Schemas } from '../../api/client';
import { uploadWithProgress } from '../../api/upload';
import { ErrorBox } from '../../components/async';
import { Field } from '../../components/field';
import { number } from '../../format';

type Kind = Schemas['ImportResult']['kind'];
const KINDS: { kind: Kind; label: string }[] = [
  { kind: 'deployments', label: 'Deployments' }, { kind: 'exposures', label: 'Exposures (hours)' }, { kind: 'incidents', label: 'Incidents' },
];
const TYPES: Record<string, string> = { csv: 'text/csv', json: 'application/json', ndjson: 'application/x-ndjson', jsonl: 'application/x-ndjson' };

type State =
  | { phase: 'idle' }
  | { phase: 'uploading'; file: string; bytes: number; sent: number; started: number }
  | { phase: 'done'; file: string; result: Schemas['ImportResult']; seconds: number }
  | { phase: 'failed'; file: string; error: Error };

const size = (b: number) => (b < 1024 ? `${b} B` : b < 1024 ** 2 ? `${(b / 1024).toFixed(1)} KB` : `${(b / 1024 ** 2).toFixed(1)} MB`);

export function Imports() {
  const [kind, setKind] = useState<Kind>('exposures');
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | undefined>();
  const [state, setState] = useState<State>({ phase: 'idle' });

  const upload = async () => {
    if (!file) { setFileError('choose a file to import'); return; }
    const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
    const type = TYPES[ext] ?? 'text/csv';
    setFileError(undefined);
    const started = Date.now();
    setState({ phase: 'uploading', file: file.name, bytes: file.size, sent: 0, started });
    const progress = (sent: number, total: number) => setState((s) => (s.phase === 'uploading' ? { ...s, sent, bytes: total } : s));
    try {
      const result = await ok(api.POST('/v1/imports/{kind}', {
        params: { path: { kind } }, body: '', bodySerializer: () => file, headers: { 'Content-Type': type },
        fetch: uploadWithProgress(file, progress),
      }));
      setState({ phase: 'done', file: file.name, result, seconds: (Date.now() - started) / 1000 });
    } catch (e) { setState({ phase: 'failed', file: file.name, error: e as Error }); }
  };

  return (
    <section>
      <h1>Imports</h1>
      <p class="muted">The validation history in the data-contract columns. A file with any bad line is rejected whole: nothing is written, and every problem is listed by line. Importing the same rows again changes nothing.</p>
      <form class="card" noValidate onSubmit={(e) => { e.preventDefault(); void upload(); }}>
        <div class="line-grid">
          <Field id="imp-kind" label="What the file holds">
            {(a) => <select {...a} value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind)}>{KINDS.map((k) => <option key={k.kind} value={k.kind}>{k.label}</option>)}</select>}
          </Field>
          <Field id="imp-file" label="File (CSV, JSON array or NDJSON)" error={fileError} hint={file ? `${file.name}, ${size(file.size)}` : undefined}>
            {(a) => <input {...a} type="file" accept=".csv,.json,.ndjson,.jsonl,text/csv,application/json" onChange={(e) => { setFile(e.currentTarget.files?.[0] ?? null); setFileError(undefined); }} />}
          </Field>
        </div>
        <button type="submit" disabled={state.phase === 'uploading'}>{state.phase === 'uploading' ? 'Importing…' : 'Import'}</button>
      </form>
      <ImportStatus state={state} />
    </section>
  );
}

function ImportStatus({ state }: { state: State }) {
  if (state.phase === 'idle') return null;
  if (state.phase === 'uploading') {
    return (
      <div class="card" role="status" aria-live="polite">
        <h2>Importing {state.file}</h2>
        {state.sent < state.bytes
          ? <>
              <progress aria-label={`Sending ${state.file}`} max={state.bytes} value={state.sent} />
              <p class="small muted">Sending: {size(state.sent)} of {size(state.bytes)} ({Math.floor((100 * state.sent) / Math.max(state.bytes, 1))} %).</p>
            </>
          : <>
              <progress aria-label={`Validating ${state.file}`} />
              <p class="small muted">{size(state.bytes)} sent; the server validates every line before writing any.</p>
            </>}
      </div>
    );
  }
  if (state.phase === 'done') {
    const r = state.result;
    return (
      <div class="card" role="status">
        <h2>Imported {state.file}</h2>
        <p class="notice">{number(r.rows)} rows of {r.kind} in {state.seconds.toFixed(1)} s: {number(r.inserted)} new, {number(r.updated)} changed (audited), {number(r.unchanged)} unchanged.</p>
      </div>
    );
  }
  const p = state.error instanceof ApiError ? state.error.problem : null;
  const lines = p?.errors ?? [];
  if (!lines.length) return <ErrorBox error={state.error} title={`${state.file} was not imported`} />;
  return (
    <div class="card">
      <div class="error-box" role="alert">
        <strong>{state.file} was not imported: nothing was written</strong>
        <p>{p?.detail}</p>
        {p?.truncated ? <p class="small">The first {lines.length} of {p.error_count} problems are listed.</p> : null}
      </div>
      <h2>Bad lines</h2>
      <div class="table-wrap">
        <table class="stack bad-lines">
          <thead><tr><th scope="col" class="num">Line</th><th scope="col">Field</th><th scope="col">Problem</th></tr></thead>
          <tbody>
            {lines.slice(0, 1000).map((e, i) => (
              <tr key={i}>
                <th scope="row" class="num labelled" data-label="Line">{e.line ?? '—'}</th>
                <td data-label="Field"><code>{e.field}</code></td>
                <td data-label="Problem">{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {lines.length > 1000 ? <p class="small muted">{lines.length - 1000} more problems are not shown.</p> : null}
    </div>
  );
}
