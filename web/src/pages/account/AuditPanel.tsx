/**
 * Admins only: the audit log (`GET /api/audit`), newest first: who signed in or failed to, who changed
 * which user, who exported what, from where. Filters by action, actor and outcome; pages of 50, older and
 * back to newer (each page asked for by the id it continues from, so entries arriving meanwhile shift nothing).
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { request } from '../../lib/api.ts';
import { formatTime } from '../../lib/format.ts';
import type { AuditEntryInfo, AuditResponse } from '../../lib/types.ts';
import { errorText } from './checks.ts';
// the server's own list: an action it records is one the filter offers
import { AUDIT_ACTIONS as ACTIONS } from '../../../../src/serve/users/audit-actions.ts';

const PAGE = 50;


interface Filter {
  action: string;
  actor: string;
  outcome: '' | 'ok' | 'refused';
}

function query(f: Filter, before: number | null): string {
  const p = new URLSearchParams({ limit: String(PAGE) });
  if (f.action !== '') p.set('action', f.action);
  if (f.actor.trim() !== '') p.set('actor', f.actor.trim());
  if (f.outcome !== '') p.set('outcome', f.outcome);
  if (before !== null) p.set('before', String(before));
  return `/api/audit?${p.toString()}`;
}

/** `q "sshd" · from 2026-12-01 00:00:00 · format "lines"`: an entry's details in a line, times in UTC, nulls and false flags left out. */
function detailsText(e: AuditEntryInfo): string {
  return Object.entries(e.details)
    // an open end of a range, a flag off: nothing to tell
    .filter(([, v]) => v !== null && v !== false)
    .map(([k, v]) => {
      if ((k === 'from' || k === 'to' || k === 'newestRemoved') && typeof v === 'number' && e.action !== 'user.role') return `${k} ${formatTime(v, false)}`;
      if (Array.isArray(v)) return `${k} ${v.join(', ') || '—'}`;
      return `${k} ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`;
    })
    .join(' · ');
}

/** who an entry with no actor stands for: a login by nobody signed in, or something the server did itself (a scheduled backup, the token file changed, retention) */
function unsignedActor(action: string): string {
  return action === 'login' || action === 'access.denied' ? 'nobody signed in' : 'the server';
}

function EntryRow({ e }: { e: AuditEntryInfo }) {
  return (
    <tr data-audit-id={e.id} data-action={e.action} data-outcome={e.outcome}>
      <td className="mono nowrap">{formatTime(e.at, false)}</td>
      <td className="c-actor">
        {e.actor === null ? <span className="faint">{unsignedActor(e.action)}</span> : <span className="mono">{e.actor}</span>}
        {e.role !== null && e.actor !== 'api-token' && <span className="role-chip">{e.role}</span>}
      </td>
      <td className="mono">{e.action}</td>
      <td className="mono">{e.target ?? <span className="faint">—</span>}</td>
      <td className="mono hide-narrow">{e.address ?? <span className="faint">—</span>}</td>
      <td>
        <span className={`audit-outcome ${e.outcome}`}>{e.outcome}</span>
        {e.reason !== null && <span className="mono faint audit-reason"> {e.reason}</span>}
      </td>
      <td className="audit-details">{detailsText(e)}</td>
    </tr>
  );
}

export function AuditPanel() {
  const [draft, setDraft] = useState<Filter>({ action: '', actor: '', outcome: '' });
  const [filter, setFilter] = useState<Filter>(draft);
  // the `before` of each page shown so far: the last is this page's; back pops it
  const [pages, setPages] = useState<(number | null)[]>([null]);
  const [data, setData] = useState<AuditResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const before = pages[pages.length - 1] ?? null;

  const load = useCallback((f: Filter, b: number | null, signal: AbortSignal) => {
    setError(null);
    request<AuditResponse>(query(f, b), { signal })
      .then(setData)
      .catch((e: unknown) => {
        if (!signal.aborted) setError(errorText(e));
      });
  }, []);

  useEffect(() => {
    const ac = new AbortController();
    load(filter, before, ac.signal);
    return () => ac.abort();
  }, [load, filter, before, reloads]);

  const apply = (f: Filter) => {
    setDraft(f);
    setFilter(f);
    setPages([null]);
  };
  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    apply(draft);
  };

  return (
    <section className="panel audit" aria-labelledby="audit-title">
      <div className="panel-head">
        <h2 id="audit-title">Audit log</h2>
        <span className="faint">newest first</span>
        <span className="spacer" />
        <button type="button" className="btn small ghost" onClick={() => setReloads((n) => n + 1)} aria-label="Reload the audit log">
          Reload
        </button>
      </div>
      <form className="panel-body audit-filters" onSubmit={submit} aria-label="Filter the audit log">
        <label className="field">
          Action
          <select className="input" name="audit-action" value={draft.action} onChange={(e) => apply({ ...draft, action: e.target.value })}>
            <option value="">any</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Actor
          <input className="input mono" name="audit-actor" placeholder="user name or api-token" autoComplete="off" spellCheck={false} maxLength={80} value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.target.value })} />
        </label>
        <label className="field">
          Outcome
          <select className="input" name="audit-outcome" value={draft.outcome} onChange={(e) => apply({ ...draft, outcome: e.target.value as Filter['outcome'] })}>
            <option value="">any</option>
            <option value="ok">ok</option>
            <option value="refused">refused</option>
          </select>
        </label>
        <button type="submit" className="btn">
          Apply
        </button>
      </form>
      {error !== null && (
        <div className="panel-body">
          <div className="notice error" role="alert">
            {error}
          </div>
        </div>
      )}
      {data === null && error === null && (
        <div className="empty">
          <span className="spinner" />
        </div>
      )}
      {data !== null && data.entries.length === 0 && <p className="panel-body dim">No entries{filter.action !== '' || filter.actor.trim() !== '' || filter.outcome !== '' ? ' match these filters' : ''}.</p>}
      {data !== null && data.entries.length > 0 && (
        <div className="table-wrap">
          <table className="grid audit-table">
            <thead>
              <tr>
                <th scope="col">Time (UTC)</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col" className="hide-narrow">
                  Address
                </th>
                <th scope="col">Outcome</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {data.entries.map((e) => (
                <EntryRow key={e.id} e={e} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="panel-body audit-paging">
        <button type="button" className="btn small" disabled={pages.length <= 1} onClick={() => setPages((p) => p.slice(0, -1))}>
          Newer
        </button>
        <span className="faint">page {pages.length}</span>
        <button type="button" className="btn small" disabled={data?.next == null} onClick={() => data?.next != null && setPages((p) => [...p, data.next])}>
          Older
        </button>
      </div>
    </section>
  );
}
