/**
 * Which rows of each shard the store had stored at a given moment: what a search pinned to a moment
 * (`asOf`, search/root.ts) reads, so that every request of one search on the page (the hits, the
 * histogram, the count, the facets, further pages, the export) counts the same lines however many
 * arrive between them. A time range alone does not do that: it bounds a line's event time, and a line
 * stamped inside the range but stored after one request ran (a late line, or a BSD syslog line cut to
 * the second, stamped before a pin made later within that second) was counted by the later ones only.
 *
 * Exact and cheap because a shard is append-only and every commit starts a new block: a commit's rows
 * are one rowid interval [from, to) above every row stored before it, so "stored by T" is "rowid below
 * the `from` of the shard's first commit after T" (or, with none after T, below the end the catalog
 * knows: rows committed but not yet acknowledged to it are left out by every request alike). A merged
 * shard renumbers rows (event-time order), so no rowid bound tells its sources' later commits apart: it
 * is read whole for a moment after every commit its sources took, and refused for one before the last
 * of them (`merged`): a late line merged into a closed hour between two requests of one search would
 * otherwise be counted by the second only. The moments are when the catalog took each commit's report (this process's clock, on the main thread).
 * The store notes each pin a search reads with (`used`, bounded: MAX_PINS), and a merge that would
 * refuse a pin read recently waits (`pinHeld`, compaction.ts), until its reader left or it is forgotten.
 * Kept in memory for `AS_OF_MEMORY_MS`; older moments, and moments before the store opened (what the
 * last process stored when is not on disk), are refused with SEARCH_AS_OF_TOO_OLD where they matter.
 */
import { AppError } from '../core/index.js';

/** how long this process remembers when each commit was stored: a pinned search asked later is refused */
export const AS_OF_MEMORY_MS = 3_600_000;
/** how often the remembered commits are pruned */
const PRUNE_EVERY_MS = 60_000;
/** pins in use noted at most (the least recently read goes first); identical moments share one */
export const MAX_PINS = 1024;

interface Timeline {
  /** when each remembered commit was taken, ascending, and the first rowid it stored */
  at: number[];
  from: number[];
  /** one above the last rowid any commit stored (the end as the catalog knows it) */
  end: number;
  /** the moment of the newest commit no longer remembered; -Infinity: none forgotten */
  forgottenUpTo: number;
  /** a merged shard: when the merge was swapped in (its sources' commits are all before `forgottenUpTo`) */
  mergedAt?: number;
}

export class StoredBy {
  private readonly shards = new Map<string, Timeline>();
  private prunedAt: number;
  /** pins read since the store opened: moment -> when a search last read with it, least recently read first */
  private readonly pins = new Map<number, number>();

  constructor(
    /** when the store opened: the moments of earlier commits are not known */
    readonly openedAt: number,
    private readonly memoryMs = AS_OF_MEMORY_MS,
  ) {
    this.prunedAt = openedAt;
  }

  /** A commit of rows [from, to) of shard `rel`, taken at `at`. */
  note(rel: string, at: number, from: number, to: number): void {
    let t = this.shards.get(rel);
    if (t === undefined) this.shards.set(rel, (t = { at: [], from: [], end: 0, forgottenUpTo: -Infinity }));
    // the clock stepped back: keep the moments ascending (a commit is never taken before the one before it)
    t.at.push(Math.max(at, t.at[t.at.length - 1] ?? -Infinity));
    t.from.push(from);
    if (to > t.end) t.end = to;
    if (at - this.prunedAt >= PRUNE_EVERY_MS) this.prune(at);
  }

  /**
   * Shard `rel` was merged from `sources` at `at`: which of its rows each source stored when is not
   * known, so a moment before the last commit any source took (remembered or forgotten) is refused.
   * The sources are forgotten. Sources nothing is remembered of (from disk) were stored before the
   * store opened, a moment that is refused anyway.
   */
  merged(rel: string, sources: readonly string[], at: number): void {
    let last = -Infinity;
    for (const src of sources) {
      const t = this.shards.get(src);
      if (t !== undefined) last = Math.max(last, t.forgottenUpTo, t.at[t.at.length - 1] ?? -Infinity);
      this.shards.delete(src);
    }
    if (last > -Infinity) this.shards.set(rel, { at: [], from: [], end: 0, forgottenUpTo: last, mergedAt: at });
  }

  /** The shard is no longer listed (merged, removed by retention, lost). */
  forget(rel: string): void {
    this.shards.delete(rel);
  }

