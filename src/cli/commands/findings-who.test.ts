import { test } from 'node:test';
import assert from 'node:assert/strict';
import { whoLines } from './findings-who.js';

test("who: a client that reached the name by one of its addresses says which; shared addresses are named as not counted", () => {
  const last = Date.UTC(2024, 0, 2, 10, 31);
  const lines = whoLines('url', {
    entity: 'domain:update.evil-cdn.example',
    total: 2,
    clients: [
      { entity: 'ip:10.20.1.99', count: 2, requests: 0, connections: 2, lookups: 0, last, identity: null, via: ['ip:198.51.100.66'] },
      { entity: 'ip:10.20.1.42', count: 1, requests: 0, connections: 0, lookups: 1, last, identity: null },
    ],
    addresses: ['ip:198.51.100.66'],
    sharedAddresses: ['ip:203.0.113.80'],
    identity: null,
  });
  const text = lines.join('\n');
  assert.match(text, /ip:10\.20\.1\.99 .*\(2 connections to 198\.51\.100\.66\)/);
  assert.match(text, /ip:10\.20\.1\.42 .*\(1 lookup\)$/m);
  assert.match(text, /not counted: connections to 203\.0\.113\.80, which more names share/);
});
