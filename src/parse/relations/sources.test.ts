/** Relation edges of single lines from sources whose layout has variants the golden fixtures lack. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractRelations, parseLine } from '../index.js';
import { dnsmasqDhcp, kea } from './dhcp.js';
import type { Relation } from './types.js';

const edges = (line: string) =>
  extractRelations(parseLine({ line, receivedAt: Date.UTC(2024, 0, 2), source: 'test' })).map((r) => `${r.kind} ${r.from} ${r.to}`);

test('zeek: a conn.log line with the optional columns (23+) and an upper-case history is a flow, not dns.log', () => {
  const conn = ['1521911720.865716', 'CqKst53mF3det3eDV9', '10.47.1.100', '41772', '10.0.0.5', '22', 'tcp', '-', '-', '-', '-', 'S0', 'T', 'T', '0', 'S', '1', '60', '0', '0', '-'];
  const want = ['flow ip:10.47.1.100 ip:10.0.0.5', 'service ip:10.0.0.5 port:22'];
  assert.deepEqual(edges(conn.join('\t')), want);
  // orig_l2_addr, resp_l2_addr (Zeek's mac-logging), community_id, ip_proto
  assert.deepEqual(edges([...conn, '00:11:22:33:44:55', '66:77:88:99:aa:bb'].join('\t')), want);
  assert.deepEqual(edges([...conn, '00:11:22:33:44:55', '66:77:88:99:aa:bb', '1:LQU9qZlK+B5F3KDmev6m5PMibrg=', '6'].join('\t')), want);
  assert.deepEqual(edges([...conn.slice(0, 15), '-', ...conn.slice(16), '-', '-', '-'].join('\t')), want);
});

test('zeek: a dns.log line is still a query', () => {
  const dns = ['1521911720.873410', 'CDLhGCgEpRou8IFhg', '10.47.1.100', '50649', '10.47.1.1', '53', 'udp', '1234', '0.001', 'ise.wrccdc.org', '1', 'C_INTERNET', '1', 'A', '0', 'NOERROR', 'F', 'F', 'T', 'T', '0', '134.71.3.16', '60.000000', 'F'];
  assert.deepEqual(edges(dns.join('\t')), ['query ip:10.47.1.100 domain:ise.wrccdc.org', 'resolve domain:ise.wrccdc.org ip:134.71.3.16']);
});

test('kea: a lease to a client that sent a client id', () => {
  const line = (cid: string) =>
    `<30>Jan  2 10:00:00 dhcp kea-dhcp4[1]: INFO  [kea-dhcp4.leases/1.1] DHCP4_LEASE_ALLOC [hwtype=1 08:00:27:25:d3:f4], cid=[${cid}], tid=0xc5cd3b4b: lease 192.168.50.100 has been allocated for 4000 seconds`;
  const want = ['lease ip:192.168.50.100 mac:08:00:27:25:d3:f4'];
  assert.deepEqual(edges(line('01:08:00:27:25:d3:f4')), want);
  assert.deepEqual(edges(line('no info')), want);
});

test('dnsmasq-dhcp: a hardware address longer than a MAC (InfiniBand) is no MAC', () => {
  assert.deepEqual(edges('<30>Jan  2 10:00:00 gw dnsmasq-dhcp[1]: DHCPACK(ib0) 10.0.0.7 80:00:00:48:fe:80:00:00:00:00:00:00:f4:52:14:03:00:1a:2b:3c node7'), []);
  assert.deepEqual(edges('<30>Jan  2 10:00:00 gw dnsmasq-dhcp[1]: DHCPACK(eth0) 10.0.0.8 00:11:22:33:44:55 laptop'), [
    'lease ip:10.0.0.8 mac:00:11:22:33:44:55',
    'hostname mac:00:11:22:33:44:55 host:laptop',
  ]);
  assert.deepEqual(edges('<30>Jan  2 10:00:00 gw dnsmasq-dhcp[1]: DHCPACK(eth0) 10.0.0.9 00:11:22:33:44:66'), ['lease ip:10.0.0.9 mac:00:11:22:33:44:66']);
});

test('netfilter: an ICMP error\'s quoted packet is not this packet (no service edge from its DPT)', () => {
  const icmp =
    '<4>Jan  2 10:00:00 fw kernel: [1234.5] DROP IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC=198.51.100.1 DST=10.0.0.2 LEN=56 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=ICMP TYPE=3 CODE=3 [SRC=10.0.0.2 DST=8.8.8.8 LEN=28 TOS=0x00 PREC=0x00 TTL=63 ID=2 PROTO=UDP SPT=5353 DPT=53 LEN=8 ]';
  assert.deepEqual(edges(icmp), ['blocked ip:198.51.100.1 ip:10.0.0.2']);
  assert.deepEqual(edges('<4>Jan  2 10:00:00 fw kernel: [1.0] [UFW BLOCK] IN=eth0 OUT= SRC=198.51.100.1 DST=10.0.0.2 LEN=60 PROTO=TCP SPT=4444 DPT=22 WINDOW=1 SYN URGP=0'), [
    'blocked ip:198.51.100.1 ip:10.0.0.2',
    'service ip:10.0.0.2 port:22',
  ]);
});

test('eve: Suricata 8 DNS records (version 3: request and response with a queries array)', () => {
  // from Suricata's 8.0 upgrade notes (doc/userguide/upgrade/8.0-dns-logging-changes.rst); v3 responses come from the responder
  const request =
    '{"timestamp":"2025-01-02T10:00:00.000000+0000","flow_id":1,"event_type":"dns","src_ip":"10.0.0.5","src_port":53001,"dest_ip":"10.0.0.53","dest_port":53,"proto":"UDP","dns":{"version":3,"type":"request","tx_id":0,"id":0,"flags":"100","rd":true,"opcode":0,"rcode":"NOERROR","queries":[{"rrname":"www.suricata.io","rrtype":"A"}]}}';
  assert.deepEqual(edges(request), ['query ip:10.0.0.5 domain:www.suricata.io']);
  const response =
    '{"timestamp":"2025-01-02T10:00:00.010000+0000","flow_id":1,"event_type":"dns","src_ip":"10.0.0.53","src_port":53,"dest_ip":"10.0.0.5","dest_port":53001,"proto":"UDP","dns":{"version":3,"type":"response","tx_id":1,"id":0,"flags":"8180","qr":true,"rd":true,"ra":true,"opcode":0,"rcode":"NOERROR","queries":[{"rrname":"www.suricata.io","rrtype":"A"}],"answers":[{"rrname":"www.suricata.io","rrtype":"CNAME","ttl":3597,"rdata":"suricata.io"},{"rrname":"suricata.io","rrtype":"A","ttl":597,"rdata":"35.212.0.44"}]}}';
  assert.deepEqual(edges(response), ['resolve domain:suricata.io ip:35.212.0.44']);
  const grouped =
    '{"timestamp":"2025-01-02T10:00:00.010000+0000","event_type":"dns","src_ip":"10.0.0.53","src_port":53,"dest_ip":"10.0.0.5","dest_port":53001,"proto":"UDP","dns":{"version":3,"type":"response","id":0,"rcode":"NOERROR","queries":[{"rrname":"www.suricata.io","rrtype":"A"}],"grouped":{"A":["35.212.0.44"]}}}';
  assert.deepEqual(edges(grouped), ['resolve domain:www.suricata.io ip:35.212.0.44']);
});

test('pan-os: a THREAT url log whose URL holds `,TRAFFIC,` is still a THREAT log (the first type marker is the column)', () => {
  const cols = (type: string, url: string) =>
    ['1', '2024/01/02 10:00:07', '0164', type, 'url', '2561', '2024/01/02 10:00:07', '10.0.2.57', '203.0.113.80', '', '', 'rule1', 'corp\\alice', '', 'web-browsing', 'vsys1', 'trust', 'untrust', 'eth1', 'eth2', 'fwd', '2024/01/02 10:00:07', '1234', '1', '51000', '443', '0', '0', '0x0', 'tcp', 'block-url', `"${url}"`, '(9999)', 'any'].join(',');
  const want = ['user ip:10.0.2.57 user:corp\\alice', 'alias user:alice user:corp\\alice', 'blocked ip:10.0.2.57 ip:203.0.113.80', 'service ip:203.0.113.80 port:443', 'request ip:10.0.2.57 domain:evil.example.com', 'resolve domain:evil.example.com ip:203.0.113.80'];
  for (const url of ['evil.example.com/login.php', 'evil.example.com/a,TRAFFIC,b', 'evil.example.com/a,THREAT,b']) {
    const line = `<14>Jan  2 10:00:07 fw01 ${cols('THREAT', url)}`;
    assert.deepEqual(edges(line), want, url);
    const ents = parseLine({ line, receivedAt: Date.UTC(2024, 0, 2), source: 't' }).entities;
    assert.ok(ents.some((e) => e.kind === 'url' && e.value === url), url);
  }
  // a TRAFFIC log with `,THREAT,` in a later column (an application name) stays a flow, not an alert
  const traffic = cols('TRAFFIC', 'x').replace('web-browsing', 'a,THREAT,b');
  assert.deepEqual(edges(`<14>Jan  2 10:00:07 fw01 ${traffic}`).map((e) => e.split(' ')[0]), ['user', 'alias', 'blocked', 'service']);
});

/** Milliseconds `f` takes on `text`, and the edges it finds. */
function timed(f: (text: string, out: Relation[]) => void, text: string): { ms: number; edges: string[] } {
  const out: Relation[] = [];
  const t0 = performance.now();
  f(text, out);
  return { ms: performance.now() - t0, edges: out.map((r) => `${r.kind} ${r.from} ${r.to}`) };
}

