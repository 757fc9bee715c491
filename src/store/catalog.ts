/**
 * The catalog: every shard's slot, lane, sequence, rows, time bounds, size and whether it is sealed.
 * Held in memory for planning searches, persisted in `catalog.db` for sealed shards (immutable), and
 * reconciled with the shard tree at open: files the catalog does not know as sealed (a crash, a copy)
 * are opened, recovered from their WAL, measured and sealed before anything else runs.
 */
import type Database from 'better-sqlite3';
import { existsSync, rmSync, unlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TimeRange } from '../core/index.js';
import { overlaps } from '../core/index.js';
import { parseShardRelPath } from './slots.js';
import { removeMergeTemps, settleMerges } from './merges.js';
import { fileBytes, listShardFiles } from './catalog-files.js';
import { catalogOpenError, openCatalogDb, ShardRows } from './catalog-db.js';
import type { CatalogSummary, ShardInfo } from './catalog-types.js';
import type { ShardEvent } from './shard-set.js';
import { recoverShardFile } from './shard-recovery.js';
import { damagedShardMessage, shardHeaderDamage } from './shard-damage.js';
import { dropLost, lostShard, lostShardsMessage, missingShardMessage, quarantined, readLost, recordLost, type LostShard } from './lost-shards.js';
import { StoredBy } from './stored-by.js';

/** Newest slot first; lane, then sequence (later first) as tie-breakers. */
function newestFirst(a: ShardInfo, b: ShardInfo): number {
  return b.slotStart - a.slotStart || a.lane - b.lane || b.seq - a.seq;
}

export class Catalog {
  readonly shardsDir: string;
  /** catalog.db: its `lost_shards` table is lost-shards.ts's */
  private readonly db: Database.Database;
  /** catalog.db's `shards` table, the rows of sealed shards */
  private readonly rows: ShardRows;
  private readonly shards = new Map<string, ShardInfo>();
  private readonly slotMs: number;
  private readonly writable: boolean;
  /** when each commit reported since the catalog opened was taken: searches pinned to a moment (stored-by.ts) */
  private readonly storedBy = new StoredBy(Date.now());
  /** what reconciliation could not repair, and later failures (a catalog write, a retention delete), for the caller to log */
  readonly problems: string[] = [];
  /** called with each problem as it happens (the server logs it); problems are kept either way */
  onProblem: ((message: string) => void) | null = null;
  /** shards already listed as damaged: each is a problem once, not once per search that hits it */
  private readonly damaged = new Set<string>();
  /** shards whose file is gone and whose loss is not yet accepted (lost-shards.ts): searches over their time name them */
  private lost: LostShard[] = [];

  /**
   * `writable`: this process owns the data directory (it holds the lock) and may recover and seal
   * shards a crashed writer left open. A read-only catalog (a CLI search beside a running server)
   * only measures them.
   */
  constructor(dataDir: string, slotMs: number, writable = true) {
    this.shardsDir = join(dataDir, 'shards');
    this.slotMs = slotMs;
    this.writable = writable;
    const db = openCatalogDb(dataDir, this.shardsDir, writable);
    this.db = db;
    try {
      this.rows = new ShardRows(db);
      this.reconcile();
    } catch (e) {
      db.close();
      // damage past the first page shows only when the rows are read (found by review: every command crashed)
      throw catalogOpenError(e, dataDir, join(dataDir, 'catalog.db'), this.shardsDir, writable);
    }
  }

