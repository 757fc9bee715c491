/**
 * A flood or wave on the SYN board (a group of summed sources) and the few-SYN thresholds it is counted
 * by: what board-findings.ts sums and board-flood-findings.ts tells. Apart so that both import it and
 * neither imports the other (they did, a cycle).
 */
import type { EarlierFlood, Episode, Example } from './flood-episodes.js';

/** Hosts with at most this many SYNs show no behaviour of their own: held within the budget (FEW_HOLD_US), summed per destination past it. */
export const FEW_SYNS = 2;

/**
 * Few-SYN sources past the budget that make a victim's SYN flood (fewer join the port's wave, and so do
 * a victim's when they are under half of its port's wave: a wave spread over many victims).
 */
export const FLOOD_SOURCES = 20;

/**
 * Hosts with fewer SYNs than this, all to one port, are brief members of a wave: once their port's wave
 * is established they join it (a botnet's bots that tried a port three or four times) rather than each
 * being a row.
 */
export const WAVE_MEMBER_SYNS = 32;

/** A flood (one victim and port) or wave (one port) being summed: its sources, span, episodes and earlier ones. */
export interface Group {
  kind: 'flood' | 'wave';
  dst: string;
  dport: number;
  sources: number;
  maxScore: number;
  /** up to five sources, with the victim each sent to */
  examples: Example[];
  firstSeen: number;
  /** the latest SYN of its sources (µs): `Stretches` keeps it */
  last: number;
  /** capture time (µs) its first source joined */
  began: number;
  /** a wave's one victim while all its sources are few-SYN sources of that victim; null once they are not */
  victim: string | null;
  /** recorded at least once */
  shown: boolean;
  /** every source so far had 1–FEW_SYNS SYNs */
  allFew: boolean;
  /** worth a row at the last flush it was touched in (`worthARow`) */
  worthy: boolean;
  /** a wave's few-SYN sources per victim (at most board-findings.ts's VICTIMS_TRACKED victims), for a flood to take its own back */
  victims: Map<string, number>;
  /** a flood's episodes: the first and the latest few (flood-episodes.ts) */
  episodes: Episode[];
  /** how many episodes it has had, those no longer kept too */
  episodeCount: number;
  /** the span of its episodes no longer kept */
  dropped?: { first: number; last: number; sources: number };
  /** a flood's victim's earlier floods, each quiet `quietUs` before the next began (FloodHistory) */
  earlier: EarlierFlood[];
  earlierCount: number;
  /**
   * what its row told before the server last restarted, when it went on after (board-recall.ts
   * `recalledGroup`), and how many restarts it has gone on across (each one's split is not kept: the
   * latest's totals hold the ones before)
   */
  beforeRestart?: { last: number; sources: number; restarts: number };
}
