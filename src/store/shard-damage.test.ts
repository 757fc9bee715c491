import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isAppError } from '../core/index.js';
import { ShardReader } from './shard-reader.js';
import { ShardWriter, type StoredLine } from './shard-writer.js';
import { shardFileName, shardHeaderDamage } from './shard-damage.js';

// One sealed shard of a few thousand lines (many pages), copied and damaged per test.
const T0 = Date.UTC(2026, 10, 30, 10, 0, 0);
const dir = mkdtempSync(join(tmpdir(), 'nml-damage-'));
const shards = join(dir, 'shards', '2026', '11', '30', '10');
mkdirSync(shards, { recursive: true });
const whole = join(shards, '0000-w0-0.db');
const lines: StoredLine[] = [];
for (let i = 0; i < 4000; i++) {
  const raw = `line ${i} ${i % 10 === 0 ? 'alpha' : 'beta'} failed password for user${i % 97} from 10.0.${i % 250}.${i % 7}`;
  lines.push({ time: T0 + i, receivedAt: T0 + i, source: 't', raw, text: raw });
}
const writer = new ShardWriter(whole, T0, 3_600_000, 0);
writer.append(lines);
writer.seal(false);
after(() => rmSync(dir, { recursive: true, force: true }));

let copies = 0;
function copy(): string {
  const path = join(shards, `0000-w0-${++copies}.db`);
  copyFileSync(whole, path);
  return path;
}

function assertUnreadable(e: unknown, path: string): true {
  assert.ok(isAppError(e), `an AppError, not ${String(e)}`);
  assert.equal(e.code, 'STORE_SHARD_UNREADABLE');
  assert.equal(e.kind, 'unavailable');
  assert.ok(e.message.includes(`shard ${shardFileName(path)} is damaged`), e.message);
  assert.match(e.message, /stop nml, move that file out of shards\//);
  assert.equal(e.details?.['path'], path);
  return true;
}

test('the file is named relative to the data directory', () => {
  assert.equal(shardFileName(whole), 'shards/2026/11/30/10/0000-w0-0.db');
});

test('a shard cut short, overwritten or emptied fails to open with STORE_SHARD_UNREADABLE naming its file', () => {
  const cut = copy();
  truncateSync(cut, Math.floor(statSync(cut).size / 2));
  assert.throws(() => new ShardReader(cut), (e) => assertUnreadable(e, cut) && /malformed/.test((e as Error).message));
  const junk = copy();
  writeFileSync(junk, randomBytes(4096));
  assert.throws(() => new ShardReader(junk), (e) => assertUnreadable(e, junk) && /not a database/.test((e as Error).message));
  const empty = copy();
  truncateSync(empty, 0);
  assert.throws(() => new ShardReader(empty), (e) => assertUnreadable(e, empty));
});

test('damage inside the pages, found by a read after the open, is STORE_SHARD_UNREADABLE too', () => {
  const path = copy();
  const reader = new ShardReader(path);
  try {
    // every page after the first two (the schema and the meta table) overwritten in place: the header still says all is well
    const size = statSync(path).size;
    const fd = openSync(path, 'r+');
    for (let at = 2 * 4096; at < size; at += 4096) writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, at);
    closeSync(fd);
    assert.equal(shardHeaderDamage(path), null, 'the header cannot tell');
    assert.throws(() => reader.count(null), (e) => assertUnreadable(e, path));
    assert.throws(() => reader.count('alpha'), (e) => assertUnreadable(e, path));
    assert.throws(() => [...reader.rowidsDesc('alpha', null)], (e) => assertUnreadable(e, path));
    assert.throws(() => reader.lines([0, 1, 2]), (e) => assertUnreadable(e, path));
  } finally {
    reader.close();
  }
});

test('an FTS syntax error is not called damage; a missing file is left out as damage is, but called missing', () => {
  const reader = new ShardReader(copy());
  try {
    assert.throws(() => reader.count('"unclosed'), (e) => (e as { code?: string }).code !== 'STORE_SHARD_UNREADABLE');
  } finally {
    reader.close();
  }
  const missing = join(shards, 'missing.db');
  assert.throws(() => new ShardReader(missing), (e) => isAppError(e) && e.code === 'STORE_SHARD_UNREADABLE' && e.details?.['missing'] === true && /is missing/.test(e.message) && !/is damaged/.test(e.message));
});

test('the header tells a whole shard from one cut short or overwritten, without SQL', () => {
  assert.equal(shardHeaderDamage(whole), null);
  const cut = copy();
  const size = statSync(cut).size;
  truncateSync(cut, size - 4096);
  assert.equal(shardHeaderDamage(cut), `cut short: ${size - 4096} of ${size} bytes`);
  const junk = copy();
  writeFileSync(junk, randomBytes(4096));
  assert.equal(shardHeaderDamage(junk), 'file is not a database');
  const empty = copy();
  truncateSync(empty, 0);
  assert.equal(shardHeaderDamage(empty), 'file is not a database');
  assert.equal(shardHeaderDamage(join(shards, 'missing.db')), null, 'a missing file is for whoever opens it to report');
});
