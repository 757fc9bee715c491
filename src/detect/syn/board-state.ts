/** What the SYN board keeps per host (board.ts's own state, apart so that file stays readable). */
import type { SynPacket } from './types.js';
import type { HostWindow } from './image.js';
import type { WindowRun } from './window-run.js';
import type { DistinctAddrs, DistinctPorts } from './distinct.js';

/** A window that filled since the last flush: its SYNs (with the one before, for the first row's gap) and counts. */
export interface FilledWindow {
  syns: SynPacket[];
  w: HostWindow;
}

export interface State {
  ip: string;
  recent: SynPacket[];
  /** windows filled since the last flush */
  filled: FilledWindow[];
  /** the scores of the filled windows, as the host score needs them */
  run: WindowRun;
  /** the latest, partial window's score at the last scoring (none when the host's SYNs filled whole windows) */
  partial: number | undefined;
  /** the latest, partial window is not scored yet (`partialsAtEnd`): its score waits for the host's totals */
  stale: boolean;
  count: number;
  /** distinct destination ports (exact) and addresses (exact up to 256, then estimated): distinct.ts */
  ports: DistinctPorts;
  dsts: DistinctAddrs;
  firstSeen: number;
  lastSeen: number;
  score: number;
  maxScore: number;
  dirty: boolean;
  /** capture time (µs) of the host's latest finding */
  recordedAt: number;
  /** the host's SYN count when it was last recorded as a finding of its own (0: never) */
  recordedCount: number;
}
