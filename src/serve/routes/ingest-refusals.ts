/**
 * Ingest requests the store refuses because of its disk (STORE_DISK_FULL, STORE_READ_ONLY, STORE_IO_ERROR): every one is
 * answered with its error, but the server log hears of them as syslog drops are told (collect's
 * WriteFailureLog): the first at once, those after it counted and told when the interval is up, one
 * line each, with no stack. Before, each refused request logged a 2 KB error with a stack: 368 lines
 * a second from one shipper retrying against a full disk (found by an SRE review).
 */
import { isAppError } from '../../core/index.js';

/** refusals that say the disk cannot take lines: the same for every request until an operator acts */
export const DISK_REFUSALS: ReadonlySet<string> = new Set(['STORE_DISK_FULL', 'STORE_READ_ONLY', 'STORE_IO_ERROR']);

/** The store's code behind an ingest refusal (INGEST_NOT_COMMITTED's `details.cause`) when it is a disk's. */
export function diskRefusal(e: unknown): string | null {
  if (!isAppError(e)) return null;
  const cause = e.details?.['cause'];
  return typeof cause === 'string' && DISK_REFUSALS.has(cause) ? cause : null;
}

export interface RefusalReport {
  /** STORE_DISK_FULL, STORE_READ_ONLY or STORE_IO_ERROR: the last refusal's */
  code: string;
  /** requests refused since the last line */
  requests: number;
  /** their lines not stored */
  lines: number;
  /** the last refusal's message (the store's reason and what to do) */
  message: string;
}

export interface RefusalLogOptions {
  /** at most one line this often (default one minute) */
  intervalMs?: number;
  now?: () => number;
  /** runs `fn` after `ms` (default an unref'd timer); returns a cancel */
  later?: (fn: () => void, ms: number) => () => void;
}

function defaultLater(fn: () => void, ms: number): () => void {
  const t = setTimeout(fn, ms);
  t.unref();
  return () => clearTimeout(t);
}

export class RefusalLog {
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly later: (fn: () => void, ms: number) => () => void;
  /** when the last line went; -Infinity before the first */
  private toldAt = -Infinity;
  private pending: RefusalReport | null = null;
  private cancel: (() => void) | null = null;

  constructor(
    private readonly report: (r: RefusalReport) => void,
    opts: RefusalLogOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 60_000;
    this.now = opts.now ?? Date.now;
    this.later = opts.later ?? defaultLater;
  }

  /** One refused request of `lines` lines, for `code` with `message`. */
  note(code: string, lines: number, message: string): void {
    const p = (this.pending ??= { code, requests: 0, lines: 0, message });
    p.code = code;
    p.message = message;
    p.requests++;
    p.lines += lines;
    const wait = this.toldAt + this.intervalMs - this.now();
    if (wait <= 0) this.flush();
    else this.cancel ??= this.later(() => {
      this.cancel = null;
      this.flush();
    }, wait);
  }

  /** Tells what is pending now (at close, or when the interval is up). */
  flush(): void {
    this.cancel?.();
    this.cancel = null;
    if (this.pending === null) return;
    const r = this.pending;
    this.pending = null;
    this.toldAt = this.now();
    this.report(r);
  }
}

/** The log line of a report: one sentence, the count first. */
export function refusalLine(r: RefusalReport): string {
  // a request refused before its body was read (INGEST_BUSY) has no line count
  const lines = r.lines > 0 ? ` (${r.lines} lines)` : '';
  const what = r.requests === 1 ? `an ingest request${lines} was refused` : `${r.requests} ingest requests${lines} were refused since the last such line`;
  return `${what}: ${r.message} (logged at most once a minute; each client gets its error)`;
}

/** The store's own words behind an ingest refusal (its cause's message), else the refusal's. */
export function storeReason(e: Error): string {
  return isAppError(e.cause) ? e.cause.message : e.message;
}
