/**
 * Runs a search the way that paints first results fastest: the page of hits first, then the
 * histogram (which carries the total), the count if there is no histogram, and the facets.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { request, isAbort, isApiError, SESSION_RENEWED_EVENT, type ApiError } from '../../lib/api.ts';
import type { ApiSkippedShard, EnrichedSearchHit, FacetsResponse, HistogramResponse, SearchResponse, CountResponse } from '../../lib/types.ts';
import { isPinLost } from './PinLost.tsx';
import { holdPin } from './pin-hold.ts';

export const PAGE_SIZE = 100;

export interface FacetError {
  error: string;
}

export interface SearchInput {
  q: string;
  /** the range pinned when the search ran (pinned-range.ts): every request of the search sends these; undefined: open */
  from: string | undefined;
  to: string | undefined;
  /** the pin's moment (pinned-range.ts): every request sends it, so all count the lines stored by then */
  asOf: number;
  /** bumped to run the same search again */
  nonce: number;
}

export interface SearchState {
  hits: EnrichedSearchHit[];
  cursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: ApiError | Error | null;
  /** ms from start to the first page being in hand */
  firstPageMs: number | null;
  tookMs: number | null;
  total: number | null;
  histogram: HistogramResponse | null;
  /** damaged shards the server left out of the pages, histogram or count (each file once) */
  skipped: ApiSkippedShard[];
  /**
   * null: asked, not answered yet; 'absent': the server has no facets endpoint; 'failed': the search
   * failed, so they were never asked; a field's `{ error }`: that count failed
   */
  facets: { host: FacetsResponse | FacetError; app: FacetsResponse | FacetError } | 'absent' | 'failed' | null;
  /**
   * A request of the search answered that its pin (or its cursor) can no longer be honoured (PinLost.tsx):
   * the rows shown stay, no further page is asked (cursor null), and the page offers to run it again
   */
  pinLost: ApiError | null;
}

const EMPTY: SearchState = {
  hits: [],
  cursor: null,
  loading: false,
  loadingMore: false,
  error: null,
  firstPageMs: null,
  tookMs: null,
  total: null,
  histogram: null,
  skipped: [],
  facets: null,
  pinLost: null,
};

/** `had` and the shards of `more` it lacks (by file); `had` itself when there are none. */
export function withSkipped(had: ApiSkippedShard[], more: ApiSkippedShard[] | undefined): ApiSkippedShard[] {
  const fresh = (more ?? []).filter((m) => !had.some((h) => h.file === m.file));
  return fresh.length === 0 ? had : [...had, ...fresh];
}

/** fetch() could not reach the server at all (down, restarting, the network): not an answer from it. */
export const isUnreachable = (e: unknown): boolean => e instanceof TypeError;

/** While the server cannot be reached, it is asked this often whether it is back; the search then runs again. */
const PROBE_MS = 3000;

/** While more rows can be loaded, the page holds its pin (pin-hold.ts): a refusal shows the notice at once, not at the click. */
export { PIN_HOLD_MS } from './pin-hold.ts';

