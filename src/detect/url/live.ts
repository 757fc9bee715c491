/** UrlLiveScorer: finds URLs in raw log lines, skips recently seen ones, scores in batches off the hot path, records findings. */
import { setImmediate as yieldTurn } from 'node:timers/promises';
import { LRUCache } from 'lru-cache';
import { AppError } from '../../core/index.js';
import type { Explanation, NewFinding } from '../detector.js';
import { FINDINGS_APP } from '../findings/log-line.js';
import { hostOf } from './data.js';
import { ignoredHosts } from './ignore.js';
import { summarize } from './explain.js';
import { urlEvidenceQuery } from './evidence-query.js';
import { stripScheme } from './features.js';
import { Stretches } from '../findings/stretches.js';
import { findingUrl, LineUrls } from './line-urls.js';
import { LiveDeceptions } from './live-deception.js';
import type { UrlDeception } from './deception.js';
import type { FindingsLookup, UrlLiveOptions } from './live-options.js';
import type { UrlLiveStats } from './live-stats.js';
import { groupFinding, newGroup, sumSighting, type HostGroup } from './live-group.js';
import { hostEntity } from './live-text.js';
import { seenAgain, sightingTimes, type Pending } from './pending.js';

/** Distinct URLs all hosts' groups tell apart by hash together (live-group.ts DISTINCT_CAP is per host): the sets stay under about 40 MB. */
const DISTINCT_TOTAL = 1_000_000;

/** A scored URL's score and the explanation of a flagged one. */
interface Cached {
  score: number;
  explanation: Explanation | null;
  /** explaining it failed (reported once): its sightings are counted dropped while it stays cached */
  failed?: boolean;
}

/** One host's budget since it was last quiet: the URLs reported one by one, and the rest summed. */
interface HostBudget {
  /** event time (ms) of its latest flagged URL */
  last: number;
  urls: Set<string>;
  /** everything summed since the host was last quiet: its finding tells the whole stretch, not one flush */
  summed: HostGroup | null;
  /** the host's summed row was seen within `hostQuietMs` before this start: no URL is reported one by one */
  spent: boolean;
}

export class UrlLiveScorer {
  private readonly threshold: number;
  private readonly batchSize: number;
  private readonly maxQueue: number;
  private readonly window: number;
  /**
   * url → score, and the explanation of a flagged one; least recently seen evicted first; scored URLs
   * only. lru-cache, not a Map evicted by `keys().next()`: a Map keeps deleted entries as holes that the
   * iterator walks past, so at 100,000 URLs each eviction cost a scan (measured: live scoring of 200,000
   * distinct URLs 3.4 s, of which 1.8 s was evicting)
   */
  private readonly cache: LRUCache<string, Cached>;
  /**
   * url → its sightings while queued or being scored, counted once it is; never evicted (at most
   * `maxQueue` plus one batch), so no sighting of an acknowledged line is lost
   */
  private readonly pending = new Map<string, Pending>();
  private queue: { url: string; time: number }[] = [];
  private running: Promise<void> | null = null;
  private closed = false;
  private readonly s: UrlLiveStats = { lines: 0, urls: 0, tlsNames: 0, cacheHits: 0, scored: 0, findings: 0, dropped: 0, queued: 0, ignored: 0, grouped: 0, lost: 0 };
  private readonly ignored: (url: string) => boolean;
  private readonly perHost: number;
  private readonly hostQuietMs: number;
  private readonly lineUrls: LineUrls;
  /** host → its budget since it was last quiet (event time, ms) */
  private readonly hostBudget: Stretches<HostBudget>;
  /** URL hashes held by all hosts' groups */
  private distinctHeld = 0;
  private readonly known: FindingsLookup | null;
  private readonly distinctTotal: number;
  private readonly deceptions = new LiveDeceptions();

