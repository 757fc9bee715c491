/**
 * The tap on the ingest path: a RecordSink that forwards to the store's writer and, only while a tail
 * client is connected, offers each batch to the TailHub once it is committed. It adds no work and no
 * waiting otherwise, and the hub's `offer` is O(1), so the tail never slows ingest.
 */
import type { RawRecord, RecordSink } from '../../core/index.js';

export interface TailTarget {
  readonly active: boolean;
  offer(records: RawRecord[]): void;
}

export class TailSink implements RecordSink {
  constructor(
    private readonly inner: RecordSink,
    private readonly hub: TailTarget,
  ) {}

  get congested(): boolean {
    return this.inner.congested;
  }

  whenDrained(): Promise<void> {
    return this.inner.whenDrained();
  }

  write(records: RawRecord[]): Promise<void> {
    const written = this.inner.write(records);
    if (this.hub.active) {
      written.then(
        () => this.hub.offer(records),
        () => undefined,
      );
    }
    return written;
  }
}
