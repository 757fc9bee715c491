import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { AppError, isAppError } from '../core/index.js';
import { buildApp } from './app.js';
import { checkCharset } from './ingest-body.js';
import { SqliteKeyJournal } from './routes/ingest-keys.js';
import { AUTH, fakeDeps, storeStatsOf } from './testing.js';

const TEXT = { ...AUTH, 'content-type': 'text/plain; charset=utf-8' };
const NDJSON = { ...AUTH, 'content-type': 'application/x-ndjson' };

test('text/plain: one record per LF, CR removed, empty lines skipped, last line without LF kept', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  const res = await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: 'one\r\n\r\n\ntwo\nthree\r' });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { accepted: 3 });
  assert.deepEqual(deps.ingest.records.map((r) => r.line), ['one', 'two', 'three']);
  for (const r of deps.ingest.records) {
    assert.equal(r.source, 'http:127.0.0.1');
    assert.equal(r.receivedAt, deps.clock.t);
  }
  const empty = await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: '' });
  assert.deepEqual(empty.json(), { accepted: 0 });
  await app.close();
});

test('text/plain: a log file\'s format header lines (Zeek TSV, W3C) are not stored and the reply counts them; ndjson lines are all stored', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  const conn = ['#separator \\x09', '#path\tconn', '#fields\tts\tuid\tid.orig_h', '1733113199.865716\tC1\t10.0.0.1', '#close\t2024-12-02-05-00-00', '#Fields: date time c-ip', '# a comment is a line'];
  const res = await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: conn.join('\n') });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { accepted: 2, headersSkipped: 5 });
  assert.deepEqual(deps.ingest.records.map((r) => r.line), ['1733113199.865716\tC1\t10.0.0.1', '# a comment is a line']);
  const nd = await app.inject({ method: 'POST', url: '/api/ingest', headers: { ...AUTH, 'content-type': 'application/x-ndjson' }, payload: JSON.stringify({ line: '#fields\tts' }) });
  assert.deepEqual(nd.json(), { accepted: 1 }, 'an NDJSON record is a line its sender chose to send');
  await app.close();
});

test('bytes that are not UTF-8 are stored as U+FFFD and the reply counts the lines that held them; a real U+FFFD is not counted', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  try {
    const text = Buffer.concat([Buffer.from('caf\xe9\nplain\nna\xefve \xff\n', 'latin1'), Buffer.from('sent \ufffd\n', 'utf8')]);
    const res = await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: text });
    assert.deepEqual(res.json(), { accepted: 4, notUtf8: 2 });
    assert.deepEqual(deps.ingest.records.map((r) => r.line), ['caf\ufffd', 'plain', 'na\ufffdve \ufffd', 'sent \ufffd']);
    const nd = Buffer.concat([Buffer.from('{"line":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n{"line":"fine \ufffd"}\n')]);
    assert.deepEqual((await app.inject({ method: 'POST', url: '/api/ingest', headers: NDJSON, payload: nd })).json(), { accepted: 2, notUtf8: 1 });
    assert.deepEqual((await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: 'ok \ufffd ✓\n' })).json(), { accepted: 1 });
  } finally {
    await app.close();
  }
});

test('ndjson: line, receivedAt and source per record', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  const body = ['{"line":"a b c"}', '', '{"line":"x","receivedAt":1600000000000,"source":"fw-1"}\r', '  '].join('\n');
  const res = await app.inject({ method: 'POST', url: '/api/ingest', headers: NDJSON, payload: body });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { accepted: 2 });
  assert.deepEqual(deps.ingest.records, [
    { line: 'a b c', receivedAt: deps.clock.t, source: 'http:127.0.0.1' },
    { line: 'x', receivedAt: 1600000000000, source: 'fw-1' },
  ]);
  await app.close();
});

test('ndjson: a bad line is a 400 that names its number and the fault, and nothing is written', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  const good = '{"line":"fine"}\n'.repeat(12_000);
  const cases: [string, number, RegExp][] = [
    ['{"line":"a"}\n\n{"line": "b"\n', 3, /line 3 is not valid JSON/],
    ['{"line":"a"}\n[1,2]\n', 2, /line 2 is not a JSON object/],
    ['{"text":"a"}\n', 1, /line 1 has unknown field 'text'/],
    ['{"receivedAt":5}\n', 1, /line 1 has no field 'line'/],
    ['{"line":7}\n', 1, /line 1 has a 'line' that is not a string/],
    ['{"line":"a","receivedAt":"yesterday"}\n', 1, /'receivedAt'/],
    ['{"line":"a","source":""}\n', 1, /'source'/],
    ['{"line":"a","receivedAt":253402300800000}\n', 1, /'receivedAt' .* to the end of year 9999/],
    [good + 'nope\n', 12_001, /line 12001 is not valid JSON/],
  ];
  for (const [payload, line, message] of cases) {
    const res = await app.inject({ method: 'POST', url: '/api/ingest', headers: NDJSON, payload });
    assert.equal(res.statusCode, 400, payload.slice(-40));
    const { error } = res.json();
    assert.equal(error.code, 'INGEST_BAD_NDJSON');
    assert.equal(error.kind, 'bad_request');
    assert.equal(error.details.line, line);
    assert.match(error.message, message);
  }
  assert.equal(deps.ingest.writes.length, 0, 'nothing from a rejected request is written');
  await app.close();
});

