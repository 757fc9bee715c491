/**
 * Text rules: what they find on ordinary text, and the same on hundreds of kB built to make the old patterns backtrack
 * (response-step sentences without a full stop, blank runs after a label, dash-joined `host` words). No timings: the
 * old patterns took minutes on these inputs, so a return of them hangs this file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStepRules, applyTextRules } from './text-rules.js';
import { emptyRecord, type IncidentRecord } from './record.js';
import { normalizeText } from './normalize.js';

function steps(text: string): IncidentRecord {
  const rec = emptyRecord('text', { body: text });
  applyStepRules(rec, 'body', text);
  return rec;
}

function fields(text: string): IncidentRecord {
  const rec = emptyRecord('text', { body: text });
  applyTextRules(rec, 'body', text);
  return rec;
}

const values = (rec: IncidentRecord): string[] => rec.steps.map((s) => s.value);

test('response steps: a doer then an action verb in one clause, or a Japanese action word; sentence ends kept', () => {
  const text = 'Alert at 09:00. We blocked 10.0.0.5 at the firewall. Blocked by nobody\nThe admins have reset the password\n端末をネットワークから隔離しました。 e.g.x we then notified HR.';
  assert.deepEqual(values(steps(text)), ['We blocked 10.0.0.5 at the firewall.', 'The admins have reset the password', '端末をネットワークから隔離しました。', 'e.g.x we then notified HR.']);
  const rec = steps(text);
  const first = rec.steps[0]!;
  assert.equal(text.slice(first.from.start, first.from.end), first.value);
  assert.equal(rec.fields.firstAction?.value, 'We blocked 10.0.0.5 at the firewall.');
  assert.deepEqual(values(steps('Blocked, then we looked.')), [], 'the verb must come after the doer');
  assert.deepEqual(values(steps('We looked. Then blocked it.')), [], 'doer and verb in different sentences');
  assert.deepEqual(values(steps('we saw 1.2 then blocked it')), [], 'a `.` inside the clause separates doer and verb');
  assert.deepEqual(values(steps('it was blockedx, we were resetting')), [], 'whole words only');
  assert.deepEqual(values(steps('First action: isolate the host\nwe isolated it.')), ['isolate the host', 'we isolated it.']);
});

test('response steps: a labelled step is not repeated by the sentence that holds it; equal sentences once', () => {
  assert.deepEqual(values(steps('Containment: we blocked the IP.\nwe blocked the IP.\nwe blocked the IP.')), ['we blocked the IP.']);
});

test('response steps on a 300 kB line with doers and no action verb or full stop, then a real step', () => {
  const line = 'the user was on the host and we saw it '.repeat(7700);
  assert.deepEqual(values(steps(line)), []);
  assert.deepEqual(values(steps('we '.repeat(100_000))), []);
  const rec = steps(line + '. We blocked the source.');
  assert.deepEqual(values(rec), ['We blocked the source.']);
  assert.equal(normalizeText(line + '. We blocked the source.').fields.firstAction?.value, 'We blocked the source.');
});

test('response steps: 100,000 distinct step sentences are all kept, in order (each was compared with all before)', () => {
  const text = Array.from({ length: 100_000 }, (_, i) => `we blocked host${i}. `).join('');
  const found = values(steps(text));
  assert.equal(found.length, 100_000);
  assert.equal(found[99_999], 'we blocked host99999.');
});

test('fields after a label: blanks and a separator between, as before', () => {
  const rec = fields('Source IP address : 10.1.2.3\ndst=10.9.9.9\nsrc port# 5555 and port: 443\nserver:\tweb01.corp\n重要度： 高');
  assert.equal(rec.fields.srcIp?.value, '10.1.2.3');
  assert.equal(rec.fields.dstIp?.value, '10.9.9.9');
  assert.equal(rec.fields.srcPort?.value, '5555');
  assert.equal(rec.fields.dstPort?.value, '443');
  assert.equal(rec.fields.severity?.value, '高');
  assert.deepEqual(rec.assets.map((a) => a.value), ['web01.corp']);
});

test('fields after a label followed by 200,000 blanks and no value', () => {
  const blank = '\n'.repeat(200_000);
  assert.equal(fields(`from${blank}x\nsource: 10.0.0.9`).fields.srcIp?.value, '10.0.0.9');
  assert.equal(fields(`to${blank}x\ndst 10.0.0.7`).fields.dstIp?.value, '10.0.0.7');
  const port = fields(`port${blank}x\nsrc${blank}x\nport 8443`);
  assert.equal(port.fields.dstPort?.value, '8443');
  assert.equal(port.fields.srcPort, undefined);
  assert.deepEqual(fields(`host${blank}-\nhost: web01.corp`).assets.map((a) => a.value), ['web01.corp']);
  assert.equal(fields(`重要度${blank}`).fields.severity, undefined);
});

test('host names: 600 kB of dash-joined `host` words without a digit or dot, then a real one', () => {
  const rec = fields('hosta-'.repeat(100_000) + ' host: srv-db-07');
  assert.deepEqual(rec.assets.map((a) => a.value), ['srv-db-07']);
  assert.deepEqual(fields('host ' + 'a1'.repeat(126)).assets.map((a) => a.value), ['a1'.repeat(126)]);
  assert.deepEqual(fields('host ' + 'a1'.repeat(127)).assets, [], 'longer than a DNS name (253) is not a host name');
});
