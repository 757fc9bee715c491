/**
 * Findings webhooks: each new or reopened finding is POSTed to every configured webhook that wants it
 * (its detectors, its minimum score), batched: what is raised within `windowMs` goes in one message, at
 * most NOTIFY_BATCH_MAX findings in full and a count of the rest, so that a flood sends a message per
 * window, not one per finding. Each webhook sends one message at a time with a timeout, retries network
 * errors, 5xx and 429 with backoff (429's and 503's Retry-After), and queues at most `maxQueue` messages
 * behind it (the oldest dropped, counted). `offer` only appends: a slow webhook never holds up the
 * detectors or ingest. Logs name a webhook by its redacted URL, once per failure streak. `drain` stops
 * it: the windows are closed, what is queued is sent for a bounded time, and what is still unsent is
 * handed back (for the outbox, `notify-outbox.ts`); `resume` queues such messages again at the next start.
 * `onUnsentChange` hears each change of what is unsent (a window closed into the queue, a message
 * delivered, given up or dropped, a failed try, messages resumed), so that the outbox can follow it while
 * running. With the store's raisings tracked (`track`), each webhook keeps a mark (notify-mark.ts) that
 * `onProgress` says moved, so that a crash loses no finding's message.
 */
import { describeCause, redactedUrl } from '../../core/index.js';
import type { Finding } from '../detector.js';
import type { Sighting } from './store.js';
import { batchBody, MORE_IDS_MAX, NOTIFY_BATCH_MAX, sampleBatch, type NotifyBatch, type NotifyMark, type RaisedFinding } from './notify-message.js';
import { laterMark, markOf } from './notify-mark.js';
import { webhookName, type WebhookConfig } from './notify-target.js';

export interface NotifierLog {
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
}

export interface NotifierOptions {
  webhooks: readonly WebhookConfig[];
  log: NotifierLog;
  /** findings raised within this long go in one message (ms) */
  windowMs?: number;
  /** one POST's limit (ms) */
  timeoutMs?: number;
  /** tries after the first before a message counts as failed */
  retries?: number;
  /** the first retry's wait (ms); each next one doubles, up to MAX_BACKOFF_MS */
  backoffMs?: number;
  /** messages waiting per webhook, beyond the one being sent */
  maxQueue?: number;
  /** the web UI's address people open (`http.publicUrl`): each finding links to the Alerts page on it; null: no links */
  publicUrl?: string | null;
  /** how long `drain` sends what waits before it hands the rest back (ms) */
  stopGraceMs?: number;
  /** called (synchronously; keep it cheap) whenever what `unsent()` returns changed */
  onUnsentChange?: () => void;
  /**
   * called (synchronously) when a webhook's mark (`marks()`) moved: `done` after a message was delivered
   * or given up (off the detectors' path), else an idle webhook passed findings it does not want, on
   * `record`'s path: keep that one cheap (a timer)
   */
  onProgress?: (done: boolean) => void;
}

/**
 * A message that waits to be sent: its findings and when its window closed (ms); after a failed try, how
 * many tries failed and when the next is due (kept over a restart, so that a restart does not begin the
 * retries and their backoff again).
 */
export interface QueuedMessage {
  batch: NotifyBatch;
  queuedAt: number;
  attempts?: number;
  retryAt?: number;
}

/** A message `drain` could not send, and the webhook it is for: its place in the list and `webhookName`. */
export interface UnsentMessage extends QueuedMessage {
  index: number;
  name: string;
}

/** One webhook's counters since start (messages, not findings); `name` is `webhookName`'s. */
export interface WebhookStats {
  name: string;
  sent: number;
  failed: number;
  dropped: number;
  queued: number;
}

/** What one POST came to: `retryable` for a network error, a timeout, 5xx and 429. */
export interface DeliveryResult {
  ok: boolean;
  status: number | null;
  retryable: boolean;
  /** a 429's or 503's Retry-After (ms), capped at MAX_RETRY_AFTER_MS */
  retryAfterMs: number | null;
  /** `HTTP 404`, `no answer within 5 s`, `connect ECONNREFUSED 127.0.0.1:9` */
  why: string;
  ms: number;
}

