/** The findings store's schema step: a store that fails it (a file that is not SQLite) is refused and its handle closed, not leaked. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
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

test('openWritable says why in words and what to do: a folder in the file\'s place, a damaged file, a missing data directory; not SQLite\'s bare "unable to open database file"', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findings-schema-'));
  const said = (path: string): string => {
    try {
      openWritable(path).close();
    } catch (e) {
      assert.ok(isAppError(e) && e.code === 'FINDINGS_OPEN_FAILED' && e.kind === 'unavailable', String(e));
      return e.message;
    }
    assert.fail(`${path} opened`);
  };
  try {
    const folder = join(dir, 'findings.db');
    mkdirSync(folder);
    assert.equal(said(folder), `cannot open the findings store ${folder}: it is a folder, not the findings database; move it aside ('nml serve' then starts an empty findings.db) or give the server's --data`);
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not a database, but long enough to be read as one: '.repeat(40));
    assert.equal(said(junk), `cannot open the findings store ${junk}: file is not a database: the file is damaged or not a database; restore it from a backup, or move it aside ('nml serve' then starts an empty one, and the findings in it are lost)`);
    const below = join(junk, 'findings.db');
    // SQLite's own words there; no raw ENOTDIR from looking whether a folder stands in its place
    assert.equal(said(below), `cannot open the findings store ${below}: unable to open database file; check the data directory (--data), that nml's user may read and write it, and that its disk is mounted read-write`);
    const gone = join(dir, 'gone', 'findings.db');
    assert.equal(said(gone), `cannot open the findings store ${gone}: cannot open database because the directory does not exist; check the data directory (--data), that nml's user may read and write it, and that its disk is mounted read-write`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
