/**
 * The catalog: every shard's slot, lane, sequence, rows, time bounds, size and whether it is sealed.
 * Held in memory for planning searches, persisted in `catalog.db` for sealed shards (immutable), and
 * reconciled with the shard tree at open: files the catalog does not know as sealed (a crash, a copy)
 * are opened, recovered from their WAL, measured and sealed before anything else runs.
 */
import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, statSync, rmSync, renameSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { TimeRange } from '../core/index.js';
import { AppError, overlaps } from '../core/index.js';
import { parseShardRelPath } from './slots.js';
import type { ShardEvent } from './shard-set.js';
import { inspectShard, sealShardFile } from './shard-file.js';

export interface ShardInfo {
  rel: string;
  path: string;
  slotStart: number;
  slotEnd: number;
  lane: number;
  seq: number;
  rows: number;
  tmin: number | null;
  tmax: number | null;
  bytes: number;
  sealed: boolean;
}

export interface CatalogSummary {
  shards: number;
  sealedShards: number;
  rows: number;
  bytes: number;
  /** event-time bounds of everything stored, ms; null when empty */
  oldest: number | null;
  newest: number | null;
}

/** Newest slot first; lane, then sequence (later first) as tie-breakers. */
function newestFirst(a: ShardInfo, b: ShardInfo): number {
  return b.slotStart - a.slotStart || a.lane - b.lane || b.seq - a.seq;
}

export class Catalog {
  readonly shardsDir: string;
  private readonly db: Database.Database;
  private readonly shards = new Map<string, ShardInfo>();
  private readonly slotMs: number;
  private readonly upsert: Database.Statement;
  private readonly writable: boolean;
  /** what reconciliation could not repair, for the caller to log */
  readonly problems: string[] = [];

  /**
   * `writable`: this process owns the data directory (it holds the lock) and may recover and seal
   * shards a crashed writer left open. A read-only catalog (a CLI search beside a running server)
   * only measures them.
   */
  constructor(dataDir: string, slotMs: number, writable = true) {
    this.shardsDir = join(dataDir, 'shards');
    this.slotMs = slotMs;
    this.writable = writable;
    mkdirSync(this.shardsDir, { recursive: true });
    const path = join(dataDir, 'catalog.db');
    this.db = new Database(path);
    try {
      this.db.pragma('busy_timeout = 5000');
      if (writable) this.db.pragma('journal_mode = WAL');
      this.db.exec(
        'CREATE TABLE IF NOT EXISTS shards(rel TEXT PRIMARY KEY, slot_start INTEGER, slot_end INTEGER, lane INTEGER, seq INTEGER, rows INTEGER, tmin INTEGER, tmax INTEGER, bytes INTEGER)',
      );
    } catch (e) {
      this.db.close();
      const code = (e as { code?: string }).code ?? '';
      if (!code.startsWith('SQLITE_NOTADB') && !code.startsWith('SQLITE_CORRUPT')) throw e;
      // the catalog only lists the shards: without it, the next start measures every shard file again
      throw new AppError('STORE_CATALOG_CORRUPT', 'unavailable', `store: ${path} is not a readable SQLite database (${(e as Error).message}); stop nml, move the file aside and start again: the catalog is rebuilt from the shards`, { path }, e);
    }
    this.upsert = this.db.prepare(
      'INSERT OR REPLACE INTO shards(rel, slot_start, slot_end, lane, seq, rows, tmin, tmax, bytes) VALUES (@rel, @slotStart, @slotEnd, @lane, @seq, @rows, @tmin, @tmax, @bytes)',
    );
    this.reconcile();
  }

