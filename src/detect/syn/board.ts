/**
 * The live host board: SYNs from any source update bounded per-host state (idle and least-recently-seen
 * hosts are evicted), changed hosts are re-scored at most every 500 ms and pushed to listeners, and hosts
 * above the threshold are recorded as findings (`ip:<addr>`); a finding is kept after it leaves (board-kept.ts).
 *
 * A host's score is the one `nml score syn` and the evaluation give it: `WindowRun` over its consecutive
 * 32-SYN windows (SYNs 1–32, 33–64, …, and the latest, partial one): the best mean of 4 consecutive
 * windows, the mean of all for shorter hosts. Each window that fills is kept aside when its last SYN
 * arrives and scored at the next flush, so only a run's state is kept per host.
 */
import type { NewFinding } from '../detector.js';
import { ROWS, type HostWindow } from './image.js';
import { hostCtx, hostDetail, hostView, latestWindow, sortedHosts, type ListOptions } from './board-view.js';
import { FindingsBudget, withSource } from './board-findings.js';
import { DistinctAddrs, DistinctPorts } from './distinct.js';
import { TopCounts } from './top-counts.js';
import { ignoredSources, rememberIgnored } from './ignore.js';
import type { SynPacket } from './types.js';
import { WindowRun } from './window-run.js';
import type { BoardHost, BoardSource, HostDetail, BoardStats, HostTotals, SynLiveBoardOptions, WindowScorer } from './board-types.js';
import { spanText } from './board-text.js';
import { timeText } from './flood-episodes.js';
import { CaptureClock, type State } from './board-state.js';
import { FlushLoop } from './board-loop.js';
import { HostRecords } from './board-records.js';

/** Windows one asynchronous flush sends to the scorer at most (the rest wait for the next). */
const ASYNC_WINDOWS = 4096;

/** `changed` has the findings that went idle (listed, marked so); `gone` the kept ones that left the list for good since the last call */
type Listener = (changed: BoardHost[], updatedAt: number, gone: readonly string[]) => void;

export class SynLiveBoard {
  private readonly hosts = new Map<string, State>();
  private readonly listeners = new Set<Listener>();
  private readonly loop: FlushLoop;
  private inFlight: Promise<BoardHost[]> | null = null;
  private scorer: WindowScorer | null;
  readonly maxHosts: number;
  /** µs of capture time a host may be silent before it leaves, and a SYN be ahead before it waits (the board's `clock`: board-state.ts) */
  readonly idleUs: number;
  private readonly threshold: number;
  private readonly clock: CaptureClock;
  updatedAt = 0;
  private fed: BoardSource | null = null;
  packets = 0;
  evicted = 0;
  /** SYNs from ignored sources (`ignore`), not scored */
  ignoredPackets = 0;
  /** changed hosts the last flush left for the next one (its budget ran out) */
  backlog = 0;
  /** hosts changed since they were last scored (what the next flushes have to do) */
  pending = 0;
  /** filled 32-SYN windows waiting to be scored (each holds a copy of its SYNs) */
  queuedWindows = 0;
  /** hosts dropped to make room before their last SYNs were scored (the board was full and behind) */
  evictedUnscored = 0;
  private readonly budget: FindingsBudget;
  private readonly ignoreMatch: ((ip: string) => boolean) | null;
  /** which hosts are findings of their own and when they are recorded; the findings kept after they leave (board-records.ts) */
  private readonly records: HostRecords;
  private readonly kept: HostRecords['kept'];

