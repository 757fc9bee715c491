/**
 * The idempotency keys of `POST /api/ingest` kept on disk (`<data>/ingest-keys.db`), so that a shipper's
 * retry after a server restart (an upgrade, a crash) is answered from the first request's answer
 * instead of storing its lines again. A key is written once its request's lines are committed; a
 * crash between the commit and that write (one SQLite insert) still stores the retry again.
 */
import Database from 'better-sqlite3';

/** One remembered request: its key (scope and key), the body's hash, when it ran, and its answer. */
export interface KeyRecord {
  id: string;
  fingerprint: string;
  at: number;
  accepted: number;
}

/** Where IdempotencyCache keeps its keys beyond the process. */
export interface KeyJournal {
  /** the newest `max` keys at or after `since`, oldest first */
  load(since: number, max: number): KeyRecord[];
  /** remembers a key, and forgets keys before `since` and all but the newest `max` */
  record(r: KeyRecord, since: number, max: number): void;
  close(): void;
}

export class SqliteKeyJournal implements KeyJournal {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, string, number, number]>;
  private readonly dropOld: Database.Statement<[number]>;
  private readonly dropOver: Database.Statement<[number]>;
  /** rows in the table, counted as they change: the cap's DELETE runs only when over it */
  private rows: number;

  /** `onError`: a key that could not be written (its request is answered; only its retry after a restart stores again) */
  constructor(
    path: string,
    private readonly onError: (e: unknown) => void = () => {},
  ) {
    this.db = new Database(path);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec('CREATE TABLE IF NOT EXISTS ingest_keys (id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, at INTEGER NOT NULL, accepted INTEGER NOT NULL); CREATE INDEX IF NOT EXISTS ingest_keys_at ON ingest_keys (at)');
      this.insert = this.db.prepare('INSERT OR REPLACE INTO ingest_keys (id, fingerprint, at, accepted) VALUES (?, ?, ?, ?)');
      this.dropOld = this.db.prepare('DELETE FROM ingest_keys WHERE at < ?');
      this.dropOver = this.db.prepare('DELETE FROM ingest_keys WHERE id IN (SELECT id FROM ingest_keys ORDER BY at DESC, rowid DESC LIMIT -1 OFFSET ?)');
      this.rows = (this.db.prepare('SELECT count(*) AS n FROM ingest_keys').get() as { n: number }).n;
    } catch (e) {
      this.db.close();
      throw e;
    }
  }

  load(since: number, max: number): KeyRecord[] {
    const rows = this.db
      .prepare<[number, number], KeyRecord>('SELECT id, fingerprint, at, accepted FROM ingest_keys WHERE at >= ? ORDER BY at DESC, rowid DESC LIMIT ?')
      .all(since, max);
    return rows.reverse();
  }

  record(r: KeyRecord, since: number, max: number): void {
    try {
      this.db.transaction(() => {
        this.insert.run(r.id, r.fingerprint, r.at, r.accepted);
        this.rows += 1;
        this.rows -= this.dropOld.run(since).changes;
        if (this.rows > max) this.rows -= this.dropOver.run(max).changes;
      })();
    } catch (e) {
      this.onError(e);
    }
  }

  close(): void {
    this.db.close();
  }
}
