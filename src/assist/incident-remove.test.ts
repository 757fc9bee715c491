/**
 * An incident removed from the base leaves the similar-incident index in place: BM25's postings, lengths and N and
 * the label votes lose it, and every ranking equals a fresh build's over the rest; the next search reads no document.
 * Two handles on one base, as `nml serve` and `nml assist delete` or `import` beside it: the server's index follows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Assistant } from './assistant.js';
import { Bm25Index } from './bm25.js';
import { CORPORA, loadCorpus } from './corpora.js';
import { textAttrs, type Incident } from './incident.js';
import { IncidentBase } from './incident-base.js';
import type { SimilarResult } from './similar.js';

function inc(id: string, text: string, label: string, source = 'report'): Incident {
  return { id, source, title: text.slice(0, 40), text, time: null, labels: [label], attrs: textAttrs(text), firstAction: `contain ${id}`, countermeasure: null, steps: [], outcome: null };
}

/** What a result says, for comparing two rankings: the incident, its scores and why. */
function said(rs: readonly SimilarResult[]): unknown[] {
  return rs.map((r) => ({ id: r.incident.id, score: r.score, bm25: r.bm25, why: r.why }));
}

/** An incident base that counts the documents it reads to build an index and its reads of every rowid. */
class CountingBase extends IncidentBase {
  reads = 0;
  diffs = 0;
  override *rows(): Generator<{ rowid: number; incident: Incident }> {
    for (const r of super.rows()) {
      this.reads++;
      yield r;
    }
  }
  override rowids(): Map<string, number> {
    this.diffs++;
    return super.rowids();
  }
}

function withDir(run: (dir: string) => Promise<void> | void): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nml-incident-remove-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('BM25: documents taken out score every query as an index built without them', () => {
  const words = ['ssh', 'brute', 'force', 'login', 'ransomware', 'phishing', 'mail', 'server', 'web', 'shell', 'ddos', 'bot'];
  const doc = fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 20 });
  fc.assert(
    fc.property(fc.array(fc.tuple(doc, fc.boolean()), { minLength: 1, maxLength: 60 }), fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 4 }), (docs, q) => {
      const idx = new Bm25Index();
      for (const [d] of docs) idx.add(d.join(' '));
      const gone = docs.flatMap(([, out], i) => (out ? [i] : []));
      assert.equal(idx.remove(gone), gone.length);
      assert.equal(idx.remove(gone), 0, 'removed twice: nothing more');
      const kept = docs.flatMap(([, out], i) => (out ? [] : [i]));
      const fresh = new Bm25Index();
      for (const i of kept) fresh.add((docs[i] as [string[], boolean])[0].join(' '));
      assert.equal(idx.size, fresh.size);
      const text = q.join(' ');
      assert.deepEqual(idx.queryTerms(text), fresh.queryTerms(text), 'a term only removed documents held is no query term');
      const terms = [...new Set(q)];
      const a = idx.search(terms, 10);
      const b = fresh.search(terms, 10).map((x) => ({ doc: kept[x.doc], score: x.score }));
      assert.deepEqual(a, b);
      for (const x of a) assert.deepEqual(idx.sharedTerms(terms, x.doc), fresh.sharedTerms(terms, kept.indexOf(x.doc)));
    }),
    { numRuns: 200, seed: 7 },
  );
});

test('removed through the assistant (one, a source, one saved again): similar incidents equal a fresh build of the rest, and no document is read again', withDir((dir) => {
  const path = join(dir, 'incidents.db');
  const base = new CountingBase(path);
  try {
    const assistant = new Assistant({ base, now: () => 0 });
    const texts = [
      ['ssh brute force failed password root bastion-01', 'bf'],
      ['ssh brute force failed password admin web-01', 'bf'],
      ['ssh login storm from 203.0.113.9 against web-01', 'bf'],
      ['ransomware note on the file server srv-file-01', 'ransom'],
      ['ransomware encrypted the backups on nas-02', 'ransom'],
      ['phishing mail with a payroll link to staff', 'phish'],
      ['syn scan of 1,000 ports from 162.142.125.9', 'scan'],
      ['beacon to c2.example every 60 s from ws-0231', 'c2'],
    ] as const;
    assistant.save(texts.map(([t, l], i) => inc(`report:${i}`, t, l)));
    assistant.save([inc('vcdb:1', 'ssh brute force on a jump host', 'bf', 'vcdb'), inc('vcdb:2', 'stolen laptop with payroll data', 'theft', 'vcdb')]);
    const queries = ['ssh brute force failed password', 'ransomware on the file server', 'payroll phishing', 'scan of ports'].map((t) => assistant.queryOf(t));
    for (const q of queries) assistant.similar(q, 10);
    const built = base.reads;
    assert.equal(built, 10, 'built once, from the whole base');

    assert.notEqual(assistant.remove('report:0'), null);
    assert.notEqual(assistant.remove('report:4'), null);
    assert.equal(assistant.removeSource('vcdb'), 2);
    assistant.save([inc('report:6', 'syn scan of 1,000 ports from 162.142.125.9', 'scan')]);
    const after = queries.map((q) => said(assistant.similar(q, 10)));
    assert.equal(base.reads, built, 'no document read again after a removal');

    const fresh = new Assistant({ base, now: () => 0 });
    assert.deepEqual(after, queries.map((q) => said(fresh.similar(q, 10))));
    assert.ok(after.every((rs) => rs.every((r) => !['report:0', 'report:4', 'vcdb:1', 'vcdb:2'].includes((r as { id: string }).id))));
  } finally {
    base.close();
  }
}));