  constructor(private readonly o: SynLiveBoardOptions) {
    this.maxHosts = o.maxHosts ?? 20_000;
    this.idleUs = (o.idleMs ?? 600_000) * 1000;
    this.clock = new CaptureClock(this.idleUs, o.clockUs);
    this.threshold = o.threshold ?? o.model.file.threshold;
    this.ignoreMatch = rememberIgnored(ignoredSources(o.ignore ?? []));
    this.scorer = o.scorer ?? null;
    this.loop = new FlushLoop(() => this.step(), () => this.backlog > 0, o.intervalMs ?? 500, (err) => this.o.onError?.(err));
    const budget = new FindingsBudget({ threshold: this.threshold, modelVersion: o.model.file.version,
      ...(o.fewSynFindingsPerMinute === undefined ? {} : { fewPerMinute: o.fewSynFindingsPerMinute }),
      ...(o.findingsPerMinute === undefined ? {} : { perMinute: o.findingsPerMinute }),
      ...(o.recall === undefined ? {} : { recall: o.recall }),
    });
    this.records = new HostRecords({ sink: o.sink !== undefined, model: o.model, threshold: this.threshold, budget, keepFlaggedMs: o.keepFlaggedMs ?? 86_400_000, maxKeptFlagged: o.maxKeptFlagged ?? 2_000, dropKept: (h) => this.dropKept(h) });
    this.kept = this.records.kept;
    this.budget = budget;
  }

  /** Whether `ip` is on the ignore list. */
  ignores(ip: string): boolean {
    return this.ignoreMatch !== null && this.ignoreMatch(ip);
  }

  /** Starts the re-scoring timer (tests call `flush()` instead). */
  start(): this {
    this.loop.start();
    return this;
  }

  stop(): void {
    this.loop.stop();
  }

  /** A timer flush, then catch-up flushes while a backlog is left (board-loop.ts; public for tests). */
  tick(): void {
    this.loop.tick();
  }

  /** Lets a batch scorer take over the flushes from now on (`nml serve` sets one once onnxruntime has loaded). */
  useScorer(scorer: WindowScorer): void {
    this.scorer = scorer;
  }

  /**
   * One flush by whichever path the board has: with a scorer `flushAsync` (a flush already running is
   * awaited, not doubled), else `flush`.
   */
  step(): Promise<BoardHost[]> {
    if (this.inFlight !== null) return this.inFlight;
    if (this.scorer === null) return Promise.resolve(this.flush());
    const run = this.flushAsync().finally(() => (this.inFlight = null));
    this.inFlight = run;
    return run;
  }

  /** what feeds the board, for the page (live.ts keeps it) */
  get source(): BoardSource | null {
    return this.fed;
  }

  /**
   * A change of what feeds the board is news even when no host changed: listeners are told (no host
   * changed) so that a live page hears of it. A killed tcpdump, an interface gone and a replay that ended
   * reached no open page: no SYN came, so no message, and the board read "live" over a dead capture.
   */
  set source(s: BoardSource | null) {
    const before = this.fed;
    this.fed = s;
    if (s === null || (before !== null && before.state === s.state && before.error === s.error && before.restarts === s.restarts)) return;
    for (const l of this.listeners) l([], this.updatedAt, []);
  }

