/**
 * The live tail: committed records offered by the ingest path (only while someone watches), matched
 * against each client's query and sent in batches at most every 250 ms, at most 500 events each,
 * newest last. Work per round is bounded: past `examinePerTick` lines, fewer when a round runs over
 * `tickBudgetMs` of main-thread time, only the newest are checked,
 * what waits is capped, and a client that reads slower than it is sent to is skipped (its counts carry
 * over), so neither a flood nor a slow browser can slow ingest or grow memory. Every message says how
 * many lines arrived, were examined, matched and were sent.
 */
import { AppError, type RawRecord } from '../../core/index.js';
import { compileQuery, LineMatcher, LineTerms } from '../../search/index.js';
import type { TailEvent, TailServerMessage } from '../api.js';

/** What the hub needs of a WebSocket (the `ws` socket has all of it). */
export interface TailSocket {
  send(data: string): void;
  readonly bufferedAmount: number;
  close(code?: number, reason?: string): void;
}

/** The event time and typed index terms of one record, with its entities or from the header alone (see tail/parse.ts). */
export type TailParser = (record: RawRecord, withEntities?: boolean) => { time: number; terms: string };

export interface TailOptions {
  parse: TailParser;
  intervalMs?: number;
  maxEvents?: number;
  /** lines checked against queries per tick at most; the newest first */
  examinePerTick?: number;
  /**
   * main-thread time a tick should take: the number of lines examined adapts (down to 100, up to
   * `examinePerTick`) so that long lines, entity filters or a loaded machine keep the tail's share bounded
   */
  tickBudgetMs?: number;
  /** lines waiting for the next tick at most; older batches are dropped (still counted as received) */
  maxPendingLines?: number;
  /** a client with more unsent bytes than this is skipped this tick */
  maxBufferedBytes?: number;
  maxClients?: number;
}

export const TAIL_DEFAULTS = Object.freeze({
  intervalMs: 250,
  maxEvents: 500,
  examinePerTick: 2500,
  tickBudgetMs: 25,
  maxPendingLines: 50_000,
  maxBufferedBytes: 1024 * 1024,
  maxClients: 32,
});

export interface TailClient {
  readonly socket: TailSocket;
  q: string;
  matcher: LineMatcher;
  /** counts since the last message actually sent */
  received: number;
  examined: number;
  seen: number;
  /** ticks skipped because the client had not read what it was sent */
  skipped: number;
}

export interface TailCounters {
  clients: number;
  offered: number;
  droppedPending: number;
  messages: number;
  skippedSends: number;
}

interface Line {
  record: RawRecord;
  terms: LineTerms;
  /** event time, once parsed (from either variant) */
  time: number | null;
}

export class TailHub {
  private readonly clients = new Set<TailClient>();
  private readonly opts: Required<TailOptions>;
  private pending: RawRecord[][] = [];
  private pendingLines = 0;
  /** received lines whose batches were dropped before a tick */
  private dropped = 0;
  private timer: NodeJS.Timeout | null = null;
  /** lines examined per tick now: adapted to `tickBudgetMs` */
  private examine: number;
  readonly counters: TailCounters = { clients: 0, offered: 0, droppedPending: 0, messages: 0, skippedSends: 0 };

  constructor(opts: TailOptions) {
    this.opts = { ...TAIL_DEFAULTS, ...opts };
    this.examine = this.opts.examinePerTick;
  }

