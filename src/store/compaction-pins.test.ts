// A closed hour's merge waits while a search pinned before its last commit is being read (compaction.ts,
// StoredBy.pinHeld): the hour is merged once the pin is idle past pinIdleMs or older than the memory of
// commits; a pin newer than the hour's last commit does not hold it; the pins noted stay bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from './catalog.js';
import { COMPACTION_DEFAULTS, Compactor, type CompactionConfig } from './compaction.js';
import { ShardSet } from './shard-set.js';
import type { StoredLine } from './shard-writer.js';
import { AS_OF_MEMORY_MS, MAX_PINS, StoredBy } from './stored-by.js';
import { HOUR_MS } from './slots.js';

const tick = () => new Promise((r) => setTimeout(r, 3));
const line = (time: number, raw: string): StoredLine => ({ time, receivedAt: time, source: 't', raw, text: raw });
const CONFIG: CompactionConfig = { ...COMPACTION_DEFAULTS, checkMs: 0, settleMs: 0, graceMs: 60_000 };

/**
 * A catalog holding three sealed minutes of a closed hour (stored before `pin`, the moment returned),
 * then a late line into it stored after the pin and sealed: the operator's hour, whose last line came
 * after the search was pinned. `read` reads every shard of the hour as a search pinned to `asOf` does.
 */
