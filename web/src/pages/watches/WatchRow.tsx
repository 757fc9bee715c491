/** One watch in the list: its rule, its last count (or why it failed), and for those who may, pause, change, remove. */
import { useState } from 'react';
import { request } from '../../lib/api.ts';
import { formatAgo, formatInt, formatUtc } from '../../lib/format.ts';
import type { WatchInfo, WatchResponse } from '../../lib/types.ts';
import { Link } from '../../components/Link.tsx';
import { errorText } from '../account/checks.ts';
import type { Notice } from '../../components/NoticeBox.tsx';
import { alertsHref, ruleText, searchHref } from './watch-text.ts';

function LastCount({ w, now }: { w: WatchInfo; now: number }) {
  const last = w.last;
  if (last === null) return <span className="faint">{w.enabled ? 'not counted yet' : '—'}</span>;
  const when = <span className="faint" title={formatUtc(last.at)}>{formatAgo(last.at, now)}</span>;
  if (last.error !== undefined) {
    return (
      <span className="watch-error" data-code={last.error.code} title={last.error.message}>
        failed: {last.error.message} · {when}
      </span>
    );
  }
  // damaged shards left out: the count is a lower bound
  const partial = last.skipped ?? 0;
  return (
    <span data-count={last.count} title={partial === 0 ? undefined : `at least: ${partial} damaged or missing ${partial === 1 ? 'shard was' : 'shards were'} left out of the count (the Live page says which)`}>
      <strong>
        {partial === 0 ? '' : '≥ '}
        {formatInt(last.count ?? 0)}
      </strong>{' '}
      {last.fired ? <Link className="watch-fired" href={alertsHref(w)}>fired</Link> : <span className="faint">below</span>} · {when}
    </span>
  );
}

export function WatchRow({ w, now, readOnly, onEdit, onChanged, onRemoved, onNotice }: { w: WatchInfo; now: number; readOnly: boolean; onEdit(): void; onChanged(w: WatchInfo): void; onRemoved(w: WatchInfo): void; onNotice(n: Notice | null): void }) {
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState(false);

  const act = async (run: () => Promise<void>) => {
    setBusy(true);
    onNotice(null);
    try {
      await run();
    } catch (e) {
      onNotice({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  const toggle = () => act(async () => onChanged((await request<WatchResponse>(`/api/watches/${w.id}`, { method: 'PATCH', body: { enabled: !w.enabled } })).watch));
  const remove = () => act(async () => onRemoved((await request<WatchResponse>(`/api/watches/${w.id}`, { method: 'DELETE', body: {} })).watch));

  return (
    <tr data-watch={w.name} className={w.enabled ? undefined : 'watch-paused'}>
      <td className="c-name">
        <strong>{w.name}</strong>
        {!w.enabled && <span className="role-chip">paused</span>}
        {w.createdBy !== null && <div className="faint watch-by">by {w.createdBy}</div>}
      </td>
      <td className="c-query">
        <Link className="mono" href={searchHref(w)} title="the lines it counts, over its window back from now">
          {w.query}
        </Link>
      </td>
      <td className="c-rule">{ruleText(w)}</td>
      <td className="c-last">
        <LastCount w={w} now={now} />
      </td>
      <td className="c-actions">
        {!readOnly &&
          (asking ? (
            <span className="watch-confirm">
              Remove?{' '}
              <button type="button" className="btn small danger" disabled={busy} onClick={() => void remove()}>
                Remove
              </button>{' '}
              <button type="button" className="btn small" onClick={() => setAsking(false)}>
                Keep
              </button>
            </span>
          ) : (
            <>
              <button type="button" className="btn small ghost" disabled={busy} onClick={() => void toggle()} aria-label={`${w.enabled ? 'Pause' : 'Resume'} ${w.name}`}>
                {w.enabled ? 'Pause' : 'Resume'}
              </button>
              <button type="button" className="btn small ghost" onClick={onEdit} aria-label={`Change ${w.name}`}>
                Change
              </button>
              <button type="button" className="btn small ghost" onClick={() => setAsking(true)} aria-label={`Remove ${w.name}`}>
                Remove
              </button>
            </>
          ))}
      </td>
    </tr>
  );
}
