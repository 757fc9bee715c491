/** The hits, newest first, in a dense table; a row opens to show its fields; more pages on demand or on scroll. */
import { Fragment, useEffect, useRef, useState, type ReactNode } from 'react';
import { formatTime } from '../../lib/format.ts';
import type { HighlightTerm } from '../../lib/query-terms.ts';
import type { ApiEntity, EnrichedSearchHit } from '../../lib/types.ts';
import type { QueryError } from '../../components/QueryBox.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { Link } from '../../components/Link.tsx';
import { pivotHref } from '../../lib/pages.ts';
import { useNarrow } from '../../lib/use-narrow.ts';
import { LogLine } from './LogLine.tsx';
import type { SearchState } from './use-search.ts';

/** A failed search's error as the page shows it: a query error marked in the query box, a time error under the picker, any other in a notice. */
export interface SearchFailure {
  query: QueryError | null;
  time: string | null;
  other: string | null;
}

interface Props {
  state: SearchState;
  failure: SearchFailure;
  terms: readonly HighlightTerm[];
  onEntity(e: ApiEntity, add: boolean): void;
  onLoadMore(): void;
  /** said where "Load more" was, in its place (PinLost: no more rows of this search can come) */
  foot?: ReactNode;
  /** the range the search ran over, pinned (from/to absolute where it named now): an entity's investigation looks there */
  range: { from: string; to: string };
}

const SEVERITY = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];

