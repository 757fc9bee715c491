/** Page cursors: the slot being read and each of its shards' position, as opaque base64url JSON. */
import { AppError } from '../core/index.js';

/**
 * Where a shard's reading stands: rows older than (time, rowid) newest-first (top-hits.ts) are left,
 * and rowids from `top` up are not read again (each row there is newer, or arrived after the search began).
 */
export interface ShardPos {
  time: number;
  rowid: number;
  top: number;
}

export interface CursorState {
  /** slot start of the group being read; newer groups are done */
  slot: number;
  /** per shard (rel) of that group: its position; -1 = exhausted; absent = not read yet */
  pos: Record<string, ShardPos | -1>;
  /**
   * the query it was issued for (`queryKey`): a cursor is positions in that query's matches, and under
   * another query it would start mid-stream. Not the time range: a relative one (`-15m`) moves between pages
   */
  q?: string;
}

/** The cursor's form on the wire: `v` 2 since positions became (time, rowid, top); before, a rowid per shard. */
interface Wire {
  v: 2;
  slot: number;
  pos: Record<string, [number, number, number] | -1>;
  q?: string;
}

/** A short fingerprint of a query's text (FNV-1a, 32 bits, hex). */
export function queryKey(query: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < query.length; i++) h = Math.imul(h ^ query.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16);
}

export function encodeCursor(c: CursorState): string {
  const pos: Wire['pos'] = {};
  for (const [rel, p] of Object.entries(c.pos)) pos[rel] = p === -1 ? -1 : [p.time, p.rowid, p.top];
  const wire: Wire = { v: 2, slot: c.slot, pos, ...(c.q === undefined ? {} : { q: c.q }) };
  return Buffer.from(JSON.stringify(wire)).toString('base64url');
}

const BAD = 'search: cursor is not one this server issued; start again without it';

/** The cursor's state; `query` is the query it is used with, which must be the one it was issued for. */
export function decodeCursor(text: string, query?: string): CursorState {
  let w: Wire;
  try {
    w = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Wire;
    // whole numbers only: a rowid goes to SQLite as a BigInt, and 1.5 or 1e300 is none
    if (!Number.isSafeInteger(w.slot) || typeof w.pos !== 'object' || w.pos === null || Array.isArray(w.pos)) throw new Error('shape');
    if (w.q !== undefined && typeof w.q !== 'string') throw new Error('shape');
  } catch {
    throw new AppError('SEARCH_BAD_CURSOR', 'bad_request', BAD);
  }
  if (w.v !== 2) {
    throw new AppError('SEARCH_BAD_CURSOR', 'bad_request', 'search: cursor was issued by an earlier version of this server, which paged differently; start the search again without it');
  }
  const pos: CursorState['pos'] = {};
  for (const [rel, p] of Object.entries(w.pos)) {
    if (p === -1) pos[rel] = -1;
    else if (Array.isArray(p) && p.length === 3 && p.every(Number.isSafeInteger) && p[1] >= 0 && p[2] >= 0) pos[rel] = { time: p[0], rowid: p[1], top: p[2] };
    else throw new AppError('SEARCH_BAD_CURSOR', 'bad_request', BAD);
  }
  if (query !== undefined && w.q !== undefined && w.q !== queryKey(query)) {
    throw new AppError('SEARCH_BAD_CURSOR', 'bad_request', 'search: cursor was issued for another query; keep the query while paging, or start again without the cursor');
  }
  return { slot: w.slot, pos, ...(w.q === undefined ? {} : { q: w.q }) };
}
