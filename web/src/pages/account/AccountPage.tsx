/** Account: the logged-in user's own password, and for admins the users of this server and the audit log. */
import { useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { request, isApiError } from '../../lib/api.ts';
import type { PasswordChangeRequest } from '../../lib/types.ts';
import { useAuth } from '../../app/auth.ts';
import { errorText, passwordProblem, PASSWORD_MIN } from './checks.ts';
import { UsersPanel } from './UsersPanel.tsx';
import { AuditPanel } from './AuditPanel.tsx';
import './account.css';

type Outcome = { kind: 'idle' } | { kind: 'busy' } | { kind: 'ok' } | { kind: 'error'; message: string };

interface PasswordFieldProps {
  label: string;
  name: string;
  autoComplete: 'current-password' | 'new-password';
  value: string;
  onChange(v: string): void;
  minLength?: number;
  describedBy?: string;
  inputRef?: RefObject<HTMLInputElement | null>;
}

/** One labelled, required password input of the form. */
function PasswordField({ label, name, autoComplete, value, onChange, minLength, describedBy, inputRef }: PasswordFieldProps) {
  return (
    <label className="field">
      {label}
      <input
        ref={inputRef}
        className="input"
        type="password"
        name={name}
        autoComplete={autoComplete}
        required
        minLength={minLength}
        aria-describedby={describedBy}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

function PasswordPanel({ onChanged }: { onChanged(): void }) {
  const { user } = useAuth();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const currentRef = useRef<HTMLInputElement>(null);
  const hintId = useId();

  // typing again clears the last answer, so an old confirmation or error does not stand next to new input
  const edit = (set: (v: string) => void) => (v: string) => {
    set(v);
    if (outcome.kind === 'ok' || outcome.kind === 'error') setOutcome({ kind: 'idle' });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = current === '' ? 'Enter your current password.' : passwordProblem(password, { repeat });
    if (problem !== null) {
      setOutcome({ kind: 'error', message: problem });
      return;
    }
    setOutcome({ kind: 'busy' });
    try {
      const body: PasswordChangeRequest = { current, password };
      await request<void>('/api/auth/password', { method: 'POST', body });
      setCurrent('');
      setPassword('');
      setRepeat('');
      setOutcome({ kind: 'ok' });
      onChanged();
    } catch (err) {
      setOutcome({ kind: 'error', message: errorText(err) });
      if (isApiError(err) && err.code === 'AUTH_PASSWORD_WRONG') {
        setCurrent('');
        currentRef.current?.focus();
      }
    }
  };

  return (
    <section className="panel" aria-labelledby="password-title">
      <div className="panel-head">
        <h2 id="password-title">Your password</h2>
        <span className="spacer" />
        <span className="dim account-who">
          Logged in as <strong>{user.name}</strong> <span className="role-chip">{user.role}</span>
        </span>
      </div>
      <form className="panel-body account-form" onSubmit={(e) => void submit(e)} aria-labelledby="password-title" noValidate>
        {/* for password managers: whose password this is */}
        <input type="text" name="username" autoComplete="username" value={user.name} readOnly hidden />
        <PasswordField label="Current password" name="current-password" autoComplete="current-password" value={current} onChange={edit(setCurrent)} inputRef={currentRef} />
        <PasswordField label="New password" name="new-password" autoComplete="new-password" value={password} onChange={edit(setPassword)} minLength={PASSWORD_MIN} describedBy={hintId} />
        <PasswordField label="Repeat new password" name="repeat-password" autoComplete="new-password" value={repeat} onChange={edit(setRepeat)} />
        <p className="faint account-hint" id={hintId}>
          At least {PASSWORD_MIN} characters. Changing it ends your other sessions; this one stays logged in.
        </p>
        {outcome.kind === 'error' && (
          <div className="notice error" role="alert">
            {outcome.message}
          </div>
        )}
        {outcome.kind === 'ok' && (
          <div className="notice ok" role="status">
            Password changed. Your other sessions have ended; this one stays logged in.
          </div>
        )}
        <div>
          <button type="submit" className="btn primary" disabled={outcome.kind === 'busy'}>
            {outcome.kind === 'busy' ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </form>
    </section>
  );
}

export default function AccountPage() {
  const { user } = useAuth();
  // a changed password changes your row's "Changed" time: the users table reloads
  const [changes, setChanges] = useState(0);
  return (
    <div className="account">
      <PasswordPanel onChanged={() => setChanges((n) => n + 1)} />
      {user.role === 'admin' ? (
        <>
          <UsersPanel reloadKey={changes} />
          <AuditPanel />
        </>
      ) : (
        <section className="panel" aria-labelledby="users-title">
          <div className="panel-head">
            <h2 id="users-title">Users</h2>
          </div>
          <p className="panel-body dim account-note">
            Managing users (adding them, changing roles, resetting passwords) needs the admin role, and so does reading the audit log. Ask an
            admin, or use <code>nml user</code> on the server.
          </p>
        </section>
      )}
    </div>
  );
}
