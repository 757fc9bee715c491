/**
 * The leaf: runs one compiled query over a few shards. Term-only queries go straight to FTS5 (count
 * never touches a row; pages read only the rows they return). Queries with phrases or substrings take
 * candidates from the index and verify each against its raw text. Time filters are free for shards the
 * range covers whole; edge shards check each candidate's time from the uncompressed time arrays.
 */
import type { TimeRange } from '../core/index.js';
import { contains } from '../core/index.js';
import { ShardReader, type StoredHit } from '../store/index.js';
import type { LeafPlan, Pred } from './query/index.js';
import { candidateFts, LineText, verifyText } from './query/index.js';
import { newerKey, TopHits, type HitKey } from './top-hits.js';

export interface ShardCursor {
  path: string;
  rel: string;
  /** only rows older than this (newest-first order, top-hits.ts) are still to be read; null = from the newest */
  below: HitKey | null;
  /**
   * rowids from this one up are not read (each row there is newer than `below`, came after the search
   * began, or was stored after the search's `asOf`); null = all
   */
  top: number | null;
  /** the time range holds every line of the shard (from the catalog): no per-row time check */
  covered: boolean;
}

export interface LeafCountJob {
  mode: 'count';
  plan: LeafPlan;
  range: TimeRange;
  shards: ShardCursor[];
}

export interface LeafPageJob {
  mode: 'page';
  plan: LeafPlan;
  range: TimeRange;
  shards: ShardCursor[];
  /** most hits per shard */
  limit: number;
}

/** Materializes chosen rows: the second step of a page, after the root has merged. */
export interface LeafFetchJob {
  mode: 'fetch';
  shards: { path: string; rel: string; rowids: number[] }[];
}

/** A match found by a page job: where it is and when, but not yet its text. */
export type HitRef = HitKey;

export interface ShardPage {
  rel: string;
  /** the shard's newest matches older than the cursor's `below`, newest first */
  hits: HitRef[];
  /** true when the shard has no further match below the last hit */
  exhausted: boolean;
  /** the shard's lateness bound, as read in the scan's snapshot (ShardReader.lateness) */
  lateness: number;
  /** rowids from this one up were not read (the cursor's `top`, or one above the newest row then stored) */
  top: number;
}

export type ReaderSource = (path: string) => ShardReader;

export function runCount(job: LeafCountJob, open: ReaderSource): number {
  let total = 0;
  for (const s of job.shards) total += countShard(open(s.path), s.covered, job.plan, job.range, s.top);
  return total;
}

export function runPage(job: LeafPageJob, open: ReaderSource): ShardPage[] {
  return job.shards.map((s) => pageShard(open(s.path), s, job.plan, job.range, job.limit));
}

export function runFetch(job: LeafFetchJob, open: ReaderSource): { rel: string; hits: StoredHit[] }[] {
  return job.shards.map((s) => ({ rel: s.rel, hits: open(s.path).lines(s.rowids) }));
}

/** `top`: only rowids below it count (a search pinned to a moment); null: every row. */
export function countShard(reader: ShardReader, whole: boolean, plan: LeafPlan, range: TimeRange, top: number | null = null): number {
  const fast = fastExpr(plan);
  if (fast !== undefined && whole) return reader.count(fast, top);
  let n = 0;
  const matcher = new RowMatcher(reader, plan.root);
  for (const rowid of reader.rowidsDesc(fast !== undefined ? fast : candidateFts(plan.root), top)) {
    if (!whole && !contains(range, reader.timeOf(rowid))) continue;
    if (fast === undefined && !matcher.matches(rowid)) continue;
    n++;
  }
  return n;
}

/**
 * The shard's newest `limit` matches below the cursor, by event time. Rows are stored in arrival order,
 * and a line that came late sits above newer ones, so the scan (rowids descending) keeps the newest
 * `limit` in a heap and stops only when no unread row can be newer than the oldest kept: every row
 * below a row read is at most the shard's lateness bound newer than it (schema.ts, LATE_MS_KEY). A
 * merged shard (bound 0) stops right after `limit` hits, as a read by rowid would.
 */
