// GET /api/search/pin: the Search page, left open with more rows to load, says now and then that its pin
// is still read. It reads no line; the store notes the pin as in use (so the merge of an hour the pin
// would miss lines of waits: as-of-merge.test.ts), and a pin a further page would be refused for is refused here too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../core/index.js';
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
