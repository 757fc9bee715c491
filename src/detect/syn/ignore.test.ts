/** syn.ignore entries: addresses and prefixes of both families, matched on the reader's address texts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ignoredSources, sourceRule } from './ignore.js';

test('an entry is an address or address/prefix of either family; anything else is refused', () => {
  assert.deepEqual(sourceRule('10.20.0.5'), { network: '10.20.0.5', bits: 32, version: 4 });
  assert.deepEqual(sourceRule('10.20.7.9/16'), { network: '10.20.0.0', bits: 16, version: 4 });
  assert.deepEqual(sourceRule('2001:DB8:5::/48'), { network: '2001:db8:5::', bits: 48, version: 6 });
  assert.deepEqual(sourceRule('fe80::1'), { network: 'fe80::1', bits: 128, version: 6 });
  for (const bad of ['', 'scanner.corp.example', '10.0.0.0/33', '10.0.0/8', '2001:db8::/129', '10.0.0.1/', '256.1.1.1', 5, null]) assert.equal(sourceRule(bad), null, String(bad));
});

test('the matcher covers a prefix and nothing outside it', () => {
  assert.equal(ignoredSources([]), null);
  const m = ignoredSources(['10.20.0.0/16', '192.0.2.7', '2001:db8:5::/48'])!;
  for (const ip of ['10.20.0.1', '10.20.255.254', '192.0.2.7', '2001:db8:5:1::9']) assert.equal(m(ip), true, ip);
  for (const ip of ['10.21.0.1', '192.0.2.8', '2001:db8:6::1', 'not an address']) assert.equal(m(ip), false, ip);
  assert.throws(() => ignoredSources(['10.0.0.0/40']), /syn\.ignore: "10\.0\.0\.0\/40" is not an IP address or address\/prefix/);
});
