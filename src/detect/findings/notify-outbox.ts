/**
 * The findings webhooks' outbox (`<data>/findings-notify-outbox.json`): the messages `nml serve` could
 * not send before it stopped, kept for the next start. In: what `FindingsNotifier.drain` handed back and
 * the configured webhooks. Out: at the next start, each webhook's messages, those of a webhook no longer
 * configured (or whose URL changed) set apart. A webhook is named by its place in `findings.notify`, its
 * `webhookName` and a SHA-256 of its URL, never the URL or its headers (secrets the config file holds).
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { describeCause, writeWholeFileSync } from '../../core/index.js';
import type { QueuedMessage } from './notify-channel.js';
import type { UnsentMessage } from './notifier.js';
import type { NotifyBatch } from './notify-message.js';
import { isMark } from './notify-mark.js';
import type { WebhookConfig } from './notify-target.js';

/** The outbox's file name in the data folder. */
export const OUTBOX_FILE = 'findings-notify-outbox.json';
/** Messages queued longer ago than this are dropped at start, not sent stale. */
export const OUTBOX_MAX_AGE_MS = 24 * 3_600_000;

/** One kept message: which webhook it was for, what it says, and its failed tries so far (`QueuedMessage`). */
export interface OutboxEntry {
  webhook: { index: number; name: string; urlHash: string };
  queuedAt: number;
  batch: NotifyBatch;
  attempts?: number;
  retryAt?: number;
}

/** What the outbox held for webhooks that are configured, and for those that are not (by their name). */
export interface PlacedOutbox {
  byIndex: Map<number, QueuedMessage[]>;
  removed: Array<{ name: string; count: number }>;
}

/** A webhook URL's digest: tells the same URL again without keeping it. */
export function urlHash(url: string): string {
  return createHash('sha256').update(url).digest('hex');
}

/** The outbox file's text for the unsent messages. */
export function outboxText(unsent: readonly UnsentMessage[], webhooks: readonly WebhookConfig[]): string {
  const entries: OutboxEntry[] = unsent.map((m) => ({ webhook: { index: m.index, name: m.name, urlHash: urlHash(webhooks[m.index]!.url) }, queuedAt: m.queuedAt, batch: m.batch, ...tries(m) }));
  return JSON.stringify({ version: 1, entries });
}

/**
 * Writes the unsent messages to `path` (readable by NML's user only), replacing the file whole (core's
 * writeWholeFileSync): a power cut right after the stop leaves the old file or the whole new one.
 */
export function writeOutbox(path: string, unsent: readonly UnsentMessage[], webhooks: readonly WebhookConfig[]): void {
  writeWholeFileSync(path, outboxText(unsent, webhooks), { mode: 0o600 });
}

/** A message's failed tries and next try's time, where it has them. */
function tries(m: Pick<QueuedMessage, 'attempts' | 'retryAt'>): Pick<QueuedMessage, 'attempts' | 'retryAt'> {
  return { ...(m.attempts === undefined ? {} : { attempts: m.attempts }), ...(m.retryAt === undefined ? {} : { retryAt: m.retryAt }) };
}

const optionalNumber = (v: unknown): boolean => v === undefined || (typeof v === 'number' && Number.isFinite(v) && v >= 0);

function isEntry(e: unknown): e is OutboxEntry {
  const x = e as Partial<OutboxEntry> | null;
  return (
    typeof x === 'object' && x !== null &&
    typeof x.webhook?.index === 'number' && typeof x.webhook.name === 'string' && typeof x.webhook.urlHash === 'string' &&
    typeof x.queuedAt === 'number' && Array.isArray(x.batch?.findings) && typeof x.batch.more === 'number' && Array.isArray(x.batch.moreIds) &&
    (x.batch.upTo === undefined || isMark(x.batch.upTo)) && optionalNumber(x.attempts) && optionalNumber(x.retryAt)
  );
}

/**
 * Reads the outbox at `path` and removes it: its messages are the notifier's again (a later stop writes
 * what is still unsent). No file: none. A file that does not read as one is removed, and `problem` says so.
 */
export function takeOutbox(path: string): { entries: OutboxEntry[]; problem: string | null } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], problem: null };
    return { entries: [], problem: `cannot read ${path}: ${describeCause(e)}` };
  }
  rmSync(path, { force: true });
  try {
    const parsed = JSON.parse(text) as { version?: unknown; entries?: unknown };
    if (parsed.version === 1 && Array.isArray(parsed.entries) && parsed.entries.every(isEntry)) return { entries: parsed.entries, problem: null };
  } catch {
    // said below
  }
  return { entries: [], problem: `${path} is not an outbox this version of NML wrote; it was removed` };
}

/**
 * Where a webhook kept at place `index` with URL digest `hash` is now among the configured ones' digests
 * (`hashes`): the same place with the same URL, else the only one with that URL (the list was reordered);
 * null when it was removed or its URL changed, so that a new URL never gets the old one's messages.
 */
export function placeWebhook(index: number, hash: string, hashes: readonly string[]): number | null {
  const same = hashes.flatMap((h, i) => (h === hash ? [i] : []));
  return same.includes(index) ? index : same.length === 1 ? same[0]! : null;
}

/** Each entry's webhook now (`placeWebhook`); none: the entry is set apart. */
export function placeOutbox(entries: readonly OutboxEntry[], webhooks: readonly WebhookConfig[]): PlacedOutbox {
  const hashes = webhooks.map((h) => urlHash(h.url));
  const byIndex = new Map<number, QueuedMessage[]>();
  const removed = new Map<string, number>();
  for (const e of entries) {
    const index = placeWebhook(e.webhook.index, e.webhook.urlHash, hashes);
    if (index === null) {
      removed.set(e.webhook.name, (removed.get(e.webhook.name) ?? 0) + 1);
      continue;
    }
    const list = byIndex.get(index) ?? [];
    list.push({ batch: e.batch, queuedAt: e.queuedAt, ...tries(e) });
    byIndex.set(index, list);
  }
  return { byIndex, removed: [...removed].map(([name, count]) => ({ name, count })) };
}
