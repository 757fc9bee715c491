/**
 * The outbox kept while `nml serve` runs, so that a crash (SIGKILL, out of memory, power) loses at most
 * the last second's changes rather than every message waiting: the notifier says when what is unsent
 * changed, and the keeper writes it to `<data>/findings-notify-outbox.json` (core's writeWholeFile:
 * temp file, synced, renamed, mode 0600) at most once per `intervalMs`, off the caller's path and never two writes at once;
 * nothing unsent removes the file. The findings in a window not closed yet, and those of the last
 * second, are not in the file: the webhooks' marks in findings.db find them again (notify-mark.ts).
 */
import { rm } from 'node:fs/promises';
import { writeWholeFile } from '../../core/index.js';
import type { UnsentMessage } from './notifier.js';
import { outboxText } from './notify-outbox.js';
import type { WebhookConfig } from './notify-target.js';

export interface OutboxKeeperOptions {
  path: string;
  webhooks: readonly WebhookConfig[];
  /** what is unsent now (`FindingsNotifier.unsent`) */
  unsent: () => UnsentMessage[];
  /** the least time between two writes' starts (ms); default 1000 */
  intervalMs?: number;
  /** a write failed: the first of a streak (`count` messages not kept); tried again after `intervalMs` */
  onError: (e: unknown, count: number) => void;
  /** a write succeeded after failing */
  onRecovered?: () => void;
}

export class OutboxKeeper {
  private timer: NodeJS.Timeout | null = null;
  /** the write under way (or the last one, settled): writes run one after the other */
  private writing: Promise<void> = Promise.resolve();
  private lastStart = Number.NEGATIVE_INFINITY;
  /** a file may be there: one was written, or one might be left from before */
  private onDisk = true;
  private failing = false;
  private closed = false;
  private readonly intervalMs: number;

  constructor(private readonly o: OutboxKeeperOptions) {
    this.intervalMs = o.intervalMs ?? 1000;
  }

  /** What is unsent changed: written within `intervalMs`, changes meanwhile in the same write. Returns at once. */
  changed(): void {
    if (this.closed || this.timer !== null) return;
    const wait = Math.max(0, this.lastStart + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.writing = this.writing.then(() => this.write());
    }, wait);
    // a stop writes what is left itself (notify-wiring.ts): a pending write never holds the process
    this.timer.unref();
  }

  /** Cancels a pending write and waits for the one under way; `changed` does nothing after. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.writing;
  }

  private async write(): Promise<void> {
    if (this.closed) return;
    this.lastStart = Date.now();
    const unsent = this.o.unsent();
    try {
      if (unsent.length > 0) {
        await writeWholeFile(this.o.path, outboxText(unsent, this.o.webhooks), { mode: 0o600 });
        this.onDisk = true;
      } else if (this.onDisk) {
        await rm(this.o.path, { force: true });
        this.onDisk = false;
      }
      if (this.failing) this.o.onRecovered?.();
      this.failing = false;
    } catch (e) {
      if (!this.failing) this.o.onError(e, unsent.length);
      this.failing = true;
      // tried again after the interval (a full disk may free up), said once until it works
      this.changed();
    }
  }
}