  constructor(private readonly o: UrlLiveOptions) {
    this.threshold = o.threshold ?? o.detector.threshold;
    // a missing threshold would compare false with every score: live scoring would silently flag nothing
    if (typeof this.threshold !== 'number' || !Number.isFinite(this.threshold)) {
      throw new AppError('MODEL_INVALID', 'bad_request', `url live scoring: ${o.threshold === undefined ? `model ${o.detector.modelVersion} has` : 'url.threshold is'} no usable threshold (${String(this.threshold)}); give url.threshold a number from 0 to 1, or retrain the model with \`nml train url\``);
    }
    this.batchSize = o.batchSize ?? 512;
    this.cache = new LRUCache({ max: o.cacheSize ?? 100_000 });
    this.maxQueue = o.maxQueue ?? 200_000;
    this.window = o.evidenceWindowMs ?? 86_400_000;
    this.ignored = ignoredHosts(o.ignore ?? []);
    this.perHost = o.perHost ?? 3;
    this.hostQuietMs = o.hostQuietMs ?? 3_600_000;
    this.hostBudget = new Stretches(this.hostQuietMs, 10_000, (b) => (this.distinctHeld -= b.summed?.distinct.size ?? 0));
    this.lineUrls = new LineUrls(o.tlsNames ?? true);
    const sink = o.sink as Partial<FindingsLookup>;
    this.distinctTotal = o.distinctTotal ?? DISTINCT_TOTAL;
    this.known = o.known ?? (typeof sink.find === 'function' ? (sink as FindingsLookup) : null);
  }

  /** onError, which must not throw into scoring either */
  private fail(err: unknown): void {
    try {
      this.o.onError?.(err);
    } catch {
      // nothing more to do: the error was counted
    }
  }

  /**
   * The hot path: finds the URLs of `lines` (seen at `time`, ms: one for the batch or one per line) and
   * queues the new ones; returns at once. Scoring runs later in batches; `flush()` waits for it.
   */
  offer(lines: readonly string[], time: number | readonly number[] = Date.now()): void {
    if (this.closed) return;
    const found: NewFinding[] = [];
    const groups = new Map<HostGroup, string>();
    for (let li = 0; li < lines.length; li++) {
      const line = lines[li]!;
      const t = typeof time === 'number' ? time : (time[li] ?? Date.now());
      this.s.lines++;
      let at: number;
      let urls: ReturnType<LineUrls['find']> = null;
      try {
        urls = this.lineUrls.find(line);
        if (urls === null || urls.length === 0) continue;
        at = this.o.eventTime?.(line, t) ?? t;
      } catch (e) {
        // offer runs in the ingest path's `.then`: a throw there would be an unhandled rejection
        this.s.urls += urls?.length ?? 0;
        this.s.dropped += urls?.length ?? 0;
        this.fail(e);
        continue;
      }
      for (const u of urls) {
        if (u.tls) this.s.tlsNames++;
        const url = findingUrl(u.url);
        this.consider(url, at, found, groups, this.deceptions.check(u.url, url, this.o.detector.popularity));
      }
    }
    this.recordAll(found, groups);
    if (this.queue.length > 0 && this.running === null) this.running = this.drain().catch((e: unknown) => this.fail(e));
  }

  /**
   * One URL found at `t`: ignored, flagged again from the cache, or queued for scoring. `deceived`: the
   * userinfo-deception rule fired on it as written (live-deception.ts): scored now if it is not cached,
   * and flagged at any score (its host's budget applies: a campaign of many such paths on one host is one
   * summed row past it, not a row per URL).
   */
  private consider(url: string, t: number, found: NewFinding[], groups: Map<HostGroup, string>, deception: UrlDeception | null = null): void {
    const deceived = deception !== null;
    this.s.urls++;
    if (this.ignored(url)) {
      this.s.ignored++;
      return;
    }
    const cached = this.cache.get(url);
    const hit = cached ?? (deceived ? this.scoreNow(url) : undefined);
    if (hit !== undefined) {
      if (cached !== undefined) this.s.cacheHits++;
      if (hit.score < this.threshold && !deceived) return;
      if (hit.failed === true) {
        this.s.dropped++;
        return;
      }
      try {
        const explain = () => hit.explanation ?? (hit.explanation = this.explain(url));
        this.flagged(url, hit.score, t, found, groups, explain, deception);
      } catch (e) {
        // explaining it failed: this sighting is dropped, and later ones without asking again (the error is reported once)
        hit.failed = true;
        this.s.dropped++;
        this.fail(e);
      }
      return;
    }
    const again = this.pending.get(url);
    if (again !== undefined) {
      this.s.cacheHits++;
      seenAgain(again, t);
      return;
    }
    if (this.queue.length >= this.maxQueue) {
      this.s.dropped++;
      return;
    }
    this.pending.set(url, { times: [], more: 0, moreFrom: t, moreTo: t });
    this.queue.push({ url, time: t });
  }

