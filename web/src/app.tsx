/** The shell: sign-in, then the pages of the key's role; the header says who the key is. */
import { useEffect, useState } from 'preact/hooks';
import { api, ok } from './api/client';
import { currentKey, rememberKey, type Me } from './session';
import { href, useRoute } from './router';
import { ErrorBox, Loading } from './components/async';
import { SignIn } from './pages/sign-in';
import { Access } from './pages/access';
import { NAV, pageFor } from './pages/index';

export function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [restoring, setRestoring] = useState(Boolean(currentKey()));
  const [restoreError, setRestoreError] = useState<Error | null>(null);

  // a key kept in this tab's session: ask who it is again (it may have been revoked meanwhile)
  useEffect(() => {
    if (!currentKey()) return;
    ok(api.GET('/v1/me')).then(setMe, (e: Error) => { rememberKey(null); setRestoreError(e); }).finally(() => setRestoring(false));
  }, []);

  const signOut = () => { rememberKey(null); setMe(null); location.hash = ''; };

  if (restoring) return <main id="main" class="page"><Loading what="your session" /></main>;
  if (!me) {
    return (
      <>
        {restoreError ? <div class="page"><ErrorBox error={restoreError} title="Your key is no longer accepted: sign in again" /></div> : null}
        <SignIn onSignedIn={(m) => { setRestoreError(null); setMe(m); }} />
      </>
    );
  }
  return <Shell me={me} onSignOut={signOut} />;
}

const ROLE_NAMES: Record<Me['role'], string> = {
  enterprise: 'Enterprise', underwriter: 'Underwriter', actuary: 'Actuary', regulator: 'Regulator', admin: 'Administrator',
};

function Shell({ me, onSignOut }: { me: Me; onSignOut: () => void }) {
  const route = useRoute();
  const nav = NAV[me.role];
  const section = route[0] ?? nav[0]?.path ?? 'access';
  const Page = pageFor(me.role, section);
  useEffect(() => {
    const title = [...nav, { path: 'access', label: 'Your access' }].find((n) => n.path === section)?.label;
    document.title = `${title ?? 'Not found'} · roborisk`;
  }, [section]);
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
      <header class="top">
        <a class="brand" href={href(nav[0]?.path ?? 'access')}>roborisk</a>
        <nav aria-label="Sections">
          <ul>
            {nav.map((n) => <li key={n.path}><a href={href(n.path)} aria-current={n.path === section ? 'page' : undefined}>{n.label}</a></li>)}
            <li><a href={href('access')} aria-current={section === 'access' ? 'page' : undefined}>Your access</a></li>
          </ul>
        </nav>
        <div class="who">
          <span class={`role role-${me.role}`}>{ROLE_NAMES[me.role]}</span>
          {me.organization ? <span class="org" lang="zh-Hans" title={me.organization.ref}>{me.organization.name}</span> : null}
          <button type="button" class="link" onClick={onSignOut}>Sign out</button>
        </div>
      </header>
      <main id="main" class="page" tabIndex={-1}>
        {section === 'access' ? <Access me={me} /> : Page ? <Page me={me} route={route} /> : (
          <section><h1>Page not found</h1><p>There is no page “{section}” for the {ROLE_NAMES[me.role].toLowerCase()} role. <a href={href('access')}>See what your key may do</a>.</p></section>
        )}
      </main>
    </>
  );
}
