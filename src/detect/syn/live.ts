/**
 * Starting the live board for `nml serve`: load the model, then feed it either a capture replayed at
 * capture speed (`syn.pcap`) or the SYNs of a network interface as they arrive (`syn.interface`,
 * through tcpdump); stop cleanly.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FindingsSink } from '../detector.js';
import { SynLiveBoard } from './board.js';
import { replayCapture } from './replay.js';
import { captureInterface } from './interface-capture.js';
import { SynBatchScorer, SynModel } from './model.js';
import { DEFAULT_SYN_MODEL } from './paths.js';
import type { ReadStats } from './types.js';

export interface SynLive {
  board: SynLiveBoard;
  /** resolves when the replay or capture has ended (null when it failed; see `onError`) */
  done: Promise<ReadStats | null>;
  stop(): void;
}

export type SynLiveSource = { pcap: string; speed: number } | { iface: string; tcpdump?: string | null };

export function startSynLive(
  o: SynLiveSource & { model: string | null; sink?: FindingsSink; threshold?: number; ignore?: readonly string[]; findingsPerMinute?: number; onError: (e: unknown) => void; onBoardError?: (e: unknown) => void; onDone?: (s: ReadStats) => void; onListening?: () => void },
): SynLive {
  const model = SynModel.load(o.model ?? DEFAULT_SYN_MODEL);
  const board = new SynLiveBoard({
    model,
    // an interface's SYNs carry the wall clock's time: a quiet interface still moves capture time on
    ...('iface' in o ? { clockUs: () => Date.now() * 1000 } : {}),
    ...(o.sink === undefined ? {} : { sink: o.sink }),
    ...(o.threshold === undefined ? {} : { threshold: o.threshold }),
    ...(o.ignore === undefined ? {} : { ignore: o.ignore }),
    ...(o.findingsPerMinute === undefined ? {} : { findingsPerMinute: o.findingsPerMinute }),
    onError: (e) => (o.onBoardError ?? o.onError)(e),
  }).start();
  // the board scores through onnxruntime once its session has loaded (the TypeScript pass until then)
  const scorer = SynBatchScorer.create(model).then(
    (s) => (board.useScorer(s), s),
    (e: unknown) => ((o.onBoardError ?? o.onError)(e), null),
  );
  let stopSource: () => void;
  let stopped = false;
  let ended: Promise<ReadStats>;
  if ('iface' in o) {
    const cap = captureInterface({
      iface: o.iface,
      ...(o.tcpdump == null ? {} : { tcpdump: o.tcpdump }),
      onSyns: (syns) => board.add(syns),
      ...(o.onListening === undefined ? {} : { onListening: o.onListening }),
    });
    stopSource = () => cap.stop();
    ended = cap.done;
  } else {
    const ac = new AbortController();
    stopSource = () => ac.abort();
    ended = replayCapture(board, o.pcap, { speed: o.speed, signal: ac.signal });
  }
  const done = ended.then(
    async (s) => {
      board.flush();
      // a replay is over: once the board has caught up, each flagged host's finding tells all it did
      for (let i = 0; i < 600 && board.pending > 0 && !stopped; i++) await sleep(100);
      if (!stopped) board.settle();
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
      stopped = true;
      stopSource();
      board.stop();
      void scorer.then((s) => s?.close());
    },
  };
}
