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
    if (typeof c.slot !== 'number' || typeof c.pos !== 'object' || c.pos === null) throw new Error('shape');
    for (const v of Object.values(c.pos)) if (typeof v !== 'number') throw new Error('shape');
    return c;
  } catch {
    throw new AppError('SEARCH_BAD_CURSOR', 'bad_request', 'search: cursor is not one this server issued; start again without it');
  }
}
