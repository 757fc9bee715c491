import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../../core/index.js';
import { buildApp } from '../app.js';
import { AUTH, fakeDeps } from '../testing.js';
import { RefusalLog, refusalLine, type RefusalReport } from './ingest-refusals.js';

const TEXT = { ...AUTH, 'content-type': 'text/plain; charset=utf-8' };
const FULL = 'store: the disk holding /data/shards/2026/06/01/10/0600-w0-0.db is full (SQLITE_FULL: database or disk is full); free space there or lower store.retention.maxBytes, then resend';

function capture(): { logger: FastifyBaseLogger; lines: () => Record<string, unknown>[] } {
  let out = '';
  const logger: FastifyBaseLogger = pino({ level: 'info' }, new Writable({ write(c, _e, done) { out += String(c); done(); } }));
  return { logger, lines: () => out.trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('a full disk: every ingest request gets its STORE_DISK_FULL error, the log one line without a stack, not one per request', async () => {
  const { logger, lines } = capture();
  const deps = fakeDeps({ logger });
  deps.ingest.failWith = new AppError('STORE_DISK_FULL', 'unavailable', FULL, { path: '/data/shards/x.db', cause: 'SQLITE_FULL' });
  const app = await buildApp(deps);
  try {
    for (let i = 0; i < 50; i++) {
      const res = await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: 'a\nb\n' });
      assert.equal(res.statusCode, 503);
      const { error } = res.json();
      assert.equal(error.code, 'INGEST_NOT_COMMITTED');
      assert.equal(error.details.cause, 'STORE_DISK_FULL');
      assert.ok(error.message.includes(FULL), error.message);
    }
    const loud = lines().filter((l) => (l.level as number) >= 40);
    assert.equal(loud.length, 1, JSON.stringify(loud, null, 1).slice(0, 3000));
    assert.equal(loud[0]!.level, 40, 'a warning, not an error');
    assert.equal(loud[0]!.err, undefined, 'no error object, so no stack');
    assert.equal(loud[0]!.code, 'STORE_DISK_FULL');
    assert.equal(loud[0]!.msg, `an ingest request (2 lines) was refused: ${FULL} (logged at most once a minute; each client gets its error)`);
    assert.ok(JSON.stringify(loud[0]).length < 600);
  } finally {
    await app.close();
  }
  // the 49 after the first are told at close, summed
  const last = lines().filter((l) => (l.level as number) >= 40).at(-1)!;
  assert.equal(last.requests, 49);
  assert.match(last.msg as string, /^49 ingest requests \(98 lines\) were refused since the last such line: store: the disk holding/);
});

test('other store failures are still logged as errors per request', async () => {
  const { logger, lines } = capture();
  const deps = fakeDeps({ logger });
  deps.ingest.failWith = new AppError('STORE_UNAVAILABLE', 'unavailable', 'store: writer lane 1 exited');
  const app = await buildApp(deps);
  try {
    for (let i = 0; i < 2; i++) assert.equal((await app.inject({ method: 'POST', url: '/api/ingest', headers: TEXT, payload: 'a\n' })).statusCode, 503);
    assert.equal(lines().filter((l) => l.level === 50).length, 2);
  } finally {
    await app.close();
  }
});

test('RefusalLog: the first at once, the rest summed when the interval is up, then the first of the next interval at once', () => {
  let now = 0;
  let due: (() => void) | null = null;
  const told: RefusalReport[] = [];
  const log = new RefusalLog((r) => told.push({ ...r }), { intervalMs: 60_000, now: () => now, later: (fn) => ((due = fn), () => (due = null)) });
  log.note('STORE_DISK_FULL', 10, 'full');
  assert.deepEqual(told, [{ code: 'STORE_DISK_FULL', requests: 1, lines: 10, message: 'full' }]);
  for (let i = 0; i < 300; i++) {
    now += 100;
    log.note('STORE_DISK_FULL', 2, 'full');
  }
  assert.equal(told.length, 1, 'nothing more within the minute');
  now = 60_000;
  due!();
  assert.deepEqual(told[1], { code: 'STORE_DISK_FULL', requests: 300, lines: 600, message: 'full' });
  now = 200_000;
  log.note('STORE_READ_ONLY', 1, 'read-only');
  assert.deepEqual(told[2], { code: 'STORE_READ_ONLY', requests: 1, lines: 1, message: 'read-only' });
  log.flush();
  assert.equal(told.length, 3, 'nothing pending');
  assert.match(refusalLine(told[1]!), /^300 ingest requests \(600 lines\) were refused since the last such line: full/);
});
