/**
 * The live tail: committed records offered by the ingest path (only while someone watches), matched
 * against each client's query and sent in batches at most every 250 ms, at most 500 events and about
 * 256 KiB of JSON each, newest last; a line longer than 16 KiB is cut (`truncated`, `fullLength`).
 * Work per round is bounded: past `examinePerTick` lines, fewer when a round runs over
 * `tickBudgetMs` of main-thread time, only the newest are checked; clients with the same query share
 * one matching pass and one serialized batch. What waits is capped, and a client that reads slower
 * than it is sent to is skipped (its counts carry over); one that still has more than
 * `maxBufferedBytes` unread when it is owed a `ready` is closed (WS_CLIENT_TOO_SLOW), and one that
 * changes its query more than `maxQueriesPerSecond` times a second is refused (WS_TOO_MANY_QUERIES),
 * so neither a flood nor a slow browser can slow ingest or grow memory. Every message says how
 * many lines arrived, were examined, matched and were sent.
 */
import { AppError, type RawRecord } from '../../core/index.js';
import { compileQuery, LineMatcher, LineTerms } from '../../search/index.js';
import type { TailEvent, TailServerMessage } from '../api.js';
import { HEARTBEAT_DEFAULTS, type HeartbeatOptions } from './heartbeat.js';

/** What the hub needs of a WebSocket (the `ws` socket has all of it). */
export interface TailSocket {
  send(data: string): void;
  readonly bufferedAmount: number;
  close(code?: number, reason?: string): void;
}

/** The event time, header host and typed index terms of one record, with its entities or from the header alone (see tail/parse.ts). */
export type TailParser = (record: RawRecord, withEntities?: boolean) => { time: number; host: string | null; terms: string };

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
  /**
   * a client with more unsent bytes than this is skipped this tick; one that has more when it is owed
   * any other message (`ready` after a query change) is closed with 1013 WS_CLIENT_TOO_SLOW
   */
  maxBufferedBytes?: number;
  maxClients?: number;
  /**
   * UTF-8 bytes of event JSON in one `events` message: the newest matches are added until the next
   * would pass this (the first always goes in); the rest count as seen, not sent, like those past `maxEvents`
   */
  maxMessageBytes?: number;
  /** UTF-16 characters a tail event keeps of its line; a longer line is cut and flagged `truncated` */
  maxLineChars?: number;
  /** query changes per second a client may send (a burst of as many); past that WS_TOO_MANY_QUERIES and a close */
  maxQueriesPerSecond?: number;
  /** a monotonic clock in ms for the query rate (tests inject one) */
  clock?: () => number;
  /**
   * the route's WebSocket heartbeat (tail/heartbeat.ts): a ping this often, and a close once this
   * many in a row went unanswered; kept here so that tests inject them where they make the hub
   */
  pingIntervalMs?: number;
  maxMissedPongs?: number;
}

export const TAIL_DEFAULTS = Object.freeze({
  intervalMs: 250,
  maxEvents: 500,
  examinePerTick: 2500,
  tickBudgetMs: 25,
  maxPendingLines: 50_000,
  maxBufferedBytes: 1024 * 1024,
  maxClients: 32,
  maxMessageBytes: 256 * 1024,
  maxLineChars: 16 * 1024,
  maxQueriesPerSecond: 10,
  clock: (): number => performance.now(),
  pingIntervalMs: HEARTBEAT_DEFAULTS.intervalMs,
  maxMissedPongs: HEARTBEAT_DEFAULTS.maxMissed,
});

/** Close code for a client that does not read what it is sent: 1013 "try again later". */
export const CLOSE_TOO_SLOW = 1013;

/**
 * Every WebSocket open at a server stop (the tail's, the SYN live board's) is closed with 1001 "going
 * away" and this reason (app.ts), so a page can tell a stop or restart from a lost network (1006) and
 * say so; the plugin's own close sent no code (1005). A page reconnects after it as after any drop.
 */
export const CLOSE_STOPPING = 1001;
export const STOPPING_REASON = 'server stopping';

/**
 * A tail event as sent: a line longer than `maxLineChars` is cut there, with `truncated: true` and
 * its `fullLength` in characters (search has the whole line).
 */
export interface TailEventOut extends TailEvent {
  truncated?: true;
  fullLength?: number;
}

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
  /** query changes it may still make now (refilled at `maxQueriesPerSecond`), and when that was computed */
  queryTokens: number;
  queryAt: number;
  /** true once the hub closed it (too slow): later messages from it are ignored */
  closed: boolean;
}