export function useSearch(input: SearchInput): [SearchState, () => void] {
  const [state, setState] = useState<SearchState>(EMPTY);
  // the search that failed because the session had ended runs again once the person logged in again
  const [renewals, setRenewals] = useState(0);
  const failedUnauthorized = isApiError(state.error) && state.error.status === 401;
  useEffect(() => {
    if (!failedUnauthorized) return;
    const again = () => setRenewals((n) => n + 1);
    window.addEventListener(SESSION_RENEWED_EVENT, again);
    return () => window.removeEventListener(SESSION_RENEWED_EVENT, again);
  }, [failedUnauthorized]);
  // the search that failed because the server could not be reached runs again once it answers
  const unreachable = isUnreachable(state.error);
  useEffect(() => {
    if (!unreachable) return;
    const ac = new AbortController();
    const t = setInterval(() => {
      request('/api/auth/me', { quiet401: true, background: true, signal: ac.signal }).then(
        () => setRenewals((n) => n + 1),
        (e: unknown) => {
          if (isApiError(e)) setRenewals((n) => n + 1); // it answered: the search says what is wrong now
        },
      );
    }, PROBE_MS);
    return () => {
      ac.abort();
      clearInterval(t);
    };
  }, [unreachable]);
  const ctl = useRef<AbortController | null>(null);
  const current = useRef(input);
  current.current = input;

  // a layout effect: the request leaves before the browser paints the new state, not after
  useLayoutEffect(() => {
    const ac = new AbortController();
    ctl.current = ac;
    const { q, from, to, asOf } = input;
    const base = { q: q.trim() === '' ? undefined : q, from, to, asOf };
    const t0 = performance.now();
    // the previous hits stay (dimmed) until the new ones arrive: no empty flash, no re-layout in between
    setState((s) => ({ ...EMPTY, hits: s.hits, loading: true }));

    const follow = async (): Promise<void> => {
      const signal = ac.signal;
      const hist = request<HistogramResponse>('/api/histogram', { params: { ...base, buckets: 60 }, signal })
        .then((h) => setState((s) => ({ ...s, histogram: h, total: h.total, skipped: withSkipped(s.skipped, h.skipped) })))
        .catch(async (e: unknown) => {
          if (isAbort(e)) return;
          // the count would be refused alike
          if (isPinLost(e)) return setState((s) => ({ ...s, cursor: null, pinLost: e }));
          // no histogram endpoint (or it failed): the total still comes from /api/count
          const c = await request<CountResponse>('/api/count', { params: base, signal }).catch(() => null);
          if (c !== null) setState((s) => ({ ...s, total: c.count, skipped: withSkipped(s.skipped, c.skipped) }));
        });
      const facet = (field: 'host' | 'app') =>
        request<FacetsResponse>('/api/facets', { params: { ...base, field, limit: 10 }, signal }).catch((e: unknown): FacetError => {
          if (isAbort(e) || (isApiError(e) && e.status === 404)) throw e;
          if (isPinLost(e)) setState((s) => ({ ...s, cursor: null, pinLost: e }));
          return { error: e instanceof Error ? e.message : String(e) };
        });
      const facets = Promise.all([facet('host'), facet('app')])
        .then(([host, app]) => setState((s) => ({ ...s, facets: { host, app } })))
        .catch((e: unknown) => {
          if (!isAbort(e)) setState((s) => ({ ...s, facets: 'absent' }));
        });
      await Promise.all([hist, facets]);
    };

    // the page of hits goes first, alone, so that nothing competes with it
    request<SearchResponse>('/api/search', { params: { ...base, limit: PAGE_SIZE, fields: 1 }, signal: ac.signal })
      .then((r) => {
        const hits = r.hits as EnrichedSearchHit[];
        setState((s) => ({ ...s, hits, cursor: r.cursor, loading: false, tookMs: r.tookMs, firstPageMs: performance.now() - t0, skipped: withSkipped(s.skipped, r.skipped) }));
        // let the browser paint the hits before asking for the rest
        requestAnimationFrame(() => setTimeout(() => void follow(), 0));
      })
      .catch((e: unknown) => {
        if (isAbort(e)) return;
        setState({ ...EMPTY, facets: 'failed', error: e instanceof Error ? e : new Error(String(e)), pinLost: isPinLost(e) ? e : null });
      });
    return () => ac.abort();
  }, [input.q, input.from, input.to, input.asOf, input.nonce, renewals]);

  // the pin is held while a further page can be asked for
  const canLoadMore = state.cursor !== null && state.pinLost === null && !state.loading;
  useEffect(() => {
    if (!canLoadMore) return;
    return holdPin(
      () => current.current,
      (e) => setState((p) => ({ ...p, cursor: null, pinLost: e })),
    );
  }, [canLoadMore, input.asOf, input.nonce]);

  const stateRef = useRef(state);
  stateRef.current = state;
  const loadMore = useCallback(() => {
    const s = stateRef.current;
    if (s.cursor === null || s.loadingMore || s.loading) return;
    const { q, from, to, asOf } = current.current;
    const signal = ctl.current?.signal;
    stateRef.current = { ...s, loadingMore: true };
    setState((p) => ({ ...p, loadingMore: true }));
    request<SearchResponse>('/api/search', {
      // the next page of the same search: the same pinned times, not a new reading of "now"
      params: { q: q.trim() === '' ? undefined : q, from, to, asOf, limit: PAGE_SIZE, fields: 1, cursor: s.cursor },
      ...(signal === undefined ? {} : { signal }),
    })
      .then((r) =>
        setState((p) => ({ ...p, hits: [...p.hits, ...(r.hits as EnrichedSearchHit[])], cursor: r.cursor, loadingMore: false, skipped: withSkipped(p.skipped, r.skipped) })),
      )
      .catch((e: unknown) => {
        if (isAbort(e)) return;
        // the rows shown stay those of the pinned search; no page of another pin is added under them
        if (isPinLost(e)) setState((p) => ({ ...p, loadingMore: false, cursor: null, pinLost: e }));
        else setState((p) => ({ ...p, loadingMore: false, error: e instanceof Error ? e : new Error(String(e)) }));
      });
  }, []);

  return [state, loadMore];
}
