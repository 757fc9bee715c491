/**
 * Budgeted reads of the relation index for one pivot, scope or clients question. The index is
 * synchronous SQLite on the server's event loop, so a hub (`port:443`, a resolver) or a scanner (a host
 * that reached 60,000 addresses an hour) must not be read whole: each direction has a row budget, and
 * the question has a time budget checked between reads, so one request holds the loop for a bounded
 * time and says what it left out rather than blocking every other request for tens of seconds.
 */
import type { TimeRange } from '../core/index.js';
import type { EdgeQuery, EdgeSummary } from '../store/index.js';

/** What the investigator reads: the store's RelationIndex (or a fake in tests). */
export interface RelationSource {
  edges(entity: string, range: TimeRange, q?: EdgeQuery): EdgeSummary[];
  fanIn(dsts: readonly string[], kinds: readonly string[], range: TimeRange, cap: number): Map<string, number>;
  sourcesOf(dsts: readonly string[], kinds: readonly string[], range: TimeRange): Map<string, Set<string>>;
  /** the sources of one destination, at most `max` of them (optional: sourcesOf otherwise, unbounded) */
  sourcesOfOne?(dst: string, kinds: readonly string[], range: TimeRange, max: number): Set<string>;
  /**
   * How many edges of `kinds` leave `src` in the range (summed over files, each file's count stopped past
   * `cap`: Infinity then), from the primary key without reading rows. Optional: the store's
   * RelationIndex does not have it yet, and `edgesOut` then reads period by period instead.
   */
  fanOut?(src: string, kinds: readonly string[], range: TimeRange, cap: number): number;
  /** the files answering for the range, oldest first (period files and roll-ups; both are aligned to the period) */
  files(range: TimeRange): readonly { start: number; end: number }[];
}

const DAY_MS = 86_400_000;
/**
 * Edge rows read per direction of a pivot at most (summed over files), so that a hub over a week costs a
 * bounded time. In-edges are counted from the (dst, kind, src) index first; see `edgesIn`, `edgesOut`.
 */
export const PIVOT_ROW_BUDGET = 20_000;
/**
 * Work one question may do before it stops and answers with what it has (`timedOut`): checked between
 * reads, so a request holds the event loop for about this long plus one read.
 */
export const PIVOT_TIME_BUDGET_MS = 250;

/** Identity lookups per answer (each costs a few index reads). */
export const MAX_IDENTITIES = 25;
/** the windows (ending where the range ends) an over-budget relation is read over, widest first */
const PIVOT_WINDOWS_MS = [7 * DAY_MS, DAY_MS, 6 * 3_600_000, 3_600_000, 900_000, 60_000];

/** A question's time budget on a monotonic clock (injectable for tests). */
export class Deadline {
  private readonly until: number;
  /** set once a read was skipped because the budget was spent */
  timedOut = false;

  constructor(
    ms: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.until = clock() + ms;
  }

  /** Whether the budget is spent; marks the answer as cut short when it is (the caller skips the read). */
  spent(): boolean {
    if (this.clock() < this.until) return false;
    this.timedOut = true;
    return true;
  }
}

export interface BudgetedEdges {
  edges: EdgeSummary[];
  /** per kind read only in part: where its reading started (the end of the range when nothing of it was read) */
  partial: Map<string, number>;
}

/**
 * The edges of `kinds` into `key` within `budget` rows, counted from the (dst, kind, src) index first
 * (see `counted`).
 */
export function edgesIn(rel: RelationSource, key: string, range: TimeRange, kinds: readonly string[], end: number, deadline: Deadline, budget = PIVOT_ROW_BUDGET): BudgetedEdges {
  const count = (ks: readonly string[], r: TimeRange, cap: number): number => rel.fanIn([key], ks, r, cap).get(key) ?? 0;
  return counted(rel, key, range, kinds, 'in', count, end, deadline, budget);
}

/**
 * The edges of `kinds` at `key` in one direction within `budget` rows, counted first. Relations are
 * read whole, smallest first, while they fit; one that does not is read over the latest window of the
 * range that fits (PIVOT_WINDOWS_MS), and `partial` says where its reading started.
 */
function counted(
  rel: RelationSource,
  key: string,
  range: TimeRange,
  kinds: readonly string[],
  direction: 'in' | 'out',
  count: (kinds: readonly string[], r: TimeRange, cap: number) => number,
  end: number,
  deadline: Deadline,
  budget: number,
): BudgetedEdges {
  const partial = new Map<string, number>();
  if (count(kinds, range, budget) <= budget) return { edges: rel.edges(key, range, { direction, kinds }), partial };
  const whole: string[] = [];
  const over: string[] = [];
  const sizes = kinds
    .map((k, i) => [k, count([k], range, budget), i] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => a[1] - b[1] || a[2] - b[2]);
  for (const [k, n] of sizes) {
    if (n <= budget) {
      whole.push(k);
      budget -= n;
    } else over.push(k);
  }
  const edges = whole.length > 0 ? rel.edges(key, range, { direction, kinds: whole }) : [];
  for (const k of over) {
    let readFrom = end;
    for (const span of PIVOT_WINDOWS_MS) {
      if (deadline.spent()) break;
      const from = end - span;
      if (range.from !== null && from <= range.from) continue;
      const window: TimeRange = { from, to: range.to };
      const n = count([k], window, budget);
      if (n > budget) continue;
      edges.push(...rel.edges(key, window, { direction, kinds: [k] }));
      budget -= n;
      readFrom = from;
      break;
    }
    partial.set(k, readFrom);
  }
  return { edges, partial };
}

