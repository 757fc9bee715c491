import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trendsBasisText } from './basis-text.js';

test('trends basis: what the series is built from, leaving out what is not there', () => {
  assert.equal(trendsBasisText({ historyDocs: 0, collectedDocs: 963 }), 'built from 963 stored news documents');
  assert.equal(trendsBasisText({ historyDocs: 1, collectedDocs: 1 }), 'built from 1 stored news document and 1 dated incident report (trends.datasets)');
  assert.equal(trendsBasisText({ historyDocs: 12_345, collectedDocs: 0 }), 'built from 12,345 dated incident reports (trends.datasets)');
  assert.equal(trendsBasisText({ historyDocs: 0, collectedDocs: 0 }), 'built from no documents yet');
});
