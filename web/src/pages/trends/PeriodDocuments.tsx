/**
 * The documents behind a count on a trend card: the analyst picks a period (in the list, or by clicking
 * the reports line) and sees which collected documents it counted, a page at a time
 * (`GET /api/trends/documents`). Titles and sources are the feeds' text, shown as text, never as HTML.
 */
import { useEffect, useRef, useState } from 'react';
import { request, isAbort } from '../../lib/api.ts';
import type { TrendsDocumentsResponse, TrendsPoint, TrendsType } from './types.ts';

const PAGE = 20;

type Doc = TrendsDocumentsResponse['documents'][number];

/**
 * A document as the trend cards list it: its date (with the UTC time, `withTime`), its title as text,
 * a link only for an http(s) URL, opened in a new tab without handing this page over, then its source
 * and the classifier's certainty where known.
 */
export function DocumentItem({ d, withTime = false }: { d: Omit<Doc, 'source'> & { source?: string | null }; withTime?: boolean }) {
  return (
    <li>
      <span className="muted mono">{withTime ? d.time.slice(0, 16).replace('T', ' ') : d.time.slice(0, 10)}</span>{' '}
      {d.url === null || !/^https?:\/\//i.test(d.url) ? (
        d.title
      ) : (
        <a href={d.url} target="_blank" rel="noopener noreferrer">
          {d.title}
        </a>
      )}
      {d.source != null && <span className="muted"> · {d.source}</span>}
      {d.certainty !== undefined && <span className="muted"> · classified {d.certainty.toFixed(2)}</span>}
    </li>
  );
}

/**
 * The reports of the type a period holds, to list: its count, or in a collection gap (a month with too
 * few documents to count) those it holds all the same (`uncounted`); only counted periods were listed, so
 * a sparse month's reports could not be seen at all.
 */
export function periodReports(p: TrendsPoint): number {
  return p.observed ?? p.uncounted ?? 0;
}

/**
 * "2026-12-03 · 4 reports", "week from 2026-11-30 · 1 report so far", "2026-03-04 · 2 reports, not
 * counted: too few documents that month": a period of the card with reports of the type.
 */
function periodOption(p: TrendsPoint, period: 'day' | 'week'): string {
  const day = p.start.slice(0, 10);
  const n = periodReports(p);
  const gap = p.observed === null ? ', not counted: too few documents that month' : '';
  return `${period === 'week' ? `week from ${day}` : day} · ${n} ${n === 1 ? 'report' : 'reports'}${p.partial === true ? ' so far' : ''}${gap}`;
}

/**
 * Asks the list of a period to take the keyboard focus once (the card's "list them": the list appears
 * further down the card while the focus stayed on the button). A new object each time, so a second press
 * on the same period asks again; picking in the select does not ask (the focus stays in the select).
 */
export type FocusAsk = { start: string } | null;

/** One period's documents, a page at a time; keyed by the period, so a new pick starts from its first page. */
function DocumentList({ t, period, start, focusAsk, onFocused }: { t: TrendsType; period: 'day' | 'week'; start: string; focusAsk: FocusAsk; onFocused: () => void }) {
  const [docs, setDocs] = useState<Doc[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const heading = useRef<HTMLHeadingElement>(null);

  // the heading is there before the documents load and when they fail, so the focus has a place at once
  useEffect(() => {
    if (focusAsk === null || focusAsk.start !== start) return;
    heading.current?.focus();
    onFocused();
  }, [focusAsk, start, onFocused]);

  useEffect(() => {
    const ac = new AbortController();
    setLoading(true);
    request<TrendsDocumentsResponse>('/api/trends/documents', { params: { type: t.type, period, start, offset, limit: PAGE }, signal: ac.signal })
      .then((r) => {
        setDocs((before) => [...before.slice(0, offset), ...r.documents]);
        setTotal(r.total);
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (isAbort(e)) return;
        setError(`the reports of ${start.slice(0, 10)} did not load: ${e instanceof Error ? e.message : String(e)}`);
        setLoading(false);
      });
    return () => ac.abort();
  }, [t.type, period, start, offset]);

  const title = (
    <h4 className="trend-docs-head" ref={heading} tabIndex={-1}>
      Reports {period === 'week' ? 'of the week from' : 'of'} {start.slice(0, 10)}
    </h4>
  );
  if (error !== null)
    return (
      <>
        {title}
        <p role="alert">{error}</p>
      </>
    );
  return (
    <>
      {title}
      {total !== null && (
        <p className="muted trend-note">{total === 0 ? 'no reports of the type in it' : `${docs.length} of ${total} ${total === 1 ? 'report' : 'reports'}, newest first`}</p>
      )}
      <ul className="docs" aria-label={`${t.label} reports ${period === 'week' ? 'of the week from' : 'of'} ${start.slice(0, 10)}`}>
        {docs.map((d) => (
          <DocumentItem key={d.id} d={d} withTime />
        ))}
      </ul>
      {loading && <p className="muted trend-note">loading…</p>}
      {!loading && total !== null && docs.length < total && (
        <button type="button" className="btn small" onClick={() => setOffset(docs.length)}>
          {Math.min(PAGE, total - docs.length)} more
        </button>
      )}
    </>
  );
}

/** The pick of a period with reports of the type (counted or in a collection gap), and its documents below it. */
export function PeriodDocuments({
  t,
  period,
  picked,
  onPick,
  focusAsk = null,
  onFocused = () => {},
}: {
  t: TrendsType;
  period: 'day' | 'week';
  picked: string | null;
  onPick: (start: string | null) => void;
  focusAsk?: FocusAsk;
  onFocused?: () => void;
}) {
  // newest first
  const listed = t.points.filter((p) => periodReports(p) > 0).reverse();
  if (listed.length === 0) return null;
  return (
    <div className="trend-period-docs">
      <label>
        which reports{' '}
        <select aria-label={`${t.label}: list the reports of`} value={picked ?? ''} onChange={(e) => onPick(e.target.value === '' ? null : e.target.value)}>
          <option value="">choose a {period}…</option>
          {listed.map((p) => (
            <option key={p.start} value={p.start}>
              {periodOption(p, period)}
            </option>
          ))}
        </select>
      </label>
      {picked !== null && <DocumentList key={`${period}/${picked}`} t={t} period={period} start={picked} focusAsk={focusAsk} onFocused={onFocused} />}
    </div>
  );
}
