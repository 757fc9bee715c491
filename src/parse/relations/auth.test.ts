import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractRelations, parseLine } from '../index.js';
import { freeRadius, hostapd, radiusKeyValues, sshd } from './auth.js';
import type { Relation } from './types.js';

const edges = (f: (text: string, out: Relation[]) => unknown, text: string) => {
  const out: Relation[] = [];
  f(text, out);
  return out.map((r) => `${r.kind} ${r.from} ${r.to}`);
};
const lineEdges = (line: string) => extractRelations(parseLine({ line, receivedAt: Date.UTC(2024, 0, 2), source: 't' })).map((r) => `${r.kind} ${r.from} ${r.to}`);

test('sshd: the usual lines', () => {
  assert.deepEqual(edges(sshd, 'Accepted password for bob from 10.0.2.13 port 60078 ssh2'), ['login ip:10.0.2.13 user:bob']);
  assert.deepEqual(edges(sshd, 'Accepted publickey for carol from 2001:db8::7 port 50022 ssh2: RSA SHA256:abc'), ['login ip:2001:db8::7 user:carol']);
  assert.deepEqual(edges(sshd, 'Failed password for invalid user admin from 1.2.3.4 port 37390 ssh2'), ['login_failed ip:1.2.3.4 user:admin']);
  assert.deepEqual(edges(sshd, 'Failed keyboard-interactive/pam for root from 1.2.3.4 port 22 ssh2'), ['login_failed ip:1.2.3.4 user:root']);
  assert.deepEqual(edges(sshd, 'Invalid user postgres from 157.152.93.71 port 37383'), ['login_failed ip:157.152.93.71 user:postgres']);
  assert.deepEqual(edges(sshd, 'Invalid user postgres from 157.152.93.71'), ['login_failed ip:157.152.93.71 user:postgres']);
  assert.deepEqual(edges(sshd, 'Connection closed by 1.2.3.4 port 22 [preauth]'), []);
});

test('sshd: a user name with ` from ADDR port N` in it cannot name another address (log injection)', () => {
  assert.deepEqual(lineEdges('<38>Jan  2 10:00:00 srv sshd[100]: Invalid user evil from 6.6.6.6 from 203.0.113.9 port 52311'), [
    'login_failed ip:203.0.113.9 user:evil from 6.6.6.6',
  ]);
  assert.deepEqual(lineEdges('<38>Jan  2 10:00:00 srv sshd[100]: Failed password for invalid user x from 6.6.6.6 port 1 from 203.0.113.9 port 52311 ssh2'), [
    'login_failed ip:203.0.113.9 user:x from 6.6.6.6 port 1',
  ]);
  assert.deepEqual(edges(sshd, 'Failed password for invalid user a from 6.6.6.6 port 1 ssh2: b from 203.0.113.9 port 2 ssh2'), [
    'login_failed ip:203.0.113.9 user:a from 6.6.6.6 port 1 ssh2: b',
  ]);
  assert.deepEqual(edges(sshd, 'Invalid user root from 6.6.6.6 port 1 from 203.0.113.9'), ['login_failed ip:203.0.113.9 user:root from 6.6.6.6 port 1']);
});

test('sshd: a MiB of ` from x port 1` is read in linear time', () => {
  assert.deepEqual(edges(sshd, 'Failed password for invalid user a' + ' from x port 1 x'.repeat(1 << 16)), []);
  assert.deepEqual(edges(sshd, 'Invalid user a' + ' from 1.2.3.4 x'.repeat(1 << 16)), []);
  assert.deepEqual(edges(sshd, 'Accepted publickey for a from 1.2.3.4 port 22 ssh2: ' + ' from x'.repeat(1 << 17)), ['login ip:1.2.3.4 user:a']);
});

test('freeradius: a machine (802.1X `host/NAME`) is no user, as `WS01$` is not', () => {
  const cli = '(from client ap-01 port 0 cli 00-11-22-33-44-55)';
  assert.deepEqual(edges(freeRadius, `(7) Login OK: [host/WS01.corp.example.com] ${cli}`), []);
  assert.deepEqual(edges(freeRadius, `(7) Login OK: [host/WS01.corp.example.com/<via Auth-Type = EAP>] ${cli}`), []);
  assert.deepEqual(edges(freeRadius, `(7) Login OK: [alice/<via Auth-Type = EAP>] ${cli}`), ['login mac:00:11:22:33:44:55 user:alice']);
  assert.deepEqual(edges(freeRadius, `(7) Login incorrect (mschap: MS-CHAP2-Response is incorrect): [bob/Secret123] ${cli}`), [
    'login_failed mac:00:11:22:33:44:55 user:bob',
  ]);
  // a user called host, with the via part
  assert.deepEqual(edges(freeRadius, `(7) Login OK: [host/<via Auth-Type = EAP>] ${cli}`), ['login mac:00:11:22:33:44:55 user:host']);
});

