/** Search: the query and range live in the URL; results paint first, then histogram, total and facets. */
import { useEffect, useMemo, useState } from 'react';
import { useUrlParams } from '../../lib/router.ts';
import { isApiError } from '../../lib/api.ts';
import { andQuery, entityQuery, highlightTerms, quoteValue } from '../../lib/query-terms.ts';
import type { ApiEntity, ApiSkippedShard } from '../../lib/types.ts';
import { QueryBox } from '../../components/QueryBox.tsx';
import { TimePicker, type TimeRange } from '../../components/TimePicker.tsx';
import { Histogram } from '../../components/Histogram.tsx';
import { formatDuration, formatInt, formatUtc } from '../../lib/format.ts';
import { isUnreachable, useSearch } from './use-search.ts';
import { pinRange, type PinnedRange } from './pinned-range.ts';
import { serverNow } from '../../lib/server-clock.ts';
import { Results, type SearchFailure } from './Results.tsx';
import { Facets } from './Facets.tsx';
import { Link } from '../../components/Link.tsx';
import { EvidenceWindow } from './EvidenceWindow.tsx';
import { ExportLinks } from './ExportLinks.tsx';
import { ShareAction } from './ShareDialog.tsx';
import { useAuth } from '../../app/auth.ts';
import { watchHref } from '../watches/watch-text.ts';
import { isPinLost, PinLost } from './PinLost.tsx';
import './search.css';

export const DEFAULT_FROM = '-24h';

/**
 * A time error in the words of the picker: the range as typed (`-1m → -1h`), not the instants the page
 * sent, and without the API's `request: query parameter from: time:` prefix.
 */
export function timeErrorText(message: string, param: unknown, from: string, to: string): string {
  const bare = message.replace(/^request: query parameters? (?:from and to|from|to): /, '').replace(/^time: /, '');
  if (/ is after to /.test(bare)) {
    return to.trim() === ''
      ? `The start (${from}) is after now: pick a start in the past, or give an end as well`
      : `The start (${from}) is after the end (${to}); swap them`;
  }
  const which = param === 'from' ? 'Start' : param === 'to' ? 'End' : 'Range';
  return `${which}: ${bare}`;
}

function splitError(e: Error | null, from: string, to: string): SearchFailure {
  if (e === null) return { query: null, time: null, other: null };
  if (isApiError(e) && (e.code === 'QUERY_SYNTAX' || e.code === 'QUERY_TOO_COMPLEX')) {
    const col = e.details.column;
    return { query: { message: e.message, column: typeof col === 'number' ? col : null }, time: null, other: null };
  }
  if (isApiError(e) && e.code === 'TIME_SYNTAX') return { query: null, time: timeErrorText(e.message, e.details.param, from, to), other: null };
  // said by the PinLost notice, with the way out
  if (isPinLost(e)) return { query: null, time: null, other: null };
  if (isUnreachable(e)) return { query: null, time: null, other: 'The server cannot be reached (it may be down or restarting). The search runs again by itself once it answers.' };
  return { query: null, time: null, other: e.message };
}

/** Damaged shards the server left out: the answer is partial, and the total a lower bound. */
function SkippedNotice({ skipped }: { skipped: ApiSkippedShard[] }) {
  if (skipped.length === 0) return null;
  return (
    <div className="notice warn skipped-shards" role="alert">
      <strong>{skipped.length === 1 ? 'A damaged or missing shard was' : `${skipped.length} damaged or missing shards were`} left out of this search.</strong> Matches from{' '}
      {skipped.length === 1 ? 'its' : 'their'} time may be missing, and the total is a lower bound.
      <ul>
        {skipped.map((s) => (
          <li key={s.file}>
            <code>{s.file}</code>: {formatUtc(s.from)} to {formatUtc(s.to)}
          </li>
        ))}
      </ul>
      The store problems on the <Link href="/live">Live page</Link> say what to do with the file.
    </div>
  );
}

