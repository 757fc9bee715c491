/** `nml trends documents` (`docs`): the collected documents, newest first, filtered by type, source and day, cut by --limit with a line that says so. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runInProcess as run } from '../testing.js';
import { DocStore, simhash } from '../../trends/index.js';
import { docsDbPath } from './trends-documents.js';

const day = (d: string, h = 12): number => Date.parse(`${d}T${String(h).padStart(2, '0')}:00:00Z`);

/**
 * A data directory holding five documents of three sources: one in German, and one in English with too few
 * of the classifier's words, stored with a high ddos score; the page leaves both unread.
 */
function withDocs(fn: (data: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nml-trends-docs-'));
    try {
      const data = join(dir, 'data');
      const docs = new DocStore(docsDbPath(data));
      const doc = (source: string, title: string, time: number, types: Record<string, number>, lang = 'en') => ({ source, url: `https://example.com/${encodeURIComponent(title)}`, title, text: title, time, fetchedAt: time, lang, types, keywords: [], simhash: simhash(title) });
      docs.insertMany([
        doc('news', 'LockBit ransomware hits hospital', day('2026-12-01'), { ransomware: 0.91, malware: 0.62, ddos: 0.1 }),
        doc('news', 'Botnet floods bank sites', day('2026-12-02'), { ddos: 0.88 }),
        doc('blog', 'Quarterly report on nothing in particular', day('2026-12-03'), { ddos: 0.84 }),
        doc('mastodon', 'Erpressersoftware legt Klinik lahm', day('2026-12-03', 15), { ransomware: 0.9, ddos: 0.84 }, 'de'),
        doc('blog', 'SQL injection in a shop plugin', day('2026-12-04'), { web_attack: 0.77 }),
      ]);
      docs.close();
      await fn(data);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('nml trends documents lists every collected document newest first: time, source, the types it counts as, title; stderr says how many', withDocs(async (data) => {
  const r = await run(['trends', 'documents', '--data', data]);
  assert.equal(r.code, 0, r.err);
  assert.equal(
    r.out,
    [
      '2026-12-04T12:00:00Z  blog      web_attack              SQL injection in a shop plugin',
      '2026-12-03T15:00:00Z  mastodon  unread (de)             Erpressersoftware legt Klinik lahm',
      '2026-12-03T12:00:00Z  blog      unread (few words)      Quarterly report on nothing in particular',
      '2026-12-02T12:00:00Z  news      ddos                    Botnet floods bank sites',
      '2026-12-01T12:00:00Z  news      ransomware,malware      LockBit ransomware hits hospital',
      '',
    ].join('\n'),
  );
  assert.equal(r.err, 'nml: 5 documents\n');
  // `docs` is the same command
  assert.equal((await run(['trends', 'docs', '--data', data])).out, r.out);
}));

test('nml trends documents filters: --type (as the page counts: not a document it cannot read), --source, --since/--until (whole UTC days)', withDocs(async (data) => {
  const titles = async (...args: string[]) => {
    const r = await run(['trends', 'documents', '--data', data, ...args]);
    assert.equal(r.code, 0, r.err);
    return r.out.trim().split('\n').filter((l) => l !== '').map((l) => l.slice(l.lastIndexOf('  ') + 2));
  };
  assert.deepEqual(await titles('--type', 'ransomware'), ['LockBit ransomware hits hospital']);
  assert.deepEqual(await titles('--type', 'ddos,web_attack'), ['SQL injection in a shop plugin', 'Botnet floods bank sites']);
  assert.deepEqual(await titles('--type', 'ddos', '--type', 'ransomware'), ['Botnet floods bank sites', 'LockBit ransomware hits hospital']);
  assert.deepEqual(await titles('--source', 'blog'), ['SQL injection in a shop plugin', 'Quarterly report on nothing in particular']);
  assert.deepEqual(await titles('--since', '2026-12-02', '--until', '2026-12-03'), ['Erpressersoftware legt Klinik lahm', 'Quarterly report on nothing in particular', 'Botnet floods bank sites']);
  assert.deepEqual(await titles('--until', '2026-12-01'), ['LockBit ransomware hits hospital']);
  // a source that is not there: the ones that are, with their counts
  const typo = await run(['trends', 'documents', '--data', data, '--source', 'nwes']);
  assert.equal(typo.code, 0, typo.err);
  assert.equal(typo.err, "nml: no document matches: no documents from a source named 'nwes'; docs.db holds documents from blog (2), news (2), mastodon (1)\n");
}));

test('nml trends documents --limit says how many more match; --json is one document per line', withDocs(async (data) => {
  const r = await run(['trends', 'documents', '--data', data, '--limit', '2']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.split('\n').length, 3);
  assert.equal(r.err, 'nml: 2 documents printed and 3 more match; --limit N prints more, or narrow with --since, --until, --type, --source\n');
  const j = await run(['trends', 'documents', '--data', data, '--json', '--type', 'ransomware']);
  assert.equal(j.code, 0, j.err);
  assert.equal(j.err, '');
  const lines = j.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines.length, 1);
  assert.deepEqual({ ...lines[0], id: 0 }, { id: 0, time: '2026-12-01T12:00:00.000Z', fetchedAt: '2026-12-01T12:00:00.000Z', source: 'news', title: 'LockBit ransomware hits hospital', url: 'https://example.com/LockBit%20ransomware%20hits%20hospital', lang: 'en', types: { ransomware: 0.91, malware: 0.62 } });
  const de = await run(['trends', 'documents', '--data', data, '--json', '--source', 'mastodon']);
  assert.deepEqual((JSON.parse(de.out) as Record<string, unknown>)['unread'], 'language');
  // the page leaves it unread: no types, and why
  const few = await run(['trends', 'documents', '--data', data, '--json', '--source', 'blog', '--until', '2026-12-03']);
  assert.deepEqual({ ...(JSON.parse(few.out) as Record<string, unknown>), id: 0, url: '' }, { id: 0, time: '2026-12-03T12:00:00.000Z', fetchedAt: '2026-12-03T12:00:00.000Z', source: 'blog', title: 'Quarterly report on nothing in particular', url: '', lang: 'en', types: {}, unread: 'few_known_words' });
  // with --type the count past --limit leaves out what the page does not count (Quarterly's stored ddos .84)
  const cut = await run(['trends', 'documents', '--data', data, '--type', 'ddos,web_attack', '--limit', '1']);
  assert.equal(cut.code, 0, cut.err);
  assert.equal(cut.err, 'nml: 1 document printed and 1 more match; --limit N prints more, or narrow with --since, --until, --type, --source\n');
}));

test('nml trends documents reads docs.db without writing to it: an older file is not given the tables it lacks', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-docs-'));
  try {
    const data = join(dir, 'data');
    mkdirSync(join(data, 'trends'), { recursive: true });
    // docs.db as an older collector wrote it: no fetch_state table
    const db = new Database(docsDbPath(data));
    db.exec('CREATE TABLE docs (id INTEGER PRIMARY KEY, source TEXT NOT NULL, url TEXT, title TEXT NOT NULL, text TEXT NOT NULL, time INTEGER NOT NULL, fetched_at INTEGER NOT NULL, lang TEXT NOT NULL, simhash_hi INTEGER NOT NULL, simhash_lo INTEGER NOT NULL, types TEXT NOT NULL, keywords TEXT NOT NULL)');
    db.prepare("INSERT INTO docs (source, url, title, text, time, fetched_at, lang, simhash_hi, simhash_lo, types, keywords) VALUES ('news', NULL, 'Botnet floods bank sites', 'Botnet floods bank sites', ?, ?, 'en', 0, 0, '{\"ddos\":0.88}', '[]')").run(day('2026-12-02'), day('2026-12-02'));
    db.close();
    const r = await run(['trends', 'documents', '--data', data]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '2026-12-02T12:00:00Z  news    ddos                    Botnet floods bank sites\n');
    const after = new Database(docsDbPath(data), { readonly: true });
    const tables = after.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    after.close();
    assert.deepEqual(tables, ['docs']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml trends documents refuses a bad --type or day naming what it takes, a reversed range, and a data directory without documents', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-docs-'));
  try {
    const type = await run(['trends', 'documents', '--data', dir, '--type', 'ddos,phishing']);
    assert.equal(type.code, 2);
    assert.match(type.err, /argument 'ddos,phishing' is invalid\. expected attack types, comma-separated, of ddos, account_takeover, targeted, web_attack, ransomware, malware; got 'phishing'/);
    for (const bad of ['2026-02-30', '12/03/2026', 'yesterday']) {
      const r = await run(['trends', 'documents', '--data', dir, '--since', bad]);
      assert.equal(r.code, 2, bad);
      assert.match(r.err, new RegExp(`expected a UTC day YYYY-MM-DD \\(2026-12-03\\), got '${bad}'`));
    }
    const reversed = await run(['trends', 'documents', '--data', dir, '--since', '2026-12-05', '--until', '2026-12-01']);
    assert.equal(reversed.code, 2);
    assert.equal(reversed.err, 'nml: time: --since 2026-12-05 is after --until 2026-12-01; swap them\n');
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const none = await run(['trends', 'documents', '--data', empty]);
    assert.equal(none.code, 1);
    assert.equal(none.err, `nml: trends documents: no collected documents in ${empty} (no trends/docs.db); run nml trends collect --sources FILE --data ${empty} first\n`);
    const typo = await run(['trends', 'documents', '--data', join(dir, 'typo')]);
    assert.equal(typo.code, 2);
    assert.match(typo.err, /^nml: trends: no data directory at .*typo; collect documents with nml trends collect/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