export interface TailCounters {
  clients: number;
  offered: number;
  droppedPending: number;
  /** messages handed to a socket without an error */
  messages: number;
  skippedSends: number;
  /** clients closed because they left more than `maxBufferedBytes` unread */
  closedTooSlow: number;
}

interface Line {
  record: RawRecord;
  terms: LineTerms;
  /** event time, once parsed (from either variant) */
  time: number | null;
  /** the header's host, set with `time` by the same parse */
  host: string | null;
  /** the event's JSON and its UTF-8 size, made once a tick for every client that sends it */
  json: string | null;
  bytes: number;
}

/** What one query's clients get this tick: counts and the serialized events (newest last), shared by them. */
interface Batch {
  /** the query matches every line: nothing was examined, every received line was seen */
  all: boolean;
  examined: number;
  matched: number;
  /** the events' JSON, comma-separated, without brackets */
  json: string;
  sent: number;
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
  readonly counters: TailCounters = { clients: 0, offered: 0, droppedPending: 0, messages: 0, skippedSends: 0, closedTooSlow: 0 };

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

  /** The heartbeat the tail route runs on each client's socket. */
  get heartbeat(): HeartbeatOptions {
    return { intervalMs: this.opts.pingIntervalMs, maxMissed: this.opts.maxMissedPongs };
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
    const client: TailClient = {
      socket,
      q,
      matcher: new LineMatcher(compileQuery(q)),
      received: 0,
      examined: 0,
      seen: 0,
      skipped: 0,
      queryTokens: this.opts.maxQueriesPerSecond,
      queryAt: this.opts.clock(),
      closed: false,
    };
    this.clients.add(client);
    this.counters.clients = this.clients.size;
    if (this.timer === null) {
      this.timer = setInterval(() => this.tick(), this.opts.intervalMs);
      this.timer.unref();
    }
    try {
      this.sendControl(client, { type: 'ready', q });
    } catch (e) {
      // the caller never gets the client, so its close could not remove it
      this.remove(client);
      throw e;
    }
    return client;
  }

  /**
   * A new filter for a client; throws like `add` (the client keeps its old one), and
   * WS_TOO_MANY_QUERIES past `maxQueriesPerSecond`. Does nothing for a client the hub closed.
   */
  setQuery(client: TailClient, q: string): void {
    if (client.closed) return;
    const rate = this.opts.maxQueriesPerSecond;
    const now = this.opts.clock();
    client.queryTokens = Math.min(rate, client.queryTokens + (Math.max(0, now - client.queryAt) * rate) / 1000);
    client.queryAt = now;
    if (client.queryTokens < 1) {
      throw new AppError(
        'WS_TOO_MANY_QUERIES',
        'too_many_requests',
        `tail: more than ${rate} filter changes a second; the tail was closed. Send a query only when the filter changes (debounce typing) and reconnect`,
        { max: rate },
      );
    }
    client.queryTokens -= 1;
    client.matcher = new LineMatcher(compileQuery(q));
    client.q = q;
    client.received = client.examined = client.seen = 0;
    this.sendControl(client, { type: 'ready', q });
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
    // clients with the same query share one matching pass and one serialized batch
    const byQuery = new Map<string, Batch>();
    for (const client of [...this.clients]) {
      try {
        let batch = byQuery.get(client.q);
        if (batch === undefined) byQuery.set(client.q, (batch = this.batch(client.matcher, lines)));
        this.serve(client, batch, received);
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
        const line: Line = { record, terms: new LineTerms(record.line, (withEntities) => this.parse(line, withEntities)), time: null, host: null, json: null, bytes: 0 };
        out.push(line);
      }
    }
    return out;
  }

  private parse(line: Line, withEntities: boolean): string {
    const p = this.opts.parse(line.record, withEntities);
    line.time = p.time;
    line.host = p.host;
    return p.terms;
  }