export default function SearchPage() {
  const [params, setParams] = useUrlParams();
  // an anonymized dataset leaves the site: an admin's decision (the route refuses anyone else)
  const role = useAuth().user.role;
  const isAdmin = role === 'admin';
  const q = params.get('q') ?? '';
  const from = params.get('from') ?? DEFAULT_FROM;
  const to = params.get('to') ?? '';
  const [draft, setDraft] = useState(q);
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    setDraft(q);
  }, [q]);

  // the range read once for the search shown: pinned again when the person runs a search or the range
  // in the URL changes; a facet or an entity picked from the results narrows the same snapshot
  const [pin, setPin] = useState<{ from: string; to: string; range: PinnedRange }>(() => ({ from, to, range: pinRange(from, to, serverNow()) }));
  let pinned = pin;
  if (pin.from !== from || pin.to !== to) {
    pinned = { from, to, range: pinRange(from, to, serverNow()) };
    setPin(pinned);
  }

  const [state, loadMore] = useSearch({ q, from: pinned.range.from, to: pinned.range.to, asOf: pinned.range.asOf, nonce });
  const terms = useMemo(() => highlightTerms(q), [q]);
  const errors = splitError(state.error, from, to);
  // a search that failed has no total, timing or histogram to come: no empty panel for them
  const failed = state.error !== null && state.hits.length === 0;

  /** `repin`: the person ran the search (Enter, the button), so "now" is read again; a refinement keeps the snapshot. */
  const runQuery = (next: string, repin: boolean) => {
    setDraft(next);
    if (repin) setPin({ from, to, range: pinRange(from, to, serverNow()) });
    if (next === q) setNonce((n) => n + 1);
    else setParams({ q: next });
  };
  const setRange = (r: TimeRange) => setParams({ from: r.from === DEFAULT_FROM ? null : r.from, to: r.to });
  const onEntity = (e: ApiEntity, add: boolean) => runQuery(add ? andQuery(q, entityQuery(e)) : entityQuery(e), false);
  // the query and range of the search shown (the URL's, not a draft typed since), pinned anew
  const pinLost =
    state.pinLost === null ? null : (
      <PinLost error={state.pinLost} asOf={pinned.range.asOf} shown={state.hits.length} total={state.total} onRerun={() => runQuery(q, true)} />
    );

  return (
    <div className="search-page">
      <form
        className="search-bar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          runQuery(draft, true);
        }}
      >
        <QueryBox value={draft} onChange={setDraft} onSubmit={() => runQuery(draft, true)} error={errors.query} />
        <TimePicker value={{ from, to }} onChange={setRange} error={errors.time} until={pinned.range.at} />
        <button type="submit" className="btn primary" aria-label="Run search">
          Search
        </button>
      </form>

      <EvidenceWindow from={from} to={to} wideFrom={params.get('wideFrom')} wideTo={params.get('wideTo')} total={state.total} onWiden={(a, b) => setParams({ from: a, to: b })} />

      {!failed && (
        <section className="panel hist-panel" aria-label="Matches over time">
          <div className="panel-head">
            <span className="total" aria-live="polite">
              {state.total === null ? (
                // refused before its count came: it will not come (the notice says why and offers the rerun)
                state.pinLost !== null ? (
                  <span className="faint">not counted: see the notice {state.hits.length > 0 ? 'under the rows' : 'below'}</span>
                ) : state.loading || state.hits.length > 0 ? (
                  <span className="faint">counting…</span>
                ) : null
              ) : (
                <>
                  <strong id="total-count" data-count={state.total}>
                    {formatInt(state.total)}
                  </strong>{' '}
                  {state.total === 1 ? 'match' : 'matches'}
                </>
              )}
            </span>
            {/* an export under a pin the server refuses would download its 409 */}
            {state.hits.length > 0 && state.pinLost === null && <ExportLinks q={q} range={pinned.range} />}
            {isAdmin && state.hits.length > 0 && <ShareAction q={q} range={pinned.range} pinLost={state.pinLost !== null} />}
            {/* a query that ran (one the server refused would be refused again); viewers make no watch */}
            {role !== 'viewer' && q.trim() !== '' && state.error === null && (
              <Link className="btn small watch-open" href={watchHref(q)} title="count this query's lines on a schedule and raise an alert when they reach a threshold">
                Watch…
              </Link>
            )}
            <span className="spacer" />
            {state.firstPageMs !== null && (
              <span className="faint timing" title="time to the first page in the browser, and the server's own time">
                first page {formatDuration(state.firstPageMs)}
                {state.tookMs !== null && ` · server ${formatDuration(state.tookMs)}`}
              </span>
            )}
            {state.histogram !== null && <span className="faint hide-narrow">bucket {formatDuration(state.histogram.interval)} · drag to zoom</span>}
          </div>
          <div className="hist-body">
            {state.histogram !== null ? (
              <Histogram data={state.histogram} onZoom={(a, b) => setParams({ from: new Date(a).toISOString(), to: new Date(b).toISOString() })} />
            ) : (
              <div className="hist-placeholder" aria-hidden="true" />
            )}
          </div>
        </section>
      )}

      <SkippedNotice skipped={state.skipped} />
      {state.hits.length === 0 && pinLost}

      {errors.other !== null && (
        <div className="notice error" role="alert">
          {errors.other}
        </div>
      )}

      <div className="search-body">
        <Facets facets={state.facets} onPick={(field, value) => runQuery(andQuery(q, `${field}:${quoteValue(value)}`), false)} />
        <Results state={state} failure={errors} terms={terms} onEntity={onEntity} onLoadMore={loadMore} foot={state.hits.length > 0 ? pinLost : null} range={{ from: pinned.range.from ?? from, to: pinned.range.to ?? to }} />
      </div>
    </div>
  );
}
