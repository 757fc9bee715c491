import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { isAppError } from '../core/index.js';
import { buildApp } from './app.js';
import { contentCoding, inflating } from './ingest-encoding.js';
import { AUTH, fakeDeps } from './testing.js';

const TEXT = { ...AUTH, 'content-type': 'text/plain' };
const NDJSON = { ...AUTH, 'content-type': 'application/x-ndjson' };

/** `members` gzip members of 1 MiB of zeros each: about a kilobyte apiece, gunzip reads them one after another. */
function bomb(members: number): Buffer {
  return Buffer.concat(Array.from({ length: members }, () => gzipSync(Buffer.alloc(1 << 20))));
}

test('contentCoding: none, identity, gzip, x-gzip, deflate in any case; several or another are refused as sent', () => {
  for (const h of [undefined, '', ' ', 'identity', 'IDENTITY']) assert.equal(contentCoding(h), 'identity', String(h));
  assert.equal(contentCoding('gzip'), 'gzip');
  assert.equal(contentCoding(' X-Gzip '), 'gzip');
  assert.equal(contentCoding('Deflate'), 'deflate');
  assert.deepEqual(contentCoding('br'), { refused: 'br' });
  assert.deepEqual(contentCoding('gzip, gzip'), { refused: 'gzip, gzip' });
  assert.deepEqual(contentCoding(['gzip', 'br']), { refused: 'gzip, br' });
});

test('gzip, x-gzip and deflate bodies are inflated: text, ndjson, members one after another, a BOM', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  const cases: [Record<string, string>, Buffer, string[]][] = [
    [{ ...TEXT, 'content-encoding': 'gzip' }, gzipSync('one\r\n\ntwo\n'), ['one', 'two']],
    [{ ...TEXT, 'content-encoding': 'x-gzip' }, Buffer.concat([gzipSync('three\n'), gzipSync('four')]), ['three', 'four']],
    [{ ...NDJSON, 'content-encoding': 'deflate' }, deflateSync('{"line":"five","source":"fw-1"}\n'), ['five']],
    [{ ...NDJSON, 'content-encoding': 'GZIP' }, gzipSync('\uFEFF{"line":"six"}\n'), ['six']],
    [{ ...TEXT, 'content-encoding': 'identity' }, Buffer.from('seven\n'), ['seven']],
  ];
  for (const [headers, payload, lines] of cases) {
    const before = deps.ingest.records.length;
    const res = await app.inject({ method: 'POST', url: '/api/ingest', headers, payload });
    assert.equal(res.statusCode, 200, `${headers['content-encoding']}: ${res.body}`);
    assert.deepEqual(res.json(), { accepted: lines.length });
    assert.deepEqual(deps.ingest.records.slice(before).map((r) => r.line), lines);
  }
  assert.equal(deps.ingest.records.find((r) => r.line === 'five')?.source, 'fw-1');
  const empty = await app.inject({ method: 'POST', url: '/api/ingest', headers: { ...TEXT, 'content-encoding': 'gzip' }, payload: '' });
  assert.deepEqual(empty.json(), { accepted: 0 }, 'an empty body is empty, whatever its encoding');
  await app.close();
});

test('the body limit holds for the decompressed body: a small gzip bomb is a 400 HTTP_BODY_TOO_LARGE, nothing written', async () => {
  const deps = fakeDeps({ bodyLimit: 64 * 1024 });
  const app = await buildApp(deps);
  const payload = bomb(4); // ~4 KB that inflate to 4 MiB
  assert.ok(payload.length < 64 * 1024);
  const res = await app.inject({ method: 'POST', url: '/api/ingest', headers: { ...TEXT, 'content-encoding': 'gzip' }, payload });
  assert.equal(res.statusCode, 400, res.body);
  const { error } = res.json();
  assert.equal(error.code, 'HTTP_BODY_TOO_LARGE');
  assert.deepEqual(error.details, { limit: 64 * 1024, contentEncoding: 'gzip' });
  assert.match(error.message, /larger than the limit of 65536 bytes once decompressed; send it in parts/);
  const big = await app.inject({ method: 'POST', url: '/api/ingest', headers: { ...TEXT, 'content-encoding': 'gzip' }, payload: gzipSync('x'.repeat(40 * 1024)) });
  assert.equal(big.statusCode, 200, 'under the limit once decompressed');
  const before = deps.ingest.writes.length;
  const noisy = await app.inject({ method: 'POST', url: '/api/ingest', headers: { ...TEXT, 'content-encoding': 'gzip' }, payload: Buffer.concat([gzipSync('a\n'), Buffer.alloc(70 * 1024, 0x61)]) });
  assert.equal(noisy.json().error.code, 'HTTP_BODY_TOO_LARGE', 'compressed bytes over the limit');
  assert.equal(deps.ingest.writes.length, before);
  await app.close();
});

test('inflating stops decompressing at the limit: it delivers no more than the limit and leaves most of a bomb unread', async () => {
  const limit = 256 * 1024;
  const members = 256; // 256 MiB inflated from ~256 KB
  const one = gzipSync(Buffer.alloc(1 << 20));
  let pulled = 0;
  const payload = Readable.from(
    (function* () {
      for (; pulled < members; pulled++) yield one;
    })(),
    { objectMode: false },
  );
  const body = inflating(payload, 'gzip', limit);
  let delivered = 0;
  body.on('data', (c: Buffer) => (delivered += c.length));
  const [err] = (await once(body, 'error', { signal: AbortSignal.timeout(3000) })) as unknown[];
  assert.ok(isAppError(err) && err.code === 'HTTP_BODY_TOO_LARGE', String(err));
  assert.ok(delivered <= limit, `${delivered} bytes delivered`);
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(pulled < members / 4, `read ${pulled} of ${members} members after the limit was reached`);
  assert.ok(body.receivedEncodedLength < members * one.length);
});