  private reconcile(): void {
    const known = this.rows.sealed(this.shardsDir);
    const mergeTemps: string[] = [];
    const onDisk = listShardFiles(this.shardsDir, mergeTemps);
    if (this.writable) removeMergeTemps(this.shardsDir, mergeTemps, (m) => this.problem(m));
    // a merge's sources are not listed, whatever the catalog says: one that is still there is a leftover
    // of a merge interrupted after its rename (deleted now by a writer), never a file of new lines
    const merges = settleMerges(this.shardsDir, onDisk, this.writable, (m) => this.problem(m));
    // rows only for a merge interrupted before the catalog's swap (every start reads this list)
    const leftRows = [...merges.replaced].filter((rel) => known.has(rel));
    for (const rel of merges.replaced) {
      onDisk.delete(rel);
      known.delete(rel);
    }
    if (this.writable && leftRows.length > 0) this.forgetRows(leftRows);
    this.reportLost(known, onDisk);
    for (const rel of onDisk) {
      const info = known.get(rel);
      const replaces = merges.byMerged.get(rel);
      if (info !== undefined) {
        if (replaces !== undefined) info.replaces = replaces;
        this.shards.set(rel, info);
        // one header read: a sealed file cut short or overwritten is named now, not at the first search over it
        const why = shardHeaderDamage(info.path);
        if (why !== null) this.shardUnreadable(info.path, damagedShardMessage(info.path, why));
        continue;
      }
      const recovered = recoverShardFile(this.shardsDir, rel, this.slotMs, this.writable, replaces, (m) => this.problem(m));
      if (recovered === null) continue;
      this.shards.set(rel, recovered);
      if (this.writable) this.persist([recovered]);
    }
  }

  /**
   * Catalog rows whose file is gone (see lost-shards.ts): a writer moves them to `lost_shards`, a
   * reader lists them as damaged (so its searches leave them out and say so, as the server's do until
   * it restarts); either way one problem names every lost shard, at each open until the file is back or
   * the loss accepted. A file moved to quarantine/ (a damaged shard's remedy) is told once and dropped.
   */
  private reportLost(known: Map<string, ShardInfo>, onDisk: ReadonlySet<string>): void {
    const dataDir = join(this.shardsDir, '..');
    const gone = [...known.values()].filter((s) => !onDisk.has(s.rel));
    const moved = gone.filter((s) => quarantined(dataDir, s.rel));
    const missing = gone.filter((s) => !moved.includes(s));
    for (const s of moved) this.problem(`store: shard ${s.rel} was moved to quarantine/: its ${s.rows} lines are no longer searched`);
    if (this.writable) {
      try {
        this.rows.delete(moved.map((s) => s.rel));
        recordLost(this.db, missing.map(lostShard), onDisk, Date.now());
      } catch (e) {
        // a full disk: the rows stay in shards, and the next start tries again; the problem below names them all the same
        this.problem(`store: the catalog could not record missing shard files (${(e as Error).message}); tried again at the next start`);
      }
    } else {
      for (const s of missing) {
        this.shards.set(s.rel, s);
        this.damaged.add(s.rel);
      }
    }
    const lost = new Map(readLost(this.db).filter((s) => !onDisk.has(s.rel)).map((s) => [s.rel, s]));
    for (const s of missing) lost.set(s.rel, lostShard(s));
    if (lost.size > 0) this.problem(lostShardsMessage([...lost.values()].sort((a, b) => a.rel.localeCompare(b.rel))));
    // a reader lists the ones it found missing as damaged shards, which searches name already
    this.lost = [...lost.values()].filter((s) => !this.shards.has(s.rel));
  }

  /**
   * The lost shards (files gone, loss not accepted) whose time overlaps `range`, as a search names
   * what it left out: after a restart they are no longer catalog rows, and a search over their time
   * would otherwise read as whole.
   */
  lostIn(range: TimeRange): { file: string; from: number; to: number }[] {
    return this.lost.filter((s) => overlaps(range, s.from, s.to + 1)).map((s) => ({ file: `shards/${s.rel}`, from: s.from, to: s.to }));
  }

  /**
   * Retention's part: lost shards that end before `cutoff` held lines retention would have removed by
   * now; they are forgotten (the table and this list), so a loss is not named forever. Returns how many.
   */
  forgetLostBefore(cutoff: number): number {
    const old = this.lost.filter((s) => s.to < cutoff);
    if (old.length === 0) return 0;
    if (this.writable) {
      try {
        dropLost(this.db, old);
      } catch (e) {
        this.problem(`store: retention could not forget lost shards older than ${new Date(cutoff).toISOString()} (${(e as Error).message}); tried again at the next pass`);
        return 0;
      }
    }
    this.lost = this.lost.filter((s) => !old.includes(s));
    return old.length;
  }

