import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EntityKind } from '../core/index.js';
import { extractEntities } from './index.js';

/** The values of one kind found in text, in order. */
function found(text: string, kind: EntityKind): string[] {
  return extractEntities(text)
    .filter((e) => e.kind === kind)
    .map((e) => e.value);
}

test('ipv4: word-bounded dotted quads only', () => {
  assert.deepEqual(found('from 10.0.0.1 port 22', 'ip'), ['10.0.0.1']);
  assert.deepEqual(found('(10.0.0.1) [10.0.0.2] "10.0.0.3", ends 10.0.0.4.', 'ip'), ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']);
  assert.deepEqual(found('version 1.2.3.4.5 and 6.1.7601.23505', 'ip'), []);
  assert.deepEqual(found('010.0.0.1 256.1.1.1 1.2.3 v1.2.3.4', 'ip'), []);
  assert.deepEqual(found('SRC=195.54.160.107 rhost=218.188.2.4', 'ip'), ['195.54.160.107', '218.188.2.4']);
  assert.deepEqual(found('range 10.0.0.1-10.0.0.9', 'ip'), ['10.0.0.1', '10.0.0.9']);
  assert.deepEqual(found('IPV4/TCP/192.168.100.62/5060', 'ip'), ['192.168.100.62']);
});

test('ip:port yields both; a bad port only the address', () => {
  const e = extractEntities('connect 186.26.78.68:44355->81.82.202.145:53, len 65');
  assert.deepEqual(e, [
    { kind: 'ip', value: '186.26.78.68' },
    { kind: 'port', value: '44355' },
    { kind: 'ip', value: '81.82.202.145' },
    { kind: 'port', value: '53' },
  ]);
  assert.deepEqual(extractEntities('10.0.0.1:99999'), [{ kind: 'ip', value: '10.0.0.1' }]);
  assert.deepEqual(extractEntities('[/10.10.34.11:3888:QuorumCnxManager$Listener@493]'), [
    { kind: 'ip', value: '10.10.34.11' },
    { kind: 'port', value: '3888' },
  ]);
  assert.deepEqual(found('client 104.219.136.31#3076 (x)', 'port'), ['3076']);
});

test('ipv6: canonical form, brackets and ports, never times or MACs', () => {
  assert.deepEqual(found('from 2001:0DB8:0000:0000:0000:0000:0000:0001 x', 'ip'), ['2001:db8::1']);
  assert.deepEqual(extractEntities('[2001:db8:1234::1]:40384'), [
    { kind: 'ip', value: '2001:db8:1234::1' },
    { kind: 'port', value: '40384' },
  ]);
  assert.deepEqual(found('fe80::1%eth0 and ::1', 'ip'), ['fe80::1', '::1']);
  assert.deepEqual(found('at 12:34:56 and 12:34:56.789 and 2016/9/27:20:30:31.455', 'ip'), []);
  assert.deepEqual(found('sep :: alone, std::vector, Foo::bar', 'ip'), []);
  assert.deepEqual(found('mac aa:bb:cc:dd:ee:ff', 'ip'), []);
  assert.deepEqual(found('mac 00:08:a2:0c:1f:12', 'ip'), []);
});

test('ipv4-mapped ipv6 also yields the ipv4 address', () => {
  assert.deepEqual(found('Client "::ffff:93.24.101.89"', 'ip'), ['::ffff:93.24.101.89', '93.24.101.89']);
});

test('ports: keyed forms, 0..65535 only', () => {
  assert.deepEqual(found('from 1.2.3.4 port 53502 ssh2', 'port'), ['53502']);
  assert.deepEqual(found('port=22 SPT=8080 DPT=8123 sport=1 dport=2', 'port'), ['22', '8080', '8123', '1', '2']);
  assert.deepEqual(found('src_port: 53 dst_port=5353 "ClientPort":"39490" spt=54587', 'port'), ['53', '5353', '39490', '54587']);
  assert.deepEqual(found('port 70000, report 5, transport 6, port 22.5, port = 11', 'port'), []);
});

test('users: sshd and pam phrases', () => {
  assert.deepEqual(found('Invalid user bob from 10.0.0.1 port 22', 'user'), ['bob']);
  assert.deepEqual(found('Failed password for invalid user alice from 10.0.0.1 port 22 ssh2', 'user'), ['alice']);
  assert.deepEqual(found('Failed password for root from 10.0.0.1 port 22 ssh2', 'user'), ['root']);
  assert.deepEqual(found('Accepted publickey for carol from 10.0.0.1 port 22 ssh2: RSA SHA256:x', 'user'), ['carol']);
  assert.deepEqual(found('pam_unix(cron:session): session opened for user root by (uid=0)', 'user'), ['root']);
  assert.deepEqual(found('Disconnected from authenticating user admin 1.2.3.4 port 5 [preauth]', 'user'), ['admin']);
  assert.deepEqual(found('input_userauth_request: invalid user webmaster [preauth]', 'user'), ['webmaster']);
});

test('users: keys, quotes, Windows, sudo', () => {
  assert.deepEqual(found('logname= uid=0 euid=0 tty=ssh ruser= rhost=5.33.63.160 user=workshop', 'user'), ['workshop']);
  assert.deepEqual(found('USER=root ; COMMAND=/bin/ls', 'user'), ['root']);
  assert.deepEqual(found('sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls', 'user'), ['root', 'alice']);
  assert.deepEqual(found("Auth-Failure ip 1.2.3.4 username 'test'", 'user'), ['test']);
  assert.deepEqual(found('UsernamePasswordCredential(username=john.doe1, source=null)', 'user'), ['john.doe1']);
  assert.deepEqual(found('Authentication failed for user [root]', 'user'), ['root']);
  assert.deepEqual(found('Account Name:\t\tAlice\n', 'user'), ['alice']);
  assert.deepEqual(found('<Data Name="TargetUserName">asdfasdf</Data>', 'user'), ['asdfasdf']);
  assert.deepEqual(found('user "foo" was not found in "/etc/nginx/.htpasswd"', 'user'), ['foo']);
  assert.deepEqual(found("Can't find user [2501@1.2.3.4] from 1.2.3.4", 'user'), ['2501@1.2.3.4']);
});

test('users: prose and numeric ids are not names', () => {
  assert.deepEqual(found('check pass; user unknown', 'user'), []);
  assert.deepEqual(found('uid=0 euid=0 auid=1000 user=1000', 'user'), []);
  assert.deepEqual(found('error getting details for user with username input', 'user'), []);
  assert.deepEqual(found('/control/login: invalid username or password', 'user'), []);
  assert.deepEqual(found('"User":null,"user-agent":"curl","user":"--"', 'user'), []);
  assert.deepEqual(found('USER asd: no such user found from 1.1.1.1', 'user'), []);
});

test('domains: real TLDs, not files or code', () => {
  assert.deepEqual(found('reverse mapping checking getaddrinfo for ns.marryaldkfaczcz.com [1.2.3.4]', 'domain'), ['ns.marryaldkfaczcz.com']);
  assert.deepEqual(found('proxy.cse.cuhk.edu.hk:5070 open', 'domain'), ['proxy.cse.cuhk.edu.hk']);
  assert.deepEqual(found('EXAMPLE.COM and bit.ly and example.com.', 'domain'), ['example.com', 'bit.ly']);
  assert.deepEqual(found('host exchange-1.mydomain.test in ip.compute.internal', 'domain'), ['exchange-1.mydomain.test', 'ip.compute.internal']);
  assert.deepEqual(found('EXCHANGE-1.MYDOMAIN.TEST Mail.Example.COM', 'domain'), ['exchange-1.mydomain.test', 'mail.example.com']);
  const notDomains =
    'foo.log script.sh setup.py README.md pam_unix.so libc.so.6 org.apache.hadoop.Foo java.lang.String ' +
    'com.apple.mail org.apache.hadoop.app user.name workers2.properties System.Net log.info("x") 0.2477829 1.5 ' +
    'dfs.DataNode$PacketResponder chrome.exe wcp.dll Auth.js:888 a..com main.tf request.id müller.de local.INFO: Weather.app';
  assert.deepEqual(found(notDomains, 'domain'), []);
});

test('macs: three notations, lowercase colon form', () => {
  assert.deepEqual(found('src-mac 00:17:10:88:BC:02, AA-BB-CC-DD-EE-FF, Host 0011.2233.4455 in vlan', 'mac'), [
    '00:17:10:88:bc:02',
    'aa:bb:cc:dd:ee:ff',
    '00:11:22:33:44:55',
  ]);
  assert.deepEqual(found('MAC=00:08:a2:0c:1f:12:00:c8:8b:e2:d6:87:08:00 SRC=', 'mac'), ['00:08:a2:0c:1f:12', '00:c8:8b:e2:d6:87']);
  assert.deepEqual(found('MAC=00:00:00:00:00:00:00:00:00:00:00:00:08:00 aa:bb:cc:dd:ee dcbf.........0', 'mac'), []);
});

test('urls: as written, without trailing punctuation; their host is a domain', () => {
  assert.deepEqual(found('see http://example.com/a?b=c. then', 'url'), ['http://example.com/a?b=c']);
  assert.deepEqual(found('(https://en.wikipedia.org/wiki/Foo_(bar))', 'url'), ['https://en.wikipedia.org/wiki/Foo_(bar)']);
  assert.deepEqual(found('get ftp://files.example.org/pub, ok', 'url'), ['ftp://files.example.org/pub']);
  assert.deepEqual(found('${jndi:ldap://45.155.205.233:12344/Basic} and https://www.google.com/x', 'domain'), ['www.google.com']);
  assert.deepEqual(found('?search=%24%7Burl%3AUTF-8%3Ahttps%3A%2F%2Fwww.google.com%2F%7D', 'domain'), ['www.google.com']);
});

test('emails: lowercase, with their domain; not user@host without a TLD', () => {
  assert.deepEqual(extractEntities('from <Alice.B+tag@Example.COM>'), [
    { kind: 'email', value: 'alice.b+tag@example.com' },
    { kind: 'domain', value: 'example.com' },
  ]);
  assert.deepEqual(extractEntities('nonode@nohost root@pam'), []);
  assert.deepEqual(found('pure-ftpd: (?@172.21.10.2) [WARNING]', 'ip'), ['172.21.10.2']);
});

test('entities are deduplicated', () => {
  assert.deepEqual(extractEntities('10.0.0.1 10.0.0.1 port 22 port=22'), [
    { kind: 'ip', value: '10.0.0.1' },
    { kind: 'port', value: '22' },
  ]);
});

test('pan-os and filterlog csv columns yield ports', () => {
  const pan = '1,2023/07/06 08:11:40,016401002737,THREAT,vulnerability,2561,2023/07/06 08:11:40,1.2.3.2,1.2.3.3,0.0.0.0,0.0.0.0,Rule,corp\\bob,,ssh,vsys1,Untrust,DMZ,e1,e2,fwd,2023/07/06 08:11:40,238810,1,47094,22,0,0,0x0,tcp,alert';
  assert.deepEqual(found(pan, 'port'), ['47094', '22']);
  assert.deepEqual(found(pan, 'user'), ['corp\\bob']);
  const pf = '53,,,1000000301,em0,match,block,in,4,0x0,,64,420,0,none,6,tcp,460,10.0.2.2,10.0.2.15,53742,22,420,PA';
  assert.deepEqual(extractEntities(pf), [
    { kind: 'ip', value: '10.0.2.2' },
    { kind: 'ip', value: '10.0.2.15' },
    { kind: 'port', value: '53742' },
    { kind: 'port', value: '22' },
  ]);
});

test('a pan-os url-filtering log yields its url as pan-os writes it (no scheme), commas and all; other threat logs do not', () => {
  const head = '<14>Jan  2 10:00:06 fw-pa-01 1,2024/01/02 10:00:06,016401002737,THREAT,';
  const mid = ',2561,2024/01/02 10:00:06,10.0.2.57,203.0.113.80,198.51.100.1,203.0.113.80,allow-outbound,corp\\alice,,web-browsing,vsys1,trust,untrust,ethernet1/2,ethernet1/1,log-fwd,2024/01/02 10:00:06,242802,1,51234,80,41234,80,0x400000,tcp,alert,';
  const tail = ',(9999),command-and-control,informational,client-to-server,161,0x8000000000000000,10.0.0.0-10.255.255.255,United States,,text/html';
  assert.deepEqual(found(head + 'url' + mid + '"cdn-sync-telemetry.top/gate.php?id=4f2a,9c"' + tail, 'url'), ['cdn-sync-telemetry.top/gate.php?id=4f2a,9c']);
  assert.deepEqual(found(head + 'url' + mid + '"www.example.com/"', 'url'), ['www.example.com/']);
  assert.deepEqual(found(head + 'vulnerability' + mid + '"/index.php?x=1,2"' + tail, 'url'), []);
  // an empty, unquoted or cut-off column gives none
  assert.deepEqual(found(head + 'url' + mid + '""' + tail, 'url'), []);
  assert.deepEqual(found(head + 'url' + mid + 'example.com/x' + tail, 'url'), []);
  assert.deepEqual(found(head + 'url' + mid + '"example.com/x', 'url'), []);
  // the ports and the user are read as before
  assert.deepEqual(found(head + 'url' + mid + '"example.com/x"' + tail, 'port'), ['51234', '80', '41234']);
  assert.deepEqual(found(head + 'url' + mid + '"example.com/x"' + tail, 'user'), ['corp\\alice']);
});

test('http records that keep host and path apart give one scheme-less url: Suricata EVE, Zeek JSON and Zeek TSV http.log', () => {
  const eve = 'suricata[1]: {"timestamp":"2024-01-02T10:00:00.000000+0000","flow_id":1,"event_type":"http","src_ip":"10.0.2.57","src_port":51234,"dest_ip":"203.0.113.80","dest_port":80,"proto":"TCP","http":{"hostname":"cdn-sync-telemetry.top","url":"/gate.php?id=4f2a&x=1","http_method":"GET","protocol":"HTTP/1.1","status":200}}';
  assert.deepEqual(found(eve, 'url'), ['cdn-sync-telemetry.top/gate.php?id=4f2a&x=1']);
  // a value with JSON escapes is not taken: the evidence search looks for the URL's text in the raw line
  assert.deepEqual(found(eve.replace('/gate.php', '\\/gate.php'), 'url'), []);
  const zeekJson = '{"ts":1704189600.5,"uid":"C1","id.orig_h":"10.0.2.57","id.orig_p":51234,"id.resp_h":"203.0.113.80","id.resp_p":8080,"trans_depth":1,"method":"GET","host":"example.org:8080","uri":"/a b","version":"1.1"}';
  assert.deepEqual(found(zeekJson, 'url'), [], 'a path with a space makes no url');
  assert.deepEqual(found(zeekJson.replace('/a b', '/login.php'), 'url'), ['example.org:8080/login.php']);
  const tsv = ['1704189600.5', 'C1', '10.0.2.57', '51234', '203.0.113.80', '80', '1', 'POST', 'update-chk-svc.xyz', '/api/v2/beacon?uid=1', '-', '1.1', 'Mozilla/5.0', '-', '0', '12', '200', 'OK'].join('\t');
  assert.deepEqual(found(tsv, 'url'), ['update-chk-svc.xyz/api/v2/beacon?uid=1']);
  // unset host, an absolute URL in the path (left to the scheme scan), a dns.log TSV line: none of their own
  assert.deepEqual(found(tsv.replace('update-chk-svc.xyz', '-'), 'url'), []);
  assert.deepEqual(found(eve.replace('/gate.php?id=4f2a&x=1', 'http://other.example/x'), 'url'), ['http://other.example/x']);
  assert.deepEqual(found('1704189600.5\tC2\t10.0.2.57\t5353\t10.0.0.53\t53\tudp\t1\t-\texample.com\t1\tC_INTERNET\t1\tA\t0\tNOERROR', 'url'), []);
  // a JSON log that merely names a host has no url
  assert.deepEqual(found('{"host":"web-01","msg":"started"}', 'url'), []);
});

test('ipv6: eight groups of exactly two hex digits are a WWN or an EUI-64, not an address', () => {
  assert.deepEqual(found('FC port WWN 20:00:00:25:b5:00:00:0f logged in', 'ip'), []);
  assert.deepEqual(found('EUI-64 00:1a:2b:ff:fe:3c:4d:5e', 'ip'), []);
  // full IPv6 with other group widths still is
  assert.deepEqual(found('from 2001:db8:0:0:0:0:0:1 and fe80:0:0:0:0:0:0:1a', 'ip'), ['2001:db8::1', 'fe80::1a']);
  assert.deepEqual(found('from 20:00:00:25:b5:00:00:0f0', 'ip'), ['20::25:b5:0:0:f0']);
});

test('port: a keyed port at the end of a sentence keeps its number; a decimal is still no port', () => {
  assert.deepEqual(found('Server listening on 0.0.0.0 port 22.', 'port'), ['22']);
  assert.deepEqual(found('ratio port 22.5', 'port'), []);
  assert.deepEqual(found('port=8080. next', 'port'), ['8080']);
});
