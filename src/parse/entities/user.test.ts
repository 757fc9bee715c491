import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { bareUser, type Entity } from '../../core/index.js';
import { extractEntities, extractRelations, parseLine } from '../index.js';
import { readLines, repoRoot } from '../test-support.js';
import { F_ACCOUNT, F_USER } from './keywords.js';
import { addUsers } from './user.js';

const users = (text: string) => extractEntities(text).flatMap((e) => (e.kind === 'user' ? [e.value] : []));

test('users: an sshd user name is read whole, to the last ` from ADDR port N` (as the sshd relation reads it)', () => {
  assert.deepEqual(users('Invalid user evil from 6.6.6.6 from 203.0.113.9 port 52311'), ['evil from 6.6.6.6']);
  assert.deepEqual(users('sshd[1]: Failed password for invalid user x from 6.6.6.6 port 1 from 203.0.113.9 port 52311 ssh2'), ['x from 6.6.6.6 port 1']);
  // no other phrase inside the name names a user
  assert.deepEqual(users('Invalid user x user=root from 203.0.113.9 port 52311'), ['x user=root']);
  assert.deepEqual(users('Failed password for invalid user alice : TTY=pts/0 from 203.0.113.9 port 1 ssh2'), ['alice : tty=pts/0']);
  // the usual lines, as before
  assert.deepEqual(users('Invalid user bob from 10.0.0.1 port 22'), ['bob']);
  assert.deepEqual(users('Accepted publickey for Carol from 10.0.0.1 port 22 ssh2: RSA SHA256:x'), ['carol']);
  assert.deepEqual(users('input_userauth_request: invalid user webmaster [preauth]'), ['webmaster']);
  assert.deepEqual(users("proftpd: invalid user 'bob' from 1.2.3.4"), ['bob']);
  assert.deepEqual(users('Invalid user x y from 10.0.0.1 port 22'), ['x y']);
  // a MiB of phrases: each reader reads the line once
  assert.deepEqual(users('Invalid user ' + 'Invalid user x user=root '.repeat(1 << 15)), ['root']);
  assert.deepEqual(users('x ' + 'Login OK: [Invalid user '.repeat(1 << 15)), []);
});

test('users: never the password of a URL (`http://user:pw@host/`)', () => {
  assert.deepEqual(users('url http://user:pw@evil.example:8080/x'), []);
  assert.deepEqual(users('ftp://username:secret@h.example/ user=bob'), ['bob']);
  assert.deepEqual(users('GET /login?user=alice HTTP/1.1'), ['alice']);
});

test('users: the user a relation edge names is indexed (FreeRADIUS, Windows JSON, Squid)', () => {
  assert.deepEqual(users('(7) Login OK: [alice/<via Auth-Type = EAP>] (from client ap-01 port 0 cli 00-11-22-33-44-55)'), ['alice']);
  assert.deepEqual(users('(7) Login incorrect: [Bob] (from client ap-01 port 0 cli 00-11-22-33-44-55)'), ['bob']);
  assert.deepEqual(users('(7) Login OK: [host/WS01.corp.example.com] (from client ap-01 port 0 cli 00-11-22-33-44-55)'), []);
  assert.deepEqual(users('{"EventID":4624,"TargetUserName":"carol","IpAddress":"10.0.0.9"}'), ['carol']);
  assert.deepEqual(users('1704189601.123    245 10.0.2.57 TCP_MISS/200 1234 GET http://good.example/a corp%5Calice HIER_DIRECT/203.0.113.80 text/html'), ['corp\\alice']);
  assert.deepEqual(users('1704189601.123    245 10.0.2.57 TCP_MISS/200 1234 GET http://good.example/a - HIER_DIRECT/203.0.113.80 text/html'), []);
});

test('users: hostapd 802.1X identities, once the word scan flags the line', () => {
  const out: Entity[] = [];
  addUsers("wlan0: STA 02:00:00:00:01:00 IEEE 802.1X: Identity received from STA: 'Erin'", F_USER, out);
  assert.deepEqual(out, [{ kind: 'user', value: 'erin' }]);
});

/**
 * Each user end of each edge of a line, and whether the line's entities hold it. An alias edge's bare
 * end (user:bob of corp\bob) is a join between names, not a name the line wrote: only its qualified end
 * is the line's, and the bare end must be that name's bare form.
 */
function userEnds(line: string): { user: string; indexed: boolean }[] {
  const ev = parseLine({ line, receivedAt: Date.UTC(2024, 0, 2), source: 't' });
  const have = new Set(ev.entities.filter((e) => e.kind === 'user').map((e) => 'user:' + e.value));
  return extractRelations(ev).flatMap((r) => {
    if (r.kind === 'alias') {
      assert.equal(r.from, 'user:' + bareUser(r.to.slice('user:'.length)), `alias ${r.from} -> ${r.to}`);
      return [{ user: r.to, indexed: have.has(r.to) }];
    }
    return [r.from, r.to].filter((k) => k.startsWith('user:')).map((user) => ({ user, indexed: have.has(user) }));
  });
}

const FIXTURES = join(repoRoot(), 'test', 'fixtures', 'investigate', 'relations');
test('users: every user a relation fixture edge names is an entity of its line (hostapd identities and Squid CONNECT users too)', () => {
  let checked = 0;
  for (const name of ['auth', 'proxy']) {
    for (const line of readLines(join(FIXTURES, `${name}.log`))) {
      for (const { user, indexed } of userEnds(line)) {
        assert.ok(indexed, `${user} in ${line}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 5, `${checked} user edges checked`);
});

test('users: 256 KiB of Windows `Name="UserName">` with no `<` is read in linear time (11 s before)', () => {
  const text = 'account ' + 'Name="UserName">x'.repeat((1 << 18) / 17);
  const out: Entity[] = [];
  const t0 = performance.now();
  addUsers(text, F_ACCOUNT, out);
  const ms = performance.now() - t0;
  assert.deepEqual(out, []);
  assert.ok(ms < 1500, `${ms.toFixed(0)} ms`);
  // the usual line still reads
  const usual: Entity[] = [];
  addUsers('<Data Name="SubjectUserName">alice</Data><Data Name="TargetUserName">bob</Data>', F_ACCOUNT, usual);
  assert.deepEqual(usual.map((e) => e.value).sort(), ['alice', 'bob']);
});
