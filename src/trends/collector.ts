/** The collector: fetches due sources with the polite fetcher, parses, drops (near-)duplicates, stores, and writes each new document to the log engine. */
import { isAppError, type RawRecord, type RecordSink } from '../core/index.js';
import { annotate, type TypeScorer } from './annotate.js';
import { NearDuplicateIndex, simhash } from './dedupe.js';
import type { DocStore, NewDoc } from './docstore.js';
import { decodeBody } from './fetch/charset.js';
import { Fetcher } from './fetch/fetcher.js';
import { Semaphore } from './fetch/limiter.js';
import { parseFeed } from './parse/feed.js';
import type { Item } from './parse/item.js';
import { parsePage } from './parse/page.js';
import { parseMastodon, parseReddit } from './parse/social.js';
import { docLogLine } from './log-line.js';
import type { CollectorConfig, SourceConfig } from './sources.js';

export interface SourceStats {
  name: string;
  fetches: number;
  notModified: number;
  items: number;
  stored: number;
  duplicates: number;
  /** error code → count (FEED_TIMEOUT, FEED_MALFORMED …) since nml started: history, kept after the source recovers */
  errors: Record<string, number>;
  /** the last error's message and time, kept after the source recovers (the sources table says when it last failed) */
  lastError: string | null;
  lastErrorAt: number | null;
  /**
   * whether the source's last try failed: a later fetch that went through clears it. The counters alone
   * told failing from recovered apart nowhere: a source that fetched fine after one timeout stayed in
   * "failed to fetch" above the Trends page's cards until nml restarted.
   */
  failing: boolean;
  /** documents whose declared charset did not match their bytes */
  charsetMismatches: number;
  /** documents stored with their fetch time: dated more than a day ahead of it, or with no readable date */
  futureDated: number;
  undated: number;
  lastFetchAt: number | null;
}

export interface CycleReport {
  sources: number;
  stored: number;
  errors: number;
  ms: number;
}

/** Cap on items taken from one fetch: a feed of a million entries is cut, not stored whole. */
const MAX_ITEMS_PER_FETCH = 500;
const MAX_TEXT_CHARS = 100_000;
const YIELD_EVERY = 4;
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A document's time: when it was published, unless that is unknown or implausible — more than a day
 * ahead of the fetch, or before 1970 (a placeholder such as 0001-01-01, and the series and the store's
 * listing start at time 0) — then when it was fetched. Dates without a zone were read as UTC (parse/item.ts).
 */
export function documentTime(published: number | null, fetchedAt: number): number {
  return published !== null && published >= 0 && published <= fetchedAt + 86_400_000 ? published : fetchedAt;
}

function parseItems(kind: SourceConfig['kind'], body: string, url: string, where: string): Item[] {
  if (kind === 'feed') return parseFeed(body, where);
  if (kind === 'mastodon') return parseMastodon(body, where);
  if (kind === 'reddit') return parseReddit(body, where);
  return parsePage(body, url);
}

export class TrendsCollector {
  private readonly fetcher: Fetcher;
  private readonly stats = new Map<string, SourceStats>();
  private readonly nextDue = new Map<string, number>();
  private readonly dups = new NearDuplicateIndex();
  private readonly cpuLane = new Semaphore(1);
  private timer: NodeJS.Timeout | null = null;
  private cycle: Promise<CycleReport> | null = null;

  constructor(
    private readonly config: CollectorConfig,
    private readonly store: DocStore,
    private readonly sink: RecordSink | null,
    private readonly scorer: TypeScorer | null = null,
    private readonly now: () => number = Date.now,
  ) {
    this.fetcher = new Fetcher(config.fetch, now);
    for (const s of config.sources) {
      this.stats.set(s.name, { name: s.name, fetches: 0, notModified: 0, items: 0, stored: 0, duplicates: 0, errors: {}, lastError: null, lastErrorAt: null, failing: false, charsetMismatches: 0, futureDated: 0, undated: 0, lastFetchAt: null });
    }
    for (const h of store.recentSimhashes(50_000)) this.dups.add(h);
  }

  sourceStats(): SourceStats[] {
    return [...this.stats.values()].map((s) => ({ ...s, errors: { ...s.errors } }));
  }

