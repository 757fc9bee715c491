/** `from`/`to` query parameters -> TimeRange, with errors that name the parameter at fault. */
import { AppError, isAppError, type TimeRange } from '../core/index.js';
import { parseTimeExpr, parseTimeRange, type SearchRange } from '../search/index.js';

export interface TimeParams {
  from?: string;
  to?: string;
}

function culprit(q: TimeParams, now: number): string {
  for (const name of ['from', 'to'] as const) {
    const text = q[name];
    if (text === undefined || text.trim() === '') continue;
    try {
      parseTimeExpr(text, now);
    } catch {
      return name;
    }
  }
  return 'from,to';
}

/** One time parameter (`triagedSince`) as ms; TIME_SYNTAX (bad_request) names it, as `rangeFromParams` names from and to. */
export function instantFromParam(name: string, text: string, now: number): number {
  try {
    return parseTimeExpr(text, now);
  } catch (e) {
    if (!isAppError(e) || e.code !== 'TIME_SYNTAX') throw e;
    throw new AppError(e.code, e.kind, `request: query parameter ${name}: ${e.message}`, { ...e.details, param: name }, e);
  }
}

/** `rangeFromParams` and the search routes' `asOf` (schemas.ts asOfParam, validated by the route's schema). */
export function searchRangeFromParams(q: TimeParams & { asOf?: number }, now: number): SearchRange {
  const range = rangeFromParams(q, now);
  return q.asOf === undefined ? range : { ...range, asOf: q.asOf };
}

/** Throws TIME_SYNTAX (bad_request) with `details.param` = `from`, `to` or `from,to`. */
export function rangeFromParams(q: TimeParams, now: number): TimeRange {
  try {
    return parseTimeRange({ from: q.from ?? null, to: q.to ?? null }, now);
  } catch (e) {
    if (!isAppError(e) || e.code !== 'TIME_SYNTAX') throw e;
    const param = culprit(q, now);
    throw new AppError(e.code, e.kind, `request: ${param === 'from,to' ? 'query parameters from and to' : `query parameter ${param}`}: ${e.message}`, { ...e.details, param }, e);
  }
}

