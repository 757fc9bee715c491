/**
 * What a watch is (a saved query the server counts on a schedule, raising a finding when the count reaches
 * its threshold) and the checks of one as the API, the CLI and the store take it: its name, its query
 * (compiled by the search's own compiler, so a bad one is the same 400 QUERY_SYNTAX as a search's), its
 * window and interval as settings write a length of time (`5m`, `1h`), its threshold.
 */
import { AppError, durationMs } from '../../core/index.js';
import { compileQuery } from '../../search/index.js';
import { FINDINGS_APP } from '../../detect/index.js';
import type { WatchCreateRequest, WatchInfo, WatchRunInfo } from '../api.js';

/** the detector name of the findings a watch raises */
export const WATCH_DETECTOR = 'watch';

export const WATCH_LIMITS = Object.freeze({
  nameMax: 100,
  windowMinMs: 60_000,
  windowMaxMs: 7 * 86_400_000,
  everyMinMs: 30_000,
  everyMaxMs: 86_400_000,
  thresholdMax: 1_000_000_000,
});

export const WATCH_DEFAULTS = Object.freeze({ window: '5m', every: '1m', enabled: true });

/** A watch, its last evaluation and what a caller gives to make one: the API's shapes (serve/api-watches.ts). */
export type Watch = WatchInfo;
export type WatchRun = WatchRunInfo;
/** window, every and enabled have defaults */
export type WatchInput = WatchCreateRequest;
export type WatchChange = Partial<WatchInput>;

function invalid(field: string, why: string, value?: unknown): AppError {
  return new AppError('WATCH_INVALID', 'bad_request', `watch: ${field} ${why}`, { field, ...(value === undefined ? {} : { value: String(value).slice(0, 100) }) });
}

/** The name trimmed: 1-100 characters, none a control character. */
export function checkWatchName(name: unknown): string {
  if (typeof name !== 'string') throw invalid('name', 'is missing; give the watch a name such as "failed logins"');
  const n = name.trim();
  if (n === '' || n.length > WATCH_LIMITS.nameMax) throw invalid('name', `must be 1 to ${WATCH_LIMITS.nameMax} characters (it is ${n.length})`, n);
  if (/[\u0000-\u001f\u007f]/.test(n)) throw invalid('name', 'must not hold control characters (a line break, a tab)', n);
  return n;
}

/** A length of time within [min, max]: its milliseconds. */
function checkSpan(field: 'window' | 'every', text: unknown, minMs: number, maxMs: number, range: string): number {
  const ms = typeof text === 'string' ? durationMs(text) : null;
  if (ms === null) throw invalid(field, `is ${JSON.stringify(text)}; write a length of time such as "5m", "1h" or "1d" (a whole number and s, m, h, d or w)`, text);
  if (ms < minMs || ms > maxMs) throw invalid(field, `is ${String(text)}; it must be from ${range}`, text);
  return ms;
}

export const windowMs = (text: unknown): number => checkSpan('window', text, WATCH_LIMITS.windowMinMs, WATCH_LIMITS.windowMaxMs, '1m to 7d');
export const everyMs = (text: unknown): number => checkSpan('every', text, WATCH_LIMITS.everyMinMs, WATCH_LIMITS.everyMaxMs, '30s to 1d');

export function checkThreshold(n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > WATCH_LIMITS.thresholdMax) throw invalid('threshold', `is ${JSON.stringify(n)}; give a whole number of lines from 1 to ${WATCH_LIMITS.thresholdMax} (the watch fires when the count reaches it)`, n);
  return n;
}

/** The query as the search compiles it: QUERY_SYNTAX / QUERY_TOO_COMPLEX (400) name the problem and its column. */
export function checkWatchQuery(query: unknown): string {
  if (typeof query !== 'string') throw invalid('query', 'is missing; give the search to count, such as "failed password"');
  compileQuery(query);
  // as counted (finding lines left out): a query at the length limit would pass alone and fail there
  compileQuery(countedQuery(query));
  return query;
}

/** A whole input checked and given its defaults. */
export function checkWatchInput(w: WatchInput): Required<WatchInput> {
  const window = w.window ?? WATCH_DEFAULTS.window;
  const every = w.every ?? WATCH_DEFAULTS.every;
  windowMs(window);
  everyMs(every);
  if (w.enabled !== undefined && typeof w.enabled !== 'boolean') throw invalid('enabled', 'must be true or false', w.enabled);
  return { name: checkWatchName(w.name), query: checkWatchQuery(w.query), window: window.trim(), every: every.trim(), threshold: checkThreshold(w.threshold), enabled: w.enabled ?? WATCH_DEFAULTS.enabled };
}

/**
 * The query a watch counts: its own, less NML's finding lines (`app:nml-detect`), unless it asks for them.
 * A watch's finding becomes such a line, whose summary quotes the query: counted, it would feed itself.
 */
export function countedQuery(query: string): string {
  if (query.toLowerCase().includes(FINDINGS_APP)) return query;
  return query.trim() === '' ? `-app:${FINDINGS_APP}` : `(${query}) -app:${FINDINGS_APP}`;
}

/** `5m` as the summary says it: `5 min`, `1 h`, `7 d`. */
export function spanWords(text: string): string {
  const m = /^(\d+)([smhdw])$/.exec(text.trim());
  if (m === null) return text;
  const unit = { s: 's', m: 'min', h: 'h', d: 'd', w: 'w' }[m[2] as 's' | 'm' | 'h' | 'd' | 'w'];
  return `${m[1]} ${unit}`;
}

/** What an audit entry of a change keeps of a watch (API and CLI alike): the watch as it now is (the log cuts the query to 500 characters). */
export function watchAuditDetails(w: Watch): Record<string, string | number | boolean> {
  return { id: w.id, query: w.query, window: w.window, every: w.every, threshold: w.threshold, enabled: w.enabled };
}
