/** Admins only: the users of this server, a form to add one, and the table with each user's actions. */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { request } from '../../lib/api.ts';
import { forgetAssignees } from '../../lib/assignees.ts';
import type { UserCreateRequest, UserRecord, UserResponse, UserRole, UsersResponse } from '../../lib/types.ts';
import { errorText, nameProblem, passwordProblem, PASSWORD_MIN } from './checks.ts';
import { UsersTable, type Notice } from './UsersTable.tsx';
import { NoticeBox } from '../../components/NoticeBox.tsx';

const byName = (a: UserRecord, b: UserRecord): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function AddUserForm({ onAdded, onNotice }: { onAdded(u: UserRecord): void; onNotice(n: Notice | null): void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<UserRole>('analyst');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = nameProblem(name) ?? passwordProblem(password, { what: 'The initial password' });
    if (problem !== null) {
      onNotice({ kind: 'error', text: problem });
      return;
    }
    setBusy(true);
    onNotice(null);
    try {
      const body: UserCreateRequest = { name, role, password };
      const r = await request<UserResponse>('/api/users', { method: 'POST', body });
      onAdded(r.user);
      onNotice({ kind: 'ok', text: `Added ${r.user.role} ${r.user.name}. Give them the initial password; they can change it under Account.` });
      setName('');
      setPassword('');
      setRole('analyst');
    } catch (err) {
      onNotice({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="user-add" onSubmit={(e) => void submit(e)} aria-label="Add user" noValidate>
      <label className="field">
        Name
        <input
          className="input mono"
          name="new-user-name"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={64}
          required
          placeholder="e.g. j.doe"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <label className="field">
        Role
        <select className="input" name="new-user-role" value={role} onChange={(e) => setRole(e.target.value as UserRole)}>
          <option value="analyst">analyst</option>
          <option value="admin">admin</option>
          <option value="viewer">viewer (reads only)</option>
        </select>
      </label>
      <label className="field">
        Initial password
        <input
          className="input"
          type="password"
          name="new-user-password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN}
          placeholder={`${PASSWORD_MIN}+ characters`}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <button type="submit" className="btn primary" disabled={busy}>
        {busy ? 'Adding…' : 'Add user'}
      </button>
    </form>
  );
}

export function UsersPanel({ reloadKey = 0 }: { reloadKey?: number }) {
  const [users, setUsers] = useState<UserRecord[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  const load = useCallback((signal?: AbortSignal) => {
    setLoadError(null);
    request<UsersResponse>('/api/users', signal === undefined ? {} : { signal })
      .then((r) => setUsers([...r.users].sort(byName)))
      .catch((e: unknown) => {
        if (signal?.aborted === true) return;
        setLoadError(errorText(e));
      });
  }, []);

  useEffect(() => {
    const ac = new AbortController();
    load(ac.signal);
    return () => ac.abort();
  }, [load, reloadKey]);

  // the Alerts page's pickers read who may be assigned findings again after any change here
  const changed = (u: UserRecord) => {
    forgetAssignees();
    setUsers((list) => (list ?? []).map((x) => (x.name === u.name ? u : x)));
  };
  const added = (u: UserRecord) => {
    forgetAssignees();
    setUsers((list) => [...(list ?? []).filter((x) => x.name !== u.name), u].sort(byName));
  };
  const deleted = (name: string) => {
    forgetAssignees();
    setUsers((list) => (list ?? []).filter((x) => x.name !== name));
  };

  return (
    <section className="panel users" aria-labelledby="users-title">
      <div className="panel-head">
        <h2 id="users-title">Users</h2>
        {users !== null && <span className="faint">{users.length}</span>}
        <span className="spacer" />
        <button type="button" className="btn small ghost" onClick={() => load()} aria-label="Reload the users">
          Reload
        </button>
      </div>
      <div className="panel-body users-body">
        <AddUserForm onAdded={added} onNotice={setNotice} />
        <NoticeBox notice={notice} />
        <NoticeBox notice={loadError === null ? null : { kind: 'error', text: loadError }} />
      </div>
      {users === null && loadError === null && (
        <div className="empty">
          <span className="spinner" />
        </div>
      )}
      {users !== null && <UsersTable users={users} onChanged={changed} onDeleted={deleted} onNotice={setNotice} />}
    </section>
  );
}