  /**
   * The rowid below which shard `rel`'s rows had been stored at `asOf` (0: none yet), or null when the
   * shard is read whole: every row was stored by then, or nothing about it is remembered since the store
   * opened (a shard from disk, or a merged one: its sources were sealed, their lines stored before it).
   * `sealed`: the shard takes no more rows. Throws SEARCH_AS_OF_TOO_OLD (conflict) where `asOf` is before
   * what is remembered. Notes the pin as read at `at` (`used`; a request passes one moment for all its shards).
   */
  bound(rel: string, sealed: boolean, asOf: number, at = Date.now()): number | null {
    if (asOf < this.openedAt) throw tooOld(asOf, this.openedAt, `this server started at ${iso(this.openedAt)}`, 'restarted');
    this.used(asOf, at);
    const t = this.shards.get(rel);
    if (t === undefined) return null;
    if (asOf < t.forgottenUpTo) {
      if (t.mergedAt !== undefined) {
        throw tooOld(asOf, t.forgottenUpTo, `shard ${rel} was merged at ${iso(t.mergedAt)} from shards of its hour, one of which took lines at ${iso(t.forgottenUpTo)}, and a merged shard does not keep which of its lines came after asOf`, 'merged');
      }
      throw tooOld(asOf, t.forgottenUpTo, `when lines were stored is kept for ${this.memoryMs / 60_000} minutes, and shard ${rel} took lines at ${iso(t.forgottenUpTo)}`, 'forgotten');
    }
    const i = firstAfter(t.at, asOf);
    if (i < t.at.length) return t.from[i]!;
    return sealed ? null : t.end;
  }

  /**
   * A search read with pin `asOf` at `at` (bound does this for every shard it bounds): while it is in use,
   * merges that would refuse it wait (pinHeld). At most MAX_PINS are noted: pins older than the memory
   * go first, then the least recently read.
   */
  used(asOf: number, at: number): void {
    const last = this.pins.get(asOf);
    // once a second is enough for "when last read": a request bounds every shard of its range
    if (last !== undefined && at - last < 1000) return;
    this.pins.delete(asOf);
    if (this.pins.size >= MAX_PINS) {
      for (const pin of this.pins.keys()) if (pin < at - this.memoryMs) this.pins.delete(pin);
      for (const pin of this.pins.keys()) {
        if (this.pins.size < MAX_PINS) break;
        this.pins.delete(pin);
      }
    }
    this.pins.set(asOf, at);
  }

  /** How many pins are noted (at most MAX_PINS). */
  get pinsNoted(): number {
    return this.pins.size;
  }

  /**
   * The pin in use that merging `sources` at `now` would refuse (`merged`: it is before a commit one of
   * them took), or null. In use: read within `idleMs` before `now` (longer, the reader left), not older
   * than the memory (refused as `forgotten` then anyway), not before the store opened. Bounds the wait:
   * an hour waits at most until its sources' last commit is `memoryMs` old.
   */
  pinHeld(sources: readonly string[], now: number, idleMs: number): number | null {
    if (idleMs <= 0 || this.pins.size === 0) return null;
    let last = -Infinity;
    for (const src of sources) last = Math.max(last, this.shards.get(src)?.at.at(-1) ?? -Infinity);
    const oldest = Math.max(this.openedAt, now - this.memoryMs);
    for (const [pin, usedAt] of this.pins) if (pin < last && pin >= oldest && usedAt >= now - idleMs) return pin;
    return null;
  }

  /** Forgets commits taken more than `memoryMs` before `now`. */
  private prune(now: number): void {
    this.prunedAt = now;
    const before = now - this.memoryMs;
    for (const t of this.shards.values()) {
      const n = firstAfter(t.at, before - 1);
      if (n === 0) continue;
      t.forgottenUpTo = t.at[n - 1]!;
      t.at.splice(0, n);
      t.from.splice(0, n);
    }
  }
}

/** The index of the first moment after `asOf` in ascending `at` (at.length: none). */
function firstAfter(at: readonly number[], asOf: number): number {
  let lo = 0;
  let hi = at.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (at[mid]! > asOf) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Why a moment is refused: the server started after it, its commits' times were forgotten, or a shard was merged since. */
export type AsOfTooOldReason = 'restarted' | 'forgotten' | 'merged';

function tooOld(asOf: number, known: number, why: string, reason: AsOfTooOldReason): AppError {
  return new AppError(
    'SEARCH_AS_OF_TOO_OLD',
    'conflict',
    `search: asOf ${asOf} (${iso(asOf)}) is too old: ${why}, so which lines were stored by asOf is not known; run the search again (a later asOf, or none)`,
    { param: 'asOf', asOf, known, reason },
  );
}
