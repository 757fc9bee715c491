/** Time slots and where their shards live: `YYYY/MM/DD/HH/MMSS-w<lane>-<seq>.db` under the shards directory (UTC). */
import { join } from 'node:path';

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

const REL = /^(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\/(\d{2})(\d{2})-w(\d+)-(\d+)\.db$/;

/** Inverse of shardRelPath; null for a file that is not a shard. */
export function parseShardRelPath(rel: string): { slotStart: number; lane: number; seq: number } | null {
  const m = REL.exec(rel.split('\\').join('/'));
  if (m === null) return null;
  const slotStart = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return { slotStart, lane: Number(m[7]), seq: Number(m[8]) };
}