test('freeradius and hostapd: a MiB of repeated prefixes is read in linear time (minutes before)', () => {
  assert.equal(freeRadius('1.2.3.4 ' + 'Login OK: ['.repeat(1 << 17), []), false);
  assert.equal(freeRadius('1.2.3.4 ' + 'Login OK ('.repeat(1 << 17), []), false);
  assert.deepEqual(edges(hostapd, 'STA 02:00:00:00:01:00 IEEE 802.1X: Identity '.repeat(1 << 15)), []);
  assert.deepEqual(edges(hostapd, "wlan0: STA 02:00:00:00:01:00 IEEE 802.1X: Identity received from STA: 'erin'"), ['login mac:02:00:00:00:01:00 user:erin']);
});

test('radius key-values: a user name with `failed` or `reject` in it does not make a login a failure', () => {
  const head = 'CISE_Passed_Authentications 1 0 NOTICE Passed-Authentication: Authentication succeeded, ';
  const tail = ', Calling-Station-ID=00-11-22-33-44-55, Framed-IP-Address=10.0.2.15';
  for (const name of ['failedcourse', 'rejected', 'Failed Bob']) {
    assert.deepEqual(
      edges(radiusKeyValues, `${head}UserName=${name}${tail}`).map((e) => e.split(' ')[0]),
      ['login', 'login'],
      name,
    );
  }
  assert.deepEqual(edges(radiusKeyValues, `User-Name=rejected Calling-Station-Id=00-11-22-33-44-55 Framed-IP-Address=10.0.2.15`), [
    'login mac:00:11:22:33:44:55 user:rejected',
    'login ip:10.0.2.15 user:rejected',
  ]);
  // failures still are
  assert.deepEqual(edges(radiusKeyValues, `CISE_Failed_Attempts 1 0 NOTICE Failed-Attempt: Authentication failed, UserName=bob${tail}`), [
    'login_failed mac:00:11:22:33:44:55 user:bob',
  ]);
  assert.deepEqual(edges(radiusKeyValues, `User-Name=bob Calling-Station-Id=00-11-22-33-44-55 Packet-Type=Access-Reject`), ['login_failed mac:00:11:22:33:44:55 user:bob']);
  // linear on a MiB of user names
  const many = 'Calling-Station-Id=00-11-22-33-44-55 ' + 'User-Name=failed '.repeat(1 << 16) + 'UserName=' + 'x'.repeat(1 << 20);
  assert.deepEqual(edges(radiusKeyValues, many), ['login mac:00:11:22:33:44:55 user:failed']);
});

test('sshd: the name is the text between the phrase and the last ` from ADDR port N` that ends the line as sshd does', () => {
  assert.deepEqual(edges(sshd, 'Accepted publickey for a from 1.2.3.4 port 22 ssh2: from x'), ['login ip:1.2.3.4 user:a']);
  assert.deepEqual(edges(sshd, 'Accepted publickey for a from 1.2.3.4 port 22 ssh2: ED25519-CERT SHA256:x ID k (serial 1) CA ED25519 SHA256:y'), [
    'login ip:1.2.3.4 user:a',
  ]);
  assert.deepEqual(edges(sshd, 'Failed password for invalid user a from b from 6.6.6.6 port 1 x from 203.0.113.9 port 2 ssh2'), [
    'login_failed ip:203.0.113.9 user:a from b from 6.6.6.6 port 1 x',
  ]);
  assert.deepEqual(edges(sshd, 'Failed password for invalid user  from 203.0.113.9 port 2 ssh2'), []);
});

test('sshd: trailing white space (a CR, spaces) after the line is no part of it', () => {
  assert.deepEqual(edges(sshd, 'Invalid user webmaster from 173.234.31.186\r'), ['login_failed ip:173.234.31.186 user:webmaster']);
  assert.deepEqual(edges(sshd, 'Failed password for root from 1.2.3.4 port 22 ssh2  '), ['login_failed ip:1.2.3.4 user:root']);
});

test('colour codes around the program, the user or the address hide no login and end up in no edge', () => {
  const want = ['login ip:203.0.113.9 user:bob'];
  assert.deepEqual(lineEdges('<34>Oct 11 22:14:15 web01 \x1b[32msshd\x1b[0m[4242]: Accepted password for bob from 203.0.113.9 port 22 ssh2'), want);
  assert.deepEqual(lineEdges('<34>Oct 11 22:14:15 web01 sshd[4242]: Accepted password for \x1b[33mbob\x1b[0m from \x1b[1m203.0.113.9\x1b[0m port 22 ssh2'), want);
  assert.deepEqual(lineEdges('<34>Oct 11 22:14:15 web01 sshd[4242]: \x1b[32mAccepted password for bob from 203.0.113.9 port 22 ssh2\x1b[0m'), want);
  assert.deepEqual(lineEdges('<34>1 2024-10-11T22:14:15Z \x1b[1mweb01\x1b[0m \x1b[32msshd\x1b[0m 4242 - - Failed password for invalid user \x1b[33madmin\x1b[0m from \x1b[1m2001:db8::9\x1b[0m port 22 ssh2'), [
    'login_failed ip:2001:db8::9 user:admin',
  ]);
  assert.deepEqual(lineEdges("<13>Jan  2 10:00:09 ap-02 \x1b[32mhostapd\x1b[0m: wlan0: STA 02:00:00:00:01:00 IEEE 802.1X: Identity received from STA: '\x1b[33merin\x1b[0m'"), [
    'login mac:02:00:00:00:01:00 user:erin',
  ]);
});
