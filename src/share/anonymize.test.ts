import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGenerator } from '../collect/index.js';
import { parseIp } from '../core/index.js';
import { extractEntities, parseLine } from '../parse/index.js';
import { PACKAGE_ROOT } from '../version.js';
import { LineAnonymizer, type AnonymizedLine } from './anonymize.js';
import { keyFingerprint, Pseudonyms, readShareKey } from './key.js';
import { dashed6Out } from './dashed.js';

const KEY = Buffer.alloc(32, 7);
const OTHER = Buffer.alloc(32, 8);

function written(r: AnonymizedLine): string {
  assert.ok('line' in r, `withheld: ${'withheld' in r ? r.withheld : ''}`);
  return r.line;
}

/** the values of `line` an export must not show, by kind, and whether `out` shows one */
function leaks(line: string, out: string, a: LineAnonymizer): string[] {
  const ev = parseLine({ line, receivedAt: 0, source: '' });
  const before = [...extractEntities(line), ...ev.entities];
  const after = [...extractEntities(out), ...parseLine({ line: out, receivedAt: 0, source: '' }).entities].map((e) => `${e.kind}:${e.value}`);
  const found: string[] = [];
  for (const e of before) {
    if (e.kind === 'port' || e.kind === 'url' || (e.kind === 'domain' && !a.hosts.isInternal(e.value))) continue;
    if (after.includes(`${e.kind}:${e.value}`)) found.push(`${e.kind}:${e.value}`);
    // an address, user or e-mail as a whole word anywhere in the text, not only where the extractor looks
    const esc = e.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if ((e.kind === 'ip' || e.kind === 'email' || e.kind === 'mac') && new RegExp(`(?<![\\w.:])${esc}(?![\\w:]|\\.\\d)`, 'i').test(out)) found.push(`text ${e.value}`);
  }
  if (ev.host !== null && ev.host !== '-' && parseLine({ line: out, receivedAt: 0, source: '' }).host === ev.host) found.push(`host ${ev.host}`);
  return found;
}

test('share: pseudonyms are stable for one key and differ across keys', () => {
  const a = new Pseudonyms(KEY);
  assert.equal(a.of('user', 'alice'), new Pseudonyms(KEY).of('user', 'alice'));
  assert.match(a.of('user', 'alice'), /^user-[0-9a-f]{10}$/);
  assert.notEqual(a.of('user', 'alice'), a.of('user', 'bob'));
  assert.notEqual(a.of('user', 'alice'), a.of('host', 'alice'), 'the kind is keyed too');
  assert.notEqual(a.of('user', 'alice'), new Pseudonyms(OTHER).of('user', 'alice'));
  const l1 = written(new LineAnonymizer(KEY).line('sshd[1]: Accepted password for alice from 10.0.0.5 port 22 ssh2'));
  assert.equal(written(new LineAnonymizer(KEY).line('sshd[1]: Accepted password for alice from 10.0.0.5 port 22 ssh2')), l1);
  assert.notEqual(written(new LineAnonymizer(OTHER).line('sshd[1]: Accepted password for alice from 10.0.0.5 port 22 ssh2')), l1);
});

