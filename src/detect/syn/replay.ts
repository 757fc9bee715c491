/** Replaying a capture file into the live board at capture speed × N, waiting for the board when it falls behind. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { SynLiveBoard } from './board.js';
import { mergedSynBatches } from './merge.js';
import { synBatches } from './read.js';
import { newStats, type ReadStats, type SynPacket } from './types.js';

/** Changed hosts a replay lets the board fall behind by (at most a quarter of its hosts) before it stops to score them. */
const REPLAY_MAX_PENDING = 4096;
/** Filled windows (each a copy of 32 SYNs) a replay lets wait for scoring before it stops to score them. */
const REPLAY_MAX_WINDOWS = 8192;
/** SYNs a replay hands over at once */
const REPLAY_CHUNK = 256;

export interface ReplayOptions {
  /** capture speed × `speed`; 0: as fast as the board scores (default 1) */
  speed?: number;
  signal?: AbortSignal;
}

/** Replays a capture into the board at capture speed × `speed` (0: as fast as possible); resolves at its end. */
export async function replayCapture(board: SynLiveBoard, path: string, o: ReplayOptions & { loop?: boolean } = {}): Promise<ReadStats> {
  const stats = newStats();
  do await replaySyns(board, synBatches(path, stats), o);
  while (o.loop === true && o.signal?.aborted !== true);
  return stats;
}

/** Replays several captures of one period into the board as one, merged by time; returns each file's read stats. */
export async function replayCaptures(board: SynLiveBoard, paths: readonly string[], o: ReplayOptions = {}): Promise<ReadStats[]> {
  const stats = paths.map(() => newStats());
  await replaySyns(board, mergedSynBatches(paths, stats), o);
  return stats;
}

/** Hands batches of SYNs to the board at their capture pace, waiting for the board when it falls behind. */
async function replaySyns(board: SynLiveBoard, batches: AsyncIterable<SynPacket[]>, o: ReplayOptions): Promise<void> {
  const speed = o.speed ?? 1;
  const aborted = (): boolean => o.signal?.aborted === true;
  // changed hosts stay under half the board (a quarter waiting, a quarter handed over), so the least
  // recently seen host, the one a full board drops, has been scored
  const room = Math.max(1, board.maxHosts >> 2);
  let t0Capture = -1;
  let t0Wall = 0;
  // a step in capture time of more than the board's idle time, ahead or back, is not waited out: one
  // record stamped a day ahead (corrupt, or a wrong clock) stalled the replay for that day, and one a
  // day back replayed the rest of the file at full speed; the replay's timeline steps over it (`skip`),
  // and the board decides what the SYN's time means (board-state.ts `CaptureClock`)
  const jump = board.idleUs;
  let last = 0;
  let skip = 0;
  const dueMs = (t: number): number => (t - skip - t0Capture) / 1000 / speed - (performance.now() - t0Wall);
  for await (const batch of batches) {
    for (let i = 0; i < batch.length; ) {
      if (aborted()) return;
      const s = batch[i]!;
      if (t0Capture < 0) {
        t0Capture = last = s.t;
        t0Wall = performance.now();
      }
      if (Math.abs(s.t - last) > jump) skip += s.t - last;
      last = s.t;
      const due = speed > 0 ? dueMs(s.t) : 0;
      if (due > 5) {
        // ended by an abort too: a stop does not wait out the gap to the next SYN (up to a second)
        await sleep(Math.min(due, 1000), undefined, o.signal === undefined ? undefined : { signal: o.signal }).catch(notAborted);
        continue;
      }
      // hand over the packets already due, up to a chunk (and up to a step), in one call
      let j = i + 1;
      const end = Math.min(batch.length, i + Math.min(REPLAY_CHUNK, room));
      while (j < end && Math.abs(batch[j]!.t - batch[j - 1]!.t) <= jump && (speed <= 0 || dueMs(batch[j]!.t) <= 5)) j++;
      last = batch[j - 1]!.t;
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
}

/** An abort's rejection of a wait is its end; anything else is thrown on. */
function notAborted(e: unknown): void {
  if ((e as { name?: unknown }).name !== 'AbortError') throw e;
}
