/** A pasted Suricata EVE event: read for its columns, not as text whose summary is the raw JSON. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalize } from './normalize.js';
import { textAt } from './record.js';

const ALERT = {
  timestamp: '2026-12-06T06:12:03.000+0000',
  flow_id: 1234567890,
  event_type: 'alert',
  src_ip: '10.0.2.133',
  src_port: 49152,
  dest_ip: '185.220.101.4',
  dest_port: 80,
  proto: 'TCP',
  app_proto: 'http',
  alert: { action: 'allowed', signature_id: 2024897, signature: 'ET MALWARE Generic Beacon', category: 'A Network Trojan was detected', severity: 1 },
  http: { hostname: 'mstdn-cache-node.biz', url: '/gate.php?id=9c4c388e' },
};

test('an EVE alert names its ends, ports, signature, action and URL, each pointing at its JSON path', async () => {
  const rec = await normalize(JSON.stringify(ALERT));
  assert.equal(rec.format, 'json');
  const f = rec.fields;
  assert.deepEqual(
    [f.srcIp?.value, f.srcPort?.value, f.dstIp?.value, f.dstPort?.value, f.protocol?.value, f.application?.value],
    ['10.0.2.133', '49152', '185.220.101.4', '80', 'TCP', 'http'],
  );
  assert.equal(f.summary?.value, 'ET MALWARE Generic Beacon');
  assert.equal(f.threatName?.from.part, 'json:/alert/signature');
  assert.equal(f.deviceAction?.value, 'allowed');
  assert.equal(rec.extra['signature id']?.value, '2024897', "the rule's id, not the event's");
  assert.equal(f.eventId, undefined);
  assert.equal(f.category?.value, 'malware');
  assert.equal(f.url?.value, 'mstdn-cache-node.biz/gate.php?id=9c4c388e');
  assert.equal(f.domain?.value, 'mstdn-cache-node.biz');
  assert.deepEqual(
    rec.times.map((t) => t.value),
    ['2026-12-06T06:12:03.000+0000'],
  );
  assert.deepEqual(
    rec.assets.map((a) => a.value),
    ['10.0.2.133'],
    'the internal end is an asset',
  );
  for (const x of [...Object.entries(f)].filter(([k]) => k !== 'category')) assert.equal(textAt(rec, x[1]!.from), x[1]!.value, x[0]);
});

test('an EVE event without a signature is summed up by its type and ends; JSON that is neither VERIS nor EVE is refused with format json', async () => {
  const rec = await normalize(JSON.stringify({ timestamp: '2026-12-06T06:00:00Z', event_type: 'dns', src_ip: '10.0.2.133', dest_ip: '10.0.0.53', dns: { type: 'query', rrname: 'mstdn-cache-node.biz' } }));
  assert.equal(rec.fields.summary?.value, 'dns 10.0.2.133 to 10.0.0.53');
  assert.equal(rec.fields.domain?.value, 'mstdn-cache-node.biz');
  // the name inside a list of queries (EVE version 1 `query`, version 3 `queries`), pointing at its path
  for (const dns of [{ query: [{ type: 'query', rrname: 'update-chk-svc.xyz' }] }, { version: 3, type: 'request', queries: [{ rrname: 'update-chk-svc.xyz', rrtype: 'A' }] }]) {
    const listed = await normalize(JSON.stringify({ event_type: 'dns', src_ip: '10.0.2.133', dest_ip: '10.0.0.53', dns }));
    assert.equal(listed.fields.domain?.value, 'update-chk-svc.xyz', JSON.stringify(dns));
    assert.match(listed.fields.domain?.from.part ?? '', /^json:\/dns\/quer(y|ies)\/0\/rrname$/);
  }
  await assert.rejects(normalize('{"a": 1}', 'json'), (e: Error & { code?: string }) => e.code === 'ASSIST_JSON_INVALID' && /nor a Suricata EVE event/.test(e.message));
});

test('lines copied from eve.json: the first event is read, and the record says how many there were', async () => {
  const second = { ...ALERT, src_port: 49153, timestamp: '2026-12-06T06:13:03.000+0000' };
  const rec = await normalize(`${JSON.stringify(ALERT)}\n${JSON.stringify(second)}\n`);
  assert.equal(rec.format, 'json');
  assert.equal(rec.fields.dstIp?.value, '185.220.101.4');
  assert.equal(rec.fields.srcPort?.value, '49152');
  assert.deepEqual(rec.warnings, ['read the first of 2 EVE events (its first line); analyse the others one at a time']);
  const notEve = await normalize('{"a": 1}\n{"b": 2}\n');
  assert.equal(notEve.format, 'text', 'JSON lines that are not EVE stay text');
});

test("an EVE severity shows Suricata's grade in words (1 is the highest), pointing at its JSON path", async () => {
  const shown = async (severity: unknown): Promise<string | undefined> => {
    const rec = await normalize(JSON.stringify({ ...ALERT, alert: { ...ALERT.alert, severity } }));
    const f = rec.fields.severity;
    if (f !== undefined) {
      assert.equal(f.from.part, 'json:/alert/severity');
      assert.equal(textAt(rec, f.from), f.value);
    }
    return f?.value;
  };
  assert.equal(await shown(1), '1 (high)');
  assert.equal(await shown(2), '2 (medium)');
  assert.equal(await shown(3), '3 (low)');
  assert.equal(await shown(4), '4 (Suricata severity, 1 is the highest)');
  assert.equal(await shown('high'), 'high', 'a word is kept as written');
});
