/**
 * Where the first admin's password is, said on every start until it is changed: a first start that
 * failed after creating `admin` (the HTTP port taken by another server) left the file and no log line
 * naming it, and every later start was silent about it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startNode } from '../../src/node.js';
import { UserStore } from '../../src/serve/users/index.js';
import { tempDir, testConfig } from './helpers.js';

function logTo(): { logger: ReturnType<typeof pino>; text: () => string } {
  let log = '';
  const sink = new Writable({ write(chunk, _e, done) { log += String(chunk); done(); } });
  return { logger: pino({ level: 'info' }, sink), text: () => log };
}

test('a start after a failed first start names the password file; once it is changed, no start does', async () => {
  const tmp = tempDir('nml-e2e-first-password-');
  const busy = createServer();
  busy.listen(0, '127.0.0.1');
  await once(busy, 'listening');
  const port = (busy.address() as { port: number }).port;
  try {
    const failed = logTo();
    await assert.rejects(startNode(testConfig(tmp.dir, { http: { port } }), failed.logger), /address in use/);
    const file = join(tmp.dir, 'admin-password');
    assert.ok(existsSync(file), 'the failed start created admin and its password file');

    const again = logTo();
    const node = await startNode(testConfig(tmp.dir), again.logger);
    await node.stop();
    assert.ok(again.text().includes(`'admin' still has its first password, in ${file}`), again.text());
    assert.match(again.text(), /change it under Account in the user menu \(or: nml user passwd admin --data /);

    const users = new UserStore(join(tmp.dir, 'users.db'));
    await users.setPassword('admin', 'a-new-password-of-mine');
    users.close();
    assert.equal(existsSync(file), false);
    const changed = logTo();
    const after = await startNode(testConfig(tmp.dir), changed.logger);
    await after.stop();
    assert.doesNotMatch(changed.text(), /admin-password/);
  } finally {
    busy.close();
    tmp.cleanup();
  }
});
