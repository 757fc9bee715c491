/** Polls /api/live (or /api/stats where there is no /api/live) every 2 s into one shape, with a short rate history. */
import { useEffect, useRef, useState } from 'react';
import { request, isApiError } from '../../lib/api.ts';
import type { ApiBackupStats, LiveResponse, StatsResponse } from '../../lib/types.ts';
import { staleAge } from '../../lib/stale.ts';

export interface LiveView {
  at: number;
  linesPerSecond: number;
  bytesPerSecond: number | null;
  drops: Record<string, number>;
  shards: number;
  bytes: number;
  lines: number | null;
  oldest: number | null;
  newest: number | null;
  diskFree: number | null;
  queued: number | null;
  /** closed hours merged into one shard each; null from a server that does not say */
  mergedShards: number | null;
  /** the server's merges of closed hours since it started; null from a server that does not say */
  /** `waiting`: due hours the last round left for a search being read (absent from a server before it) */
  compaction: { merges: number; failures: number; waiting?: number; lastMergeAt: number | null; running: boolean } | null;
  /** the store's newest problems (a damaged shard, a failed retention…), oldest first; empty when it has none */
  problems: string[];
  /** `notUtf8`: lines stored with U+FFFD for bytes that are not UTF-8 (absent from a server before session 40) */
  /** `files`: a followed file source's files and the host each one's headerless lines get (absent from a server before session h257) */
  sources: { name: string; received: number; bytes: number; drops: Record<string, number>; notUtf8?: number | undefined; files?: { path: string; host: string | null }[] | undefined }[];
  /** the scheduled backups; null: none scheduled; undefined: the server does not say (before session h270) */
  backup: ApiBackupStats | null | undefined;
}

/**
 * What host a source gives the lines whose header names none: a syslog listener its senders' addresses,
 * a followed file the host its entry names (this machine's, or none); null where the server does not say.
 */
export function sourceHostNotes(s: LiveView['sources'][number]): string[] {
  if (/^(udp|tcp|tls):/.test(s.name)) return ["lines without a host: the sender's address"];
  return (s.files ?? []).map((f) => `${f.path}: lines without a host get ${f.host === null ? 'none' : f.host}`);
}

/** Per source whose lines had bytes that are not UTF-8: what happened to them and what to do. */
export function notUtf8Notes(sources: LiveView['sources'], formatInt: (n: number) => string): string[] {
  const notes: string[] = [];
  for (const s of sources) {
    const n = s.notUtf8 ?? 0;
    if (n === 0) continue;
    notes.push(`${s.name}: ${formatInt(n)} ${n === 1 ? 'line had bytes' : 'lines had bytes'} that are not UTF-8, stored with \ufffd in their place: set the device to send UTF-8`);
  }
  return notes;
}

export const POLL_MS = 2000;
/** a poll that has not answered in this long has failed: a hung server must not leave the page showing the last figures as current */
export const POLL_TIMEOUT_MS = 3 * POLL_MS;
/** figures older than this (two polls missed) are marked as stale */
export const STALE_MS = 2 * POLL_MS + 1000;
const HISTORY = 150;

/** How old the figures are when they are stale at `now` (ms), or null while they are current (or there are none yet). */
export const staleFor = (view: LiveView | null, now: number): number | null => staleAge(view?.at ?? null, now, STALE_MS);

/** The error of a failed poll, in words: a timeout says how long it waited. */
export function pollError(e: unknown): string {
  if (e instanceof DOMException && e.name === 'TimeoutError') return `no answer in ${POLL_TIMEOUT_MS / 1000} s (the server is down, hung or unreachable)`;
  if (e instanceof TypeError) return `the server cannot be reached (${e.message})`;
  return e instanceof Error ? e.message : String(e);
}

/** Sums drop counters by reason over the node and its sources. */
export function dropsByReason(top: Record<string, number> | undefined, sources: LiveView['sources']): Record<string, number> {
  const out: Record<string, number> = {};
  const add = (rec: Record<string, number>) => {
    for (const [k, n] of Object.entries(rec)) out[k] = (out[k] ?? 0) + n;
  };
  if (top !== undefined && Object.keys(top).length > 0) add(top);
  else for (const s of sources) add(s.drops);
  return out;
}