  private reconcile(): void {
    const known = new Map<string, ShardInfo>();
    for (const r of this.db.prepare('SELECT * FROM shards').all() as Record<string, number | string | null>[]) {
      const rel = r.rel as string;
      known.set(rel, {
        rel,
        path: join(this.shardsDir, rel),
        slotStart: r.slot_start as number,
        slotEnd: r.slot_end as number,
        lane: r.lane as number,
        seq: r.seq as number,
        rows: r.rows as number,
        tmin: r.tmin as number | null,
        tmax: r.tmax as number | null,
        bytes: r.bytes as number,
        sealed: true,
      });
    }
    const onDisk = listShardFiles(this.shardsDir);
    const drop = this.db.prepare('DELETE FROM shards WHERE rel = ?');
    if (this.writable) for (const rel of known.keys()) if (!onDisk.has(rel)) drop.run(rel);
    for (const rel of onDisk) {
      const info = known.get(rel);
      if (info !== undefined) {
        this.shards.set(rel, info);
        continue;
      }
      const parsed = parseShardRelPath(rel)!;
      const path = join(this.shardsDir, rel);
      let stats: ReturnType<typeof inspectShard>;
      try {
        if (this.writable) sealShardFile(path);
        stats = inspectShard(path);
      } catch (e) {
        const code = (e as { code?: string }).code ?? '';
        // only a file that is not a database (killed before its schema committed: it holds no acknowledged
        // line) or a corrupt one is moved aside; a busy one is left alone
        if (this.writable && (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_ERROR')) {
          this.problems.push(`store: shard ${rel} could not be opened (${(e as Error).message}); moved to quarantine/`);
          quarantine(this.shardsDir, rel);
        } else {
          this.problems.push(`store: shard ${rel} skipped (${(e as Error).message})`);
        }
        continue;
      }
      const { slotMs, ...measured } = stats;
      const recovered: ShardInfo = {
        rel,
        path,
        slotStart: parsed.slotStart,
        slotEnd: parsed.slotStart + (slotMs ?? this.slotMs),
        lane: parsed.lane,
        seq: parsed.seq,
        ...measured,
        bytes: fileBytes(path),
        sealed: this.writable,
      };
      this.shards.set(rel, recovered);
      if (this.writable) this.upsert.run(recovered);
    }
  }

  /** Applies what the writer lanes report. */
  apply(events: ShardEvent[]): void {
    for (const e of events) {
      const path = join(this.shardsDir, e.rel);
      const info: ShardInfo = {
        rel: e.rel,
        path,
        slotStart: e.slotStart,
        slotEnd: e.slotStart + this.slotMs,
        lane: e.lane,
        seq: e.seq,
        rows: e.stats.rows,
        tmin: e.stats.tmin,
        tmax: e.stats.tmax,
        bytes: fileBytes(path),
        sealed: e.kind === 'sealed',
      };
      this.shards.set(e.rel, info);
      if (info.sealed) this.upsert.run(info);
    }
  }

  /** Shards whose data may fall in the range, newest slot first (lane, then seq, as tie-breakers). */
  list(range: TimeRange): ShardInfo[] {
    const out: ShardInfo[] = [];
    for (const s of this.shards.values()) {
      if (s.rows === 0) continue;
      const from = s.tmin ?? s.slotStart;
      const to = (s.tmax ?? s.slotEnd - 1) + 1;
      if (overlaps(range, from, to)) out.push(s);
    }
    return out.sort(newestFirst);
  }

  /** Every shard, empty ones included, newest first. */
  all(): ShardInfo[] {
    return [...this.shards.values()].sort(newestFirst);
  }

  /** Totals over every shard (sizes of open shards refreshed first). */
  summary(): CatalogSummary {
    this.refreshSizes();
    const sum: CatalogSummary = { shards: 0, sealedShards: 0, rows: 0, bytes: 0, oldest: null, newest: null };
    for (const s of this.shards.values()) {
      sum.shards++;
      if (s.sealed) sum.sealedShards++;
      sum.rows += s.rows;
      sum.bytes += s.bytes;
      if (s.tmin !== null && (sum.oldest === null || s.tmin < sum.oldest)) sum.oldest = s.tmin;
      if (s.tmax !== null && (sum.newest === null || s.tmax > sum.newest)) sum.newest = s.tmax;
    }
    return sum;
  }

  /** Removes a sealed shard from the catalog and the disk (retention). Open readers keep their handle. */
  remove(rel: string): void {
    const info = this.shards.get(rel);
    if (info === undefined || !info.sealed) return;
    this.shards.delete(rel);
    this.db.prepare('DELETE FROM shards WHERE rel = ?').run(rel);
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(info.path + suffix, { force: true });
  }

  /** Refreshes sizes of unsealed shards (their files grow). */
  refreshSizes(): void {
    for (const s of this.shards.values()) if (!s.sealed) s.bytes = fileBytes(s.path);
  }

  close(): void {
    this.db.close();
  }
}

function fileBytes(path: string): number {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += statSync(path + suffix).size;
    } catch {
      // no WAL file: nothing to add
    }
  }
  return total;
}

function quarantine(shardsDir: string, rel: string): void {
  const target = join(shardsDir, '..', 'quarantine', rel);
  mkdirSync(dirname(target), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      renameSync(join(shardsDir, rel) + suffix, target + suffix);
    } catch {
      // that companion file does not exist
    }
  }
}

function listShardFiles(root: string): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.db') && parseShardRelPath(relative(root, p)) !== null) out.add(relative(root, p));
    }
  };
  walk(root);
  return out;
}