test('a line over 1 MiB of UTF-8 is a 400 that names it, and nothing is written; 1 MiB exactly is stored', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  const max = 1024 * 1024;
  const long = 'é'.repeat(max / 2) + 'x'; // 1 MiB + 1 byte, in half as many characters
  const text = await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: `ok\n${long}\nok\n` });
  assert.equal(text.statusCode, 400, text.body);
  assert.equal(text.json().error.code, 'INGEST_LINE_TOO_LONG');
  assert.deepEqual(text.json().error.details, { line: 2, bytes: max + 1, max });
  const nd = await app.inject({ method: 'POST', url: '/api/ingest', headers: NDJSON, payload: `{"line":"ok"}\n${JSON.stringify({ line: long })}\n` });
  assert.equal(nd.statusCode, 400, nd.body);
  assert.match(nd.json().error.message, /line 2 is 1048577 bytes/);
  assert.equal(deps.ingest.records.length, 0);
  const edge = await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: 'é'.repeat(max / 2) });
  assert.deepEqual(edge.json(), { accepted: 1 });
  await app.close();
});

test('large bodies are written in batches of at most 10,000 records, in order', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  const lines = Array.from({ length: 25_001 }, (_, i) => `line ${i}`);
  const res = await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: lines.join('\n') });
  assert.deepEqual(res.json(), { accepted: 25_001 });
  assert.deepEqual(deps.ingest.writes.map((w) => w.length), [10_000, 10_000, 5_001]);
  assert.deepEqual(deps.ingest.records.map((r) => r.line), lines);
  await app.close();
});

test('a congested sink delays the write and the reply until it drains', async () => {
  const deps = fakeDeps();
  deps.ingest.congested = true;
  const app = await buildApp(deps);
  let answered = false;
  const pending = app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: 'a\nb\n' }).then((r) => {
    answered = true;
    return r;
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(answered, false, 'no reply while congested');
  assert.equal(deps.ingest.writes.length, 0, 'no write while congested');
  assert.equal(deps.ingest.drainWaits, 1);
  deps.ingest.drain();
  const res = await pending;
  assert.deepEqual(res.json(), { accepted: 2 });
  await app.close();
});

test('a failing store answers 503 with the error and nothing claimed as accepted', async () => {
  const deps = fakeDeps();
  deps.ingest.failWith = new AppError('STORE_UNAVAILABLE', 'unavailable', 'store: writer lane 1 exited');
  const app = await buildApp(deps);
  const res = await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: 'a\n' });
  assert.equal(res.statusCode, 503);
  const { error } = res.json();
  assert.equal(error.code, 'INGEST_NOT_COMMITTED');
  assert.equal(error.kind, 'unavailable');
  assert.match(error.message, /writer lane 1 exited/);
  assert.deepEqual(error.details, { accepted: 0, total: 1, cause: 'STORE_UNAVAILABLE' });

  deps.ingest.failWith = new Error('disk I/O error at /secret/path');
  const res2 = await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: 'a\n' });
  assert.equal(res2.statusCode, 503);
  assert.ok(!res2.body.includes('/secret/path'), 'a non-AppError cause stays in the log');
  await app.close();
});

test('a full disk: every line of a request not stored counts as failed, those after the refused batch too (/api/stats, /metrics, /api/live)', async () => {
  // the store takes 100,000 lines, then refuses each batch and counts its lines, as the writer pool does
  const store = { failed: 0 };
  const deps = fakeDeps({ storeStats: () => ({ ...storeStatsOf(deps.ingest.records.length), failedLines: store.failed }) });
  const write = deps.ingest.write.bind(deps.ingest);
  deps.ingest.write = async (records) => {
    if (deps.ingest.records.length < 100_000) return write(records);
    store.failed += records.length;
    throw new AppError('STORE_DISK_FULL', 'unavailable', 'store: the disk holding /data is full (SQLITE_FULL); free space there');
  };
  const app = await buildApp(deps);
  try {
    const accepted: unknown[] = [];
    for (const n of [200_000, 100_000, 100_000]) {
      const res = await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: 'x\n'.repeat(n) });
      assert.equal(res.statusCode, 503);
      accepted.push(res.json().error.details.accepted);
    }
    assert.deepEqual(accepted, [100_000, 0, 0]);
    const stats = (await app.inject({ method: 'GET', url: '/api/stats', headers: AUTH })).json();
    assert.equal(stats.ingest.failed, 300_000, 'total - accepted of each request, not one batch of each');
    assert.equal(stats.store.failedLines, 300_000);
    assert.equal(stats.ingest.committed, 100_000);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics', headers: AUTH })).body.split('\n');
    assert.ok(metrics.includes('nml_ingest_failed_lines_total 300000'));
    assert.equal((await app.inject({ method: 'GET', url: '/api/live', headers: AUTH })).json().ingest.failed, 300_000);
  } finally {
    await app.close();
  }
});

