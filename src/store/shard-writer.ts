/** One shard file being written by one writer lane: append in a transaction, then seal. */
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { BLOCK_LINES, LATE_MS_KEY, writerPragmas } from './schema.js';
import { emptyShardImage } from './shard-image.js';
import { decodeTimes, encodeBlock, type BlockLine } from './block-codec.js';
import { Lateness, measureLateness } from './lateness.js';
import type { RelationEdge } from './relation-writer.js';
import { openOrCreate, storageError } from './storage-errors.js';

/** An event ready for the store: its time decides the slot, `text` is what the index sees (see terms.ts). */
export interface StoredLine {
  time: number;
  receivedAt: number;
  source: string;
  raw: string;
  /** the index text, or its first part when `terms` is given */
  text: string;
  /**
   * typed terms (terms.ts `indexParts`): the index sees `text`, a newline and these, joined by SQLite, so
   * that no JS string of the whole is built and kept until the round commits
   */
  terms?: string;
  /** relation edges the line names, for the relation index (absent when relation extraction is off) */
  relations?: RelationEdge[];
}

export interface ShardStats {
  rows: number;
  /** absolute event-time bounds of what is stored, ms; null when empty */
  tmin: number | null;
  tmax: number | null;
}

export class ShardWriter {
  readonly path: string;
  readonly slotStart: number;
  private readonly db: Database.Database;
  private readonly insertIdx: Database.Statement;
  private readonly insertIdxTerms: Database.Statement;
  private readonly insertBlock: Database.Statement;
  private readonly putLate: Database.Statement;
  /** the lateness bound of what is stored, kept in meta (schema.ts, LATE_MS_KEY); offsets from the slot start */
  private readonly late: Lateness;
  private nextBlockId: number;
  /** the file's inode when opened: a file deleted or replaced under the writer has another, or none */
  private readonly ino: number;
  lastWriteAt = 0;
  readonly stats: ShardStats;
  /** the rowids the last append committed, [from, to): a block boundary each (every commit starts a new block) */
  lastAppend: { from: number; to: number } | null = null;

  /** `fsync`: each commit waits for the disk (see writerPragmas) */
  constructor(path: string, slotStart: number, slotMs: number, lane: number, fsync = true) {
    this.path = path;
    this.slotStart = slotStart;
    // a new file starts as a complete empty shard (shard-image.ts); a parked one is reopened as it is
    this.db = openOrCreate(path, (db) => {
      for (const p of writerPragmas(fsync)) db.pragma(p);
    }, { bytes: () => emptyShardImage(slotStart, slotMs, lane), fsync });
    this.ino = statSync(path).ino;
    this.insertIdx = this.db.prepare('INSERT INTO idx(rowid, t) VALUES (?, ?)');
    this.insertIdxTerms = this.db.prepare("INSERT INTO idx(rowid, t) VALUES (?, ? || char(10) || ?)");
    this.insertBlock = this.db.prepare('INSERT INTO blocks(id, n, tmin, tmax, ts, meta, data) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const row = this.db.prepare('SELECT max(id) AS id, sum(n) AS rows, min(tmin) AS tmin, max(tmax) AS tmax FROM blocks').get() as {
      id: number | null;
      rows: number | null;
      tmin: number | null;
      tmax: number | null;
    };
    this.putLate = this.db.prepare('INSERT OR REPLACE INTO meta(k, v) VALUES (?, ?)');
    this.nextBlockId = (row.id ?? -1) + 1;
    this.late = new Lateness(row.tmax ?? -Infinity, this.storedLateness(row.id !== null));
    this.stats = {
      rows: row.rows ?? 0,
      tmin: row.tmin === null ? null : slotStart + row.tmin,
      tmax: row.tmax === null ? null : slotStart + row.tmax,
    };
  }

  /**
   * The bound in meta; a shard written before the key (reopened after an upgrade) has it measured from
   * its rows once and written.
   */
  private storedLateness(hasRows: boolean): number {
    const kept = this.db.prepare('SELECT v FROM meta WHERE k = ?').get(LATE_MS_KEY) as { v: string } | undefined;
    if (kept !== undefined) return Number(kept.v);
    const blocks = this.db.prepare('SELECT ts FROM blocks ORDER BY id').iterate() as Iterable<{ ts: Uint8Array }>;
    const late = hasRows ? measureLateness((function* () {
      for (const b of blocks) yield decodeTimes(b.ts);
    })()) : 0;
    this.putLate.run(LATE_MS_KEY, String(late));
    return late;
  }

