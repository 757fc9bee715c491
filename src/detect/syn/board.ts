/**
 * The live host board: SYNs from any source update bounded per-host state (idle and least-recently-seen
 * hosts are evicted), changed hosts are re-scored at most every 500 ms and pushed to listeners, and hosts
 * above the threshold are recorded as findings (`ip:<addr>`).
 *
 * A host's score is the one `nml score syn` and the evaluation give it: `WindowRun` over its consecutive
 * 32-SYN windows (SYNs 1–32, 33–64, …, and the latest, partial one): the best mean of 4 consecutive
 * windows, the mean of all for shorter hosts. Each window that fills is kept aside when its last SYN
 * arrives and scored at the next flush, so only a run's state is kept per host.
 */
import type { Explanation, NewFinding } from '../detector.js';
import { FIELD_GROUPS, FIELDS, fieldImage, ROWS, type HostWindow } from './image.js';
import type { SynModel } from './model.js';
import { evidenceSpan, FindingsBudget } from './board-findings.js';
import { DistinctAddrs, DistinctPorts } from './distinct.js';
import { ignoredSources } from './ignore.js';
import type { SynPacket } from './types.js';
import { RUN, WindowRun } from './window-run.js';
import type { BoardHost, BoardImage, BoardStats, HostTotals, SynLiveBoardOptions, WindowScorer } from './board-types.js';
import { plural, rateText } from './board-text.js';
import { CaptureClock, type State } from './board-state.js';

export type { BoardHost, BoardImage, BoardStats, HostTotals, SynLiveBoardOptions, WindowScorer } from './board-types.js';
export { rateText };

/** Windows one asynchronous flush sends to the scorer at most (the rest wait for the next). */
const ASYNC_WINDOWS = 4096;

type Listener = (changed: BoardHost[], updatedAt: number) => void;

export class SynLiveBoard {
  private readonly hosts = new Map<string, State>();
  private readonly listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | null = null;
  private catchUp: NodeJS.Immediate | null = null;
  private inFlight: Promise<BoardHost[]> | null = null;
  private scorer: WindowScorer | null;
  readonly maxHosts: number;
  /** µs of capture time a host may be silent before it leaves, and a SYN be ahead before it waits (the board's `clock`: board-state.ts) */
  readonly idleUs: number;
  private readonly threshold: number;
  private readonly clock: CaptureClock;
  updatedAt = 0;
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
  /** ignored sources seen lately, so each SYN of one costs a set lookup (cleared when it grows past 65,536) */
  private readonly ignoredSeen = new Set<string>();
  /** hosts that are findings of their own, pushed off the full board since the last flush: their last record is made there */
  private leaving: State[] = [];

  constructor(private readonly o: SynLiveBoardOptions) {
    this.maxHosts = o.maxHosts ?? 20_000;
    this.idleUs = (o.idleMs ?? 600_000) * 1000;
    this.clock = new CaptureClock(this.idleUs, o.clockUs);
    this.threshold = o.threshold ?? o.model.file.threshold;
    this.ignoreMatch = ignoredSources(o.ignore ?? []);
    this.scorer = o.scorer ?? null;
    this.budget = new FindingsBudget({
      threshold: this.threshold,
      modelVersion: o.model.file.version,
      ...(o.fewSynFindingsPerMinute === undefined ? {} : { fewPerMinute: o.fewSynFindingsPerMinute }),
      ...(o.findingsPerMinute === undefined ? {} : { perMinute: o.findingsPerMinute }),
    });
  }

  /** Whether `ip` is on the ignore list. */
  ignores(ip: string): boolean {
    return this.ignoreMatch !== null && this.ignoreMatch(ip);
  }

