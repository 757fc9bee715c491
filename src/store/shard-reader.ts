/**
 * Read-only access to one shard: count and list matching rowids newest-first (by rowid, which is
 * arrival order, or event-time order in a merged hour's shard: compaction.ts), event times per rowid from the uncompressed time arrays, and the raw lines of
 * chosen rowids, decompressing each block once. One reader per thread: connections are not shared.
 * A damaged file fails with STORE_SHARD_UNREADABLE, which names it, wherever SQLite notices; so does a
 * file that is gone (`details.missing`), and searches leave either out.
 */
import Database from 'better-sqlite3';
import { decodeBlock, decodeTimes, type DecodedBlock } from './block-codec.js';
import { cacheBlock, cachedBlock, readerKey } from './block-cache.js';
import { AppError } from '../core/index.js';
import { isDamagedShardError, isMissingShardError, shardMissing, shardUnreadable } from './shard-damage.js';
import { openForReading, sqliteAccessProblem } from './sqlite-read.js';
import { LATE_MS_KEY } from './schema.js';
import { measureLateness } from './lateness.js';
import { hostOf, sourceOf } from './stored-source.js';
import { countLines, type BlockCounts } from './line-counts.js';

export interface StoredHit {
  rowid: number;
  time: number;
  receivedAt: number;
  source: string;
  raw: string;
  /** the host its source gives the line (a syslog sender's address, a host named for a file or an ingest; stored-source.ts), where it has one; a header's own host wins over it when the line is parsed */
  sourceHost?: string;
}

/** blocks whose times a reader reads one at a time before it reads every block's (timeAt): more than a page of 100 hits can span */
const TIMES_ONE_BY_ONE = 128;

export class ShardReader implements BlockCounts {
  readonly path: string;
  readonly slotStart: number;
  private readonly blockLines: number;
  private readonly db: Database.Database;
  private readonly stmts = new Map<string, Database.Statement>();
  private readonly times = new Map<number, Uint32Array>();
  /** blocks whose times were read one by one (see timeAt) */
  private timesOneByOne = 0;
  /** the lateness bound measured for a shard that predates LATE_MS_KEY (see lateness()) */
  private measuredLate: number | null = null;
  /** this reader's key in the thread's decoded-block cache (block-cache.ts) */
  private readonly cacheKey = readerKey();

  constructor(path: string) {
    this.path = path;
    this.db = this.guard(() => openForReading(path));
    let meta: Map<string, string>;
    try {
      meta = new Map((this.db.prepare('SELECT k, v FROM meta').all() as { k: string; v: string }[]).map((r) => [r.k, r.v]));
    } catch (e) {
      this.db.close();
      // an empty file opens as an empty database: no meta table
      throw /^no such table/.test((e as Error).message) ? shardUnreadable(path, e) : this.failure(e);
    }
    this.slotStart = Number(meta.get('slot_start'));
    // each shard says how it was cut, so the block size can change without rewriting old shards
    this.blockLines = Number(meta.get('block_lines') ?? 256);
  }

  /**
   * A damaged or missing file's error names it (the caller's message would not), and so does one that cannot be
   * got at (a read-only disk, permissions: STORE_DATA_DIR); other errors pass unchanged.
   */
  private failure(e: unknown): unknown {
    // a file deleted or moved under a running server: left out of searches like a damaged one, not a failure of each
    if (isMissingShardError(e, this.path)) return shardMissing(this.path, e);
    if (isDamagedShardError(e)) return shardUnreadable(this.path, e);
    const access = sqliteAccessProblem(e, this.path);
    return access === null ? e : new AppError('STORE_DATA_DIR', 'unavailable', `store: cannot read shard ${this.path}: ${access}`, { path: this.path }, e);
  }

