// A search pinned to a moment (`asOf`): lines stamped inside its range but stored after that moment
// (late lines, a second-resolution stamp) are counted by no request carrying it, in shards still open,
// in shards opened since, and in shards sealed since; a request without it counts them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../core/index.js';
import { Catalog, Compactor, COMPACTION_DEFAULTS, ShardSet, type StoredLine } from '../store/index.js';
import { StoredBy } from '../store/stored-by.js';
import { Searcher, type SearchRange } from './root.js';
import { storedLine } from './testing.js';

const T0 = Date.UTC(2026, 11, 7, 11, 7, 0);
const tick = () => new Promise((r) => setTimeout(r, 3));

async function everything(searcher: Searcher, q: string, range: SearchRange): Promise<{ count: number; histogram: number; pages: string[]; stream: string[] }> {
  const count = (await searcher.count(q, range)).count;
  const histogram = (await searcher.histogram(q, { from: range.from!, to: range.to!, ...(range.asOf === undefined ? {} : { asOf: range.asOf }) }, 60)).total;
  const pages: string[] = [];
  let cursor: string | null = null;
  do {
    const p = await searcher.page(q, range, 7, cursor);
    pages.push(...p.hits.map((h) => h.raw));
    cursor = p.cursor;
  } while (cursor !== null);
  const stream: string[] = [];
  for await (const h of searcher.stream(q, range, Infinity, 5)) stream.push(h.raw);
  return { count, histogram, pages, stream };
}

