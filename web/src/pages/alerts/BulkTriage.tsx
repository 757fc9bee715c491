/**
 * Triage of the selected findings at once (`PATCH /api/findings`): one status for all, and a note for all
 * when one is typed (left empty, each keeps its own). A scan wave's fifty rows are one action, not fifty.
 */
import { useState, type FormEvent } from 'react';
import { request, isApiError } from '../../lib/api.ts';
import { formatInt } from '../../lib/format.ts';
import type { Finding, FindingBulkTriageRequest, FindingBulkTriageResponse, FindingStatus } from '../../lib/types.ts';
import { ACTIONS, NOTE_MAX } from './Triage.tsx';

interface Props {
  ids: readonly number[];
  onDone(changed: Finding[], said: string): void;
  onClear(): void;
}

export function BulkTriage({ ids, onDone, onClear }: Props) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const n = ids.length;
  const send = async (status: FindingStatus, done: string) => {
    setBusy(true);
    setError(null);
    try {
      const body: FindingBulkTriageRequest = { ids: [...ids], status, ...(note.trim() === '' ? {} : { note: note.trim() }) };
      const r = await request<FindingBulkTriageResponse>('/api/findings', { method: 'PATCH', body });
      const gone = r.missing.length === 0 ? '' : ` ${formatInt(r.missing.length)} no longer on the server.`;
      onDone(r.findings, `${formatInt(r.findings.length)} finding${r.findings.length === 1 ? '' : 's'} ${done}.${gone}`);
      setNote('');
    } catch (e) {
      setError(isApiError(e) ? `Nothing was changed: ${e.message}` : `Cannot reach the server, nothing was changed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => e.preventDefault();
  return (
    <form className="bulk-triage" aria-label="Triage of the selected findings" aria-busy={busy} onSubmit={submit}>
      <strong className="bulk-count">{formatInt(n)} selected</strong>
      <input
        className="input bulk-note"
        type="text"
        maxLength={NOTE_MAX}
        placeholder="note for all (empty: each keeps its own)"
        aria-label="Note for the selected findings"
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      {ACTIONS.map((a) => (
        <button key={a.status} type="button" className={`btn small act-${a.status}`} disabled={busy} aria-label={`${a.label} the ${n} selected findings`} onClick={() => void send(a.status, a.done)}>
          {a.label}
        </button>
      ))}
      <button type="button" className="btn small ghost" onClick={onClear} aria-label="Clear the selection">
        Clear
      </button>
      {error !== null && (
        <div className="notice error bulk-error" role="alert">
          {error}
        </div>
      )}
    </form>
  );
}