test('a corrupt or cut-short compressed body is a 400 HTTP_BAD_CONTENT_ENCODING naming the coding; nothing is written', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  const gz = gzipSync('one\ntwo\nthree\n'.repeat(100));
  const corrupt = Buffer.from(gz);
  corrupt.fill(0xaa, 20, 40);
  const cases: [string, Buffer, RegExp][] = [
    ['gzip', gz.subarray(0, gz.length - 10), /not valid gzip as its 'Content-Encoding: gzip' says \(unexpected end of file\)/],
    ['gzip', corrupt, /not valid gzip/],
    ['gzip', Buffer.from('plain text\n'), /not valid gzip .*incorrect header check/],
    ['deflate', deflateRawSync('raw deflate\n'), /not valid deflate \(zlib format, RFC 1950\)/],
  ];
  for (const [coding, payload, message] of cases) {
    const res = await app.inject({ method: 'POST', url: '/api/ingest', headers: { ...TEXT, 'content-encoding': coding }, payload });
    assert.equal(res.statusCode, 400, res.body);
    const { error } = res.json();
    assert.equal(error.code, 'HTTP_BAD_CONTENT_ENCODING');
    assert.deepEqual(error.details, { contentEncoding: coding });
    assert.match(error.message, message);
    assert.match(error.message, /nothing from this request was stored/);
  }
  assert.equal(deps.ingest.writes.length, 0);
  await app.close();
});

test('a body that is still compressed (gzip without its header, gzip twice, an .xz) is a 400 INGEST_BODY_COMPRESSED; nothing is written', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  const gz = gzipSync('one\ntwo\n');
  const xz = Buffer.from('/Td6WFoAAATm1rRGAgAhARYAAAB0L+Wj4AAYABJdADqYSs5OM3rTL2y7KlwcQoHgAAAAAA', 'base64');
  const cases: [Record<string, string>, Buffer, string, RegExp][] = [
    [TEXT, gz, 'gzip', /send it with 'Content-Encoding: gzip'/],
    [{ ...NDJSON, 'content-encoding': 'gzip' }, gzipSync(gz), 'gzip', /compressed twice/],
    [TEXT, xz, 'xz', /xz-compressed data, not lines of text; decompress it first/],
  ];
  for (const [headers, payload, format, message] of cases) {
    const res = await app.inject({ method: 'POST', url: '/api/ingest', headers, payload });
    assert.equal(res.statusCode, 400, res.body);
    const { error } = res.json();
    assert.equal(error.code, 'INGEST_BODY_COMPRESSED');
    assert.deepEqual(error.details, { format });
    assert.match(error.message, message);
  }
  assert.equal(deps.ingest.writes.length, 0);
  // text is text: accepted as before
  const ok = await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: 'BZh9 is text\n' });
  assert.equal(ok.statusCode, 200, ok.body);
  await app.close();
});

test('any other coding, or several, is a 415 HTTP_UNSUPPORTED_CONTENT_ENCODING saying what is accepted', async () => {
  const deps = fakeDeps();
  const app = await buildApp(deps);
  for (const coding of ['br', 'zstd', 'compress', 'snappy', 'gzip, gzip', 'gzip, identity']) {
    const res = await app.inject({ method: 'POST', url: '/api/ingest', headers: { ...TEXT, 'content-encoding': coding }, payload: 'a\n' });
    assert.equal(res.statusCode, 415, `${coding}: ${res.body}`);
    assert.equal(res.headers['accept-encoding'], 'gzip, deflate');
    const { error } = res.json();
    assert.equal(error.code, 'HTTP_UNSUPPORTED_CONTENT_ENCODING');
    assert.deepEqual(error.details, { contentEncoding: coding, accepted: ['gzip', 'deflate', 'identity'] });
    assert.equal(error.message, `request: content encoding '${coding}' is not accepted; POST /api/ingest accepts gzip, deflate or identity, one of them: send 'Content-Encoding: gzip', or none for an uncompressed body`);
  }
  const anonymous = await app.inject({ method: 'POST', url: '/api/ingest', headers: { 'content-type': 'text/plain', 'content-encoding': 'br' }, payload: 'a\n' });
  assert.equal(anonymous.statusCode, 401, 'authentication comes first');
  assert.equal(deps.ingest.writes.length, 0);
  await app.close();
});

test('over a real connection, the refusals reach the client (the body left unread does not reset it)', async () => {
  const deps = fakeDeps({ bodyLimit: 64 * 1024 });
  const app = await buildApp(deps);
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const post = (encoding: string, body: Buffer) =>
      fetch(`${base}/api/ingest`, { method: 'POST', headers: { ...TEXT, 'content-encoding': encoding }, body, signal: AbortSignal.timeout(3000) });
    const ok = await post('gzip', gzipSync('over http\n'));
    assert.deepEqual(await ok.json(), { accepted: 1 });
    const refused = await post('br', Buffer.alloc(200 * 1024, 0x61));
    assert.equal(refused.status, 415);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'HTTP_UNSUPPORTED_CONTENT_ENCODING');
    const bombed = await post('gzip', bomb(8));
    assert.equal(bombed.status, 400);
    assert.equal(((await bombed.json()) as { error: { code: string } }).error.code, 'HTTP_BODY_TOO_LARGE');
    const corrupt = await post('gzip', Buffer.from('not gzip at all\n'));
    assert.equal(((await corrupt.json()) as { error: { code: string } }).error.code, 'HTTP_BAD_CONTENT_ENCODING');
    assert.deepEqual(deps.ingest.records.map((r) => r.line), ['over http']);
  } finally {
    await app.close();
  }
});
