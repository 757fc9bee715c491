/** The live board's shapes: its hosts and images as the API serves them, its options, and what it needs of a batch scorer. */
import type { Explanation, FindingsSink } from '../detector.js';
import type { HostWindow } from './image.js';
import type { SynModel } from './model.js';
import type { SynPacket } from './types.js';
import type { RunSummary } from './window-run.js';
import type { RecalledFlood } from './board-recall.js';

export interface BoardHost {
  ip: string;
  score: number;
  /** highest score this host has had */
  maxScore: number;
  packets: number;
  distinctPorts: number;
  distinctDsts: number;
  /** ms since the epoch (capture time) */
  firstSeen: number;
  lastSeen: number;
  /**
   * off the live board (no SYN for the idle time, or pushed off a full board) and listed because it is a
   * finding of its own (or held for the findings budget's word): kept for `keepFlaggedMs` after its last
   * SYN, at most `maxKeptFlagged` of them (board-kept.ts); a SYN brings it back onto the board
   */
  idle: boolean;
  explanation: Explanation;
}

export interface BoardImage {
  rows: number;
  cols: number;
  pixels: number[];
  rowLabel: string;
  colGroups: { name: string; from: number; to: number }[];
}

/**
 * What a host sent its SYNs to: the destination ports and addresses it sent most SYNs to (at most
 * TARGETS_SHOWN of each, most first), from TOP_KEPT counters per kind (top-counts.ts). A count is exact
 * when `over` is 0; past TOP_KEPT distinct values a count may be up to `over` too high, and only counts
 * known to be 2 or more are listed. `morePorts` and `moreDsts` are the distinct values not listed (ports
 * exact; addresses estimated past 256, `dstsExact` false). `portRuns`: every port it sent to, as runs of
 * consecutive ports (exact, from the distinct ports' map), at most PORT_RUNS_SHOWN, `morePortRuns` left out.
 */
export interface BoardTargets {
  ports: { port: number; syns: number; over: number }[];
  morePorts: number;
  portRuns: { from: number; to: number }[];
  morePortRuns: number;
  dsts: { ip: string; syns: number; over: number }[];
  moreDsts: number;
  dstsExact: boolean;
}

/** One host as `host()` serves it: its row, its latest window's image with saliency, and what it sent SYNs to. */
export interface HostDetail {
  host: BoardHost;
  image: BoardImage;
  saliency: number[];
  targets: BoardTargets;
}

