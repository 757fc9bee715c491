/** Numbers Ajv's coercion made infinite are refused at any depth of a request, named by their path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from './app.js';
import { AUTH, fakeDeps } from './testing.js';

test('an infinite number deep in a JSON body is a 400 naming its path; finite ones and large batches pass', async () => {
  const app = await buildApp(fakeDeps());
  const num = { type: 'number' };
  app.post('/api/test-nested', { schema: { body: { type: 'object', properties: { window: { type: 'object', properties: { from: num, to: num } }, points: { type: 'array', items: { type: 'object', properties: { x: num } } }, urls: { type: 'array', items: { type: 'string' } } } } } }, async () => ({ ok: true }));
  try {
    const send = (payload: string) => app.inject({ method: 'POST', url: '/api/test-nested', headers: { ...AUTH, 'content-type': 'application/json' }, payload });
    for (const [payload, param] of [
      ['{"window":{"from":1,"to":"Infinity"}}', 'window.to'],
      ['{"points":[{"x":1},{"x":"-Infinity"}]}', 'points[1].x'],
      ['{"points":[{"x":"1e999"}]}', 'points[0].x'],
    ] as const) {
      const res = await send(payload);
      assert.equal(res.statusCode, 400, `${payload}: ${res.body}`);
      assert.equal(res.json().error.code, 'HTTP_BAD_REQUEST');
      assert.deepEqual([res.json().error.details.in, res.json().error.details.param], ['body', param]);
    }
    assert.equal((await send('{"window":{"from":1,"to":2},"points":[{"x":3}]}')).statusCode, 200);
    const batch = JSON.stringify({ urls: Array.from({ length: 30_000 }, (_, i) => `a${i}.example/`) });
    const big = await send(batch);
    assert.equal(big.statusCode, 200, `a large batch of strings passes: ${big.body.slice(0, 200)}`);
  } finally {
    await app.close();
  }
});
