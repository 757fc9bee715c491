/**
 * One webhook's channel: its batching window, its queue of messages, and the one message it is sending
 * with its retries and backoff; it logs a failure streak once, and moves the webhook's mark
 * (notify-mark.ts) as messages are done. The notifier (notifier.ts) holds one per webhook.
 */
import { redactedUrl } from '../../core/index.js';
import type { Finding } from '../detector.js';
import { deliver, deliveryAdvice, MAX_RETRY_AFTER_MS } from './notify-delivery.js';
import { laterMark } from './notify-mark.js';
import { batchBody, MORE_IDS_MAX, NOTIFY_BATCH_MAX, type NotifyBatch, type NotifyMark, type RaisedFinding } from './notify-message.js';
import type { ChannelSettings } from './notify-options.js';
import { webhookName, type WebhookConfig } from './notify-target.js';

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

const MAX_BACKOFF_MS = 60_000;

/** One webhook: its batching window, its queue, and the one message it is sending. */
export class Channel {
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
    private readonly o: ChannelSettings,
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
        this.o.log.warn({ webhook: this.shown, name: this.name, status: r.status, why: r.why }, `findings notify: webhook ${this.shown} (${this.name}) failed: ${r.why}; ${then}, and later messages are tried; ${deliveryAdvice(r)}; nml findings notify-test sends a test message (said once until it delivers again)`);
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
