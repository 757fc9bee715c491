/**
 * The live tail over WebSocket /api/tail. Lines are queued as they arrive and handed to the TailView at
 * most every FLUSH_MS, on an animation frame: the newest FLUSH_MAX of a flush are shown and the rest are
 * counted as skipped. The server samples above its own limit and says how much; so does the page.
 * While paused, lines wait (at most MAX_ROWS, what the list can keep): older ones are dropped, counted
 * as dropped while paused (not as a sample), with a search over their time range to see them.
 */
import { useEffect, useRef, useState } from 'react';
import { useUrlParams } from '../../lib/router.ts';
import { SESSION_RENEWED_EVENT, socketUrl } from '../../lib/api.ts';
import { openJsonSocket, SERVER_STOPPING, type SocketState } from '../../lib/socket.ts';
import { formatInt, formatUtc } from '../../lib/format.ts';
import { MAX_ROWS, TailView } from './tail-view.ts';
import type { TailEvent, TailMessage } from '../../lib/types.ts';
import { QueryBox, type QueryError } from '../../components/QueryBox.tsx';
import { Link } from '../../components/Link.tsx';

/** the DOM is touched at most this often, with at most FLUSH_MAX rows (the newest; older ones are counted as skipped) */
const FLUSH_MS = 100;
const FLUSH_MAX = 500;

interface Counters {
  /** lines that matched on the server */
  seen: number;
  /** lines the server sent us */
  sent: number;
  /** lines we dropped locally while streaming: more than a frame can show (a sample) */
  skipped: number;
  /** lines dropped while paused: more than MAX_ROWS waited; the event times they span (ms; 0 while none) */
  pausedDropped: number;
  pausedFrom: number;
  pausedTo: number;
  /** lines committed on the server, and how many of them it checked against the filter */
  received: number;
  examined: number;
}

/** Server errors about the filter (marked in the filter box); the rest are connection errors. */
const isFilterError = (code: string): boolean => code.startsWith('QUERY_') || code.startsWith('TIME_');

const ZERO: Counters = { seen: 0, sent: 0, skipped: 0, pausedDropped: 0, pausedFrom: 0, pausedTo: 0, received: 0, examined: 0 };

/** The search page over the time range of the lines dropped while paused (event time; `to` a second past the last). */
export function pausedSearchHref(filter: string, from: number, to: number): string {
  return `/search?${new URLSearchParams({ q: filter, from: new Date(from).toISOString(), to: new Date(to + 1000).toISOString() }).toString()}`;
}

/** The tail's heartbeat interval until its first `heartbeat` says (the server's default, TAIL_BEAT_MS). */
const DEFAULT_BEAT_MS = 10_000;
/** Heartbeats missed in a row before the page gives the connection up and opens another (60 s by default). */
const RECONNECT_BEATS = 6;

type Conn = { state: SocketState; why?: string | undefined; retryInMs?: number | undefined };

/**
 * The tail's state as the header's dot and the empty list say it; one reading, so that they agree
 * with the header's words. `down`: the connection is lost or refused for now and will be tried again.
 */
export type TailPhase = 'stopped' | 'silent' | 'down' | 'connecting' | 'paused' | 'streaming';

export function tailPhase(conn: Conn, connError: string | null, silentMs: number | null, paused: boolean): TailPhase {
  if (conn.state === 'failed') return 'stopped';
  if (conn.state === 'open' && connError === null && silentMs !== null) return 'silent';
  if (conn.state === 'closed' || connError !== null) return 'down';
  if (conn.state === 'connecting') return 'connecting';
  return paused ? 'paused' : 'streaming';
}

/** the header's dot: green only while lines can arrive and are shown; grey while paused */
const DOT: Record<TailPhase, string> = { stopped: 'bad', silent: 'warn', down: 'warn', connecting: 'warn', paused: 'paused', streaming: 'ok' };

/**
 * What the connection is doing, in words. `filterError`: the server's message about the filter, which
 * says more than the close reason (its code, e.g. QUERY_SYNTAX). `silentMs`: the server has not
 * answered the page's polls for this long; the socket may still look open though nothing can come.
 */
