/** SQLite files of the server's own that may hold secrets or who did what (users.db's audit table, watches.db). */
import Database from 'better-sqlite3';
import { chmodSync, existsSync } from 'node:fs';

/**
 * Opens `path` (`:memory:` for tests), made readable by its owner only when this creates it, in WAL mode
 * with a 5 s busy timeout (the CLI writes beside a running server), and runs `schema` (idempotent DDL).
 * A step that fails closes the file again and throws what it threw.
 */
export function openOwnerOnlyDb(path: string, schema: string): Database.Database {
  const fresh = path !== ':memory:' && !existsSync(path);
  const db = new Database(path);
  try {
    if (fresh) chmodSync(path, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.exec(schema);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
