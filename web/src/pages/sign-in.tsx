/** Sign in with an API key: checked with GET /v1/me, then kept in this tab's session only. */
import { useState } from 'preact/hooks';
import { api, ApiError, ok } from '../api/client';
import { rememberKey, type Me } from '../session';
import { Field } from '../components/field';
import { ErrorBox } from '../components/async';

export function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    const k = key.trim();
    if (!k) { setError(new Error('Enter your API key.')); return; }
    setBusy(true);
    setError(null);
    rememberKey(k);
    try {
      const me = await ok(api.GET('/v1/me'));
      setKey('');
      onSignedIn(me);
    } catch (err) {
      rememberKey(null);
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  const fieldError = error && !(error instanceof ApiError) ? error.message
    : error instanceof ApiError && error.problem.status === 401 ? 'This key is not accepted (unknown, revoked or expired).' : undefined;

  return (
    <main id="main" class="page signin">
      <div class="card" style="max-width: 34rem; margin: 3rem auto;">
        <h1>roborisk console</h1>
        <p>Underwriting and risk statistics for humanoid robots at work. Sign in with the API key you were given
          (<code>npm start</code> prints one demo key per role on its first start).</p>
        <form onSubmit={submit} noValidate>
          <Field id="api-key" label="API key" error={fieldError} hint="Kept in this browser tab only, until you sign out or close it.">
            {(aria) => <input {...aria} type="password" autoComplete="off" spellcheck={false} value={key} onInput={(e) => setKey(e.currentTarget.value)} />}
          </Field>
          <button type="submit" disabled={busy}>{busy ? 'Checking…' : 'Sign in'}</button>
        </form>
        {error instanceof ApiError && error.problem.status !== 401 ? <ErrorBox error={error} title="Could not sign in" /> : null}
        <p class="muted small">Developers: the API itself is documented at <a href="/docs">/docs</a>.</p>
      </div>
    </main>
  );
}