export const NOTIFY_DEFAULTS = { windowMs: 5_000, timeoutMs: 5_000, retries: 5, backoffMs: 1_000, maxQueue: 20, publicUrl: null, stopGraceMs: 3_000 } as const;
const MAX_BACKOFF_MS = 60_000;
const MAX_RETRY_AFTER_MS = 300_000;

/** Milliseconds of a Retry-After header (seconds or an HTTP date), or null. */
function retryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const ms = /^\d+$/.test(value.trim()) ? Number(value.trim()) * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS) : null;
}

/** POSTs `body` to the webhook once; never throws, never says its URL's path or its headers. */
export async function deliver(hook: WebhookConfig, body: string, timeoutMs: number, closing?: AbortSignal): Promise<DeliveryResult> {
  const started = Date.now();
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const onClose = () => ac.abort();
  closing?.addEventListener('abort', onClose);
  const done = (r: Omit<DeliveryResult, 'ms'>): DeliveryResult => ({ ...r, ms: Date.now() - started });
  try {
    const res = await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'nml-findings-notify', ...hook.headers }, body, signal: ac.signal, redirect: 'manual' });
    await res.body?.cancel().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return done({ ok: true, status: res.status, retryable: false, retryAfterMs: null, why: `HTTP ${res.status}` });
    const retryable = res.status === 429 || res.status >= 500;
    const after = res.status === 429 || res.status === 503 ? retryAfter(res.headers.get('retry-after'), Date.now()) : null;
    return done({ ok: false, status: res.status, retryable, retryAfterMs: after, why: `HTTP ${res.status}` });
  } catch (e) {
    const why = ac.signal.aborted && closing?.aborted !== true ? `no answer within ${timeoutMs / 1000} s` : describeCause((e as { cause?: unknown }).cause ?? e);
    // a port the Fetch standard blocks (9, 25, 6000 …) never works: not retried
    const blocked = why === 'bad port';
    // a message from the network layer may quote the URL: it is said redacted
    return done({ ok: false, status: null, retryable: !blocked, retryAfterMs: null, why: blocked ? `port ${new URL(hook.url).port} is one HTTP clients refuse to connect to (bad port)` : why.split(hook.url).join(redactedUrl(hook.url)) });
  } finally {
    clearTimeout(timer);
    closing?.removeEventListener('abort', onClose);
  }
}

/** What to do about a failed delivery, by its status. */
function advice(r: DeliveryResult): string {
  if (r.status === null && !r.retryable) return 'give the webhook a port other than the blocked ones (such as 9, 25 or 6000): 80, 443 or 8080';
  if (r.status === 401 || r.status === 403) return 'check the credentials in its headers (or the token in its URL)';
  if (r.status === 404 || r.status === 410) return 'check the URL: the service no longer knows it (a deleted or rotated webhook)';
  if (r.status === 429) return 'the service limits the rate; raise its limit or send fewer (minScore, detectors)';
  if (r.status !== null && r.status >= 300 && r.status < 400) return 'the URL redirects; give the URL it redirects to';
  if (r.status !== null && r.status < 500) return 'the service refused the message: check format (json or slack) and the URL';
  return 'check that the service is up and reachable from this host (proxy, firewall, DNS)';
}

/** One webhook: its batching window, its queue, and the one message it is sending. */
class Channel {
  readonly name: string;
  private readonly shown: string;
  private pending: RaisedFinding[] = [];
  private more = 0;
  private moreIds: number[] = [];
  private window: NodeJS.Timeout | null = null;
  private readonly queue: QueuedMessage[] = [];
  /** the message being sent (or waiting to be retried); kept until it is delivered or given up */
  private current: QueuedMessage | null = null;
  private sending = false;
  private readonly idle: Array<() => void> = [];
  /** messages failed since the last one delivered; the warning is logged at the first failure of a streak */
  private streak = 0;
  private warned = false;
  readonly counts = { sent: 0, failed: 0, dropped: 0 };
  /** every raising up to here is done for this webhook (notify-mark.ts); null while the notifier tracks no store */
  mark: NotifyMark | null = null;

