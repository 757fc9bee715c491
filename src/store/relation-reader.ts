/**
 * Read access to the relation index: the edges of an entity in a time range, both directions, merged
 * over every period and lane file that overlaps the range. Connections are read-only, kept in a small
 * LRU; the file list is re-read at most once a second. A connection unused for `READER_IDLE_MS` is closed
 * (as the search threads close theirs): each holds a SQLite page cache (16 MB at most in this build)
 * filled by what it read, and the files an Investigate session read an hour ago are rarely read again.
 */
import Database from 'better-sqlite3';
import { dirname, join } from 'node:path';
import type { TimeRange } from '../core/index.js';
import { listRelationFiles, RELATIONS_DIR, type RelationFile } from './relation-files.js';
import { DAY_MS, validRollups, type FileStamp, type ValidRollup } from './relation-rollup.js';

export interface EdgeSummary {
  kind: string;
  /** `out`: entity → other; `in`: other → entity */
  direction: 'out' | 'in';
  /** the entity at the other end, `type:value` */
  other: string;
  first: number;
  last: number;
  /**
   * lines in the range for sure. A file stores an edge per hour as (first, last, n), so where the range
   * cuts a file's hour only the lines at `first` and `last` have known times: `first`/`last` are then
   * clipped to what may lie in the range, and `countMax` says how many more may (see `clip`).
   */
  count: number;
  /** set when the range cuts an hour and the edge's lines between its first and last may lie inside: at most this many are in the range */
  countMax?: number;
  /**
   * set when `first`/`last` are bounds rather than times a line was seen (the range cuts an hour): the
   * earliest and latest times a line of the edge is known to lie in the range; absent when `count` is 0
   */
  seen?: { first: number; last: number };
}

export interface EdgeQuery {
  kinds?: readonly string[];
  direction?: 'out' | 'in' | 'both';
}

interface Conn {
  db: Database.Database;
  stmts: Map<string, Database.Statement>;
  usedAt: number;
}

/** a connection unused this long is closed (its page cache freed); re-opening one costs an open */
export const READER_IDLE_MS = 5 * 60_000;
const SWEEP_MS = 30_000;

const MIN = Number.MIN_SAFE_INTEGER;
const MAX = Number.MAX_SAFE_INTEGER;
const LIST_TTL_MS = 1000;
/**
 * A row may hold a line in [from, to): its first or last line lies there, or it has lines between them
 * (n > 2) and that open span meets the range. Parameters: from, to, from, to, to, from.
 */
const TIME = 'AND last >= ? AND first < ? AND (first >= ? OR last < ? OR (n > 2 AND last - first >= 2 AND first + 2 <= ? AND last >= ? + 1))';
const IN_DSTS = 'dst IN (SELECT value FROM json_each(?))';

/** `kind IN (?, ?, …)` for n kinds (the kinds themselves are bound). */
const kindIn = (n: number): string => `kind IN (${new Array<string>(n).fill('?').join(', ')})`;

/**
 * What one file's row (first, last, n lines) says of [from, to): the lines at `first` and `last` are the
 * only ones whose times are known, so `count` counts those in the range, `countMax` adds the n - 2
 * between them when their span meets it, and `first`/`last` are the earliest and latest times a line in
 * the range may have. null when none can lie there (the SQL condition `TIME` already leaves those out).
 */
export function clip(first: number, last: number, n: number, from: number, to: number): { first: number; last: number; count: number; countMax: number; seen: { first: number; last: number } | null } | null {
  const inside = (t: number): boolean => t >= from && t < to;
  // all lines at one instant
  if (first === last) return inside(first) ? { first, last, count: n, countMax: n, seen: { first, last } } : null;
  const fIn = inside(first);
  const lIn = inside(last);
  // every line lies between the first and the last: both inside, all n are
  if (fIn && lIn) return { first, last, count: n, countMax: n, seen: { first, last } };
  const count = (fIn ? 1 : 0) + (lIn ? 1 : 0);
  const lo = Math.max(first + 1, from);
  const hi = Math.min(last - 1, to - 1);
  const middle = n > 2 && lo <= hi ? n - 2 : 0;
  if (count + middle === 0) return null;
  // the one line whose time is known (only one of first and last is inside)
  const known = fIn ? first : lIn ? last : null;
  return { first: fIn ? first : middle > 0 ? lo : last, last: lIn ? last : middle > 0 ? hi : first, count, countMax: count + middle, seen: known === null ? null : { first: known, last: known } };
}