/**
 * The edges of `kinds` out of `key` within `budget` rows. Where the index counts by source (`fanOut`)
 * they are counted first, as edges in are (`counted`); else they are read newest first, in windows that
 * end where the last one began, on period boundaries (each window then reads exactly its own files, and
 * the merged result is the same as one read): first the newest period, then as many periods as the rows seen so far per period say still fit
 * (all of the rest, through the roll-ups, for an ordinary host). It stops when the budget is spent, so a
 * scanner costs one period's edges (a read the time budget cannot cut: it is checked between reads), and
 * a window over a quiet stretch before a burst may read past the budget.
 */
export function edgesOut(rel: RelationSource, key: string, range: TimeRange, kinds: readonly string[], end: number, deadline: Deadline, budget = PIVOT_ROW_BUDGET): BudgetedEdges {
  const fanOut = rel.fanOut?.bind(rel);
  if (fanOut !== undefined) return counted(rel, key, range, kinds, 'out', (ks, r, cap) => fanOut(key, ks, r, cap), end, deadline, budget);
  const q: EdgeQuery = { direction: 'out', kinds };
  const files = rel.files(range);
  const newest = files[files.length - 1];
  // nothing to split on (no files, or a source that does not say where they lie): one read
  if (newest === undefined || !Number.isFinite(newest.end) || !Number.isFinite(files[0]!.start)) return { edges: rel.edges(key, range, q), partial: new Map() };
  const period = periodOf(rel, files, newest);
  const lower = range.from ?? files[0]!.start;
  const top = Math.min(end, newest.end);
  const merged = new Map<string, EdgeSummary>();
  let cut = top;
  let rows = 0;
  let slots = 0;
  while (cut > lower) {
    if ((slots > 0 && rows >= budget) || deadline.spent()) break;
    // periods this window may span: one to start with, then what the rows per period seen so far allow
    const k = slots === 0 ? 1 : rows === 0 ? Infinity : Math.max(1, Math.floor((budget - rows) / (rows / slots)));
    const alignedEnd = Math.ceil(cut / period) * period;
    const from = Math.max(lower, alignedEnd - Math.min(k, Math.ceil((alignedEnd - lower) / period)) * period);
    const window: TimeRange = { from: from <= lower ? range.from : from, to: cut === top ? range.to : cut };
    const got = rel.edges(key, window, q);
    for (const e of got) add(merged, e);
    rows += got.length;
    slots += Math.ceil((alignedEnd - from) / period);
    cut = from;
  }
  const edges = [...merged.values()];
  // cut short: every relation read so far was read from `cut` on (one not read at all has no group)
  const partial = new Map<string, number>();
  if (cut > lower) for (const e of edges) partial.set(e.kind, cut);
  return { edges, partial };
}

/**
 * The relation files' period: the shortest file among those of the range and those of the newest
 * period (a range of settled days is answered by roll-ups alone, which span several periods; any span
 * of theirs is a multiple of the period, so it still splits exactly, only more coarsely).
 */
function periodOf(rel: RelationSource, files: readonly { start: number; end: number }[], newest: { end: number }): number {
  let p = Infinity;
  for (const f of [...files, ...rel.files({ from: newest.end - 1, to: newest.end })]) if (f.end > f.start) p = Math.min(p, f.end - f.start);
  return Number.isFinite(p) ? p : 3_600_000;
}

/** Merges one window's summary of an edge into what earlier windows read (as RelationIndex merges files). */
function add(merged: Map<string, EdgeSummary>, e: EdgeSummary): void {
  const key = e.kind + '\u0000' + e.other;
  const m = merged.get(key);
  if (m === undefined) merged.set(key, { ...e });
  else {
    m.first = Math.min(m.first, e.first);
    m.last = Math.max(m.last, e.last);
    const max = (m.countMax ?? m.count) + (e.countMax ?? e.count);
    m.count += e.count;
    if (max > m.count) m.countMax = max;
  }
}

/**
 * The range widened to the bounds of the relation files it cuts (`files` answer for the range, see
 * RelationSource.files), over which every count is exact: null ends stay open, and a range that cuts no
 * file comes back as it is.
 */
export function wholePeriods(range: { from: number | null; to: number | null }, files: readonly { start: number; end: number }[]): { from: number | null; to: number | null } {
  let { from, to } = range;
  for (const f of files) {
    if (from !== null && f.start < from && from < f.end) from = Math.min(from, f.start);
    if (to !== null && f.start < to && to < f.end) to = Math.max(to, f.end);
  }
  return { from, to };
}