  /**
   * Whether the file this writer has open is still the one at its path. A file deleted (or moved) while
   * open keeps taking writes through the open handle, and lines acknowledged into it are gone with it:
   * a review saw 13,110 lines lost that way where the catalog counted 8,407.
   */
  stillOnDisk(): boolean {
    return statSync(this.path, { throwIfNoEntry: false })?.ino === this.ino;
  }

  /** Appends lines in one transaction; when it returns they are committed. A partial last block is closed. */
  append(lines: StoredLine[]): void {
    const run = this.db.transaction(() => {
      // index first, then compress: interleaving brotli with FTS5 inserts evicts the index's hash table from cache
      const firstBlock = this.nextBlockId;
      for (let i = 0; i < lines.length; i++) {
        const blockId = firstBlock + Math.floor(i / BLOCK_LINES);
        const l = lines[i]!;
        const rowid = blockId * BLOCK_LINES + (i % BLOCK_LINES);
        if (l.terms === undefined || l.terms === '') this.insertIdx.run(rowid, l.text);
        else this.insertIdxTerms.run(rowid, l.text, l.terms);
      }
      for (let start = 0; start < lines.length; start += BLOCK_LINES) {
        const end = Math.min(lines.length, start + BLOCK_LINES);
        const blockId = this.nextBlockId++;
        const blockLines: BlockLine[] = [];
        for (let i = start; i < end; i++) {
          const l = lines[i]!;
          const offset = l.time - this.slotStart;
          this.late.see(offset);
          blockLines.push({ offset, receivedAt: l.receivedAt, source: l.source, raw: l.raw });
        }
        const b = encodeBlock(blockLines);
        this.insertBlock.run(blockId, b.n, b.tmin, b.tmax, b.ts, b.meta, b.data);
        this.stats.rows += b.n;
        const tmin = this.slotStart + b.tmin;
        const tmax = this.slotStart + b.tmax;
        if (this.stats.tmin === null || tmin < this.stats.tmin) this.stats.tmin = tmin;
        if (this.stats.tmax === null || tmax > this.stats.tmax) this.stats.tmax = tmax;
      }
      // in the commit that stores the late line: a reader never sees a row the bound does not cover
      if (this.late.late !== before.late) this.putLate.run(LATE_MS_KEY, String(this.late.late));
    });
    // a transaction rolled back (disk full) leaves the counts, the next block id and the bound as they were
    const before = { next: this.nextBlockId, stats: { ...this.stats }, max: this.late.max, late: this.late.late };
    try {
      run();
    } catch (e) {
      this.nextBlockId = before.next;
      Object.assign(this.stats, before.stats);
      this.late.max = before.max;
      this.late.late = before.late;
      throw storageError(e, this.path);
    }
    this.lastAppend = { from: before.next * BLOCK_LINES, to: this.nextBlockId * BLOCK_LINES };
    this.lastWriteAt = Date.now();
  }

  /**
   * Seals: merges the index into one segment when asked (faster reads, costs a rewrite), folds the WAL
   * into the file and leaves a single self-contained, read-only-from-now-on file.
   */
  seal(optimize: boolean): void {
    sealOpen(this.db, optimize);
    this.db.close();
  }

  /** Closes without sealing (shutdown while the slot is still open); the WAL is folded in. */
  close(): void {
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      // the WAL that could not be folded in is replayed by the next opener
      this.db.close();
    }
  }
}

/**
 * Seals the file of a shard closed unsealed ("parked", see shard-set.ts) without reading its rows: no
 * writer, no statements. Throws ENOENT when the file is gone (never creates one).
 */
export function sealClosedShard(path: string, optimize: boolean, fsync: boolean): void {
  if (!existsSync(path)) throw Object.assign(new Error(`ENOENT: no shard file at ${path}`), { code: 'ENOENT' });
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma(`synchronous = ${fsync ? 'FULL' : 'OFF'}`);
    sealOpen(db, optimize);
  } finally {
    db.close();
  }
}

/**
 * Leaving WAL folds it into the file (one step: a separate checkpoint first wrote the pages twice). A
 * reader holding the WAL open keeps the mode; the WAL is folded in as far as it can be then, and the
 * file reopens cleanly either way.
 */
function sealOpen(db: Database.Database, optimize: boolean): void {
  if (optimize) db.exec("INSERT INTO idx(idx) VALUES('optimize')");
  let mode: unknown = null;
  try {
    mode = db.pragma('journal_mode = DELETE', { simple: true });
  } catch {
    // busy: a reader has the WAL open
  }
  if (mode !== 'delete') db.pragma('wal_checkpoint(TRUNCATE)');
}
