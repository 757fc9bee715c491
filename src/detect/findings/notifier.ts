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
 * `onProgress` says moved, so that a crash loses no finding's message. Each webhook's window, queue and
 * retries are its channel's (notify-channel.ts); one POST is notify-delivery.ts's.
 */
import { redactedUrl } from '../../core/index.js';
import type { Finding } from '../detector.js';
import type { Sighting } from './store.js';
import { batchBody, sampleBatch, type NotifyMark, type RaisedFinding } from './notify-message.js';
import { laterMark, markOf } from './notify-mark.js';
import { webhookName, type WebhookConfig } from './notify-target.js';
import { Channel, type QueuedMessage } from './notify-channel.js';
import { deliver, type DeliveryResult } from './notify-delivery.js';
import { NOTIFY_DEFAULTS, type NotifierOptions } from './notify-options.js';

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
