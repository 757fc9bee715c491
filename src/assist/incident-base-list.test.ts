/** The incident base listed, shown and corrected: newest first with paging and filters, one removed, a source removed; the similar-incident index never returns a removed incident. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Assistant } from './assistant.js';
import { IncidentBase } from './incident-base.js';
import type { Incident } from './incident.js';

function incident(id: string, source: string, title: string, text = title): Incident {
  return { id, source, title, text, time: null, labels: [], attrs: {}, firstAction: `contain ${id}`, countermeasure: null, steps: [], outcome: null };
}

function withDir(run: (dir: string) => Promise<void> | void): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nml-incident-list-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('list: newest saved first, paged, filtered by source, by words of the title or summary (any case) and by when saved', withDir((dir) => {
  const base = new IncidentBase(join(dir, 'incidents.db'));
  try {
    base.put([incident('vcdb:1', 'vcdb', 'Laptop stolen from car'), incident('vcdb:2', 'vcdb', 'Phishing of payroll staff')], 1_000);
    base.put([incident('report:a', 'report', 'SSH brute force on web-01')], 2_000);
    const summarized = { ...incident('report:b', 'report', 'Ransomware on srv-file-01'), record: { fields: { summary: { value: 'Ransomware on srv-file-01; the backups on NAS-02 untouched', from: { part: 'body', start: 0, end: 10 } } } } } as unknown as Incident;
    base.put([summarized], 3_000);

    const all = base.list();
    assert.equal(all.total, 4);
    assert.deepEqual(all.incidents.map((x) => x.id), ['report:b', 'report:a', 'vcdb:2', 'vcdb:1']);
    assert.deepEqual(all.incidents[0], { id: 'report:b', source: 'report', title: 'Ransomware on srv-file-01', time: null, saved: 3_000 });

    const page = base.list({ limit: 2, offset: 1 });
    assert.deepEqual(page.incidents.map((x) => x.id), ['report:a', 'vcdb:2']);
    assert.equal(page.total, 4, 'the total counts every match, not the page');

    assert.deepEqual(base.list({ source: 'vcdb' }).incidents.map((x) => x.id), ['vcdb:2', 'vcdb:1']);
    assert.deepEqual(base.list({ match: 'ssh BRUTE' }).incidents.map((x) => x.id), ['report:a']);
    assert.deepEqual(base.list({ match: 'nas-02' }).incidents.map((x) => x.id), ['report:b'], 'the summary past the title');
    assert.deepEqual(base.list({ match: '%' }).total, 0, 'a LIKE wildcard is a character');
    assert.deepEqual(base.list({ since: 2_000 }).incidents.map((x) => x.id), ['report:b', 'report:a']);
    assert.deepEqual(base.list({ source: 'vcdb', since: 2_000 }).total, 0);

    // saved again: new again
    base.put([incident('vcdb:1', 'vcdb', 'Laptop stolen from car')], 4_000);
    assert.equal(base.list({ limit: 1 }).incidents[0]?.id, 'vcdb:1');
    assert.deepEqual(base.countBySource(), { report: 2, vcdb: 2 });
  } finally {
    base.close();
  }
}));

test('remove takes one incident out and says what it was; an unknown id is null; removeSource takes a source out', withDir((dir) => {
  const base = new IncidentBase(join(dir, 'incidents.db'));
  try {
    base.put([incident('vcdb:1', 'vcdb', 'Laptop stolen'), incident('vcdb:2', 'vcdb', 'Phishing'), incident('report:a', 'report', 'SSH brute force')], 5);
    assert.deepEqual(base.remove('report:a'), { id: 'report:a', source: 'report', title: 'SSH brute force', time: null, saved: 5 });
    assert.equal(base.get('report:a'), null);
    assert.equal(base.remove('report:a'), null);
    assert.equal(base.remove('nope'), null);
    assert.equal(base.count(), 2);
    assert.equal(base.removeSource('vcdb'), 2);
    assert.equal(base.count(), 0);
    assert.equal(base.removeSource('vcdb'), 0);
  } finally {
    base.close();
  }
}));

test('a base written before it kept titles and save times is listed: titles and summaries filled from the documents, no save time', withDir((dir) => {
  const path = join(dir, 'incidents.db');
  const old = new Database(path);
  old.exec('CREATE TABLE incidents (id TEXT PRIMARY KEY, source TEXT NOT NULL, time TEXT, doc TEXT NOT NULL); CREATE INDEX incidents_source ON incidents(source);');
  const x = { ...incident('report:old', 'report', 'Old beacon to c2.example'), record: { fields: { summary: { value: 'Old beacon to c2.example every 60 s' } } } };
  old.prepare('INSERT INTO incidents VALUES (?, ?, ?, ?)').run(x.id, x.source, '2026-01-02', JSON.stringify(x));
  old.close();
  const base = new IncidentBase(path);
  try {
    assert.deepEqual(base.list().incidents, [{ id: 'report:old', source: 'report', title: 'Old beacon to c2.example', time: '2026-01-02', saved: null }]);
    assert.equal(base.list({ match: 'every 60' }).total, 1);
    assert.equal(base.list({ since: 0 }).total, 0, 'no save time: not "since" any time');
    base.put([incident('report:new', 'report', 'New one')], 9);
    assert.deepEqual(base.list().incidents.map((i) => i.id), ['report:new', 'report:old']);
  } finally {
    base.close();
  }
}));

test('a removed incident is never a similar incident nor a citation again, whether removed through the assistant or by another process', withDir(async (dir) => {
  const path = join(dir, 'incidents.db');
  const base = new IncidentBase(path);
  try {
    const assistant = new Assistant({ base, now: () => 0 });
    assistant.save([
      incident('report:ssh1', 'report', 'SSH brute force against bastion-01', 'ssh brute force failed password root bastion-01'),
      incident('report:ssh2', 'report', 'SSH brute force against web-01', 'ssh brute force failed password admin web-01'),
      incident('report:ssh3', 'report', 'SSH brute force against db-01', 'ssh brute force failed password oracle db-01'),
      incident('report:other', 'report', 'Printer out of toner', 'printer toner'),
    ]);
    const q = assistant.queryOf('ssh brute force failed password bastion-01');
    assert.equal(assistant.similar(q, 3)[0]?.incident.id, 'report:ssh1', 'indexed before the removal');

    assert.equal(assistant.remove('report:ssh1')?.title, 'SSH brute force against bastion-01');
    assert.equal(assistant.remove('report:ssh1'), null);
    const after = assistant.similar(q, 10).map((r) => r.incident.id);
    assert.ok(after.length > 0 && !after.includes('report:ssh1'), after.join());
    assert.throws(() => assistant.get('report:ssh1'), /ASSIST_INCIDENT_NOT_FOUND|no incident report:ssh1/);
    const chat = await assistant.chat('report:ssh2', [{ role: 'user', content: 'what did we do last time?' }]);
    assert.ok(!chat.citations.some((c) => c.ref === 'report:ssh1'), JSON.stringify(chat.citations));

    // another process (nml assist delete beside nml serve) removes one the index still holds
    const other = new IncidentBase(path);
    assert.notEqual(other.remove('report:ssh2'), null);
    other.close();
    const stale = assistant.similar(q, 10);
    assert.ok(stale.length > 0, 'the rest are still found');
    assert.ok(stale.every((r) => r.incident.id !== 'report:ssh2' && r.incident.text !== ''), stale.map((r) => r.incident.id).join());

    assert.equal(assistant.removeSource('report'), 2);
    assert.deepEqual(assistant.similar(q, 10), []);
  } finally {
    base.close();
  }
}));

test('the match folds case beyond ASCII, the same for what is stored and what is asked: ß and SS, İ, Cyrillic, Greek, full-width', withDir((dir) => {
  const path = join(dir, 'incidents.db');
  const base = new IncidentBase(path);
  try {
    const withSummary = (x: Incident, summary: string) => ({ ...x, record: { fields: { summary: { value: summary, from: { part: 'body', start: 0, end: 1 } } } } }) as unknown as Incident;
    base.put([
      incident('report:de', 'report', 'Ünïcode-Angriff in der Hauptstraße'),
      incident('report:tr', 'report', 'İstanbul ofisinde oltalama'),
      incident('report:ru', 'report', 'Фишинг в БУХГАЛТЕРИИ'),
      incident('report:el', 'report', 'ΟΔΥΣΣΕΥΣ beacon'),
      incident('report:fw', 'report', 'ＳＳＨ brute force on ｗｅｂ－０１'),
      withSummary(incident('report:sum', 'report', 'Mail'), 'Die Daten der GROSSKUNDEN wurden kopiert'),
    ]);
    const ids = (match: string) => base.list({ match }).incidents.map((x) => x.id);
    assert.deepEqual(ids('ÜNÏCODE'), ['report:de']);
    assert.deepEqual(ids('ünïcode-angriff'), ['report:de']);
    assert.deepEqual(ids('HAUPTSTRASSE'), ['report:de'], 'ß is ss');
    assert.deepEqual(ids('straße'), ['report:de']);
    assert.deepEqual(ids('unicode'), [], 'accents stay');
    assert.deepEqual(ids('istanbul'), ['report:tr'], 'İ is i');
    assert.deepEqual(ids('İSTANBUL'), ['report:tr']);
    assert.deepEqual(ids('фишинг в бухгалтерии'), ['report:ru']);
    assert.deepEqual(ids('ФИШИНГ'), ['report:ru']);
    assert.deepEqual(ids('οδυσσευς'), ['report:el'], 'the final ς is σ');
    assert.deepEqual(ids('ΟΔΥΣ'), ['report:el']);
    assert.deepEqual(ids('ssh brute'), ['report:fw'], 'full-width letters are their letters');
    assert.deepEqual(ids('WEB-01'), ['report:fw']);
    assert.deepEqual(ids('ＳＳＨ'), ['report:fw']);
    assert.deepEqual(ids('großkunden'), ['report:sum'], 'in the summary too');
    assert.deepEqual(ids("' OR 1=1 --"), [], 'the text is bound, never pasted into the SQL');
  } finally {
    base.close();
  }
  // a base from before the folds gets them; a row an older nml writes without one is matched all the same
  const old = new Database(path);
  old.exec('ALTER TABLE incidents DROP COLUMN folded_title; ALTER TABLE incidents DROP COLUMN folded_summary');
  const reopened = new IncidentBase(path);
  try {
    assert.deepEqual(reopened.list({ match: 'HAUPTSTRASSE' }).incidents.map((x) => x.id), ['report:de']);
    assert.deepEqual(reopened.list({ match: 'GROSSKUNDEN' }).incidents.map((x) => x.id), ['report:sum']);
    old.prepare("INSERT INTO incidents (id, source, time, doc, title) VALUES ('report:older', 'report', NULL, '{}', 'Ärger mit der Außenstelle')").run();
    assert.deepEqual(reopened.list({ match: 'AUSSENSTELLE' }).incidents.map((x) => x.id), ['report:older']);
  } finally {
    old.close();
    reopened.close();
  }
}));
