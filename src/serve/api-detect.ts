/** The detectors' API shapes: the SYN live board and URL scoring (re-exported by api.ts, which the UI reads). */

// ---- SYN detector live board (GET /api/detect/syn/hosts, /hosts/:ip, WS /api/detect/syn/live) ----

export interface SynBoardHost {
  ip: string;
  /** probability the host is malicious (over its 32-SYN windows: the best mean of 4 in a row, as `nml score syn` gives it), in [0, 1] */
  score: number;
  maxScore: number;
  packets: number;
  distinctPorts: number;
  distinctDsts: number;
  /** capture time, ms since the epoch */
  firstSeen: number;
  lastSeen: number;
  /**
   * off the live board (no SYN for its idle time, 10 minutes, or pushed off a full board) and listed
   * because it is a finding of its own: kept `stats.keepMs` after its last SYN, at most `stats.maxKept`
   */
  idle: boolean;
  explanation: { summary: string; detail: unknown };
}

/** What the board holds and what it could not keep up with, so the page can say so. */
export interface SynBoardStats {
  /** findings from this score up */
  threshold: number;
  /** SYNs received, ignored ones included */
  packets: number;
  /** source hosts on the board now */
  tracked: number;
  /** most hosts the board keeps */
  maxHosts: number;
  /** hosts dropped: idle too long, or the least recently seen when the board was full */
  evicted: number;
  /** of those, hosts dropped to make room before their last SYNs were scored: the board was full and behind */
  evictedUnscored: number;
  /** changed hosts waiting to be re-scored (the last flush ran out of time) */
  backlog: number;
  /** SYNs from sources on `syn.ignore`, not scored */
  ignoredPackets: number;
  /** SYNs stamped further ahead of the board's capture time than its idle time (a corrupt record, a wrong clock), not scored */
  aheadPackets: number;
  /** what feeds the board and whether it still does (null: nothing does) */
  source: SynBoardSource | null;
  /** findings off the live board, listed as `idle` (not counted in `tracked`) */
  kept: number;
  /** most findings so kept (`syn.maxKeptFindings`) */
  maxKept: number;
  /** ms of capture time a finding is kept after its last SYN (`syn.keepFindingsHours`) */
  keepMs: number;
  /** the board's capture time (ms since the epoch; null before a SYN): hosts' lastSeen are on this clock, years behind the wall clock for an old capture replayed */
  captureNow: number | null;
}

/** A live capture that died (tcpdump exited) shows here, while it is started again, and the page says so. */
export interface SynBoardSource {
  kind: 'interface' | 'replay';
  /** the interface or the capture file */
  name: string;
  state: 'starting' | 'running' | 'restarting' | 'ended' | 'failed';
  /** why it last stopped, when it did not end of itself */
  error: string | null;
  /** how often the capture was started again */
  restarts: number;
}

export interface SynHostsResponse {
  hosts: SynBoardHost[];
  updatedAt: number;
  stats: SynBoardStats;
}

export interface SynHostResponse {
  host: SynBoardHost;
  image: { rows: number; cols: number; pixels: number[]; rowLabel: string; colGroups: { name: string; from: number; to: number }[] };
  /** gradient × input per pixel, row-major like `pixels` */
  saliency: number[];
  targets: SynHostTargets;
}

/**
 * What the host sent its SYNs to: the destination ports and addresses it sent most SYNs to (at most 10 of
 * each, most first). The board keeps 32 counters per host for each (a host spraying 60,000 ports keeps
 * 32, not 60,000): while a host has sent to at most 32 distinct ports (addresses) every count is exact
 * (`over` 0); past that a count may be up to `over` too high, so the host sent at least `syns - over`,
 * and only counts known to be 2 or more are listed (a spray's read "1–13", which says nothing).
 */
export interface SynHostTargets {
  ports: { port: number; syns: number; over: number }[];
  /** distinct ports the host sent SYNs to that are not listed (exact) */
  morePorts: number;
  /** every port the host sent SYNs to, as runs of consecutive ports, lowest first (exact; at most 16 runs) */
  portRuns: { from: number; to: number }[];
  /** runs left out of `portRuns` */
  morePortRuns: number;
  dsts: { ip: string; syns: number; over: number }[];
  /** distinct addresses not listed: exact while `dstsExact`, estimated past 256 addresses (within about 1%) */
  moreDsts: number;
  dstsExact: boolean;
}

export type SynLiveMessage =
  | {
      type: 'hosts';
      hosts: SynBoardHost[];
      updatedAt: number;
      stats: SynBoardStats;
      /** kept findings (listed as idle) that left the list for good since the last message: drop their rows */
      gone?: string[];
    }
  /**
   * every `intervalMs` (10 s), whether or not anything changed, so that a client can tell a quiet board
   * from a server that stopped talking: `at` is the server's clock when sent
   */
  | { type: 'heartbeat'; at: number; intervalMs: number }
  /**
   * the server skipped changes for this client (its send buffer was full: a slow link) and has caught up:
   * the hosts messages before this one miss some; read the board again (`GET /api/detect/syn/hosts`)
   */
  | { type: 'resync'; skipped: number }
  /** before a close: too many live boards are open (WS_TOO_MANY_CLIENTS) */
  | { type: 'error'; error: { code: string; message: string } };

// ── POST /api/detect/url ──

export interface DetectUrlRequest {
  urls: string[];
  /** default true; false returns scores only */
  explain?: boolean;
}

/**
 * One item's result: a score (with an explanation when asked), or an error for an item that could not be
 * scored. An item holding a space is read as a log line (a squid access.log line, say) and scored by the
 * highest of the URLs it names; one naming none is the error URL_NOT_FOUND.
 */
/** What a deception rule found (detect/url/deception.ts `UrlDeception`), told apart by `rule`. */
export type DetectUrlDeception = { rule: 'userinfo-host'; userinfo: string; named: string; host: string } | { rule: 'idn-homograph'; host: string; shown: string; looksLike: string };

export interface DetectUrlResult {
  /** the item as given */
  subject: string;
  score?: number;
  explanation?: { summary: string; detail?: unknown };
  error?: { code: string; message: string };
  /** an item read as a log line: the item as given */
  item?: string;
  /** a log line: the URL it names that gave the score, as findings write it (no scheme, host in lower case) */
  scored?: string;
  /** a log line naming more than one URL: each with its score, in the line's order */
  urls?: { url: string; score: number }[];
  /**
   * `explain: false` only: a deception rule fired; with explanations it is `explanation.detail.deception`.
   * A rule beside the model: `score` stays the model's. `rule` tells which: 'userinfo-host' (the item
   * names a host before `@`, such as `http://paypal.com@evil.tk/`; its password part written `:…`) or
   * 'idn-homograph' (its host, `http://xn--pypal-4ve.com/`, shows as a look-alike of a popular domain)
   */
  deception?: DetectUrlDeception;
  /**
   * an item read as a log line: each URL of it a deception rule fired on (`url` as findings write it), in
   * the line's order, with or without explanations; `deception` (`detail.deception`) is one of them
   */
  deceptions?: (DetectUrlDeception & { url: string })[];
}

export interface DetectUrlResponse {
  modelVersion: string;
  /** the score at or above which an item is flagged, as live findings are: `url.threshold`, else the model's */
  threshold: number;
  results: DetectUrlResult[];
}
