/**
 * Starting the live board for `nml serve`: load the model, then feed it either a capture replayed at
 * capture speed (`syn.pcap`) or the SYNs of a network interface as they arrive (`syn.interface`,
 * through tcpdump); stop cleanly.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import type { FindingsSink } from '../detector.js';
import { SynLiveBoard } from './board.js';
import type { RecalledFlood } from './board-recall.js';
import { replayCapture } from './replay.js';
import { superviseCapture } from './interface-supervisor.js';
import { SynBatchScorer, SynModel } from './model.js';
import { DEFAULT_SYN_MODEL } from './paths.js';
import type { ReadStats } from './types.js';

export interface SynLive {
  board: SynLiveBoard;
  /**
   * settles when the source has started: a replay at once; a capture once tcpdump listens (or after
   * READY_WAIT_MS), rejecting when its first start failed (no such interface, no permission, no tcpdump)
   */
  ready: Promise<void>;
  /** resolves when the replay or capture has ended (null when it failed; see `onError`) */
  done: Promise<ReadStats | null>;
  /**
   * Stops the source and the board, after the board has scored what it holds (for at most
   * STOP_FLUSH_MS) and made its last records: each flagged host's growth since its last record, and
   * the waves held back. Resolves when they are handed to the sink; await it before the sink closes.
   */
  stop(): Promise<void>;
}

/** Wall time a stop gives the board to score what it holds, and the source to end, before the last records. */
export const STOP_FLUSH_MS = 5000;

export type SynLiveSource = { pcap: string; speed: number } | { iface: string; tcpdump?: string | null };

export function startSynLive(
  o: SynLiveSource & { model: string | null; sink?: FindingsSink; threshold?: number; ignore?: readonly string[]; findingsPerMinute?: number; fewSynFindingsPerMinute?: number; keep?: { ms: number; max: number }; recall?: readonly RecalledFlood[]; onError: (e: unknown) => void; onBoardError?: (e: unknown) => void; onDone?: (s: ReadStats) => void; onListening?: () => void },
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
    ...(o.fewSynFindingsPerMinute === undefined ? {} : { fewSynFindingsPerMinute: o.fewSynFindingsPerMinute }),
    ...(o.keep === undefined ? {} : { keepFlaggedMs: o.keep.ms, maxKeptFlagged: o.keep.max }),
    ...(o.recall === undefined ? {} : { recall: o.recall }),
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
  let ready: Promise<void>;
  if ('iface' in o) {
    // tcpdump is started again when it exits; the board's source says so meanwhile
    const cap = superviseCapture({
      iface: o.iface,
      ...(o.tcpdump == null ? {} : { tcpdump: o.tcpdump }),
      onSyns: (syns) => board.add(syns),
      source: (s) => (board.source = { ...s }),
      onError: o.onError,
      ...(o.onListening === undefined ? {} : { onListening: o.onListening }),
    });
    stopSource = () => cap.stop();
    ended = cap.ready.then(() => cap.done);
    ready = cap.ready;
  } else {
    const ac = new AbortController();
    stopSource = () => ac.abort();
    board.source = { kind: 'replay', name: o.pcap, state: 'running', error: null, restarts: 0 };
    ended = replayCapture(board, o.pcap, { speed: o.speed, signal: ac.signal }).then(
      // a file cut short (still being copied or written) ended early: the board says so, as `nml score syn` does
      (s) => ((board.source = { ...board.source!, state: 'ended', error: s.truncatedAt === undefined ? null : cutShortText(o.pcap, s) }), s),
      (e: unknown) => {
        board.source = { ...board.source!, state: 'failed', error: e instanceof Error ? e.message : String(e) };
        throw e;
      },
    );
    ready = Promise.resolve();
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
  const boardError = (e: unknown) => (o.onBoardError ?? o.onError)(e);
  let stopping: Promise<void> | null = null;
  const stop = async (): Promise<void> => {
    stopped = true;
    stopSource();
    board.stop();
    const deadline = performance.now() + STOP_FLUSH_MS;
    // the source's last SYNs (a replay ends at its next batch, tcpdump when it exits), for a bounded time
    const ac = new AbortController();
    await Promise.race([ended.then(noop, noop), sleep(STOP_FLUSH_MS, undefined, { signal: ac.signal }).catch(noop)]);
    ac.abort();
    try {
      // the board scores what it holds (each step one flush budget), then every flagged host's finding
      // tells what it did since its last record, and the waves held back for a flood are rows
      do await board.step();
      while (board.pending > 0 && performance.now() < deadline);
      board.settle();
    } catch (e) {
      boardError(e);
    }
    // awaited: an onnxruntime session still loading or open kept the process alive past the stop
    await scorer.then((s) => s?.close()).catch(boardError);
  };
  return { board, ready, done, stop: () => (stopping ??= stop()) };
}

const noop = (): void => undefined;

/** Why a replay ended before its file's end: the file stops inside a packet (`truncatedAt`). */
export function cutShortText(file: string, s: ReadStats): string {
  return `${file} ends inside a packet at byte ${s.truncatedAt} (cut short: copied or read while still being written?): the board holds the ${s.syns.toLocaleString('en-US')} SYNs before it; the rest is not in the file`;
}
