// GET /api/search/pin: the Search page, left open with more rows to load, says now and then that its pin
// is still read. It reads no line; the store notes the pin as in use (so the merge of an hour the pin
// would miss lines of waits), and a pin a further page would be refused for is refused here too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../core/index.js';
import { Catalog, Compactor, COMPACTION_DEFAULTS, ShardSet, type StoredLine } from '../../store/index.js';
import { Searcher } from '../../search/index.js';
import { buildApp } from '../app.js';
import { AUTH, fakeDeps } from '../testing.js';

test('the pin route asks for a token and an asOf, passes the range on, and answers a refused pin with its 409', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  try {
    assert.equal((await app.inject({ method: 'GET', url: '/api/search/pin?asOf=1' })).statusCode, 401);
    const missing = await app.inject({ method: 'GET', url: '/api/search/pin?from=-1h', headers: AUTH });
    assert.equal(missing.statusCode, 400, missing.body);
    assert.match(missing.json().error.message, /asOf/);
    const held = await app.inject({ method: 'GET', url: '/api/search/pin?from=-1h&asOf=1796661658351', headers: AUTH });
    assert.equal(held.statusCode, 200, held.body);
    assert.deepEqual(held.json(), { shards: 3 });
    assert.deepEqual(deps.searcher.pinsHeld, [1796661658351]);
    deps.searcher.pinRefused = new AppError('SEARCH_AS_OF_TOO_OLD', 'conflict', 'search: asOf … was merged', { reason: 'merged' });
    const refused = await app.inject({ method: 'GET', url: '/api/search/pin?asOf=1796661658351', headers: AUTH });
    assert.equal(refused.statusCode, 409, refused.body);
    assert.equal(refused.json().error.code, 'SEARCH_AS_OF_TOO_OLD');
    assert.equal(refused.json().error.details.reason, 'merged');
  } finally {
    await app.close();
  }
});

const HOUR = 3_600_000;
const line = (time: number, i: number): StoredLine => {
  const raw = `<38>1 ${new Date(time).toISOString()} web-${i % 2} sshd 1 - - beat ${i}`;
  return { time, receivedAt: time, source: 't', raw, text: raw };
};

test('a pin held through the route alone defers the merge of the hour it would miss lines of; once merged, the route refuses it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-search-pin-'));
  const catalog = new Catalog(dir, 60_000);
  const searcher = new Searcher(catalog, 1);
  const hour = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
  const set = new ShardSet({ dir: catalog.shardsDir, lane: 0, slotMs: 60_000, sealIdleMs: 60_000, maxOpenShards: 8, optimizeOnSeal: false });
  const compactor = new Compactor(catalog, { ...COMPACTION_DEFAULTS, checkMs: 0, graceMs: 60_000 }, false);
  const app = await buildApp(fakeDeps({ searcher }));
  const pin = async (asOf: number) => app.inject({ method: 'GET', url: `/api/search/pin?from=${hour}&to=${hour + HOUR}&asOf=${asOf}`, headers: AUTH });
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
    await app.close();
    set.closeAll(hour + HOUR);
    await compactor.close();
    await searcher.close();
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