test('other media types and oversize bodies are 400s', async () => {
  const deps = fakeDeps({ bodyLimit: 1024 });
  const app = await buildApp(deps);
  const json = await app.inject({ method: 'POST', url: '/api/ingest', headers: { ...AUTH, 'content-type': 'application/json' }, payload: '{"line":"a"}' });
  assert.equal(json.statusCode, 400);
  assert.equal(json.json().error.code, 'HTTP_UNSUPPORTED_MEDIA_TYPE');
  const big = await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: 'x'.repeat(2048) });
  assert.equal(big.statusCode, 400);
  assert.equal(big.json().error.code, 'HTTP_BODY_TOO_LARGE');
  assert.equal(big.json().error.details.limit, 1024);
  assert.equal(deps.ingest.writes.length, 0);
  await app.close();
});

test('a body declared in another charset, or of more than a million lines, is refused before anything is written', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  const utf16 = await app.inject({ method: 'POST', url: '/api/ingest', headers: { ...AUTH, 'content-type': 'text/plain; charset=utf-16le' }, payload: Buffer.from('hello\n', 'utf16le') });
  assert.equal(utf16.statusCode, 400);
  assert.equal(utf16.json().error.code, 'HTTP_UNSUPPORTED_MEDIA_TYPE');
  assert.match(utf16.json().error.message, /charset 'utf-16le' is not accepted; send the lines as UTF-8/);
  for (const type of ['text/plain; charset="UTF-8"', 'application/x-ndjson; charset=us-ascii']) {
    const ok = await app.inject({ method: 'POST', url: '/api/ingest', headers: { ...AUTH, 'content-type': type }, payload: type.startsWith('text') ? 'a\n' : '{"line":"a"}\n' });
    assert.equal(ok.statusCode, 200, `${type}: ${ok.body}`);
  }
  const before = deps.ingest.writes.length;
  // a million one-byte lines are taken; one more is refused whole
  const million = 'a\n'.repeat(1_000_000);
  const many = await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: million + 'b\n' });
  assert.equal(many.statusCode, 400);
  assert.equal(many.json().error.code, 'INGEST_TOO_MANY_LINES');
  assert.equal(deps.ingest.writes.length, before, 'nothing from the refused request');
  const full = await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: million });
  assert.deepEqual(full.json(), { accepted: 1_000_000 });
  await app.close();
});

test('a UTF-8 byte order mark at the start of a body is not part of line 1 (text and ndjson); one later in a line is kept', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  const nd = await app.inject({ method: 'POST', url: '/api/ingest', headers: NDJSON, payload: Buffer.concat([bom, Buffer.from('{"line":"<13>host app: one"}\n{"line":"two"}\n')]) });
  assert.equal(nd.statusCode, 200, nd.body);
  const text = await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: Buffer.concat([bom, Buffer.from('<13>host app: three\n\uFEFFfour\n')]) });
  assert.equal(text.statusCode, 200, text.body);
  assert.deepEqual(
    deps.ingest.records.map((r) => r.line),
    ['<13>host app: one', 'two', '<13>host app: three', '\uFEFFfour'],
  );
  const only = await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: bom });
  assert.deepEqual(only.json(), { accepted: 0 }, 'a body of just the mark holds no line');
  await app.close();
});

test('checkCharset: utf-8, us-ascii or none pass; an empty charset says so and what to send; another is refused', () => {
  for (const type of [undefined, 'text/plain', 'text/plain; charset=UTF-8', 'application/x-ndjson; charset="utf8"', 'text/plain; charset=us-ascii']) checkCharset(type);
  assert.throws(
    () => checkCharset('text/plain; charset='),
    (e: unknown) => isAppError(e) && e.code === 'HTTP_UNSUPPORTED_MEDIA_TYPE' && e.message === "ingest: the content type's charset is empty; send 'charset=utf-8', or no charset parameter at all (the body is read as UTF-8)",
  );
  assert.throws(() => checkCharset('text/plain; charset=""'), /charset is empty/);
  assert.throws(() => checkCharset('text/plain; charset=latin1'), /charset 'latin1' is not accepted; send the lines as UTF-8/);
});