  constructor(
    private readonly hook: WebhookConfig,
    index: number,
    private readonly o: Required<Omit<NotifierOptions, 'webhooks' | 'onUnsentChange' | 'onProgress'>>,
    private readonly closing: AbortSignal,
    private readonly changed: () => void,
    /** the notifier's mark of the raisings offered so far (null: none tracked) and its progress callback */
    private readonly seen: () => NotifyMark | null,
    private readonly progress: (done: boolean) => void,
  ) {
    this.name = webhookName(hook.url, index);
    this.shown = redactedUrl(hook.url);
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Nothing waits: no window open, nothing queued or being sent. */
  get nothingWaits(): boolean {
    return this.window === null && this.queue.length === 0 && this.current === null;
  }

  /**
   * Raisings up to `seen` were offered (this webhook wanted none of the last ones): with nothing waiting,
   * they are all done here, and the mark moves to them.
   */
  passed(seen: NotifyMark): void {
    if (this.mark === null || !this.nothingWaits || (seen.finding <= this.mark.finding && seen.reopen <= this.mark.reopen)) return;
    this.mark = laterMark(this.mark, seen);
    this.progress(false);
  }

  wants(f: Finding): boolean {
    if (this.hook.minScore !== null && f.score < this.hook.minScore) return false;
    return this.hook.detectors === null || this.hook.detectors.includes(f.detector);
  }

  offer(r: RaisedFinding): void {
    if (this.pending.length < NOTIFY_BATCH_MAX) this.pending.push(r);
    else {
      this.more++;
      if (this.moreIds.length < MORE_IDS_MAX) this.moreIds.push(r.finding.id);
    }
    if (this.window === null) {
      this.window = setTimeout(() => this.flush(), this.o.windowMs);
      this.window.unref();
    }
  }

  /** The window's findings become one message in the queue (the oldest waiting one dropped past maxQueue). */
  flush(): void {
    if (this.window !== null) clearTimeout(this.window);
    this.window = null;
    if (this.pending.length === 0) return;
    const upTo = this.seen();
    this.queue.push({ batch: { findings: this.pending, more: this.more, moreIds: this.moreIds, ...(upTo === null ? {} : { upTo: { ...upTo } }) }, queuedAt: Date.now() });
    this.pending = [];
    this.more = 0;
    this.moreIds = [];
    this.trimAndSend();
    this.changed();
  }

  /**
   * Messages kept over a restart, queued before any raised since (they are older), oldest first; those
   * queued longer than `maxAgeMs` ago are dropped and counted, not sent stale. Returns how many those were.
   */
  resume(messages: readonly QueuedMessage[], now: number, maxAgeMs: number): number {
    const fresh = messages.filter((m) => now - m.queuedAt <= maxAgeMs).sort((a, b) => a.queuedAt - b.queuedAt);
    const stale = messages.length - fresh.length;
    this.counts.dropped += stale;
    this.queue.unshift(...fresh);
    this.trimAndSend();
    this.changed();
    return stale;
  }

  private trimAndSend(): void {
    while (this.queue.length > this.o.maxQueue) {
      this.queue.shift();
      this.counts.dropped++;
    }
    void this.pump();
  }

  stop(): void {
    if (this.window !== null) clearTimeout(this.window);
    this.window = null;
  }

  /** Resolves once nothing is being sent: the queue is empty, or the notifier was closed. */
  whenIdle(): Promise<void> {
    return this.sending ? new Promise((resolve) => this.idle.push(resolve)) : Promise.resolve();
  }

  /** What was not delivered nor given up: the message cut while sending (or between retries), then the queue. */
  unsent(): QueuedMessage[] {
    return this.current === null ? [...this.queue] : [this.current, ...this.queue];
  }

  private async pump(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (!this.closing.aborted) {
        const next = this.queue.shift();
        if (next === undefined) break;
        this.current = next;
        // cut by a stop: it stays `current`, for the outbox
        if (await this.send(next)) {
          this.current = null;
          this.done(next.batch.upTo);
          this.changed();
        }
      }
    } finally {
      this.sending = false;
      for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  /**
   * A message was delivered or given up: every raising up to its `upTo` is done here (the messages before
   * it were, FIFO), and with nothing else waiting every one offered so far.
   */
  private done(upTo: NotifyMark | undefined): void {
    if (this.mark === null) return;
    const before = this.mark;
    if (upTo !== undefined) this.mark = laterMark(this.mark, upTo);
    const seen = this.seen();
    if (seen !== null && this.nothingWaits) this.mark = laterMark(this.mark, seen);
    if (this.mark.finding !== before.finding || this.mark.reopen !== before.reopen) this.progress(true);
  }

  /**
   * Sends one message with its retries (those it failed before a restart counted, the backoff's end
   * awaited): true once delivered or given up, false when a stop cut it.
   */
  private async send(m: QueuedMessage): Promise<boolean> {
    const body = batchBody(m.batch, this.hook.format, false, this.o.publicUrl);
    if (m.retryAt !== undefined && m.retryAt > Date.now()) await sleep(Math.min(m.retryAt - Date.now(), MAX_RETRY_AFTER_MS), this.closing);
    for (let attempt = m.attempts ?? 0; !this.closing.aborted; attempt++) {
      const r = await deliver(this.hook, body, this.o.timeoutMs, this.closing);
      // cut by a stop (no answer): neither a failure nor a delivery to report, kept for the outbox; an
      // answer is taken as at any time, so a 4xx that came as the stop began is given up, not kept
      if (this.closing.aborted && r.status === null) return false;
      if (r.ok) {
        if (this.warned) this.o.log.info({ webhook: this.shown, name: this.name, failedMessages: this.streak }, `findings notify: webhook ${this.shown} (${this.name}) delivers again; ${this.streak} message${this.streak === 1 ? '' : 's'} failed before`);
        this.counts.sent++;
        this.streak = 0;
        this.warned = false;
        return true;
      }
      const last = !r.retryable || attempt >= this.o.retries;
      if (!this.warned) {
        this.warned = true;
        const then = last ? 'the message is given up' : `retrying up to ${this.o.retries} times with backoff`;
        this.o.log.warn({ webhook: this.shown, name: this.name, status: r.status, why: r.why }, `findings notify: webhook ${this.shown} (${this.name}) failed: ${r.why}; ${then}, and later messages are tried; ${advice(r)}; nml findings notify-test sends a test message (said once until it delivers again)`);
      }
      if (last) {
        this.counts.failed++;
        this.streak++;
        return true;
      }
      const wait = r.retryAfterMs ?? Math.min(this.o.backoffMs * 2 ** attempt, MAX_BACKOFF_MS);
      m.attempts = attempt + 1;
      m.retryAt = Date.now() + wait;
      this.changed();
      await sleep(wait, this.closing);
    }
    return false;
  }
}

/** A wait that ends early when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

export class FindingsNotifier {
  private readonly channels: Channel[];
  private readonly closing = new AbortController();
  /** false once `drain` or `close` began: findings offered after are not taken */
  private taking = true;
  private readonly stopGraceMs: number;
  private readonly timeoutMs: number;
  private readonly publicUrl: string | null;
  private readonly hooks: readonly WebhookConfig[];
  /** how far the raisings offered go (`track`); null: no store's raisings tracked, no marks */
  private seen: NotifyMark | null = null;

  constructor(o: NotifierOptions) {
    const { webhooks, onUnsentChange, onProgress, ...given } = o;
    const settings = { ...NOTIFY_DEFAULTS, ...given };
    this.timeoutMs = settings.timeoutMs;
    this.stopGraceMs = settings.stopGraceMs;
    this.publicUrl = settings.publicUrl;
    this.hooks = webhooks;
    const changed = onUnsentChange ?? ((): void => undefined);
    const progress = onProgress ?? ((): void => undefined);
    this.channels = webhooks.map((h, i) => new Channel(h, i, settings, this.closing.signal, changed, () => this.seen, progress));
  }

  /**
   * Tracks the store's raisings from here: `seen`, how far they go now, and each webhook's stored mark
   * (by its place in `webhooks`). Called once at start, before `resume` and `reoffer`.
   */
  track(seen: NotifyMark, marks: readonly NotifyMark[]): void {
    this.seen = { ...seen };
    this.channels.forEach((c, i) => (c.mark = { ...(marks[i] ?? seen) }));
  }

  /** Each webhook's mark (notify-mark.ts), by its place in `webhooks`; null while no store's raisings are tracked. */
  marks(): Array<NotifyMark | null> {
    return this.channels.map((c) => (c.mark === null ? null : { ...c.mark }));
  }

  /** Raisings from before a restart that went out in no message, for webhook `index`: offered to it alone (its detectors and minimum score apply). */
  reoffer(index: number, raised: readonly RaisedFinding[]): void {
    const channel = this.channels[index];
    if (channel === undefined) throw new RangeError(`findings notify: no webhook #${index} to offer findings to`);
    if (!this.taking) return;
    for (const r of raised) if (channel.wants(r.finding)) channel.offer(r);
  }

  /** Findings raised or reopened: each goes to the webhooks that want it, in their next message. Returns at once. */
  offer(raised: readonly RaisedFinding[]): void {
    if (!this.taking) return;
    for (const r of raised) for (const c of this.channels) if (c.wants(r.finding)) c.offer(r);
  }

  /** A findings store listener (`FindingsStore.subscribe`): the new and reopened findings of a `record` are offered; those seen again are not. */
  readonly onRecorded = (changed: readonly Finding[], sightings: readonly Sighting[], logIds: readonly (number | null)[] = []): void => {
    const raised: RaisedFinding[] = [];
    changed.forEach((finding, i) => {
      const s = sightings[i];
      const logId = logIds[i];
      if (s === 'new') raised.push({ finding, raised: s });
      else if (s === 'reopened') raised.push(logId === null || logId === undefined ? { finding, raised: s } : { finding, raised: s, logId });
    });
    if (raised.length === 0 || !this.taking) return;
    const upTo = this.seen === null ? null : markOf(raised);
    if (upTo !== null) this.seen = laterMark(this.seen!, upTo);
    this.offer(raised);
    if (upTo !== null) for (const c of this.channels) c.passed(this.seen!);
  };

  stats(): WebhookStats[] {
    return this.channels.map((c) => ({ name: c.name, ...c.counts, queued: c.queued }));
  }

  /** One sample message to every webhook, once each (no retries): what each answered. */
  async test(now = Date.now()): Promise<Array<DeliveryResult & { name: string; url: string }>> {
    const batch = sampleBatch(now);
    return Promise.all(this.hooks.map(async (h, i) => ({ name: webhookName(h.url, i), url: redactedUrl(h.url), ...(await deliver(h, batchBody(batch, h.format, true, this.publicUrl), this.timeoutMs, this.closing.signal)) })));
  }

  /** Messages kept over a restart for webhook `index` (its place in `webhooks`): see Channel.resume. Returns how many were too old to send. */
  resume(index: number, messages: readonly QueuedMessage[], now = Date.now(), maxAgeMs = Number.POSITIVE_INFINITY): number {
    const channel = this.channels[index];
    if (channel === undefined) throw new RangeError(`findings notify: no webhook #${index} to resume messages for`);
    return channel.resume(messages, now, maxAgeMs);
  }

  /**
   * Stops gracefully (`nml serve`'s stop): takes no more findings, closes every window, and sends what is
   * queued for at most `graceMs` in all (retries included); then cuts what is under way and returns what
   * was not delivered nor given up, oldest first per webhook. Never takes longer than `graceMs` and the
   * moment a cut POST takes to end. A POST cut at the deadline may have arrived: kept, it may arrive twice.
   */
  async drain(graceMs = this.stopGraceMs): Promise<UnsentMessage[]> {
    this.taking = false;
    for (const c of this.channels) c.flush();
    if (graceMs > 0 && !this.closing.signal.aborted) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([Promise.all(this.channels.map((c) => c.whenIdle())), deadline]);
      clearTimeout(timer);
    }
    this.closing.abort();
    await Promise.all(this.channels.map((c) => c.whenIdle()));
    return this.unsent();
  }

  /** What is neither delivered nor given up now (being sent or queued; not the open windows), oldest first per webhook. */
  unsent(): UnsentMessage[] {
    return this.channels.flatMap((c, index) => c.unsent().map((m) => ({ ...m, index, name: c.name })));
  }

  /** Stops at once (a one-shot notifier's end, `nml findings notify-test`): what waits is neither sent nor kept, a POST under way is cut. */
  close(): void {
    this.taking = false;
    for (const c of this.channels) c.stop();
    this.closing.abort();
  }
}