export interface SynLiveBoardOptions {
  model: SynModel;
  /** most hosts kept; the least recently seen go first (default 20,000) */
  maxHosts?: number;
  /**
   * hosts silent this long in capture time are dropped (default 10 min); a SYN stamped further ahead of
   * the board's capture time is not taken at once (board-state.ts `CaptureClock`)
   */
  idleMs?: number;
  /**
   * a host that is a finding of its own stays this long (capture time) after its last SYN, off the live
   * list but served by `host()` with its image and explanation, so that the board link of an open finding
   * still works after the host went idle (default 24 h); a host seen again in that time takes up its
   * state where it left
   */
  keepFlaggedMs?: number;
  /** most hosts so kept; past it the one kept longest goes (default 2,000, a tenth of `maxHosts`' default: a host that scanned 4,096 ports and addresses takes about 25 KB, board-memory.test.ts, so at most about 50 MB) */
  maxKeptFlagged?: number;
  /**
   * capture time now (µs since the epoch), for a source whose SYNs carry the wall clock's time (a
   * network interface): each flush moves the board's capture time on to it, so that when the interface
   * goes quiet, idle hosts still leave with their last record and a held wave still becomes a row after
   * its minute. Absent (a replay): capture time moves only with the SYNs. A SYN stamped more than
   * `idleMs` ahead of this clock is dropped and counted (`aheadPackets`).
   */
  clockUs?: () => number;
  /** re-scoring period (default 500 ms) */
  intervalMs?: number;
  sink?: FindingsSink;
  /** the `syn-flood` and `syn-wave` rows of the findings store, recalled so that the next flood against a victim (port) tells them after a restart (board-recall.ts) */
  recall?: readonly RecalledFlood[];
  /** default: the model's threshold */
  threshold?: number;
  /** source addresses or prefixes never scored or reported (`syn.ignore`; see ignore.ts) */
  ignore?: readonly string[];
  /**
   * wall-clock ms one flush may spend re-scoring (default 100); hosts left over stay changed for the
   * next flush, so a flood of new sources slows the board instead of blocking the process
   */
  flushBudgetMs?: number;
  /**
   * hosts of 1–2 SYNs reported one by one per minute of capture time (default 0: none, each is summed
   * into its victim's `syn-flood` or its port's `syn-wave`; board-findings.ts), each a minute after its
   * SYN, when no flood has shown it to be one of its spoofed sources
   */
  fewSynFindingsPerMinute?: number;
  /** hosts reported one by one per minute of capture time in all (default 60; board-findings.ts) */
  findingsPerMinute?: number;
  /**
   * scores windows in batches off the TypeScript pass (onnxruntime: `SynBatchScorer`), about three times
   * the TypeScript pass's rate on full windows; the timer's flushes use it (`flushAsync`). Absent: the
   * TypeScript pass. Explanations always use the TypeScript pass.
   */
  scorer?: WindowScorer;
  /**
   * called for each host the board drops (idle, or the least recently seen of a full board) with its
   * window sums, so a caller can keep every host's final score (`nml score syn --stream`)
   */
  onDrop?: (h: HostTotals) => void;
  /**
   * for a replay that wants only every host's final totals (`nml score syn --stream`: no listeners, no
   * sink): flushes score only the windows that filled, and a host's latest partial window is scored once,
   * when the board drops it (`onDrop`) or at `finalTotals()`. Re-scoring every changed host's partial
   * window at each flush made a capture of 8,192 interleaved hosts 5× slower than the same SYNs grouped.
   * Scores seen between flushes then leave the partial window out.
   */
  partialsAtEnd?: boolean;
  /** a failure in a timer's flush: the scorer's (the board goes on with the TypeScript pass) or any other; reported, never thrown */
  onError?: (err: unknown) => void;
}

/**
 * A host as the board held it when it dropped it: its windows' run summary (`summaryScore(run)` is the
 * board's score). A host dropped and seen again has one of these per stay; `nml score syn --stream`
 * joins them with `joinRuns`, so a host's score is the best run of 4 over all its stays' windows.
 */
export interface HostTotals {
  ip: string;
  run: RunSummary;
  packets: number;
  /** false when it was dropped before its last SYNs were scored */
  scored: boolean;
}

/** What the board needs of a batch scorer (`SynBatchScorer` has it). */
export interface WindowScorer {
  scoreWindows(items: readonly { syns: readonly SynPacket[]; w: HostWindow }[]): Promise<Float32Array>;
}

/** What the board holds and what it could not keep up with (the hosts API's `stats`). */
/** Where the board's SYNs come from, and whether they still do (set by live.ts). */
export interface BoardSource {
  kind: 'interface' | 'replay';
  /** the interface name or the capture file */
  name: string;
  /** `restarting`: tcpdump exited and is started again after a pause; `failed`: the source stopped for good */
  state: 'starting' | 'running' | 'restarting' | 'ended' | 'failed';
  /** why it last stopped, when it did not end of itself */
  error: string | null;
  /** how often the capture was started again */
  restarts: number;
}

export interface BoardStats {
  threshold: number;
  packets: number;
  tracked: number;
  maxHosts: number;
  evicted: number;
  evictedUnscored: number;
  backlog: number;
  ignoredPackets: number;
  /** SYNs stamped further ahead of the board's capture time than the idle time, not taken (a corrupt record, a wrong clock; board-state.ts) */
  aheadPackets: number;
  /** null when nothing feeds the board (a board in tests) */
  source: BoardSource | null;
  /** findings off the live board, kept and listed as `idle` (not in `tracked`) */
  kept: number;
  /** most findings so kept (`maxKeptFlagged`) */
  maxKept: number;
  /** ms of capture time a finding is kept after its last SYN (`keepFlaggedMs`) */
  keepMs: number;
  /**
   * The board's capture time (ms since the epoch): its latest SYN's, moved on by a quiet interface's
   * clock; null before a SYN. Hosts' `lastSeen` are on this clock: a replayed capture's "ago" is measured
   * from it, not from the wall clock (a capture from last year read "365d ago" on every row).
   */
  captureNow: number | null;
}
