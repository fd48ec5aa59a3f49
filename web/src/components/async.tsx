/** Loading, error and empty states, shared by every page: nothing is swallowed. */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';

export type AsyncState<T> =
  | { status: 'loading'; data?: undefined; error?: undefined }
  | { status: 'ok'; data: T; error?: undefined }
  | { status: 'error'; data?: undefined; error: Error };

/**
 * Runs `load` now and whenever `deps` change; `reload` runs it again. A stale answer is dropped.
 * `refresh` runs it again keeping the shown data until the answer (forms below stay mounted).
 */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): AsyncState<T> & { reload: () => void; refresh: () => void } {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const run = useRef(0);
  const go = useCallback((keep: boolean) => {
    const mine = ++run.current;
    if (!keep) setState({ status: 'loading' });
    load().then(
      (data) => { if (run.current === mine) setState({ status: 'ok', data }); },
      (error: Error) => { if (run.current === mine) setState({ status: 'error', error }); },
    );
  }, deps);
  useEffect(() => go(false), [go]);
  return { ...state, reload: () => go(false), refresh: () => go(true) };
}

export function Loading({ what }: { what: string }) {
  return <p class="loading" role="status" aria-live="polite"><span class="spinner" aria-hidden="true" />Loading {what}…</p>;
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

/** A failed request: what the API said (problem details), its code and request id, every field it named. */
export function ErrorBox({ error, title }: { error: Error; title?: string }) {
  const p = error instanceof ApiError ? error.problem : null;
  return (
    <div class="error-box" role="alert">
      <strong>{title ?? p?.title ?? 'Something went wrong'}</strong>
      {/* a refused bind names its open subjectivities: listed once, not also inside the sentence */}
      <p>{p?.open_subjectivities?.length ? 'Binding is refused while these subjectivities required before binding are open:' : p?.detail ?? error.message}</p>
      {p?.errors?.length ? (
        <ul>{p.errors.slice(0, 20).map((e) => <li key={`${e.line}-${e.field}`}>{e.line ? `line ${e.line}: ` : ''}<code>{e.field}</code> — {e.message}</li>)}</ul>
      ) : null}
      {p?.open_subjectivities?.length ? (
        <ul>{p.open_subjectivities.map((s) => <li key={s.id}>open subjectivity #{s.id}: {s.text}</li>)}</ul>
      ) : null}
      {p && p.status > 0 ? <p class="muted small">HTTP {p.status} · {p.code}{p.request_id ? ` · request ${p.request_id}` : ''}</p> : null}
    </div>
  );
}

/** Renders `ok` with the data, or the loading / error state. */
export function Async<T>({ state, what, children }: { state: AsyncState<T>; what: string; children: (data: T) => ComponentChildren }) {
  if (state.status === 'loading') return <Loading what={what} />;
  if (state.status === 'error') return <ErrorBox error={state.error} title={`Could not load ${what}`} />;
  return <>{children(state.data)}</>;
}
