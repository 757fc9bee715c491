/** `<data>/trends/docs.db`: every collected document with source, URL, times, language and fingerprint; fetch validators per URL. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SimHash } from './dedupe.js';

export interface StoredDoc {
  id: number;
  source: string;
  url: string | null;
  title: string;
  text: string;
  /** ms; the published time, else the fetch time */
  time: number;
  fetchedAt: number;
  lang: string;
  /** attack types the classifier saw in the text, with probabilities */
  types: Record<string, number>;
  keywords: string[];
}

export type NewDoc = Omit<StoredDoc, 'id'> & { simhash: SimHash };

/** What `find` matches (`nml trends documents`). */
export interface DocQuery {
  from: number;
  to: number;
  source?: string;
  /** attack type ids: a document scored at least `certainty` for any of them, in one of `languages` */
  types?: readonly string[];
  certainty: number;
  languages: readonly string[];
  limit: number;
  /** skip this many of the newest matches first (0) */
  offset?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS docs (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  url TEXT,
  title TEXT NOT NULL,
  text TEXT NOT NULL,
  time INTEGER NOT NULL,
  fetched_at INTEGER NOT NULL,
  lang TEXT NOT NULL,
  simhash_hi INTEGER NOT NULL,
  simhash_lo INTEGER NOT NULL,
  types TEXT NOT NULL,
  keywords TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS docs_url ON docs(url) WHERE url IS NOT NULL;
CREATE INDEX IF NOT EXISTS docs_time ON docs(time);
CREATE TABLE IF NOT EXISTS fetch_state (
  url TEXT PRIMARY KEY,
  etag TEXT,
  last_modified TEXT,
  last_fetch INTEGER NOT NULL
);`;

interface DocRow {
  id: number;
  source: string;
  url: string | null;
  title: string;
  text: string;
  time: number;
  fetched_at: number;
  lang: string;
  types: string;
  keywords: string;
}

function fromRow(r: DocRow): StoredDoc {
  return {
    id: r.id,
    source: r.source,
    url: r.url,
    title: r.title,
    text: r.text,
    time: r.time,
    fetchedAt: r.fetched_at,
    lang: r.lang,
    types: JSON.parse(r.types) as Record<string, number>,
    keywords: JSON.parse(r.keywords) as string[],
  };
}

const INSERT_DOC =
  'INSERT OR IGNORE INTO docs (source, url, title, text, time, fetched_at, lang, simhash_hi, simhash_lo, types, keywords) VALUES (?,?,?,?,?,?,?,?,?,?,?)';
const SET_VALIDATORS =
  'INSERT INTO fetch_state (url, etag, last_modified, last_fetch) VALUES (?,?,?,?) ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, last_fetch = excluded.last_fetch';

/** The WHERE clause of `find` and its bound values (no value is pasted into the SQL). */
function docFilter(q: DocQuery): { filter: string; args: unknown[] } {
  const where = ['time >= ?', 'time < ?'];
  const args: unknown[] = [q.from, q.to];
  if (q.source !== undefined) {
    where.push('source = ?');
    args.push(q.source);
  }
  if (q.types !== undefined && q.types.length > 0) {
    where.push(`lang IN (SELECT value FROM json_each(?))`, `(${q.types.map(() => 'json_extract(types, ?) >= ?').join(' OR ')})`);
    args.push(JSON.stringify(q.languages));
    // a type id is [a-z_], a plain JSON path member
    for (const t of q.types) args.push(`$.${t}`, q.certainty);
  }
  return { filter: where.join(' AND '), args };
}

export class DocStore {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  /**
   * `readonly`: a reader (`nml trends documents`) opens an existing file without writing to it: no
   * folder made, no journal mode set, no schema created, so it works on a folder it may only read.
   */
  constructor(file: string, o: { readonly?: boolean } = {}) {
    if (o.readonly === true) {
      this.db = new Database(file, { readonly: true, fileMustExist: true });
      return;
    }
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(SCHEMA);
  }

  /** A statement prepared once, on first use (a read-only store never prepares the writes). */
  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  hasUrl(url: string): boolean {
    return this.stmt('SELECT 1 FROM docs WHERE url = ?').get(url) !== undefined;
  }

  /** Inserts in one transaction; returns the ids given (null for a URL already stored). */
  insertMany(docs: NewDoc[]): (number | null)[] {
    const run = this.db.transaction((batch: NewDoc[]) =>
      batch.map((d) => {
        const r = this.stmt(INSERT_DOC).run(d.source, d.url, d.title, d.text, d.time, d.fetchedAt, d.lang, d.simhash.hi, d.simhash.lo, JSON.stringify(d.types), JSON.stringify(d.keywords));
        return r.changes === 1 ? Number(r.lastInsertRowid) : null;
      }),
    );
    return run(docs);
  }

  /** Newest fingerprints, to seed the near-duplicate index after a restart. */
  recentSimhashes(limit: number): SimHash[] {
    const rows = this.db.prepare('SELECT simhash_hi AS hi, simhash_lo AS lo FROM docs ORDER BY id DESC LIMIT ?').all(limit) as SimHash[];
    return rows.reverse();
  }

  /** Documents whose time is in [from, to), newest first (the newer id first at equal times). */
  list(from: number, to: number, limit: number): StoredDoc[] {
    const rows = this.db.prepare('SELECT * FROM docs WHERE time >= ? AND time < ? ORDER BY time DESC, id DESC LIMIT ?').all(from, to, limit) as DocRow[];
    return rows.map(fromRow);
  }

  /** Ids and times of the documents `list` returns, in its order, without reading any text. */
  listIds(from: number, to: number, limit: number): { id: number; time: number }[] {
    return this.db.prepare('SELECT id, time FROM docs WHERE time >= ? AND time < ? ORDER BY time DESC, id DESC LIMIT ?').all(from, to, limit) as { id: number; time: number }[];
  }

  /** Documents by id (in no particular order) with their text cut to its first `textChars` characters in SQL: a 100,000-character text is not read whole. */
  heads(ids: readonly number[], textChars: number): StoredDoc[] {
    const rows = this.db
      .prepare('SELECT id, source, url, title, substr(text, 1, ?) AS text, time, fetched_at, lang, types, keywords FROM docs WHERE id IN (SELECT value FROM json_each(?))')
      .all(textChars, JSON.stringify(ids)) as DocRow[];
    return rows.map(fromRow);
  }

  /**
   * A page of the documents `q` matches, newest first (as `list`), and how many match in all: time in
   * [from, to), a source's name exactly, and any of `types` scored at least `certainty` by the
   * classifier in one of `languages` (those it reads: a document in another counts as no type). The text is not read.
   */
  find(q: DocQuery): { docs: Omit<StoredDoc, 'text'>[]; total: number } {
    const { filter, args } = docFilter(q);
    const total = (this.stmt(`SELECT count(*) AS n FROM docs WHERE ${filter}`).get(...args) as { n: number }).n;
    return { docs: this.findPage(q), total };
  }

  /** `find`'s page alone, without counting every match (a caller that reads them all a page at a time). */
  findPage(q: DocQuery): Omit<StoredDoc, 'text'>[] {
    const { filter, args } = docFilter(q);
    const rows = this.stmt(`SELECT id, source, url, title, '' AS text, time, fetched_at, lang, types, keywords FROM docs WHERE ${filter} ORDER BY time DESC, id DESC LIMIT ? OFFSET ?`).all(...args, q.limit, q.offset ?? 0) as DocRow[];
    return rows.map((r) => {
      const { text: _text, ...d } = fromRow(r);
      return d;
    });
  }

  /** The sources the stored documents came from, with how many each, most first. */
  sources(): { source: string; documents: number }[] {
    return this.db.prepare('SELECT source, count(*) AS documents FROM docs GROUP BY source ORDER BY documents DESC, source').all() as { source: string; documents: number }[];
  }

  /** Changes when a document is added (ids only grow; documents are never edited). */
  version(): string {
    const r = this.db.prepare('SELECT max(id) AS id, count(*) AS n FROM docs').get() as { id: number | null; n: number };
    return `${r.id ?? 0}:${r.n}`;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM docs').get() as { n: number }).n;
  }

  validators(url: string): { etag: string | null; lastModified: string | null } | null {
    const r = this.stmt('SELECT etag, last_modified AS lastModified FROM fetch_state WHERE url = ?').get(url) as
      | { etag: string | null; lastModified: string | null }
      | undefined;
    return r ?? null;
  }

  setValidators(url: string, etag: string | null, lastModified: string | null, at: number): void {
    this.stmt(SET_VALIDATORS).run(url, etag, lastModified, at);
  }

  close(): void {
    this.db.close();
  }
}
