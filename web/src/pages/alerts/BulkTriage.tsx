/**
 * Triage of the selected findings at once (`PATCH /api/findings`): one status for all, and a note for all
 * when one is typed (left empty, each keeps its own); or Assign to (me, another user, nobody) for all
 * (the statuses stay). A scan wave's fifty rows are one action, not fifty.
 * When every row shown is ticked and the filter matches more than are loaded, it offers all that match
 * (`PATCH /api/findings/matching`) as they were when the page last read its rows: one that came, came
 * back or was triaged by someone since is left for the person to see. Such a change, or one of
 * CONFIRM_FROM ticked rows or more, asks first, naming the count and the status (or the assignment).
 */
import { useState, type FormEvent } from 'react';
import { request, isApiError } from '../../lib/api.ts';
import { formatInt } from '../../lib/format.ts';
import type { Finding, FindingBulkTriageRequest, FindingBulkTriageResponse, FindingMatchTriageRequest, FindingMatchTriageResponse, FindingStatus } from '../../lib/types.ts';
import { ACTIONS, NoteCount, noteTooLong, STATUS_LABEL } from './Triage.tsx';
import { AssignPicker } from './Assignee.tsx';

/** Every finding the filter matches: how many the counts say, and the filter as the API takes it. */
export interface AllMatching {
  total: number;
  match: FindingMatchTriageRequest['match'];
}

interface Props {
  ids: readonly number[];
  /** offered when every row shown is ticked and more match; `chosen` once the person took it */
  all: AllMatching | null;
  /** the user logged in: an assignment to them is said "to you" */
  me: string;
  chosen: boolean;
  onChoose(chosen: boolean): void;
  onDone(changed: Finding[], said: string): void;
  /** after a change by filter: the page reads its findings again */
  onDoneMatching(said: string): void;
  onClear(): void;
}

/** From this many ticked rows a change asks first (a change of all that match always does). */
export const CONFIRM_FROM = 10;

const plural = (n: number) => `${formatInt(n)} finding${n === 1 ? '' : 's'}`;

/** What the bar changes: a status (ACTIONS), or the assignee (`me`, or null for nobody) with the statuses left as they are. */
type BulkAction = { key: string; label: string; done: string } & ({ status: FindingStatus } | { assignee: string | null });

