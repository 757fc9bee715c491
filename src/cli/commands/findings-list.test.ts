/** `nml findings list` lists every finding even when one stored row has a time no Date can hold (a store written before times were checked). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCliSync } from '../testing.js';
import { FindingsStore, type NewFinding } from '../../detect/index.js';

const finding = (entity: string, time: number): NewFinding => ({
  detector: 'syn', entity, score: 0.99, threshold: 0.98, modelVersion: 'test', time, explanation: { summary: 'x', detail: null }, evidence: { query: entity, from: 0, to: time },
});

test('a stored finding with a lastSeen past what a Date holds is listed with its raw time, and the others as before', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findingslist-'));
  try {
    const store = new FindingsStore(join(dir, 'findings.db'));
    store.record([finding('ip:10.9.9.9', 1_700_000_000_000), finding('ip:10.0.0.1', 1_700_000_001_000)]);
    store.close();
    const db = new Database(join(dir, 'findings.db'));
    db.prepare('UPDATE findings SET last_seen = ? WHERE entity = ?').run(1.8e22, 'ip:10.9.9.9');
    db.close();
    const r = runCliSync(['findings', 'list', '--data', dir], { input: '' });
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.equal(lines.length, 2, r.out);
    assert.match(lines[0]!, /1\.8e\+22 ms +ip:10\.9\.9\.9$/);
    assert.match(lines[1]!, /2023-11-14T22:13:21Z {2}ip:10\.0\.0\.1$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
