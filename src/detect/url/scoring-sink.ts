/**
 * A bulk load's sink that scores the URLs of what it stores: each batch is committed first, then its
 * lines are offered to the live scorer, and the load is held back (`congested`) while the scorer has more
 * than `highWater` URLs waiting, so that no URL of an acknowledged line is dropped for a full queue. `nml
 * serve` feeds the same scorer without holding its collectors back (the tail tap); `nml ingest` stored
 * its lines unscored, and a proxy log loaded after the fact raised no finding (a review).
 */
import type { RawRecord, RecordSink } from '../../core/index.js';
import type { UrlLiveScorer } from './live.js';

/** URLs waiting to be scored past which the load waits for the scorer. */
export const SCORING_HIGH_WATER = 50_000;

export class ScoringSink implements RecordSink {
  private draining: Promise<void> | null = null;

  constructor(
    private readonly inner: RecordSink,
    private readonly live: Pick<UrlLiveScorer, 'offer' | 'flush' | 'stats'>,
    private readonly highWater = SCORING_HIGH_WATER,
  ) {}

  get congested(): boolean {
    return this.inner.congested || this.live.stats().queued > this.highWater;
  }

  async whenDrained(): Promise<void> {
    if (this.live.stats().queued > this.highWater) await (this.draining ??= this.live.flush().finally(() => (this.draining = null)));
    if (this.inner.congested) await this.inner.whenDrained();
  }

  async write(records: RawRecord[]): Promise<void> {
    await this.inner.write(records);
    // only what the store acknowledged is scored, as the server's tap does
    this.live.offer(
      records.map((r) => r.line),
      records.map((r) => r.receivedAt),
    );
  }
}
