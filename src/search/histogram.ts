/**
 * Matches per time bucket, exact. The root picks a readable bucket width and tells the leaf which
 * shards lie whole inside one bucket and the range: those are counted like `count` does (one FTS5
 * count, no row read); only shards a bucket edge or the range cuts read their rows' time arrays.
 */
import type { TimeRange } from '../core/index.js';
import { contains } from '../core/index.js';
import type { ShardReader } from '../store/index.js';
import { countShard, fastExpr, RowMatcher, type ReaderSource } from './leaf.js';
import { candidateFts, type LeafPlan } from './query/index.js';

export interface HistogramShard {
  path: string;
  rel: string;
  /** every line of the shard falls in this bucket and in the range: count it whole; null: bucket each row */
  bucket: number | null;
  /** only rowids below this one (a search pinned to a moment, store/stored-by.ts); null: every row */
  top: number | null;
}

export interface LeafHistogramJob {
  mode: 'histogram';
  plan: LeafPlan;
  range: { from: number; to: number };
  /** start of bucket 0 (aligned to the interval) */
  start: number;
  interval: number;
  buckets: number;
  shards: HistogramShard[];
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** bucket widths a person reads at a glance */
export const NICE_INTERVALS = [
  SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
  DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 90 * DAY, 180 * DAY, 365 * DAY,
];

/** The smallest readable width giving about `maxBuckets` buckets over the range (one more when aligning the start adds one), and the aligned start. */
export function bucketLayout(range: { from: number; to: number }, maxBuckets: number): { start: number; interval: number; buckets: number } {
  const span = Math.max(1, range.to - range.from);
  const want = span / Math.max(1, maxBuckets);
  let interval = NICE_INTERVALS.find((i) => i >= want) ?? Math.ceil(want / DAY) * DAY;
  for (;;) {
    const start = Math.floor(range.from / interval) * interval;
    const buckets = Math.ceil((range.to - start) / interval);
    // aligning the start may add one bucket; more than that: take the next width
    if (buckets <= maxBuckets + 1) return { start, interval, buckets: Math.max(1, buckets) };
    interval = NICE_INTERVALS.find((i) => i > interval) ?? interval * 2;
  }
}

/** The bucket a whole shard lies in (its lines' times are within [lo, hi]), or null when it is cut. */
export function wholeBucket(lo: number, hi: number, job: Pick<LeafHistogramJob, 'range' | 'start' | 'interval' | 'buckets'>): number | null {
  if (lo < job.range.from || hi >= job.range.to) return null;
  const b = Math.floor((lo - job.start) / job.interval);
  if (b !== Math.floor((hi - job.start) / job.interval) || b < 0 || b >= job.buckets) return null;
  return b;
}

function bucketRows(reader: ShardReader, job: LeafHistogramJob, top: number | null, counts: number[]): void {
  const fast = fastExpr(job.plan);
  const matcher = fast === undefined ? new RowMatcher(reader, job.plan.root) : null;
  const range: TimeRange = job.range;
  for (const rowid of reader.rowidsDesc(fast !== undefined ? fast : candidateFts(job.plan.root), top)) {
    const t = reader.timeOf(rowid);
    if (!contains(range, t)) continue;
    if (matcher !== null && !matcher.matches(rowid)) continue;
    const b = Math.floor((t - job.start) / job.interval);
    if (b >= 0 && b < counts.length) counts[b]!++;
  }
}

export function runHistogram(job: LeafHistogramJob, open: ReaderSource): number[] {
  const counts = new Array<number>(job.buckets).fill(0);
  for (const s of job.shards) {
    const reader = open(s.path);
    if (s.bucket !== null) counts[s.bucket]! += countShard(reader, true, job.plan, job.range, s.top);
    else bucketRows(reader, job, s.top, counts);
  }
  return counts;
}