test('lines stored after asOf are counted by no request carrying it, and by every request without it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-as-of-'));
  const catalog = new Catalog(dir, 60_000);
  const searcher = new Searcher(catalog, 2);
  const set = new ShardSet({ dir: catalog.shardsDir, lane: 0, slotMs: 60_000, sealIdleMs: 0, maxOpenShards: 8, optimizeOnSeal: false });
  const append = (lines: StoredLine[]): void => catalog.apply(set.append(lines, T0 + 30_000));
  try {
    // minute 0 (sealed before the pin) and minute 1 (open at the pin), 40 lines each, in batches
    for (let b = 0; b < 4; b++) append(Array.from({ length: 10 }, (_, i) => storedLine(T0 + (b * 10 + i) * 1000, `sshd beat m0-${b}-${i}`)));
    catalog.apply(set.sealDue(T0 + 3600_000, true));
    for (let b = 0; b < 4; b++) append(Array.from({ length: 10 }, (_, i) => storedLine(T0 + 60_000 + (b * 10 + i) * 1000, `sshd beat m1-${b}-${i}`)));
    await tick();
    const asOf = Date.now();
    await tick();
    // stored after the pin, stamped inside the range: late into the open minute (older than its newest
    // line), a second-resolution stamp at the range's end, and a late line into minute 0, whose shard is
    // sealed (a new file of the slot); then minute 1 is sealed with them
    append([storedLine(T0 + 60_500, 'sshd beat late-m1'), storedLine(T0 + 119_000, 'sshd beat cut-to-second'), storedLine(T0 + 1_500, 'sshd beat late-m0')]);
    append([storedLine(T0 + 100_000, 'sshd beat odd phrase')]);
    catalog.apply(set.sealDue(T0 + 3600_000, true));
    const range = { from: T0, to: T0 + 120_000 };

    const pinned = await everything(searcher, 'sshd', { ...range, asOf });
    assert.equal(pinned.count, 80);
    assert.equal(pinned.histogram, 80);
    assert.equal(pinned.pages.length, 80);
    assert.deepEqual(pinned.stream, pinned.pages);
    assert.ok(pinned.pages.every((raw) => /m[01]-\d-\d$/.test(raw)), 'none of the lines stored after asOf');
    // a verifying plan (phrase) and every row (empty query) honour it too
    assert.equal((await searcher.count('"odd phrase"', { ...range, asOf })).count, 0);
    assert.equal((await searcher.count('', { ...range, asOf })).count, 80);
    assert.equal((await searcher.histogram('"odd phrase"', { ...range, asOf }, 60)).total, 0);

    const now = await everything(searcher, 'sshd', range);
    assert.equal(now.count, 84);
    assert.equal(now.histogram, 84);
    assert.equal(now.pages.length, 84);
    assert.equal((await searcher.count('"odd phrase"', range)).count, 1);
    assert.equal((await searcher.count('', range)).count, 84);
    // a later moment counts them
    assert.equal((await searcher.count('sshd', { ...range, asOf: Date.now() })).count, 84);

    // a moment before the store opened is not known: refused, with what to do
    await assert.rejects(searcher.count('sshd', { ...range, asOf: asOf - 3600_000 }), (e: unknown) => {
      assert.ok(isAppError(e) && e.code === 'SEARCH_AS_OF_TOO_OLD' && e.kind === 'conflict', String(e));
      assert.match(e.message, /^search: asOf \d+ \(.*\) is too old: this server started at .*; run the search again/);
      return true;
    });
  } finally {
    set.closeAll(T0 + 3600_000);
    await searcher.close();
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a merge between two requests of a pinned search read again after its reader left: a late line merged into the closed hour is counted by neither; the pin is refused, not answered with it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-as-of-merge-'));
  const catalog = new Catalog(dir, 60_000);
  const searcher = new Searcher(catalog, 2);
  const hour = Math.floor(Date.now() / 3600_000) * 3600_000 - 3 * 3600_000;
  const set = new ShardSet({ dir: catalog.shardsDir, lane: 0, slotMs: 60_000, sealIdleMs: 0, maxOpenShards: 8, optimizeOnSeal: false });
  try {
    // three minutes of a closed hour, sealed before the pin
    for (let m = 0; m < 3; m++) catalog.apply(set.append(Array.from({ length: 10 }, (_, i) => storedLine(hour + m * 60_000 + i * 1000, `sshd beat m${m}-${i}`)), hour));
    catalog.apply(set.closeAll(hour + 3600_000));
    await tick();
    const asOf = Date.now();
    await tick();
    // a late line into minute 1, stored after the pin: a new shard of that minute, sealed
    catalog.apply(set.append([storedLine(hour + 60_500, 'sshd beat late')], hour));
    catalog.apply(set.closeAll(hour + 3600_000));
    const range = { from: hour, to: hour + 3600_000 };
    assert.equal((await searcher.count('sshd', { ...range, asOf })).count, 30, 'before the merge: the late line is left out');
    const afterLate = Date.now();

    // the pin was just read: its hour waits (compaction-pins.test.ts); once its reader left (idle past
    // pinIdleMs) the hour is merged, and the pin, if read again, refused
    const merged = await new Compactor(catalog, { ...COMPACTION_DEFAULTS, checkMs: 0, settleMs: 0, graceMs: 60_000 }, false).run(Date.now() + COMPACTION_DEFAULTS.pinIdleMs + 60_000);
    assert.equal(merged.length, 1, JSON.stringify(merged));
    assert.equal(catalog.list(range).length, 1, 'one merged shard');
    // read whole, the merged shard would count the late line (31): refused instead, saying why
    for (const ask of [() => searcher.count('sshd', { ...range, asOf }), () => searcher.histogram('sshd', { ...range, asOf }, 60), () => searcher.page('sshd', { ...range, asOf }, 5)]) {
      await assert.rejects(ask(), (e: unknown) => {
        assert.ok(isAppError(e) && e.code === 'SEARCH_AS_OF_TOO_OLD' && e.kind === 'conflict', String(e));
        assert.equal(e.details?.reason, 'merged');
        assert.match(e.message, /is too old: shard .*hour-\d+\.db was merged at .* one of which took lines at .*; run the search again/);
        return true;
      });
    }
    // a pin after the late line was stored counts it, merged or not; without a pin, every line
    assert.equal((await searcher.count('sshd', { ...range, asOf: afterLate })).count, 31);
    assert.equal((await searcher.count('sshd', range)).count, 31);
    assert.equal((await searcher.count('sshd', { ...range, asOf: Date.now() })).count, 31);
  } finally {
    set.closeAll(hour + 3600_000);
    await searcher.close();
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stored-by: the bound is the first commit after the moment, the known end with none, and forgotten moments are refused', () => {
  const s = new StoredBy(1000, 10_000);
  s.note('a', 1000, 0, 128);
  s.note('a', 1005, 128, 256);
  s.note('a', 1005, 256, 384);
  s.note('a', 1009, 384, 512);
  assert.equal(s.bound('a', false, 1000), 128);
  assert.equal(s.bound('a', false, 1004), 128);
  assert.equal(s.bound('a', false, 1005), 384, 'both commits of the same ms are in');
  assert.equal(s.bound('a', false, 1009), 512, 'no commit since: the end the catalog knows');
  assert.equal(s.bound('a', true, 1009), null, 'sealed with no commit since: whole');
  assert.equal(s.bound('b', false, 1009), null, 'nothing remembered since the start: whole');
  s.note('c', 1020, 0, 128);
  assert.equal(s.bound('c', true, 1010), 0, 'created after the moment: none of it');
  // an hour later, pruning forgets commits older than the memory
  s.note('a', 80_000, 512, 640);
  assert.equal(s.bound('a', false, 79_999), 512);
  assert.equal(s.bound('a', false, 1009), 512, 'the last forgotten commit is known to be in');
  assert.throws(() => s.bound('a', false, 1008), /too old: when lines were stored is kept for 0\.1\d* minutes, and shard a took lines at 1970/);
  assert.throws(() => s.bound('a', false, 999), /this server started/);
  s.forget('a');
  assert.equal(s.bound('a', false, 1009), null);
  // a merge: refused before the last commit of any source (remembered or forgotten), whole after it
  s.note('d', 80_001, 0, 10);
  s.note('e', 80_003, 0, 10);
  s.merged('m', ['c', 'd', 'e', 'from-disk'], 80_010);
  assert.throws(() => s.bound('m', true, 80_002), /shard m was merged at .* one of which took lines at 1970-01-01T00:01:20\.003Z/);
  assert.equal(s.bound('m', true, 80_003), null);
  assert.equal(s.bound('d', false, 80_003), null, 'the sources are forgotten');
  s.merged('n', ['from-disk'], 80_020);
  assert.equal(s.bound('n', true, 80_003), null, 'sources from disk: whole (older moments are refused as before the start)');
});