async function hourAfterPin(t: { after(fn: () => void): void }): Promise<{ catalog: Catalog; hour: number; pin: number; read: (asOf: number) => number; lastCommit: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'nml-compaction-pins-'));
  const catalog = new Catalog(dir, 60_000);
  const set = new ShardSet({ dir: catalog.shardsDir, lane: 0, slotMs: 60_000, sealIdleMs: 0, maxOpenShards: 8, optimizeOnSeal: false });
  t.after(() => {
    set.closeAll(hour + HOUR_MS);
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const hour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 3 * HOUR_MS;
  for (let m = 0; m < 3; m++) catalog.apply(set.append(Array.from({ length: 10 }, (_, i) => line(hour + m * 60_000 + i * 1000, `sshd beat m${m}-${i}`)), hour));
  catalog.apply(set.closeAll(hour + HOUR_MS));
  await tick();
  const pin = Date.now();
  await tick();
  catalog.apply(set.append([line(hour + 60_500, 'sshd beat late')], hour));
  catalog.apply(set.closeAll(hour + HOUR_MS));
  const lastCommit = Date.now();
  const read = (asOf: number): number => {
    let rows = 0;
    for (const s of catalog.list({ from: hour, to: hour + HOUR_MS })) {
      const bound = catalog.storedBound(s, asOf);
      rows += bound === null ? s.rows : bound === 0 ? 0 : Math.min(bound - 1, s.rows);
    }
    return rows;
  };
  return { catalog, hour, pin, read, lastCommit };
}

test('a pin in use defers the merge of its hour; the hour is merged once the pin is idle past pinIdleMs, and the pin then refused', async (t) => {
  const { catalog, hour, pin, read } = await hourAfterPin(t);
  const compactor = new Compactor(catalog, CONFIG, false);
  assert.equal(read(pin), 30, 'the pinned search reads the 30 lines stored by its pin');
  assert.deepEqual(await compactor.run(), [], 'the hour waits: merging it would refuse the pin');
  assert.equal(compactor.stats().deferred, 1);
  assert.equal(compactor.stats().waiting, 1, 'the hour waits now (the Live page says so)');
  assert.equal(catalog.list({ from: hour, to: hour + HOUR_MS }).length, 4, 'the minute shards, as they were');
  assert.equal(read(pin), 30, 'the next request of the search is answered, the same lines');
  // a later round, the search read meanwhile (just now): still waiting
  assert.deepEqual(await compactor.run(Date.now() + CONFIG.pinIdleMs - 60_000), []);
  assert.equal(compactor.stats().deferred, 2);
  // the reader left: idle past pinIdleMs, the hour is merged, and its pin refused as before
  const [merged] = await compactor.run(Date.now() + CONFIG.pinIdleMs + 1000);
  assert.equal(merged?.error, undefined, JSON.stringify(merged));
  assert.equal(merged?.rows, 31);
  assert.equal(compactor.stats().deferred, 2, 'the total of rounds that left it');
  assert.equal(compactor.stats().waiting, 0, 'none waits after the round that merged it');
  assert.throws(() => read(pin), (e: unknown) => (e as { details?: { reason?: string } }).details?.reason === 'merged');
});

test('a pin older than the memory of commits holds no hour, however recently read; pinIdleMs 0 holds none', async (t) => {
  const { catalog, pin, read } = await hourAfterPin(t);
  // read all along (an idle time longer than the memory), but an hour old: refused as forgotten anyway
  const compactor = new Compactor(catalog, { ...CONFIG, pinIdleMs: 2 * AS_OF_MEMORY_MS }, false);
  read(pin);
  assert.deepEqual(await compactor.run(pin + AS_OF_MEMORY_MS - 1000), [], 'within the hour: held');
  const [merged] = await compactor.run(pin + AS_OF_MEMORY_MS + 1000);
  assert.equal(merged?.error, undefined, JSON.stringify(merged));

  const other = await hourAfterPin(t);
  other.read(other.pin);
  const [regardless] = await new Compactor(other.catalog, { ...CONFIG, pinIdleMs: 0 }, false).run();
  assert.equal(regardless?.error, undefined, 'pinIdleMs 0: merged regardless');
});

test('a pin newer than the hour\'s last commit does not defer it, and reads the merged hour whole', async (t) => {
  const { catalog, read, lastCommit } = await hourAfterPin(t);
  await tick();
  const later = Date.now();
  assert.ok(later > lastCommit);
  assert.equal(read(later), 31);
  const compactor = new Compactor(catalog, CONFIG, false);
  const [merged] = await compactor.run();
  assert.equal(merged?.error, undefined, JSON.stringify(merged));
  assert.equal(compactor.stats().deferred, 0);
  assert.equal(read(later), 31, 'after the merge: the same lines');
});

test('stored-by pins: identical moments share one entry, at most MAX_PINS are noted (old, then least recently read, go first), and only a pin in use before the sources\' last commit holds them', () => {
  const s = new StoredBy(1000, 3_600_000);
  s.note('a', 5_000, 0, 10);
  s.note('b', 9_000, 0, 10);
  assert.equal(s.pinHeld(['a', 'b'], 20_000, 60_000), null, 'no pin read');
  s.used(9_000, 11_000);
  assert.equal(s.pinHeld(['a', 'b'], 20_000, 60_000), null, 'a pin at the last commit is not before it');
  for (let i = 0; i < 5; i++) s.used(4_000, 10_000 + i);
  assert.equal(s.pinsNoted, 2, 'one moment, one entry');
  assert.equal(s.pinHeld(['a', 'b'], 20_000, 60_000), 4_000, 'before both commits, read 10 s ago');
  assert.equal(s.pinHeld(['a'], 20_000, 60_000), 4_000);
  assert.equal(s.pinHeld(['b'], 20_000, 5_000), null, 'idle longer than the idle time: the reader left');
  assert.equal(s.pinHeld(['b'], 20_000, 0), null, 'idle time 0: nothing waits');
  assert.equal(s.pinHeld(['from-disk'], 20_000, 60_000), null, 'no commit remembered: nothing a pin could lose');
  assert.equal(s.pinHeld(['b'], 4_000 + 3_600_001, 2 * 3_600_000), null, 'older than the memory: refused as forgotten anyway');
  const early = new StoredBy(1000, 3_600_000);
  early.note('a', 5_000, 0, 10);
  early.used(500, 6_000);
  assert.equal(early.pinHeld(['a'], 7_000, 60_000), null, 'a pin before the store opened is refused anyway');

  // thousands of pins read: the count stays at MAX_PINS; a pin read again stays while older ones go
  for (let i = 0; i < 3 * MAX_PINS; i++) s.used(6_000 + i / 1000, 30_000 + i);
  assert.equal(s.pinsNoted, MAX_PINS);
  assert.equal(s.pinHeld(['a'], 50_000, 60_000), null, 'pin 4000, read least recently, went');
  s.used(4_000, 40_000);
  for (let i = 0; i < MAX_PINS - 1; i++) s.used(7_000 + i / 1000, 40_001 + i);
  assert.equal(s.pinsNoted, MAX_PINS);
  assert.equal(s.pinHeld(['a'], 50_000, 60_000), 4_000, 'read again, then the newest but MAX_PINS - 1 others: kept');
  // pins older than the memory go first when the map is full
  const m = new StoredBy(0, 10_000);
  for (let i = 0; i < MAX_PINS; i++) m.used(i, 100);
  m.used(500_000, 500_000);
  assert.equal(m.pinsNoted, 1, 'every pin older than the memory went');
});
