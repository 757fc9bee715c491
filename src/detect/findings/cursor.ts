/** The findings list's keyset cursor: the sort column's value and the id of the last finding of a page. */
import { AppError } from '../../core/index.js';

export function encodeCursor(sort: string, value: number, id: number): string {
  return Buffer.from(JSON.stringify([sort, value, id])).toString('base64url');
}

export function decodeCursor(cursor: string, sort: string): { value: number; id: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || typeof parsed[1] !== 'number' || typeof parsed[2] !== 'number') {
    throw new AppError('FINDINGS_CURSOR_INVALID', 'bad_request', 'cursor is not one this server issued: pass the `next` value of the previous page unchanged');
  }
  if (parsed[0] !== sort) {
    throw new AppError('FINDINGS_CURSOR_INVALID', 'bad_request', `cursor was issued for sort=${String(parsed[0])}, not sort=${sort}: keep the sort while paging`);
  }
  return { value: parsed[1], id: parsed[2] };
}
