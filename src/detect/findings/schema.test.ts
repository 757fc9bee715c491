/** The findings store's schema step: a store that fails it (a file that is not SQLite) is refused and its handle closed, not leaked. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../../core/index.js';
import { openWritable } from './schema.js';

/** How many of this process's file descriptors point at `file` (Linux: /proc/self/fd). */
function openHandles(file: string): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(join('/proc/self/fd', fd)) === file) n++;
    } catch {
      // closed while listed (readdir's own descriptor)
    }
  }
  return n;
}

test('openWritable on a file that is not a store: FINDINGS_OPEN_FAILED naming it, and no handle left open on it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findings-schema-'));
  try {
    const file = join(dir, 'findings.db');
    writeFileSync(file, 'not a database, but long enough to be read as one: '.repeat(40));
    const procFds = existsSync('/proc/self/fd');
    for (let i = 0; i < 3; i++) {
      assert.throws(
        () => openWritable(file),
        (e: unknown) => isAppError(e) && e.code === 'FINDINGS_OPEN_FAILED' && e.message.includes(file) && /not a database/.test(e.message),
      );
    }
    if (procFds) assert.equal(openHandles(file), 0, 'the failed opens left handles on the file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('openWritable on a good path makes the store with every column, and opens it again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findings-schema-'));
  try {
    const file = join(dir, 'findings.db');
    const db = openWritable(file);
    const cols = (db.pragma('table_info(findings)') as { name: string }[]).map((c) => c.name);
    for (const c of ['status', 'status_note', 'status_by', 'status_at', 'reopened_at', 'sighted_at']) assert.ok(cols.includes(c), c);
    db.close();
    openWritable(file).close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
