import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { LogEvent } from '../core/index.js';
import { ShardWriter, type StoredLine } from './shard-writer.js';
import { indexParts, indexText, TYPED_MARK } from './terms.js';

const T0 = Date.UTC(2026, 11, 7, 12, 0, 0);

function event(raw: string, over: Partial<LogEvent> = {}): LogEvent {
  return {
    time: T0, receivedAt: T0, source: 's', severity: null, facility: null, host: null, app: null, pid: null, msgid: null, structured: null,
    message: raw, raw, parsed: true, format: 'rfc3164', entities: [], ...over,
  };
}

const EVENTS: LogEvent[] = [
  event('<38>Dec  7 12:00:00 gw sshd[22]: Failed password for root from 10.0.0.5 port 22', {
    severity: 6, facility: 4, host: 'gw', app: 'sshd',
    entities: [{ kind: 'ip', value: '10.0.0.5' }, { kind: 'port', value: '22' }, { kind: 'user', value: 'corp\\root' }, { kind: 'domain', value: 'a.b.example.com' }],
  }),
  event(`forged ${TYPED_MARK}host_dc01 term`, { host: 'web-01' }),
  event('a line that did not parse', { parsed: false }),
  event('parsed, no fields and no entities'),
  event(''),
];

/** term → rowids, as the shard's index answers for every term it holds */
function indexed(path: string): Map<string, number[]> {
  const db = new Database(path, { readonly: true });
  try {
    db.exec("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, idx, 'row')");
    const terms = (db.prepare('SELECT term FROM temp.v ORDER BY term').all() as { term: string }[]).map((r) => r.term);
    const match = db.prepare('SELECT rowid FROM idx WHERE idx MATCH ? ORDER BY rowid').pluck();
    return new Map(terms.map((t) => [t, match.all(`"${t.replace(/"/g, '""')}"`) as number[]]));
  } finally {
    db.close();
  }
}

test("a line written as text plus typed terms (indexParts, joined by SQLite) is indexed exactly as its whole indexText", () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-parts-'));
  try {
    const write = (name: string, toLine: (ev: LogEvent) => Pick<StoredLine, 'text' | 'terms'>): string => {
      const path = join(dir, name);
      const w = new ShardWriter(path, T0, 60_000, 0, false);
      w.append(EVENTS.map((ev) => ({ time: T0, receivedAt: T0, source: 's', raw: ev.raw, ...toLine(ev) })));
      w.close();
      return path;
    };
    const whole = indexed(write('whole.db', (ev) => ({ text: indexText(ev) })));
    const parts = indexed(write('parts.db', (ev) => indexParts(ev)));
    assert.ok(whole.has(`${TYPED_MARK}ip4_0a000005`) && whole.has(`${TYPED_MARK}fmt_raw`) && whole.has('failed'), 'the sample holds typed terms and words');
    assert.ok(!whole.has(`${TYPED_MARK}host_dc01`), 'the mark in raw text is neutralized');
    assert.deepEqual(parts, whole);
    for (const ev of EVENTS) {
      const { text, terms } = indexParts(ev);
      assert.equal(terms === '' ? text : `${text}\n${terms}`, indexText(ev));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