  /** Fetches every source that is due (all of them with `force`); never rejects: failures are counted per source. */
  runCycle(force = false): Promise<CycleReport> {
    if (this.cycle !== null) return this.cycle;
    const t0 = this.now();
    const due = this.config.sources.filter((s) => force || (this.nextDue.get(s.name) ?? 0) <= t0);
    for (const s of due) this.nextDue.set(s.name, t0 + s.intervalMs);
    // as many runners as fetches may run at once pull sources from the list: a cycle over thousands of
    // sources never starts them all in one synchronous burst
    const res: number[] = [];
    let next = 0;
    const runner = async (): Promise<void> => {
      while (next < due.length) {
        const k = next++;
        res[k] = await this.collectSource(due[k]!);
      }
    };
    const runners = Array.from({ length: Math.min(due.length, this.config.fetch.concurrency) }, runner);
    this.cycle = Promise.all(runners).then(() => {
      this.cycle = null;
      return { sources: due.length, stored: res.reduce((a, b) => a + Math.max(0, b), 0), errors: res.filter((r) => r < 0).length, ms: this.now() - t0 };
    });
    return this.cycle;
  }

  start(): void {
    if (this.timer !== null) return;
    const tick = (): void => {
      void this.runCycle();
    };
    this.timer = setInterval(tick, this.config.tickMs);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.cycle;
  }

  private count(s: SourceStats, e: unknown): void {
    const code = isAppError(e) ? e.code : 'FEED_INTERNAL';
    s.errors[code] = (s.errors[code] ?? 0) + 1;
    s.lastError = e instanceof Error ? e.message : String(e);
    s.lastErrorAt = this.now();
    s.failing = true;
  }

  /** Returns the number of documents stored, or -1 when the source failed. */
  private async collectSource(src: SourceConfig): Promise<number> {
    const st = this.stats.get(src.name)!;
    try {
      const outcome = await this.fetcher.get(src.url, this.store.validators(src.url), src.viaProxy);
      st.fetches++;
      st.lastFetchAt = this.now();
      if (outcome.kind === 'not_modified') {
        st.notModified++;
        st.failing = false;
        return 0;
      }
      const { result, validators } = outcome;
      // fetches overlap, CPU work does not: one source is parsed and stored at a time, in small steps, so
      // that a request to the server waits for one step, not for every finished fetch's whole feed
      return await this.cpuLane.run(async () => {
        const decoded = decodeBody(result.body, result.headers['content-type']);
        if (decoded.mismatch) st.charsetMismatches++;
        await yieldToLoop();
        const items = parseItems(src.kind, decoded.text, result.url, `${src.name} (${src.url})`).slice(0, MAX_ITEMS_PER_FETCH);
        st.items += items.length;
        const stored = await this.storeItems(src, items);
        this.store.setValidators(src.url, validators.etag, validators.lastModified, this.now());
        st.failing = false;
        return stored;
      });
    } catch (e) {
      this.count(st, e);
      return -1;
    }
  }

  private async storeItems(src: SourceConfig, items: Item[]): Promise<number> {
    const st = this.stats.get(src.name)!;
    const fetchedAt = this.now();
    const fresh: NewDoc[] = [];
    for (let n = 0; n < items.length; n++) {
      // hand the event loop back between small groups of documents: the HTTP server answers meanwhile
      if (n > 0 && n % YIELD_EVERY === 0) await yieldToLoop();
      const it = items[n]!;
      const text = it.text.slice(0, MAX_TEXT_CHARS);
      if (it.title === '' && text === '') continue;
      if (it.url !== null && this.store.hasUrl(it.url)) {
        st.duplicates++;
        continue;
      }
      const full = `${it.title}\n${text}`;
      const fp = simhash(full);
      if (this.dups.has(fp)) {
        st.duplicates++;
        continue;
      }
      this.dups.add(fp);
      const a = annotate(full, it.lang, this.scorer);
      const time = documentTime(it.published, fetchedAt);
      // said in the collect summary and the sources table: stored as fetched, not at the date they carry
      if (it.published !== null && it.published > fetchedAt && time !== it.published) st.futureDated++;
      else if (it.published === null || time !== it.published) st.undated++;
      fresh.push({ source: src.name, url: it.url, title: it.title, text, time, fetchedAt, lang: a.lang, types: a.types, keywords: a.keywords, simhash: fp });
    }
    const ids = this.store.insertMany(fresh);
    const records: RawRecord[] = [];
    fresh.forEach((d, i) => {
      const id = ids[i];
      if (id === null || id === undefined) {
        st.duplicates++;
        return;
      }
      records.push({ line: docLogLine({ ...d, id }), receivedAt: fetchedAt, source: `trends:${src.name}` });
    });
    st.stored += records.length;
    if (records.length > 0 && this.sink !== null) {
      if (this.sink.congested) await this.sink.whenDrained();
      await this.sink.write(records);
    }
    return records.length;
  }
}
