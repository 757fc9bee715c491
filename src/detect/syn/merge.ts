/** Several captures' SYNs as one stream in time order, the way mergecap joins captures of one period. */
import { synBatches } from './read.js';
import type { ReadStats, SynPacket } from './types.js';

/** SYNs handed on at once */
const OUT_BATCH = 4096;

/**
 * The SYNs of `paths` in batches, merged by timestamp: a k-way merge on each file's next SYN, so each
 * file keeps its own order and SYNs of the same instant come from the earlier file first. One file
 * streams through as it is. `stats[i]` counts file i's records and skips.
 */
export async function* mergedSynBatches(paths: readonly string[], stats: readonly ReadStats[]): AsyncGenerator<SynPacket[]> {
  if (paths.length === 1) {
    yield* synBatches(paths[0]!, stats[0]);
    return;
  }
  const its = paths.map((p, i) => synBatches(p, stats[i])[Symbol.asyncIterator]());
  const cur: (SynPacket[] | null)[] = [];
  const pos: number[] = [];
  const refill = async (i: number): Promise<void> => {
    let r = await its[i]!.next();
    while (r.done !== true && r.value.length === 0) r = await its[i]!.next();
    cur[i] = r.done === true ? null : r.value;
    pos[i] = 0;
  };
  try {
    for (let i = 0; i < its.length; i++) await refill(i);
    let out: SynPacket[] = [];
    for (;;) {
      let best = -1;
      let bestT = Infinity;
      for (let i = 0; i < cur.length; i++) {
        const b = cur[i];
        if (b != null && b[pos[i]!]!.t < bestT) {
          best = i;
          bestT = b[pos[i]!]!.t;
        }
      }
      if (best < 0) break;
      const b = cur[best]!;
      out.push(b[pos[best]!++]!);
      if (pos[best]! >= b.length) await refill(best);
      if (out.length >= OUT_BATCH) {
        yield out;
        out = [];
      }
    }
    if (out.length > 0) yield out;
  } finally {
    // a consumer that stops early (an abort) closes every file
    await Promise.all(its.map((it) => it.return?.(undefined)));
  }
}