export function connStateText(conn: Conn, connError: string | null, filterError: string | null = null, silentMs: number | null = null, paused = false): string {
  if (conn.state === 'open' && connError === null && silentMs !== null) return 'the server is not answering: no new lines can arrive';
  const retry = conn.retryInMs === undefined ? 'reconnecting…' : `reconnecting in ${Math.max(1, Math.round(conn.retryInMs / 1000))}s…`;
  if (conn.state === 'open') return connError !== null ? `connection error: ${connError}` : paused ? 'paused: new lines wait until you resume' : 'streaming';
  if (conn.state === 'connecting') return connError === null ? 'connecting…' : `connection error: ${connError}; connecting…`;
  if (conn.state === 'closed' && connError === null && conn.why === SERVER_STOPPING) return `the server stopped or is restarting; ${retry}`;
  if (conn.state === 'closed') return connError === null ? retry : `connection error: ${connError}; ${retry}`;
  if (conn.why === 'AUTH_REQUIRED') return 'stopped: your session ended; log in again and the tail resumes';
  // the filter's own message is under the box (QueryBox): said here once more it was the same text twice
  return `stopped: ${connError ?? (filterError !== null ? 'the filter has an error, marked under the box; fix it and press Enter' : (conn.why ?? ''))}`;
}

/** What the empty list says: why no line is there now, and what brings them. */
export function emptyTailText(phase: TailPhase, filter: string, filterError: string | null, why: string | undefined): string {
  switch (phase) {
    case 'stopped':
      if (filterError !== null) return 'No lines: the server refused the filter (marked above). Correct it and press Enter.';
      if (why === 'AUTH_REQUIRED') return 'No lines: the session ended. Log in again and the tail resumes.';
      return 'No lines: the server stopped the tail. Change the filter or reload the page to start it again.';
    case 'silent':
      return 'No new lines can arrive while the server is not answering.';
    case 'down':
      if (why === SERVER_STOPPING) return 'No lines while the server is stopped; the page reconnects by itself once it is back.';
      return 'No lines while the connection is down; the page reconnects by itself.';
    case 'connecting':
      return 'Connecting to the live tail…';
    case 'paused':
      return 'Paused: new lines wait until you resume.';
    case 'streaming':
      return `Waiting for new lines${filter === '' ? '' : ' that match the filter'}…`;
  }
}

