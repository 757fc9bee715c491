/**
 * A finding of its own is recorded again when its SYNs have grown by half, and a last time when its host
 * goes idle (10 minutes of capture time by default). Between the two its Alerts row lagged the board: a
 * scan of 400 SYNs in two seconds was last recorded at 292, and its row said 292 while the board said 400
 * for the next ten minutes (a UX review found 373 against 400, 333 against 400). So a finding whose host
 * has sent SYNs since its last record is recorded again once the host has been quiet for
 * QUIET_RECORD_US of capture time, as it would be when it left.
 */

/** Capture time (µs) a host that is a finding must be quiet before its finding is brought up to date. */
export const QUIET_RECORD_US = 60e6;

/** What a board host needs for this (board-state.ts `State`). */
interface Followed {
  count: number;
  /** its SYN count at its last record (0: never recorded, not a finding of its own) */
  recordedCount: number;
  lastSeen: number;
  /** changed since it was last scored */
  dirty: boolean;
}

/** The findings of their own with SYNs since their last record: few (rows are budgeted), so each flush looks at all of them. */
export class QuietRecords<H extends Followed> {
  private readonly waiting = new Set<H>();

  /** A SYN was added to `h`. */
  note(h: H): void {
    if (h.recordedCount > 0) this.waiting.add(h);
  }

  /**
   * The hosts to record now (capture time `now`, µs): on the board (`onBoard`), scored since their last
   * SYN, quiet for QUIET_RECORD_US and grown since their record. Those recorded meanwhile, or gone, are
   * forgotten.
   */
  due(now: number, onBoard: (h: H) => boolean): H[] {
    const out: H[] = [];
    for (const h of this.waiting) {
      if (h.count <= h.recordedCount || !onBoard(h)) this.waiting.delete(h);
      else if (!h.dirty && h.lastSeen < now - QUIET_RECORD_US) {
        this.waiting.delete(h);
        out.push(h);
      }
    }
    return out;
  }
}