  /**
   * A shard found damaged (STORE_SHARD_UNREADABLE's message) or gone: a problem the first time only.
   * For a file that is gone the catalog says how many lines it held. False when this catalog does not
   * list that file (another data directory's).
   */
  shardUnreadable(path: string, message: string): boolean {
    const rel = relative(this.shardsDir, path);
    const info = this.shards.get(rel);
    if (info === undefined) return false;
    if (!this.damaged.has(rel)) {
      this.damaged.add(rel);
      this.problem(existsSync(path) ? message : missingShardMessage(info));
    }
    return true;
  }

  /** Whether the shard `rel` was found damaged (by its header at open, or by a search): searches leave it out. */
  isDamaged(rel: string): boolean {
    return this.damaged.has(rel);
  }

  /** Records a problem (the newest MAX_PROBLEMS are kept) and tells the listener. */
  problem(message: string): void {
    this.problems.push(message);
    if (this.problems.length > MAX_PROBLEMS) this.problems.splice(0, this.problems.length - MAX_PROBLEMS);
    this.onProblem?.(message);
  }

  /**
   * Writes sealed shards' rows. A failure (disk full) is a problem, not an error: memory already knows
   * the shards, and the next start's reconciliation measures and records sealed files the catalog lacks.
   */
  private persist(infos: ShardInfo[]): void {
    const failed: string[] = [];
    let cause: unknown = null;
    for (const info of infos) {
      try {
        this.rows.put(info);
      } catch (e) {
        failed.push(info.rel);
        cause = e;
      }
    }
    if (failed.length === 0) return;
    const code = (cause as { code?: string }).code;
    const why = `${code === undefined ? '' : `${code}: `}${(cause as Error).message}`;
    const which = failed.length === 1 ? `sealed shard ${failed[0]}` : `${failed.length} sealed shards (${failed[0]} …)`;
    this.problem(`store: ${which} could not be recorded in ${join(this.shardsDir, '..', 'catalog.db')} (${why}); searchable now and recorded at the next start; free space on the data directory's disk if it is full`);
  }

  /** Applies what the writer lanes report: memory first, then the catalog file (see persist). */
  apply(events: ShardEvent[]): void {
    const sealed: ShardInfo[] = [];
    const now = Date.now();
    for (const e of events) {
      if (e.rowids !== undefined) this.storedBy.note(e.rel, now, e.rowids.from, e.rowids.to);
      const path = join(this.shardsDir, e.rel);
      const info: ShardInfo = {
        rel: e.rel,
        path,
        slotStart: e.slotStart,
        slotEnd: e.slotStart + e.slotMs,
        lane: e.lane,
        seq: e.seq,
        rows: e.stats.rows,
        tmin: e.stats.tmin,
        tmax: e.stats.tmax,
        bytes: fileBytes(path),
        sealed: e.kind === 'sealed',
      };
      this.shards.set(e.rel, info);
      if (info.sealed) sealed.push(info);
    }
    this.persist(sealed);
  }

  /**
   * A merge's outcome (compaction.ts): the merged shard is listed and its sources are not, in memory and
   * in the catalog file in one transaction. Their files are the caller's to delete (readers may still
   * have them open); a crash before that leaves them to the next start, which deletes them.
   */
  replace(merged: ShardInfo, sources: readonly string[]): void {
    this.rows.replace(merged, sources);
    this.shards.set(merged.rel, merged);
    this.storedBy.merged(merged.rel, sources, Date.now());
    for (const rel of sources) {
      this.shards.delete(rel);
      this.damaged.delete(rel);
    }
  }

