import { AppError, describeCause } from '../core/index.js';
import type { Batcher } from './batcher.js';
import type { SourceStats } from './source.js';

/** What a finite read reports once everything it read is committed. */
export interface Done {
  /** records the sink acknowledged */
  lines: number;
}

/**
 * The end of a finite read (a file, stdin): resolves `promise` once reading ended and every batch
 * settled, so `nml ingest FILE` returns only when its lines are searchable. Rejects with the read
 * error, or with COLLECT_WRITE_FAILED when the sink refused any batch.
 */
export class Finish {
  readonly promise: Promise<Done>;
  private resolveDone!: (d: Done) => void;
  private rejectDone!: (e: unknown) => void;
  private tracked: Promise<void> | null = null;

  constructor(
    private readonly name: string,
    private readonly stats: SourceStats,
  ) {
    this.promise = new Promise<Done>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // Nobody has to ask for done(): an unobserved failure must not crash the process.
    this.promise.catch(() => undefined);
  }

  track(reading: Promise<void>, batcher: Batcher): void {
    this.tracked = this.conclude(reading, batcher).then(this.resolveDone, this.rejectDone);
  }

  /** Resolves once `promise` has settled, whichever way. */
  settled(): Promise<void> {
    return this.tracked ?? Promise.resolve();
  }

  private async conclude(reading: Promise<void>, batcher: Batcher): Promise<Done> {
    let readError: unknown;
    try {
      await reading;
    } catch (e) {
      readError = e;
    }
    await batcher.settle();
    if (readError !== undefined) throw readError;
    if (batcher.firstError !== undefined) {
      const failed = this.stats.drops.write_failed;
      const message = `collect: ${failed} records from ${this.name} not stored: ${describeCause(batcher.firstError)}`;
      throw new AppError('COLLECT_WRITE_FAILED', 'unavailable', message, { failed, committed: this.stats.committed }, batcher.firstError);
    }
    return { lines: this.stats.committed };
  }
}
