/** Ports of Zeek records (TSV in the default column order, and the JSON writer's `id.orig_p`/`id.resp_p`). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractEntities, extractRelations, parseLine } from '../index.js';

const ports = (text: string): string[] =>
  extractEntities(text)
    .filter((e) => e.kind === 'port')
    .map((e) => e.value);

const tsv = (...c: string[]): string => c.join('\t');

const CONN = ['1733113199.865716', 'CqKst53mF3det3eDV9', '10.47.1.100', '41772', '198.51.100.200', '443', 'tcp', 'ssl', '1.204', '512', '4096', 'SF', 'T', 'F', '0', 'ShADadFf', '10', '1024', '8', '4500', '-'];
const DNS = ['1521911720.873410', 'CDLhGCgEpRou8IFhg', '10.47.1.100', '50649', '10.47.1.1', '53', 'udp', '1234', '0.001', 'ise.wrccdc.org', '1', 'C_INTERNET', '1', 'A', '0', 'NOERROR', 'F', 'F', 'T', 'T', '0', '134.71.3.16', '60.000000', 'F'];
const SSL = ['1521911724.300000', 'CsSl1', '10.47.1.100', '49160', '151.101.1.69', '443', 'TLSv12', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'secp256r1', 'update.googleapis.com', 'F', '-', 'h2', 'T'];
const HTTP = ['1521911726.100000', 'ChT1', '10.47.1.103', '49170', '203.0.113.81', '8080', '1', 'GET', 'portal.example', '/login.php', '-', '1.1', 'Mozilla/5.0', '-', '0', '512', '200', 'OK'];

test('zeek TSV: conn, dns, ssl and http records carry both ports, as iptables SPT/DPT lines do', () => {
  assert.deepEqual(ports(tsv(...CONN)), ['41772', '443']);
  assert.deepEqual(ports(tsv(...DNS)), ['50649', '53']);
  assert.deepEqual(ports(tsv(...SSL)), ['49160', '443']);
  assert.deepEqual(ports(tsv(...HTTP)), ['49170', '8080']);
  // conn.log with the optional columns (l2 addresses, community_id)
  assert.deepEqual(ports(tsv(...CONN, '00:11:22:33:44:55', '66:77:88:99:aa:bb', '1:LQU9qZlK+B5F3KDmev6m5PMibrg=')), ['41772', '443']);
  // behind a syslog header: the message is the record
  const ev = parseLine({ line: '<134>Dec  2 04:19:59 sensor zeek: ' + tsv(...CONN), receivedAt: Date.UTC(2024, 11, 2), source: 'test' });
  assert.deepEqual(ev.entities.filter((e) => e.kind === 'port').map((e) => e.value), ['41772', '443']);
});

test('zeek TSV: an ICMP record names a type and a code in its port columns, no ports', () => {
  const icmp = [...CONN];
  icmp[3] = '3';
  icmp[5] = '3';
  icmp[6] = 'icmp';
  icmp[7] = '-';
  icmp[11] = 'OTH';
  assert.deepEqual(ports(tsv(...icmp)), []);
  // and the relation names no service for it either: the evidence of every edge is findable
  const rel = extractRelations(parseLine({ line: tsv(...icmp), receivedAt: Date.UTC(2024, 11, 2), source: 'test' }));
  assert.deepEqual(rel.map((r) => `${r.kind} ${r.from} ${r.to}`), ['flow ip:10.47.1.100 ip:198.51.100.200']);
});

test('zeek TSV: a line whose columns are no Zeek record the relation code knows gets no port from them', () => {
  // tabs and an epoch, but not a known layout
  assert.deepEqual(ports(tsv('1733113199.865716', 'C1', '10.0.0.1', '41772', '10.0.0.2', '443', 'something', 'else')), []);
  // the layout, but no addresses
  const noAddr = [...CONN];
  noAddr[2] = 'host-a';
  assert.deepEqual(ports(tsv(...noAddr)), []);
  // no leading epoch
  assert.deepEqual(ports(tsv('x', ...CONN.slice(1))), []);
  // a port column out of range
  const big = [...CONN];
  big[5] = '70000';
  assert.deepEqual(ports(tsv(...big)), ['41772']);
});

test("zeek JSON: id.orig_p and id.resp_p are ports (numbers, as the JSON writer writes them); ICMP's are not", () => {
  const conn = '{"ts":1733113201.5,"uid":"CxS2","id.orig_h":"10.47.1.102","id.orig_p":41000,"id.resp_h":"198.51.100.202","id.resp_p":443,"proto":"tcp","conn_state":"SF"}';
  assert.deepEqual(ports(conn), ['41000', '443']);
  assert.deepEqual(ports('zeek: ' + conn), ['41000', '443']);
  assert.deepEqual(ports(conn.replace('"tcp"', '"icmp"')), []);
  const dns = '{"ts":1521911723.5,"uid":"CxS1","id.orig_h":"10.47.1.102","id.orig_p":5353,"id.resp_h":"10.0.0.100","id.resp_p":53,"proto":"udp","query":"updates.example.com"}';
  assert.deepEqual(ports(dns), ['5353', '53']);
  const http = '{"ts":1704189600.5,"uid":"C1","id.orig_h":"10.0.2.57","id.orig_p":51234,"id.resp_h":"203.0.113.80","id.resp_p":8080,"method":"GET","host":"example.org","uri":"/x"}';
  assert.deepEqual(ports(http), ['51234', '8080']);
  // spaced, as a pretty-printer writes it; a string or a fraction is no port
  assert.deepEqual(ports('{"id.orig_p" : 1234, "id.resp_p": 22}'), ['1234', '22']);
  assert.deepEqual(ports('{"id.orig_p":"1234","id.resp_p":22.5}'), []);
});

test('zeek: the pivot\'s evidence search (ip:X port:P) finds the record whose service edge it counted', () => {
  const lines = [tsv(...CONN), '{"ts":1733113201.5,"uid":"CxS2","id.orig_h":"10.47.1.102","id.orig_p":41000,"id.resp_h":"198.51.100.202","id.resp_p":443,"proto":"tcp","conn_state":"SF"}'];
  for (const line of lines) {
    const ev = parseLine({ line, receivedAt: Date.UTC(2024, 11, 2), source: 'test' });
    const have = new Set(ev.entities.map((e) => `${e.kind}:${e.value}`));
    const service = extractRelations(ev).filter((r) => r.kind === 'service');
    assert.equal(service.length, 1, line);
    for (const end of [service[0]!.from, service[0]!.to]) assert.ok(have.has(end), `${end} in ${line}`);
  }
});