  /** Deletes catalog rows (a merge's leftover sources); a failure is a problem, and the next start tries again. */
  private forgetRows(rels: string[]): void {
    try {
      this.rows.delete(rels);
    } catch (e) {
      this.problem(`store: the catalog could not forget ${rels.length} merged shard source(s) (${(e as Error).message}); tried again at the next start`);
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

  /**
   * The rowid below which the shard's rows had been stored at `asOf` (ms, this process's clock; 0: none
   * yet), or null: read it whole. Throws SEARCH_AS_OF_TOO_OLD for a moment before what is remembered.
   * Notes `asOf` as a pin in use, read at `at` (compaction waits for it, StoredBy.pinHeld).
   */
  storedBound(s: ShardInfo, asOf: number, at = Date.now()): number | null {
    return this.storedBy.bound(s.rel, s.sealed, asOf, at);
  }

  /** The pin of a search in use that merging `sources` would refuse, or null (StoredBy.pinHeld; compaction.ts waits for it). */
  pinHeld(sources: readonly string[], now: number, idleMs: number): number | null {
    return this.storedBy.pinHeld(sources, now, idleMs);
  }

  /** Every shard, empty ones included, newest first. */
  all(): ShardInfo[] {
    return [...this.shards.values()].sort(newestFirst);
  }

  /** Totals over every shard (sizes of open shards refreshed first). */
  summary(): CatalogSummary {
    this.refreshSizes();
    const sum: CatalogSummary = { shards: 0, sealedShards: 0, mergedShards: 0, rows: 0, bytes: 0, oldest: null, newest: null };
    for (const s of this.shards.values()) {
      sum.shards++;
      if (s.sealed) sum.sealedShards++;
      if (parseShardRelPath(s.rel)?.merged === true) sum.mergedShards++;
      sum.rows += s.rows;
      sum.bytes += s.bytes;
      if (s.tmin !== null && (sum.oldest === null || s.tmin < sum.oldest)) sum.oldest = s.tmin;
      if (s.tmax !== null && (sum.newest === null || s.tmax > sum.newest)) sum.newest = s.tmax;
    }
    return sum;
  }

  /**
   * Removes a sealed shard from the disk, then from the catalog (retention); open readers keep their
   * handle. The file goes first: one that cannot be deleted (a folder another user owns, a read-only
   * disk) stays listed and searchable, and the failure is a problem; false then.
   */
  remove(rel: string): boolean {
    const info = this.shards.get(rel);
    if (info === undefined || !info.sealed) return false;
    // the row goes first: a crash between the two leaves a file without a row, which the next start
    // takes back into the catalog (and retention removes again), never a row without its file, which
    // the next start would report as a lost shard to restore from a backup (review 125)
    try {
      this.rows.delete([rel]);
    } catch (e) {
      this.problem(`store: retention could not remove shard ${rel} from the catalog (${(e as Error).message}); its file is kept, and retention tries again`);
      return false;
    }
    try {
      unlinkSync(info.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        try {
          this.persist([info]);
        } catch {
          // a file without a row is taken back at the next start
        }
        this.problem(`store: retention could not delete shard ${info.path} (${(e as Error).message}); it is kept: check that nml may write its folder (one made by another user, e.g. nml ingest run as root?) and that the disk is not read-only`);
        return false;
      }
    }
    this.shards.delete(rel);
    this.storedBy.forget(rel);
    this.damaged.delete(rel);
    for (const suffix of ['-wal', '-shm', '-journal']) {
      try {
        rmSync(info.path + suffix, { force: true });
      } catch {
        // a sealed shard has no companion files; a leftover one is harmless without its database
      }
    }
    return true;
  }

  /** Refreshes sizes of unsealed shards (their files grow). */
  refreshSizes(): void {
    for (const s of this.shards.values()) if (!s.sealed) s.bytes = fileBytes(s.path);
  }

  close(): void {
    this.db.close();
  }
}

/** problems kept for the caller (the oldest go first) */
const MAX_PROBLEMS = 100;
