/** Starting the live board for `nml serve --syn-pcap`: load the model, replay the capture in the background, stop cleanly. */
import type { FindingsSink } from '../detector.js';
import { replayCapture, SynLiveBoard } from './board.js';
import { SynModel } from './model.js';
import { DEFAULT_SYN_MODEL } from './paths.js';
import type { ReadStats } from './types.js';

export interface SynLive {
  board: SynLiveBoard;
  /** resolves when the replay has ended (null when it failed; see `onError`) */
  done: Promise<ReadStats | null>;
  stop(): void;
}

export function startSynLive(o: { pcap: string; speed: number; model: string | null; sink?: FindingsSink; onError: (e: unknown) => void; onDone?: (s: ReadStats) => void }): SynLive {
  const board = new SynLiveBoard({ model: SynModel.load(o.model ?? DEFAULT_SYN_MODEL), ...(o.sink === undefined ? {} : { sink: o.sink }) }).start();
  const ac = new AbortController();
  const done = replayCapture(board, o.pcap, { speed: o.speed, signal: ac.signal }).then(
    (s) => {
      board.flush();
      o.onDone?.(s);
      return s;
    },
    (e: unknown) => {
      o.onError(e);
      return null;
    },
  );
  return {
    board,
    done,
    stop: () => {
      ac.abort();
      board.stop();
    },
  };
}
