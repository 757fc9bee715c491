/**
 * The bytes of a new, empty shard: schema, FTS settings and meta, built once per thread in an in-memory
 * database and stamped with each shard's slot and lane. Writing these bytes and opening the file costs
 * about a third of creating the schema in the file (a conversion to WAL and two commits, each waiting for
 * the disk): one shard a minute and lane makes that most of a sparse historical ingest (see
 * docs/architecture.md, "Sealing").
 */
import Database from 'better-sqlite3';
import { BLOCK_LINES, CREATE_SHARD_SQL, FTS_WRITE_SETTINGS, LATE_MS_KEY, SCHEMA_VERSION } from './schema.js';

/** offsets 18 and 19 of an SQLite header: the file format's write and read versions, 2 for WAL */
const WAL_VERSION_OFFSETS = [18, 19];
const WAL_VERSION = 2;

let template: { db: Database.Database; stamp: (slotStart: number, slotMs: number, lane: number) => void } | null = null;

function built(): NonNullable<typeof template> {
  if (template !== null) return template;
  const db = new Database(':memory:');
  db.transaction(() => {
    for (const sql of CREATE_SHARD_SQL) db.exec(sql);
    for (const sql of FTS_WRITE_SETTINGS) db.exec(sql);
    const put = db.prepare('INSERT INTO meta(k, v) VALUES (?, ?)');
    put.run('schema_version', String(SCHEMA_VERSION));
    put.run('block_lines', String(BLOCK_LINES));
    // nothing stored yet, so nothing stored late (see ShardWriter.append)
    put.run(LATE_MS_KEY, '0');
    for (const k of ['slot_start', 'slot_ms', 'lane']) put.run(k, '');
  })();
  const set = db.prepare('UPDATE meta SET v = ? WHERE k = ?');
  const stamp = db.transaction((slotStart: number, slotMs: number, lane: number) => {
    set.run(String(slotStart), 'slot_start');
    set.run(String(slotMs), 'slot_ms');
    set.run(String(lane), 'lane');
  });
  template = { db, stamp: (slotStart, slotMs, lane) => void stamp(slotStart, slotMs, lane) };
  return template;
}

/** A complete empty shard file for this slot and lane, marked as a WAL database (its writer's mode). */
export function emptyShardImage(slotStart: number, slotMs: number, lane: number): Buffer {
  const t = built();
  t.stamp(slotStart, slotMs, lane);
  const image = t.db.serialize();
  for (const at of WAL_VERSION_OFFSETS) image[at] = WAL_VERSION;
  return image;
}