function pageShard(reader: ShardReader, cursor: ShardCursor, plan: LeafPlan, range: TimeRange, limit: number): ShardPage {
  const fast = fastExpr(plan);
  const whole = cursor.covered;
  const below = cursor.below;
  const matcher = fast === undefined ? new RowMatcher(reader, plan.root) : null;
  const kept = new TopHits(limit);
  let lateness: number | null = null;
  let top = cursor.top;
  let oldestRead = Infinity;
  let exhausted = true;
  for (const rowid of reader.rowidsDesc(fast !== undefined ? fast : candidateFts(plan.root), cursor.top)) {
    if (lateness === null) {
      // after the scan's first step: the bound of the snapshot it reads
      lateness = reader.lateness();
      top ??= rowid + 1;
    }
    const time = reader.timeOf(rowid);
    if (time < oldestRead) oldestRead = time;
    // rows from here down are at most `lateness` newer than the oldest row read
    if (kept.full && kept.oldest!.time >= oldestRead + lateness) {
      exhausted = false;
      break;
    }
    const hit = { rowid, time };
    if (below !== null && !newerKey(below, hit)) continue;
    if (!whole && !contains(range, time)) continue;
    if (kept.full && !newerKey(hit, kept.oldest!)) {
      // older than all kept: not worth verifying (a phrase reads the row's text); the shard has more, or may
      kept.dropped = true;
      continue;
    }
    if (matcher !== null && !matcher.matches(rowid)) continue;
    kept.offer(hit);
  }
  // only refs: the root merges pages from many shards and fetches the text of the hits it keeps
  return { rel: cursor.rel, hits: kept.newestFirst(), exhausted: exhausted && !kept.dropped, lateness: lateness ?? 0, top: top ?? 0 };
}

/** The FTS expression when the whole query is term-only (null = every row); undefined when rows need verifying. */
export function fastExpr(plan: LeafPlan): string | null | undefined {
  if (plan.fastFts !== null) return plan.fastFts;
  if (plan.root.op === 'all') return null;
  return undefined;
}

/**
 * Exact per-row evaluation: FTS sub-expressions become rowid sets (built once per shard), text predicates
 * read the row. A phrase or substring is first looked up in the set of its candidates (the rows holding
 * its words): a row outside it cannot hold the text, so `-"for user0"` reads only the rows that might,
 * not every row. The row's text is read and split once per row, shared by all its predicates.
 */
export class RowMatcher {
  private readonly sets = new Map<string, Set<number>>();
  private rowid = -1;
  private text: LineText | null = null;
  constructor(
    private readonly reader: ShardReader,
    private readonly root: Pred,
  ) {
    // built before the caller iterates candidates: the same FTS statement cannot be read twice at once
    this.prime(root, true);
  }

  /**
   * `implied`: every row the caller iterates already matches this predicate's candidates (a positive
   * conjunct of the root: candidateFts ANDs them in), so their set would never rule a row out.
   */
  private prime(p: Pred, implied: boolean): void {
    if (p.op === 'fts') this.set(p.expr);
    else if ((p.op === 'phrase' || p.op === 'substr') && !implied && p.candidates !== null) this.set(p.candidates);
    else if (p.op === 'not') this.prime(p.arg, false);
    else if (p.op === 'and') for (const a of p.args) this.prime(a, implied);
    else if (p.op === 'or') for (const a of p.args) this.prime(a, false);
  }

  matches(rowid: number): boolean {
    return this.eval(this.root, rowid);
  }

  private eval(p: Pred, rowid: number): boolean {
    switch (p.op) {
      case 'all':
        return true;
      case 'fts':
        return this.set(p.expr).has(rowid);
      case 'phrase':
      case 'substr': {
        const candidates = p.candidates === null ? undefined : this.sets.get(p.candidates);
        if (candidates !== undefined && !candidates.has(rowid)) return false;
        const text = this.textOf(rowid);
        return text !== null && verifyText(p, text);
      }
      case 'and':
        return p.args.every((a) => this.eval(a, rowid));
      case 'or':
        return p.args.some((a) => this.eval(a, rowid));
      case 'not':
        return !this.eval(p.arg, rowid);
    }
  }

  private textOf(rowid: number): LineText | null {
    if (rowid !== this.rowid) {
      const raw = this.reader.rawOf(rowid);
      this.rowid = rowid;
      this.text = raw === null ? null : new LineText(raw);
    }
    return this.text;
  }

  private set(expr: string): Set<number> {
    let s = this.sets.get(expr);
    if (s === undefined) {
      s = new Set(this.reader.rowidsDesc(expr, null));
      this.sets.set(expr, s);
    }
    return s;
  }
}
