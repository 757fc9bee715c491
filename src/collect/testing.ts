import type { RawRecord, RecordSink } from '../core/index.js';

/**
 * An in-memory RecordSink for tests: records are "committed" when pushed to `records`.
 * `congested` is switchable, commits can be delayed (`commitDelayMs`) or held (`block()`/`release()`),
 * and `failWith` makes writes reject.
 */
export class MemorySink implements RecordSink {
  readonly records: RawRecord[] = [];
  /** committed batches, in commit order */
  readonly batches: RawRecord[][] = [];
  /** write calls, committed or not */
  writes = 0;
  commitDelayMs = 0;
  failWith: Error | null = null;
  private isCongested = false;
  private drainWaiters: Array<() => void> = [];
  private gate: Promise<void> | null = null;
  private openGate: (() => void) | null = null;
  private countWaiters: Array<{ n: number; wake: () => void }> = [];

  get congested(): boolean {
    return this.isCongested;
  }

  setCongested(on: boolean): void {
    this.isCongested = on;
    if (on) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const wake of waiters) wake();
  }

  whenDrained(): Promise<void> {
    if (!this.isCongested) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Holds every commit until `release()`. */
  block(): void {
    if (this.gate !== null) return;
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate?.();
    this.gate = null;
    this.openGate = null;
  }

  async write(records: RawRecord[]): Promise<void> {
    this.writes++;
    if (this.gate !== null) await this.gate;
    if (this.commitDelayMs > 0) await new Promise((r) => setTimeout(r, this.commitDelayMs));
    if (this.failWith !== null) throw this.failWith;
    this.batches.push(records);
    for (const r of records) this.records.push(r);
    this.countWaiters = this.countWaiters.filter((w) => {
      if (this.records.length < w.n) return true;
      w.wake();
      return false;
    });
  }

  /** Resolves once `n` records are committed; rejects after `timeoutMs` saying how many arrived. */
  waitFor(n: number, timeoutMs = 1500): Promise<void> {
    if (this.records.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`memory sink: waited ${timeoutMs} ms for ${n} records, have ${this.records.length}`));
      }, timeoutMs);
      this.countWaiters.push({
        n,
        wake: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  lines(): string[] {
    return this.records.map((r) => r.line);
  }
}

/** A LineHandler that logs what a splitter or framer emitted, for comparing runs. */
export class LineLog {
  readonly events: string[] = [];
  line(text: string, notUtf8 = false): void {
    this.events.push(`line${notUtf8 ? ' (not utf-8)' : ''}:${text}`);
  }
  cut(text: string, why: 'oversize' | 'partial', notUtf8 = false): void {
    this.events.push(`${why}${notUtf8 ? ' (not utf-8)' : ''}:${text}`);
  }
  frameError(): void {
    this.events.push('frame_error');
  }
}
