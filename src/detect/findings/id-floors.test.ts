import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FindingsStore } from './store.js';
import type { NewFinding } from '../detector.js';

const finding = (entity: string, time: number): NewFinding => ({
  detector: 'url',
  entity,
  score: 0.9,
  threshold: 0.5,
  modelVersion: 'bob-test',
  time,
  explanation: { summary: 'suspicious path', detail: { chars: [] } },
  evidence: { query: `sub:"${entity.slice(4)}"`, from: 0, to: time + 1 },
});

test('retention that deletes the newest finding and history entry does not let their ids be given again, across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findings-ids-'));
  try {
    const path = join(dir, 'findings.db');
    let clock = 1_000;
    let s = new FindingsStore(path, () => clock);
    const reopenIds: (number | null)[] = [];
    s.subscribe((_c, _s, logIds) => reopenIds.push(...logIds));
    s.record([finding('url:a.example/', 1_000)]);
    const a = s.find('url', 'url:a.example/')!.id;
    s.triage(a, 'resolved', 'blocked', 'night', 1_500); // history entry 1
    s.record([finding('url:a.example/', 2_000)]); // reopened: history entry 2
    assert.deepEqual(reopenIds, [null, 2]);
    s.close();

    clock = 100_000;
    s = new FindingsStore(path, () => clock);
    assert.equal(s.prune(50_000), 1, 'the only finding, the newest, goes');
    s.close();

    s = new FindingsStore(path, () => clock);
    const logIds: (number | null)[] = [];
    s.subscribe((_c, _s, ids) => logIds.push(...ids));
    s.record([finding('url:b.example/', 100_000)]);
    const b = s.find('url', 'url:b.example/')!.id;
    assert.ok(b > a, `the next finding gets a new id (${b}), not the deleted one's (${a})`);
    s.triage(b, 'resolved', 'blocked', 'night', 100_500);
    s.record([finding('url:b.example/', 101_000)]);
    assert.deepEqual(logIds, [null, 4], 'history entries 3 and 4, not 1 and 2 again');
    assert.equal(s.history(b)!.length, 2);
    s.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ids keep growing where retention deleted older rows only, and a person\'s history entries too', () => {
  let clock = 1_000;
  const s = new FindingsStore(':memory:', () => clock);
  s.record([finding('url:old.example/', 1_000), finding('url:new.example/', 9_000)]);
  const [old, recent] = ['url:old.example/', 'url:new.example/'].map((e) => s.find('url', e)!.id);
  s.assign(old!, 'carol', 'admin', 1_500);
  clock = 10_000;
  assert.equal(s.prune(5_000), 1);
  s.record([finding('url:next.example/', 10_000)]);
  assert.equal(s.find('url', 'url:next.example/')!.id, recent! + 1);
  s.assign(recent!, 'dave', 'admin', 10_500);
  assert.equal(s.history(recent!)!.length, 1);
  s.close();
});

test('a store written before id floors opens for reading (lists, reads history) and for writing (gets them)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findings-ids-old-'));
  try {
    const path = join(dir, 'findings.db');
    const s = new FindingsStore(path, () => 1_000);
    s.record([finding('url:a.example/', 1_000)]);
    s.close();
    const raw = new Database(path);
    raw.exec('DROP TABLE id_floors');
    raw.close();
    const reader = new FindingsStore({ readOnly: new Database(path, { readonly: true }), path });
    assert.deepEqual(reader.list().findings.map((f) => f.entity), ['url:a.example/']);
    reader.close();
    const writer = new FindingsStore(path, () => 2_000);
    writer.record([finding('url:b.example/', 2_000)]);
    assert.equal(writer.find('url', 'url:b.example/')!.id, 2);
    writer.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
