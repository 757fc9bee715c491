/**
 * The login form: username and password; says clearly what a 401 or a 429 means. `modal`: over the
 * open pages when the session ended, as a modal <dialog> (the browser keeps focus in it and makes the
 * page behind it inert); it cannot be dismissed, only logged in through.
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { request, isApiError } from '../lib/api.ts';
import type { UserInfo } from '../lib/types.ts';
import '../styles/login.css';

interface Props {
  onLogin(user: UserInfo): void;
  notice?: string | undefined;
  modal?: boolean;
  /** who was logged in (the dialog asks them again) */
  username?: string;
}

export function Login({ onLogin, notice, modal = false, username: known = '' }: Props) {
  const [username, setUsername] = useState(known);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  // the dialog knows who it was: the password is what is asked (after the dialog's own focus, set as it opens)
  useEffect(() => {
    if (known !== '') passwordRef.current?.focus();
  }, [known]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await request<{ user: UserInfo }>('/api/auth/login', { method: 'POST', body: { username, password }, quiet401: true });
      onLogin(r.user);
    } catch (err) {
      if (isApiError(err) && err.status === 401) setError('Wrong username or password.');
      else if (isApiError(err) && err.status === 429)
        setError(`Too many login attempts. Wait ${err.retryAfter === null ? 'a minute' : `${err.retryAfter} s`} and try again.`);
      else if (isApiError(err)) setError(err.message);
      else setError(`Cannot reach the server: ${err instanceof Error ? err.message : String(err)}`);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  const form = (
    <form className="login panel" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
      <div className="login-brand">
        <img src="/favicon.svg" alt="" width="36" height="36" />
        <div>
          <h1 id="login-title">NML</h1>
          <div className="faint">Network Muscle Learning</div>
        </div>
      </div>
      {notice !== undefined && error === null && <div className="notice">{notice}</div>}
      <label className="field">
        Username
        <input className="input" name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} aria-label="Username" required autoFocus={known === ''} value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <label className="field">
        Password
        <input
          className="input"
          name="password"
          type="password"
          autoComplete="current-password"
          aria-label="Password"
          required
          ref={passwordRef}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      {error !== null && (
        <div className="notice error" role="alert">
          {error}
        </div>
      )}
      <button type="submit" className="btn primary" disabled={busy} aria-label="Log in">
        {busy ? 'Logging in…' : 'Log in'}
      </button>
    </form>
  );
  return modal ? <LoginDialog>{form}</LoginDialog> : <div className="login-screen">{form}</div>;
}

function LoginDialog({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const mounted = useRef(false);
  useEffect(() => {
    const d = ref.current;
    mounted.current = true;
    if (d !== null && !d.open) d.showModal();
    return () => {
      mounted.current = false;
      d?.close();
    };
  }, []);
  // Escape would close it and leave the page inert and logged out: it stays until the login succeeds
  // (a second Escape cannot be refused by cancel in Chromium, hence the reopening on close)
  const reopen = () => {
    if (mounted.current && ref.current !== null && !ref.current.open) ref.current.showModal();
  };
  return (
    <dialog ref={ref} className="login-dialog" aria-labelledby="login-title" onCancel={(e) => e.preventDefault()} onClose={reopen}>
      {children}
    </dialog>
  );
}