export class RelationIndex {
  readonly root: string;
  private readonly conns = new Map<string, Conn>();
  private listed: { at: number; files: RelationFile[]; rollups: Map<number, ValidRollup[]> } | null = null;
  /** what each roll-up merged (a roll-up never changes once written) */
  private readonly stamps = new Map<string, FileStamp[] | null>();

  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    dataDir: string,
    private readonly maxOpen = 256,
    private readonly idleMs = READER_IDLE_MS,
  ) {
    this.root = join(dataDir, RELATIONS_DIR);
  }

  /** the files this index keeps a connection to, least recently used first (tests) */
  openFiles(): string[] {
    return [...this.conns.keys()];
  }

  /** closes the connections unused for `idleMs`; the sweep timer stops when none is left */
  sweepIdle(now = Date.now()): void {
    for (const [path, c] of this.conns) {
      // least recently used first: the first one used within the window ends the sweep
      if (now - c.usedAt < this.idleMs) break;
      c.db.close();
      this.conns.delete(path);
    }
    if (this.conns.size === 0 && this.sweeper !== null) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
  }

  /**
   * The files that answer for the range, oldest first: period files, except where the range covers what a
   * valid roll-up stands for (a day's prefix, an aligned block): that part is read from the roll-up
   * (relation-rollup.ts).
   */
  files(range: TimeRange): RelationFile[] {
    const now = Date.now();
    if (this.listed === null || now - this.listed.at > LIST_TTL_MS) {
      const files = listRelationFiles(this.root, { from: null, to: null });
      // a period file lies in its day's folder
      const dayDirs = new Map(files.map((f) => [Math.floor(f.start / DAY_MS) * DAY_MS, dirname(f.path)]));
      const rollups = new Map<number, ValidRollup[]>();
      for (const [day, dir] of dayDirs) {
        // largest first: the cover below takes them greedily
        const r = validRollups(dir, this.stamps).sort((a, b) => b.toMs - b.fromMs - (a.toMs - a.fromMs));
        if (r.length > 0) rollups.set(day, r);
      }
      this.listed = { at: now, files, rollups };
      // forget connections to files retention removed or a newer roll-up replaced
      const live = new Set([...files.map((f) => f.path), ...[...rollups.values()].flat().map((r) => r.path)]);
      for (const [path, c] of this.conns) {
        if (live.has(path)) continue;
        c.db.close();
        this.conns.delete(path);
      }
      for (const path of this.stamps.keys()) if (!live.has(path)) this.stamps.delete(path);
    }
    const out: RelationFile[] = [];
    // per day, the largest valid roll-ups inside the range that do not overlap (aligned blocks nest;
    // the prefix is taken when it fits), then the period files none of them stands for
    const chosen = new Map<number, RelationFile[]>();
    const inRange = (start: number, end: number): boolean => (range.from === null || range.from <= start) && (range.to === null || end <= range.to);
    for (const f of this.listed.files) {
      if (!((range.to === null || f.start < range.to) && (range.from === null || f.end > range.from))) continue;
      const day = Math.floor(f.start / DAY_MS) * DAY_MS;
      let picks = chosen.get(day);
      if (picks === undefined) {
        picks = [];
        for (const r of this.listed.rollups.get(day) ?? []) {
          const start = day + r.fromMs;
          const end = day + r.toMs;
          if (!inRange(start, end) || picks.some((p) => p.start < end && start < p.end)) continue;
          picks.push({ rel: r.path.slice(this.root.length + 1), path: r.path, start, end, lane: -1 });
        }
        chosen.set(day, picks);
        out.push(...picks);
      }
      if (picks.some((p) => p.start <= f.start && f.start < p.end)) continue;
      out.push(f);
    }
    return out.sort((a, b) => a.start - b.start || a.lane - b.lane);
  }

  /**
   * The open connections of the files answering for the range, each with the time condition its rows
   * need: none where the file lies whole in the range, else [first, last] against it (`TIME` and its
   * two parameters).
   */
  private *read(range: TimeRange): Generator<{ c: Conn; time: string; timeParams: number[]; cut: boolean }> {
    const from = range.from ?? MIN;
    const to = range.to ?? MAX;
    for (const f of this.files(range)) {
      const c = this.conn(f.path);
      if (c === null) continue;
      const covered = from <= f.start && f.end <= to;
      yield { c, time: covered ? '' : ` ${TIME}`, timeParams: covered ? [] : [from, to, from, to, to, from], cut: !covered };
    }
  }

  /**
   * Every edge touching `entity` in the range (of the given kinds, in the given directions), merged over
   * periods and lanes by (direction, kind, other). Edges are read by primary key (out) or by the
   * (dst, kind, src) index (in), so a kind filter is a seek, not a scan.
   */
  edges(entity: string, range: TimeRange, q: EdgeQuery = {}): EdgeSummary[] {
    const merged = new Map<string, EdgeSummary>();
    const dirs: ('out' | 'in')[] = q.direction === 'out' ? ['out'] : q.direction === 'in' ? ['in'] : ['out', 'in'];
    const kinds = q.kinds ?? [];
    const from = range.from ?? MIN;
    const to = range.to ?? MAX;
    for (const { c, time, timeParams, cut } of this.read(range)) {
      for (const direction of dirs) {
        const [self, other] = direction === 'out' ? ['src', 'dst'] : ['dst', 'src'];
        const sql = `SELECT kind, ${other}, first, last, n FROM edges WHERE ${self} = ?` + (kinds.length > 0 ? ` AND ${kindIn(kinds.length)}` : '') + time;
        for (const r of (this.stmt(c, sql)?.all(entity, ...kinds, ...timeParams) ?? []) as [string, string, number, number, number][]) {
          const k = cut ? clip(r[2], r[3], r[4], from, to) : { first: r[2], last: r[3], count: r[4], countMax: r[4], seen: { first: r[2], last: r[3] } };
          if (k === null) continue;
          const key = direction + '\u0000' + r[0] + '\u0000' + r[1];
          const m = merged.get(key);
          if (m === undefined) {
            const e: EdgeSummary = { kind: r[0], direction, other: r[1], first: k.first, last: k.last, count: k.count };
            if (k.countMax > k.count) e.countMax = k.countMax;
            if (k.seen !== null) e.seen = k.seen;
            merged.set(key, e);
          } else {
            if (k.first < m.first) m.first = k.first;
            if (k.last > m.last) m.last = k.last;
            const max = (m.countMax ?? m.count) + k.countMax;
            m.count += k.count;
            if (max > m.count) m.countMax = max;
            if (k.seen !== null) m.seen = m.seen === undefined ? k.seen : { first: Math.min(m.seen.first, k.seen.first), last: Math.max(m.seen.last, k.seen.last) };
          }
        }
      }
    }
    // `seen` is said only where it differs from the bounds
    const out = [...merged.values()];
    for (const e of out) if (e.seen !== undefined && e.seen.first === e.first && e.seen.last === e.last) delete e.seen;
    return out;
  }

  /**
   * How many edges of `kinds` point at each destination in the range (summed over files: at least the
   * number of distinct sources, at most that times the files), counted from the (dst, kind, src) index
   * without reading rows where a file lies whole in the range; one statement per file for all the
   * destinations (`json_each`). Counting stops past `cap` in a file: such a destination (more than `cap`
   * sources for sure) maps to Infinity, so a popular one costs no more than a rare one.
   */
  fanIn(dsts: readonly string[], kinds: readonly string[], range: TimeRange, cap = Number.MAX_SAFE_INTEGER - 1): Map<string, number> {
    const out = new Map<string, number>();
    if (dsts.length === 0) return out;
    const json = JSON.stringify(dsts);
    for (const { c, time, timeParams } of this.read(range)) {
      const sql = `SELECT j.value, (SELECT count(*) FROM (SELECT 1 FROM edges WHERE dst = j.value AND ${kindIn(kinds.length)}${time} LIMIT ?)) FROM json_each(?) AS j`;
      const rows = (this.stmt(c, sql)?.all(...kinds, ...timeParams, cap + 1, json) ?? []) as [string, number][];
      for (const [dst, n] of rows) if (n > 0) out.set(dst, n > cap ? Infinity : (out.get(dst) ?? 0) + n);
    }
    return out;
  }

  /**
   * How many edges of `kinds` leave `src` in the range, summed over the files, from the primary key
   * (src, kind, dst) without reading rows; Infinity once a file holds more than `cap` (the investigator
   * counts a scanner's edges out before deciding how much of them to read).
   */
  fanOut(src: string, kinds: readonly string[], range: TimeRange, cap = Number.MAX_SAFE_INTEGER - 1): number {
    let total = 0;
    for (const { c, time, timeParams } of this.read(range)) {
      const sql = `SELECT count(*) FROM (SELECT 1 FROM edges WHERE src = ? AND ${kindIn(kinds.length)}${time} LIMIT ?)`;
      const n = (this.stmt(c, sql)?.pluck(true).get(src, ...kinds, ...timeParams, cap + 1) ?? 0) as number;
      if (n > cap) return Infinity;
      total += n;
    }
    return total;
  }

  /** The distinct sources of each destination (edges of `kinds` in the range). */
  sourcesOf(dsts: readonly string[], kinds: readonly string[], range: TimeRange): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const d of dsts) out.set(d, new Set());
    if (dsts.length === 0) return out;
    const json = JSON.stringify(dsts);
    for (const { c, time, timeParams } of this.read(range)) {
      const sql = `SELECT dst, src FROM edges WHERE ${IN_DSTS} AND ${kindIn(kinds.length)}${time}`;
      for (const [dst, src] of (this.stmt(c, sql)?.all(json, ...kinds, ...timeParams) ?? []) as [string, string][]) out.get(dst)?.add(src);
    }
    return out;
  }

  /** The sources of one destination, at most `max` of them (read file by file until there are that many). */
  sourcesOfOne(dst: string, kinds: readonly string[], range: TimeRange, max: number): Set<string> {
    const out = new Set<string>();
    for (const { c, time, timeParams } of this.read(range)) {
      const sql = `SELECT dst, src FROM edges WHERE dst = ? AND ${kindIn(kinds.length)}${time} LIMIT ?`;
      for (const [, src] of (this.stmt(c, sql)?.all(dst, ...kinds, ...timeParams, max) ?? []) as [string, string][]) {
        out.add(src);
        if (out.size >= max) return out;
      }
    }
    return out;
  }

  /** A cached statement of a connection; null while the file has no schema yet (its writer is creating it). */
  private stmt(c: Conn, sql: string): Database.Statement | null {
    let s = c.stmts.get(sql);
    if (s === undefined) {
      try {
        s = c.db.prepare(sql);
      } catch {
        return null;
      }
      if (!sql.startsWith('SELECT count(*) FROM (') && !sql.startsWith('SELECT src')) s.raw(true);
      c.stmts.set(sql, s);
    }
    return s;
  }

  private conn(path: string): Conn | null {
    const hit = this.conns.get(path);
    if (hit !== undefined) {
      // most recently used last
      this.conns.delete(path);
      this.conns.set(path, hit);
      hit.usedAt = Date.now();
      return hit;
    }
    try {
      const db = new Database(path, { readonly: true, fileMustExist: true });
      const c: Conn = { db, stmts: new Map(), usedAt: Date.now() };
      if (this.sweeper === null) {
        this.sweeper = setInterval(() => this.sweepIdle(), Math.min(SWEEP_MS, this.idleMs));
        this.sweeper.unref();
      }
      if (this.conns.size >= this.maxOpen) {
        const [oldPath, old] = this.conns.entries().next().value!;
        old.db.close();
        this.conns.delete(oldPath);
      }
      this.conns.set(path, c);
      return c;
    } catch {
      // not created yet (a writer is making it) or removed by retention meanwhile
      return null;
    }
  }

  close(): void {
    for (const c of this.conns.values()) c.db.close();
    this.conns.clear();
    if (this.sweeper !== null) clearInterval(this.sweeper);
    this.sweeper = null;
  }
}
