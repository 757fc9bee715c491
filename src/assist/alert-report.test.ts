/** Alert reports: labelled address and port values are the address or port, not the rest of the line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeReport } from './alert-report.js';
import { textAt } from './record.js';

test('Source IP: 198.51.100.23 (RU) is the address alone, its pointer on just that; a value with no address is skipped', () => {
  const rec = normalizeReport('Event Summary: WordPress Login Brute Force Attempt\nSource IP: 198.51.100.23 (RU)\nSource Port: 51234/tcp\nDestination IP: [10.0.0.80]:443\nDestination Port: 80 (http)\n');
  const v = (n: 'srcIp' | 'dstIp' | 'srcPort' | 'dstPort') => rec.fields[n]?.value;
  assert.deepEqual([v('srcIp'), v('srcPort'), v('dstIp'), v('dstPort')], ['198.51.100.23', '51234', '10.0.0.80', '80']);
  for (const n of ['srcIp', 'srcPort', 'dstIp', 'dstPort'] as const) assert.equal(textAt(rec, rec.fields[n]!.from), v(n));
  const v6 = normalizeReport('Source IP: 2001:db8::1, Germany\nDestination IP: ::ffff:10.0.0.5 inside\n');
  assert.equal(v6.fields.srcIp?.value, '2001:db8::1');
  assert.equal(v6.fields.dstIp?.value, '::ffff:10.0.0.5');
  const none = normalizeReport('Event Summary: x\nSource IP: unknown (RU)\nSource Port: any\nDestination IP: internal\nDestination Port: n/a\n');
  assert.deepEqual([none.fields.srcIp, none.fields.srcPort, none.fields.dstIp, none.fields.dstPort], [undefined, undefined, undefined, undefined]);
});

test('two Event Detail blocks: the first vendor line is the panos part, and every field read from it points inside it (fuzz seed 5700)', () => {
  const rec = normalizeReport('Event Detail:\nEvent Detail:\n,THREAT,');
  const panos = rec.parts.panos;
  assert.ok(panos !== undefined);
  for (const f of [...Object.values(rec.fields), ...Object.values(rec.extra)]) {
    if (f === undefined) continue;
    assert.ok(f.from.end <= rec.parts[f.from.part]!.length, JSON.stringify(f));
    assert.equal(textAt(rec, f.from).trim(), f.value.trim(), JSON.stringify(f));
  }
  assert.equal(rec.fields.vendorClassification?.value, 'THREAT');
});