/** `serverSilentMs`: how long the server has not answered the page's statistics polls (null: it answers). */
export function Tail({ serverSilentMs = null }: { serverSilentMs?: number | null }) {
  const [params, setParams] = useUrlParams();
  const filter = params.get('tail') ?? '';
  const [draft, setDraft] = useState(filter);
  const [paused, setPaused] = useState(false);
  const [conn, setConn] = useState<Conn>({ state: 'connecting' });
  // a bad filter is marked in the filter box; anything else the server says (the hub is full) is about the connection
  const [error, setError] = useState<QueryError | null>(null);
  const [connError, setConnError] = useState<string | null>(null);
  const [shown, setShown] = useState({ ...ZERO, rows: 0, waiting: 0 });

  const scroller = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const view = useRef<TailView | null>(null);
  const [picked, setPicked] = useState<TailEvent | null>(null);
  const queue = useRef<TailEvent[]>([]);
  const counters = useRef<Counters>({ ...ZERO });
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  // set on Resume: the queue holds lines that waited through the pause, and the first flush shows them all, not a frame's worth
  const heldRef = useRef(false);

  useEffect(() => {
    setDraft(filter);
  }, [filter]);

  // a tail the server closed because the session ended opens again once the person logged in again
  const [renewals, setRenewals] = useState(0);
  const endedBySession = conn.state === 'failed' && conn.why === 'AUTH_REQUIRED';
  useEffect(() => {
    if (!endedBySession) return;
    const again = () => setRenewals((n) => n + 1);
    window.addEventListener(SESSION_RENEWED_EVENT, again);
    return () => window.removeEventListener(SESSION_RENEWED_EVENT, again);
  }, [endedBySession]);

  // one socket per filter
  useEffect(() => {
    queue.current = [];
    counters.current = { ...ZERO };
    view.current?.clear();
    setPicked(null);
    setError(null);
    setConnError(null);
    const sock = openJsonSocket(
      () => socketUrl('/api/tail', { q: filter }),
      {
        onMessage(raw) {
          const m = raw as TailMessage;
          // the socket reads the heartbeat (a connection silent past RECONNECT_BEATS of it is given up)
          if (m.type === 'heartbeat') return;
          if (m.type !== 'error') setConnError(null);
          if (m.type === 'events') {
            const c = counters.current;
            c.seen += m.seen;
            c.sent += m.sent;
            c.received += m.received;
            c.examined += m.examined;
            const q = queue.current;
            for (const e of m.events) q.push(e);
            // only the newest MAX_ROWS can ever be shown
            if (q.length > MAX_ROWS) {
              const gone = q.splice(0, q.length - MAX_ROWS);
              if (pausedRef.current) {
                c.pausedDropped += gone.length;
                for (const e of gone) {
                  if (c.pausedFrom === 0 || e.time < c.pausedFrom) c.pausedFrom = e.time;
                  if (e.time > c.pausedTo) c.pausedTo = e.time;
                }
              } else c.skipped += gone.length;
            }
          } else if (m.type === 'error') {
            const details = (m.error as { details?: { column?: unknown } }).details;
            if (!isFilterError(m.error.code) && details?.column === undefined) {
              // the server's wording of an ended session is for API clients ("send 'Authorization: Bearer …'")
              setConnError(m.error.code === 'AUTH_REQUIRED' ? 'your session ended; log in again' : m.error.message);
              return;
            }
            const col = details?.column ?? /at column (\d+)/.exec(m.error.message)?.[1];
            setError({ message: m.error.message, column: col === undefined ? null : Number(col) });
          }
        },
        onState(state, why, retryInMs) {
          setConn({ state, why, retryInMs });
        },
      },
      { defaultMs: DEFAULT_BEAT_MS, reconnectAfterBeats: RECONNECT_BEATS },
    );
    return () => {
      sock.close();
    };
  }, [filter, renewals]);

  // the list lives outside React; made once
  useEffect(() => {
    if (scroller.current === null || list.current === null) return;
    const v = new TailView(scroller.current, list.current, setPicked);
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
  }, []);

  // the render loop: a batch at most every FLUSH_MS, aligned to a frame; counters to React 4 times a second
  useEffect(() => {
    let raf = 0;
    let lastStats = 0;
    let lastFlush = 0;
    const frame = (now: number) => {
      const v = view.current;
      const q = queue.current;
      if (v !== null && !pausedRef.current && q.length > 0 && now - lastFlush >= FLUSH_MS) {
        lastFlush = now;
        const from = heldRef.current ? 0 : Math.max(0, q.length - FLUSH_MAX);
        heldRef.current = false;
        counters.current.skipped += from;
        v.add(from === 0 ? q : q.slice(from));
        queue.current = [];
        lastStats = 0; // the counters follow the rows in the same frame
      }
      if (now - lastStats > 250) {
        lastStats = now;
        const c = counters.current;
        const rows = v?.size ?? 0;
        const waiting = queue.current.length;
        setShown((p) =>
          p.seen === c.seen && p.sent === c.sent && p.skipped === c.skipped && p.pausedDropped === c.pausedDropped && p.examined === c.examined && p.rows === rows && p.waiting === waiting
            ? p
            : { ...c, rows, waiting },
        );
      }
      raf = requestAnimationFrame(frame);
    };
    raf = requestAnimationFrame(frame);
    return () => cancelAnimationFrame(raf);
  }, []);

  const unchecked = shown.received - shown.examined;
  const sampled = shown.sent < shown.seen || shown.skipped > 0 || unchecked > 0;
  // lines that reached the list (it keeps only the newest MAX_ROWS of them): not those skipped, dropped while paused or waiting
  const listed = shown.sent - shown.skipped - shown.pausedDropped - shown.waiting;
  const phase = tailPhase(conn, connError, serverSilentMs, paused);
  return (
    <section className="panel tail" aria-labelledby="tail-title">
      <div className="panel-head tail-head">
        <h2 id="tail-title">Live tail</h2>
        <span className={`dot ${DOT[phase]}`} aria-hidden="true" />
        <span className={`faint conn${connError !== null ? ' conn-error' : ''}`} aria-live="polite" data-phase={phase}>
          {connStateText(conn, connError, error?.message ?? null, serverSilentMs, paused)}
        </span>
        <form
          className="tail-filter"
          onSubmit={(e) => {
            e.preventDefault();
            setParams({ tail: draft }, { replace: true });
          }}
        >
          <QueryBox value={draft} onChange={setDraft} onSubmit={() => setParams({ tail: draft }, { replace: true })} error={error} label="Live tail filter" placeholder="Filter: a query, e.g. sshd -cron" />
        </form>
        <button type="button" className="btn" aria-pressed={paused} aria-label={paused ? 'Resume the live tail' : 'Pause the live tail'} disabled={phase === 'stopped'} onClick={() => {
            // resuming: the queue holds what waited through the pause, shown whole at the next flush
            if (paused) heldRef.current = true;
            setPaused(!paused);
          }}>
          {paused ? '▶ Resume' : '❚❚ Pause'}
        </button>
        <button
          type="button"
          className="btn ghost"
          aria-label="Clear the live tail"
          onClick={() => {
            view.current?.clear();
            setPicked(null);
          }}
        >
          Clear
        </button>
      </div>
      <div className={`tail-notice${sampled ? ' sampled' : ''}`} role="status" aria-live="off">
        {sampled ? (
          <>
            <strong>Sampled:</strong> {formatInt(Math.max(0, listed))} of {formatInt(shown.seen)} lines reached the list (too many a second to show them all)
          </>
        ) : (
          <>
            {formatInt(shown.seen)} {shown.seen === 1 ? 'line' : 'lines'} since connected
          </>
        )}
        {unchecked > 0 && <> (the server checked {formatInt(shown.examined)} of {formatInt(shown.received)} new lines against the filter)</>}
        {shown.pausedDropped > 0 && (
          <span className="tail-paused-dropped">
            {' · '}
            <strong>{formatInt(shown.pausedDropped)} dropped while paused</strong> (more than {formatInt(MAX_ROWS)} waited; the oldest went){' '}
            <Link href={pausedSearchHref(filter, shown.pausedFrom, shown.pausedTo)} aria-label={`Search the ${formatInt(shown.pausedDropped)} lines dropped while paused`}>
              search them
            </Link>
          </span>
        )}
        {' · '}showing {formatInt(shown.rows)}: the page keeps the newest {formatInt(MAX_ROWS)} · times in UTC
        {paused && shown.waiting > 0 && (
          <>
            {' '}
            · paused, {formatInt(shown.waiting)} waiting{shown.waiting >= MAX_ROWS ? ` (at most ${formatInt(MAX_ROWS)} wait: older ones are dropped)` : ''}
          </>
        )}
      </div>
      {picked !== null && (
        <div className="tail-picked" role="region" aria-label="Selected line">
          <div className="tail-picked-head">
            <span className="mono faint">
              {formatUtc(picked.time, true)} · {(picked.host ?? null) === null ? picked.source : `${picked.host} · source ${picked.source}`}
            </span>
            <button type="button" className="btn ghost small" aria-label="Close the selected line" onClick={() => setPicked(null)}>
              ✕
            </button>
          </div>
          <pre className="mono">{picked.line}</pre>
          {picked.truncated === true && (
            <p className="faint">
              Cut for the live tail at {formatInt(picked.line.length)} of {formatInt(picked.fullLength ?? 0)} characters; the whole line is stored, and a search finds it.
            </p>
          )}
        </div>
      )}
      <div className="tail-list" ref={scroller} role="grid" aria-readonly="true" tabIndex={0} aria-label="Live tail lines, newest first, times in UTC; arrows move, Enter opens a line">
        <div ref={list} role="rowgroup" className="tail-rows" />
        {shown.rows === 0 && <div className="empty small tail-empty">{emptyTailText(phase, filter, error?.message ?? null, conn.why)}</div>}
      </div>
    </section>
  );
}
