/** The documents shown behind a prediction: the type's own reports first, then the strongest term carriers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentsBehind, webUrl } from './service.js';
import type { TimedDoc } from './predict/periods.js';

const doc = (id: string, time: number, types: string[], tokens: string[]): TimedDoc => ({ time, types, tokens, ref: { id, title: id, url: null } });

test('documents behind a prediction: reports of the type first, then by the weight of the material driver terms they carry, newest first among equals', () => {
  const docs = [
    doc('weak-term-newest', 9, ['account_takeover'], ['operator', 'phishing']),
    doc('strong-term', 5, ['malware'], ['botnet', 'traffic']),
    doc('ddos-old', 1, ['ddos'], ['flood']),
    doc('ddos-new', 3, ['ddos'], ['flood']),
    doc('no-term', 8, ['ransomware'], ['ransom']),
    { time: 10, types: ['ddos'], tokens: [] } as TimedDoc,
  ];
  const drivers = [
    { name: 'own:ma_long', weight: 0.5 },
    { name: 'term:botnet', weight: 0.3 },
    { name: 'term:traffic', weight: 0.1 },
    { name: 'term:operator', weight: 0.01 },
  ];
  // term:operator (0.01) is under a tenth of the strongest driver: weak-term-newest is not behind it
  assert.deepEqual(documentsBehind(docs, 'ddos', drivers, 10).map((d) => d.ref!.id), ['ddos-new', 'ddos-old', 'strong-term']);
  assert.deepEqual(documentsBehind(docs, 'ddos', [...drivers.slice(1), { name: 'term:operator', weight: 0.03 }], 10).map((d) => d.ref!.id), ['ddos-new', 'ddos-old', 'strong-term', 'weak-term-newest']);
  assert.deepEqual(documentsBehind(docs, 'ddos', drivers, 3).map((d) => d.ref!.id), ['ddos-new', 'ddos-old', 'strong-term']);
  assert.deepEqual(documentsBehind(docs, 'targeted', [], 5), []);
});

test('documents behind a prediction: a term too weak to have moved it names no document', () => {
  const docs = [doc('ddos-report', 1, ['ddos'], ['flood']), doc('skimmer', 9, ['malware'], ['skimmer']), doc('botnet', 8, ['malware'], ['botnet'])];
  // the demo's DDoS card listed skimmer and phishing headlines behind terms of +0.007 against a strongest driver of +0.39
  const drivers = [
    { name: 'total:ma_long', weight: 0.39 },
    { name: 'term:botnet', weight: 0.05 },
    { name: 'term:skimmer', weight: 0.007 },
  ];
  assert.deepEqual(documentsBehind(docs, 'ddos', drivers, 5).map((d) => d.ref!.id), ['ddos-report', 'botnet']);
  // with weak drivers overall, the absolute floor still holds
  assert.deepEqual(documentsBehind(docs, 'ddos', [{ name: 'term:skimmer', weight: 0.015 }], 5).map((d) => d.ref!.id), ['ddos-report']);
});

test("a document's URL reaches the UI only as an http(s) link: a feed's javascript: or data: link is dropped", () => {
  assert.equal(webUrl('https://example.org/a?b=c'), 'https://example.org/a?b=c');
  assert.equal(webUrl('HTTP://example.org/'), 'HTTP://example.org/');
  for (const bad of ['javascript:alert(1)', ' javascript:alert(1)', 'data:text/html,<script>x</script>', '//evil.example/x', 'https://a b', 'vbscript:x', '']) {
    assert.equal(webUrl(bad), null, bad);
  }
  assert.equal(webUrl(null), null);
});
