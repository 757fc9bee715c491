/**
 * The root of a search: compiles the query, picks shards by time from the catalog, fans leaf jobs out
 * to the worker pool (shards split evenly across threads) and merges newest-first with a cursor.
 * Counting sums per-shard counts and never materializes a row.
 */
import { AppError, isAppError, type TimeRange } from '../core/index.js';
import { shardFileName, type Catalog, type ShardInfo, type StoredHit } from '../store/index.js';
import { compileQuery, type LeafPlan } from './query/index.js';
import { LeafPool, throwIfCancelled } from './pool.js';
import type { ShardCursor, ShardPage } from './leaf.js';
import { decodeCursor, encodeCursor, queryKey, type CursorState } from './cursor.js';
import { ShardPositions } from './positions.js';
import { mergeNewestFirst, type MergedRef } from './merge.js';
import { inGroupOrder, slotGroups } from './slot-groups.js';
import type { SkippedShard, SkippedShards } from './skipped.js';
import { bucketLayout, wholeBucket } from './histogram.js';

/**
 * A search's scope: the event-time range, and `asOf`, a moment (ms, the server's clock) after which
 * stored lines are left out, whatever their time: the requests of one search pinned to it count the
 * same lines while more arrive (store/stored-by.ts). Absent: every line stored when the request reads.
 */
export interface SearchRange extends TimeRange {
  asOf?: number;
}

export interface Hit extends StoredHit {
  shard: string;
}

export interface SearchPage {
  hits: Hit[];
  /** pass back to get the next page; null exactly when no hit is left (a cursor never leads to an empty page) */
  cursor: string | null;
  shardsSearched: number;
  /** damaged shards of the range (from the cursor's slot back, for a later page) left out; empty when none */
  skipped: SkippedShard[];
  tookMs: number;
}

export interface CountResult {
  count: number;
  shardsSearched: number;
  /** damaged shards of the range left out: the count is then a lower bound */
  skipped: SkippedShard[];
  tookMs: number;
}

export interface HistogramResult {
  /** start of the first bucket (aligned to the interval; may be before range.from) */
  start: number;
  interval: number;
  counts: number[];
  total: number;
  shardsSearched: number;
  /** damaged shards of the range left out */
  skipped: SkippedShard[];
  tookMs: number;
}

/**
 * What the searcher needs of the catalog. `shardUnreadable` (optional) lists a damaged shard among the
 * store's problems and `isDamaged` says which are: searches leave those out and report them. Without
 * both, a damaged shard fails the search with STORE_SHARD_UNREADABLE.
 */
export type ShardCatalog = Pick<Catalog, 'list'> & Partial<Pick<Catalog, 'shardUnreadable' | 'isDamaged' | 'lostIn' | 'storedBound'>>;

/**
 * Follows cursors through pages until they end or `max` hits were yielded; shared by every searcher.
 * `signal` goes to each page and is checked before each: once aborted (the client went away) no page
 * is asked for and the stream rejects with SEARCH_CANCELLED. `skipped` collects the damaged shards
 * the pages left out.
 */
export async function* streamPages(
  page: (limit: number, cursor: string | null, signal?: AbortSignal) => Promise<SearchPage>,
  max = Infinity,
  pageSize = 1000,
  signal?: AbortSignal,
  skipped?: SkippedShards,
): AsyncGenerator<Hit> {
  let cursor: string | null = null;
  let sent = 0;
  do {
    throwIfCancelled(signal);
    const p: SearchPage = await page(Math.min(pageSize, max - sent), cursor, signal);
    skipped?.add(p.skipped);
    for (const h of p.hits) yield h;
    sent += p.hits.length;
    cursor = p.cursor;
  } while (cursor !== null && sent < max);
}

/**
 * Promise.all that settles only when every job has: the first failure is thrown after the rest are
 * back, so no worker reply arrives after the caller moved on (and perhaps closed the pool: piscina then
 * threw an uncaught "Unexpected message from Worker").
 */
async function settledAll<T>(jobs: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(jobs);
  const rejected = settled.find((r) => r.status === 'rejected');
  if (rejected !== undefined) throw rejected.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}

