/**
 * shareTextOffThread: the same text and manifest as shareRecords on this thread; lines pulled only as the
 * text is read (a batch ahead at most); closing it closes the lines and ends the worker.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineAnonymizer } from './anonymize.js';
import { keyFingerprint } from './key.js';
import { shareRecords, type ShareLine } from './records.js';
import { SHARE_BATCH_LINES, shareTextOffThread } from './records-thread.js';
import type { SharedFindingSource } from './labels.js';

const KEY = Buffer.alloc(32, 0x5a);
const T0 = Date.parse('2026-12-01T10:00:00Z');
const RAWS = [
  '<34>1 2026-12-01T10:00:00Z web-01.corp.local sshd 42 - - Failed password for alice from 10.0.0.5 port 22 ssh2',
  '<14>1 2026-12-01T09:59:59Z proxy-1 squid - - - 10.0.0.7 TCP_MISS/200 GET http://evil.example.rest/gate.php?id=7 - HIER_DIRECT/198.51.100.4',
  '<14>1 2026-12-01T09:59:58Z ip-10-0-0-9 app - - - wrote C:\\Users\\alice\\AppData\\x.tmp',
  '<13>web app: GET https://wiki.acme.com/p?id=1 from 2001:db8::7',
];
const FINDINGS: SharedFindingSource[] = [{ id: 1, detector: 'url', entity: 'url:evil.example.rest/gate.php?id=7', score: 0.99, threshold: 0.9, modelVersion: 'm', firstSeen: T0 - 5000, lastSeen: T0 - 1000, count: 2, triage: { status: 'resolved' } }];

function source(n: number, pulled: { n: number; closed: boolean } = { n: 0, closed: false }): AsyncGenerator<ShareLine> {
  return (async function* () {
    try {
      for (let i = 0; i < n; i++) {
        pulled.n++;
        yield { time: T0 - i, source: i % 2 === 0 ? 'udp:10.0.0.5:514' : 'file:/home/alice/app.log', raw: RAWS[i % RAWS.length]!, ...(i % 3 === 0 ? { sourceHost: '10.0.0.5' } : {}) };
      }
    } finally {
      pulled.closed = true;
    }
  })();
}

const common = { findings: FINDINGS, range: { from: T0 - 86_400_000, to: T0 + 1 }, query: '', nmlVersion: 'test', skipped: () => [{ file: 'x.db', from: 1, to: 2 }], now: () => T0 };

test('off thread: the same records and manifest as shareRecords here, over several batches', async () => {
  const n = SHARE_BATCH_LINES * 2 + 17;
  let here = '';
  const records = shareRecords({ ...common, lines: source(n), anonymizer: new LineAnonymizer(KEY, ['acme.com']), keyFingerprint: keyFingerprint(KEY) });
  let r = await records.next();
  for (; r.done !== true; r = await records.next()) here += `${JSON.stringify(r.value)}\n`;

  let there = '';
  const text = shareTextOffThread({ ...common, lines: source(n), key: KEY, internalDomains: ['acme.com'] });
  let t = await text.next();
  for (; t.done !== true; t = await text.next()) there += t.value;
  assert.equal(there.split('\n').length, n + 2, 'a finding, every line');
  assert.equal(there, here);
  assert.deepEqual(t.value, r.value);
  assert.equal(t.value.files['lines.ndjson'].records, n);
});

test('off thread: lines are pulled a batch ahead of the reader at most; closing it closes the lines', async () => {
  const pulled = { n: 0, closed: false };
  const ac = new AbortController();
  const text = shareTextOffThread({ ...common, lines: source(50_000, pulled), key: KEY, internalDomains: [], signal: ac.signal });
  let first = await text.next();
  while (first.done !== true && !first.value.includes('"line"')) first = await text.next();
  // the worker answers the batch it has, and asks for no more while nobody reads
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.ok(pulled.n <= 2 * SHARE_BATCH_LINES, `pulled ${pulled.n}`);
  ac.abort();
  await text.return(undefined as never);
  assert.equal(pulled.closed, true, 'the lines closed');
  const after = pulled.n;
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(pulled.n, after);
});
