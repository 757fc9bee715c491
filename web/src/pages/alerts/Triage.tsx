/**
 * Triage on the Alerts page: the status filter (the work queue "to do" = open + acknowledged by
 * default), each finding's status chip with who, when and the note, and the inline form under a row
 * that sets the status (Acknowledge, Resolve, False positive, Reopen) with an optional note.
 */
import { useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { TriageNote } from './TriageNote.tsx';
import { request, isApiError } from '../../lib/api.ts';
import { formatAgo, formatInt, formatTime } from '../../lib/format.ts';
import { serverNow } from '../../lib/server-clock.ts';
import type { Finding, FindingStatus, FindingTriageRequest } from '../../lib/types.ts';
import { TriageHistory } from './TriageHistory.tsx';
import { useReadOnly } from '../../app/auth.ts';

/** The longest note the server keeps (src/detect/findings/store.ts, TRIAGE_NOTE_MAX). */
export const NOTE_MAX = 2000;

/**
 * A note over the limit is said to be so and not sent; it is not cut (a maxLength cut a pasted note
 * without a word). The count shows from nine tenths of the limit.
 */
export const noteTooLong = (note: string): boolean => note.trim().length > NOTE_MAX;

export function NoteCount({ note, id }: { note: string; id: string }) {
  const n = note.trim().length;
  if (n < NOTE_MAX * 0.9) return null;
  const over = n > NOTE_MAX;
  return (
    <div id={id} className={`note-count${over ? ' over' : ' faint'}`} role={over ? 'alert' : undefined}>
      {over
        ? `The note is ${formatInt(n)} characters; a note takes up to ${formatInt(NOTE_MAX)}: shorten it by ${formatInt(n - NOTE_MAX)} to save it.`
        : `${formatInt(n)} of ${formatInt(NOTE_MAX)} characters`}
    </div>
  );
}

export interface StatusFilter {
  /** the `status` URL parameter ('' for the default, the work queue) */
  key: string;
  label: string;
  /** what the filter asks the API for; null for every status */
  statuses: readonly FindingStatus[] | null;
  title: string;
}

export const STATUS_FILTERS: readonly StatusFilter[] = [
  { key: '', label: 'To do', statuses: ['open', 'acknowledged'], title: 'open and acknowledged findings: the work queue' },
  { key: 'open', label: 'Open', statuses: ['open'], title: 'findings nobody has taken up, and resolved ones seen again' },
  { key: 'acknowledged', label: 'Acknowledged', statuses: ['acknowledged'], title: 'findings someone is on' },
  { key: 'resolved', label: 'Resolved', statuses: ['resolved'], title: 'findings dealt with (a new sighting opens one again)' },
  { key: 'false-positive', label: 'False positive', statuses: ['false-positive'], title: 'findings marked as not an attack' },
  { key: 'all', label: 'All', statuses: null, title: 'every finding, whatever its status' },
];

/** The filter the `status` URL parameter names; `todo`, absent or unknown is the work queue. */
export function statusFilter(param: string | null): StatusFilter {
  return STATUS_FILTERS.find((s) => s.key !== '' && s.key === param) ?? STATUS_FILTERS[0]!;
}

/** Whether a finding in its present status belongs in the list the filter asks for. */
export const inFilter = (f: Finding, filter: StatusFilter): boolean => filter.statuses === null || filter.statuses.includes(f.triage.status);

export const STATUS_LABEL: Record<FindingStatus, string> = {
  open: 'open',
  acknowledged: 'acknowledged',
  resolved: 'resolved',
  'false-positive': 'false positive',
};

/** What a person can set, in the order the form offers it (the present status left out). */
export const ACTIONS: readonly { status: FindingStatus; label: string; done: string }[] = [
  { status: 'acknowledged', label: 'Acknowledge', done: 'acknowledged' },
  { status: 'resolved', label: 'Resolve', done: 'resolved' },
  { status: 'false-positive', label: 'False positive', done: 'marked a false positive' },
  { status: 'open', label: 'Reopen', done: 'open again' },
];

/** Who set the status as the page names them (the API token is not a person's name); `short` for the cell. */
const who = (by: string, short = false): string => (by !== 'api-token' ? by : short ? 'API token' : 'the API token');

/** A resolved finding that a new sighting opened again (and no person has touched since). */
export const isReopened = (f: Finding): boolean => f.triage.status === 'open' && f.triage.reopenedAt !== null;

/** How many findings a filter holds, from the counts by status; null while they are unknown. */
export function filterCount(f: StatusFilter, counts: Readonly<Record<FindingStatus, number>> | null): number | null {
  if (counts === null) return null;
  return (f.statuses ?? (Object.keys(counts) as FindingStatus[])).reduce((n, st) => n + (counts[st] ?? 0), 0);
}

export function StatusFilterControl({ value, counts, onChange }: { value: StatusFilter; counts: Readonly<Record<FindingStatus, number>> | null; onChange(key: string): void }) {
  return (
    <div className="btn-group status-filter" role="group" aria-label="Status filter">
      {STATUS_FILTERS.map((s) => {
        const n = filterCount(s, counts);
        return (
          <button
            key={s.key}
            type="button"
            className="btn small"
            aria-pressed={s.key === value.key}
            aria-label={`Show ${s.label.toLowerCase()} findings${n === null ? '' : ` (${n})`}`}
            title={s.title}
            onClick={() => onChange(s.key)}
          >
            {s.label}
            {n !== null && <span className="filter-count">{formatInt(n)}</span>}
          </button>
        );
      })}
    </div>
  );
}

/** The status cell: the chip (a button that opens the triage form), "reopened", who and when, the note. */
/** `assignee`: who the finding is assigned to (Assignee.tsx), on the status's line */
export function TriageCell({ f, now, open, onToggle, assignee }: { f: Finding; now: number; open: boolean; onToggle(): void; assignee?: ReactNode }) {
  const t = f.triage;
  const reopened = isReopened(f);
  const label = STATUS_LABEL[t.status];
  const when = t.at === null ? null : formatAgo(t.at, Math.max(serverNow(now), t.at));
  const readOnly = useReadOnly();
  return (
    <div className="triage-cell">
      <span className="triage-chips">
        {readOnly ? (
          <span className={`status-chip st-${t.status}`} aria-label={`Status of finding ${f.id}: ${label}${reopened ? ', reopened' : ''}`} title="Your role (viewer) reads only">
            {label}
          </span>
        ) : (
          <button
            id={`triage-${f.id}`}
            type="button"
            className={`status-chip st-${t.status}`}
            aria-expanded={open}
            aria-controls={open ? `triage-form-${f.id}` : undefined}
            aria-label={`Status of finding ${f.id}: ${label}${reopened ? ', reopened' : ''}; change it`}
            title="Change the status, add a note"
            onClick={onToggle}
          >
            {label}
            <span className="caret" aria-hidden="true">
              ▾
            </span>
          </button>
        )}
        {reopened && (
          <span className="reopened-mark" title={`A new sighting at ${formatTime(t.reopenedAt!, false)} UTC opened it again after it was resolved`}>
            reopened
          </span>
        )}
        {assignee}
      </span>
      {t.by !== null && when !== null && (
        <span className="triage-meta" title={`${reopened ? 'resolved' : label} by ${who(t.by)} at ${formatTime(t.at!, false)} UTC`}>
          {reopened ? `resolved by ${who(t.by, true)}` : who(t.by, true)} · {when}
        </span>
      )}
      {t.note !== '' && <TriageNote id={f.id} note={t.note} />}
    </div>
  );
}

/** The server's words for a failed change, or what went wrong reaching it. */
function errorText(e: unknown, id: number): string {
  if (isApiError(e) && e.status === 404) return `Finding ${id} is no longer on the server (the findings store was cleared?); reload the page.`;
  if (isApiError(e)) return `The status was not changed: ${e.message}`;
  return `Cannot reach the server, the status was not changed: ${e instanceof Error ? e.message : String(e)}`;
}

function history(f: Finding): string {
  const t = f.triage;
  if (t.by === null || t.at === null) return 'Nobody has set a status yet.';
  const at = `${formatTime(t.at, false)} UTC`;
  if (isReopened(f)) return `Resolved by ${who(t.by)} at ${at}; a new sighting at ${formatTime(t.reopenedAt!, false)} UTC opened it again.`;
  return `Set to ${STATUS_LABEL[t.status]} by ${who(t.by)} at ${at}.`;
}

interface FormProps {
  f: Finding;
  colSpan: number;
  onDone(f: Finding, said: string): void;
  onCancel(): void;
}

/**
 * The row under a finding that sets its status. The note starts as the one saved and goes with a change
 * only once this user edited it (clearing the field clears the note); left alone it is not sent, so that
 * a note another analyst saved meanwhile is kept. Enter in it saves the note alone; Escape closes.
 */
export function TriageForm({ f, colSpan, onDone, onCancel }: FormProps) {
  const [note, setNote] = useState(f.triage.note);
  const [edited, setEdited] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const send = async (status: FindingStatus, said: string) => {
    setBusy(true);
    setError(null);
    try {
      const body: FindingTriageRequest = edited ? { status, note: note.trim() } : { status };
      onDone(await request<Finding>(`/api/findings/${f.id}`, { method: 'PATCH', body }), said);
    } catch (e) {
      setError(errorText(e, f.id));
      setBusy(false);
    }
  };
  const tooLong = edited && noteTooLong(note);
  const saveNote = (e: FormEvent) => {
    e.preventDefault();
    if (busy || tooLong || note.trim() === f.triage.note) return;
    void send(f.triage.status, `Note of finding ${f.id} saved.`);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') onCancel();
  };
  const current = f.triage.status;
  return (
    <tr className="triage-row">
      <td colSpan={colSpan}>
        <form id={`triage-form-${f.id}`} className="triage-form" aria-label={`Triage of finding ${f.id}`} aria-busy={busy} onSubmit={saveNote} onKeyDown={onKey}>
          <label className="field triage-note-field">
            Note (optional)
            <input
              className="input"
              type="text"
              autoFocus
              placeholder="what you checked, a ticket, who to ask"
              aria-label={`Note on finding ${f.id}`}
              aria-invalid={tooLong || undefined}
              aria-describedby={`triage-note-count-${f.id}`}
              value={note}
              onChange={(e) => {
                setNote(e.target.value);
                setEdited(true);
                setError(null);
              }}
            />
            <NoteCount note={note} id={`triage-note-count-${f.id}`} />
          </label>
          <div className="triage-actions">
            {ACTIONS.filter((a) => a.status !== current).map((a) => (
              <button
                key={a.status}
                type="button"
                className={`btn act-${a.status}`}
                disabled={busy || tooLong}
                aria-label={`${a.label} finding ${f.id}`}
                onClick={() => void send(a.status, `Finding ${f.id} ${a.done}.`)}
              >
                {a.label}
              </button>
            ))}
            <button type="submit" className="btn" disabled={busy || tooLong || note.trim() === f.triage.note} aria-label={`Keep the status of finding ${f.id}, save the note`}>
              Save note
            </button>
            <button type="button" className="btn ghost" onClick={onCancel} aria-label="Cancel, leave the status as it is">
              Cancel
            </button>
          </div>
          <p className="triage-history faint">
            {history(f)} Sightings go on counting while a finding is acknowledged or a false positive; a new one after Resolve opens it again.
          </p>
          <TriageHistory id={f.id} label={(st) => STATUS_LABEL[st]} />
          {error !== null && (
            <div className="notice error triage-error" role="alert">
              {error}
            </div>
          )}
        </form>
      </td>
    </tr>
  );
}
