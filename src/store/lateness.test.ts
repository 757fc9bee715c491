// A shard's lateness bound (schema.ts, LATE_MS_KEY) is what lets a search read it newest-first by time:
// it must cover every row, whoever wrote the shard and whenever.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShardWriter, type StoredLine } from './shard-writer.js';
import { ShardReader } from './shard-reader.js';
import { mergeShards } from './shard-merge.js';
import { LATE_MS_KEY } from './schema.js';

const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);
const SLOT = 3_600_000;
const line = (time: number): StoredLine => ({ time, receivedAt: time, source: 's', raw: `at ${time}`, text: `at ${time}` });

/** The bound by definition: the most any time is below one stored before it. */
function oracle(times: number[]): number {
  let late = 0;
  for (let j = 0; j < times.length; j++) for (let i = 0; i < j; i++) late = Math.max(late, times[i]! - times[j]!);
  return late;
}

const metaLate = (path: string): string | undefined => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT v FROM meta WHERE k = ?').get(LATE_MS_KEY) as { v: string } | undefined)?.v;
  } finally {
    db.close();
  }
};

function withDir(run: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'nml-late-'));
  try {
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the writer keeps the bound of every commit, a reader in another connection sees it, and a reopened shard goes on from it', () =>
  withDir((dir) => {
    const path = join(dir, 'a.db');
    let seed = 3;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const times: number[] = [];
    let w = new ShardWriter(path, T0, SLOT, 0, false);
    const reader = new ShardReader(path);
    try {
      assert.equal(reader.lateness(), 0, 'an empty shard');
      for (let commit = 0; commit < 12; commit++) {
        // mostly ahead, some lines up to 3 s behind; the bound grows in some commits and not others
        const batch = Array.from({ length: 50 }, (_, i) => T0 + commit * 5_000 + i * 100 - (rand() < 0.1 ? Math.floor(rand() * 3_000) : 0));
        w.append(batch.map(line));
        times.push(...batch);
        assert.equal(reader.lateness(), oracle(times), `after commit ${commit}`);
        if (commit === 5) {
          // closed unsealed and opened again, as a parked shard is
          w.close();
          w = new ShardWriter(path, T0, SLOT, 0, false);
        }
      }
      assert.ok(oracle(times) > 0, 'the fixture has late lines');
      w.append([line(T0 + 59_000 - 40_000)]);
      times.push(T0 + 59_000 - 40_000);
      assert.equal(reader.lateness(), oracle(times), 'a line far behind after the reopen');
    } finally {
      reader.close();
      w.close();
    }
  }));

test('a shard written before the bound was kept has it measured: by a reader from its rows, by a writer that reopens it (and kept); a merged one is 0', () =>
  withDir((dir) => {
    const times = [T0 + 5_000, T0 + 1_000, T0 + 9_000, T0 + 2_500, T0 + 9_500];
    const legacy = (name: string): string => {
      const path = join(dir, name);
      const w = new ShardWriter(path, T0, SLOT, 0, false);
      w.append(times.map(line));
      w.close();
      const db = new Database(path);
      db.prepare('DELETE FROM meta WHERE k = ?').run(LATE_MS_KEY);
      db.close();
      assert.equal(metaLate(path), undefined);
      return path;
    };
    const a = legacy('a.db');
    const reader = new ShardReader(a);
    assert.equal(reader.lateness(), oracle(times));
    reader.close();
    assert.equal(metaLate(a), undefined, 'a reader writes nothing');

    const b = legacy('b.db');
    new ShardWriter(b, T0, SLOT, 0, false).close();
    assert.equal(metaLate(b), String(oracle(times)), 'measured and kept by the writer');

    const merged = join(dir, 'm.db');
    mergeShards([{ path: a, rel: 'a.db' }, { path: b, rel: 'b.db' }], merged, { slotStart: T0, slotMs: SLOT, lane: 0, replaces: ['a.db', 'b.db'], fsync: false });
    assert.equal(metaLate(merged), '0', 'a merge stores its rows in time order');
    const db = new Database(merged);
    db.prepare('DELETE FROM meta WHERE k = ?').run(LATE_MS_KEY);
    db.close();
    const r = new ShardReader(merged);
    assert.equal(r.lateness(), 0, 'a merged shard from before the key');
    r.close();
  }));
