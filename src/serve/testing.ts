/** Fakes for the HTTP tests: a memory record sink, a canned searcher, fixed stats and one token. */
import { AppError, type RawRecord, type RecordSink, type TimeRange } from '../core/index.js';
import type { StoreStats } from '../store/index.js';
import { streamPages, type CountResult, type Hit, type SearchPage, type SkippedShard, type SkippedShards } from '../search/index.js';
import type { AppDeps, EnrichedHit } from './deps.js';

export const TEST_TOKEN = 'test-token-0123456789abcdef';
export const AUTH = { authorization: `Bearer ${TEST_TOKEN}` };

/** Records every committed batch; can be congested (until `drain()`) or made to fail. */
export class MemorySink implements RecordSink {
  readonly writes: RawRecord[][] = [];
  congested = false;
  failWith: unknown = null;
  drainWaits = 0;
  private waiting: (() => void)[] = [];

  async write(records: RawRecord[]): Promise<void> {
    if (this.failWith !== null) throw this.failWith;
    this.writes.push(records.slice());
  }

  whenDrained(): Promise<void> {
    if (!this.congested) return Promise.resolve();
    this.drainWaits++;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  drain(): void {
    this.congested = false;
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  get records(): RawRecord[] {
    return this.writes.flat();
  }
}

export function makeHits(n: number, t0 = 1_700_000_000_000): Hit[] {
  const hits: Hit[] = [];
  for (let i = 0; i < n; i++) {
    hits.push({ rowid: n - i, time: t0 - i * 1000, receivedAt: t0 - i * 1000, source: 'udp:10.0.0.1:514', raw: `<13>host${i} app: line ${i}`, shard: '2023/11/14/22/13.db' });
  }
  return hits;
}

export interface SearchCall {
  kind: 'page' | 'count';
  query: string;
  range: TimeRange;
  limit?: number;
  cursor?: string | null;
}

/**
 * Pages through a fixed list of hits; the cursor is the next offset. A query starting with `)`
 * fails as the real parser would; `failAfterPages` makes later pages fail (for broken exports).
 */
export class FakeSearcher {
  readonly calls: SearchCall[] = [];
  failAfterPages = Infinity;
  /** damaged shards every answer says it left out */
  skipped: SkippedShard[] = [];
  constructor(readonly hits: Hit[]) {}

  private check(query: string): void {
    if (query.startsWith(')')) throw new AppError('QUERY_SYNTAX', 'bad_request', "query: unexpected ')' at column 1", { column: 1 });
  }

  async count(query: string, range: TimeRange): Promise<CountResult> {
    this.calls.push({ kind: 'count', query, range });
    this.check(query);
    return { count: this.hits.length, shardsSearched: 3, skipped: this.skipped, tookMs: 1.5 };
  }

  async page(query: string, range: TimeRange, limit: number, cursor: string | null = null): Promise<SearchPage> {
    this.calls.push({ kind: 'page', query, range, limit, cursor });
    this.check(query);
    if (this.calls.filter((c) => c.kind === 'page').length > this.failAfterPages) throw new Error('leaf worker crashed: secret detail');
    const from = cursor === null ? 0 : Number(cursor);
    const hits = this.hits.slice(from, from + limit);
    const next = from + hits.length < this.hits.length ? String(from + hits.length) : null;
    return { hits, cursor: next, shardsSearched: 3, skipped: this.skipped, tookMs: 2 };
  }

  /** pins held (`asOf` of each call); `pinRefused`: each call throws it instead */
  readonly pinsHeld: number[] = [];
  pinRefused: AppError | null = null;

  holdPin(range: TimeRange & { asOf?: number }): { shards: number } {
    if (this.pinRefused !== null) throw this.pinRefused;
    this.pinsHeld.push(range.asOf ?? -1);
    return { shards: 3 };
  }

  stream(query: string, range: TimeRange, max = Infinity, pageSize = 1000, _signal?: AbortSignal, skipped?: SkippedShards): AsyncGenerator<Hit> {
    return streamPages((limit, cursor) => this.page(query, range, limit, cursor), max, pageSize, undefined, skipped);
  }
}

export function fakeEnrich(hit: Hit): EnrichedHit {
  return {
    ...hit,
    host: 'host',
    app: 'app',
    pid: null,
    severity: 5,
    facility: 1,
    msgid: null,
    structured: { 'origin@1': { ip: '10.0.0.1' } },
    message: hit.raw,
    format: 'rfc5424',
    entities: [{ kind: 'ip', value: '10.0.0.1' }],
  };
}

export function storeStatsOf(committedLines: number): StoreStats {
  return { shards: 4, sealedShards: 3, mergedShards: 1, rows: 1000, bytes: 65536, committedLines, failedLines: 2, queuedLines: 7, queuedBytes: 700, unpreparedLines: 3, retentionFailed: 0, retentionError: null, retentionRemovedShards: 5, retentionRemovedLines: 300_000, retentionRemovedBytes: 14_500_000, compaction: { merges: 2, shardsMerged: 117, rowsMerged: 90_000, failures: 1, deferred: 4, waiting: 1, lastMergeAt: 1_700_000_000_000, running: false }, problems: ['store: shard shards/x.db is damaged (test)'], diskFreeBytes: null, oldest: 1, newest: 2 };
}

export interface TestDeps extends AppDeps {
  ingest: MemorySink;
  searcher: FakeSearcher;
  committed: { lines: number };
  clock: { t: number };
}

export function fakeDeps(overrides: Partial<AppDeps> = {}): TestDeps {
  const committed = { lines: 0 };
  const clock = { t: 1_700_000_000_000 };
  return {
    ingest: new MemorySink(),
    storeStats: () => storeStatsOf(committed.lines),
    searcher: new FakeSearcher(makeHits(2500)),
    enrich: fakeEnrich,
    sourceStats: () => [{ name: 'udp:0.0.0.0:514', received: 10, bytes: 900, drops: { queue_full: 1 } }],
    tokens: { verify: (t: string) => t === TEST_TOKEN },
    now: () => clock.t,
    version: '9.9.9-test',
    committed,
    clock,
    ...overrides,
  } as TestDeps;
}