export function Results({ state, failure, terms, onEntity, onLoadMore, foot, range }: Props) {
  const [open, setOpen] = useState<Set<string>>(new Set());
  // host and app are hidden there: an open line's fields span time and message only
  const narrow = useNarrow();
  const sentinel = useRef<HTMLDivElement>(null);
  const more = useRef(onLoadMore);
  more.current = onLoadMore;

  useEffect(() => {
    setOpen(new Set());
  }, [state.firstPageMs]);

  // infinite scroll once the user has scrolled; the button works without it
  useEffect(() => {
    const el = sentinel.current;
    if (el === null) return;
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && window.scrollY > 0) more.current();
      },
      { rootMargin: '600px 0px' },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [state.cursor]);

  if (state.loading && state.hits.length === 0) {
    return (
      <section className="results panel" aria-busy="true" aria-label="Results">
        <div className="empty">
          <span className="spinner" /> Searching…
        </div>
      </section>
    );
  }
  if (state.error !== null && state.hits.length === 0) return <Failed failure={failure} />;
  if (state.hits.length === 0) {
    return (
      <section className="results panel" aria-label="Results">
        <EmptyState title="No matches">
          <p>Widen the time range, or check the query. Terms are whole words; use a trailing <code>*</code> for a prefix or <code>sub:</code> for text inside words.</p>
        </EmptyState>
      </section>
    );
  }

  const toggle = (key: string) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(key)) n.delete(key);
      else n.add(key);
      return n;
    });

  return (
    <section className={`results panel${state.loading ? ' stale' : ''}`} aria-label="Results" aria-busy={state.loading || undefined}>
      <table className="grid results-table">
        <thead>
          <tr>
            <th scope="col" className="c-time">
              Time (UTC)
            </th>
            <th scope="col" className="c-host hide-narrow">
              Host
            </th>
            <th scope="col" className="c-app hide-narrow">
              App
            </th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {state.hits.map((h) => {
            const key = `${h.shard}:${h.rowid}`;
            const isOpen = open.has(key);
            return (
              <Fragment key={key}>
                <tr
                  className={`hit sev-${h.severity ?? 'x'}`}
                  aria-expanded={isOpen}
                  // a click anywhere on the row opens it (the time button alone did: a UX review looked for it);
                  // not one on a link, a chip or a button in it, nor one that ends a text selection
                  onClick={(ev) => {
                    if ((ev.target as HTMLElement).closest('a, button, input') !== null) return;
                    if ((window.getSelection()?.toString() ?? '') !== '') return;
                    toggle(key);
                  }}
                >
                  <td className="c-time mono">
                    <button
                      type="button"
                      className="row-toggle"
                      aria-label={`${isOpen ? 'Hide' : 'Show'} fields of the line at ${formatTime(h.time)}${loud(h.severity) ? `, severity ${SEVERITY[h.severity!]}` : ''}`}
                      onClick={() => toggle(key)}
                    >
                      <span aria-hidden="true">{isOpen ? '▾' : '▸'}</span>
                      <TimeStamp ms={h.time} />
                    </button>
                  </td>
                  <td className="c-host mono hide-narrow">{h.host ?? ''}</td>
                  <td className="c-app mono hide-narrow">{h.app ?? ''}</td>
                  <td className={`c-msg mono${isOpen ? '' : ' clamp'}`}>
                    {loud(h.severity) && <SeverityTag severity={h.severity!} />}
                    <LogLine line={h.raw} terms={terms} entities={h.entities ?? []} onEntity={onEntity} full={isOpen} />
                  </td>
                </tr>
                {isOpen && (
                  <tr className="hit-detail">
                    <td colSpan={narrow ? 2 : 4}>
                      <HitFields hit={h} onEntity={onEntity} range={range} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      <div className="results-foot" ref={sentinel}>
        {foot !== undefined && foot !== null ? (
          foot
        ) : state.cursor !== null ? (
          <button type="button" className="btn" onClick={onLoadMore} disabled={state.loadingMore} aria-label="Load more results">
            {state.loadingMore ? 'Loading…' : 'Load more'}
          </button>
        ) : (
          <span className="faint">End of results · {state.hits.length} shown</span>
        )}
      </div>
    </section>
  );
}

/**
 * The results area of a search that failed: it says why there are no results and points at the error,
 * which is shown where it can be fixed (an empty box read as "no matches"). An error the page shows in a
 * notice above needs no second word here.
 */
function Failed({ failure }: { failure: SearchFailure }) {
  if (failure.query === null && failure.time === null) return null;
  const col = failure.query?.column ?? null;
  return (
    <section className="results panel" aria-label="Results">
      {failure.query !== null ? (
        <EmptyState title="The query could not be read">
          <p>The error is marked in the query box above{col === null ? '' : `, at column ${col}`}. Fix it and press Enter to search again.</p>
        </EmptyState>
      ) : (
        <EmptyState title="The time range could not be read">
          <p>The error is shown under the time picker above. Fix the range to search again.</p>
        </EmptyState>
      )}
    </section>
  );
}

/** Date and clock as two parts, so that narrow layouts can stack them. */
/** Severities 0–4 (emerg … warning) are marked on the row: a stripe and a word, not the colour alone. */
const loud = (severity: number | null | undefined): boolean => severity !== null && severity !== undefined && severity >= 0 && severity <= 4;

function SeverityTag({ severity }: { severity: number }) {
  return (
    <span className={`sev-tag ${severity <= 3 ? 'sev-bad' : 'sev-warn'}`} title={`syslog severity ${severity} (${SEVERITY[severity]})`}>
      <span className="sr-only">severity </span>
      {SEVERITY[severity]}
    </span>
  );
}

function TimeStamp({ ms }: { ms: number }) {
  const t = formatTime(ms);
  const at = t.indexOf(' ');
  return (
    <span className="ts">
      <span className="ts-date">{t.slice(0, at)}</span> <span className="ts-clock">{t.slice(at + 1)}</span>
    </span>
  );
}

/**
 * `range`: the search's range as it ran, pinned, so that the investigation looks where the search found
 * the line even when opened later (the URL's `-15m` would by then mean another quarter of an hour); empty
 * where the search's was (both pages then default to the last 24 hours).
 */
function HitFields({ hit, onEntity, range }: { hit: EnrichedSearchHit; onEntity: Props['onEntity']; range: Props['range'] }) {
  const rows: [string, string][] = [
    ['time', `${formatTime(hit.time)} (${hit.time})`],
    ['received', formatTime(hit.receivedAt)],
    ['source', hit.source],
    ['host', hit.host ?? '—'],
    ['app', hit.app ?? '—'],
    ['pid', hit.pid ?? '—'],
    ['severity', hit.severity === null ? '—' : `${hit.severity} ${SEVERITY[hit.severity] ?? ''}`],
    ['facility', hit.facility === null ? '—' : String(hit.facility)],
    ['format', hit.format],
    ['shard', hit.shard],
  ];
  return (
    <div className="fields">
      <dl>
        {rows.map(([k, v]) => (
          <Fragment key={k}>
            <dt>{k}</dt>
            <dd className="mono">{v}</dd>
          </Fragment>
        ))}
      </dl>
      {hit.entities.length > 0 && (
        <div className="entity-list">
          {hit.entities.map((e, i) => {
            const pivot = pivotHref(e.kind, e.value, range);
            return (
              <span key={i} className="chip-group">
                <button type="button" className="chip" aria-label={`Search for ${e.kind} ${e.value}`} onClick={(ev) => onEntity(e, ev.altKey)}>
                  <span className="chip-kind">{e.kind}</span>
                  <span className="mono">{e.value}</span>
                </button>
                {pivot !== null && (
                  <Link className="chip chip-pivot" href={pivot} aria-label={`Investigate ${e.kind} ${e.value}`} title="Investigate: pivot from this entity">
                    ⇢
                  </Link>
                )}
              </span>
            );
          })}
        </div>
      )}
    </div>
  );
}