  /** Resolves when everything offered so far is scored and recorded. */
  async flush(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  stats(): UrlLiveStats {
    return { ...this.s, queued: this.queue.length };
  }

  /** Stops taking lines and waits for the queue to be scored. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private remember(url: string, v: Cached): void {
    this.cache.set(url, v);
  }

  /**
   * A URL the userinfo-deception rule fired on, scored at once with its explanation (such URLs are few:
   * the queue would only delay a finding made at any score), and cached; one the model fails on is
   * remembered as failed (its sighting counts as dropped, the error goes to onError).
   */
  private scoreNow(url: string): Cached {
    let v: Cached;
    try {
      const x = this.o.detector.explainOne(url);
      v = { score: x.score, explanation: { summary: summarize(x.score, x.detail), detail: x.detail } };
      this.s.scored++;
    } catch (e) {
      v = { score: 0, explanation: null, failed: true };
      this.fail(e);
    }
    this.remember(url, v);
    return v;
  }

  /**
   * The end of a finding's evidence window for a line at `time`: a window past it, but never more than a
   * minute past now (a live finding's window reached a day into the future and read as a bug; a later
   * sighting records the finding again with its own window).
   */
  private evidenceTo(time: number): number {
    return Math.min(time + this.window, Math.max(time, Date.now()) + 60_000);
  }

  private finding(url: string, score: number, explanation: Explanation, time: number): NewFinding {
    const d = this.o.detector;
    // a URL the userinfo-deception rule fired on names it in every finding while it is remembered
    return { detector: d.name, entity: `url:${url}`, score, threshold: this.threshold, modelVersion: d.modelVersion, time, explanation: this.deceptions.explained(url, explanation), evidence: { query: `${urlEvidenceQuery(url)} -app:${FINDINGS_APP}`, from: time - this.window, to: this.evidenceTo(time) } };
  }

  private explain(url: string): Explanation {
    const x = this.o.detector.explainOne(url);
    return { summary: summarize(x.score, x.detail), detail: x.detail };
  }

  /**
   * A URL at or above the threshold, or one the userinfo-deception rule fired on (`deception`): its own finding while its host is within its budget (a URL already
   * reported keeps its row), else summed into the host's group. `explain` is called only for the URLs
   * reported one by one (explanations are the costly part).
   */
  private flagged(url: string, score: number, time: number, found: NewFinding[], groups: Map<HostGroup, string>, explain: () => Explanation | null, deception: UrlDeception | null = null): void {
    const host = hostOf(stripScheme(url));
    const hm = this.hostBudget.touch(host, time, () => ({ last: time, urls: new Set(), summed: null, spent: this.summedBefore(host, time) }));
    if (hm.urls.has(url) || (!hm.spent && hm.urls.size < this.perHost)) {
      const ex = explain();
      if (ex !== null) {
        hm.urls.add(url);
        found.push(this.finding(url, score, ex, time));
        return;
      }
    }
    this.s.grouped++;
    // the host's sums since it was last quiet, so that its finding's text and score only ever grow (the
    // store keeps the latest explanation at an equal or higher score)
    const g = (hm.summed ??= newGroup(time));
    groups.set(g, host);
    if (sumSighting(g, url, score, time, deception, this.distinctHeld < this.distinctTotal)) this.distinctHeld++;
  }

  /**
   * Whether `host`, new to the budgets, had its summed row seen within `hostQuietMs` of `time` (before a
   * restart, or before it was forgotten): then it is still past its budget. A failed lookup says no.
   */
  private summedBefore(host: string, time: number): boolean {
    if (this.known === null) return false;
    try {
      const row = this.known.find(this.o.detector.name, hostEntity(host));
      return row !== null && Math.abs(time - row.lastSeen) <= this.hostQuietMs;
    } catch (e) {
      this.fail(e);
      return false;
    }
  }

  /** The host's summed finding: distinct URLs and sightings, or sightings alone where the distinct count is not kept. */
  private recordAll(found: NewFinding[], groups: Map<HostGroup, string>): void {
    for (const [g, host] of groups) {
      try {
        found.push(groupFinding(g, host, { detector: this.o.detector, threshold: this.threshold, perHost: this.perHost, hostQuietMs: this.hostQuietMs, window: this.window, distinctTotal: this.distinctTotal, evidenceTo: this.evidenceTo(g.to) }));
        g.recorded = g.sightings;
      } catch (e) {
        // one odd group (a time no Date holds) must not take the other findings with it
        this.s.lost++;
        this.fail(e);
      }
    }
    if (found.length > 0) this.record(found);
  }

  private record(found: NewFinding[]): void {
    this.s.findings += found.length;
    try {
      this.o.sink.record(found);
    } catch (err) {
      // a failing sink must not stop scoring: counted and reported, not thrown
      this.s.lost += found.length;
      this.fail(err);
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        await yieldTurn();
        const batch = this.queue.splice(0, this.batchSize);
        let scores: Float32Array;
        try {
          // queued URLs are findingUrl forms already (`offer`)
          scores = await this.o.detector.scoreFast(batch.map((b) => b.url), true);
        } catch (e) {
          // the model failed on this batch (an inference runtime error): its URLs count as dropped and the
          // error goes to onError; a rejection here would be unhandled (nobody awaits the drain) and end the server
          for (const b of batch) this.pending.delete(b.url);
          this.s.dropped += batch.length;
          this.fail(e);
          continue;
        }
        const found: NewFinding[] = [];
        const groups = new Map<HostGroup, string>();
        batch.forEach((b, i) => {
          const score = scores[i]!;
          const again = sightingTimes(this.pending.get(b.url));
          this.pending.delete(b.url);
          // each URL on its own: one whose explanation throws must not leave the batch's others pending
          // for ever, nor reject the drain (nobody awaits it; unhandled, it would end the server)
          const mine = found.length;
          // scored at once while it waited (a later sighting named another host before @: scoreNow, maybe
          // during this batch's await): it was counted scored then, and its queued sightings read that score
          const meanwhile = this.cache.get(b.url);
          try {
            if (meanwhile !== undefined) {
              if (meanwhile.failed === true) this.s.dropped++;
              else if (meanwhile.score >= this.threshold) {
                const explain = () => meanwhile.explanation ?? (meanwhile.explanation = this.explain(b.url));
                for (const t of [b.time, ...again]) this.flagged(b.url, meanwhile.score, t, found, groups, explain);
              }
              return;
            }
            let explanation: Explanation | null = null;
            if (score >= this.threshold) {
              const explain = () => (explanation ??= this.explain(b.url));
              this.flagged(b.url, score, b.time, found, groups, explain);
              for (const t of again) this.flagged(b.url, score, t, found, groups, explain);
            }
            this.remember(b.url, { score, explanation });
            this.s.scored++;
          } catch (e) {
            found.length = mine;
            // remembered as failed, so its later sightings are counted dropped without asking again
            this.remember(b.url, { score, explanation: null, failed: true });
            this.s.dropped += 1;
            this.fail(e);
          }
        });
        this.recordAll(found, groups);
      }
    } finally {
      this.running = null;
    }
  }
}
