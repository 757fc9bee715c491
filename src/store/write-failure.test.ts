import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShardReader } from './shard-reader.js';
import { BLOCK_LINES } from './schema.js';
import { ShardSet } from './shard-set.js';
import { Store, STORE_DEFAULTS } from './store.js';

import { PLAIN_LANE } from './testing/lanes.js';
import { outcome } from './testing/outcome.js';
const tmp = (): string => mkdtempSync(join(tmpdir(), 'nml-store-fail-'));

/** A plain file where the shard directory of 2026-01-05 11:00 must go: that hour cannot be written. */
function blockHour(dir: string): void {
  mkdirSync(join(dir, 'shards', '2026', '01', '05'), { recursive: true });
  writeFileSync(join(dir, 'shards', '2026', '01', '05', '11'), 'not a directory');
}

// these hours are long past: their lines go to whole-hour shards by default, to minute shards with hourShardsAfterMs null
for (const hourShardsAfterMs of [STORE_DEFAULTS.hourShardsAfterMs, null]) {
  test(`a commit round that fails part-way acknowledges the batches it stored and names a batch it stored in part (hourShardsAfterMs ${hourShardsAfterMs})`, async () => {
    const dir = tmp();
    try {
      blockHour(dir);
      const store = new Store(dir, { ...STORE_DEFAULTS, lanes: 1, hourShardsAfterMs, relations: { ...STORE_DEFAULTS.relations, enabled: false } }, PLAIN_LANE);
      try {
        // three writes queued together go to the lane as one round; its slots are written in the order first met: 10:00 (A, C's first), then 11:00, which fails
        const a = store.writer.write([{ line: 'alpha from A', receivedAt: Date.UTC(2026, 0, 5, 10), source: 'A' }]);
        const b = store.writer.write([{ line: 'alpha from B', receivedAt: Date.UTC(2026, 0, 5, 11), source: 'B' }]);
        const c = store.writer.write([
          { line: 'alpha from C, first', receivedAt: Date.UTC(2026, 0, 5, 10, 0, 30), source: 'C' },
          { line: 'alpha from C, second', receivedAt: Date.UTC(2026, 0, 5, 11, 30), source: 'C' },
        ]);
        const [ra, rb, rc] = await Promise.all([outcome(a), outcome(b), outcome(c)]);
        assert.equal(ra, 'stored', "A's slot was committed: A is acknowledged, not refused with the round");
        assert.notEqual(rb, 'stored');
        assert.notEqual(rb, 'STORE_PARTLY_WRITTEN', 'nothing of B was stored');
        assert.equal(rc, 'STORE_PARTLY_WRITTEN', "C's first line was stored, its second not: C is told so");
        assert.equal(store.writer.committedLines, 1);
        await store.writer.flush();
        const raws = store.catalog.all().flatMap((s) => {
          const r = new ShardReader(s.path);
          try {
            return r.lines([...r.rowidsDesc(null, null)]).map((h) => h.raw);
          } finally {
            r.close();
          }
        });
        assert.deepEqual(raws.sort(), ['alpha from A', 'alpha from C, first'], 'the catalog knows the shards the failed round wrote');
        assert.equal(store.catalog.all().every((s) => /hour-w0-\d+\.db$/.test(s.rel)), hourShardsAfterMs !== null);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('one batch over thousands of time slots keeps at most maxOpenShards shards open, closing the rest until they are due to seal', () => {
  const dir = tmp();
  try {
    const set = new ShardSet({ dir, lane: 0, slotMs: 60_000, sealIdleMs: 1000, maxOpenShards: 4, optimizeOnSeal: false });
    const t0 = Date.UTC(2026, 0, 1);
    // an old log uploaded at once: one line a minute for 300 minutes
    const lines = Array.from({ length: 300 }, (_, i) => ({ time: t0 + i * 60_000, receivedAt: t0, source: 's', raw: `beta ${i}`, text: `beta ${i}` }));
    const events = set.append(lines);
    assert.equal(events.filter((e) => e.kind === 'updated').length, 300);
    const files = readdirSync(dir, { recursive: true }).map(String);
    assert.ok(files.filter((f) => f.endsWith('.db-wal')).length <= 4, 'at most four shards open');
    assert.equal(files.filter((f) => f.endsWith('.db')).length, 300, 'one file per slot');
    // written just now: sealed once idle (here: the end of a bulk ingest), each of them exactly once
    const sealed = set.sealDue(Date.now(), true);
    assert.equal(sealed.length, 300);
    assert.equal(new Set(sealed.map((e) => e.rel)).size, 300);
    assert.ok(sealed.every((e) => e.stats.rows === 1));
    assert.equal(readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('-wal')).length, 0, 'every shard sealed into one file');
    set.closeAll(t0 + 86_400_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('more active time slots than maxOpenShards (devices hours apart) reuse one file per slot instead of sealing and re-creating every round', () => {
  const dir = tmp();
  try {
    const set = new ShardSet({ dir, lane: 0, slotMs: 60_000, sealIdleMs: 5_000, maxOpenShards: 4, optimizeOnSeal: false });
    const now = Date.UTC(2026, 0, 5, 12);
    let sealed = 0;
    // a minute of commit rounds, one a second, each with lines of five devices whose clocks are whole hours apart
    for (let r = 0; r < 60; r++) {
      const lines = [];
      for (let k = 0; k < 10; k++) {
        for (let dev = 0; dev < 5; dev++) {
          const raw = `dev${dev} line ${r} ${k}`;
          lines.push({ time: now + r * 1000 + k - dev * 3_600_000, receivedAt: now + r * 1000, source: `dev${dev}`, raw, text: raw });
        }
      }
      sealed += set.append(lines).filter((e) => e.kind === 'sealed').length;
    }
    const files = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.db'));
    assert.equal(files.length, 5, `one shard per slot (was 300 files: ${files.length})`);
    assert.equal(sealed, 0, 'nothing sealed while its slot is still being written');
    assert.ok(readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.db-wal')).length <= 4);
    const final = set.closeAll(Date.now());
    assert.deepEqual(final.map((e) => e.stats.rows).sort(), [600, 600, 600, 600, 600], 'every line in its slot\'s one file');
    for (const f of files) {
      const r = new ShardReader(join(dir, f));
      assert.equal(r.count(null), 600);
      r.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a store whose writer fails to close still closes its catalog and leaves the data directory unlocked', async () => {
  const dir = tmp();
  try {
    const store = new Store(dir, { ...STORE_DEFAULTS, lanes: 1, relations: { ...STORE_DEFAULTS.relations, enabled: false } }, PLAIN_LANE);
    const close = store.writer.close.bind(store.writer);
    store.writer.close = async () => {
      await close();
      throw new Error('a lane could not seal its shards');
    };
    await assert.rejects(store.close(), /could not seal/);
    assert.equal(existsSync(join(dir, 'nml.lock')), false, 'the next process may open the directory');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a shard append that fails part-way leaves its counts as they were (a rolled-back transaction stores nothing)', () => {
  const dir = tmp();
  try {
    const set = new ShardSet({ dir, lane: 0, slotMs: 60_000, sealIdleMs: 1000, maxOpenShards: 4, optimizeOnSeal: false });
    const t0 = Date.UTC(2026, 0, 1);
    const ok = (i: number) => ({ time: t0 + i, receivedAt: t0, source: 's', raw: `line ${i}`, text: `line ${i}` });
    const [first] = set.append([ok(0)]);
    // a second block whose line cannot be encoded: the first block of the batch was counted, then rolled back
    const bad = [...Array.from({ length: BLOCK_LINES }, (_, i) => ok(i + 1)), { ...ok(0), raw: undefined as unknown as string }];
    assert.throws(() => set.append(bad));
    const [after] = set.append([ok(9)]);
    assert.equal(after!.rel, first!.rel);
    assert.equal(after!.stats.rows, 2, 'one line before, one after: the failed batch is not counted');
    const r = new ShardReader(join(dir, after!.rel));
    assert.equal(r.count(null), 2);
    r.close();
    set.closeAll(t0 + 86_400_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