// 256 KiB of a prefix that never goes on as the regex wants took 40 s (dnsmasq) and 8 s (Kea) when the
// regex's runs were unbounded; bounded, milliseconds. The bound is generous against a slow machine.
const HOSTILE = 1 << 18;

test('dnsmasq-dhcp: 256 KiB of `DHCPACK(` with no `)` is read in linear time', () => {
  const { ms, edges } = timed(dnsmasqDhcp, '10.0.0.1 ' + 'DHCPACK('.repeat(HOSTILE / 8));
  assert.deepEqual(edges, []);
  assert.ok(ms < 1500, `${ms.toFixed(0)} ms`);
});

test('kea: 256 KiB of `[hwtype=1 MAC]` with no `: lease` is read in linear time', () => {
  const unit = 'DHCP4_LEASE_ALLOC [hwtype=1 aaaaaaaaaaaaaaaaa] ';
  const { ms, edges } = timed(kea, '10.0.0.1 ' + unit.repeat(HOSTILE / unit.length));
  assert.deepEqual(edges, []);
  assert.ok(ms < 1500, `${ms.toFixed(0)} ms`);
  const cid = timed(kea, '10.0.0.1 ' + 'DHCP4_LEASE_ALLOC [hwtype=1 08:00:27:25:d3:f4], cid=[01'.repeat(HOSTILE / 54));
  assert.deepEqual(cid.edges, []);
  assert.ok(cid.ms < 1500, `${cid.ms.toFixed(0)} ms`);
});

test("squid: a name fetched from the origin server was served at its address (resolve); one fetched through a parent proxy says nothing of the server's", () => {
  const line = (hier: string) => `1704189601.123    245 10.0.2.57 TCP_MISS/200 1234 GET http://cdn-sync.example.top/gate.php alice ${hier} text/html`;
  assert.ok(edges(line('HIER_DIRECT/203.0.113.80')).includes('resolve domain:cdn-sync.example.top ip:203.0.113.80'));
  assert.ok(!edges(line('FIRST_PARENT_MISS/10.0.0.3')).some((e) => e.startsWith('resolve')));
  assert.ok(!edges(line('HIER_NONE/-')).some((e) => e.startsWith('resolve')));
});
