/** Page cursors: the slot being read and each of its shards' position, as opaque base64url JSON. */
import { AppError } from '../core/index.js';

export interface CursorState {
  /** slot start of the group being read; newer groups are done */
  slot: number;
  /** per shard (rel) of that group: rowids below this remain; -1 = exhausted */
  pos: Record<string, number>;
}

export function encodeCursor(c: CursorState): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function decodeCursor(text: string): CursorState {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as CursorState;
    // whole numbers only: a shard position goes to SQLite as a BigInt rowid, and 1.5 or 1e300 is none
    if (!Number.isSafeInteger(c.slot) || typeof c.pos !== 'object' || c.pos === null || Array.isArray(c.pos)) throw new Error('shape');
    for (const v of Object.values(c.pos)) if (!Number.isSafeInteger(v) || v < -1) throw new Error('shape');
    return c;
  } catch {
    throw new AppError('SEARCH_BAD_CURSOR', 'bad_request', 'search: cursor is not one this server issued; start again without it');
  }
}
