/**
 * The contract between collectors and the writer. A collector hands batches of raw records to a sink;
 * the promise resolves only when every record of the batch is committed (durable and searchable).
 * That resolution is the acknowledgement: nothing before it may be reported as stored.
 */
import type { RawRecord } from './event.js';

export interface RecordSink {
  /** Resolves when committed; rejects with an AppError (e.g. `STORE_UNAVAILABLE`) when not. */
  write(records: RawRecord[]): Promise<void>;
  /** True while the writer's queue is above its high-water mark. Sources that can pause (TCP, files) wait for `whenDrained`. */
  readonly congested: boolean;
  /** Resolves once the queue is back under its low-water mark (immediately when not congested). */
  whenDrained(): Promise<void>;
}

/** Reasons a collector counts a drop. Every drop is counted under one of these. */
export const DROP_REASONS = ['queue_full', 'oversize', 'kernel_rcvbuf', 'frame_error', 'write_failed'] as const;
export type DropReason = (typeof DROP_REASONS)[number];
