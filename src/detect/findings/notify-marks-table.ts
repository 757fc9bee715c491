/**
 * The findings webhooks' marks in `findings.db` (`notify_marks`, one row per configured webhook: its place
 * in `findings.notify`, a SHA-256 of its URL, never the URL) and the raisings after a mark, read at start
 * to offer again what a crash left in no message (notify-mark.ts says why and how). Only `nml serve`'s
 * notify wiring uses it, on the store it opened for writing.
 */
import type Database from 'better-sqlite3';
import type { NotifyMark, RaisedFinding } from './notify-message.js';
import { toFinding, type Row } from './schema.js';

/** A webhook's stored mark: its place in `findings.notify` and its URL's SHA-256 (notify-outbox.ts's `urlHash`). */
export interface StoredMark {
  index: number;
  urlHash: string;
  mark: NotifyMark;
}

export class NotifyMarksTable {
  private readonly all: Database.Statement;
  private readonly clear: Database.Statement;
  private readonly put: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.all = db.prepare('SELECT idx AS "index", url_hash AS urlHash, finding, reopen FROM notify_marks ORDER BY idx');
    this.clear = db.prepare('DELETE FROM notify_marks');
    this.put = db.prepare('INSERT INTO notify_marks (idx, url_hash, finding, reopen, at) VALUES (?, ?, ?, ?, ?)');
  }

  read(): StoredMark[] {
    return (this.all.all() as Array<{ index: number; urlHash: string; finding: number; reopen: number }>).map(({ index, urlHash, finding, reopen }) => ({ index, urlHash, mark: { finding, reopen } }));
  }

  /** Replaces every stored mark with `marks` (one transaction): a webhook left out is forgotten. */
  save(marks: readonly StoredMark[], now = Date.now()): void {
    this.db.transaction(() => {
      this.clear.run();
      for (const m of marks) this.put.run(m.index, m.urlHash, m.mark.finding, m.mark.reopen, now);
    })();
  }

  /** How far the store's raisings go now: its highest finding id and triage-log id. */
  current(): NotifyMark {
    const finding = this.db.prepare('SELECT coalesce(max(id), 0) FROM findings').pluck().get() as number;
    const reopen = this.db.prepare('SELECT coalesce(max(id), 0) FROM triage_log').pluck().get() as number;
    return { finding, reopen };
  }

  /**
   * The raisings after `from` whose time on the store's clock is at or after `notBefore`: findings made
   * since (as new, by id) and findings reopened since (once each, by their latest reopening), each as it
   * stands now; at most `limit` of each kind, the latest ones, and how many more there were.
   */
  raisedSince(from: NotifyMark, notBefore: number, limit: number): { raised: RaisedFinding[]; leftOut: number } {
    const made = this.db.prepare('SELECT * FROM findings WHERE id > ? AND sighted_at >= ? ORDER BY id DESC LIMIT ?').all(from.finding, notBefore, limit + 1) as Row[];
    const reopened = this.db
      .prepare("SELECT f.*, r.log_id FROM (SELECT finding_id, max(id) AS log_id FROM triage_log WHERE id > ? AND cause = 'sighting' AND at >= ? GROUP BY finding_id ORDER BY log_id DESC LIMIT ?) r JOIN findings f ON f.id = r.finding_id")
      .all(from.reopen, notBefore, limit + 1) as Array<Row & { log_id: number }>;
    let leftOut = 0;
    if (made.length > limit) leftOut += (this.db.prepare('SELECT count(*) FROM findings WHERE id > ? AND sighted_at >= ?').pluck().get(from.finding, notBefore) as number) - limit;
    if (reopened.length > limit) leftOut += (this.db.prepare("SELECT count(DISTINCT finding_id) FROM triage_log WHERE id > ? AND cause = 'sighting' AND at >= ?").pluck().get(from.reopen, notBefore) as number) - limit;
    const raised: RaisedFinding[] = [
      ...made.slice(0, limit).reverse().map((row): RaisedFinding => ({ finding: toFinding(row), raised: 'new' })),
      ...reopened.sort((a, b) => b.log_id - a.log_id).slice(0, limit).reverse().map((row): RaisedFinding => ({ finding: toFinding(row), raised: 'reopened', logId: row.log_id })),
    ];
    return { raised, leftOut };
  }
}
