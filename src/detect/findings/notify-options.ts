/**
 * A findings notifier's settings (`findings.notify`, notifier.ts) and their defaults, and the log it
 * writes to; each webhook's channel (notify-channel.ts) reads the same settings.
 */
import type { WebhookConfig } from './notify-target.js';

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

export const NOTIFY_DEFAULTS = { windowMs: 5_000, timeoutMs: 5_000, retries: 5, backoffMs: 1_000, maxQueue: 20, publicUrl: null, stopGraceMs: 3_000 } as const;

/** The settings a webhook's channel reads: every one of NotifierOptions but the webhooks and the callbacks, defaults filled in. */
export type ChannelSettings = Required<Omit<NotifierOptions, 'webhooks' | 'onUnsentChange' | 'onProgress'>>;
