/**
 * Two handles on one incident base, as `nml serve` and `nml assist delete` or `import` beside it: what one changes,
 * the other's listing, counts and similar-incident index follow, without reading the base again when nothing changed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Assistant } from './assistant.js';
import { textAttrs, type Incident } from './incident.js';
import { IncidentBase } from './incident-base.js';
import type { SimilarResult } from './similar.js';

function inc(id: string, text: string, label: string, source = 'report'): Incident {
  return { id, source, title: text.slice(0, 40), text, time: null, labels: [label], attrs: textAttrs(text), firstAction: `contain ${id}`, countermeasure: null, steps: [], outcome: null };
}

function said(rs: readonly SimilarResult[]): unknown[] {
  return rs.map((r) => ({ id: r.incident.id, score: r.score, bm25: r.bm25, why: r.why }));
}

/** A base that counts the documents read to build an index and the reads of every rowid. */
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
