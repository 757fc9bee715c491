/**
 * Compaction's primitive: the sealed shards of one closed slot (an hour, say) merged into one sealed
 * shard. Thousands of tiny shards make a rare-term count cost a query per file; one shard per hour does not.
 *
 * Rows are re-cut into full blocks in event-time order (stable: ties keep source order, then rowid
 * order), so a merged shard's rowid order is event-time order. The index is rebuilt from the sources'
 * own index terms (fts5vocab), never by re-reading raw text, and checked term by term against them.
 *
 * Memory: per row, a sort key (8 bytes), a block number (4) and an index in the block (2) in typed
 * arrays, plus a new rowid (4): ~18 bytes, 72 MB for 4M rows. Raw lines are not all held: a source
 * block is decompressed once, when its first row is written, and dropped when its last one is, so only
 * the blocks whose rows straddle the current point in time are held (a handful for sources written in
 * time order; all of them only for sources whose lines arrived in no time order at all). Each source
 * file is open only while it has rows left to copy. Index text is inserted once INDEX_CHUNK_CHARS of it
 * are held, checked after each source (its statement must be done first: ~320 bytes a generator line, so a
 * 100k-line minute shard holds 32M); the expected document count per term is a temporary table, spilled
 * to a file past its cache.
 * Measured: 960k rows from 240 one-minute shards merged in 19 s (~20 µs a row), at a peak RSS of 205 MB.
 *
 * The output is built in `outPath.tmp` without a journal (a failed or interrupted merge leaves only that
 * file, which the next attempt or a writer's next start deletes: merges.ts), made durable, then renamed:
 * the path holds a whole shard or none.
 */
import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fsyncPath } from './fsync-path.js';
import { AppError } from '../core/index.js';
import { decodeBlock, decodeTimes, encodeBlock, type BlockLine, type DecodedBlock } from './block-codec.js';
import { BLOCK_LINES, CREATE_SHARD_SQL, FTS_WRITE_SETTINGS, SCHEMA_VERSION, LATE_MS_KEY } from './schema.js';
import { isDamagedShardError, isMissingShardError, shardMissing, shardUnreadable } from './shard-damage.js';
import { openOrCreate, storageError } from './storage-errors.js';

export interface MergeSource {
  path: string;
  rel: string;
}

export interface MergeOptions {
  slotStart: number;
  slotMs: number;
  lane: number;
  /** rels this shard replaces (written to meta 'replaces' as a JSON array) */
  replaces: string[];
  /** wait for the disk before the rename (default true) */
  fsync?: boolean;
  /**
   * Asked just before the rename: true gives the merge up (STORE_MERGE_FAILED), its temporary file left
   * for the store's next start to delete (merges.ts). The merge process (compact.child.ts) says so once its
   * parent is gone: a new server may have begun the same merge at the same temporary path meanwhile.
   */
  abandoned?: () => boolean;
}

export interface MergeResult {
  rows: number;
  /** absolute event-time bounds, ms; null when the sources hold no rows */
  tmin: number | null;
  tmax: number | null;
  /** size of the output file */
  bytes: number;
}

/** One block of a source, its event times already made offsets from the merged slot's start. */
interface SourceBlock {
  src: number;
  id: number;
  n: number;
  offsets: Uint32Array;
}

interface Scan {
  blocks: SourceBlock[];
  /** per source: lines per block, as its meta says (rowid = block id × that + index) */
  blockLines: number[];
  rows: number;
}

const iso = (t: number): string => (Number.isFinite(t) ? new Date(t).toISOString() : String(t));

function mergeFailed(source: MergeSource, what: string): AppError {
  return new AppError('STORE_MERGE_FAILED', 'unavailable', `store: cannot merge shard ${source.rel}: ${what}`, { path: source.path, file: source.rel });
}

