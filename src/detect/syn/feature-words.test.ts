import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIELD_COLUMNS, STAT_NAMES } from './image.js';
import { featureWords, weighedMost } from './feature-words.js';

test('every column and statistic of the model has words of its own, not its code name', () => {
  for (const name of [...FIELD_COLUMNS, ...STAT_NAMES]) {
    assert.notEqual(featureWords(name), name);
  }
  assert.equal(featureWords('dport bit 14'), 'destination ports');
  assert.equal(featureWords('ws=10 / mss=1460', true), 'fingerprint ws=10 / mss=1460');
});

test('what weighed most: the largest weights by magnitude, in words, each once', () => {
  const ex = {
    stats: [{ name: 'gap cv', weight: -0.5 }, { name: 'host rate', weight: 0.1 }],
    fields: [{ name: 'dport bit 14', weight: 0.9 }, { name: 'dport bit 3', weight: 0.8 }, { name: 'mss', weight: 0.05 }],
    tokens: [{ name: 'ipid=54321', weight: 0.3 }],
  };
  assert.equal(weighedMost(ex), 'destination ports, timing regularity, fingerprint ipid=54321');
});
