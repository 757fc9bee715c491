/** The incident base opens where it is told: its missing folders made, and a path it cannot have said as such. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IncidentBase } from './incident-base.js';

test('the incident base makes the missing folders of its path, and opens again there', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-incident-base-'));
  try {
    const path = join(dir, 'data', 'assist', 'incidents.db');
    new IncidentBase(path).close();
    assert.ok(existsSync(path));
    new IncidentBase(path).close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an incident base below a plain file is ASSIST_BASE_UNAVAILABLE naming the path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-incident-base-'));
  try {
    writeFileSync(join(dir, 'file'), 'x');
    const path = join(dir, 'file', 'assist', 'incidents.db');
    assert.throws(() => new IncidentBase(path), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'ASSIST_BASE_UNAVAILABLE');
      assert.ok(e.message.startsWith(`assist: cannot open the incident base ${path}: `), e.message);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an incident base that will not open says why in words and what to do, not node\'s "ENOTDIR: not a directory, mkdir …" or SQLite\'s "unable to open database file"', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-incident-base-'));
  const said = (path: string): string => {
    try {
      new IncidentBase(path).close();
    } catch (e) {
      assert.equal((e as { code?: string }).code, 'ASSIST_BASE_UNAVAILABLE');
      assert.doesNotMatch((e as Error).message, /ENOTDIR|mkdir '|unable to open/);
      return (e as Error).message;
    }
    assert.fail(`${path} opened`);
  };
  try {
    writeFileSync(join(dir, 'file'), 'x');
    const below = join(dir, 'file', 'assist', 'incidents.db');
    assert.equal(said(below), `assist: cannot open the incident base ${below}: a part of the path is a file, not a folder; check the data directory (--data), that nml's user may read and write it, and that its disk is mounted read-write`);
    const folder = join(dir, 'incidents.db');
    mkdirSync(folder);
    assert.equal(said(folder), `assist: cannot open the incident base ${folder}: it is a folder, not the incident base; move it aside (nml assist import then starts an empty one)`);
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not a database, but long enough to be read as one: '.repeat(40));
    assert.equal(said(junk), `assist: cannot open the incident base ${junk}: file is not a database: the file is damaged or not a database; move it aside and import the incidents again (nml assist import)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
