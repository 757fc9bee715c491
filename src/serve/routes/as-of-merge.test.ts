// The night-shift case: a search pinned while an hour still took lines, paged through after that hour
// closed and came due for its merge. The compaction pass leaves the hour as it is while the search is
// read, so "Load more" (the next page under the same asOf) and every count keep answering the pin's
// lines; once the reader has left (idle past store.compaction.pinIdleMs) the hour is merged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog, Compactor, COMPACTION_DEFAULTS, ShardSet, type StoredLine } from '../../store/index.js';
import { Searcher } from '../../search/index.js';
import { buildApp } from '../app.js';
import { AUTH, fakeDeps } from '../testing.js';

const HOUR = 3_600_000;
const line = (time: number, i: number): StoredLine => {
  const raw = `<38>1 ${new Date(time).toISOString()} web-${i % 2} sshd 1 - - beat ${i}`;
  return { time, receivedAt: time, source: 't', raw, text: raw };
};

/**
 * A store over an hour now closed (three hours back: a real clock's hour, whose commits the store
 * remembers), one writer lane's shards, a compactor run by hand, and the API over them; `close` ends it all.
 */
async function closedHourApp(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `nml-${name}-`));
  const catalog = new Catalog(dir, 60_000);
  const searcher = new Searcher(catalog, 2);
  const hour = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
  const set = new ShardSet({ dir: catalog.shardsDir, lane: 0, slotMs: 60_000, sealIdleMs: 60_000, maxOpenShards: 8, optimizeOnSeal: false });
  const compactor = new Compactor(catalog, { ...COMPACTION_DEFAULTS, checkMs: 0, graceMs: 60_000 }, false);
  const app = await buildApp(fakeDeps({ searcher, histogram: searcher }));
  const close = async (): Promise<void> => {
    await app.close();
    set.closeAll(hour + HOUR);
    await compactor.close();
    await searcher.close();
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { catalog, hour, set, compactor, close, get: async (url: string) => app.inject({ method: 'GET', url, headers: AUTH }) };
}

test('a search pinned before the last lines of an hour: the pass after the hour closes defers its merge, Load more and the counts answer the pin', async () => {
  const { catalog, hour, set, compactor, close, get } = await closedHourApp('as-of-merge');
  const range = `q=sshd&from=${hour}&to=${hour + HOUR}`;
  try {
    // the hour taking lines: 150 over its first minutes, shards still open
    for (let b = 0; b < 5; b++) catalog.apply(set.append(Array.from({ length: 30 }, (_, i) => line(hour + (b * 30 + i) * 2000, b * 30 + i)), hour));
    await new Promise((r) => setTimeout(r, 3));
    const asOf = Date.now();
    const first = (await get(`/api/search?${range}&limit=100&asOf=${asOf}`)).json();
    assert.equal(first.hits.length, 100);
    assert.equal((await get(`/api/count?${range}&asOf=${asOf}`)).json().count, 150);
    await new Promise((r) => setTimeout(r, 3));
    // more lines into the hour after the pin (into its open minute, and a minute of its own), then it closes
    catalog.apply(set.append(Array.from({ length: 20 }, (_, i) => line(hour + 200_000 + i * 1000, 150 + i)), hour));
    catalog.apply(set.append([line(hour + 40 * 60_000, 170)], hour));
    catalog.apply(set.closeAll(hour + HOUR));
    assert.ok(catalog.list({ from: hour, to: hour + HOUR }).every((s) => s.sealed));

    // a pass now (the hour ended past settleMs): the search is being read, so the hour waits
    assert.deepEqual(await compactor.run(), []);
    assert.equal(compactor.stats().deferred, 1);
    assert.equal(compactor.stats().merges, 0);

    // Load more: the next page under the same pin, then the counts the page shows, all the pin's 150
    const more = await get(`/api/search?${range}&limit=100&asOf=${asOf}&cursor=${encodeURIComponent(first.cursor)}`);
    assert.equal(more.statusCode, 200, more.body);
    assert.equal(more.json().hits.length, 50);
    assert.equal(more.json().cursor, null);
    const raws = new Set([...first.hits, ...more.json().hits].map((h: { raw: string }) => h.raw));
    assert.equal(raws.size, 150, 'every line of the pin once');
    assert.ok([...raws].every((r) => Number(/beat (\d+)$/.exec(r)![1]) < 150), 'none stored after the pin');
    assert.equal((await get(`/api/count?${range}&asOf=${asOf}`)).json().count, 150);
    assert.equal((await get(`/api/histogram?${range}&asOf=${asOf}`)).json().total, 150);
    assert.equal((await get(`/api/facets?${range}&field=host&asOf=${asOf}`)).json().sampled.total, 150);
    assert.equal((await get(`/api/search?${range}&format=lines&asOf=${asOf}`)).body.split('\n').filter((l) => l !== '').length, 150, 'the export');
    assert.equal((await get(`/api/count?${range}`)).json().count, 171, 'without the pin: every line');

    // the reader left: a pass past pinIdleMs merges the hour; the old pin is then refused, a new one counts all
    const [merged] = await compactor.run(Date.now() + COMPACTION_DEFAULTS.pinIdleMs + 60_000);
    assert.equal(merged?.error, undefined, JSON.stringify(merged));
    assert.equal(merged?.rows, 171);
    const refused = await get(`/api/count?${range}&asOf=${asOf}`);
    assert.equal(refused.statusCode, 409, refused.body);
    assert.equal(refused.json().error.details.reason, 'merged');
    assert.equal((await get(`/api/count?${range}&asOf=${Date.now()}`)).json().count, 171);
  } finally {
    await close();
  }
});

// GET /api/search/pin (the Search page's hold while it can load more): the same, with no page asked
test('a pin held through GET /api/search/pin alone defers the merge of the hour it would miss lines of; once merged, the route refuses it', async () => {
  const { catalog, hour, set, compactor, close, get } = await closedHourApp('search-pin');
  const pin = async (asOf: number) => get(`/api/search/pin?from=${hour}&to=${hour + HOUR}&asOf=${asOf}`);
  try {
    catalog.apply(set.append(Array.from({ length: 30 }, (_, i) => line(hour + i * 2000, i)), hour));
    await new Promise((r) => setTimeout(r, 3));
    const asOf = Date.now();
    await new Promise((r) => setTimeout(r, 3));
    catalog.apply(set.append([line(hour + 40 * 60_000, 30)], hour));
    catalog.apply(set.closeAll(hour + HOUR));

    // no page, count or histogram was asked with this pin: the route alone holds it
    const held = await pin(asOf);
    assert.equal(held.statusCode, 200, held.body);
    assert.equal(held.json().shards, 1, 'the minute shard holding lines stored by the pin; the later one holds none');
    assert.deepEqual(await compactor.run(), []);
    assert.equal(compactor.stats().deferred, 1);

    // the page closed (no more holds): a pass past the idle time merges, and the pin is then refused
    const [merged] = await compactor.run(Date.now() + COMPACTION_DEFAULTS.pinIdleMs + 60_000);
    assert.equal(merged?.error, undefined, JSON.stringify(merged));
    const refused = await pin(asOf);
    assert.equal(refused.statusCode, 409, refused.body);
    assert.equal(refused.json().error.details.reason, 'merged');
    assert.equal((await pin(Date.now())).statusCode, 200, 'a new pin is held');
  } finally {
    await close();
  }
});
