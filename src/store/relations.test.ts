import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { RelationWriter } from './relation-writer.js';
import { RelationIndex } from './relation-reader.js';
import { listRelationFiles, parseRelationRelPath, relationRelPath, RELATIONS_DIR } from './relation-files.js';
import { ShardSet } from './shard-set.js';
import { Catalog } from './catalog.js';
import { applyRetention } from './retention.js';
import type { StoredLine } from './shard-writer.js';

const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
const HOUR = 3_600_000;
const tmp = (): string => mkdtempSync(join(tmpdir(), 'nml-rel-'));
const edge = (kind: string, from: string, to: string) => ({ kind, from, to });

test('relation file names round-trip and list by range', () => {
  const rel = relationRelPath(T0 + HOUR, HOUR, 1);
  assert.equal(rel, '2026/11/28/130000-3600s-w1.db');
  assert.deepEqual(parseRelationRelPath(rel), { rel, start: T0 + HOUR, end: T0 + 2 * HOUR, lane: 1 });
  assert.equal(parseRelationRelPath('2026/11/28/x.db'), null);
});

test('edges are aggregated per period with first, last and count, and read back in both directions', () => {
  const dir = tmp();
  try {
    const root = join(dir, RELATIONS_DIR);
    const w0 = new RelationWriter({ dir: root, lane: 0, periodMs: HOUR, maxOpen: 2 });
    const w1 = new RelationWriter({ dir: root, lane: 1, periodMs: HOUR, maxOpen: 2 });
    const flow = edge('flow', 'ip:10.0.0.5', 'ip:198.51.100.66');
    w0.append([
      { time: T0 + 1000, relations: [flow, edge('query', 'ip:10.0.0.5', 'domain:evil.example')] },
      { time: T0 + 5000, relations: [flow] },
      { time: T0 + 2000 },
    ]);
    w0.append([{ time: T0 + 500, relations: [flow] }]);
    w1.append([{ time: T0 + HOUR + 10, relations: [flow, edge('flow', 'ip:10.0.0.6', 'ip:198.51.100.66')] }]);
    const idx = new RelationIndex(dir);
    assert.equal(idx.files({ from: null, to: null }).length, 2);
    const out = idx.edges('ip:10.0.0.5', { from: null, to: null });
    const f = out.find((e) => e.kind === 'flow')!;
    assert.deepEqual(f, { kind: 'flow', direction: 'out', other: 'ip:198.51.100.66', first: T0 + 500, last: T0 + HOUR + 10, count: 4 });
    assert.equal(out.find((e) => e.kind === 'query')!.other, 'domain:evil.example');
    const into = idx.edges('ip:198.51.100.66', { from: null, to: null }, { direction: 'in' });
    assert.deepEqual(into.map((e) => [e.other, e.count]).sort(), [['ip:10.0.0.5', 4], ['ip:10.0.0.6', 1]]);
    // the second hour only: the first file is not read, and edges of the first hour are out of range
    const later = idx.edges('ip:10.0.0.5', { from: T0 + HOUR, to: null });
    assert.deepEqual(later.map((e) => [e.kind, e.count]), [['flow', 1]]);
    const range = { from: null, to: null };
    assert.deepEqual([...idx.fanIn(['ip:198.51.100.66', 'ip:192.0.2.9'], ['flow'], range)], [['ip:198.51.100.66', 3]], 'edges over both files');
    const many = idx.sourcesOf(['ip:198.51.100.66', 'ip:192.0.2.9'], ['flow', 'alert'], range);
    assert.deepEqual([...many.get('ip:198.51.100.66')!].sort(), ['ip:10.0.0.5', 'ip:10.0.0.6']);
    assert.deepEqual([...many.get('ip:192.0.2.9')!], []);
    // the second hour only: a file the range covers whole, answered from the index alone
    assert.deepEqual([...idx.fanIn(['ip:198.51.100.66'], ['flow'], { from: T0 + HOUR, to: null })], [['ip:198.51.100.66', 2]]);
    // edges out of a source, counted from the primary key: one per file and destination, Infinity past the cap
    assert.equal(idx.fanOut('ip:10.0.0.5', ['flow'], range), 2, 'the flow edge in each of the two files');
    assert.equal(idx.fanOut('ip:10.0.0.5', ['flow', 'query'], range), 3);
    assert.equal(idx.fanOut('ip:10.0.0.5', ['query'], { from: T0 + HOUR, to: null }), 0, 'the query is in the first hour only');
    assert.equal(idx.fanOut('ip:10.0.0.5', ['flow', 'query'], { from: null, to: T0 + HOUR }, 1), Infinity, 'two edges in the first file, past a cap of 1');
    assert.equal(idx.fanOut('ip:192.0.2.9', ['flow'], range), 0);
    // part of the first hour, after the edge's last sighting: rows are checked against the range
    assert.deepEqual([...idx.sourcesOf(['ip:198.51.100.66'], ['flow'], { from: T0 + 6000, to: T0 + 7000 }).get('ip:198.51.100.66')!], []);
    assert.deepEqual(idx.edges('ip:10.0.0.5', range, { kinds: ['query'] }).map((e) => e.other), ['domain:evil.example']);
    idx.close();
    w0.closeAll();
    w1.closeAll();
    assert.equal(existsSync(join(root, relationRelPath(T0, HOUR, 0)) + '-wal'), false, 'a closed period is one file');
    const again = new RelationIndex(dir);
    assert.equal(again.edges('ip:10.0.0.5', { from: null, to: null }).length, 2, 'still readable after the writer closed');
    again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('retention removes the relation file of a period with the last shard of that period', () => {
  const dir = tmp();
  try {
    const root = join(dir, RELATIONS_DIR);
    const catalog = new Catalog(dir, 60_000);
    const set = new ShardSet({ dir: catalog.shardsDir, lane: 0, slotMs: 60_000, sealIdleMs: 0, maxOpenShards: 8, optimizeOnSeal: false });
    const writer = new RelationWriter({ dir: root, lane: 0, periodMs: HOUR, maxOpen: 4 });
    const lines: StoredLine[] = [0, 30 * 60_000, HOUR + 60_000].map((t, i) => ({
      time: T0 + t,
      receivedAt: T0 + t,
      source: 'test',
      raw: `line ${i}`,
      text: `line ${i}`,
      relations: [edge('flow', `ip:10.0.0.${i}`, 'ip:192.0.2.1')],
    }));
    catalog.apply(set.append(lines));
    writer.append(lines);
    catalog.apply(set.sealDue(T0 + 3 * HOUR, true));
    writer.closeAll();
    assert.equal(listRelationFiles(root, { from: null, to: null }).length, 2);
    // the first minute goes: the first hour still has a shard, its relation file stays (the budget
    // counts the relation files too)
    const relBytes = listRelationFiles(root, { from: null, to: null }).reduce((n, f) => n + statSync(f.path).size, 0);
    let r = applyRetention(catalog, { maxAgeMs: null, maxBytes: catalog.summary().bytes + relBytes - 1 }, T0 + 3 * HOUR, root);
    assert.equal(r.removed, 1);
    assert.equal(listRelationFiles(root, { from: null, to: null }).length, 2);
    // the second shard of the first hour goes (its file written when its slot ended): so does that hour's relation file
    for (const s of catalog.all()) utimesSync(s.path, new Date(s.slotEnd), new Date(s.slotEnd));
    r = applyRetention(catalog, { maxAgeMs: 2 * HOUR, maxBytes: null }, T0 + 3 * HOUR, root);
    assert.equal(r.removed, 1);
    assert.equal(r.removedRelationFiles, 1);
    assert.deepEqual(listRelationFiles(root, { from: null, to: null }).map((f) => f.start), [T0 + HOUR]);
    // a budget the shards alone would meet: the relation file puts the total over it, so the last shard goes
    // (its hour's relation file stays: the period has not ended before any shard left)
    const left = catalog.summary().bytes;
    r = applyRetention(catalog, { maxAgeMs: null, maxBytes: left }, T0 + 3 * HOUR, root);
    assert.equal(r.removed, 1, 'shards + relations were over the budget');
    assert.equal(listRelationFiles(root, { from: null, to: null }).length, 1);
    catalog.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('edges that share two of kind, from and to stay apart within one flush, ends holding U+0000 too, past one multi-row upsert', () => {
  const dir = tmp();
  try {
    const root = join(dir, RELATIONS_DIR);
    const w = new RelationWriter({ dir: root, lane: 0, periodMs: HOUR, maxOpen: 2 });
    const many = Array.from({ length: 70 }, (_, i) => edge('service', 'ip:10.0.0.5', `port:${i + 1}`));
    w.append([
      { time: T0 + 10, relations: [edge('flow', 'ip:10.0.0.5', 'ip:10.0.0.6'), edge('blocked', 'ip:10.0.0.5', 'ip:10.0.0.6'), edge('flow', 'ip:10.0.0.5', 'ip:10.0.0.7')] },
      { time: T0 + 20, relations: [edge('flow', 'ip:10.0.0.5', 'ip:10.0.0.6'), edge('flow', 'a', 'b\u0000flow\u0000c'), edge('flow', 'a\u0000flow\u0000b', 'c'), ...many] },
      { time: T0 + 5, relations: [edge('flow', 'ip:10.0.0.5', 'ip:10.0.0.6')] },
    ]);
    w.closeAll();
    const db = new Database(join(root, relationRelPath(T0, HOUR, 0)), { readonly: true });
    const rows = db.prepare('SELECT kind, src, dst, first, last, n FROM edges WHERE dst NOT LIKE ? ORDER BY kind, src, dst').all('port:%');
    assert.equal((db.prepare('SELECT count(*) FROM edges WHERE dst LIKE ?').pluck().get('port:%') as number), 70);
    db.close();
    const t = (dt: number): number => T0 + dt;
    assert.deepEqual(rows, [
      { kind: 'blocked', src: 'ip:10.0.0.5', dst: 'ip:10.0.0.6', first: t(10), last: t(10), n: 1 },
      { kind: 'flow', src: 'a', dst: 'b\u0000flow\u0000c', first: t(20), last: t(20), n: 1 },
      { kind: 'flow', src: 'a\u0000flow\u0000b', dst: 'c', first: t(20), last: t(20), n: 1 },
      { kind: 'flow', src: 'ip:10.0.0.5', dst: 'ip:10.0.0.6', first: t(5), last: t(20), n: 3 },
      { kind: 'flow', src: 'ip:10.0.0.5', dst: 'ip:10.0.0.7', first: t(10), last: t(10), n: 1 },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a relation file unused for the idle time has its connection closed; one read within it stays open', () => {
  const dir = tmp();
  try {
    const root = join(dir, RELATIONS_DIR);
    const w = new RelationWriter({ dir: root, lane: 0, periodMs: HOUR, maxOpen: 2 });
    const flow = edge('flow', 'ip:10.0.0.5', 'ip:198.51.100.66');
    w.append([{ time: T0 + 1000, relations: [flow] }]);
    w.append([{ time: T0 + HOUR + 1000, relations: [flow] }]);
    w.closeAll();
    const idx = new RelationIndex(dir, 256, 60_000);
    const all = { from: null, to: null };
    assert.equal(idx.edges('ip:10.0.0.5', all)[0]!.count, 2);
    assert.equal(idx.openFiles().length, 2, 'both hours read, both kept open');
    // the second hour read again a little later: only the first is past the idle time at the sweep
    const later = Date.now() + 30_000;
    const realNow = Date.now;
    Date.now = () => later;
    try {
      assert.equal(idx.edges('ip:10.0.0.5', { from: T0 + HOUR, to: null })[0]!.count, 1);
    } finally {
      Date.now = realNow;
    }
    idx.sweepIdle(later + 40_000);
    assert.deepEqual(idx.openFiles(), [join(root, relationRelPath(T0 + HOUR, HOUR, 0))], 'the first hour closed, the second kept');
    idx.sweepIdle(later + 60_000);
    assert.deepEqual(idx.openFiles(), [], 'all closed once idle');
    // a closed connection is opened again when needed
    assert.equal(idx.edges('ip:10.0.0.5', all)[0]!.count, 2);
    assert.equal(idx.openFiles().length, 2);
    idx.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
