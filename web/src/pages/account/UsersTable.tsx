/**
 * The users table: per user a role select, "Reset password" (an inline form) and "Delete" (an inline
 * confirmation). The last admin can be neither demoted nor deleted. A role change asks first and says what
 * follows (user management given or taken away, and for a viewer that their findings are unassigned; for yourself, losing it at once), as deleting does: a
 * closed select changes on an arrow key in some browsers, and a role is not a thing to change by accident.
 */
import { Fragment, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { isApiError, request } from '../../lib/api.ts';
import { formatAgo, formatTime } from '../../lib/format.ts';
import { serverNow } from '../../lib/server-clock.ts';
import type { UserRecord, UserResponse, UserRole, UserUpdateRequest } from '../../lib/types.ts';
import { useAuth } from '../../app/auth.ts';
import { errorText, passwordProblem, PASSWORD_MIN } from './checks.ts';

export type { Notice } from '../../components/NoticeBox.tsx';
import type { Notice } from '../../components/NoticeBox.tsx';

type Action = { name: string; kind: 'reset' | 'delete' } | { name: string; kind: 'role'; role: UserRole };

interface TableProps {
  users: UserRecord[];
  onChanged(u: UserRecord): void;
  onDeleted(name: string): void;
  onNotice(n: Notice | null): void;
}

const userUrl = (name: string): string => `/api/users/${encodeURIComponent(name)}`;
const patchUser = (name: string, body: UserUpdateRequest) => request<UserResponse>(userUrl(name), { method: 'PATCH', body });
const article = (role: UserRole): string => (role === 'admin' ? 'an admin' : role === 'viewer' ? 'a viewer' : 'an analyst');

/** What follows a role change from `was` to `role`, as the question says it. */
function roleChangeText(was: UserRole, role: UserRole): string {
  if (role === 'admin') return 'They can then add, change and delete every user, you included.';
  const lose = was === 'admin' ? ' They lose user management at once.' : '';
  if (role === 'viewer') return `They can then read but not triage, assign or save, and the findings assigned to them are unassigned.${lose}`;
  return was === 'viewer' ? 'They can then triage findings and be assigned them.' : lose.trim();
}

function Stamp({ ms }: { ms: number }) {
  return (
    <time className="nowrap" dateTime={new Date(ms).toISOString()} title={formatAgo(ms, serverNow())}>
      {formatTime(ms, false)}
    </time>
  );
}

/** The row under a user that holds its open action; Escape closes it. */
function ActionRow({ label, onCancel, children }: { label: string; onCancel(): void; children: ReactNode }) {
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') onCancel();
  };
  return (
    <tr className="user-action">
      <td colSpan={5}>
        <div className="user-action-body" role="group" aria-label={label} onKeyDown={onKey}>
          {children}
        </div>
      </td>
    </tr>
  );
}

function ResetForm({ u, onDone, onGone, onCancel }: { u: UserRecord; onDone(u: UserRecord): void; onGone(err: unknown): boolean; onCancel(): void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = passwordProblem(password);
    if (problem !== null) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onDone((await patchUser(u.name, { password })).user);
    } catch (err) {
      if (onGone(err)) return;
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <form className="user-action-form" onSubmit={(e) => void submit(e)} noValidate>
      <label className="field">
        New password for {u.name}
        <input
          className="input"
          type="password"
          autoComplete="new-password"
          autoFocus
          required
          minLength={PASSWORD_MIN}
          placeholder={`${PASSWORD_MIN}+ characters`}
          value={password}
          onChange={(e) => {
            setPassword(e.target.value);
            setError(null);
          }}
        />
      </label>
      <button type="submit" className="btn primary" disabled={busy}>
        {busy ? 'Setting…' : 'Set password'}
      </button>
      <button type="button" className="btn" onClick={onCancel}>
        Cancel
      </button>
      <span className="faint user-action-hint">{u.name}&apos;s sessions end; tell them the new password.</span>
      {error !== null && (
        <div className="notice error user-action-error" role="alert">
          {error}
        </div>
      )}
    </form>
  );
}

