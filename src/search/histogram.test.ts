import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShardSet, Catalog, type StoredLine } from '../store/index.js';
import { Searcher } from './root.js';
import { bucketLayout } from './histogram.js';

// 5 one-minute slots × 2 lanes, lines every 100 ms, raw text indexed as is.
const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
const dir = mkdtempSync(join(tmpdir(), 'nml-histo-'));
const lines: StoredLine[] = [];
for (let i = 0; i < 3000; i++) {
  const time = T0 + i * 100;
  const word = i % 3 === 0 ? 'alpha' : 'beta';
  const raw = `line ${i} ${word} ${i % 5 === 0 ? 'failed password' : 'password failed'} for user${i % 7}`;
  lines.push({ time, receivedAt: time, source: 't', raw, text: raw });
}
for (const lane of [0, 1]) {
  const set = new ShardSet({ dir: join(dir, 'shards'), lane, slotMs: 60_000, sealIdleMs: 0, maxOpenShards: 8, optimizeOnSeal: false });
  set.append(lines.filter((_, i) => i % 2 === lane));
  set.closeAll(T0 + 3600_000);
}
const catalog = new Catalog(dir, 60_000);
const searcher = new Searcher(catalog, 2);
after(async () => {
  await searcher.close();
  catalog.close();
  rmSync(dir, { recursive: true, force: true });
});

function expected(match: (raw: string) => boolean, range: { from: number; to: number }, start: number, interval: number, n: number): number[] {
  const counts = new Array<number>(n).fill(0);
  for (const l of lines) {
    if (l.time < range.from || l.time >= range.to || !match(l.raw)) continue;
    counts[Math.floor((l.time - start) / interval)]!++;
  }
  return counts;
}

test('bucket layout: readable widths, aligned, at most one bucket more than asked', () => {
  assert.deepEqual(bucketLayout({ from: T0, to: T0 + 3600_000 }, 60), { start: T0, interval: 60_000, buckets: 60 });
  const odd = bucketLayout({ from: T0 + 7_000, to: T0 + 3600_000 + 7_000 }, 60);
  assert.ok(odd.buckets <= 61 && odd.interval === 60_000 && odd.start <= T0 + 7_000 && odd.start % odd.interval === 0, JSON.stringify(odd));
  assert.equal(bucketLayout({ from: T0, to: T0 + 86_400_000 }, 60).interval, 30 * 60_000);
  assert.equal(bucketLayout({ from: T0, to: T0 + 1 }, 60).buckets, 1);
});

test('histogram counts are exact: whole shards, cut shards, cut ranges, verified phrases', async () => {
  const cases: { q: string; match: (raw: string) => boolean; range: { from: number; to: number }; buckets: number }[] = [
    // minute buckets: every shard lies whole in one bucket
    { q: '', match: () => true, range: { from: T0, to: T0 + 300_000 }, buckets: 5 },
    { q: 'alpha', match: (r) => r.includes('alpha'), range: { from: T0, to: T0 + 300_000 }, buckets: 10 },
    // 10 s buckets cut every shard; the range cuts the first and last
    { q: 'alpha', match: (r) => r.includes('alpha'), range: { from: T0 + 12_345, to: T0 + 250_000 }, buckets: 30 },
    { q: '"failed password"', match: (r) => r.includes('failed password'), range: { from: T0, to: T0 + 300_000 }, buckets: 60 },
    { q: '"failed password" -alpha', match: (r) => r.includes('failed password') && !r.includes('alpha'), range: { from: T0 + 30_000, to: T0 + 200_000 }, buckets: 7 },
    { q: 'nothing-matches-this', match: () => false, range: { from: T0, to: T0 + 300_000 }, buckets: 5 },
  ];
  for (const c of cases) {
    const h = await searcher.histogram(c.q, c.range, c.buckets);
    assert.ok(h.counts.length <= c.buckets + 1, c.q);
    assert.deepEqual(h.counts, expected(c.match, c.range, h.start, h.interval, h.counts.length), `${c.q} ${JSON.stringify(c.range)}`);
    assert.equal(h.total, (await searcher.count(c.q, c.range)).count, `total of ${c.q} equals count`);
  }
});
