/** The query's error codes and limits; every error names a 1-based column (code points) where it can. */
import { AppError } from '../../core/index.js';

export const MAX_QUERY_LENGTH = 4096;
export const MAX_QUERY_DEPTH = 32;
export const MAX_QUERY_TERMS = 256;

/** `query: unexpected ')' at column 7`; the hint, in parentheses, says what to do instead. */
export function syntaxError(what: string, column: number, hint?: string): AppError {
  const tail = hint === undefined ? '' : ` (${hint})`;
  return new AppError('QUERY_SYNTAX', 'bad_request', `query: ${what} at column ${column}${tail}`, { column });
}

export function tooComplex(what: string, details: Record<string, unknown>): AppError {
  return new AppError('QUERY_TOO_COMPLEX', 'bad_request', `query: ${what}`, details);
}

const TIME_FORMS = 'use ISO-8601, now, -15m/-2h/-7d, epoch milliseconds or 2017/10/17/15/*';

export function timeError(text: string, why?: string): AppError {
  const reason = why === undefined ? TIME_FORMS : why;
  return new AppError('TIME_SYNTAX', 'bad_request', `time: cannot read '${text}' (${reason})`, { text });
}