  private guard<T>(read: () => T): T {
    try {
      return read();
    } catch (e) {
      throw this.failure(e);
    }
  }

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (s === undefined) this.stmts.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  /**
   * Matching rows; `expr` null means every row. The FTS expression is always a bound parameter.
   * `before`: only rowids below it (a search pinned to a moment, store/stored-by.ts); null: all.
   */
  count(expr: string | null, before: number | null = null): number {
    return this.guard(() => {
      if (before !== null) {
        if (expr === null) {
          const sql = 'SELECT coalesce(sum(max(0, min(n, ? - id * ?))), 0) AS c FROM blocks WHERE id * ? < ?';
          return (this.stmt(sql).get(before, this.blockLines, this.blockLines, before) as { c: number }).c;
        }
        // a BigInt, as in rowidsBelow: FTS5 uses an integer rowid bound, and scans past a REAL one
        return (this.stmt('SELECT count(*) AS c FROM idx WHERE idx MATCH ? AND rowid < ?').get(expr, BigInt(before)) as { c: number }).c;
      }
      // every line: summed once per thread, then over the blocks added since (line-counts.ts)
      if (expr === null) return countLines(this);
      return (this.stmt('SELECT count(*) AS c FROM idx WHERE idx MATCH ?').get(expr) as { c: number }).c;
    });
  }

  linesAfter(afterId: number): { lines: number; lastId: number } {
    const r = this.guard(() => this.stmt('SELECT coalesce(sum(n), 0) AS c, max(id) AS m FROM blocks WHERE id > ?').get(afterId) as { c: number; m: number | null });
    return { lines: r.c, lastId: r.m ?? -1 };
  }

  blockMark(id: number): string | null {
    const r = this.guard(() => this.stmt('SELECT n, tmin, tmax FROM blocks WHERE id = ?').get(id) as { n: number; tmin: number; tmax: number } | undefined);
    return r === undefined ? null : `${r.n} ${r.tmin} ${r.tmax}`;
  }

  /** Rowids below `before` (exclusive; null = from the newest), newest first. */
  *rowidsDesc(expr: string | null, before: number | null): Generator<number> {
    try {
      yield* this.rowidsBelow(expr, before);
    } catch (e) {
      throw this.failure(e);
    }
  }

  private *rowidsBelow(expr: string | null, before: number | null): Generator<number> {
    const below = before ?? Number.MAX_SAFE_INTEGER;
    if (expr === null) {
      const blocks = this.stmt('SELECT id, n FROM blocks WHERE id * ? < ? ORDER BY id DESC').iterate(this.blockLines, below) as Iterable<{
        id: number;
        n: number;
      }>;
      for (const b of blocks) {
        for (let i = b.n - 1; i >= 0; i--) {
          const rowid = b.id * this.blockLines + i;
          if (rowid < below) yield rowid;
        }
      }
      return;
    }
    // a BigInt: better-sqlite3 binds numbers as REAL, and FTS5 ignores a rowid bound that is not an integer (it scans)
    const rows = this.stmt('SELECT rowid AS r FROM idx WHERE idx MATCH ? AND rowid < ? ORDER BY rowid DESC').iterate(expr, BigInt(below)) as Iterable<{ r: number }>;
    for (const row of rows) yield row.r;
  }

  /**
   * How far below the greatest time stored before it (in rowid order) a row's time may be (schema.ts,
   * LATE_MS_KEY). Read in the same snapshot as rows read by a statement still running: call it after
   * that statement's first step. A shard from before the key: 0 when a merge wrote it (rows in time
   * order), otherwise measured from every block's times once (a pass over the table).
   */
  lateness(): number {
    return this.guard(() => {
      const kept = this.stmt('SELECT v FROM meta WHERE k = ?').get(LATE_MS_KEY) as { v: string } | undefined;
      if (kept !== undefined) return Number(kept.v);
      if (this.measuredLate === null) {
        const merged = this.stmt("SELECT 1 FROM meta WHERE k = 'replaces'").get() !== undefined;
        this.measuredLate = merged ? 0 : measureLateness(this.allTimes());
      }
      return this.measuredLate;
    });
  }