/** A source that is damaged or gone is named as a search would name it, so the store's problems list it. */
function sourceError(e: unknown, path: string): unknown {
  if (isMissingShardError(e, path)) return shardMissing(path, e);
  return isDamagedShardError(e) ? shardUnreadable(path, e) : e;
}

function openSource(path: string): Database.Database {
  try {
    return new Database(path, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw sourceError(e, path);
  }
}

/** Reads every source's block times and checks each lies in the merged slot. */
function scan(sources: MergeSource[], opts: MergeOptions): Scan {
  const out: Scan = { blocks: [], blockLines: [], rows: 0 };
  const end = opts.slotStart + opts.slotMs;
  sources.forEach((source, src) => {
    const db = openSource(source.path);
    try {
      const meta = new Map((db.prepare('SELECT k, v FROM meta').all() as { k: string; v: string }[]).map((r) => [r.k, r.v]));
      const start = Number(meta.get('slot_start'));
      // as ShardReader: a shard without block_lines predates it and was cut in 256s
      out.blockLines.push(Number(meta.get('block_lines') ?? 256));
      for (const b of db.prepare('SELECT id, n, ts FROM blocks ORDER BY id').iterate() as Iterable<{ id: number; n: number; ts: Uint8Array }>) {
        const offsets = decodeTimes(b.ts);
        if (offsets.length !== b.n) throw mergeFailed(source, `block ${b.id} holds ${offsets.length} event times for ${b.n} lines`);
        for (let i = 0; i < b.n; i++) {
          const t = start + offsets[i]!;
          // written so that a NaN (no slot_start in meta) fails too
          if (!(t >= opts.slotStart && t < end)) {
            throw mergeFailed(source, `line ${i} of block ${b.id} has event time ${iso(t)}, outside the merged slot [${iso(opts.slotStart)}, ${iso(end)})`);
          }
          offsets[i] = t - opts.slotStart;
        }
        out.blocks.push({ src, id: b.id, n: b.n, offsets });
        out.rows += b.n;
      }
    } catch (e) {
      throw sourceError(e, source.path);
    } finally {
      db.close();
    }
  });
  return out;
}

/**
 * Rows numbered k in source order, then rowid order, and `order`: their k sorted by (event time, k),
 * as offset × rows + k in a Float64Array, which sorts natively, with no comparator (exact while
 * slotMs × rows < 2^53: an hour allows 2.5e9 rows).
 */
function sortRows(s: Scan): { order: Float64Array; blockOf: Uint32Array; at: Uint16Array } {
  const n = s.rows;
  const order = new Float64Array(n);
  const blockOf = new Uint32Array(n);
  const at = new Uint16Array(n);
  let k = 0;
  s.blocks.forEach((b, g) => {
    for (let i = 0; i < b.n; i++, k++) {
      order[k] = b.offsets[i]! * n + k;
      blockOf[k] = g;
      at[k] = i;
    }
  });
  order.sort();
  return { order, blockOf, at };
}

/**
 * Writes the rows into full blocks in sorted order; returns each row's new rowid by k. Source blocks are
 * decoded on first use and dropped after their last row; a source is open while it has rows left.
 */
function writeBlocks(db: Database.Database, sources: MergeSource[], s: Scan): { newOf: Uint32Array; tmin: number | null; tmax: number | null } {
  const { order, blockOf, at } = sortRows(s);
  const n = s.rows;
  const newOf = new Uint32Array(n);
  const left = Uint32Array.from(s.blocks, (b) => b.n);
  const srcLeft = new Uint32Array(sources.length);
  for (const b of s.blocks) srcLeft[b.src]! += b.n;
  const decoded = new Map<number, DecodedBlock>();
  const open = new Map<number, { db: Database.Database; get: Database.Statement }>();
  const load = (g: number): DecodedBlock => {
    const b = s.blocks[g]!;
    const source = sources[b.src]!;
    let reader = open.get(b.src);
    if (reader === undefined) {
      const rdb = openSource(source.path);
      open.set(b.src, (reader = { db: rdb, get: rdb.prepare('SELECT meta, data FROM blocks WHERE id = ?') }));
    }
    let block: DecodedBlock;
    try {
      const row = reader.get.get(b.id) as { meta: Uint8Array; data: Uint8Array };
      block = decodeBlock(row.meta, row.data);
    } catch (e) {
      throw sourceError(e, source.path);
    }
    if (block.raw.length !== b.n) throw mergeFailed(source, `block ${b.id} holds ${block.raw.length} lines, its count says ${b.n}`);
    decoded.set(g, block);
    return block;
  };
  const insert = db.prepare('INSERT INTO blocks(id, n, tmin, tmax, ts, meta, data) VALUES (?, ?, ?, ?, ?, ?, ?)');
  try {
    for (let first = 0; first < n; first += BLOCK_LINES) {
      const lines: BlockLine[] = [];
      for (let p = first; p < Math.min(n, first + BLOCK_LINES); p++) {
        const k = order[p]! % n;
        const g = blockOf[k]!;
        const i = at[k]!;
        const block = decoded.get(g) ?? load(g);
        lines.push({ offset: (order[p]! - k) / n, receivedAt: block.receivedAt[i]!, source: block.source[i]!, raw: block.raw[i]! });
        newOf[k] = p;
        if (--left[g]! === 0) decoded.delete(g);
        const src = s.blocks[g]!.src;
        if (--srcLeft[src]! === 0) {
          open.get(src)!.db.close();
          open.delete(src);
        }
      }
      const b = encodeBlock(lines);
      insert.run(first / BLOCK_LINES, b.n, b.tmin, b.tmax, b.ts, b.meta, b.data);
    }
  } finally {
    for (const r of open.values()) r.db.close();
  }
  return n === 0 ? { newOf, tmin: null, tmax: null } : { newOf, tmin: Math.floor(order[0]! / n), tmax: Math.floor(order[n - 1]! / n) };
}

/** Index text gathered before it is inserted (sorted by new rowid, in one transaction): ~200k rows of generator lines. */
const INDEX_CHUNK_CHARS = 64 * 1024 * 1024;

/**
 * Indexes every source's rows under their new rowids from the sources' own indexes: fts5vocab over the
 * attached source lists each (term, document), and SQL groups them back into one text per row (terms
 * are the tokenizer's own folded tokens, so joined by spaces they tokenize to themselves; `verify`
 * holds it to that). Texts are gathered across sources and inserted in rowid order, a chunk at a time
 * in one transaction: FTS5 starts a new segment whenever a rowid goes down, and sources of the same
 * minutes interleave. Until session 37 each source's rows were inserted on their own (a segment and a
 * transaction per source, rowids mapped by a join on a temporary table): 8.5 s of an 11.5 s merge of
 * 200k sparse lines, profiled. Adds each source's document count per term to temp.expected.
 */
function indexSources(db: Database.Database, sources: MergeSource[], bySource: SourceBlock[][], blockLines: number[], newOf: Uint32Array): void {
  const insert = db.prepare('INSERT INTO idx(rowid, t) VALUES (?, ?)');
  let ids: number[] = [];
  let texts: string[] = [];
  let chars = 0;
  const flush = (): void => {
    const order = Array.from(ids.keys()).sort((a, b) => ids[a]! - ids[b]!);
    db.transaction(() => {
      for (const i of order) insert.run(ids[i], texts[i]);
    })();
    ids = [];
    texts = [];
    chars = 0;
  };
  let firstK = 0;
  sources.forEach((source, src) => {
    // a source's block id → the k of its first row (rows are numbered k in source order, then rowid order), and its rows
    const kOfBlock = new Map<number, { k: number; n: number }>();
    for (const b of bySource[src]!) {
      kOfBlock.set(b.id, { k: firstK, n: b.n });
      firstK += b.n;
    }
    const lines = blockLines[src]!;
    // plain ATTACH: this build of SQLite takes no URI (mode=ro); nothing below writes to `src`. But it
    // creates a file that is not there: a source deleted since the scan would come back empty
    if (!existsSync(source.path)) throw shardMissing(source.path, new Error(`${source.path} is gone`));
    db.prepare('ATTACH ? AS src').run(source.path);
    try {
      db.exec("CREATE VIRTUAL TABLE temp.inst USING fts5vocab(src, idx, 'instance')");
      db.exec("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(src, idx, 'row')");
      for (const [doc, text] of db.prepare("SELECT doc, group_concat(term, ' ') FROM temp.inst GROUP BY doc").raw().iterate() as Iterable<[number, string]>) {
        const block = kOfBlock.get(Math.floor(doc / lines));
        // an entry for a row no block holds cannot be carried over, nor given to another row
        if (block === undefined || doc % lines >= block.n) throw mergeFailed(source, `its index names row ${doc}, which no block holds`);
        ids.push(newOf[block.k + (doc % lines)]!);
        texts.push(text);
        chars += text.length;
      }
      // WHERE true: an upsert's SELECT needs it to parse (SQLite's "parsing ambiguity")
      db.exec('INSERT INTO temp.expected(term, doc) SELECT term, doc FROM temp.terms WHERE true ON CONFLICT(term) DO UPDATE SET doc = doc + excluded.doc');
      db.exec('DROP TABLE temp.inst; DROP TABLE temp.terms');
    } catch (e) {
      // no DETACH: a failed merge closes the connection
      throw sourceError(e, source.path);
    }
    db.exec('DETACH src');
    if (chars >= INDEX_CHUNK_CHARS) flush();
  });
  flush();
}

/**
 * Every row is in a block, and every term in as many documents of the output as of all sources together:
 * the output's counts are taken off the sources' (one ordered pass over each side) and must leave 0.
 */
function verify(db: Database.Database, rows: number, sources: MergeSource[], outPath: string): void {
  const failed = (what: string): AppError =>
    new AppError('STORE_MERGE_FAILED', 'unavailable', `store: merging ${sources.length} shards (${sources[0]?.rel ?? 'none'} …) into ${outPath} failed: ${what}`, {
      path: outPath,
      files: sources.map((x) => x.rel),
    });
  const stored = (db.prepare('SELECT coalesce(sum(n), 0) AS n FROM blocks').get() as { n: number }).n;
  if (stored !== rows) throw failed(`the merged shard holds ${stored} lines, the sources ${rows}`);
  db.exec("CREATE VIRTUAL TABLE temp.out USING fts5vocab(main, idx, 'row')");
  db.exec('INSERT INTO temp.expected(term, doc) SELECT term, -doc FROM temp.out WHERE true ON CONFLICT(term) DO UPDATE SET doc = doc + excluded.doc');
  db.exec('DROP TABLE temp.out');
  const diff = db.prepare('SELECT term, doc FROM temp.expected WHERE doc <> 0 ORDER BY term LIMIT 1').get() as { term: string; doc: number } | undefined;
  if (diff !== undefined) {
    const how = diff.doc > 0 ? `${diff.doc} fewer` : `${-diff.doc} more`;
    throw failed(`index term ${JSON.stringify(diff.term)} is in ${how} rows of the merged shard than of the sources`);
  }
}

function removeTemp(tmp: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(tmp + suffix, { force: true });
}

/**
 * Merges sealed shards (in the order given: it breaks event-time ties) into one sealed shard at
 * `outPath`. Throws STORE_MERGE_FAILED when a row lies outside the slot or the result does not match
 * the sources, STORE_SHARD_UNREADABLE for a damaged or missing source, and the store's disk errors;
 * then nothing is left at `outPath` or beside it. The sources are never changed.
 */
export function mergeShards(sources: MergeSource[], outPath: string, opts: MergeOptions): MergeResult {
  const tmp = `${outPath}.tmp`;
  removeTemp(tmp);
  let db: Database.Database | null = null;
  let renamed = false;
  let given = false;
  try {
    const s = scan(sources, opts);
    db = openOrCreate(tmp, (d) => {
      // no journal and no syncs while building: a failure discards the file; it is made durable once, whole.
      // Temporary tables on file (past SQLite's small cache): an hour's distinct terms can run to millions.
      for (const p of ['journal_mode = OFF', 'synchronous = OFF', 'temp_store = FILE']) d.pragma(p);
    });
    const out = db;
    out.transaction(() => {
      for (const sql of CREATE_SHARD_SQL) out.exec(sql);
      for (const sql of FTS_WRITE_SETTINGS) out.exec(sql);
      const put = out.prepare('INSERT INTO meta(k, v) VALUES (?, ?)');
      put.run('schema_version', String(SCHEMA_VERSION));
      put.run('slot_start', String(opts.slotStart));
      put.run('slot_ms', String(opts.slotMs));
      put.run('block_lines', String(BLOCK_LINES));
      put.run('lane', String(opts.lane));
      put.run('replaces', JSON.stringify(opts.replaces));
      // its rows are in event-time order (sortRows): none is stored after a newer one
      put.run(LATE_MS_KEY, '0');
      out.exec('CREATE TEMP TABLE expected(term TEXT PRIMARY KEY, doc INTEGER NOT NULL) WITHOUT ROWID');
    })();
    const { newOf, tmin, tmax } = out.transaction(() => writeBlocks(out, sources, s))();
    const bySource = sources.map((): SourceBlock[] => []);
    for (const b of s.blocks) bySource[b.src]!.push(b);
    indexSources(out, sources, bySource, s.blockLines, newOf);
    verify(out, s.rows, sources, outPath);
    // as ShardWriter.seal; there is no write-ahead log to fold in: the file was never in WAL mode
    out.exec("INSERT INTO idx(idx) VALUES('optimize')");
    out.prepare("INSERT INTO meta(k, v) VALUES ('sealed_at', ?)").run(String(Date.now()));
    // the index was built source by source and then merged: its old segments left a third of the
    // pages free (an hour of the spread day: 1,135 of 3,421); rewriting gives them back
    out.exec('VACUUM');
    out.pragma('journal_mode = DELETE');
    out.close();
    db = null;
    if (opts.fsync ?? true) fsyncPath(tmp);
    if (opts.abandoned?.() === true) {
      given = true;
      throw new AppError('STORE_MERGE_FAILED', 'unavailable', `store: the merge into ${outPath} was given up: the server that asked for it is gone`, { path: outPath });
    }
    renameSync(tmp, outPath);
    renamed = true;
    if (opts.fsync ?? true) fsyncPath(dirname(outPath));
    return {
      rows: s.rows,
      tmin: tmin === null ? null : opts.slotStart + tmin,
      tmax: tmax === null ? null : opts.slotStart + tmax,
      bytes: statSync(outPath).size,
    };
  } catch (e) {
    db?.close();
    // a merge given up leaves the path alone: it may be another process's merge by now
    if (!given) removeTemp(tmp);
    // a shard whose rename may not survive a crash is not reported merged, nor left for a restart to find
    if (renamed) rmSync(outPath, { force: true });
    throw storageError(e, tmp);
  }
}

/** The rels a shard file replaces (meta 'replaces'); [] for a shard no merge wrote. */
export function replacedBy(path: string): string[] {
  const db = openSource(path);
  try {
    const row = db.prepare("SELECT v FROM meta WHERE k = 'replaces'").get() as { v: string } | undefined;
    return row === undefined ? [] : (JSON.parse(row.v) as string[]);
  } catch (e) {
    throw sourceError(e, path);
  } finally {
    db.close();
  }
}
