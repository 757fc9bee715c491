/** PAN-OS lines: quoted cells unquoted with their offsets kept. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