/** ../shared/datasets beside the checkout (this file is dist/src/assist/ in it). */
const DATASETS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'shared', 'datasets');

test('on the corpus incidents: removals read no incident again, and the rankings equal a fresh build\'s', { timeout: 300_000, skip: existsSync(DATASETS) ? false : `needs the corpora at ${DATASETS} (the small base above checks the removal)` }, withDir((dir) => {
  const datasets = DATASETS;
  const incidents = CORPORA.flatMap((name) => loadCorpus(name, datasets));
  const base = new CountingBase(join(dir, 'incidents.db'));
  try {
    base.put(incidents);
    const assistant = new Assistant({ base, now: () => 0 });
    const queries = incidents.filter((_x, i) => i % 400 === 7);
    let at = performance.now();
    assistant.similar(queries[0] as Incident, 10);
    const firstBuild = performance.now() - at;
    at = performance.now();
    for (const q of queries) assistant.similar(q, 10);
    const warm = (performance.now() - at) / queries.length;

    const gone = incidents.filter((_x, i) => i % 97 === 3).map((x) => x.id);
    at = performance.now();
    for (const id of gone.slice(0, 1)) assistant.remove(id);
    assistant.similar(queries[1] as Incident, 10);
    const afterOne = performance.now() - at;
    for (const id of gone.slice(1)) assistant.remove(id);
    const ranked = queries.map((q) => said(assistant.similar(q, 10)));
    // what the removals cost is a search's: no incident was read again (the time is printed, not asserted)
    assert.equal(base.reads, incidents.length, 'the base was read once, for the first build');

    at = performance.now();
    const fresh = new Assistant({ base, now: () => 0 });
    fresh.similar(queries[1] as Incident, 10);
    const rebuild = performance.now() - at;
    assert.deepEqual(ranked, queries.map((q) => said(fresh.similar(q, 10))));
    const ms = (x: number) => `${x.toFixed(1)} ms`;
    console.log(`${incidents.length} corpus incidents: first build ${ms(firstBuild)}, a search ${ms(warm)}; one removal and the next search ${ms(afterOne)}, a rebuild and a search ${ms(rebuild)}; ${gone.length} removed, ${queries.length} rankings equal a fresh build's`);
  } finally {
    base.close();
  }
}));

test('another process removes, adds and replaces incidents: the server lists and counts them, and ranks as a fresh build would', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-incident-sync-'));
  const path = join(dir, 'incidents.db');
  const server = new CountingBase(path);
  const cli = new IncidentBase(path);
  const fresh = new IncidentBase(path);
  try {
    const assistant = new Assistant({ base: server, now: () => 0 });
    assistant.save([
      inc('report:1', 'ssh brute force failed password root bastion-01', 'bf'),
      inc('report:2', 'ssh brute force failed password admin web-01', 'bf'),
      inc('report:3', 'ransomware note on the file server srv-file-01', 'ransom'),
      inc('report:4', 'phishing mail with a payroll link to staff', 'phish'),
      inc('vcdb:1', 'ssh brute force on a jump host', 'bf', 'vcdb'),
      inc('vcdb:2', 'stolen laptop with payroll data', 'theft', 'vcdb'),
    ]);
    const queries = ['ssh brute force failed password', 'ransomware on the file server', 'payroll phishing'].map((t) => assistant.queryOf(t));
    for (const q of queries) assistant.similar(q, 10);
    assert.equal(server.reads, 6);
    assistant.similar(queries[0] as Incident, 10);
    assistant.save([inc('report:5', 'beacon to c2.example every 60 s', 'c2')]);
    assert.notEqual(assistant.remove('report:5'), null);
    assistant.similar(queries[0] as Incident, 10);
    assert.equal(server.diffs, 0, 'nothing changed elsewhere: no diff, its own writes included');

    // nml assist delete and import beside the server
    assert.notEqual(cli.remove('report:1'), null);
    assert.equal(cli.removeSource('vcdb'), 2);
    cli.put([inc('report:6', 'ssh brute force failed password from 203.0.113.9 on bastion-02', 'bf'), inc('report:3', 'ransomware encrypted the share on srv-file-01', 'ransom')]);

    assert.deepEqual(assistant.incidents().sources, { report: 5 - 1 });
    assert.equal(assistant.incidents().total, 4);
    assert.deepEqual(assistant.incidents({ match: 'password from' }).incidents.map((x) => x.id), ['report:6']);
    const after = queries.map((q) => said(assistant.similar(q, 10)));
    assert.equal(server.diffs, 1, 'one diff for the change');
    assert.equal(server.reads, 6, 'the base is not read whole again: only the two saved are loaded');
    assert.deepEqual(after, queries.map((q) => said(new Assistant({ base: fresh, now: () => 0 }).similar(q, 10))));
    assert.equal((after[0]?.[0] as { id: string }).id, 'report:6', 'an incident imported elsewhere is found');
    const ranked = after.flat().map((r) => (r as { id: string }).id);
    assert.ok(!ranked.includes('report:1') && !ranked.includes('vcdb:1'), ranked.join());

    assistant.similar(queries[1] as Incident, 10);
    assert.equal(server.diffs, 1, 'no diff again until the next change');
  } finally {
    server.close();
    cli.close();
    fresh.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
