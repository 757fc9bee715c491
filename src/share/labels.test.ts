import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FindingLabels, labelOf } from './labels.js';
import type { FindingStatus } from '../detect/index.js';

const finding = (id: number, entity: string, status: FindingStatus) => ({ id, detector: 'url', entity, score: 0.99, threshold: 0.9, modelVersion: 'm', firstSeen: 0, lastSeen: 1, count: 1, triage: { status } });

test('share labels: a triage status says benign, malicious or unreviewed', () => {
  assert.equal(labelOf('false-positive'), 'benign');
  assert.equal(labelOf('resolved'), 'malicious');
  assert.equal(labelOf('open'), 'unreviewed');
  assert.equal(labelOf('acknowledged'), 'unreviewed');
  assert.equal(labelOf('some-future-status'), 'unreviewed');
});

test('share labels: a line names a finding by its address, domain or URL (as the URL detector keys it)', () => {
  const labels = new FindingLabels([finding(1, 'ip:203.0.113.9', 'false-positive'), finding(2, 'url:evil.example/gate.php?id=1', 'resolved'), finding(3, 'domain:cdn.example.net', 'open')]);
  assert.deepEqual(labels.of([{ kind: 'ip', value: '203.0.113.9' }]), [{ finding: 1, label: 'benign' }]);
  assert.deepEqual(labels.of([{ kind: 'url', value: 'HTTP://Evil.Example:80/gate.php?id=1' }, { kind: 'ip', value: '203.0.113.9' }]), [{ finding: 1, label: 'benign' }, { finding: 2, label: 'malicious' }]);
  assert.deepEqual(labels.of([{ kind: 'domain', value: 'cdn.example.net' }]), [{ finding: 3, label: 'unreviewed' }]);
  assert.deepEqual(labels.of([{ kind: 'ip', value: '203.0.113.10' }, { kind: 'url', value: 'http://evil.example/other' }]), []);
});
