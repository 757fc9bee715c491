/** A large report is normalized in a worker thread: the same record and errors, and the calling thread goes on meanwhile. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAppError } from '../core/index.js';
import { fixturesDir } from '../cli/testing.js';
import { normalize } from './normalize.js';
import { IN_THREAD_MAX_BYTES, NORMALIZE_THREADS, NORMALIZE_WAITING, normalizeOffThread } from './normalize-thread.js';

const DIR = fixturesDir('assist');
/** A fixture made larger than IN_THREAD_MAX_BYTES by repeating its body (plain text) or padding its last message (mail). */
const large = (text: string): string => text + '\n' + 'The host 10.0.0.5 beaconed to 203.0.113.9 over https; blocked at the proxy.\n'.repeat(Math.ceil(IN_THREAD_MAX_BYTES / 70));

test('a report over IN_THREAD_MAX_BYTES is read off the calling thread: its event loop keeps turning until the record comes', async () => {
  const text = large(readFileSync(join(DIR, 'plain.txt'), 'utf8'));
  assert.ok(Buffer.byteLength(text) > IN_THREAD_MAX_BYTES);
  // on the calling thread the reading happens inside the call, holding every other request and listener
  // of the server, and the loop turns only a few times (awaits inside) before the record is there
  let turns = 0;
  let done = false;
  const spin = (): void => {
    turns++;
    if (!done) setImmediate(spin);
  };
  setImmediate(spin);
  await normalizeOffThread(text);
  done = true;
  assert.ok(turns > 100, `the event loop turned ${turns} times while the report was read`);
});

test('off the thread, each fixture gives the record normalize gives, and a small one is read in place', async () => {
  for (const name of ['plain.txt', 'alert.eml', 'thread-ja.mbox', 'vcdb-record.json', 'seed-verbatim.txt']) {
    const bytes = readFileSync(join(DIR, name));
    assert.deepEqual(await normalizeOffThread(bytes), await normalize(bytes), name);
    const big = name.endsWith('.json') ? bytes : Buffer.from(large(bytes.toString('utf8')));
    assert.deepEqual(await normalizeOffThread(big), await normalize(big), `${name}, made large`);
  }
  const forced = Buffer.from(large('Threat Name: Trojan:Win32/Emotet.A\n'));
  assert.deepEqual(await normalizeOffThread(forced, 'text'), await normalize(forced, 'text'), 'a forced format crosses the thread too');
});

test('off the thread, an input refused is the same AppError, code and message', async () => {
  const binary = Buffer.concat([Buffer.from([0, 1, 2, 3]), Buffer.alloc(IN_THREAD_MAX_BYTES, 0x61)]);
  const notJson = Buffer.from(`{"not": json ${'x'.repeat(IN_THREAD_MAX_BYTES)}`);
  for (const [input, format] of [[binary, undefined], [notJson, 'json']] as const) {
    const inPlace = await normalize(input, format).then(
      () => assert.fail('normalize accepted it'),
      (e: unknown) => e,
    );
    await assert.rejects(normalizeOffThread(input, format), (e: unknown) => {
      assert.ok(isAppError(e) && isAppError(inPlace));
      assert.equal(e.code, inPlace.code);
      assert.equal(e.kind, inPlace.kind);
      assert.equal(e.message, inPlace.message);
      return true;
    });
  }
});

test('past NORMALIZE_THREADS reading and NORMALIZE_WAITING waiting, a large report is refused at once (ASSIST_BUSY); the others are read', async () => {
  const text = large(readFileSync(join(DIR, 'plain.txt'), 'utf8'));
  const all = Array.from({ length: NORMALIZE_THREADS + NORMALIZE_WAITING + 3 }, () =>
    normalizeOffThread(text).then(
      () => 'read',
      (e: unknown) => (isAppError(e) ? e.code : String(e)),
    ),
  );
  const outcomes = await Promise.all(all);
  assert.deepEqual(outcomes, [...new Array<string>(NORMALIZE_THREADS + NORMALIZE_WAITING).fill('read'), 'ASSIST_BUSY', 'ASSIST_BUSY', 'ASSIST_BUSY']);
  // the turns were all given back: as many again are read
  assert.deepEqual(await Promise.all(Array.from({ length: NORMALIZE_THREADS + 1 }, () => normalizeOffThread(text).then(() => 'read'))), new Array<string>(NORMALIZE_THREADS + 1).fill('read'));
});