const MAX_WINDOW = 256;
/** shards per count or histogram job of a verifying plan: a cancelled search stops soon, round trips stay few */
const CHUNK_SHARDS = 16;

export class Searcher {
  private readonly pool: LeafPool;
  constructor(
    private readonly catalog: ShardCatalog,
    threads: number,
  ) {
    // a damaged shard a search hits is listed among the store's problems (once), besides failing the search
    this.pool = new LeafPool(threads, (path, message) => catalog.shardUnreadable?.(path, message));
  }

  /** `signal`: aborting it (the client went away) stops the search's jobs; the call rejects with SEARCH_CANCELLED. */
  async count(query: string, range: SearchRange, signal?: AbortSignal): Promise<CountResult> {
    const started = performance.now();
    const plan = compileQuery(query);
    const { value: counts, shards, skipped } = await this.aroundDamage(range, (shards, tops) =>
      this.inChunks(shards, plan, signal, (part) =>
        this.pool.count({ mode: 'count', plan, range: timeOf(range), shards: part.map((s) => ({ ...toCursor(s, range), top: tops.get(s.rel) ?? null })) }, sealedMap(part)),
      ),
    );
    return { count: counts.reduce((a, b) => a + b, 0), shardsSearched: shards.length, skipped, tookMs: performance.now() - started };
  }

  /** Exact matches per bucket over a bounded range: at most `maxBuckets` buckets of a readable width. */
  async histogram(query: string, range: { from: number; to: number; asOf?: number }, maxBuckets: number, signal?: AbortSignal): Promise<HistogramResult> {
    const started = performance.now();
    const plan = compileQuery(query);
    const layout = bucketLayout(range, maxBuckets);
    const job = { mode: 'histogram' as const, plan, range: { from: range.from, to: range.to }, ...layout };
    // a shard holds only lines of its slot; a sealed one knows its exact bounds
    const inBucket = (s: ShardInfo, top: number | null) => {
      const known = s.sealed && s.tmin !== null && s.tmax !== null;
      return { path: s.path, rel: s.rel, bucket: wholeBucket(known ? s.tmin! : s.slotStart, known ? s.tmax! : s.slotEnd - 1, job), top };
    };
    const { value: parts, shards, skipped } = await this.aroundDamage(range, (shards, tops) =>
      this.inChunks(shards, plan, signal, (part) => this.pool.histogram({ ...job, shards: part.map((s) => inBucket(s, tops.get(s.rel) ?? null)) }, sealedMap(part))),
    );
    const counts = new Array<number>(layout.buckets).fill(0);
    for (const p of parts) for (let i = 0; i < counts.length; i++) counts[i]! += p[i] ?? 0;
    return {
      start: layout.start,
      interval: layout.interval,
      counts,
      total: counts.reduce((a, b) => a + b, 0),
      shardsSearched: shards.length,
      skipped,
      tookMs: performance.now() - started,
    };
  }

  /**
   * A page of at most `limit` hits, newest first. The cursor is null exactly when no hit is left: the
   * page looks one hit ahead (leaves return `limit + 1` refs at most, the extra one is neither fetched
   * nor consumed), so a cursor never leads to an empty page. Until session 25 the cursor only said
   * that shards were left, and a page that ended at the last match still carried one: "Load more"
   * showed nothing, and a script paging by N got an empty page before the end.
   */
  async page(query: string, range: SearchRange, limit: number, cursor: string | null = null, signal?: AbortSignal): Promise<SearchPage> {
    const started = performance.now();
    const plan = compileQuery(query);
    const state: CursorState | null = cursor === null ? null : decodeCursor(cursor, query);
    // a later page reads from the cursor's group back (slot-groups.ts)
    const scope = (listed: ShardInfo[]): ShardInfo[] => {
      if (state === null) return listed;
      const group = slotGroups(listed);
      return listed.filter((s) => group.get(s.rel)! <= state.slot);
    };
    const { value, skipped } = await this.aroundDamage(range, (all, tops) => this.pageOver(plan, queryKey(query), timeOf(range), limit, state, all, tops, signal), scope);
    return { ...value, skipped, tookMs: performance.now() - started };
  }

