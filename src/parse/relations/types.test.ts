import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLine } from '../parse-line.js';
import { extractRelations } from './index.js';
import { ipEntity } from './types.js';

test('an IPv4-mapped address is keyed as the IPv4 address it maps, however written', () => {
  for (const spelling of ['10.0.0.5', '::ffff:10.0.0.5', '::FFFF:10.0.0.5', '0:0:0:0:0:ffff:a00:5', '::ffff:a00:5']) assert.equal(ipEntity(spelling), 'ip:10.0.0.5', spelling);
  assert.equal(ipEntity('::1'), 'ip:::1');
  assert.equal(ipEntity('2001:DB8::1'), 'ip:2001:db8::1');
  assert.equal(ipEntity('::ffff:0:a00:5'), 'ip:::ffff:0:a00:5');
});

test('an sshd login from a dual-stack socket is an edge from the IPv4 address', () => {
  const ev = parseLine({ line: '<38>Nov 28 12:00:00 gw sshd[812]: Accepted password for alice from ::ffff:10.0.0.5 port 50122 ssh2', receivedAt: Date.UTC(2026, 10, 28), source: 't' });
  assert.deepEqual(extractRelations(ev), [{ kind: 'login', from: 'ip:10.0.0.5', to: 'user:alice' }]);
});
