/**
 * Watches: saved searches the server counts every `every` over the last `window`; one that reaches its
 * threshold raises an alert (a finding of detector `watch`, on the Alerts page, sent to the webhooks like any
 * other). The list refreshes itself, so each watch's last count stays current; admins and analysts make,
 * change, pause and remove watches, viewers read them. `?new=1&q=…` (the Search page's "Watch…") opens the
 * form with that query.
 */
import { useCallback, useEffect, useState } from 'react';
import { request } from '../../lib/api.ts';
import { useUrlParams } from '../../lib/router.ts';
import type { WatchesResponse, WatchInfo } from '../../lib/types.ts';
import { useReadOnly } from '../../app/auth.ts';
import { useNow } from '../../lib/use-now.ts';
import { errorText } from '../account/checks.ts';
import { draftOf, emptyDraft, WatchForm } from './WatchForm.tsx';
import { WatchRow } from './WatchRow.tsx';
import { NoticeBox, type Notice } from '../../components/NoticeBox.tsx';
import './watches.css';

/** how often the list asks again: a watch counted every minute shows its new count within this */
const REFRESH_MS = 15_000;
/** how long after a save the list asks for the watch's first count */
const FIRST_COUNT_MS = 1500;

type Editing = { kind: 'none' } | { kind: 'new'; query: string } | { kind: 'edit'; watch: WatchInfo };

export default function WatchesPage() {
  const [params, setParams] = useUrlParams();
  const readOnly = useReadOnly();
  const [data, setData] = useState<WatchesResponse | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [editing, setEditing] = useState<Editing>(() => (params.get('new') === '1' && !readOnly ? { kind: 'new', query: params.get('q') ?? '' } : { kind: 'none' }));

  const load = useCallback((background: boolean, signal?: AbortSignal) => {
    request<WatchesResponse>('/api/watches', { background, ...(signal === undefined ? {} : { signal }) }).then(
      (r) => {
        setData(r);
        setLoadError(null);
      },
      (e: unknown) => {
        if (signal?.aborted !== true) setLoadError(errorText(e));
      },
    );
  }, []);

  useEffect(() => {
    const ac = new AbortController();
    load(false, ac.signal);
    const t = setInterval(() => load(true, ac.signal), REFRESH_MS);
    return () => {
      clearInterval(t);
      ac.abort();
    };
  }, [load]);

  // the server counts a watch as soon as it is saved: the list asks for its first count a moment after each save
  const [saves, setSaves] = useState(0);
  useEffect(() => {
    if (saves === 0) return;
    const t = setTimeout(() => load(true), FIRST_COUNT_MS);
    return () => clearTimeout(t);
  }, [saves, load]);
  // one clock for every row's "N s ago"
  const now = useNow(10_000);

  const closeForm = () => {
    setEditing({ kind: 'none' });
    // the Search page's link opened the form: closing it leaves a plain address behind
    if (params.get('new') !== null) setParams({ new: null, q: null });
  };
  const saved = (w: WatchInfo, created: boolean) => {
    setData((d) => (d === null ? d : { ...d, watches: [...d.watches.filter((x) => x.id !== w.id), w].sort((a, b) => a.name.localeCompare(b.name)) }));
    setNotice({ kind: 'ok', text: created ? `Watch "${w.name}" saved: it is counted every ${w.every} from now on.` : `Watch "${w.name}" changed.` });
    closeForm();
    setSaves((n) => n + 1);
  };
  const changed = (w: WatchInfo) => setData((d) => (d === null ? d : { ...d, watches: d.watches.map((x) => (x.id === w.id ? w : x)) }));
  const removed = (w: WatchInfo) => {
    setData((d) => (d === null ? d : { ...d, watches: d.watches.filter((x) => x.id !== w.id) }));
    setNotice({ kind: 'ok', text: `Watch "${w.name}" removed. Its alerts stay on the Alerts page.` });
  };

  const full = data !== null && data.watches.length >= data.max;
  return (
    <div className="watches">
      <section className="panel" aria-labelledby="watches-title">
        <div className="panel-head">
          <h2 id="watches-title">Watches</h2>
          {data !== null && <span className="faint">{data.watches.length}</span>}
          <span className="spacer" />
          <button type="button" className="btn small ghost" onClick={() => load(false)} aria-label="Reload the watches">
            Reload
          </button>
          {!readOnly && editing.kind === 'none' && (
            <button type="button" className="btn small primary" onClick={() => setEditing({ kind: 'new', query: '' })} disabled={full} title={full ? `this server keeps at most ${data?.max ?? 0} watches (watches.max)` : undefined}>
              New watch
            </button>
          )}
        </div>
        <div className="panel-body watches-body">
          <p className="faint watches-about">
            A watch counts the lines of a search over a moving window, again and again; when the count reaches its threshold it raises an alert on the Alerts page, sent to the webhooks like
            any other. A watch that keeps firing stays one alert, its count of sightings rising.
          </p>
          {data !== null && !data.evaluating && (
            <div className="notice warn" role="alert">
              This server does not count watches (<code>watches.enabled</code> is false in its configuration): they are kept, but none fires.
            </div>
          )}
          {editing.kind !== 'none' && (
            <WatchForm
              key={editing.kind === 'edit' ? editing.watch.id : 'new'}
              initial={editing.kind === 'edit' ? draftOf(editing.watch) : emptyDraft(editing.query)}
              editing={editing.kind === 'edit' ? editing.watch : null}
              onSaved={saved}
              onCancel={closeForm}
            />
          )}
          <NoticeBox notice={notice} />
          <NoticeBox notice={loadError === null ? null : { kind: 'error', text: loadError }} />
        </div>
        {data === null && loadError === null && (
          <div className="empty">
            <span className="spinner" />
          </div>
        )}
        {data !== null && data.watches.length === 0 && (
          <div className="empty watches-empty">
            No watch yet.{readOnly ? '' : ' Make one here, or from a search: "Watch…" beside its total.'}
          </div>
        )}
        {data !== null && data.watches.length > 0 && (
          <div className="table-wrap">
            <table className="grid watches-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Query</th>
                  <th>Fires at</th>
                  <th>Last count</th>
                  <th>
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.watches.map((w) => (
                  <WatchRow key={w.id} w={w} now={now} readOnly={readOnly} onEdit={() => setEditing({ kind: 'edit', watch: w })} onChanged={changed} onRemoved={removed} onNotice={setNotice} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
