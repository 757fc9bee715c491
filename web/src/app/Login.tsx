/** The login form: username and password; says clearly what a 401 or a 429 means. */
import { useState, type FormEvent } from 'react';
import { request, isApiError } from '../lib/api.ts';
import type { UserInfo } from '../lib/types.ts';
import '../styles/login.css';

export function Login({ onLogin, notice }: { onLogin(user: UserInfo): void; notice?: string | undefined }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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

  return (
    <div className="login-screen">
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
          <input className="input" name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} aria-label="Username" required autoFocus value={username} onChange={(e) => setUsername(e.target.value)} />
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
    </div>
  );
}