  /** `page` over the shards `all` (in range, from the cursor's slot back, none known damaged). */
  private async pageOver(
    plan: LeafPlan,
    /** the query's `queryKey`, which the next page's cursor carries */
    q: string,
    range: TimeRange,
    limit: number,
    state: CursorState | null,
    shards: ShardInfo[],
    /** rowid bounds of a search pinned to a moment (aroundDamage) */
    tops: ReadonlyMap<string, number>,
    signal: AbortSignal | undefined,
  ): Promise<Omit<SearchPage, 'skipped' | 'tookMs'>> {
    if (state !== null) refuseStale(state, shards);
    const group = slotGroups(shards);
    const all = inGroupOrder(shards, group);
    const refs: MergedRef[] = [];
    const positions = new ShardPositions(all, state, group);
    // one more than the page, to know whether there is a next one (none for a page of nothing)
    const wanted = limit < 1 ? 0 : limit + 1;
    let searched = 0;
    // windows of shards read in parallel; a window that does not fill the page means matches are
    // sparse, so the next window is twice as wide (fewer round trips for rare terms)
    let size = this.pool.threads * 4;
    for (let at = 0; at < all.length && refs.length < wanted; size = Math.min(size * 2, MAX_WINDOW)) {
      const taken = takeWindow(all, at, size, group);
      at += taken.length;
      const window = taken.filter((s) => positions.left(s.rel));
      if (window.length === 0) continue;
      searched += window.length;
      throwIfCancelled(signal);
      const pages = await this.fetchPages(plan, range, window, positions, tops, wanted - refs.length);
      positions.read(pages);
      for (const h of mergeNewestFirst(pages, group, wanted - refs.length)) refs.push(h);
    }
    // the extra hit only proves there is more: its shard gives it again on the next page
    const more = refs.length > limit;
    if (more) refs.pop();
    const next = more ? positions.cursorAfter(refs, all, group) : null;
    throwIfCancelled(signal);
    const hits = await this.materialize(refs, all);
    return { hits, cursor: next === null ? null : encodeCursor({ ...next, q }), shardsSearched: searched };
  }

  /**
   * Runs `run` over the shards of `range` (those `scope` keeps) that are not known damaged, and
   * returns what it gave with the shards it read and those it left out. A shard the run finds damaged
   * (STORE_SHARD_UNREADABLE) is, through the pool, now listed damaged by the catalog: the run starts
   * again without it (each retry reads one shard fewer, so this ends). A catalog that cannot tell
   * which shards are damaged gets the error, as does any other failure.
   */
  private async aroundDamage<T>(
    range: SearchRange,
    run: (shards: ShardInfo[], tops: ReadonlyMap<string, number>) => Promise<T>,
    scope: (listed: ShardInfo[]) => ShardInfo[] = (listed) => listed,
  ): Promise<{ value: T; shards: ShardInfo[]; skipped: SkippedShard[] }> {
    const time = timeOf(range);
    for (;;) {
      const listed = scope(this.catalog.list(time));
      const damaged = listed.filter((s) => this.catalog.isDamaged?.(s.rel) === true);
      const { shards, tops } = this.asOf(damaged.length === 0 ? listed : listed.filter((s) => !damaged.includes(s)), range.asOf);
      try {
        // shards whose file is gone since a restart are no catalog rows: named all the same
        const lost = this.catalog.lostIn?.(time) ?? [];
        return { value: await run(shards, tops), shards, skipped: [...damaged.map(skippedShard), ...lost] };
      } catch (e) {
        if (!this.foundDamaged(e, shards)) throw e;
      }
    }
  }

  /**
   * A search pinned to `asOf`: each shard's rowid bound (rows from it up were stored later; the shard's
   * own order is arrival order, store/stored-by.ts), and the shards left out for holding no line stored
   * by then. Shards read whole have no bound, so their counts stay one FTS5 count each.
   */
  private asOf(shards: ShardInfo[], asOf: number | undefined): { shards: ShardInfo[]; tops: ReadonlyMap<string, number> } {
    const tops = new Map<string, number>();
    if (asOf === undefined) return { shards, tops };
    const bound = this.catalog.storedBound;
    if (bound === undefined) throw new Error('search: asOf needs a catalog that knows when lines were stored (a writing store)');
    // the store notes the pin as read now (a merge its hour's lines would refuse it waits), one moment for every shard
    const now = Date.now();
    const kept = shards.filter((s) => {
      const top = bound.call(this.catalog, s, asOf, now);
      if (top === 0) return false;
      if (top !== null) tops.set(s.rel, top);
      return true;
    });
    return { shards: kept, tops };
  }