test('share: an address in a URL in a quoted field, a user, an internal host: none left, public names kept', () => {
  const a = new LineAnonymizer(KEY);
  const line = '<14>1 2026-12-01T10:00:00Z web-07.corp.local proxy - - - msg="GET \\"http://10.1.2.3:8080/admin/10.9.9.9?ip=10.1.2.4&u=bob#frag\\" user=bob" src=[2001:db8::5]:443 mac=aa:bb:cc:dd:ee:ff to https://evil.example.rest/gate.php?id=42 mail carol@acme.local';
  const out = written(a.line(line));
  for (const v of ['10.1.2.3', '10.9.9.9', '10.1.2.4', '2001:db8::5', 'aa:bb:cc:dd:ee:ff', 'bob', 'carol', 'web-07', 'acme.local', 'frag', '=42']) assert.ok(!out.includes(v), `${v} in ${out}`);
  assert.match(out, /https:\/\/evil\.example\.rest\/gate\.php\?id=q-[0-9a-f]{10}/, 'a public host and its path stay; query values are pseudonyms under their keys');
  assert.match(out, /http:\/\/\d+\.\d+\.\d+\.\d+:8080\/admin\/\d+\.\d+\.\d+\.\d+\?ip=q-[0-9a-f]{10}&u=q-[0-9a-f]{10}#q-/);
  assert.match(out, / host-[0-9a-f]{10} proxy /, "the header's host is a pseudonym");
  assert.match(out, /user-[0-9a-f]{10}@host-[0-9a-f]{10}/);
  assert.deepEqual(leaks(line, out, a), []);
});

test('share: addresses keep their prefixes across a line and across lines; a browser version is no address', () => {
  const a = new LineAnonymizer(KEY);
  const out = written(a.line('SRC=10.0.0.1 DST=10.0.0.2 via 010.000.000.003 ua="Mozilla/5.0 Chrome/124.0.0.0 Safari/537.36"'));
  const [x, y, z] = [...out.matchAll(/\d+\.\d+\.\d+\.\d+/g)].map((m) => m[0]);
  assert.equal(x!.split('.').slice(0, 3).join('.'), y!.split('.').slice(0, 3).join('.'));
  assert.equal(z!.split('.').slice(0, 3).join('.'), x!.split('.').slice(0, 3).join('.'), 'leading zeros are the same address family');
  assert.match(out, /Chrome\/124\.0\.0\.0/);
  assert.equal(written(a.line('from 10.0.0.1')), `from ${x}`);
});

test('share: a line naming more values than can be searched for is withheld, not written', () => {
  const a = new LineAnonymizer(KEY);
  const line = Array.from({ length: 300 }, (_, i) => `http://h${i}.lan/p`).join(' ');
  const r = a.line(line);
  assert.ok('withheld' in r, 'withheld');
});

/** each line of the parser's fixtures (test/fixtures/parse) and of the demo generator */
function fixtureLines(): string[] {
  const dir = join(PACKAGE_ROOT, 'test', 'fixtures', 'parse');
  const lines: string[] = [];
  for (const f of readdirSync(dir)) if (f.endsWith('.log')) lines.push(...readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.trim() !== ''));
  lines.push(...readFileSync(join(PACKAGE_ROOT, 'test', 'fixtures', 'investigate', 'seed-incident.log'), 'utf8').split('\n').filter((l) => l !== ''));
  lines.push(...createGenerator({ seed: 5 }).fill(3000));
  return lines;
}

test("share: no line of the parser's fixtures or the demo keeps an original address, user, e-mail, MAC or internal host", () => {
  const a = new LineAnonymizer(KEY);
  const lines = fixtureLines();
  let withheld = 0;
  const bad: string[] = [];
  for (const line of lines) {
    const r = a.line(line);
    if ('withheld' in r) {
      withheld++;
      continue;
    }
    const found = leaks(line, r.line, a);
    if (found.length > 0) bad.push(`${found.join(', ')} in ${r.line}`);
  }
  assert.deepEqual(bad.slice(0, 5), []);
  assert.ok(withheld <= lines.length / 100, `${withheld} of ${lines.length} withheld`);
  // the demo's people: none of their names survives anywhere in the text
  const all = lines.map((l) => a.line(l)).map((r) => ('line' in r ? r.line : '')).join('\n');
  for (const name of ['alice', 'carol', 'april']) assert.ok(!new RegExp(`\\b${name}\\b`, 'i').test(all), name);
});

test('share: finding entities are anonymized as the lines are', () => {
  const a = new LineAnonymizer(KEY);
  const line = written(a.line('GET http://update.example.rest/gate.php?id=7 from 10.0.0.9'));
  const ip = /from (\S+)/.exec(line)![1]!;
  assert.equal(a.entity('ip:10.0.0.9'), `ip:${ip}`);
  assert.equal(a.entity('url:update.example.rest/gate.php?id=7'), `url:${/http:\/\/(\S+)/.exec(line)![1]}`);
  assert.equal(a.entity('domain:update.example.rest'), 'domain:update.example.rest');
  assert.match(a.entity('domain:nas.lan'), /^domain:host-[0-9a-f]{10}$/);
});