/** A question with a confirming (dangerous) button and Cancel. */
function Confirm({ text, yes, busy, onYes, onCancel }: { text: ReactNode; yes: string; busy: boolean; onYes(): void; onCancel(): void }) {
  return (
    <div className="user-action-form">
      <span className="user-action-text">{text}</span>
      <button type="button" className="btn danger" disabled={busy} onClick={onYes} autoFocus>
        {busy ? 'Working…' : yes}
      </button>
      <button type="button" className="btn" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

export function UsersTable({ users, onChanged, onDeleted, onNotice }: TableProps) {
  const { user: me, logout } = useAuth();
  const [open, setOpen] = useState<Action | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const admins = users.filter((u) => u.role === 'admin').length;

  /**
   * The server has no user of a row's name: it was deleted after the list was read (by another admin,
   * or `nml user del`). The row goes, and the notice says why; false for any other error.
   */
  const gone = (u: UserRecord, err: unknown, deleting = false): boolean => {
    if (!isApiError(err) || err.code !== 'USER_NOT_FOUND') return false;
    setOpen(null);
    onDeleted(u.name);
    onNotice(
      deleting
        ? { kind: 'ok', text: `${u.name} was deleted already, after this list was loaded; it is off the list now.` }
        : { kind: 'error', text: `There is no user ${u.name} any more: it was deleted after this list was loaded, and is off the list now.` },
    );
    return true;
  };

  const toggle = (name: string, kind: 'reset' | 'delete') => {
    onNotice(null);
    setOpen(open?.name === name && open.kind === kind ? null : { name, kind });
  };

  const changeRole = async (u: UserRecord, role: UserRole) => {
    setBusy(u.name);
    onNotice(null);
    try {
      const r = await patchUser(u.name, { role });
      setOpen(null);
      // no longer an admin: reload, so the page and the menu show what an analyst gets
      if (u.name === me.name && role !== 'admin') {
        window.location.reload();
        return;
      }
      onChanged(r.user);
      onNotice({ kind: 'ok', text: `${u.name} is now ${article(r.user.role)}.` });
    } catch (err) {
      if (!gone(u, err)) onNotice({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(null);
    }
  };

  const remove = async (u: UserRecord) => {
    setBusy(u.name);
    onNotice(null);
    try {
      await request<void>(userUrl(u.name), { method: 'DELETE', body: {} });
      // deleting yourself ended this session: back to the login screen
      if (u.name === me.name) {
        await logout();
        return;
      }
      setOpen(null);
      onDeleted(u.name);
      onNotice({ kind: 'ok', text: `Deleted ${u.name}; their sessions have ended.` });
    } catch (err) {
      setOpen(null);
      if (!gone(u, err, true)) onNotice({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(null);
    }
  };

  const actionRow = (u: UserRecord): ReactNode => {
    if (open?.name !== u.name) return null;
    const self = u.name === me.name;
    const close = () => setOpen(null);
    if (open.kind === 'reset') {
      return (
        <ActionRow label={`Reset the password of ${u.name}`} onCancel={close}>
          <ResetForm
            u={u}
            onCancel={close}
            onGone={(err) => gone(u, err)}
            onDone={(next) => {
              setOpen(null);
              onChanged(next);
              onNotice({ kind: 'ok', text: `Password of ${u.name} changed; their sessions have ended.` });
            }}
          />
        </ActionRow>
      );
    }
    if (open.kind === 'role') {
      const role = open.role;
      if (self) {
        return (
          <ActionRow label="Confirm giving up the admin role" onCancel={close}>
            <Confirm
              text={`Make yourself ${article(role)}? You lose user management at once; only another admin can give it back.${role === 'viewer' ? ' The findings assigned to you are unassigned.' : ''}`}
              yes={`Make me ${article(role)}`}
              busy={busy === u.name}
              onYes={() => void changeRole(u, role)}
              onCancel={close}
            />
          </ActionRow>
        );
      }
      return (
        <ActionRow label={`Confirm the role of ${u.name}`} onCancel={close}>
          <Confirm
            text={
              <>
                Make <strong>{u.name}</strong> {article(role)}? {roleChangeText(u.role, role)}
              </>
            }
            yes={`Yes, make ${u.name} ${article(role)}`}
            busy={busy === u.name}
            onYes={() => void changeRole(u, role)}
            onCancel={close}
          />
        </ActionRow>
      );
    }
    return (
      <ActionRow label={`Confirm deleting ${u.name}`} onCancel={close}>
        <Confirm
          text={
            self ? (
              <>
                Delete your own account <strong>{u.name}</strong>? You will be logged out at once and cannot log in as {u.name} again.
              </>
            ) : (
              <>
                Delete user <strong>{u.name}</strong>? Their sessions end; this cannot be undone.
              </>
            )
          }
          yes={self ? 'Delete me and log out' : `Yes, delete ${u.name}`}
          busy={busy === u.name}
          onYes={() => void remove(u)}
          onCancel={close}
        />
      </ActionRow>
    );
  };

  if (users.length === 0) return <p className="panel-body dim">No users.</p>;
  return (
    <>
      <div className="table-wrap">
        <table className="grid users-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col" className="hide-narrow">
                Created (UTC)
              </th>
              <th scope="col">Changed (UTC)</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => {
              const self = u.name === me.name;
              const lastAdmin = u.role === 'admin' && admins === 1;
              const isOpen = (kind: Action['kind']) => open?.name === u.name && open.kind === kind;
              return (
                <Fragment key={u.name}>
                  <tr data-user={u.name} className={open?.name === u.name ? 'is-open' : undefined}>
                    <td className="c-name">
                      <span className="mono">{u.name}</span>
                      {self && <span className="role-chip you">you</span>}
                    </td>
                    <td className="c-role">
                      <select
                        className="input"
                        aria-label={`Role of ${u.name}`}
                        value={u.role}
                        disabled={busy === u.name || lastAdmin}
                        title={lastAdmin ? 'The only admin keeps the admin role; make another user admin first' : undefined}
                        onChange={(e) => {
                          onNotice(null);
                          setOpen({ name: u.name, kind: 'role', role: e.target.value as UserRole });
                        }}
                      >
                        <option value="admin">admin</option>
                        <option value="analyst">analyst</option>
                        <option value="viewer">viewer</option>
                      </select>
                    </td>
                    <td className="hide-narrow">
                      <Stamp ms={u.created} />
                    </td>
                    <td className="c-changed">
                      <Stamp ms={u.updated} />
                    </td>
                    <td className="c-actions">
                      <button
                        type="button"
                        className="btn small"
                        aria-label={`Reset password of ${u.name}`}
                        aria-expanded={isOpen('reset')}
                        disabled={self || busy === u.name}
                        title={self ? 'Change your own password in the form above' : undefined}
                        onClick={() => toggle(u.name, 'reset')}
                      >
                        Reset password
                      </button>
                      <button
                        type="button"
                        className="btn small danger"
                        aria-label={`Delete ${u.name}`}
                        aria-expanded={isOpen('delete')}
                        disabled={lastAdmin || busy === u.name}
                        title={lastAdmin ? 'The only admin cannot be deleted; make another user admin first' : undefined}
                        onClick={() => toggle(u.name, 'delete')}
                      >
                        Delete
                      </button>
                    </td>
                  </tr>
                  {actionRow(u)}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      {admins === 1 && (
        <p className="faint users-foot">
          {users.find((u) => u.role === 'admin')?.name} is the only admin, so it can be neither demoted nor deleted: make another user admin first.
        </p>
      )}
    </>
  );
}