  /** True while a client is connected: only then is anything offered. */
  get active(): boolean {
    return this.clients.size > 0;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Called by the ingest path after a commit; O(1), never throws, never copies the batch. */
  offer(records: RawRecord[]): void {
    if (this.clients.size === 0 || records.length === 0) return;
    this.counters.offered += records.length;
    this.pending.push(records);
    this.pendingLines += records.length;
    while (this.pendingLines > this.opts.maxPendingLines && this.pending.length > 1) {
      const old = this.pending.shift()!;
      this.pendingLines -= old.length;
      this.dropped += old.length;
      this.counters.droppedPending += old.length;
    }
  }

  /** Adds a client; throws QUERY_SYNTAX and the like for a bad query, WS_TOO_MANY_CLIENTS when full. */
  add(socket: TailSocket, q: string): TailClient {
    if (this.clients.size >= this.opts.maxClients) {
      throw new AppError('WS_TOO_MANY_CLIENTS', 'too_many_requests', `tail: ${this.opts.maxClients} live tails are open already; close one and retry`, { max: this.opts.maxClients });
    }
    const client: TailClient = { socket, q, matcher: new LineMatcher(compileQuery(q)), received: 0, examined: 0, seen: 0, skipped: 0 };
    this.clients.add(client);
    this.counters.clients = this.clients.size;
    this.send(client, { type: 'ready', q });
    if (this.timer === null) {
      this.timer = setInterval(() => this.tick(), this.opts.intervalMs);
      this.timer.unref();
    }
    return client;
  }

  /** A new filter for a client; throws like `add` (the client keeps its old one). */
  setQuery(client: TailClient, q: string): void {
    client.matcher = new LineMatcher(compileQuery(q));
    client.q = q;
    client.received = client.examined = client.seen = 0;
    this.send(client, { type: 'ready', q });
  }

  remove(client: TailClient): void {
    this.clients.delete(client);
    this.counters.clients = this.clients.size;
    if (this.clients.size === 0) {
      if (this.timer !== null) clearInterval(this.timer);
      this.timer = null;
      this.pending = [];
      this.pendingLines = 0;
      this.dropped = 0;
    }
  }

  /** One round: match what arrived since the last one and send each client its batch (public for tests). */
  tick(): void {
    const batches = this.pending;
    const received = this.pendingLines + this.dropped;
    this.pending = [];
    this.pendingLines = 0;
    this.dropped = 0;
    if (received === 0 || this.clients.size === 0) return;
    const started = performance.now();
    // an empty query needs no examining, only its newest `maxEvents` lines
    const lines = this.newest(batches, Math.max(this.examine, this.opts.maxEvents));
    for (const client of this.clients) {
      try {
        this.serve(client, lines, received);
      } catch {
        // a socket that broke between ticks; its close event removes it
      }
    }
    this.adapt(performance.now() - started, Math.min(lines.length, this.examine));
  }

  /** Fewer lines next time when this tick ran over budget, more (up to the maximum) when well under. */
  private adapt(ms: number, examined: number): void {
    const budget = this.opts.tickBudgetMs;
    if (ms > budget) this.examine = Math.max(100, Math.floor(examined * (budget / ms) * 0.9));
    else if (ms < budget / 2 && examined >= this.examine) this.examine = Math.min(this.opts.examinePerTick, Math.ceil(this.examine * 1.25));
  }

  /** Lines a tick examines now (adapted to the time budget). */
  get examinePerTick(): number {
    return this.examine;
  }

  /** Up to `max` newest lines, newest first. */
  private newest(batches: RawRecord[][], max: number): Line[] {
    const out: Line[] = [];
    for (let b = batches.length - 1; b >= 0 && out.length < max; b--) {
      const batch = batches[b]!;
      for (let i = batch.length - 1; i >= 0 && out.length < max; i--) {
        const record = batch[i]!;
        const line: Line = { record, terms: new LineTerms(record.line, (withEntities) => this.parse(line, withEntities)), time: null };
        out.push(line);
      }
    }
    return out;
  }

  private parse(line: Line, withEntities: boolean): string {
    const p = this.opts.parse(line.record, withEntities);
    line.time = p.time;
    return p.terms;
  }

  private serve(client: TailClient, lines: Line[], received: number): void {
    client.received += received;
    const events: TailEvent[] = [];
    if (client.matcher.matchesAll) {
      // every line matches: nothing to examine, and only the sent ones are parsed (for their time)
      client.examined += received;
      client.seen += received;
      for (let i = 0; i < lines.length && events.length < this.opts.maxEvents; i++) events.push(this.event(lines[i]!));
    } else {
      const n = Math.min(lines.length, this.examine);
      client.examined += n;
      for (let i = 0; i < n; i++) {
        const line = lines[i]!;
        if (!client.matcher.matches(line.terms)) continue;
        client.seen++;
        if (events.length < this.opts.maxEvents) events.push(this.event(line));
      }
    }
    if (client.socket.bufferedAmount > this.opts.maxBufferedBytes) {
      client.skipped++;
      this.counters.skippedSends++;
      return;
    }
    events.reverse();
    this.send(client, { type: 'events', events, seen: client.seen, sent: events.length, received: client.received, examined: client.examined });
    client.received = client.examined = client.seen = 0;
  }

  private event(line: Line): TailEvent {
    const r = line.record;
    // the header alone gives the time
    if (line.time === null) line.time = this.opts.parse(r, false).time;
    return { time: line.time, receivedAt: r.receivedAt, source: r.source, line: r.line };
  }

  private send(client: TailClient, msg: TailServerMessage): void {
    this.counters.messages++;
    client.socket.send(JSON.stringify(msg));
  }

  close(): void {
    for (const c of [...this.clients]) {
      try {
        c.socket.close(1001, 'server stopping');
      } catch {
        // already closed
      }
      this.remove(c);
    }
  }
}