  /**
   * Keeps a search's pin in use without reading a line: the bounds of the range's shards at `range.asOf`
   * (the store notes the pin as read now, so a merge that would refuse it waits; stored-by.ts), or
   * SEARCH_AS_OF_TOO_OLD where a further page of the search would be refused now. Returns how many shards
   * the range holds lines of, stored by then. A page left open between two reads asks this now and then.
   */
  holdPin(range: SearchRange): { shards: number } {
    if (range.asOf === undefined) throw new Error('search: holdPin needs a range with asOf');
    return { shards: this.asOf(this.catalog.list(timeOf(range)), range.asOf).shards.length };
  }

  /** Whether `e` is a damaged shard among `shards` that the catalog now lists as damaged. */
  private foundDamaged(e: unknown, shards: ShardInfo[]): boolean {
    if (!isAppError(e) || e.code !== 'STORE_SHARD_UNREADABLE') return false;
    const path = e.details?.['path'];
    const shard = shards.find((s) => s.path === path);
    return shard !== undefined && this.catalog.isDamaged?.(shard.rel) === true;
  }

  /**
   * Every hit, newest first, page by page (for NDJSON exports); stops after `max` hits, or with
   * SEARCH_CANCELLED once `signal` aborts. `skipped` collects the damaged shards left out.
   */
  stream(query: string, range: SearchRange, max = Infinity, pageSize = 1000, signal?: AbortSignal, skipped?: SkippedShards): AsyncGenerator<Hit> {
    return streamPages((limit, cursor, s) => this.page(query, range, limit, cursor, s), max, pageSize, signal, skipped);
  }

  private async fetchPages(plan: LeafPlan, range: TimeRange, window: ShardInfo[], positions: ShardPositions, tops: ReadonlyMap<string, number>, limit: number): Promise<ShardPage[]> {
    const parts = this.split(window);
    const start = (s: ShardInfo): Pick<ShardCursor, 'below' | 'top'> => {
      const at = positions.start(s.rel);
      const bound = tops.get(s.rel);
      return bound === undefined || (at.top !== null && at.top <= bound) ? at : { below: at.below, top: bound };
    };
    const results = await settledAll(
      parts.map((part) =>
        this.pool.pages(
          { mode: 'page', plan, range, limit, shards: part.map((s) => ({ ...toCursor(s, range), ...start(s) })) },
          sealedMap(part),
        ),
      ),
    );
    return results.flat();
  }

  /** The text of the chosen hits, read in parallel by shard, returned in merged order. */
  private async materialize(refs: MergedRef[], shards: ShardInfo[]): Promise<Hit[]> {
    if (refs.length === 0) return [];
    const byShard = new Map<string, number[]>();
    for (const r of refs) {
      let list = byShard.get(r.shard);
      if (list === undefined) byShard.set(r.shard, (list = []));
      list.push(r.rowid);
    }
    const involved = shards.filter((s) => byShard.has(s.rel));
    const results = await settledAll(
      this.split(involved).map((part) =>
        this.pool.fetch({ mode: 'fetch', shards: part.map((s) => ({ path: s.path, rel: s.rel, rowids: byShard.get(s.rel)! })) }, sealedMap(part)),
      ),
    );
    const found = new Map<string, StoredHit>();
    for (const shard of results.flat()) for (const h of shard.hits) found.set(`${shard.rel}#${h.rowid}`, h);
    const hits: Hit[] = [];
    for (const r of refs) {
      const h = found.get(`${r.shard}#${r.rowid}`);
      if (h !== undefined) hits.push({ ...h, shard: r.shard });
    }
    return hits;
  }

