/** Top hosts and apps among the matches; clicking one narrows the query to it. */
import { quoteValue } from '../../lib/query-terms.ts';
import { formatCompact, formatInt } from '../../lib/format.ts';
import type { FacetsResponse } from '../../lib/types.ts';
import type { FacetError, SearchState } from './use-search.ts';

interface Props {
  facets: SearchState['facets'];
  onPick(field: string, value: string): void;
}

/** What one list shows: the counts, "…" while they are out, or why there are none. */
type FacetData = FacetsResponse | FacetError | 'loading' | 'failed';

export function Facets({ facets, onPick }: Props) {
  if (facets === 'absent') return null;
  const of = (field: 'host' | 'app'): FacetData => (facets === null ? 'loading' : facets === 'failed' ? 'failed' : facets[field]);
  return (
    <aside className="facets panel" aria-label="Facets">
      <FacetList title="Host" field="host" data={of('host')} onPick={onPick} />
      <FacetList title="App" field="app" data={of('app')} onPick={onPick} />
    </aside>
  );
}

function FacetList({ title, field, data: d, onPick }: { title: string; field: string; data: FacetData; onPick: Props['onPick'] }) {
  const data = typeof d === 'string' || 'error' in d ? null : d;
  const max = Math.max(1, ...(data?.values.map((v) => v.count) ?? [1]));
  // counted over the newest matches only: shares of them, not counts that read as totals (a UX review
  // read "sshd 2.0k" for 7,002 matches)
  const sample = data !== null && data.sampled.rows < data.sampled.total ? data.sampled.rows : null;
  const shown = (n: number): string => (sample === null ? formatCompact(n) : n * 100 < sample ? '<1%' : `${Math.round((n / sample) * 100)}%`);
  const said = (n: number): string => (sample === null ? formatInt(n) : `${shown(n)} of the newest ${formatInt(sample)}`);
  return (
    <section className="facet">
      <h2>{title}</h2>
      {d === 'loading' && (
        <div className="faint facet-empty" aria-label={`counting ${field}s`}>
          …
        </div>
      )}
      {d === 'failed' && <div className="faint facet-empty">not counted: the search failed</div>}
      {typeof d === 'object' && 'error' in d && (
        <div className="faint facet-empty" title={d.error}>
          not counted: {d.error}
        </div>
      )}
      {data !== null && data.values.length === 0 && <div className="faint facet-empty">none</div>}
      <ul>
        {data?.values.map((v) => (
          <li key={v.value ?? '\u0000'}>
            <button
              type="button"
              className="facet-item"
              aria-label={v.value === null ? `${said(v.count)} lines without a ${field}` : `Add ${field}:${v.value} to the query (${said(v.count)})`}
              title={v.value === null ? `lines without a ${field}` : `${field}:${quoteValue(v.value)}`}
              disabled={v.value === null}
              onClick={() => v.value !== null && onPick(field, quoteValue(v.value))}
            >
              <span className="facet-bar" style={{ width: `${(v.count / max) * 100}%` }} aria-hidden="true" />
              <span className={`facet-value mono${v.value === null ? ' faint' : ''}`}>{v.value ?? '(none)'}</span>
              <span className="facet-count num">{shown(v.count)}</span>
            </button>
          </li>
        ))}
      </ul>
      {data !== null && data.sampled.rows < data.sampled.total && (
        <div className="faint facet-note">
          share of the newest {formatInt(data.sampled.rows)} of {formatInt(data.sampled.total)} matches
        </div>
      )}
    </section>
  );
}
