/**
 * The app: asks who is logged in, shows the login form or the shell with the page of the URL. A
 * session that ends under an open page gets the login form as a dialog over the shell, which stays
 * mounted: what the operator was typing is still there after logging in again.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { request, isApiError, SESSION_RENEWED_EVENT, UNAUTHORIZED_EVENT } from '../lib/api.ts';
import type { UserInfo } from '../lib/types.ts';
import { navigate, useLocation } from '../lib/router.ts';
import { pages, DEFAULT_PATH } from '../pages/index.ts';
import { AuthContext, type AuthState } from './auth.ts';
import { Login } from './Login.tsx';
import { TopBar } from './TopBar.tsx';
import { PageBoundary } from './PageBoundary.tsx';

type Session = { state: 'checking' } | { state: 'out'; error?: string } | { state: 'in'; user: UserInfo; expired?: boolean };

export function App() {
  const [session, setSession] = useState<Session>({ state: 'checking' });

  useEffect(() => {
    let live = true;
    request<{ user: UserInfo }>('/api/auth/me', { quiet401: true })
      .then((r) => live && setSession({ state: 'in', user: r.user }))
      .catch((e: unknown) => {
        if (!live) return;
        if (isApiError(e) && e.status === 401) setSession({ state: 'out' });
        else setSession({ state: 'out', error: `cannot reach the server: ${e instanceof Error ? e.message : String(e)}` });
      });
    // the same object when already expired: every poll that meets the 401 re-renders nothing
    const onUnauthorized = () => setSession((s) => (s.state !== 'in' ? { state: 'out', error: 'Your session ended. Log in again.' } : s.expired === true ? s : { ...s, expired: true }));
    window.addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    return () => {
      live = false;
      window.removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    };
  }, []);

  // logged out only when the server says so (2xx) or the session had already ended (401): otherwise the
  // session is still valid, and the next person at a shared workstation must not find it open
  const logout = useCallback(async (): Promise<boolean> => {
    try {
      await request('/api/auth/logout', { method: 'POST', body: {}, quiet401: true });
    } catch (e) {
      if (!(isApiError(e) && e.status === 401)) return false;
    }
    setSession({ state: 'out' });
    return true;
  }, []);

  const auth = useMemo<AuthState | null>(() => (session.state === 'in' ? { user: session.user, logout } : null), [session, logout]);

  if (session.state === 'checking') {
    return (
      <div className="boot" aria-busy="true">
        <span className="spinner" /> Connecting…
      </div>
    );
  }
  if (session.state === 'out' || auth === null) {
    return <Login notice={session.state === 'out' ? session.error : undefined} onLogin={(user) => setSession({ state: 'in', user })} />;
  }
  const expired = session.state === 'in' && session.expired === true;
  const renewed = (user: UserInfo) => {
    setSession({ state: 'in', user });
    // after the shell is usable again: a page that failed with the ended session asks again
    setTimeout(() => window.dispatchEvent(new Event(SESSION_RENEWED_EVENT)), 0);
  };
  return (
    <AuthContext.Provider value={auth}>
      {/* another user logging in on the dialog starts afresh: the drafts were the first one's */}
      <div className="shell" key={auth.user.name} inert={expired} aria-hidden={expired ? true : undefined}>
        <Shell />
      </div>
      {expired && <Login modal username={auth.user.name} notice="Your session ended. Log in again to carry on: what you typed is kept." onLogin={renewed} />}
    </AuthContext.Provider>
  );
}

function Shell() {
  const { path } = useLocation();
  const page = pages.find((p) => p.path === path);
  useEffect(() => {
    if (path === '/' || page === undefined) navigate(DEFAULT_PATH + window.location.search, { replace: true });
  }, [path, page]);
  useEffect(() => {
    document.title = page === undefined ? 'NML' : `${page.title} · NML`;
  }, [page]);
  return (
    <>
      {/* the first Tab stop: past the top bar's links and buttons to the page itself */}
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <TopBar current={page?.path ?? ''} />
      <main className="page" id="main" tabIndex={-1} aria-labelledby={page === undefined ? undefined : 'page-title'}>
        {/* one h1 per page: the page's name, as the top bar marks it; the page's own headings are h2 */}
        {page !== undefined && (
          <h1 id="page-title" className="sr-only">
            {page.title}
          </h1>
        )}
        {/* a page whose code cannot be fetched says so here, under a usable top bar */}
        {page !== undefined && <PageBoundary key={page.path} page={page} />}
      </main>
    </>
  );
}