  /** Every block's times in rowid order (kept for timeAt). */
  private *allTimes(): Generator<Uint32Array> {
    for (const b of this.stmt('SELECT id, ts FROM blocks ORDER BY id').iterate() as Iterable<{ id: number; ts: Uint8Array }>) {
      let ts = this.times.get(b.id);
      if (ts === undefined) this.times.set(b.id, (ts = decodeTimes(b.ts)));
      yield ts;
    }
  }

  /** Event time (ms) of a row. */
  timeOf(rowid: number): number {
    return this.guard(() => this.timeAt(rowid));
  }

  /**
   * Each block's times are read when one of its rows is first asked for, and kept; past
   * TIMES_ONE_BY_ONE blocks, every block's at once. Until session 37 the first call read every block's:
   * a whole pass over the table, one page per block (a block's row fills a page before its text
   * overflows), which a cold disk made 380 ms of a rare term's newest-100 page over a merged day (24
   * shards of ~650 blocks) whose hits lie in a handful of blocks. One by one throughout, a common term's
   * histogram over the same day took 790 ms cold instead of 430: lookups in turn read pages out of order.
   */
  private timeAt(rowid: number): number {
    const block = Math.floor(rowid / this.blockLines);
    let ts = this.times.get(block);
    if (ts === undefined && this.timesOneByOne++ === TIMES_ONE_BY_ONE) {
      for (const b of this.stmt('SELECT id, ts FROM blocks').iterate() as Iterable<{ id: number; ts: Uint8Array }>) {
        if (!this.times.has(b.id)) this.times.set(b.id, decodeTimes(b.ts));
      }
      ts = this.times.get(block);
    }
    if (ts === undefined) {
      // one block's (or written since every block's were read: an open shard)
      const row = this.stmt('SELECT ts FROM blocks WHERE id = ?').get(block) as { ts: Uint8Array } | undefined;
      if (row === undefined) return this.slotStart;
      ts = decodeTimes(row.ts);
      this.times.set(block, ts);
    }
    return this.slotStart + (ts[rowid % this.blockLines] ?? 0);
  }

  /** The stored lines of these rowids, in the order given. */
  lines(rowids: number[]): StoredHit[] {
    const out: StoredHit[] = [];
    for (const rowid of rowids) {
      const blockId = Math.floor(rowid / this.blockLines);
      const block = this.block(blockId);
      if (block === null) continue;
      const i = rowid % this.blockLines;
      if (i >= block.raw.length) continue;
      const stored = block.source[i]!;
      const host = hostOf(stored);
      const hit: StoredHit = { rowid, time: this.timeOf(rowid), receivedAt: block.receivedAt[i]!, source: host === undefined ? stored : sourceOf(stored), raw: block.raw[i]! };
      if (host !== undefined) hit.sourceHost = host;
      out.push(hit);
    }
    return out;
  }

  /** The decoded block (cached: pages and verification revisit the same blocks). */
  block(blockId: number): DecodedBlock | null {
    const hit = cachedBlock(this.cacheKey, blockId);
    if (hit !== undefined) return hit;
    const row = this.guard(() => this.stmt('SELECT meta, data FROM blocks WHERE id = ?').get(blockId) as { meta: Uint8Array; data: Uint8Array } | undefined);
    if (row === undefined) return null;
    let block: DecodedBlock;
    try {
      block = decodeBlock(row.meta, row.data);
    } catch (e) {
      // SQLite read the row, but its compressed text is not what the writer stored: the file's pages are damaged
      throw shardUnreadable(this.path, new Error(`block ${blockId} cannot be decoded: ${(e as Error).message}`, { cause: e }));
    }
    cacheBlock(this.cacheKey, blockId, block);
    return block;
  }

  /** Raw text of one row, for verification of phrases and substrings. */
  rawOf(rowid: number): string | null {
    const block = this.block(Math.floor(rowid / this.blockLines));
    return block?.raw[rowid % this.blockLines] ?? null;
  }

  /** Forget cached times and blocks (an open shard has grown). */
  refresh(): void {
    this.times.clear();
    this.measuredLate = null;
    this.timesOneByOne = 0;
  }

  close(): void {
    this.db.close();
  }
}