function fromLive(r: LiveResponse, at: number): LiveView {
  return {
    at,
    linesPerSecond: r.ingest.linesPerSecond,
    bytesPerSecond: r.ingest.bytesPerSecond,
    drops: dropsByReason(r.drops, r.sources),
    shards: r.store.shards,
    bytes: r.store.bytes,
    lines: r.store.lines,
    oldest: r.store.oldest,
    newest: r.store.newest,
    diskFree: r.store.diskFreeBytes,
    queued: r.ingest.queued,
    // a server before session 25 sends none
    problems: r.store.problems ?? [],
    // nor one before session 38
    mergedShards: r.store.mergedShards ?? null,
    compaction: r.store.compaction ?? null,
    sources: r.sources,
    backup: r.backup,
  };
}

function fromStats(r: StatsResponse, at: number, prev: LiveView | null): LiveView {
  const bytes = r.sources.reduce((a, s) => a + s.bytes, 0);
  const prevBytes = prev?.sources.reduce((a, s) => a + s.bytes, 0) ?? null;
  return {
    at,
    linesPerSecond: r.ingest.linesPerSecond.last1s,
    bytesPerSecond: prev === null || prevBytes === null ? null : Math.max(0, ((bytes - prevBytes) * 1000) / Math.max(1, at - prev.at)),
    drops: dropsByReason(undefined, r.sources),
    shards: r.store.shards,
    bytes: r.store.bytes,
    lines: r.store.rows,
    oldest: r.store.oldest,
    newest: r.store.newest,
    diskFree: r.store.diskFreeBytes,
    queued: r.ingest.queued,
    problems: r.store.problems ?? [],
    mergedShards: r.store.mergedShards ?? null,
    compaction: r.store.compaction ?? null,
    sources: r.sources,
    // a server with no /api/live is older than the Live page's backups: absent says nothing of a schedule
    backup: r.backup,
  };
}

/** The shards tile's second line: the merged hours, and what merging does now (running, failed, last done). */
export function mergesLine(view: Pick<LiveView, 'mergedShards' | 'compaction'>, now: number, ago: (t: number, now: number) => string): string | undefined {
  const parts: string[] = [];
  if (view.mergedShards !== null) parts.push(`${view.mergedShards} merged ${view.mergedShards === 1 ? 'hour' : 'hours'}`);
  const c = view.compaction;
  if (c !== null) {
    if (c.running) parts.push('merging now');
    else if (c.lastMergeAt !== null) parts.push(`last merge ${ago(c.lastMergeAt, now)}`);
    if (c.failures > 0) parts.push(`${c.failures} ${c.failures === 1 ? 'merge' : 'merges'} failed`);
    // an hour left as written is slower to search: say why, so it is not taken for a stuck merge
    const w = c.waiting ?? 0;
    if (w > 0) parts.push(`${w} ${w === 1 ? 'hour waits' : 'hours wait'} for a search being read`);
  }
  return parts.length === 0 ? undefined : parts.join(' · ');
}

export function useLiveStats(): { view: LiveView | null; history: [number[], number[]]; error: string | null } {
  const [view, setView] = useState<LiveView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const hist = useRef<[number[], number[]]>([[], []]);
  const [history, setHistory] = useState<[number[], number[]]>([[], []]);

  useEffect(() => {
    let stopped = false;
    let useStats = false;
    let prev: LiveView | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    // every read after the first is the page's own: it does not hold the session open
    let background = false;
    const tick = async () => {
      const at = Date.now();
      const signal = AbortSignal.timeout(POLL_TIMEOUT_MS);
      try {
        let v: LiveView;
        if (!useStats) {
          try {
            v = fromLive(await request<LiveResponse>('/api/live', { background, signal }), at);
          } catch (e) {
            if (!(isApiError(e) && e.status === 404)) throw e;
            useStats = true;
            v = fromStats(await request<StatsResponse>('/api/stats', { background, signal }), at, prev);
          }
        } else {
          v = fromStats(await request<StatsResponse>('/api/stats', { background, signal }), at, prev);
        }
        if (stopped) return;
        prev = v;
        const [xs, ys] = hist.current;
        xs.push(at);
        ys.push(v.linesPerSecond);
        if (xs.length > HISTORY) {
          xs.shift();
          ys.shift();
        }
        setView(v);
        setHistory([xs.slice(), ys.slice()]);
        setError(null);
      } catch (e) {
        if (!stopped) setError(pollError(e));
      }
      background = true;
      if (!stopped) timer = setTimeout(() => void tick(), POLL_MS);
    };
    void tick();
    return () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
    };
  }, []);

  return { view, history, error };
}
