import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { buildApp } from '../app.js';
import { AUTH, fakeDeps } from '../testing.js';
import { claimedBytes, COMPRESSED_RATIO } from './ingest-admission.js';

const TEXT = { ...AUTH, 'content-type': 'text/plain' };
const body = (tag: string, lines: number): string => Array.from({ length: lines }, (_, i) => `${tag} line ${i} sshd failed password`).join('\n');
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 30));

test('a body past http.ingestInFlightBytes is refused at once, 503 INGEST_BUSY with retry-after, nothing stored; admitted once the held ones are committed', async () => {
  const deps = fakeDeps({ ingestInFlightBytes: 3000 });
  deps.ingest.congested = true; // the store holds the first requests' records, as a busy store does
  const app = await buildApp(deps);
  const first = app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: body('first', 40) }); // ~1.5 kB
  const second = app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: body('second', 30) });
  await settle();
  // before: held in memory with the others until the store drained (thirty such 62 MiB bodies ended the process)
  const third = await Promise.race([app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: body('third', 30) }), settle().then(() => null)]);
  assert.ok(third !== null, 'answered at once, not held while the store is busy');
  assert.equal(third.statusCode, 503);
  assert.equal(third.headers['retry-after'], '1');
  const { error } = third.json();
  assert.equal(error.code, 'INGEST_BUSY');
  assert.match(error.message, /http\.ingestInFlightBytes.*nothing from this request was stored: retry in 1 s/);
  deps.ingest.drain();
  assert.equal((await first).statusCode, 200);
  assert.equal((await second).statusCode, 200);
  const again = await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: body('third', 30) });
  assert.deepEqual(again.json(), { accepted: 30 }, 'what the stored requests held was given back');
  assert.equal(deps.ingest.records.filter((r) => r.line.startsWith('third ')).length, 30, 'the refused request stored nothing');
  await app.close();
});

test('one request is always admitted when none is held, even over the budget; a refused one is not held', async () => {
  const deps = fakeDeps({ ingestInFlightBytes: 10 });
  const app = await buildApp(deps);
  for (let i = 0; i < 3; i++) {
    const res = await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: body(`r${i}`, 5) });
    assert.deepEqual(res.json(), { accepted: 5 }, `request ${i}`);
  }
  await app.close();
});

test('a request without credentials is refused before it takes any of the budget', async () => {
  const deps = fakeDeps({ ingestInFlightBytes: 10 });
  deps.ingest.congested = true;
  const app = await buildApp(deps);
  const held = app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: 'held\n' });
  await settle();
  const stranger = await app.inject({ method: 'POST', url: '/api/ingest', headers: { 'content-type': 'text/plain' }, payload: 'x\n' });
  assert.equal(stranger.statusCode, 401, 'authentication answers first: a stranger learns nothing of the load');
  deps.ingest.drain();
  assert.equal((await held).statusCode, 200);
  await app.close();
});

test('a body of unknown length or compressed is counted at the whole body limit, since it may grow to it', () => {
  const limit = 64 * 1024 * 1024;
  assert.equal(claimedBytes({ 'content-length': '1200' }, limit), 1200);
  assert.equal(claimedBytes({ 'content-length': String(limit * 2) }, limit), limit);
  assert.equal(claimedBytes({ 'transfer-encoding': 'chunked' }, limit), limit);
  // a compressed body for what it may inflate to, up to the limit
  const small = gzipSync('x').length;
  assert.equal(claimedBytes({ 'content-length': String(small), 'content-encoding': 'gzip' }, limit), small * COMPRESSED_RATIO);
  assert.equal(claimedBytes({ 'content-length': String(limit / 4), 'content-encoding': 'gzip' }, limit), limit);
  assert.equal(claimedBytes({ 'content-encoding': 'gzip', 'transfer-encoding': 'chunked' }, limit), limit);
  assert.equal(claimedBytes({ 'content-length': '12', 'content-encoding': 'identity' }, limit), 12);
  assert.equal(claimedBytes({ 'content-length': 'junk' }, limit), limit);
});
