/** Page cursors: the slot being read and each of its shards' position, as opaque base64url JSON. */
import { AppError } from '../core/index.js';

export interface CursorState {
  /** slot start of the group being read; newer groups are done */
  slot: number;
  /** per shard (rel) of that group: rowids below this remain; -1 = exhausted */
  pos: Record<string, number>;
  /**
   * the query it was issued for (`queryKey`): a cursor is positions in that query's matches, and under
   * another query it would start mid-stream. Not the time range: a relative one (`-15m`) moves between pages
   */
  q?: string;
}

/** A short fingerprint of a query's text (FNV-1a, 32 bits, hex). */
export function queryKey(query: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < query.length; i++) h = Math.imul(h ^ query.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16);
}

export function encodeCursor(c: CursorState): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

/** The cursor's state; `query` is the query it is used with, which must be the one it was issued for. */
export function decodeCursor(text: string, query?: string): CursorState {
  let c: CursorState;
  try {
    c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as CursorState;
    // whole numbers only: a shard position goes to SQLite as a BigInt rowid, and 1.5 or 1e300 is none
    if (!Number.isSafeInteger(c.slot) || typeof c.pos !== 'object' || c.pos === null || Array.isArray(c.pos)) throw new Error('shape');
    for (const v of Object.values(c.pos)) if (!Number.isSafeInteger(v) || v < -1) throw new Error('shape');
    if (c.q !== undefined && typeof c.q !== 'string') throw new Error('shape');
  } catch {
    throw new AppError('SEARCH_BAD_CURSOR', 'bad_request', 'search: cursor is not one this server issued; start again without it');
  }
  if (query !== undefined && c.q !== undefined && c.q !== queryKey(query)) {
    throw new AppError('SEARCH_BAD_CURSOR', 'bad_request', 'search: cursor was issued for another query; keep the query while paging, or start again without the cursor');
  }
  return c;
}
