/** Read commands open an existing NML store and nothing else: a file, an empty folder or a missing path is a clear error, and nothing is created. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../core/index.js';
import { Catalog } from '../store/index.js';
import { resolveConfig } from '../config.js';
import { openReader } from './open.js';
import { runCliSync } from './testing.js';

const reader = (dataDir: string) => openReader(resolveConfig({ dataDir, search: { threads: 1 } }));

function withTmp(fn: (dir: string) => Promise<void> | void): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nml-open-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('a data directory that is a file is an error saying so', withTmp((dir) => {
  const file = join(dir, 'passwd');
  writeFileSync(file, 'root:x:0:0::/root:/bin/sh\n');
  assert.throws(() => reader(file), (e: unknown) => isAppError(e) && e.code === 'STORE_NOT_FOUND' && e.kind === 'bad_request' && e.message.includes(`${file} is a file, not a data directory`));
  assert.throws(() => reader(join(file, 'below')), (e: unknown) => isAppError(e) && e.code === 'STORE_NOT_FOUND' && e.kind === 'bad_request' && e.message.includes('no data directory at'));
}));

test('a directory without an NML store is an error that says how to make one, and is left as it was', withTmp((dir) => {
  const other = join(dir, 'photos');
  mkdirSync(other);
  writeFileSync(join(other, 'a.jpg'), 'x');
  assert.throws(() => reader(other), (e: unknown) => isAppError(e) && e.code === 'STORE_NOT_FOUND' && e.kind === 'bad_request' && /holds no NML data.*nml ingest.*nml serve/.test(e.message));
  assert.deepEqual(readdirSync(other), ['a.jpg']);
}));

test('a fresh store (a catalog made by the writer, no lines yet) is read: 0 lines', withTmp(async (dir) => {
  new Catalog(dir, 60_000).close(); // what the writer makes when it opens a data directory
  const r = reader(dir);
  try {
    assert.equal((await r.searcher.count('', { from: null, to: null })).count, 0);
  } finally {
    await r.close();
  }
}));

test('nml count / stats / search: a file, a folder without a store or a missing path as --data is a clear error, exit 2 (the command line names the wrong path)', withTmp((dir) => {
  const file = join(dir, 'f.txt');
  writeFileSync(file, 'x\n');
  const a = runCliSync(['count', '--data', file]);
  assert.equal(a.code, 2, a.err);
  assert.match(a.err, /^nml: store: .* is a file, not a data directory/);
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  for (const cmd of ['stats', 'search']) {
    const b = runCliSync([cmd, '--data', empty]);
    assert.equal(b.code, 2, b.err);
    assert.match(b.err, /^nml: store: .* holds no NML data/);
  }
  const missing = runCliSync(['search', '--data', join(dir, 'typo'), 'x']);
  assert.equal(missing.code, 2, missing.err);
  assert.match(missing.err, /^nml: store: no data directory at .*typo; ingest something first or pass --data DIR\n$/);
  assert.deepEqual(readdirSync(empty), []);
}));