  onChange(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  add(syns: readonly SynPacket[]): void {
    const source = this.clock.source();
    for (const s of syns) {
      this.packets++;
      if (this.clock.admit(s, source)) this.take(s);
      else for (const x of this.clock.released()) this.take(x);
    }
  }

  /** A SYN in the board's time onto its host. */
  private take(s: SynPacket): void {
    let h = this.hosts.get(s.src);
    if (h === undefined) {
      // a kept finding seen again takes up its state where it left: its finding goes on following it
      h = this.kept.take(s.src);
      if (h === undefined) {
        if (this.ignoreMatch !== null && this.ignoreMatch(s.src)) {
          this.ignoredPackets++;
          return;
        }
        h = { ip: s.src, recent: [], filled: [], run: new WindowRun(), partial: undefined, count: 0, ports: new DistinctPorts(), dsts: new DistinctAddrs(), topPorts: new TopCounts(), topDsts: new TopCounts(), stale: false, firstSeen: s.t, lastSeen: s.t, score: 0, maxScore: 0, dirty: false, recordedAt: -Infinity, recordedCount: 0 };
      }
      if (this.hosts.size >= this.maxHosts) this.evictOldest();
    } else this.hosts.delete(s.src); // re-insert: Map order = least recently seen first
    this.hosts.set(s.src, h);
    h.recent.push(s);
    if (h.recent.length > ROWS + 1) h.recent.shift();
    h.count++;
    this.records.quiet.note(h);
    h.ports.add(s.dport);
    h.dsts.add(s.dst);
    h.topPorts.add(s.dport);
    h.topDsts.add(s.dst);
    if (s.t > h.lastSeen) h.lastSeen = s.t;
    if (!h.dirty) this.pending++;
    h.dirty = true;
    if (h.count % ROWS === 0) {
      const syns = h.recent.slice();
      h.filled.push({ syns, w: { from: syns.length - ROWS, to: syns.length, ctx: hostCtx(h) } });
      this.queuedWindows++;
    }
  }

  /**
   * The least recently seen host goes; one not scored since its last SYN is counted apart, as lost. A
   * finding is kept (its SYNs not yet scored are scored at the next flush, with its last record).
   */
  private evictOldest(): void {
    const first = this.hosts.entries().next();
    if (first.done === true) return;
    const [ip, h] = first.value;
    this.hosts.delete(ip);
    this.evicted++;
    if (this.records.flagged(h)) {
      // it leaves the board as an idle host does: kept, and its finding gets its whole story at the next
      // flush (the explanation is not made on the path that adds SYNs); it stays pending till then
      this.records.leave(h);
      return;
    }
    this.queuedWindows -= h.filled.length;
    if (h.dirty) {
      this.pending--;
      this.evictedUnscored++;
    }
    this.o.onDrop?.(this.totals(h));
  }

  /**
   * The last records of the findings pushed off the full board since the last flush, their SYNs not yet
   * scored scored first (by the TypeScript pass: a few hosts a minute, the budget's). One seen again
   * since is on the board again, and its flushes go on.
   */
  private lastRecordsOfLeaving(findings: NewFinding[]): void {
    for (const h of this.records.takeLeaving()) {
      if (this.hosts.get(h.ip) === h) continue;
      if (h.dirty && this.kept.holds(h)) {
        h.dirty = false;
        this.pending--;
        this.rescore(h);
        if (h.score > h.maxScore) h.maxScore = h.score;
      }
      this.records.last(h, findings);
    }
  }

  /** A kept host leaves the board for good (KeptHosts calls this): it is dropped as any host is (`onDrop`). */
  private dropKept(h: State): void {
    if (h.dirty) {
      // pushed off and out again before a flush scored it
      h.dirty = false;
      this.pending--;
      this.queuedWindows -= h.filled.length;
      h.filled = [];
      this.evictedUnscored++;
    }
    this.o.onDrop?.(this.totals(h));
  }

  private totals(h: State): HostTotals {
    if (h.stale && !h.dirty) {
      const { syns, w } = latestWindow(h);
      this.scorePartials([h], [this.o.model.windowScore(syns, w)]);
    }
    return { ip: h.ip, run: h.run.summary(h.partial), packets: h.count, scored: !h.dirty };
  }

  /** Every host on the board now, kept findings included, as sums (after the last flush). */
  allTotals(): HostTotals[] {
    return [...this.hosts.values(), ...this.kept.values()].map((h) => this.totals(h));
  }

  /**
   * Every host on the board as sums, the latest partial windows that `partialsAtEnd` left unscored
   * scored first, in batches through the scorer where there is one (`nml score syn --stream`'s end).
   */
  async finalTotals(): Promise<HostTotals[]> {
    const stale = [...this.hosts.values()].filter((h) => h.stale && !h.dirty);
    const items = stale.map((h) => latestWindow(h));
    this.scorePartials(stale, this.scorer !== null ? await this.scorer.scoreWindows(items) : items.map((it) => this.o.model.windowScore(it.syns, it.w)));
    return this.allTotals();
  }

  private scorePartials(hs: readonly State[], y: ArrayLike<number>): void {
    hs.forEach((h, i) => {
      h.partial = y[i]!;
      h.stale = false;
      h.score = h.run.score(h.partial);
    });
  }

  /** Scores the windows filled since the last flush; the host's score is its windows' `WindowRun` score. */
  private rescore(h: State): void {
    for (const f of h.filled) {
      h.run.push(this.o.model.windowScore(f.syns, f.w));
    }
    this.queuedWindows -= h.filled.length;
    h.filled = [];
    h.stale = this.o.partialsAtEnd === true && h.count % ROWS !== 0;
    if (h.count % ROWS === 0 || h.stale) h.partial = undefined;
    else {
      const { syns, w } = latestWindow(h);
      h.partial = this.o.model.windowScore(syns, w);
    }
    h.score = h.run.score(h.partial);
  }

  /**
   * Re-scores changed hosts (within the flush budget; the rest stay changed), drops idle ones, tells
   * listeners, records findings.
   */
  flush(): BoardHost[] {
    const deadline = performance.now() + (this.o.flushBudgetMs ?? 100);
    const changed: BoardHost[] = [];
    const findings: NewFinding[] = [];
    this.budget.begin(this.clock.tick());
    let backlog = 0;
    for (const h of this.hosts.values()) {
      if (!h.dirty) continue;
      // at least one host per flush, so the board always moves
      if (changed.length > 0 && performance.now() > deadline) {
        backlog++;
        continue;
      }
      h.dirty = false;
      this.pending--;
      this.rescore(h);
      this.scored(h, changed, findings);
    }
    return this.finish(backlog, changed, findings);
  }

  /**
   * `flush` with the windows scored by the batch scorer: the changed hosts' windows are taken (within the
   * budget, at most 4,096), scored off the event loop, and applied. SYNs arriving meanwhile mark their
   * host changed again, for the next flush. On a scorer failure, the board goes on with `flush`.
   */
  async flushAsync(): Promise<BoardHost[]> {
    const scorer = this.scorer;
    if (scorer === null) return this.flush();
    const deadline = performance.now() + (this.o.flushBudgetMs ?? 100);
    const taken: { h: State; filled: number; partial: boolean }[] = [];
    const items: { syns: readonly SynPacket[]; w: HostWindow }[] = [];
    let backlog = 0;
    for (const h of this.hosts.values()) {
      if (!h.dirty) continue;
      if (taken.length > 0 && (items.length >= ASYNC_WINDOWS || performance.now() > deadline)) {
        backlog++;
        continue;
      }
      h.dirty = false;
      this.pending--;
      items.push(...h.filled);
      h.stale = this.o.partialsAtEnd === true && h.count % ROWS !== 0;
      const partial = h.count % ROWS !== 0 && !h.stale;
      // the latest window's SYNs are copied: `add` keeps changing the host's array while the scorer runs
      if (partial) items.push({ ...latestWindow(h), syns: h.recent.slice() });
      taken.push({ h, filled: h.filled.length, partial });
      this.queuedWindows -= h.filled.length;
      h.filled = [];
    }
    let y: ArrayLike<number>;
    try {
      y = await scorer.scoreWindows(items);
    } catch (err) {
      this.scorer = null;
      this.o.onError?.(err);
      // the taken windows are scored by the TypeScript pass instead
      y = items.map((it) => this.o.model.windowScore(it.syns, it.w));
    }
    const changed: BoardHost[] = [];
    const findings: NewFinding[] = [];
    this.budget.begin(this.clock.tick());
    let k = 0;
    for (const t of taken) {
      const h = t.h;
      for (let i = 0; i < t.filled; i++) h.run.push(y[k++]!);
      h.partial = t.partial ? y[k++]! : undefined;
      h.score = h.run.score(h.partial);
      this.scored(h, changed, findings);
    }
    return this.finish(backlog, changed, findings);
  }

  /** After a host's score: its view for listeners, and a finding when it is at or above the threshold. */
  private scored(h: State, changed: BoardHost[], findings: NewFinding[]): void {
    if (h.score > h.maxScore) h.maxScore = h.score;
    changed.push(hostView(h));
    this.records.scored(h, findings);
  }

  /** The end of a flush: idle hosts dropped, summed findings added, findings recorded, listeners told. */
  private finish(backlog: number, changed: BoardHost[], findings: NewFinding[]): BoardHost[] {
    this.backlog = backlog;
    // idle hosts go after their last SYNs were scored (a changed one waits for the next flush)
    for (const [ip, h] of this.hosts) {
      if (h.lastSeen >= this.clock.now - this.idleUs) break; // the rest were seen later
      if (h.dirty) continue;
      this.hosts.delete(ip);
      this.evicted++;
      // a finding stays for its board link (dropped, and given to `onDrop`, when it leaves the kept ones)
      if (this.records.flagged(h)) this.kept.keep(h);
      else this.o.onDrop?.(this.totals(h));
      this.records.last(h, findings);
    }
    for (const h of this.records.quiet.due(this.clock.now, (x) => this.hosts.get(x.ip) === x)) this.records.last(h, findings);
    this.lastRecordsOfLeaving(findings);
    this.records.release(findings, false);
    this.kept.expire(this.clock.now);
    findings.push(...this.budget.summed());
    if (findings.length > 0) this.o.sink?.record(withSource(findings, this.source));
    const gone = this.kept.announce(changed);
    if (changed.length > 0 || gone.length > 0) {
      this.updatedAt = Date.now();
      for (const l of this.listeners) l(changed, this.updatedAt, gone);
    }
    return changed;
  }

  /**
   * The source has ended (a replayed capture is over): every host that is a finding of its own and has
   * sent SYNs since its last record is recorded with its whole story, as if it had gone idle, and waves
   * held back for a flood that can no longer come are recorded. Hosts not yet re-scored are left to the
   * idle rule.
   */
  settle(): void {
    const findings: NewFinding[] = [];
    this.lastRecordsOfLeaving(findings);
    for (const h of this.hosts.values()) if (!h.dirty) this.records.last(h, findings);
    if (this.o.sink !== undefined) {
      // no flood can come to take the held few-SYN hosts: each is a row of its own or joins the flood it has
      this.records.release(findings, true);
      findings.push(...this.budget.summed(), ...this.budget.settle());
    }
    if (findings.length > 0) this.o.sink?.record(withSource(findings, this.source));
  }

  /** Counts for the page: threshold, SYNs, hosts kept and dropped, backlog, ignored SYNs, SYNs stamped far ahead. */
  stats(): BoardStats {
    return { threshold: this.threshold, packets: this.packets, tracked: this.hosts.size, maxHosts: this.maxHosts, evicted: this.evicted, evictedUnscored: this.evictedUnscored, backlog: this.backlog, ignoredPackets: this.ignoredPackets, aheadPackets: this.clock.ahead, source: this.source === null ? null : { ...this.source }, kept: this.kept.size, maxKept: this.kept.max, keepMs: this.kept.keepUs / 1000, captureNow: this.clock.now > 0 ? Math.floor(this.clock.now / 1000) : null };
  }

  /** Hosts sorted, the kept findings off the live board among them (`idle`); `minPackets` leaves out hosts with fewer SYNs (a flood's one-SYN sources crowd out the scanners). */
  list(o: ListOptions = {}): BoardHost[] {
    return sortedHosts(this.hosts.values(), o, this.kept.values());
  }

  /**
   * One host with its current image and the gradient × input of every pixel (saliency): one on the board,
   * or a finding kept after it left (its summary says since when it is idle: its last SYN's time).
   */
  host(ip: string): HostDetail | null {
    const live = this.hosts.get(ip);
    const h = live ?? this.kept.get(ip);
    if (h === undefined) return null;
    const why = h.recordedCount > 0 ? 'because it is a finding' : 'until the findings budget decides whether it is a finding';
    // when it went idle, not for how long: the text is read long after (an open panel keeps it while its host is
    // quiet), and a rounded age of the board's clock beside the page's own ticking one read a minute apart
    const note = live !== undefined ? null : `idle (no SYN since ${timeText(h.lastSeen)}, capture time): off the live board, listed ${why}, for ${spanText(this.kept.keepUs)} after its last SYN`;
    return hostDetail(this.o.model, h, latestWindow(h), this.threshold, note);
  }

  /** How long hosts stay, in words (why `host()` may find none): the idle time, and how long and how many findings are kept. */
  retention(): string {
    return `a host leaves after ${spanText(this.idleUs)} of capture time without a SYN; ${this.kept.describe()}`;
  }

  get size(): number {
    return this.hosts.size;
  }
}

