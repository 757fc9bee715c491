/**
 * The incident base, shown while no report is being analysed: how many incidents it holds by source, the
 * latest saved, and one opened: its normalized record (or text), similar incidents, questions, and Delete
 * with a confirm step (not for a viewer). Until 2026-12 nothing listed the base: a report saved by mistake
 * (a wrong paste, a customer's personal data) stayed for good, and Assist opened on an empty text box.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { isApiError, request, withParams } from '../../lib/api.ts';
import { formatInt, formatUtc } from '../../lib/format.ts';
import { RecordTable } from './RecordTable.tsx';
import { SimilarList } from './SimilarList.tsx';
import { ChatPanel } from './ChatPanel.tsx';
import type { IncidentsReply, IncidentSummary, SimilarItem, StoredIncident } from './types.ts';

/** Incidents listed at first, and added by "Show more". */
export const BASE_PAGE = 20;

const incidentUrl = (id: string): string => `/api/assist/incidents/${encodeURIComponent(id)}`;
const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const savedText = (saved: number | null): string => (saved === null ? 'saved before the base kept the time' : `saved ${formatUtc(saved)}`);

function Sources({ sources, chosen, onChoose }: { sources: Record<string, number>; chosen: string | null; onChoose(source: string | null): void }) {
  const rows = Object.entries(sources).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return (
    <ul className="assist-base-sources" aria-label="Incidents by source">
      <li className="dim">By source (choose one to list only its incidents):</li>
      {rows.map(([source, n]) => (
        <li key={source}>
          <button type="button" className={`btn small ${chosen === source ? 'primary' : ''}`} aria-pressed={chosen === source} onClick={() => onChoose(chosen === source ? null : source)}>
            {source} <span className="num">{formatInt(n)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/** One incident opened: what the base holds of it, Delete (with a confirm step), similar incidents and the chat. */
function Opened({ summary, readOnly, onDeleted, onClose }: { summary: IncidentSummary; readOnly: boolean; onDeleted(gone: IncidentSummary, already: boolean): void; onClose(): void }) {
  const [stored, setStored] = useState<StoredIncident | null>(null);
  const [similar, setSimilar] = useState<SimilarItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    const ctl = new AbortController();
    heading.current?.focus();
    request<StoredIncident>(incidentUrl(summary.id), { signal: ctl.signal })
      .then(setStored)
      .catch((e: unknown) => {
        if (ctl.signal.aborted) return;
        // removed since the list was read (another analyst, nml assist delete): off the list
        if (isApiError(e) && e.code === 'ASSIST_INCIDENT_NOT_FOUND') onDeleted(summary, true);
        else setError(errorText(e));
      });
    request<{ results: SimilarItem[] }>(withParams('/api/assist/similar', { incidentId: summary.id }), { signal: ctl.signal })
      .then((r) => setSimilar(r.results))
      .catch(() => undefined);
    return () => ctl.abort();
  }, [summary, onDeleted]);

  const remove = async () => {
    setDeleting(true);
    setError(null);
    try {
      await request(incidentUrl(summary.id), { method: 'DELETE', body: {} });
      onDeleted(summary, false);
    } catch (e) {
      if (isApiError(e) && e.code === 'ASSIST_INCIDENT_NOT_FOUND') onDeleted(summary, true);
      else setError(errorText(e));
      setConfirming(false);
    } finally {
      setDeleting(false);
    }
  };

  const x = stored?.incident;
  return (
    <section className="assist-result assist-base-incident" aria-labelledby="assist-base-incident-title">
      <div className="assist-base-incident-head">
        <h2 id="assist-base-incident-title" className="assist-result-title" tabIndex={-1} ref={heading}>
          {summary.title}
        </h2>
        <button type="button" className="btn small ghost" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="dim">
        <span className="mono">{summary.id}</span> · {summary.source} · {savedText(summary.saved)}
        {summary.time !== null && <> · reported time {summary.time}</>}
      </p>
      {!readOnly &&
        (confirming ? (
          <div className="notice warn assist-base-confirm" role="group" aria-label="Confirm the deletion">
            <span>Delete this incident from the incident base? It is gone for good: no longer found as a similar incident or cited in answers.</span>{' '}
            <button type="button" className="btn danger" disabled={deleting} onClick={() => void remove()} autoFocus>
              {deleting ? 'Deleting…' : 'Delete for good'}
            </button>{' '}
            <button type="button" className="btn" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        ) : (
          <div>
            <button type="button" className="btn danger" onClick={() => setConfirming(true)}>
              Delete…
            </button>
          </div>
        ))}
      {error !== null && (
        <div className="notice error" role="alert">
          {error}
        </div>
      )}
      {x !== undefined && (x.firstAction !== null || x.countermeasure !== null || x.outcome !== null) && (
        <div className="notice">
          {x.firstAction !== null && <p>Done then: {x.firstAction}</p>}
          {x.countermeasure !== null && <p className="dim">Afterwards: {x.countermeasure}</p>}
          {x.outcome !== null && <p className="dim">Outcome: {x.outcome}</p>}
        </div>
      )}
      {x !== undefined && (
        <section className="panel" aria-label="Normalized record">
          <div className="panel-head">
            <h2>{x.record !== undefined ? `Normalized record (${x.record.format})` : 'Text'}</h2>
            {x.labels.length > 0 && <span className="dim">labels: {x.labels.join(', ')}</span>}
          </div>
          {x.record !== undefined ? <RecordTable record={x.record} /> : <pre className="panel-body assist-base-text">{x.text}</pre>}
        </section>
      )}
      {similar !== null && (
        <section className="panel" aria-label="Similar incidents">
          <div className="panel-head">
            <h2>Similar incidents</h2>
          </div>
          <div className="panel-body">
            <SimilarList items={similar} judged={undefined} closeRule={undefined} searched={1} />
          </div>
        </section>
      )}
      <ChatPanel key={summary.id} incidentId={summary.id} />
    </section>
  );
}

export function IncidentBasePanel({ readOnly }: { readOnly: boolean }) {
  const [reply, setReply] = useState<IncidentsReply | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [source, setSource] = useState<string | null>(null);
  const [limit, setLimit] = useState(BASE_PAGE);
  const [open, setOpen] = useState<IncidentSummary | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  // the opened incident's section leaves with a deletion: the focus goes to the list's heading, not to <body>
  const title = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    const ctl = new AbortController();
    request<IncidentsReply>(withParams('/api/assist/incidents', { limit, ...(source === null ? {} : { source }) }), { signal: ctl.signal })
      .then((r) => {
        setReply(r);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!ctl.signal.aborted) setError(errorText(e));
      });
    return () => ctl.abort();
  }, [source, limit, reload]);

  const deleted = useCallback((gone: IncidentSummary, already: boolean) => {
    setOpen(null);
    setNotice(already ? `“${gone.title}” (${gone.id}) was deleted already, after this list was loaded; it is off the list now.` : `Deleted “${gone.title}” (${gone.id}) from the incident base.`);
    setReload((n) => n + 1);
    title.current?.focus();
  }, []);

  const held = reply === null ? 0 : Object.values(reply.sources).reduce((a, b) => a + b, 0);
  const more = reply === null ? 0 : reply.total - reply.incidents.length;
  return (
    <>
      <section className="panel assist-base" aria-labelledby="assist-base-title">
        <div className="panel-head">
          <h2 id="assist-base-title" tabIndex={-1} ref={title}>
            Incident base
          </h2>
          {reply !== null && <span className="dim">{held === 0 ? 'empty' : `${formatInt(held)} incident${held === 1 ? '' : 's'}`}</span>}
        </div>
        <div className="panel-body">
          {notice !== null && (
            <div className="notice ok" role="status">
              {notice}
            </div>
          )}
          {error !== null && (
            <div className="notice error" role="alert">
              The incident base could not be listed: {error}
            </div>
          )}
          {reply !== null && held === 0 && (
            <p className="dim">
              Nothing yet: import the corpora with <code>nml assist import</code>, or analyse a report above with “save to the incident base”. Similar past incidents are drawn from here.
            </p>
          )}
          {reply !== null && held > 0 && (
            <>
              <Sources sources={reply.sources} chosen={source} onChoose={(s) => {
                setSource(s);
                setLimit(BASE_PAGE);
              }} />
              <h3 className="assist-base-latest">{source === null ? 'Latest saved' : `Latest saved from ${source}`}</h3>
              <ol className="assist-base-list">
                {reply.incidents.map((x) => (
                  <li key={x.id} className={open?.id === x.id ? 'open' : undefined}>
                    <button type="button" className="assist-base-open" aria-expanded={open?.id === x.id} onClick={() => setOpen(open?.id === x.id ? null : x)}>
                      {x.title}
                    </button>
                    <span className="dim assist-base-source">{x.source}</span>
                    <span className="faint assist-base-when" title={x.saved === null ? 'saved before the base kept the time; the time the report gives' : 'when saved to the base'}>
                      {x.saved === null ? (x.time ?? '') : formatUtc(x.saved)}
                    </span>
                  </li>
                ))}
              </ol>
              {more > 0 && (
                <p className="dim">
                  {formatInt(more)} more{' '}
                  <button type="button" className="btn small ghost" onClick={() => setLimit(limit + BASE_PAGE)}>
                    Show {Math.min(BASE_PAGE, more)} more
                  </button>
                </p>
              )}
            </>
          )}
        </div>
      </section>
      {open !== null && <Opened key={open.id} summary={open} readOnly={readOnly} onDeleted={deleted} onClose={() => setOpen(null)} />}
    </>
  );
}
