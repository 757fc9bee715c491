/**
 * A live capture kept alive for `nml serve --syn-interface`: when tcpdump exits (the interface went
 * down, someone killed it), it is started again after a pause that doubles from 2 s to a minute, and the
 * board's `source` says meanwhile that the board is not fed and why. A review found a killed tcpdump
 * left the server running with an empty board, `/health` ok, and one line in its log.
 *
 * `ready` resolves once the first capture listens (or after READY_WAIT_MS, still starting), and rejects
 * when the first one fails before it listened (a misspelled interface, no permission to capture, no
 * tcpdump): the server then refuses to start, as it does for a capture file it cannot read.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { captureInterface, type InterfaceCapture } from './interface-capture.js';
import type { BoardSource } from './board-types.js';
import { newStats, type ReadStats, type SynPacket } from './types.js';

/** How long `ready` waits for the first capture to listen before the start goes on without its word. */
export const READY_WAIT_MS = 10_000;

export interface SupervisedCaptureOptions {
  iface: string;
  tcpdump?: string;
  onSyns(syns: SynPacket[]): void;
  /** where the state is told (the board's `source`) */
  source(s: BoardSource): void;
  /** a capture that stopped after it had listened, before it is started again */
  onError(e: unknown): void;
  onListening?(): void;
  /** pauses before a restart (ms): the first, and the most it doubles to */
  pauseMs?: { first: number; max: number };
  readyWaitMs?: number;
}

export interface SupervisedCapture {
  ready: Promise<void>;
  /** resolves after `stop()` (or a failed first start) with what every capture read */
  done: Promise<ReadStats>;
  stop(): void;
}

export function superviseCapture(o: SupervisedCaptureOptions): SupervisedCapture {
  const status: BoardSource = { kind: 'interface', name: o.iface, state: 'starting', error: null, restarts: 0 };
  const tell = (change: Partial<BoardSource>) => o.source(Object.assign(status, change));
  tell({});
  const total = newStats();
  const ac = new AbortController();
  let current: InterfaceCapture | null = null;
  let listened = false;
  let settle!: { resolve: () => void; reject: (e: unknown) => void };
  const ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  const wait = setTimeout(() => settle.resolve(), o.readyWaitMs ?? READY_WAIT_MS);
  wait.unref();
  const first = o.pauseMs?.first ?? 2000;
  const max = o.pauseMs?.max ?? 60_000;

  const run = async (): Promise<ReadStats> => {
    let pause = first;
    while (!ac.signal.aborted) {
      let why: string;
      let cap: InterfaceCapture | null = null;
      try {
        cap = current = captureInterface({
          iface: o.iface,
          ...(o.tcpdump === undefined ? {} : { tcpdump: o.tcpdump }),
          onSyns: o.onSyns,
          onListening: () => {
            pause = first;
            tell({ state: 'running', error: null });
            if (!listened) {
              listened = true;
              clearTimeout(wait);
              settle.resolve();
            }
            o.onListening?.();
          },
        });
        await cap.done;
        if (ac.signal.aborted) break;
        why = 'tcpdump ended (killed, or its interface went away)';
      } catch (e) {
        // the capture's message names the interface already: the restart's line and the board's note name it once
        why = (e instanceof Error ? e.message : String(e)).replace(`syn capture on ${o.iface}: `, '');
        if (!listened) {
          // the first capture never listened: the configuration is at fault, and the start says so
          tell({ state: 'failed', error: why });
          clearTimeout(wait);
          settle.reject(e);
          return total;
        }
        if (ac.signal.aborted) break;
      } finally {
        // what it read, whether it ended or failed
        if (cap !== null) add(total, cap.stats);
      }
      o.onError(new Error(`syn capture on ${o.iface}: ${why}; starting it again in ${Math.round(pause / 1000)} s`));
      tell({ state: 'restarting', error: why, restarts: status.restarts + 1 });
      await sleep(pause, undefined, { signal: ac.signal }).catch(() => undefined);
      pause = Math.min(pause * 2, max);
    }
    tell({ state: 'ended' });
    return total;
  };
  const done = run();
  return {
    ready,
    done,
    stop: () => {
      ac.abort();
      current?.stop();
    },
  };
}

function add(into: ReadStats, s: ReadStats): void {
  into.format = s.format;
  into.records += s.records;
  into.syns += s.syns;
  for (const [k, v] of Object.entries(s.skipped)) into.skipped[k as keyof ReadStats['skipped']] = (into.skipped[k as keyof ReadStats['skipped']] ?? 0) + v;
  if (s.truncatedOptions !== undefined) into.truncatedOptions = (into.truncatedOptions ?? 0) + s.truncatedOptions;
}