  /** Starts the re-scoring timer (tests call `flush()` instead). */
  start(): this {
    if (this.timer === null) {
      // while a catch-up flush is pending, the timer leaves the work to it
      this.timer = setInterval(() => this.catchUp === null && this.tick(), this.o.intervalMs ?? 500);
      this.timer.unref();
    }
    return this;
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.catchUp !== null) clearImmediate(this.catchUp);
    this.catchUp = null;
  }

  /**
   * A timer flush; while a backlog is left, another flush follows as soon as pending I/O has run, so the
   * board catches up at full speed without holding the event loop for longer than one budget. (Public
   * for tests; the timer calls it.)
   */
  tick(): void {
    this.catchUp = null;
    let run: Promise<BoardHost[]>;
    try {
      run = this.step();
    } catch (err) {
      // from a timer a throw would end the process: report it, and the next tick tries again
      this.o.onError?.(err);
      return;
    }
    run.then(
      () => {
        if (this.backlog > 0 && this.timer !== null && this.catchUp === null) this.catchUp = setImmediate(() => this.tick());
      },
      (err: unknown) => this.o.onError?.(err),
    );
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
      if (this.ignoreMatch !== null && (this.ignoredSeen.has(s.src) || this.newlyIgnored(s.src))) {
        this.ignoredPackets++;
        return;
      }
      h = { ip: s.src, recent: [], filled: [], run: new WindowRun(), partial: undefined, count: 0, ports: new DistinctPorts(), dsts: new DistinctAddrs(), stale: false, firstSeen: s.t, lastSeen: s.t, score: 0, maxScore: 0, dirty: false, recordedAt: -Infinity, recordedCount: 0 };
      if (this.hosts.size >= this.maxHosts) this.evictOldest();
    } else this.hosts.delete(s.src); // re-insert: Map order = least recently seen first
    this.hosts.set(s.src, h);
    h.recent.push(s);
    if (h.recent.length > ROWS + 1) h.recent.shift();
    h.count++;
    h.ports.add(s.dport);
    h.dsts.add(s.dst);
    if (s.t > h.lastSeen) h.lastSeen = s.t;
    if (!h.dirty) this.pending++;
    h.dirty = true;
    if (h.count % ROWS === 0) {
      const syns = h.recent.slice();
      h.filled.push({ syns, w: { from: syns.length - ROWS, to: syns.length, ctx: this.ctx(h) } });
      this.queuedWindows++;
    }
  }

  private newlyIgnored(ip: string): boolean {
    if (!this.ignoreMatch!(ip)) return false;
    if (this.ignoredSeen.size >= 65_536) this.ignoredSeen.clear();
    this.ignoredSeen.add(ip);
    return true;
  }

  private ctx(h: State): HostWindow['ctx'] {
    return { count: h.count, distinctPorts: h.ports.size, distinctDsts: h.dsts.size, firstSeen: h.firstSeen, lastSeen: h.lastSeen };
  }

  /** The least recently seen host goes; one not scored since its last SYN is counted apart, as lost. */
  private evictOldest(): void {
    const first = this.hosts.entries().next();
    if (first.done === true) return;
    const [ip, h] = first.value;
    this.hosts.delete(ip);
    this.evicted++;
    this.queuedWindows -= h.filled.length;
    if (h.dirty) {
      this.pending--;
      this.evictedUnscored++;
    }
    this.o.onDrop?.(this.totals(h));
    // it leaves the board as an idle host does: its finding gets its whole story, at the next flush (the
    // explanation is not made on the path that adds SYNs)
    if (this.o.sink !== undefined && h.recordedCount > 0 && h.count > h.recordedCount) this.leaving.push(h);
  }

  /** The last records of the findings pushed off the full board since the last flush. */
  private lastRecordsOfLeaving(findings: NewFinding[]): void {
    const leaving = this.leaving;
    this.leaving = [];
    for (const h of leaving) this.lastRecord(h, findings);
  }

  private totals(h: State): HostTotals {
    if (h.stale && !h.dirty) {
      const { syns, w } = this.window(h);
      this.scorePartials([h], [this.o.model.windowScore(syns, w)]);
    }
    return { ip: h.ip, run: h.run.summary(h.partial), packets: h.count, scored: !h.dirty };
  }

  /** Every host on the board now, as sums (after the last flush). */
  allTotals(): HostTotals[] {
    return [...this.hosts.values()].map((h) => this.totals(h));
  }

  /**
   * Every host on the board as sums, the latest partial windows that `partialsAtEnd` left unscored
   * scored first, in batches through the scorer where there is one (`nml score syn --stream`'s end).
   */
  async finalTotals(): Promise<HostTotals[]> {
    const stale = [...this.hosts.values()].filter((h) => h.stale && !h.dirty);
    const items = stale.map((h) => this.window(h));
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

  /** The host's latest window: SYNs since the last filled one, or the last filled one if none since. */
  private window(h: State): { syns: SynPacket[]; w: HostWindow } {
    const to = h.recent.length;
    return { syns: h.recent, w: { from: Math.max(0, to - (h.count % ROWS || ROWS)), to, ctx: this.ctx(h) } };
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
      const { syns, w } = this.window(h);
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
      if (partial) items.push({ ...this.window(h), syns: h.recent.slice() });
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
    changed.push(this.view(h));
    if (this.o.sink === undefined) return;
    // a host that is a finding of its own is recorded again when its SYNs have grown by half (at least
    // one more window), and a last time when it goes idle, so that a fast scan's finding tells what the
    // host has done, not its first seconds; such an update is not a new row for the operator and takes
    // nothing from the per-minute budget
    const own = h.recordedCount > 0;
    const grown = own && h.count >= 1.5 * h.recordedCount && h.count - h.recordedCount >= ROWS;
    const due = h.score >= this.threshold && h.lastSeen - h.recordedAt >= 60e6;
    if (!grown && !due) return;
    const again = h.recordedAt > -Infinity; // recorded before: not own, so summed
    h.recordedAt = h.lastSeen;
    const last = h.recent[h.recent.length - 1]!;
    if (own || this.budget.admit({ ip: h.ip, score: h.score, count: h.count, ports: h.ports.size, firstSeen: h.firstSeen, lastSeen: h.lastSeen, dst: last.dst, dport: last.dport, again })) {
      h.recordedCount = h.count;
      findings.push(this.finding(h));
    }
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
      this.o.onDrop?.(this.totals(h));
      this.lastRecord(h, findings);
    }
    this.lastRecordsOfLeaving(findings);
    findings.push(...this.budget.summed());
    if (findings.length > 0) this.o.sink?.record(findings);
    if (changed.length > 0) {
      this.updatedAt = Date.now();
      for (const l of this.listeners) l(changed, this.updatedAt);
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
    for (const h of this.hosts.values()) if (!h.dirty) this.lastRecord(h, findings);
    if (this.o.sink !== undefined) findings.push(...this.budget.settle());
    if (findings.length > 0) this.o.sink?.record(findings);
  }

  /** A host that is a finding of its own and sent SYNs since its last record, as it leaves: its whole story. */
  private lastRecord(h: State, findings: NewFinding[]): void {
    if (this.o.sink === undefined || h.recordedCount === 0 || h.count <= h.recordedCount) return;
    h.recordedCount = h.count;
    h.recordedAt = h.lastSeen;
    findings.push(this.finding(h));
  }

  /** The host as a finding: its highest score so far (the store keeps the highest) and what it has done up to now. */
  private finding(h: State): NewFinding {
    return {
      detector: 'syn',
      entity: `ip:${h.ip}`,
      score: h.maxScore,
      threshold: this.threshold,
      modelVersion: this.o.model.file.version,
      time: Math.floor(h.lastSeen / 1000),
      explanation: this.explain(h),
      evidence: { query: `ip:${h.ip}`, ...evidenceSpan(h.firstSeen, h.lastSeen) },
    };
  }

  private view(h: State): BoardHost {
    return {
      ip: h.ip,
      score: h.score,
      maxScore: h.maxScore,
      packets: h.count,
      distinctPorts: h.ports.size,
      distinctDsts: h.dsts.size,
      firstSeen: Math.floor(h.firstSeen / 1000),
      lastSeen: Math.floor(h.lastSeen / 1000),
      explanation: { summary: `${plural(h.count, 'SYN')} to ${plural(h.ports.size, 'port')} on ${plural(h.dsts.size, 'host')}${h.count > 1 ? `, ${rateText(h.count, h.lastSeen - h.firstSeen)}` : ''}; ${plural(Math.ceil(h.count / ROWS), 'window')} of 32 SYNs, ${h.count > RUN * ROWS ? `best run of ${RUN}` : 'mean'}: ${h.score.toFixed(3)}`, detail: null },
    };
  }

  private explain(h: State, pixels = false): Explanation {
    const { syns, w } = this.window(h);
    const ex = this.o.model.explain(syns, w, pixels);
    // the board keeps only the latest SYNs: say which of the host's SYNs the window covers
    ex.window = { from: h.count - (w.to - w.from), to: h.count };
    const top = [...ex.stats, ...ex.fields, ...ex.tokens].sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)).slice(0, 4).map((x) => x.name);
    const highest = h.maxScore.toFixed(3) !== h.score.toFixed(3) ? ` (highest so far ${h.maxScore.toFixed(3)})` : '';
    return { summary: `${this.view(h).explanation.summary}${highest}; mattered most: ${top.join(', ')}`, detail: ex };
  }

  /** Counts for the page: threshold, SYNs, hosts kept and dropped, backlog, ignored SYNs, SYNs stamped far ahead. */
  stats(): BoardStats {
    return { threshold: this.threshold, packets: this.packets, tracked: this.hosts.size, maxHosts: this.maxHosts, evicted: this.evicted, evictedUnscored: this.evictedUnscored, backlog: this.backlog, ignoredPackets: this.ignoredPackets, aheadPackets: this.clock.ahead };
  }

  /** Hosts sorted; `minPackets` leaves out hosts with fewer SYNs (a flood's one-SYN sources crowd out the scanners). */
  list(o: { sort?: 'score' | 'packets' | 'ip' | 'lastSeen'; order?: 'asc' | 'desc'; limit?: number; minPackets?: number } = {}): BoardHost[] {
    const key = o.sort ?? 'score';
    const dir = o.order === 'asc' ? 1 : -1;
    const min = o.minPackets ?? 1;
    const all: BoardHost[] = [];
    for (const h of this.hosts.values()) if (h.count >= min) all.push(this.view(h));
    all.sort((a, b) => {
      const x = a[key];
      const y = b[key];
      return (x < y ? -1 : x > y ? 1 : 0) * dir || (a.ip < b.ip ? -1 : 1);
    });
    return all.slice(0, o.limit ?? 200);
  }

  /** One host with its current image and the gradient × input of every pixel (saliency). */
  host(ip: string): { host: BoardHost; image: BoardImage; saliency: number[] } | null {
    const h = this.hosts.get(ip);
    if (h === undefined) return null;
    const { syns, w } = this.window(h);
    const win = syns.slice(w.from, w.to);
    const img = fieldImage(win, w.from > 0 ? syns[w.from - 1] : undefined, w.ctx);
    const ex = this.explain(h, true);
    const saliency = (ex.detail as ReturnType<SynModel['explain']>).pixels ?? [];
    return {
      host: { ...this.view(h), explanation: ex },
      image: {
        rows: ROWS,
        cols: FIELDS,
        pixels: Array.from(img.pixels, (v) => Math.round(v * 1e4) / 1e4),
        rowLabel: 'SYNs of the latest window, oldest first',
        colGroups: FIELD_GROUPS.map((g) => ({ ...g })),
      },
      saliency,
    };
  }

  get size(): number {
    return this.hosts.size;
  }
}