test("share: --internal-domain makes a public-looking domain the site's own; public ones stay", () => {
  const line = 'GET https://intranet.corp.example.com/wiki?page=1 referer https://www.example.org/ host files.example.com';
  const plain = written(new LineAnonymizer(KEY).line(line));
  assert.match(plain, /https:\/\/intranet\.corp\.example\.com\/wiki\?page=q-/);
  const own = written(new LineAnonymizer(KEY, ['example.com']).line(line));
  assert.ok(!own.includes('example.com'), own);
  assert.match(own, /https:\/\/host-[0-9a-f]{10}\/wiki\?page=q-[0-9a-f]{10} referer https:\/\/www\.example\.org\//);
});

test('share: a key file holds hex (whitespace around it) or raw bytes, at least 32', () => {
  const hex = `${'ab'.repeat(32)}\n`;
  const r = readShareKey(Buffer.from(hex));
  assert.ok('key' in r && r.key.equals(Buffer.alloc(32, 0xab)));
  const raw = Buffer.alloc(40, 0xfe);
  const r2 = readShareKey(raw);
  assert.ok('key' in r2 && r2.key.equals(Buffer.alloc(32, 0xfe)));
  assert.match((readShareKey(Buffer.from('abc')) as { problem: string }).problem, /odd number/);
  assert.match((readShareKey(Buffer.alloc(31, 0xfe)) as { problem: string }).problem, /31 bytes/);
  assert.notEqual(keyFingerprint(Buffer.alloc(32, 1)), keyFingerprint(Buffer.alloc(32, 2)));
  assert.ok(!keyFingerprint(Buffer.alloc(32, 0xab)).includes('abab'), 'the fingerprint is no part of the key');
});

test("share: a line's source keeps its kind, port and file base name; addresses are Crypto-PAn, a file's folder and any other source pseudonyms", () => {
  const a = new LineAnonymizer(KEY);
  const ip = (v: string): string => a.entity(`ip:${v}`).slice('ip:'.length);
  assert.equal(a.source('udp:10.0.0.5:514'), `udp:${ip('10.0.0.5')}:514`, "the sender's address joins the line's host");
  assert.equal(a.source('tcp:[2001:db8::1]:50412'), `tcp:[${ip('2001:db8::1')}]:50412`);
  assert.equal(a.source('tls:unknown:0'), 'tls:unknown:0');
  assert.equal(a.source('http:10.1.1.1'), `http:${ip('10.1.1.1')}`);
  for (const kept of ['stdin', 'demo', 'demo-fw']) assert.equal(a.source(kept), kept);
  const auth = a.source('file:/home/alice/logs/auth.log');
  assert.match(auth, /^file:dir-[0-9a-f]{10}\/auth\.log$/, 'the folder names a person; the base name says what log it is');
  assert.equal(a.source('file:/home/alice/logs/auth.log.1').split('/')[0], auth.split('/')[0], 'one folder, one pseudonym');
  assert.notEqual(a.source('file:/home/bob/logs/auth.log'), auth);
  assert.match(a.source('file:C:\\Users\\bob\\app.log'), /^file:dir-[0-9a-f]{10}\\app\.log$/);
  assert.equal(a.source('file:/var/log/ip-10-0-0-9.log').split('/')[1], `ip-${ip('10.0.0.9').replaceAll('.', '-')}.log`, 'an address in the base name is anonymized');
  assert.match(a.source('filebeat:web-01.corp:/var/log/x'), /^source-[0-9a-f]{10}$/, 'a shape NML did not write is a pseudonym whole');
  assert.notEqual(new LineAnonymizer(OTHER).source('file:/home/alice/logs/auth.log'), auth);
});

test('share: a user name by its place in a path (/home, /Users, C:\\Users, JSON-escaped, an e-mail folder) is the pseudonym the user gets elsewhere', () => {
  const a = new LineAnonymizer(KEY);
  const alice = /for (user-[0-9a-f]{10}) from/.exec(written(a.line('sshd[1]: Failed password for alice from 10.0.0.5 port 22 ssh2')))![1]!;
  const cases: Array<[string, string]> = [
    ['cron[9]: (CRON) INFO (running /home/alice/bin/backup.sh)', `/home/${alice}/bin/backup.sh`],
    ['PWD=/export/home/Alice/src', `/export/home/${alice}/src`],
    ['opened /Users/alice/Library/Caches/x.db', `/Users/${alice}/Library`],
    ['mimikatz executed from C:\\Users\\alice\\AppData\\Local\\Temp', `C:\\Users\\${alice}\\AppData`],
    ['{"image":"C:\\\\Users\\\\ALICE\\\\Downloads\\\\x.exe"}', `C:\\\\Users\\\\${alice}\\\\Downloads`],
    ['\\Device\\HarddiskVolume3\\users\\alice\\ntuser.dat', `\\users\\${alice}\\ntuser.dat`],
    ['GLOBALROOT/Device/HarddiskVolumeShadowCopy2/Users/alice/ntuser.dat', `/Users/${alice}/ntuser.dat`],
    ['C:\\Documents and Settings\\alice\\Desktop', `Settings\\${alice}\\Desktop`],
    ['c:/users/alice/x', `c:/users/${alice}/x`],
  ];
  for (const [line, want] of cases) {
    const out = written(a.line(line));
    assert.ok(out.includes(want), `${out} (of ${line}) lacks ${want}`);
    assert.ok(!/alice/i.test(out), out);
  }
  const spaced = written(a.line('from C:\\Users\\Jane Doe\\AppData\\Local\\Temp'));
  assert.match(spaced, /C:\\Users\\user-[0-9a-f]{10}\\AppData/, 'a Windows name of two words');
  const mail = written(a.line('caldav https://caldav.163.com/principals/users/xpc_ben%40163.com/ for xpc_ben@163.com'));
  const local = /for (user-[0-9a-f]{10})@163\.com/.exec(mail)?.[1];
  assert.ok(local !== undefined && mail.includes(`/users/${local}%40163.com/`), `a URL-encoded e-mail is the e-mail: ${mail}`);
  // folders of no person, placeholders and web paths stay
  for (const line of ['\\Users\\Default\\ntuser.dat and /Users/Shared/x and C:\\Users\\Public\\y', 'C:\\Users\\%USERNAME%\\AppData', 'GET /api/users/login', 'see /var/home/x and /srv/app/home/y']) {
    assert.equal(written(a.line(line)), line);
  }
});

test('share: an internal address written with dashes in a host name is Crypto-PAn, written back dashed; a public one only inside a host name', () => {
  const a = new LineAnonymizer(KEY);
  const dashed = (v: string): string => a.entity(`ip:${v}`).slice('ip:'.length).replaceAll('.', '-');
  const out = written(a.line('conn from ip-10-0-0-1 to host-192-168-1-20 via 10-0-0-7.example.com and 172-16-5-4, rdns ec2-54-12-34-56.compute-1.amazonaws.com static-203-0-113-9.isp.net'));
  for (const v of ['10-0-0-1', '192-168-1-20', '10-0-0-7', '172-16-5-4', '54-12-34-56', '203-0-113-9']) assert.ok(!out.includes(v), `${v} in ${out}`);
  assert.ok(out.includes(`ip-${dashed('10.0.0.1')} `), out);
  assert.ok(out.includes(`host-${dashed('192.168.1.20')} `), out);
  assert.ok(out.includes(`${dashed('10.0.0.7')}.example.com`), 'the public domain around it stays');
  assert.ok(out.includes(`ec2-${dashed('54.12.34.56')}.compute-1.amazonaws.com`), "a public address's reverse name would undo Crypto-PAn");
  assert.ok(out.includes(`static-${dashed('203.0.113.9')}.isp.net`), out);
  // the same address dotted elsewhere joins it: one Crypto-PAn
  assert.ok(written(a.line('from 10.0.0.1')).endsWith(dashed('10.0.0.1').replaceAll('-', '.')));
  // prose: a public-looking dashed quad, a date, a longer run of numbers stay
  for (const line of ['score 1-2-3-4 of 9', 'rotated 2026-12-01-10', 'seq 1-10-0-0-1-5', 'isbn 978-3-16-148']) assert.equal(written(a.line(line)), line);
  // URLs and finding entities are written alike
  assert.match(written(a.line('GET http://ec2-54-12-34-56.compute-1.amazonaws.com/x')), new RegExp(`http://ec2-${dashed('54.12.34.56')}\\.compute-1`));
  assert.equal(a.entity('domain:ec2-54-12-34-56.compute-1.amazonaws.com'), `domain:ec2-${dashed('54.12.34.56')}.compute-1.amazonaws.com`);
});

test('share: an IPv6 address written with dashes in a host name is Crypto-PAn, written back dashed; a UUID or a hyphenated name is none', () => {
  const a = new LineAnonymizer(KEY);
  const anon = (v: string): string => a.entity(`ip:${v}`).slice('ip:'.length);
  const out = written(a.line('rdns 2001-db8-85a3--8a2e-370-7334.ipv6.example.net and 2001-0db8-0000-0000-0000-0000-0000-0001.isp.example.com, via ip6-2a00-1450--200e.host.net'));
  for (const v of ['2001-db8-85a3--8a2e-370-7334', '2001-0db8-0000-0000-0000-0000-0000-0001', '2a00-1450--200e']) assert.ok(!out.includes(v), `${v} in ${out}`);
  // what was written reads back as Crypto-PAn's image of the address, so it joins the same address written with colons
  const first = /rdns ([0-9a-f-]+)\.ipv6\.example\.net/.exec(out)?.[1];
  assert.ok(first !== undefined, out);
  assert.equal(parseIp(first.replaceAll('-', ':'))?.text, anon('2001:db8:85a3::8a2e:370:7334'));
  assert.equal(written(a.line('x 2001:db8:85a3::8a2e:370:7334 y')), `x ${anon('2001:db8:85a3::8a2e:370:7334')} y`);
  const full = /and ([0-9a-f-]+)\.isp\.example\.com/.exec(out)?.[1] ?? '';
  assert.match(full, /^[0-9a-f]{4}(?:-[0-9a-f]{4}){7}$/, 'eight groups of four, as written');
  assert.equal(parseIp(full.replaceAll('-', ':'))?.text, anon('2001:db8::1'));
  assert.ok(out.includes('.host.net') && out.includes('ip6-'), 'the host name around it stays');
  // unique-local and link-local ones anywhere; a global one only in a host name
  const ula = written(a.line('lease fd00--5 and fe80--1 for ws'));
  assert.ok(!ula.includes('fd00--5') && !ula.includes('fe80--1'), ula);
  // UUIDs and ordinary hyphenated words stay, in a host name or not; so does a bare global one in prose
  for (const line of [
    'req 550e8400-e29b-41d4-a716-446655440000 done',
    'vm 2f1e8400-3a4b-41d4-a716-446655440000.cloud.example.com up',
    'host-550e8400-e29b-41d4-a716-446655440000.example.com',
    'dead-beef-cafe-babe.example.com and cafe--1.example.com',
    'bare 2001-db8--1 in prose',
    'build 2026-12-01-10 of x',
  ]) {
    assert.equal(written(a.line(line)), line);
  }
});

test('share: a dashed IPv6 address is written back compressed as it was, but never with a dash at an end of the name', () => {
  assert.equal(dashed6Out('2001:db8::1', '2001-db8--5'), '2001-db8--1');
  assert.equal(dashed6Out('::5', '2001-db8--5'), '0-0-0-0-0-0-0-5');
  assert.equal(dashed6Out('2001:db8::', 'fd00--5'), '2001-db8-0-0-0-0-0-0');
  assert.equal(dashed6Out('2001:db8::1', '2001-0db8-0000-0000-0000-0000-0000-0005'), '2001-0db8-0000-0000-0000-0000-0000-0001');
});

test('share: a user name after a tilde (/~alice/, http://h/~bob, %7E, ~dave/ in a command) is the pseudonym /home/NAME gets', () => {
  const a = new LineAnonymizer(KEY);
  const user = (name: string): string => /\/home\/(user-[0-9a-f]{10})\//.exec(written(a.line(`cd /home/${name}/x`)))![1]!;
  const cases: Array<[string, string]> = [
    ['GET /~alice/public_html/x HTTP/1.1', `/~${user('alice')}/public_html/x`],
    ['referer http://www.example.com/~bob', `http://www.example.com/~${user('bob')}`],
    ['GET /%7Ecarol/index.html', `/%7E${user('carol')}/index.html`],
    ['sudo cat ~dave/.ssh/id_rsa', ` ~${user('dave')}/.ssh/id_rsa`],
    ['echo x >~erin/notes', `>~${user('erin')}/notes`],
    ['GET /~Alice?x=1', `/~${user('alice')}?x=1`],
  ];
  for (const [line, want] of cases) {
    const out = written(a.line(line));
    assert.ok(out.includes(want), `${out} (of ${line}) lacks ${want}`);
    assert.ok(!/alice|bob|carol|dave|erin/i.test(out), out);
  }
  // a tilde that names nobody stays: the current user's home, about-a-number, one not before a slash, one inside a word
  for (const line of ['ls ~/x and ~+ and ~-', 'took ~5 minutes', 'a ~approx value', 'GET /~ HTTP/1.1', 'file a~b/c']) assert.equal(written(a.line(line)), line);
});