export function BulkTriage({ ids, all, me, chosen, onChoose, onDone, onDoneMatching, onClear }: Props) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState<BulkAction | null>(null);
  const byFilter = chosen && all !== null;
  const n = byFilter ? all.total : ids.length;
  const tooLong = noteTooLong(note);
  const statusActions: BulkAction[] = ACTIONS.map((a) => ({ ...a, key: a.status }));
  const assignAction = (assignee: string | null): BulkAction =>
    assignee === null ? { key: 'unassign', label: 'Unassign', done: 'unassigned', assignee } : { key: 'assign', label: 'Assign', done: `assigned to ${assignee === me ? 'you' : assignee}`, assignee };
  const assign = (assignee: string | null) => {
    const a = assignAction(assignee);
    if (byFilter || n >= CONFIRM_FROM) setAsking(a);
    else void send(a);
  };
  const send = async (action: BulkAction) => {
    setAsking(null);
    setBusy(true);
    setError(null);
    const { done } = action;
    // a note goes with a status only; an assignment leaves each one's note and status
    const change = 'status' in action ? { status: action.status, ...(note.trim() === '' ? {} : { note: note.trim() }) } : { assignee: action.assignee };
    try {
      if (byFilter) {
        const body: FindingMatchTriageRequest = { match: all.match, ...change };
        const r = await request<FindingMatchTriageResponse>('/api/findings/matching', { method: 'PATCH', body });
        const left = all.total - r.changed;
        onDoneMatching(`${plural(r.changed)} ${done}.${left > 0 ? ` ${plural(left)} left as they were: already so, or seen or changed since the page was read.` : ''}`);
      } else {
        const body: FindingBulkTriageRequest = { ids: [...ids], ...change };
        const r = await request<FindingBulkTriageResponse>('/api/findings', { method: 'PATCH', body });
        const gone = r.missing.length === 0 ? '' : ` ${formatInt(r.missing.length)} no longer on the server.`;
        // an older server sends no `unchanged`
        const already = r.unchanged?.length ?? 0;
        onDone(r.findings, `${plural(r.findings.length)} ${done}${already > 0 ? ` (${formatInt(already)} already ${already === 1 ? 'was' : 'were'})` : ''}.${gone}`);
      }
      if ('status' in action) setNote('');
    } catch (e) {
      setError(isApiError(e) ? `Nothing was changed: ${e.message}` : `Cannot reach the server, nothing was changed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => e.preventDefault();
  return (
    <form className="bulk-triage" aria-label="Triage of the selected findings" aria-busy={busy} onSubmit={submit}>
      <strong className="bulk-count">{byFilter ? `All ${formatInt(n)} that match` : `${formatInt(n)} selected`}</strong>
      {all !== null &&
        (chosen ? (
          <button type="button" className="btn small ghost bulk-scope" onClick={() => onChoose(false)}>
            only the {formatInt(ids.length)} shown
          </button>
        ) : (
          <button type="button" className="btn small ghost bulk-scope" onClick={() => onChoose(true)}>
            select all {formatInt(all.total)} that match
          </button>
        ))}
      <input
        className="input bulk-note"
        type="text"
        placeholder="note for all (empty: each keeps its own)"
        aria-label="Note for the selected findings"
        aria-invalid={tooLong || undefined}
        aria-describedby="bulk-note-count"
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      {statusActions.map((a) => (
        <button
          key={a.key}
          type="button"
          className={`btn small act-${'status' in a ? a.status : ''}`}
          disabled={busy || ('status' in a && tooLong)}
          aria-label={`${a.label} the ${n} selected findings`}
          aria-expanded={byFilter || n >= CONFIRM_FROM ? asking?.key === a.key : undefined}
          onClick={() => (byFilter || n >= CONFIRM_FROM ? setAsking(a) : void send(a))}
        >
          {a.label}
        </button>
      ))}
      <AssignPicker label={`Assign the ${n} selected findings to`} text="Assign to" className="btn small bulk-assign" disabled={busy} onPick={assign} />
      <NoteCount note={note} id="bulk-note-count" />
      <button type="button" className="btn small ghost" onClick={onClear} aria-label="Clear the selection">
        Clear
      </button>
      {asking !== null && (
        <div className="bulk-confirm" role="group" aria-label="Confirm the change of many findings">
          <span>
            {'status' in asking ? 'Set' : asking.assignee === null ? 'Unassign' : 'Assign'} <strong>{plural(n)}</strong>
            {byFilter ? ' (all that match the filter, loaded or not)' : ''}
            {'status' in asking ? (
              <>
                {' '}
                to <strong>{STATUS_LABEL[asking.status]}</strong>
              </>
            ) : asking.assignee === null ? (
              ''
            ) : (
              <>
                {' '}
                to <strong>{asking.assignee === me ? 'you' : asking.assignee}</strong>
              </>
            )}
            ?
          </span>
          <button type="button" className={`btn small ${'status' in asking ? `act-${asking.status}` : ''}`} disabled={busy || ('status' in asking && tooLong)} autoFocus onClick={() => void send(asking)}>
            {'assignee' in asking && asking.assignee !== null ? `Yes, assign ${plural(n)} to ${asking.assignee === me ? 'me' : asking.assignee}` : `Yes, ${asking.label.toLowerCase()} ${plural(n)}`}
          </button>
          <button type="button" className="btn small ghost" onClick={() => setAsking(null)}>
            Cancel
          </button>
        </div>
      )}
      {error !== null && (
        <div className="notice error bulk-error" role="alert">
          {error}
        </div>
      )}
    </form>
  );
}
