import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FindingsStore } from './store.js';
import type { NewFinding } from '../detector.js';
import { upgradedUrlEvidence } from './url-evidence.js';
import { urlEvidenceQuery } from '../url/evidence-query.js';

function finding(entity: string, query: string, detector = 'url'): NewFinding {
  return { detector, entity, score: 0.9, threshold: 0.5, modelVersion: 'bob-test', time: 1_000, explanation: { summary: 's', detail: null }, evidence: { query, from: 0, to: 2_000 } };
}

/** the query the URL detector stored before commit 9c81080: one spelling of the host */
const OLD = 'sub:"xn--bcher-kva.de" sub:"/login.php" -app:nml-detect';

test('a URL finding on an internationalized host, stored with the old one-spelling query, is read back with both spellings', () => {
  const s = new FindingsStore(':memory:');
  s.record([finding('url:xn--bcher-kva.de/login.php', OLD)]);
  const f = s.list().findings[0]!;
  assert.equal(f.evidence.query, '(sub:"xn--bcher-kva.de" OR sub:"bücher.de" OR sub:"bu\u0308cher.de") sub:"/login.php" -app:nml-detect');
  assert.equal(f.evidence.query, `${urlEvidenceQuery('xn--bcher-kva.de/login.php')} -app:nml-detect`, 'what the detector writes now');
  assert.deepEqual(s.get(f.id)?.evidence, { query: f.evidence.query, from: 0, to: 2_000 });
  assert.equal(s.find('url', 'url:xn--bcher-kva.de/login.php')?.evidence.query, f.evidence.query);
  s.close();
});

test('the old form is rewritten for a Unicode host and a bare host too, with or without the -app: tail', () => {
  assert.equal(upgradedUrlEvidence(finding('url:bücher.de/x', 'sub:"bücher.de" sub:"/x"')), urlEvidenceQuery('bücher.de/x'));
  assert.equal(upgradedUrlEvidence(finding('url:xn--bcher-kva.de/', 'sub:"xn--bcher-kva.de" -app:nml-detect')), `${urlEvidenceQuery('xn--bcher-kva.de/')} -app:nml-detect`);
});

test('every other stored query is left as it is', () => {
  const s = new FindingsStore(':memory:');
  const kept = [
    // an ASCII host: the old form is the current one
    finding('url:evil.example/login', 'sub:"evil.example" sub:"/login" -app:nml-detect'),
    // already current
    finding('url:xn--mnchen-3ya.de/a', `${urlEvidenceQuery('xn--mnchen-3ya.de/a')} -app:nml-detect`),
    // an IDN whose query is not the old form (an older, scheme-holding one; something after the terms)
    finding('url:http://xn--bcher-kva.de/x', 'sub:"http://xn--bcher-kva.de/x"'),
    finding('url:xn--bcher-kva.de/y', 'sub:"xn--bcher-kva.de" sub:"/y" status:500'),
    // not a URL finding
    finding('domain:xn--bcher-kva.de', 'sub:"xn--bcher-kva.de"'),
    finding('url:xn--bcher-kva.de/z', 'sub:"xn--bcher-kva.de" sub:"/z"', 'syn'),
  ];
  s.record(kept);
  const byEntity = new Map(s.list().findings.map((f) => [`${f.detector} ${f.entity}`, f.evidence.query]));
  for (const k of kept) assert.equal(byEntity.get(`${k.detector} ${k.entity}`), k.evidence.query, k.entity);
  s.close();
});
