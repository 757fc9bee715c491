/** fetch() for the NML API: same-origin cookie, JSON in and out, errors as ApiError, 401 signalled to the shell. */
import type { ApiErrorBody } from './types.ts';
import { noteServerTime, SERVER_TIME_HEADER } from './server-clock.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly kind: string;
  readonly details: Record<string, unknown>;
  /** seconds, from Retry-After on a 429 */
  readonly retryAfter: number | null;

  constructor(status: number, body: Partial<ApiErrorBody> | null, retryAfter: number | null) {
    const e = body?.error;
    super(e?.message ?? `request failed with HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = e?.code ?? `HTTP_${status}`;
    this.kind = e?.kind ?? 'internal';
    this.details = e?.details ?? {};
    this.retryAfter = retryAfter;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;
export const isAbort = (e: unknown): boolean => e instanceof DOMException && e.name === 'AbortError';

/** Fired on window when any call but the auth probe answers 401: the session ended. */
export const UNAUTHORIZED_EVENT = 'nml:unauthorized';
/** Fired on window when the person logged in again over the open pages: what failed for the ended session may be asked again. */
export const SESSION_RENEWED_EVENT = 'nml:session-renewed';

type Params = Record<string, string | number | boolean | readonly string[] | null | undefined>;

/** `path?k=v&…`; an array is the parameter repeated (`internalDomain=a&internalDomain=b`); empty values are left out. */
export function withParams(path: string, params: Params = {}): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (typeof v === 'object') {
      for (const one of v) if (one !== '') sp.append(k, one);
    } else sp.set(k, String(v));
  }
  const qs = sp.toString();
  return qs === '' ? path : `${path}?${qs}`;
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  params?: Params;
  body?: unknown;
  signal?: AbortSignal;
  /** do not broadcast a 401 (the login probe expects one) */
  quiet401?: boolean;
  /** the page asks by itself (a refresh on a timer), not the person: the server does not count it as use of the session, which ends after its idle time even with the page open */
  background?: boolean;
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.background === true) headers['x-nml-background'] = '1';
  const init: RequestInit = { method: opts.method ?? 'GET', credentials: 'same-origin', headers, signal: opts.signal ?? null };
  if (opts.body !== undefined) {
    // the server's CSRF guard wants JSON on every state-changing request
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  const sentAt = Date.now();
  const res = await fetch(withParams(path, opts.params), init);
  noteServerTime(res.headers.get(SERVER_TIME_HEADER), sentAt, Date.now());
  if (res.status === 204) return undefined as T;
  const body = parseJson(await res.text());
  if (!res.ok) throw failure(res, body, opts.quiet401 === true);
  return body as T;
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

/** The ApiError of a reply that is not ok; a 401 tells the shell the session ended (unless `quiet401`). */
function failure(res: Response, body: unknown, quiet401: boolean): ApiError {
  if (res.status === 401 && !quiet401) window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
  const ra = Number(res.headers.get('retry-after'));
  return new ApiError(res.status, body as Partial<ApiErrorBody> | null, Number.isFinite(ra) && ra > 0 ? ra : null);
}

/**
 * A GET of an NDJSON reply read whole, one parsed record a line (for short ones: a preview; a long export is
 * a download link, never held by the page). Errors as `request`'s.
 */
export async function requestNdjson<T>(path: string, params: Params, signal?: AbortSignal): Promise<T[]> {
  const sentAt = Date.now();
  const res = await fetch(withParams(path, params), { credentials: 'same-origin', headers: { accept: 'application/x-ndjson' }, signal: signal ?? null });
  noteServerTime(res.headers.get(SERVER_TIME_HEADER), sentAt, Date.now());
  const text = await res.text();
  if (!res.ok) throw failure(res, parseJson(text), false);
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as T);
}

/** ws:// or wss:// URL of a same-origin WebSocket endpoint. */
export function socketUrl(path: string, params: Params = {}): string {
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${window.location.host}${withParams(path, params)}`;
}
