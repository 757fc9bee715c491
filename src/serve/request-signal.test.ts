import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import Fastify from 'fastify';
import { clientGone } from './request-signal.js';

test('clientGone fires when the client hangs up before the reply, not after a finished reply', async () => {
  const app = Fastify();
  const aborted: string[] = [];
  let hungUp!: () => void;
  const sawAbort = new Promise<void>((resolve) => (hungUp = resolve));
  app.get('/slow', async (_req, reply) => {
    const signal = clientGone(reply);
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
    aborted.push('slow');
    hungUp();
    return 'never read';
  });
  app.get('/fast', async (_req, reply) => {
    const signal = clientGone(reply);
    reply.raw.once('close', () => setImmediate(() => signal.aborted && aborted.push('fast')));
    return 'ok';
  });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    assert.equal(await (await fetch(`${base}/fast`)).text(), 'ok');
    const req = request(`${base}/slow`);
    req.on('error', () => undefined);
    req.end();
    await new Promise((r) => setTimeout(r, 100));
    req.destroy();
    await sawAbort;
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(aborted, ['slow']);
  } finally {
    await app.close();
  }
});