test('Idempotency-Key: a retry of a request whose answer was lost stores its lines once and gets the first answer again', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  const send = (key: string, payload: string, headers: Record<string, string> = TEXT) => app.inject({ method: 'POST', url: '/api/ingest', headers: { ...headers, 'idempotency-key': key }, payload });
  const first = await send('7f3c1e2a-batch-1', 'one\ntwo\n');
  assert.deepEqual([first.statusCode, first.json(), first.headers['idempotent-replayed']], [200, { accepted: 2 }, undefined]);
  const again = await send('7f3c1e2a-batch-1', 'one\ntwo\n');
  assert.deepEqual([again.statusCode, again.json(), again.headers['idempotent-replayed']], [200, { accepted: 2 }, 'true']);
  assert.deepEqual(deps.ingest.records.map((r) => r.line), ['one', 'two'], 'stored once');
  // while the first runs (a congested store), its retry waits for the same answer
  deps.ingest.congested = true;
  const slow = send('batch-2', 'three\n');
  const retry = send('batch-2', 'three\n');
  await new Promise((r) => setTimeout(r, 20));
  deps.ingest.drain();
  assert.deepEqual([(await slow).json(), (await retry).json(), (await retry).headers['idempotent-replayed']], [{ accepted: 1 }, { accepted: 1 }, 'true']);
  assert.deepEqual(deps.ingest.records.map((r) => r.line), ['one', 'two', 'three']);
  // the same key with another body is refused, nothing stored
  const reused = await send('batch-2', 'four\n');
  assert.equal(reused.statusCode, 400);
  assert.equal(reused.json().error.code, 'IDEMPOTENCY_KEY_REUSED');
  assert.equal((await send('has space', 'x\n')).json().error.code, 'IDEMPOTENCY_KEY_INVALID');
  // a request that failed frees its key: its retry runs
  deps.ingest.failWith = new AppError('STORE_DISK_FULL', 'unavailable', 'store: the disk is full');
  assert.equal((await send('batch-3', 'five\n')).statusCode, 503);
  deps.ingest.failWith = null;
  const after = await send('batch-3', 'five\n');
  assert.deepEqual([after.statusCode, after.json(), after.headers['idempotent-replayed']], [200, { accepted: 1 }, undefined]);
  // without a key, a resent request stores its lines again (at least once)
  await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: 'six\n' });
  await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: 'six\n' });
  assert.deepEqual(deps.ingest.records.map((r) => r.line), ['one', 'two', 'three', 'five', 'six', 'six']);
  await app.close();
});

test('Idempotency-Key across a restart: a key whose lines were committed is answered from disk, a failed one runs again', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-keys-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'ingest-keys.db');
  const send = (app: Awaited<ReturnType<typeof buildApp>>, key: string, payload: string) => app.inject({ method: 'POST', url: '/api/ingest', headers: { ...TEXT, 'idempotency-key': key }, payload });

  const before = fakeDeps();
  const keys = new SqliteKeyJournal(path);
  const app = await buildApp({ ...before, ingestKeys: keys });
  assert.deepEqual((await send(app, 'shipper-1-batch-9', 'one\ntwo\n')).json(), { accepted: 2 });
  before.ingest.failWith = new AppError('STORE_DISK_FULL', 'unavailable', 'store: the disk is full');
  assert.equal((await send(app, 'shipper-1-batch-10', 'three\n')).statusCode, 503);
  await app.close();
  keys.close();

  // the server restarts: the same data directory, a new process's memory
  const after = fakeDeps();
  const reopened = new SqliteKeyJournal(path);
  const again = await buildApp({ ...after, ingestKeys: reopened });
  const retry = await send(again, 'shipper-1-batch-9', 'one\ntwo\n');
  assert.deepEqual([retry.statusCode, retry.json(), retry.headers['idempotent-replayed']], [200, { accepted: 2 }, 'true']);
  assert.equal(after.ingest.records.length, 0, 'the retry stored nothing');
  assert.equal((await send(again, 'shipper-1-batch-9', 'other\n')).json().error.code, 'IDEMPOTENCY_KEY_REUSED');
  const failedBefore = await send(again, 'shipper-1-batch-10', 'three\n');
  assert.deepEqual([failedBefore.json(), failedBefore.headers['idempotent-replayed']], [{ accepted: 1 }, undefined], 'a request that failed left no key');
  assert.deepEqual(after.ingest.records.map((r) => r.line), ['three']);
  await again.close();
  reopened.close();
});
