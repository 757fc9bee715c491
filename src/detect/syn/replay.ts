/** Replaying a capture file into the live board at capture speed × N, waiting for the board when it falls behind. */
import type { SynLiveBoard } from './board.js';
import { synBatches } from './read.js';
import { newStats, type ReadStats } from './types.js';

/** Changed hosts a replay lets the board fall behind by (at most a quarter of its hosts) before it stops to score them. */
const REPLAY_MAX_PENDING = 4096;
/** Filled windows (each a copy of 32 SYNs) a replay lets wait for scoring before it stops to score them. */
const REPLAY_MAX_WINDOWS = 8192;
/** SYNs a replay hands over at once */
const REPLAY_CHUNK = 256;

/** Replays a capture into the board at capture speed × `speed` (0: as fast as possible); resolves at its end. */
export async function replayCapture(board: SynLiveBoard, path: string, o: { speed?: number; signal?: AbortSignal; loop?: boolean } = {}): Promise<ReadStats> {
  const speed = o.speed ?? 1;
  const stats = newStats();
  const aborted = (): boolean => o.signal?.aborted === true;
  // changed hosts stay under half the board (a quarter waiting, a quarter handed over), so the least
  // recently seen host, the one a full board drops, has been scored
  const room = Math.max(1, board.maxHosts >> 2);
  do {
    let t0Capture = -1;
    let t0Wall = 0;
    for await (const batch of synBatches(path, stats)) {
      for (let i = 0; i < batch.length; ) {
        if (aborted()) return stats;
        const s = batch[i]!;
        if (t0Capture < 0) {
          t0Capture = s.t;
          t0Wall = performance.now();
        }
        const due = speed > 0 ? (s.t - t0Capture) / 1000 / speed - (performance.now() - t0Wall) : 0;
        if (due > 5) {
          await new Promise((r) => setTimeout(r, Math.min(due, 1000)));
          continue;
        }
        // hand over the packets already due, up to a chunk, in one call
        let j = i + 1;
        const end = Math.min(batch.length, i + Math.min(REPLAY_CHUNK, room));
        while (j < end && (speed <= 0 || (batch[j]!.t - t0Capture) / 1000 / speed <= performance.now() - t0Wall + 5)) j++;
        board.add(batch.slice(i, j));
        i = j;
        // a file can wait: while the board is far behind, score before reading on, so no host is
        // dropped unscored to make room and queued windows stay bounded (a live interface cannot wait;
        // there drops are counted)
        while ((board.pending > Math.min(REPLAY_MAX_PENDING, room) || board.queuedWindows > REPLAY_MAX_WINDOWS) && !aborted()) {
          await board.step();
          await new Promise((r) => setImmediate(r));
        }
        if (speed <= 0) await new Promise((r) => setImmediate(r));
      }
    }
  } while (o.loop === true && !aborted());
  return stats;
}
