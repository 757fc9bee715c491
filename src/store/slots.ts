/**
 * Time slots and where their shards live: `YYYY/MM/DD/HH/MMSS-w<lane>-<seq>.db` under the shards directory
 * (UTC), and `YYYY/MM/DD/HH/hour-<seq>.db` for a closed hour's shards merged into one (compaction.ts).
 */
import { dirname, join } from 'node:path';

export function slotStartOf(time: number, slotMs: number): number {
  return Math.floor(time / slotMs) * slotMs;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** Relative directory and file stem of a slot's shard for one writer lane and sequence number. */
export function shardRelPath(slotStart: number, lane: number, seq: number): string {
  const d = new Date(slotStart);
  const dir = join(String(d.getUTCFullYear()), two(d.getUTCMonth() + 1), two(d.getUTCDate()), two(d.getUTCHours()));
  return join(dir, `${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}-w${lane}-${seq}.db`);
}

export const HOUR_MS = 3_600_000;

/** Relative path of the shard merging an hour's shards (`hourStart` a whole UTC hour), sequence `seq`. */
export function mergedShardRelPath(hourStart: number, seq: number): string {
  return join(dirname(shardRelPath(hourStart, 0, 0)), `hour-${seq}.db`);
}

/**
 * Relative path of a writer lane's shard of a whole hour (`hourStart` a whole UTC hour): lines of an hour
 * that ended and settled before they arrived (an old log imported, a device's backlog) go to one file an
 * hour and lane rather than one a minute (shard-set.ts).
 */
export function laneHourRelPath(hourStart: number, lane: number, seq: number): string {
  return join(dirname(shardRelPath(hourStart, 0, 0)), `hour-w${lane}-${seq}.db`);
}

const REL = /^(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\/(\d{2})(\d{2})-w(\d+)-(\d+)\.db$/;
const MERGED_REL = /^(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\/hour-(\d+)\.db$/;
const LANE_HOUR_REL = /^(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\/hour-w(\d+)-(\d+)\.db$/;
/** a merged shard's file name in its hour's folder */
export const MERGED_NAME = /^hour-(\d+)\.db$/;
/** the temporary file a merge builds its shard in (shard-merge.ts), and the SQLite files beside it */
const MERGE_TEMP_REL = /^\d{4}\/\d{2}\/\d{2}\/\d{2}\/hour-\d+\.db\.tmp(?:-journal|-wal|-shm)?$/;

/** Whether `rel` (relative to the shards directory) is a merge's temporary file or one of its SQLite sidecars. */
export function isMergeTempRelPath(rel: string): boolean {
  return MERGE_TEMP_REL.test(rel.split('\\').join('/'));
}

/** Inverse of shardRelPath, laneHourRelPath and mergedShardRelPath (lane 0, `merged` true); null for a file that is not a shard. */
export function parseShardRelPath(rel: string): { slotStart: number; lane: number; seq: number; merged: boolean } | null {
  const r = rel.split('\\').join('/');
  const m = REL.exec(r);
  if (m !== null) {
    const slotStart = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
    return { slotStart, lane: Number(m[7]), seq: Number(m[8]), merged: false };
  }
  const w = LANE_HOUR_REL.exec(r);
  if (w !== null) return { slotStart: Date.UTC(Number(w[1]), Number(w[2]) - 1, Number(w[3]), Number(w[4])), lane: Number(w[5]), seq: Number(w[6]), merged: false };
  const h = MERGED_REL.exec(r);
  if (h === null) return null;
  return { slotStart: Date.UTC(Number(h[1]), Number(h[2]) - 1, Number(h[3]), Number(h[4])), lane: 0, seq: Number(h[5]), merged: true };
}
