/**
 * A watch's form, to make one or change one: its name, the query, how many lines in what window make it
 * fire, how often it is counted. "Count now" asks the server what the watch would count at this moment
 * (nothing saved), so a threshold can be set against the real rate of the lines before the first alert.
 */
import { useId, useState, type FormEvent } from 'react';
import { request } from '../../lib/api.ts';
import { formatInt } from '../../lib/format.ts';
import type { WatchCreateRequest, WatchInfo, WatchResponse, WatchTestRequest, WatchTestResponse } from '../../lib/types.ts';
import { errorText } from '../account/checks.ts';
import { EVERY_CHOICES, WINDOW_CHOICES } from './watch-text.ts';

export interface WatchDraft {
  name: string;
  query: string;
  threshold: string;
  window: string;
  every: string;
}

export const emptyDraft = (query = ''): WatchDraft => ({ name: '', query, threshold: '10', window: '5m', every: '1m' });
export const draftOf = (w: WatchInfo): WatchDraft => ({ name: w.name, query: w.query, threshold: String(w.threshold), window: w.window, every: w.every });

type Tried = { kind: 'idle' } | { kind: 'busy' } | { kind: 'ok'; r: WatchTestResponse; window: string } | { kind: 'error'; text: string };

/** Why the draft cannot be sent as it is, or null (the server checks everything again, with its own words). */
function draftProblem(d: WatchDraft): string | null {
  if (d.name.trim() === '') return 'Give the watch a name, e.g. "failed logins".';
  if (d.query.trim() === '') return 'Give the query whose lines are counted.';
  if (!/^[1-9]\d{0,9}$/.test(d.threshold.trim())) return 'The threshold is a whole number of lines, 1 or more.';
  return null;
}

export function WatchForm({ initial, editing, onSaved, onCancel }: { initial: WatchDraft; editing: WatchInfo | null; onSaved(w: WatchInfo, created: boolean): void; onCancel(): void }) {
  const ids = useId();
  const [d, setD] = useState<WatchDraft>(initial);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [tried, setTried] = useState<Tried>({ kind: 'idle' });
  const set = (patch: Partial<WatchDraft>) => {
    setD((x) => ({ ...x, ...patch }));
    setProblem(null);
    if ('query' in patch || 'window' in patch || 'threshold' in patch) setTried({ kind: 'idle' });
  };

  const body = (): WatchCreateRequest => ({ name: d.name.trim(), query: d.query.trim(), threshold: Number(d.threshold.trim()), window: d.window.trim(), every: d.every.trim() });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const p = draftProblem(d);
    setProblem(p);
    if (p !== null) return;
    setBusy(true);
    try {
      const r =
        editing === null
          ? await request<WatchResponse>('/api/watches', { method: 'POST', body: body() })
          : await request<WatchResponse>(`/api/watches/${editing.id}`, { method: 'PATCH', body: body() });
      onSaved(r.watch, editing === null);
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const countNow = async () => {
    if (d.query.trim() === '') {
      setTried({ kind: 'error', text: 'Give the query first.' });
      return;
    }
    setTried({ kind: 'busy' });
    const threshold = Number(d.threshold.trim());
    const req: WatchTestRequest = { query: d.query.trim(), window: d.window.trim(), ...(Number.isInteger(threshold) && threshold >= 1 ? { threshold } : {}) };
    try {
      setTried({ kind: 'ok', r: await request<WatchTestResponse>('/api/watches/test', { method: 'POST', body: req }), window: req.window ?? '' });
    } catch (err) {
      setTried({ kind: 'error', text: errorText(err) });
    }
  };

  return (
    <form className="watch-form" onSubmit={(e) => void submit(e)} aria-label={editing === null ? 'New watch' : `Change watch ${editing.name}`} noValidate>
      <label className="field watch-name">
        Name
        <input className="input" name="watch-name" maxLength={100} autoComplete="off" placeholder="e.g. failed logins" value={d.name} onChange={(e) => set({ name: e.target.value })} />
      </label>
      <label className="field watch-query">
        Query
        <input className="input mono" name="watch-query" autoComplete="off" spellCheck={false} placeholder='e.g. "failed password" app:sshd' value={d.query} onChange={(e) => set({ query: e.target.value })} />
      </label>
      <div className="watch-rule">
        <label className="field">
          Fires at
          <input className="input mono" name="watch-threshold" inputMode="numeric" value={d.threshold} onChange={(e) => set({ threshold: e.target.value })} />
        </label>
        <span className="watch-rule-word">lines or more in</span>
        <label className="field">
          Window
          <input className="input mono" name="watch-window" list={`${ids}-windows`} value={d.window} onChange={(e) => set({ window: e.target.value })} />
        </label>
        <span className="watch-rule-word">counted every</span>
        <label className="field">
          Every
          <input className="input mono" name="watch-every" list={`${ids}-every`} value={d.every} onChange={(e) => set({ every: e.target.value })} />
        </label>
        <datalist id={`${ids}-windows`}>
          {WINDOW_CHOICES.map((w) => (
            <option key={w} value={w} />
          ))}
        </datalist>
        <datalist id={`${ids}-every`}>
          {EVERY_CHOICES.map((w) => (
            <option key={w} value={w} />
          ))}
        </datalist>
      </div>
      <div className="watch-try" role="status" aria-live="polite">
        <button type="button" className="btn small" onClick={() => void countNow()} disabled={tried.kind === 'busy'}>
          {tried.kind === 'busy' ? 'Counting…' : 'Count now'}
        </button>
        <TriedText tried={tried} />
      </div>
      {problem !== null && (
        <div className="notice error" role="alert">
          {problem}
        </div>
      )}
      <div className="watch-form-foot">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn primary" disabled={busy}>
          {busy ? 'Saving…' : editing === null ? 'Save watch' : 'Save changes'}
        </button>
      </div>
    </form>
  );
}

function TriedText({ tried }: { tried: Tried }) {
  if (tried.kind === 'idle') return <span className="faint">what this watch would count now, before you save it</span>;
  if (tried.kind === 'busy') return <span className="spinner" />;
  if (tried.kind === 'error') return <span className="watch-try-error">{tried.text}</span>;
  const { r } = tried;
  return (
    <span data-count={r.count}>
      <strong>{formatInt(r.count)}</strong> {r.count === 1 ? 'line' : 'lines'} in the last {tried.window}: {r.fired ? <strong className="watch-fires">it would fire</strong> : 'it would not fire'}
      {r.skipped.length > 0 && <span className="faint"> (at least: {r.skipped.length} damaged shards left out)</span>}
    </span>
  );
}