  /**
   * Runs `job` over the shards: one lane per thread (balanced by rows). A plan that verifies lines
   * (phrases, substrings: seconds per shard on common words) runs each lane in chunks one after
   * another, the signal checked before each, so a cancelled search stops within one chunk; an
   * index-only plan runs each lane as one job (chunks cost a rare-term count 4 → 11 ms on 188 shards).
   */
  private async inChunks<T>(shards: ShardInfo[], plan: LeafPlan, signal: AbortSignal | undefined, job: (part: ShardInfo[]) => Promise<T>): Promise<T[]> {
    const chunk = plan.fastFts === null ? CHUNK_SHARDS : Infinity;
    // once a job fails (a damaged shard) the other lanes send no more, and the call settles only when
    // every job sent has: a reply arriving after the caller moved on (and maybe closed the pool) made
    // piscina throw an uncaught "Unexpected message from Worker"
    let failed = false;
    const lanes = this.split(shards).map(async (lane) => {
      const out: T[] = [];
      try {
        for (let at = 0; at < lane.length && !failed; at += chunk) {
          throwIfCancelled(signal);
          out.push(await job(lane.slice(at, at + chunk)));
        }
      } catch (e) {
        failed = true;
        throw e;
      }
      return out;
    });
    const results = (await settledAll(lanes)).flat();
    throwIfCancelled(signal);
    return results;
  }

  /** Splits shards into one list per thread, balancing rows. */
  private split(shards: ShardInfo[]): ShardInfo[][] {
    const n = Math.max(1, Math.min(this.pool.threads, shards.length));
    const parts: ShardInfo[][] = Array.from({ length: n }, () => []);
    const load = new Array<number>(n).fill(0);
    for (const s of [...shards].sort((a, b) => b.rows - a.rows)) {
      let k = 0;
      for (let i = 1; i < n; i++) if (load[i]! < load[k]!) k = i;
      parts[k]!.push(s);
      load[k]! += s.rows;
    }
    return parts.filter((p) => p.length > 0);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

/**
 * A cursor holds positions in shards that a merge has since replaced (compaction of a closed hour, whose
 * rows the merged shard orders afresh): its place cannot be found in the merged shard, and reading that
 * from its newest line would give lines the pages before gave. SEARCH_CURSOR_STALE says to start again.
 */
function refuseStale(state: CursorState, shards: ShardInfo[]): void {
  const named = Object.keys(state.pos);
  for (const s of shards) {
    if (s.replaces === undefined || !named.some((rel) => s.replaces!.includes(rel))) continue;
    throw new AppError(
      'SEARCH_CURSOR_STALE',
      'conflict',
      `search: the shards this cursor was reading were merged into ${s.rel} since the page before (the store merges each closed hour's shards once); start the search again without the cursor`,
      { shard: s.rel },
    );
  }
}

function skippedShard(s: ShardInfo): SkippedShard {
  const known = s.tmin !== null && s.tmax !== null;
  return { file: shardFileName(s.path), from: known ? s.tmin! : s.slotStart, to: known ? s.tmax! : s.slotEnd - 1 };
}

function toCursor(s: ShardInfo, range: TimeRange): ShardCursor {
  // an open shard still grows: its bounds may move, so only a range open on both ends covers it for sure
  const open = range.from === null && range.to === null;
  const covered =
    open || (s.sealed && s.tmin !== null && s.tmax !== null && (range.from === null || s.tmin >= range.from) && (range.to === null || s.tmax < range.to));
  return { path: s.path, rel: s.rel, below: null, top: null, covered };
}

/** The event-time range alone, as leaf jobs and the catalog take it. */
function timeOf(range: SearchRange): TimeRange {
  return { from: range.from, to: range.to };
}

function sealedMap(shards: ShardInfo[]): Record<string, boolean> {
  const m: Record<string, boolean> = {};
  for (const s of shards) m[s.path] = s.sealed;
  return m;
}

/** At least `size` shards from `at`, extended to the end of the last slot group so groups are never split. */
function takeWindow(all: ShardInfo[], at: number, size: number, group: ReadonlyMap<string, number>): ShardInfo[] {
  let end = Math.min(all.length, at + size);
  while (end < all.length && group.get(all[end]!.rel) === group.get(all[end - 1]!.rel)) end++;
  return all.slice(at, end);
}