  /** The matches of one query among `lines` (newest first) and the newest of them that fit one message. */
  private batch(matcher: LineMatcher, lines: Line[]): Batch {
    const picked: Line[] = [];
    let bytes = 0;
    let full = false;
    const take = (line: Line): void => {
      if (full) return;
      if (picked.length < this.opts.maxEvents) this.eventJson(line);
      // the first event always goes in (it is at most `maxLineChars` long); the rest while under the cap
      if (picked.length >= this.opts.maxEvents || (picked.length > 0 && bytes + line.bytes + 1 > this.opts.maxMessageBytes)) {
        full = true;
        return;
      }
      bytes += line.bytes + 1;
      picked.push(line);
    };
    if (matcher.matchesAll) {
      // every line matches: nothing to examine, and only the sent ones are parsed (for their time)
      for (let i = 0; i < lines.length && !full; i++) take(lines[i]!);
      return { all: true, examined: 0, matched: 0, json: joinNewestLast(picked), sent: picked.length };
    }
    const n = Math.min(lines.length, this.examine);
    let matched = 0;
    for (let i = 0; i < n; i++) {
      const line = lines[i]!;
      if (!matcher.matches(line.terms)) continue;
      matched++;
      take(line);
    }
    return { all: false, examined: n, matched, json: joinNewestLast(picked), sent: picked.length };
  }

  private serve(client: TailClient, batch: Batch, received: number): void {
    client.received += received;
    client.examined += batch.all ? received : batch.examined;
    client.seen += batch.all ? received : batch.matched;
    if (client.socket.bufferedAmount > this.opts.maxBufferedBytes) {
      client.skipped++;
      this.counters.skippedSends++;
      return;
    }
    // the shape of TailServerMessage 'events', built around the shared events JSON
    const msg = `{"type":"events","events":[${batch.json}],"seen":${client.seen},"sent":${batch.sent},"received":${client.received},"examined":${client.examined}}`;
    client.socket.send(msg);
    this.counters.messages++;
    client.received = client.examined = client.seen = 0;
  }

  /** The line's event as JSON, made once a tick; a line over `maxLineChars` is cut and flagged. */
  private eventJson(line: Line): string {
    if (line.json !== null) return line.json;
    const r = line.record;
    // the header alone gives the time and host, unless matching parsed the line already
    if (line.time === null) {
      const p = this.opts.parse(r, false);
      line.time = p.time;
      line.host = p.host;
    }
    const ev: TailEventOut = { time: line.time, receivedAt: r.receivedAt, source: r.source, host: line.host, line: r.line };
    const max = this.opts.maxLineChars;
    if (r.line.length > max) {
      // never half a surrogate pair
      const cut = isHighSurrogate(r.line.charCodeAt(max - 1)) ? max - 1 : max;
      ev.line = r.line.slice(0, cut);
      ev.truncated = true;
      ev.fullLength = r.line.length;
    }
    line.json = JSON.stringify(ev);
    line.bytes = Buffer.byteLength(line.json, 'utf8');
    return line.json;
  }

  /**
   * Any message but `events`: sent only while the client has at most `maxBufferedBytes` unread;
   * past that it is told WS_CLIENT_TOO_SLOW and closed, so a client that sends and never reads cannot
   * grow the server's memory. Counted once the socket took it.
   */
  private sendControl(client: TailClient, msg: TailServerMessage): void {
    if (client.closed) return;
    const buffered = client.socket.bufferedAmount;
    if (buffered > this.opts.maxBufferedBytes) {
      this.closeTooSlow(client, buffered);
      return;
    }
    client.socket.send(JSON.stringify(msg));
    this.counters.messages++;
  }

  private closeTooSlow(client: TailClient, buffered: number): void {
    client.closed = true;
    this.counters.closedTooSlow++;
    this.remove(client);
    const err: TailServerMessage = {
      type: 'error',
      error: {
        code: 'WS_CLIENT_TOO_SLOW',
        message: `tail: this client left ${buffered} bytes unread, over the ${this.opts.maxBufferedBytes} the server keeps for it, and was closed; read messages as they arrive, change the filter less often, and reconnect`,
      },
    };
    try {
      // one small message more: the client learns why (the close reason carries the code too)
      client.socket.send(JSON.stringify(err));
      client.socket.close(CLOSE_TOO_SLOW, 'WS_CLIENT_TOO_SLOW');
    } catch {
      // already closed
    }
  }

  close(): void {
    for (const c of [...this.clients]) {
      try {
        c.socket.close(CLOSE_STOPPING, STOPPING_REASON);
      } catch {
        // already closed
      }
      this.remove(c);
    }
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** `picked` is newest first; a message lists its events newest last. */
function joinNewestLast(picked: Line[]): string {
  let out = '';
  for (let i = picked.length - 1; i >= 0; i--) out += (out === '' ? '' : ',') + picked[i]!.json!;
  return out;
}
