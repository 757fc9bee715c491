import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUdpDrops, readUdpDrops } from './udp-drops.js';

const TABLE = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  101: 0100007F:0202 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 31337 2 0000000000000000 17
  102: 00000000:0202 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 31338 2 0000000000000000 3
  103: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 31339 2 0000000000000000 99
`;

test('sums the drops column of rows bound to the port', () => {
  assert.equal(parseUdpDrops(TABLE, 514), 20);
  assert.equal(parseUdpDrops(TABLE, 53), 99);
  assert.equal(parseUdpDrops(TABLE, 9), 0);
});

test('reads ipv6 rows and ignores headers and short rows', () => {
  const v6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
 7: 00000000000000000000000001000000:0202 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000  0 0 4 2 0000000000000000 5
garbage
`;
  assert.equal(parseUdpDrops(v6, 514), 5);
});

test('missing tables read as 0', () => {
  assert.equal(readUdpDrops(514, ['/nonexistent/udp']), 0);
});
