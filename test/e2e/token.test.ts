/** `nml token rotate` against a running node: the old token is refused within a second, the new one works, no restart. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startNode } from '../../src/node.js';
import { runCli } from '../../src/cli/testing.js';
import { eventually, tempDir, testConfig, tokenOf } from './helpers.js';

test('nml token rotate: a running server refuses the old token and takes the new one without a restart; the token is never printed or logged', async () => {
  const tmp = tempDir('nml-token-');
  let log = '';
  const logger = pino({ level: 'info' }, new Writable({ write(c, _e, done) { log += String(c); done(); } }));
  const node = await startNode(testConfig(tmp.dir), logger);
  try {
    const old = tokenOf(tmp.dir);
    const get = (token: string) => fetch(`${node.httpUrl}/api/stats`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    assert.equal(await get(old), 200);
    const r = await runCli(['token', 'rotate', '--data', tmp.dir]);
    assert.equal(r.code, 0, r.err);
    const fresh = tokenOf(tmp.dir);
    assert.notEqual(fresh, old);
    assert.match(r.out, /new API token written to .*api-token; a running nml serve refuses the old one/);
    assert.ok(!r.out.includes(fresh), 'the token is not printed');
    await eventually(async () => (await get(old)) === 401, 5000, 'the old token refused');
    assert.equal(await get(fresh), 200);
    assert.match(log, /api token file changed: the new token is in force/);
    assert.ok(!log.includes(fresh) && !log.includes(old), 'no token in the log');
    const typo = await runCli(['token', 'rotate', '--data', join(tmp.dir, 'nope')]);
    assert.equal(typo.code, 2);
    assert.match(typo.err, /nope is not a data directory/);
  } finally {
    await node.stop();
    tmp.cleanup();
  }
});
