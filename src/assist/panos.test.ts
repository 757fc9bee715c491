/** PAN-OS lines: quoted cells unquoted with their offsets kept. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeText } from './normalize.js';
import { applyPanos, cells } from './panos.js';
import { emptyRecord, textAt } from './record.js';

test('cells: a quoted cell with "" and a comma is one value; offsets are where each is written', () => {
  const line = 'a, "b,c" ,"x""y",,"unclosed,z';
  const cs = cells(line);
  assert.deepEqual(
    cs.map((c) => c.text),
    ['a', 'b,c', 'x"y', '', '"unclosed', 'z'],
  );
  for (const c of cs.filter((x) => x.exact)) assert.equal(line.slice(c.start, c.end), c.text);
  assert.equal(cs[2]?.exact, false);
  assert.equal(line.slice(cs[1]!.start, cs[1]!.end), 'b,c');
});

test('a PAN-OS URL column holding "" and a comma is read whole, its field in a part of its own; the other columns keep their places', () => {
  const cols = ['1', '2026/11/20 03:14:07', '012801000001', 'THREAT', 'url', '2561', '2026/11/20 03:14:07', '203.0.113.45', '10.1.2.15', '0.0.0.0', '0.0.0.0', 'rule1', '', '', 'web-browsing', 'vsys1', 'untrust', 'trust', 'ethernet1/1', 'ethernet1/2', 'fwd', '2026/11/20 03:14:07', '12345', '1', '51234', '80', '0', '0', '0x0', 'tcp', 'alert', '"example.com/a?q=""x"",y"', '"Suspicious, URL(9999)"', 'any', 'high', 'client-to-server'];
  const line = 'Nov 20 03:14:07 fw01 ' + cols.join(',');
  const rec = emptyRecord('alert', { panos: line });
  applyPanos(rec, 'panos', line);
  assert.equal(rec.fields.url?.value, 'example.com/a?q="x",y');
  assert.equal(rec.fields.url?.from.part, 'panos.cell[31]');
  assert.equal(rec.fields.threatName?.value, 'Suspicious, URL(9999)');
  assert.equal(rec.fields.threatName?.from.part, 'panos', 'a quoted cell without "" points into the line');
  assert.equal(rec.extra['Threat ID']?.value, '9999');
  assert.equal(rec.fields.severity?.value, 'high');
  assert.equal(rec.fields.direction?.value, 'client-to-server');
  for (const f of [...Object.values(rec.fields), ...Object.values(rec.extra), ...rec.times]) if (f !== undefined) assert.equal(textAt(rec, f.from), f.value);
});

test('a PAN-OS threat with no name, only its id "(9999)", titles the incident with neither the bare id nor a threat attribute', async () => {
  const { incidentOf } = await import('./incident.js');
  const cols = ['1', '2026/11/20 03:14:07', '012801000001', 'THREAT', 'url', '2561', '2026/11/20 03:14:07', '203.0.113.45', '10.1.2.15', '0.0.0.0', '0.0.0.0', 'rule1', '', '', 'web-browsing', 'vsys1', 'untrust', 'trust', 'ethernet1/1', 'ethernet1/2', 'fwd', '2026/11/20 03:14:07', '12345', '1', '51234', '80', '0', '0', '0x0', 'tcp', 'alert', 'example.com/a', '(9999)', 'any', 'high', 'client-to-server'];
  const line = 'Nov 20 03:14:07 fw01 ' + cols.join(',');
  const rec = emptyRecord('alert', { panos: line });
  applyPanos(rec, 'panos', line);
  assert.equal(rec.fields.threatName?.value, '(9999)', 'the field keeps what the line says');
  const x = incidentOf('inc-1', rec);
  assert.notEqual(x.title, '(9999)');
  assert.equal(x.attrs.threat, undefined);
  const named = emptyRecord('alert', { panos: line.replace(',(9999),', ',Suspicious URL(9999),') });
  applyPanos(named, 'panos', line.replace(',(9999),', ',Suspicious URL(9999),'));
  const y = incidentOf('inc-2', named);
  assert.equal(y.title, 'Suspicious URL(9999)');
  assert.deepEqual(y.attrs.threat, ['suspicious url']);
});

test('a PAN-OS THREAT or TRAFFIC line in a free-text query is read for its columns, as in a pasted alert report', () => {
  const threat = ['1', '2026/11/20 03:14:07', '012801000001', 'THREAT', 'vulnerability', '2561', '2026/11/20 03:14:07', '203.0.113.45', '10.1.2.15', '0.0.0.0', '0.0.0.0', 'rule1', '', '', 'web-browsing', 'vsys1', 'untrust', 'trust', 'ethernet1/1', 'ethernet1/2', 'fwd', '2026/11/20 03:14:07', '12345', '1', '51234', '80', '0', '0', '0x0', 'tcp', 'reset-both', '', 'Apache Log4j Remote Code Execution Vulnerability(91991)', 'any', 'critical', 'client-to-server'].join(',');
  const traffic = ['1', '2026/11/20 03:20:00', '012801000001', 'TRAFFIC', 'drop', '2561', '2026/11/20 03:20:00', '10.1.2.15', '198.51.100.9', '0.0.0.0', '0.0.0.0', 'deny-out', '', '', 'ssl', 'vsys1', 'trust', 'untrust', 'ethernet1/2', 'ethernet1/1', 'fwd', '2026/11/20 03:20:00', '23456', '1', '49152', '443', '0', '0', '0x0', 'tcp', 'deny'].join(',');
  const fields = (text: string) => {
    const rec = normalizeText(text);
    const f = rec.fields;
    for (const x of [f.srcIp, f.dstIp, f.srcPort, f.dstPort, f.deviceAction, f.threatName]) if (x !== undefined) assert.equal(textAt(rec, x.from), x.value);
    return [f.srcIp?.value, f.dstIp?.value, f.srcPort?.value, f.dstPort?.value, f.deviceAction?.value, f.threatName?.value, f.summary?.value];
  };
  assert.deepEqual(fields(threat), ['203.0.113.45', '10.1.2.15', '51234', '80', 'reset-both', 'Apache Log4j Remote Code Execution Vulnerability(91991)', undefined]);
  // behind a syslog header, and under a line of the operator's own that is the summary (the CSV line never is)
  assert.deepEqual(fields(`what is this?\n<14>Nov 20 03:20:01 fw01 ${traffic}`), ['10.1.2.15', '198.51.100.9', '49152', '443', 'deny', undefined, 'what is this?']);
  const rec = normalizeText(`seen twice\n${threat}`);
  assert.deepEqual(rec.vendorLines, [{ part: 'body', start: 11, end: 11 + threat.length }, { part: 'panos', start: 0, end: threat.length }]);
});

test('a CSV row that names THREAT but not in PAN-OS column order is read by what its cells hold: no URL as the source, no address as a time', () => {
  // a SIEM export or a hand-made row: receive time, type, subtype, source, destination, URL, category, severity, action
  const line = '2026-12-06 06:12:03,THREAT,url,10.0.2.133,185.220.101.4,mstdn-cache-node.biz/gate.php?id=9c4c388e,command-and-control,critical,block';
  const rec = normalizeText(line);
  assert.equal(rec.fields.srcIp?.value, '10.0.2.133');
  assert.equal(rec.fields.dstIp?.value, '185.220.101.4');
  assert.deepEqual(
    rec.times.map((t) => t.value),
    ['2026-12-06 06:12:03'],
  );
  for (const f of [rec.fields.srcIp!, rec.fields.dstIp!, ...rec.times]) assert.equal(textAt(rec, f.from), f.value);
  const odd = emptyRecord('alert', { panos: 'x,y,THREAT,url,a,b,c,d' });
  applyPanos(odd, 'panos', 'x,y,THREAT,url,a,b,c,d');
  assert.deepEqual(odd.times, [], 'a receive-time column that holds no date is no time');
});
