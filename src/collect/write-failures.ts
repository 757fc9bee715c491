/**
 * Lines a source loses because the store refused their batch are counted (`drops.write_failed`); this
 * says so in the server log too. Each source writes through `sink()`, which sees the refusals its
 * batches meet; the log hears of them at most once a minute per source kind (udp, tcp, tls, file…):
 * the first at once, those after it summed and told when the minute is up (or at `close()`), with how
 * many lines were dropped since the last message and the store's reason. Never a line's text.
 */
import { describeCause, isAppError, type RawRecord, type RecordSink } from '../core/index.js';

export interface WriteFailureReport {
  /** the source kind: the name up to its first colon (`udp`, `tcp`, `tls`, `file`, `demo`…) */
  kind: string;
  /** the sources of that kind whose lines were dropped since the last message */
  sources: string[];
  /** lines dropped since the last message */
  dropped: number;
  /** the last refusal's error code (STORE_DISK_FULL…), null when it had none */
  code: string | null;
  /** all of it in one sentence */
  message: string;
}

export interface WriteFailureLogOptions {
  /** at most one message per kind this often (default one minute) */
  intervalMs?: number;
  now?: () => number;
  /** runs `fn` after `ms` (default an unref'd timer); returns a cancel */
  later?: (fn: () => void, ms: number) => () => void;
}

interface KindState {
  /** when the last message went; -Infinity before the first */
  toldAt: number;
  dropped: number;
  sources: Set<string>;
  error: unknown;
  cancel: (() => void) | null;
}

const MINUTE = 60_000;

function defaultLater(fn: () => void, ms: number): () => void {
  const t = setTimeout(fn, ms);
  t.unref();
  return () => clearTimeout(t);
}

/** The store's reason, as it gave it: an AppError's message; another error's own words, on one line. */
function reasonOf(error: unknown): string {
  if (isAppError(error)) return error.message;
  return describeCause(error).slice(0, 300);
}

export class WriteFailureLog {
  private readonly kinds = new Map<string, KindState>();
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly later: (fn: () => void, ms: number) => () => void;

  constructor(
    private readonly report: (r: WriteFailureReport) => void,
    opts: WriteFailureLogOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? MINUTE;
    this.now = opts.now ?? Date.now;
    this.later = opts.later ?? defaultLater;
  }

  /** `inner` as one source should write to it; `source()` is read at each refusal (a port is known once bound). */
  sink(inner: RecordSink, source: () => string): RecordSink {
    const note = (lines: number, error: unknown): void => this.note(source(), lines, error);
    return {
      get congested() {
        return inner.congested;
      },
      whenDrained: () => inner.whenDrained(),
      write(records: RawRecord[]): Promise<void> {
        let written: Promise<void>;
        try {
          written = inner.write(records);
        } catch (e) {
          written = Promise.reject(e);
        }
        // the source sees the same refusal and counts it; this only tells the log
        written.then(undefined, (e: unknown) => note(records.length, e));
        return written;
      },
    };
  }

  /** `lines` of `source` dropped because the store refused them with `error`. */
  note(source: string, lines: number, error: unknown): void {
    if (lines <= 0) return;
    const kind = source.split(':')[0] || source;
    const st = this.kinds.get(kind) ?? { toldAt: -Infinity, dropped: 0, sources: new Set<string>(), error: undefined, cancel: null };
    this.kinds.set(kind, st);
    st.dropped += lines;
    st.sources.add(source);
    st.error = error;
    const wait = st.toldAt + this.intervalMs - this.now();
    if (wait <= 0) this.tell(kind, st);
    else st.cancel ??= this.later(() => this.tell(kind, st), wait);
  }

  /** Tells what is waiting now (at shutdown) and cancels the timers. */
  close(): void {
    for (const [kind, st] of this.kinds) this.tell(kind, st);
  }

  private tell(kind: string, st: KindState): void {
    st.cancel?.();
    st.cancel = null;
    if (st.dropped === 0) return;
    const sources = [...st.sources];
    const dropped = st.dropped;
    st.dropped = 0;
    st.sources.clear();
    const since = st.toldAt === -Infinity ? '' : ' since the last message';
    st.toldAt = this.now();
    const code = isAppError(st.error) ? st.error.code : null;
    const message = `collect: ${dropped} line(s) from ${sources.join(', ')} dropped${since}: the store refused them (${reasonOf(st.error)}); counted in drops.write_failed, told at most once a minute per source kind`;
    this.report({ kind, sources, dropped, code, message });
  }
}
