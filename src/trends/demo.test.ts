/** The demo's generated headlines: reproducible, dated inside their span, shaped by the episodes, stored once. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocStore } from './docstore.js';
import { DEMO_DAYS, DEMO_SOURCE, demoItems, seedDemoDocs } from './demo.js';

const NOW = Date.UTC(2026, 10, 29, 12);
const DAY = 86_400_000;

test('the same seed and time give the same documents, oldest first, inside the demo span, each marked as a demo', () => {
  const a = demoItems(NOW);
  assert.deepEqual(demoItems(NOW), a);
  assert.notDeepEqual(demoItems(NOW, DEMO_DAYS, 2), a);
  assert.ok(a.length > 500, `${a.length} documents`);
  for (let i = 1; i < a.length; i++) assert.ok(a[i]!.time >= a[i - 1]!.time);
  const from = Math.floor(NOW / DAY) * DAY - (DEMO_DAYS - 1) * DAY;
  assert.ok(a.every((d) => d.time >= from && d.time <= NOW));
  assert.ok(a.every((d) => d.title.endsWith('(demo)') && d.text.includes('--demo') && /^[A-Z]/.test(d.title)));
});

test('the ransomware campaign of the last weeks and the DDoS wave two months back show in the daily rates', () => {
  const items = demoItems(NOW);
  const perDay = (re: RegExp, fromDaysAgo: number, toDaysAgo: number): number => {
    const n = items.filter((d) => re.test(d.title) && d.time >= NOW - fromDaysAgo * DAY && d.time < NOW - toDaysAgo * DAY).length;
    return n / (fromDaysAgo - toDaysAgo);
  };
  const ransom = /ransom/i;
  const ddos = /DDoS|Botnet floods|denial of service/;
  assert.ok(perDay(ransom, 18, 6) > 2 * perDay(ransom, 170, 80), 'ransomware campaign');
  assert.ok(perDay(ddos, 67, 58) > 2 * perDay(ddos, 170, 80), 'DDoS wave');
});

test('seeding fills an empty store through the annotation step once, and never adds to a store that holds documents', () => {
  const store = new DocStore(':memory:');
  try {
    const seen: string[][] = [];
    const n = seedDemoDocs(store, (tokens) => {
      seen.push(tokens);
      return { ransomware: tokens.includes('ransomware') ? 0.9 : 0.1 };
    }, NOW);
    assert.equal(n, demoItems(NOW).length);
    assert.equal(store.count(), n);
    assert.equal(seen.length, n);
    const docs = store.list(0, NOW + 1, n);
    assert.ok(docs.every((d) => d.source === DEMO_SOURCE && d.url === null && d.lang === 'en'));
    const flagged = docs.filter((d) => d.types.ransomware === 0.9);
    assert.ok(flagged.length > 0 && flagged.every((d) => /ransomware/i.test(`${d.title} ${d.text}`)));
    assert.equal(seedDemoDocs(store, null, NOW + DAY), 0);
    assert.equal(store.count(), n);
  } finally {
    store.close();
  }
});
