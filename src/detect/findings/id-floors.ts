/**
 * Ids given once. SQLite gives a new row one past the highest id its table holds, so once retention
 * deleted the newest finding (nothing raised for a whole retention period) or the newest history entry,
 * the next row got that id again: a webhook's mark (notify-mark.ts), a bookmarked `/alerts?finding=N`
 * and a history read by id then meant another row. `id_floors` keeps the highest id each table held
 * before retention removed rows, and every insert names its id: one past both.
 */
import type Database from 'better-sqlite3';

export type IdTable = 'findings' | 'triage_log';

const ID_TABLES: readonly IdTable[] = ['findings', 'triage_log'];

/**
 * The SQL expression of the id a new row of `table` gets. A store opened for reading only may predate
 * `id_floors`: it never inserts, and gets NULL (SQLite's own choice) so that its statements still prepare.
 */
export function nextIdSql(db: Database.Database, table: IdTable): string {
  const floors = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'id_floors'").get() !== undefined;
  if (!floors) return 'NULL';
  // `table` is one of two names fixed above, never a caller's text
  return `(SELECT max(coalesce((SELECT max(id) FROM ${table}), 0), coalesce((SELECT id FROM id_floors WHERE tbl = '${table}'), 0)) + 1)`;
}

/** The highest id of each table, read before retention deletes rows. */
export function topIds(db: Database.Database): Map<IdTable, number> {
  return new Map(ID_TABLES.map((t) => [t, (db.prepare(`SELECT coalesce(max(id), 0) FROM ${t}`).pluck().get() as number) ?? 0]));
}

/** Raises the floors to `tops` (never lowers them); in the caller's transaction. */
export function raiseFloors(db: Database.Database, tops: Map<IdTable, number>): void {
  const put = db.prepare('INSERT INTO id_floors (tbl, id) VALUES (?, ?) ON CONFLICT (tbl) DO UPDATE SET id = max(id, excluded.id)');
  for (const [t, id] of tops) if (id > 0) put.run(t, id);
}
