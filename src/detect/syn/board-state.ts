/** What the SYN board keeps per host (board.ts's own state, apart so that file stays readable). */
import type { SynPacket } from './types.js';
import type { HostWindow } from './image.js';
import type { WindowRun } from './window-run.js';
import type { DistinctAddrs, DistinctPorts } from './distinct.js';
import type { TopCounts } from './top-counts.js';

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
  /** the ports and addresses it sent most SYNs to, TOP_KEPT counters each (top-counts.ts): the host panel's lists */
  topPorts: TopCounts<number>;
  topDsts: TopCounts<string>;
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

/** SYNs in a row, all far ahead of the board's capture time, that show a replayed capture itself moved on (a silence longer than the idle time) rather than a stray record. */
export const AHEAD_RUN = 4;

/**
 * The board's capture time: the latest SYN's, or the source's clock when it has one and is ahead (an
 * interface's SYNs carry the wall clock's time). One SYN stamped far ahead (a corrupt record, a pcapng
 * interface with a wrong `if_tsoffset`, a host's wrong clock) would move it on by that much, and at the
 * next flush every host on the board would look idle and leave. So a SYN more than `maxAheadUs` (the
 * idle time: a step past it drops every host at once) ahead of it is not taken at once:
 * - with a source clock, it is dropped: the clock says its time is wrong;
 * - in a replay, whose times may lie anywhere in the past, it waits: AHEAD_RUN such SYNs in a row mean
 *   the capture moved on, and they are taken in order; a SYN back near the board's time means they
 *   were stray, and they are dropped. Before the first SYN, the wall clock is the board's time (so a
 *   capture whose first record is the stray one does not start the board a day ahead; a machine whose
 *   clock is behind the capture still takes it, AHEAD_RUN SYNs late).
 * `ahead` counts the SYNs not taken (dropped, or waiting for the next ones to tell).
 */
export class CaptureClock {
  now = 0;
  ahead = 0;
  private run: SynPacket[] = [];
  private confirmed: SynPacket[] = [];

  constructor(
    private readonly maxAheadUs: number,
    private readonly sourceUs?: () => number,
  ) {}

  /** The source's clock (0 without one), read once per batch of SYNs. */
  source(): number {
    return this.sourceUs?.() ?? 0;
  }

  /** At a flush: capture time, moved on to the source's clock when that is ahead (a quiet interface). */
  tick(): number {
    this.now = Math.max(this.now, this.source());
    return this.now;
  }

  /** Whether the board takes `s` now; false with `released()` not empty when `s` ended a run far ahead that the board now takes whole. */
  admit(s: SynPacket, source: number): boolean {
    // before a replay's first SYN the wall clock stands in (no capture is from the future); its SYNs may be years old
    const ref = Math.max(this.now, source) || Date.now() * 1000;
    if (s.t <= ref + this.maxAheadUs) {
      if (this.run.length > 0) this.run = []; // a stray run: it stays counted in `ahead`
      if (s.t > this.now) this.now = s.t;
      return true;
    }
    this.ahead++;
    if (source > 0) return false;
    this.run.push(s);
    if (this.run.length < AHEAD_RUN) return false;
    this.confirmed = this.run;
    this.run = [];
    this.ahead -= this.confirmed.length;
    for (const x of this.confirmed) if (x.t > this.now) this.now = x.t;
    return false;
  }

  /** The run of SYNs far ahead that the last `admit` confirmed, once (usually none). */
  released(): readonly SynPacket[] {
    const r = this.confirmed;
    if (r.length > 0) this.confirmed = [];
    return r;
  }
}
